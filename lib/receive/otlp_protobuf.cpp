#include "otlp_protobuf.hpp"

#include "protobuf_wire.hpp"

#include <logad/util/json_depth.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <bit>
#include <cmath>
#include <cstdint>

namespace logad::receive {
namespace {

using json = nlohmann::ordered_json;
using protobuf::Field;
using protobuf::WireType;

std::string hex_of(std::string_view bytes) {
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        const auto b = static_cast<std::uint8_t>(c);
        out += k_digits[b >> 4];
        out += k_digits[b & 15];
    }
    return out;
}

// Standard base64 with padding, as proto3's JSON mapping writes bytes.
std::string base64_of(std::string_view bytes) {
    static constexpr char k_digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
        std::uint32_t group = 0;
        for (std::size_t k = 0; k < 3; ++k)
            group = group << 8 | (k < n ? static_cast<std::uint8_t>(bytes[i + k]) : 0u);
        for (std::size_t k = 0; k < 4; ++k) out += k <= n ? k_digits[(group >> (18 - 6 * k)) & 63] : '=';
    }
    return out;
}

// proto3's JSON mapping writes the doubles JSON has no number for as strings.
json double_json(std::uint64_t bits) {
    const double d = std::bit_cast<double>(bits);
    if (std::isnan(d)) return "NaN";
    if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
    return d;
}

// The OTLP/JSON member of each AnyValue field number (index), null for unknown ones.
constexpr const char* k_any_value_members[] = {nullptr,       "stringValue", "boolValue",   "intValue",
                                               "doubleValue", "arrayValue",  "kvlistValue", "bytesValue"};

// Depths below are those of the JSON shape (the request object is 1), so that a protobuf body
// nests no deeper than the JSON path accepts.
constexpr int k_record_depth = 7;  // {resourceLogs:[{scopeLogs:[{logRecords:[{...

class Decoder {
public:
    explicit Decoder(OtlpLogsVisitor* visitor) : m_visitor(visitor) {}
    const std::string& error() const { return m_error; }

    bool request(std::string_view body) {
        return fields(body, 0, [&](const Field& f) {
            if (f.number != 1) return true;
            return is(f, WireType::length_delimited, "ExportLogsServiceRequest") && resource_logs(f);
        });
    }

private:
    // Calls on_field with each field of a message; false on malformed input or when on_field says so.
    template <class OnField>
    bool fields(std::string_view bytes, std::size_t origin, OnField&& on_field) {
        protobuf::Reader reader(bytes, origin);
        Field f;
        while (reader.next(f))
            if (!on_field(f)) return false;
        if (!reader.error().empty()) m_error = reader.error();
        return reader.error().empty();
    }

    bool is(const Field& f, WireType type, const char* message) {
        if (f.type == type) return true;
        m_error = fmt::format("protobuf: field {} of {} (value at byte {}) is {}, expected {}", f.number, message, f.offset,
                              protobuf::wire_type_name(f.type), protobuf::wire_type_name(type));
        return false;
    }

    bool within_depth(int depth, const Field& f) {
        if (depth <= util::k_max_json_depth) return true;
        m_error = fmt::format("protobuf: values nested more than {} levels deep (at byte {})", util::k_max_json_depth, f.offset);
        return false;
    }

    // Appends an object to the array `slot` (made one if it is not), at `depth`.
    json& append_object(json& slot, int depth, const Field& f, bool& ok) {
        ok = within_depth(depth, f);
        if (!slot.is_array()) slot = json::array();
        slot.push_back(json::object());
        return slot.back();
    }

    bool resource_logs(const Field& at) {
        json resource;  // stays null when the ResourceLogs has none
        bool ok = fields(at.bytes, at.offset, [&](const Field& f) {
            if (f.number != 1) return true;
            if (!is(f, WireType::length_delimited, "ResourceLogs")) return false;
            if (!resource.is_object()) resource = json::object();
            return attributes_of(f, resource, 4, "Resource");
        });
        if (!ok) return false;
        if (m_visitor) m_visitor->resource(resource.is_object() ? &resource : nullptr);
        return fields(at.bytes, at.offset, [&](const Field& f) {
            if (f.number != 2) return true;
            return is(f, WireType::length_delimited, "ResourceLogs") && scope_logs(f);
        });
    }

    // The attributes (field 1 of Resource, repeated KeyValue) into `out`, an object at `depth`.
    bool attributes_of(const Field& at, json& out, int depth, const char* message) {
        return fields(at.bytes, at.offset, [&](const Field& f) {
            if (f.number != 1) return true;
            if (!is(f, WireType::length_delimited, message)) return false;
            bool ok = false;
            json& kv = append_object(out["attributes"], depth + 2, f, ok);
            return ok && key_value(f, kv, depth + 2);
        });
    }

    bool scope_logs(const Field& at) {
        json scope;
        bool ok = fields(at.bytes, at.offset, [&](const Field& f) {
            if (f.number != 1) return true;
            if (!is(f, WireType::length_delimited, "ScopeLogs")) return false;
            if (!scope.is_object()) scope = json::object();
            return fields(f.bytes, f.offset, [&](const Field& g) {
                if (g.number != 1) return true;
                if (!is(g, WireType::length_delimited, "InstrumentationScope")) return false;
                scope["name"] = std::string(g.bytes);
                return true;
            });
        });
        if (!ok) return false;
        if (m_visitor) m_visitor->scope(scope.is_object() ? &scope : nullptr);
        return fields(at.bytes, at.offset, [&](const Field& f) {
            if (f.number != 2) return true;
            if (!is(f, WireType::length_delimited, "ScopeLogs")) return false;
            json record = json::object();
            if (!log_record(f, record)) return false;
            if (m_visitor) m_visitor->record(record);
            return true;
        });
    }

