#!/usr/bin/env python3
"""The performance benchmark of issue 7; run it through bench/run.sh (see bench/README.md).

Standard library only. Needs wrk on the PATH and a JDK (for the local stack); builds nothing.
"""
import argparse
import datetime
import http.client
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(REPO, "bench")
MODULES = ["management-svc", "request-svc", "delivery-svc", "status-view", "notification-svc", "gateway-svc"]
PORTS = {"management-svc": 8081, "request-svc": 8082, "delivery-svc": 8083, "status-view": 8084,
         "notification-svc": 8085, "gateway-svc": 8088}
NCPU = os.cpu_count() or 1


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------- helpers

def http_json(method, url, body=None, headers=None, timeout=10):
    data = None if body is None else json.dumps(body).encode()
    h = {"Content-Type": "application/json"}
    h.update(headers or {})
    req = urllib.request.Request(url, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw else {})
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw) if raw else {}
        except ValueError:
            return e.code, {}
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, {}


def total_elements(url):
    code, body = http_json("GET", url, timeout=30)
    if code != 200:
        return None
    return body.get("page", {}).get("totalElements")


def cpu_times():
    """(busy, total) jiffies of the whole machine."""
    with open("/proc/stat") as f:
        parts = [int(x) for x in f.readline().split()[1:]]
    idle = parts[3] + parts[4]
    return sum(parts) - idle, sum(parts)


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def median(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 2) if values else None


def percentile(values, p):
    s = sorted(values)
    if not s:
        return None
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


# ---------------------------------------------------------------------------------------------------- the stack

