// Korean first, English as the switch. Keys missing in English fall back to Korean.
const ko = {
  skip: '본문으로 건너뛰기',
  appTitle: '조달 납품 콘솔',
  signOut: '로그아웃',
  signInTitle: '로그인',
  tokenLabel: '액세스 토큰 (JWT)',
  tokenHelp: '발급받은 Bearer 토큰을 붙여넣으세요.',
  signIn: '로그인',
  demoTitle: '데모 사용자 (로컬 환경)',
  registerTitle: '조달요청 등록',
  procNo: '조달번호',
  procTitle: '조달명',
  procAgency: '수요기관',
  procPrice: '금액 (원)',
  procQty: '수량',
  procContents: '내용',
  required: '필수',
  register: '등록',
  boardTitle: '납품현황조회',
  companyNo: '업체번호',
  companyNm: '업체명',
  company: '업체',
  status: '상태',
  all: '전체',
  search: '조회',
  clear: '초기화',
  updatedAt: '변경일시',
  empty: '조회된 건이 없습니다.',
  prev: '이전',
  next: '다음',
  pages: '페이지',
  close: '닫기',
  history: '진행 이력',
  inspection: '검사 결과',
  pass: '합격',
  fail: '불합격',
  'st.POSTED': '요청접수',
  'st.DELIVERY_REQUESTED': '납품요구',
  'st.INSPECTION_REQUESTED': '검사요청',
  'st.INSPECTED': '검사완료',
  'st.CANCELED': '취소',
  'role.agency': '수요기관 담당자',
  'role.pps': '조달청 담당자',
  'role.supplier': '조달업체 담당자',
  'role.viewer': '조회자',
  'role.admin': '관리자',
  pageInfo: '{page} / {pages} 페이지 (총 {total}건)',
  rowsCaption: '납품현황 목록, {total}건',
  'stream.on': '실시간',
  'stream.off': '연결 끊김 · 재연결 중',
  'stream.connecting': '연결 중',
  liveChange: '{procNo}: {status}(으)로 변경되었습니다.',
  liveReset: '목록을 새로 고쳤습니다.',
  // actions
  orderTitle: '납품요구 (조달청)',
  orderSubmit: '납품요구서 발행',
  inspectTitle: '검사요청 (조달업체)',
  companyPhoneNo: '연락처',
  inspectionContents: '검사 내용',
  inspectSubmit: '검사요청 등록',
  resultTitle: '검사결과 등록 (수요기관)',
  resultSubmit: '검사결과 등록',
  cancelTitle: '요청 취소 (수요기관)',
  cancelSubmit: '조달요청 취소',
  cancelConfirm: '{procNo} 조달요청을 취소할까요? 납품요구와 검사요청도 모두 취소됩니다.',
  noActions: '지금 이 사용자가 할 수 있는 작업이 없습니다.',
  // results
  signedIn: '{name}(으)로 로그인했습니다.',
  signedOut: '로그아웃했습니다.',
  registered: '{procNo} 조달요청을 등록했습니다. 현황판에 곧 나타납니다.',
  ordered: '{procNo} 납품요구서를 발행했습니다.',
  inspectionRequested: '{procNo} 검사요청을 등록했습니다.',
  resultRecorded: '{procNo} 검사결과를 등록했습니다.',
  canceled: '{procNo} 조달요청을 취소했습니다.',
  // validation
  'v.required': '필수 입력입니다.',
  'v.procNo': '영문, 숫자, _ 또는 - 로 1~50자여야 합니다.',
  'v.max': '{max}자 이하로 입력하세요.',
  'v.price': '0 이상의 정수(원)를 입력하세요.',
  'v.qty': '0보다 큰 수를 입력하세요.',
  'v.phone': '전화번호 형식이 아닙니다 (예: 010-1234-5678).',
  'v.company': '영문, 숫자, _ 또는 - 로 1~50자여야 합니다.',
  'v.choose': '하나를 선택하세요.',
  'v.fix': '입력값을 확인하세요.',
  // errors
  'e.network': '서버에 연결할 수 없습니다. 네트워크를 확인하고 다시 시도하세요.',
  'e.401': '로그인이 필요하거나 토큰이 만료되었습니다. 다시 로그인하세요.',
  'e.403': '이 작업을 할 권한이 없습니다.',
  'e.404': '대상을 찾을 수 없습니다. 아직 처리 중이면 잠시 후 다시 시도하세요.',
  'e.409': '요청이 현재 상태와 충돌합니다.',
  'e.429': '요청이 너무 많습니다.',
  'e.503': '서비스를 일시적으로 사용할 수 없습니다.',
  'e.5xx': '서버 오류가 발생했습니다.',
  'e.retryAt': '{seconds}초 후({time}) 다시 시도하세요.',
  'e.tokenFormat': '토큰 형식이 올바르지 않습니다 (header.payload.signature).',
  'e.tokenExpired': '만료된 토큰입니다.',
  'e.tokenRejected': '게이트웨이가 토큰을 거부했습니다.',
  errorTitle: '오류',
};

