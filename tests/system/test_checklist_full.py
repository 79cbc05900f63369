"""The whole incident checklist through the real service (issue 13): every task of the
Stalwart checklist's Communication & Release phase with a due rule, the distributor
notification as a decision set by hand (not ticked by relcal), adoption figures with the time
to 50 % adoption, the filled-in report (per-phase updates and resources, analysis notes,
estimated timeline, community announcement, process improvements, emergency contacts from the
config, the template's severity words) and one team-feed event per phase due date."""
import re

from relcal_testlib import (Service, base_config, check, log_channels, log_messages, main,
                            new_issue, wait_for)

svc = None
BASE = "/api/v1/projects/mautic/issues"

RELEASE_TASKS = [
    # pre-release preparation
    ("finalize_patch", "pre_release", "distributor_notice"),
    ("release_notes", "pre_release", "distributor_notice"),
    ("prepare_docs", "pre_release", "release-1d"),
    ("test_updates", "pre_release", "release-1d"),
    ("prepare_advisory", "pre_release", "release-1d"),
    # communication channels
    ("draft_announcement", "communication", "release-1d"),
    ("github_announcement", "communication", "release-1d"),
    ("advisory_content", "communication", "distributor_notice"),
    ("notify_distributors", "communication", "distributor_notice"),
    # release execution
    ("publish_release", "release_execution", "release"),
    ("update_images", "release_execution", "release"),
    ("publish_advisory", "release_execution", "release"),
    ("announce", "release_execution", "release"),
    ("update_docs", "release_execution", "release+1d"),
    ("cve_request", "release_execution", "distributor_notice"),
    # post-release
    ("monitor", "post_release", "release+7d"),
    ("track_adoption", "post_release", "published+14d"),
    ("follow_up", "post_release", "release+14d"),
    ("lessons", "post_release", "release+14d"),
]


def checklist(issue):
    st, _, c = svc.request("GET", f"{BASE}/{issue}/checklist", role="reader")
    check(st == 200, "checklist", st, c)
    return c


def tasks(issue):
    return {t["id"]: t for ph in checklist(issue)["phases"] for t in ph["tasks"]}


def team_events():
    """(uid, summary, dtstart) of the team feed's VEVENTs, lines unfolded."""
    _, _, ics = svc.request("GET", "/feeds/mautic/team.ics?token=reader-token", raw=True)
    text = ics.decode().replace("\r\n ", "")
    out = []
    for block in text.split("BEGIN:VEVENT")[1:]:
        f = dict(re.findall(r"^([A-Z-]+)[^:\r\n]*:(.*?)\r$", block, re.M))
        out.append((f.get("UID", ""), f.get("SUMMARY", ""), f.get("DTSTART", "")))
        DESCRIPTIONS[f.get("UID", "")] = f.get("DESCRIPTION", "")
    return out


DESCRIPTIONS = {}


def test_all_release_tasks_with_due_rules():
    i = new_issue(svc, title="full checklist")
    c = checklist(i["id"])
    check([p["id"] for p in c["phases"]] ==
          ["assessment", "response", "impact", "release", "review"], "five phases", c)
    rel = [p for p in c["phases"] if p["id"] == "release"][0]
    got = [(t["id"], t["group"], t["due_rule"]) for t in rel["tasks"]]
    check(got == RELEASE_TASKS, "the 19 tasks of Communication & Release", got)
    t = {x["id"]: x for x in rel["tasks"]}
    check(t["notify_distributors"]["kind"] == "decision" and
          t["notify_distributors"]["choices"] == ["notify", "not_needed"] and
          t["notify_distributors"]["auto"] is None and
          t["notify_distributors"]["decision"] is None, "a decision", t["notify_distributors"])
    check(t["test_updates"]["kind"] == "task" and t["test_updates"]["choices"] is None,
          "an ordinary task", t["test_updates"])
    check(t["track_adoption"]["auto"] == "adoption_half", "adoption completes itself",
          t["track_adoption"])
    # The fix is ready: finalizing the patch is done by relcal.
    check(t["finalize_patch"]["state"] == "done" and t["finalize_patch"]["automatic"],
          "patch final", t["finalize_patch"])


