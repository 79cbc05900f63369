"""The public schedule page in a real browser: Debian's Chromium, driven by puppeteer-core
(tests/oracles/page-check.mjs), loads the page from the running service with its
Content-Security-Policy in force, runs axe-core and measures the layout at 1280 px and 400 px:
zero accessibility violations, nothing wider than the viewport at 400 px, the feed-URL field
inside its column, every table cell labelled. Before publication no private field (marker
strings) is on the page; after it the release's advisories are, with their links, and the
description still is not. Screenshots of both widths go to a temporary directory (never
committed) and their paths are printed. Also: the cadence in words, the branches with their end
of life, times once for a project in UTC, ETag, and the 404 page of an unknown project (HTML for
a browser, JSON for a client asking for JSON)."""
import base64
import hashlib
import json
import os
import re
import subprocess
import tempfile

from relcal_testlib import Service, base_config, check, main

NOW = "2026-11-24T12:00:00Z"
CHROMIUM = "/usr/bin/chromium"
ORACLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "oracles")
WIDTHS = (1280, 400)
SHOTS = tempfile.mkdtemp(prefix="relcal-page-shots-")
PRIVATE = ["PRIVATE-PAGE-DESC"]  # never public, not even after publication
ADVISORY = ["ADV-PAGE-TITLE", "CVE-2027-55555", "ADV-PAGE-SUMMARY", "ADV-PAGE-CREDIT",
            "https://acme.example/sa/ADV-PAGE-URL"]  # public only after publication
svc = None
state = {}


def config():
    cfg = base_config()
    cfg["projects"].append({
        "id": "acme", "name": "Acme", "timezone": "UTC",
        "branches": [{"name": "2.x", "version": "2.0.0"}],
        "policy": {"cadence": "FREQ=MONTHLY;BYDAY=-1TH", "release_time": "13:00"},
        "channels": [{"name": "team", "type": "log", "audience": "team"}]})
    return cfg


def browse(*names_paths):
    """Runs page-check.mjs on (name, path) pairs at both widths; returns its results."""
    targets = [f"{n}=http://127.0.0.1:{svc.port}{p}" for n, p in names_paths]
    r = subprocess.run(["node", os.path.join(ORACLES, "page-check.mjs"), SHOTS,
                        ",".join(map(str, WIDTHS)), *targets],
                       capture_output=True, text=True, timeout=180)
    check(r.returncode == 0, "page-check.mjs", r.returncode, r.stderr[-2000:])
    results = json.loads(r.stdout)
    check(len(results) == len(targets) * len(WIDTHS), "one result per page and width", results)
    for res in results:
        where = f"{res['name']} at {res['width']} px"
        print(f"screenshot {where}: {res['screenshot']}")
        check(os.path.getsize(res["screenshot"]) > 1000, "screenshot written", where)
        check(res["violations"] == [], "axe-core: no violations", where,
              json.dumps(res["violations"], indent=1))
        check(res["styleApplied"], "the stylesheet applied under the CSP", where, res["console"])
        check(not [c for c in res["console"] if "Content Security Policy" in c],
              "no CSP violation", where, res["console"])
        check(res["scrollWidth"] <= res["innerWidth"], "no horizontal scrolling", where,
              res["scrollWidth"], res["innerWidth"])
        check(res["overflowing"] == [], "no element beyond the viewport", where,
              res["overflowing"][:10])
        check(all(f["inside"] for f in res["feeds"]), "feed-URL field inside its column", where,
              res["feeds"])
        check(res["unlabelled"] == 0, "every cell has a data-label", where)
        if res["width"] <= 400:
            check(res["labelsShown"] == res["cells"], "every cell shows its label", where,
                  res["labelsShown"], res["cells"])
            check(all(w <= 1 for w in res["headerWidths"]), "header row hidden", where,
                  res["headerWidths"])
        else:
            check(res["labelsShown"] == 0 and all(w > 20 for w in res["headerWidths"]),
                  "wide layout: header row, no cell labels", where)
    return {(r["name"], r["width"]): r for r in results}


