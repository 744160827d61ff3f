#pragma once
// A tiny protobuf encoder for the tests, written apart from lib/receive/protobuf_wire so that the
// decoder is not checked against its own writer. Each function returns one encoded field.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace logad::test::pb {

inline std::string varint(std::uint64_t v) {
    std::string out;
    do {
        unsigned char b = v & 0x7f;
        v >>= 7;
        if (v) b |= 0x80;
        out += static_cast<char>(b);
    } while (v);
    return out;
}

inline std::string tag(std::uint32_t field, int wire_type) { return varint(std::uint64_t(field) << 3 | unsigned(wire_type)); }

inline std::string uint_field(std::uint32_t field, std::uint64_t v) { return tag(field, 0) + varint(v); }
inline std::string int_field(std::uint32_t field, std::int64_t v) { return uint_field(field, static_cast<std::uint64_t>(v)); }

inline std::string fixed64_field(std::uint32_t field, std::uint64_t v) {
    std::string out = tag(field, 1);
    for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
    return out;
}

inline std::string double_field(std::uint32_t field, double d) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &d, sizeof bits);
    return fixed64_field(field, bits);
}

inline std::string fixed32_field(std::uint32_t field, std::uint32_t v) {
    std::string out = tag(field, 5);
    for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
    return out;
}

inline std::string bytes_field(std::uint32_t field, std::string_view bytes) {
    return tag(field, 2) + varint(bytes.size()) + std::string(bytes);
}

// OTLP's messages, by the field numbers of opentelemetry-proto.
inline std::string string_value(std::string_view s) { return bytes_field(1, s); }          // AnyValue
inline std::string bool_value(bool b) { return uint_field(2, b ? 1 : 0); }
inline std::string int_value(std::int64_t i) { return int_field(3, i); }
inline std::string double_value(double d) { return double_field(4, d); }
inline std::string array_value(std::string_view values) { return bytes_field(5, values); }  // values: fields 1
inline std::string kvlist_value(std::string_view values) { return bytes_field(6, values); }
inline std::string bytes_value(std::string_view b) { return bytes_field(7, b); }
inline std::string list_item(std::string_view any_value_or_key_value) { return bytes_field(1, any_value_or_key_value); }
inline std::string key_value(std::string_view key, std::string_view any_value) {
    return bytes_field(1, key) + bytes_field(2, any_value);
}

}  // namespace logad::test::pb
