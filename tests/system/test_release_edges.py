"""Edges of a release's life (issue 12): a move to the date a release already has, dates out
of bounds, publishing with unfixed issues, cancelling after the distributor notice, and the
versions releases ship (successive per branch, frozen once published).

Instants worked out by hand from docs/POLICY.md: with the default cadence the first window after
2026-11-24 is 2027-02-09 14:00 CET = 13:00Z, then 2027-05-11 14:00 CEST = 12:00Z; cut-off and
distributor notice are 7 days earlier, the maximum embargo 14 days, out-of-sequence notice 14
days.
"""
import json
import signal
from datetime import datetime, timedelta

from relcal_testlib import (Service, base_config, check, log_channels, log_messages, main,
                            new_issue, wait_for)

NOW = "2026-11-24T12:00:00Z"
P = "/api/v1/projects/mautic"


def service(now=NOW, cfg=None):
    return Service(config=cfg or log_channels(base_config()), now=now).start()


def deliveries(svc, message_type):
    st, _, rows = svc.request("GET", P + "/deliveries", role="reader")
    check(st == 200, "deliveries", st, rows)
    return [r for r in rows if r["message_type"] == message_type]


def audit_actions(svc):
    st, _, rows = svc.request("GET", P + "/audit", role="reader")
    check(st == 200, "audit", st, rows)
    return [a["action"] for a in rows]


def test_move_to_the_same_date_is_a_no_op():
    svc = service()
    try:
        i = new_issue(svc)
        st, _, r = svc.request("POST", P + "/releases", {"date": "2026-12-15T12:00:00Z",
                                                         "issues": [i["id"]], "reason": "x"},
                               role="manager")
        check(st == 201 and r["sequence"] == 0, "oos created", st, r)
        for rid, date in (("oos-1", "2026-12-15T12:00:00Z"),
                          ("2027-02-09", "2027-02-09T13:00:00Z"),
                          ("2027-02-09", "2027-02-09T14:00:00+01:00")):
            st, _, before = svc.request("GET", f"{P}/releases/{rid}", role="reader")
            st, _, after = svc.request("PATCH", f"{P}/releases/{rid}", {"date": date},
                                       role="manager")
            check(st == 200, "same date answers 200", rid, st, after)
            check(after == before, "the resource is unchanged", before, after)
        check(deliveries(svc, "release.rescheduled") == [], "nothing sent",
              deliveries(svc, "release.rescheduled"))
        check("release.move" not in audit_actions(svc), "no move audited", audit_actions(svc))
        # A real move still works.
        st, _, r = svc.request("PATCH", P + "/releases/oos-1", {"date": "2026-12-16T12:00:00Z"},
                               role="manager")
        check(st == 200 and r["sequence"] == 1, "a real move raises the sequence", st, r)
        check(len(deliveries(svc, "release.rescheduled")) >= 1, "and is sent")
    finally:
        svc.stop()


def refused_on_date(st, err, what, bound=None):
    check(st == 422 and err["error"]["code"] == "validation_failed", what, st, err)
    check(err["error"]["details"].get("field") == "date", what + ": names the field", err)
    if bound:  # (key, prefix): now is NOW plus the seconds the test has run
        check(err["error"]["details"].get(bound[0], "").startswith(bound[1]), what + ": bound",
              err)


def test_release_dates_have_bounds():
    svc = service()
    try:
        i = new_issue(svc)
        body = {"issues": [i["id"]], "reason": "x"}
        late, early = ("latest_allowed", "2031-11-24T12:0"), ("earliest_allowed", "2026-11-24T12:0")
        for date, bound in (("9999-12-31T00:00:00Z", late), ("2031-11-25T12:00:00Z", late),
                            ("2026-11-01T12:00:00Z", early)):
            for role, extra in (("manager", {}), ("admin", {"override_reason": "board"})):
                st, _, err = svc.request("POST", P + "/releases",
                                         dict(body, date=date, **extra), role=role)
                refused_on_date(st, err, f"create at {date} as {role}", bound)
        # The last instant inside the default 5 years is accepted.
        st, _, r = svc.request("POST", P + "/releases", dict(body, date="2031-11-24T12:00:00Z"),
                               role="manager")
        check(st == 201 and r["starts_at"] == "2031-11-24T12:00:00Z", "5 years ahead", st, r)
        for rid in ("2027-02-09", "oos-1"):
            for date in ("9999-12-31T00:00:00Z", "2026-11-23T12:00:00Z"):
                for role, extra in (("manager", {}), ("admin", {"override_reason": "board"})):
                    st, _, err = svc.request("PATCH", f"{P}/releases/{rid}",
                                             dict(extra, date=date), role=role)
                    refused_on_date(st, err, f"move {rid} to {date} as {role}")
        st, _, feed = svc.request("GET", "/feeds/mautic.ics", raw=True)
        check(b"DTSTART:0000" not in feed and b"9999" not in feed, "feed never saw it", feed)
        check(deliveries(svc, "release.rescheduled") == [], "nothing sent")
    finally:
        svc.stop()


