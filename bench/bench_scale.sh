#!/usr/bin/env bash
# Scale bar: 100,000 issues and 2,000 releases over 10 projects (SCALE_ISSUES, SCALE_RELEASES).
# Usage: bench/bench_scale.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
RELCAL_BIN=$(realpath "${1:-build}/relcal") exec /usr/bin/python3 bench/bench_scale.py
