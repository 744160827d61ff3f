#!/usr/bin/env bash
# The main job on the bundled example: set up, build, parse examples/app.log into events and
# show the templates logad learned. Run on a fresh Debian 12 machine: bash scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh > /dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
format='<Date> <Time> <Level> [<Thread>] <Component>: <Content>'

echo "== logad parse: the first events of examples/app.log"
build/logad parse --format "$format" --state "$work/app.state" examples/app.log > "$work/events.ndjson"
head -n 3 "$work/events.ndjson"
echo
echo "== the record with a stack trace folded into it"
grep '"lines":' "$work/events.ndjson" | head -n 1
echo
echo "== logad templates: what the miner learned, most frequent first"
build/logad templates --state "$work/app.state" --by-count