class Stack:
    def __init__(self, args):
        self.args = args
        self.offset = args.port_offset
        self.proc = None
        self.tmp = None
        self.data = args.data
        self.startup = {}
        self.ready_s = None
        self.log_path = None

    def url(self, module):
        return f"http://127.0.0.1:{PORTS[module] + self.offset}"

    def admin(self):
        return f"http://127.0.0.1:{8099 + self.offset}"

    def start(self):
        self.tmp = tempfile.mkdtemp(prefix="procurement-bench-")
        root = os.path.join(self.tmp, "root")
        # a copy of the JARs: rebuilding a module while the bench runs must not break the running service
        overrides = dict(j.split("=", 1) for j in self.args.jar)
        for module in MODULES + ["local-stack"]:
            src = overrides.get(module) or os.path.join(REPO, module, "target", module + ".jar")
            if os.path.exists(src):
                os.makedirs(os.path.join(root, module, "target"))
                shutil.copy2(src, os.path.join(root, module, "target", module + ".jar"))
            elif module == "local-stack":
                sys.exit("local-stack/target/local-stack.jar is missing: build first (./mvnw -B -q -DskipTests package)")
        self.data = os.path.join(self.tmp, "data")
        env = dict(os.environ)
        # one token hammers the gateway: lift its per-caller rate limit for the bench
        env.setdefault("RATE_LIMIT_PER_SECOND", "100000000")
        env.setdefault("RATE_LIMIT_BURST", "100000000")
        # no per-request INFO line from the gateway (each one also passes through the launcher's output relay);
        # ACCESS_LOG=true bench/run.sh measures with it
        env.setdefault("ACCESS_LOG", "false")
        cmd = ["java", "-jar", os.path.join(root, "local-stack", "target", "local-stack.jar"),
               "--data", self.data, "--root", root]
        if self.offset:
            cmd += ["--port-offset", str(self.offset)]
        self.log_path = os.path.join(self.tmp, "stack.log")
        log(f"starting the local stack in {self.tmp} (log {self.log_path})")
        t0 = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdout=open(self.log_path, "wb"), stderr=subprocess.STDOUT,
                                     cwd=self.tmp, env=env, start_new_session=True)
        deadline = t0 + 240
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"the local stack exited with {self.proc.returncode}; see {self.log_path}")
            with open(self.log_path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
            if re.search(r"^READY ", text, re.M):
                self.ready_s = round(time.monotonic() - t0, 2)
                break
            time.sleep(0.2)
        else:
            sys.exit(f"the local stack was not READY within 240 s; see {self.log_path}")
        for m in re.finditer(r"\[\s*([\w-]+)\s*\].*?\b([\w-]+) started in (\d+) ms", text):
            self.startup[m.group(2)] = int(m.group(3))
        log(f"READY after {self.ready_s} s; services started in (ms): {self.startup}")

    def attach(self):
        for module in MODULES:
            code, _ = http_json("GET", self.url(module) + "/health/ready")
            if code != 200:
                log(f"{module} is not ready on {self.url(module)} (answer {code}); its scenarios may fail")
        # start-up times of an attached stack: measured by restarting nothing, so unknown
        self.startup = {}

    def tokens(self):
        path = os.path.join(self.data, "tokens.env")
        tokens = {}
        deadline = time.monotonic() + 15
        while not os.path.exists(path) and time.monotonic() < deadline:  # written just after READY
            time.sleep(0.2)
        try:
            with open(path) as f:
                for line in f:
                    if "=" in line:
                        k, v = line.strip().split("=", 1)
                        tokens[k.replace("export ", "")] = v.strip("'\"")
        except OSError:
            log(f"no {path}: gateway scenarios are skipped")
        return tokens

    def pids(self):
        """name -> pid of every process the admin endpoint lists, plus the launcher itself."""
        result = {}
        code, body = http_json("GET", self.admin() + "/services")

        def walk(node, name=None):
            if isinstance(node, dict):
                n = node.get("name", name)
                pid = node.get("pid")
                if isinstance(pid, int) and pid > 0 and n:
                    key = n if n not in result else f"{n}#{len([k for k in result if k.startswith(n)])}"
                    result[key] = pid
                for v in node.values():
                    if isinstance(v, (list, dict)):
                        walk(v, n)
            elif isinstance(node, list):
                for v in node:
                    walk(v, name)

        if code == 200:
            walk(body)
        # kafka and mongo run inside the launcher: list that process once, under its own name
        launcher = {pid for name, pid in result.items() if name in ("kafka", "mongo")}
        if self.proc is not None:
            launcher.add(self.proc.pid)
        result = {k: v for k, v in result.items() if v not in launcher}
        for pid in launcher:
            result["local-stack (kafka, mongo)"] = pid
        return result

    def startup_alone(self):
        """Each service restarted on its own (admin endpoint) on the idle stack: its `started in` (JVM start to
        ready), without five other JVMs starting beside it. The restart's graceful stop also records the service's
        class-data archive, so the new start is the one every later start of this build gets."""
        out = {}
        if not self.log_path:
            return out
        for module in MODULES:
            offset = os.path.getsize(self.log_path)
            req = urllib.request.Request(f"{self.admin()}/services/{module}/restart", data=b"", method="POST",
                                         headers={"X-Local-Stack": "1"})
            try:
                urllib.request.urlopen(req, timeout=120).read()
            except (urllib.error.URLError, OSError) as e:
                log(f"restart of {module} failed: {e!r}")
                continue
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with open(self.log_path, "rb") as f:
                    f.seek(offset)
                    text = f.read().decode("utf-8", "replace")
                m = re.search(r"\b" + re.escape(module) + r" started in (\d+) ms", text)
                if m:
                    out[module] = int(m.group(1))
                    break
                time.sleep(0.2)
            time.sleep(1)
        return out

    def rss(self):
        out = {}
        for name, pid in self.pids().items():
            if name == "postgres":
                out["postgres (all backends)"] = postgres_rss(pid)
            else:
                out[name] = rss_mib(pid)
        return out

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        log("stopping the local stack")
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        if not self.args.keep and self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)


def cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def children(pid):
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return out


def process_cpu(stack):
    """name -> CPU seconds used so far (postgres: the postmaster and its current backends)."""
    out = {}
    for name, pid in stack.pids().items():
        if name == "postgres":
            out[name] = sum(c for c in [cpu_seconds(pid)] + [cpu_seconds(k) for k in children(pid)] if c)
        else:
            out[name] = cpu_seconds(pid)
    return out


def postgres_rss(pid):
    """The postmaster and its children (Pss would be fairer for shared buffers; RSS over-counts them)."""
    total = rss_mib(pid) or 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                total += rss_mib(int(entry)) or 0
    return round(total, 1)


# ---------------------------------------------------------------------------------------------------- wrk

