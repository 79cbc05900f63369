"""Signed webhook deliveries to a real receiver on 127.0.0.1 (Python standard library): the
signature is checked with an independent HMAC implementation (Standard Webhooks v1); a 500, a
closed connection and a receiver that hangs past the 30 s timeout are retried with the same
webhook-id and a new timestamp; a 429 waits for its Retry-After; a 404 is dead at once; a 410
disables the channel, the team hears of it, later messages are held until an admin retry; and
the outbox shows each outcome."""
import base64
import hashlib
import hmac
import http.server
import json
import threading
import time

from relcal_testlib import Service, base_config, check, main, wait_for

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
received = []
plan = {"/ok": [200], "/flaky": [500, 200], "/gone": [404], "/limited": [429, 200],
        "/drop": ["close", 200], "/slow": ["hang", 200], "/moved": [410, 200], "/priv": [200]}
svc = None


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.path.startswith("/forum"):
            posts = [x for x in received if x["path"].startswith("/forum")]
            received.append({"path": self.path, "body": json.loads(body),
                             "key": self.headers["Api-Key"], "user": self.headers["Api-Username"]})
            answer = json.dumps({"id": 100 + len(posts), "topic_id": 7}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
            return
        if self.path.startswith("/discord"):
            received.append({"path": self.path, "body": json.loads(body)})
            answer = json.dumps({"id": "42"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
            return
        key = base64.b64decode(SECRET[len("whsec_"):])
        signed = f"{self.headers['webhook-id']}.{self.headers['webhook-timestamp']}.".encode() + body
        expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
        received.append({"path": self.path, "id": self.headers["webhook-id"],
                         "ts": self.headers["webhook-timestamp"], "at": time.monotonic(),
                         "valid": hmac.compare_digest(expected, self.headers["webhook-signature"]),
                         "body": json.loads(body)})
        codes = plan[self.path]
        code = codes.pop(0) if len(codes) > 1 else codes[0]
        if code == "close":  # no answer at all
            self.close_connection = True
            return
        if code == "hang":  # longer than relcal's 30 s total timeout
            time.sleep(33)
            return
        self.send_response(code)
        if code == 429:
            self.send_header("Retry-After", "2")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass




def test_deliveries():
    st, _, i = svc.request("POST", "/api/v1/projects/mautic/issues",
                           {"title": "HOOK-TITLE", "description": "HOOK-DESC",
                            "severity": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
                           role="manager")
    st, _, r = svc.request("POST", "/api/v1/projects/mautic/releases",
                           {"date": "2026-11-29T12:00:00Z", "issues": [i["id"]], "reason": "x",
                            "override_reason": "exploited"}, role="admin")
    check(st == 201, "release", st, r)
    check(wait_for(lambda: any(x["path"] == "/ok" for x in received), 10), "delivered", received)
    ok = [x for x in received if x["path"] == "/ok"][0]
    check(ok["valid"], "signature verified independently", ok)
    check(ok["body"]["type"] == "release.distributor_notice", "type", ok["body"])
    titles = [x["title"] for x in ok["body"]["data"]["issues"]]
    check(titles == ["HOOK-TITLE"] and "HOOK-DESC" not in json.dumps(ok["body"]),
          "issues without descriptions", ok["body"])
    # 500 then 200: retried after about 5 s with the same id and a new timestamp.
    check(wait_for(lambda: len([x for x in received if x["path"] == "/flaky"]) >= 2, 20),
          "retried", received)
    flaky = [x for x in received if x["path"] == "/flaky"]
    check(flaky[0]["id"] == flaky[1]["id"] and flaky[0]["ts"] != flaky[1]["ts"],
          "same id, new timestamp", flaky)
    check(all(x["valid"] for x in flaky), "signatures", flaky)

    def states():
        st, _, rows = svc.request("GET", "/api/v1/projects/mautic/deliveries", role="reader")
        return {x["channel"]: x for x in rows if x["message_type"] == "release.distributor_notice"}
    check(wait_for(lambda: states().get("flaky", {}).get("state") == "sent", 10), "flaky sent",
          states())
    s = states()
    check(s["ok"]["state"] == "sent" and s["ok"]["attempts"] == 1, "ok sent once", s["ok"])
    check(s["flaky"]["attempts"] == 2, "two attempts", s["flaky"])
    check(s["gone"]["state"] == "dead" and "404" in s["gone"]["last_error"], "404 dead", s["gone"])
    check(s["gone"]["channel_disabled"], "a 404 disables the channel too", s["gone"])


def hits(path):
    return [x for x in received if x["path"] == path]


def test_retry_after_honoured():
    check(wait_for(lambda: len(hits("/limited")) >= 2, 15), "retried after 429", received)
    a, b = hits("/limited")[:2]
    gap = b["at"] - a["at"]
    check(1.5 <= gap <= 4.5, "Retry-After: 2 honoured (not the 5 s backoff)", gap)
    check(a["id"] == b["id"], "same id")


def test_closed_connection_retried():
    check(wait_for(lambda: len(hits("/drop")) >= 2, 15), "retried after a closed connection")
    a, b = hits("/drop")[:2]
    check(a["id"] == b["id"] and a["ts"] != b["ts"] and b["valid"], "same id, new signature")


def dead_lines(kind):
    return [json.loads(line) for line in svc.logs().splitlines()
            if line.startswith("{") and f'"{kind}"' in line]


def test_gone_disables_and_reports():
    # 410: dead, the channel disabled, the team told (its log channel), and nothing more is sent
    # to it until an admin retries.
    def moved_rows():
        _, _, rows = svc.request("GET", "/api/v1/projects/mautic/deliveries", role="reader")
        return [x for x in rows if x["channel"] == "moved"]
    check(wait_for(lambda: any(x["state"] == "dead" for x in moved_rows()), 10), "dead",
          moved_rows())
    dead = [x for x in moved_rows() if x["state"] == "dead"][0]
    check(dead["channel_disabled"] and "410" in dead["channel_disabled_reason"], "disabled", dead)
    check(wait_for(lambda: dead_lines("channel.disabled"), 10), "team told", svc.logs()[-2000:])
    report = dead_lines("delivery.dead")
    check(any(r["data"]["delivery"]["channel"] == "moved" and "410" in
              r["data"]["delivery"]["error"] for r in report), "dead delivery reported", report)
    # The Discourse test below moves the release: its message to `moved` waits meanwhile.
    return dead["id"]


def test_held_until_admin_retry():
    held_before = len(hits("/moved"))
    st, _, body = svc.request("PATCH", "/api/v1/projects/mautic/releases/oos-1",
                              {"date": "2026-12-03T12:00:00Z"}, role="manager")
    check(st == 200, "moved", st, body)
    time.sleep(2.5)
    rows = [x for x in svc.request("GET", "/api/v1/projects/mautic/deliveries",
                                   role="reader")[2] if x["channel"] == "moved"]
    pending = [x for x in rows if x["state"] == "pending"]
    check(pending and len(hits("/moved")) == held_before, "held while disabled", rows)
    dead = [x for x in rows if x["state"] == "dead"][0]
    st, _, _ = svc.request("POST", f"/api/v1/projects/mautic/deliveries/{dead['id']}/retry",
                           role="manager")
    check(st == 403, "retry is for admins", st)
    st, _, body = svc.request("POST", f"/api/v1/projects/mautic/deliveries/{dead['id']}/retry",
                              role="admin")
    check(st == 200 and body["state"] == "pending", "re-queued", st, body)
    st, _, _ = svc.request("POST", f"/api/v1/projects/mautic/deliveries/{dead['id']}/retry",
                           role="admin")
    check(st == 404, "only dead rows", st)
    check(wait_for(lambda: len(hits("/moved")) >= held_before + 2, 10), "both delivered",
          hits("/moved"))
    rows = [x for x in svc.request("GET", "/api/v1/projects/mautic/deliveries",
                                   role="reader")[2] if x["channel"] == "moved"]
    check(all(x["state"] == "sent" and not x["channel_disabled"] for x in rows), "sent", rows)


def test_hanging_receiver_times_out():
    # The first message to /slow hangs; its retry (same id) comes after the timeout and backoff.
    check(wait_for(lambda: hits("/slow"), 10), "first try")
    first = hits("/slow")[0]
    again = lambda: [x for x in hits("/slow")[1:] if x["id"] == first["id"]]
    check(wait_for(again, 50), "retried after the timeout", hits("/slow"))
    gap = again()[0]["at"] - first["at"]
    check(30 <= gap <= 45, "30 s timeout then about 5 s backoff", gap)


def test_discord_public_message():
    # The out-of-sequence release above was announced publicly: Discord gets the public object.
    check(wait_for(lambda: any(x["path"].startswith("/discord") for x in received), 10),
          "discord message", received)
    d = [x for x in received if x["path"].startswith("/discord")][0]
    check(d["path"] == "/discord?wait=true", "wait=true", d["path"])
    body = d["body"]
    check(body["allowed_mentions"] == {"parse": []}, "no mentions", body)
    desc = body["embeds"][0]["description"]
    check("2026-11-29 13:00 Europe/Berlin (2026-11-29 12:00 UTC)" in desc, "times", desc)
    check("HOOK" not in json.dumps(body), "nothing private in a public message", body)
    check(len(body["content"]) <= 2000 and len(body["embeds"][0]["title"]) <= 256, "limits")


def test_discourse_topic_then_reply():
    posts = lambda: [x for x in received if x["path"] == "/forum/posts.json"]
    check(wait_for(lambda: len(posts()) >= 1, 10), "first post", received)
    first = posts()[0]
    check(first["key"] == "forum-key" and first["user"] == "system", "auth headers", first)
    b = first["body"]
    check(b["category"] == 7 and "topic_id" not in b and len(b["title"]) >= 15, "new topic", b)
    check("oos-1" in b["title"] and "2026-11-29" in b["title"], "unique title", b["title"])
    check(b["external_id"], "external_id", b)
    st, _, r = svc.request("PATCH", "/api/v1/projects/mautic/releases/oos-1",
                           {"date": "2026-12-01T12:00:00Z"}, role="manager")
    check(st == 200, "moved", st, r)
    check(wait_for(lambda: len(posts()) >= 2, 10), "second post", received)
    second = posts()[1]["body"]
    check(second["topic_id"] == 7 and "title" not in second, "a reply in the same topic", second)
    check(second["external_id"] != b["external_id"], "one external_id per message")
    check("HOOK" not in json.dumps(second), "public only", second)


def test_private_address_refused():
    # Without allow_private_addresses a loopback receiver is refused after name resolution.
    cfg = base_config(allow_private_addresses=False)
    cfg["projects"][0]["channels"].append({
        "name": "local", "type": "webhook", "audience": "distributors",
        "url": f"http://localhost:{port}/priv", "allow_insecure": True, "secret": SECRET})
    other = Service(config=cfg, now="2026-11-24T12:00:00Z").start()
    try:
        st, _, i = other.request("POST", "/api/v1/projects/mautic/issues",
                                 {"title": "t", "severity":
                                  "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}, role="manager")
        other.request("POST", "/api/v1/projects/mautic/releases",
                      {"date": "2026-11-29T12:00:00Z", "issues": [i["id"]], "reason": "x",
                       "override_reason": "x"}, role="admin")

        def dead():
            _, _, rows = other.request("GET", "/api/v1/projects/mautic/deliveries?state=dead",
                                       role="reader")
            return [x for x in rows if x["channel"] == "local"]
        check(wait_for(dead, 10), "dead")
        check("private" in dead()[0]["last_error"], "reason", dead())
        check(not hits("/priv"), "nothing reached the receiver")
    finally:
        other.stop()


if __name__ == "__main__":
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    globals()["port"] = port
    cfg = base_config()
    cfg["projects"][0]["channels"].append({
        "name": "announce", "type": "discord", "audience": "public",
        "url": f"http://127.0.0.1:{port}/discord", "allow_insecure": True})
    cfg["projects"][0]["channels"].append({
        "name": "forum", "type": "discourse", "audience": "public",
        "base_url": f"http://127.0.0.1:{port}/forum", "allow_insecure": True,
        "api_key": "forum-key", "api_username": "system", "category_id": 7})
    for name in ("ok", "flaky", "gone", "limited", "drop", "slow", "moved"):
        cfg["projects"][0]["channels"].append({
            "name": name, "type": "webhook", "audience": "distributors",
            "url": f"http://127.0.0.1:{port}/{name}", "allow_insecure": True, "secret": SECRET})
    try:
        svc = Service(config=cfg, now="2026-11-24T12:00:00Z").start()
        main([test_deliveries, test_retry_after_honoured, test_closed_connection_retried,
              test_gone_disables_and_reports, test_discord_public_message,
              test_discourse_topic_then_reply, test_held_until_admin_retry,
              test_private_address_refused, test_hanging_receiver_times_out])
    finally:
        if svc:
            svc.stop()
        server.shutdown()
