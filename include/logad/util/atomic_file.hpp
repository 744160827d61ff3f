#pragma once
// Writes a whole file so that readers see either the old content or the new, never a mix:
// write to a temporary file beside the target, fsync, rename over it. A crash or SIGKILL
// mid-write leaves the previous file intact.
#include <filesystem>
#include <string>
#include <string_view>

namespace logad::util {

// Throws OutputError (with the path and the reason) when the file cannot be written.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// Reads a whole file; throws InputError when it cannot. Refuses files above `max_bytes`.
std::string read_file(const std::filesystem::path& path, std::size_t max_bytes = std::size_t(1) << 31);

}  // namespace logad::util
