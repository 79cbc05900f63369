"""Disclosure lifecycle (docs/POLICY.md "Disclosure"): a planned window's public bytes do not depend
on which fixes it holds until it is pre-announced (feeds, page, public API, ETag, Last-Modified,
DTSTAMP); a move and the pre-announcement do change them. Issue edits after the distributor
notice that distributors can see send `release.distributor_update`; edits they cannot see
(the description) send nothing."""
import re
import time

from relcal_testlib import (Service, base_config, check, log_channels, log_messages, main,
                            new_issue, wait_for)

svc = None
WINDOW = "2027-05-11"
SURFACES = ("/feeds/mautic.ics", "/feeds/all.ics", "/", "/p/mautic", "/api/v1/projects/mautic",
            "/api/v1/projects/mautic/releases", "/api/v1/projects/mautic/releases/next",
            f"/api/v1/projects/mautic/releases/{WINDOW}")


def snapshot():
    out = {}
    for path in SURFACES:
        st, h, body = svc.request("GET", path, raw=True)
        check(st == 200, "public surface answers", path, st)
        out[path] = (body, h.get("etag"), h.get("last-modified"))
    return out


def window_event(feed):
    """The VEVENT of the May window in an iCalendar body."""
    text = feed.decode().replace("\r\n ", "")
    for ev in text.split("BEGIN:VEVENT")[1:]:
        if f"release-{WINDOW}.mautic@" in ev:
            return ev
    raise AssertionError("no event for the window")


def ready_fix(title, branches):
    return new_issue(svc, "fix_ready", title=title, branches=branches)


def test_batching_leaves_public_bytes_alone():
    # 10:00Z: two hours away from the page's day-count boundary (the windows are at 12:00Z).
    svc.start(now="2027-04-01T10:00:00Z")
    before = snapshot()
    time.sleep(1.1)  # a later instant, so a changed timestamp would show
    i = ready_fix("Planned-window fix", ["4.x"])
    check(i["release"] == WINDOW, "batched into the planned window", i)
    st, _, rel = svc.request("GET", f"/api/v1/projects/mautic/releases/{WINDOW}", role="reader")
    check(rel["status"] == "planned" and rel["issues"] == [i["id"]], "the team sees the fix", rel)
    check(rel["versions"] == [{"branch": "4.x", "version": "4.4.13"}], "team sees versions", rel)
    after = snapshot()
    for path in SURFACES:
        b0, e0, lm0 = before[path]
        b1, e1, lm1 = after[path]
        check(b0 == b1, "byte-identical after batching", path, b0[-600:], b1[-600:])
        check(e0 == e1 and lm0 == lm1, "same ETag and Last-Modified", path, e0, e1, lm0, lm1)
    st, h, _ = svc.request("GET", "/feeds/mautic.ics",
                           headers={"If-None-Match": before["/feeds/mautic.ics"][1]})
    check(st == 304, "a poller is told nothing changed", st, h)


def test_move_changes_public_bytes():
    before = snapshot()
    ev0 = window_event(before["/feeds/mautic.ics"][0])
    st, _, r = svc.request("PATCH", f"/api/v1/projects/mautic/releases/{WINDOW}",
                           {"date": "2027-05-18T12:00:00Z", "reason": "conference"},
                           role="manager")
    check(st == 200 and r["sequence"] == 1, "moved", st, r)
    after = snapshot()
    ev1 = window_event(after["/feeds/mautic.ics"][0])
    check("SEQUENCE:1" in ev1 and "SEQUENCE:0" in ev0, "SEQUENCE rises", ev0, ev1)
    stamp0 = re.search(r"DTSTAMP:(\S+)", ev0).group(1)
    stamp1 = re.search(r"DTSTAMP:(\S+)", ev1).group(1)
    check(stamp1 > stamp0, "DTSTAMP follows the move", stamp0, stamp1)
    for path in ("/feeds/mautic.ics", "/feeds/all.ics", "/p/mautic",
                 f"/api/v1/projects/mautic/releases/{WINDOW}"):
        check(before[path][0] != after[path][0], "a move is a public change", path)
        if path.endswith(".ics") or path == "/p/mautic":
            check(before[path][1] != after[path][1], "new ETag after a move", path)
    # Another fix batched after the move changes nothing public either.
    time.sleep(1.1)
    ready_fix("Second fix", ["5.x"])
    again = snapshot()
    for path in SURFACES:
        check(again[path] == after[path], "byte-identical after a second batch", path)
    svc.stop()