const en = {
  skip: 'Skip to content',
  appTitle: 'Procurement delivery console',
  signOut: 'Sign out',
  signInTitle: 'Sign in',
  tokenLabel: 'Access token (JWT)',
  tokenHelp: 'Paste the bearer token you were given.',
  signIn: 'Sign in',
  demoTitle: 'Demo users (local stack)',
  registerTitle: 'Register a procurement request',
  procNo: 'Procurement no.',
  procTitle: 'Title',
  procAgency: 'Agency',
  procPrice: 'Price (KRW)',
  procQty: 'Quantity',
  procContents: 'Contents',
  required: 'required',
  register: 'Register',
  boardTitle: 'Delivery status board',
  companyNo: 'Company no.',
  companyNm: 'Company name',
  company: 'Company',
  status: 'Status',
  all: 'All',
  search: 'Search',
  clear: 'Clear',
  updatedAt: 'Updated',
  empty: 'Nothing found.',
  prev: 'Previous',
  next: 'Next',
  pages: 'Pages',
  close: 'Close',
  history: 'History',
  inspection: 'Inspection result',
  pass: 'Passed',
  fail: 'Failed',
  'st.POSTED': 'Posted',
  'st.DELIVERY_REQUESTED': 'Delivery ordered',
  'st.INSPECTION_REQUESTED': 'Inspection requested',
  'st.INSPECTED': 'Inspected',
  'st.CANCELED': 'Canceled',
  'role.agency': 'Agency officer',
  'role.pps': 'Procurement officer',
  'role.supplier': 'Supplier officer',
  'role.viewer': 'Viewer',
  'role.admin': 'Administrator',
  pageInfo: 'Page {page} of {pages} ({total} in all)',
  rowsCaption: 'Deliveries, {total} in all',
  'stream.on': 'Live',
  'stream.off': 'Disconnected · reconnecting',
  'stream.connecting': 'Connecting',
  liveChange: '{procNo} is now {status}.',
  liveReset: 'The list was reloaded.',
  orderTitle: 'Delivery order (procurement officer)',
  orderSubmit: 'Issue delivery order',
  inspectTitle: 'Inspection request (supplier)',
  companyPhoneNo: 'Contact phone',
  inspectionContents: 'Inspection notes',
  inspectSubmit: 'Request inspection',
  resultTitle: 'Inspection result (agency)',
  resultSubmit: 'Record result',
  cancelTitle: 'Cancel the request (agency)',
  cancelSubmit: 'Cancel request',
  cancelConfirm: 'Cancel {procNo}? Its delivery order and inspection request are cancelled too.',
  noActions: 'Nothing this user can do here right now.',
  signedIn: 'Signed in as {name}.',
  signedOut: 'Signed out.',
  registered: 'Registered {procNo}. It appears on the board shortly.',
  ordered: 'Issued the delivery order for {procNo}.',
  inspectionRequested: 'Requested inspection for {procNo}.',
  resultRecorded: 'Recorded the inspection result for {procNo}.',
  canceled: 'Cancelled {procNo}.',
  'v.required': 'Required.',
  'v.procNo': 'Use 1 to 50 letters, digits, _ or -.',
  'v.max': 'At most {max} characters.',
  'v.price': 'A whole number of won, 0 or more.',
  'v.qty': 'A number greater than 0.',
  'v.phone': 'Not a phone number (e.g. 010-1234-5678).',
  'v.company': 'Use 1 to 50 letters, digits, _ or -.',
  'v.choose': 'Choose one.',
  'v.fix': 'Please check the fields.',
  'e.network': 'Cannot reach the server. Check the network and try again.',
  'e.401': 'Please sign in again: no token, or it has expired.',
  'e.403': 'You are not allowed to do this.',
  'e.404': 'Not found. If it is still being processed, try again in a moment.',
  'e.409': 'The request conflicts with the current state.',
  'e.429': 'Too many requests.',
  'e.503': 'The service is temporarily unavailable.',
  'e.5xx': 'The server had a problem.',
  'e.retryAt': 'Try again in {seconds} s (at {time}).',
  'e.tokenFormat': 'That is not a token (header.payload.signature).',
  'e.tokenExpired': 'That token has expired.',
  'e.tokenRejected': 'The gateway refused that token.',
  errorTitle: 'Error',
};

const dictionaries = { ko, en };
let current = sessionStorage.getItem('console.lang') === 'en' ? 'en' : 'ko';

export function lang() {
  return current;
}

export function setLang(value) {
  current = value === 'en' ? 'en' : 'ko';
  sessionStorage.setItem('console.lang', current);
}

/** The text for key, with {name} placeholders filled from params. */
export function t(key, params = {}) {
  const text = dictionaries[current][key] ?? ko[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

/** The user's locale for dates and numbers, in the chosen language. */
export function locale() {
  const preferred = navigator.languages?.find((l) => l.toLowerCase().startsWith(current)) ?? null;
  return preferred ?? (current === 'ko' ? 'ko-KR' : 'en');
}

export function formatDate(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'medium' }).format(d);
}

export function formatTime(date) {
  return new Intl.DateTimeFormat(locale(), { timeStyle: 'medium' }).format(date);
}

/** Fills every element marked data-i18n (text), data-i18n-title and data-i18n-aria under root. */
export function translate(root = document) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
}
