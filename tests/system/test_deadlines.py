"""Response deadlines and severity levels (issue 13), through the real service with log channels
and RELCAL_NOW restarts (docs/POLICY.md "Response deadlines", "Severity"):
- a report rejected within 24 h has met the acknowledgement deadline; the rejection carries a
  reason;
- an extension granted after a breach keeps the breach and shows the new deadline, which gets
  its own due-soon and breach reminders; extensions are capped (422 naming the field);
- a backdated issue gets one team message, not one per deadline per kind, naming the issue's
  title and each deadline's instant;
- CMSS "Critical" is level critical (an out-of-sequence release accepts it by default);
- the CVSS score shown is the most specific one the vector carries, with its name;
- an out-of-sequence notice below 14 days needs allow_short_notice, and `relcal check` warns."""
import json
import os

from relcal_testlib import (Service, base_config, check, log_channels, log_messages, main,
                            new_issue, run, wait_for)

ISSUES = "/api/v1/projects/mautic/issues"
SLA_TYPES = ("issue.sla_due_soon", "issue.sla_breached")


def sla_messages(svc, issue_id=None):
    return [m for m in log_messages(svc, "team.log") if m["type"] in SLA_TYPES and
            (issue_id is None or m["data"].get("issue") == issue_id)]


def get_issue(svc, i):
    st, _, got = svc.request("GET", f"{ISSUES}/{i}", role="reader")
    check(st == 200, "issue", st, got)
    return got


def test_rejection_within_24h_meets_acknowledge():
    svc = Service(config=log_channels(base_config()))
    try:
        svc.start(now="2027-01-10T09:00:00Z")
        i = new_issue(svc, "reported", title="Not a bug")
        svc.stop()
        svc.start(now="2027-01-10T20:00:00Z")  # 11 h after the report
        st, _, got = svc.request("PATCH", f"{ISSUES}/{i['id']}",
                                 {"status": "rejected", "reason": "works as designed"},
                                 role="manager")
        check(st == 200 and got["status"] == "rejected", "rejected with a reason", st, got)
        svc.stop()
        svc.start(now="2027-02-20T09:00:00Z")  # long after every deadline
        got = get_issue(svc, i["id"])
        check(got["sla"]["breached"] == [], "rejected within 24 h: no breach", got["sla"])
        st, _, audit = svc.request("GET", "/api/v1/projects/mautic/audit", role="reader")
        rows = [a for a in audit if a["action"] == "issue.transition"
                and (a.get("detail") or {}).get("to") == "rejected"]
        check(len(rows) == 1 and rows[0]["detail"].get("reason") == "works as designed",
              "the reason is audited with the rejection", rows)
        # A rejection after 24 h without acknowledgement breached it.
        late = new_issue(svc, "reported", title="Late")
        svc.stop()
        svc.start(now="2027-02-21T10:00:00Z")
        st, _, got = svc.request("PATCH", f"{ISSUES}/{late['id']}", {"status": "rejected"},
                                 role="manager")
        check(st == 200 and got["sla"]["breached"] == ["acknowledge"], "late rejection", got)
        # reason is still refused on its own.
        st, _, err = svc.request("PATCH", f"{ISSUES}/{late['id']}", {"reason": "x"},
                                 role="manager")
        check(st == 422 and err["error"]["details"]["field"] == "reason", "reason alone", st, err)
    finally:
        svc.stop()


