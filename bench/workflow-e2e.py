#!/usr/bin/env python3
"""End-to-end time of full workflows on a running stack (direct service ports).

One workflow: register (request) -> wait for management -> delivery order -> wait for goods delivery ->
inspection request -> wait for the inspection view -> inspection result (synchronous to management).
Prints per-step and total median/p95 over N sequential workflows. Uses only the standard library.

    python3 bench/workflow-e2e.py [N]      # default 20; the local stack must be running
"""
import json, statistics, sys, time, urllib.request, uuid

REQ, MGMT, DEL = "http://localhost:8082", "http://localhost:8081", "http://localhost:8083"


def call(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def wait_status(url, status, timeout=30):
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        code, body = call("GET", url)
        if code == 200 and body.get("status") == status:
            return
        time.sleep(0.002)
    raise SystemExit(f"timed out waiting for {url} to be {status}")


def workflow():
    proc_no = "e2e-" + uuid.uuid4().hex[:12]
    marks = {}
    t0 = time.perf_counter()
    code, body = call("POST", f"{REQ}/deliveryrequests", {"procNo": proc_no, "procTitle": "사무용 의자"})
    assert code == 201, body
    rid = body["id"]
    wait_status(f"{MGMT}/deliverymanagements/{rid}", "POSTED"); marks["posted→management"] = time.perf_counter()
    code, _ = call("PATCH", f"{MGMT}/deliverymanagements/{rid}", {"procNo": proc_no, "companyNo": "c01", "companyNm": "레드불"})
    assert code == 200
    wait_status(f"{DEL}/goodsdeliveries/{rid}", "DELIVERY_REQUESTED"); marks["order→delivery"] = time.perf_counter()
    code, _ = call("PATCH", f"{DEL}/goodsdeliveries/{rid}", {"procNo": proc_no, "companyPhoneNo": "010-1234-1234"})
    assert code == 200
    wait_status(f"{REQ}/inspectionResults/{rid}", "INSPECTION_REQUESTED"); marks["inspection→request"] = time.perf_counter()
    code, body = call("PATCH", f"{REQ}/inspectionResults/{rid}", {"procNo": proc_no, "inspectionSuccFlag": True})
    assert code == 200, body
    marks["result (sync)"] = time.perf_counter()
    steps, prev = {}, t0
    for name, t in marks.items():
        steps[name] = (t - prev) * 1000
        prev = t
    steps["total"] = (prev - t0) * 1000
    return steps


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    runs = [workflow() for _ in range(n)]
    print(f"{n} full workflows, sequential, direct ports (ms)")
    print(f"{'step':<22}{'median':>10}{'p95':>10}{'max':>10}")
    for step in runs[0]:
        values = sorted(r[step] for r in runs)
        p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
        print(f"{step:<22}{statistics.median(values):>10.1f}{p95:>10.1f}{values[-1]:>10.1f}")


if __name__ == "__main__":
    main()
