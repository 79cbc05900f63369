"""Cadence expansion against an independent implementation: python3-dateutil's rrule with
zoneinfo (run with Debian's /usr/bin/python3), for rules across DST changes, months that start
on the target weekday, leap days, year ends, intervals, BYSETPOS and holiday chains (the oracle
is tests/system/cadence_oracle.py). relcal is driven through `relcal next --json` like a user
would. test_cadence_matrix.py covers many more rules, zones, holiday sets and --now values."""
import datetime as dt
import json
import os
import tempfile

import cadence_oracle
from relcal_testlib import check, main, run

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
HORIZON_MONTHS = 48
DURATION_MIN = 120

CASES = [
    ("Europe/Berlin", "FREQ=MONTHLY;BYMONTH=2,5,8,11;BYDAY=2TU", "14:00", []),
    ("America/New_York", "FREQ=MONTHLY;BYMONTH=2,5,8,11;BYDAY=2TU", "14:00", []),
    ("Australia/Sydney", "FREQ=MONTHLY;BYMONTH=2,5,8,11;BYDAY=2TU", "14:00", []),
    ("Asia/Kolkata", "FREQ=MONTHLY;BYMONTH=2,5,8,11;BYDAY=2TU", "14:00", []),
    # Every Sunday at 02:30 in Berlin: hits the spring-forward gap and the fall-back overlap.
    ("Europe/Berlin", "FREQ=WEEKLY;BYDAY=SU", "02:30", []),
    ("America/New_York", "FREQ=WEEKLY;BYDAY=SU", "01:30", []),
    ("Australia/Sydney", "FREQ=WEEKLY;BYDAY=SU", "02:30", []),
    # Months that start on the target weekday: 1MO is the 1st in such months.
    ("Europe/Berlin", "FREQ=MONTHLY;BYDAY=1MO", "09:15", []),
    # Leap days and year ends.
    ("UTC", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "12:00", []),
    ("Asia/Kolkata", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31", "23:30", []),
    ("Australia/Sydney", "FREQ=MONTHLY;BYMONTHDAY=-1", "18:00", []),
    # Intervals and set positions.
    ("America/New_York", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "10:00", []),
    ("Europe/Berlin", "FREQ=MONTHLY;BYDAY=TU,WE,TH;BYSETPOS=-1", "16:45", []),
    ("UTC", "FREQ=DAILY;INTERVAL=10", "00:00", []),
    # Holiday chains: the 24th moves over Christmas, the weekend and listed Mondays.
    ("Europe/Berlin", "FREQ=MONTHLY;BYMONTHDAY=24", "14:00",
     ["2026-12-24", "2026-12-25", "2026-12-28", "2027-12-24", "2027-12-27", "2028-01-24",
      "2028-01-25", "2028-01-26", "2028-01-27", "2028-01-28", "2028-01-31"]),
    ("America/New_York", "FREQ=MONTHLY;BYMONTH=2,5,8,11;BYDAY=2TU", "14:00",
     ["2027-02-09", "2027-02-10", "2027-05-11"]),
]


def expected(tz, rule, hhmm, holidays):
    lo = NOW - dt.timedelta(minutes=DURATION_MIN) + dt.timedelta(seconds=1)
    hi = NOW + dt.timedelta(days=31 * HORIZON_MONTHS)
    return cadence_oracle.windows(tz, rule, hhmm, holidays, lo, hi)


def actual(tz, rule, hhmm, holidays):
    cfg = {"projects": [{"id": "p", "timezone": tz,
                         "policy": {"cadence": rule, "release_time": hhmm,
                                    "release_duration_minutes": DURATION_MIN,
                                    "horizon_months": HORIZON_MONTHS, "holidays": holidays}}]}
    path = os.path.join(tempfile.mkdtemp(prefix="relcal-oracle-"), "relcal.json")
    with open(path, "w") as f:
        json.dump(cfg, f)
    r = run("next", "-c", path, "--now", NOW.strftime("%Y-%m-%dT%H:%M:%SZ"), "-n", "100000",
            "--json")
    check(r.returncode == 0, "relcal next", rule, r.stderr)
    return sorted(((x["id"], x["starts_at"]) for x in json.loads(r.stdout)), key=lambda x: x[1])


def make_case(case):
    def test():
        want, got = expected(*case), actual(*case)
        check(len(want) > 0, "the oracle produced instances", case)
        diff = sorted(set(want) ^ set(got))
        check(want == got, "expansion differs", case, diff[:6], len(want), len(got))
    test.__name__ = f"test_{case[0].replace('/', '_')}_{case[1]}_{case[2]}"
    return test


if __name__ == "__main__":
    main([make_case(c) for c in CASES])
