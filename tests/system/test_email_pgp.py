"""OpenPGP e-mail (RFC 3156) checked with the real gpg, not relcal's code: keys are generated with
Debian's gnupg into temporary homes; the mail arrives at a real SMTP server on 127.0.0.1
(python3-aiosmtpd). Distributors mail is multipart/encrypted to every recipient key (one in the
service's keyring by fingerprint, one an armored key file) and signed by the project: each
distributor decrypts it with gpg and sees the details and a good signature, while the raw mail on
the wire carries none of them. Public mail is multipart/signed and verifies. With encryption
required, a recipient key that is missing or expired makes the delivery dead with a clear
last_error and a delivery.dead report to the team, and nothing is sent in clear; only the
explicit "if_possible" falls back to signed mail. `relcal check`
names the missing and expired keys and warns of one that expires within 30 days."""
import email
import email.policy
import json
import os
import re
import shutil
import subprocess
import tempfile
import time

from aiosmtpd.controller import Controller

from relcal_testlib import (Service, base_config, check, free_port, log_messages, main, run,
                            CRITICAL)

MARKER = "PGPMARKER-7Q2"
PASSPHRASE = "correct horse battery"
got = []
svc = None
homes = {}
tmp = None
fprs = {}


class Handler:
    async def handle_DATA(self, server, session, envelope):
        got.append(envelope)
        return "250 OK"


def gpg(home, *args, input=None, check_rc=True, passphrase=""):
    p = subprocess.run(["gpg", "--batch", "--homedir", home, "--pinentry-mode", "loopback",
                        "--passphrase", passphrase, *args], input=input, capture_output=True,
                       timeout=60)
    if check_rc and p.returncode != 0:
        raise AssertionError(f"gpg {args}: {p.returncode} {p.stderr.decode(errors='replace')}")
    return p


def new_home(name):
    h = os.path.join(tmp, name)
    os.mkdir(h, 0o700)
    homes[name] = h
    return h


def gen_key(home, uid, expiry="never", faked=None, passphrase=""):
    extra = ["--faked-system-time", faked] if faked else []
    gpg(home, *extra, "--quick-gen-key", uid, "future-default", "default", expiry,
        passphrase=passphrase)
    out = gpg(home, "--with-colons", "--list-keys", uid).stdout.decode()
    return re.search(r"^fpr:+([0-9A-F]{40}):", out, re.M).group(1)


def export(home, fpr, path=None):
    data = gpg(home, "--armor", "--export", fpr).stdout
    if path:
        with open(path, "wb") as f:
            f.write(data)
    return data


def set_up_keys():
    svc_home = new_home("service")
    # The project's key has a passphrase, given to relcal by file (gpg gets it by loopback).
    fprs["project"] = gen_key(svc_home, "Mautic Security <security@example.org>",
                              passphrase=PASSPHRASE)
    with open(os.path.join(tmp, "passphrase"), "w") as f:
        f.write(PASSPHRASE + "\n")
    project_pub = export(svc_home, fprs["project"])
    for d in ("dist-a", "dist-b"):
        h = new_home(d)
        fprs[d] = gen_key(h, f"{d} <{d}@lists.example>")
        gpg(h, "--import", input=project_pub)
    # dist-a is known by fingerprint (imported into the service's keyring), dist-b by its file.
    gpg(svc_home, "--import", input=export(homes["dist-a"], fprs["dist-a"]))
    export(homes["dist-b"], fprs["dist-b"], os.path.join(tmp, "dist-b.asc"))
    old = new_home("old")
    fprs["old"] = gen_key(old, "old <old@lists.example>", "1d", faked="20200101T000000!")
    export(old, fprs["old"], os.path.join(tmp, "old.asc"))
    soon = new_home("soon")
    fprs["soon"] = gen_key(soon, "soon <soon@lists.example>", "10d")
    export(soon, fprs["soon"], os.path.join(tmp, "soon.asc"))
    return svc_home


def mails_to(addr):
    return [e for e in got if addr in e.rcpt_tos]


def wait_mail(addr, timeout=20):
    deadline = time.monotonic() + timeout
    while not mails_to(addr) and time.monotonic() < deadline:
        time.sleep(0.1)
    return mails_to(addr)


def status_lines(p):
    return p.stdout.decode(errors="replace")


