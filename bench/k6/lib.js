// Shared helpers of the k6 scripts. Environment: BASE (default http://localhost:8088, the gateway),
// TOKEN (a bearer token, e.g. $AGENCY_TOKEN from .data/tokens.env; not needed on the direct ports).
import http from 'k6/http';
import exec from 'k6/execution';

export const BASE = __ENV.BASE || 'http://localhost:8088';

export function headers(token) {
  const h = { 'Content-Type': 'application/json' };
  const t = token || __ENV.TOKEN;
  if (t) {
    h.Authorization = `Bearer ${t}`;
  }
  return h;
}

/** A procNo unique across VUs, iterations and runs. */
export function procNo(prefix) {
  return `${prefix}-${Date.now().toString(36)}-${exec.vu.idInTest}-${exec.vu.iterationInScenario}`;
}

export function register(base, no, token) {
  return http.post(`${base}/deliveryrequests`, JSON.stringify({
    procNo: no, procTitle: '사무용 의자', procAgency: '서울시청', procPrice: 1200000, procQty: 12,
  }), { headers: headers(token), tags: { name: 'POST /deliveryrequests' } });
}

/** Polls GET url until its JSON status is `status` (or `found` for a 200 at all); returns the ms waited or -1. */
export function waitFor(url, status, token, timeoutMs = 30000) {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    const r = http.get(url, { headers: headers(token), tags: { name: 'poll' } });
    if (r.status === 200 && (status === 'found' || r.json('status') === status)) {
      return Date.now() - t0;
    }
  }
  return -1;
}
