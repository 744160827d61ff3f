#!/usr/bin/env bash
# Fails when a Catch2 test name would not survive ctest discovery: catch_discover_tests splits its
# list on ';' and CMake lists do not split inside '[...]', so such a test (and with '[' every test
# after it) is silently merged into one that runs nothing ("No tests ran", exit 0); a name that
# starts with '-' is read by the test binary as an option.
#   scripts/check-test-names.sh TEST_BINARY...
set -euo pipefail
bad=0
for binary in "$@"; do
  while IFS= read -r name; do
    [[ -z $name ]] && continue
    if [[ $name == *";"* || $name == *"["* || $name == *"]"* || $name == -* ]]; then
      echo "$(basename "$binary"): test name holds ';', '[' or ']', or starts with '-': $name"
      bad=1
    fi
  done < <("$binary" --list-test-names-only)
done
echo "check-test-names: $# binaries checked"
exit $bad
