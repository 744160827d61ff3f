#!/usr/bin/python3
"""Isolation forest on a numeric table end to end, logad next to scikit-learn with pandas, in one
run (issue 19 goal 4: at least 5x faster, the CSV read included).

Writes a 100,000 x 50 CSV with a header (rows on a 10-dimensional subspace plus noise, every value
at full double precision, as pandas' to_csv writes them: 98 MB), then times, --repeats times each
and alternating:
  logad      `logad train --algo iforest` then `logad score` on the file (two processes: read,
             fit 100 trees x 256 rows, score every row for the threshold, save; read again, score)
  sklearn    pandas.read_csv, IsolationForest(n_estimators=100, max_samples=256).fit, then
             score_samples on every row (one process, timed inside it, interpreter start excluded)
and `logad score` alone (MB/s printed), and `logad score` with a one-tree forest, whose time is
reading the CSV (the read rate printed: issue 19's bar is 1 GB/s): pinned to one core with
`--threads 1` (CPU seconds), and unpinned with `--threads 1` and `--threads 2` (wall-clock seconds,
the CSV's rows parsed by two threads in the second; its CPU seconds printed beside). Times are CPU
seconds (user + system: logad's from the child's rusage, scikit-learn's process_time around the
work), which a shared, loaded machine disturbs far less than wall-clock time; every run is pinned
to one core with taskset when it exists (scikit-learn's n_jobs=1, logad --threads 1). `logad
train` alone does the work scikit-learn does (read, fit, score every row); train + score reads the
file twice. Prints each run, the medians and the speed-ups (medians of per-run ratios).

    /usr/bin/python3 scripts/bench_table.py [--logad build/logad] [--repeats 3] [--rows 100000]
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SKLEARN_RUN = r"""
import sys, time
import pandas as pd
from sklearn.ensemble import IsolationForest
t1 = time.process_time()
x = pd.read_csv(sys.argv[1]).to_numpy()
t2 = time.process_time()
m = IsolationForest(n_estimators=100, max_samples=256, random_state=1, n_jobs=1).fit(x)
s = m.score_samples(x)
t3 = time.process_time()
print(t2 - t1, t3 - t1)
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--logad", default=os.path.join(os.path.dirname(__file__), "..", "build", "logad"))
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--rows", type=int, default=100000)
    ap.add_argument("--cols", type=int, default=50)
    a = ap.parse_args()
    try:
        import numpy as np
        import pandas  # noqa: F401
        import sklearn  # noqa: F401
    except ImportError as e:
        print(f"bench_table: needs numpy, pandas and scikit-learn ({e}); apt-get install python3-sklearn python3-pandas",
              file=sys.stderr)
        return 2
    if not os.access(a.logad, os.X_OK):
        print(f"bench_table: {a.logad} not built; run scripts/build.sh", file=sys.stderr)
        return 2
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    with tempfile.TemporaryDirectory() as tmp:
        csv, model, one_tree = os.path.join(tmp, "x.csv"), os.path.join(tmp, "m.json"), os.path.join(tmp, "m1.json")
        g = np.random.default_rng(1)
        r = max(2, a.cols // 5)
        x = g.standard_normal((a.rows, r)) @ g.standard_normal((r, a.cols)) + 0.1 * g.standard_normal((a.rows, a.cols))
        np.savetxt(csv, x, delimiter=",", fmt="%.17g", header=",".join(f"f{i}" for i in range(a.cols)), comments="")
        mb = os.path.getsize(csv) / 1e6
        with open(csv, "rb") as f:  # warm the page cache
            while f.read(1 << 20):
                pass
        print(f"{a.rows:,} x {a.cols} CSV ({mb:.0f} MB), {'taskset -c 0' if pin else 'unpinned'}, "
              f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")

        def child_cpu():
            u = resource.getrusage(resource.RUSAGE_CHILDREN)
            return u.ru_utime + u.ru_stime

        def run_logad():
            c0 = child_cpu()
            subprocess.run(pin + [a.logad, "train", "-q", "--algo", "iforest", "--threads", "1", "-o", model, csv],
                           check=True)
            c1 = child_cpu()
            subprocess.run(pin + [a.logad, "score", "-q", "--threads", "1", "-m", model, csv], check=True,
                           stdout=subprocess.DEVNULL)
            c2 = child_cpu()
            return c1 - c0, c2 - c1

        subprocess.run([a.logad, "train", "-q", "--algo", "iforest", "--param", "trees=1", "-o", one_tree, csv], check=True)

        def run_read():  # scoring one tree costs ~1% of reading: the time is the reader's
            c0 = child_cpu()
            subprocess.run(pin + [a.logad, "score", "-q", "--threads", "1", "-m", one_tree, csv], check=True,
                           stdout=subprocess.DEVNULL)
            return child_cpu() - c0

        def run_read_unpinned(threads):  # wall-clock seconds, and CPU seconds
            c0, w0 = child_cpu(), time.perf_counter()
            subprocess.run([a.logad, "score", "-q", "--threads", str(threads), "-m", one_tree, csv], check=True,
                           stdout=subprocess.DEVNULL)
            return time.perf_counter() - w0, child_cpu() - c0

        def run_sklearn():
            out = subprocess.run(pin + [sys.executable, "-c", SKLEARN_RUN, csv], check=True, capture_output=True,
                                 text=True).stdout.split()
            return float(out[1]), float(out[0])

        train, score, read, sk_total, sk_read, ratio_train, ratio_both = [], [], [], [], [], [], []
        wall1, wall2, cpu2 = [], [], []
        for i in range(a.repeats):
            lt, ls = run_logad()
            lr = run_read()
            read.append(lr)
            w1, _ = run_read_unpinned(1)
            w2, c2 = run_read_unpinned(2)
            wall1.append(w1)
            wall2.append(w2)
            cpu2.append(c2)
            st, sr = run_sklearn()
            train.append(lt)
            score.append(ls)
            sk_total.append(st)
            sk_read.append(sr)
            ratio_train.append(st / lt)
            ratio_both.append(st / (lt + ls))
            print(f"run {i + 1}: logad train {lt:.2f} s, score {ls:.2f} s ({mb / ls:.0f} MB/s), "
                  f"score with one tree {lr:.3f} s (read {mb / lr:.0f} MB/s; unpinned wall --threads 1 {w1:.3f} s, "
                  f"--threads 2 {w2:.3f} s, {c2:.3f} CPU s); "
                  f"pandas+sklearn {st:.2f} s (read_csv {sr:.2f} s); train {st / lt:.1f}x, train+score "
                  f"{st / (lt + ls):.1f}x faster")
        med = statistics.median
        print(f"median CPU s: logad train {med(train):.2f}, logad score {med(score):.2f} ({mb / med(score):.0f} MB/s), "
              f"one-tree score {med(read):.3f} (read {mb / med(read):.0f} MB/s), "
              f"pandas+sklearn {med(sk_total):.2f} (read_csv {med(sk_read):.2f}, {mb / med(sk_read):.0f} MB/s); "
              f"logad train {med(ratio_train):.1f}x faster, train+score {med(ratio_both):.1f}x faster")
        print(f"read rate (one-tree score, medians): one core {mb / med(read):.0f} MB/s per CPU second (taskset, "
              f"--threads 1); unpinned, wall clock: --threads 1 {mb / med(wall1):.0f} MB/s, --threads 2 "
              f"{mb / med(wall2):.0f} MB/s ({med(cpu2):.3f} CPU s); load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
