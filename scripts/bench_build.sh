#!/usr/bin/env bash
# Clean-build figures (ccache off) for the library + CLI and then the test binaries, in a scratch
# directory: wall seconds and CPU seconds (user + sys) of each step. With --compare it also builds
# file by file (-DLOGAD_UNITY_BUILD=OFF), the way the build went before batching.
#   scripts/bench_build.sh [--compare] [-j N] [extra cmake args, e.g. -DLOGAD_SANITIZE=ON]
set -euo pipefail
cd "$(dirname "$0")/.."
modes=(ON)
jobs=$(nproc)
while [[ $# -gt 0 ]]; do
  case $1 in
    --compare) modes=(ON OFF); shift ;;
    -j) jobs=$2; shift 2 ;;
    *) break ;;
  esac
done
generator=(); command -v ninja >/dev/null && generator=(-G Ninja)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export CCACHE_DISABLE=1

# step NAME TARGET...: builds the targets and prints "NAME: wall W s, cpu C s".
step() {
  local name=$1; shift
  local t0; t0=$(date +%s%N)
  /usr/bin/time -f '%U %S' -o "$scratch/cpu" cmake --build "$dir" -j"$jobs" --target "$@" >/dev/null
  local t1; t1=$(date +%s%N)
  awk -v n="$name" -v w="$(( (t1 - t0) / 1000000000 ))" '{printf "%s: wall %.0f s, cpu %.0f s\n", n, w, $1 + $2}' "$scratch/cpu"
}

echo "bench_build: $(nproc) cores, -j$jobs, $(g++ --version | head -n1), load $(cut -d' ' -f1-3 /proc/loadavg)"
for unity in "${modes[@]}"; do
  dir=$scratch/build-$unity
  cmake -S . -B "$dir" "${generator[@]}" -DLOGAD_UNITY_BUILD="$unity" "$@" >/dev/null
  step "unity $unity, library + CLI" logad_exe
  step "unity $unity, tests" all
done
