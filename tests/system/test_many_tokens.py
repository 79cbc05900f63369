"""Tokens relcal stored itself (`relcal token --create`) are all loaded, however many: with 100
stored tokens besides the config's three, the last one is accepted (the token table held the
config's tokens plus 64 and the loader appended past it unchecked)."""
import hashlib
import sqlite3

from relcal_testlib import Service, check, main

N = 100
svc = None


def test_every_stored_token_accepted():
    svc.start()  # creates the database
    svc.stop()
    db = sqlite3.connect(svc.db)
    with db:
        for k in range(N):
            tok = f"stored-token-{k}"
            db.execute("INSERT INTO tokens (name, role, sha256, created_at) VALUES (?,?,?,?)",
                       (f"t{k:03d}", "reader", hashlib.sha256(tok.encode()).digest(), 0))
    db.close()
    svc.start()
    for k in (0, 63, 64, N - 1):
        st, _, body = svc.request("GET", "/api/v1/projects/mautic/issues",
                                  headers={"Authorization": f"Bearer stored-token-{k}"})
        check(st == 200, f"stored token {k} accepted", st, body)
    st, _, _ = svc.request("GET", "/api/v1/projects/mautic/issues",
                           headers={"Authorization": "Bearer stored-token-x"})
    check(st == 401, "an unknown token is not", st)
    st, _, _ = svc.request("GET", "/api/v1/projects/mautic/issues", role="admin")
    check(st == 200, "the config's tokens still are", st)


if __name__ == "__main__":
    svc = Service(now="2026-11-24T12:00:00Z")
    try:
        main([test_every_stored_token_accepted])
    finally:
        svc.stop()
