#pragma once
// xz decoding of a byte source (liblzma; several concatenated streams too, as `cat a.xz b.xz`).
#include <logad/io/input.hpp>

#include <memory>

namespace logad::io {

// The 6 magic bytes that start an xz stream: FD '7' 'z' 'X' 'Z' 00.
bool is_xz_magic(const std::string& head) noexcept;
std::unique_ptr<ByteSource> make_xz_source(std::unique_ptr<ByteSource> raw);

}  // namespace logad::io
