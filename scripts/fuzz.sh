#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, RELCAL_FUZZ=ON) in build-fuzz/ and runs each of them, one
# after the other, for SECONDS (default 30) on a fresh copy of its seed corpus in fuzz/corpus/.
#   ./scripts/fuzz.sh [SECONDS] [TARGET...]   e.g. ./scripts/fuzz.sh 600 rrule
# Logs go to build-fuzz/fuzz-<target>.log, grown corpora to build-fuzz/corpus/<target>/ and
# crashing inputs to build-fuzz/artifacts/<target>/. Fails when any target finds a crash, a
# leak, a timeout (10 s for one input) or runs out of memory (2 GiB).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

seconds=${1:-30}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(http api config severity rrule retry_after)
fi

dir=build-fuzz
cmake -S . -B "$dir" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRELCAL_FUZZ=ON \
  -DRELCAL_WERROR=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build "$dir" -j2 -- --no-print-directory >/dev/null

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
for t in "${targets[@]}"; do
  corpus="$dir/corpus/$t" artifacts="$dir/artifacts/$t" log="$dir/fuzz-$t.log"
  rm -rf "$corpus" "$artifacts"
  mkdir -p "$corpus" "$artifacts"
  cp fuzz/corpus/"$t"/* "$corpus"/
  dict=()
  if [ -f "fuzz/$t.dict" ]; then
    dict=(-dict="fuzz/$t.dict")
  fi
  # stdin is /dev/null: config secrets may name files, and /dev/stdin must not block.
  if "$dir/fuzz/fuzz_$t" "$corpus" "${dict[@]}" -max_total_time="$seconds" -rss_limit_mb=2048 \
       -timeout=10 -print_final_stats=1 -artifact_prefix="$artifacts/" </dev/null >"$log" 2>&1; then
    status=ok
  else
    status=FAILED
    failed=$((failed + 1))
  fi
  stats=$( (grep -E "^#[0-9]+.*(DONE|pulse|NEW|REDUCE)" "$log" || true) | tail -n 1 |
    sed "s/^#\([0-9]*\)[^c]*/\1 runs, /")
  echo "fuzz_$t: $status after ${seconds}s: $stats"
  if [ "$status" = FAILED ]; then
    { grep -E 'ERROR|SUMMARY|Test unit written' "$log" || tail -n 3 "$log"; } | head -n 5 | sed 's/^/  /'
  fi
done
[ "$failed" -eq 0 ]