def test_release_date_bound_is_configurable():
    cfg = log_channels(base_config())
    cfg["projects"][0]["policy"] = {"max_release_horizon_years": 1}
    svc = service(cfg=cfg)
    try:
        st, _, proj = svc.request("GET", P)
        check(proj["policy"].get("max_release_horizon_years") == 1, "effective policy", proj)
        st, _, err = svc.request("PATCH", P + "/releases/2027-02-09",
                                 {"date": "2027-11-25T12:00:00Z"}, role="manager")
        refused_on_date(st, err, "past the configured year")
        st, _, r = svc.request("PATCH", P + "/releases/2027-02-09",
                               {"date": "2027-11-24T12:00:00Z"}, role="manager")
        check(st == 200 and r["starts_at"] == "2027-11-24T12:00:00Z", "inside it", st, r)
    finally:
        svc.stop()


def test_publish_with_unfixed_issues():
    svc = service()
    try:
        fixed = new_issue(svc, "fix_ready", title="fixed one")
        open1 = new_issue(svc, "confirmed", title="UNFIXED-ONE")
        open2 = new_issue(svc, "reported", title="UNFIXED-TWO")
        ids = [fixed["id"], open1["id"], open2["id"]]
        st, _, r = svc.request("POST", P + "/releases", {"date": "2026-12-15T12:00:00Z",
                                                         "issues": ids, "reason": "x"},
                               role="manager")
        check(st == 201, "oos", st, r)
        url = P + "/releases/oos-1/publish"
        for role in ("manager", "admin"):
            st, _, err = svc.request("POST", url, {"reason": "embargo broke"}, role=role)
            check(st == 409 and err["error"]["code"] == "unfixed_issues", "refused", role, st, err)
            check(sorted(err["error"]["details"]["issues"]) == sorted(ids[1:]), "lists them", err)
        st, _, err = svc.request("POST", url, {"reason": "embargo broke",
                                               "override_reason": "ship what is fixed"},
                                 role="manager")
        check(st == 403, "a manager cannot override", st, err)
        st, _, r = svc.request("GET", P + "/releases/oos-1", role="reader")
        check(r["status"] == "announced" and sorted(r["issues"]) == sorted(ids), "unchanged", r)
        st, _, r = svc.request("POST", url, {"reason": "embargo broke",
                                             "override_reason": "ship what is fixed"},
                               role="admin")
        check(st == 200 and r["status"] == "released", "admin override publishes", st, r)
        check(r["issues"] == [fixed["id"]] and r["fix_count"] == 1, "only the fix ships", r)
        st, _, i = svc.request("GET", f"{P}/issues/{fixed['id']}", role="reader")
        check(i["status"] == "released", "the fix is released", i)
        for before in (open1, open2):
            st, _, i = svc.request("GET", f"{P}/issues/{before['id']}", role="reader")
            check(i["status"] == before["status"] and i["release"] is None and
                  i["released_at"] is None, "an unfixed issue stays open, out of the release", i)
        st, _, audit = svc.request("GET", P + "/audit", role="reader")
        pub = [a for a in audit if a["action"] == "release.publish"]
        check(len(pub) == 1 and pub[0]["override_reason"] == "ship what is fixed", "audited", pub)
        check(sorted(pub[0]["detail"]["unfixed_removed"]) == sorted(ids[1:]), "names them", pub)
        rows = deliveries(svc, "release.unfixed_removed")
        check([r["channel"] for r in rows] == ["team"], "the team is told", rows)
        msg = wait_for(lambda: [m for m in log_messages(svc, "team.log")
                                if m["type"] == "release.unfixed_removed"], 10)
        check(msg, "team message written", log_messages(svc, "team.log"))
        removed = msg[0]["data"]["removed_issues"]
        check(sorted(x["id"] for x in removed) == sorted(ids[1:]), "message names them", removed)
        st, _, feed = svc.request("GET", "/feeds/mautic.ics", raw=True)
        check(b"UNFIXED" not in feed, "no unfixed issue on the public feed", feed)
    finally:
        svc.stop()


