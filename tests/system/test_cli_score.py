"""`relcal score VECTOR [--json]` (docs/CONTRACT.md "Command line"): output of each scheme, the
severity object, exit status 2 with the bad metric named, and CVSS v3.0/v3.1 base scores of
seeded random vectors checked against a second implementation, Debian's ruby-cvss-suite."""
import json
import os
import random
import shutil
import subprocess
import tempfile

from relcal_testlib import check, main, run

V31 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
V40 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
CMSS = "AC:None/A:None/CI:All/II:All/E:Exploit/TD:Default"


def rating(score):
    """The CVSS qualitative severity rating scale, written out independently of relcal."""
    t = round(score * 10)
    return ("None" if t == 0 else "Low" if t < 40 else "Medium" if t < 70
            else "High" if t < 90 else "Critical")


def test_text_output():
    r = run("score", V31)
    check(r.returncode == 0 and r.stdout == "9.8 Critical (level: critical, scheme: cvss3.1)\n",
          "v3.1", r.stdout + r.stderr)
    r = run("score", "CVSS:3.0/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N")
    check(r.returncode == 0 and r.stdout == "3.1 Low (level: low, scheme: cvss3.0)\n", "v3.0",
          r.stdout + r.stderr)
    r = run("score", V40)
    check(r.returncode == 0 and r.stdout == "9.3 Critical (level: critical, scheme: cvss4.0)\n",
          "v4.0", r.stdout + r.stderr)
    r = run("score", CMSS)
    want = "24/25 Highly critical (level: critical, scheme: cmss)\n"
    check(r.returncode == 0 and r.stdout == want, "cmss", r.stdout + r.stderr)
    r = run("score", "AC:None/A:None/CI:None/II:None/E:Theoretical/TD:All")
    check(r.returncode == 0 and r.stdout.startswith("12/25 Moderately critical (level: high"),
          "cmss 12", r.stdout + r.stderr)
    r = run("score", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N")
    check(r.returncode == 0 and r.stdout == "0.0 None (level: none, scheme: cvss3.1)\n", "zero",
          r.stdout + r.stderr)


def test_json_output():
    r = run("score", V31, "--json")
    check(r.returncode == 0, "exit", r.stderr)
    check(json.loads(r.stdout) == {"vector": V31, "scheme": "cvss3.1", "score": 9.8,
                                   "score_type": "base", "label": "Critical", "level": "critical"}, "v3.1", r.stdout)
    # The number is written as the spec writes it, not as 9.8000000000000007.
    check('"score":9.8,' in r.stdout, "one decimal", r.stdout)
    r = run("score", "--json", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H")
    check('"score":10.0,' in r.stdout and '"level":"critical"' in r.stdout, "10.0", r.stdout)
    r = run("score", V40, "--json")
    check(json.loads(r.stdout) == {"vector": V40, "scheme": "cvss4.0", "score": 9.3,
                                   "score_type": "CVSS-B", "label": "Critical", "level": "critical"}, "v4.0", r.stdout)
    r = run("score", CMSS, "--json")
    check(json.loads(r.stdout) == {"vector": CMSS, "scheme": "cmss", "score": 24,
                                   "score_type": "cmss", "label": "Highly critical", "level": "critical"},
          "cmss", r.stdout)
    check('"score":24,' in r.stdout, "cmss integer", r.stdout)
    r = run("score", "AC:Basic/A:Admin/CI:All/II:All/E:Proof/TD:All", "--json")  # SA-CORE-2022-016
    o = json.loads(r.stdout)
    check(o["score"] == 18 and o["label"] == "Critical" and o["level"] == "critical", "cmss 18",
          r.stdout)
    # Spacing is normalised in the stored vector.
    r = run("score", "  AC:None   A:None CI:All II:All E:Exploit TD:Default \n", "--json")
    check(json.loads(r.stdout)["vector"] == "AC:None A:None CI:All II:All E:Exploit TD:Default",
          "spaces", r.stdout)


def test_refusals():
    bad = [
        ("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "AV: unknown value 'Q'"),
        ("CVSS:3.1/AV:N/PR:N/UI:N/S:U/C:H/I:H/A:H", "missing metric AC"),
        ("CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "duplicate metric AV"),
        (V31 + "/XX:Y", "unknown metric 'XX'"),
        (V31 + "/", "trailing separator"),
        (V31 + "/E:Q", "E: unknown value 'Q'"),
        ("cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unsupported prefix 'cvss:3.1'"),
        ("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P", "unsupported prefix 'CVSS:2.0'"),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N", "missing metric SA"),
        (V40 + "/E:Z", "E: unknown value 'Z'"),
        ("AC:None/A:None/CI:All/II:All/E:Exploit/TD:Sometimes", "TD: unknown value 'Sometimes'"),
        ("AC:None/A:None/CI:All/II:All/E:Exploit", "missing metric TD"),
        ("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown metric 'AV'"),
        ("", "empty vector"),
    ]
    for vector, message in bad:
        for extra in ((), ("--json",)):
            r = run("score", vector, *extra)
            check(r.returncode == 2 and message in r.stderr and r.stdout == "",
                  f"{vector!r} {extra}", f"rc {r.returncode} stderr {r.stderr!r}")
    r = run("score")
    check(r.returncode == 2 and "missing VECTOR" in r.stderr, "no vector", r.stderr)
    r = run("score", "--json")
    check(r.returncode == 2 and "missing VECTOR" in r.stderr, "json, no vector", r.stderr)
    r = run("score", V31, V40)
    check(r.returncode == 2 and r.stdout == "", "two vectors", r.stderr)
    r = run("score", V31, "--frobnicate")
    check(r.returncode == 2 and "frobnicate" in r.stderr, "unknown option", r.stderr)


def test_common_options_are_accepted():
    d = tempfile.mkdtemp(prefix="relcal-score-")
    cfg = os.path.join(d, "relcal.json")
    with open(cfg, "w") as f:
        f.write("{}")
    for args in (("--now", "2027-01-01T00:00:00Z"), ("-c", cfg), ("--config", cfg)):
        r = run("score", V31, *args)
        check(r.returncode == 0 and r.stdout.startswith("9.8 Critical"), str(args),
              r.stdout + r.stderr)
    r = run("help", "score")
    check(r.returncode == 0 and "relcal score VECTOR [--json]" in r.stdout, "help", r.stdout)


def random_v3_vectors(rng, version, n):
    """Vectors in the specification's order: every base metric, then a random subset of the
    temporal and environmental metrics (the score shown is the most specific one they make)."""
    base = [("AV", "NALP"), ("AC", "LH"), ("PR", "NLH"), ("UI", "NR"), ("S", "UC"),
            ("C", "HLN"), ("I", "HLN"), ("A", "HLN")]
    optional = [("E", "XUPFH"), ("RL", "XOTWU"), ("RC", "XURC"), ("CR", "XLMH"), ("IR", "XLMH"),
                ("AR", "XLMH"), ("MAV", "XNALP"), ("MAC", "XLH"), ("MPR", "XNLH"), ("MUI", "XNR"),
                ("MS", "XUC"), ("MC", "XNLH"), ("MI", "XNLH"), ("MA", "XNLH")]
    out = []
    for _ in range(n):
        parts = [f"CVSS:{version}"] + [f"{m}:{rng.choice(v)}" for m, v in base]
        parts += [f"{m}:{rng.choice(v)}" for m, v in optional if rng.random() < 0.25]
        out.append("/".join(parts))
    return out


RUBY_ORACLE = """
require 'cvss_suite'
STDIN.each_line do |line|
  v = line.strip
  c = CvssSuite.new(v)
  # The score relcal shows: the most specific one the vector carries (docs/POLICY.md).
  given = v.split('/').drop(1).map { |m| m.split(':') }.reject { |_, x| x == 'X' }.map(&:first)
  env = (given & %w[CR IR AR MAV MAC MPR MUI MS MC MI MA]).any?
  tmp = (given & %w[E RL RC]).any?
  score, type = env ? [c.environmental_score, 'environmental'] :
                tmp ? [c.temporal_score, 'temporal'] : [c.base_score, 'base']
  puts(c.valid? ? format('%.1f %s', score, type) : 'invalid -')
end
"""


def test_cvss3_against_ruby_cvss_suite():
    ruby = shutil.which("ruby") or "/usr/bin/ruby"
    probe = subprocess.run([ruby, "-e", "require 'cvss_suite'"], capture_output=True, text=True) \
        if os.path.exists(ruby) else None
    check(probe is not None and probe.returncode == 0,
          "ruby-cvss-suite (Debian packages ruby, ruby-cvss-suite) is needed as the CVSS v3 oracle",
          probe.stderr if probe else "no ruby")
    seed = int(os.environ.get("RELCAL_TEST_SEED", "20270209"))
    rng = random.Random(seed)
    vectors = random_v3_vectors(rng, "3.0", 250) + random_v3_vectors(rng, "3.1", 250)
    oracle = subprocess.run([ruby, "-e", RUBY_ORACLE], input="\n".join(vectors) + "\n",
                            capture_output=True, text=True, timeout=120)
    check(oracle.returncode == 0, "oracle ran", oracle.stderr)
    want = [line.split() for line in oracle.stdout.splitlines()]
    check(len(want) == len(vectors), "oracle answered every vector", oracle.stdout[-200:])
    mismatches = []
    for vector, (expected, score_type) in zip(vectors, want):
        r = run("score", vector, "--json")
        if expected == "invalid" or r.returncode != 0:
            mismatches.append((vector, expected, r.returncode, r.stderr.strip()))
            continue
        o = json.loads(r.stdout)
        score = float(expected)
        if (o["score"] != score or o["label"] != rating(score)
                or o["scheme"] != "cvss" + vector[5:8] or o.get("score_type") != score_type):
            mismatches.append((vector, expected, o))
    check(not mismatches, f"{len(mismatches)} of {len(vectors)} differ (seed {seed})",
          "\n".join(map(str, mismatches[:10])))


def test_cvss4_published_vectors():
    # From the `cvss` Python library's tests/vectors_threat4 and vectors_security4 (E, CR/IR/AR).
    published = [
        ("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:A", 7.3),
        ("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:P", 5.9),
        ("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U", 4.1),
        ("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:M/IR:M/AR:M", 5.5),
        ("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:L/IR:L/AR:L", 5.4),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/AR:L", 7.9),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/MSI:H", 7.7),
        ("CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:A/VC:N/VI:L/VA:L/SC:L/SI:N/SA:N", 1.8),
    ]
    for vector, score in published:
        r = run("score", vector, "--json")
        o = json.loads(r.stdout) if r.returncode == 0 else {}
        check(o.get("score") == score and o.get("label") == rating(score), vector,
              r.stdout + r.stderr)


if __name__ == "__main__":
    main([test_text_output, test_json_output, test_refusals, test_common_options_are_accepted,
          test_cvss3_against_ruby_cvss_suite, test_cvss4_published_vectors])
