"""Writes that cost their change (docs/ARCHITECTURE.md "A write costs its change"): after a
creation or an update of an issue in no release, every read (the issue, the list, the team
feed, the checklist) shows the change at once, as after any other write, and the tick after it
reminds that issue's due deadlines. The feed and the views read after a write of one issue come
from the scheduler's cache, patched by that write: a stale cache would show the old title."""
from relcal_testlib import Service, base_config, check, log_channels, log_messages, main

NOW = "2026-11-24T12:00:00Z"
BASE = "/api/v1/projects/mautic/issues"
svc = None


def team_feed():
    st, _, body = svc.request("GET", "/feeds/mautic/team.ics?token=reader-token", raw=True)
    check(st == 200, "team feed", st)
    return body.replace(b"\r\n ", b"")  # unfolded


def deadline(sla, issue):
    return f"{sla} deadline of issue #{issue['id']}".encode()


def test_reads_follow_single_issue_writes():
    st, _, a = svc.request("POST", BASE, {"title": "FIRST-TITLE-1"}, role="manager")
    check(st == 201, "created", st, a)
    check(deadline("acknowledge", a) in team_feed(), "a new issue's deadline is on the team feed")
    for k in range(3):  # a read after each write: the cache is patched, never stale
        title = f"RENAMED-TITLE-{k}"
        st, _, i = svc.request("PATCH", f"{BASE}/{a['id']}", {"title": title}, role="manager")
        check(st == 200 and i["title"] == title, "renamed", st, i)
        check(deadline("acknowledge", a) in team_feed(), "still due", k)
    st, _, i = svc.request("PATCH", f"{BASE}/{a['id']}", {"status": "acknowledged"},
                           role="manager")
    check(st == 200 and i["status"] == "acknowledged", "acknowledged", st, i)
    feed = team_feed()
    check(deadline("acknowledge", a) not in feed, "a met deadline leaves the feed at once")
    check(deadline("respond", a) in feed, "the next one is on it")
    st, _, lst = svc.request("GET", f"{BASE}?state=acknowledged", role="reader")
    check([x["id"] for x in lst] == [a["id"]], "the state filter sees it", lst)
    st, _, b = svc.request("POST", BASE, {"title": "SECOND-TITLE-2"}, role="manager")
    check(st == 201, "second", st, b)
    feed = team_feed()
    check(deadline("acknowledge", b) in feed and deadline("respond", a) in feed, "both on it")
    st, _, i = svc.request("PATCH", f"{BASE}/{b['id']}", {"status": "rejected", "reason": "dup"},
                           role="manager")
    check(st == 200, "rejected", st, i)
    check(deadline("acknowledge", b) not in team_feed(), "a rejected issue leaves the feed")
    st, _, c = svc.request("GET", f"{BASE}/{a['id']}/checklist", role="reader")
    check(st == 200 and c["issue"] == a["id"], "checklist of the issue", st, c)


def test_tick_after_creation_reminds_that_issue():
    # Reported 20 days ago: its acknowledgement deadline has passed; the tick after the write
    # (of this issue alone) tells the team at once, once.
    st, _, i = svc.request("POST", BASE, {"title": "LATE-REPORT", "reported_at":
                                          "2026-11-04T12:00:00Z"}, role="manager")
    check(st == 201, "created", st, i)
    def breaches():
        return [m for m in log_messages(svc, "team.log", "issue.sla_breached")
                if m["data"].get("issue") == i["id"]]
    from relcal_testlib import wait_for
    check(wait_for(lambda: breaches(), 5), "breach reminded", log_messages(svc, "team.log"))
    st, _, _ = svc.request("PATCH", f"{BASE}/{i['id']}", {"title": "LATE-REPORT-2"},
                           role="manager")
    check(st == 200, "renamed", st)
    st, _, audit = svc.request("GET", "/api/v1/projects/mautic/audit?limit=500", role="admin")
    rows = audit["items"] if isinstance(audit, dict) else audit
    subjects = [r["subject"] for r in rows if r["action"] == "issue.sla_breached" and
                r["subject"].startswith(f"issue-{i['id']}:")]
    check(len(subjects) == len(set(subjects)) and subjects, "each deadline once", subjects)


if __name__ == "__main__":
    try:
        cfg = log_channels(base_config())
        svc = Service(config=cfg, now=NOW).start()
        main([test_reads_follow_single_issue_writes, test_tick_after_creation_reminds_that_issue])
    finally:
        if svc:
            svc.stop()
