#include "protobuf_wire.hpp"

#include <fmt/core.h>

namespace logad::receive::protobuf {

const char* wire_type_name(WireType type) {
    switch (type) {
        case WireType::varint: return "varint";
        case WireType::fixed64: return "fixed64";
        case WireType::length_delimited: return "length-delimited";
        case WireType::fixed32: return "fixed32";
    }
    return "unknown";
}

bool Reader::fail(std::string why) {
    m_error = std::move(why);
    m_rest = {};
    return false;
}

bool Reader::read_varint(std::uint64_t& value) {
    const std::size_t start = offset();
    value = 0;
    for (int i = 0; i < 10; ++i) {
        if (m_rest.empty()) return fail(fmt::format("protobuf: truncated varint at byte {}", start));
        const auto byte = static_cast<std::uint8_t>(m_rest.front());
        m_rest.remove_prefix(1);
        ++m_read;
        // The tenth byte holds bit 63 only: more would not fit in 64 bits.
        if (i == 9 && byte > 1) return fail(fmt::format("protobuf: varint at byte {} is over 64 bits", start));
        value |= std::uint64_t(byte & 0x7f) << (7 * i);
        if (!(byte & 0x80)) return true;
    }
    return fail(fmt::format("protobuf: varint at byte {} is over 64 bits", start));
}

bool Reader::next(Field& field) {
    if (m_rest.empty()) return false;
    const std::size_t tag_at = offset();
    std::uint64_t tag = 0;
    if (!read_varint(tag)) return false;
    const std::uint64_t number = tag >> 3;
    if (number == 0 || number > 0x1fffffff)
        return fail(fmt::format("protobuf: field number {} at byte {} is out of range (1 to 536870911)", number, tag_at));
    field.number = static_cast<std::uint32_t>(number);
    field.bytes = {};
    field.integer = 0;
    const auto take_fixed = [&](std::size_t n) {
        if (m_rest.size() < n)
            return fail(fmt::format("protobuf: field {} at byte {}: {}-byte value truncated ({} bytes left)", number, tag_at, n,
                                    m_rest.size()));
        field.offset = offset();
        for (std::size_t i = 0; i < n; ++i) field.integer |= std::uint64_t(static_cast<std::uint8_t>(m_rest[i])) << (8 * i);
        m_rest.remove_prefix(n);
        m_read += n;
        return true;
    };
    switch (tag & 7) {
        case 0:
            field.type = WireType::varint;
            field.offset = offset();
            return read_varint(field.integer);
        case 1:
            field.type = WireType::fixed64;
            return take_fixed(8);
        case 5:
            field.type = WireType::fixed32;
            return take_fixed(4);
        case 2: {
            field.type = WireType::length_delimited;
            std::uint64_t length = 0;
            if (!read_varint(length)) return false;
            if (length > m_rest.size())
                return fail(fmt::format("protobuf: field {} at byte {}: length {} runs past the end of its message "
                                        "({} bytes left)",
                                        number, tag_at, length, m_rest.size()));
            field.offset = offset();
            field.bytes = m_rest.substr(0, static_cast<std::size_t>(length));
            m_rest.remove_prefix(static_cast<std::size_t>(length));
            m_read += static_cast<std::size_t>(length);
            return true;
        }
        case 3:
        case 4:
            return fail(fmt::format("protobuf: field {} at byte {} is a group (wire type {}), which OTLP does not use", number,
                                    tag_at, tag & 7));
        default:
            return fail(fmt::format("protobuf: field {} at byte {} has the invalid wire type {}", number, tag_at, tag & 7));
    }
}

void append_varint(std::string& out, std::uint64_t value) {
    while (value >= 0x80) {
        out.push_back(static_cast<char>((value & 0x7f) | 0x80));
        value >>= 7;
    }
    out.push_back(static_cast<char>(value));
}

void append_varint_field(std::string& out, std::uint32_t number, std::uint64_t value) {
    append_varint(out, std::uint64_t(number) << 3 | 0);
    append_varint(out, value);
}

void append_bytes_field(std::string& out, std::uint32_t number, std::string_view bytes) {
    append_varint(out, std::uint64_t(number) << 3 | 2);
    append_varint(out, bytes.size());
    out.append(bytes);
}

}  // namespace logad::receive::protobuf
