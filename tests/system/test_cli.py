"""The relcal binary's commands: exit codes, messages and output of check, next, score, token,
--version and help (docs/CONTRACT.md "Command line")."""
import hashlib
import json
import os
import re
import tempfile

from relcal_testlib import check, main, run

NOW = "2026-11-24T12:00:00Z"


def write_config(obj):
    d = tempfile.mkdtemp(prefix="relcal-cli-")
    path = os.path.join(d, "relcal.json")
    with open(path, "w") as f:
        f.write(obj if isinstance(obj, str) else json.dumps(obj))
    return path


BERLIN = {"projects": [{"id": "mautic", "name": "Mautic", "timezone": "Europe/Berlin",
                        "branches": [{"name": "5.x", "version": "5.1.2"}]}]}


def test_version_and_help():
    r = run("--version")
    check(r.returncode == 0 and re.match(r"relcal \d+\.\d+\.\d+", r.stdout), "version", r.stdout)
    r = run("--help")
    check(r.returncode == 0 and all(c in r.stdout for c in
                                    ("serve", "check", "next", "feed", "score", "token")), "help")
    r = run("help", "next")
    check(r.returncode == 0 and "-n COUNT" in r.stdout, "help next", r.stdout)
    r = run("help", "bogus")
    check(r.returncode == 2, "help unknown", r.returncode)
    r = run("bogus")
    check(r.returncode == 2 and "unknown command" in r.stderr, "unknown command", r.stderr)
    r = run()
    check(r.returncode == 2, "no command", r.returncode)


def test_next_worked_example():
    cfg = write_config(BERLIN)
    r = run("next", "-c", cfg, "--now", NOW, "--json", "-n", "4")
    check(r.returncode == 0, "exit", r.stderr)
    rels = json.loads(r.stdout)
    check([x["id"] for x in rels] == ["2027-02-09", "2027-05-11", "2027-08-10", "2027-11-09"],
          "ids", rels)
    check([x["starts_at"] for x in rels] == ["2027-02-09T13:00:00Z", "2027-05-11T12:00:00Z",
                                             "2027-08-10T12:00:00Z", "2027-11-09T13:00:00Z"],
          "14:00 Berlin across DST", rels)
    check(rels[0]["cutoff_at"] == "2027-02-02T13:00:00Z" and rels[0]["fix_count"] is None,
          "public view", rels[0])
    r = run("next", "-c", cfg, "--now", NOW)
    check(r.returncode == 0 and "2027-02-09 14:00 Europe/Berlin (UTC+01:00)" in r.stdout and
          "in 77 days" in r.stdout, "text", r.stdout)
    # RELCAL_NOW is honoured like --now.
    r = run("next", "-c", cfg, "--json", env={"RELCAL_NOW": "2027-02-10T00:00:00Z"})
    check(json.loads(r.stdout)[0]["id"] == "2027-05-11", "RELCAL_NOW", r.stdout)


def test_next_errors():
    cfg = write_config(BERLIN)
    for args, needle in [(("-p", "nope"), "no project 'nope'"), (("-n", "0"), "-n must be"),
                         (("--now", "2027-02-30T00:00:00Z"), "--now is not an RFC 3339"),
                         (("--bogus",), "unknown option")]:
        r = run("next", "-c", cfg, *args)
        check(r.returncode == 2 and needle in r.stderr, "refused", args, r.stderr)
    r = run("next", "-c", cfg, env={"RELCAL_NOW": "yesterday"})
    check(r.returncode == 2 and "RELCAL_NOW" in r.stderr, "bad RELCAL_NOW", r.stderr)


