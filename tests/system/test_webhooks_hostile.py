"""Hostile receivers (issue 14), against the real binary:

- SMTP smuggling through titles: an issue title carrying "\\n.\\r\\n" and an SMTP command goes to
  a raw-socket SMTP server on 127.0.0.1 that, like the LF-tolerant servers the attack needs,
  ends the DATA at a "." line with any line ending and runs what follows as commands. Exactly
  one message arrives, exactly one MAIL FROM reaches the server, the DATA has CRLF line endings
  only, and the title text is there on one line.
- Absurd Retry-After answers: a 429 with `Retry-After: 99999999999999999999`, one with a date
  in year 9999 and a Discord 429 with `{"retry_after": 1e300}`. The service keeps running (also
  the sanitizer build, also after a restart) and each row waits no longer than the configured
  maximum (1 h by default: the deliveries API's next_attempt_at against the RELCAL_NOW clock);
  with `delivery_max_retry_after_seconds` 2 the retry really arrives about 2 s later."""
import datetime
import http.server
import json
import socket
import threading
import time

from relcal_testlib import Service, base_config, check, main, wait_for

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
TITLE = "x\n.\r\nMAIL FROM:<evil@example.org>\r\n"
START = "2026-11-24T12:00:00Z"
SEVERITY = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
HUGE = "99999999999999999999"
Y9999 = "Fri, 31 Dec 9999 23:59:59 GMT"

received = []  # webhook and Discord requests: {"path", "at"}
smtp_commands = []  # every command line the SMTP server ran
smtp_messages = []  # the raw DATA of every message it accepted (up to its end line)
svc = None
started = None  # time.monotonic() when svc started at START


