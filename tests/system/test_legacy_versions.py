"""Releases published before schema v7 have no versions stored. The first tick freezes them as
they were numbered until then, so they never change again (docs/POLICY.md "Versions"), and later
ticks need not read those releases' issues (docs/PERFORMANCE.md "Start-up"). Expected versions
are worked out by hand from the config's branches (5.x at 5.1.2, 4.x at 4.4.12): releases in date
order each take the next number on the branches their issues affect."""
import json
import sqlite3

from relcal_testlib import Service, base_config, check, main

NOW = "2026-11-24T12:00:00Z"
NOW_UNIX = 1795521600  # 2026-11-24T12:00:00Z
DAY = 86400

# id, status, start (days from now), branches of its issues
RELEASES = [("r1", "released", -90, ["5.x"]),
            ("r2", "released", -60, ["5.x", "4.x"]),
            ("r3", "released", -30, ["4.x"]),
            ("r4", "planned", 20, ["5.x"])]
EXPECTED = {"r1": [("5.x", "5.1.3")],
            "r2": [("5.x", "5.1.4"), ("4.x", "4.4.13")],
            "r3": [("4.x", "4.4.14")],
            "r4": [("5.x", "5.1.5")]}


def fill(db):
    con = sqlite3.connect(db)
    for rid, status, days, branches in RELEASES:
        start = NOW_UNIX + days * DAY
        released = status == "released"
        con.execute("INSERT INTO releases (project, id, kind, status, starts_at, ends_at, "
                    "announced_at, distributors_notified_at, released_at, sequence, moved, "
                    "reason, done, updated_at) VALUES ('mautic', ?, 'out_of_sequence', ?, ?, ?, "
                    "?, ?, ?, 0, 0, 'legacy', ?, ?)",
                    (rid, status, start, start + 3600, start - 14 * DAY if released else None,
                     start - 7 * DAY if released else None, start if released else None,
                     63 if released else 0, start - 30 * DAY))
        for b in branches:
            cur = con.execute(
                "INSERT INTO issues (project, title, status, severity, release_id, "
                "release_pinned, reported_at, acknowledged_at, responded_at, fix_ready_at, "
                "released_at, created_at, updated_at) VALUES ('mautic', ?, ?, NULL, ?, 1, ?, ?, "
                "?, ?, ?, ?, ?)",
                (f"issue of {rid} on {b}", "released" if released else "fix_ready", rid,
                 start - 40 * DAY, start - 40 * DAY, start - 39 * DAY, start - 20 * DAY,
                 start if released else None, start - 40 * DAY, start - 20 * DAY))
            con.execute("INSERT INTO issue_branches (issue_id, position, branch) VALUES (?, 0, ?)",
                        (cur.lastrowid, b))
    con.commit()
    con.close()


def stored_versions(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {rid: json.loads(v) if v else None
                for rid, v in con.execute("SELECT id, versions FROM releases")}
    finally:
        con.close()


def api_versions(svc):
    out = {}
    for rid in EXPECTED:
        st, _, body = svc.request("GET", f"/api/v1/projects/mautic/releases/{rid}",
                                  role="reader")
        check(st == 200, "release read", rid, st, body)
        out[rid] = [(v["branch"], v["version"]) for v in body.get("versions", [])]
    return out


def test_legacy_versions_frozen_once():
    svc = Service(base_config(), now=NOW).start()
    check(svc.stop() == 0, "stopped")
    fill(svc.db)
    check(all(v is None for v in stored_versions(svc.db).values()), "nothing frozen yet")

    svc.start()
    check(api_versions(svc) == EXPECTED, "numbered in date order", api_versions(svc))
    stored = stored_versions(svc.db)
    for rid in ("r1", "r2", "r3"):
        got = [(v["branch"], v["version"]) for v in stored[rid] or []]
        check(got == EXPECTED[rid], "published release frozen as numbered", rid, stored[rid])
    check(stored["r4"] is None, "an unpublished release is not frozen", stored["r4"])
    check(svc.logs().count("release versions frozen") == 1, "the freeze is logged",
          svc.logs())
    check(svc.stop() == 0, "stopped")

    # The config's versions go down (a mistake, or a branch re-based): the published releases
    # keep what they shipped, and the next one counts on from the highest frozen version.
    cfg = base_config()
    cfg["projects"][0]["branches"][0]["version"] = "5.0.0"
    cfg["projects"][0]["branches"][1]["version"] = "4.4.0"
    svc.config = cfg
    svc.start()
    check(api_versions(svc) == EXPECTED, "frozen versions stay", api_versions(svc))
    check(svc.logs().count("release versions frozen") == 1, "frozen once only", svc.logs())
    check(svc.stop() == 0, "stopped")


if __name__ == "__main__":
    main([test_legacy_versions_frozen_once])
