#!/usr/bin/env bash
# Builds a Debian package of logad in build-package/ (Release, installed under /usr).
# With --install-check it then installs the package, checks that the binary, man pages and
# completion work from their installed places, and removes it again (needs root).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh > /dev/null
command -v dpkg-shlibdeps > /dev/null || apt-get install -y -qq dpkg-dev > /dev/null
cmake -S . -B build-package -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr -DLOGAD_BUILD_TESTS=OFF > /dev/null
cmake --build build-package -j"$(nproc)"
(cd build-package && cpack -G DEB > /dev/null)
deb=$(ls -t build-package/logad_*.deb | head -n 1)
echo "built $deb"
dpkg-deb --info "$deb" | grep -E "Package|Version|Depends"
dpkg-deb --contents "$deb" | awk '{print $6}' | grep -E "bin/logad$|liblogad|man1/logad.1|completions/logad$|include/logad/record.hpp$"

if [[ "${1:-}" == "--install-check" ]]; then
    if dpkg-query -W logad > /dev/null 2>&1; then echo "logad is already installed; not touching it"; exit 2; fi
    apt-get install -y -qq "./$deb" > /dev/null
    trap 'dpkg -r logad > /dev/null' EXIT
    /usr/bin/logad --version
    man -w logad logad-score > /dev/null
    head -n 200 examples/app.log | /usr/bin/logad parse --quiet | head -n 1 > /dev/null
    bash -c 'source /usr/share/bash-completion/bash_completion 2>/dev/null; source /usr/share/bash-completion/completions/logad; complete -p logad'
    echo "install check passed"
fi
