#pragma once
// OpenTelemetry logs (an ExportLogsServiceRequest, the body of POST /v1/logs, in either OTLP/HTTP
// encoding: JSON or protobuf) to NDJSON lines that lib/parse's json format reads, one per record:
//   {"time":"2026-12-07T09:00:00.123Z","level":"ERROR","message":"disk full",
//    "service.name":"checkout","host.name":"web-1",...,"trace_id":"5b8e...","span_id":"051f..."}
//   time     timeUnixNano, else observedTimeUnixNano (RFC 3339, ms); absent when both are 0
//   level    severityText, else severityNumber's range (1-4 TRACE, 5-8 DEBUG, 9-12 INFO, 13-16
//            WARN, 17-20 ERROR, 21-24 FATAL); absent when neither is set
//   message  body: a string as it is, any other value as its JSON (kvlist -> object)
//   then the resource's attributes, the scope's name (otel.scope.name) and the record's own
//   attributes, each under its own key with its value as JSON (a record attribute overrides a
//   resource one; one named time, level or message is written as attributes.NAME); trace_id and
//   span_id when set (hex). AnyValue int64s (strings in OTLP/JSON) become JSON numbers; bytes are
//   base64 (as OTLP/JSON sends them).
// The same data gives the same lines in either encoding: protobuf is decoded into the JSON shape
// (lib/receive/otlp_protobuf.hpp) and mapped by the same code.
// So `service.name` is a field: a --key, and the component that per-entity baselines follow.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace logad::receive {

struct OtlpConversion {
    std::size_t records = 0;   // log records turned into lines
    std::size_t rejected = 0;  // log records that were not objects
    std::string error;         // set when the body is not an ExportLogsServiceRequest at all
};

// Calls `emit` with each record's line (no trailing '\n'). Invalid JSON, JSON nested too
// deeply, or a body whose resourceLogs is not an array sets `error` and emits nothing.
OtlpConversion otlp_logs_to_lines(std::string_view body, const std::function<void(std::string_view)>& emit);

// The same from the protobuf encoding (Content-Type application/x-protobuf). Malformed protobuf
// (a truncated varint, a length past the end of its message, a known field of the wrong wire
// type, nesting too deep) sets `error`, saying what and at which byte, and emits nothing.
OtlpConversion otlp_protobuf_logs_to_lines(std::string_view body, const std::function<void(std::string_view)>& emit);

}  // namespace logad::receive