def wrk(url, seconds, connections, threads, script, headers=(), script_args=()):
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s",
           "-s", os.path.join(BENCH, "wrk", script)]
    for h in headers:
        cmd += ["-H", h]
    cmd.append(url)
    if script_args:
        cmd += ["--"] + [str(a) for a in script_args]
    busy0, total0 = cpu_times()
    cpu0 = children_cpu()
    t0 = time.monotonic()
    out = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.monotonic() - t0
    cpu = children_cpu() - cpu0
    busy1, total1 = cpu_times()
    m = re.search(r"^JSON (\{.*\})$", out.stdout, re.M)
    if not m:
        raise RuntimeError(f"wrk failed: {out.stdout}\n{out.stderr}")
    result = json.loads(m.group(1))
    result["wrk_cpu_pct_of_machine"] = round(100 * cpu / (elapsed * NCPU), 1)
    result["machine_busy_pct"] = round(100 * (busy1 - busy0) / max(1, total1 - total0), 1)
    result["ended_at"] = time.monotonic()
    return result


def consumed(stack, module):
    """events applied + skipped + dead-lettered by a service's consumer, from its /metrics (None if unreadable)."""
    try:
        with urllib.request.urlopen(stack.url(module) + "/metrics", timeout=10) as r:
            text = r.read().decode()
    except (OSError, ValueError):
        return None
    total = 0.0
    for line in text.splitlines():
        if re.match(r"events_(applied|skipped|dead_lettered)_total\b", line):
            total += float(line.rsplit(" ", 1)[1])
    return total


def catch_up(stack, target, timeout=60, quiet_s=1.0):
    """When management held `target` requests and when the status view's consumer stopped moving (monotonic times).

    management is counted in PostgreSQL; the status view is not counted (a count over the embedded MongoDB-wire
    server scans every document), its consumer's counters are watched instead: caught up = the last time they
    moved, once they stood still for `quiet_s`.
    """
    t0 = time.monotonic()
    done = {}
    last_value, last_change = consumed(stack, "status-view"), t0
    while time.monotonic() - t0 < timeout:
        if "management-svc" not in done:
            n = total_elements(stack.url("management-svc") + "/deliverymanagements?size=1")
            if n is not None and n >= target:
                done["management-svc"] = time.monotonic()
        value = consumed(stack, "status-view")
        now = time.monotonic()
        if value != last_value:
            last_value, last_change = value, now
        elif "management-svc" in done and now - last_change >= quiet_s:
            done["status-view"] = last_change
            break
        time.sleep(0.05)
    if len(done) < 2:
        return None, {"management-svc": done.get("management-svc"), "status-view": None}
    return max(done.values()), done


def post_scenario(stack, name, url, headers, args, runs):
    results = []
    for i in range(runs):
        cpu0 = process_cpu(stack)
        result = wrk(url, args.duration, args.connections, args.threads, "post-deliveryrequests.lua", headers)
        ended = result.pop("ended_at")
        cpu1 = process_cpu(stack)
        # CPU per request of each process: much steadier than requests/s on a machine shared with others
        result["cpu_ms_per_request"] = {k: round(1000 * (cpu1[k] - cpu0[k]) / max(1, result["requests"]), 3)
                                        for k in cpu1 if cpu0.get(k) is not None and cpu1[k] is not None}
        target = total_elements(stack.url("request-svc") + "/deliveryrequests?size=1")
        last, per = catch_up(stack, target)
        result["caught_up_s"] = None if last is None else round(max(0.0, last - ended), 2)
        result["caught_up_per_view_s"] = {k: (None if v is None else round(max(0.0, v - ended), 2))
                                          for k, v in per.items()}
        result["load"] = loadavg()
        log(f"{name} run {i + 1}: {result}")
        results.append(result)
        time.sleep(2)
    return {"median": summarize(results), "runs": results}


def summarize(results, keys=("rps", "p50_ms", "p90_ms", "p99_ms", "non2xx", "socket_errors", "caught_up_s",
                             "wrk_cpu_pct_of_machine", "machine_busy_pct")):
    return {k: median([r.get(k) for r in results]) for k in keys if any(k in r for r in results)}


# ---------------------------------------------------------------------------------------------------- scenario 4

