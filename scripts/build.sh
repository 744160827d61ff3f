#!/usr/bin/env bash
# Installs the build dependencies (Debian 12) and builds logad in build/ (Release): the library
# and the command, what a user runs. Idempotent. `--all` also builds the test binaries (what
# scripts/test.sh does, with the tests' own dependencies).
#   scripts/build.sh [--all] [extra cmake args]
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(--target logad_exe)
if [[ ${1:-} == --all ]]; then targets=(); shift; fi
bash scripts/install-deps.sh
generator=(); command -v ninja >/dev/null && generator=(-G Ninja)
[[ -f build/CMakeCache.txt ]] || cmake -S . -B build "${generator[@]}" -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build build -j"$(nproc)" "${targets[@]}"