    bool log_record(const Field& at, json& rec) {
        return fields(at.bytes, at.offset, [&](const Field& f) {
            constexpr auto bytes = WireType::length_delimited;
            constexpr const char* k_name = "LogRecord";
            switch (f.number) {
                case 1:
                case 11:  // fixed64, written as OTLP/JSON writes 64-bit integers: a decimal string
                    if (!is(f, WireType::fixed64, k_name)) return false;
                    rec[f.number == 1 ? "timeUnixNano" : "observedTimeUnixNano"] = std::to_string(f.integer);
                    return true;
                case 2:  // an enum: an int32, sign-extended to 64 bits on the wire
                    if (!is(f, WireType::varint, k_name)) return false;
                    rec["severityNumber"] = static_cast<std::int32_t>(static_cast<std::uint32_t>(f.integer));
                    return true;
                case 3:
                    if (!is(f, bytes, k_name)) return false;
                    rec["severityText"] = std::string(f.bytes);
                    return true;
                case 5:
                    return is(f, bytes, k_name) && any_value(f, rec["body"], k_record_depth + 1);
                case 6: {
                    if (!is(f, bytes, k_name)) return false;
                    bool ok = false;
                    json& kv = append_object(rec["attributes"], k_record_depth + 2, f, ok);
                    return ok && key_value(f, kv, k_record_depth + 2);
                }
                case 9:
                case 10:
                    if (!is(f, bytes, k_name)) return false;
                    rec[f.number == 9 ? "traceId" : "spanId"] = hex_of(f.bytes);
                    return true;
                default:
                    return true;
            }
        });
    }

    // KeyValue into `out`, an object at `depth`.
    bool key_value(const Field& at, json& out, int depth) {
        return fields(at.bytes, at.offset, [&](const Field& f) {
            if (f.number == 1) {
                if (!is(f, WireType::length_delimited, "KeyValue")) return false;
                out["key"] = std::string(f.bytes);
                return true;
            }
            if (f.number == 2) return is(f, WireType::length_delimited, "KeyValue") && any_value(f, out["value"], depth + 1);
            return true;
        });
    }

    // AnyValue into `out` (made an object at `depth`). A oneof: a member replaces another one;
    // the same message member again merges into it, as protobuf parsers do.
    bool any_value(const Field& at, json& out, int depth) {
        if (!within_depth(depth, at)) return false;
        if (!out.is_object()) out = json::object();
        return fields(at.bytes, at.offset, [&](const Field& f) {
            if (f.number >= std::size(k_any_value_members)) return true;
            const char* member = k_any_value_members[f.number];
            if (!out.contains(member)) out = json::object();
            json& v = out[member];
            constexpr const char* k_name = "AnyValue";
            switch (f.number) {
                case 1:
                    if (!is(f, WireType::length_delimited, k_name)) return false;
                    v = std::string(f.bytes);
                    return true;
                case 2:
                    if (!is(f, WireType::varint, k_name)) return false;
                    v = f.integer != 0;
                    return true;
                case 3:
                    if (!is(f, WireType::varint, k_name)) return false;
                    v = std::to_string(static_cast<std::int64_t>(f.integer));
                    return true;
                case 4:
                    if (!is(f, WireType::fixed64, k_name)) return false;
                    v = double_json(f.integer);
                    return true;
                case 5:
                case 6:
                    return is(f, WireType::length_delimited, k_name) && value_list(f, v, depth + 1, f.number == 6);
                case 7:
                    if (!is(f, WireType::length_delimited, k_name)) return false;
                    v = base64_of(f.bytes);
                    return true;
            }
            return true;  // field 0 does not reach here: the reader refuses it
        });
    }

    // ArrayValue (values: repeated AnyValue) or KeyValueList (values: repeated KeyValue) into
    // `out`, an object at `depth`.
    bool value_list(const Field& at, json& out, int depth, bool key_values) {
        if (!within_depth(depth, at)) return false;
        if (!out.is_object()) out = json::object();
        return fields(at.bytes, at.offset, [&](const Field& f) {
            if (f.number != 1) return true;
            if (!is(f, WireType::length_delimited, key_values ? "KeyValueList" : "ArrayValue")) return false;
            json& values = out["values"];
            if (!values.is_array()) {
                if (!within_depth(depth + 1, f)) return false;
                values = json::array();
            }
            values.push_back(json::object());
            return key_values ? key_value(f, values.back(), depth + 2) : any_value(f, values.back(), depth + 2);
        });
    }

    OtlpLogsVisitor* m_visitor;
    std::string m_error;
};

}  // namespace

std::string visit_otlp_protobuf_logs(std::string_view body, OtlpLogsVisitor& visitor) {
    // Checked whole first, so that a malformed body gives an error and no line at all (as a
    // JSON body does), then decoded again one log record at a time: memory follows the largest
    // record, not the body.
    Decoder check(nullptr);
    if (!check.request(body)) return check.error();
    Decoder decode(&visitor);
    decode.request(body);
    return decode.error();
}

}  // namespace logad::receive
