#!/usr/bin/env bash
# Throughput of raw logs -> anomalies in per-line mode (issue 4; bar: >= 300,000 lines/s on one
# core). Trains `logad train --per line` on HDFS 2k lines from ../shared/data, then times
# `logad score` on those lines repeated to 1,000,000 (output to /dev/null), pinned to one core,
# and prints each run, the median lines/s and peak RSS. For comparison it times `logad parse`
# on the same input (the parse + mine part of the cost) the same way. Next to wall-clock lines/s
# it prints lines per CPU second (user + system), which stays meaningful on a shared machine.
# The repeated lines go back in time at every repeat, which fills the scorer's bounded time-order
# buffer; a last run scores the same lines in time order (each repeat moved past the one before)
# for the memory a stream in order takes.
# Usage: scripts/bench_score.sh [logad-binary] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/logad}
runs=${2:-3}
data=${LOGAD_SHARED_DATA:-../shared/data}/loghub-2k/HDFS/HDFS_2k.log
format='<Date> <Time> <Pid> <Level> <Component>: <Content>'
[[ -f $data ]] || { echo "bench_score: $data not found (needs ../shared/data or LOGAD_SHARED_DATA)" >&2; exit 2; }
[[ -x $bin ]] || { echo "bench_score: $bin not built; run scripts/build.sh" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "bench_score: needs GNU time (apt-get install time)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for _ in $(seq 500); do cat "$data"; done > "$work/input.log"
lines=$(wc -l < "$work/input.log")
cat "$work/input.log" > /dev/null  # warm the page cache
"$bin" train -q --format "$format" --per line -o "$work/model.json" "$data"

pin=(); command -v taskset >/dev/null && pin=(taskset -c 0)
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
measure() {  # name, command...: prints runs and the median
  local name=$1; shift
  local rates=() cpu_rates=() rss=()
  for i in $(seq "$runs"); do
    local start end rate cpu_rate kb
    start=$(date +%s.%N)
    /usr/bin/time -f '%M %U %S' -o "$work/time" "${pin[@]}" "$@" > /dev/null 2> "$work/stderr" || {
      cat "$work/stderr" >&2; exit 2; }
    end=$(date +%s.%N)
    rate=$(awk -v n="$lines" -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", n / (b - a) }')
    read -r kb user sys < <(tail -n 1 "$work/time")
    cpu_rate=$(awk -v n="$lines" -v u="$user" -v s="$sys" 'BEGIN { printf "%.0f", n / (u + s) }')
    echo "  $name run $i: $rate lines/s ($cpu_rate per CPU second), peak RSS $((kb / 1024)) MB"
    rates+=("$rate"); cpu_rates+=("$cpu_rate"); rss+=("$kb")
  done
  echo "$name, $lines HDFS lines, one core: median $(median "${rates[@]}") lines/s" \
       "($(median "${cpu_rates[@]}") per CPU second), median peak RSS $(( $(median "${rss[@]}") / 1024 )) MB"
}
measure "logad score --per line model" "$bin" score -q -m "$work/model.json" "$work/input.log"
measure "logad parse (parse + mine only)" "$bin" parse -q --threads 1 --format "$format" "$work/input.log"
# The same lines in time order: repeat k moved k spans of the sample (plus a second) later.
/usr/bin/python3 - "$data" 500 > "$work/ordered.log" <<'PY'
import sys
from datetime import datetime, timedelta
lines = open(sys.argv[1]).read().splitlines()
when = lambda l: datetime.strptime(l[:13], "%y%m%d %H%M%S")
first, last = when(lines[0]), max(when(l) for l in lines)
span = last - first + timedelta(seconds=1)
out = sys.stdout
for k in range(int(sys.argv[2])):
    shift = span * k
    for l in lines:
        out.write((when(l) + shift).strftime("%y%m%d %H%M%S") + l[13:] + "\n")
PY
measure "logad score, the same lines in time order" "$bin" score -q -m "$work/model.json" "$work/ordered.log"
"$bin" score -m "$work/model.json" "$work/input.log" 2>&1 > /dev/null | tail -n 1
