"""The client commands (`relcal issues`, `releases`, `deliveries`, `next --server`) against a
running service over real HTTP, with RELCAL_SERVER and RELCAL_TOKEN as a release manager would
set them.

Expected dates are worked out by hand as in test_api_flow.py: with the default cadence the next
window after 2026-11-24 is 2027-02-09 13:00Z, and an out-of-sequence release needs 14 days'
notice, so on 2026-11-24T12:00Z the earliest allowed date is 2026-12-08T12:00Z.
"""
import json
import os

import re
import signal
import time

from relcal_testlib import TOKENS, Service, base_config, check, main, run, wait_for

NOW = "2026-11-24T12:00:00Z"
CRIT = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
MEDIUM = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"
svc = None


def cli(*args, role="manager", server=True, extra=None):
    env = {"RELCAL_NOW": NOW}
    if server:
        env["RELCAL_SERVER"] = f"http://127.0.0.1:{svc.port}"
    if role:
        env["RELCAL_TOKEN"] = TOKENS[role]
    env.update(extra or {})
    return run(*args, env=env)


def one_line_error(r, *parts):
    lines = r.stderr.strip().split("\n")
    check(r.returncode == 1, "exit 1", r.returncode, r.stdout, r.stderr)
    check(len(lines) == 1, "one line", r.stderr)
    for p in parts:
        check(p in lines[0], "error names " + p, r.stderr)
    check(r.stdout == "", "nothing on stdout", r.stdout)


def test_issue_create_table_and_json():
    r = cli("issues", "create", "--title", "SQL injection in segment filter", "--severity", CRIT,
            "--branches", "5.x", "--description", "PRIVATE-DESC")
    check(r.returncode == 0, "created", r.stderr)
    check(r.stdout.startswith("issue 1: SQL injection in segment filter\n"), "summary", r.stdout)
    check("  status       reported\n" in r.stdout, "status line", r.stdout)
    check("critical " + CRIT + " (9.8)" in r.stdout, "severity line", r.stdout)
    r = cli("issues", "show", "1", "--json", role="reader")
    i = json.loads(r.stdout)
    check(i["id"] == 1 and i["severity"]["level"] == "critical" and i["branches"] == ["5.x"],
          "json", i)


def test_issue_update_and_list():
    for to in ("acknowledged", "confirmed", "fix_ready"):
        r = cli("issues", "update", "1", "--status", to, "--json")
        check(r.returncode == 0 and json.loads(r.stdout)["status"] == to, to, r.stdout, r.stderr)
    r = cli("issues", "create", "--title", "Info leak", "--severity", MEDIUM, "--json")
    check(json.loads(r.stdout)["id"] == 2, "second issue", r.stdout)
    r = cli("issues", "list", role="reader")
    check(r.returncode == 0, "list", r.stderr)
    lines = r.stdout.splitlines()
    check(lines[0].split() == ["ID", "STATUS", "LEVEL", "RELEASE", "TITLE"], "header", lines)
    check(lines[1].split() == ["2", "reported", "medium", "-", "Info", "leak"], "newest first",
          lines)
    check(lines[2].split()[:4] == ["1", "fix_ready", "critical", "2027-02-09"], "row 1", lines)
    check(len(lines) == 3, "two issues", lines)


def test_issue_list_filters():
    r = cli("issues", "list", "--state", "reported", "--json", role="reader")
    check([i["id"] for i in json.loads(r.stdout)] == [2], "state filter", r.stdout, r.stderr)
    r = cli("issues", "list", "--level", "critical", "--json", role="reader")
    check([i["id"] for i in json.loads(r.stdout)] == [1], "level filter", r.stdout, r.stderr)
    r = cli("issues", "list", "--release", "2027-02-09", "--json", role="reader")
    check([i["id"] for i in json.loads(r.stdout)] == [1], "release filter", r.stdout, r.stderr)
    r = cli("issues", "list", "--state", "sleeping", role="reader")
    one_line_error(r, "validation_failed", "state")


def test_issue_errors_one_line():
    r = cli("issues", "update", "2", "--status", "fix_ready")
    one_line_error(r, "relcal issues: invalid_transition (HTTP 409)", "allowed")
    r = cli("issues", "create", "--title", "x", role="reader")
    one_line_error(r, "forbidden (HTTP 403)")
    r = cli("issues", "list", role=None)
    one_line_error(r, "unauthorized (HTTP 401)")
    r = cli("issues", "show", "99", role="reader")
    one_line_error(r, "not_found (HTTP 404)")


def test_release_insufficient_notice():
    r = cli("releases", "create", "--date", "2026-12-01T12:00:00Z", "--issues", "1", "--reason",
            "actively exploited")
    one_line_error(r, "relcal releases: insufficient_notice (HTTP 422)",
                   "earliest_allowed: 2026-12-08T12:0")