def host_port(base):
    """("localhost", 8082) from "http://localhost:8082"."""
    host, port = base.split("//", 1)[1].split(":")
    return host, int(port)


class Client:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, base):
        self.conn = http.client.HTTPConnection(*host_port(base), timeout=10)

    def call(self, method, path, body=None, headers=None):
        h = {"Content-Type": "application/json"} if body is not None else {}
        h.update(headers or {})
        self.conn.request(method, path, body=None if body is None else json.dumps(body).encode(), headers=h)
        r = self.conn.getresponse()
        raw = r.read()
        return r.status, raw


class Stream:
    """The status view's Server-Sent Events stream, read on a thread: when each procNo first appeared on it."""

    def __init__(self, base):
        self.sock = socket.create_connection(host_port(base), timeout=None)
        self.sock.sendall(b"GET /deliveryStatusInquiries/stream HTTP/1.1\r\nHost: bench\r\n"
                          b"Accept: text/event-stream\r\n\r\n")
        self.seen = {}
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    PROC_NO = re.compile(rb'"procNo":"([^"]+)"')

    def _read(self):
        rest = b""
        try:
            while True:
                data = self.sock.recv(262144)
                if not data:
                    return
                now = time.perf_counter()
                # Under load the stream carries every change: split each read once and take procNo by pattern,
                # so this reader keeps up on a busy machine.
                *events, rest = (rest + data).split(b"\n\n")
                found = [m.group(1).decode() for e in events for m in self.PROC_NO.finditer(e)]
                if found:
                    with self.cond:
                        for proc_no in found:
                            self.seen.setdefault(proc_no, now)
                        self.cond.notify_all()
        except OSError:
            return

    def wait_for(self, proc_no, deadline):
        with self.cond:
            while proc_no not in self.seen:
                left = deadline - time.perf_counter()
                if left <= 0:
                    return None
                self.cond.wait(left)
            return self.seen[proc_no]

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def e2e_latency(stack, samples, via):
    """POST, then wait until the document is visible: by polling findByProcNo (via="poll"), or on the status view's
    stream (via="stream"), which it publishes once the document is written, with no polling load in between."""
    post = Client(stack.url("request-svc"))
    poll = Client(stack.url("status-view"))
    stream = Stream(stack.url("status-view")) if via == "stream" else None
    times = []
    run = uuid.uuid4().hex[:8]
    try:
        if stream:
            time.sleep(0.5)  # connected and past the stream's first bytes
        for i in range(samples):
            proc_no = f"e2e-{run}-{i}"
            t0 = time.perf_counter()
            code, raw = post.call("POST", "/deliveryrequests", {"procNo": proc_no, "procTitle": "사무용 의자",
                                                                 "procAgency": "서울시청", "procPrice": 1200000,
                                                                 "procQty": 12})
            if code != 201:
                raise RuntimeError(f"POST answered {code}: {raw[:200]}")
            deadline = t0 + 30
            if stream:
                seen = stream.wait_for(proc_no, deadline)
                if seen is None:
                    raise RuntimeError(f"{proc_no} not on the status view's stream after 30 s")
                times.append((seen - t0) * 1000)
            else:
                while True:
                    code, _ = poll.call("GET", f"/deliveryStatusInquiries/search/findByProcNo?procNo={proc_no}")
                    if code == 200:
                        break
                    if time.perf_counter() > deadline:
                        raise RuntimeError(f"{proc_no} not visible in the status view after 30 s")
                    time.sleep(0.0005)
                times.append((time.perf_counter() - t0) * 1000)
            time.sleep(0.01)
    finally:
        if stream:
            stream.close()
    return {"samples": len(times), "p50_ms": round(percentile(times, 50), 2),
            "p95_ms": round(percentile(times, 95), 2), "max_ms": round(max(times), 2)}


def e2e_both(stack, samples):
    return {"stream": e2e_latency(stack, samples, "stream"), "poll": e2e_latency(stack, samples, "poll")}


