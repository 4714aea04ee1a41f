// Scenario 3: GET /deliveryStatusInquiries?size=20 through the gateway (load 10,000+ documents first, e.g. with post.js).
//   k6 run -e TOKEN=$VIEWER_TOKEN bench/k6/get-status.js
import http from 'k6/http';
import { check } from 'k6';
import { BASE, headers } from './lib.js';

export const options = {
  vus: Number(__ENV.VUS || 50),
  duration: __ENV.DURATION || '20s',
  thresholds: {
    http_req_failed: ['rate==0'],
    http_req_duration: ['p(99)<20'],
    http_reqs: ['rate>=10000'],
  },
};

export default function () {
  const r = http.get(`${BASE}/deliveryStatusInquiries?size=20`, { headers: headers() });
  check(r, { '200': (res) => res.status === 200 });
}
