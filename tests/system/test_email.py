"""E-mail deliveries to a real SMTP server on 127.0.0.1 (Debian's python3-aiosmtpd): an RFC 5322
message with Date, From, To (every recipient), Subject, Message-ID (the outbox id) and a UTF-8
text body carrying the embargoed list without descriptions; the subject says in words what
happens when, the Date has a numeric zone, and a later message about the release threads to the
first (In-Reply-To, References)."""
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
                            "cve": "CVE-2027-12345", "branches": ["5.x"],
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
    check(msg["Subject"] == "[Mautic] Embargoed security release 5.1.3 on 2026-11-29 12:00 UTC: "
          "1 issue", "the subject in words", msg["Subject"])
    check(raw.split(b"\r\n", 1)[0].endswith(b" +0000"), "Date with a numeric zone", raw[:60])
    check(b"Embargoed until: " in raw and b"Status: fix not ready yet" in raw,
          "the embargo end and the fix status", body)
    # A change distributors see: an update, threaded to the notice.
    st, _, _ = svc.request("PATCH", f"/api/v1/projects/mautic/issues/{i['id']}",
                           {"cve": "CVE-2027-12346"}, role="manager")
    check(st == 200, "cve changed", st)
    deadline = time.monotonic() + 15
    while len(got) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    check(len(got) == 2, "the update arrived", len(got))
    upd = email.message_from_bytes(got[1].original_content, policy=email.policy.default)
    check(upd["Subject"].startswith("[Mautic] Update: embargoed security release 5.1.3"),
          "update subject", upd["Subject"])
    check(upd["In-Reply-To"] == msg["Message-ID"] and upd["References"] == msg["Message-ID"],
          "threaded to the first message", upd["In-Reply-To"], msg["Message-ID"])
    check("CVE-2027-12346" in upd.get_content(), "the new CVE", upd.get_content())


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
