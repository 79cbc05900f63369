"""E-mail deliveries to a real SMTP server on 127.0.0.1 (Debian's python3-aiosmtpd): an RFC 5322
message with Date, From, To (every recipient), Subject, Message-ID (the outbox id) and a UTF-8
text body carrying the embargoed list without descriptions."""
import email
import email.policy
import time

from aiosmtpd.controller import Controller

from relcal_testlib import Service, base_config, check, free_port, main

got = []
svc = None


class Handler:
    async def handle_DATA(self, server, session, envelope):
        got.append(envelope)
        return "250 OK"


def test_distributor_mail():
    st, _, i = svc.request("POST", "/api/v1/projects/mautic/issues",
                           {"title": "MAIL-TITLE Überprüfung", "description": "MAIL-DESC",
                            "cve": "CVE-2027-12345",
                            "severity": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
                           role="manager")
    st, _, r = svc.request("POST", "/api/v1/projects/mautic/releases",
                           {"date": "2026-11-29T12:00:00Z", "issues": [i["id"]], "reason": "x",
                            "override_reason": "exploited"}, role="admin")
    check(st == 201, "release", st, r)
    deadline = time.monotonic() + 15
    while not got and time.monotonic() < deadline:
        time.sleep(0.1)
    check(got, "a message arrived")
    env = got[0]
    check(sorted(env.rcpt_tos) == ["a@lists.example", "b@lists.example"], "every recipient",
          env.rcpt_tos)
    check(env.mail_from == "security@example.org", "envelope from", env.mail_from)
    raw = env.original_content
    check(b"\r\n\r\n" in raw, "CRLF header/body separator")
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    for h in ("Date", "From", "To", "Subject", "Message-ID"):
        check(msg[h], "header " + h, raw[:400])
    check("a@lists.example" in msg["To"] and "b@lists.example" in msg["To"], "To", msg["To"])
    body = msg.get_content()
    check("MAIL-TITLE Überprüfung" in body and "CVE-2027-12345" in body, "detail", body)
    check("MAIL-DESC" not in body, "never the description", body)
    st, _, rows = svc.request("GET", "/api/v1/projects/mautic/deliveries", role="reader")
    mail = [x for x in rows if x["channel"] == "distros"][0]
    check(mail["id"] in msg["Message-ID"], "Message-ID is the outbox id", mail, msg["Message-ID"])
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        st, _, rows = svc.request("GET", "/api/v1/projects/mautic/deliveries", role="reader")
        mail = [x for x in rows if x["channel"] == "distros"][0]
        if mail["state"] == "sent":
            break
        time.sleep(0.1)
    check(mail["state"] == "sent", "sent", mail)


if __name__ == "__main__":
    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    cfg = base_config()
    cfg["projects"][0]["channels"].append({
        "name": "distros", "type": "email", "audience": "distributors",
        "smtp_url": f"smtp://127.0.0.1:{port}", "allow_insecure": True,
        "from": "security@example.org", "to": ["a@lists.example", "b@lists.example"]})
    try:
        svc = Service(config=cfg, now="2026-11-24T12:00:00Z").start()
        main([test_distributor_mail])
    finally:
        if svc:
            svc.stop()
        controller.stop()
