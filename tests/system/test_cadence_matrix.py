"""relcal's release windows against python3-dateutil + zoneinfo (tests/system/cadence_oracle.py)
over ten years: 20 rules x 6 zones (Lord_Howe's 30-minute shift, Chatham's 12:45 offset,
Santiago's midnight changes, Kolkata without DST, Berlin, New York) x 3 holiday sets, each seen
from several --now (one of them late enough that the windows run to 2048, past the last
transition of the zone files, where the zone's POSIX TZ footer applies). One config holds every
combination as a project; `relcal next --json` is run once per --now (issue 13)."""
import datetime as dt
import json
import os
import tempfile

import cadence_oracle
from relcal_testlib import check, main, run

HORIZON_MONTHS = 120  # the longest horizon: 120 x 31 days
DURATION_MIN = 90

ZONES = ["Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kolkata", "America/Santiago",
         "Europe/Berlin", "America/New_York"]

RULES = [
    ("FREQ=MONTHLY;BYMONTH=2,5,8,11;BYDAY=2TU", "14:00"),
    ("FREQ=WEEKLY;BYDAY=MO,TU", "14:00"),  # a holiday Monday must not stack on Tuesday
    ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "09:30"),  # no free weekday: merges
    ("FREQ=WEEKLY;BYDAY=SU", "02:15"),  # DST changes fall on Sundays; gaps and overlaps
    ("FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20400101T000000", "23:45"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "10:00"),
    ("FREQ=DAILY;INTERVAL=3", "14:00"),
    ("FREQ=MONTHLY;BYDAY=1MO", "08:00"),
    ("FREQ=MONTHLY;BYDAY=-1FR", "14:00"),
    ("FREQ=MONTHLY;BYMONTHDAY=-1", "18:00"),
    ("FREQ=MONTHLY;BYDAY=TU,WE,TH;BYSETPOS=-1", "16:45"),
    ("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15", "00:00"),
    ("FREQ=MONTHLY;BYMONTHDAY=24;COUNT=150", "14:00"),
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "12:00"),
    ("FREQ=YEARLY;BYMONTH=4,9,10;BYDAY=1SU", "14:00"),  # DST-start and end Sundays (south)
    ("FREQ=YEARLY;BYMONTH=9;BYDAY=-1SU", "03:00"),  # Chatham's DST start: in its gap
    ("FREQ=YEARLY;BYMONTH=3,10,11;BYDAY=-1SU,1SU,2SU", "02:30"),  # northern DST Sundays
    # BYWEEKNO: weeks across the year end (libical gave a Tuesday for week 1's Monday).
    ("FREQ=YEARLY;BYWEEKNO=1,-1;BYDAY=MO,FR", "14:00"),
    ("FREQ=YEARLY;INTERVAL=2;BYWEEKNO=53,1;BYDAY=SA,SU,MO", "02:30"),
    ("FREQ=YEARLY;BYWEEKNO=10,20,30,40;BYDAY=TU,TH;BYSETPOS=-1,1", "23:00"),
]


def holiday_sets():
    """No holidays; scattered holidays that hit instances of several rules (Mondays before a
    Tuesday window, Fridays, New Year); a yearly shutdown of 13 days over the year end."""
    scattered, shutdown = [], []
    for y in range(2026, 2049):
        jan1 = dt.date(y, 1, 1)
        first_mo = jan1 + dt.timedelta(days=(7 - jan1.weekday()) % 7)
        feb1 = dt.date(y, 2, 1)
        second_tu = feb1 + dt.timedelta(days=(1 - feb1.weekday()) % 7 + 7)
        may1 = dt.date(y, 5, 1)
        last_fr_may = dt.date(y, 5, 31) - dt.timedelta(days=(dt.date(y, 5, 31).weekday() - 4) % 7)
        scattered += [jan1, first_mo, first_mo + dt.timedelta(days=2), second_tu, may1,
                      last_fr_may, dt.date(y, 12, 24), dt.date(y, 12, 25)]
        shutdown += [dt.date(y, 12, 22) + dt.timedelta(days=i) for i in range(13)]
    return {"none": [], "scattered": sorted({d.isoformat() for d in scattered}),
            "shutdown": sorted({d.isoformat() for d in shutdown})}


HOLIDAYS = holiday_sets()
NOWS = [dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.timezone.utc),
        dt.datetime(2031, 7, 15, 13, 59, 59, tzinfo=dt.timezone.utc),
        dt.datetime(2037, 12, 31, 23, 0, tzinfo=dt.timezone.utc)]
COMBOS = [(z, r, hhmm, h) for z in ZONES for r, hhmm in RULES for h in HOLIDAYS]


def config_path():
    projects = []
    for i, (tz, rule, hhmm, hol) in enumerate(COMBOS):
        projects.append({"id": f"p{i}", "timezone": tz,
                         "policy": {"cadence": rule, "release_time": hhmm,
                                    "release_duration_minutes": DURATION_MIN,
                                    "horizon_months": HORIZON_MONTHS,
                                    "holidays": HOLIDAYS[hol]}})
    path = os.path.join(tempfile.mkdtemp(prefix="relcal-matrix-"), "relcal.json")
    with open(path, "w") as f:
        json.dump({"projects": projects}, f)
    return path


CONFIG = None


def make_case(now):
    def test():
        global CONFIG
        CONFIG = CONFIG or config_path()
        r = run("next", "-c", CONFIG, "--now", now.strftime("%Y-%m-%dT%H:%M:%SZ"), "-n",
                "100000", "--json", timeout=120)
        check(r.returncode == 0, "relcal next", r.stderr[:500])
        got = {}
        for w in json.loads(r.stdout):
            got.setdefault(w["project"], []).append((w["id"], w["starts_at"]))
        lo = now - dt.timedelta(minutes=DURATION_MIN) + dt.timedelta(seconds=1)
        hi = now + dt.timedelta(days=31 * HORIZON_MONTHS)
        bad = []
        for i, (tz, rule, hhmm, hol) in enumerate(COMBOS):
            want = cadence_oracle.windows(tz, rule, hhmm, HOLIDAYS[hol], lo, hi)
            have = sorted(got.get(f"p{i}", []), key=lambda x: x[1])
            if want != have:
                bad.append((tz, rule, hhmm, hol, sorted(set(want) ^ set(have))[:4],
                            len(want), len(have)))
            starts = [s for _, s in have]
            if len(set(starts)) != len(starts):
                bad.append((tz, rule, hhmm, hol, "two windows share an instant"))
        check(not bad, f"{len(bad)} of {len(COMBOS)} projects differ", *bad[:8])
    test.__name__ = f"test_matrix_from_{now:%Y-%m-%dT%H:%M:%S}"
    return test


if __name__ == "__main__":
    main([make_case(n) for n in NOWS])
