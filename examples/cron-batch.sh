#!/usr/bin/env bash
# Walkthrough: a nightly cron job. Score yesterday's rotated (gzipped) log with a model learned
# from normal days, keep the anomalies and an HTML report, leave metrics for node_exporter's
# textfile collector, and write to stdout (which cron mails) only when something was found.
#
#   crontab:  15 0 * * *  /opt/logad/examples/cron-batch.sh /var/log/app.log.1.gz /var/lib/logad
#
#   cron-batch.sh LOG_GZ OUT_DIR [MODEL]     (MODEL default: OUT_DIR/model.json)
# With no arguments it makes its own demo: a model from the example's first 1000 lines and a
# "yesterday" from the rest with one injected error, in a temporary directory.
# Exit status: 0 done (anomalies or not), 2 logad failed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
logad=${LOGAD:-$(if [[ -x $here/../build/logad ]]; then echo "$here/../build/logad"; else echo logad; fi)}

if [[ $# -eq 0 ]]; then
    demo=$(mktemp -d)
    trap 'rm -rf "$demo"' EXIT
    head -n 1000 "$here/app.log" > "$demo/normal.log"
    "$logad" train -q --format '<Date> <Time> <Level> [<Thread>] <Component>: <Content>' -o "$demo/model.json" "$demo/normal.log"
    { tail -n +1001 "$here/app.log"
      echo "2026-11-20 09:14:00.000 ERROR [worker-3] StorageService: Disk /dev/sdb failed: I/O error on sector 81723"
    } | gzip > "$demo/app.log.1.gz"
    set -- "$demo/app.log.1.gz" "${CRON_BATCH_OUT:-$demo/out}" "$demo/model.json"
fi
log=$1
out=$2
model=${3:-$out/model.json}
mkdir -p "$out"
day=$(date -u +%F)

# The parse and featurize settings travel in the model; .gz is read as it is.
status=0
"$logad" score -m "$model" --records --fail-on-anomaly --summary --metrics-file "$out/logad.prom" \
    "$log" > "$out/anomalies-$day.ndjson" 2> "$out/summary-$day.txt" || status=$?
if (( status >= 2 )); then
    cat "$out/summary-$day.txt" >&2
    exit 2
fi
"$logad" report -q --title "logad: $(basename "$log") on $day" -o "$out/report-$day.html" "$out/anomalies-$day.ndjson"

if (( status == 1 )); then  # anomalies: this output is the mail cron sends
    echo "logad found anomalies in $log"
    cat "$out/summary-$day.txt"
    echo "records: $out/anomalies-$day.ndjson"
    echo "report:  $out/report-$day.html"
fi

if [[ -n ${demo:-} ]]; then  # the demo checks itself
    grep -q 'Disk /dev/sdb failed' "$out/anomalies-$day.ndjson" && grep -q '^logad_anomalies_total' "$out/logad.prom" &&
        grep -q '<html' "$out/report-$day.html" || { echo "demo: the injected error, metrics or report is missing" >&2; exit 1; }
fi
