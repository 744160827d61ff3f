#!/usr/bin/env bash
# Byte identity of `logad train` and `logad score --all` between two builds (issue 19: speed work
# on the scoring path must not change a model or a score). Each binary trains its own models
# (per line; the default line + window parts; sessions by a key, which adds the sequence signal)
# on the first half of examples/app.log and of Loghub-2k samples with their header formats, then
# scores the whole file with them twice: every row's score (`--all`), and as a user runs it (the anomalies with
# their reasons, and the summary on stderr); prints one line per case with the sha256 sums of the
# model (its creation time masked) and of both outputs, and exits 1 when any differs.
# Usage: scripts/compare_score_output.sh OLD_LOGAD NEW_LOGAD [loghub-2k dir]
#   (each binary finds its own liblogad through its RUNPATH: keep the old build's directory)
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: $0 OLD_LOGAD NEW_LOGAD [loghub-2k dir]}
new=${2:?usage: $0 OLD_LOGAD NEW_LOGAD [loghub-2k dir]}
loghub=${3:-../shared/data/loghub-2k}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

differ=0 count=0
sums() {  # binary, log, format, train arguments...: "model-sum score-sum"
  local bin=$1 log=$2 format=$3
  shift 3
  head -n "$(( $(wc -l < "$log") / 2 ))" "$log" > "$work/train.log"  # the second half holds news
  "$bin" train -q --format "$format" -o "$work/m.json" "$@" "$work/train.log" 2>&1 >/dev/null
  local m s a
  m=$(sed -E 's/"(created|trained_at|time)":"[^"]*"/"\1":""/g' "$work/m.json" | sha256sum | cut -c1-12)
  s=$("$bin" score -q --all -m "$work/m.json" "$log" 2>&1 | sha256sum | cut -c1-12)
  a=$("$bin" score -m "$work/m.json" "$log" 2>&1 | sha256sum | cut -c1-12)
  echo "$m $s $a"
}
compare() {  # name, log, format, train arguments...
  local name=$1
  shift
  local a b
  a=$(sums "$old" "$@")
  b=$(sums "$new" "$@")
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
