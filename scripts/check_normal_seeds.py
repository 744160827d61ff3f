#!/usr/bin/python3
"""How often `logad check` passes on a normal hour: false alarms a CI gate would raise.

For each seed, examples/incidents/generate.py writes hours of normal training traffic and one
normal test hour (no incidents); `logad train --key 'ORD-\\d+'` learns the training part and
`logad check` judges the test hour with its defaults. A normal hour should pass: every failure is
a false alarm. Prints one line per seed (pass, or the records that failed it with score over
threshold) and the count that passed.

Usage: scripts/check_normal_seeds.py [--logad build/logad] [--seeds 20] [--first 1] [--keep DIR]
Exit 0 when every seed passed, 1 otherwise (2 on errors). About 5 s per seed.
"""
import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
KEY = r"ORD-\d+"


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.stderr.write(p.stderr)
        sys.exit(f"check_normal_seeds: {' '.join(cmd)} failed with {p.returncode}")
    return p


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--logad", default=os.path.join(ROOT, "build", "logad"))
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--first", type=int, default=1)
    ap.add_argument("--train-hours", type=float, default=4.0)
    ap.add_argument("--keep", help="write each seed's data under this folder instead of a temporary one")
    args = ap.parse_args()
    if not os.access(args.logad, os.X_OK):
        sys.exit(f"check_normal_seeds: no logad binary at {args.logad}; build it or pass --logad")
    passed = 0
    for seed in range(args.first, args.first + args.seeds):
        with tempfile.TemporaryDirectory(prefix="logad-normal-") as tmp:
            work = os.path.join(args.keep, str(seed)) if args.keep else tmp
            os.makedirs(work, exist_ok=True)
            # One normal hour: no incident slots, eight quiet slots of 7.5 minutes.
            run([sys.executable, os.path.join(ROOT, "examples", "incidents", "generate.py"), "--out", work, "--seed",
                 str(seed), "--instances", "0", "--quiet-slots", "8", "--slot-minutes", "7.5", "--train-hours",
                 str(args.train_hours)])
            model = os.path.join(work, "model.json")
            run([args.logad, "train", "-q", "--key", KEY, "-o", model, os.path.join(work, "train.log")])
            check = run([args.logad, "check", "-m", model, os.path.join(work, "test.log")])
            if check.returncode == 0:
                passed += 1
                print(f"seed {seed}: pass")
                continue
            heads = [l.strip() for l in check.stdout.splitlines() if " over threshold " in l]
            print(f"seed {seed}: FAIL: " + "; ".join(heads))
    print(f"{passed} of {args.seeds} normal hours passed `logad check`")
    return 0 if passed == args.seeds else 1


if __name__ == "__main__":
    sys.exit(main())
