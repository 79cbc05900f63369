"""iCalendar feeds over real HTTP: independent consumers (Debian's python3-icalendar and
python3-recurring-ical-events) parse them without errors and expand them to exactly the
instants the API reports; ETag/304, If-Modified-Since, gzip, access control on the team feed,
SEQUENCE after a move, and marker strings proving that nothing private reaches the public or
combined feed before publication."""
import datetime as dt
import gzip
import http.client

import icalendar
import recurring_ical_events

from relcal_testlib import TOKENS, Service, base_config, check, main, sha256_hex

NOW = "2026-11-24T12:00:00Z"
svc = None
MARKERS = ["PRIVATE-TITLE-7", "PRIVATE-DESC-7", "CVE-2027-77777", "PRIVATE-SUMMARY-7"]


def get(path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", svc.port, timeout=10)
    conn.request("GET", path, headers=headers or {})
    r = conn.getresponse()
    body = r.read()
    h = {k.lower(): v for k, v in r.getheaders()}
    conn.close()
    return r.status, h, body


def parse(body):
    cal = icalendar.Calendar.from_ical(body)
    errors = [c.errors for c in cal.walk() if c.errors]
    check(not errors, "parse errors", errors)
    return cal


def framing(body):
    check(body.endswith(b"\r\n"), "ends with CRLF")
    for line in body.split(b"\r\n"):
        check(b"\n" not in line and b"\r" not in line, "bare line break", line)
        check(len(line) <= 75, "line longer than 75 octets", line)
        line.decode("utf-8")  # folding never splits a UTF-8 sequence


def test_public_feed_matches_api():
    st, h, body = get("/feeds/mautic.ics")
    check(st == 200 and h["content-type"] == "text/calendar; charset=utf-8", "200", st, h)
    check(h["cache-control"] == "public, max-age=300" and h["etag"].startswith('"'), "headers", h)
    framing(body)
    cal = parse(body)
    uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
    check(len(uids) == len(set(uids)) and len(uids) >= 4, "unique UIDs", uids)
    events = recurring_ical_events.of(cal).between(dt.datetime(2026, 11, 24, tzinfo=dt.timezone.utc),
                                                   dt.datetime(2027, 12, 1, tzinfo=dt.timezone.utc))
    events = [e for e in events if not str(e["UID"]).startswith("eol-")]  # test_end_of_life
    got = sorted(e["DTSTART"].dt.strftime("%Y-%m-%dT%H:%M:%SZ") for e in events)
    st, _, rels = svc.request("GET", "/api/v1/projects/mautic/releases?from=2026-11-24T00:00:00Z"
                              "&to=2027-12-01T00:00:00Z")
    want = sorted(r["starts_at"] for r in rels)
    check(got == want, "feed instants = API instants", got, want)
    check(all(str(e["STATUS"]) == "TENTATIVE" for e in events), "planned windows tentative")


def test_end_of_life():
    """A branch's end of life (config eol, also in the project JSON) is an all-day event on the
    public, combined and team feeds, with a UID that names branch and project."""
    st, _, p = svc.request("GET", "/api/v1/projects/mautic")
    check(st == 200 and {"name": "4.x", "version": "4.4.12", "eol": "2027-06-30"} in p["branches"]
          and {"name": "5.x", "version": "5.1.2", "eol": None} in p["branches"], "project JSON",
          p.get("branches"))
    uid = "eol-4.x.mautic@security.example.org"
    for path in ("/feeds/mautic.ics", "/feeds/all.ics",
                 f"/feeds/mautic/team.ics?token={TOKENS['reader']}"):
        st, _, body = get(path)
        check(st == 200, path, st)
        evs = [e for e in parse(body).walk("VEVENT") if str(e["UID"]).startswith("eol-")]
        check([str(e["UID"]) for e in evs] == [uid], "one EOL event (5.x has none)", path,
              [str(e["UID"]) for e in evs])
        e = evs[0]
        check(e["DTSTART"].dt == dt.date(2027, 6, 30) and e["DTEND"].dt == dt.date(2027, 7, 1)
              and not isinstance(e["DTSTART"].dt, dt.datetime), "all-day on the EOL date",
              e["DTSTART"].dt, e["DTEND"].dt)
        check(str(e["SUMMARY"]) == "Mautic 4.x end of life", "summary", e["SUMMARY"])
        check(str(e["TRANSP"]) == "TRANSPARENT", "transparent", e["TRANSP"])
        check(str(e["URL"]) == "https://security.example.org/p/mautic#branches-mautic", "URL",
              e["URL"])
        # Expanded by an independent consumer: it falls on that day.
        days = [x["DTSTART"].dt for x in recurring_ical_events.of(parse(body)).at((2027, 6, 30))
                if str(x["UID"]) == uid]
        check(days == [dt.date(2027, 6, 30)], "expanded on 2027-06-30", days)


def test_conditional_and_gzip():
    st, h, body = get("/feeds/mautic.ics")
    st2, h2, _ = get("/feeds/mautic.ics", {"If-None-Match": h["etag"]})
    check(st2 == 304, "If-None-Match", st2)
    st3, _, _ = get("/feeds/mautic.ics", {"If-Modified-Since": h["last-modified"]})
    check(st3 == 304, "If-Modified-Since", st3)
    st4, _, _ = get("/feeds/mautic.ics", {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
    check(st4 == 200, "modified since long ago", st4)
    st5, h5, gz = get("/feeds/mautic.ics", {"Accept-Encoding": "gzip"})
    check(h5.get("content-encoding") == "gzip" and gzip.decompress(gz) == body, "gzip", h5)
    st6, h6, plain = get("/feeds/mautic.ics", {"Accept-Encoding": "gzip;q=0, identity"})
    check("content-encoding" not in h6 and plain == body, "gzip refused with q=0", h6)
    # Accept-Encoding is a list of codings (RFC 9110 12.5.3): names compared whole and without
    # case, the q parameter anywhere among the parameters, x-gzip the alias of gzip.
    for enc, gz_wanted in (("GZIP", True), ("x-gzip", True), ("br, gzip;q=0.5", True),
                           ("gzip ; level=1 ; q=0", False), ("gzipped", False),
                           ("identity", False), ("br;q=1, deflate", False)):
        _, he, be = get("/feeds/mautic.ics", {"Accept-Encoding": enc})
        got = he.get("content-encoding") == "gzip"
        check(got == gz_wanted and (gzip.decompress(be) if got else be) == body,
              "Accept-Encoding honoured", enc, he)
    st7, h7, _ = get("/feeds/mautic.ics", {"If-None-Match": h["etag"]})
    check(h7["etag"] == h["etag"], "stable ETag", h7)


def test_team_feed_access():
    st, _, _ = get("/feeds/mautic/team.ics")
    check(st == 401, "token needed", st)
    st, _, _ = get("/feeds/mautic/team.ics?token=wrong")
    check(st == 401, "bad token", st)
    st, h, body = get("/feeds/mautic/team.ics?token=" + TOKENS["reader"])
    check(st == 200 and h["cache-control"].startswith("private"), "reader via ?token=", st, h)
    parse(body)
    check(b"readiness cut-off" in body, "cut-off events", body[:200])
    st, _, _ = get("/feeds/nope.ics")
    check(st == 404, "unknown project", st)


def test_markers_never_public():
    st, _, i = svc.request("POST", "/api/v1/projects/mautic/issues",
                           {"title": MARKERS[0], "description": MARKERS[1], "cve": MARKERS[2],
                            "public_summary": MARKERS[3],
                            "severity": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                            "branches": ["5.x"]}, role="manager")
    check(st == 201, "created", st, i)
    for to in ("acknowledged", "confirmed", "fix_ready"):
        st, _, i = svc.request("PATCH", f"/api/v1/projects/mautic/issues/{i['id']}",
                               {"status": to}, role="manager")
        # In every state before publication: no marker on the public or combined feed.
        for path in ("/feeds/mautic.ics", "/feeds/all.ics"):
            _, _, body = get(path)
            for m in MARKERS:
                check(m.encode() not in body, "marker on a public feed", path, m, to)
            for path2 in ("/api/v1/projects/mautic/releases/next",):
                _, _, b2 = get(path2)
                check(m.encode() not in b2, "marker in the public API", m)
    _, _, team = get("/feeds/mautic/team.ics?token=" + TOKENS["reader"])
    check(MARKERS[0].encode() in team, "the team sees the title")
    # Publication makes the advisory's public fields public.
    st, _, r = svc.request("POST", "/api/v1/projects/mautic/releases/2027-02-09/publish",
                           {"reason": "embargo broke"}, role="manager")
    check(st == 200, "published", st, r)
    _, _, body = get("/feeds/mautic.ics")
    check(MARKERS[0].encode() in body and MARKERS[2].encode() in body, "advisory public now")
    check(MARKERS[1].encode() not in body, "the description never")
    ev = [e for e in parse(body).walk("VEVENT") if "2027-02-09" in str(e["UID"])][0]
    check(str(ev["STATUS"]) == "CONFIRMED", "released is confirmed", ev)


def test_sequence_after_move():
    st, _, i = svc.request("POST", "/api/v1/projects/mautic/issues",
                           {"title": "t", "severity": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
                           role="manager")
    st, _, r = svc.request("POST", "/api/v1/projects/mautic/releases", {
        "date": "2026-12-20T12:00:00Z", "issues": [i["id"]], "reason": "x"}, role="manager")
    check(st == 201, "oos", st, r)
    rid = r["id"]

    def seq():
        _, _, body = get("/feeds/mautic.ics")
        for e in parse(body).walk("VEVENT"):
            if f"release-{rid}." in str(e["UID"]):
                return int(e["SEQUENCE"]), str(e["DTSTART"].dt)
        raise AssertionError("event missing")
    s0, d0 = seq()
    st, _, _ = svc.request("PATCH", f"/api/v1/projects/mautic/releases/{rid}",
                           {"date": "2026-12-22T12:00:00Z"}, role="manager")
    s1, d1 = seq()
    check(s1 == s0 + 1 and d1 != d0, "SEQUENCE raised with the move", s0, s1, d0, d1)
    st, _, _ = svc.request("PATCH", f"/api/v1/projects/mautic/releases/{rid}",
                           {"status": "cancelled", "reason": "merged"}, role="manager")
    _, _, body = get("/feeds/mautic.ics")
    ev = [e for e in parse(body).walk("VEVENT") if f"release-{rid}." in str(e["UID"])][0]
    check(str(ev["STATUS"]) == "CANCELLED" and int(ev["SEQUENCE"]) == s1 + 1, "cancelled", ev)


def test_distributor_feed():
    path = "/feeds/mautic/distributors.ics"
    for q in ("", "?token=wrong", "?token=" + TOKENS["reader"]):
        st, _, _ = get(path + q)
        check(st == 401, "distributor token needed", q, st)
    st, _, i = svc.request("POST", "/api/v1/projects/mautic/issues",
                           {"title": "DIST-TITLE-9", "description": "DIST-DESC-9",
                            "severity": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
                           role="manager")
    _, h, before = get(path + "?token=dist-token")
    check(b"DIST-TITLE-9" not in before, "nothing before the notice")
    # Five days ahead: the distributor notice (7 days before) is due at creation.
    st, _, r = svc.request("POST", "/api/v1/projects/mautic/releases",
                           {"date": "2026-11-29T12:00:00Z", "issues": [i["id"]], "reason": "x",
                            "override_reason": "exploited"}, role="admin")
    check(st == 201 and r["distributors_notified_at"], "notified at creation", st, r)
    st, h, body = get(path + "?token=dist-token")
    check(st == 200 and h["cache-control"].startswith("private"), "200 private", st, h)
    parse(body)
    check(b"DIST-TITLE-9" in body and b"embargo ends" in body, "embargoed detail", body[-600:])
    check(b"DIST-DESC-9" not in body, "never the description")
    for p2 in ("/feeds/mautic.ics", "/feeds/all.ics"):
        _, _, pub = get(p2)
        check(b"DIST-TITLE-9" not in pub, "not public", p2)


def test_deterministic_across_restart():
    _, h, body = get("/feeds/mautic.ics")
    svc.stop()
    svc.start()
    _, h2, body2 = get("/feeds/mautic.ics")
    check(body == body2 and h["etag"] == h2["etag"], "byte-identical after a restart")


if __name__ == "__main__":
    try:
        cfg = base_config()
        cfg["projects"][0]["channels"].append({
            "name": "debian", "type": "webhook", "audience": "distributors",
            "url": "https://hooks.example.net/relcal",
            "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "feed_token_sha256": sha256_hex("dist-token")})
        svc = Service(config=cfg, now=NOW).start()
        main([test_public_feed_matches_api, test_end_of_life, test_conditional_and_gzip, test_team_feed_access,
              test_markers_never_public, test_sequence_after_move, test_distributor_feed,
              test_deterministic_across_restart])
    finally:
        if svc:
            svc.stop()
