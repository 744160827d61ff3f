#!/usr/bin/env python3
"""Writes examples/app.log: a small, realistic Java-style service log (deterministic).

Header: `YYYY-MM-DD HH:MM:SS.mmm LEVEL [thread] Component: message`, with a stack trace
folded under one error. Run: python3 examples/generate_app_log.py > examples/app.log
"""
import random
import sys
from datetime import datetime, timedelta

rng = random.Random(7)
t = datetime(2026, 11, 20, 9, 0, 0)
users = ["alice", "bob", "carol", "dave", "erin", "frank"]
out = []


def emit(level, thread, comp, msg):
    global t
    t += timedelta(milliseconds=rng.randint(40, 900))
    out.append(f"{t:%Y-%m-%d %H:%M:%S}.{t.microsecond // 1000:03d} {level:<5} [{thread}] {comp}: {msg}")


for i in range(1800):
    w = f"worker-{rng.randint(1, 8)}"
    r = rng.random()
    order = rng.randint(100000, 999999)
    ip = f"10.0.{rng.randint(0, 20)}.{rng.randint(1, 254)}"
    if r < 0.30:
        emit("INFO", w, "OrderService", f"Order {order} created for user {rng.choice(users)} in {rng.randint(5, 80)} ms")
    elif r < 0.50:
        emit("INFO", w, "PaymentService", f"Payment for order {order} accepted, amount {rng.randint(5, 500)}.{rng.randint(0, 99):02d} EUR")
    elif r < 0.65:
        emit("INFO", "http-nio-8080", "AccessLog", f"GET /api/orders/{order} from {ip}:{rng.randint(30000, 60000)} status 200 took {rng.randint(2, 40)}ms")
    elif r < 0.75:
        emit("DEBUG", w, "CacheManager", f"Cache hit ratio {rng.random():.3f} after {rng.randint(1000, 9000)} lookups")
    elif r < 0.85:
        emit("INFO", w, "ShippingService", f"Order {order} shipped to /var/spool/labels/{order}.pdf via carrier {rng.choice(['DHL', 'UPS', 'La Poste'])}")
    elif r < 0.93:
        emit("INFO", "scheduler", "HealthCheck", f"Database pool: {rng.randint(1, 20)} active, {rng.randint(0, 10)} idle connections")
    elif r < 0.98:
        emit("WARN", w, "PaymentService", f"Retrying request {rng.randint(1, 3)} of 3 to https://psp.example.com/v1/charges after {rng.randint(100, 900)} ms")
    else:
        emit("INFO", w, "SessionManager", f"Session {rng.getrandbits(128):032x} expired for user {rng.choice(users)}")
    if i == 1200:
        emit("ERROR", w, "PaymentService", f"Payment for order {order} failed: connection refused to 10.0.5.17:5432")
        out.append("java.net.ConnectException: Connection refused")
        out.append("\tat java.base/sun.nio.ch.Net.connect0(Native Method)")
        out.append("\tat org.postgresql.core.PGStream.<init>(PGStream.java:98)")
        out.append("\t... 42 more")

sys.stdout.write("\n".join(out) + "\n")
