"""Previews of every write route (issue 20, docs/CONTRACT.md "Preview"): `?dry_run=1` answers
what the real call answers, plus the messages it would send and what would change for whom,
and writes nothing (database, feeds, export, pages, API, all byte for byte).

Each write is previewed and then made for real: the preview's answer (status, resource or
error with its details) must equal the real one, and its `would_send` the outbox rows the real
call wrote. Instants from docs/POLICY.md: the clock starts at 2026-11-24T12:00:00Z; an
out-of-sequence release needs 14 days' notice (earliest 2026-12-08T12:00:00Z), dates must lie
within 5 years; the distributor notice is 7 days before a release, so an out-of-sequence release
2 days ahead is noticed by the tick right after its creation.
"""
import http.server
import json
import os
import sqlite3
import threading
import time
from datetime import datetime, timedelta, timezone

from relcal_testlib import (TOKENS, Service, base_config, check, log_channels, main,
                            new_issue, run, sha256_hex, wait_for)

NOW = "2026-11-24T12:00:00Z"
P = "/api/v1/projects/mautic"
A = "/api/v1/projects/acme"
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
FEED_TOKEN = "distributor-feed-token"
PREVIEW_KEYS = ("dry_run", "would_send", "would_change")
NOTHING = {"releases": [], "issues": []}


