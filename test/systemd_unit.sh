#!/usr/bin/env bash
# ctest: the shipped systemd unit (examples/systemd/logad@.service) passes `systemd-analyze
# verify` with no complaint about it, and has no comment after a value (systemd reads
# `EnvironmentFile=/x # note` as the path "/x # note", a mistake verify does not catch).
# Without systemd-analyze (Debian's `systemd` package) the test is skipped visibly, or fails
# when CI is set, where the tool must be installed (scripts/install-deps.sh --test).
set -uo pipefail
unit=${1:?usage: systemd_unit.sh UNIT_FILE}
if ! command -v systemd-analyze > /dev/null; then
    msg="systemd-analyze not found (Debian package systemd): cannot verify $unit"
    if [[ -n "${CI:-}" ]]; then echo "FAIL: $msg" >&2; exit 1; fi
    echo "WARN: skipped: $msg" >&2
    exit 77
fi
status=0
if grep -nE '^[A-Za-z]+=.*[[:space:]][#;]' "$unit"; then
    echo "FAIL: a value above carries a comment; systemd would make it part of the value" >&2
    status=1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
name=$(basename "$unit")
cp "$unit" "$work/$name"
instance=$name
[[ $name == *@.service ]] && instance=${name%@.service}@test.service  # a template needs an instance
# --man=no: Documentation= names a man page that may not be installed here.
out=$(systemd-analyze verify --man=no "$work/$instance" 2>&1)
rc=$?
complaints=$(grep -F -e "$work" -e "${instance}" <<< "$out")
if [[ $rc -ne 0 || -n $complaints ]]; then
    echo "FAIL: systemd-analyze verify (exit $rc):" >&2
    echo "$out" >&2
    status=1
fi
[[ $status -eq 0 ]] && echo "ok: $name verifies"
exit $status
