#!/usr/bin/env bash
# Fan-out bar: 1,000 webhooks to a receiver answering after 100 ms, under 5 s, per-host cap kept;
# peer: curl --parallel with the same cap. Usage: bench/bench_fanout.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
RELCAL_BIN=$(realpath "${1:-build}/relcal") exec /usr/bin/python3 bench/bench_fanout.py
