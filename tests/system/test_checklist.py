"""The incident checklist through the real service: the default template with due dates from
the SLA and the release, tasks completed by hand and by relcal itself (severity recorded,
distributor notice delivered, release published, announcements delivered), overdue reminders to
the team once, the assessment record, the Markdown report, permissions, and marker strings
proving none of it reaches a public surface."""
import json

from relcal_testlib import (Service, base_config, check, log_channels, log_messages, main,
                            wait_for)

SECRET_TITLE, SECRET_DESC, SECRET_NOTE = "CHK-TITLE-MARK", "CHK-DESC-MARK", "CHK-NOTE-MARK"
svc = None
issue = None




def tasks():
    st, _, c = svc.request("GET", f"/api/v1/projects/mautic/issues/{issue}/checklist",
                           role="reader")
    check(st == 200, "checklist", st, c)
    return {t["id"]: t for ph in c["phases"] for t in ph["tasks"]}, c


def test_default_checklist():
    global issue
    st, _, i = svc.request("POST", "/api/v1/projects/mautic/issues",
                           {"title": SECRET_TITLE, "description": SECRET_DESC,
                            "severity": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
                           role="manager")
    check(st == 201, "issue", st, i)
    issue = i["id"]
    t, c = tasks()
    check([p["id"] for p in c["phases"]] ==
          ["assessment", "response", "impact", "release", "review"], "phases", c["phases"])
    # Due from the SLA: acknowledge 24 h, respond 7 d after the report (2026-11-24 12:00 UTC).
    check(t["reproduce"]["due_at"] == "2026-11-25T12:00:00Z", "reproduce due", t["reproduce"])
    check(t["root_cause"]["due_at"] == "2026-12-01T12:00:00Z", "root cause due")
    check(t["assess_cvss"]["state"] == "done" and t["assess_cvss"]["automatic"] and
          "9.8" in t["assess_cvss"]["evidence"], "CVSS assessed by relcal", t["assess_cvss"])
    check(t["review"]["due_at"] is None, "no release yet: no review date", t["review"])
    check(t["cve_request"]["state"] == "open", "9.8 recommends a CVE", t["cve_request"])


def test_manual_items_and_permissions():
    path = f"/api/v1/projects/mautic/issues/{issue}/checklist/reproduce"
    body = {"state": "done", "note": SECRET_NOTE}
    check(svc.request("PATCH", path, body)[0] == 401, "no token")
    check(svc.request("PATCH", path, body, role="reader")[0] == 403, "readers read only")
    st, _, c = svc.request("PATCH", path, body, role="manager")
    check(st == 200, "done by hand", st, c)
    t, _ = tasks()
    check(t["reproduce"]["state"] == "done" and t["reproduce"]["by"] == "manager" and
          t["reproduce"]["note"] == SECRET_NOTE, "recorded", t["reproduce"])
    st, _, e = svc.request("PATCH", f"/api/v1/projects/mautic/issues/{issue}/checklist/nope",
                           body, role="manager")
    check(st == 404, "unknown task", st, e)
    st, _, e = svc.request("PATCH", path, {"state": "finished"}, role="manager")
    check(st == 422 and e["error"]["details"]["field"] == "state", "bad state", st, e)
    st, _, e = svc.request("PATCH", "/api/v1/projects/mautic/issues/999/checklist/reproduce",
                           body, role="manager")
    check(st == 404, "unknown issue", st, e)
    st, _, audit = svc.request("GET", "/api/v1/projects/mautic/audit", role="reader")
    check(any(a["action"] == "issue.checklist" and a["subject"] == f"issue-{issue}:reproduce"
              for a in audit), "audited")


def test_assessment_record():
    path = f"/api/v1/projects/mautic/issues/{issue}/assessment"
    st, _, a = svc.request("GET", path, role="reader")
    check(st == 200 and a == {}, "empty at first", st, a)
    st, _, e = svc.request("PATCH", path, {"confidence": "high", "fix_date": "2026-02-30"},
                           role="manager")
    check(st == 422 and e["error"]["details"]["field"] == "fix_date", "impossible date", e)
    check(svc.request("GET", path, role="reader")[2] == {}, "nothing stored")
    st, _, a = svc.request("PATCH", path, {"attack_vector": "network", "confidence": "high",
                                           "root_cause": "missing escaping"}, role="manager")
    check(st == 200 and a["attack_vector"] == "network", "stored", st, a)
    check(svc.request("PATCH", path, {"confidence": "low"}, role="reader")[0] == 403, "readers")
    # Unknown issues, on every checklist route.
    for method, tail, body in (("GET", "checklist", None), ("GET", "assessment", None),
                               ("PATCH", "assessment", {"confidence": "low"}),
                               ("GET", "report.md", None)):
        for bad in ("999", "x1", "0"):
            st, _, e = svc.request(method, f"/api/v1/projects/mautic/issues/{bad}/{tail}", body,
                                   role="manager")
            check(st == 404, "unknown issue", method, bad, tail, st, e)


def test_release_events_complete_tasks():
    st, _, r = svc.request("POST", "/api/v1/projects/mautic/releases",
                           {"date": "2026-11-29T12:00:00Z", "issues": [issue], "reason": "x",
                            "override_reason": "exploited"}, role="admin")
    check(st == 201, "release", st, r)
    t, _ = tasks()
    check(t["review"]["due_at"] == "2026-12-13T12:00:00Z", "review 14 days after", t["review"])
    # The distributor notice goes out at once (out of sequence) to the distributors' log
    # channel; whether to notify distributors is a decision, which relcal does not tick.
    check(wait_for(lambda: log_messages(svc, "distros.log", "release.distributor_notice"), 10),
          "notice delivered")
    t = tasks()[0]["notify_distributors"]
    check(t["state"] == "open" and t["kind"] == "decision" and not t["automatic"],
          "the decision stays open", t)
    # Moving the release moves its tasks.
    st, _, _ = svc.request("PATCH", "/api/v1/projects/mautic/releases/oos-1",
                           {"date": "2026-11-30T12:00:00Z"}, role="manager")
    check(st == 200, "moved")
    check(tasks()[0]["review"]["due_at"] == "2026-12-14T12:00:00Z", "moved with the release")
    svc.request("PATCH", f"/api/v1/projects/mautic/issues/{issue}",
                {"cve": "CVE-2026-4242"}, role="manager")
    check(tasks()[0]["cve_request"]["state"] == "done", "CVE recorded")
    # Only fixes ship (docs/POLICY.md "Publishing with unfixed issues").
    for to in ("acknowledged", "confirmed", "fix_ready"):
        st, _, _ = svc.request("PATCH", f"/api/v1/projects/mautic/issues/{issue}",
                               {"status": to}, role="manager")
        check(st == 200, "transition", to, st)
    st, _, p = svc.request("POST", "/api/v1/projects/mautic/releases/oos-1/publish",
                           {"reason": "early"}, role="manager")
    check(st == 200, "published", st, p)
    t, _ = tasks()
    check(t["publish_release"]["state"] == "done" and t["publish_release"]["automatic"],
          "published by relcal", t["publish_release"])
    check(wait_for(lambda: tasks()[0]["announce"]["state"] == "done", 10), "announced",
          tasks()[0]["announce"])


def test_report():
    st, h, md = svc.request("GET", f"/api/v1/projects/mautic/issues/{issue}/report.md",
                            role="reader")
    check(st == 200 and h["content-type"] == "text/markdown; charset=utf-8", "markdown", st, h)
    check("private" in h.get("cache-control", ""), "not cached publicly", h)
    md = md.decode()
    for want in ("# Security incident report: issue #1", SECRET_TITLE, SECRET_DESC,
                 "- [x] Reproduce the vulnerability in a test environment",
                 "- CVE: CVE-2026-4242", "- Attack vector: network",
                 "- Release: oos-1 (out\\_of\\_sequence, released)",  # Markdown-escaped
                 "- Reported: 2026-11-24 12:00 UTC"):
        check(want in md, want, md[-1500:])
    check(svc.request("GET", f"/api/v1/projects/mautic/issues/{issue}/report.md")[0] == 401,
          "needs a token")


def test_nothing_public():
    surfaces = ["/feeds/mautic.ics", "/feeds/all.ics", "/p/mautic", "/",
                "/api/v1/projects/mautic/releases/oos-1", "/api/v1/projects/mautic/releases"]
    for path in surfaces:
        _, _, body = svc.request("GET", path, raw=True)
        for mark in (SECRET_DESC, SECRET_NOTE, "missing escaping"):
            check(mark.encode() not in body, f"{mark} not on {path}")
    with open(svc.dir + "/public.log") as f:
        public = f.read()
    for mark in (SECRET_DESC, SECRET_NOTE, "missing escaping"):
        check(mark not in public, f"{mark} not in public messages")
    # The title is the released issue's advisory: public in the publication message only.
    for line in public.splitlines():
        if SECRET_TITLE in line:
            check("release.published" in line, "the title only once published", line[:300])
    check(SECRET_TITLE in public, "the advisory's title in the publication message")
    _, _, team = svc.request("GET", "/feeds/mautic/team.ics?token=reader-token", raw=True)
    team = team.replace(b"\r\n ", b"")  # unfolded
    # Issue 1 is released (on 2026-11-30): only the tasks after the release stay on the team
    # feed, one event per phase and due instant: the review, and monitoring a week after.
    check(b"UID:tasks-review-20261214T120000Z-issue-1.mautic@" in team and
          b"UID:tasks-release-20261207T120000Z-issue-1.mautic@" in team and
          b"tasks-assessment-" not in team and b"UID:task-" not in team,
          "tasks of a released issue", team)


def test_overdue_reminded_once():
    # A second issue left alone for two days: its acknowledge-deadline tasks are overdue.
    st, _, i = svc.request("POST", "/api/v1/projects/mautic/issues", {"title": "later"},
                           role="manager")
    _, _, team = svc.request("GET", "/feeds/mautic/team.ics?token=reader-token", raw=True)
    team = team.replace(b"\r\n ", b"")  # unfolded
    check(f"UID:tasks-assessment-20261125T120000Z-issue-{i['id']}.mautic@".encode() in team,
          "open task on team feed")
    svc.stop()
    svc.start(now="2026-11-26T13:00:00Z")
    svc.stop()
    svc.start(now="2026-11-26T14:00:00Z")
    lines = [json.loads(x) for x in open(svc.dir + "/team.log") if "issue.task_overdue" in x]
    mine = [t for x in lines if x["data"]["issue"] == i["id"] for t in x["data"]["tasks"]
            if t["id"] == "reproduce"]
    check(len(mine) == 1, "reminded once", lines)
    check(mine[0]["due_at"] == "2026-11-25T12:00:00Z", "due", mine[0])
    one = [x for x in lines if x["data"]["issue"] == i["id"]]
    check(len(one) == 1, "one message per issue and tick", one)


if __name__ == "__main__":
    cfg = log_channels(base_config())
    try:
        svc = Service(config=cfg, now="2026-11-24T12:00:00Z").start()
        main([test_default_checklist, test_manual_items_and_permissions, test_assessment_record,
              test_release_events_complete_tasks, test_report, test_nothing_public,
              test_overdue_reminded_once])
    finally:
        if svc:
            svc.stop()
