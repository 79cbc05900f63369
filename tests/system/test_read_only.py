"""Reads write nothing: `relcal feed` and `relcal next --explain` on the service's database leave
it as it was, also for a project the service has not seen yet (no epoch stored); the service
records a project's epoch when it starts and when a reload brings the project in
(docs/CONTRACT.md "Command line", docs/ARCHITECTURE.md)."""
import json
import os
import signal
import sqlite3

from relcal_testlib import Service, base_config, check, main, run, wait_for

NOW = "2026-11-24T12:00:00Z"
NOW_UNIX = 1795521600  # 2026-11-24T12:00:00Z, worked out by hand: 20781 days * 86400 + 43200


def second_project():
    return {"id": "second", "name": "Second", "timezone": "UTC",
            "branches": [{"name": "1.x", "version": "1.0.0"}]}


def dump(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def epochs(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return dict(con.execute("SELECT id, first_seen FROM projects").fetchall())
    finally:
        con.close()


def test_cli_reads_write_nothing():
    svc = Service(base_config(), now=NOW).start()
    check(svc.stop() == 0, "stopped")
    check(epochs(svc.db) == {"mautic": NOW_UNIX}, "epoch recorded at start", epochs(svc.db))
    # A project added to the config after the service stopped: the database has no epoch for it.
    cfg = base_config()
    cfg["projects"].append(second_project())
    with open(svc.config_path, "w") as f:
        json.dump(cfg, f)
    before = dump(svc.db)
    reads = [("feed", "-p", "second"), ("feed", "-p", "second", "--view", "team"),
             ("feed", "--view", "combined"), ("feed", "-p", "mautic"),
             ("next", "-p", "second", "--explain"), ("next", "-p", "mautic", "--explain", "--json")]
    for args in reads:
        r = run(*args, "-c", svc.config_path, "--db", svc.db, "--now", NOW)
        check(r.returncode == 0, "read ran", args, r.stderr)
        check(dump(svc.db) == before, "database unchanged", args)
    check("second" not in epochs(svc.db), "no epoch written by a read", epochs(svc.db))


def test_missing_epoch_reads_as_now():
    """Without a stored epoch a read takes the instant it runs at, as a run without a database
    does: the feed is the same bytes either way."""
    svc = Service(base_config(), now=NOW).start()
    svc.stop()
    cfg = base_config()
    cfg["projects"].append(second_project())
    with open(svc.config_path, "w") as f:
        json.dump(cfg, f)
    absent = os.path.join(svc.dir, "absent.db")
    for view in ("public", "team"):
        a = run("feed", "-p", "second", "--view", view, "-c", svc.config_path, "--db", svc.db,
                "--now", NOW)
        b = run("feed", "-p", "second", "--view", view, "-c", svc.config_path, "--db", absent,
                "--now", NOW)
        check(a.returncode == 0 and b.returncode == 0, "ran", a.stderr, b.stderr)
        check(a.stdout == b.stdout and "BEGIN:VEVENT" in a.stdout, "same feed", view)
    check(not os.path.exists(absent), "no database created for a read")


def test_reload_records_new_project():
    svc = Service(base_config(), now=NOW).start()
    try:
        svc.config["projects"].append(second_project())
        with open(svc.config_path, "w") as f:
            json.dump(svc.config, f)
        svc.proc.send_signal(signal.SIGHUP)
        check(wait_for(lambda: "second" in epochs(svc.db), 10), "epoch recorded on reload",
              svc.logs())
        check(epochs(svc.db)["second"] == NOW_UNIX, "at the reload's instant", epochs(svc.db))
        st, _, body = svc.request("GET", "/feeds/second.ics", raw=True)
        check(st == 200 and body.startswith(b"BEGIN:VCALENDAR"), "feed served", st)
    finally:
        svc.stop()


if __name__ == "__main__":
    main([test_cli_reads_write_nothing, test_missing_epoch_reads_as_now,
          test_reload_records_new_project])
