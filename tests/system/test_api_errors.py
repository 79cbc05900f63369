"""Every 4xx of docs/CONTRACT.md from the real service, and that a refused write stores nothing."""

from relcal_testlib import Service, check, main

svc = None
ISSUES = "/api/v1/projects/mautic/issues"


def count_issues():
    st, _, body = svc.request("GET", ISSUES, role="reader")
    check(st == 200, "list", st, body)
    return len(body)


def err_code(st, body):
    return st, (body.get("error", {}).get("code") if isinstance(body, dict) else None)


def test_not_found_and_method():
    st, _, b = svc.request("GET", "/api/v1/projects/nope")
    check(err_code(st, b) == (404, "not_found"), "unknown project", st, b)
    st, _, b = svc.request("GET", "/api/v1/projects/mautic/issues/999", role="reader")
    check(err_code(st, b) == (404, "not_found"), "unknown issue", st, b)
    st, _, b = svc.request("GET", "/api/v1/projects/mautic/releases/2027-02-10")
    check(err_code(st, b) == (404, "not_found"), "not a window", st, b)
    st, _, b = svc.request("GET", "/no/such/route")
    check(err_code(st, b) == (404, "not_found"), "unknown route", st, b)
    st, h, b = svc.request("DELETE", ISSUES, role="admin")
    check(err_code(st, b) == (405, "method_not_allowed"), "405", st, b)
    check("GET" in h.get("allow", "") and "POST" in h.get("allow", ""), "Allow header", h)


def test_auth():
    st, h, b = svc.request("GET", ISSUES)
    check(err_code(st, b) == (401, "unauthorized"), "missing token", st, b)
    check(h.get("www-authenticate", "").lower().startswith("bearer"), "challenge", h)
    st, _, b = svc.request("GET", ISSUES, headers={"Authorization": "Bearer wrong"})
    check(err_code(st, b) == (401, "unauthorized"), "bad token", st, b)
    st, _, b = svc.request("GET", ISSUES + "?token=reader-token")
    check(err_code(st, b) == (401, "unauthorized"), "query token only on feeds", st, b)
    st, _, b = svc.request("POST", ISSUES, {"title": "x"}, role="reader")
    check(err_code(st, b) == (403, "forbidden"), "role too low", st, b)
    check(b["error"]["details"] == {"required_role": "manager", "role": "reader"} and
          "manager" in b["error"]["message"], "the 403 names the role it needed", b)


def test_bad_bodies_store_nothing():
    before = count_issues()
    cases = [
        (b"{not json", {"Content-Type": "application/json"}, 400, "invalid_json"),
        (b'{"title": "\xff\xfe"}', {"Content-Type": "application/json"}, 400, "invalid_json"),
        (b'{"title": "x"}', {"Content-Type": "text/plain"}, 415, "unsupported_media_type"),
        (b'[1,2]', {"Content-Type": "application/json"}, 422, "validation_failed"),
        (b'{}', {"Content-Type": "application/json"}, 422, "validation_failed"),
        (b'{"title": 5}', {"Content-Type": "application/json"}, 422, "validation_failed"),
        (b'{"title": ""}', {"Content-Type": "application/json"}, 422, "validation_failed"),
        (b'{"title": "x", "severity": "CVSS:3.1/AV:Q"}', {"Content-Type": "application/json"},
         422, "validation_failed"),
        (b'{"title": "x", "reported_at": "2027-02-30T00:00:00Z"}',
         {"Content-Type": "application/json"}, 422, "validation_failed"),
        (b'{"title": "x", "branches": ["9.x"]}', {"Content-Type": "application/json"},
         422, "validation_failed"),
        (b'{"title": "x", "bogus": 1}', {"Content-Type": "application/json"}, 422,
         "validation_failed"),
    ]
    for body, headers, want_status, want_code in cases:
        h = dict(headers)
        h["Authorization"] = "Bearer manager-token"
        st, _, b = svc.request("POST", ISSUES, body, headers=h)
        check(err_code(st, b) == (want_status, want_code), "case", body, st, b)
        if want_status == 422:
            check(b["error"]["details"].get("field"), "422 names the field", body, b)
    check(count_issues() == before, "nothing stored")


def test_payload_too_large():
    before = count_issues()
    big = b'{"title": "' + b"a" * 70000 + b'"}'
    st, _, b = svc.request("POST", ISSUES, big, role="manager")
    check(err_code(st, b) == (413, "payload_too_large"), "413", st, b)
    check(count_issues() == before, "nothing stored")




def test_malformed_http():
    out = svc.raw_exchange(b"GARBAGE\r\n\r\n")
    check(out.startswith(b"HTTP/1.1 400"), "bad request line", out[:80])
    out = svc.raw_exchange(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n")
    check(out.startswith(b"HTTP/1.1 431") or out.startswith(b"HTTP/1.1 400") or out == b"",
          "oversized headers", out[:80])
    out = svc.raw_exchange(b"POST /api/v1/projects/mautic/issues HTTP/1.1\r\nHost: x\r\n"
                       b"Authorization: Bearer manager-token\r\nContent-Type: application/json\r\n"
                       b"Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n0\r\n\r\n")
    check(out.startswith(b"HTTP/1.1 411") or out.startswith(b"HTTP/1.1 400"), "chunked", out[:80])
    st, _, b = svc.request("GET", "/healthz")
    check(st == 200, "still serving", st)


def test_release_write_errors():
    base = "/api/v1/projects/mautic/releases"
    st, _, b = svc.request("POST", base, {"date": "not a date", "issues": []}, role="manager")
    check(err_code(st, b) == (422, "validation_failed"), "bad date", st, b)
    st, _, b = svc.request("POST", base, {"date": "2027-06-01T00:00:00Z", "issues": [999],
                                          "reason": "x"}, role="manager")
    check(st in (404, 422), "unknown issue", st, b)
    st, _, b = svc.request("PATCH", base + "/2027-02-09", {"status": "released"}, role="manager")
    check(st in (409, 422), "cannot patch to released", st, b)
    st, _, b = svc.request("POST", base + "/2099-01-01/publish", {"reason": "x"}, role="manager")
    check(err_code(st, b) == (404, "not_found"), "publish unknown", st, b)


if __name__ == "__main__":
    try:
        svc = Service(now="2026-11-24T12:00:00Z").start()
        main([test_not_found_and_method, test_auth, test_bad_bodies_store_nothing,
              test_payload_too_large, test_malformed_http, test_release_write_errors])
    finally:
        if svc:
            svc.stop()