def test_encrypted_and_signed_for_distributors():
    st, _, i = svc.request("POST", "/api/v1/projects/mautic/issues",
                           {"title": MARKER + " Überprüfung", "cve": "CVE-2027-55555",
                            "branches": ["5.x"], "severity": CRITICAL}, role="manager")
    check(st == 201, "issue", st, i)
    st, _, r = svc.request("POST", "/api/v1/projects/mautic/releases",
                           {"date": "2026-11-29T12:00:00Z", "issues": [i["id"]], "reason": "x",
                            "override_reason": "exploited"}, role="admin")
    check(st == 201, "release", st, r)
    mails = wait_mail("a@lists.example")
    check(mails, "the distributors mail arrived")
    env = mails[0]
    check(sorted(env.rcpt_tos) == ["a@lists.example", "b@lists.example"], "recipients",
          env.rcpt_tos)
    raw = env.original_content
    check(MARKER.encode() not in raw and b"CVE-2027-55555" not in raw
          and "Überprüfung".encode() not in raw, "no detail on the wire", raw[:3000])
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    for h in ("Date", "From", "To", "Subject", "Message-ID"):
        check(msg[h], "header kept: " + h, raw[:600])
    check(msg.get_content_type() == "multipart/encrypted"
          and msg.get_param("protocol") == "application/pgp-encrypted", "RFC 3156 section 4",
          msg["Content-Type"])
    parts = list(msg.iter_parts())
    check(len(parts) == 2 and parts[0].get_content_type() == "application/pgp-encrypted"
          and b"Version: 1" in parts[0].get_payload(decode=True), "version part", raw[:2000])
    check(parts[1].get_content_type() == "application/octet-stream", "octet-stream part",
          parts[1]["Content-Type"])
    armored = parts[1].get_payload(decode=True)
    check(armored.startswith(b"-----BEGIN PGP MESSAGE-----"), "armored", armored[:80])
    for d in ("dist-a", "dist-b"):
        p = gpg(homes[d], "--status-fd", "2", "--decrypt", input=armored, check_rc=False)
        status = p.stderr.decode(errors="replace")
        check(p.returncode == 0, f"{d} decrypts with gpg", status)
        check(f"VALIDSIG {fprs['project']}" in status and "GOODSIG" in status,
              f"{d}: a good signature by the project's key", status)
        inner = email.message_from_bytes(p.stdout, policy=email.policy.default)
        text = inner.get_content()
        check(inner.get_content_type() == "text/plain", "inner text/plain", p.stdout[:300])
        check(MARKER + " Überprüfung" in text and "CVE-2027-55555" in text,
              f"{d}: the details in the plaintext", text)
    # The channels whose keys are missing or expired sent nothing, in clear or otherwise.
    check(not mails_to("m@lists.example") and not mails_to("e@lists.example"),
          "nothing sent without a usable key", [e.rcpt_tos for e in got])
    check(not any(MARKER.encode() in e.original_content for e in got), "no mail in clear")


def test_required_encryption_refuses():
    def rows():
        st, _, rs = svc.request("GET", "/api/v1/projects/mautic/deliveries", role="reader")
        return {x["channel"]: x for x in rs if x["message_type"] == "release.distributor_notice"}
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        r = rows()
        if all(r.get(c, {}).get("state") == "dead" for c in ("missing", "expired")):
            break
        time.sleep(0.2)
    r = rows()
    check(r["missing"]["state"] == "dead", "missing key: dead", r.get("missing"))
    check("DEADBEEF" in r["missing"]["last_error"]
          and "not in the keyring" in r["missing"]["last_error"]
          and "not sent in clear" in r["missing"]["last_error"], "the reason", r["missing"])
    check(r["expired"]["state"] == "dead" and "expired" in r["expired"]["last_error"]
          and fprs["old"] in r["expired"]["last_error"], "expired key: dead", r["expired"])
    check(r["distros"]["state"] == "sent", "the good channel sent", r["distros"])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        dead = log_messages(svc, "team.log", "delivery.dead")
        if len(dead) >= 2:
            break
        time.sleep(0.2)
    by = {m["data"]["delivery"]["channel"]: m for m in dead}
    check(set(by) == {"missing", "expired"}, "the team got a report per dead delivery", dead)
    check("not in the keyring" in by["missing"]["data"]["delivery"]["error"], "report error",
          by["missing"])
    time.sleep(1)
    check(not mails_to("m@lists.example") and not mails_to("e@lists.example"), "still nothing")


def test_signed_public_mail():
    # Public mail once the release is published: multipart/signed, verifiable with gpg.
    mails = wait_mail("news@lists.example", timeout=5)
    check(mails, "a public mail arrived", [e.rcpt_tos for e in got])
    raw = mails[0].original_content
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    check(msg.get_content_type() == "multipart/signed"
          and msg.get_param("protocol") == "application/pgp-signature"
          and msg.get_param("micalg").startswith("pgp-"), "RFC 3156 section 5",
          msg["Content-Type"])
    boundary = msg.get_boundary().encode()
    body = raw.split(b"\r\n\r\n", 1)[1]
    first = body.split(b"--" + boundary + b"\r\n")[1]
    signed = first[:-2] if first.endswith(b"\r\n") else first  # the CRLF before the boundary
    sig = list(msg.iter_parts())[1].get_payload(decode=True)
    with open(os.path.join(tmp, "signed.txt"), "wb") as f:
        f.write(signed)
    with open(os.path.join(tmp, "signed.sig"), "wb") as f:
        f.write(sig)
    p = gpg(homes["dist-a"], "--status-fd", "2", "--verify", os.path.join(tmp, "signed.sig"),
            os.path.join(tmp, "signed.txt"), check_rc=False)
    status = p.stderr.decode(errors="replace")
    check(p.returncode == 0 and f"VALIDSIG {fprs['project']}" in status, "gpg --verify", status)
    check(msg.get_body().get_content(), "readable text")


