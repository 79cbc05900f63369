#!/usr/bin/env bash
# Write cost: issue creation and state change at 100, 1,000 and 10,000 open issues
# (WRITES_OPEN, WRITES_N). Usage: bench/bench_writes.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
RELCAL_BIN=$(realpath "${1:-build}/relcal") exec /usr/bin/python3 bench/bench_writes.py
