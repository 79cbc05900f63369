"""The public schedule page in a real browser: headless Chromium (Debian's chromium) loads the
page from the running service, takes a screenshot and dumps the rendered DOM; the DOM shows the
next release date and the subscribe links, and no private field (marker strings) appears on the
page before publication. The screenshot is written to a temporary directory, never committed."""
import base64
import hashlib
import os
import re
import shutil
import subprocess
import tempfile

from relcal_testlib import Service, check, main

NOW = "2026-11-24T12:00:00Z"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-quic"]
svc = None


def chromium(*args):
    profile = tempfile.mkdtemp(prefix="relcal-chromium-")
    try:
        return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=90)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def test_page_in_chromium():
    st, _, i = svc.request("POST", "/api/v1/projects/mautic/issues",
                           {"title": "PRIVATE-PAGE-TITLE", "description": "PRIVATE-PAGE-DESC",
                            "cve": "CVE-2027-55555",
                            "severity": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
                           role="manager")
    for to in ("acknowledged", "confirmed", "fix_ready"):
        svc.request("PATCH", f"/api/v1/projects/mautic/issues/{i['id']}", {"status": to},
                    role="manager")
    url = f"http://127.0.0.1:{svc.port}/p/mautic"
    shot = os.path.join(tempfile.mkdtemp(prefix="relcal-shot-"), "page.png")
    r = chromium("--window-size=412,915", f"--screenshot={shot}", url)
    check(os.path.exists(shot) and os.path.getsize(shot) > 1000, "screenshot", r.stderr[-500:])
    r = chromium("--dump-dom", url)
    dom = r.stdout
    check("<h1>Mautic security releases</h1>" in dom, "heading", dom[:400])
    check("2027-02-09 13:00 UTC" in dom and "2027-02-09 14:00 Europe/Berlin" in dom,
          "next release in UTC and local time", dom[:2000])
    check('href="webcal://security.example.org/feeds/mautic.ics"' in dom, "webcal link")
    check('href="https://security.example.org/feeds/mautic.ics"' in dom, "https link")
    for m in ("PRIVATE-PAGE-TITLE", "PRIVATE-PAGE-DESC", "CVE-2027-55555"):
        check(m not in dom, "private marker on the page", m)
    r = chromium("--dump-dom", f"http://127.0.0.1:{svc.port}/")
    check("Mautic" in r.stdout and "PRIVATE-PAGE-TITLE" not in r.stdout, "index page")


def test_page_caching_and_404():
    st, h, body = svc.request("GET", "/p/mautic", raw=True)
    check(st == 200 and h["content-type"] == "text/html; charset=utf-8", "html", st, h)
    st2, _, _ = svc.request("GET", "/p/mautic", headers={"If-None-Match": h["etag"]}, raw=True)
    check(st2 == 304, "ETag", st2)
    st3, _, _ = svc.request("GET", "/p/nope", raw=True)
    check(st3 == 404, "unknown project", st3)


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_unknown_project_404():
    """/p/unknown: an HTML page for a browser (and for a client that names no type), the JSON
    error for a client that asks for JSON."""
    for accept in (BROWSER_ACCEPT, None, "*/*"):
        st, h, body = svc.request("GET", "/p/unknown", raw=True,
                                  headers={"Accept": accept} if accept else None)
        html = body.decode()
        check(st == 404 and h["content-type"] == "text/html; charset=utf-8", "HTML 404", accept,
              st, h)
        check(html.startswith("<!DOCTYPE html>") and "<h1>" in html and 'href="/"' not in html
              and 'href="https://security.example.org/"' in html, "404 page links home", html)
        check(h.get("content-security-policy", "").startswith("default-src 'none'"), "CSP", h)
        check(csp_hash_ok(html, h), "the CSP allows the 404 page's stylesheet by its hash")
    for accept in ("application/json", "application/json, text/plain;q=0.5"):
        st, h, e = svc.request("GET", "/p/unknown", headers={"Accept": accept})
        check(st == 404 and h["content-type"].startswith("application/json")
              and e["error"]["code"] == "not_found", "JSON 404", accept, st, h, e)
    st, h, _ = svc.request("HEAD", "/p/unknown", raw=True, headers={"Accept": BROWSER_ACCEPT})
    check(st == 404 and h["content-type"] == "text/html; charset=utf-8", "HEAD 404", st, h)


def csp_hash_ok(html, headers):
    """The page's CSP names the SHA-256 of its one <style> element (computed here, not by
    relcal), so Chromium applies the stylesheet."""
    m = re.findall(r"<style>(.*?)</style>", html, re.S)
    if len(m) != 1:
        return False
    want = base64.b64encode(hashlib.sha256(m[0].encode()).digest()).decode()
    return f"style-src 'sha256-{want}'" in headers.get("content-security-policy", "")


if __name__ == "__main__":
    if not os.path.exists(CHROMIUM):
        print("chromium is not installed (scripts/setup.sh installs it)")
        raise SystemExit(1)
    try:
        svc = Service(now=NOW).start()
        main([test_page_in_chromium, test_page_caching_and_404, test_unknown_project_404])
    finally:
        if svc:
            svc.stop()