def test_if_possible_falls_back_to_signed():
    # encrypt "if_possible" (never the default) with a missing key: signed only, and sent.
    mails = wait_mail("maybe@lists.example", timeout=10)
    check(mails, "the if_possible channel sent", [e.rcpt_tos for e in got])
    msg = email.message_from_bytes(mails[0].original_content, policy=email.policy.default)
    check(msg.get_content_type() == "multipart/signed", "signed only", msg["Content-Type"])
    check(MARKER in msg.get_body().get_content(), "in clear, as configured")


def test_check_names_the_keys():
    p = run("check", "-c", svc.config_path)
    err = p.stderr
    check(p.returncode == 2, "relcal check fails on unusable keys (exit 2)", p.returncode, err)
    check("DEADBEEF" in err and "not in the keyring" in err, "the missing key named", err)
    check(fprs["old"] in err and "expired" in err, "the expired key named", err)
    check(fprs["soon"] in err and "warning" in err and "expires in" in err,
          "a key expiring within 30 days warned", err)
    check(fprs["dist-a"] not in err and fprs["dist-b"] not in err
          and fprs["project"] not in err, "good keys pass quietly", err)
    # A keyring that is not there is named too (gpg is not left to create it).
    cfg = base_config()
    cfg["projects"][0]["channels"].append({
        "name": "nohome", "type": "email", "audience": "team", "smtp_url": "smtp://127.0.0.1:1",
        "from": "security@example.org", "to": ["t@example.org"],
        "pgp": {"keyring": os.path.join(tmp, "absent"), "signing_key": fprs["project"]}})
    path = os.path.join(tmp, "nohome.json")
    with open(path, "w") as f:
        json.dump(cfg, f)
    p = run("check", "-c", path)
    check(p.returncode == 2 and "channel nohome: pgp: the GnuPG home" in p.stderr
          and "not a readable directory" in p.stderr, "a missing keyring", p.returncode, p.stderr)
    check(not os.path.exists(os.path.join(tmp, "absent")), "the keyring was not created")


if __name__ == "__main__":
    tmp = tempfile.mkdtemp(prefix="relcal-pgp-")
    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        keyring = set_up_keys()

        def mail(name, audience, to, pgp):
            return {"name": name, "type": "email", "audience": audience,
                    "smtp_url": f"smtp://127.0.0.1:{port}", "allow_insecure": True,
                    "from": "security@example.org", "to": to, "pgp": pgp}
        cfg = base_config()
        pw = os.path.join(tmp, "passphrase")
        cfg["projects"][0]["channels"] = [
            {"name": "team", "type": "log", "audience": "team", "path": "team.log"},
            mail("distros", "distributors", ["a@lists.example", "b@lists.example"],
                 {"keyring": keyring, "signing_key": fprs["project"], "passphrase_file": pw,
                  "recipients": [fprs["dist-a"], os.path.join(tmp, "dist-b.asc")]}),
            mail("news", "public", ["news@lists.example"],
                 {"keyring": keyring, "signing_key": fprs["project"], "passphrase_file": pw}),
            mail("missing", "distributors", ["m@lists.example"],
                 {"keyring": keyring, "signing_key": fprs["project"], "passphrase_file": pw,
                  "recipients": ["DEADBEEF" * 5]}),
            mail("maybe", "distributors", ["maybe@lists.example"],
                 {"keyring": keyring, "signing_key": fprs["project"], "passphrase_file": pw,
                  "recipients": ["DEADBEEF" * 5], "encrypt": "if_possible"}),
            mail("expired", "distributors", ["e@lists.example"],
                 {"keyring": keyring, "recipients": [os.path.join(tmp, "old.asc")]}),
            mail("soon", "distributors", ["s@lists.example"],
                 {"keyring": keyring, "recipients": [os.path.join(tmp, "soon.asc")],
                  "encrypt": "required"}),
        ]
        svc = Service(config=cfg, now="2026-11-24T12:00:00Z").start()
        main([test_encrypted_and_signed_for_distributors, test_required_encryption_refuses,
              test_signed_public_mail, test_if_possible_falls_back_to_signed,
              test_check_names_the_keys])
    finally:
        if svc:
            svc.stop()
        controller.stop()
        for h in homes.values():
            subprocess.run(["gpgconf", "--homedir", h, "--kill", "all"], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
