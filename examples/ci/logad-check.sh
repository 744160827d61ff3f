#!/bin/sh
# logad-check.sh BASELINE_LOG RUN_LOG [REPORT_XML]
#
# A CI step: learn what a known-good run's logs look like (once; the model is kept in
# $LOGAD_MODEL, so a CI cache can carry it between pipelines), then check this run's logs
# against it. The text report goes to the job log, a JUnit report to REPORT_XML for the CI's
# test view. Exit status: 0 the run looks like the baseline, 1 it does not, 2 an error.
#
# Settings (environment):
#   LOGAD                logad binary                      (default: logad on PATH)
#   LOGAD_FORMAT         log format, as `logad train -f`   (default: auto)
#   LOGAD_MODEL          baseline model file               (default: logad-baseline.json)
#   LOGAD_MAX_INCIDENTS  incidents tolerated               (default: 0)
#   LOGAD_IGNORE         template ids that never count, space separated
set -eu

if [ $# -lt 2 ]; then
    echo "usage: $0 BASELINE_LOG RUN_LOG [REPORT_XML]" >&2
    exit 2
fi
baseline=$1
run=$2
report=${3:-logad-report.xml}
logad=${LOGAD:-logad}
model=${LOGAD_MODEL:-logad-baseline.json}

if [ ! -s "$model" ]; then
    "$logad" train --quiet --format "${LOGAD_FORMAT:-auto}" --output "$model" "$baseline"
fi

set -- --model "$model" --max-incidents "${LOGAD_MAX_INCIDENTS:-0}"
for id in ${LOGAD_IGNORE:-}; do
    set -- "$@" --ignore "$id"
done

status=0
"$logad" check "$@" --report junit "$run" > "$report" || status=$?
if [ "$status" -ge 2 ]; then
    exit "$status"
fi
# The same verdict, for people reading the job log.
"$logad" check "$@" "$run" || true
exit "$status"
