#!/usr/bin/env bash
# The main job on the bundled example: set up, build, learn what examples/app.log normally looks
# like from its first 1000 lines, then score the rest and print the anomalies with their reasons.
# Run on a fresh Debian 12 machine: bash scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== setting up and building (log: build/demo-build.log)"
mkdir -p build
bash scripts/build.sh > build/demo-build.log 2>&1 || { tail -n 40 build/demo-build.log; exit 1; }
format='<Date> <Time> <Level> [<Thread>] <Component>: <Content>'
head -n 1000 examples/app.log > "$work/normal.log"
tail -n +1001 examples/app.log > "$work/new.log"

echo "== logad parse: the first events of examples/app.log"
build/logad parse --format "$format" --quiet examples/app.log | head -n 2
echo
echo "== logad train: learn normal behaviour from the first 1000 lines"
build/logad train --format "$format" -o "$work/model.json" "$work/normal.log"
echo
echo "== logad score: the rest of the log; anomalies with their reasons"
set +e
build/logad score -m "$work/model.json" --fail-on-anomaly "$work/new.log" > "$work/anomalies.ndjson"
rc=$?
set -e
/usr/bin/env python3 - "$work/anomalies.ndjson" <<'PY'
import json, sys
for raw in open(sys.argv[1]):
    r = json.loads(raw)
    where = f"line {r['line'] + 1000}" if "line" in r else f"{r.get('start', '?')} .. {r.get('end', '?')}"
    if "key" in r:
        where = f"session {r['key']}"
    print(f"* {where} [{r['per']}, {r['detector']}, score {r['score']:.3f} > {r['threshold']:.3f}]")
    for reason in r.get("reasons", []):
        print(f"    - {reason}")
PY
echo
echo "exit code of score --fail-on-anomaly: $rc (1 = anomalies found)"
