#!/usr/bin/python3
"""Writes a realistic multi-service log set with labelled incidents, for `logad` benchmarks.

One interleaved stream from a small web shop, four formats mixed line by line:
  - a Java application log (shop-api): orders created -> paid -> shipped, payment retries, a
    periodic exchange-rate job, rare GC pauses and a rare stack trace;
  - JSON lines (cart, inventory and auth services);
  - an nginx combined access log;
  - RFC 5424 syslog (metrics agent flushing every 10 s, cron, sshd, systemd).
Values that no word list can know (issue 12): customer and user names from a pool of 400, search
queries of 1-3 free words in quotes, file and product names, daemon names as the first token,
process names in parentheses, a kernel call trace, sizes with and without a detail in brackets.
The training part is hours of normal traffic, rare-but-normal messages included. The test part
continues the same traffic and holds incidents, each in its own slot (so one alert cannot
touch two incidents), with quiet slots in between:
  new_error     a never-seen error (different in each instance)
  burst         a normal message (payment retries) many times more often than usual
  param         an order created in seconds instead of tens of milliseconds
  silence       a periodic message (metrics flush or rate job) stops for minutes
  sequence      an order shipped before it was paid (session id: ORD-\\d+)
  level_shift   the inventory service's share of warnings jumps, at its usual volume
  scan          one client hammering non-existent paths (404s)
  upstream_outage  nginx answers most requests with 502/503/504 for a couple of minutes (the
                upstream is down); the application logs nothing new
  latency_shift the cart service's `duration_ms` field (JSON) runs far above its training range
                for a few minutes, at its usual volume and with its usual messages

Files written to --out:
  train.log, test.log  the logs (test.log line numbers restart at 1)
  labels.csv           line,label,kind for every line of test.log (label 1 on incident lines)
  incidents.csv        id,kind,start_ms,end_ms,lines: each incident's time span (epoch ms) and
                       its test.log lines separated by spaces (none for a silence)
  rotated/test.log, rotated/test.log.1, ...
                       test.log again, cut in --rotate parts as logrotate leaves them (test.log
                       the newest), so `test.log*` lists them newest first
Two things that are no incident and must not raise one (--skewed-lines): a normal line in a quiet
slot whose clock is --skew-minutes ahead of the stream (label 0), and the rotated files' order.
Deterministic for a given --seed. Python 3 standard library only.
"""
import argparse
import csv
import json
import os
import random
from datetime import datetime, timezone

KINDS = ["new_error", "burst", "param", "silence", "sequence", "level_shift", "scan", "upstream_outage", "latency_shift"]

def _pool(seed, n, make):
    """n distinct values from make(rng), the same for every --seed (the pools are vocabulary)."""
    rng, out = random.Random(seed), []
    while len(out) < n:
        v = make(rng)
        if v not in out:
            out.append(v)
    return out


SYLLABLES = ["al", "be", "ca", "da", "el", "fa", "gi", "ha", "io", "ju", "ka", "li", "mo", "na", "ol", "pe",
             "ri", "sa", "ta", "vi", "xo", "ye", "zu", "ro", "mi", "no"]
WORDS = ["red", "blue", "green", "running", "shoes", "jacket", "winter", "summer", "kettle", "lamp", "desk",
         "chair", "phone", "case", "cable", "charger", "linen", "wool", "socks", "boots", "garden", "hose",
         "coffee", "grinder", "tea", "mug", "bike", "helmet", "tent", "stove", "knife", "set", "pan", "oven",
         "mixer", "towel", "pillow", "blanket", "rug", "mirror", "clock", "watch", "ring", "bag", "wallet",
         "belt", "scarf", "hat", "gloves", "camera", "lens", "tripod", "drone", "speaker", "radio", "vinyl"]
# customers and users: a pool of hundreds, as a real shop has (issue 12)
NAMES = _pool(1201, 400, lambda r: "".join(r.choice(SYLLABLES) for _ in range(r.randint(2, 3))))
PRODUCTS = _pool(1202, 300, lambda r: r.choice(WORDS).capitalize() + r.choice(WORDS).capitalize())
FILES = _pool(1203, 300, lambda r: f"{r.choice(WORDS)}_{r.choice(WORDS)}.{r.choice(['pdf', 'csv', 'png', 'xlsx'])}")
DAEMONS = ["cupsd", "syslogd", "klogd", "irqbalance", "portmap", "rpc.statd", "rpc.idmapd", "hcid", "sdpd", "atd",
           "crond", "ntpd", "sshd", "smartd", "acpid", "haldaemon", "messagebus", "xinetd", "sendmail", "gpm",
           "autofs", "nfslock", "mdmonitor", "udevd", "auditd", "rsyslogd", "anacron", "avahi-daemon", "bluetooth",
           "dhcpd", "named", "postfix", "dovecot", "httpd", "mysqld", "snmpd", "squid", "vsftpd", "winbind", "nscd"]
