// io's read_double against std::from_chars, its oracle: for every start offset of the input the
// same end, the same error and, where a number was read, the same bits. The input is read both
// whole and as each line (the table reader hands it the rest of a line).
#include "fuzz_input.hpp"

#include "../lib/io/read_double.hpp"

#include <charconv>
#include <cstring>

namespace {

void check_from(const char* first, const char* last) {
    double want = 0.5, got = 0.5;
    const auto w = std::from_chars(first, last, want);
    const auto g = logad::io::read_double(first, last, got);
    LOGAD_FUZZ_CHECK(w.ptr == g.ptr);
    LOGAD_FUZZ_CHECK(w.ec == g.ec);
    LOGAD_FUZZ_CHECK(std::memcmp(&want, &got, sizeof want) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = logad::fuzz::as_text(data, size);
    for (std::size_t i = 0; i < text.size() && i < 64; ++i) check_from(text.data() + i, text.data() + text.size());
    for (std::string_view line : logad::fuzz::split_lines(text))
        if (!line.empty()) check_from(line.data(), line.data() + line.size());
    return 0;
}
