"""Due events at the edges of the release lifecycle (issue: disclosure lifecycle), through the real
service with log channels for each audience:
- an out-of-sequence release whose fix is not ready still notifies distributors at its notice
  time (with the fix status), the team is told which fixes are missing, and the fix landing
  later sends a distributor update;
- messages sent after their due time (catch-up) say so: late and due_at in the payload;
- a fix ready in the cut-off second joins the window even after the tick of that second."""
import shutil

from relcal_testlib import (Service, base_config, check, log_channels, log_messages, main,
                            new_issue)

def test_notice_with_unfixed_issue():
    svc = Service(config=log_channels(base_config()))
    try:
        svc.start(now="2026-12-02T12:00:00Z")
        i = new_issue(svc, "confirmed", title="Unfixed RCE")
        st, _, r = svc.request("POST", "/api/v1/projects/mautic/releases",
                               {"date": "2026-12-18T13:00:00Z", "issues": [i["id"]],
                                "reason": "actively exploited"}, role="manager")
        check(st == 201, "out-of-sequence release", st, r)
        check(r["distributors_notified_at"] is None, "notice not yet due", r)
        check(not log_messages(svc, "distros.log", "release.distributor_notice"), "no notice yet")
        svc.stop()
        # Down across the notice time (2026-12-11T13:00Z): applied on start, marked late.
        svc.start(now="2026-12-11T15:00:00Z")
        st, _, r = svc.request("GET", f"/api/v1/projects/mautic/releases/{r['id']}",
                               role="reader")
        check(r["distributors_notified_at"] == "2026-12-11T15:00:00Z", "notified on start", r)
        notices = log_messages(svc, "distros.log", "release.distributor_notice")
        check(len(notices) == 1, "one distributor notice", notices)
        issues = notices[0]["data"]["issues"]
        check([(x["id"], x["status"]) for x in issues] == [(i["id"], "confirmed")],
              "the notice lists the issue and its fix status", issues)
        check(notices[0]["data"].get("late") is True and
              notices[0]["data"].get("due_at") == "2026-12-11T13:00:00Z",
              "the notice says it is late and when it was due", notices[0]["data"])
        missing = log_messages(svc, "team.log", "release.fixes_missing")
        check(len(missing) == 1 and missing[0]["data"]["missing"] == [i["id"]],
              "the team is told which fixes are missing", missing)
        # The reminder is not blocked by the missing fix, and is not sent twice.
        check(not log_messages(svc, "distros.log", "release.distributor_reminder"), "no reminder yet")
        # The fix lands: distributors get an update with the new status.
        st, _, fixed = svc.request("PATCH", f"/api/v1/projects/mautic/issues/{i['id']}",
                                   {"status": "fix_ready"}, role="manager")
        check(st == 200, "fix ready", st, fixed)
        updates = log_messages(svc, "distros.log", "release.distributor_update")
        check(len(updates) == 1 and
              [x["status"] for x in updates[0]["data"]["issues"]] == ["fix_ready"],
              "distributors hear that the fix landed", updates)
        svc.stop()
        svc.start(now="2026-12-17T13:00:30Z")
        reminders = log_messages(svc, "distros.log", "release.distributor_reminder")
        check(len(reminders) == 1 and "late" not in reminders[0]["data"],
              "reminder on time, not marked late", reminders)
    finally:
        svc.stop()


def test_late_messages_say_so():
    svc = Service(config=log_channels(base_config()))
    try:
        svc.start(now="2027-01-20T12:00:00Z")
        new_issue(svc, title="XSS")
        svc.stop()
        # Down across the pre-announcement of 2027-02-09 (2027-02-02T13:00Z).
        svc.start(now="2027-02-03T09:00:00Z")
        ann = log_messages(svc, "public.log", "release.announced")
        check(len(ann) == 1, "announced on catch-up", ann)
        check(ann[0]["data"].get("late") is True and
              ann[0]["data"].get("due_at") == "2027-02-02T13:00:00Z",
              "the public announcement says it was due earlier", ann[0]["data"])
        st, _, audit = svc.request("GET", "/api/v1/projects/mautic/audit", role="reader")
        check(any(a["action"] == "release.announce" and a.get("late") for a in audit),
              "audited late", audit)
        svc.stop()
        # A message sent on time carries no late marker.
        svc.start(now="2027-02-08T13:00:10Z")
        rem = log_messages(svc, "distros.log", "release.distributor_reminder")
        check(len(rem) == 1 and "late" not in rem[0]["data"] and "due_at" not in rem[0]["data"],
              "on time: no marker", rem)
    finally:
        svc.stop()


def test_fix_in_the_cutoff_second():
    # The service starts in the cut-off second of 2027-02-09 (2027-02-02T13:00:00Z) and runs in
    # real time: its first tick runs in that second, then the fix becomes ready. When the machine
    # is so slow that the write lands in the next second, the attempt proves nothing and is made
    # again.
    for attempt in range(3):
        svc = Service(config=log_channels(base_config()))
        try:
            svc.start(now="2027-02-02T13:00:00Z")
            i = new_issue(svc, title="Race")
            if i["fix_ready_at"] != "2027-02-02T13:00:00Z":
                continue
            check(i["release"] == "2027-02-09", "joined the window in its cut-off second", i)
            svc.stop()
            svc.start(now="2027-02-02T13:00:05Z")
            st, _, r = svc.request("GET", "/api/v1/projects/mautic/releases/2027-02-09")
            check(r["status"] == "announced" and r["fix_count"] == 1, "announced with it", r)
            check(not log_messages(svc, "public.log", "release.skipped"), "never skipped")
            return
        finally:
            svc.stop()
            shutil.rmtree(svc.dir, ignore_errors=True)
    raise AssertionError("three attempts missed the cut-off second")


if __name__ == "__main__":
    main([test_notice_with_unfixed_issue, test_late_messages_say_so, test_fix_in_the_cutoff_second])
