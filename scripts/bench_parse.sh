#!/usr/bin/env bash
# Speed and memory of `logad parse` (issues 2 and 19): HDFS 2k lines from ../shared/data repeated
# to 2,000,000 lines, NDJSON written into a pipe (`| cat > /dev/null`, the way `logad parse |
# logad featurize` runs), logad pinned to one core (taskset -c 0) when taskset exists, with --threads 1
# (scripts/bench_threads.sh measures --threads). For each
# run it prints the wall-clock rate, the CPU-time rate (lines / (user + sys)), and the peak RSS;
# then the medians, and for scale `wc -l` and a plain memchr line splitter (compiled here from
# 15 lines of C++ when c++ exists: read 256 KiB blocks, count newlines with memchr) on the same
# file, and one Markdown table row for the README.
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
trap 'rm -f "$input" "$input.time" "$input.split" "$input.cpp"' EXIT
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
  /usr/bin/time -f '%e %U %S %M' -o "$input.time" "${pin[@]}" "$bin" parse -q --threads 1 --format "$format" "$input" | cat > /dev/null
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

split_med=0
if command -v c++ >/dev/null; then
  cat > "$input.cpp" <<'CPP'
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
int main(int, char** argv) {
    static char buf[1 << 18];
    const int fd = open(argv[1], O_RDONLY);
    long lines = 0;
    for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;)
        for (const char* p = buf; (p = static_cast<const char*>(std::memchr(p, '\n', buf + n - p))); ++p) ++lines;
    std::printf("%ld\n", lines);
}
CPP
  c++ -O2 -o "$input.split" "$input.cpp"
  split_runs=()
  for _ in 1 2 3; do
    /usr/bin/time -f '%e' -o "$input.time" "${pin[@]}" "$input.split" "$input" > /dev/null
    split_runs+=("$(rate "$(tail -n 1 "$input.time")")")
  done
  split_med=$(median "${split_runs[@]}")
fi

wall_med=$(median "${rates[@]}"); cpu_med=$(median "${cpu_rates[@]}")
rss_med=$(( $(median "${rss[@]}") / 1024 )); wc_med=$(median "${wc_runs[@]}")
echo "median: $wall_med lines/s wall, $cpu_med lines/s CPU, peak RSS $rss_med MB; wc -l: $wc_med lines/s;" \
     "memchr splitter: $split_med lines/s"
fmt() { printf "%'d" "$1" 2>/dev/null || printf '%d' "$1"; }
echo "| logad parse -> NDJSON, HDFS x1000 ($(fmt "$lines") lines), one core | $(fmt "$wall_med") lines/s" \
     "(wall) | $(fmt "$cpu_med") lines/s (CPU time) | $rss_med MB peak RSS | wc -l: $(fmt "$wc_med") lines/s |" \
     "memchr: $(fmt "$split_med") lines/s |"
