#!/usr/bin/env bash
# Writes LINES lines of a Go service's structured log in zap's shape (level, ts as epoch seconds,
# caller, msg, then request members: strings, integers, floats, a bool), with one line in 20
# carrying an error string with escaped quotes and a newline, and one in 50 a nested object (which
# takes the DOM path). No such log ships with the shared data; the lines are deterministic (awk,
# fixed arithmetic), so runs compare. For the JSON-lines benchmarks and output checks.
# Usage: scripts/json_lines_log.sh LINES OUTPUT
set -euo pipefail
lines=${1:?usage: $0 LINES OUTPUT}
out=${2:?usage: $0 LINES OUTPUT}
awk -v n="$lines" 'BEGIN {
  split("GET POST PUT DELETE", methods, " ");
  split("info info info info debug warn error", levels, " ");
  split("users orders items carts sessions", paths, " ");
  for (i = 0; i < n; i++) {
    m = methods[i % 4 + 1]; lv = levels[i % 7 + 1]; p = paths[i % 5 + 1];
    ts = sprintf("%.6f", 1700000000 + i * 0.013);
    line = sprintf("{\"level\":\"%s\",\"ts\":%s,\"caller\":\"server/handler.go:%d\",\"msg\":\"request served\"," \
                   "\"method\":\"%s\",\"path\":\"/api/v1/%s/%d\",\"status\":%d,\"latency_ms\":%.3f,\"bytes\":%d," \
                   "\"cached\":%s,\"request_id\":\"%08x-%04x\"",
                   lv, ts, 100 + i % 50, m, p, i % 9973, (i % 13 == 0 ? 404 : 200), (i % 1000) / 7.0,
                   (i * 37) % 65536, (i % 3 == 0 ? "true" : "false"), (i * 2654435761) % 4294967296, i % 65536);
    if (i % 20 == 0) line = line sprintf(",\"error\":\"upstream \\\"billing\\\" timed out after %dms\\n\\tat call()\"", i % 5000);
    if (i % 50 == 0) line = line sprintf(",\"user\":{\"id\":%d,\"role\":\"admin\"}", i % 777);
    print line "}";
  }
}' > "$out"
