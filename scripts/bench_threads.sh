#!/usr/bin/env bash
# Scaling of `logad parse --threads` (issue 19 goal 3): HDFS 2k lines from ../shared/data
# repeated to 2,000,000 lines, NDJSON into a pipe (`| cat > /dev/null`), not pinned. Runs
# `--threads 1` and `--threads N` alternately (so both see the same load), prints every run's wall
# and CPU seconds (user + sys), then the medians, the speed-up in wall time and the CPU the
# threads cost on top. The load average is printed before and after: on a machine that other jobs
# keep busy, N threads cannot have N cores, and the wall-clock speed-up says so.
# Checks first that both outputs are byte-identical.
# BENCH_LOG=auto reads the same HDFS lines with --format auto (the default, whose formats remember
# the lines before: blocks are parsed ahead from a guess), BENCH_LOG=json 2,000,000 JSON lines of
# scripts/json_lines_log.sh with --format auto.
# `score` times `logad score` the same way instead: a per-line model trained on the 2k lines (as
# scripts/bench_score.sh), alerts and summary out (`-q`); identity is checked on the alerts with
# --records and the summary, and on every row (--all) of the first 200,000 lines.
# Usage: scripts/bench_threads.sh [parse|score] [logad-binary] [threads] [runs] [pipe|null]
#   (defaults: parse build/logad 2 5 pipe; null writes to /dev/null, so no `cat` shares the cores)
# On a machine other jobs keep busy, run it as root under `chrt -f 50` (inherited by every
# process it starts): the runs then get the cores whatever the other jobs' load.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=parse
if [[ ${1:-} == parse || ${1:-} == score ]]; then
  mode=$1
  shift
fi
bin=${1:-build/logad}
threads=${2:-2}
runs=${3:-5}
sink=${4:-pipe}
[[ $sink == pipe || $sink == null ]] || { echo "bench_threads: the sink is pipe or null" >&2; exit 2; }
data=../shared/data/loghub-2k/HDFS/HDFS_2k.log
format='<Date> <Time> <Pid> <Level> <Component>: <Content>'
[[ -f $data ]] || { echo "bench_threads: $data not found (needs ../shared/data)" >&2; exit 2; }
[[ -x $bin ]] || { echo "bench_threads: $bin not built; run scripts/build.sh" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "bench_threads: needs GNU time (apt-get install time)" >&2; exit 2; }
(( runs >= 3 )) || { echo "bench_threads: use at least 3 runs for a median" >&2; exit 2; }

input=$(mktemp --suffix=.log)
trap 'rm -f "$input" "$input.time" "$input.model" "$input.head" "$input.train"' EXIT
log=${BENCH_LOG:-hdfs}
case $log in
  hdfs) fmt=(--format "$format") ;;
  auto) fmt=() ;;
  json) fmt=() ;;
  *) echo "bench_threads: BENCH_LOG is hdfs, auto or json" >&2; exit 2 ;;
esac
if [[ $log == json ]]; then
  bash scripts/json_lines_log.sh 2000000 "$input"
else
  for _ in $(seq 1000); do cat "$data"; done > "$input"
fi
head -n 2000 "$input" > "$input.train"
lines=$(wc -l < "$input")
cat "$input" > /dev/null  # warm the page cache

if [[ $mode == score ]]; then
  "$bin" train -q "${fmt[@]}" --per line -o "$input.model" "$input.train"
  command_for() { cmd=("$bin" score -q -m "$input.model" --threads "$1" "$input"); }  # threads
  same() {  # threads, arguments...: the sums of stdout and stderr
    local t=$1
    shift
    "$bin" score -m "$input.model" --threads "$t" "$@" 2>&1 | sha256sum
  }
  head -n 200000 "$input" > "$input.head"
  [[ $(same 1 --records "$input") == $(same "$threads" --records "$input") &&
     $(same 1 --all "$input.head") == $(same "$threads" --all "$input.head") ]] ||
    { echo "bench_threads: score --threads $threads output differs from --threads 1" >&2; exit 1; }
else
  command_for() { cmd=("$bin" parse -q --threads "$1" "${fmt[@]}" "$input"); }
  command_for 1
  one=$("${cmd[@]}" | sha256sum)
  command_for "$threads"
  many=$("${cmd[@]}" | sha256sum)
  [[ $one == "$many" ]] || { echo "bench_threads: --threads $threads output differs from --threads 1" >&2; exit 1; }
fi

echo "logad $mode on $lines $([[ $log == json ]] && echo JSON || echo HDFS) lines (${fmt[*]:---format auto}) into $([[ $sink == pipe ]] && echo "| cat" || echo /dev/null), --threads 1 vs --threads $threads," \
     "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), scheduling $(chrt -p $$ | sed -n '1s/.*policy: //p'); outputs identical"
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
declare -A wall cpu
for i in $(seq "$runs"); do
  for t in 1 "$threads"; do
    command_for "$t"
    if [[ $sink == pipe ]]; then
      /usr/bin/time -f '%e %U %S' -o "$input.time" "${cmd[@]}" | cat > /dev/null
    else
      /usr/bin/time -f '%e %U %S' -o "$input.time" "${cmd[@]}" > /dev/null
    fi
    read -r w u s < <(tail -n 1 "$input.time")
    c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
    echo "run $i, --threads $t: ${w} s wall, ${c} s CPU (user $u, sys $s)"
    wall[$t]+="$w "; cpu[$t]+="$c "
  done
done
# shellcheck disable=SC2086
w1=$(median ${wall[1]}); wn=$(median ${wall[$threads]}); c1=$(median ${cpu[1]}); cn=$(median ${cpu[$threads]})
awk -v w1="$w1" -v wn="$wn" -v c1="$c1" -v cn="$cn" -v n="$lines" -v t="$threads" 'BEGIN {
  printf "median: --threads 1 %.2f s wall (%.0f lines/s), %.2f s CPU; --threads %d %.2f s wall (%.0f lines/s), %.2f s CPU\n",
         w1, n / w1, c1, t, wn, n / wn, cn
  printf "speed-up %.2fx in wall time; CPU %+.0f%% for the threads\n", w1 / wn, 100 * (cn / c1 - 1) }'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
