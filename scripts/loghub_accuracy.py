#!/usr/bin/python3
"""Parsing accuracy of `logad parse` on Loghub-2k (16 systems), as issue 2 asks.

For each dataset it runs
    logad parse --format '<header format from formats.tsv>' --no-multiline <DS>_2k.log
with logad's default masking and mining settings, reads the NDJSON events (`line`,
`template_id`, `template`) and scores them against both label sets (the original
`*_structured.csv` and the corrected `*_structured_corrected.csv`):

  GA   grouping accuracy: share of lines whose predicted group holds exactly the lines of
       their ground-truth group
  FGA  F1 over groups that are exactly right (precision over predicted groups, recall over
       true groups)
  PA   parsing accuracy: share of lines whose template equals the ground truth
  FTA  F1 over templates whose group and text are both exactly right

Templates are compared after normalisation (whitespace runs collapsed, runs of `<*>` with
or without spaces between them folded into one). A line's predicted template is the last
template text logad printed for its template id, i.e. the template as learned by the end
of the file: ids are fixed when a template is created while its text may still generalise.
When templates merge (variables found from evidence), the miner state's alias table maps the
merged ids to the survivor's, and lines are grouped by the resolved id.

Usage: scripts/loghub_accuracy.py [LOGAD_BINARY [DATA_DIR]]
  defaults: build/logad and ../shared/data (DATA_DIR holds loghub-2k/); paths are
  relative to the repository root. Standard library only. Prints a Markdown table.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict

DATASETS = ["Android", "Apache", "BGL", "HDFS", "HPC", "Hadoop", "HealthApp", "Linux", "Mac",
            "OpenSSH", "OpenStack", "Proxifier", "Spark", "Thunderbird", "Windows", "Zookeeper"]


def fail(message):
    sys.stderr.write("loghub_accuracy: " + message + "\n")
    sys.exit(2)


def normalise(template):
    t = " ".join(template.split())
    while True:
        folded = t.replace("<*><*>", "<*>").replace("<*> <*>", "<*>")
        if folded == t:
            return t
        t = folded


def read_formats(path):
    formats = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            formats[row["dataset"]] = row["log_format"]
    return formats


def read_truth(path):
    truth = {}
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        for row in csv.DictReader(f):
            truth[int(row["LineId"])] = (row["EventId"], row["EventTemplate"])
    return truth


def read_aliases(state_path):
    """merged template id -> the id it merged into, from a miner state file (version 2+)."""
    if not os.path.exists(state_path):
        return {}
    with open(state_path, encoding="utf-8") as f:
        doc = json.load(f)
    return {a: b for a, b in doc.get("miner", {}).get("aliases", [])}


def resolve(aliases, tid):
    for _ in range(64):
        if tid not in aliases:
            break
        tid = aliases[tid]
    return tid


def run_logad(binary, log_format, log_path):
    with tempfile.TemporaryDirectory() as tmp:
        state = os.path.join(tmp, "state.json")
        proc = subprocess.run([binary, "parse", "--format", log_format, "--no-multiline", "--state", state, log_path],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if proc.returncode != 0:
            fail("%s failed on %s (exit %d): %s" % (binary, log_path, proc.returncode,
                                                      proc.stderr.decode("utf-8", "replace").strip()))
        aliases = read_aliases(state)
    ids, final_text = {}, {}
    for raw in proc.stdout.splitlines():
        event = json.loads(raw)
        tid = resolve(aliases, event["template_id"])  # a merged template's lines count as the survivor's
        ids[event["line"]] = tid
        final_text[tid] = event["template"]
    return {line: (tid, final_text[tid]) for line, tid in ids.items()}


def f1(correct, predicted, truth):
    if correct == 0:
        return 0.0
    precision, recall = correct / predicted, correct / truth
    return 2 * precision * recall / (precision + recall)


def score(truth, predicted):
    """truth: line -> (group, template); predicted: line -> (id, template)."""
    lines = sorted(truth)
    missing = object()  # a line logad did not emit is a group of its own
    pred = {line: predicted.get(line, (missing, "")) for line in lines}
    by_truth, by_pred = defaultdict(list), defaultdict(list)
    for line in lines:
        by_truth[truth[line][0]].append(line)
        by_pred[pred[line][0]].append(line)
    ga_lines = exact_groups = exact_templates = 0
    for members in by_truth.values():
        ids = {pred[line][0] for line in members}
        if len(ids) != 1:
            continue
        (pid,) = ids
        if pid is missing or len(by_pred[pid]) != len(members):
            continue
        ga_lines += len(members)
        exact_groups += 1
        first = members[0]
        if normalise(truth[first][1]) == normalise(pred[first][1]):
            exact_templates += 1
    pa_lines = sum(1 for line in lines if normalise(truth[line][1]) == normalise(pred[line][1]))
    n = len(lines)
    return {"GA": ga_lines / n, "FGA": f1(exact_groups, len(by_pred), len(by_truth)),
            "PA": pa_lines / n, "FTA": f1(exact_templates, len(by_pred), len(by_truth))}


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "build", "logad")
    data = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "..", "shared", "data")
    loghub = os.path.join(data, "loghub-2k")
    formats_path = os.path.join(loghub, "formats.tsv")
    if not os.path.isfile(formats_path):
        fail("Loghub-2k not found: %s is missing (pass the data dir holding loghub-2k/)" % formats_path)
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        fail("%s is not an executable; build logad first or pass its path" % binary)
    formats = read_formats(formats_path)

    metrics = ["GA", "FGA", "PA", "FTA"]
    labels = [("", "original"), ("_corrected", "corrected")]
    header = "| dataset | " + " | ".join("%s (%s)" % (m, name) for _, name in labels for m in metrics) + " |"
    print(header)
    print("|---" * (1 + len(metrics) * len(labels)) + "|")
    sums = defaultdict(float)
    for ds in DATASETS:
        log_path = os.path.join(loghub, ds, ds + "_2k.log")
        if not os.path.isfile(log_path) or ds not in formats:
            fail("%s is missing from %s" % (ds, loghub))
        predicted = run_logad(binary, formats[ds], log_path)
        cells = []
        for suffix, name in labels:
            truth = read_truth(os.path.join(loghub, ds, "%s_2k.log_structured%s.csv" % (ds, suffix)))
            s = score(truth, predicted)
            for m in metrics:
                sums[(name, m)] += s[m]
                cells.append("%.3f" % s[m])
        print("| %s | %s |" % (ds, " | ".join(cells)))
        sys.stdout.flush()
    means = ["**%.3f**" % (sums[(name, m)] / len(DATASETS)) for _, name in labels for m in metrics]
    print("| **mean** | %s |" % " | ".join(means))


if __name__ == "__main__":
    main()
