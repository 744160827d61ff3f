#!/usr/bin/python3
"""Detection quality of logad's detectors next to scikit-learn and a PyTorch autoencoder on the
HDFS block sessions (template-count vectors, scripts/hdfs_sessions.py).

Every model is trained on the training split WITHOUT its labels; its threshold comes from its
own training scores under the same rule (contamination=C: the (1 - C) quantile); the test split
is scored and compared with the labels: precision, recall, F1 at that threshold, ROC-AUC and
PR-AUC (average precision) of the raw scores. Randomised models run with several seeds and the
table shows the median of each metric. Same parameters on both sides: iforest 100 trees x 256
rows; one-class SVM nu=0.05, RBF, gamma=scale; autoencoder as scripts/torch_autoencoder.py.

    /usr/bin/python3 scripts/bench_detectors_quality.py [--logad PATH] [--seeds 5]
        [--threshold contamination=0.03 --threshold contamination=0.01]

Prints one Markdown table per threshold rule. Exits 2 when the shared data is missing.
Read /work/shared/data/README.md first: 178 of the 313 anomalous blocks have exactly the count
vector of normal blocks, so F1 cannot exceed about 0.66-0.69 here whatever the model.
"""
import argparse
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_common as bc  # noqa: E402
import hdfs_sessions  # noqa: E402


def median_metrics(runs):
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--logad", help="logad binary (default: $LOGAD, build/logad, else the newest build*/logad)")
    ap.add_argument("--seeds", type=int, default=5, help="seeds per randomised model (median reported)")
    ap.add_argument("--threshold", action="append",
                    help="threshold rule(s), default contamination=0.03 and contamination=0.01")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--skip", action="append", default=[], help="skip rows whose name contains this")
    a = ap.parse_args()
    rules = a.threshold or ["contamination=0.03", "contamination=0.01"]
    x_train, _, x_test, y_test, names = hdfs_sessions.load_matrices()  # exits 2 without data
    logad = bc.find_logad(a.logad)
    seeds = list(range(1, a.seeds + 1))

    import numpy as np
    from sklearn.ensemble import IsolationForest
    from sklearn.svm import OneClassSVM

    try:
        import torch_autoencoder
    except ImportError as e:
        torch_autoencoder = None
        sys.stderr.write(f"PyTorch autoencoder row skipped: cannot import scripts/torch_autoencoder.py ({e})\n")

    with tempfile.TemporaryDirectory() as tmp:
        train_csv, test_csv, model = (os.path.join(tmp, f) for f in ("train.csv", "test.csv", "model.json"))
        hdfs_sessions.write_csv(train_csv, x_train, names)
        hdfs_sessions.write_csv(test_csv, x_test, names)

        def logad_scores(algo, params, seed):
            def run():
                bc.logad_train(logad, algo, train_csv, model, params, seed=seed, threads=a.threads)
                s_train, _, _ = bc.logad_score(logad, model, train_csv, a.threads)
                s_test, _, _ = bc.logad_score(logad, model, test_csv, a.threads)
                return s_train, s_test
            return run

        def sk_iforest(seed):
            def run():
                m = IsolationForest(n_estimators=100, max_samples=256, random_state=seed).fit(x_train)
                return -m.score_samples(x_train), -m.score_samples(x_test)
            return run

        def sk_ocsvm():
            m = OneClassSVM(nu=0.05, kernel="rbf", gamma="scale").fit(x_train)
            return -m.decision_function(x_train), -m.decision_function(x_test)

        def torch_ae(seed):
            def run():
                m = torch_autoencoder.fit(x_train, seed=seed, threads=1)
                return m.score(x_train), m.score(x_test)
            return run

        # (row name, counterpart group, [one scoring function per seed])
        rows = [
            ("logad iforest", "iforest", [logad_scores("iforest", [], s) for s in seeds]),
            ("logad iforest extended", "iforest", [logad_scores("iforest", ["extended=true"], s) for s in seeds]),
            ("scikit-learn IsolationForest", "iforest", [sk_iforest(s) for s in seeds]),
            ("logad ocsvm", "ocsvm", [logad_scores("ocsvm", ["nu=0.05", "gamma=scale"], 42)]),
            ("scikit-learn OneClassSVM", "ocsvm", [sk_ocsvm]),
            ("logad autoencoder", "autoencoder", [logad_scores("autoencoder", [], s) for s in seeds]),
        ]
        if torch_autoencoder is not None:
            rows.append(("PyTorch autoencoder", "autoencoder", [torch_ae(s) for s in seeds]))

        results = {}  # name -> list of (train scores, test scores)
        for name, _, fns in rows:
            if any(s in name for s in a.skip):
                continue
            try:
                results[name] = [fn() for fn in fns]
            except Exception as e:  # one model failing must not hide the others
                sys.stderr.write(f"{name}: skipped: {e}\n")

    print(f"HDFS sessions: train {x_train.shape[0]} x {x_train.shape[1]} (labels unused), "
          f"test {x_test.shape[0]} ({int(y_test.sum())} anomalous); medians over {a.seeds} seeds for randomised models\n")
    for rule in rules:
        print(f"### threshold {rule} (from training scores)\n")
        print("| model | precision | recall | F1 | ROC-AUC | PR-AUC | test rows flagged |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, _, _ in rows:
            if name not in results:
                continue
            runs = [bc.metrics(y_test, s_test, bc.threshold_from_training(s_train, rule))
                    for s_train, s_test in results[name]]
            m = median_metrics(runs)
            print(f"| {name} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['roc_auc']:.3f} | "
                  f"{m['pr_auc']:.3f} | {m['flagged']:.0f} |")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
