#!/usr/bin/python3
"""End-to-end benchmark of `logad train` / `logad score` on raw logs (issue 4).

For each algorithm (iforest, ocsvm, autoencoder) and granularity, trains on the first half of a
shared Loghub dataset, scores the second half, and prints accuracy (precision, recall, F1, ROC-AUC,
PR-AUC; thresholds come from the training data only, by logad's default rule) and speed (train
seconds, score lines/s, peak RSS of each process), then a Markdown table for the README.

Datasets (read from ../shared/data or $LOGAD_SHARED_DATA; Loghub, https://github.com/logpai/loghub,
Zhu et al., "Loghub: A Large Collection of System Log Datasets for AI-driven Log Analytics",
ISSRE 2023; never copied into the project):
  HDFS  hdfs/HDFS_20000.log. Blocks are ordered by their first line; the lines of the first half
        of the blocks are the training file, the rest the test file (every line names exactly one
        block). session: `--per session --key 'blk_-?\\d+'`, labels from
        anomaly_label_HDFS_100k.csv (BlockId,Label) for the test blocks. line: `--per line`,
        labels from HDFS_20000.log_labels.csv (a line is anomalous when its block is).
  BGL   loghub-2k/BGL/BGL_2k.log: first 1,000 lines train, last 1,000 test, per line (no windows:
        the 2k sample is spread over seven months, so 60 s windows are nearly all empty: 62,662
        training windows from 1,000 lines). Line labels: an alert
        is a line whose first field is not `-`. The header format names that field <Label>; logad
        keeps unmapped header fields as record fields, which no featurizer reads (rows use the
        message, level, time and template only), so the label cannot leak into the features. The
        script checks this: the test half scored with every label replaced by `-` must give the
        same scores.

Metrics (same definitions as `logad eval`, which is run too when the binary has it and must
agree): an item (a test line, or a test block) gets the highest margin `score - threshold` of the
records of the run's granularity that cover it (detector rows and signals, as `logad score` shows
them; `--all` gives every row a score); it is predicted anomalous when that margin is > 0. The
"detector" columns use the detector's own rows only.

Speed: CPU time (user + system) of each process, which stays meaningful on a shared machine;
"lines/s" is test lines over the CPU time of the whole `logad score` run (model load included:
these inputs are small, see scripts/bench_score.sh for steady-state throughput); peak RSS from
GNU time of each process (the larger of train and score).

Usage: scripts/bench_pipeline.py [--logad PATH] [--algos iforest,ocsvm,autoencoder] [--keep DIR]
Exit 2 when the shared data is missing.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_common import ROOT, find_logad  # noqa: E402

ALGOS = ["iforest", "ocsvm", "autoencoder"]
HDFS_FORMAT = "<Date> <Time> <Pid> <Level> <Component>: <Content>"
BGL_FORMAT = "<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>"
BLOCK = re.compile(r"blk_-?\d+")


def shared_data():
    path = os.environ.get("LOGAD_SHARED_DATA") or os.path.join(ROOT, "..", "shared", "data")
    if not os.path.isdir(path):
        sys.stderr.write(f"bench_pipeline: shared data not found at {path} (set LOGAD_SHARED_DATA)\n")
        sys.exit(2)
    if not os.access("/usr/bin/time", os.X_OK):
        sys.stderr.write("bench_pipeline: needs GNU time (apt-get install time)\n")
        sys.exit(2)
    return path


def format_of(data, name):
    """The header format of a dataset from loghub-2k/formats.tsv."""
    with open(os.path.join(data, "loghub-2k", "formats.tsv")) as f:
        for row in csv.reader(f, delimiter="\t"):
            if row and row[0] == name:
                return row[1]
    raise SystemExit(f"bench_pipeline: {name} not in formats.tsv")


def run_measured(cmd, stdout_path=None):
    """Runs cmd under GNU time; returns (stdout text or None, stderr, CPU seconds, peak RSS MB).

    CPU time (user + system), not wall time: it holds on a machine shared with other jobs. GNU
    time, not wait4() here: a child forked from this (growing) Python process would report
    Python's RSS at fork time as its peak."""
    with tempfile.NamedTemporaryFile(mode="r", suffix=".time") as timing:
        full = ["/usr/bin/time", "-f", "%M %U %S", "-o", timing.name] + cmd
        if stdout_path:
            with open(stdout_path, "w") as out:
                res = subprocess.run(full, stdout=out, stderr=subprocess.PIPE, text=True)
        else:
            res = subprocess.run(full, capture_output=True, text=True)
        if res.returncode not in (0, 1):
            raise RuntimeError(f"{' '.join(cmd)} failed ({res.returncode}): {res.stderr.strip()}")
        kb, user, system = timing.read().split()[-3:]
    return res.stdout, res.stderr, float(user) + float(system), int(kb) / 1024.0