class Refuser(http.server.BaseHTTPRequestHandler):
    """A webhook receiver that refuses every message with 400: the row is dead at once."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(400)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


_refuser = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Refuser)
threading.Thread(target=_refuser.serve_forever, daemon=True).start()


def refusing_hook(name, audience, **extra):
    return dict({"name": name, "type": "webhook", "audience": audience,
                 "url": f"http://127.0.0.1:{_refuser.server_address[1]}/x",
                 "secret": SECRET, "allow_insecure": True}, **extra)


def config(export_dir=None):
    """mautic with log channels; acme with one public webhook channel that refuses everything
    and no team channel (so no reports). With export_dir: also the static export, and a
    distributor webhook of mautic (refusing too) whose feed token opens the distributor feed."""
    cfg = log_channels(base_config())
    cfg["projects"].append({
        "id": "acme", "name": "Acme",
        "channels": [refusing_hook("hook", "public")]})
    if export_dir:
        cfg["export_dir"] = export_dir
        cfg["projects"][0]["channels"].append(
            refusing_hook("debian", "distributors", feed_token_sha256=sha256_hex(FEED_TOKEN)))
    return cfg


def after(days):
    t = datetime(2026, 11, 24, 12, tzinfo=timezone.utc) + timedelta(days=days)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def instant(s):
    try:
        return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError):
        return None


def same(a, b, path="$"):
    """Equal, except that two instants may differ by the seconds between the calls."""
    if isinstance(a, dict) and isinstance(b, dict):
        check(a.keys() == b.keys(), "same keys at " + path, sorted(a), sorted(b))
        for k in a:
            same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list) and isinstance(b, list):
        check(len(a) == len(b), "same length at " + path, a, b)
        for k, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{path}[{k}]")
    elif a != b:
        ta, tb = instant(a), instant(b)
        check(ta and tb and abs((ta - tb).total_seconds()) <= 5, "same value at " + path, a, b)


def outbox_ids(svc, base):
    st, _, rows = svc.request("GET", base + "/deliveries", role="reader")
    check(st == 200, "deliveries", st, rows)
    return {r["id"]: r for r in rows}


def preview_then_real(svc, method, path, body=None, role="manager", base=P, status=None):
    """Previews the write, makes it, and checks the preview against it; returns both answers."""
    sep = "&" if "?" in path else "?"
    before = outbox_ids(svc, base)
    dst, _, dry = svc.request(method, path + sep + "dry_run=1", body, role=role)
    check(isinstance(dry, dict) and dry.get("dry_run") is True, "a preview says so", path, dry)
    check(outbox_ids(svc, base).keys() == before.keys(), "the preview enqueued nothing", path)
    rst, _, real = svc.request(method, path, body, role=role)
    check(dst == rst, "same status as the real call", path, dst, rst, dry, real)
    if status is not None:
        check(rst == status, "the expected status", path, status, rst, real)
    same({k: v for k, v in dry.items() if k not in PREVIEW_KEYS}, real)
    # New rows, and dead rows the call re-queued (the admin retry).
    new = [r for i, r in outbox_ids(svc, base).items() if i not in before or
           (before[i]["state"] == "dead" and (r["state"], r["attempts"]) != ("dead", before[i]["attempts"]))]
    sent = sorted((r["message_type"], r["channel"]) for r in new)
    check(sorted((m["type"], m["channel"]) for m in dry["would_send"]) == sent,
          "would_send is what the real call enqueued", path, dry["would_send"], sent)
    if rst >= 400:
        check(dry["would_send"] == [] and dry["would_change"] == NOTHING,
              "a refusal sends and changes nothing", path, dry)
    return dry, real


def test_every_write_route_previews_the_real_call():
    svc = Service(config=config(), now=NOW).start()
    try:
        a = new_issue(svc, "fix_ready", title="A")  # batched into 2027-02-09
        b = new_issue(svc, "confirmed", title="B")
        # POST issues: refused, then made.
        dry, _ = preview_then_real(svc, "POST", P + "/issues",
                                   {"title": "C", "reported_at": "2030-01-01T00:00:00Z"},
                                   status=422)
        check(dry["error"]["details"]["field"] == "reported_at", "names the field", dry)
        dry, real = preview_then_real(svc, "POST", P + "/issues",
                                      {"title": "C", "severity": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/"
                                       "S:U/C:L/I:N/A:N", "branches": ["5.x"]}, status=201)
        c = real["id"]
        check(dry["id"] == c == b["id"] + 1, "the same id: the preview took none", dry, real)
        check(dry["would_change"] == {"releases": [], "issues": [{"id": c, "audiences": ["team"]}]},
              "a new issue is the team's", dry)
        # PATCH issues/{id}: refused transition, then made.
        dry, _ = preview_then_real(svc, "PATCH", f"{P}/issues/{c}", {"status": "released"},
                                   status=409)
        check(dry["error"]["code"] == "invalid_transition", "409", dry)
        preview_then_real(svc, "PATCH", f"{P}/issues/{c}", {"status": "acknowledged"}, status=200)
        # POST releases: too soon, too far, then an admin's override 2 days ahead.
        dry, _ = preview_then_real(svc, "POST", P + "/releases",
                                   {"date": after(3), "issues": [b["id"]], "reason": "x"},
                                   status=422)
        check(dry["error"]["code"] == "insufficient_notice" and
              dry["error"]["details"]["earliest_allowed"] == "2026-12-08T12:00:00Z",
              "insufficient notice with the earliest date", dry)
        dry, _ = preview_then_real(svc, "POST", P + "/releases",
                                   {"date": "2040-01-01T00:00:00Z", "issues": [b["id"]],
                                    "reason": "x"}, status=422)
        check(dry["error"]["details"].get("latest_allowed", "").startswith("2031-11-24T12:0"),
              "too far, with the latest date", dry)
        dry, real = preview_then_real(svc, "POST", P + "/releases",
                                      {"date": after(2), "issues": [a["id"]], "reason": "x",
                                       "override_reason": "exploited"}, role="admin", status=201)
        check(dry["id"] == real["id"] == "oos-1", "the same id", dry, real)
        types = {(m["type"], m["audience"]) for m in dry["would_send"]}
        check({("release.announced", "public"), ("release.announced", "team"),
               ("release.distributor_notice", "distributors")} <= types,
              "announced, and noticed by the tick right after", dry["would_send"])
        check(dry["distributors_notified_at"] is not None, "the answer is after the tick", dry)
        check(dry["would_change"] == {
            "releases": [{"id": "oos-1", "audiences": ["public", "distributors", "team"]},
                         {"id": "2027-02-09", "audiences": ["team"]}],
            "issues": [{"id": a["id"], "audiences": ["distributors", "team"]}]},
            "who sees what change", dry["would_change"])
        # PATCH releases/{rid}: a date in the past, a no-op, a move, then a cancellation.
        dry, _ = preview_then_real(svc, "PATCH", P + "/releases/oos-1",
                                   {"date": "2026-11-01T12:00:00Z"}, status=422)
        check(dry["error"]["details"].get("earliest_allowed", "").startswith("2026-11-24T12:0"),
              "the earliest allowed date", dry)
        dry, _ = preview_then_real(svc, "PATCH", P + "/releases/oos-1", {"date": after(2)},
                                   status=200)
        check(dry["would_send"] == [] and dry["would_change"] == NOTHING, "a no-op", dry)
        dry, _ = preview_then_real(svc, "PATCH", P + "/releases/oos-1", {"date": after(3)},
                                   role="admin", status=200)
        check(any(m["type"] == "release.rescheduled" for m in dry["would_send"]), "rescheduled",
              dry)
        preview_then_real(svc, "POST", P + "/releases",
                          {"date": after(20), "issues": [b["id"]], "reason": "y"},
                          role="admin", status=201)
        # POST publish: unfixed issues, no reason before the date, then published.
        dry, _ = preview_then_real(svc, "POST", P + "/releases/oos-2/publish",
                                   {"reason": "early"}, status=409)
        check(dry["error"]["code"] == "unfixed_issues" and
              dry["error"]["details"]["issues"] == [b["id"]], "lists the unfixed issue", dry)
        preview_then_real(svc, "PATCH", P + "/releases/oos-2",
                          {"status": "cancelled", "reason": "not needed"}, status=200)
        dry, _ = preview_then_real(svc, "POST", P + "/releases/oos-1/publish", None, status=422)
        check(dry["error"]["details"]["field"] == "reason", "reason needed", dry)
        dry, published = preview_then_real(svc, "POST", P + "/releases/oos-1/publish",
                                           {"reason": "embargo broke"}, status=200)
        check(dry["status"] == "released" and "advisories" in dry, "published", dry)
        check({"public", "distributors", "team"} <=
              {m["audience"] for m in dry["would_send"] if m["type"] == "release.published"},
              "published to everyone", dry["would_send"])
        # The checklist: an unknown task, a decision on a task, then done.
        preview_then_real(svc, "PATCH", f"{P}/issues/{a['id']}/checklist/nope",
                          {"state": "done"}, status=404)
        preview_then_real(svc, "PATCH", f"{P}/issues/{a['id']}/checklist/test_fix",
                          {"decision": "notify"}, status=422)
        dry, _ = preview_then_real(svc, "PATCH", f"{P}/issues/{a['id']}/checklist/test_fix",
                                   {"state": "done", "note": "ok"}, status=200)
        check(dry["would_change"]["issues"] == [{"id": a["id"], "audiences": ["team"]}],
              "the team's view of the issue", dry)
        # The assessment record: a bad value, then set.
        preview_then_real(svc, "PATCH", f"{P}/issues/{a['id']}/assessment",
                          {"attack_complexity": "bogus"}, status=422)
        preview_then_real(svc, "PATCH", f"{P}/issues/{a['id']}/assessment",
                          {"root_cause": "a missing check"}, status=200)
        # Adoption: not published, then recorded.
        dry, _ = preview_then_real(svc, "POST", f"{P}/issues/{c}/adoption", {"share": 0.5},
                                   status=409)
        check(dry["error"]["code"] == "not_published", "409 not_published", dry)
        preview_then_real(svc, "POST", f"{P}/issues/{a['id']}/adoption",
                          {"share": 0.5, "at": published["released_at"]}, status=201)
        # The admin retry of a dead delivery (acme's receiver refuses everything).
        i = new_issue(svc, "fix_ready", branches=(), project="acme")
        st, _, r = svc.request("POST", A + "/releases", {"date": after(2), "issues": [i["id"]],
                                                         "reason": "x", "override_reason": "y"},
                               role="admin")
        check(st == 201, "acme release", st, r)
        dead = wait_for(lambda: [x for x in outbox_ids(svc, A).values()
                                 if x["state"] == "dead"], 10)
        check(dead, "a dead row", outbox_ids(svc, A))
        preview_then_real(svc, "POST", A + "/deliveries/01NOSUCHROW/retry", None, role="admin",
                          base=A, status=404)
        dry, _ = preview_then_real(svc, "POST", f"{A}/deliveries/{dead[0]['id']}/retry", None,
                                   role="admin", base=A, status=200)
        check([(m["type"], m["channel"]) for m in dry["would_send"]] ==
              [(dead[0]["message_type"], "hook")], "the row re-queued", dry)
    finally:
        svc.stop()


def test_roles_are_checked_as_for_the_real_call():
    svc = Service(config=config(), now=NOW).start()
    try:
        i = new_issue(svc, "fix_ready")
        cases = [("POST", P + "/issues", {"title": "x"}, "reader"),
                 ("PATCH", f"{P}/issues/{i['id']}", {"title": "y"}, "reader"),
                 ("POST", P + "/releases", {"date": after(20), "issues": [i["id"]],
                                            "reason": "x"}, "reader"),
                 ("POST", P + "/releases", {"date": after(2), "issues": [i["id"]], "reason": "x",
                                            "override_reason": "y"}, "manager"),
                 ("POST", P + "/releases/2027-02-09/publish", {"reason": "x"}, "reader"),
                 ("POST", P + "/deliveries/x/retry", None, "manager"),
                 ("POST", P + "/issues", {"title": "x"}, None)]
        for method, path, body, role in cases:
            dst, _, dry = svc.request(method, path + "?dry_run=1", body, role=role, raw=True)
            rst, _, real = svc.request(method, path, body, role=role, raw=True)
            check(dst == rst and dst in (401, 403), "refused the same", path, role, dst, rst)
            if b"dry_run" in dry:  # refused by the operation (an override): the same error
                same(json.loads(dry)["error"],
                     json.loads(real)["error"])
            else:  # refused by the route's role: byte for byte
                check(dry == real, "the same bytes", path, role, dry, real)
        st, _, rows = svc.request("GET", P + "/audit", role="reader")
        check(not any(r["action"] == "release.create" for r in rows), "nothing made", rows)
    finally:
        svc.stop()


def test_the_parameter_is_checked():
    svc = Service(config=config(), now=NOW).start()
    try:
        for value in ("0", "yes", "", "2", "TRUE"):
            st, _, err = svc.request("POST", P + "/issues?dry_run=" + value, {"title": "x"},
                                     role="manager")
            check(st == 422 and err["error"]["details"].get("field") == "dry_run",
                  "any other value names the parameter", value, st, err)
        st, _, ok = svc.request("POST", P + "/issues?dry_run=true", {"title": "x"},
                                role="manager")
        check(st == 201 and ok["dry_run"] is True, "true is a preview too", st, ok)
        st, _, err = svc.request("POST", P + "/issues?dry_run=1", b"{", role="manager")
        check(st == 400 and err["error"]["code"] == "invalid_json" and err["dry_run"] is True,
              "a bad body is the real call's error, as a preview", st, err)
        st, _, rows = svc.request("GET", P + "/issues", role="reader")
        check(rows == [], "no issue was made", rows)
    finally:
        svc.stop()


def test_a_preview_while_another_process_writes():
    svc = Service(config=config(), now=NOW).start()
    try:
        held, done = threading.Event(), threading.Event()

        def hold():
            con = sqlite3.connect(svc.db, isolation_level=None, timeout=30)
            con.execute("BEGIN IMMEDIATE")
            held.set()
            done.wait(10)
            con.execute("COMMIT")
            con.close()
        t = threading.Thread(target=hold)
        t.start()
        check(held.wait(10), "the other process holds the lock")
        try:
            st, h, err = svc.request("POST", P + "/issues?dry_run=1", {"title": "x"},
                                     role="manager")
        finally:
            done.set()
            t.join()
        check(st == 503 and h.get("retry-after") == "1" and err["error"]["code"] == "busy" and
              err["dry_run"] is True, "busy, as the real call would be", st, h, err)
        st, _, ok = svc.request("POST", P + "/issues?dry_run=1", {"title": "x"}, role="manager")
        check(st == 201 and ok["dry_run"] is True, "a preview once the lock is gone", st, ok)
    finally:
        svc.stop()


def snapshot(svc, ids, releases):
    """Every feed, page and API answer (status, ETag, Last-Modified, bytes), gzip too."""
    paths = [("/", None), ("/p/mautic", None), ("/feeds/mautic.ics", None),
             ("/feeds/all.ics", None), ("/feeds/acme.ics", None),
             ("/feeds/mautic/team.ics", "reader"),
             ("/feeds/mautic/distributors.ics?token=" + FEED_TOKEN, None),
             ("/api/v1/projects", None), (P, None), (P + "/releases/next", None),
             (P + "/releases/next", "reader"),
             (P + "/releases?from=2025-01-01T00:00:00Z", None),
             (P + "/releases?from=2025-01-01T00:00:00Z", "reader"),
             (P + "/issues", "reader"), (P + "/deliveries", "reader"), (P + "/audit", "reader"),
             (A + "/deliveries", "reader"), (A + "/audit", "reader")]
    for rid in releases:
        paths += [(f"{P}/releases/{rid}", None), (f"{P}/releases/{rid}", "reader")]
    for i in ids:
        for tail in ("", "/checklist", "/assessment", "/adoption", "/report.md"):
            paths.append((f"{P}/issues/{i}{tail}", "reader"))
    out = {}
    for path, role in paths:
        for enc in ("identity", "gzip"):
            st, h, body = svc.request("GET", path, role=role, raw=True,
                                      headers={"Accept-Encoding": enc})
            out[(path, role, enc)] = (st, h.get("etag"), h.get("last-modified"), body)
    return out


def metrics_renders(svc):
    """How often feeds, pages and the public release list were built (each is kept until the
    state generation rises)."""
    st, _, body = svc.request("GET", "/metrics", role="reader", raw=True)
    check(st == 200, "metrics", st)
    return [line for line in body.decode().splitlines()
            if line.startswith(("relcal_feed_renders_total",
                                'relcal_list_renders_total{list="releases"}'))]


def db_state(path):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def files(d):
    out = {}
    for root, _, names in os.walk(d):
        for name in sorted(names):
            p = os.path.join(root, name)
            with open(p, "rb") as f:
                out[os.path.relpath(p, d)] = (f.read(), os.stat(p).st_mtime_ns)
    return out


def test_dry_runs_write_nothing():
    t0 = time.monotonic()
    svc = Service(now=NOW)
    export = os.path.join(svc.dir, "export")
    os.mkdir(export)
    svc.config = config(export)
    svc.start()
    a = new_issue(svc, "fix_ready", title="A")
    b = new_issue(svc, "confirmed", title="B")
    st, _, _ = svc.request("POST", P + "/releases", {"date": after(2), "issues": [a["id"]],
                                                     "reason": "x", "override_reason": "y"},
                           role="admin")
    check(st == 201, "oos-1")
    st, _, _ = svc.request("POST", P + "/releases/oos-1/publish", {"reason": "early"},
                           role="manager")
    check(st == 200, "published")
    st, _, _ = svc.request("POST", P + "/releases", {"date": after(20), "issues": [b["id"]],
                                                     "reason": "x"}, role="manager")
    check(st == 201, "oos-2")
    i = new_issue(svc, "fix_ready", branches=(), project="acme")
    svc.request("POST", A + "/releases", {"date": after(2), "issues": [i["id"]], "reason": "x",
                                          "override_reason": "y"}, role="admin")

    def settled():
        rows = list(outbox_ids(svc, P).values()) + list(outbox_ids(svc, A).values())
        return rows and all(r["state"] in ("sent", "dead") for r in rows) and rows
    rows = wait_for(settled, 15)
    check(rows, "every delivery settled")
    dead = [r for r in rows if r["state"] == "dead"][0]
    check(svc.stop() == 0, "stopped")
    with open(svc.db, "rb") as f:
        db_bytes = f.read()
    check(not os.path.exists(svc.db + "-wal") or os.path.getsize(svc.db + "-wal") == 0,
          "checkpointed at stop")
    dump = db_state(svc.db)
    # Again, with the clock where it was (it never goes back), then every kind of preview.
    svc.start(now=after((int(time.monotonic() - t0) + 2) / 86400))
    ids, releases = [a["id"], b["id"]], ["oos-1", "oos-2", "2027-02-09", "2027-05-11"]
    before = snapshot(svc, ids, releases)
    exported = files(export)
    renders = metrics_renders(svc)
    previews = [
        ("POST", P + "/issues", {"title": "new"}, "manager"),
        ("POST", P + "/issues", {"title": "new", "reported_at": "2030-01-01T00:00:00Z"},
         "manager"),
        ("PATCH", f"{P}/issues/{b['id']}", {"status": "fix_ready"}, "manager"),
        ("PATCH", f"{P}/issues/{b['id']}", {"status": "released"}, "manager"),
        ("PATCH", f"{P}/issues/{b['id']}", {"status": "rejected", "override_reason": "z"},
         "admin"),
        ("POST", P + "/releases", {"date": after(2), "issues": [b["id"]], "reason": "x",
                                   "override_reason": "y"}, "admin"),
        ("POST", P + "/releases", {"date": after(3), "issues": [b["id"]], "reason": "x"},
         "manager"),
        ("PATCH", P + "/releases/oos-2", {"date": after(25)}, "manager"),
        ("PATCH", P + "/releases/2027-02-09", {"date": "2027-02-10T13:00:00Z"}, "manager"),
        ("PATCH", P + "/releases/oos-2", {"date": "2026-01-01T00:00:00Z"}, "manager"),
        ("PATCH", P + "/releases/oos-2", {"status": "cancelled", "reason": "r"}, "manager"),
        ("POST", P + "/releases/oos-2/publish", {"reason": "r"}, "manager"),
        ("POST", P + "/releases/oos-2/publish", {"reason": "r", "override_reason": "o"},
         "admin"),
        ("POST", P + "/releases/oos-1/publish", {"reason": "r"}, "manager"),
        ("PATCH", f"{P}/issues/{a['id']}/checklist/test_fix", {"state": "done"}, "manager"),
        ("PATCH", f"{P}/issues/{a['id']}/checklist/nope", {"state": "done"}, "manager"),
        ("PATCH", f"{P}/issues/{a['id']}/assessment", {"root_cause": "x"}, "manager"),
        ("PATCH", f"{P}/issues/{a['id']}/assessment", {"confidence": "bogus"}, "manager"),
        ("POST", f"{P}/issues/{a['id']}/adoption", {"share": 0.25}, "manager"),
        ("POST", f"{P}/issues/{b['id']}/adoption", {"share": 0.25}, "manager"),
        ("POST", f"{A}/deliveries/{dead['id']}/retry", None, "admin"),
        ("POST", f"{A}/deliveries/nope/retry", None, "admin"),
    ]
    statuses = []
    for method, path, body, role in previews:
        st, _, ans = svc.request(method, path + "?dry_run=1", body, role=role)
        check(isinstance(ans, dict) and ans.get("dry_run") is True, "a preview", path, st, ans)
        statuses.append(st)
    check(any(s < 300 for s in statuses) and any(s >= 400 for s in statuses),
          "previews made and refused", statuses)
    time.sleep(1.2)  # a tick or an engine wake-up would have run by now
    after_ = snapshot(svc, ids, releases)
    check(metrics_renders(svc) == renders,
          "every answer came from memory: no state generation was raised", renders,
          metrics_renders(svc))
    for k in before:
        check(before[k] == after_[k], "the same answer, byte for byte", k, before[k][:3],
              after_[k][:3])
    check(files(export) == exported, "the export is untouched")
    check(db_state(svc.db) == dump, "the database holds the same rows (live)")
    check(svc.stop() == 0, "stopped")
    check(db_state(svc.db) == dump, "the same rows after the stop")
    with open(svc.db, "rb") as f:
        check(f.read() == db_bytes, "the database file is the same, byte for byte")
    logs = svc.logs()
    check("scheduler event applied" not in logs.split("listening")[-1],
          "a preview applies no scheduler event", logs[-2000:])


def test_cli_dry_run():
    svc = Service(config=config(), now=NOW).start()
    try:
        i = new_issue(svc, "fix_ready")
        env = {"RELCAL_TOKEN": TOKENS["admin"], "RELCAL_SERVER": f"http://127.0.0.1:{svc.port}"}
        r = run("releases", "create", "-p", "mautic", "--date", after(2), "--issues",
                str(i["id"]), "--reason", "x", "--override-reason", "exploited", "--dry-run",
                env=env)
        check(r.returncode == 0, "exit 0", r.stdout, r.stderr)
        check("release oos-1 (out_of_sequence, announced)" in r.stdout, "the result", r.stdout)
        check("dry run: nothing was changed or sent" in r.stdout, "says it is a dry run",
              r.stdout)
        check("release.announced to news (public) at 2026-11-24T12:00:" in r.stdout and
              "release.distributor_notice to distros (distributors)" in r.stdout,
              "lists what it would send", r.stdout)
        check("release oos-1: public, distributors, team" in r.stdout, "and who sees a change",
              r.stdout)
        r = run("releases", "create", "-p", "mautic", "--date", after(2), "--issues",
                str(i["id"]), "--reason", "x", "--override-reason", "exploited", "--dry-run",
                "--json", env=env)
        ans = json.loads(r.stdout)
        check(r.returncode == 0 and ans["dry_run"] is True and ans["id"] == "oos-1" and
              ans["would_send"], "--json prints the answer", r.stdout)
        r = run("issues", "update", str(i["id"]), "-p", "mautic", "--title", "new", "--dry-run",
                env=env)
        check(r.returncode == 0 and "would send: nothing" in r.stdout and
              f"issue {i['id']}: team" in r.stdout, "an issue update", r.stdout, r.stderr)
        env["RELCAL_TOKEN"] = TOKENS["manager"]
        r = run("releases", "create", "-p", "mautic", "--date", after(3), "--issues",
                str(i["id"]), "--reason", "x", "--dry-run", env=env)
        check(r.returncode == 1 and "insufficient_notice (HTTP 422)" in r.stderr and
              "earliest_allowed: 2026-12-08T12:00:00Z" in r.stderr, "a refusal", r.stderr)
        r = run("releases", "list", "-p", "mautic", "--dry-run", env=env)
        check(r.returncode == 2, "--dry-run is for writes", r.returncode, r.stderr)
        st, _, rel = svc.request("GET", P + "/releases/oos-1", role="reader")
        st2, _, iss = svc.request("GET", f"{P}/issues/{i['id']}", role="reader")
        check(st == 404 and iss["title"] == "issue", "nothing changed", st, iss)
    finally:
        svc.stop()


if __name__ == "__main__":
    main([test_every_write_route_previews_the_real_call, test_roles_are_checked_as_for_the_real_call,
          test_the_parameter_is_checked, test_a_preview_while_another_process_writes,
          test_dry_runs_write_nothing, test_cli_dry_run])
