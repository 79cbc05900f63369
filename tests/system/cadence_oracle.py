"""The release windows a cadence should give, computed independently of relcal: the rule expanded
by python3-dateutil's rrule from relcal's documented anchor (policy/cadence.h), holidays applied
as docs/POLICY.md "Holidays" describes, local times converted with zoneinfo. Shared by
test_cadence_oracle.py and test_cadence_matrix.py (run with Debian's /usr/bin/python3)."""
import datetime as dt
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

ANCHOR = dt.datetime(2020, 1, 1)  # relcal's DTSTART anchor (policy/cadence.h)
MAX_BUSY_DAYS = 10  # docs/POLICY.md "Holidays": working days with a window a move may pass
UTC = dt.timezone.utc


def instances(rule, hhmm, until_year):
    """Local dates of the rule's instances up to the end of until_year, in order."""
    h, m = map(int, hhmm.split(":"))
    out = []
    for t in rrulestr(rule, dtstart=ANCHOR.replace(hour=h, minute=m)):
        if t.year > until_year:
            break
        out.append(t.date())
    return out


def shift(days, holidays):
    """(id, day) per instance after the holiday moves; merged instances are left out."""
    hol = set(holidays)
    staying = {d for d in days if d not in hol}
    taken = set()
    out = []
    for d in days:
        if d not in hol:
            out.append((d, d))
            continue
        busy, c = 0, d
        while True:
            c += dt.timedelta(days=1)
            if c.weekday() >= 5 or c in hol:
                continue
            if c not in staying and c not in taken:
                taken.add(c)
                out.append((d, c))
                break
            busy += 1
            if busy == MAX_BUSY_DAYS:
                break  # merged into the windows it would pass
    return out


def windows(tz, rule, hhmm, holidays, lo, hi):
    """Sorted (id, starts_at) of the windows whose start lies in [lo, hi) (aware datetimes)."""
    zone = ZoneInfo(tz)
    h, m = map(int, hhmm.split(":"))
    hol = [dt.date.fromisoformat(x) for x in holidays]
    out = []
    for ident, day in shift(instances(rule, hhmm, hi.year + 1), hol):
        # fold=0: a time in a spring-forward gap takes the offset from before the gap (02:30
        # becomes 03:30), one in an overlap its first occurrence, as RFC 5545 asks.
        utc = dt.datetime(day.year, day.month, day.day, h, m, tzinfo=zone).astimezone(UTC)
        if lo <= utc < hi:
            out.append((ident.isoformat(), utc.strftime("%Y-%m-%dT%H:%M:%SZ")))
    return sorted(out, key=lambda x: x[1])
