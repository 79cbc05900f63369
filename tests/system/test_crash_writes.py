"""Acknowledged writes survive kill -9 (quality.md): concurrent API writes, SIGKILL at a random
moment, restart; every write answered 2xx is present and PRAGMA integrity_check passes.
RELCAL_RELIABILITY_ROUNDS sets the rounds (CI: 3; the full bar: 20)."""
import os
import random
import sqlite3
import threading
import time

from relcal_testlib import Service, check, main

ROUNDS = int(os.environ.get("RELCAL_RELIABILITY_ROUNDS", "3"))


def writer(svc, acked, stop, n):
    while not stop.is_set():
        try:
            st, _, body = svc.request("POST", "/api/v1/projects/mautic/issues",
                                      {"title": f"crash-{n}-{time.monotonic_ns()}"}, role="manager")
            if st == 201:
                acked.append((body["id"], body["title"]))
        except Exception:  # noqa: BLE001 - the server dies under us on purpose
            return


def test_kill9_rounds():
    svc = Service(now="2026-11-24T12:00:00Z")
    acked = []
    rng = random.Random(1234)
    try:
        for _ in range(ROUNDS):
            svc.start()
            stop = threading.Event()
            threads = [threading.Thread(target=writer, args=(svc, acked, stop, n)) for n in range(8)]
            for t in threads:
                t.start()
            time.sleep(rng.uniform(0.2, 0.8))
            svc.kill9()
            stop.set()
            for t in threads:
                t.join(timeout=10)
        check(len(acked) > 0, "some writes were acknowledged")
        db = sqlite3.connect(svc.db)
        check(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity")
        db.close()
        svc.start()
        st, _, issues = svc.request("GET", "/api/v1/projects/mautic/issues", role="reader")
        have = {(i["id"], i["title"]) for i in issues}
        missing = [a for a in acked if a not in have]
        check(not missing, "acknowledged writes lost", missing[:5], len(acked))
        ids = [i["id"] for i in issues]
        check(len(ids) == len(set(ids)), "unique ids")
    finally:
        svc.stop()


if __name__ == "__main__":
    main([test_kill9_rounds])