def test_publish_with_only_fixes_needs_no_override():
    svc = service()
    try:
        i = new_issue(svc, "fix_ready")
        st, _, r = svc.request("POST", P + "/releases/2027-02-09/publish",
                               {"reason": "embargo broke"}, role="manager")
        check(st == 200 and r["status"] == "released" and r["issues"] == [i["id"]], "published",
              st, r)
        check(deliveries(svc, "release.unfixed_removed") == [], "nothing to tell")
    finally:
        svc.stop()


def test_cancel_after_the_distributor_notice():
    cfg = log_channels(base_config())
    svc = service(cfg=cfg)
    try:
        i = new_issue(svc, "fix_ready", title="batched fix")
        check(i["release"] == "2027-02-09", "batched", i)
        # The service is down over the distributor notice (2027-02-02T13:00Z) and catches up.
        svc.stop()
        svc.start(now="2027-02-03T12:00:00Z")
        st, _, r = svc.request("GET", P + "/releases/2027-02-09", role="reader")
        check(r["distributors_notified_at"] is not None, "distributors notified", r)
        url = P + "/releases/2027-02-09"
        body = {"status": "cancelled", "reason": "maintainers away"}
        st, _, err = svc.request("PATCH", url, body, role="manager")
        check(st == 422 and err["error"]["code"] == "embargo_too_long", "refused", st, err)
        # notice + 14 days (max_embargo_days): the issue would wait for 2027-05-11.
        notified = r["distributors_notified_at"]
        check(notified.startswith("2027-02-0"), "notice time", notified)
        latest = datetime.fromisoformat(notified.replace("Z", "+00:00")) + timedelta(days=14)
        check(err["error"]["details"]["latest_allowed"] ==
              latest.strftime("%Y-%m-%dT%H:%M:%SZ"), "latest allowed", err, notified)
        st, _, err = svc.request("PATCH", url, dict(body, override_reason="x"), role="manager")
        check(st == 403, "a manager cannot override", st, err)
        st, _, r = svc.request("GET", url, role="reader")
        check(r["status"] != "cancelled" and r["issues"] == [i["id"]], "nothing changed", r)
        check(deliveries(svc, "release.cancelled") == [], "nothing sent")
        st, _, r = svc.request("PATCH", url, dict(body, override_reason="team decision"),
                               role="admin")
        check(st == 200 and r["status"] == "cancelled", "admin override cancels", st, r)
        rows = deliveries(svc, "release.cancelled")
        check(sorted(x["channel"] for x in rows) == ["distros", "news", "team"],
              "distributors (and everyone who knew) told", rows)
        st, _, moved = svc.request("GET", f"{P}/issues/{i['id']}", role="reader")
        check(moved["release"] == "2027-05-11", "the fix waits for the next window", moved)
        st, _, audit = svc.request("GET", P + "/audit", role="reader")
        c = [a for a in audit if a["action"] == "release.cancel"]
        check(len(c) == 1 and c[0]["override_reason"] == "team decision", "audited", c)
    finally:
        svc.stop()


def test_cancel_before_the_notice_needs_no_override():
    svc = service()
    try:
        i = new_issue(svc, "fix_ready")
        st, _, r = svc.request("POST", P + "/releases", {"date": "2026-12-15T12:00:00Z",
                                                         "issues": [i["id"]], "reason": "x"},
                               role="manager")
        check(st == 201 and r["distributors_notified_at"] is None, "oos, no notice yet", st, r)
        st, _, r = svc.request("PATCH", P + "/releases/oos-1",
                               {"status": "cancelled", "reason": "merged"}, role="manager")
        check(st == 200 and r["status"] == "cancelled", "cancelled", st, r)
        check([x["channel"] for x in deliveries(svc, "release.cancelled")
               if x["channel"] == "distros"] == [], "distributors knew nothing")
    finally:
        svc.stop()


def versions_of(svc, rid):
    st, _, r = svc.request("GET", f"{P}/releases/{rid}", role="reader")
    check(st == 200, "release", rid, st, r)
    return {v["branch"]: v["version"] for v in r["versions"]}


