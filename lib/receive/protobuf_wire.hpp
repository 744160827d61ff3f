#pragma once
// The protobuf wire format, read and written by hand (no protobuf library in the product): a
// message is a run of fields, each a varint tag (field number << 3 | wire type) then its value:
//   0 varint            1 to 10 bytes, 7 bits each, least significant first
//   1 fixed64           8 bytes, little-endian (fixed64, sfixed64, double)
//   2 length-delimited  a varint length, then that many bytes (strings, bytes, messages)
//   5 fixed32           4 bytes, little-endian
// Wire types 3 and 4 (groups, proto2 only, unused by OTLP) and 6, 7 are refused as malformed.
// The reader never reads past its bytes and reports where and why input is malformed.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace logad::receive::protobuf {

enum class WireType : std::uint8_t { varint = 0, fixed64 = 1, length_delimited = 2, fixed32 = 5 };

const char* wire_type_name(WireType type);

struct Field {
    std::uint32_t number = 0;
    WireType type = WireType::varint;
    std::uint64_t integer = 0;  // varint, fixed64 and fixed32 values
    std::string_view bytes;     // a length-delimited value
    std::size_t offset = 0;     // where the value starts in the outermost message (for errors)
};

class Reader {
public:
    // `origin`: where `message` starts in the outermost message, so errors name absolute offsets.
    explicit Reader(std::string_view message, std::size_t origin = 0) : m_rest(message), m_origin(origin) {}

    // Reads the next field: false at the end of the message, or on malformed input (error() says
    // what and where; the reader then stays at the end).
    bool next(Field& field);
    const std::string& error() const { return m_error; }

private:
    bool read_varint(std::uint64_t& value);
    bool fail(std::string why);
    std::size_t offset() const { return m_origin + m_read; }

    std::string_view m_rest;
    std::size_t m_origin;
    std::size_t m_read = 0;
    std::string m_error;
};

// Appends a field (tag and value) to a message being written.
void append_varint(std::string& out, std::uint64_t value);
void append_varint_field(std::string& out, std::uint32_t number, std::uint64_t value);
void append_bytes_field(std::string& out, std::uint32_t number, std::string_view bytes);

}  // namespace logad::receive::protobuf
