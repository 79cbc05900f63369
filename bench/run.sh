#!/usr/bin/env bash
# One command for every benchmark: sets up and builds (release-like build in build/), runs each
# bench script (peers in the same run), prints one Markdown report and appends it to
# docs/PERFORMANCE.md under today's date and this machine's description.
#   bench/run.sh            all: next, http, fanout, scale, writes
#   bench/run.sh next http  a subset
#   NO_DOCS=1 bench/run.sh  print only
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
build=$(./scripts/build.sh)
benches=("$@")
[ ${#benches[@]} -eq 0 ] && benches=(next http fanout scale writes)
cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
report=$(mktemp)
trap 'rm -f "$report"' EXIT
{
  echo
  echo "## $(date -u +%Y-%m-%d), bench/run.sh ($(. /etc/os-release && echo "$PRETTY_NAME"), $(nproc) cores, ${cpu:-unknown CPU}, $(git rev-parse --short HEAD))"
  for b in "${benches[@]}"; do
    echo
    echo "### $b"
    echo
    "bench/bench_$b.sh" "$build"
  done
} | tee "$report"
if [ -z "${NO_DOCS:-}" ]; then
  cat "$report" >> docs/PERFORMANCE.md
  echo "appended to docs/PERFORMANCE.md" >&2
fi
