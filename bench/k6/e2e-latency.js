// Scenario 4: time from sending the POST to the document being visible in the status view, 200 samples by one VU.
// Direct ports by default (request-svc, status-view); run it alone (quiet) and beside ramping-arrival-rate.js with
// RATE=1000 (under load).
//   k6 run bench/k6/e2e-latency.js
import { Trend } from 'k6/metrics';
import { procNo, register, waitFor } from './lib.js';

const REQUEST = __ENV.REQUEST || 'http://localhost:8082';
const STATUS = __ENV.STATUS || 'http://localhost:8084';
const e2e = new Trend('e2e_visible_ms', true);

export const options = {
  scenarios: { samples: { executor: 'shared-iterations', vus: 1, iterations: Number(__ENV.SAMPLES || 200) } },
  thresholds: { e2e_visible_ms: ['med<10', 'p(95)<25'] },
};

export default function () {
  const no = procNo('k6e2e');
  const t0 = Date.now();
  const r = register(REQUEST, no);
  if (r.status !== 201) {
    throw new Error(`POST answered ${r.status}`);
  }
  if (waitFor(`${STATUS}/deliveryStatusInquiries/search/findByProcNo?procNo=${no}`, 'found') < 0) {
    throw new Error(`${no} never became visible`);
  }
  e2e.add(Date.now() - t0);
}
