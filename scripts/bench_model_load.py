#!/usr/bin/env python3
"""Memory and time to load a large model (issue 18, item 5: memory in proportion to the bytes).

Trains a small isolation forest with logad on a synthetic log, then crafts a large but valid
model from it by repeating its trees (each copy's node and root indices shifted) until the file
reaches --mb megabytes. Times `logad score -q -m big.json` on a 20-line log --runs times under
GNU time and prints the file size, the median wall time and peak RSS, and RSS / file size.

Usage: scripts/bench_model_load.py [--logad PATH] [--mb 100] [--runs 3] [--algo iforest|ocsvm] [--keep PATH]
"""
import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def find_logad(explicit):
    """--logad, $LOGAD, else build/logad (bench_common.find_logad needs numpy, this does not)."""
    path = explicit or os.environ.get("LOGAD") or os.path.join(ROOT, "build", "logad")
    if not os.access(path, os.X_OK):
        sys.exit(f"no logad binary at {path}: build it or pass --logad PATH")
    return path


def synthetic_log(n, start=0):
    """Several templates with random parameters, so the trees grow to their full depth."""
    rng = random.Random(start)
    templates = ["c.e.Store - stored block blk_{} of {} bytes in {} ms",
                 "c.e.Net - sent {} packets to 10.0.{}.{} in {} ms",
                 "c.e.Cache - evicted {} entries, {} left, hit rate {}",
                 "c.e.Auth - user u{} logged in from port {} after {} tries"]
    lines = []
    for i in range(start, start + n):
        t = templates[rng.randrange(len(templates))]
        params = [rng.randrange(1, 100000) for _ in range(t.count("{}"))]
        lines.append(f"2026-03-01 10:{(i // 60) % 60:02d}:{i % 60:02d},{i % 1000:03d} "
                     f"{rng.choice(['INFO', 'INFO', 'WARN'])} [worker-{rng.randrange(8)}] " + t.format(*params))
    return "\n".join(lines) + "\n"


def copies_for(state, target_bytes):
    """How many copies of this detector state make it about target_bytes of JSON."""
    return max(1, int(target_bytes / len(json.dumps(state, separators=(",", ":")))))


def grow_forest(state, target_bytes):
    """Repeats the trees of an isolation forest state in place until it is about target_bytes."""
    roots, left = state["roots"], state["left"]
    n_nodes = len(left)
    copies = copies_for(state, target_bytes)
    keys = [k for k in ("value", "feature", "coef_begin", "coef_end") if k in state]
    new_roots, new_left = [], []
    new = {k: [] for k in keys}
    for c in range(copies):
        base = c * n_nodes
        new_roots += [r + base for r in roots]
        new_left += [l + base if l >= 0 else -1 for l in left]
        for k in keys:
            new[k] += state[k]
    state["roots"], state["left"] = new_roots, new_left
    state.update(new)
    state["params"]["trees"] = len(new_roots)


def grow_ocsvm(state, target_bytes):
    """Repeats the support vectors (each coefficient divided among its copies: the same scores)."""
    copies = copies_for(state, target_bytes)
    state["support_vectors"] = state["support_vectors"] * copies
    state["coef"] = [c / copies for c in state["coef"]] * copies


def measure(logad, model, log):
    res = subprocess.run(["/usr/bin/time", "-v", logad, "score", "-q", "-m", model, log],
                         capture_output=True, text=True)
    if res.returncode not in (0, 1):
        raise RuntimeError(f"logad score failed ({res.returncode}): {res.stderr[-2000:]}")
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", res.stderr).group(1))
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", res.stderr)
    seconds = int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))
    return seconds, rss_kb * 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--logad")
    ap.add_argument("--mb", type=float, default=100)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--algo", choices=["iforest", "ocsvm"], default="iforest")
    ap.add_argument("--keep", metavar="PATH", help="also copy the crafted model to PATH")
    args = ap.parse_args()
    logad = find_logad(args.logad)
    with tempfile.TemporaryDirectory() as work:
        train_log = os.path.join(work, "train.log")
        score_log = os.path.join(work, "score.log")
        with open(train_log, "w") as f:
            f.write(synthetic_log(2000))
        with open(score_log, "w") as f:
            f.write(synthetic_log(20, 5000))
        small = os.path.join(work, "small.json")
        subprocess.run([logad, "train", "-q", "--algo", args.algo, "--per", "line", "-o", small, train_log], check=True)
        with open(small) as f:
            doc = json.load(f)
        parts = doc["pipeline"]["parts"]
        for part in parts:
            grow = grow_forest if args.algo == "iforest" else grow_ocsvm
            grow(part["model"]["detector"]["state"], args.mb * 1e6 / len(parts))
        big = os.path.join(work, "big.json")
        with open(big, "w") as f:
            json.dump(doc, f, separators=(",", ":"))
        size = os.path.getsize(big)
        if args.keep:
            shutil.copyfile(big, args.keep)
            shutil.copyfile(score_log, args.keep + ".log")
        runs = [measure(logad, big, score_log) for _ in range(args.runs)]
        wall = statistics.median(r[0] for r in runs)
        rss = statistics.median(r[1] for r in runs)
        print(f"algo {args.algo}: model file {size / 1e6:.1f} MB; load + score of 20 lines: "
              f"median {wall:.2f} s, peak RSS {rss / 1e6:.1f} MB ({rss / size:.2f}x the file); runs {args.runs}")


if __name__ == "__main__":
    main()
