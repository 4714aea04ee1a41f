// Open-model load: registrations arrive at a rate that ramps up regardless of how fast the system answers (unlike
// wrk/siege, a slow system does not slow the load down), to find where p99 and errors give way.
//   k6 run -e BASE=http://localhost:8082 bench/k6/ramping-arrival-rate.js
//   k6 run -e BASE=http://localhost:8088 -e TOKEN=$AGENCY_TOKEN -e PEAK=6000 bench/k6/ramping-arrival-rate.js
//   k6 run -e RATE=1000 -e STEADY=60s bench/k6/ramping-arrival-rate.js     # a constant 1,000/s (scenario 4's background)
import { check } from 'k6';
import { BASE, procNo, register } from './lib.js';

const peak = Number(__ENV.PEAK || 8000);
const steady = Number(__ENV.RATE || 0);

export const options = {
  scenarios: {
    arrivals: steady > 0
      ? { executor: 'constant-arrival-rate', rate: steady, timeUnit: '1s', duration: __ENV.STEADY || '60s',
          preAllocatedVUs: 50, maxVUs: 500 }
      : { executor: 'ramping-arrival-rate', startRate: 500, timeUnit: '1s', preAllocatedVUs: 200, maxVUs: 2000,
          stages: [
            { target: Math.round(peak / 4), duration: '15s' },
            { target: Math.round(peak / 2), duration: '15s' },
            { target: peak, duration: '30s' },
            { target: peak, duration: '30s' },
            { target: 0, duration: '10s' },
          ] },
  },
  thresholds: {
    http_req_failed: ['rate<0.001'],
    http_req_duration: ['p(99)<50'],
    dropped_iterations: ['count<100'],
  },
};

export default function () {
  check(register(BASE, procNo('k6ra')), { '201': (r) => r.status === 201 });
}
