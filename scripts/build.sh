#!/usr/bin/env bash
# Configures and builds relcal into build/ (or build-asan/ with --sanitize). Used by run.sh and
# test.sh; safe to run again (incremental).
set -euo pipefail
cd "$(dirname "$0")/.."

dir=build
flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DRELCAL_WERROR=ON)
if [ "${1:-}" = "--sanitize" ]; then
  dir=build-asan
  flags=(-DCMAKE_BUILD_TYPE=Debug -DRELCAL_SANITIZE=ON -DRELCAL_WERROR=ON)
fi
cmake -S . -B "$dir" "${flags[@]}" >/dev/null
cmake --build "$dir" -j"$(nproc)" -- --no-print-directory >/dev/null
echo "$dir"
