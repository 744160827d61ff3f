#!/usr/bin/python3
"""Speed of logad's detectors next to scikit-learn, LIBSVM and PyTorch, on the same matrices in
one run: the HDFS session count matrix (scripts/hdfs_sessions.py) and a synthetic 100,000 x 50
matrix (scripts/torch_autoencoder.synthetic: a 10-dimensional subspace plus noise).

  isolation forest  fit and score time, logad vs sklearn.ensemble.IsolationForest, 100 trees x 256
                    rows, both on --threads threads (default 1: equal footing)
  one-class SVM     fit time, logad vs LIBSVM's svm-train -s 2 (Debian libsvm-tools), same nu,
                    the same explicit gamma (scikit-learn's "scale" value computed here), tolerance,
                    cache and shrinking; on at most --svm-rows rows (an exact kernel SVM on 100k
                    rows takes minutes for both); svm-train's time includes reading its text input,
                    which is also timed alone (svm-train -n 0 reads, then refuses nu) and subtracted
                    in the last column; the approximate mode (approx=rff) on the whole matrix
  autoencoder       seconds per training epoch, logad vs scripts/torch_autoencoder.py (same network,
                    batch size and optimiser), measured as that script does
  scoring           rows/s of each logad model on the whole matrix

logad's times are the ones it reports itself ("fitted in", "scored in": the model's work, not
reading the CSV); the others are timed in-process around fit/score. Every number is the median
of --repeats runs; logad and the reference alternate within each run, and a speed-up is the median
of the per-run ratios (the machine's load then weighs on both alike). Prints Markdown tables; exits 2 when the shared data is missing.

    /usr/bin/python3 scripts/bench_detectors_speed.py [--logad PATH] [--repeats 3] [--threads 1]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_common as bc  # noqa: E402
import hdfs_sessions  # noqa: E402


def median_time(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def write_libsvm(path, x):
    with open(path, "w") as f:
        for row in x:
            f.write("1 " + " ".join(f"{j + 1}:{v:.17g}" for j, v in enumerate(row) if v != 0) + "\n")


def fmt_s(s):
    return f"{s * 1e3:.1f} ms" if s < 1 else f"{s:.2f} s"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--logad", help="logad binary (default: $LOGAD, build/logad, else the newest build*/logad)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1, help="threads for every library (default 1)")
    ap.add_argument("--rows", type=int, default=100000, help="synthetic rows")
    ap.add_argument("--cols", type=int, default=50, help="synthetic columns")
    ap.add_argument("--svm-rows", type=int, default=20000, help="rows for the exact SVM comparison")
    ap.add_argument("--rff-components", type=int, default=500, help="random features of the approximate SVM row")
    ap.add_argument("--ae-epochs", type=int, default=3, help="epochs timed for the autoencoder")
    ap.add_argument("--skip", action="append", default=[], help="skip iforest, ocsvm or autoencoder")
    a = ap.parse_args()
    x_hdfs, _, _, _, hdfs_names = hdfs_sessions.load_matrices()  # exits 2 without data
    logad = bc.find_logad(a.logad)

    import numpy as np
    from sklearn.ensemble import IsolationForest

    try:
        import torch
        import torch_autoencoder
        torch.set_num_threads(a.threads)
    except ImportError as e:
        torch_autoencoder = None
        sys.stderr.write(f"autoencoder rows skipped: cannot import scripts/torch_autoencoder.py ({e})\n")
    svm_train = "/usr/bin/svm-train" if os.access("/usr/bin/svm-train", os.X_OK) else None
    if not svm_train:
        sys.stderr.write("LIBSVM column empty: install libsvm-tools for /usr/bin/svm-train\n")

    x_syn = (torch_autoencoder.synthetic(a.rows, a.cols, 7) if torch_autoencoder
             else np.random.default_rng(7).standard_normal((a.rows, a.cols)))
    datasets = [("HDFS sessions", x_hdfs, hdfs_names),
                ("synthetic", x_syn, [f"c{i}" for i in range(a.cols)])]
    r, th = a.repeats, a.threads
    tables = {"iforest": [], "ocsvm": [], "rff": [], "autoencoder": [], "scoring": []}

    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "model.json")
        for label, x, names in datasets:
            csv = os.path.join(tmp, "x.csv")
            hdfs_sessions.write_csv(csv, x, names)
            shape = f"{label} ({x.shape[0]:,} x {x.shape[1]})"

            def logad_fit_score(algo, params, csv_path):
                fits, scores = [], []
                for _ in range(r):
                    fits.append(bc.logad_train(logad, algo, csv_path, model, params, threads=th))
                    scores.append(bc.logad_score(logad, model, csv_path, th)[2])
                return statistics.median(fits), statistics.median(scores)

            if "iforest" not in a.skip:
                # logad and scikit-learn alternate within each repeat, so both see the same load.
                m = IsolationForest(n_estimators=100, max_samples=256, random_state=0, n_jobs=th)
                runs = [(bc.logad_train(logad, "iforest", csv, model, [], threads=th),
                         bc.logad_score(logad, model, csv, th)[2], timed(lambda: m.fit(x)),
                         timed(lambda: m.score_samples(x))) for _ in range(r)]
                lf, ls, sf, ss = (statistics.median(v) for v in zip(*runs))
                fit_ratio, score_ratio = statistics.median(v[2] / v[0] for v in runs), statistics.median(v[3] / v[1] for v in runs)
                tables["iforest"].append(f"| {shape} | {fmt_s(lf)} | {fmt_s(sf)} | {fit_ratio:.1f}x | "
                                         f"{fmt_s(ls)} | {fmt_s(ss)} | {score_ratio:.1f}x |")
                tables["scoring"].append(f"| {shape} | iforest | {x.shape[0] / ls:,.0f} | "
                                         f"scikit-learn {x.shape[0] / ss:,.0f} |")

            if "ocsvm" not in a.skip:
                xs = x[np.random.default_rng(0).permutation(x.shape[0])[:a.svm_rows]] if x.shape[0] > a.svm_rows else x
                gamma = 1.0 / (xs.shape[1] * xs.var())  # scikit-learn's gamma="scale"
                svm_csv, svm_txt = os.path.join(tmp, "svm.csv"), os.path.join(tmp, "svm.txt")
                hdfs_sessions.write_csv(svm_csv, xs, names)
                write_libsvm(svm_txt, xs)
                params = ["nu=0.05", f"gamma={gamma!r}", "tol=0.001", "cache_mb=200", "shrinking=true"]
                svm_shape = f"{label} ({xs.shape[0]:,} x {xs.shape[1]})"
                if svm_train:
                    cmd = [svm_train, "-s", "2", "-t", "2", "-n", "0.05", "-g", repr(gamma), "-e", "0.001",
                           "-m", "200", "-h", "1", svm_txt, os.path.join(tmp, "svm.model")]
                    # svm-train with nu = 0 reads the whole file, then refuses the parameter: its reading time.
                    read_only = [svm_train, "-s", "2", "-n", "0", svm_txt, os.devnull]
                    runs = []
                    for _ in range(r):
                        lf = bc.logad_train(logad, "ocsvm", svm_csv, model, params, threads=th)
                        ls = bc.logad_score(logad, model, svm_csv, th)[2]
                        lt = timed(lambda: subprocess.run(cmd, check=True, capture_output=True))
                        rt = timed(lambda: subprocess.run(read_only, capture_output=True))
                        runs.append((lf, ls, lt, rt))
                    lf, ls, lt, rt = (statistics.median(v) for v in zip(*runs))
                    ratio = statistics.median(v[2] / v[0] for v in runs)
                    ratio_solve = statistics.median((v[2] - v[3]) / v[0] for v in runs)
                    tables["ocsvm"].append(f"| {svm_shape} | {fmt_s(lf)} | {fmt_s(lt)} | {fmt_s(rt)} | "
                                           f"{ratio:.2f}x | {ratio_solve:.2f}x |")
                    pred = [svm_train.replace("svm-train", "svm-predict"), svm_txt, os.path.join(tmp, "svm.model"),
                            os.path.join(tmp, "svm.out")]
                    pt = median_time(lambda: subprocess.run(pred, check=True, capture_output=True), r)
                    ref = f"svm-predict {xs.shape[0] / pt:,.0f} (process, incl. reading)"
                else:
                    runs = [(bc.logad_train(logad, "ocsvm", svm_csv, model, params, threads=th),
                             bc.logad_score(logad, model, svm_csv, th)[2]) for _ in range(r)]
                    lf, ls = (statistics.median(v) for v in zip(*runs))
                    tables["ocsvm"].append(f"| {svm_shape} | {fmt_s(lf)} | n/a | n/a | n/a | n/a |")
                    ref = ""
                tables["scoring"].append(f"| {svm_shape} | ocsvm | {xs.shape[0] / ls:,.0f} | {ref} |")
                if x.shape[0] > a.svm_rows:
                    # The approximate mode on the whole matrix, where the exact solver is impractical.
                    rff = ["nu=0.05", "gamma=scale", "approx=rff", f"components={a.rff_components}"]
                    runs = [(bc.logad_train(logad, "ocsvm", csv, model, rff, threads=th),
                             bc.logad_score(logad, model, csv, th)[2]) for _ in range(r)]
                    lf, ls = (statistics.median(v) for v in zip(*runs))
                    tables["rff"].append(f"| {shape} | {a.rff_components} | {fmt_s(lf)} | {x.shape[0] / ls:,.0f} |")

            if "autoencoder" not in a.skip and torch_autoencoder is not None:
                le = torch_autoencoder.logad_epoch_seconds(logad, csv, th, a.ae_epochs, r)
                tm = torch_autoencoder.fit(x, seed=42, threads=th, max_epochs=a.ae_epochs, patience=10**6)
                te = statistics.median(tm.epoch_seconds)
                _, ls = logad_fit_score("autoencoder", ["max_epochs=1"], csv)
                ts = median_time(lambda: tm.score(x), r)
                tables["autoencoder"].append(f"| {shape} | {fmt_s(le)} | {fmt_s(te)} | {te / le:.2f}x |")
                tables["scoring"].append(f"| {shape} | autoencoder | {x.shape[0] / ls:,.0f} | "
                                         f"PyTorch {x.shape[0] / ts:,.0f} |")

    print(f"Threads: {th} for every library; medians of {r} runs (logad and the reference alternate within "
          f"each run; a speed-up is the median of the per-run ratios).\n")
    heads = {
        "iforest": ("Isolation forest (100 trees x 256 rows)",
                    "| matrix | logad fit | scikit-learn fit | fit speed-up | logad score | scikit-learn score | score speed-up |\n"
                    "|---|---:|---:|---:|---:|---:|---:|"),
        "ocsvm": ("One-class SVM (nu 0.05, RBF, gamma=scale, exact)",
                  "| matrix | logad fit | LIBSVM svm-train (process) | of which reading its input | "
                  "svm-train / logad fit | (svm-train - reading) / logad fit |\n"
                  "|---|---:|---:|---:|---:|---:|"),
        "rff": ("One-class SVM, approximate (approx=rff) on the whole matrix",
                "| matrix | random features | logad fit | logad scoring rows/s |\n|---|---:|---:|---:|"),
        "autoencoder": ("Autoencoder, seconds per training epoch",
                        "| matrix | logad | PyTorch | speed-up |\n|---|---:|---:|---:|"),
        "scoring": ("Scoring throughput (rows/s)", "| matrix | logad model | logad rows/s | reference rows/s |\n|---|---|---:|---:|"),
    }
    for key, (title, head) in heads.items():
        if tables[key]:
            print(f"### {title}\n\n{head}")
            print("\n".join(tables[key]) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
