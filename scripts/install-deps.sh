#!/usr/bin/env bash
# Installs logad's dependencies from Debian 12's packages. Idempotent: packages already present
# are skipped, so a second run costs one dpkg query.
#   install-deps.sh           what building needs (scripts/build.sh, scripts/demo.sh)
#   install-deps.sh --test    that and what the tests need (scripts/test.sh)
#   install-deps.sh --bench   that and what the benchmark scripts need (also with --test)
set -euo pipefail

build_pkgs=(build-essential cmake ninja-build pkg-config
            libcli11-dev libre2-dev libeigen3-dev libfmt-dev nlohmann-json3-dev catch2
            zlib1g-dev libzstd-dev zstd liblzma-dev xz-utils libbz2-dev bzip2 libcurl4-openssl-dev libcpp-httplib-dev librdkafka-dev ccache)
# Oracles used by tests (LIBSVM, PyTorch), man for checking the man pages, promtool and a real
# Prometheus server for the metrics tests, a real Alertmanager for the alert tests, headless
# chromium for the HTML report test, clang's libFuzzer, systemd-analyze to verify the
# shipped systemd unit, protoc to encode OTLP protobuf requests, and rsyslogd, jq and PyYAML for
# the integration recipes.
test_pkgs=(libsvm-tools python3-torch python3-numpy man-db prometheus prometheus-alertmanager chromium fonts-dejavu-core
           clang libclang-rt-14-dev  # libFuzzer for the CI fuzzing step (scripts/fuzz.sh)
           systemd
           protobuf-compiler  # protoc encodes the OTLP protobuf oracle request (test/receive/test_otlp_protobuf.cpp)
           jq python3-yaml  # docs/integrations.md's recipes (test/integrations_recipes.sh)
           # issue 15's receiver tests: rsyslog as a sender; syslog-ng-core's libraries (the package
           # itself conflicts with rsyslog, so it is unpacked below); node for the OpenTelemetry SDK
           rsyslog libivykis0 libnet1 libjson-c5 libwrap0 libpcre3 libglib2.0-0 libcap2 nodejs)
# python3-jsonpickle and python3-cachetools: Drain3 (../shared/peers) in template_stability.py and
# scripts/bench_templates.py
bench_pkgs=(python3-sklearn python3-numpy python3-torch time python3-jsonpickle python3-cachetools)

want=("${build_pkgs[@]}")
with_test=0
for arg in "$@"; do
  case $arg in
    --test) want+=("${test_pkgs[@]}"); with_test=1 ;;
    --bench) want+=("${bench_pkgs[@]}") ;;
    *) echo "install-deps.sh: unknown argument $arg (--test, --bench)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The receiver tests' senders that apt cannot install beside rsyslog, into .deps/ (gitignored):
# syslog-ng-core unpacked (syslog-ng and rsyslog both provide system-log-daemon), and the
# OpenTelemetry JavaScript SDK at the versions test/otel/package-lock.json pins. Neither starts
# a daemon: the tests start their own senders on loopback ports with their own config files.
if ((with_test)); then
  root=$(cd "$(dirname "$0")/.." && pwd)
  deps="$root/.deps"
  if ! command -v syslog-ng >/dev/null && [[ ! -x $deps/syslog-ng/usr/sbin/syslog-ng ]]; then
    tmp=$(mktemp -d)
    (cd "$tmp" && apt-get download syslog-ng-core 2>/dev/null) || { sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"; $sudo_cmd apt-get update -qq; (cd "$tmp" && apt-get download syslog-ng-core); }
    mkdir -p "$deps/syslog-ng"
    dpkg-deb -x "$tmp"/syslog-ng-core_*.deb "$deps/syslog-ng"
    rm -rf "$tmp"
  fi
  if ! command -v npm >/dev/null; then
    sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
    $sudo_cmd apt-get install -y -qq --no-install-recommends npm
  fi
  mkdir -p "$deps/otel"
  cp "$root/test/otel/package.json" "$root/test/otel/package-lock.json" "$deps/otel/"
  (cd "$deps/otel" && npm ci --no-audit --no-fund --loglevel=error)
  # Installing rsyslog starts the system's daemon; the tests never need it (nor its port 514).
  if command -v systemctl >/dev/null && systemctl is-active --quiet rsyslog 2>/dev/null; then
    sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
    $sudo_cmd systemctl stop rsyslog || true
  fi
fi