def test_release_create_show_list():
    r = cli("releases", "create", "--date", "2026-12-15T12:00:00Z", "--issues", "1", "--reason",
            "actively exploited", "--json")
    check(r.returncode == 0, "created", r.stderr)
    rel = json.loads(r.stdout)
    check(rel["id"] == "oos-1" and rel["status"] == "announced", "oos", rel)
    r = cli("releases", "show", "oos-1", role="reader")
    check(r.stdout.startswith("release oos-1 (out_of_sequence, announced)\n"), "show", r.stdout)
    check("  starts      2026-12-15T12:00:00Z\n" in r.stdout, "starts", r.stdout)
    check("  versions    5.1.3\n" in r.stdout and "  issues      1\n" in r.stdout, "what is in it",
          r.stdout)
    r = cli("releases", "list", "--to", "2027-03-01T00:00:00Z", role="reader")
    lines = r.stdout.splitlines()
    check(lines[0].split()[:2] == ["ID", "KIND"], "header", lines)
    check(lines[1].split() == ["oos-1", "out_of_sequence", "announced", "2026-12-15T12:00:00Z",
                               "1", "critical", "5.1.3"], "oos row", lines)
    check(lines[2].split()[:4] == ["2027-02-09", "scheduled", "planned", "2027-02-09T13:00:00Z"],
          "scheduled row", lines)


def test_release_move_cancel_publish():
    r = cli("releases", "move", "oos-1", "--date", "2026-12-01T12:00:00Z")
    one_line_error(r, "insufficient_notice", "earliest_allowed")
    r = cli("releases", "move", "oos-1", "--date", "2026-12-20T12:00:00Z", "--json")
    check(json.loads(r.stdout)["starts_at"] == "2026-12-20T12:00:00Z", "moved", r.stdout, r.stderr)
    r = cli("releases", "cancel", "2027-02-09", "--reason", "nothing to ship", "--json")
    check(r.returncode == 0 and json.loads(r.stdout)["status"] == "cancelled", "cancelled",
          r.stdout, r.stderr)
    r = cli("releases", "publish", "oos-1")
    one_line_error(r, "relcal releases:", "(HTTP 4")
    r = cli("releases", "publish", "oos-1", "--reason", "fix leaked early", "--json")
    check(r.returncode == 0 and json.loads(r.stdout)["status"] == "released", "published",
          r.stdout, r.stderr)


def test_deliveries():
    r = cli("deliveries", role="reader", extra={})
    check(r.returncode == 0, "deliveries", r.stderr)
    lines = r.stdout.splitlines()
    check(lines[0].split()[:4] == ["ID", "CHANNEL", "TYPE", "STATE"], "header", lines)
    r = cli("deliveries", "--json", role="reader")
    rows = json.loads(r.stdout)
    check(len(rows) == len(lines) - 1 and len(rows) > 0, "one row per delivery", rows, lines)
    check(all(d["channel"] == "team" for d in rows), "the log channel", rows)
    r = cli("deliveries", "--state", "bogus", role="reader")
    one_line_error(r, "bad_request (HTTP 400)", "field: state")


def test_next_from_the_server():
    # No database on this side: the service's public API answers, with the moved release.
    r = cli("next", "-n", "2", "--json", role=None)
    check(r.returncode == 0, "exit", r.stderr)
    rels = json.loads(r.stdout)
    check([x["id"] for x in rels] == ["2027-05-11", "2027-08-10"], "oos-1 released, 2027-02-09 cancelled",
          rels)
    check("issues" not in rels[0], "public view", rels[0])
    r = cli("next", role=None)
    check(r.stdout.split()[:6] == ["mautic", "2027-05-11", "scheduled", "planned",
                                    "2027-05-11T12:00:00Z", "2027-05-11"], "text", r.stdout)
    r = run("next", "--server", f"http://127.0.0.1:{svc.port}", "-p", "nope",
            env={"RELCAL_NOW": NOW})
    check(r.returncode == 2 and "no project 'nope'" in r.stderr, "unknown project", r.stderr)


def test_unreachable_server():
    r = run("issues", "list", "--server", "http://127.0.0.1:1", env={"RELCAL_TOKEN": "x"})
    one_line_error(r, "relcal issues: cannot reach the service at http://127.0.0.1:1")


def test_usage_errors():
    r = cli("releases", "create", "--issues", "1")
    check(r.returncode == 2 and "--date" in r.stderr, "create needs --date", r.stderr)
    r = cli("releases", "create", "--date", NOW, "--issues", "1,x")
    check(r.returncode == 2 and "--issues" in r.stderr, "bad ids", r.stderr)
    r = cli("issues", "frobnicate")
    check(r.returncode == 2, "unknown subcommand", r.stderr)
    r = cli("issues", "show", "1", "--state", "reported")
    check(r.returncode == 2 and "'issues list' only" in r.stderr, "filter on show", r.stderr)
    r = cli("releases", "show", "oos-1", "--date", NOW)
    check(r.returncode == 2 and "show does not take" in r.stderr, "option show ignores", r.stderr)


