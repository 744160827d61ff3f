#!/usr/bin/python3
"""False positives before and after feedback, and incidents still caught (issue 17).

For each seed, examples/incidents/generate.py writes a labelled log set (an hour of training,
one incident of each kind) and, from the next seed, a normal hour (no incidents). A model is
trained on the labelled set's training part. In the normal hour one order is made slower than
any in training (400 ms instead of tens), a deviation an operator would call normal. Then, as an
operator would, every incident `logad score` reports on the normal hour is marked normal, one
`logad feedback --normal INCIDENT` at a time. Printed per seed and in all:
  - false-positive incidents on the normal hour before and after the verdicts,
  - injected incident kinds caught on the labelled test part before and after,
  - whether an order created in 4000 ms (a far larger value on the slot whose 400 ms was
    marked normal) still alerts afterwards, and, for contrast, whether it does when the same
    incidents are marked normal as whole templates (`--by template`),
  - after `train --update` on the training hour again (logs that do not hold the marked lines,
    so only the verdicts' own example lines teach them): how many verdicts the refitted model
    absorbed, the false positives left on the normal hour (absorbed verdicts are no longer
    applied: the model alone must accept those lines), and the kinds still caught.
Usage: scripts/bench_feedback.py [--logad build/logad] [--seeds 5] [--first 11]
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import datetime, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEY = r"ORD-\d+"


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def records(ndjson):
    return [json.loads(l) for l in ndjson.splitlines() if l.strip()]


def rfc3339(ms):
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def incidents_of(path):
    with open(path) as f:
        return [{"kind": r["kind"], "start": rfc3339(int(r["start_ms"])), "end": rfc3339(int(r["end_ms"])),
                 "lines": [int(x) for x in r["lines"].split()]} for r in csv.DictReader(f)]


def touches(r, i):
    first, last = r.get("first_line", 0), r.get("last_line", 0)
    if any(first <= l <= last for l in i["lines"]):
        return True
    return "start" in r and "end" in r and r["start"] <= i["end"] and i["start"] <= r["end"]


def kinds_caught(logad, model, work):
    out = records(run([logad, "score", "--records", "-q", "-m", model, os.path.join(work, "test.log")]).stdout)
    alerts = [r for r in out if r["per"] != "incident" and r.get("anomaly")]
    return sorted({i["kind"] for i in incidents_of(os.path.join(work, "incidents.csv")) if any(touches(r, i) for r in alerts)})


def closed_incidents(logad, model, log):
    out = run([logad, "score", "-q", "-m", model, log]).stdout
    return [r for r in records(out) if r["per"] == "incident" and r["state"] == "closed"]


def slow_order(src, dst, ms):
    """The normal hour with its 100th order created in `ms` ms; returns that line."""
    n, changed = 0, None
    with open(src) as f, open(dst, "w") as out:
        for line in f:
            if " created for customer " in line:
                n += 1
                if n == 100:
                    line = re.sub(r" in \d+ ms$", f" in {ms} ms", line.rstrip("\n")) + "\n"
                    changed = line.rstrip("\n")
            out.write(line)
    return changed


def one_seed(logad, seed, tmp):
    gen = os.path.join(ROOT, "examples", "incidents", "generate.py")
    labelled, normal = os.path.join(tmp, "labelled"), os.path.join(tmp, "normal")
    run([sys.executable, gen, "--out", labelled, "--seed", str(seed), "--train-hours", "1", "--instances", "1",
         "--quiet-slots", "1"])
    run([sys.executable, gen, "--out", normal, "--seed", str(seed + 1000), "--train-hours", "0.1", "--instances", "0",
         "--quiet-slots", "8", "--slot-minutes", "7.5"])
    model = os.path.join(tmp, "model.json")
    run([logad, "train", "-q", "--key", KEY, "-o", model, os.path.join(labelled, "train.log")])
    hour = os.path.join(tmp, "hour.log")
    slow_order(os.path.join(normal, "test.log"), hour, 400)
    caught_before = kinds_caught(logad, model, labelled)
    fp_before = closed_incidents(logad, model, hour)
    for incident in fp_before:  # one verdict at a time, as a person reads them
        run([logad, "feedback", "-q", "-m", model, "--normal", json.dumps(incident), "--note", "bench: normal hour"])
    fp_after = closed_incidents(logad, model, hour)
    caught_after = kinds_caught(logad, model, labelled)
    far = os.path.join(tmp, "far.log")
    slow_order(os.path.join(normal, "test.log"), far, 4000)
    # For contrast, verdicts on whole templates (`--by template`, what feedback did before issue 17)
    # on a fresh copy of the model.
    broad = os.path.join(tmp, "broad.json")
    run([logad, "train", "-q", "--key", KEY, "-o", broad, os.path.join(labelled, "train.log")])
    for incident in fp_before:
        by = "template" if incident.get("template_id") else "auto"
        run([logad, "feedback", "-q", "-m", broad, "--by", by, "--normal", json.dumps(incident)])
    far_alerts = slow_alerts(logad, model, far)
    run([logad, "train", "--update", "-q", "-m", model, os.path.join(labelled, "train.log")])
    states = [v["state"] for v in records(run([logad, "feedback", "-m", model, "--list"]).stdout)]
    updated = (states.count("absorbed"), len(states), len(closed_incidents(logad, model, hour)),
               kinds_caught(logad, model, labelled))
    return (len(fp_before), len(fp_after), caught_before, caught_after, far_alerts, slow_alerts(logad, broad, far), updated)


def slow_alerts(logad, model, log):
    return any(r["per"] != "incident" and " in 4000 ms" in r.get("message", "")
               for r in records(run([logad, "score", "--records", "-q", "-m", model, log]).stdout))


def kind_count():
    """How many incident kinds generate.py injects (one incident of each in the labelled part)."""
    sys.path.insert(0, os.path.join(ROOT, "examples", "incidents"))
    import generate
    return len(generate.KINDS)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--logad", default=os.path.join(ROOT, "build", "logad"))
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--first", type=int, default=11)
    args = ap.parse_args()
    if not os.access(args.logad, os.X_OK):
        sys.exit(f"bench_feedback: no logad binary at {args.logad}; build it or pass --logad")
    totals = [0] * 11
    kinds = kind_count()
    for seed in range(args.first, args.first + args.seeds):
        with tempfile.TemporaryDirectory(prefix="logad-feedback-") as tmp:
            fb, fa, cb, ca, far, broad_far, (absorbed, verdicts, fu, cu) = one_seed(args.logad, seed, tmp)
        lost = sorted(set(cb) - set(ca))
        lost_after_update = sorted(set(cb) - set(cu))
        print(f"seed {seed}: false-positive incidents {fb} -> {fa}; incident kinds caught {len(cb)} -> {len(ca)} of {kinds}"
              f"{' (lost: ' + ', '.join(lost) + ')' if lost else ''}; 4000 ms order after 400 ms marked normal: "
              f"{'alerts' if far else 'SILENCED'} (whole-template verdicts: {'alerts' if broad_far else 'silenced'})")
        print(f"  after train --update: {absorbed} of {verdicts} verdicts absorbed; false-positive incidents {fu}; "
              f"kinds caught {len(cu)} of {kinds}{' (lost: ' + ', '.join(lost_after_update) + ')' if lost_after_update else ''}")
        for n, v in enumerate([fb, fa, len(cb), len(ca), int(far), 1, int(broad_far), absorbed, verdicts, fu, len(cu)]):
            totals[n] += v
    print(f"all {totals[5]} seeds: false-positive incidents {totals[0]} -> {totals[1]}; incident kinds caught "
          f"{totals[2]} -> {totals[3]} of {kinds * totals[5]}; far larger value still alerts in {totals[4]} of {totals[5]} "
          f"(with whole-template verdicts: {totals[6]} of {totals[5]})")
    print(f"after train --update: {totals[7]} of {totals[8]} verdicts absorbed; false-positive incidents {totals[9]}; "
          f"incident kinds caught {totals[10]} of {kinds * totals[5]}")
    ok = totals[1] == 0 and totals[3] >= totals[2] and totals[4] == totals[5]
    # False positives after the update are reported, not gated: a refit moves thresholds by its
    # own variance (see the README); absorbing the verdicts and keeping recall are the bar.
    return 0 if ok and totals[7] == totals[8] and totals[10] >= totals[2] else 1


if __name__ == "__main__":
    sys.exit(main())
