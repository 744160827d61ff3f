#!/usr/bin/env bash
# Walkthrough: live tailing. Learn once what normal looks like, then follow the live log and get
# each anomaly within milliseconds of the line that shows it. In production step 2 is just:
#
#   logad score --follow /var/log/app.log -m model.json --alert-webhook-file /etc/logad/webhook-url
#
# Here an application is simulated by appending lines of examples/app.log to a file.
# Run from a checkout: examples/live-tail.sh   (LOGAD=path/to/logad to choose the binary)
# Exit status 0 when the new error was reported, 1 when it was not within 5 s.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
logad=${LOGAD:-$(if [[ -x $here/../build/logad ]]; then echo "$here/../build/logad"; else echo logad; fi)}
format='<Date> <Time> <Level> [<Thread>] <Component>: <Content>'
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

echo "== 1. learn normal behaviour (the first 1000 lines of the example)"
head -n 1000 "$here/app.log" > "$work/normal.log"
"$logad" train --format "$format" -o "$work/model.json" "$work/normal.log"

echo "== 2. follow the live log: tail -F app.log | logad score -m model.json"
: > "$work/app.log"
tail -n 0 -F "$work/app.log" 2>/dev/null | "$logad" score -q -m "$work/model.json" > "$work/alerts.ndjson" &
sleep 0.5

echo "== 3. the application runs normally, then logs an error it never logged before"
sed -n 1001,1100p "$here/app.log" >> "$work/app.log"
sleep 0.5
start=$(date +%s%N)
echo "2026-11-20 09:14:00.000 ERROR [worker-3] StorageService: Disk /dev/sdb failed: I/O error on sector 81723" >> "$work/app.log"
for _ in $(seq 500); do
    grep -q 'Disk /dev/sdb failed' "$work/alerts.ndjson" && break
    sleep 0.01
done
if ! grep -q 'Disk /dev/sdb failed' "$work/alerts.ndjson"; then
    echo "no alert for the new error within 5 s" >&2
    exit 1
fi
echo "alert after $(( ($(date +%s%N) - start) / 1000000 )) ms (tail -F polls the file: most of that is tail's)"
grep 'Disk /dev/sdb failed' "$work/alerts.ndjson"
