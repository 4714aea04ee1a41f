// The web console: sign-in, the status board (납품현황조회) with live updates, and each role's commands.
// Plain ES modules, no build step; every call goes to the gateway's API with the user's bearer token.
import { ApiError, call, followStream, setToken, setUnauthorizedHandler } from './api.js';
import { formatDate, formatTime, lang, setLang, t, translate } from './i18n.js';

const PAGE_SIZE = 10;
const ROLES = ['agency', 'pps', 'supplier', 'viewer', 'admin'];
const STATUSES = ['POSTED', 'DELIVERY_REQUESTED', 'INSPECTION_REQUESTED', 'INSPECTED', 'CANCELED'];
const OPEN = ['POSTED', 'DELIVERY_REQUESTED', 'INSPECTION_REQUESTED'];
const PROC_NO = /^[A-Za-z0-9_-]{1,50}$/;
const PHONE_NO = /^[0-9+][0-9 -]{7,18}[0-9]$/;
const DEMO_USERS = [
  { key: 'agency', sub: 'agency-kim', roles: ['agency'] },
  { key: 'pps', sub: 'pps-lee', roles: ['pps'] },
  { key: 'supplier-c01', sub: 'supplier-c01', roles: ['supplier'], companyNo: 'c01' },
  { key: 'supplier-c02', sub: 'supplier-c02', roles: ['supplier'], companyNo: 'c02' },
  { key: 'viewer', sub: 'viewer-park', roles: ['viewer'] },
  { key: 'admin', sub: 'admin', roles: ['admin'] },
];

const $ = (selector, root = document) => root.querySelector(selector);

const state = {
  user: null, // {sub, roles, companyNo, exp}
  filters: { procNo: '', companyNo: '', status: '' },
  page: 0,
  rows: [],
  total: 0,
  pages: 0,
  detail: null,
  stopStream: null,
  reloadTimer: null,
  demoAvailable: false,
};

// ---------------------------------------------------------------------------------------------- messages

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function announce(text) {
  const live = $('#live');
  live.textContent = '';
  setTimeout(() => { live.textContent = text; }, 50);
}

function toast(text) {
  const box = $('#toast');
  box.textContent = text;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.textContent = ''; }, 8000);
}

function notice(text) {
  $('#notice').textContent = text || '';
}

/** A readable message for a failed call: what happened, the problem's detail, and when to retry. */
function describe(error) {
  if (!(error instanceof ApiError)) return String(error?.message || error);
  if (error.status === 0) return t('e.network');
  const key = [401, 403, 404, 409, 429, 503].includes(error.status) ? `e.${error.status}`
    : error.status >= 500 ? 'e.5xx' : null;
  const parts = [];
  if (key) parts.push(t(key));
  else if (error.problem?.title) parts.push(error.problem.title + '.');
  if (error.problem?.detail) parts.push(error.problem.detail);
  const fields = Object.entries(error.fieldErrors);
  if (fields.length > 0) parts.push(fields.map(([f, m]) => `${t(f)}: ${m}`).join('; '));
  if (error.retryAfter !== null && error.retryAfter !== undefined) {
    const at = new Date(Date.now() + error.retryAfter * 1000);
    parts.push(t('e.retryAt', { seconds: error.retryAfter, time: formatTime(at) }));
  }
  if (parts.length === 0) parts.push(`HTTP ${error.status}`);
  return parts.join(' ');
}

// ---------------------------------------------------------------------------------------------- sign-in

function base64UrlJson(part) {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** Who the token says the user is (the gateway verifies it; this is for display and for choosing screens). */
function readToken(token) {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error(t('e.tokenFormat'));
  let claims;
  try {
    claims = base64UrlJson(parts[1]);
  } catch {
    throw new Error(t('e.tokenFormat'));
  }
  if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now()) throw new Error(t('e.tokenExpired'));
  const raw = Array.isArray(claims.roles) ? claims.roles
    : Array.isArray(claims.realm_access?.roles) ? claims.realm_access.roles : [];
  return {
    sub: String(claims.sub ?? ''),
    roles: raw.filter((r) => ROLES.includes(r)),
    companyNo: typeof claims.companyNo === 'string' ? claims.companyNo : null,
    exp: claims.exp,
  };
}

