// The gateway's API as the console uses it: every call carries the bearer token in the Authorization header
// (never in a URL), and every failure becomes an ApiError holding the problem+json the gateway or a service sent.

/** A failed call: status 0 for a network failure, else the HTTP status and the RFC 9457 problem (if any). */
export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    /** Seconds, from the Retry-After header (or null). */
    this.retryAfter = retryAfter;
  }

  /** Field errors of a validation problem, as {field: message}. */
  get fieldErrors() {
    const out = {};
    for (const e of this.problem?.errors ?? []) {
      if (e && e.field && !(e.field in out)) out[e.field] = e.message;
    }
    return out;
  }
}

let token = null;
let onUnauthorized = () => {};

export function setToken(value) {
  token = value;
}

export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

function retryAfterSeconds(response) {
  const value = response.headers.get('Retry-After');
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.round((date - Date.now()) / 1000));
}

async function failure(response) {
  let problem = null;
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try {
      problem = await response.json();
    } catch {
      problem = null;
    }
  }
  return new ApiError(response.status, problem, retryAfterSeconds(response));
}

/** Calls the gateway; resolves with the parsed JSON body (or null), rejects with an ApiError. */
export async function call(method, path, body, { authToken = token, quiet401 = false } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (authToken) headers.Authorization = `Bearer ${authToken}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, null, null);
  }
  if (!response.ok) {
    const error = await failure(response);
    if (response.status === 401 && !quiet401) onUnauthorized(error);
    throw error;
  }
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/**
 * Follows a Server-Sent-Events stream with fetch() and a streaming reader, so that the token travels in the
 * Authorization header (EventSource cannot send headers, and a token in a URL ends up in logs and history).
 * Reconnects after the server's `retry:` delay (doubling up to 30 s while it keeps failing), sending
 * Last-Event-ID so the server replays what was missed or answers `event: reset`.
 *
 * @returns a function that stops the stream
 */
export function followStream(path, { onEvent, onState }) {
  const controller = new AbortController();
  let lastEventId = null;
  let retryMs = 2000;
  let failures = 0;
  let stopped = false;

  async function connectOnce() {
    const headers = { Accept: 'text/event-stream', Authorization: `Bearer ${token}` };
    if (lastEventId !== null) headers['Last-Event-ID'] = lastEventId;
    onState('connecting');
    const response = await fetch(path, { headers, signal: controller.signal, cache: 'no-store', credentials: 'omit' });
    if (!response.ok || !response.body) {
      const error = await failure(response);
      if (response.status === 401) onUnauthorized(error);
      throw error;
    }
    onState('on');
    failures = 0;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let event = { type: 'message', data: [], id: null };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let newline;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (event.id !== null) lastEventId = event.id;
          if (event.data.length > 0) onEvent({ type: event.type, data: event.data.join('\n'), id: event.id });
          event = { type: 'message', data: [], id: null };
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value2 = colon < 0 ? '' : line.slice(colon + 1);
        if (value2.startsWith(' ')) value2 = value2.slice(1);
        if (field === 'data') event.data.push(value2);
        else if (field === 'event') event.type = value2;
        else if (field === 'id' && !value2.includes('\0')) event.id = value2;
        else if (field === 'retry' && /^\d+$/.test(value2)) retryMs = Number(value2);
      }
    }
  }

  (async () => {
    while (!stopped) {
      try {
        await connectOnce();
      } catch (e) {
        if (stopped || e?.name === 'AbortError') return;
        failures++;
        if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
          onState('off');
          return;
        }
      }
      if (stopped) return;
      onState('off');
      const wait = Math.min(30000, retryMs * 2 ** Math.min(failures, 4));
      await new Promise((resolve) => setTimeout(resolve, failures === 0 ? retryMs : wait));
    }
  })();

  return () => {
    stopped = true;
    controller.abort();
  };
}
