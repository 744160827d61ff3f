#!/usr/bin/env bash
# Installs the build dependencies (Debian 12) and builds logad in build/ (Release). Idempotent.
# The tests' dependencies come with scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
generator=(); command -v ninja >/dev/null && generator=(-G Ninja)
[[ -f build/CMakeCache.txt ]] || cmake -S . -B build "${generator[@]}" -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build build -j"$(nproc)"