def test_next_unreadable_database_warns():
    # A non-root operator of a packaged install cannot read the database (0640 relcal:relcal):
    # `next` asks the local service (the config's listen), and says so when it cannot.
    import shutil
    import subprocess
    import tempfile
    from relcal_testlib import RELCAL
    d = tempfile.mkdtemp(prefix="relcal-client-")
    os.chmod(d, 0o755)
    db = os.path.join(d, "locked.db")
    shutil.copy(svc.db, db)
    prefix = []
    if os.geteuid() == 0:
        # root reads every file: run as nobody
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        os.chmod(db, 0o600)
    else:
        os.chmod(db, 0)
    cfg = os.path.join(d, "client.json")

    def next_as_operator(listen, *extra):
        with open(cfg, "w") as f:
            json.dump({**svc.config, "listen": listen, "database": db}, f)
        os.chmod(cfg, 0o644)
        env = {k: v for k, v in os.environ.items() if not k.startswith("RELCAL_")}
        env["RELCAL_NOW"] = NOW
        return subprocess.run(prefix + [RELCAL, "next", "-c", cfg, *extra], capture_output=True,
                              text=True, env=env, cwd=d, timeout=60)

    r = next_as_operator("127.0.0.1:1")
    check(r.returncode == 0, "still answers", r.stderr)
    check("warning: cannot read the database" in r.stderr and "policy alone" in r.stderr,
          "says so", r.stderr)
    check(r.stdout.split()[:2] == ["mautic", "2027-02-09"], "policy-only dates", r.stdout)
    r = next_as_operator(f"127.0.0.1:{svc.port}", "--json")
    check(r.returncode == 0 and "warning" not in r.stderr, "no warning", r.stderr)
    check(json.loads(r.stdout)[0]["id"] == "2027-05-11", "the local service answers: "
          "2027-02-09 was cancelled", r.stdout, r.stderr)
    shutil.rmtree(d)


def test_audit_filters_and_paging():
    base = "/api/v1/projects/mautic/audit"
    st, _, rows = svc.request("GET", base, role="reader")
    check(st == 200 and len(rows) > 4, "audit rows", st, rows)
    ids = [a["id"] for a in rows]
    check(ids == sorted(ids, reverse=True), "newest first", ids)
    subject = rows[-1]["subject"]
    st, _, got = svc.request("GET", base + "?subject=" + subject, role="reader")
    check(got == [a for a in rows if a["subject"] == subject], "subject filter", subject, got)
    action = rows[-1]["action"]
    st, _, got = svc.request("GET", base + "?action=" + action, role="reader")
    check(got and got == [a for a in rows if a["action"] == action], "action filter", action, got)
    st, _, got = svc.request("GET", base + "?since=2031-01-01T00:00:00Z", role="reader")
    check(st == 200 and got == [], "since filter", got)
    # Pages of two, following Link rel="next" until a page is not full.
    pages, path = [], base + "?limit=2"
    while path:
        st, h, page = svc.request("GET", path, role="reader")
        check(st == 200 and len(page) <= 2, "page", path, st, page)
        pages += page
        link = h.get("link")
        check((link is not None) == (len(page) == 2), "Link exactly on a full page", h, page)
        path = re.match(r'<([^>]+)>; rel="next"', link).group(1) if link else None
    check(pages == rows, "the pages are the whole log", pages, rows)
    st, _, err = svc.request("GET", base + "?limit=0", role="reader")
    check(st == 422 and err["error"]["details"]["field"] == "limit", "bad limit", st, err)
    st, _, err = svc.request("GET", base + "?since=yesterday", role="reader")
    check(st == 422 and err["error"]["details"]["field"] == "since", "bad since", st, err)


def test_logs_say_what_the_service_does():
    logs = svc.logs()
    sent = [l for l in logs.splitlines() if 'msg="delivery sent"' in l]
    check(sent, "a line per delivery sent", logs)
    check(all(re.search(r"\bid=\S+ project=mautic channel=team type=[a-z_.]+ attempt=1\b", l)
              for l in sent), "id, channel, type, attempt", sent)
    check(all(t not in logs for t in TOKENS.values()), "no token in the logs")
    # Stopped before the cut-off of 2027-02-09 and started after it: the catch-up applies the
    # missed events late and says so.
    later = Service(now=NOW).start()
    try:
        later.stop()
        later.start(now="2027-02-05T12:00:00Z")
        check(wait_for(lambda: "catch-up done" in later.logs(), 5), "catch-up logged",
              later.logs())
        logs = later.logs()
        check(re.search(r'msg="scheduler event applied late" project=mautic release=2027-02-09 '
                        r'event=\S+ due_at=2027-02-02T13:00:00Z late=true', logs), "late event",
              logs)
        m = re.findall(r'msg="catch-up done" events=(\d+) late=(\d+)', logs)
        check(len(m) == 2 and int(m[1][1]) > 0 and int(m[1][0]) >= int(m[1][1]),
              "catch-up counts", m)
        check(logs.count("the clock is simulated") == 2 and "now=2027-02-05T12:00:0" in logs,
              "simulated clock warned at each start", logs)
    finally:
        later.stop()


