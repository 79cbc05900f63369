"""An announced release is never emptied silently (issue: disclosure lifecycle, bug 3): taking
the only issue of an announced out-of-sequence release into another one, or withdrawing or
rejecting the only fix of an announced window, is refused with 409 would_empty_release unless
an admin gives override_reason; then the team is told (release.emptied) and releases/next no
longer points the public at the empty release."""
from relcal_testlib import (Service, base_config, check, log_channels, log_messages, main,
                            new_issue)

def test_second_out_of_sequence_release():
    svc = Service(config=log_channels(base_config()))
    try:
        svc.start(now="2026-12-02T12:00:00Z")
        i = new_issue(svc, "confirmed", title="RCE")
        body = {"date": "2026-12-17T13:00:00Z", "issues": [i["id"]], "reason": "exploited"}
        st, _, first = svc.request("POST", "/api/v1/projects/mautic/releases", body,
                                   role="manager")
        check(st == 201, "first release", st, first)
        body["date"] = "2026-12-18T13:00:00Z"
        st, _, err = svc.request("POST", "/api/v1/projects/mautic/releases", body, role="manager")
        check(st == 409 and err["error"]["code"] == "would_empty_release" and
              err["error"]["details"]["issues"] == [i["id"]], "refused: would empty", st, err)
        st, _, r = svc.request("GET", f"/api/v1/projects/mautic/releases/{first['id']}",
                               role="reader")
        check(r["issues"] == [i["id"]], "the first release keeps its issue", r)
        check(not log_messages(svc, "team.log", "release.emptied"), "nothing emptied yet")
        body["override_reason"] = "the fix needs a later date"
        st, _, second = svc.request("POST", "/api/v1/projects/mautic/releases", body,
                                    role="admin")
        check(st == 201, "an admin overrides", st, second)
        emptied = log_messages(svc, "team.log", "release.emptied")
        check(len(emptied) == 1 and emptied[0]["data"]["release"]["id"] == first["id"],
              "the team is told", emptied)
        st, _, nxt = svc.request("GET", "/api/v1/projects/mautic/releases/next")
        check(nxt["id"] == second["id"], "the public is not pointed at the empty release", nxt)
    finally:
        svc.stop()


def test_only_fix_of_an_announced_window():
    svc = Service(config=log_channels(base_config()))
    try:
        svc.start(now="2027-01-20T12:00:00Z")
        i = new_issue(svc, title="RCE")
        check(i["release"] == "2027-02-09", "batched", i)
        svc.stop()
        svc.start(now="2027-02-03T12:00:00Z")
        st, _, r = svc.request("GET", "/api/v1/projects/mautic/releases/2027-02-09")
        check(r["status"] == "announced" and r["fix_count"] == 1, "announced with one fix", r)
        path = f"/api/v1/projects/mautic/issues/{i['id']}"
        for change in ({"status": "confirmed"}, {"status": "rejected"}):
            st, _, err = svc.request("PATCH", path, change, role="manager")
            check(st == 409 and err["error"]["code"] == "would_empty_release", "refused", change,
                  st, err)
        st, _, still = svc.request("GET", path, role="reader")
        check(still["status"] == "fix_ready" and still["release"] == "2027-02-09", "unchanged",
              still)
        st, _, err = svc.request("PATCH", path, {"status": "confirmed", "override_reason": "x"},
                                 role="manager")
        check(st == 403, "only an admin overrides", st, err)
        st, _, done = svc.request("PATCH", path,
                                  {"status": "confirmed", "override_reason": "fix broke CI"},
                                  role="admin")
        check(st == 200 and done["release"] is None, "withdrawn by an admin", st, done)
        emptied = log_messages(svc, "team.log", "release.emptied")
        check(len(emptied) == 1 and emptied[0]["data"]["release"]["id"] == "2027-02-09",
              "the team is told", emptied)
        st, _, nxt = svc.request("GET", "/api/v1/projects/mautic/releases/next")
        check(nxt["id"] != "2027-02-09", "next skips the empty release", nxt)
        st, _, audit = svc.request("GET", "/api/v1/projects/mautic/audit", role="reader")
        check(any(a["action"] == "issue.transition" and a["override_reason"] == "fix broke CI"
                  for a in audit), "the override is audited", audit[:3])
    finally:
        svc.stop()


if __name__ == "__main__":
    main([test_second_out_of_sequence_release, test_only_fix_of_an_announced_window])
