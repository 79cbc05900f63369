"""Scale bar (docs/PERFORMANCE.md): a database of 100,000 issues and 2,000 releases over 10 projects.
Measures start-up to the first answered request (the first start, which freezes the versions of
the releases the script writes without them, apart from the later ones), resident memory, and
the team-feed render
after a change (an issue update, then GET team.ics, which renders afresh), median of 15.
Peer in the same run: the sqlite3 module reading the same project's issue and release rows
(the floor any renderer pays to look at the data). Run with /usr/bin/python3
(bench_scale.sh does)."""
import os
import sqlite3
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "system"))
from relcal_testlib import TOKENS, Service, sha256_hex  # noqa: E402

PROJECTS = 10
ISSUES = int(os.environ.get("SCALE_ISSUES", "100000"))
RELEASES = int(os.environ.get("SCALE_RELEASES", "2000"))
NOW = 1795521600  # 2026-11-24T12:00:00Z


def config():
    return {
        "public_url": "https://security.example.org",
        "tokens": [{"name": r, "role": r, "sha256": sha256_hex(t)} for r, t in TOKENS.items()],
        "projects": [{"id": f"p{i}", "name": f"Project {i}", "timezone": "Europe/Berlin",
                      "branches": [{"name": "2.x", "version": "2.0.0"}],
                      "channels": [{"name": "team", "type": "log", "audience": "team",
                                    "path": "/dev/null"}]} for i in range(PROJECTS)],
    }


def fill(db):
    """Bulk rows straight into the schema relcal created: per project RELEASES/10 published
    out-of-sequence releases over the past years and ISSUES/10 issues, most released with them,
    the newest 30 still open, and three reminder audit rows per issue."""
    con = sqlite3.connect(db)
    cur = con.cursor()
    per_rel, per_issue = RELEASES // PROJECTS, ISSUES // PROJECTS
    for p in range(PROJECTS):
        pid = f"p{p}"
        for r in range(per_rel):
            start = NOW - (per_rel - r) * 86400 * 5
            cur.execute("INSERT INTO releases (project, id, kind, status, starts_at, ends_at, "
                        "announced_at, distributors_notified_at, released_at, sequence, moved, "
                        "reason, done, updated_at) VALUES (?, ?, 'out_of_sequence', 'released', "
                        "?, ?, ?, ?, ?, 2, 1, 'bench', 63, ?)",
                        (pid, f"oos-{r + 1}", start, start + 3600, start - 14 * 86400,
                         start - 7 * 86400, start, start))
        for i in range(per_issue):
            rel = i * per_rel // per_issue
            open_issue = i >= per_issue - 30
            # reports spread over the same years as the releases
            reported = NOW - (per_issue - i) * (per_rel * 5 * 86400) // per_issue
            cur.execute("INSERT INTO issues (project, title, description, status, severity, "
                        "release_id, release_pinned, reported_at, acknowledged_at, responded_at, "
                        "fix_ready_at, released_at, created_at, updated_at) VALUES (?, ?, ?, ?, "
                        "?, ?, 1, ?, ?, ?, ?, ?, ?, ?)",
                        (pid, f"Issue {i} of {pid}", "x" * 200,
                         "acknowledged" if open_issue else "released",
                         "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                         None if open_issue else f"oos-{rel + 1}", reported, reported + 3600,
                         reported + 7200, None if open_issue else reported + 86400,
                         None if open_issue else reported + 2 * 86400, reported, reported))
            cur.execute("INSERT INTO issue_branches (issue_id, position, branch) VALUES "
                        "(?, 0, '2.x')", (cur.lastrowid,))
    # The reminders the scheduler recorded over those years: three per issue (an SLA due soon
    # and breached, a checklist task overdue), so a tick's "already reminded?" meets history.
    for action, subject, after in (("issue.sla_due_soon", "resolve", 86400),
                                   ("issue.sla_breached", "respond", 2 * 86400),
                                   ("issue.task_overdue", "publish", 20 * 86400)):
        cur.execute("INSERT INTO audit (project, at, actor, action, subject, late) SELECT project, "
                    "reported_at + ?, 'scheduler', ?, 'issue-' || id || ':' || ?, 0 FROM issues",
                    (after, action, subject))
    con.commit()
    con.close()


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


if __name__ == "__main__":
    svc = Service(config=config(), now="2026-11-24T12:00:00Z")
    svc.start()
    svc.stop()
    t0 = time.monotonic()
    fill(svc.db)
    gen = time.monotonic() - t0
    starts = []
    for _ in range(3):
        t0 = time.monotonic()
        svc.start()
        starts.append(time.monotonic() - t0)
        if len(starts) < 3:
            svc.stop()
    rss_start = rss_kib(svc.proc.pid)
    renders = []
    open_id = ISSUES // PROJECTS - 1  # an open issue of p0
    for k in range(15):
        st, _, _ = svc.request("PATCH", f"/api/v1/projects/p0/issues/{open_id}",
                               {"public_summary": f"summary {k}"}, role="manager")
        assert st == 200, st
        t0 = time.monotonic()
        st, _, body = svc.request("GET", "/feeds/p0/team.ics?token=reader-token", raw=True)
        renders.append(time.monotonic() - t0)
        assert st == 200, st
    rss_after = rss_kib(svc.proc.pid)
    svc.stop()
    peer = []
    for _ in range(15):
        t0 = time.monotonic()
        con = sqlite3.connect(svc.db)
        con.execute("SELECT * FROM issues WHERE project = 'p0'").fetchall()
        con.execute("SELECT * FROM issue_branches WHERE issue_id IN "
                    "(SELECT id FROM issues WHERE project = 'p0')").fetchall()
        con.execute("SELECT * FROM releases WHERE project = 'p0'").fetchall()
        con.close()
        peer.append(time.monotonic() - t0)
    render, floor = statistics.median(renders), statistics.median(peer)
    print(f"Scale: {ISSUES} issues and {RELEASES} releases over {PROJECTS} projects "
          f"(generated in {gen:.1f} s); team feed of p0: {len(body)} bytes\n")
    print("| what | relcal | peer | ratio | bar |")
    print("|---|---|---|---|---|")
    print(f"| team-feed render after a change (median of 15) | {render * 1000:.1f} ms | "
          f"{floor * 1000:.1f} ms (sqlite3 reading p0's rows) | {render / floor:.2f}x | "
          f"< 100 ms |")
    print(f"| start-up to first answered request (best of the 2nd and 3rd start) | "
          f"{min(starts[1:]) * 1000:.0f} ms | | | < 250 ms |")
    print(f"| first start (freezes the versions of the {RELEASES} releases the script wrote "
          f"without them, once) | {starts[0] * 1000:.0f} ms | | | |")
    print(f"| resident memory after start / after the renders | {rss_start / 1024:.1f} / "
          f"{rss_after / 1024:.1f} MiB | | | < 64 MiB |")