def test_page_before_publication():
    st, _, i = svc.request("POST", "/api/v1/projects/mautic/issues",
                           {"title": "ADV-PAGE-TITLE", "description": "PRIVATE-PAGE-DESC",
                            "cve": "CVE-2027-55555", "branches": ["5.x"],
                            "public_summary": "ADV-PAGE-SUMMARY",
                            "credits": [{"name": "ADV-PAGE-CREDIT", "role": "FINDER"}],
                            "advisory_url": "https://acme.example/sa/ADV-PAGE-URL",
                            "severity": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
                           role="manager")
    check(st == 201, "issue", st, i)
    for to in ("acknowledged", "confirmed", "fix_ready"):
        st, _, i = svc.request("PATCH", f"/api/v1/projects/mautic/issues/{i['id']}",
                               {"status": to}, role="manager")
        check(st == 200, "transition", to, st, i)
    check(i["release"] == "2027-02-09", "batched into the next window", i["release"])
    state["release"] = i["release"]
    res = browse(("mautic", "/p/mautic"), ("index", "/"), ("acme", "/p/acme"))
    for w in WIDTHS:
        page = res[("mautic", w)]
        html, text = page["html"], page["text"]
        check(page["status"] == 200, "200", page["status"])
        for m in PRIVATE + ADVISORY:
            check(m not in html, "marker on the page before publication", m, w)
        for m in PRIVATE + ADVISORY:
            check(m not in res[("index", w)]["html"], "marker on the index page", m, w)
        check("<h1>Mautic security releases</h1>" in html, "heading")
        check("2027-02-09 13:00 UTC" in text and "2027-02-09 14:00 Europe/Berlin" in text,
              "next release in UTC and local time", text[:600])
        check("second Tuesday of February, May, August and November, 14:00 Europe/Berlin" in text
              and "FREQ=" not in html, "the cadence in words", text)
        check('href="webcal://security.example.org/feeds/mautic.ics"' in html
              and 'href="https://security.example.org/feeds/mautic.ics"' in html, "feed links")
        check('href="https://security.example.org/feeds/mautic/advisories.atom"' in html
              and 'href="https://security.example.org/advisories/mautic/all.json"' in html,
              "links to the machine-readable advisories")
        check(".csaf.json" not in html, "no CSAF link before publication")
        branches = html[html.index('id="branches-mautic"'):]
        branches = branches[:branches.index("</table>")]
        check(re.search(r'data-label="Branch">4\.x</td><td data-label="Current version">4\.4\.12'
                        r'</td><td data-label="End of life"><time datetime="2027-06-30">', branches)
              and re.search(r'>5\.x</td><td[^>]*>5\.1\.2</td><td[^>]*>not announced<', branches),
              "branches with end of life", branches)
        acme = res[("acme", w)]["text"]
        check("last Thursday of every month, 13:00 UTC" in acme, "UTC cadence", acme)
        times = re.findall(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", acme)
        check(times and not re.search(r"UTC\s*\n?\s*\d{4}-\d\d-\d\d \d\d:\d\d UTC", acme),
              "a project in UTC shows each time once", acme[:800])


def test_page_after_publication():
    rid = state["release"]
    st, _, r = svc.request("POST", f"/api/v1/projects/mautic/releases/{rid}/publish",
                           {"reason": "ready early"}, role="manager")
    check(st == 200 and r["status"] == "released", "published", st, r)
    res = browse(("mautic-published", "/p/mautic"), ("not-found", "/p/unknown"))
    for w in WIDTHS:
        page = res[("mautic-published", w)]
        html, text = page["html"], page["text"]
        for m in PRIVATE:
            check(m not in html, "private marker on the page after publication", m, w)
        for m in ADVISORY:
            check(m in html, "advisory field on the page after publication", m, w)
        past = html[html.index("Past releases"):]
        past = past[:past.index("</table>")]
        check(f'id="{rid}"' in past, "the published release is a past release", past[:500])
        check('data-label="Versions">5.x 5.1.3<' in past, "its versions", past)
        check('<a href="https://acme.example/sa/ADV-PAGE-URL">ADV-PAGE-TITLE</a> (CVE-2027-55555)'
              in past and "(critical)" in past, "title linked to the advisory, CVE, level", past)
        check(f'href="https://security.example.org/advisories/mautic/{rid}.csaf.json"' in past,
              "the release's CSAF document", past)
        check(re.search(r'>5\.x</td><td[^>]*>5\.1\.3</td>', html),
              "the branch's current version is the published one")
        nf = res[("not-found", w)]
        check(nf["status"] == 404 and "Not found" in nf["text"], "404 page in the browser",
              nf["status"], nf["text"])


def test_page_caching_and_404():
    st, h, body = svc.request("GET", "/p/mautic", raw=True)
    check(st == 200 and h["content-type"] == "text/html; charset=utf-8", "html", st, h)
    check(csp_hash_ok(body.decode(), h), "the CSP names the stylesheet's hash", h)
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
    for need, how in ((CHROMIUM, "scripts/setup.sh installs chromium"),
                      (os.path.join(ORACLES, "node_modules", "puppeteer-core"),
                       "scripts/oracles.sh installs puppeteer-core and axe-core")):
        if not os.path.exists(need):
            print(f"{need} is missing ({how})")
            raise SystemExit(1)
    try:
        svc = Service(config=config(), now=NOW).start()
        main([test_page_before_publication, test_page_after_publication,
              test_page_caching_and_404, test_unknown_project_404])
    finally:
        if svc:
            svc.stop()
