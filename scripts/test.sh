#!/usr/bin/env bash
# Sets up (Debian packages), builds and runs the whole test suite with CTest.
#   ./scripts/test.sh              normal build in build/
#   ./scripts/test.sh --sanitize   ASan+UBSan build in build-asan/
# Extra arguments after the optional --sanitize go to ctest (e.g. -L unit, -R store).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
mode=()
if [ "${1:-}" = "--sanitize" ]; then
  mode=(--sanitize)
  shift
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
fi
dir=$(./scripts/build.sh "${mode[@]}")
cd "$dir"
ctest --output-on-failure -j"$(nproc)" "$@"
