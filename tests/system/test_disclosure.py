"""Coordinated disclosure (docs/POLICY.md "Coordinated disclosure"): marker strings in every private field of issues in every
state, through the release's life (planned, announced, distributors notified, published), and
no marker on any public surface before publication: public and combined feeds, the page, the
public API, public channel messages and the service's info logs. After publication only the
advisory's public fields (title, CVE, GHSA, public summary, credits, advisory URL) appear, and
only for the released issue; descriptions, notes, assessments, SLA reasons and overrides never
do. Positive controls prove each surface is really read."""
import os

from relcal_testlib import Service, base_config, check, log_channels, main

svc = None
STATES = ["reported", "acknowledged", "investigating", "confirmed", "fix_ready", "rejected"]
PATHS = {"acknowledged": ["acknowledged"], "investigating": ["acknowledged", "investigating"],
         "confirmed": ["acknowledged", "confirmed"],
         "fix_ready": ["acknowledged", "confirmed", "fix_ready"], "rejected": ["rejected"]}
GHSA = "23456789cfghjmpq"
issues = {}  # state -> (id, markers by field)


def markers(n):
    g = GHSA[n] * 4
    return {"title": f"TITLE-MARK-{n}", "description": f"DESC-MARK-{n}",
            "public_summary": f"SUMMARY-MARK-{n}", "cve": f"CVE-2099-1000{n}",
            "ghsa": f"GHSA-{g}-{g}-{g}", "sla_reason": f"SLAREASON-MARK-{n}",
            "note": f"NOTE-MARK-{n}", "assessment": f"ASSESS-MARK-{n}",
            "credits": f"CREDIT-MARK-{n}", "advisory_url": f"https://adv.example/ADVURL-MARK-{n}"}


NEVER_PUBLIC = ("description", "sla_reason", "note", "assessment")


def public_surfaces():
    out = {}
    for path in ("/feeds/mautic.ics", "/feeds/all.ics", "/", "/p/mautic", "/api/v1/projects",
                 "/api/v1/projects/mautic", "/api/v1/projects/mautic/releases",
                 "/api/v1/projects/mautic/releases/next",
                 "/api/v1/projects/mautic/releases/2027-02-09"):
        st, _, body = svc.request("GET", path, raw=True)
        check(st == 200, "public surface answers", path, st)
        out[path] = body.decode(errors="replace")
    path = os.path.join(svc.dir, "public.log")
    out["public channel"] = open(path).read() if os.path.exists(path) else ""
    out["info logs"] = svc.logs()
    return out


def assert_private(stage, allowed=()):
    surfaces = public_surfaces()
    for state, (_, m) in issues.items():
        for field, mark in m.items():
            if field in allowed:
                continue
            for name, text in surfaces.items():
                check(mark not in text, f"{stage}: {field} of a {state} issue on {name}", mark)
    return surfaces


def test_issues_in_every_state():
    for n, state in enumerate(STATES):
        m = markers(n)
        st, _, i = svc.request("POST", "/api/v1/projects/mautic/issues",
                               {"title": m["title"], "description": m["description"],
                                "public_summary": m["public_summary"], "cve": m["cve"],
                                "ghsa": m["ghsa"], "branches": ["5.x"],
                                "credits": [{"name": m["credits"], "role": "FINDER"}],
                                "advisory_url": m["advisory_url"],
                                "severity": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
                               role="manager")
        check(st == 201, "issue", st, i)
        for to in PATHS.get(state, []):
            st, _, b = svc.request("PATCH", f"/api/v1/projects/mautic/issues/{i['id']}",
                                   {"status": to}, role="manager")
            check(st == 200, "transition", to, st, b)
        if state != "rejected":
            st, _, b = svc.request("PATCH", f"/api/v1/projects/mautic/issues/{i['id']}",
                                   {"sla_extension_days": 3, "reason": m["sla_reason"]},
                                   role="manager")
            check(st == 200, "extension", st, b)
        svc.request("PATCH", f"/api/v1/projects/mautic/issues/{i['id']}/checklist/reproduce",
                    {"state": "done", "note": m["note"]}, role="manager")
        svc.request("PATCH", f"/api/v1/projects/mautic/issues/{i['id']}/assessment",
                    {"root_cause": m["assessment"]}, role="manager")
        issues[state] = (i["id"], m)
    st, _, rel = svc.request("GET", "/api/v1/projects/mautic/releases/2027-02-09", role="reader")
    check(issues["fix_ready"][0] in rel["issues"], "the ready fix is batched", rel)
    assert_private("planned")
    # Positive control: the team sees its own detail.
    _, _, team = svc.request("GET", "/feeds/mautic/team.ics?token=reader-token", raw=True)
    check(b"TITLE-MARK-4" in team, "team feed shows the title")


def test_announced_and_notified():
    # 2027-02-03: past the pre-announcement and the distributor notice (a week before);
    # 2027-02-09 13:30: release day, not yet published.
    for now in ("2027-02-03T12:00:00Z", "2027-02-09T13:30:00Z"):
        svc.stop()
        svc.start(now=now)
        st, _, rel = svc.request("GET", "/api/v1/projects/mautic/releases/2027-02-09")
        check(rel["status"] == "announced", "announced", rel)
        surfaces = assert_private(now)
        check("release.announced" in surfaces["public channel"], "public message read")
    distros = open(os.path.join(svc.dir, "distros.log")).read()
    check("TITLE-MARK-4" in distros and "DESC-MARK-4" not in distros,
          "distributors get titles, never descriptions")


def test_published():
    st, _, r = svc.request("POST", "/api/v1/projects/mautic/releases/2027-02-09/publish", {},
                           role="manager")
    check(st == 200, "published", st, r)
    surfaces = assert_private("published", allowed=("title", "cve", "public_summary", "ghsa",
                                                    "credits", "advisory_url"))
    # The released issue's advisory is public now on every public surface.
    m = issues["fix_ready"][1]
    for name in ("/feeds/mautic.ics", "/feeds/all.ics", "/p/mautic",
                 "/api/v1/projects/mautic/releases/2027-02-09", "public channel"):
        unfolded = surfaces[name].replace("\r\n ", "")
        for field in ("title", "cve", "ghsa", "public_summary", "credits", "advisory_url"):
            check(m[field] in unfolded, f"published: {field} on {name}", m[field])
    # Issues that were not in the release stay private in every field.
    for state in ("reported", "acknowledged", "investigating", "confirmed", "rejected"):
        m = issues[state][1]
        for field in ("title", "cve", "public_summary", "ghsa", "credits", "advisory_url"):
            for name, text in surfaces.items():
                check(m[field] not in text, f"unreleased {state} {field} on {name}")


if __name__ == "__main__":
    cfg = log_channels(base_config())
    try:
        svc = Service(config=cfg, now="2026-11-24T12:00:00Z").start()
        main([test_issues_in_every_state, test_announced_and_notified, test_published])
    finally:
        if svc:
            svc.stop()
