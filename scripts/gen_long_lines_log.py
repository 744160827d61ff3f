#!/usr/bin/env python3
"""Writes a log of ordinary service lines where every Nth line is a huge unique one (issue 19:
score's memory must stay bounded on such input). Deterministic; stdlib only.

Each long line is letters-only random words (nothing a masker turns into <*>), so each is a new
template of its own. Timestamps: `distinct` (every line later than the one before), `equal`
(the long lines and the ordinary ones after the first --normal lines all share one time), or
`none` (no header time at all: `LEVEL [thread] Component: message`).

Usage: scripts/gen_long_lines_log.py [--lines 60000] [--every 97] [--long-bytes 470000]
           [--normal 1000] [--timestamps distinct|equal|none] [--seed 1] > big.log
The first --normal lines hold no long line: train on them (head -n NORMAL).
"""
import argparse
import random
import string
import sys
from datetime import datetime, timedelta

TO_WORDS = bytes((ord(" ") if b % 8 == 0 else ord(string.ascii_lowercase[b % 26])) for b in range(256))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=60000)
    ap.add_argument("--every", type=int, default=97)
    ap.add_argument("--long-bytes", type=int, default=470000)
    ap.add_argument("--normal", type=int, default=1000)
    ap.add_argument("--timestamps", choices=["distinct", "equal", "none"], default="distinct")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()

    rng = random.Random(a.seed)
    users = ["alice", "bob", "carol", "dave", "erin", "frank"]
    t = datetime(2026, 11, 20, 9, 0, 0)
    out = sys.stdout
    for n in range(1, a.lines + 1):
        if a.timestamps == "distinct" or n <= a.normal:
            t += timedelta(milliseconds=rng.randint(40, 900))
        w = f"worker-{rng.randint(1, 8)}"
        order = rng.randint(100000, 999999)
        if n > a.normal and n % a.every == 0:
            # Random bytes read as letters, one in eight a space: words of about 7 letters.
            text = rng.randbytes(a.long_bytes).translate(TO_WORDS).decode()
            text = " ".join(text.split())
            level, thread, comp, msg = "WARN", w, "DumpService", "State dump " + text
        else:
            r = rng.random()
            if r < 0.4:
                level, thread, comp, msg = "INFO", w, "OrderService", \
                    f"Order {order} created for user {rng.choice(users)} in {rng.randint(5, 80)} ms"
            elif r < 0.7:
                level, thread, comp, msg = "INFO", w, "PaymentService", \
                    f"Payment for order {order} accepted, amount {rng.randint(5, 500)}.{rng.randint(0, 99):02d} EUR"
            else:
                level, thread, comp, msg = "INFO", "http-nio-8080", "AccessLog", \
                    f"GET /api/orders/{order} from 10.0.{rng.randint(0, 20)}.{rng.randint(1, 254)}:" \
                    f"{rng.randint(30000, 60000)} status 200 took {rng.randint(2, 40)}ms"
        if a.timestamps == "none":
            out.write(f"{level:<5} [{thread}] {comp}: {msg}\n")
        else:
            out.write(f"{t:%Y-%m-%d %H:%M:%S}.{t.microsecond // 1000:03d} {level:<5} [{thread}] {comp}: {msg}\n")


if __name__ == "__main__":
    main()
