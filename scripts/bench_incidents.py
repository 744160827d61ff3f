#!/usr/bin/python3
"""Detection by kind on the generated multi-service log set (examples/incidents/generate.py).

Generates the set, runs `logad train` on the normal part and `logad score --records` on the test
part, given as rotated files newest first (`test.log*` as the shell lists them) and holding lines
stamped by a clock two hours ahead, with the settings a newcomer would use (only `--key 'ORD-\\d+'`, which names the order id for
the sequence case), and prints a Markdown table: recall per injected incident kind, then what a
person reads: logad's incidents, their precision and how many of them one injected incident
becomes.

An injected incident counts as caught when an anomaly record covers one of its lines (first_line
.. last_line) or overlaps its time span (start .. end). An incident logad reports (its closing
record) is true when it touches an injected incident the same way. Record precision is the share
of anomaly records that touch an injected incident; records are also counted by detector.

Usage: scripts/bench_incidents.py [--logad build/logad] [--seed 7] [--keep DIR] [--instances 5]
Exit 0 when every kind has recall >= 0.9, incident precision >= 0.95 and at most 2 incidents per
injected incident on average, else 1 (2 on errors).
"""
import argparse
import collections
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
KEY = r"ORD-\d+"


def epoch_ms(text):
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


def run(cmd, **kw):
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode not in (0, 1):
        sys.stderr.write(p.stderr)
        sys.exit(f"bench_incidents: {' '.join(cmd)} failed with {p.returncode}")
    return p, time.monotonic() - t0


def load_incidents(path):
    out = []
    with open(path) as f:
        for row in csv.DictReader(f):
            out.append({"id": int(row["id"]), "kind": row["kind"], "start": int(row["start_ms"]),
                        "end": int(row["end_ms"]), "lines": [int(x) for x in row["lines"].split()]})
    return out


def touches(rec, inc):
    lo, hi = rec.get("first_line"), rec.get("last_line")
    if lo is not None and hi is not None and any(lo <= l <= hi for l in inc["lines"]):
        return True
    if "start" in rec and "end" in rec:
        s, e = epoch_ms(rec["start"]), epoch_ms(rec["end"])
        if s == e:
            return inc["start"] <= s <= inc["end"]
        return s <= inc["end"] and inc["start"] < e
    return False


def to_test_lines(records, rotated):
    """Line numbers restart in each rotated file: make them test.log's again."""
    offsets, n = {}, 0
    for name in sorted(os.listdir(rotated), key=lambda f: -int(f.rsplit(".", 1)[1]) if f[-1].isdigit() else 0):
        offsets[name] = n
        n += sum(1 for _ in open(os.path.join(rotated, name)))
    for r in records:
        first = offsets[os.path.basename(r["file"])] if "file" in r else 0
        last = offsets[os.path.basename(r.get("last_file", r["file"]))] if "file" in r else 0
        for k in ("line", "first_line"):
            if k in r:
                r[k] += first
        if "last_line" in r:
            r["last_line"] += last


