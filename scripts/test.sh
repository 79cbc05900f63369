#!/usr/bin/env bash
# Sets up (Debian packages), builds and runs the whole test suite with CTest.
#   ./scripts/test.sh              normal build in build/
#   ./scripts/test.sh --sanitize   ASan+UBSan build in build-asan/
#   ./scripts/test.sh --valgrind   the unit tests under valgrind memcheck (no errors, no leaks)
# Extra arguments after the optional --sanitize go to ctest (e.g. -L unit, -R store).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/oracles.sh
mode=()
if [ "${1:-}" = "--valgrind" ]; then
  shift
  dir=$(./scripts/build.sh)
  passed=0 failed=0
  for t in "$dir"/tests/unit/test_*; do
    if RELCAL_SOURCE_DIR=$PWD valgrind -q --error-exitcode=9 --leak-check=full \
         --errors-for-leak-kinds=definite,indirect "$t" >/dev/null 2>"$dir/valgrind.log"; then
      passed=$((passed + 1))
    else
      failed=$((failed + 1))
      echo "valgrind: $(basename "$t") failed"
      tail -n 30 "$dir/valgrind.log"
    fi
  done
  echo "valgrind: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
fi
if [ "${1:-}" = "--sanitize" ]; then
  mode=(--sanitize)
  shift
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
fi
dir=$(./scripts/build.sh "${mode[@]}")
cd "$dir"
ctest --output-on-failure -j"$(nproc)" "$@"
