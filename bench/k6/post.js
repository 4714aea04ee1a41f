// Scenarios 1 and 2: POST /deliveryrequests with 100 VUs for 20 s, direct or through the gateway.
//   k6 run -e BASE=http://localhost:8082 bench/k6/post.js                              # 1: request-svc
//   k6 run -e BASE=http://localhost:8088 -e TOKEN=$AGENCY_TOKEN bench/k6/post.js        # 2: the gateway
import { check } from 'k6';
import { BASE, procNo, register } from './lib.js';

export const options = {
  vus: Number(__ENV.VUS || 100),
  duration: __ENV.DURATION || '20s',
  thresholds: {
    http_req_failed: ['rate==0'],
    http_req_duration: ['p(99)<50'],
    http_reqs: ['rate>=5000'],
  },
};

export default function () {
  const r = register(BASE, procNo('k6'));
  check(r, { '201': (res) => res.status === 201 });
}
