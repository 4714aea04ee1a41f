// Scenario 5: full workflows (register, delivery order, inspection request, inspection result) through the gateway.
//   source .data/tokens.env
//   k6 run -e AGENCY=$AGENCY_TOKEN -e PPS=$PPS_TOKEN -e SUPPLIER=$SUPPLIER_C01_TOKEN -e VIEWER=$VIEWER_TOKEN bench/k6/workflow.js
import http from 'k6/http';
import { check } from 'k6';
import { Counter, Trend } from 'k6/metrics';
import { BASE, headers, procNo, register, waitFor } from './lib.js';

const completed = new Counter('workflows_completed');
const total = new Trend('workflow_ms', true);

export const options = {
  vus: Number(__ENV.VUS || 16),
  duration: __ENV.DURATION || '20s',
};

export default function () {
  const t0 = Date.now();
  const no = procNo('k6wf');
  const created = register(BASE, no, __ENV.AGENCY);
  if (!check(created, { 'registered': (r) => r.status === 201 })) return;
  const id = created.json('id');
  if (waitFor(`${BASE}/deliverymanagements/${id}`, 'POSTED', __ENV.VIEWER) < 0) return;
  const order = http.patch(`${BASE}/deliverymanagements/${id}`,
    JSON.stringify({ procNo: no, companyNo: 'c01', companyNm: '레드불' }), { headers: headers(__ENV.PPS) });
  if (!check(order, { 'ordered': (r) => r.status === 200 })) return;
  if (waitFor(`${BASE}/goodsdeliveries/${id}`, 'DELIVERY_REQUESTED', __ENV.SUPPLIER) < 0) return;
  const inspection = http.patch(`${BASE}/goodsdeliveries/${id}`,
    JSON.stringify({ procNo: no, companyPhoneNo: '010-1234-1234', inspectionContents: '납품 완료' }),
    { headers: headers(__ENV.SUPPLIER) });
  if (!check(inspection, { 'inspection requested': (r) => r.status === 200 })) return;
  if (waitFor(`${BASE}/inspectionResults/${id}`, 'INSPECTION_REQUESTED', __ENV.AGENCY) < 0) return;
  const result = http.patch(`${BASE}/inspectionResults/${id}`,
    JSON.stringify({ procNo: no, inspectionSuccFlag: true }), { headers: headers(__ENV.AGENCY) });
  if (check(result, { 'result recorded': (r) => r.status === 200 })) {
    completed.add(1);
    total.add(Date.now() - t0);
  }
}
