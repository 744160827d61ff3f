#!/usr/bin/env bash
# Soak test for bounded memory: streams generated logs through `logad parse | logad score` and
# samples the resident memory (RSS) of both processes every few seconds.
#   scripts/soak.sh [--lines N] [--interval S] [--logad PATH] [--keep DIR]
# Traffic (generated on the fly, deterministic): a Java-style service log like examples/app.log
# with fresh order ids and advancing timestamps, in four phases over N lines (default 10M):
#   warm-up    10%  normal traffic
#   templates  10%  a unique random line each (template explosion: the miner's template cap)
#   sessions   10%  a fresh order id each (session explosion: the open-session caps)
#   steady     70%  normal traffic with 2% unique lines and 10% fresh order ids (eviction goes on)
# The model is trained first on 50k normal lines, with sessions keyed by order id.
# Verdict: over the steady phase, the highest RSS in its last quarter must be within 10% of the
# highest in its first quarter, for both processes ("flat"); otherwise "GROWING" and exit 1.
set -euo pipefail
cd "$(dirname "$0")/.."

lines=10000000 interval=5 logad="" keep=""
while (($#)); do
  case $1 in
    --lines) lines=$2; shift 2 ;;
    --interval) interval=$2; shift 2 ;;
    --logad) logad=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    *) echo "usage: $0 [--lines N] [--interval S] [--logad PATH] [--keep DIR]" >&2; exit 2 ;;
  esac
done
[[ -n $logad ]] || logad=build/logad
[[ -x $logad ]] || { echo "soak: $logad not found; build first (scripts/build.sh) or pass --logad" >&2; exit 2; }

work=${keep:-$(mktemp -d)}
mkdir -p "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -n $keep ]] || rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/gen.py" <<'PY'
import random, sys
total, mode, status = int(sys.argv[1]), sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None
rng = random.Random(11)
t = 9 * 3600 * 1000  # 2026-11-20 09:00:00, in ms since that day's midnight
users = ["alice", "bob", "carol", "dave", "erin", "frank"]
letters = "abcdefghijklmnopqrstuvwxyz"
next_order = 100000
open_orders = []  # orders created, not yet paid/shipped: sessions of a few events
out = sys.stdout
def stamp():
    s, ms = divmod(t, 1000)
    d, s = divmod(s, 86400)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    return f"2026-11-{20 + d:02d} {h:02d}:{m:02d}:{s:02d}.{ms:03d}"  # 10M lines: about 1.2 days
def normal(fresh_share):
    global next_order
    w = f"worker-{rng.randint(1, 8)}"
    r = rng.random()
    if r < fresh_share or not open_orders:
        next_order += 1
        if r >= fresh_share:
            open_orders.append(next_order)
        return f"INFO  [{w}] OrderService: Order {next_order} created for user {rng.choice(users)} in {rng.randint(5, 80)} ms"
    if r < 0.30:
        next_order += 1
        open_orders.append(next_order)
        return f"INFO  [{w}] OrderService: Order {next_order} created for user {rng.choice(users)} in {rng.randint(5, 80)} ms"
    if r < 0.50:
        o = open_orders[rng.randrange(len(open_orders))]
        return f"INFO  [{w}] PaymentService: Payment for order {o} accepted, amount {rng.randint(5, 500)}.{rng.randint(0, 99):02d} EUR"
    if r < 0.65:
        return (f"INFO  [http-nio-8080] AccessLog: GET /api/orders/{rng.randint(100000, 999999)} from 10.0.{rng.randint(0, 20)}."
                f"{rng.randint(1, 254)}:{rng.randint(30000, 60000)} status 200 took {rng.randint(2, 40)}ms")
    if r < 0.75:
        return f"DEBUG [{w}] CacheManager: Cache hit ratio {rng.random():.3f} after {rng.randint(1000, 9000)} lookups"
    if r < 0.85:
        o = open_orders.pop(rng.randrange(len(open_orders)))
        return f"INFO  [{w}] ShippingService: Order {o} shipped to /var/spool/labels/{o}.pdf via carrier {rng.choice(['DHL', 'UPS', 'La Poste'])}"
    if r < 0.93:
        return f"INFO  [scheduler] HealthCheck: Database pool: {rng.randint(1, 20)} active, {rng.randint(0, 10)} idle connections"
    return f"WARN  [{w}] PaymentService: Retrying request {rng.randint(1, 3)} of 3 to https://psp.example.com/v1/charges after {rng.randint(100, 900)} ms"
