#pragma once
// OTLP logs in the protobuf encoding (an ExportLogsServiceRequest, opentelemetry-proto's
// collector/logs/v1) decoded into the shape OTLP/JSON gives the same data, so that one mapping
// (otlp_logs.cpp) turns both encodings into lines. The fields read (others are skipped):
//   ExportLogsServiceRequest  1 resource_logs (repeated ResourceLogs)
//   ResourceLogs              1 resource (Resource: 1 attributes, repeated KeyValue)  2 scope_logs
//   ScopeLogs                 1 scope (InstrumentationScope: 1 name)  2 log_records
//   LogRecord                 1 time_unix_nano, 11 observed_time_unix_nano (fixed64)
//                             2 severity_number (enum)  3 severity_text  5 body (AnyValue)
//                             6 attributes  9 trace_id, 10 span_id (bytes, written as hex)
//   KeyValue                  1 key  2 value (AnyValue)
//   AnyValue (oneof)          1 string  2 bool  3 int64 (written as a decimal string)
//                             4 double (fixed64; NaN and infinities as "NaN", "Infinity", ...)
//                             5 array (ArrayValue: 1 values)  6 kvlist (KeyValueList: 1 values)
//                             7 bytes (written as base64)
// A field present on the wire is present in the JSON (proto3 senders leave defaults out, as
// OTLP/JSON does); a repeated singular field merges as protobuf says (last scalar wins).
// Nesting is bounded as for JSON input: util::k_max_json_depth levels of the JSON shape.
#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>

namespace logad::receive {

class OtlpLogsVisitor {
public:
    virtual ~OtlpLogsVisitor() = default;
    virtual void resource(const nlohmann::ordered_json* resource) = 0;  // at each ResourceLogs; null: none
    virtual void scope(const nlohmann::ordered_json* scope) = 0;        // at each of its ScopeLogs
    virtual void record(const nlohmann::ordered_json& record) = 0;      // each LogRecord of that scope
};

// Decodes the whole body before the first call to `visitor`: malformed input returns why (and
// visits nothing); a well-formed body returns "".
std::string visit_otlp_protobuf_logs(std::string_view body, OtlpLogsVisitor& visitor);

}  // namespace logad::receive
