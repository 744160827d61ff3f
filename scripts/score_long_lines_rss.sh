#!/usr/bin/env bash
# Peak RSS of `logad score --threads 1` (THREADS=N: N) on a log with a huge unique line every 97 lines
# (scripts/gen_long_lines_log.py), at 1x and 2x the input: memory must stay bounded (issue 19),
# so the two figures should be about the same. Trains on the log's first 1000 ordinary lines.
# Usage: scripts/score_long_lines_rss.sh [LOGAD] [LINES] [distinct|equal|none ...]
#   defaults: build/logad, 60000 lines (295 MB; 2x = 120000), all three timestamp kinds.
# Needs /usr/bin/time (Debian package time); writes its logs in a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
logad=${1:-build/logad}
threads=${THREADS:-1}
lines=${2:-60000}
shift $(( $# > 2 ? 2 : $# ))
kinds=("$@")
[[ ${#kinds[@]} -gt 0 ]] || kinds=(distinct equal none)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for ts in "${kinds[@]}"; do
  if [[ $ts == none ]]; then format='<Level> [<Thread>] <Component>: <Content>'
  else format='<Date> <Time> <Level> [<Thread>] <Component>: <Content>'; fi
  python3 scripts/gen_long_lines_log.py --lines 1000 --timestamps "$ts" > "$work/normal.log"
  "$logad" train -q --format "$format" -o "$work/model.json" "$work/normal.log" 2>/dev/null
  for times in 1 2; do
    python3 scripts/gen_long_lines_log.py --lines $((lines * times)) --timestamps "$ts" > "$work/big.log"
    /usr/bin/time -f '%M' -o "$work/rss" "$logad" score --threads "$threads" -m "$work/model.json" "$work/big.log" \
      > /dev/null 2> "$work/err" || { rc=$?; [[ $rc == 1 ]] || { cat "$work/err"; exit "$rc"; }; }
    printf 'threads %d  %-8s %dx %7d lines %5d MB input: peak RSS %6d MB  (%s)\n' "$threads" "$ts" "$times" \
      $((lines * times)) $(( $(stat -c %s "$work/big.log") / 1000000 )) $(( $(cat "$work/rss") / 1024 )) \
      "$(grep -m1 '^logad score:' "$work/err" | sed 's/^logad score: //')"
  done
  rm -f "$work/big.log"
done