async function signIn(token, { restoring = false } = {}) {
  token = token.trim().replace(/^Bearer\s+/i, '');
  const user = readToken(token);
  try {
    await call('GET', '/deliveryStatusInquiries?size=1', undefined, { authToken: token, quiet401: true });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      throw new Error(`${t('e.tokenRejected')} ${e.problem?.detail ?? ''}`.trim());
    }
    if (!(e instanceof ApiError && e.status === 403)) throw new Error(describe(e));
  }
  setToken(token);
  sessionStorage.setItem('console.token', token);
  state.user = user;
  showApp();
  if (!restoring) {
    toast(t('signedIn', { name: user.sub }));
    $('#board-title').focus?.();
  }
}

function signOut(message = t('signedOut')) {
  state.stopStream?.();
  state.stopStream = null;
  sessionStorage.removeItem('console.token');
  setToken(null);
  state.user = null;
  state.detail = null;
  $('#app').hidden = true;
  $('#who').hidden = true;
  $('#signin').hidden = false;
  $('#token').value = '';
  toast(message);
  $('#token').focus();
}

function renderWho() {
  const u = state.user;
  $('#who').hidden = !u;
  if (!u) return;
  $('#who-name').textContent = u.sub + (u.companyNo ? ` (${u.companyNo})` : '');
  const roles = $('#who-roles');
  roles.replaceChildren(...u.roles.map((r) => el('span', { class: `role role-${r}`, text: t(`role.${r}`) })));
}

async function probeDemo() {
  // 400 (validation) means the endpoint is there; 404 means it is off or we are not on this machine.
  try {
    await call('POST', '/local/tokens', {}, { authToken: null, quiet401: true });
    state.demoAvailable = true;
  } catch (e) {
    state.demoAvailable = e instanceof ApiError && e.status === 400;
  }
  renderDemo();
}

function demoLabel(u) {
  return u.companyNo ? `${t(`role.${u.roles[0]}`)} ${u.companyNo}` : t(`role.${u.roles[0]}`);
}

function renderDemo() {
  $('#demo').hidden = !state.demoAvailable;
  if (!state.demoAvailable) return;
  $('#demo-users').replaceChildren(...DEMO_USERS.map((u) => el('button', {
    type: 'button', 'data-demo': u.key, text: demoLabel(u),
    onclick: async () => {
      notice('');
      try {
        const body = { sub: u.sub, roles: u.roles };
        if (u.companyNo) body.companyNo = u.companyNo;
        const answer = await call('POST', '/local/tokens', body, { authToken: null, quiet401: true });
        await signIn(answer.token);
      } catch (e) {
        notice(e instanceof ApiError ? describe(e) : e.message);
      }
    },
  })));
}

// ---------------------------------------------------------------------------------------------- app shell

function has(...roles) {
  return state.user?.roles.some((r) => roles.includes(r)) ?? false;
}

function showApp() {
  $('#signin').hidden = true;
  $('#app').hidden = false;
  $('#register').hidden = !has('agency', 'admin');
  renderWho();
  loadPage();
  startStream();
}

function startStream() {
  state.stopStream?.();
  state.stopStream = followStream('/deliveryStatusInquiries/stream', {
    onState: (s) => {
      const badge = $('#stream-state');
      badge.dataset.state = s;
      badge.textContent = t(`stream.${s}`);
    },
    onEvent: (event) => {
      if (event.type === 'reset') {
        loadPage();
        if (state.detail) openDetail(state.detail.id, { focus: false });
        announce(t('liveReset'));
        return;
      }
      let doc;
      try {
        doc = JSON.parse(event.data);
      } catch {
        return;
      }
      if (!doc || doc.id === undefined) return;
      applyChange(doc);
    },
  });
}

function matchesFilters(doc) {
  const f = state.filters;
  return (!f.procNo || doc.procNo === f.procNo) && (!f.companyNo || doc.companyNo === f.companyNo)
    && (!f.status || doc.status === f.status);
}

function applyChange(doc) {
  const index = state.rows.findIndex((r) => r.id === doc.id);
  if (index >= 0 && matchesFilters(doc)) {
    const before = state.rows[index];
    state.rows[index] = doc;
    renderRows(doc.id);
    if (before.status !== doc.status) announce(t('liveChange', { procNo: doc.procNo, status: t(`st.${doc.status}`) }));
  } else if (index >= 0 || matchesFilters(doc)) {
    // A new row, or one that no longer matches: the page itself changes.
    clearTimeout(state.reloadTimer);
    state.reloadTimer = setTimeout(() => loadPage({ highlight: doc.id }), 250);
    announce(t('liveChange', { procNo: doc.procNo, status: t(`st.${doc.status}`) }));
  }
  if (state.detail && state.detail.id === doc.id) {
    const statusChanged = state.detail.status !== doc.status;
    state.detail = doc;
    renderDetail(statusChanged);
  }
}

