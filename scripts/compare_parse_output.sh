#!/usr/bin/env bash
# Byte identity of `logad parse` between two builds (issue 19: speed work must not change the
# output). Runs both binaries on every log in examples/ (auto format), on each Loghub-2k sample
# with its header format from formats.tsv (as scripts/loghub_accuracy.py does), on the same
# samples in auto and raw format, and on the two parse benchmarks' inputs (HDFS x100, and the
# JSON lines of scripts/json_lines_log.sh, 60,000 lines); prints one line per input with
# both sha256 sums and exits 1 when any differs.
# Usage: scripts/compare_parse_output.sh OLD_LOGAD NEW_LOGAD [loghub-2k dir]
#   (a binary linked to liblogad.so finds its own library through its RUNPATH: copy the old
#    build's directory whole, or set LD_LIBRARY_PATH for the old one through OLD_ENV="...")
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: $0 OLD_LOGAD NEW_LOGAD [loghub-2k dir]}
new=${2:?usage: $0 OLD_LOGAD NEW_LOGAD [loghub-2k dir]}
loghub=${3:-../shared/data/loghub-2k}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

differ=0 count=0
compare() {  # name, then the parse arguments
  local name=$1
  shift
  local a b
  a=$(env ${OLD_ENV:-} "$old" parse -q "$@" 2>&1 | sha256sum | cut -c1-16)
  b=$("$new" parse -q "$@" 2>&1 | sha256sum | cut -c1-16)
  count=$((count + 1))
  if [[ $a == "$b" ]]; then
    echo "same    $a  $name"
  else
    echo "DIFFERS $a $b  $name"
    differ=1
  fi
}

for f in examples/*.log examples/formats/*; do
  [[ -f $f ]] && compare "$f (auto)" "$f"
done
if [[ -f $loghub/formats.tsv ]]; then
  while IFS=$'\t' read -r ds format _; do
    [[ $ds == dataset ]] && continue
    log=$loghub/$ds/${ds}_2k.log
    [[ -f $log ]] || continue
    compare "$ds (header format)" --format "$format" --no-multiline "$log"
    compare "$ds (header format, multiline)" --format "$format" "$log"
    compare "$ds (auto)" "$log"
    compare "$ds (raw)" --format raw "$log"
  done < "$loghub/formats.tsv"
  hdfs=$loghub/HDFS/HDFS_2k.log
  if [[ -f $hdfs ]]; then
    for _ in $(seq 100); do cat "$hdfs"; done > "$work/hdfs.log"
    compare "HDFS x100 (bench_parse.sh's format)" --format '<Date> <Time> <Pid> <Level> <Component>: <Content>' "$work/hdfs.log"
  fi
fi
# the JSON benchmark's lines, fewer of them
bash scripts/json_lines_log.sh 60000 "$work/lines.jsonl"
compare "bench_parse_json.sh lines x60000 (json)" --format json "$work/lines.jsonl"
compare "bench_parse_json.sh lines x60000 (auto)" "$work/lines.jsonl"

echo "$count inputs compared: $([[ $differ == 0 ]] && echo 'all identical' || echo 'SOME DIFFER')"
exit $differ
