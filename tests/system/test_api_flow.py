"""The whole flow of docs/CONTRACT.md against the real `relcal serve` over real HTTP.

Expected instants are worked out by hand from docs/POLICY.md: with the default cadence (second
Tuesday of Feb/May/Aug/Nov, 14:00 Europe/Berlin), the first window after 2026-11-24 is
2027-02-09 14:00 CET = 13:00Z; cut-off, pre-announcement and distributor notice are 7 days
earlier; out-of-sequence releases need 14 days' notice.
"""
import json

from relcal_testlib import Service, check, main

NOW = "2026-11-24T12:00:00Z"
svc = None


def setup():
    global svc
    svc = Service(now=NOW).start()


def test_health_and_projects():
    st, _, body = svc.request("GET", "/healthz")
    check(st == 200 and body == {"status": "ok"}, "healthz", st, body)
    st, _, body = svc.request("GET", "/api/v1/projects")
    check(st == 200 and body == [{"id": "mautic", "name": "Mautic", "timezone": "Europe/Berlin"}],
          "projects", body)
    st, _, body = svc.request("GET", "/api/v1/projects/mautic")
    check(st == 200 and body["policy"]["cadence"] == "FREQ=MONTHLY;BYMONTH=2,5,8,11;BYDAY=2TU",
          "project policy", body)
    check([b["name"] for b in body["branches"]] == ["5.x", "4.x"], "branches", body)


def test_next_release_public():
    st, _, r = svc.request("GET", "/api/v1/projects/mautic/releases/next")
    check(st == 200, "status", st, r)
    check(r["id"] == "2027-02-09" and r["kind"] == "scheduled" and r["status"] == "planned", "id", r)
    check(r["starts_at"] == "2027-02-09T13:00:00Z" and r["ends_at"] == "2027-02-09T15:00:00Z",
          "times", r)
    check(r["cutoff_at"] == "2027-02-02T13:00:00Z", "cutoff", r)
    check(r["announce_at"] == "2027-02-02T13:00:00Z", "announce", r)
    check(r["distributor_notice_at"] == "2027-02-02T13:00:00Z", "notice", r)
    check("issues" not in r and r["fix_count"] is None and r["max_level"] is None, "public", r)


CRIT = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
MEDIUM = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"


def test_issue_create_and_transitions():
    body = {"title": "SQL injection in segment filter", "description": "PRIVATE-DESC",
            "severity": CRIT, "branches": ["5.x"]}
    st, _, _ = svc.request("POST", "/api/v1/projects/mautic/issues", body)
    check(st == 401, "no token", st)
    st, _, _ = svc.request("POST", "/api/v1/projects/mautic/issues", body, role="reader")
    check(st == 403, "reader cannot write", st)
    st, _, i = svc.request("POST", "/api/v1/projects/mautic/issues", body, role="manager")
    check(st == 201 and i["id"] == 1 and i["status"] == "reported", "created", st, i)
    check(i["severity"]["score"] == 9.8 and i["severity"]["level"] == "critical", "severity", i)
    check(i["cve_recommended"] is True, "cve recommended", i)
    # reported now (12:00:0x on the offset clock): due 24 h, 7 d and 21 d later
    check(i["sla"]["acknowledge_due"].startswith("2026-11-25T12:0"), "ack due", i)
    check(i["sla"]["respond_due"].startswith("2026-12-01T12:0"), "respond due", i)
    check(i["sla"]["resolve_due"].startswith("2026-12-15T12:0"), "resolve due", i)
    for to in ("acknowledged", "confirmed", "fix_ready"):
        st, _, i = svc.request("PATCH", "/api/v1/projects/mautic/issues/1", {"status": to},
                               role="manager")
        check(st == 200 and i["status"] == to, "transition " + to, st, i)
    check(i["release"] == "2027-02-09", "batched into the next window", i)
    st, _, i2 = svc.request("POST", "/api/v1/projects/mautic/issues",
                            {"title": "Info leak", "severity": MEDIUM}, role="manager")
    check(st == 201 and i2["id"] == 2 and i2["severity"]["level"] == "medium", "second", i2)
    st, _, err = svc.request("PATCH", "/api/v1/projects/mautic/issues/2", {"status": "fix_ready"},
                             role="manager")
    check(st == 409 and err["error"]["code"] == "invalid_transition", "409", st, err)
    check(sorted(err["error"]["details"]["allowed"]) == ["acknowledged", "rejected"], "allowed", err)


def test_next_release_with_auth():
    st, _, r = svc.request("GET", "/api/v1/projects/mautic/releases/next", role="reader")
    check(st == 200 and r["issues"] == [1] and r["fix_count"] == 1 and r["max_level"] == "critical",
          "private view", r)
    check(r["versions"] == [{"branch": "5.x", "version": "5.1.3"}], "versions", r)
    st, _, r = svc.request("GET", "/api/v1/projects/mautic/releases/next")
    check("issues" not in r and r["fix_count"] is None, "public view unchanged", r)
    st, _, body = svc.request("GET", "/api/v1/projects/mautic/releases/2027-02-09")
    check(st == 200 and "PRIVATE-DESC" not in str(body), "no private detail", body)


