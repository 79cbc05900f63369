#!/usr/bin/env bash
# Sets up (Debian packages), builds, and runs relcal on its embedded default.
# Extra arguments go to the command (default: serve).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
dir=$(./scripts/build.sh)
if [ $# -eq 0 ]; then
  set -- serve
fi
exec "$dir/relcal" "$@"
