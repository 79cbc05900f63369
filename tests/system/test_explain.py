"""Explanations (docs/CONTRACT.md "Explanations"): `?explain=1` on a release and on the next
release, and `relcal next --explain` / `relcal releases show RID --explain`.

The story, dates worked out by hand: the project (Europe/Berlin, default cadence: the second
Tuesday of Feb/May/Aug/Nov at 14:00 local) lists 2027-02-09 as a holiday, so that instance's
window moves to Wednesday 2027-02-10 14:00 local = 13:00Z; its cut-off, pre-announcement and
distributor notice are 7 days before (2027-02-03T13:00Z), the reminder 24 h before
(2027-02-09T13:00Z). On 2027-01-20 a fix is ready; the service then restarts on 2027-02-04
(catch-up: cut-off, pre-announcement and notice happen, late), and a manager moves the window to
2027-02-12T13:00Z with a reason. Marker strings in every private field must never reach a public
explanation, and do reach the team's (positive control).
"""
import json

from relcal_testlib import (CRITICAL, TOKENS, Service, base_config, check, log_channels, main,
                            run)

NOW1 = "2027-01-20T10:00:00Z"
NOW2 = "2027-02-04T10:00:00Z"
P = "/api/v1/projects/mautic"
MARKS = {"title": "TITLE-MARK-EXPL", "description": "DESC-MARK-EXPL",
         "move": "MOVE-REASON-MARK", "oos": "OOS-REASON-MARK", "override": "OVERRIDE-MARK"}
svc = None
state = {}


def explain(path, role=None, query="explain=1"):
    st, _, body = svc.request("GET", f"{P}/releases/{path}?{query}", role=role)
    check(st == 200, "explained", path, st, body)
    check(isinstance(body.get("explanation"), list), "has an explanation", body)
    return body


def rules(body):
    return [s["rule"] for s in body["explanation"]]


def step(body, rule):
    found = [s for s in body["explanation"] if s["rule"] == rule]
    check(len(found) == 1, f"one {rule} step", rules(body))
    return found[0]


def dues(body):
    return [(s["input"]["event"], s["result"]["due_at"]) for s in body["explanation"]
            if s["rule"] == "due"]


def no_private(body, what):
    text = json.dumps(body)
    for name, mark in MARKS.items():
        check(mark not in text, f"{what}: the {name} marker is not public", mark)
    for s in body["explanation"]:
        for key in ("by", "reason", "override_reason"):
            check(key not in s, f"{what}: no {key} in a public step", s)
        check("issues" not in s["result"], f"{what}: no issue ids in a public step", s)