class LaxSmtp(threading.Thread):
    """An SMTP server that treats a bare LF as a line ending (as LF-tolerant servers do)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]

    def run(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.session, args=(conn,), daemon=True).start()

    def session(self, conn):
        conn.settimeout(20)
        conn.sendall(b"220 lax.example ESMTP\r\n")
        pending, data, in_data = b"", b"", False
        try:
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                pending += chunk
                while b"\n" in pending:
                    raw, pending = pending.split(b"\n", 1)
                    line = raw[:-1] if raw.endswith(b"\r") else raw
                    if in_data:
                        if line == b".":
                            smtp_messages.append(data)
                            data, in_data = b"", False
                            conn.sendall(b"250 2.0.0 queued\r\n")
                        else:
                            data += raw + b"\n"
                        continue
                    smtp_commands.append(line.decode("latin-1"))
                    verb = line[:4].upper()
                    if verb in (b"EHLO", b"HELO"):
                        conn.sendall(b"250 lax.example\r\n")
                    elif verb == b"DATA":
                        in_data = True
                        conn.sendall(b"354 go ahead\r\n")
                    elif verb == b"QUIT":
                        conn.sendall(b"221 bye\r\n")
                        return
                    elif verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                        conn.sendall(b"250 ok\r\n")
                    else:
                        conn.sendall(b"500 unknown command\r\n")
        except OSError:
            pass
        finally:
            conn.close()


PLANS = {"/huge": [(429, {"Retry-After": HUGE}, b""), (200, {}, b"")],
         "/y9999": [(429, {"Retry-After": Y9999}, b""), (200, {}, b"")],
         "/discord": [(429, {"Content-Type": "application/json"},
                       json.dumps({"retry_after": 1e300, "global": False}).encode()),
                      (200, {"Content-Type": "application/json"}, b'{"id": "42"}')],
         "/capped": [(429, {"Retry-After": HUGE}, b""), (200, {}, b"")]}


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        path = self.path.split("?")[0]
        received.append({"path": path, "at": time.monotonic()})
        plan = PLANS[path]
        code, headers, body = plan.pop(0) if len(plan) > 1 else plan[0]
        self.send_response(code)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def hits(path):
    return [x for x in received if x["path"] == path]


def announce(service, title):
    st, _, i = service.request("POST", "/api/v1/projects/mautic/issues",
                               {"title": title, "severity": SEVERITY}, role="manager")
    check(st == 201, "issue", st, i)
    st, _, r = service.request("POST", "/api/v1/projects/mautic/releases",
                               {"date": "2026-11-29T12:00:00Z", "issues": [i["id"]],
                                "reason": "x", "override_reason": "exploited"}, role="admin")
    check(st == 201, "release", st, r)


def rows(service, channel):
    _, _, body = service.request("GET", "/api/v1/projects/mautic/deliveries", role="reader")
    return [x for x in body if x["channel"] == channel]


def instant(text):
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except (TypeError, ValueError, OverflowError):
        return None


def test_smtp_smuggling():
    check(wait_for(lambda: smtp_messages, 15), "a message arrived", smtp_commands)
    check(wait_for(lambda: [x for x in rows(svc, "distros") if x["state"] == "sent"], 10),
          "the e-mail delivery is sent", rows(svc, "distros"))
    time.sleep(1.0)  # anything smuggled would have reached the server by now
    mails = [c for c in smtp_commands if c.upper().startswith("MAIL FROM")]
    check(mails == ["MAIL FROM:<security@example.org>"], "exactly one MAIL FROM", smtp_commands)
    check(len(smtp_messages) == 1, "exactly one message", smtp_messages)
    verbs = [c[:4].upper() for c in smtp_commands]
    check(set(verbs) <= {"EHLO", "HELO", "MAIL", "RCPT", "DATA", "QUIT"} and
          verbs.count("DATA") == 1, "no stray command lines", smtp_commands)
    data = smtp_messages[0]
    check(data.count(b"\n") == data.count(b"\r\n") and data.count(b"\r") == data.count(b"\r\n"),
          "CRLF line endings only", data)
    lines = data.split(b"\r\n")
    check(b"." not in lines, "no line is a lone dot", data)
    title = [ln for ln in lines if b"MAIL FROM:<evil@example.org>" in ln]
    check(len(title) == 1 and title[0].startswith(b"#"),
          "the title text is there, on the issue's line", data)
    check(b"Subject: [Mautic]" in data, "headers intact", data[:400])


def wait_retry(service, channel):
    """The row after its 429: pending, one attempt made."""
    def pending():
        r = [x for x in rows(service, channel) if x["attempts"] >= 1]
        return r if r and r[0]["state"] == "pending" else None
    check(wait_for(pending, 15), f"{channel}: waiting after its 429", rows(service, channel))
    return pending()[0]


def test_absurd_retry_after_clamped():
    base = instant(START)
    for channel, path in (("huge", "/huge"), ("y9999", "/y9999"), ("announce", "/discord")):
        row = wait_retry(svc, channel)
        check(len(hits(path)) == 1, f"{channel}: not retried at once", hits(path))
        at = instant(row["next_attempt_at"])
        now = base + (time.monotonic() - started)
        check(at is not None and base <= at <= now + 3600 + 2,
              f"{channel}: next attempt within the 1 h maximum", row, now)
        check("429" in (row["last_error"] or ""), f"{channel}: the 429 recorded", row)
    check(svc.proc.poll() is None, "the service is still running", svc.logs()[-2000:])
    # Restarting with the rows waiting does not crash either (they are no longer in flight).
    check(svc.stop() == 0, "a clean stop", svc.logs()[-2000:])
    svc.start()
    time.sleep(1.5)
    check(svc.proc.poll() is None, "running after a restart", svc.logs()[-2000:])
    for channel in ("huge", "y9999", "announce"):
        row = rows(svc, channel)[0]
        check(row["state"] == "pending" and row["attempts"] == 1, f"{channel}: still waiting",
              row)


def test_configured_maximum():
    # delivery_max_retry_after_seconds 2: the absurd Retry-After is cut to 2 s, and the retry
    # really comes then (not at once, not in 1 h).
    cfg = base_config(delivery_max_retry_after_seconds=2)
    cfg["projects"][0]["channels"].append({
        "name": "capped", "type": "webhook", "audience": "distributors",
        "url": f"http://127.0.0.1:{port}/capped", "allow_insecure": True, "secret": SECRET})
    other = Service(config=cfg, now=START).start()
    try:
        announce(other, "capped")
        check(wait_for(lambda: len(hits("/capped")) >= 2, 15), "retried", hits("/capped"))
        a, b = hits("/capped")[:2]
        check(1.0 <= b["at"] - a["at"] <= 5.0, "retried after about 2 s", b["at"] - a["at"])
        check(wait_for(lambda: rows(other, "capped")[0]["state"] == "sent", 10), "sent",
              rows(other, "capped"))
        check(other.proc.poll() is None, "running", other.logs()[-2000:])
    finally:
        other.stop()


if __name__ == "__main__":
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    smtp = LaxSmtp()
    smtp.start()
    cfg = base_config()
    channels = cfg["projects"][0]["channels"]
    channels.append({"name": "distros", "type": "email", "audience": "distributors",
                     "smtp_url": f"smtp://127.0.0.1:{smtp.port}", "allow_insecure": True,
                     "from": "security@example.org", "to": ["a@lists.example"]})
    channels.append({"name": "announce", "type": "discord", "audience": "public",
                     "url": f"http://127.0.0.1:{port}/discord", "allow_insecure": True})
    for name in ("huge", "y9999"):
        channels.append({"name": name, "type": "webhook", "audience": "distributors",
                         "url": f"http://127.0.0.1:{port}/{name}", "allow_insecure": True,
                         "secret": SECRET})
    try:
        svc = Service(config=cfg, now=START)
        started = time.monotonic()
        svc.start()
        announce(svc, TITLE)
        main([test_smtp_smuggling, test_absurd_retry_after_clamped, test_configured_maximum])
    finally:
        if svc:
            svc.stop()
        server.shutdown()
        smtp.sock.close()
