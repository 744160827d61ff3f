#!/usr/bin/env bash
# Byte identity of `logad train` and `logad score --all` between two builds (issue 19: speed work
# on the scoring path must not change a model or a score). Each binary trains its own models
# (per line; the default line + window parts; sessions by a key, which adds the sequence signal)
# on the first half of examples/app.log and of Loghub-2k samples with their header formats, then
# scores the whole file with them twice: every row's score (`--all`), and as a user runs it (the anomalies with
# their reasons, and the summary on stderr); prints one line per case with the sha256 sums of the
# model (its creation time masked) and of both outputs, and exits 1 when any differs.
# With --threads N (issue 19 goal 3), OLD scores with --threads 1 and NEW with --threads N in
# blocks of --block-lines B lines (default 5: records and report points across blocks); give the
# same binary twice to check that threads change nothing. Each log is also scored as two files
# (its halves), which names records by file.
# Usage: scripts/compare_score_output.sh [--threads N [--block-lines B]] OLD_LOGAD NEW_LOGAD [loghub-2k dir]
#   (each binary finds its own liblogad through its RUNPATH: keep the old build's directory)
set -euo pipefail
cd "$(dirname "$0")/.."
old_args=() new_args=()
if [[ ${1:-} == --threads ]]; then
  threads=${2:?--threads needs a number}
  shift 2
  block_lines=5
  if [[ ${1:-} == --block-lines ]]; then
    block_lines=${2:?--block-lines needs a number}
    shift 2
  fi
  old_args=(--threads 1)
  new_args=(--threads "$threads" --block-lines "$block_lines")
fi
old=${1:?usage: $0 [--threads N [--block-lines B]] OLD_LOGAD NEW_LOGAD [loghub-2k dir]}
new=${2:?usage: $0 [--threads N [--block-lines B]] OLD_LOGAD NEW_LOGAD [loghub-2k dir]}
loghub=${3:-../shared/data/loghub-2k}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

differ=0 count=0
sums() {  # binary, score arguments (an array's name), log, format, train arguments...: "model-sum score-sums"
  local bin=$1 log=$3 format=$4
  local -n score_args=$2
  shift 4
  head -n "$(( $(wc -l < "$log") / 2 ))" "$log" > "$work/train.log"  # the second half holds news
  "$bin" train -q --format "$format" -o "$work/m.json" "$@" "$work/train.log" 2>&1 >/dev/null
  local m s a
  m=$(sed -E 's/"(created|trained_at|time)":"[^"]*"/"\1":""/g' "$work/m.json" | sha256sum | cut -c1-12)
  s=$("$bin" score -q --all -m "$work/m.json" ${score_args[@]+"${score_args[@]}"} "$log" 2>&1 | sha256sum | cut -c1-12)
  a=$("$bin" score -m "$work/m.json" ${score_args[@]+"${score_args[@]}"} "$log" 2>&1 | sha256sum | cut -c1-12)
  if [[ ${#score_args[@]} -gt 0 ]]; then  # the log as two files too
    tail -n "+$(( $(wc -l < "$log") / 2 + 1 ))" "$log" > "$work/second.log"
    local two
    two=$("$bin" score --records -m "$work/m.json" "${score_args[@]}" "$work/train.log" "$work/second.log" 2>&1 | sha256sum | cut -c1-12)
    a="$a $two"
  fi
  echo "$m $s $a"
}
compare() {  # name, log, format, train arguments...
  local name=$1
  shift
  local a b
  a=$(sums "$old" old_args "$@")
  b=$(sums "$new" new_args "$@")
  count=$((count + 1))
  if [[ $a == "$b" ]]; then
    echo "same    $a  $name"
  else
    echo "DIFFERS $a | $b  $name"
    differ=1
  fi
}

app_format='<Date> <Time> <Level> [<Thread>] <Component>: <Content>'
compare "app.log, line + window" examples/app.log "$app_format"
compare "app.log, per line" examples/app.log "$app_format" --per line
compare "app.log, sessions by Thread" examples/app.log "$app_format" --key Thread
compare "app.log, auto format" examples/app.log auto
# Multiline records, blank lines and lines no format matches, across blocks.
awk '{ print } NR % 7 == 0 { print "java.lang.IllegalStateException: retry " NR; print "    at com.example.Pay.charge(Pay.java:" NR % 97 ")" }
     NR % 11 == 0 { print "" } NR % 29 == 0 { print "    at com.example.Worker.run(Worker.java:12)" }' examples/app.log > "$work/multiline.log"
compare "app.log with stack traces" "$work/multiline.log" "$app_format"
compare "app.log with stack traces, auto format" "$work/multiline.log" auto
if [[ -f $loghub/formats.tsv ]]; then
  while IFS=$'\t' read -r ds format _; do
    [[ $ds == dataset ]] && continue
    log="$loghub/$ds/${ds}_2k.log"
    [[ -f $log ]] || continue
    compare "$ds, line + window" "$log" "$format"
  done < "$loghub/formats.tsv"
  hdfs="$loghub/HDFS/HDFS_2k.log"
  hdfs_format='<Date> <Time> <Pid> <Level> <Component>: <Content>'
  compare "HDFS, per line" "$hdfs" "$hdfs_format" --per line
  compare "HDFS, sessions by block" "$hdfs" "$hdfs_format" --key 'blk_-?\d+'
else
  echo "compare_score_output: $loghub not found; compared examples/ only" >&2
fi
echo "$count cases: $([[ $differ == 0 ]] && echo "all identical" || echo "SOME DIFFER")"
exit $differ
