#pragma once
// A test that needs an oracle (LIBSVM, PyTorch, promtool, Prometheus, chromium, man...) which is
// not installed: CI installs every oracle (scripts/install-deps.sh), so there the test fails;
// elsewhere it is skipped with a visible warning, so a fresh clone without them still passes.
// The caller returns (or skips its oracle part) right after.
#include <catch2/catch.hpp>

#include <cstdlib>

namespace logad::test {

inline bool in_ci() {
    const char* ci = std::getenv("CI");
    return ci != nullptr && *ci != '\0';
}

}  // namespace logad::test

#define LOGAD_ORACLE_MISSING(message)                                                              \
    do {                                                                                           \
        if (logad::test::in_ci())                                                                  \
            FAIL_CHECK(message << "; CI installs every oracle (scripts/install-deps.sh)");         \
        else                                                                                       \
            WARN("skipped: " << message);                                                          \
    } while (false)
