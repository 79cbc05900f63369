"""What the public side gives away and what it costs (issue 14; that /metrics needs a reader
token is test_metrics.py's): the gzip and identity bodies of a feed or page have their own strong ETags, the page sends a
Content-Security-Policy that allows its embedded stylesheet (by hash) and nothing else, every
answer sends X-Content-Type-Options: nosniff, and the public release list is built once per
state change and then served from memory, never from a team view; the nginx example logs paths
without the query (feed tokens travel as ?token=), checked on the file and with nginx itself in
front of the service when nginx is installed."""
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request

from relcal_testlib import SOURCE_DIR, Service, check, free_port, main, wait_for

svc = None
BASE = "/api/v1/projects/mautic"


def get(path, role=None, **headers):
    return svc.request("GET", path, raw=True, role=role, headers=headers)


def test_etag_per_encoding():
    for path in ("/feeds/mautic.ics", "/feeds/all.ics", "/p/mautic", "/"):
        st, hg, gz = get(path, **{"Accept-Encoding": "gzip"})
        check(st == 200 and hg.get("content-encoding") == "gzip", "gzip body", path, st, hg)
        st, hi, plain = get(path, **{"Accept-Encoding": "identity"})
        check(st == 200 and "content-encoding" not in hi, "identity body", path, st, hi)
        eg, ei = hg["etag"], hi["etag"]
        check(eg != ei, "two bodies, two ETags", path, eg, ei)
        check(not eg.startswith("W/") and not ei.startswith("W/"), "strong ETags", eg, ei)
        check(plain != gz, "the bodies differ indeed", path)
        # Each validator revalidates its own body only.
        st, _, _ = get(path, **{"Accept-Encoding": "gzip", "If-None-Match": eg})
        check(st == 304, "gzip revalidated by its ETag", path, st)
        st, _, _ = get(path, **{"Accept-Encoding": "identity", "If-None-Match": ei})
        check(st == 304, "identity revalidated by its ETag", path, st)
        st, _, b = get(path, **{"Accept-Encoding": "gzip", "If-None-Match": ei})
        check(st == 200 and b == gz, "identity ETag does not validate the gzip body", path, st)
        st, _, b = get(path, **{"Accept-Encoding": "identity", "If-None-Match": eg})
        check(st == 200 and b == plain, "gzip ETag does not validate the identity body", path, st)


def test_page_headers():
    for path in ("/p/mautic", "/"):
        st, h, body = get(path)
        check(st == 200, "page", path, st)
        csp = h.get("content-security-policy", "")
        directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
        check(directives.get("default-src") == ["'none'"], "default-src 'none'", path, csp)
        check(directives.get("frame-ancestors") == ["'none'"], "no framing", path, csp)
        check("unsafe-inline" not in csp and "script-src" not in csp, "no inline anything", csp)
        style = re.search(rb"<style>(.*?)</style>", body, re.S).group(1)
        want = "'sha256-" + base64.b64encode(hashlib.sha256(style).digest()).decode() + "'"
        check(directives.get("style-src") == [want], "the stylesheet allowed by its hash", want,
              csp)
        check(h.get("x-content-type-options") == "nosniff", "nosniff on the page", path, h)
    for path in ("/feeds/mautic.ics", f"{BASE}/releases", "/nope"):
        st, h, _ = get(path)
        check(h.get("x-content-type-options") == "nosniff", "nosniff", path, st, h)


def counters():
    st, _, body = get("/metrics", role="reader")
    check(st == 200, "metrics", st)
    out = {}
    for m in re.finditer(r'^relcal_list_(renders|cache_hits)_total\{list="releases"\} (\d+)$',
                         body.decode(), re.M):
        out[m.group(1)] = int(m.group(2))
    check(set(out) == {"renders", "cache_hits"}, "list counters", body)
    return out


def releases(role=None, query=""):
    st, _, body = svc.request("GET", f"{BASE}/releases{query}", role=role)
    check(st == 200 and isinstance(body, list), "releases", role, query, st, body)
    return body


