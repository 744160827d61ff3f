#!/usr/bin/env bash
# Walkthrough: forensics on archived, rotated logs. Something went wrong some time in the last
# days; the logs are a folder of rotated files, the older ones compressed. logad reads .gz and
# .zst as they are, and a folder as its files oldest first, so each step is one command.
#
#   forensics.sh [LOG_DIR]   (no argument: a demo folder made from examples/app.log)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
logad=${LOGAD:-$(if [[ -x $here/../build/logad ]]; then echo "$here/../build/logad"; else echo logad; fi)}
format='<Date> <Time> <Level> [<Thread>] <Component>: <Content>'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

logs=${1:-}
if [[ -z $logs ]]; then  # app.log.3.gz (oldest) .. app.log (newest), as logrotate leaves them
    logs=$work/logs
    mkdir -p "$logs"
    sed -n 1,600p "$here/app.log" | gzip > "$logs/app.log.3.gz"
    sed -n 601,1200p "$here/app.log" | gzip > "$logs/app.log.2.gz"
    { sed -n 1201,1500p "$here/app.log"
      echo "2026-11-20 09:11:30.000 ERROR [worker-3] StorageService: Disk /dev/sdb failed: I/O error on sector 81723"
      sed -n 1501,1600p "$here/app.log"
    } | zstd -q > "$logs/app.log.1.zst"
    sed -n '1601,$p' "$here/app.log" > "$logs/app.log"
    touch -d '3 days ago' "$logs/app.log.3.gz"
    touch -d '2 days ago' "$logs/app.log.2.gz"
    touch -d '1 day ago' "$logs/app.log.1.zst"
fi

echo "== 1. what kinds of messages are there? (templates of the whole folder, most frequent first)"
"$logad" parse -q --format "$format" --state "$work/miner.json" "$logs" > "$work/events.ndjson"
"$logad" templates --by-count --state "$work/miner.json" | head -n 8

echo
echo "== 2. learn normal behaviour from the oldest file (a quiet day), score the whole folder"
"$logad" train -q --format "$format" -o "$work/model.json" "$(ls -tr "$logs"/* | head -n 1)"
"$logad" score --records --summary -m "$work/model.json" "$logs" > "$work/anomalies.ndjson"

echo
echo "== 3. the first incident and anomaly records with their reasons, and a report to open in a browser"
head -n 3 "$work/anomalies.ndjson"
"$logad" report -q -o "$work/report.html" --events "$work/events.ndjson" "$work/anomalies.ndjson"
echo "report: $(du -h "$work/report.html" | cut -f1) of self-contained HTML (kept with FORENSICS_KEEP=dir)"
if [[ -n ${FORENSICS_KEEP:-} ]]; then cp "$work/report.html" "$work/anomalies.ndjson" "$FORENSICS_KEEP/"; fi

if [[ -z ${1:-} ]]; then  # the demo checks itself: the disk failure, found in the .zst file
    grep 'Disk /dev/sdb failed' "$work/anomalies.ndjson" | grep -q '"file":"[^"]*/app.log.1.zst"' ||
        { echo "demo: the disk failure in app.log.1.zst was not reported" >&2; exit 1; }
fi