def test_extension_after_breach():
    svc = Service(config=log_channels(base_config()))
    try:
        svc.start(now="2027-01-10T09:00:00Z")
        i = new_issue(svc, "confirmed", title="Slow fix")
        iid = i["id"]
        svc.stop()
        # Resolve was due 2027-01-31T09:00Z (21 d).
        svc.start(now="2027-02-01T09:00:00Z")
        got = get_issue(svc, iid)
        check(got["sla"]["breached"] == ["resolve"], "breached", got["sla"])
        breaches = [m for m in sla_messages(svc, iid) if m["type"] == "issue.sla_breached"]
        check(len(breaches) == 1, "one breach reminder", sla_messages(svc, iid))
        st, _, got = svc.request("PATCH", f"{ISSUES}/{iid}",
                                 {"sla_extension_days": 14, "reason": "upstream coordination"},
                                 role="manager")
        check(st == 200, "extended", st, got)
        check(got["sla"]["breached"] == ["resolve"], "the breach it had stays", got["sla"])
        check(got["sla"]["resolve_due"] == "2027-02-14T09:00:00Z", "the new deadline", got["sla"])
        check(got["sla"].get("resolve_missed_due") == "2027-01-31T09:00:00Z",
              "the missed deadline is shown", got["sla"])
        svc.stop()
        # The extended deadline's due-soon: 35 d span, a quarter before: 2027-02-05T15:00Z.
        svc.start(now="2027-02-06T09:00:00Z")
        soon = [m for m in sla_messages(svc, iid) if m["type"] == "issue.sla_due_soon"]
        # (the original resolve due-soon went out in the catch-up of 02-01, with its breach)
        new_soon = [m for m in soon if any(d["due"] == "2027-02-14T09:00:00Z"
                                           for d in m["data"]["deadlines"])]
        check(len(new_soon) == 1, "the extended deadline gets its own due-soon", soon)
        check(new_soon[0]["data"]["title"] == "Slow fix", "names the title", new_soon[0])
        svc.stop()
        svc.start(now="2027-02-15T09:00:00Z")
        breaches = [m for m in sla_messages(svc, iid) if m["type"] == "issue.sla_breached"]
        check(len(breaches) == 2 and breaches[1]["data"]["deadlines"] ==
              [{"sla": "resolve", "event": "breached", "due": "2027-02-14T09:00:00Z"}],
              "the extended deadline gets its own breach reminder", breaches)
        svc.stop()
        svc.start(now="2027-02-15T10:00:00Z")
        check(len(sla_messages(svc, iid)) == len(soon) + 2, "nothing sent twice",
              sla_messages(svc, iid))
        # The cap: 90 days in total by default.
        st, _, err = svc.request("PATCH", f"{ISSUES}/{iid}",
                                 {"sla_extension_days": 77, "reason": "more"}, role="manager")
        check(st == 422 and err["error"]["details"]["field"] == "sla_extension_days" and
              "90" in err["error"]["message"], "past the cap", st, err)
        st, _, got = svc.request("PATCH", f"{ISSUES}/{iid}",
                                 {"sla_extension_days": 76, "reason": "more"}, role="manager")
        check(st == 200 and got["sla"]["extension_days"] == 90, "up to the cap", st, got)
        check(got["sla"].get("resolve_missed_due") == "2027-01-31T09:00:00Z",
              "the first missed deadline stays", got["sla"])
        st, _, err = svc.request("PATCH", f"{ISSUES}/{iid}",
                                 {"sla_extension_days": 1, "reason": "more"}, role="manager")
        check(st == 422 and err["error"]["details"]["field"] == "sla_extension_days", "cap reached", st, err)
    finally:
        svc.stop()


def test_configured_extension_cap():
    cfg = log_channels(base_config())
    cfg["projects"][0]["policy"] = {"sla_extension_max_days": 10}
    svc = Service(config=cfg)
    try:
        svc.start(now="2027-01-10T09:00:00Z")
        i = new_issue(svc, "confirmed")
        st, _, err = svc.request("PATCH", f"{ISSUES}/{i['id']}",
                                 {"sla_extension_days": 11, "reason": "r"}, role="manager")
        check(st == 422 and err["error"]["details"]["field"] == "sla_extension_days", "cap 10", st, err)
        st, _, got = svc.request("PATCH", f"{ISSUES}/{i['id']}",
                                 {"sla_extension_days": 10, "reason": "r"}, role="manager")
        check(st == 200 and got["sla"].get("resolve_missed_due") is None, "within", st, got)
    finally:
        svc.stop()


def test_backdated_issue_one_message():
    svc = Service(config=log_channels(base_config()))
    try:
        svc.start(now="2027-02-05T09:00:00Z")
        st, _, i = svc.request("POST", ISSUES, {"title": "Backdated RCE",
                                                "reported_at": "2027-01-10T09:00:00Z"},
                               role="manager")
        check(st == 201, "created", st, i)
        wait_for(lambda: sla_messages(svc, i["id"]), 5)
        msgs = sla_messages(svc, i["id"])
        check(len(msgs) == 1, "one message for the issue", msgs)
        m = msgs[0]
        check(m["type"] == "issue.sla_breached", "a breach message", m)
        check(m["data"]["title"] == "Backdated RCE", "names the title", m["data"])
        check(m["data"]["deadlines"] == [
            {"sla": "acknowledge", "event": "breached", "due": "2027-01-11T09:00:00Z"},
            {"sla": "respond", "event": "breached", "due": "2027-01-17T09:00:00Z"},
            {"sla": "resolve", "event": "breached", "due": "2027-01-31T09:00:00Z"},
        ], "each deadline with its instant", m["data"])
        svc.stop()
        svc.start(now="2027-02-05T10:00:00Z")
        check(len(sla_messages(svc, i["id"])) == 1, "not sent again", sla_messages(svc))
    finally:
        svc.stop()


def test_due_soon_and_breach_together_per_issue():
    svc = Service(config=log_channels(base_config()))
    try:
        svc.start(now="2027-01-10T09:00:00Z")
        a = new_issue(svc, "reported", title="First")
        b = new_issue(svc, "reported", title="Second")
        svc.stop()
        # Down from before any reminder until after the acknowledgement deadline and the
        # respond due-soon (2027-01-15T15:00Z): one message per issue.
        svc.start(now="2027-01-16T09:00:00Z")
        for x in (a, b):
            msgs = sla_messages(svc, x["id"])
            check(len(msgs) == 1 and msgs[0]["type"] == "issue.sla_breached", "one per issue",
                  msgs)
            check(msgs[0]["data"]["deadlines"] == [
                {"sla": "acknowledge", "event": "breached", "due": "2027-01-11T09:00:00Z"},
                {"sla": "respond", "event": "due_soon", "due": "2027-01-17T09:00:00Z"},
            ], "the breach and the due-soon in one message", msgs[0]["data"])
            check(msgs[0]["data"]["late"] is True, "late", msgs[0]["data"])
    finally:
        svc.stop()