def evaluate(records, incidents):
    caught = set()
    touching = collections.Counter()  # kind -> anomaly records touching an incident of it
    fp_by_detector = collections.Counter()
    tp = 0
    false_alarms = []
    for r in records:
        hit = [i for i in incidents if touches(r, i)]
        for i in hit:
            caught.add(i["id"])
        for k in {i["kind"] for i in hit}:
            touching[k] += 1
        if hit:
            tp += 1
        else:
            fp_by_detector[r["detector"]] += 1
            false_alarms.append(r)
    return caught, touching, tp, fp_by_detector, false_alarms


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--logad", default=os.path.join(ROOT, "build", "logad"))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--instances", type=int, default=5)
    ap.add_argument("--train-hours", type=float, default=4.0)
    ap.add_argument("--keep", help="write the data and results here instead of a temporary folder")
    ap.add_argument("--show-false", type=int, default=5, help="print this many false alarms")
    args = ap.parse_args()
    if not os.access(args.logad, os.X_OK):
        sys.exit(f"bench_incidents: no logad binary at {args.logad}; build it or pass --logad")

    tmp = None
    if args.keep:
        work = args.keep
        os.makedirs(work, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="logad-incidents-")
        work = tmp.name
    run([sys.executable, os.path.join(ROOT, "examples", "incidents", "generate.py"), "--out", work, "--seed",
         str(args.seed), "--instances", str(args.instances), "--train-hours", str(args.train_hours)])
    model = os.path.join(work, "model.json")
    train, t_train = run([args.logad, "train", "--key", KEY, "-o", model, os.path.join(work, "train.log")])
    rotated = os.path.join(work, "rotated")
    newest_first = sorted(os.path.join(rotated, f) for f in os.listdir(rotated))
    score, t_score = run([args.logad, "score", "--records", "-m", model] + newest_first)
    with open(os.path.join(work, "scores.ndjson"), "w") as f:
        f.write(score.stdout)
    out = [json.loads(l) for l in score.stdout.splitlines() if l.strip()]
    to_test_lines(out, rotated)
    records = [r for r in out if r.get("anomaly")]
    reported = [r for r in out if r.get("per") == "incident" and r.get("state") == "closed"]
    incidents = load_incidents(os.path.join(work, "incidents.csv"))
    caught, touching, tp, fp_by_detector, false_alarms = evaluate(records, incidents)

    kinds = []
    for i in incidents:
        if i["kind"] not in kinds:
            kinds.append(i["kind"])
    n_lines = sum(1 for _ in open(os.path.join(work, "test.log")))
    print(f"Incident detection, seed {args.seed}: trained on {args.train_hours:g} h of normal traffic, "
          f"scored {n_lines} test lines in {len(newest_first)} rotated files, newest first, with "
          f"`logad train --key '{KEY}'` and `logad score` defaults "
          f"(train {t_train:.1f} s, score {t_score:.1f} s).\n")
    print("| kind | incidents | caught | recall | anomaly records touching it |")
    print("|---|---:|---:|---:|---:|")
    ok = True
    for k in kinds:
        ids = [i["id"] for i in incidents if i["kind"] == k]
        c = sum(1 for x in ids if x in caught)
        recall = c / len(ids)
        ok = ok and recall >= 0.9
        print(f"| {k} | {len(ids)} | {c} | {recall:.2f} | {touching[k]} |")
    total = len(incidents)
    precision = tp / len(records) if records else 0.0
    print(f"| **all** | {total} | {len(caught)} | {len(caught) / total:.2f} | {tp} |")
    print(f"\nRecord precision: {tp} of {len(records)} anomaly records touch an injected incident = "
          f"**{precision:.3f}**.")
    true_reported = [r for r in reported if any(touches(r, i) for i in incidents)]
    inc_precision = len(true_reported) / len(reported) if reported else 0.0
    per_injected = [sum(1 for r in reported if touches(r, i)) for i in incidents]
    read_per = sum(per_injected) / len(caught) if caught else 0.0
    ok = ok and inc_precision >= 0.95 and read_per <= 2.0
    print(f"Incidents reported: {len(reported)} for {total} injected; incident precision "
          f"{len(true_reported)} of {len(reported)} = **{inc_precision:.3f}**; a caught injected incident "
          f"becomes {read_per:.2f} reported incidents on average (at most {max(per_injected, default=0)}).")
    by_det = collections.Counter(r["detector"] for r in records)
    print("Records by detector: " + ", ".join(f"{d} {n} ({fp_by_detector[d]} false)" for d, n in sorted(by_det.items())))
    missed = [i for i in incidents if i["id"] not in caught]
    if missed:
        print("\nMissed: " + ", ".join(f"#{i['id']} {i['kind']} (lines {i['lines'][:3]})" for i in missed))
    for r in false_alarms[: args.show_false]:
        where = r.get("line", f"{r.get('first_line')}..{r.get('last_line')}")
        print(f"\nfalse alarm {r['detector']} at {where}: {'; '.join(r.get('reasons', []))}")
    for r in [r for r in reported if r not in true_reported][: args.show_false]:
        print(f"\nfalse incident {r['kind']} at {r['first_line']}..{r['last_line']}: {'; '.join(r['reasons'][:2])}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
