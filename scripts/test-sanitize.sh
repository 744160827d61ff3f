#!/usr/bin/env bash
# Builds logad with AddressSanitizer + UndefinedBehaviorSanitizer in build-asan/ and runs the
# whole test suite there. Any sanitizer report fails the run: ASan and UBSan halt on the first
# error (UBSan with a stack trace), so a report shows up as a failed test with the report in its
# output. The CLI tests run the sanitized `logad` binary, which inherits the same options.
#   scripts/test-sanitize.sh [-j N] [extra ctest args, e.g. -R parse]
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc)
if [[ "${1:-}" == "-j" ]]; then jobs=$2; shift 2; fi

build=build-asan
generator=(); command -v ninja >/dev/null && generator=(-G Ninja)
# With clang the same instrumented build also holds the libFuzzer targets (LOGAD_FUZZ), so
# scripts/fuzz.sh --build-dir build-asan needs no second build of the library; without clang the
# tests are built with g++ and the fuzzers are left out.
compiler=() fuzz=OFF
if command -v clang++ >/dev/null; then compiler=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++); fuzz=ON; fi
# -O1 keeps the instrumented tests fast enough; -g1 (function names and line tables, no variable
# locations) keeps stack traces readable and halves the compile time of -g; asserts stay on.
[[ -f $build/CMakeCache.txt ]] || cmake -S . -B $build "${generator[@]}" "${compiler[@]}" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DLOGAD_SANITIZE=ON -DLOGAD_FUZZ=$fuzz
start=$(date +%s)
cmake --build $build -j"$jobs"
built=$(date +%s)

export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"
# Bounds that prove a test's code is not quadratic or looping scale by this (test/support).
export LOGAD_TEST_SLOWDOWN=${LOGAD_TEST_SLOWDOWN:-5}
status=0
# -LE reliability: the label's tests run the [reliability] cases a second time (the discovered
# tests already run each once); under the sanitizers that second pass costs about 2 minutes.
ctest --test-dir $build -j"$jobs" --output-on-failure -LE reliability "$@" || status=$?
end=$(date +%s)
echo "sanitize: build $((built - start)) s, tests $((end - built)) s, total $((end - start)) s (exit $status)"
exit $status