PROCESSES = ["python", "sendmail", "rpc.statd", "java", "node", "nginx", "postgres", "redis-server", "bash", "perl",
             "ruby", "php-fpm", "sshd", "cron", "gzip", "tar", "rsync", "curl", "wget", "make", "gcc", "ld", "awk",
             "sed", "grep", "find", "sort", "less", "vim", "top"]
# one kernel warning with its call trace, rare but normal: every frame is its own statement
TRACE = ["dev_watchdog", "call_timer_fn", "run_timer_softirq", "__do_softirq"]
# log statements in the normal traffic, for templates-per-statement figures: 22 in the shop's
# services, 5 for the classes of issue 12 (search, file, product view, daemon, process), 6 for
# the kernel warning (the warning, `Call Trace:` and one per frame)
LOG_STATEMENTS = 22 + 5 + 2 + len(TRACE)
CARRIERS = ["DHL", "UPS", "FedEx", "GLS"]
PATHS = ["/api/products/{}", "/api/products/{}/reviews", "/api/cart", "/api/cart/items/{}", "/static/js/app.{}.js",
         "/static/css/site.{}.css", "/api/search?q=item{}", "/api/orders/{}", "/"]
SCAN_PATHS = ["/wp-login.php", "/.env", "/admin/config.php", "/phpmyadmin/index.php", "/.git/config",
              "/cgi-bin/test.cgi", "/backup.zip", "/wp-content/plugins/x{}.php", "/actuator/env", "/server-status",
              "/vendor/phpunit/src/Util/PHP/eval-stdin.php", "/config.json", "/api/v1/debug/{}"]
AGENTS = ["Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0", "Mozilla/5.0 (Macintosh) Safari/605.1.15",
          "Mozilla/5.0 (Windows NT 10.0) Chrome/131.0", "okhttp/4.12.0"]
NEW_ERRORS = [
    ("java", "ERROR", "com.shop.payment.PaymentClient",
     "Payment provider returned HTTP 503 for order {order}: upstream unavailable",
     ["java.io.IOException: Server returned HTTP response code: 503",
      "\tat com.shop.payment.PaymentClient.charge(PaymentClient.java:141)",
      "\tat com.shop.order.OrderService.pay(OrderService.java:77)"]),
    ("json", "error", "cart", "redis connection lost: read tcp 10.0.3.4:6379: i/o timeout", []),
    ("syslog", 3, "kernel", "Out of memory: Killed process {pid} (java) total-vm:{kb}kB, anon-rss:{kb2}kB", []),
    ("json", "error", "auth", "JWT signing key not found in keystore (kid {kid})", []),
    ("syslog", 3, "kernel", "EXT4-fs error (device sda1): ext4_find_entry:1455: inode #{pid}: comm nginx: reading directory lblock 0", []),
    ("java", "ERROR", "com.shop.db.ConnectionPool", "Database connection pool exhausted: 50 of 50 in use, {n} waiting", []),
    ("json", "fatal", "inventory", "schema migration 2026_11_18_add_reserved_qty failed: column already exists", []),
]


class Stream:
    """Events as (time_ms, seq, lines, incident) tuples; sorted by time when written."""

    def __init__(self, rng):
        self.rng = rng
        self.events = []
        self.seq = 0

    def add(self, t_ms, lines, incident=None):
        self.seq += 1
        self.events.append((int(t_ms), self.seq, lines if isinstance(lines, list) else [lines], incident))


