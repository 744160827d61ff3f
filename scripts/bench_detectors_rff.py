#!/usr/bin/python3
"""Accuracy lost by logad's approximate one-class SVM (--param approx=rff: random Fourier features
and a linear one-class model) against the exact kernel SVM, on two labelled test sets:

  HDFS sessions  template-count vectors of the HDFS block sessions (scripts/hdfs_sessions.py):
                 train on the training split without labels, score the test split
  synthetic      rows on a 10-dimensional subspace of R^50 plus noise (as the speed benchmark's
                 matrix); train 20,000 clean rows; test 5,000 fresh inliers and 250 outliers, half
                 drawn with 2.5x the spread inside the subspace, half with 5x the noise off it

Both models get the same nu (0.05), gamma (scale) and threshold rule (contamination=C from their
own training scores, default 0.03); ROC-AUC and PR-AUC need no threshold. The approximation is
randomised: each number is the median over --seeds seeds. Also prints fit time (as logad reports
it, one thread) and the Spearman rank correlation of the approximate scores with the exact ones.

    /usr/bin/python3 scripts/bench_detectors_rff.py [--logad PATH] [--seeds 5] [--components 100 --components 500]

Prints Markdown; exits 2 when the shared HDFS data is missing.
"""
import argparse
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_common as bc  # noqa: E402
import hdfs_sessions  # noqa: E402


def synthetic(seed=11, train_rows=20000, inliers=5000, outliers=250, cols=50, rank=10):
    import numpy as np
    g = np.random.default_rng(seed)
    basis = g.standard_normal((rank, cols))

    def rows(n, spread=1.0, noise=0.1):
        return (spread * g.standard_normal((n, rank))) @ basis + noise * g.standard_normal((n, cols))

    half = outliers // 2
    x_test = np.vstack([rows(inliers), rows(half, spread=2.5), rows(outliers - half, noise=0.5)])
    y_test = np.r_[np.zeros(inliers, dtype=int), np.ones(outliers, dtype=int)]
    return rows(train_rows), x_test, y_test


def spearman(a, b):
    from scipy.stats import spearmanr
    return float(spearmanr(a, b).correlation)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--logad", help="logad binary (default: $LOGAD, build/logad, else the newest build*/logad)")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--components", type=int, action="append", help="random features (default 100, 300, 500, 1000)")
    ap.add_argument("--threshold", default="contamination=0.03")
    a = ap.parse_args()
    comps = a.components or [100, 300, 500, 1000]
    x_train, _, x_test, y_test, names = hdfs_sessions.load_matrices()  # exits 2 without data
    logad = bc.find_logad(a.logad)
    s_train, s_test, s_y = synthetic()
    sets = [("HDFS sessions", x_train, x_test, y_test, names),
            ("synthetic", s_train, s_test, s_y, [f"c{i}" for i in range(s_train.shape[1])])]

    print(f"nu 0.05, RBF, gamma=scale; threshold {a.threshold} from training scores; approximate rows: "
          f"median over {a.seeds} seeds; fit times as logad reports them, one thread.\n")
    print("| data | model | precision | recall | F1 | ROC-AUC | PR-AUC | Spearman vs exact | fit |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        train_csv, test_csv, model = (os.path.join(tmp, f) for f in ("train.csv", "test.csv", "model.json"))
        for label, xtr, xte, y, cols in sets:
            hdfs_sessions.write_csv(train_csv, xtr, cols)
            hdfs_sessions.write_csv(test_csv, xte, cols)
            shape = f"{label} (train {xtr.shape[0]:,} x {xtr.shape[1]}, test {xte.shape[0]:,}, {int(y.sum())} anomalous)"

            def run(params, seed):
                fit = bc.logad_train(logad, "ocsvm", train_csv, model, ["nu=0.05", "gamma=scale"] + params,
                                     threshold=a.threshold, seed=seed)
                tr, _, _ = bc.logad_score(logad, model, train_csv)
                te, _, _ = bc.logad_score(logad, model, test_csv)
                m = bc.metrics(y, te, bc.threshold_from_training(tr, a.threshold))
                return m, te, fit

            exact, exact_scores, exact_fit = run([], 42)
            rows = [("exact (SMO)", exact, 1.0, exact_fit)]
            for d in comps:
                runs = [run(["approx=rff", f"components={d}"], s) for s in range(1, a.seeds + 1)]
                med = {k: statistics.median(r[0][k] for r in runs) for k in exact}
                rho = statistics.median(spearman(r[1], exact_scores) for r in runs)
                rows.append((f"rff, {d} features", med, rho, statistics.median(r[2] for r in runs)))
            for name, m, rho, fit in rows:
                print(f"| {shape} | {name} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | "
                      f"{m['roc_auc']:.3f} | {m['pr_auc']:.3f} | {rho:.3f} | {fit * 1e3:.0f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
