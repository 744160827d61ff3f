// The table auto mode tries after json, cri, syslog and clf and before the generic
// "<timestamp> [level] message" (prefixed_format.cpp). Order matters only where two could match
// the same line: the more specific comes first. A layout with a time group matches only when its
// time parses, so a look-alike line falls through to the next. Group names follow role_of():
// ts is the time, level the level, message the message; every other name becomes a field. Parts
// that repeat another (BGL's date, Thunderbird's syslog clock) are not captured.
#include <logad/parse/known_layouts.hpp>

namespace logad::parse {
namespace {

constexpr KnownLayout k_layouts[] = {
    {"klog",  // Kubernetes components (glog): level letter, MMdd, clock, thread id, file:line]
     R"((?P<level>[IWEF])(?P<ts>\d{4} \d\d:\d\d:\d\d(?:\.\d+)?) +(?P<thread>\d+) (?P<source>[^ \]]+)\] (?P<message>.*))",
     {"I1201 08:00:03.123456       1 controller.go:116] Starting controller",
      "E1201 08:00:04.000001    4711 reflector.go:138] failed to list pods"},
     true},
    {"aws-lambda",  // the Lambda runtimes' console lines (Node.js, Python): time, request id, level, message
     R"((?P<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z)\t(?P<request_id>[0-9a-f-]{36})\t(?P<level>[A-Z]+)\t(?P<message>.*))",
     {"2024-05-01T10:00:00.125Z\t3f2a6c1e-8d4b-4a7e-9b1f-2c3d4e5f6a7b\tINFO\torder received",
      "2024-05-01T10:00:01.002Z\t3f2a6c1e-8d4b-4a7e-9b1f-2c3d4e5f6a7b\tERROR\tpayment failed: card declined"},
     true},
    {"python-logging",  // "%(asctime)s - %(name)s - %(levelname)s - %(message)s"
     R"((?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:,\d+)?) - (?P<logger>\S+) - (?P<level>[A-Za-z]+) - (?P<message>.*))",
     {"2024-01-01 10:00:00,123 - app.db - ERROR - connection lost", "2024-01-01 10:00:01,5 - root - INFO - ok"},
     true},
    {"python-basic",  // logging.basicConfig()'s default "%(levelname)s:%(name)s:%(message)s"
     R"((?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL):(?P<logger>[\w.]+):(?P<message>.*))",
     {"WARNING:root:disk almost full", "ERROR:app.db:connection lost"},
     true},
    {"ruby-logger",  // Ruby's Logger: "E, [2024-01-01T10:00:00.123456 #1234] ERROR -- progname: msg"
     R"([A-Z], \[(?P<ts>[^ \]]+) #(?P<pid>\d+)\] +(?P<level>[A-Z]+) -- (?P<progname>[^:]*): (?P<message>.*))",
     {"E, [2024-01-01T10:00:00.123456 #1234] ERROR -- app: boom", "I, [2024-01-01T10:00:01.000001 #1234]  INFO -- : ok"},
     true},
    {"gunicorn",  // "[2024-01-01 10:00:00 +0000] [123] [INFO] Booting worker with pid: 123"
     R"(\[(?P<ts>[^\]]+)\] \[(?P<pid>\d+)\] \[(?P<level>[A-Za-z]+)\] (?P<message>.*))",
     {"[2024-01-01 10:00:00 +0000] [123] [INFO] Booting worker with pid: 123",
      "[2024-01-01 10:00:05 +0000] [7] [CRITICAL] WORKER TIMEOUT (pid:123)"},
     true},
    {"laravel",  // Monolog's line format as Laravel writes it: "[time] channel.LEVEL: message"
     R"(\[(?P<ts>[^\]]+)\] (?P<channel>[\w-]+)\.(?P<level>[A-Za-z]+): (?P<message>.*))",
     {"[2024-01-01 10:00:00] production.ERROR: Undefined variable $user", "[2024-01-01 10:00:01] local.INFO: ok"},
     true},
    {"uvicorn",  // uvicorn's console: level, colon, padding to column 10
     R"((?P<level>TRACE|DEBUG|INFO|WARNING|ERROR|CRITICAL): +(?P<message>.*))",
     {R"(INFO:     127.0.0.1:1234 - "GET / HTTP/1.1" 200 OK)", "ERROR:    Exception in ASGI application"},
     true},
    {"windows-cbs",  // Windows CBS.log / Loghub Windows: "2016-09-28 04:30:30, Info   CBS    msg"
     R"((?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d), (?P<level>[A-Za-z]+) +(?P<component>\S+) +(?P<message>.*))",
     {"2016-09-28 04:30:30, Info                  CBS    Scavenge pass started",
      "2016-09-28 04:30:31, Error                 CSI    Registry key could not be opened"},
     true},
    {"alternatives",  // Debian's /var/log/alternatives.log: "update-alternatives 2024-01-01 10:00:00: ..."
     R"((?P<program>[\w.-]+) (?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d): (?P<message>.*))",
     {"update-alternatives 2024-01-01 10:00:00: run with --install /usr/bin/x x /usr/bin/x1 10",
      "update-alternatives 2024-01-01 10:00:01: link group x updated to point to /usr/bin/x1"},
     false},
    {"bgl",  // Blue Gene/L RAS: alert label, epoch, date, node, local time, node, type, component, level
     R"((?P<label>\S+) (?P<ts>\d{9,10}) \d{4}\.\d\d\.\d\d (?P<node>\S+) \d{4}-\d\d-\d\d-\d\d\.\d\d\.\d\d\.\d+ \S+ (?P<type>[A-Z]+) (?P<component>[A-Z_]+) (?P<level>[A-Z]+) (?P<message>.*))",
     {"- 1117838570 2005.06.03 R01-M0-N2-C:J05-U01 2005-06-03-15.42.50.675872 R01-M0-N2-C:J05-U01 RAS KERNEL INFO "
      "ddr memory error corrected on rank 2",
      "KERNDTLB 1118536327 2005.06.11 R30-M0-N9-C:J16-U01 2005-06-11-17.32.07.581048 R30-M0-N9-C:J16-U01 RAS "
      "KERNEL FATAL data TLB error interrupt"},
     true},
    {"thunderbird",  // Thunderbird/Liberty supercomputer syslog: label, epoch, date, host, syslog line
     R"((?P<label>\S+) (?P<ts>\d{9,10}) \d{4}\.\d\d\.\d\d (?P<node>\S+) [A-Z][a-z]{2} +\d+ \d\d:\d\d:\d\d (?P<location>\S+) (?:(?P<component>[^\s:\[]+)(?:\[(?P<pid>\d+)\])?: )?(?P<message>.*))",
     {"- 1131566461 2005.11.09 an12 Nov 9 12:01:01 an12/an12 crond[2916]: (root) CMD (/usr/local/sbin/rotate-scratch)",
      "- 1131567043 2005.11.09 admin1 Nov 9 12:10:43 local@admin1 kernel emulation loaded"},
     false},
    {"hpc",  // Loghub HPC: log id, node, component, state, epoch, flag, message
     R"((?P<log_id>\d+) (?P<node>\S+) (?P<component>\S+) (?P<state>\S+) (?P<ts>\d{9,10}) (?P<flag>-?\d+) (?P<message>.*))",
     {"134681 node-12 unix.hw state_change.unavailable 1077804742 1 fan tray 2 speed below threshold",
      "2557 node-3 node status 1077804755 1 running"},
     false},
    {"oslo",  // OpenStack (oslo.log), optionally after the log file name as Loghub keeps it
     R"((?:(?P<log_file>\S+) )?(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) (?P<pid>\d+) (?P<level>[A-Z]+) (?P<component>[\w.]+) (?P<message>.*))",
     {"nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO nova.osapi_compute.wsgi.server "
      "[req-1 2 3] 10.11.10.1 \"GET /v2 HTTP/1.1\" status: 200",
      "2017-05-16 00:00:02.100 2931 WARNING nova.compute.manager [-] instance vanished"},
     true},
};

}  // namespace

std::span<const KnownLayout> known_layouts() noexcept { return k_layouts; }

}  // namespace logad::parse