def test_holiday_window_before_cutoff():
    st, _, i = svc.request("POST", f"{P}/issues",
                           {"title": MARKS["title"], "description": MARKS["description"],
                            "severity": CRITICAL, "branches": ["5.x"]}, role="manager")
    check(st == 201, "issue", st, i)
    for to in ("acknowledged", "confirmed", "fix_ready"):
        st, _, b = svc.request("PATCH", f"{P}/issues/{i['id']}", {"status": to}, role="manager")
        check(st == 200, to, st, b)
    state["fix"] = i["id"]
    team = explain("2027-02-09", role="reader")
    check(rules(team)[:3] == ["cadence", "holiday_shift", "cutoff"], "the chain", rules(team))
    cad = step(team, "cadence")
    check(cad["input"]["rrule"] == "FREQ=MONTHLY;BYMONTH=2,5,8,11;BYDAY=2TU"
          and cad["input"]["release_time"] == "14:00"
          and cad["input"]["timezone"] == "Europe/Berlin", "cadence input", cad)
    # 2027's windows: the second Tuesdays of February, May, August and November.
    check(cad["result"] == {"instance": "2027-02-09", "starts_at": "2027-02-09T13:00:00Z",
                            "occurrence": 1, "occurrences_in_year": 4}, "cadence result", cad)
    check("the year's window 1 of 4" in cad["text"], "which occurrence, in words", cad)
    hol = step(team, "holiday_shift")
    check(hol["input"] == {"instance": "2027-02-09", "holiday": "2027-02-09"}, "holiday input", hol)
    check(hol["result"] == {"date": "2027-02-10", "starts_at": "2027-02-10T13:00:00Z"},
          "holiday result", hol)
    check("holiday" in hol["text"] and "2027-02-10" in hol["text"], "holiday words", hol)
    cut = step(team, "cutoff")
    check(cut["at"] == "2027-02-03T13:00:00Z" and cut["result"]["cutoff_at"] == cut["at"]
          and cut["result"]["passed"] is False and cut["input"]["readiness_cutoff_days"] == 7,
          "cut-off", cut)
    check(cut["result"]["issues"] == [i["id"]], "the fix that met it, by id", cut)
    check(dues(team) == [("pre_announcement", "2027-02-03T13:00:00Z"),
                         ("distributor_notice", "2027-02-03T13:00:00Z"),
                         ("reminder", "2027-02-09T13:00:00Z"),
                         ("release", "2027-02-10T13:00:00Z"),
                         ("overdue", "2027-02-10T19:00:00Z")], "events still due", dues(team))
    notice = [s for s in team["explanation"] if s["rule"] == "due"][1]
    check(notice["input"]["message"] == "release.distributor_notice"
          and notice["input"]["audiences"] == ["distributors", "team"], "who hears", notice)
    pub = explain("2027-02-09")
    no_private(pub, "before the cut-off")
    check(rules(pub) == ["cadence", "holiday_shift", "cutoff", "due", "due"], "public steps",
          rules(pub))
    check(dues(pub) == [("pre_announcement", "2027-02-03T13:00:00Z"),
                        ("release", "2027-02-10T13:00:00Z")], "public events", dues(pub))
    check("fix_count" not in step(pub, "cutoff")["result"], "no count before the announcement",
          pub)
    # The release object itself is the usual one.
    st, _, plain = svc.request("GET", f"{P}/releases/2027-02-09")
    check("explanation" not in plain, "no explanation unless asked", plain)
    check({k: v for k, v in pub.items() if k != "explanation"} == plain, "same object", pub, plain)


def test_pre_announced_then_moved():
    svc.stop()
    svc.start(now=NOW2)
    st, _, moved = svc.request("PATCH", f"{P}/releases/2027-02-09",
                               {"date": "2027-02-12T13:00:00Z", "reason": MARKS["move"]},
                               role="manager")
    check(st == 200 and moved["starts_at"] == "2027-02-12T13:00:00Z", "moved", st, moved)
    team = explain("2027-02-09", role="reader")
    r = rules(team)
    check(r[:2] == ["cadence", "holiday_shift"], "still from the holiday-shifted instance", r)
    check(r[2:6] == ["cutoff", "pre_announcement", "distributor_notice", "move"],
          "cut-off, pre-announcement, notice, then the move", r)
    cut = step(team, "cutoff")
    check(cut["at"] == "2027-02-03T13:00:00Z" and cut["result"]["passed"] is True
          and cut["result"]["issues"] == [state["fix"]]
          and cut["input"]["starts_at"] == "2027-02-10T13:00:00Z",
          "the cut-off that decided is the one before the move", cut)
    pre = step(team, "pre_announcement")
    check(pre["at"].startswith("2027-02-04T10:00") and pre["result"]["locked"] is True
          and pre["result"]["status"] == "announced", "the pre-announcement locked it", pre)
    check(pre["result"]["late"] is True and "sent late" in pre["text"],
          "applied on catch-up: late", pre)
    check(step(team, "distributor_notice")["result"]["locked"] is True, "notice", team)
    mv = step(team, "move")
    check(mv["by"] == "manager" and mv["reason"] == MARKS["move"], "who and why", mv)
    check(mv["at"].startswith("2027-02-04T10:0"), "when", mv)
    check(mv["input"] == {"from": "2027-02-10T13:00:00Z"}
          and mv["result"] == {"to": "2027-02-12T13:00:00Z"}, "from and to", mv)
    check("manager" in mv["text"] and MARKS["move"] in mv["text"], "move in words", mv)
    check(dues(team) == [("reminder", "2027-02-11T13:00:00Z"),
                         ("release", "2027-02-12T13:00:00Z"),
                         ("overdue", "2027-02-12T19:00:00Z")], "events still due", dues(team))
    pub = explain("2027-02-09")
    no_private(pub, "after the move")
    pmv = step(pub, "move")
    check(pmv["input"] == mv["input"] and pmv["result"] == mv["result"]
          and pmv["at"] == mv["at"], "the public sees the move itself", pmv)
    check(step(pub, "cutoff")["result"]["fix_count"] == 1, "count once announced", pub)
    check(dues(pub) == [("release", "2027-02-12T13:00:00Z")], "public events", dues(pub))
    # The next-release route explains the same release.
    nxt = explain("next", role="reader")
    check(nxt["id"] == "2027-02-09" and nxt["explanation"] == team["explanation"], "next", nxt)
    no_private(explain("next"), "next, public")


