"""After publication every public surface tells the advisories (docs/POLICY.md "Disclosure"):
title, CVE, GHSA, severity (vector, score, label, level), affected and fixed versions, public
summary, credits, advisory URL (the issue's own, or the project's advisory_url_template filled
in) and the published instant, on the public release JSON, the public feed (DESCRIPTION, and a
SUMMARY naming the version), the page, a Discord-like and a Discourse-like receiver on
127.0.0.1 (the embeds within Discord's limits, no CVE id cut) and the public log channel; before
publication none of it appears anywhere public. A rescheduled release's public posts say the old
and the new date."""
import http.server
import json
import os
import threading

from relcal_testlib import Service, base_config, check, main, wait_for

svc = None
received = []
N = 12  # more advisories than Discord's 10 embeds
LONG = "\u2713" * 3000  # multi-byte, far beyond every Discord limit


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        received.append({"path": self.path, "body": body})
        answer = json.dumps({"id": 100 + len(received), "topic_id": 7}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


def cve(k):
    return f"CVE-2027-{20000 + k}"


def public_surfaces():
    out = {}
    for path in ("/feeds/mautic.ics", "/feeds/all.ics", "/p/mautic",
                 "/api/v1/projects/mautic/releases/oos-1", "/api/v1/projects/mautic/releases"):
        st, _, body = svc.request("GET", path, raw=True)
        check(st == 200, "public surface", path, st)
        out[path] = body.decode().replace("\r\n ", "")  # unfold iCalendar lines
    out["public log"] = open(os.path.join(svc.dir, "public.log")).read()
    out["receivers"] = json.dumps(received, ensure_ascii=False)
    return out


ids = []


def test_before_publication():
    for k in range(N):
        body = {"title": f"ADV-TITLE-{k} {LONG[:160] if k == 0 else ''}", "cve": cve(k),
                "severity": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                "branches": ["5.x"], "public_summary": f"ADV-SUMMARY-{k} {LONG}",
                "credits": [{"name": f"ADV-CREDIT-{k}", "role": "FINDER"}, {"name": "Bo"}]}
        if k == 0:
            body["advisory_url"] = "https://acme.example/own/ADV-URL-0"
            body["ghsa"] = "GHSA-2c3f-4g5h-6j7m"
        st, _, i = svc.request("POST", "/api/v1/projects/mautic/issues", body, role="manager")
        check(st == 201, "issue", st, i)
        check(i["credits"][0] == {"name": f"ADV-CREDIT-{k}", "role": "FINDER"}, "credits", i)
        for to in ("acknowledged", "confirmed", "fix_ready"):
            st, _, i = svc.request("PATCH", f"/api/v1/projects/mautic/issues/{i['id']}",
                                   {"status": to}, role="manager")
            check(st == 200, "transition", st, i)
        ids.append(i["id"])
    # A bad credit is refused naming the field.
    st, _, e = svc.request("PATCH", f"/api/v1/projects/mautic/issues/{ids[0]}",
                           {"credits": [{"name": "x", "role": "HERO"}]}, role="manager")
    check(st == 422 and e["error"]["details"]["field"] == "credits", "bad role refused", st, e)
    st, _, r = svc.request("POST", "/api/v1/projects/mautic/releases",
                           {"date": "2026-11-29T12:00:00Z", "issues": ids, "reason": "x",
                            "override_reason": "exploited"}, role="admin")
    check(st == 201, "release", st, r)
    # Moved: the public posts say both dates.
    st, _, r = svc.request("PATCH", "/api/v1/projects/mautic/releases/oos-1",
                           {"date": "2026-12-01T12:00:00Z"}, role="manager")
    check(st == 200, "moved", st, r)
    discord = lambda t: [x["body"] for x in received if x["path"].startswith("/discord")
                         and t in json.dumps(x["body"])]
    check(wait_for(lambda: discord("rescheduled"), 10), "rescheduled post", received)
    desc = discord("rescheduled")[0]["embeds"][0]["description"]
    check("Moved from 2026-11-29 13:00 Europe/Berlin (2026-11-29 12:00 UTC) to "
          "2026-12-01 13:00 Europe/Berlin (2026-12-01 12:00 UTC)" in desc, "both dates", desc)
    forum = lambda: [x["body"] for x in received if x["path"] == "/forum/posts.json"]
    check(wait_for(lambda: any("Moved from" in p["raw"] for p in forum()), 10), "forum", forum())
    st, _, rel = svc.request("GET", "/api/v1/projects/mautic/releases/oos-1")
    check("advisories" not in rel, "no advisories before publication", rel)
    surfaces = public_surfaces()
    for name, text in surfaces.items():
        for mark in ("ADV-TITLE-", "ADV-SUMMARY-", "ADV-CREDIT-", "ADV-URL-", cve(0),
                     "GHSA-2c3f", "acme.example/sa/"):
            check(mark not in text, f"before publication: {mark} on {name}")


def test_after_publication():
    st, _, r = svc.request("POST", "/api/v1/projects/mautic/releases/oos-1/publish",
                           {"reason": "exploited in the wild"}, role="manager")
    check(st == 200, "published", st, r)
    st, _, rel = svc.request("GET", "/api/v1/projects/mautic/releases/oos-1")
    advs = rel["advisories"]
    check(len(advs) == N, "every advisory in the public JSON", len(advs))
    a = advs[0]
    check(a["cve"] == cve(0) and a["ghsa"] == "GHSA-2c3f-4g5h-6j7m", "ids", a)
    check(a["severity"]["vector"] == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" and
          a["severity"]["score"] == 9.8 and a["severity"]["label"] == "Critical" and
          a["level"] == "critical", "severity", a)
    check(a["versions"] == [{"branch": "5.x", "affected": "< 5.1.3", "fixed": "5.1.3"}],
          "versions", a)
    check(a["credits"] == [{"name": "ADV-CREDIT-0", "role": "FINDER"}, {"name": "Bo"}],
          "credits", a)
    check(a["advisory_url"] == "https://acme.example/own/ADV-URL-0", "own URL", a)
    check(advs[1]["advisory_url"] == f"https://acme.example/sa/{ids[1]}", "template URL", advs[1])
    check(a["published_at"], "published instant", a)
    check("description" not in a and "status" not in a and "id" not in a, "public fields only", a)
    surfaces = public_surfaces()
    feed = surfaces["/feeds/mautic.ics"]
    check("SUMMARY:Mautic 5.1.3 security release (out of sequence)" in feed, "summary", feed)
    for name in ("/feeds/mautic.ics", "/feeds/all.ics", "/p/mautic"):
        text = surfaces[name]
        for k in range(N):
            check(cve(k) in text and f"ADV-CREDIT-{k}" in text, f"advisory {k} on {name}")
        check("https://acme.example/own/ADV-URL-0" in text, "own URL", name)
        check(f"https://acme.example/sa/{ids[1]}" in text, "template URL", name)
        check("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" in text, "vector", name)
        check("5.x 5.1.3" in text, "fixed version", name)
    # Discord: the release, then the advisories, within every limit.
    pub = lambda: [x["body"] for x in received if x["path"].startswith("/discord")
                   and "published" in x["body"]["content"]]
    check(wait_for(pub, 10), "discord publication", received)
    body = pub()[0]
    embeds = body["embeds"]
    check(len(embeds) <= 10, "at most 10 embeds", len(embeds))
    total = sum(len(e["title"]) + len(e["description"]) for e in embeds)
    check(total <= 6000, "6000 in all", total)
    for e in embeds:
        check(len(e["title"]) <= 256 and len(e["description"]) <= 4096, "per embed", e["title"])
    shown = [k for k in range(N) if any(cve(k) in e["title"] or cve(k) in e["description"]
                                        for e in embeds[1:])]
    check(shown[:9] == list(range(9)), "the advisories in order", shown)
    text = json.dumps(embeds, ensure_ascii=False)
    import re
    for m in re.finditer(r"CVE-2027-\d*", text):
        check(len(m.group(0)) == 14, "no CVE id cut", m.group(0))
    check(embeds[1]["title"].startswith(cve(0) + ": ADV-TITLE-0"), "id first", embeds[1]["title"])
    check("Credits: ADV-CREDIT-0 (FINDER), Bo" in embeds[1]["description"], "credits",
          embeds[1]["description"])
    check(len(shown) == N or "more" in embeds[-1]["description"], "the rest counted")
    # Discourse: every advisory in the markdown.
    forum = lambda: [x["body"] for x in received if x["path"] == "/forum/posts.json"
                     and "published" in x["body"]["raw"]]
    check(wait_for(forum, 10), "forum publication", received)
    raw = forum()[0]["raw"]
    for k in range(N):
        check(f"#### {cve(k)}: ADV-TITLE-{k}" in raw, "advisory in the post", k)
    check("Severity: Critical 9.8 (critical)" in raw and "5.x: affected < 5.1.3, fixed in 5.1.3"
          in raw, "severity and versions", raw[:2000])


if __name__ == "__main__":
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    cfg = base_config()
    p = cfg["projects"][0]
    p["advisory_url_template"] = "https://acme.example/sa/{id}"
    p["channels"] = [
        {"name": "team", "type": "log", "audience": "team", "path": "team.log"},
        {"name": "news", "type": "log", "audience": "public", "path": "public.log"},
        {"name": "announce", "type": "discord", "audience": "public",
         "url": f"http://127.0.0.1:{port}/discord", "allow_insecure": True},
        {"name": "forum", "type": "discourse", "audience": "public",
         "base_url": f"http://127.0.0.1:{port}/forum", "allow_insecure": True,
         "api_key": "forum-key", "api_username": "system", "category_id": 7}]
    try:
        svc = Service(config=cfg, now="2026-11-24T12:00:00Z").start()
        main([test_before_publication, test_after_publication])
    finally:
        if svc:
            svc.stop()
        server.shutdown()