def unique():
    words = ["".join(rng.choices(letters, k=rng.randint(3, 9))) for _ in range(rng.randint(3, 12))]
    return f"INFO  [worker-{rng.randint(1, 8)}] {words[0].capitalize()}: " + " ".join(words[1:])
phases = [("train", total, 0.0, 0.0)] if mode == "train" else [
    ("warm-up", total // 10, 0.0, 0.0), ("templates", total // 10, 1.0, 0.0),
    ("sessions", total // 10, 0.0, 1.0), ("steady", total - 3 * (total // 10), 0.02, 0.10)]
n = 0
buf = []
for name, count, unique_share, fresh_share in phases:
    for _ in range(count):
        t += rng.randint(1, 20)
        line = unique() if rng.random() < unique_share else normal(fresh_share)
        buf.append(f"{stamp()} {line}\n")
        if len(open_orders) > 50000:
            open_orders.pop(0)
        n += 1
        if len(buf) == 10000:
            out.write("".join(buf))
            buf.clear()
            if status:
                with open(status, "w") as f:
                    f.write(f"{n} {name}\n")
out.write("".join(buf))
out.flush()
PY

echo "soak: training a model on 50000 generated lines (sessions keyed by order id)" >&2
/usr/bin/python3 "$work/gen.py" 50000 train | "$logad" train -q --threads 1 --key '(?i)order (\d+)' -o "$work/model.json"

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
mkfifo "$work/raw" "$work/events"
start=$(date +%s)
/usr/bin/python3 "$work/gen.py" "$lines" run "$work/status" >"$work/raw" &
pids+=($!)
"$logad" parse "$work/raw" >"$work/events" 2>"$work/parse.err" &
parse_pid=$!; pids+=($parse_pid)
"$logad" score --threads 1 -m "$work/model.json" "$work/events" 2>"$work/score.err" | wc -l >"$work/anomalies" &
score_pid=$(jobs -p | tail -1); pids+=($score_pid)
sleep 1
score_pid=$(pgrep -P "$score_pid" -x logad || echo "$score_pid")  # the logad in `score | wc`

samples="$work/samples.tsv"
printf 'seconds\tlines\tphase\tparse_rss_mb\tscore_rss_mb\n' >"$samples"
while kill -0 "$score_pid" 2>/dev/null; do
  read -r done_lines phase 2>/dev/null <"$work/status" || { done_lines=0; phase=starting; }
  p=$(rss_kb "$parse_pid") s=$(rss_kb "$score_pid")
  printf '%d\t%s\t%s\t%.1f\t%.1f\n' $(($(date +%s) - start)) "$done_lines" "$phase" "$(bc -l <<<"$p/1024")" \
      "$(bc -l <<<"$s/1024")" >>"$samples"
  sleep "$interval"
done
wait || true
end=$(date +%s)

echo "## soak: $lines lines through logad parse | logad score, $((end - start)) s"
echo
echo "| s | lines | phase | parse RSS MB | score RSS MB |"
echo "|---:|---:|---|---:|---:|"
# print at most ~40 rows
awk -F'\t' -v n="$(wc -l <"$samples")" 'NR > 1 && ((NR - 2) % int((n + 38) / 39) == 0 || NR == n) {print "| " $1 " | " $2 " | " $3 " | " $4 " | " $5 " |"}' "$samples"
echo
tail -1 "$work/parse.err"
tail -3 "$work/score.err"
echo "anomaly records: $(cat "$work/anomalies")"
/usr/bin/python3 - "$samples" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1]), delimiter="\t") if r["phase"] == "steady"]
if len(rows) < 8:
    print("verdict: too few steady-phase samples; use more --lines or a shorter --interval"); sys.exit(1)
q = len(rows) // 4
ok = True
for proc in ("parse", "score"):
    v = [float(r[f"{proc}_rss_mb"]) for r in rows]
    first, last, peak = max(v[:q]), max(v[-q:]), max(v)
    flat = last <= 1.10 * first
    ok &= flat
    print(f"{proc}: steady first-quarter max {first:.1f} MB, last-quarter max {last:.1f} MB, peak {peak:.1f} MB: "
          f"{'flat' if flat else 'GROWING'}")
print("verdict:", "flat" if ok else "GROWING")
sys.exit(0 if ok else 1)
PY
