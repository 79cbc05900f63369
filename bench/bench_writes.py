"""Write cost (issue 16): issue creation and issue state change through the HTTP API of a
running daemon, in a project with 100, 1,000 and 10,000 open issues (WRITES_OPEN), and in a
10,000-issue project whose issues are mostly released (30 open, 200 published releases: the
scale layout). Each figure is the wall time of one request on a kept-alive connection, from
send to the last byte of the answer (the operation, its transaction, the tick after it and the
answer), in ms per write: p50 and p99 of WRITES_N writes after one warm-up write. Rows are
written straight into the schema relcal created, as bench_scale.py does. Run with
/usr/bin/python3 (bench_writes.sh does)."""
import http.client
import json
import os
import sqlite3
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "system"))
from relcal_testlib import TOKENS, Service, sha256_hex  # noqa: E402

OPEN = [int(x) for x in os.environ.get("WRITES_OPEN", "100,1000,10000").split(",")]
N = int(os.environ.get("WRITES_N", "200"))
NOW = 1795521600  # 2026-11-24T12:00:00Z
VECTOR = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"


def config(export_dir=None):
    cfg = {
        "public_url": "https://security.example.org",
        "tokens": [{"name": r, "role": r, "sha256": sha256_hex(t)} for r, t in TOKENS.items()],
        "projects": [{"id": "p0", "name": "Project 0", "timezone": "Europe/Berlin",
                      "branches": [{"name": "2.x", "version": "2.0.0"}],
                      "channels": [{"name": "team", "type": "log", "audience": "team",
                                    "path": "/dev/null"}]}],
    }
    if export_dir:
        cfg["export_dir"] = export_dir
    return cfg


def fill(db, open_issues, released=0, releases=0):
    """open_issues acknowledged issues reported over the past 90 days, and `released` issues
    shipped with `releases` published out-of-sequence releases over the past years."""
    con = sqlite3.connect(db)
    cur = con.cursor()
    for r in range(releases):
        start = NOW - (releases - r) * 86400 * 5
        cur.execute("INSERT INTO releases (project, id, kind, status, starts_at, ends_at, "
                    "announced_at, distributors_notified_at, released_at, sequence, moved, "
                    "reason, done, updated_at) VALUES ('p0', ?, 'out_of_sequence', 'released', "
                    "?, ?, ?, ?, ?, 2, 1, 'bench', 63, ?)",
                    (f"oos-{r + 1}", start, start + 3600, start - 14 * 86400, start - 7 * 86400,
                     start, start))
    for i in range(released):
        rel = i * releases // released
        reported = NOW - (released - i) * (releases * 5 * 86400) // released
        cur.execute("INSERT INTO issues (project, title, description, status, severity, "
                    "release_id, release_pinned, reported_at, acknowledged_at, responded_at, "
                    "fix_ready_at, released_at, created_at, updated_at) VALUES ('p0', ?, ?, "
                    "'released', ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)",
                    (f"Issue {i}", "x" * 200, VECTOR, f"oos-{rel + 1}", reported,
                     reported + 3600, reported + 7200, reported + 86400, reported + 2 * 86400,
                     reported, reported))
        cur.execute("INSERT INTO issue_branches (issue_id, position, branch) VALUES "
                    "(?, 0, '2.x')", (cur.lastrowid,))
    for i in range(open_issues):
        reported = NOW - 90 * 86400 + i * (90 * 86400) // max(open_issues, 1)
        cur.execute("INSERT INTO issues (project, title, description, status, severity, "
                    "release_pinned, reported_at, acknowledged_at, created_at, updated_at) "
                    "VALUES ('p0', ?, ?, 'acknowledged', ?, 0, ?, ?, ?, ?)",
                    (f"Open issue {i}", "x" * 200, VECTOR, reported, reported + 3600, reported,
                     reported))
        cur.execute("INSERT INTO issue_branches (issue_id, position, branch) VALUES "
                    "(?, 0, '2.x')", (cur.lastrowid,))
    ids = [r[0] for r in cur.execute(
        "SELECT id FROM issues WHERE project = 'p0' AND status = 'acknowledged' ORDER BY id")]
    con.commit()
    con.close()
    return ids


class Client:
    """One kept-alive connection."""

    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.h = {"Authorization": f"Bearer {TOKENS['manager']}",
                  "Content-Type": "application/json"}

    def write(self, method, path, body):
        data = json.dumps(body).encode()
        t0 = time.perf_counter()
        self.conn.request(method, path, body=data, headers=self.h)
        resp = self.conn.getresponse()
        payload = resp.read()
        dt = time.perf_counter() - t0
        if resp.status not in (200, 201):
            raise RuntimeError(f"{method} {path}: {resp.status} {payload[:200]!r}")
        return dt, json.loads(payload)


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def drained(db, timeout=300):
    """Waits until the delivery engine has sent the reminders the first tick queued (the SLA
    reminders of the open issues), so writes are measured without deliveries beside them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        con = sqlite3.connect(db, timeout=10)
        left = con.execute("SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'inflight')"
                           ).fetchone()[0]
        con.close()
        if left == 0:
            return
        time.sleep(0.2)
    raise RuntimeError(f"{left} deliveries still pending")


def measure(label, open_issues, released=0, releases=0, export=False):
    svc = Service(config=config(), now="2026-11-24T12:00:00Z")
    if export:  # the static export every write keeps current (docs/CONTRACT.md "Static export")
        os.makedirs(os.path.join(svc.dir, "export"))
        svc.config = config(os.path.join(svc.dir, "export"))
    svc.start()
    svc.stop()
    fill(svc.db, open_issues, released, releases)
    svc.start(timeout=600)  # with export_dir, the first start writes every document
    try:
        c = Client(svc.port)
        base = "/api/v1/projects/p0/issues"
        body = {"title": "bench", "severity": VECTOR, "branches": ["2.x"]}
        c.write("POST", base, body)  # warm-up: the first tick after start-up
        drained(svc.db)
        os.sync()  # the start's export writes are on disk, not competing with the commits
        creates = [c.write("POST", base, body)[0] for _ in range(N)]
        created = [c.write("POST", base, body)[1]["id"] for _ in range(N)]
        # reported -> acknowledged on issues of the same kind (the open ones are as many)
        changes = [c.write("PATCH", f"{base}/{iid}", {"status": "acknowledged"})[0]
                   for iid in created]
        c.conn.close()
    finally:
        svc.stop()
    row = [label]
    for xs in (creates, changes):
        row.append(f"{statistics.median(xs) * 1000:.2f} / {pct(xs, 99) * 1000:.2f}")
    print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    print(f"Writes through the HTTP API, one kept-alive connection, {N} of each after a "
          f"warm-up; ms per write, p50 / p99\n")
    print("| project | issue creation (ms) | state change (ms) |")
    print("|---|---|---|")
    for n in OPEN:
        measure(f"{n:,} open issues", n)
    measure("10,000 issues (30 open, 200 releases)", 30, 9970, 200)
    measure("same, with `export_dir`", 30, 9970, 200, export=True)
