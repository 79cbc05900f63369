#!/usr/bin/env bash
# Installs the test-only oracles Debian does not package (tests/oracles/package.json, versions
# pinned by its package-lock.json) from the npm registry into tests/oracles/node_modules, which
# git ignores. Node.js and npm come from Debian's packages when the machine has none. Nothing
# here is shipped or used by relcal itself. Idempotent: does nothing when the installed tree
# matches the lock file.
set -euo pipefail
cd "$(dirname "$0")/../tests/oracles"

if ! command -v npm >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "oracles: installing nodejs and npm from Debian" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

stamp=node_modules/.relcal-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "oracles: npm ci (tests/oracles)" >&2
# No install scripts run and no browser is downloaded: the tests drive Debian's chromium.
PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2
echo "$want" >"$stamp"
