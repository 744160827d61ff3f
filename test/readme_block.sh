#!/usr/bin/env bash
# ctest: runs a ```sh block of the README as a user would, from a scratch folder holding
# build/logad (the binary under test) and examples/ (the project's), and fails when a command
# of it fails. The block is the first one after the line that starts with MARKER.
#   readme_block.sh README.md MARKER LOGAD_BINARY
set -euo pipefail
readme=$1 marker=$2 logad=$3
src=$(cd "$(dirname "$readme")" && pwd)
block=$(awk -v marker="$marker" '
    index($0, marker) == 1 { found = 1; next }
    found && !inside && /^```sh/ { inside = 1; next }
    inside && /^```/ { exit }
    inside { print }' "$readme")
if [[ -z $block ]]; then echo "FAIL: no \`\`\`sh block after '$marker' in $readme" >&2; exit 1; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/build"
ln -s "$logad" "$work/build/logad"
ln -s "$src/examples" "$work/examples"
cd "$work"
printf '%s\n' "$block"
bash -euo pipefail -c "$block" > "$work/stdout" 2> "$work/stderr" || {
    echo "FAIL: the block exited $?; its stderr:" >&2
    cat "$work/stderr" >&2
    exit 1
}
echo "ok: the block ran ($(wc -l < "$work/stdout") lines on stdout)"