def test_public_releases_cached():
    st, _, i = svc.request("POST", f"{BASE}/issues", {"title": "PRIVATE-TITLE"}, role="manager")
    check(st == 201, "issue", st, i)
    c0 = counters()
    first = releases()
    check(first and all("issues" not in r for r in first), "public view", first)
    c1 = counters()
    check(c1["renders"] == c0["renders"] + 1, "built once", c0, c1)
    again = releases()
    past = releases(query="?from=2020-01-01T00:00:00Z")
    window = releases(query="?from=2026-11-01T00:00:00Z&to=2027-03-01T00:00:00Z")
    c2 = counters()
    check(c2["renders"] == c1["renders"] and c2["cache_hits"] == c1["cache_hits"] + 3,
          "then served from memory", c1, c2)
    check(again == first, "the same answer from memory", first, again)
    check(len(past) >= len(first) and all(r in past for r in first), "from filters the cache",
          past, first)
    check(window and all("2026-11-01" <= r["starts_at"] < "2027-03-01" for r in window),
          "from and to filter the cache", window)
    # A team view is never what the public gets, before or after it.
    team = releases(role="reader")
    check(all("issues" in r for r in team), "team view lists issue ids", team)
    after = releases()
    check(json.dumps(after, sort_keys=True) == json.dumps(first, sort_keys=True),
          "public still public", after)
    c3 = counters()
    check(c3["renders"] == c2["renders"], "team reads do not touch the public cache", c2, c3)
    # A change of state builds it again.
    st, _, _ = svc.request("PATCH", f"{BASE}/issues/{i['id']}", {"status": "acknowledged"},
                           role="manager")
    check(st == 200, "acknowledged", st)
    releases()
    c4 = counters()
    check(c4["renders"] == c3["renders"] + 1, "rebuilt after a change", c3, c4)


NGINX_EXAMPLE = os.path.join(SOURCE_DIR, "packaging", "nginx-relcal.conf")
QUERY_VARS = re.compile(r"\$(request|request_uri|args|query_string|is_args|arg_\w+)\b")


def test_nginx_example_logs_no_query():
    with open(NGINX_EXAMPLE) as f:
        conf = f.read()
    formats = dict(re.findall(r"log_format\s+(\w+)((?:\s+'[^']*')+)\s*;", conf))
    logs = re.findall(r"^\s*access_log\s+(\S+)\s+(\w+)\s*;", conf, re.M)
    check(logs, "the example sets its access log (nginx's default format has the query)", conf)
    for _, fmt in logs:
        check(fmt in formats, "a format of the example", fmt, formats)
        check(not QUERY_VARS.search(formats[fmt]), "no query in the format", formats[fmt])
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx")
                                      else None)
    if not nginx:
        return
    # The example itself in front of the service (TLS lines dropped, plain HTTP on a free port):
    # a team feed fetched with ?token= leaves its path in the log and not the token.
    tmp = tempfile.mkdtemp(prefix="relcal-nginx-")
    access = os.path.join(tmp, "access.log")
    site = re.sub(r"^\s*ssl_certificate.*$", "", conf, flags=re.M)
    port = free_port()
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port};")
    site = site.replace("/var/log/nginx/relcal.access.log", access)
    site = site.replace("127.0.0.1:8080", f"127.0.0.1:{svc.port}")
    with open(os.path.join(tmp, "site.conf"), "w") as f:
        f.write(site)
    temps = " ".join(f"{k}_temp_path {tmp}/{k};" for k in
                     ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    with open(os.path.join(tmp, "nginx.conf"), "w") as f:
        f.write(f"worker_processes 1; pid {tmp}/nginx.pid; error_log {tmp}/error.log;\n"
                f"events {{}}\nhttp {{ access_log off; {temps} include {tmp}/site.conf; }}\n")
    args = [nginx, "-p", tmp, "-c", os.path.join(tmp, "nginx.conf"), "-g", "daemon off;"]
    if os.getuid() == 0:
        args[-1] += " user root;"
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}/feeds/mautic/team.ics?token=reader-token"

        def fetch():
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    return r.status
            except OSError:
                return None
        check(wait_for(fetch, 10) == 200, "team feed through nginx", url)
        check(wait_for(lambda: os.path.exists(access) and os.path.getsize(access), 5),
              "access log written")
        time.sleep(0.2)
        with open(access) as f:
            log = f.read()
        check("/feeds/mautic/team.ics" in log and "reader-token" not in log and "?" not in log,
              "path logged, token not", log)
    finally:
        p.terminate()
        p.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    try:
        svc = Service(now="2026-11-24T12:00:00Z").start()
        main([test_etag_per_encoding, test_page_headers,
              test_public_releases_cached, test_nginx_example_logs_no_query])
    finally:
        if svc:
            svc.stop()