def test_decision():
    i = new_issue(svc, title="decision")["id"]
    path = f"{BASE}/{i}/checklist/notify_distributors"
    for body, field in (({"state": "done"}, "state"), ({"decision": "maybe"}, "decision"),
                        ({"decision": "not_needed"}, "note"),
                        ({"decision": "not_needed", "note": ""}, "note"),
                        ({"decision": "notify", "state": "done"}, "decision")):
        st, _, e = svc.request("PATCH", path, body, role="manager")
        check(st == 422 and e["error"]["details"]["field"] == field, "refused", body, st, e)
    check(tasks(i)["notify_distributors"]["state"] == "open", "nothing stored")
    st, _, e = svc.request("PATCH", f"{BASE}/{i}/checklist/reproduce", {"decision": "notify"},
                           role="manager")
    check(st == 422 and e["error"]["details"]["field"] == "decision", "not a decision", st, e)
    check(svc.request("PATCH", path, {"decision": "notify"}, role="reader")[0] == 403, "readers")
    st, _, c = svc.request("PATCH", path, {"decision": "not_needed",
                                           "note": "no distribution packages us"},
                           role="manager")
    check(st == 200, "decided", st, c)
    t = tasks(i)["notify_distributors"]
    check(t["state"] == "done" and t["decision"] == "not_needed" and not t["automatic"] and
          t["note"] == "no distribution packages us" and t["by"] == "manager", "recorded", t)
    st, _, _ = svc.request("PATCH", path, {"decision": "notify"}, role="manager")
    t = tasks(i)["notify_distributors"]
    check(st == 200 and t["decision"] == "notify" and t["state"] == "done", "changed", t)
    st, _, _ = svc.request("PATCH", path, {"state": "open"}, role="manager")
    t = tasks(i)["notify_distributors"]
    check(st == 200 and t["decision"] is None and t["state"] == "open", "reopened", t)
    st, _, audit = svc.request("GET", "/api/v1/projects/mautic/audit", role="reader")
    check(any(a["action"] == "issue.checklist" and
              a["subject"] == f"issue-{i}:notify_distributors" and
              (a["detail"] or {}).get("decision") == "not_needed" for a in audit),
          "audited", audit[:3])


def test_feed_one_event_per_phase_date():
    # Reported only: not batched into the next scheduled release.
    ids = [new_issue(svc, status="reported", title=f"feed {k}")["id"] for k in range(3)]
    ev = team_events()
    check(not any(u.startswith("task-") for u, _, _ in ev), "no per-task events",
          [u for u, _, _ in ev if u.startswith("task-")][:5])
    for i in ids:
        mine = [e for e in ev if e[0].startswith("tasks-") and f"-issue-{i}." in e[0]]
        # No release: the acknowledge deadline (reproduce) and the response deadline (the
        # other assessment tasks; assess_cvss is done by the recorded severity).
        check(len(mine) == 2, "two phase dates", i, mine)
        sums = sorted(s for _, s, _ in mine)
        check(sums == [f"Mautic: issue #{i}: Initial assessment and validation (1 task due)",
                       f"Mautic: issue #{i}: Initial assessment and validation (4 tasks due)"],
              "summaries", sums)
        check(f"tasks-assessment-20261125T120000Z-issue-{i}.mautic@security.example.org" in
              [u for u, _, _ in mine], "uid per issue, phase and instant", mine)
    # With a release: one event per (phase, due instant) of the open tasks, as the API shows.
    st, _, r = svc.request("POST", "/api/v1/projects/mautic/releases",
                           {"date": "2026-11-29T12:00:00Z", "issues": ids, "reason": "x",
                            "override_reason": "exploited"}, role="admin")
    check(st == 201, "release", st, r)
    ev = team_events()
    for i in ids:
        groups = {}
        for ph in checklist(i)["phases"]:
            for t in ph["tasks"]:
                if t["state"] == "open" and t["due_at"]:
                    groups.setdefault((ph["id"], t["due_at"]), []).append(t["id"])
        mine = [e for e in ev if e[0].startswith("tasks-") and f"-issue-{i}." in e[0]]
        check(len(mine) == len(groups) and len(mine) < 20, "one per phase date", groups, mine)
        n = len(groups[("release", "2026-11-28T12:00:00Z")])
        check(n == 5, "five release tasks the day before", groups)
        uid = f"tasks-release-20261128T120000Z-issue-{i}.mautic@security.example.org"
        check((uid, f"Mautic: issue #{i}: Communication and release (5 tasks due)",
               "20261128T120000Z") in mine, "the day before the release", mine)
        # The description names the tasks (ICS escapes the commas and newlines).
        check(DESCRIPTIONS[uid] == "Update the documentation if needed\\nTest the automatic "
              "update mechanisms\\nPrepare the GitHub Security Advisory\\nDraft the "
              "announcement for the community forum and Discord\\nPrepare the release "
              "announcement for GitHub", "the tasks", DESCRIPTIONS[uid])
    # The distributor notice goes out, but the decision does not tick itself.
    check(wait_for(lambda: log_messages(svc, "distros.log", "release.distributor_notice"), 10),
          "notice delivered")
    t = tasks(ids[0])["notify_distributors"]
    check(t["state"] == "open" and t["decision"] is None, "a decision stays open", t)


