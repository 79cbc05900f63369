#!/usr/bin/env bash
# The full reliability bars of quality.md (not run in CI, which runs the short variants):
# 20 kill -9 rounds of 1,000 concurrent writes, 10,000 idle connections, 1,000 slowloris clients,
# the bad input corpora, kill -9 during a fan-out and the flapping receivers.
#   ./scripts/reliability.sh [--sanitize]
set -euo pipefail
cd "$(dirname "$0")/.."
export RELCAL_RELIABILITY_ROUNDS=${RELCAL_RELIABILITY_ROUNDS:-20}
export RELCAL_IDLE_CONNECTIONS=${RELCAL_IDLE_CONNECTIONS:-10000}
export RELCAL_SLOWLORIS=${RELCAL_SLOWLORIS:-1000}
export RELCAL_RELIABILITY_WRITES=${RELCAL_RELIABILITY_WRITES:-1000}
exec ./scripts/test.sh "$@" -L reliability
