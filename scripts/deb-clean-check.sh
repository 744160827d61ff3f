#!/usr/bin/env bash
# Checks that the .deb from scripts/package.sh installs and works on a clean Debian 12: builds a
# minimal bookworm root with mmdebstrap (no build tools, no libraries beyond apt's), installs the
# package there with apt (which pulls only the runtime libraries it declares), and runs logad on
# the bundled example inside it. Needs root, network access to the Debian mirror, and mmdebstrap.
#   scripts/deb-clean-check.sh [path/to/logad_X_amd64.deb]   (default: the newest in build-package/)
set -euo pipefail
cd "$(dirname "$0")/.."
deb=${1:-$(ls -t build-package/logad_*.deb 2>/dev/null | head -n 1)}
[[ -f $deb ]] || { echo "deb-clean-check: no .deb; run scripts/package.sh first" >&2; exit 2; }
command -v mmdebstrap > /dev/null || apt-get install -y -qq mmdebstrap > /dev/null

root=$(mktemp -d)
trap 'umount "$root/proc" 2>/dev/null || true; rm -rf "$root"' EXIT
echo "== a clean Debian 12 root in $root"
mmdebstrap --quiet --variant=apt bookworm "$root"
cp "$deb" examples/app.log "$root/tmp/"
mount -t proc proc "$root/proc"
echo "== installing $(basename "$deb") with apt (runtime dependencies from its Depends)"
chroot "$root" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq /tmp/$(basename "$deb") > /dev/null"
echo "== running the installed logad"
chroot "$root" sh -ec '
  logad --version
  head -n 1000 /tmp/app.log > /tmp/normal.log
  tail -n +1001 /tmp/app.log > /tmp/new.log
  logad train -q -o /tmp/model.json /tmp/normal.log
  logad score -q -m /tmp/model.json /tmp/new.log | head -n 1
  test -f /usr/share/man/man1/logad.1.gz || test -f /usr/share/man/man1/logad.1
  test -f /usr/share/bash-completion/completions/logad
'
echo "deb clean check passed"
