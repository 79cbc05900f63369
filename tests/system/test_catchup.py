"""Restart with a later RELCAL_NOW: everything that fell due while the service was down is applied
in order and marked late; state persists across restarts."""
from relcal_testlib import Service, check, main

svc = None


def test_skip_on_catch_up():
    # Before the 2027-02-09 window's cut-off (2027-02-02T13:00Z) with no issues at all.
    svc.start(now="2027-01-20T12:00:00Z")
    st, _, r = svc.request("GET", "/api/v1/projects/mautic/releases/next")
    check(r["id"] == "2027-02-09" and r["status"] == "planned", "planned", r)
    svc.stop()
    # Down across the cut-off: on start the window is evaluated, found empty and skipped.
    svc.start(now="2027-02-03T00:00:00Z")
    st, _, r = svc.request("GET", "/api/v1/projects/mautic/releases/2027-02-09")
    check(st == 200 and r["status"] == "skipped", "skipped", st, r)
    st, _, r = svc.request("GET", "/api/v1/projects/mautic/releases/next")
    check(r["id"] == "2027-05-11" and r["starts_at"] == "2027-05-11T12:00:00Z", "next window", r)
    st, _, audit = svc.request("GET", "/api/v1/projects/mautic/audit", role="reader")
    skips = [a for a in audit if a["action"] == "release.skip"]
    check(len(skips) == 1 and skips[0].get("late") is True, "late skip audited once", audit)
    svc.stop()


def test_notice_on_catch_up():
    # A ready fix for the May window, then the service is down across its distributor notice.
    svc.start(now="2027-04-01T12:00:00Z")
    st, _, i = svc.request("POST", "/api/v1/projects/mautic/issues",
                           {"title": "XSS", "severity": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N",
                            "branches": ["5.x", "4.x"]}, role="manager")
    check(st == 201, "created", st, i)
    for to in ("acknowledged", "confirmed", "fix_ready"):
        st, _, i = svc.request("PATCH", f"/api/v1/projects/mautic/issues/{i['id']}",
                               {"status": to}, role="manager")
        check(st == 200, to, st, i)
    check(i["release"] == "2027-05-11", "batched", i)
    svc.stop()
    svc.start(now="2027-05-05T00:00:00Z")
    st, _, r = svc.request("GET", "/api/v1/projects/mautic/releases/2027-05-11", role="reader")
    check(r["status"] == "announced" and r["announced_at"], "pre-announced on catch-up", r)
    check(r["distributors_notified_at"], "distributors notified", r)
    check(r["versions"] == [{"branch": "5.x", "version": "5.1.3"},
                            {"branch": "4.x", "version": "4.4.13"}], "versions", r)
    st, _, r = svc.request("GET", "/api/v1/projects/mautic/releases/2027-05-11")
    check(r["fix_count"] == 1 and r["max_level"] == "medium", "announced counts public", r)
    # The window is locked now: its date does not follow a config edit.
    svc.stop()
    svc.config["projects"][0]["policy"] = {"release_time": "16:00"}
    svc.start()
    st, _, r = svc.request("GET", "/api/v1/projects/mautic/releases/2027-05-11")
    check(r["starts_at"] == "2027-05-11T12:00:00Z", "locked window keeps its date", r)
    st, _, r = svc.request("GET", "/api/v1/projects/mautic/releases/2027-08-10")
    check(r["starts_at"] == "2027-08-10T14:00:00Z", "unlocked window follows the config", r)
    svc.stop()


if __name__ == "__main__":
    try:
        svc = Service()
        main([test_skip_on_catch_up, test_notice_on_catch_up])
    finally:
        if svc:
            svc.stop()