def test_adoption_and_report():
    i = new_issue(svc, title="adoption")["id"]
    path = f"{BASE}/{i}/adoption"
    st, _, e = svc.request("POST", path, {"share": 0.2}, role="manager")
    check(st == 409 and e["error"]["code"] == "not_published", "no release yet", st, e)
    st, _, r = svc.request("POST", "/api/v1/projects/mautic/releases",
                           {"date": "2026-11-30T12:00:00Z", "issues": [i], "reason": "x",
                            "override_reason": "exploited"}, role="admin")
    check(st == 201, "release", st, r)
    st, _, p = svc.request("POST", f"/api/v1/projects/mautic/releases/{r['id']}/publish",
                           {"reason": "early"}, role="manager")
    check(st == 200, "published", st, p)
    svc.stop()
    svc.start(now="2026-12-03T12:00:00Z")
    for body, field in (({"share": 55}, "share"), ({"share": -0.1}, "share"),
                        ({"share": "0.5"}, "share"), ({}, "share"),
                        ({"share": 0.5, "at": "yesterday"}, "at"),
                        ({"share": 0.5, "at": "2026-12-04T12:00:00Z"}, "at"),
                        ({"share": 0.5, "at": "2026-11-20T12:00:00Z"}, "at"),
                        ({"share": 0.5, "by": "x"}, "by")):
        st, _, e = svc.request("POST", path, body, role="manager")
        check(st == 422 and e["error"]["details"]["field"] == field, "refused", body, st, e)
    check(svc.request("POST", path, {"share": 0.3}, role="reader")[0] == 403, "managers only")
    check(svc.request("GET", path)[0] == 401, "needs a token")
    check(svc.request("POST", f"{BASE}/999/adoption", {"share": 0.3},
                      role="manager")[0] == 404, "unknown issue")
    st, _, a = svc.request("GET", path, role="reader")
    check(st == 200 and a["figures"] == [] and a["half_at"] is None, "none yet", st, a)
    check(tasks(i)["track_adoption"]["state"] == "open", "not yet")
    for body in ({"share": 0.3, "at": "2026-11-26T12:00:00Z"}, {"share": 0.8},
                 {"share": 0.55, "at": "2026-12-01T18:00:00Z"}):
        st, _, a = svc.request("POST", path, body, role="manager")
        check(st == 201, "recorded", body, st, a)
    st, _, a = svc.request("GET", path, role="reader")
    check([(f["share"], f["at"], f["by"]) for f in a["figures"]] ==
          [(0.3, "2026-11-26T12:00:00Z", "manager"), (0.55, "2026-12-01T18:00:00Z", "manager"),
           (0.8, "2026-12-03T12:00:00Z", "manager")], "in time order", a)
    # Published 2026-11-24 12:00 UTC, 50 % on 2026-12-01 18:00 UTC: 7 days 6 hours.
    check(a["published_at"] == "2026-11-24T12:00:00Z" and
          a["half_at"] == "2026-12-01T18:00:00Z" and a["seconds_to_half"] == 7 * 86400 + 6 * 3600,
          "time to 50 %", a)
    t = tasks(i)["track_adoption"]
    check(t["state"] == "done" and t["automatic"] and t["done_at"] == "2026-12-01T18:00:00Z",
          "tracked", t)
    st, _, audit = svc.request("GET", "/api/v1/projects/mautic/audit", role="reader")
    check(sum(1 for x in audit if x["action"] == "issue.adoption" and
              x["subject"] == f"issue-{i}") == 3, "audited")
    # The report, section for section.
    apath = f"{BASE}/{i}/assessment"
    st, _, e = svc.request("PATCH", apath, {"community_announcement": "javascript:alert(1)"},
                           role="manager")
    check(st == 422 and e["error"]["details"]["field"] == "community_announcement", "url", e)
    st, _, e = svc.request("PATCH", apath, {"impact_resources": 3}, role="manager")
    check(st == 422 and e["error"]["details"]["field"] == "impact_resources", "text", e)
    st, _, a = svc.request("PATCH", apath, {
        "assessment_updates": "Confirmed in 5.1.2.",
        "assessment_resources": "Reporter PoC in the vault.",
        "response_updates": "Hotfix in progress.",
        "impact_updates": "About 300 installations affected.",
        "release_updates": "Security release on 2026-11-29.",
        "estimated_fix_timeline": "2 weeks",
        "analysis_notes": "Telemetry of update checks.",
        "community_announcement": "https://forum.example.org/t/42",
        "process_improvements": "Automate the image rebuild."}, role="manager")
    check(st == 200, "assessment", st, a)
    st, _, md = svc.request("GET", f"{BASE}/{i}/report.md", role="reader")
    md = md.decode()
    for want in ("- Severity level: Critical (cvss3.1: Critical)\n",
                 "## Phase 1: Initial assessment and validation\n\n### Updates\n\n"
                 "Confirmed in 5.1.2.\n\n### Resources\n\nReporter PoC in the vault.\n",
                 "- Estimated timeline for fix: 2 weeks\n",
                 "### Updates\n\nHotfix in progress.\n",
                 "### Analysis notes\n\nTelemetry of update checks.\n",
                 "### Updates\n\nSecurity release on 2026-11-29.\n",
                 "#### Pre-release preparation\n",
                 "#### Post-release\n",
                 "- [ ] Test the automatic update mechanisms",
                 "- Community announcement: https://forum.example.org/t/42\n",
                 "- Time to 50 % adoption: 7 days 6 hours (50 % reached 2026-12-01 18:00 UTC)\n",
                 "- Process improvements: Automate the image rebuild.\n",
                 "## Emergency contacts\n\n- Alice Ops (incident lead): alice@example.org, "
                 "+49 30 1234567\n- Bob: +1 555 0100\n"):
        check(want in md, "report has", want, md)
    check("Consider notification to major distributors and packagers: _not decided_" in md,
          "the open decision", md)
    # Contacts, adoption and the report's fields stay private.
    for path in ("/feeds/mautic.ics", "/feeds/all.ics", "/p/mautic", "/",
                 "/api/v1/projects/mautic/releases"):
        _, _, body = svc.request("GET", path, raw=True)
        for mark in (b"alice@example.org", b"1234567", b"Telemetry of update checks",
                     b"forum.example.org/t/42"):
            check(mark not in body, f"{mark} not on {path}")


if __name__ == "__main__":
    cfg = log_channels(base_config())
    cfg["projects"][0]["emergency_contacts"] = [
        {"name": "Alice Ops", "role": "incident lead", "email": "alice@example.org",
         "phone": "+49 30 1234567"},
        {"name": "Bob", "phone": "+1 555 0100"}]
    try:
        svc = Service(config=cfg, now="2026-11-24T12:00:00Z").start()
        main([test_all_release_tasks_with_due_rules, test_decision,
              test_feed_one_event_per_phase_date, test_adoption_and_report])
    finally:
        if svc:
            svc.stop()
