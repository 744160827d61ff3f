#!/usr/bin/env bash
# Speed of `logad parse --format json` on JSON lines (issue 19 goal 1: >= 750,000 lines/s on one
# core, into a pipe). No such log ships with the shared data, so the script writes one: 600,000
# lines of scripts/json_lines_log.sh (a Go service's structured log in zap's shape).
# Each run pipes the NDJSON into `cat > /dev/null`, logad pinned to one core (taskset -c 0) when
# taskset exists; prints the wall-clock and CPU-time rates (lines / (user + sys)), the medians and
# `wc -l` on the same file for scale.
# Usage: scripts/bench_parse_json.sh [logad-binary] [runs]   (runs: at least 3, default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/logad}
runs=${2:-5}
[[ -x $bin ]] || { echo "bench_parse_json: $bin not built; run scripts/build.sh" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "bench_parse_json: needs GNU time (apt-get install time)" >&2; exit 2; }
(( runs >= 3 )) || { echo "bench_parse_json: use at least 3 runs for a median" >&2; exit 2; }

input=$(mktemp --suffix=.jsonl)
trap 'rm -f "$input" "$input.time"' EXIT
bash scripts/json_lines_log.sh 600000 "$input"
lines=$(wc -l < "$input")
cat "$input" > /dev/null  # warm the page cache

pin=(); command -v taskset >/dev/null && pin=(taskset -c 0)
echo "logad parse --format json on $lines JSON lines ($(du -m "$input" | cut -f1) MB), ${pin[*]:-unpinned}," \
     "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
rate() { awk -v n="$lines" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }

rates=(); cpu_rates=()
for i in $(seq "$runs"); do
  /usr/bin/time -f '%e %U %S %M' -o "$input.time" "${pin[@]}" "$bin" parse -q --threads 1 --format json "$input" | cat > /dev/null
  read -r wall user sys kb < <(tail -n 1 "$input.time")
  r=$(rate "$wall"); c=$(rate "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')")
  echo "run $i: $r lines/s wall (${wall} s), $c lines/s CPU (user ${user} s, sys ${sys} s), peak RSS $((kb / 1024)) MB"
  rates+=("$r"); cpu_rates+=("$c")
done
wc_runs=()
for _ in 1 2 3; do
  /usr/bin/time -f '%e' -o "$input.time" "${pin[@]}" wc -l "$input" > /dev/null
  wc_runs+=("$(rate "$(tail -n 1 "$input.time")")")
done
echo "median: $(median "${rates[@]}") lines/s wall, $(median "${cpu_rates[@]}") lines/s CPU;" \
     "wc -l: $(median "${wc_runs[@]}") lines/s"
