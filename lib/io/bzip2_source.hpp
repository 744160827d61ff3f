#pragma once
// bzip2 decoding of a byte source (libbz2; several concatenated streams too, as pbzip2 writes).
#include <logad/io/input.hpp>

#include <memory>

namespace logad::io {

// "BZh", a block size digit 1-9, and the first byte of a block or end-of-stream magic.
bool is_bzip2_magic(const std::string& head) noexcept;
std::unique_ptr<ByteSource> make_bzip2_source(std::unique_ptr<ByteSource> raw);

}  // namespace logad::io
