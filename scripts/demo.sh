#!/usr/bin/env bash
# The main job on the bundled example: set up, build, learn what examples/app.log normally looks
# like from its first 1000 lines, then score the rest and print the anomalies with their reasons.
# Run on a fresh Debian 12 machine: bash scripts/demo.sh
# With LOGAD=path/to/logad it uses that binary and skips setting up and building (the test suite
# runs it so, and it fails when the example's incident is not found).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [[ -n ${LOGAD:-} ]]; then
  logad=$LOGAD
else
  echo "== setting up and building (log: build/demo-build.log)"
  mkdir -p build
  bash scripts/build.sh > build/demo-build.log 2>&1 || { tail -n 40 build/demo-build.log; exit 1; }
  logad=build/logad
fi
format='<Date> <Time> <Level> [<Thread>] <Component>: <Content>'
head -n 1000 examples/app.log > "$work/normal.log"
tail -n +1001 examples/app.log > "$work/new.log"

echo "== logad parse: the first events of examples/app.log"
"$logad" parse --format "$format" --quiet examples/app.log | head -n 2
echo
echo "== logad train: learn normal behaviour from the first 1000 lines"
"$logad" train --format "$format" -o "$work/model.json" "$work/normal.log"
echo
echo "== logad score: the rest of the log; incidents with their reasons"
set +e
"$logad" score -m "$work/model.json" --summary --fail-on-anomaly "$work/new.log" > "$work/incidents.ndjson"
rc=$?
set -e
echo
# stdout holds incidents (each anomaly record rolled up into one, written when it opens and when
# it closes) and, with --records, every anomaly record; line numbers are new.log's, app.log's
# are 1000 more.
/usr/bin/env python3 - "$work/incidents.ndjson" <<'PY'
import json, sys
shown = 0
for raw in open(sys.argv[1]):
    r = json.loads(raw)
    if r.get("per") == "incident":
        if r.get("state") != "closed":
            continue
        lines = f"line {r['first_line'] + 1000}" if r["first_line"] == r["last_line"] else \
            f"lines {r['first_line'] + 1000}-{r['last_line'] + 1000}"
        print(f"* incident {r['incident']}: {r['kind']} ({r['about']}), {lines}, {r['records']} record(s), "
              f"found by {', '.join(r['detectors'])}")
    else:
        where = f"line {r['line'] + 1000}" if "line" in r else f"{r.get('start', '?')} .. {r.get('end', '?')}"
        print(f"* {where} [{r['per']}, {r.get('detector', '?')}, score {r['score']:.3f} > {r['threshold']:.3f}]")
    for reason in r.get("reasons", []):
        print(f"    - {reason}")
    shown += 1
if shown == 0:
    sys.exit("demo: no incident found in the rest of examples/app.log, which holds one")
PY
echo
echo "exit code of score --fail-on-anomaly: $rc (1 = anomalies found)"
[[ $rc == 1 ]] || { echo "demo: score --fail-on-anomaly should have exited 1" >&2; exit 1; }
