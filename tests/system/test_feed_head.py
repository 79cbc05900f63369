"""The exact head of the cached feed and page answers (docs/CONTRACT.md): every header line, in
order, compared across requests on one keep-alive connection (only Date may differ) and against
the set written out here by hand: 200 and 304, identity and gzip, GET and HEAD, keep-alive and
Connection: close, the public feed, the team feed and the page."""
import email.utils
import gzip
import re
import socket

from relcal_testlib import TOKENS, Service, base_config, check, main

NOW = "2026-11-24T12:00:00Z"
svc = None
ETAG = r'"[0-9a-f]{32}"'
GZ_ETAG = r'"[0-9a-f]{32}-gz"'
HTTP_DATE = r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT"


def exchange(requests):
    """Sends the requests pipelined on one connection (the last asks Connection: close) and
    returns [(status line, [(name, value)], body)]; HEAD answers have no body."""
    data = b""
    for i, (method, path, headers) in enumerate(requests):
        lines = [f"{method} {path} HTTP/1.1", "Host: t"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if i == len(requests) - 1:
            lines.append("Connection: close")
        data += ("\r\n".join(lines) + "\r\n\r\n").encode()
    raw = svc.raw_exchange(data)
    out = []
    for method, _, _ in requests:
        head, sep, raw = raw.partition(b"\r\n\r\n")
        check(sep, "a complete head", head)
        lines = head.decode("latin-1").split("\r\n")
        fields = [tuple(line.split(": ", 1)) for line in lines[1:]]
        n = int(dict(fields).get("Content-Length", "0"))
        status = lines[0]
        body = b"" if method == "HEAD" or " 304 " in status else raw[:n]
        raw = raw[len(body):]
        out.append((status, fields, body))
    check(raw == b"", "nothing after the last answer", raw[:200])
    return out


def expect(answer, status, fields, close=False):
    """fields: [(name, regex)] in order, Date first; Connection: close goes after the
    representation headers (Content-Length, or Date for a 304) as relcal has always sent it."""
    st, got, _ = answer
    check(st == status, "status line", st, status)
    fields = list(fields)
    if close:
        at = 3 if fields[1][0] == "Content-Type" else 1
        fields.insert(at, ("Connection", "close"))
    names = [k for k, _ in got]
    check(names == [k for k, _ in fields], "header names in order", names, fields)
    for (k, v), (_, rx) in zip(got, fields):
        check(re.fullmatch(rx, v), "header value", k, v, rx)


def without_date(answer):
    return [(k, v) for k, v in answer[1] if k != "Date"]


def feed_fields(ctype, length, etag, cache, extra=(), encoding=None):
    f = [("Date", HTTP_DATE), ("Content-Type", re.escape(ctype)),
         ("Content-Length", str(length)), ("ETag", etag), ("Last-Modified", HTTP_DATE),
         ("Cache-Control", re.escape(cache)), ("Vary", "Accept-Encoding")]
    f += list(extra)
    if encoding:
        f.append(("Content-Encoding", encoding))
    f.append(("X-Content-Type-Options", "nosniff"))
    return f


def not_modified_fields(etag, cache, extra=()):
    return ([("Date", HTTP_DATE), ("ETag", etag), ("Last-Modified", HTTP_DATE),
             ("Cache-Control", re.escape(cache)), ("Vary", "Accept-Encoding")] + list(extra) +
            [("X-Content-Type-Options", "nosniff")])


def check_route(path, ctype, cache, extra=(), headers=None):
    headers = headers or {}
    gzh = dict(headers, **{"Accept-Encoding": "gzip"})
    first = exchange([("GET", path, headers), ("GET", path, headers), ("HEAD", path, headers),
                      ("GET", path, gzh), ("GET", path, gzh)])
    body, gz = first[0][2], first[3][2]
    check(len(body) > 100 and gzip.decompress(gz) == body, "bodies", len(body), len(gz))
    ident = feed_fields(ctype, len(body), ETAG, cache, extra)
    zipped = feed_fields(ctype, len(gz), GZ_ETAG, cache, extra, "gzip")
    expect(first[0], "HTTP/1.1 200 OK", ident)
    expect(first[1], "HTTP/1.1 200 OK", ident)
    expect(first[2], "HTTP/1.1 200 OK", ident)
    expect(first[3], "HTTP/1.1 200 OK", zipped)
    expect(first[4], "HTTP/1.1 200 OK", zipped, close=True)
    check(without_date(first[0]) == without_date(first[1]) == without_date(first[2]),
          "the same head on every identity answer", first[0][1], first[1][1])
    check(first[1][2] == body and first[4][2] == gz, "the same bytes again")
    check([x for x in without_date(first[4]) if x[0] != "Connection"] == without_date(first[3]),
          "the same gzip head, with Connection: close", first[3][1], first[4][1])
    h = dict(first[0][1])
    hz = dict(first[3][1])
    check(hz["ETag"] == h["ETag"][:-1] + '-gz"', "the gzip ETag", h["ETag"], hz["ETag"])
    check(email.utils.parsedate_to_datetime(h["Last-Modified"]) <=
          email.utils.parsedate_to_datetime(h["Date"]), "Last-Modified not after Date", h)
    # A full GET with Connection: close: the same head plus that line.
    closed = exchange([("GET", path, headers)])
    expect(closed[0], "HTTP/1.1 200 OK", ident, close=True)
    check(closed[0][2] == body, "the same body with Connection: close")
    # 304 by ETag and by date, both encodings, on one connection.
    inm = dict(headers, **{"If-None-Match": h["ETag"]})
    ims = dict(headers, **{"If-Modified-Since": h["Last-Modified"]})
    inm_gz = dict(gzh, **{"If-None-Match": hz["ETag"]})
    nm = exchange([("GET", path, inm), ("GET", path, ims), ("GET", path, inm_gz),
                   ("GET", path, inm)])
    for a in nm[:2]:
        expect(a, "HTTP/1.1 304 Not Modified", not_modified_fields(re.escape(h["ETag"]), cache,
                                                                   extra))
    expect(nm[2], "HTTP/1.1 304 Not Modified",
           not_modified_fields(re.escape(hz["ETag"]), cache, extra))
    expect(nm[3], "HTTP/1.1 304 Not Modified",
           not_modified_fields(re.escape(h["ETag"]), cache, extra), close=True)
    check(without_date(nm[0]) == without_date(nm[1]), "the same 304 head", nm[0][1], nm[1][1])


def test_public_feed_head():
    check_route("/feeds/mautic.ics", "text/calendar; charset=utf-8", "public, max-age=300")


def test_team_feed_head():
    check_route("/feeds/mautic/team.ics", "text/calendar; charset=utf-8",
                "private, max-age=300",
                headers={"Authorization": f"Bearer {TOKENS['reader']}"})


def test_page_head():
    csp = ("default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]{43}='; base-uri 'none'; "
           "form-action 'none'; frame-ancestors 'none'")
    check_route("/p/mautic", "text/html; charset=utf-8", "public, max-age=300",
                extra=[("Content-Security-Policy", csp),
                       ("Referrer-Policy", "no-referrer")])


if __name__ == "__main__":
    try:
        svc = Service(config=base_config(), now=NOW).start()
        main([test_public_feed_head, test_team_feed_head, test_page_head])
    finally:
        if svc:
            svc.stop()