# ---- datasets -------------------------------------------------------------------------------

def prepare_hdfs(data, work):
    """Splits HDFS_20000.log by block, in order of each block's first line."""
    with open(os.path.join(data, "hdfs", "HDFS_20000.log"), encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    order = []
    seen = set()
    line_block = []
    for line in lines:
        m = BLOCK.search(line)
        b = m.group(0) if m else None
        line_block.append(b)
        if b and b not in seen:
            seen.add(b)
            order.append(b)
    train_blocks = set(order[: len(order) // 2])
    train, test, test_origin = [], [], []
    for i, (line, b) in enumerate(zip(lines, line_block), start=1):
        # every HDFS line names one block; a line naming none would follow its neighbours
        if b in train_blocks or (b is None and not test):
            train.append(line)
        else:
            test.append(line)
            test_origin.append(i)
    paths = {k: os.path.join(work, f"hdfs_{k}") for k in ("train.log", "test.log", "sessions.csv", "lines.csv")}
    for key, rows in (("train.log", train), ("test.log", test)):
        with open(paths[key], "w") as f:
            f.write("\n".join(rows) + "\n")
    test_blocks = [b for b in order if b not in train_blocks]
    labels = {}
    with open(os.path.join(data, "hdfs", "anomaly_label_HDFS_100k.csv")) as f:
        for row in csv.DictReader(f):
            labels[row["BlockId"]] = row["Label"]
    with open(paths["sessions.csv"], "w") as f:
        f.write("BlockId,Label\n")
        for b in test_blocks:
            f.write(f"{b},{labels[b]}\n")
    line_label = {}
    with open(os.path.join(data, "hdfs", "HDFS_20000.log_labels.csv")) as f:
        for row in csv.DictReader(f):
            line_label[int(row["LineId"])] = row["Label"]
    with open(paths["lines.csv"], "w") as f:
        f.write("line,label\n")
        for n, origin in enumerate(test_origin, start=1):
            f.write(f"{n},{line_label[origin]}\n")
    info = {"train_lines": len(train), "test_lines": len(test), "train_blocks": len(train_blocks),
            "test_blocks": len(test_blocks),
            "train_anomalous_blocks": sum(labels[b] == "Anomaly" for b in train_blocks),
            "test_anomalous_blocks": sum(labels[b] == "Anomaly" for b in test_blocks)}
    return paths, info


def prepare_bgl(data, work):
    with open(os.path.join(data, "loghub-2k", "BGL", "BGL_2k.log"), encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    half = len(lines) // 2
    train, test = lines[:half], lines[half:]
    paths = {k: os.path.join(work, f"bgl_{k}") for k in ("train.log", "test.log", "test_unlabelled.log", "lines.csv")}
    with open(paths["train.log"], "w") as f:
        f.write("\n".join(train) + "\n")
    with open(paths["test.log"], "w") as f:
        f.write("\n".join(test) + "\n")
    # The same lines with every label field replaced by "-": scores must not change.
    with open(paths["test_unlabelled.log"], "w") as f:
        f.write("\n".join("-" + line[line.index(" "):] for line in test) + "\n")
    with open(paths["lines.csv"], "w") as f:
        f.write("line,label\n")
        for n, line in enumerate(test, start=1):
            f.write(f"{n},{'Normal' if line.split(' ', 1)[0] == '-' else 'Anomaly'}\n")
    alert = lambda rows: sum(r.split(" ", 1)[0] != "-" for r in rows)  # noqa: E731
    info = {"train_lines": len(train), "test_lines": len(test), "train_alerts": alert(train), "test_alerts": alert(test)}
    return paths, info


# ---- metrics --------------------------------------------------------------------------------

def read_labels(path):
    with open(path) as f:
        rows = list(csv.reader(f))[1:]
    return [r[0] for r in rows], [r[1].lower() in ("anomaly", "1", "true") for r in rows]


def item_margins(records, items, per, by_line, only=None):
    """Highest `score - threshold` per item among the records of granularity `per` covering it."""
    best = {k: float("-inf") for k in items}
    for r in records:
        if r["per"] != per or (only and r["detector"] != only):
            continue
        margin = r["score"] - r["threshold"]
        if by_line:
            covered = [str(n) for n in range(r["first_line"], r["last_line"] + 1)]
        else:
            covered = [r.get("key", "")]
        for k in covered:
            if k in best and margin > best[k]:
                best[k] = margin
    return [best[k] for k in items]


def metrics(truth, margins):
    import numpy as np
    from sklearn.metrics import average_precision_score, roc_auc_score
    y = np.array(truth, dtype=bool)
    s = np.array(margins, dtype=float)
    finite = s[np.isfinite(s)]
    low = (finite.min() if finite.size else 0.0) - 1.0
    s = np.where(np.isfinite(s), s, low)  # unscored items rank below every scored one, all tied
    pred = s > 0
    tp = int((pred & y).sum())
    p = tp / pred.sum() if pred.sum() else 0.0
    r = tp / y.sum() if y.sum() else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f1, "roc_auc": roc_auc_score(y, s),
            "pr_auc": average_precision_score(y, s), "flagged": int(pred.sum()), "positives": int(y.sum())}


def has_eval(logad):
    return subprocess.run([logad, "eval", "--help"], capture_output=True).returncode == 0


def logad_eval(logad, scores_path, labels_path):
    res = subprocess.run([logad, "eval", "--json", "--labels", labels_path, scores_path], capture_output=True, text=True)
    if res.returncode != 0:
        return None, res.stderr.strip()
    try:
        return json.loads(res.stdout.strip().splitlines()[-1]), None
    except (ValueError, IndexError):
        return None, f"unexpected output: {res.stdout[:200]}"


# ---- runs -----------------------------------------------------------------------------------

def one_run(logad, work, case, algo, use_eval):
    tag = f"{case['name']}_{case['per']}_{algo}"
    model = os.path.join(work, tag + ".model.json")
    cmd = [logad, "train", "--format", case["format"], "--per", case["per"], "--algo", algo, "-o", model]
    cmd += case.get("extra", []) + case.get("params", {}).get(algo, []) + [case["train"]]
    _, train_err, train_s, train_rss = run_measured(cmd)
    scores_path = os.path.join(work, tag + ".scores.ndjson")
    _, score_err, score_s, score_rss = run_measured([logad, "score", "-m", model, "--all", case["test"]], scores_path)
    with open(scores_path) as f:
        records = [json.loads(line) for line in f if line.strip()]
    items, truth = read_labels(case["labels"])
    by_line = case["labels_by_line"]
    res = {"case": case, "algo": algo, "train_s": train_s, "train_rss": train_rss, "score_s": score_s,
           "score_rss": score_rss, "lines_per_s": case["test_lines"] / score_s, "records": records,
           "all": metrics(truth, item_margins(records, items, case["per"], by_line)),
           "detector": metrics(truth, item_margins(records, items, case["per"], by_line, only=algo)),
           "train_summary": [l for l in train_err.splitlines() if case["per"] in l][:1]}
    if use_eval:
        ev, problem = logad_eval(logad, scores_path, case["labels"])
        res["eval"], res["eval_problem"] = ev, problem
    return res


def check_label_ignored(logad, work, case, unlabelled):
    """Scores of the BGL test half must not change when the label field is blanked."""
    model = os.path.join(work, f"{case['name']}_{case['per']}_iforest.model.json")
    a, _, _, _ = run_measured([logad, "score", "-m", model, "--all", case["test"]])
    b, _, _, _ = run_measured([logad, "score", "-m", model, "--all", unlabelled])
    return a == b


def fmt(x, digits=3):
    return "n/a" if x is None else f"{x:.{digits}f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--logad", help="logad binary (default: build/logad or the newest build*/)")
    ap.add_argument("--algos", default=",".join(ALGOS))
    ap.add_argument("--keep", help="write the split files, models and scores here (default: a temp dir)")
    args = ap.parse_args()
    data = shared_data()
    logad = find_logad(args.logad)
    algos = args.algos.split(",")
    work_ctx = None
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        work = args.keep
    else:
        work_ctx = tempfile.TemporaryDirectory(prefix="bench_pipeline.")
        work = work_ctx.name

    hdfs, hdfs_info = prepare_hdfs(data, work)
    bgl, bgl_info = prepare_bgl(data, work)
    hdfs_format = format_of(data, "HDFS")
    bgl_format = format_of(data, "BGL")
    assert hdfs_format == HDFS_FORMAT and bgl_format == BGL_FORMAT, "formats.tsv changed"
    print(f"logad: {logad}")
    print(f"HDFS split by block first appearance: {hdfs_info}")
    print(f"BGL split by line: {bgl_info}")

    cases = [
        {"name": "HDFS", "per": "session", "format": hdfs_format, "extra": ["--key", r"blk_-?\d+"],
         "train": hdfs["train.log"], "test": hdfs["test.log"], "labels": hdfs["sessions.csv"], "labels_by_line": False,
         "test_lines": hdfs_info["test_lines"], "items": "blocks"},
        {"name": "HDFS", "per": "line", "format": hdfs_format, "train": hdfs["train.log"], "test": hdfs["test.log"],
         "labels": hdfs["lines.csv"], "labels_by_line": True, "test_lines": hdfs_info["test_lines"], "items": "lines"},
        {"name": "BGL", "per": "line", "format": bgl_format, "train": bgl["train.log"], "test": bgl["test.log"],
         "labels": bgl["lines.csv"], "labels_by_line": True, "test_lines": bgl_info["test_lines"], "items": "lines"},
    ]
    use_eval = has_eval(logad)
    print(f"logad eval: {'found, its metrics are checked against these' if use_eval else 'not in this binary, Python metrics only'}")
    results = []
    t0 = time.perf_counter()
    for case in cases:
        for algo in algos:
            r = one_run(logad, work, case, algo, use_eval)
            r.pop("records")  # keep this process small
            results.append(r)
            a = r["all"]
            print(f"{case['name']:<5} {case['per']:<8} {algo:<12} P {a['precision']:.3f} R {a['recall']:.3f} "
                  f"F1 {a['f1']:.3f} ROC {a['roc_auc']:.3f} PR {a['pr_auc']:.3f} ({a['flagged']} flagged, "
                  f"{a['positives']} anomalous {case['items']}); detector only F1 {r['detector']['f1']:.3f} "
                  f"ROC {r['detector']['roc_auc']:.3f}; train {r['train_s']:.2f} s; "
                  f"score {r['lines_per_s']:,.0f} lines/s; RSS {max(r['train_rss'], r['score_rss']):.0f} MB", flush=True)
            for line in r["train_summary"]:
                print("      " + line)

    mismatches = []
    if use_eval:
        for r in results:
            ev = r.get("eval")
            if ev is None:
                mismatches.append(f"{r['case']['name']} {r['case']['per']} {r['algo']}: logad eval failed: {r['eval_problem']}")
                continue
            for k in ("precision", "recall", "f1", "roc_auc", "pr_auc"):
                if k in ev and abs(ev[k] - r["all"][k]) > 1e-6:
                    mismatches.append(f"{r['case']['name']} {r['case']['per']} {r['algo']}: {k} eval {ev[k]:.6f} vs {r['all'][k]:.6f}")
        print("logad eval agrees with the Python metrics" if not mismatches else "logad eval disagrees:\n  " + "\n  ".join(mismatches))

    if "iforest" in algos:
        bgl_line = next(c for c in cases if c["name"] == "BGL" and c["per"] == "line")
        same = check_label_ignored(logad, work, bgl_line, bgl["test_unlabelled.log"])
        print(f"BGL label field ignored by the features (scores equal with labels blanked): {'yes' if same else 'NO'}")
        if not same:
            mismatches.append("BGL label field changes the scores")
    print(f"total {time.perf_counter() - t0:.1f} s\n")

    print("| data | per | algo | precision | recall | F1 | ROC-AUC | PR-AUC | detector-only F1 / ROC-AUC | train CPU s | score lines/CPU s | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        a, d = r["all"], r["detector"]
        print(f"| {r['case']['name']} | {r['case']['per']} | {r['algo']} | {fmt(a['precision'])} | {fmt(a['recall'])} | "
              f"{fmt(a['f1'])} | {fmt(a['roc_auc'])} | {fmt(a['pr_auc'])} | {fmt(d['f1'])} / {fmt(d['roc_auc'])} | "
              f"{r['train_s']:.2f} | {r['lines_per_s']:,.0f} | {max(r['train_rss'], r['score_rss']):.0f} |")
    print(f"\nHDFS: {hdfs_info['train_blocks']} training blocks ({hdfs_info['train_anomalous_blocks']} anomalous, "
          f"kept: training is unsupervised), {hdfs_info['test_blocks']} test blocks ({hdfs_info['test_anomalous_blocks']} "
          f"anomalous). BGL: {bgl_info['train_alerts']} alerts in the {bgl_info['train_lines']} training lines, "
          f"{bgl_info['test_alerts']} in the {bgl_info['test_lines']} test lines. Thresholds: logad's default "
          f"(above every training row); metrics count detector rows and signals of the run's granularity.")
    if work_ctx:
        work_ctx.cleanup()
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