def test_check():
    r = run("check", "-c", write_config(BERLIN), "--now", NOW)
    check(r.returncode == 0 and "is valid" in r.stdout and "2027-02-09" in r.stdout and
          "2027-11-09" in r.stdout, "valid", r.stdout)
    check(r.stdout.count("cut-off 20") == 4, "four windows", r.stdout)
    bad = write_config({"projects": [{"id": "p", "policy": {"cadence": "FREQ=FOO"}}]})
    r = run("check", "-c", bad)
    check(r.returncode == 2 and f"{bad}: $.projects[0].policy.cadence:" in r.stderr, "bad",
          r.stderr)
    r = run("check", "-c", write_config('{"projects": [\n}'))
    check(r.returncode == 2 and re.search(r"relcal\.json:2:\d+:", r.stderr), "syntax", r.stderr)
    r = run("check", "-c", "/nonexistent/relcal.json")
    check(r.returncode == 2 and "/nonexistent/relcal.json" in r.stderr, "missing file", r.stderr)
    # Without -c: ./relcal.json in the working directory, else the embedded default.
    d = os.path.dirname(write_config(BERLIN))
    r = run("check", cwd=d)
    check(r.returncode == 0 and "./relcal.json is valid" in r.stdout, "cwd config", r.stdout)
    r = run("check", cwd=tempfile.mkdtemp())
    check(r.returncode == 0 and "<embedded default> is valid" in r.stdout, "embedded", r.stdout)


def test_score():
    r = run("score", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "--json")
    check(r.returncode == 0, "exit", r.stderr)
    check(json.loads(r.stdout) == {"vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                                   "scheme": "cvss3.1", "score": 9.8, "score_type": "base",
                                   "label": "Critical",
                                   "level": "critical"}, "json", r.stdout)
    r = run("score", "AC:None/A:None/CI:All/II:All/E:Exploit/TD:Default")
    check(r.returncode == 0 and r.stdout.startswith("24/25 Highly critical"), "cmss", r.stdout)
    r = run("score", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
    check(r.returncode == 0 and r.stdout.startswith("9.3 Critical"), "v4", r.stdout)
    r = run("score", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q")
    check(r.returncode == 2 and "A: unknown value 'Q'" in r.stderr, "bad metric", r.stderr)
    r = run("score")
    check(r.returncode == 2 and "missing VECTOR" in r.stderr, "no vector", r.stderr)


def test_feed():
    import icalendar
    cfg = write_config(BERLIN)
    r = run("feed", "-c", cfg, "--now", NOW)
    check(r.returncode == 0 and r.stdout.startswith("BEGIN:VCALENDAR"), "feed", r.stderr)
    cal = icalendar.Calendar.from_ical(r.stdout.encode())
    starts = sorted(e["DTSTART"].dt.strftime("%Y-%m-%dT%H:%M:%SZ") for e in cal.walk("VEVENT"))
    check(starts[0] == "2027-02-09T13:00:00Z", "first window", starts)
    out = os.path.join(os.path.dirname(cfg), "all.ics")
    r = run("feed", "-c", cfg, "--now", NOW, "--view", "combined", "-o", out)
    check(r.returncode == 0 and open(out, "rb").read().startswith(b"BEGIN:VCALENDAR"), "-o")
    for args, needle in [(("--view", "bogus"), "--view must be"), (("-p", "nope"), "no project")]:
        r = run("feed", "-c", cfg, *args)
        check(r.returncode == 2 and needle in r.stderr, "refused", args, r.stderr)


def test_token():
    r = run("token", "--name", "alice", "--role", "admin")
    check(r.returncode == 0, "exit", r.stderr)
    tok = re.search(r"token:\s+(\S+)", r.stdout).group(1)
    line = json.loads(re.search(r"config: (\{.*\})", r.stdout).group(1))
    check(line["sha256"] == hashlib.sha256(tok.encode()).hexdigest(), "hash matches", line)
    check(line["name"] == "alice" and line["role"] == "admin", "fields", line)
    r2 = run("token")
    check(re.search(r"token:\s+(\S+)", r2.stdout).group(1) != tok, "random")
    r = run("token", "--role", "root")
    check(r.returncode == 2, "bad role", r.returncode)


if __name__ == "__main__":
    main([test_version_and_help, test_next_worked_example, test_next_errors, test_check,
          test_score, test_feed, test_token])
