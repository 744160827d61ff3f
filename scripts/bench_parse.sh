#!/usr/bin/env bash
# Speed and memory of `logad parse` (issue 2): HDFS 2k lines from ../shared/data repeated to
# 2,000,000 lines, NDJSON written to /dev/null, pinned to one core. Prints each run and the
# median lines/s and peak RSS. Usage: scripts/bench_parse.sh [logad-binary] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/logad}
runs=${2:-5}
data=../shared/data/loghub-2k/HDFS/HDFS_2k.log
format='<Date> <Time> <Pid> <Level> <Component>: <Content>'
[[ -f $data ]] || { echo "bench_parse: $data not found (needs ../shared/data)" >&2; exit 2; }
[[ -x $bin ]] || { echo "bench_parse: $bin not built; run scripts/build.sh" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "bench_parse: needs GNU time (apt-get install time)" >&2; exit 2; }

input=$(mktemp --suffix=.log)
trap 'rm -f "$input" "$input.time"' EXIT
for _ in $(seq 1000); do cat "$data"; done > "$input"
lines=$(wc -l < "$input")
cat "$input" > /dev/null  # warm the page cache

pin=(); command -v taskset >/dev/null && pin=(taskset -c 0)
rates=(); rss=()
for i in $(seq "$runs"); do
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$input.time" "${pin[@]}" "$bin" parse -q --format "$format" "$input" > /dev/null
  end=$(date +%s.%N)
  rate=$(awk -v n="$lines" -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", n / (b - a) }')
  kb=$(tail -n 1 "$input.time")
  echo "run $i: $rate lines/s, peak RSS $((kb / 1024)) MB"
  rates+=("$rate"); rss+=("$kb")
done
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "logad parse, $lines HDFS lines, one core: median $(median "${rates[@]}") lines/s, median peak RSS $(( $(median "${rss[@]}") / 1024 )) MB"
