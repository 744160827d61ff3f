#include <logad/util/secret_file.hpp>

#include <logad/error.hpp>
#include <logad/util/atomic_file.hpp>

#include <fmt/core.h>

#include <sstream>

namespace logad::util {
namespace {

constexpr std::size_t k_max_secret_file = 1 << 20;

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::string read_small(const std::string& path, const std::string& flag) {
    try {
        return read_file(path, k_max_secret_file);
    } catch (const InputError& e) {
        throw UsageError(fmt::format("{}: {}", flag, e.what()));
    }
}

}  // namespace

std::string read_secret_file(const std::string& path, const std::string& flag) {
    std::istringstream in(read_small(path, flag));
    std::string line;
    std::getline(in, line);
    line = trim(line);
    if (line.empty()) throw UsageError(fmt::format("{}: {} is empty; put the secret on its first line", flag, path));
    return line;
}

std::vector<std::string> read_property_file(const std::string& path, const std::string& flag) {
    std::istringstream in(read_small(path, flag));
    std::vector<std::string> out;
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) {
        ++n;
        line = trim(line);
        if (line.empty() || line.front() == '#') continue;
        if (line.find('=') == std::string::npos)
            throw UsageError(fmt::format("{}: line {} of {} is not KEY=VALUE", flag, n, path));
        out.push_back(line);
    }
    return out;
}

}  // namespace logad::util
