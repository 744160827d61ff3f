#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds, and runs every test. This is what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test  # the oracles, browsers and tools the tests use
bash scripts/build.sh --all
if [[ ! -d ../shared/data ]]; then
  echo "note: ../shared/data is absent: tests on the shared Loghub datasets will be skipped (with a warning each)"
fi
ctest --test-dir build -j"$(nproc)" --output-on-failure