def test_announcement_changes_public_bytes():
    svc.start(now="2027-04-01T10:00:00Z")
    before = snapshot()
    svc.stop()
    # Past the pre-announcement of the moved window (2027-05-11T12:00Z).
    svc.start(now="2027-05-12T00:00:00Z")
    st, _, r = svc.request("GET", f"/api/v1/projects/mautic/releases/{WINDOW}")
    check(r["status"] == "announced" and r["fix_count"] == 2 and r["max_level"] == "critical",
          "announced with counts", r)
    check(r["versions"] == [{"branch": "5.x", "version": "5.1.3"},
                            {"branch": "4.x", "version": "4.4.13"}], "versions public now", r)
    after = snapshot()
    ev = window_event(after["/feeds/mautic.ics"][0])
    check("Fixes: 2" in ev and "Versions: 5.x 5.1.3 4.x 4.4.13" in ev, "feed shows counts", ev)
    for path in ("/feeds/mautic.ics", "/p/mautic", f"/api/v1/projects/mautic/releases/{WINDOW}"):
        check(before[path][0] != after[path][0], "the pre-announcement is a public change", path)
    svc.stop()


def test_notice_before_announcement_is_not_public():
    # Distributors are told 10 days ahead, the public 7: between the two, the window's public
    # event and object must not show that anyone was told anything.
    global svc
    cfg = log_channels(base_config())
    cfg["projects"][0]["policy"] = {"distributor_notice_days": 10}
    svc = Service(config=cfg)
    svc.start(now="2027-04-01T10:00:00Z")
    path = f"/api/v1/projects/mautic/releases/{WINDOW}"
    _, _, feed0 = svc.request("GET", "/feeds/mautic.ics", raw=True)
    _, _, rel0 = svc.request("GET", path, raw=True)
    ready_fix("Early notice", ["5.x"])
    svc.stop()
    svc.start(now="2027-05-02T00:00:00Z")  # notice 2027-05-01T12:00Z, announcement 05-04
    check(wait_for(lambda: any(m["type"] == "release.distributor_notice"
                               for m in log_messages(svc, "distros.log")), 10), "notice delivered")
    st, _, rel = svc.request("GET", path, role="reader")
    check(rel["status"] == "planned" and rel["distributors_notified_at"], "notified, planned", rel)
    _, _, feed1 = svc.request("GET", "/feeds/mautic.ics", raw=True)
    _, _, rel1 = svc.request("GET", path, raw=True)
    check(window_event(feed0) == window_event(feed1), "the public event is unchanged",
          window_event(feed0), window_event(feed1))
    check(rel0 == rel1, "the public object is unchanged", rel0, rel1)
    svc.stop()


def updates():
    return log_messages(svc, "distros.log", "release.distributor_update")


def test_issue_edits_after_notice_reach_distributors():
    global svc
    svc = Service(config=log_channels(base_config()))
    svc.start(now="2027-04-01T12:00:00Z")
    i = ready_fix("Notified fix", ["5.x"])
    svc.stop()
    svc.start(now="2027-05-05T00:00:00Z")  # past the distributor notice of 2027-05-11
    check(wait_for(lambda: any(m["type"] == "release.distributor_notice"
                               for m in log_messages(svc, "distros.log")), 10), "notice delivered")
    n0 = len(updates())
    st, _, b = svc.request("PATCH", f"/api/v1/projects/mautic/issues/{i['id']}",
                           {"cve": "CVE-2027-12345"}, role="manager")
    check(st == 200, "cve set", st, b)
    got = wait_for(lambda: len(updates()) > n0 and updates(), 10)
    check(got, "a CVE added after the notice is sent to distributors", log_messages(svc, "distros.log"))
    check(len(got) == n0 + 1, "one update per change", got)
    issue = got[-1]["data"]["issues"][0]
    check(issue["cve"] == "CVE-2027-12345" and "description" not in issue, "the new list", issue)
    st, _, b = svc.request("PATCH", f"/api/v1/projects/mautic/issues/{i['id']}",
                           {"severity": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N"},
                           role="manager")
    check(st == 200, "severity changed", st, b)
    check(wait_for(lambda: len(updates()) == n0 + 2, 10), "a severity change is sent too",
          updates())
    st, _, b = svc.request("PATCH", f"/api/v1/projects/mautic/issues/{i['id']}",
                           {"description": "internal notes only"}, role="manager")
    check(st == 200, "description changed", st, b)
    time.sleep(2.5)  # the engine polls every second
    check(len(updates()) == n0 + 2, "a description edit sends nothing", updates())
    svc.stop()


if __name__ == "__main__":
    try:
        svc = Service()
        main([test_batching_leaves_public_bytes_alone, test_move_changes_public_bytes,
              test_announcement_changes_public_bytes,
              test_notice_before_announcement_is_not_public,
              test_issue_edits_after_notice_reach_distributors])
    finally:
        if svc:
            svc.stop()
