#pragma once
// Secrets (webhook URLs with tokens, SASL passwords) read from files, as Alertmanager's
// `url_file` and systemd's LoadCredential= hand them over, so they never appear in argv (`ps`).
#include <logad/export.hpp>
#include <string>
#include <utility>
#include <vector>

namespace logad::util {

// The first line of the file, without surrounding whitespace. Throws UsageError naming `flag`
// when the file cannot be read or holds nothing.
LOGAD_API std::string read_secret_file(const std::string& path, const std::string& flag);

// KEY=VALUE lines (blank lines and lines starting with # skipped), as librdkafka's property files.
// Throws UsageError naming `flag` and the line number for a line without '='.
LOGAD_API std::vector<std::string> read_property_file(const std::string& path, const std::string& flag);

}  // namespace logad::util
