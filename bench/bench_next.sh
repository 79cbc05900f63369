#!/usr/bin/env bash
# Policy bar (docs/PERFORMANCE.md): `relcal next` for 10 projects over a 10-year horizon, as a whole
# process, under 50 ms. Peer in the same run: the same expansion in python3-dateutil + zoneinfo
# (/usr/bin/python3), so the figure is also reported as a ratio.
# Usage: bench/bench_next.sh [BUILD_DIR]   (default build/)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build}/relcal
runs=${RUNS:-30}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

/usr/bin/python3 - "$tmp/relcal.json" <<'PY'
import json, sys
zones = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC",
         "Europe/London", "America/Los_Angeles", "Asia/Tokyo", "Europe/Paris", "America/Sao_Paulo"]
rules = ["FREQ=MONTHLY;BYMONTH=2,5,8,11;BYDAY=2TU", "FREQ=MONTHLY;BYDAY=1WE",
         "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "FREQ=MONTHLY;BYMONTHDAY=15",
         "FREQ=YEARLY;BYMONTH=3,9;BYDAY=-1FR"]
projects = []
for i, z in enumerate(zones):
    projects.append({"id": f"p{i}", "timezone": z,
                     "policy": {"cadence": rules[i % len(rules)], "horizon_months": 120,
                                "holidays": ["2027-12-24", "2027-12-25", "2028-01-01"]}})
json.dump({"projects": projects}, open(sys.argv[1], "w"))
PY

median_ms() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

time_cmd() {
  for _ in $(seq "$runs"); do
    s=$(date +%s%N)
    "$@" >/dev/null
    e=$(date +%s%N)
    echo $(((e - s) / 1000))
  done | median_ms
}

n=$("$bin" next -c "$tmp/relcal.json" --now 2026-11-24T12:00:00Z -n 10000 --json |
    /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
relcal_us=$(time_cmd "$bin" next -c "$tmp/relcal.json" --now 2026-11-24T12:00:00Z -n 10000 --json)

cat >"$tmp/peer.py" <<'PY'
import json, sys, datetime as dt
from zoneinfo import ZoneInfo
from dateutil.rrule import rrulestr
cfg = json.load(open(sys.argv[1]))
now = dt.datetime(2026, 11, 24, 12, tzinfo=dt.timezone.utc)
out = []
for p in cfg["projects"]:
    z = ZoneInfo(p["timezone"])
    start = dt.datetime(2020, 1, 1, 14, 0)
    for t in rrulestr(p["policy"]["cadence"], dtstart=start).between(
            dt.datetime(2026, 11, 1), dt.datetime(2036, 12, 1)):
        u = t.replace(tzinfo=z).astimezone(dt.timezone.utc)
        if u >= now:
            out.append({"project": p["id"], "starts_at": u.isoformat()})
print(json.dumps(out))
PY
peer_us=$(time_cmd /usr/bin/python3 "$tmp/peer.py" "$tmp/relcal.json")

printf '| benchmark | relcal | peer (python3-dateutil) | ratio | bar |\n|---|---|---|---|---|\n'
printf '| next, 10 projects x 10 years (%s windows) | %.1f ms | %.1f ms | %.2fx | < 50 ms |\n' \
  "$n" "$(echo "$relcal_us / 1000" | bc -l)" "$(echo "$peer_us / 1000" | bc -l)" \
  "$(echo "$peer_us / $relcal_us" | bc -l)"
