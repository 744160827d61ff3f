#!/usr/bin/python3
"""HDFS block sessions as template-count matrices, for the detector benchmarks.

Reads ../shared/data/hdfs/sessions_100k/session_{train,test}.jsonl (Loghub HDFS_v1, see that
folder's README for the licence and the label caveats). Each session becomes one row: how many
times each template occurs in it. The vocabulary comes from the training split only (sorted by
training frequency, then text); test templates never seen in training are counted in one extra
"OOV" column, so nothing about the test split leaks into the feature space.

As a module:   X_train, y_train, X_test, y_test, names = load_matrices()
As a program:  /usr/bin/python3 scripts/hdfs_sessions.py OUT_DIR   writes train.csv / test.csv
               (feature columns with a header) and train_labels.txt / test_labels.txt.
Exits 2 with a message when the shared data is missing.
"""
import collections
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def shared_data_dir():
    return os.environ.get("LOGAD_SHARED_DATA") or os.path.normpath(os.path.join(HERE, "..", "..", "shared", "data"))


def sessions_dir():
    return os.path.join(shared_data_dir(), "hdfs", "sessions_100k")


def require_data():
    """Exits 2 with a message when the HDFS sessions are not there (fresh clones do not have them)."""
    d = sessions_dir()
    missing = [f for f in ("session_train.jsonl", "session_test.jsonl") if not os.path.isfile(os.path.join(d, f))]
    if missing:
        sys.stderr.write(f"{os.path.basename(sys.argv[0])}: shared data missing: {', '.join(missing)} not in {d}\n"
                         "Set LOGAD_SHARED_DATA to the folder holding hdfs/sessions_100k.\n")
        sys.exit(2)
    return d


def read_sessions(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                s = json.loads(line)
                yield s["templates"], int(s["label"])


def count_matrix(sessions, index):
    oov = len(index)
    x = np.zeros((len(sessions), oov + 1))
    for r, (templates, _) in enumerate(sessions):
        for t in templates:
            x[r, index.get(t, oov)] += 1
    return x


def load_matrices():
    d = require_data()
    train = list(read_sessions(os.path.join(d, "session_train.jsonl")))
    test = list(read_sessions(os.path.join(d, "session_test.jsonl")))
    freq = collections.Counter(t for templates, _ in train for t in templates)
    vocab = sorted(freq, key=lambda t: (-freq[t], t))
    index = {t: i for i, t in enumerate(vocab)}
    names = [f"t{i}" for i in range(len(vocab))] + ["OOV"]
    y_train = np.array([label for _, label in train])
    y_test = np.array([label for _, label in test])
    return count_matrix(train, index), y_train, count_matrix(test, index), y_test, names


def write_csv(path, x, names):
    np.savetxt(path, x, delimiter=",", fmt="%.17g", header=",".join(names), comments="")


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: hdfs_sessions.py OUT_DIR\n")
        return 2
    out = sys.argv[1]
    x_train, y_train, x_test, y_test, names = load_matrices()
    os.makedirs(out, exist_ok=True)
    write_csv(os.path.join(out, "train.csv"), x_train, names)
    write_csv(os.path.join(out, "test.csv"), x_test, names)
    np.savetxt(os.path.join(out, "train_labels.txt"), y_train, fmt="%d")
    np.savetxt(os.path.join(out, "test_labels.txt"), y_test, fmt="%d")
    print(f"train {x_train.shape} ({y_train.sum()} anomalous), test {x_test.shape} ({y_test.sum()} anomalous), "
          f"{len(names)} columns incl. OOV -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
