#!/usr/bin/env bash
# Speed and memory of `logad parse` (issue 2): HDFS 2k lines from ../shared/data repeated to
# 2,000,000 lines, NDJSON written to /dev/null, pinned to one core (taskset -c 0) when taskset
# exists. For each run it prints the wall-clock rate, the CPU-time rate (lines / (user + sys)),
# and the peak RSS; then the medians, `wc -l` on the same file for scale, and one Markdown table
# row for the README.
# The wall-clock rate is the one the issue asks for; on a machine that other jobs keep busy it
# measures them too, so the load average is printed and the CPU-time rate shows logad's own cost.
# Usage: scripts/bench_parse.sh [logad-binary] [runs]   (runs: at least 3, default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/logad}
runs=${2:-5}
data=../shared/data/loghub-2k/HDFS/HDFS_2k.log
format='<Date> <Time> <Pid> <Level> <Component>: <Content>'
[[ -f $data ]] || { echo "bench_parse: $data not found (needs ../shared/data)" >&2; exit 2; }
[[ -x $bin ]] || { echo "bench_parse: $bin not built; run scripts/build.sh" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "bench_parse: needs GNU time (apt-get install time)" >&2; exit 2; }
(( runs >= 3 )) || { echo "bench_parse: use at least 3 runs for a median" >&2; exit 2; }

input=$(mktemp --suffix=.log)
trap 'rm -f "$input" "$input.time"' EXIT
for _ in $(seq 1000); do cat "$data"; done > "$input"
lines=$(wc -l < "$input")
cat "$input" > /dev/null  # warm the page cache

pin=(); command -v taskset >/dev/null && pin=(taskset -c 0)
echo "logad parse on $lines HDFS lines ($(du -m "$input" | cut -f1) MB), ${pin[*]:-unpinned}," \
     "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
rate() { awk -v n="$lines" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }

rates=(); cpu_rates=(); rss=()
for i in $(seq "$runs"); do
  /usr/bin/time -f '%e %U %S %M' -o "$input.time" "${pin[@]}" "$bin" parse -q --format "$format" "$input" > /dev/null
  read -r wall user sys kb < <(tail -n 1 "$input.time")
  r=$(rate "$wall"); c=$(rate "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')")
  echo "run $i: $r lines/s wall (${wall} s), $c lines/s CPU (user ${user} s, sys ${sys} s), peak RSS $((kb / 1024)) MB"
  rates+=("$r"); cpu_rates+=("$c"); rss+=("$kb")
done

wc_runs=()
for _ in 1 2 3; do
  /usr/bin/time -f '%e' -o "$input.time" "${pin[@]}" wc -l "$input" > /dev/null
  wc_runs+=("$(rate "$(tail -n 1 "$input.time")")")
done

wall_med=$(median "${rates[@]}"); cpu_med=$(median "${cpu_rates[@]}")
rss_med=$(( $(median "${rss[@]}") / 1024 )); wc_med=$(median "${wc_runs[@]}")
echo "median: $wall_med lines/s wall, $cpu_med lines/s CPU, peak RSS $rss_med MB; wc -l: $wc_med lines/s"
fmt() { printf "%'d" "$1" 2>/dev/null || printf '%d' "$1"; }
echo "| logad parse -> NDJSON, HDFS x1000 ($(fmt "$lines") lines), one core | $(fmt "$wall_med") lines/s" \
     "(wall) | $(fmt "$cpu_med") lines/s (CPU time) | $rss_med MB peak RSS | wc -l: $(fmt "$wc_med") lines/s |"
