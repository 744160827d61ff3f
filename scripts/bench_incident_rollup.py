#!/usr/bin/python3
"""How much reading incidents saves: each Loghub-2k sample is trained on its first half (auto
format) and its second half scored with --records; prints, per set, the anomaly records, the
incidents they roll up into, incidents per 1000 lines and records per incident.

  scripts/bench_incident_rollup.py [--data ../shared/data/loghub-2k] [--logad build/logad]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench_common import find_logad  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(HERE, "..", "..", "shared", "data", "loghub-2k"))
    ap.add_argument("--logad")
    args = ap.parse_args()
    logad = find_logad(args.logad)
    if not os.path.isdir(args.data):
        sys.exit(f"no Loghub-2k data at {args.data}")
    print("| set | lines scored | anomaly records | incidents | incidents per 1000 lines | records per incident |")
    print("|---|---:|---:|---:|---:|---:|")
    total_records = total_incidents = total_lines = 0
    for name in sorted(os.listdir(args.data)):
        log = os.path.join(args.data, name, f"{name}_2k.log")
        if not os.path.isfile(log):
            continue
        with open(log, encoding="utf-8", errors="replace") as f:
            lines = f.readlines()
        half = len(lines) // 2
        with tempfile.TemporaryDirectory() as tmp:
            train, test, model = (os.path.join(tmp, n) for n in ("train.log", "test.log", "model.json"))
            with open(train, "w") as f:
                f.writelines(lines[:half])
            with open(test, "w") as f:
                f.writelines(lines[half:])
            subprocess.run([logad, "train", "-q", "-o", model, train], check=True)
            out = subprocess.run([logad, "score", "-q", "--records", "-m", model, test], check=True,
                                 capture_output=True, text=True).stdout
        records = incidents = 0
        for line in out.splitlines():
            r = json.loads(line)
            if r["per"] != "incident":
                records += r.get("anomaly", False)
            elif r["state"] == "open":
                incidents += 1
        scored = len(lines) - half
        total_records += records
        total_incidents += incidents
        total_lines += scored
        per_incident = f"{records / incidents:.1f}" if incidents else "-"
        print(f"| {name} | {scored} | {records} | {incidents} | {1000 * incidents / scored:.1f} | {per_incident} |")
    print(f"| **all** | {total_lines} | {total_records} | {total_incidents} | "
          f"{1000 * total_incidents / total_lines:.1f} | {total_records / max(total_incidents, 1):.1f} |")


if __name__ == "__main__":
    main()
