#!/usr/bin/python3
"""Does the miner generalise on logs it was not tuned on? (issue 12)

Generates two hours of normal traffic with examples/incidents/generate.py (no incidents), learns
templates on the first hour and reads the second, normal hour, for logad and for Drain3 side by
side on the same messages:

  templates      templates learned in the first hour, and their ratio to the generator's log
                 statements (LOG_STATEMENTS in generate.py); target at most 1.2
  false new      second-hour lines whose template was never learned in the first hour, per
                 1000 lines: each would be a false "never seen in training" alert; target 0.1

logad: `logad parse --state S` (format detected) on the first hour, then on the second with the
same state; a line is "new" when its template id, resolved through the state's alias table
(merged templates), is not among the first hour's ids. Drain3 (../shared/peers/drain3, MIT,
its examples/drain3.ini settings) sees the `message` logad extracted from each line (the header
cut off the same way), learns with add_log_message and reads the second hour with match().
The first few "new" lines of each miner are printed so a reader can judge them.

Usage: scripts/bench_templates.py [--logad build/logad] [--seed 7] [--no-drain3] [--keep DIR]
Needs Debian's python3-jsonpickle and python3-cachetools for Drain3; run with /usr/bin/python3.
"""
import argparse
import configparser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PEERS = os.path.join(ROOT, "..", "shared", "peers")


def split_hours(path):
    """The first hour of lines and the rest, by the time of day each line carries (all four
    formats write hh:mm:ss), not cutting a multi-line event."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    clock = re.compile(r"(?<![0-9])([0-9][0-9]):([0-9][0-9]):([0-9][0-9])")

    def seconds(line):
        m = clock.search(line[:64])
        return int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3]) if m else None

    hour = seconds(lines[0]) + 3600
    for k, line in enumerate(lines):
        head = line[:1] in ("<", "{") or line[:1].isdigit()
        if head and (seconds(line) or 0) >= hour:
            return lines[:k], lines[k:]
    return lines, []


def logad_parse(logad, lines, state):
    p = subprocess.run([logad, "parse", "--state", state, "--quiet"], input="\n".join(lines) + "\n",
                       capture_output=True, text=True, errors="replace")
    if p.returncode != 0:
        sys.exit(f"bench_templates: logad parse failed: {p.stderr.strip()[-300:]}")
    return [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]


def aliases(state):
    with open(state, encoding="utf-8") as f:
        return dict(json.load(f)["miner"].get("aliases", []))


def resolve(table, tid):
    for _ in range(64):
        if tid not in table:
            break
        tid = table[tid]
    return tid


def run_logad(logad, first, second):
    with tempfile.TemporaryDirectory() as d:
        state = os.path.join(d, "state.json")
        ev1 = logad_parse(logad, first, state)
        learned_table = aliases(state)
        learned = {resolve(learned_table, e["template_id"]) for e in ev1}
        ev2 = logad_parse(logad, second, state)
        table = aliases(state)
        learned = {resolve(table, t) for t in learned}
        new = [e for e in ev2 if resolve(table, e["template_id"]) not in learned]
    return ev1, ev2, len(learned), [e["message"] for e in new]


def run_drain3(messages1, messages2):
    sys.path.insert(0, os.path.join(PEERS, "drain3"))
    from drain3 import TemplateMiner
    from drain3.template_miner_config import TemplateMinerConfig
    cfg = TemplateMinerConfig()
    cfg.load(os.path.join(PEERS, "drain3", "examples", "drain3.ini"))
    cfg.profiling_enabled = False
    tm = TemplateMiner(config=cfg)
    learned = {tm.add_log_message(m)["cluster_id"] for m in messages1}
    new = []
    for m in messages2:
        c = tm.match(m)
        if c is None or c.cluster_id not in learned:
            new.append(m)
    return len(tm.drain.clusters), new


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--logad", default=os.path.join(ROOT, "build", "logad"))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-drain3", action="store_true")
    ap.add_argument("--keep", help="write the generated logs here and keep them")
    a = ap.parse_args()
    sys.path.insert(0, os.path.join(ROOT, "examples", "incidents"))
    import generate
    statements = generate.LOG_STATEMENTS

    out = a.keep or tempfile.mkdtemp(prefix="bench_templates.")
    try:
        subprocess.run([sys.executable, os.path.join(ROOT, "examples", "incidents", "generate.py"), "--train-hours", "2",
                        "--instances", "0", "--quiet-slots", "0", "--seed", str(a.seed), "--out", out],
                       check=True, capture_output=True)
        first, second = split_hours(os.path.join(out, "train.log"))
    finally:
        if not a.keep:
            shutil.rmtree(out, ignore_errors=True)

    ev1, ev2, n_logad, new_logad = run_logad(a.logad, first, second)
    rows = [("logad", n_logad, new_logad)]
    if not a.no_drain3:
        if not os.path.isdir(os.path.join(PEERS, "drain3")):
            print("bench_templates: ../shared/peers/drain3 not found; Drain3 skipped", file=sys.stderr)
        else:
            n_drain, new_drain = run_drain3([e["message"] for e in ev1], [e["message"] for e in ev2])
            rows.append(("Drain3", n_drain, new_drain))
    print(f"generated shop log, seed {a.seed}: {len(ev1)} events learned (first hour), {len(ev2)} read (second hour),"
          f" {statements} log statements")
    print("| miner | templates (1st hour) | per log statement | false new (2nd hour) | per 1000 lines |")
    print("|---|---|---|---|---|")
    for name, n, new in rows:
        print(f"| {name} | {n} | {n / statements:.2f} | {len(new)} | {1000 * len(new) / max(1, len(ev2)):.2f} |")
    for name, _, new in rows:
        for m in new[:8]:
            print(f"  {name} new: {m[:140]}")


if __name__ == "__main__":
    main()