// ---------------------------------------------------------------------------------------------- status board

async function loadPage({ highlight } = {}) {
  const params = new URLSearchParams({ page: String(state.page), size: String(PAGE_SIZE), sort: 'id,desc' });
  for (const [k, v] of Object.entries(state.filters)) if (v) params.set(k, v);
  try {
    const body = await call('GET', `/deliveryStatusInquiries?${params}`);
    state.rows = body?._embedded?.deliveryStatusInquiries ?? [];
    state.total = body?.page?.totalElements ?? state.rows.length;
    state.pages = body?.page?.totalPages ?? 1;
    if (state.page > 0 && state.page >= state.pages) {
      state.page = Math.max(0, state.pages - 1);
      return loadPage();
    }
    renderRows(highlight);
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) notice(describe(e));
  }
}

function badge(status) {
  return el('span', { class: `badge st-${status}`, 'data-status': status, text: t(`st.${status}`) });
}

function renderRows(highlight) {
  const body = $('#rows tbody');
  body.replaceChildren(...state.rows.map((r) => el('tr', {
    'data-id': r.id, 'data-procno': r.procNo, class: r.id === highlight ? 'flash' : undefined,
    'aria-current': state.detail?.id === r.id ? 'true' : undefined,
  },
  el('td', {}, el('button', {
    type: 'button', class: 'link', text: r.procNo, 'aria-label': `${r.procNo} ${t('history')}`,
    onclick: () => openDetail(r.id),
  })),
  el('td', { text: r.procTitle ?? '' }),
  el('td', { class: 'opt', text: r.procAgency ?? '' }),
  el('td', { class: 'opt', text: [r.companyNo, r.companyNm].filter(Boolean).join(' ') }),
  el('td', {}, badge(r.status)),
  el('td', { class: 'opt' }, el('time', { datetime: r.updatedAt, text: formatDate(r.updatedAt) })))));
  $('#empty').hidden = state.rows.length > 0;
  const pages = Math.max(1, state.pages);
  $('#page-info').textContent = t('pageInfo', { page: state.page + 1, pages, total: state.total });
  $('#rows-caption').textContent = t('rowsCaption', { total: state.total });
  $('#prev').disabled = state.page <= 0;
  $('#next').disabled = state.page + 1 >= pages;
}

// ---------------------------------------------------------------------------------------------- detail

async function openDetail(id, { focus = true } = {}) {
  try {
    state.detail = await call('GET', `/deliveryStatusInquiries/${encodeURIComponent(id)}`);
    renderDetail(true);
    renderRows();
    $('#detail').hidden = false;
    if (focus) {
      $('#detail').focus();
      $('#detail').scrollIntoView({ block: 'start' });
    }
  } catch (e) {
    notice(describe(e));
  }
}

function renderDetail(withActions) {
  const d = state.detail;
  $('#detail-title').replaceChildren(`${d.procNo} · ${d.procTitle ?? ''} `, badge(d.status));
  const fields = [
    ['procAgency', d.procAgency],
    ['companyNo', d.companyNo],
    ['companyNm', d.companyNm],
    ['inspection', d.inspectionSuccFlag === true ? t('pass') : d.inspectionSuccFlag === false ? t('fail') : null],
    ['updatedAt', formatDate(d.updatedAt)],
  ];
  $('#detail-fields').replaceChildren(...fields.filter(([, v]) => v !== null && v !== undefined && v !== '')
    .flatMap(([k, v]) => [el('dt', { text: t(k) }), el('dd', { text: String(v) })]));
  $('#timeline').replaceChildren(...(d.history ?? []).map((h) => el('li', { 'data-status': h.status },
    badge(h.status), ' ', el('time', { datetime: h.at, text: formatDate(h.at) }))));
  if (withActions) renderActions();
}

