#!/usr/bin/env bash
# ctest: liblogad is usable as an installed library. Installs the build tree into a temporary
# prefix, builds examples/embed against it twice (pkg-config logad, and CMake's find_package),
# and runs both: trained on the bundled app log, each must flag a line of a kind never seen.
#   embed_installed.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=${1:?usage: embed_installed.sh BUILD_DIR SOURCE_DIR} src=${2:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" > "$work/install.log"
pcdir=$(dirname "$(find "$prefix" -name logad.pc | head -1)")
libdir=$(dirname "$(find "$prefix" -name 'liblogad.so' | head -1)")

training=$src/examples/app.log
novel='2026-11-20 09:59:59.000 ERROR [worker-9] Vault: unseal key rejected by quorum of 3 peers'
expect_anomaly() {  # BINARY
    local out
    out=$( { head -50 "$training"; echo "$novel"; } | LD_LIBRARY_PATH=$libdir "$1" "$training")
    if ! grep -q 'Vault: unseal key rejected.*never seen in training' <<< "$out"; then
        echo "FAIL: $1 did not flag the novel line; it printed:" >&2
        echo "$out" >&2
        exit 1
    fi
}

# pkg-config
g++ -O1 "$src/examples/embed/embed.cpp" -o "$work/embed-pc" \
    $(PKG_CONFIG_PATH=$pcdir pkg-config --cflags --libs logad)
expect_anomaly "$work/embed-pc"

# find_package(logad)
cmake -S "$src/examples/embed" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release > "$work/configure.log"
cmake --build "$work/cmake-build" > "$work/build.log"
expect_anomaly "$work/cmake-build/embed"
echo "ok: examples/embed built with pkg-config and with find_package against $prefix, and flagged the novel line"
