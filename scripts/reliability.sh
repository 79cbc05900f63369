#!/usr/bin/env bash
# The full reliability bars (results in docs/PERFORMANCE.md; CI runs the short variants):
# 20 kill -9 rounds of 1,000 concurrent writes, 10,000 idle connections, 1,000 slowloris clients,
# the bad input corpora, kill -9 during a fan-out, the flapping receivers, ten clients pipelining
# without reading, a write lock held by another process for 20 s. The figures the tests print
# ("note:" lines: memory under the pipelining attack, read latency under the held lock,
# connections held) are appended to docs/PERFORMANCE.md.
#   ./scripts/reliability.sh [--sanitize]
set -euo pipefail
cd "$(dirname "$0")/.."
export RELCAL_RELIABILITY_ROUNDS=${RELCAL_RELIABILITY_ROUNDS:-20}
export RELCAL_IDLE_CONNECTIONS=${RELCAL_IDLE_CONNECTIONS:-10000}
export RELCAL_SLOWLORIS=${RELCAL_SLOWLORIS:-1000}
export RELCAL_RELIABILITY_WRITES=${RELCAL_RELIABILITY_WRITES:-1000}
export RELCAL_LOCK_SECONDS=${RELCAL_LOCK_SECONDS:-20}
mode=build
[ "${1:-}" = "--sanitize" ] && mode=build-asan
mkdir -p "$mode" # the log is opened before test.sh has made the build directory
./scripts/test.sh "$@" -L reliability -V > "$mode/reliability.log" 2>&1 || {
  tail -n 60 "$mode/reliability.log"
  exit 1
}
grep -E "tests passed|Total Test time" "$mode/reliability.log"
{
  echo
  echo "## $(date -u +%Y-%m-%d), scripts/reliability.sh ($(. /etc/os-release && echo "$PRETTY_NAME"), $(nproc) cores, $(git rev-parse --short HEAD)${1:+, $1})"
  echo
  grep -oE "note: .*" "$mode/reliability.log" | sed -e 's/^note: /- /'
} >> docs/PERFORMANCE.md
echo "figures appended to docs/PERFORMANCE.md"