def scenario4(stack, args):
    args.bg_seconds = max(20, int(args.samples * 0.12) + 10)
    out = {"quiet": e2e_both(stack, args.samples)}
    log(f"scenario 4 quiet: {out['quiet']}")
    # about 1,000 requests/s in the background (wrk with a per-connection delay), for long enough to cover the samples
    bg = {}

    def background():
        bg.update(wrk(stack.url("request-svc"), args.bg_seconds, 20, 2, "post-deliveryrequests.lua",
                      script_args=(args.bg_rate, 20)))

    t = threading.Thread(target=background)
    t.start()
    time.sleep(3)
    try:
        out["under_load"] = e2e_both(stack, args.samples)
    finally:
        t.join()
    bg.pop("ended_at", None)
    out["under_load"]["background"] = bg
    log(f"scenario 4 under load: {out['under_load']}")
    return out


# ---------------------------------------------------------------------------------------------------- scenario 5

def workflows(stack, tokens, seconds, concurrency):
    gw = stack.url("gateway-svc")
    auth = {k: {"Authorization": "Bearer " + tokens[v]} for k, v in
            {"agency": "AGENCY_TOKEN", "pps": "PPS_TOKEN", "c01": "SUPPLIER_C01_TOKEN",
             "viewer": "VIEWER_TOKEN"}.items()}
    stop_at = time.monotonic() + seconds
    done, failed, totals = [0], [0], []
    lock = threading.Lock()
    run = uuid.uuid4().hex[:6]

    def wait(c, path, who, status):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            code, raw = c.call("GET", path, headers=auth[who])
            if code == 200 and json.loads(raw).get("status") == status:
                return
            time.sleep(0.005)
        raise RuntimeError(f"{path} never became {status}")

    def worker(n):
        c = Client(gw)
        i = 0
        while time.monotonic() < stop_at:
            i += 1
            proc_no = f"wf-{run}-{n}-{i}"
            t0 = time.perf_counter()
            try:
                code, raw = c.call("POST", "/deliveryrequests", {"procNo": proc_no, "procTitle": "사무용 의자",
                                                                 "procAgency": "서울시청", "procPrice": 1200000,
                                                                 "procQty": 12}, auth["agency"])
                assert code == 201, (code, raw[:200])
                rid = json.loads(raw)["id"]
                wait(c, f"/deliverymanagements/{rid}", "viewer", "POSTED")
                code, raw = c.call("PATCH", f"/deliverymanagements/{rid}",
                                   {"procNo": proc_no, "companyNo": "c01", "companyNm": "레드불"}, auth["pps"])
                assert code == 200, (code, raw[:200])
                wait(c, f"/goodsdeliveries/{rid}", "c01", "DELIVERY_REQUESTED")
                code, raw = c.call("PATCH", f"/goodsdeliveries/{rid}",
                                   {"procNo": proc_no, "companyPhoneNo": "010-1234-1234",
                                    "inspectionContents": "납품 완료"}, auth["c01"])
                assert code == 200, (code, raw[:200])
                wait(c, f"/inspectionResults/{rid}", "agency", "INSPECTION_REQUESTED")
                code, raw = c.call("PATCH", f"/inspectionResults/{rid}",
                                   {"procNo": proc_no, "inspectionSuccFlag": True}, auth["agency"])
                assert code == 200, (code, raw[:200])
                with lock:
                    done[0] += 1
                    totals.append((time.perf_counter() - t0) * 1000)
            except Exception as e:  # noqa: BLE001 - counted and shown
                with lock:
                    failed[0] += 1
                    if failed[0] <= 3:
                        log(f"workflow failed: {e}")
                c = Client(gw)

    t0 = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    return {"workflows_per_s": round(done[0] / elapsed, 1), "completed": done[0], "failed": failed[0],
            "concurrency": concurrency, "p50_ms": round(percentile(totals, 50), 1) if totals else None,
            "p95_ms": round(percentile(totals, 95), 1) if totals else None}


# ---------------------------------------------------------------------------------------------------- main

