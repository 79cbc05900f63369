#!/usr/bin/env bash
# Installs whatever relcal needs from Debian's packages (Debian 12, as root or with sudo).
# Idempotent and quiet: when everything is present it only runs dpkg-query and exits.
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config git clang clang-format
  # fuzzing: the libFuzzer and sanitizer runtimes of clang 14 (only recommended by clang)
  libclang-rt-14-dev
  # libraries
  libuv1-dev libical-dev libcurl4-openssl-dev libjansson-dev libcmocka-dev libsqlite3-dev
  node-llhttp libssl-dev zlib1g-dev tzdata libgpgme-dev
  # test tools: independent oracles (dateutil for RRULEs, ruby-cvss-suite for CVSS v3), real peers
  python3 python3-dateutil python3-icalendar python3-recurring-ical-events python3-aiosmtpd
  gnupg gpg-agent sqlite3 curl valgrind ruby ruby-cvss-suite chromium python3-prometheus-client
  python3-feedparser
  # benchmarks
  wrk nginx bc
  # the package test: dpkg-buildpackage, lintian, and what the package's scripts call
  # (systemd-sysusers, systemd-tmpfiles, deb-systemd-helper); nginx serves its export
  debhelper dpkg-dev lintian systemd
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
