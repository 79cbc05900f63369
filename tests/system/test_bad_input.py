"""Corpora of bad input (the reliability suite: bad HTTP, bad JSON and values): every raw request in
tests/data/bad_http/ is answered with a 4xx or a closed connection, every body in
tests/data/bad_json.json with its 400/409/422 (naming the field where there is one), the service
keeps answering others in under 100 ms, and nothing is stored: the issues, releases and audit
log are the same afterwards."""
import json
import os
import time

from relcal_testlib import SOURCE_DIR, Service, check, main

DATA = os.path.join(SOURCE_DIR, "tests", "data")
# Accepted on purpose: RFC 9112 5.2 lets a server replace an obsolete line folding by a space.
ACCEPTED = {"obsolete_folding.http"}
svc = None


def state():
    issues = svc.request("GET", "/api/v1/projects/mautic/issues", role="reader")[2]
    releases = svc.request("GET", "/api/v1/projects/mautic/releases?from=2020-01-01T00:00:00Z",
                           role="reader")[2]
    audit = svc.request("GET", "/api/v1/projects/mautic/audit", role="reader")[2]
    return json.dumps([issues, releases, audit], sort_keys=True)


def quick():
    t0 = time.monotonic()
    st, _, _ = svc.request("GET", "/healthz")
    return st == 200 and time.monotonic() - t0 < 0.1


def test_bad_http():
    before = state()
    d = os.path.join(DATA, "bad_http")
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), "rb") as f:
            raw = f.read()
        out = svc.raw_exchange(raw, on_timeout=b"<no answer, connection left open>")
        ok = out == b"" or out.startswith(b"HTTP/1.1 4")
        if name in ACCEPTED:
            ok = ok or out.startswith(b"HTTP/1.1 200")
        check(ok, f"{name}: a 4xx or a closed connection", out[:120])
        check(quick(), f"others answered quickly after {name}")
    check(state() == before, "nothing stored")


def test_bad_json():
    st, _, i = svc.request("POST", "/api/v1/projects/mautic/issues", {"title": "base"},
                           role="manager")
    check(st == 201 and i["id"] == 1, "issue 1", st, i)
    before = state()
    with open(os.path.join(DATA, "bad_json.json")) as f:
        cases = json.load(f)
    for c in cases:
        body = bytes.fromhex(c["body_hex"]) if "body_hex" in c else c["body"].encode()
        st, _, b = svc.request(c["method"], c["path"], body, role="admin",
                               headers={"Content-Type": "application/json"})
        check(st == c["status"], "status", c, st, b)
        if "field" in c:
            check(b["error"]["details"]["field"] == c["field"], "names the field", c, b)
        check(quick(), "others answered quickly")
    check(state() == before, "nothing stored")


if __name__ == "__main__":
    try:
        svc = Service(now="2026-11-24T12:00:00Z").start()
        main([test_bad_http, test_bad_json])
    finally:
        if svc:
            svc.stop()
