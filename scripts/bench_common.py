"""Helpers shared by the detector benchmarks: find and run logad, thresholds, metrics."""
import glob
import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def find_logad(explicit=None):
    """--logad, $LOGAD, build/logad (scripts/build.sh), else the newest build*/logad."""
    if explicit or os.environ.get("LOGAD"):
        return explicit or os.environ["LOGAD"]
    if os.access(os.path.join(ROOT, "build", "logad"), os.X_OK):
        return os.path.join(ROOT, "build", "logad")
    found = [p for p in glob.glob(os.path.join(ROOT, "build*", "logad")) + glob.glob(os.path.join(ROOT, "build*", "apps", "logad", "logad"))
             if os.access(p, os.X_OK) and os.path.isfile(p)]
    if found:
        return max(found, key=os.path.getmtime)
    if shutil.which("logad"):
        return shutil.which("logad")
    sys.stderr.write("no logad binary found: build it (scripts/build.sh) or pass --logad PATH\n")
    sys.exit(2)


def run(cmd):
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({res.returncode}): {res.stderr.strip()}")
    return res


def logad_train(logad, algo, csv, model, params=(), threshold="contamination=0.01", seed=42, threads=1):
    """Trains; returns the fit seconds logad reports (fitting only, not reading or thresholding)."""
    cmd = [logad, "train", "--algo", algo, "--threshold", threshold, "--seed", str(seed), "--threads", str(threads),
           "-o", model, csv]
    for p in params:
        cmd += ["--param", p]
    res = run(cmd)
    m = re.search(r"fitted in ([0-9.]+) s", res.stderr)
    return float(m.group(1)) if m else float("nan")


def logad_score(logad, model, csv, threads=1):
    """Scores every row; returns (scores, threshold, scoring seconds as logad reports them)."""
    res = run([logad, "score", "-m", model, "--all", "--threads", str(threads), csv])
    rows = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    scores = np.array([r["score"] for r in rows])
    threshold = rows[0]["threshold"] if rows else float("nan")
    m = re.search(r"scored in ([0-9.]+) s", res.stderr)
    return scores, threshold, float(m.group(1)) if m else float("nan")


def threshold_from_training(train_scores, rule):
    """The same rules as logad (include/logad/model/threshold.hpp), numpy's linear quantile."""
    kind, value = rule.split("=")
    value = float(value)
    if kind == "fixed":
        return value
    q = 1.0 - value if kind == "contamination" else value
    return float(np.quantile(train_scores, q))


def metrics(y, scores, threshold):
    from sklearn.metrics import average_precision_score, precision_recall_fscore_support, roc_auc_score
    pred = scores > threshold
    p, r, f, _ = precision_recall_fscore_support(y, pred, average="binary", zero_division=0)
    return {"precision": p, "recall": r, "f1": f, "roc_auc": roc_auc_score(y, scores),
            "pr_auc": average_precision_score(y, scores), "flagged": int(pred.sum())}
