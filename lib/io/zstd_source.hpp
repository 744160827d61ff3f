#pragma once
// Zstandard decoding of a byte source (several concatenated frames too, as `cat a.zst b.zst`).
#include <logad/io/input.hpp>

#include <memory>

namespace logad::io {

// The 4 magic bytes that start a zstd frame: 28 B5 2F FD.
bool is_zstd_magic(const std::string& head) noexcept;
std::unique_ptr<ByteSource> make_zstd_source(std::unique_ptr<ByteSource> raw);

}  // namespace logad::io