/** A form with inline field errors: fields [{name, label, type, required, validate, options}]. */
function actionForm({ id, title, fields, submit, onSubmit }) {
  const errorBox = el('p', { class: 'form-error', role: 'alert' });
  const inputs = {};
  const form = el('form', { id, class: 'action', novalidate: true },
    el('h3', { text: title }),
    fields.map((f) => {
      const inputId = `${id}-${f.name}`;
      const errorId = `${inputId}-error`;
      if (f.type === 'radio') {
        const group = el('fieldset', { class: 'field', 'aria-describedby': errorId },
          el('legend', { text: f.label }),
          f.options.map((o) => el('label', { class: 'inline' },
            el('input', { type: 'radio', name: f.name, value: o.value, id: `${inputId}-${o.value}` }), ` ${o.label}`)),
          el('p', { id: errorId, class: 'field-error', 'aria-live': 'polite' }));
        inputs[f.name] = { group, error: errorId, f };
        return group;
      }
      const input = el(f.type === 'textarea' ? 'textarea' : 'input', {
        id: inputId, name: f.name, required: f.required, maxlength: f.max, value: f.value,
        rows: f.type === 'textarea' ? 2 : undefined, inputmode: f.inputmode, autocomplete: 'off',
        'aria-describedby': errorId,
      });
      if (f.value && f.type === 'textarea') input.value = f.value;
      inputs[f.name] = { input, error: errorId, f };
      input.addEventListener('blur', () => check(f.name));
      return el('div', { class: 'field' },
        el('label', { for: inputId, text: f.label + (f.required ? ' *' : '') }), input,
        el('p', { id: errorId, class: 'field-error', 'aria-live': 'polite' }));
    }),
    errorBox,
    el('button', { type: 'submit', class: 'primary', text: submit }));

  function valueOf(name) {
    const entry = inputs[name];
    if (entry.f.type === 'radio') return form.querySelector(`input[name="${name}"]:checked`)?.value ?? '';
    return entry.input.value.trim();
  }
  function setError(name, message) {
    const entry = inputs[name];
    if (!entry) return false;
    form.querySelector(`#${CSS.escape(entry.error)}`).textContent = message || '';
    const target = entry.input ?? entry.group;
    if (message) target.setAttribute('aria-invalid', 'true');
    else target.removeAttribute('aria-invalid');
    return true;
  }
  function check(name) {
    const { f } = inputs[name];
    const value = valueOf(name);
    let message = '';
    if (f.required && value === '') message = f.type === 'radio' ? t('v.choose') : t('v.required');
    else if (value !== '' && f.max && value.length > f.max) message = t('v.max', { max: f.max });
    else if (value !== '' && f.validate) message = f.validate(value) || '';
    setError(name, message);
    return !message;
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errorBox.textContent = '';
    const ok = Object.keys(inputs).map(check).every(Boolean);
    if (!ok) {
      errorBox.textContent = t('v.fix');
      const first = form.querySelector('[aria-invalid="true"]');
      (first?.querySelector?.('input') ?? first)?.focus();
      return;
    }
    const values = Object.fromEntries(Object.keys(inputs).map((n) => [n, valueOf(n)]));
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      await onSubmit(values);
    } catch (e) {
      let inline = false;
      for (const [field, message] of Object.entries(e.fieldErrors ?? {})) inline = setError(field, message) || inline;
      errorBox.textContent = describe(e);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

function renderActions() {
  const d = state.detail;
  const box = $('#actions');
  const forms = [];
  const id = encodeURIComponent(d.id);
  if (has('pps', 'admin') && d.status === 'POSTED') {
    forms.push(actionForm({
      id: 'order-form', title: t('orderTitle'), submit: t('orderSubmit'),
      fields: [
        { name: 'companyNo', label: t('companyNo'), required: true, max: 50, validate: (v) => (PROC_NO.test(v) ? '' : t('v.company')) },
        { name: 'companyNm', label: t('companyNm'), required: true, max: 100 },
      ],
      onSubmit: async (v) => {
        await call('PATCH', `/deliverymanagements/${id}`, { procNo: d.procNo, companyNo: v.companyNo, companyNm: v.companyNm });
        toast(t('ordered', { procNo: d.procNo }));
      },
    }));
  }
  const ownCompany = has('admin') || (has('supplier') && state.user.companyNo === d.companyNo);
  if (has('supplier', 'admin') && ownCompany && d.status === 'DELIVERY_REQUESTED') {
    forms.push(actionForm({
      id: 'inspect-form', title: t('inspectTitle'), submit: t('inspectSubmit'),
      fields: [
        { name: 'companyPhoneNo', label: t('companyPhoneNo'), required: true, max: 20, inputmode: 'tel',
          validate: (v) => (PHONE_NO.test(v) ? '' : t('v.phone')) },
        { name: 'inspectionContents', label: t('inspectionContents'), type: 'textarea', max: 4000 },
      ],
      onSubmit: async (v) => {
        const body = { procNo: d.procNo, companyPhoneNo: v.companyPhoneNo };
        if (v.inspectionContents) body.inspectionContents = v.inspectionContents;
        await call('PATCH', `/goodsdeliveries/${id}`, body);
        toast(t('inspectionRequested', { procNo: d.procNo }));
      },
    }));
  }
  if (has('agency', 'admin') && d.status === 'INSPECTION_REQUESTED') {
    forms.push(actionForm({
      id: 'result-form', title: t('resultTitle'), submit: t('resultSubmit'),
      fields: [
        { name: 'inspectionSuccFlag', label: t('inspection'), type: 'radio', required: true,
          options: [{ value: 'true', label: t('pass') }, { value: 'false', label: t('fail') }] },
        { name: 'inspectionContents', label: t('inspectionContents'), type: 'textarea', max: 4000 },
      ],
      onSubmit: async (v) => {
        const body = { procNo: d.procNo, inspectionSuccFlag: v.inspectionSuccFlag === 'true' };
        if (v.inspectionContents) body.inspectionContents = v.inspectionContents;
        await call('PATCH', `/inspectionResults/${id}`, body);
        toast(t('resultRecorded', { procNo: d.procNo }));
      },
    }));
  }
  if (has('agency', 'admin') && OPEN.includes(d.status)) {
    const errorBox = el('p', { class: 'form-error', role: 'alert' });
    const confirmRow = el('div', { class: 'confirm', hidden: true },
      el('p', { text: t('cancelConfirm', { procNo: d.procNo }) }),
      el('button', {
        type: 'button', class: 'danger', id: 'cancel-confirm', text: t('cancelSubmit'),
        onclick: async (event) => {
          event.target.disabled = true;
          errorBox.textContent = '';
          try {
            await call('DELETE', `/deliveryrequests/${id}`);
            toast(t('canceled', { procNo: d.procNo }));
            confirmRow.hidden = true;
          } catch (e) {
            errorBox.textContent = describe(e);
          } finally {
            event.target.disabled = false;
          }
        },
      }),
      ' ',
      el('button', { type: 'button', text: t('close'), onclick: () => { confirmRow.hidden = true; $('#cancel-start').focus(); } }));
    forms.push(el('div', { class: 'action', id: 'cancel-box' },
      el('h3', { text: t('cancelTitle') }),
      el('button', {
        type: 'button', id: 'cancel-start', class: 'danger', text: t('cancelSubmit'),
        onclick: () => { confirmRow.hidden = false; $('#cancel-confirm').focus(); },
      }),
      confirmRow, errorBox));
  }
  if (forms.length === 0) forms.push(el('p', { class: 'help', text: t('noActions') }));
  box.replaceChildren(...forms);
}

// ---------------------------------------------------------------------------------------------- register

const REGISTER_RULES = {
  procNo: (v) => (v === '' ? t('v.required') : PROC_NO.test(v) ? '' : t('v.procNo')),
  procTitle: (v) => (v === '' ? t('v.required') : v.length > 200 ? t('v.max', { max: 200 }) : ''),
  procAgency: (v) => (v.length > 100 ? t('v.max', { max: 100 }) : ''),
  procPrice: (v) => {
    if (v === '') return '';
    const n = v.replace(/[,\s]/g, '');
    return /^\d+$/.test(n) && Number(n) <= Number.MAX_SAFE_INTEGER ? '' : t('v.price');
  },
  procQty: (v) => (v === '' ? '' : /^\d+(\.\d+)?$/.test(v) && Number(v) > 0 ? '' : t('v.qty')),
  procContents: (v) => (v.length > 4000 ? t('v.max', { max: 4000 }) : ''),
};

function registerField(name) {
  return $(`#f-${name}`);
}

function setRegisterError(name, message) {
  const input = registerField(name);
  if (!input) return;
  $(`#e-${name}`).textContent = message || '';
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

function checkRegister(name) {
  const message = REGISTER_RULES[name](registerField(name).value.trim());
  setRegisterError(name, message);
  return !message;
}

function setUpRegister() {
  const form = $('#register-form');
  for (const name of Object.keys(REGISTER_RULES)) {
    registerField(name).addEventListener('blur', () => checkRegister(name));
    registerField(name).addEventListener('input', () => {
      if (registerField(name).hasAttribute('aria-invalid')) checkRegister(name);
    });
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    notice('');
    const valid = Object.keys(REGISTER_RULES).map(checkRegister).every(Boolean);
    if (!valid) {
      form.querySelector('[aria-invalid="true"]')?.focus();
      return;
    }
    const v = (name) => registerField(name).value.trim();
    const body = { procNo: v('procNo'), procTitle: v('procTitle') };
    if (v('procAgency')) body.procAgency = v('procAgency');
    if (v('procContents')) body.procContents = v('procContents');
    if (v('procPrice')) body.procPrice = Number(v('procPrice').replace(/[,\s]/g, ''));
    if (v('procQty')) body.procQty = Number(v('procQty'));
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      await call('POST', '/deliveryrequests', body);
      form.reset();
      toast(t('registered', { procNo: body.procNo }));
    } catch (e) {
      const fields = e instanceof ApiError ? e.fieldErrors : {};
      for (const [field, message] of Object.entries(fields)) setRegisterError(field, message);
      if (e instanceof ApiError && e.status === 409 && !fields.procNo) setRegisterError('procNo', describe(e));
      notice(describe(e));
    } finally {
      button.disabled = false;
    }
  });
}

// ---------------------------------------------------------------------------------------------- start

function relabel() {
  translate();
  $('#lang').textContent = lang() === 'ko' ? 'English' : '한국어';
  $('#lang').lang = lang() === 'ko' ? 'en' : 'ko';
  $('#lang').setAttribute('aria-label', lang() === 'ko' ? 'Switch to English' : '한국어로 보기');
  document.title = t('appTitle');
  renderWho();
  renderDemo();
  if (state.user) {
    renderRows();
    if (state.detail) renderDetail(true);
    const badgeEl = $('#stream-state');
    if (badgeEl.dataset.state) badgeEl.textContent = t(`stream.${badgeEl.dataset.state}`);
  }
}

function start() {
  setUnauthorizedHandler(() => signOut(t('e.401')));
  relabel();
  $('#lang').addEventListener('click', () => {
    setLang(lang() === 'ko' ? 'en' : 'ko');
    relabel();
  });
  $('#token-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('#token-error').textContent = '';
    const value = $('#token').value;
    if (!value.trim()) {
      $('#token-error').textContent = t('v.required');
      $('#token').setAttribute('aria-invalid', 'true');
      $('#token').focus();
      return;
    }
    try {
      $('#token').removeAttribute('aria-invalid');
      await signIn(value);
    } catch (e) {
      $('#token').setAttribute('aria-invalid', 'true');
      $('#token-error').textContent = e.message;
      $('#token').focus();
    }
  });
  $('#sign-out').addEventListener('click', () => signOut());
  $('#filters').addEventListener('submit', (event) => {
    event.preventDefault();
    state.filters = {
      procNo: $('#q-procNo').value.trim(),
      companyNo: $('#q-companyNo').value.trim(),
      status: STATUSES.includes($('#q-status').value) ? $('#q-status').value : '',
    };
    state.page = 0;
    loadPage();
  });
  $('#filters').addEventListener('reset', () => {
    state.filters = { procNo: '', companyNo: '', status: '' };
    state.page = 0;
    setTimeout(loadPage, 0);
  });
  $('#prev').addEventListener('click', () => { state.page = Math.max(0, state.page - 1); loadPage(); });
  $('#next').addEventListener('click', () => { state.page += 1; loadPage(); });
  $('#detail-close').addEventListener('click', () => {
    const id = state.detail?.id;
    state.detail = null;
    $('#detail').hidden = true;
    renderRows();
    $(`#rows tr[data-id="${CSS.escape(String(id))}"] button`)?.focus();
  });
  setUpRegister();
  probeDemo();
  const saved = sessionStorage.getItem('console.token');
  if (saved) {
    signIn(saved, { restoring: true }).catch(() => sessionStorage.removeItem('console.token'));
  }
  document.body.dataset.ready = 'true';
}

start();
