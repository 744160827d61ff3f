#pragma once
// Byte sources for every subcommand: a file descriptor, a std::istream (tests), and a gzip,
// zstd, xz or bzip2 decoder stacked on either. open_input() picks by name ("-" is stdin) and by
// magic bytes, and refuses input that is not text.
#include <logad/export.hpp>
#include <cstddef>
#include <istream>
#include <memory>
#include <string>
#include <string_view>

namespace logad::io {

class ByteSource {
public:
    virtual ~ByteSource() = default;
    // Reads up to `size` bytes; 0 means end of input. Blocks when nothing is available yet.
    virtual std::size_t read(char* buf, std::size_t size) = 0;
    // True when read() would return without blocking (data waiting, or end of input).
    // Used to flush output before waiting on a live stream.
    virtual bool ready() { return true; }
    // Waits up to `timeout_ms` for read() to be able to return without blocking; false on
    // timeout. Lets a live reader do timed work (closing time windows) while input is quiet.
    virtual bool wait_ready(int /*timeout_ms*/) { return true; }
    // Name for messages ("-" for stdin).
    virtual const std::string& name() const = 0;
    // Size in bytes when known (regular files), for progress; -1 otherwise.
    virtual long long size_hint() const { return -1; }
    // Bytes taken so far from the file under any decoder (compressed bytes for .gz and .zst),
    // so position() / size_hint() is the share done; -1 when not counted.
    virtual long long position() const { return -1; }
};

// Opens `path` ("-" reads `stdin_stream`; when that is std::cin the real fd 0 is used so that
// live streams can be polled). gzip, zstd, xz and bzip2 input is decoded transparently, found by
// its magic bytes. The first block of the (decoded) input is checked with why_not_text(): binary
// input is refused, so nothing learns from an executable. Throws InputError.
LOGAD_API std::unique_ptr<ByteSource> open_input(const std::string& path, std::istream& stdin_stream);

// Size of the first block open_input() judges (less when a live stream has no more yet).
constexpr std::size_t k_text_check_block = std::size_t(64) << 10;

// Why `block`, the start of an input, is not a text log, or "" when it is (lib/io/text_check.cpp):
// a UTF-16 byte order mark; NUL bytes above 1% of the block (at least 64 bytes judged); or
// control bytes and invalid UTF-8 above 30% (at least 512 bytes judged). A few stray NULs or
// Latin-1 bytes in a text log pass. `complete`: the block is the whole input (else its last
// bytes may be a UTF-8 sequence cut short, not counted).
std::string why_not_text(std::string_view block, bool complete);

// `path` (a file or FIFO) read like `tail -F`: across writers closing a FIFO, appends,
// truncation and rotation, until SIGINT/SIGTERM. Not decompressed. Throws InputError.
LOGAD_API std::unique_ptr<ByteSource> open_followed(const std::string& path);

// Reads from `source` until the first non-blank line is complete (or `max` bytes), and replaces
// `source` with one that yields those bytes again, so a reader can decide what the input is
// before reading it. Returns that first non-blank line.
LOGAD_API std::string peek_first_line(std::unique_ptr<ByteSource>& source, std::size_t max = std::size_t(1) << 20);

}  // namespace logad::io