def test_out_of_sequence():
    st, _, i = svc.request("POST", f"{P}/issues", {"title": MARKS["title"] + "-2",
                                                   "severity": CRITICAL}, role="manager")
    check(st == 201, "issue", st, i)
    st, _, rel = svc.request("POST", f"{P}/releases",
                             {"date": "2027-02-20T13:00:00Z", "issues": [i["id"]],
                              "reason": MARKS["oos"]}, role="manager")
    check(st == 201, "out of sequence", st, rel)
    team = explain(rel["id"], role="reader")
    check(rules(team)[0] == "out_of_sequence", "starts with its creation", rules(team))
    o = step(team, "out_of_sequence")
    check(o["by"] == "manager" and o["reason"] == MARKS["oos"], "who and why", o)
    check(o["at"].startswith("2027-02-04T10:0"), "when", o)
    check(o["input"]["date"] == "2027-02-20T13:00:00Z" and o["input"]["notice_days"] == 14, "notice input", o)
    check(o["result"]["notice_met"] is True and o["result"]["override"] is False
          and o["result"]["earliest_allowed"].startswith("2027-02-18T10:0")
          and o["result"]["issues"] == [i["id"]], "notice result", o)
    check("cadence" not in rules(team) and "cutoff" not in rules(team), "no cadence", rules(team))
    ev = [e for e, _ in dues(team)]
    check(ev == ["distributor_notice", "reminder", "release", "overdue"], "events", dues(team))
    check(dict(dues(team))["distributor_notice"] == "2027-02-13T13:00:00Z", "notice instant",
          dues(team))
    pub = explain(rel["id"])
    no_private(pub, "out of sequence")
    check(step(pub, "out_of_sequence")["result"]["notice_met"] is True, "public notice rule", pub)
    # An admin's short notice.
    st, _, j = svc.request("POST", f"{P}/issues", {"title": "x", "severity": CRITICAL},
                           role="manager")
    st, _, rel2 = svc.request("POST", f"{P}/releases",
                              {"date": "2027-02-08T13:00:00Z", "issues": [j["id"]],
                               "reason": MARKS["oos"], "override_reason": MARKS["override"]},
                              role="admin")
    check(st == 201, "short notice by override", st, rel2)
    o = step(explain(rel2["id"], role="reader"), "out_of_sequence")
    check(o["result"]["notice_met"] is False and o["result"]["override"] is True
          and o["override_reason"] == MARKS["override"] and o["by"] == "admin", "override", o)
    pub = explain(rel2["id"])
    no_private(pub, "override")
    check(step(pub, "out_of_sequence")["result"]["override"] is True, "override is public", pub)


