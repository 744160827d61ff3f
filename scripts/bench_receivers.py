#!/usr/bin/env python3
"""Lines per second through logad's network receivers on loopback, against reading the same lines
from a file (issue 15). Each path feeds `logad parse` (parse + template mining, NDJSON to a pipe):
  file      logad parse --format F FILE
  syslog    logad parse --format syslog --listen-syslog tcp://127.0.0.1:PORT, the lines sent on one
            TCP connection with octet-counting framing (as rsyslog's omfwd sends)
  otlp      logad parse --format json --listen-otlp http://127.0.0.1:PORT, the records POSTed as
            OTLP/HTTP JSON requests of --batch records on one keep-alive connection (as an
            OpenTelemetry SDK's batch processor sends); its file baseline is the NDJSON lines the
            receiver turns them into
A receiver run's time is from the first byte sent to the last event on stdout (logad already
listening); a file run's time is the whole run less that of a one-line file (start-up and model-free
set-up), so both count the same work. Every line must arrive (the queue is sized so that none is
dropped). Medians of --runs.
    scripts/bench_receivers.py [--lines 200000] [--runs 3] [--logad build/logad]
"""
import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def find_logad(explicit):
    """--logad, $LOGAD, else build/logad (scripts/build.sh)."""
    path = explicit or os.environ.get("LOGAD") or os.path.join(ROOT, "build", "logad")
    if not os.access(path, os.X_OK):
        sys.exit(f"no logad binary at {path}: build it (scripts/build.sh) or pass --logad PATH")
    return path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def message(i):
    kinds = (f"request {i} served in {i * 7 % 300} ms status 200",
             f"cache hit for key user:{i * 13 % 997}",
             f"queue depth {i % 40} after batch {i}")
    return kinds[i % 3]


def syslog_lines(n):
    return [f"<134>1 2026-12-07T09:{i // 6000 % 60:02d}:{i // 100 % 60:02d}.{i % 100:02d}0Z web-{i % 5} billing {100 + i % 7} - - {message(i)}"
            for i in range(n)]


def otlp_records(n):
    base = 1796634000_000_000_000
    return [{"timeUnixNano": str(base + i * 10_000_000), "severityNumber": 9, "severityText": "INFO",
             "body": {"stringValue": message(i)}, "attributes": [{"key": "order.id", "value": {"intValue": str(i)}}]}
            for i in range(n)]


def otlp_request(records):
    return json.dumps({"resourceLogs": [{"resource": {"attributes": [
        {"key": "service.name", "value": {"stringValue": "checkout"}},
        {"key": "host.name", "value": {"stringValue": "web-1"}}]},
        "scopeLogs": [{"scope": {"name": "orders"}, "logRecords": records}]}]}).encode()


def wait_listening(proc):
    """Reads stderr until the receiver says where it listens."""
    while True:
        line = proc.stderr.readline()
        if not line:
            raise RuntimeError("logad parse ended before it listened")
        if b"receiving" in line:
            return


def count_until(proc, n):
    """Reads events from stdout until n arrived; returns the time of the last one."""
    got = 0
    while got < n:
        chunk = proc.stdout.read1(1 << 20)
        if not chunk:
            raise RuntimeError(f"logad parse ended after {got} of {n} events")
        got += chunk.count(b"\n")
    return time.perf_counter()


def stop(proc):
    proc.terminate()
    proc.stdout.read()
    err = proc.stderr.read().decode()
    proc.wait()
    if "dropped" in err:
        raise RuntimeError("messages were dropped: " + err)


def run_file(logad, path, fmt, n):
    t0 = time.perf_counter()
    res = subprocess.run([logad, "parse", "-q", "--format", fmt, path], capture_output=True)
    t1 = time.perf_counter()
    if res.returncode != 0 or res.stdout.count(b"\n") != n:
        raise RuntimeError(f"file run failed: {res.stderr.decode()}")
    return t1 - t0


def time_file(logad, path, fmt, n):
    first = path + ".first"
    with open(path) as f, open(first, "w") as out:
        out.write(f.readline())
    return run_file(logad, path, fmt, n) - run_file(logad, first, fmt, 1)


def time_syslog(logad, lines):
    port = free_port()
    proc = subprocess.Popen([logad, "parse", "--format", "syslog", "--listen-syslog", f"tcp://127.0.0.1:{port}",
                             "--listen-queue", str(len(lines) + 1)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_listening(proc)
    data = b"".join(f"{len(m.encode())} {m}".encode() for m in lines)
    t0 = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(data)
    t1 = count_until(proc, len(lines))
    stop(proc)
    return t1 - t0


def time_otlp(logad, records, batch):
    port = free_port()
    proc = subprocess.Popen([logad, "parse", "--format", "json", "--listen-otlp", f"http://127.0.0.1:{port}",
                             "--listen-queue", str(len(records) + 1)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_listening(proc)
    bodies = [otlp_request(records[i:i + batch]) for i in range(0, len(records), batch)]
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port)
    for body in bodies:
        conn.request("POST", "/v1/logs", body, {"Content-Type": "application/json"})
        res = conn.getresponse()
        answer = res.read()
        if res.status != 200 or answer != b"{}":
            raise RuntimeError(f"OTLP answer {res.status}: {answer[:200]!r}")
    conn.close()
    t1 = count_until(proc, len(records))
    stop(proc)
    return t1 - t0


def otlp_as_lines(records):
    """The NDJSON lines the receiver makes of the records (lib/receive/otlp_logs.hpp), for the file baseline."""
    out = []
    for r in records:
        ns = int(r["timeUnixNano"])
        ts = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ns // 10**9)) + f".{ns // 10**6 % 1000:03d}Z"
        out.append(json.dumps({"time": ts, "level": r["severityText"], "message": r["body"]["stringValue"],
                               "service.name": "checkout", "host.name": "web-1", "otel.scope.name": "orders",
                               "order.id": int(r["attributes"][0]["value"]["intValue"])}, separators=(",", ":")))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=200000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=512, help="log records per OTLP request")
    ap.add_argument("--logad")
    args = ap.parse_args()
    logad = find_logad(args.logad)
    n = args.lines
    lines = syslog_lines(n)
    records = otlp_records(n)
    with tempfile.TemporaryDirectory() as tmp:
        syslog_file = os.path.join(tmp, "syslog.log")
        with open(syslog_file, "w") as f:
            f.write("\n".join(lines) + "\n")
        json_file = os.path.join(tmp, "otlp.ndjson")
        with open(json_file, "w") as f:
            f.write("\n".join(otlp_as_lines(records)) + "\n")
        runs = {name: [] for name in ("syslog file", "syslog tcp", "otlp file", "otlp http")}
        for _ in range(args.runs):
            runs["syslog file"].append(time_file(logad, syslog_file, "syslog", n))
            runs["syslog tcp"].append(time_syslog(logad, lines))
            runs["otlp file"].append(time_file(logad, json_file, "json", n))
            runs["otlp http"].append(time_otlp(logad, records, args.batch))
    print(f"logad parse, {n} lines, median of {args.runs} runs ({logad})")
    print(f"{'path':<12} {'seconds':>8} {'lines/s':>10} {'vs file':>8}")
    for name, secs in runs.items():
        med = statistics.median(secs)
        base = statistics.median(runs[name.split()[0] + " file"])
        print(f"{name:<12} {med:8.3f} {n / med:10.0f} {base / med:8.2f}")


if __name__ == "__main__":
    main()