def feed_event(svc, rid):
    st, _, feed = svc.request("GET", "/feeds/mautic.ics", raw=True)
    text = feed.decode().replace("\r\n ", "")
    uid = f"UID:release-{rid}.mautic@"
    check(uid in text, "event in the feed", rid)
    return text[text.index(uid):].split("END:VEVENT")[0]


def test_versions_successive_and_frozen():
    svc = service()
    try:
        new_issue(svc, "fix_ready", title="in the window")
        b = new_issue(svc, "fix_ready", title="out of sequence")
        # b leaves the window for an out-of-sequence release before it.
        st, _, r = svc.request("POST", P + "/releases", {"date": "2026-12-15T12:00:00Z",
                                                         "issues": [b["id"]], "reason": "x"},
                               role="manager")
        check(st == 201, "oos", st, r)
        check(versions_of(svc, "oos-1") == {"5.x": "5.1.3"}, "first 5.x release",
              versions_of(svc, "oos-1"))
        check(versions_of(svc, "2027-02-09") == {"5.x": "5.1.4"}, "the next one counts on",
              versions_of(svc, "2027-02-09"))
        # A release with nothing on a branch ships nothing there.
        check(versions_of(svc, "2027-05-11") == {}, "no fixes, no versions")
        st, _, r = svc.request("POST", P + "/releases/oos-1/publish", {"reason": "leaked"},
                               role="manager")
        check(st == 200 and r["versions"] == [{"branch": "5.x", "version": "5.1.3"}],
              "published", st, r)
        check("5.x 5.1.3" in feed_event(svc, "oos-1"), "feed shows it", feed_event(svc, "oos-1"))
        # The operator records the published version in the config and reloads.
        svc.config["projects"][0]["branches"][0]["version"] = "5.1.3"
        with open(svc.config_path, "w") as f:
            json.dump(svc.config, f)
        svc.proc.send_signal(signal.SIGHUP)
        check(wait_for(lambda: svc.request("GET", P)[2]["branches"][0]["version"] == "5.1.3",
                       10), "reloaded")
        check(versions_of(svc, "oos-1") == {"5.x": "5.1.3"}, "published history unchanged",
              versions_of(svc, "oos-1"))
        ev = feed_event(svc, "oos-1")
        check("5.x 5.1.3" in ev and "5.1.4" not in ev, "feed unchanged", ev)
        check(versions_of(svc, "2027-02-09") == {"5.x": "5.1.4"}, "the next still 5.1.4",
              versions_of(svc, "2027-02-09"))
        svc.stop()
        svc.start()
        check(versions_of(svc, "oos-1") == {"5.x": "5.1.3"}, "after a restart",
              versions_of(svc, "oos-1"))
        st, _, rels = svc.request("GET", P + "/releases?from=2026-12-01T00:00:00Z")
        check([x["versions"] for x in rels if x["id"] == "oos-1"] ==
              [[{"branch": "5.x", "version": "5.1.3"}]], "public list too", rels)
    finally:
        svc.stop()


def test_versions_skip_eol_branches():
    svc = service()
    try:
        new_issue(svc, "fix_ready", branches=("5.x", "4.x"))
        # 4.x reaches its end of life on 2027-06-30: the February window ships both, a move
        # past the EOL ships 5.x only.
        check(versions_of(svc, "2027-02-09") == {"5.x": "5.1.3", "4.x": "4.4.13"}, "both",
              versions_of(svc, "2027-02-09"))
        st, _, r = svc.request("PATCH", P + "/releases/2027-02-09",
                               {"date": "2027-07-06T12:00:00Z"}, role="manager")
        check(st == 200, "moved", st, r)
        check(versions_of(svc, "2027-02-09") == {"5.x": "5.1.3"}, "4.x is past its EOL",
              versions_of(svc, "2027-02-09"))
    finally:
        svc.stop()


if __name__ == "__main__":
    main([test_move_to_the_same_date_is_a_no_op, test_release_dates_have_bounds,
          test_release_date_bound_is_configurable, test_publish_with_unfixed_issues,
          test_publish_with_only_fixes_needs_no_override, test_cancel_after_the_distributor_notice,
          test_cancel_before_the_notice_needs_no_override, test_versions_successive_and_frozen,
          test_versions_skip_eol_branches])