def test_first_token_urls_and_token_create():
    # No token anywhere: the first start shows one admin token beside the URLs it opens.
    fresh = Service(config=base_config(tokens=[]), now=NOW).start()
    try:
        check(wait_for(lambda: "feeds/all.ics" in fresh.logs(), 5), "message", fresh.logs())
        logs = fresh.logs()
        first = re.findall(r"^    (relcal_[0-9a-f]{64})$", logs, re.M)
        check(len(first) == 1, "one token shown", logs)
        check(f"  API:   http://127.0.0.1:{fresh.port}/api/v1/projects\n" in logs, "API URL", logs)
        check("  page:  https://security.example.org/\n" in logs, "page URL", logs)
        check("  feed:  https://security.example.org/feeds/all.ics\n" in logs, "feed URL", logs)
        check("the clock is simulated" in logs and "now=2026-11-24T12:00:0" in logs,
              "RELCAL_NOW warned about", logs)
        # The first token lost: another admin token from the local database.
        r = run("token", "--create", "--role", "admin", "-c", fresh.config_path, "--db",
                fresh.db)
        check(r.returncode == 0, "created", r.stderr)
        tok = re.findall(r"^token:  (relcal_[0-9a-f]{64})$", r.stdout, re.M)
        check(len(tok) == 1 and tok[0] != first[0], "a new token shown", r.stdout)
        check(re.search(r'^stored: name "admin-\d{8}T\d{6}Z", role admin', r.stdout, re.M),
              "stored line", r.stdout)
        env = {"RELCAL_SERVER": f"http://127.0.0.1:{fresh.port}", "RELCAL_TOKEN": tok[0]}
        fresh.proc.send_signal(signal.SIGHUP)
        check(wait_for(lambda: "config reloaded" in fresh.logs(), 5), "reloaded", fresh.logs())
        r = run("issues", "create", "--title", "from the new token", "--json", env=env)
        check(r.returncode == 0 and json.loads(r.stdout)["id"] == 1, "the new token works",
              r.stdout, r.stderr)
        r = run("token", "--create", "--role", "admin", "--name", "admin", "-c",
                fresh.config_path, "--db", fresh.db)
        check(r.returncode == 1 and "cannot store the token 'admin'" in r.stderr, "name taken",
              r.stderr)
        r = run("token", "--create", "-c", fresh.config_path, "--db", fresh.db + ".absent")
        check(r.returncode == 1 and not os.path.exists(fresh.db + ".absent"), "no new database",
              r.stderr)
    finally:
        fresh.stop()


def test_last_modified_not_after_date():
    # RELCAL_NOW far ahead of the wall clock: the Date header is the real time, and
    # Last-Modified must not be later than it (RFC 9110 8.8.2.1).
    from email.utils import parsedate_to_datetime
    ahead = Service(now="2031-06-01T12:00:00Z").start()
    try:
        for path in ("/feeds/mautic.ics", "/feeds/all.ics", "/"):
            st, h, _ = ahead.request("GET", path, raw=True)
            check(st == 200, "served", path, st)
            lm, date = parsedate_to_datetime(h["last-modified"]), parsedate_to_datetime(h["date"])
            check(lm <= date, "Last-Modified <= Date", path, h["last-modified"], h["date"])
            st, _, _ = ahead.request("GET", path, headers={"If-Modified-Since": h["last-modified"]})
            check(st == 304, "If-Modified-Since still answers 304", path, st)
    finally:
        ahead.stop()


if __name__ == "__main__":
    svc = Service(now=NOW).start()
    try:
        main([test_issue_create_table_and_json, test_issue_update_and_list,
              test_issue_list_filters, test_issue_errors_one_line,
              test_release_insufficient_notice, test_release_create_show_list,
              test_release_move_cancel_publish, test_deliveries, test_next_from_the_server,
              test_unreachable_server, test_usage_errors, test_next_unreadable_database_warns, test_audit_filters_and_paging,
              test_logs_say_what_the_service_does,
              test_first_token_urls_and_token_create, test_last_modified_not_after_date])
    finally:
        svc.stop()