def iso(t_ms):
    return datetime.fromtimestamp(t_ms / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{t_ms % 1000:03d}Z"


def java_line(t_ms, level, thread, logger, msg):
    d = datetime.fromtimestamp(t_ms / 1000, tz=timezone.utc)
    return f"{d:%Y-%m-%d %H:%M:%S}.{t_ms % 1000:03d} {level:<5} [{thread}] {logger} - {msg}"


def json_line(t_ms, level, service, msg, **fields):
    o = {"ts": iso(t_ms), "level": level, "service": service, "msg": msg}
    o.update(fields)
    return json.dumps(o, separators=(",", ":"))


def access_line(t_ms, client, method, path, status, size, agent):
    d = datetime.fromtimestamp(t_ms / 1000, tz=timezone.utc)
    return f'{client} - - [{d:%d/%b/%Y:%H:%M:%S} +0000] "{method} {path} HTTP/1.1" {status} {size} "-" "{agent}"'


def syslog_line(t_ms, severity, facility, host, app, pid, msg):
    return f"<{facility * 8 + severity}>1 {iso(t_ms)} {host} {app} {pid if pid else '-'} - - {msg}"


class Shop:
    def __init__(self, rng, seed):
        self.rng = rng
        # Its own generator: the field added with latency_shift leaves the other values as they were.
        self.latency_rng = random.Random(seed * 1000003 + 17)
        self.order_id = 104000
        self.clients = [f"10.{rng.randint(1, 40)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}" for _ in range(300)]

    def thread(self):
        return f"http-nio-8080-exec-{self.rng.randint(1, 12)}"

    def next_order(self):
        self.order_id += self.rng.randint(1, 3)
        return f"ORD-{self.order_id}"

    # ---------------------------------------------------------------- normal traffic

    def order(self, s, t, shipped_first=False, slow=False, incident=None):
        """created -> paid (2..20 s) -> shipped (30..240 s); returns the order id."""
        r = self.rng
        oid = self.next_order()
        created_ms = r.randint(2000, 5000) if slow else max(5, int(r.lognormvariate(3.3, 0.35)))
        created = java_line(t, "INFO", self.thread(), "com.shop.order.OrderService",
                            f"Order {oid} created for customer {r.choice(NAMES)} with {r.randint(1, 6)} items in {created_ms} ms")
        s.add(t, created, incident if slow else (incident if shipped_first else None))
        paid_t = t + r.randint(2000, 20000)
        ship_t = paid_t + r.randint(30000, 240000)
        if shipped_first:
            paid_t, ship_t = t + r.randint(20000, 60000), t + r.randint(2000, 15000)
        paid = java_line(paid_t, "INFO", self.thread(), "com.shop.payment.PaymentService",
                         f"Payment for order {oid} authorized in {r.randint(80, 900)} ms")
        shipped = java_line(ship_t, "INFO", "shipping-worker-1", "com.shop.shipping.ShippingService",
                            f"Order {oid} shipped via {r.choice(CARRIERS)}, tracking {r.randint(10**9, 10**10 - 1)}")
        s.add(paid_t, paid, incident if shipped_first else None)
        s.add(ship_t, shipped, incident if shipped_first else None)
        return oid

    def retry(self, s, t, incident=None):
        r = self.rng
        s.add(t, java_line(t, "WARN", self.thread(), "com.shop.payment.PaymentClient",
                           f"Retrying request {r.randint(1, 3)} of 3 to https://psp.example.com/v1/charges after {r.randint(80, 400)} ms"),
              incident)

    def rates_job(self, s, t):
        s.add(t, java_line(t, "INFO", "scheduler-1", "com.shop.fx.RatesJob",
                           f"Refreshed exchange rates for {self.rng.randint(30, 34)} currencies in {self.rng.randint(40, 200)} ms"))

    def metrics_flush(self, s, t):
        s.add(t, syslog_line(t, 6, 3, "web01", "metrics-agent", 812,
                             f"flushed {self.rng.randint(1300, 1500)} series to statsd in {self.rng.randint(5, 30)} ms"))

    def cart(self, s, t, slow=None):
        """`slow` is (incident id, factor): the request took `factor` times longer."""
        r = self.rng
        duration = round(self.latency_rng.lognormvariate(3.0, 0.4) * (slow[1] if slow else 1), 1)
        inc = slow[0] if slow else None
        if r.random() < 0.7:
            s.add(t, json_line(t, "info", "cart", f"cart {r.randint(10000, 99999)} updated: {r.randint(1, 9)} items",
                               user=r.choice(NAMES), request_id=f"{r.getrandbits(48):012x}", duration_ms=duration), inc)
        else:
            s.add(t, json_line(t, "info", "cart", f"cart {r.randint(10000, 99999)} checked out",
                               user=r.choice(NAMES), request_id=f"{r.getrandbits(48):012x}", duration_ms=duration), inc)

    def inventory(self, s, t, warn_share=0.03, incident=None):
        r = self.rng
        sku = r.randint(1000, 9999)
        if r.random() < warn_share:
            if r.random() < 0.6:
                line = json_line(t, "warn", "inventory", f"stock low for sku {sku}: {r.randint(1, 5)} left", sku=sku)
            else:
                line = json_line(t, "warn", "inventory", f"reservation for sku {sku} retried after conflict", sku=sku)
            s.add(t, line, incident)
        else:
            s.add(t, json_line(t, "info", "inventory", f"stock reserved for sku {sku} (qty {r.randint(1, 4)})", sku=sku),
                  incident)

    def auth(self, s, t):
        r = self.rng
        u = r.choice(NAMES)
        x = r.random()
        if x < 0.55:
            s.add(t, json_line(t, "info", "auth", f"login ok for user {u}", client=r.choice(self.clients)))
        elif x < 0.97:
            s.add(t, json_line(t, "info", "auth", f"token refreshed for user {u}", client=r.choice(self.clients)))
        else:
            s.add(t, json_line(t, "warn", "auth", f"login failed for user {u}: bad password", client=r.choice(self.clients)))

    def request(self, s, t, outage=None):
        """`outage` is (incident id, share): that share of requests fail with 502/503/504."""
        r = self.rng
        path = r.choice(PATHS).format(r.randint(1, 5000))
        x = r.random()
        status, size = (200, r.randint(200, 60000))
        if outage and self.latency_rng.random() < outage[1]:
            method = "POST" if path.startswith("/api/cart") else "GET"
            status = self.latency_rng.choice([502, 503, 503, 503, 504])
            s.add(t, access_line(t, r.choice(self.clients), method, path, status, 157, r.choice(AGENTS)), outage[0])
            return
        if x < 0.01:
            status, size = 404, 153
        elif x < 0.012:
            status, size = 500, 231
        elif x < 0.10:
            status, size = 304, 0
        method = "POST" if path.startswith("/api/cart") and r.random() < 0.5 else "GET"
        s.add(t, access_line(t, r.choice(self.clients), method, path, status, size, r.choice(AGENTS)))

    def syslog_misc(self, s, t):
        r = self.rng
        x = r.random()
        if x < 0.5:
            s.add(t, syslog_line(t, 6, 4, "db01", "sshd", r.randint(2000, 30000),
                                 f"Accepted publickey for deploy from 10.0.0.{r.randint(2, 9)} port {r.randint(40000, 65000)} ssh2"))
        elif x < 0.9:
            s.add(t, syslog_line(t, 6, 3, "db01", "systemd", 1, f"Started Session {r.randint(100, 9999)} of user deploy."))
        else:
            s.add(t, syslog_line(t, 4, 0, "web01", "kernel", None,
                                 "TCP: request_sock_TCP: Possible SYN flooding on port 443. Sending cookies."))

    def rare(self, s, t):
        """Rare but normal: each is in the training part several times."""
        r = self.rng
        x = r.random()
        if x < 0.4:
            s.add(t, java_line(t, "WARN", "G1 Young RemSet Sampling", "com.shop.jvm.GcMonitor",
                               f"GC pause of {r.randint(150, 450)} ms (G1 Evacuation Pause)"))
        elif x < 0.7:
            s.add(t, [java_line(t, "ERROR", self.thread(), "com.shop.api.OrderController",
                                f"Request failed for order ORD-{r.randint(100000, 999999)}"),
                      "org.apache.catalina.connector.ClientAbortException: java.io.IOException: Broken pipe",
                      "\tat org.apache.catalina.connector.OutputBuffer.realWriteBytes(OutputBuffer.java:351)",
                      "\tat com.shop.api.OrderController.get(OrderController.java:88)"])
        else:
            s.add(t, java_line(t, "INFO", "pool-housekeeper", "com.zaxxer.hikari.pool.HikariPool",
                               f"HikariPool-1 - Pool stats (total={r.randint(10, 20)}, active={r.randint(0, 9)}, idle={r.randint(1, 10)}, waiting=0)"))

    def search(self, s, t):
        r = self.rng
        q = " ".join(r.choice(WORDS) for _ in range(r.randint(1, 3)))
        s.add(t, json_line(t, "info", "search", f'search "{q}" returned {r.randint(0, 400)} results in {r.randint(3, 90)} ms',
                           user=r.choice(NAMES)))

    def file_stored(self, s, t):
        """sizes with and without a detail in brackets: one statement"""
        r = self.rng
        size = r.randint(200, 5000000)
        shown = f"{size} bytes" if size < 4096 or r.random() < 0.5 else f"{size} bytes ({size / 1024:.1f} KB)"
        s.add(t, json_line(t, "info", "files", f"stored file {r.choice(FILES)} for customer {r.choice(NAMES)}: {shown}"))

    def product_view(self, s, t):
        r = self.rng
        s.add(t, java_line(t, "INFO", self.thread(), "com.shop.catalog.ProductService",
                           f"Product {r.choice(PRODUCTS)} viewed by customer {r.choice(NAMES)}"))

    def host_misc(self, s, t):
        """daemon names as the first token, process names in parentheses"""
        r = self.rng
        if r.random() < 0.5:
            s.add(t, syslog_line(t, 6, 3, "db01", "init", 1, f"{r.choice(DAEMONS)} startup succeeded"))
        else:
            s.add(t, syslog_line(t, 6, 0, "db01", "kernel", None,
                                 f"audit: process {r.randint(2000, 30000)} ({r.choice(PROCESSES)}) exited with status {r.randint(0, 1)}"))

    def kernel_warning(self, s, t):
        r = self.rng
        lines = [syslog_line(t, 4, 0, "web01", "kernel", None,
                             f"WARNING: CPU: {r.randint(0, 7)} PID: {r.randint(1, 30000)} at net/sched/sch_generic.c:{r.randint(300, 320)} dev_watchdog"),
                 syslog_line(t, 4, 0, "web01", "kernel", None, "Call Trace:")]
        for frame in TRACE:
            lines.append(syslog_line(t, 4, 0, "web01", "kernel", None,
                                     f" [<ffffffff8{r.getrandbits(28):07x}>] {frame}+0x{r.randint(16, 800):x}/0x{r.randint(816, 1200):x}"))
        s.add(t, lines)

    def normal(self, s, t0, t1, silent=None, shift=None, outage=None, slow=None):
        """Normal traffic in [t0, t1); `silent` maps a periodic job name to a (from, to) gap;
        `shift` is (incident id, warn share) for the inventory service in this piece; `outage`
        (incident id, share of 5xx) for nginx; `slow` (incident id, factor) for the cart's latency."""
        r = self.rng
        silent = silent or {}

        def poisson(rate_per_s, fn):
            t = t0 + r.expovariate(rate_per_s) * 1000
            while t < t1:
                fn(s, int(t))
                t += r.expovariate(rate_per_s) * 1000

        poisson(0.2, self.order)
        poisson(0.03, self.retry)
        poisson(0.3, lambda s_, t: self.cart(s_, t, slow=slow))
        if shift:
            poisson(0.4, lambda s_, t: self.inventory(s_, t, warn_share=shift[1], incident=shift[0]))
        else:
            poisson(0.4, self.inventory)
        poisson(0.2, self.auth)
        poisson(1.5, lambda s_, t: self.request(s_, t, outage=outage))
        poisson(0.02, self.syslog_misc)
        poisson(1 / 900, self.rare)
        poisson(0.1, self.search)
        poisson(0.05, self.file_stored)
        poisson(0.1, self.product_view)
        poisson(0.02, self.host_misc)
        poisson(1 / 120, self.kernel_warning)
        for name, period, fn in (("rates", 20000, self.rates_job), ("metrics", 10000, self.metrics_flush)):
            t = (t0 // period + 1) * period
            gap = silent.get(name)
            while t < t1:
                if not (gap and gap[0] <= t < gap[1]):
                    fn(s, t + r.randint(0, 400))
                t += period
        hour = 3600000
        t = (t0 // hour + 1) * hour
        while t < t1:
            s.add(t, syslog_line(t, 6, 9, "db01", "CRON", r.randint(2000, 30000), "(root) CMD (/usr/local/bin/backup.sh --incremental)"))
            t += hour

    # ---------------------------------------------------------------- incidents

    def incident(self, s, kind, t0, t1, n, inc):
        """Injects incident `inc` of `kind` into [t0, t1); returns the silent gap if any."""
        r = self.rng
        mid = t0 + (t1 - t0) // 3
        if kind == "new_error":
            fmt, level, comp, msg, trace = NEW_ERRORS[n % len(NEW_ERRORS)]
            msg = msg.format(order=f"ORD-{r.randint(100000, 999999)}", pid=r.randint(1000, 30000), kb=r.randint(10**6, 10**7),
                             kb2=r.randint(10**6, 10**7), kid=f"{r.getrandbits(32):08x}", n=r.randint(10, 90))
            for k in range(r.randint(1, 3)):
                t = mid + k * r.randint(500, 5000)
                if fmt == "java":
                    s.add(t, [java_line(t, level, self.thread(), comp, msg)] + trace, inc)
                elif fmt == "json":
                    s.add(t, json_line(t, level, comp, msg), inc)
                else:
                    s.add(t, syslog_line(t, level, 0, "web01", comp, None, msg), inc)
        elif kind == "burst":
            count = r.randint(40, 90)
            for k in range(count):
                self.retry(s, mid + int(k * 55000 / count) + r.randint(0, 400), inc)
        elif kind == "param":
            self.order(s, mid, slow=True, incident=inc)
        elif kind == "sequence":
            self.order(s, mid, shipped_first=True, incident=inc)
        elif kind == "scan":
            client = f"185.{r.randint(100, 250)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
            per_s = r.uniform(1.0, 2.5)
            t = mid
            while t < mid + r.randint(90000, 180000):
                path = r.choice(SCAN_PATHS).format(r.randint(1, 999))
                s.add(int(t), access_line(int(t), client, "GET", path, 404, 153, "Mozilla/5.0 zgrab/0.x"), inc)
                t += r.expovariate(per_s) * 1000
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)) + "/data")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--train-hours", type=float, default=4.0)
    ap.add_argument("--instances", type=int, default=5, help="incidents of each kind in the test part")
    ap.add_argument("--slot-minutes", type=float, default=8.0, help="test time given to each incident")
    ap.add_argument("--quiet-slots", type=int, default=6, help="incident-free slots mixed into the test part")
    ap.add_argument("--skewed-lines", type=int, default=2, help="normal lines stamped --skew-minutes ahead")
    ap.add_argument("--skew-minutes", type=float, default=120.0)
    ap.add_argument("--rotate", type=int, default=3, help="test.log also written as this many rotated files")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    shop = Shop(rng, args.seed)
    # Starts mid-minute on purpose: real logs do not start on a window boundary.
    start = int(datetime(2026, 11, 20, 6, 0, 17, tzinfo=timezone.utc).timestamp() * 1000)
    split = start + int(args.train_hours * 3600000)
    slot = int(args.slot_minutes * 60000)
    plan = [(k, i) for i in range(args.instances) for k in KINDS] + [(None, i) for i in range(args.quiet_slots)]
    rng.shuffle(plan)
    end = split + 60000 * 3 + slot * len(plan)  # a few calm minutes first, then the slots

    s = Stream(rng)
    incidents = []
    gaps = {}
    shifts = {}
    outages = {}
    slows = {}
    t = split + 60000 * 3
    for kind, i in plan:
        if kind is not None:
            inc = len(incidents) + 1
            incidents.append({"id": inc, "kind": kind, "start_ms": t + slot // 3, "end_ms": t + slot // 3 + 60000})
            if kind == "silence":
                name = "metrics" if i % 2 == 0 else "rates"
                gap = (t + slot // 4, t + slot // 4 + rng.randint(4, 6) * 60000)
                gaps[(name, t)] = gap
                incidents[-1]["start_ms"], incidents[-1]["end_ms"] = gap
            elif kind == "level_shift":
                # Same volume, different mix: for five minutes half the inventory events are warnings.
                shifts[inc] = (t + slot // 4, t + slot // 4 + 300000)
            elif kind == "upstream_outage":
                # Two to three minutes in which most requests fail; the application is quiet about it.
                outages[inc] = (t + slot // 4, t + slot // 4 + rng.randint(2, 3) * 60000, rng.uniform(0.6, 0.95))
            elif kind == "latency_shift":
                # Three to five minutes of cart requests 50 to 300 times slower than usual.
                slows[inc] = (t + slot // 4, t + slot // 4 + rng.randint(3, 5) * 60000, rng.uniform(50, 300))
            else:
                shop.incident(s, kind, t, t + slot, i, inc)
        t += slot
    # A host whose clock runs ahead writes one normal line now and then, in quiet slots (their own
    # random stream, so the rest of the data is the same with or without them).
    skew_rng = random.Random(args.seed * 1000 + 17)
    quiet_starts = [split + 60000 * 3 + n * slot for n, (k, _) in enumerate(plan) if k is None]
    for t_quiet in quiet_starts[: args.skewed_lines]:
        t_line = t_quiet + skew_rng.randint(slot // 4, slot // 2)
        wrong = t_line + int(args.skew_minutes * 60000)
        s.add(t_line, json_line(wrong, "info", "cart", f"cart {skew_rng.randint(10000, 99999)} updated: "
                                f"{skew_rng.randint(1, 9)} items", user=skew_rng.choice(NAMES),
                                request_id=f"{skew_rng.getrandbits(48):012x}"))
    # Normal traffic in pieces so that a silent job stays silent only in its gap.
    spans = list(gaps.values()) + list(shifts.values()) + [o[:2] for o in outages.values()] + [w[:2] for w in slows.values()]
    # The recording starts mid-stream as it stops mid-stream: traffic runs from some minutes
    # before `start`, so the first orders of train.log were created before it (shipped-only
    # sessions are normal at the start of any recording, not only at the start of test.log).
    warmup = start - 600000
    edges = sorted({warmup, split, end} | {g[0] for g in spans} | {g[1] for g in spans})
    for a, b in zip(edges, edges[1:]):
        silent = {name: g for (name, _), g in gaps.items() if g[0] <= a and b <= g[1]}
        shift = next(((inc, 0.5) for inc, g in shifts.items() if g[0] <= a and b <= g[1]), None)
        outage = next(((inc, o[2]) for inc, o in outages.items() if o[0] <= a and b <= o[1]), None)
        slow = next(((inc, w[2]) for inc, w in slows.items() if w[0] <= a and b <= w[1]), None)
        shop.normal(s, a, b, silent, shift, outage, slow)

    # The recording stops at `end`: an order created near it is paid and shipped after it.
    s.events = sorted((e for e in s.events if start <= e[0] < end), key=lambda e: (e[0], e[1]))
    os.makedirs(args.out, exist_ok=True)
    inc_lines = {i["id"]: [] for i in incidents}
    labels = []
    n_train = n_test = 0
    with open(os.path.join(args.out, "train.log"), "w") as tr, open(os.path.join(args.out, "test.log"), "w") as te:
        for t_ms, _, lines, inc in s.events:
            if t_ms < split:
                for line in lines:
                    tr.write(line + "\n")
                    n_train += 1
                continue
            for line in lines:
                te.write(line + "\n")
                n_test += 1
                labels.append((n_test, 1 if inc else 0, incidents[inc - 1]["kind"] if inc else ""))
                if inc:
                    inc_lines[inc].append(n_test)
    spans = {}
    for t_ms, _, lines, inc in s.events:  # an incident's span covers all of its events
        if inc is not None:
            lo, hi = spans.get(inc, (t_ms, t_ms))
            spans[inc] = (min(lo, t_ms), max(hi, t_ms))
    for i in incidents:
        if i["id"] in spans:
            i["start_ms"], i["end_ms"] = spans[i["id"]]
    rotated = os.path.join(args.out, "rotated")
    os.makedirs(rotated, exist_ok=True)
    with open(os.path.join(args.out, "test.log")) as f:
        test_lines = f.readlines()
    parts = max(1, args.rotate)
    for n in range(parts):  # part 0 is the oldest, written as test.log.{parts - 1}
        lo, hi = n * len(test_lines) // parts, (n + 1) * len(test_lines) // parts
        name = "test.log" if n == parts - 1 else f"test.log.{parts - 1 - n}"
        with open(os.path.join(rotated, name), "w") as f:
            f.writelines(test_lines[lo:hi])
    with open(os.path.join(args.out, "labels.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["line", "label", "kind"])
        w.writerows(labels)
    with open(os.path.join(args.out, "incidents.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "kind", "start_ms", "end_ms", "lines"])
        for i in incidents:
            w.writerow([i["id"], i["kind"], i["start_ms"], i["end_ms"], " ".join(map(str, inc_lines[i["id"]]))])
    print(f"generate.py: {n_train} training lines, {n_test} test lines, {len(incidents)} incidents -> {args.out}")


if __name__ == "__main__":
    main()