def test_bad_explain_values():
    for path in ("2027-02-09", "next"):
        for bad in ("2", "yes", "%00"):
            st, _, b = svc.request("GET", f"{P}/releases/{path}?explain={bad}")
            check(st == 422 and b["error"]["code"] == "validation_failed"
                  and b["error"]["details"]["field"] == "explain"
                  and "explain" in b["error"]["message"], "refused, naming explain", path, bad,
                  st, b)
        for no in ("0", "false"):
            st, _, b = svc.request("GET", f"{P}/releases/{path}?explain={no}")
            check(st == 200 and "explanation" not in b, "explain=" + no, b)
        st, _, b = svc.request("GET", f"{P}/releases/{path}?explain=true")
        check(st == 200 and "explanation" in b, "explain=true", b)
    st, _, b = svc.request("GET", f"{P}/releases/nope?explain=1")
    check(st == 404, "unknown release", st, b)


def cli(*args, role=None, server=True):
    env = {"RELCAL_NOW": NOW2}
    if server:
        env["RELCAL_SERVER"] = f"http://127.0.0.1:{svc.port}"
    if role:
        env["RELCAL_TOKEN"] = TOKENS[role]
    return run(*args, env=env)


def test_cli_words_and_json():
    r = cli("next", "--explain", "-p", "mautic")
    check(r.returncode == 0, "next --explain", r.stdout, r.stderr)
    lines = r.stdout.splitlines()
    check(lines[0].startswith("mautic") and "2027-02-09" in lines[0], "the release line", lines)
    check(lines[1].strip() == "why 2027-02-09 is on this date:", "a title", lines)
    check(lines[2].strip().startswith("1. The cadence FREQ=MONTHLY"), "numbered steps", lines)
    check(any("2. 2027-02-09 is a listed holiday" in l for l in lines), "holiday in words", lines)
    check(any("Moved at 2027-02-04T10:0" in l and "to 2027-02-12T13:00:00Z" in l for l in lines),
          "the move in words", lines)
    for mark in MARKS.values():
        check(mark not in r.stdout, "next --server is public", mark, r.stdout)
    r = cli("next", "--explain", "--json")
    check(r.returncode == 0, "next --explain --json", r.stderr)
    arr = json.loads(r.stdout)
    check(len(arr) == 1 and arr[0]["id"] == "2027-02-09"
          and "holiday_shift" in rules(arr[0]), "JSON with its explanation", arr)
    no_private(arr[0], "next --json")
    r = cli("releases", "show", "2027-02-09", "--explain", role="reader")
    check(r.returncode == 0, "releases show --explain", r.stdout, r.stderr)
    check("why 2027-02-09 is on this date:" in r.stdout and MARKS["move"] in r.stdout
          and "by manager" in r.stdout, "the team's words with who and why", r.stdout)
    r = cli("releases", "show", "2027-02-09", "--explain", "--json", role="reader")
    body = json.loads(r.stdout)
    check(step(body, "move")["reason"] == MARKS["move"], "JSON as the API answers", body)
    r = cli("releases", "list", "--explain", role="reader")
    check(r.returncode == 2, "--explain goes with show only", r.returncode, r.stderr)
    # Local mode: the database, read directly (the public view).
    r = run("next", "-c", svc.config_path, "--db", svc.db, "--explain", env={"RELCAL_NOW": NOW2})
    check(r.returncode == 0, "local next --explain", r.stdout, r.stderr)
    check("is a listed holiday" in r.stdout and "Moved at" in r.stdout, "local words", r.stdout)
    for mark in MARKS.values():
        check(mark not in r.stdout, "local next is public", mark, r.stdout)
    r = run("next", "-c", svc.config_path, "--db", svc.db, "--explain", "--json",
            env={"RELCAL_NOW": NOW2})
    arr = json.loads(r.stdout)
    check(rules(arr[0])[:2] == ["cadence", "holiday_shift"] and "move" in rules(arr[0]),
          "local JSON", arr)


if __name__ == "__main__":
    cfg = base_config()
    cfg["projects"][0]["policy"] = {"holidays": ["2027-02-09"]}
    log_channels(cfg)
    svc = Service(cfg, now=NOW1)
    svc.start()
    try:
        main([test_holiday_window_before_cutoff, test_pre_announced_then_moved,
              test_cli_words_and_json, test_out_of_sequence, test_bad_explain_values])
    finally:
        svc.stop()