CMSS_CRITICAL = "AC:Basic/A:User/CI:All/II:Some/E:Proof/TD:Default"  # 16/25 "Critical"


def test_cmss_critical_is_critical():
    svc = Service(config=log_channels(base_config()))
    try:
        svc.start(now="2026-12-02T12:00:00Z")
        i = new_issue(svc, "fix_ready", vector=CMSS_CRITICAL, title="Drupal-style")
        check(i["severity"]["label"] == "Critical" and i["severity"]["level"] == "critical",
              "CMSS Critical is level critical", i["severity"])
        st, _, r = svc.request("POST", "/api/v1/projects/mautic/releases",
                               {"date": "2026-12-18T13:00:00Z", "issues": [i["id"]],
                                "reason": "exploited"}, role="manager")
        check(st == 201, "the default out-of-sequence threshold accepts it", st, r)
        for vector, level in (("AC:None/A:None/CI:None/II:None/E:Theoretical/TD:All", "high"),
                              ("AC:Basic/A:Admin/CI:None/II:None/E:Theoretical/TD:Uncommon",
                               "medium"),
                              ("AC:Complex/A:Admin/CI:None/II:None/E:Theoretical/TD:Uncommon",
                               "low")):
            x = new_issue(svc, "reported", vector=vector)
            check(x["severity"]["level"] == level, vector, x["severity"])
    finally:
        svc.stop()


def test_score_rule():
    svc = Service(config=log_channels(base_config()))
    try:
        svc.start(now="2026-12-02T12:00:00Z")
        cases = [
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "base", "critical"),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U", 7.8, "temporal",
             "high"),
            ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H/CR:L/IR:L/AR:L", 8.3,
             "environmental", "high"),
            ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3, "CVSS-B",
             "critical"),
            ("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U", 4.1,
             "CVSS-BT", "medium"),
        ]
        for vector, score, kind, level in cases:
            i = new_issue(svc, "reported", vector=vector)
            s = i["severity"]
            check(s["score"] == score and s["score_type"] == kind and s["level"] == level,
                  vector, s)
        # A temporal v3 score below the threshold is not enough for out of sequence.
        i = new_issue(svc, "fix_ready", vector=cases[1][0])
        st, _, err = svc.request("POST", "/api/v1/projects/mautic/releases",
                                 {"date": "2026-12-18T13:00:00Z", "issues": [i["id"]],
                                  "reason": "r"}, role="manager")
        check(st == 422 and err["error"]["code"] == "severity_below_threshold", "7.8 is high",
              st, err)
    finally:
        svc.stop()


def write_config(d, policy):
    cfg = base_config()
    cfg["projects"][0]["policy"] = policy
    path = os.path.join(d, "relcal.json")
    with open(path, "w") as f:
        json.dump(cfg, f)
    return path


def test_short_notice_needs_allow():
    svc = Service(config=log_channels(base_config()))
    path = write_config(svc.dir, {"out_of_sequence_notice_days": 7})
    r = run("check", "-c", path)
    check(r.returncode == 2 and "out_of_sequence_notice_days" in r.stderr and
          "allow_short_notice" in r.stderr, "refused without allow_short_notice", r.stderr)
    path = write_config(svc.dir, {"out_of_sequence_notice_days": 7, "allow_short_notice": True})
    r = run("check", "-c", path)
    check(r.returncode == 0 and "warning" in r.stderr and "out_of_sequence_notice_days is 7"
          in r.stderr, "check warns", r.returncode, r.stderr)
    path = write_config(svc.dir, {"out_of_sequence_notice_days": 14})
    r = run("check", "-c", path)
    check(r.returncode == 0 and "warning" not in r.stderr, "no warning at 14", r.stderr)
    cfg = log_channels(base_config())
    cfg["projects"][0]["policy"] = {"out_of_sequence_notice_days": 7, "allow_short_notice": True}
    svc.config = cfg
    try:
        svc.start(now="2026-12-02T12:00:00Z")
        i = new_issue(svc, "fix_ready")
        st, _, r = svc.request("POST", "/api/v1/projects/mautic/releases",
                               {"date": "2026-12-10T13:00:00Z", "issues": [i["id"]],
                                "reason": "exploited"}, role="manager")
        check(st == 201, "8 days' notice allowed", st, r)
    finally:
        svc.stop()


if __name__ == "__main__":
    main([test_rejection_within_24h_meets_acknowledge, test_extension_after_breach,
          test_configured_extension_cap, test_backdated_issue_one_message,
          test_due_soon_and_breach_together_per_issue, test_cmss_critical_is_critical,
          test_score_rule, test_short_notice_needs_allow])