def main():
    p = argparse.ArgumentParser(prog="bench/run.sh", description=__doc__)
    p.add_argument("--attach", action="store_true", help="use the running local stack instead of starting one")
    p.add_argument("--data", default=os.path.join(REPO, ".data"), help="data dir of the attached stack (tokens.env)")
    p.add_argument("--port-offset", type=int, default=int(os.environ.get("LOCAL_STACK_PORT_OFFSET", "0")))
    p.add_argument("--runs", type=int, default=3, help="runs of scenarios 1, 2, 3, 5 (medians are reported)")
    p.add_argument("--duration", type=int, default=20, help="seconds of each wrk run")
    p.add_argument("--warmup", type=int, default=60, help="seconds of load before the first scenario (JIT)")
    p.add_argument("--connections", type=int, default=100)
    p.add_argument("--threads", type=int, default=2, help="wrk threads")
    p.add_argument("--get-connections", type=int, default=50, help="connections of scenario 3")
    p.add_argument("--samples", type=int, default=200, help="samples of scenario 4")
    p.add_argument("--bg-rate", type=int, default=1000, help="background requests/s of scenario 4")
    p.add_argument("--workflow-concurrency", type=int, default=16)
    p.add_argument("--scenarios", default="1,2,3,4,5,6")
    p.add_argument("--label", default="", help="a note stored with the results (e.g. the lever being measured)")
    p.add_argument("--jar", action="append", default=[], metavar="MODULE=PATH",
                   help="start this JAR for a module instead of <module>/target/<module>.jar (A/B comparisons)")
    p.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    args = p.parse_args()
    args.bg_seconds = 0
    wanted = {int(s) for s in args.scenarios.split(",") if s.strip()}
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install -y wrk)")

    stack = Stack(args)
    report = {"started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "label": args.label, "cpus": NCPU, "load_before": loadavg(), "git": git_describe(),
              "settings": {k: v for k, v in vars(args).items() if k not in ("bg_seconds",)},
              "service_java_opts": os.environ.get("SERVICE_JAVA_OPTS", "(local-stack default)"),
              "env": {k: os.environ.get(k, "(bench default)" if k in ("ACCESS_LOG", "RATE_LIMIT_PER_SECOND") else
                                        "(service default)")
                      for k in ("ACCESS_LOG", "RATE_LIMIT_PER_SECOND", "PG_POOL_SIZE", "LOG_LEVEL")},
              "scenarios": {}}
    try:
        if args.attach:
            stack.attach()
        else:
            stack.start()
            report["stack_ready_s"] = stack.ready_s
        report["startup_ms"] = stack.startup
        tokens = stack.tokens()
        time.sleep(3)
        if 6 in wanted and not args.attach:
            report["startup_alone_ms"] = stack.startup_alone()
            log(f"each service restarted alone, started in (ms): {report['startup_alone_ms']}")
        report["rss_idle_mib"] = stack.rss()
        log(f"RSS at idle (MiB): {report['rss_idle_mib']}")
        s = report["scenarios"]
        # The status list first, at the 10,000+ documents: the embedded MongoDB-wire server has no secondary
        # indexes, so a list read scans every document, and the POST scenarios would leave 100,000+ behind
        if 3 in wanted and tokens.get("VIEWER_TOKEN"):
            guarded(s, "3_get_status_gateway", lambda: scenario3(stack, tokens, args))
        # warm-up, not counted: six JVMs share 2 cores, and their JIT compilers keep one core busy for the first
        # minute of load (measured: C2 threads took 65 % of request-svc's CPU after 30 s); the scenarios measure
        # the services warm, as they run in production
        if args.warmup > 0:
            log(f"warm-up: {args.warmup} s of POSTs direct and through the gateway")
            wrk(stack.url("request-svc"), args.warmup // 2, args.connections, args.threads, "post-deliveryrequests.lua")
            if tokens.get("AGENCY_TOKEN"):
                wrk(stack.url("gateway-svc"), args.warmup // 3, args.connections, args.threads,
                    "post-deliveryrequests.lua", ("Authorization: Bearer " + tokens["AGENCY_TOKEN"],))
            catch_up(stack, total_elements(stack.url("request-svc") + "/deliveryrequests?size=1"))
        if 1 in wanted:
            guarded(s, "1_post_direct", lambda: post_scenario(stack, "scenario 1", stack.url("request-svc"), (),
                                                              args, args.runs))
        if 2 in wanted and tokens.get("AGENCY_TOKEN"):
            guarded(s, "2_post_gateway", lambda: post_scenario(
                stack, "scenario 2", stack.url("gateway-svc"), ("Authorization: Bearer " + tokens["AGENCY_TOKEN"],),
                args, args.runs))
        if 4 in wanted:
            guarded(s, "4_e2e_latency", lambda: scenario4(stack, args))
        if 5 in wanted and tokens.get("AGENCY_TOKEN"):
            guarded(s, "5_workflows_gateway", lambda: scenario5(stack, tokens, args))
        time.sleep(3)
        report["rss_after_load_mib"] = stack.rss()
        report["load_after"] = loadavg()
    finally:
        stack.stop()
    write_report(report, args)


def guarded(scenarios, key, run):
    try:
        scenarios[key] = run()
    except Exception as e:  # noqa: BLE001 - one failed scenario must not lose the others' figures
        log(f"{key} failed: {e!r}")
        scenarios[key] = {"error": repr(e)}


def scenario3(stack, tokens, args):
    # one document per request (counting the view itself scans every document on the embedded MongoDB-wire server)
    n = total_elements(stack.url("request-svc") + "/deliveryrequests?size=1") or 0
    for _ in range(20):
        if n >= 10000:
            break
        log(f"scenario 3: only {n} documents, adding some")
        wrk(stack.url("request-svc"), 5, args.connections, args.threads, "post-deliveryrequests.lua")
        catch_up(stack, total_elements(stack.url("request-svc") + "/deliveryrequests?size=1"))
        n = total_elements(stack.url("request-svc") + "/deliveryrequests?size=1") or 0
    url = stack.url("gateway-svc") + "/deliveryStatusInquiries?size=20"
    hdr = ("Authorization: Bearer " + tokens["VIEWER_TOKEN"],)
    # its own warm-up (the JIT of the gateway's and status view's read path), not counted
    wrk(url, max(5, args.warmup // 3), args.get_connections, args.threads, "get.lua", hdr)
    runs = []
    for i in range(args.runs):
        r = wrk(url, args.duration, args.get_connections, args.threads, "get.lua", hdr)
        r.pop("ended_at")
        r["load"] = loadavg()
        log(f"scenario 3 run {i + 1}: {r}")
        runs.append(r)
    return {"documents": n, "connections": args.get_connections, "median": summarize(runs), "runs": runs}


def scenario5(stack, tokens, args):
    runs = []
    for i in range(args.runs):
        r = workflows(stack, tokens, args.duration, args.workflow_concurrency)
        r["load"] = loadavg()
        log(f"scenario 5 run {i + 1}: {r}")
        runs.append(r)
    return {"median": summarize(runs, ("workflows_per_s", "p50_ms", "p95_ms", "failed")), "runs": runs}


def write_report(report, args):
    os.makedirs(os.path.join(BENCH, "results"), exist_ok=True)
    name = time.strftime("%Y%m%d-%H%M%S") + (("-" + re.sub(r"[^\w.-]+", "-", args.label)) if args.label else "")
    path = os.path.join(BENCH, "results", name + ".json")
    with open(path, "w") as f:
        json.dump(report, f, indent=2, ensure_ascii=False)
    print_table(report)
    print(f"\nJSON: {os.path.relpath(path, REPO)}")


def git_describe():
    try:
        return subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True).stdout.strip() + " (+ working tree)"
    except OSError:
        return None


def print_table(r):
    s = r["scenarios"]
    rows = []

    def row(what, figure, target):
        rows.append((what, figure, target))

    def fmt(v, unit=""):
        return "-" if v is None else f"{v}{unit}"

    s = {k: v for k, v in s.items() if "error" not in v}
    if "1_post_direct" in s:
        m = s["1_post_direct"]["median"]
        row("1 POST direct (req/s)", fmt(m.get("rps")), ">= 5,000 (stretch 6,200)")
        row("1 p50 / p99", f"{fmt(m.get('p50_ms'), ' ms')} / {fmt(m.get('p99_ms'), ' ms')}", "p99 < 50 ms")
        row("1 non-2xx, socket errors", f"{fmt(m.get('non2xx'))}, {fmt(m.get('socket_errors'))}", "0")
        row("1 downstream caught up after", fmt(m.get("caught_up_s"), " s"), "< 2 s")
        cpu = [r.get("cpu_ms_per_request", {}) for r in s["1_post_direct"]["runs"]]
        if cpu and cpu[0]:
            row("1 CPU ms per request (median)", ", ".join(
                f"{k} {median([c.get(k) for c in cpu])}" for k in cpu[0]
                if k in ("request-svc", "postgres", "management-svc", "status-view", "local-stack (kafka, mongo)")), "")
        row("1 wrk CPU / machine busy", f"{fmt(m.get('wrk_cpu_pct_of_machine'), '%')} / "
                                        f"{fmt(m.get('machine_busy_pct'), '%')}", "")
    if "2_post_gateway" in s:
        m = s["2_post_gateway"]["median"]
        m1 = s.get("1_post_direct", {}).get("median", {})
        ratio = (f" ({round(100 * m['rps'] / m1['rps'])}% of 1)" if m1.get("rps") and m.get("rps") else "")
        added = (f", {m['p50_ms'] - m1['p50_ms']:+.2f} ms p50 vs 1" if m1.get("p50_ms") and m.get("p50_ms") else "")
        row("2 POST via gateway (req/s)", fmt(m.get("rps")) + ratio, ">= 85% of 1")
        row("2 p50 / p99", f"{fmt(m.get('p50_ms'), ' ms')} / {fmt(m.get('p99_ms'), ' ms')}{added}", "+ < 1 ms p50")
        row("2 non-2xx; caught up after", f"{fmt(m.get('non2xx'))}; {fmt(m.get('caught_up_s'), ' s')}", "0; < 2 s")
    if "3_get_status_gateway" in s:
        m = s["3_get_status_gateway"]["median"]
        row(f"3 GET status ?size=20, {s['3_get_status_gateway']['documents']} docs (req/s)", fmt(m.get("rps")),
            ">= 10,000")
        row("3 p50 / p99", f"{fmt(m.get('p50_ms'), ' ms')} / {fmt(m.get('p99_ms'), ' ms')}", "p99 < 20 ms")
    if "4_e2e_latency" in s:
        q, u = s["4_e2e_latency"]["quiet"], s["4_e2e_latency"]["under_load"]
        for via, how in (("stream", "on its stream"), ("poll", "polled")):
            row(f"4 POST -> status view {how}, quiet p50 / p95", f"{q[via]['p50_ms']} / {q[via]['p95_ms']} ms",
                "< 10 / < 25 ms")
            row(f"4 same under {u['background'].get('rps')} req/s", f"{u[via]['p50_ms']} / {u[via]['p95_ms']} ms", "")
    if "5_workflows_gateway" in s:
        m = s["5_workflows_gateway"]["median"]
        row("5 full workflows/s via gateway", f"{fmt(m.get('workflows_per_s'))} (p50 {fmt(m.get('p50_ms'), ' ms')})",
            "")
    if r.get("startup_ms"):
        row("6 start-up, all six at once, max (ms)", f"{max(r['startup_ms'].values())} "
                                             f"({', '.join(f'{k} {v}' for k, v in r['startup_ms'].items())})",
            "")
    if r.get("startup_alone_ms"):
        row("6 start-up to ready, each alone (ms)", f"max {max(r['startup_alone_ms'].values())} "
                                             f"({', '.join(f'{k} {v}' for k, v in r['startup_alone_ms'].items())})",
            "< 1,500 each")
    for title, key, target in (("6 RSS idle (MiB)", "rss_idle_mib", "< 150 each"),
                               ("6 RSS after load (MiB)", "rss_after_load_mib", "< 300 each")):
        if r.get(key):
            vals = r[key]
            svc = {k: v for k, v in vals.items() if k in MODULES}
            row(title, f"max service {max(svc.values()) if svc else '-'}: "
                + ", ".join(f"{k} {v}" for k, v in vals.items()), target)
    w = max(len(a) for a, _, _ in rows) if rows else 10
    w2 = min(60, max(len(b) for _, b, _ in rows)) if rows else 10
    print(f"\nprocurement bench  {r['started']}  cpus {r['cpus']}  load {r['load_before']} -> "
          f"{r.get('load_after')}  {r.get('label', '')}")
    print(f"| {'scenario'.ljust(w)} | {'median of runs'.ljust(w2)} | target |")
    print(f"|{'-' * (w + 2)}|{'-' * (w2 + 2)}|--------|")
    for a, b, c in rows:
        print(f"| {a.ljust(w)} | {b.ljust(w2)} | {c} |")


if __name__ == "__main__":
    main()