def test_out_of_sequence():
    base = "/api/v1/projects/mautic/releases"
    st, _, err = svc.request("POST", base, {"date": "2026-12-01T12:00:00Z", "issues": [1],
                                            "reason": "actively exploited"}, role="manager")
    check(st == 422 and err["error"]["code"] == "insufficient_notice", "notice", st, err)
    check(err["error"]["details"]["earliest_allowed"].startswith("2026-12-08T12:0"), "earliest", err)
    st, _, err = svc.request("POST", base, {"date": "2026-12-15T12:00:00Z", "issues": [2],
                                            "reason": "x"}, role="manager")
    check(st == 422 and err["error"]["code"] == "severity_below_threshold", "threshold", st, err)
    st, _, err = svc.request("POST", base, {"date": "2026-12-15T12:00:00Z", "issues": [2],
                                            "reason": "x", "override_reason": "board says so"},
                             role="manager")
    check(st == 403, "override needs admin", st, err)
    st, _, r = svc.request("POST", base, {"date": "2026-12-15T12:00:00Z", "issues": [1],
                                          "reason": "actively exploited"}, role="manager")
    check(st == 201 and r["id"] == "oos-1" and r["kind"] == "out_of_sequence", "created", st, r)
    check(r["status"] == "announced" and r["starts_at"] == "2026-12-15T12:00:00Z", "announced", r)
    st, _, i = svc.request("GET", "/api/v1/projects/mautic/issues/1", role="reader")
    check(i["release"] == "oos-1", "issue moved to the oos release", i)
    st, _, r = svc.request("GET", base + "/next")
    check(r["id"] == "oos-1" and r["fix_count"] == 1 and r["max_level"] == "critical",
          "announced counts are public", r)
    check("issues" not in r, "issue ids stay private", r)
    st, _, r2 = svc.request("POST", base, {"date": "2026-12-16T12:00:00Z", "issues": [2],
                                           "reason": "x", "override_reason": "board says so"},
                            role="admin")
    check(st == 201 and r2["id"] == "oos-2", "admin override", st, r2)


def test_cli_next_reads_the_database():
    # `relcal next` reads the service's database when it exists: it shows the out-of-sequence
    # release and its public counts, which the policy alone does not know.
    from relcal_testlib import run
    r = run("next", "-c", svc.config_path, "--db", svc.db, "--json", "-n", "2",
            env={"RELCAL_NOW": NOW})
    check(r.returncode == 0, "exit", r.stderr)
    rels = [x for x in json.loads(r.stdout)]
    check([x["id"] for x in rels] == ["oos-1", "oos-2"], "from the database", rels)
    check(rels[0]["fix_count"] == 1 and "issues" not in rels[0], "public view", rels[0])
    r = run("next", "-c", svc.config_path, "--db", svc.db + ".absent", "--json",
            env={"RELCAL_NOW": NOW})
    check(json.loads(r.stdout)[0]["id"] == "2027-02-09", "policy alone without a database")


def test_move_cancel_publish():
    base = "/api/v1/projects/mautic/releases"
    st, _, err = svc.request("PATCH", base + "/oos-1", {"date": "2026-12-01T12:00:00Z"},
                             role="manager")
    check(st == 422 and err["error"]["code"] == "insufficient_notice", "earlier refused", st, err)
    st, _, r = svc.request("PATCH", base + "/oos-1", {"date": "2026-12-20T12:00:00Z"},
                           role="manager")
    check(st == 200 and r["starts_at"] == "2026-12-20T12:00:00Z" and r["sequence"] == 1,
          "moved later", st, r)
    st, _, r = svc.request("PATCH", base + "/oos-2", {"status": "cancelled", "reason": "merged"},
                           role="manager")
    check(st == 200 and r["status"] == "cancelled", "cancelled", st, r)
    st, _, err = svc.request("POST", base + "/oos-1/publish", {}, role="manager")
    check(st == 422 and err["error"]["code"] == "validation_failed", "early publish needs reason",
          st, err)
    check(err["error"]["details"].get("field") == "reason", "names the field", err)
    st, _, r = svc.request("POST", base + "/oos-1/publish", {"reason": "embargo broke"},
                           role="manager")
    check(st == 200 and r["status"] == "released" and r["released_at"], "published", st, r)
    st, _, i = svc.request("GET", "/api/v1/projects/mautic/issues/1", role="reader")
    check(i["status"] == "released" and i["released_at"], "issue released", i)


def test_lists_and_audit():
    st, _, issues = svc.request("GET", "/api/v1/projects/mautic/issues", role="reader")
    check(st == 200 and [i["id"] for i in issues] == [2, 1], "newest first", issues)
    st, _, rels = svc.request("GET", "/api/v1/projects/mautic/releases?from=2026-12-01T00:00:00Z"
                              "&to=2027-06-01T00:00:00Z")
    ids = [r["id"] for r in rels]
    check(ids == ["oos-2", "oos-1", "2027-02-09", "2027-05-11"] or
          ids == ["oos-1", "oos-2", "2027-02-09", "2027-05-11"], "range", ids)
    st, _, audit = svc.request("GET", "/api/v1/projects/mautic/audit", role="reader")
    actions = [a["action"] for a in audit]
    check(st == 200 and "issue.create" in actions and "release.publish" in actions, "audit", actions)
    check(any(a.get("override_reason") == "board says so" for a in audit), "override logged", audit)
    st, _, _ = svc.request("GET", "/api/v1/projects/mautic/audit")
    check(st == 401, "audit needs a token", st)


def test_state_survives_restart():
    svc.stop()
    svc.start()
    st, _, i = svc.request("GET", "/api/v1/projects/mautic/issues/1", role="reader")
    check(st == 200 and i["status"] == "released", "persisted", i)


if __name__ == "__main__":
    try:
        setup()
        main([test_health_and_projects, test_next_release_public, test_issue_create_and_transitions,
              test_next_release_with_auth, test_out_of_sequence, test_cli_next_reads_the_database,
              test_move_cancel_publish,
              test_lists_and_audit, test_state_survives_restart])
    finally:
        if svc:
            svc.stop()
