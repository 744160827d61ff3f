#pragma once
// Helpers shared by the test binaries. Header-only, so each binary still links only its stage;
// one definition here also lets a binary's sources compile as one unity batch.
#include <logad/stage.hpp>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

namespace logad::test {

// The whole file, byte for byte ("" when it cannot be read).
inline std::string read_all(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A path under the temp directory that no other test process uses: ctest runs binaries, and the
// same case twice (its label aggregates), at the same time.
inline std::filesystem::path private_temp(const std::string& name) {
    return std::filesystem::temp_directory_path() / ("logad-test-" + std::to_string(::getpid()) + "-" + name);
}

// How many times `piece` occurs in `text` (overlapping occurrences count).
inline std::size_t occurrences(const std::string& text, const std::string& piece) {
    std::size_t n = 0;
    for (auto at = text.find(piece); at != std::string::npos; at = text.find(piece, at + 1)) ++n;
    return n;
}

// The value of a record's field `key`, or "<absent>" (a template: any type with .fields).
template <class R>
std::string field(const R& record, std::string_view key) {
    for (const auto& f : record.fields)
        if (f.key == key) return f.value;
    return "<absent>";
}

// How many times slower than a plain build this build runs: LOGAD_TEST_SLOWDOWN (default 1;
// scripts/test-sanitize.sh sets it). Bounds that prove an algorithm is not quadratic or looping
// scale by it, so they hold under the sanitizers and still fail on the bug they guard.
inline double slowdown() {
    const char* v = std::getenv("LOGAD_TEST_SLOWDOWN");
    const double f = v ? std::atof(v) : 1.0;
    return f >= 1 ? f : 1.0;
}

// CPU seconds this thread has used: for bounds that prove an algorithm is not quadratic, as a
// loaded machine stretches wall time but not the work done.
inline double thread_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// A sink that keeps a copy of everything pushed into it and counts finish() calls.
template <class T>
struct Collect final : Sink<T> {
    std::vector<T> records;
    int finished = 0;
    void push(T& item) override { records.push_back(item); }
    void finish() override { ++finished; }
};

}  // namespace logad::test
