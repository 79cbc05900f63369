"""Machine-readable advisories (docs/CONTRACT.md "Machine-readable advisories"): OSV documents
and their index, a CSAF 2.0 security advisory per published release and Atom feeds, for a
scenario with three branches, CVSS 3.1 (with temporal metrics), CVSS 4.0 and CMSS issues and
credits. Checked by independent validators: the OSV JSON schema with ajv (read from
../shared/reference/osv/schema.json or $RELCAL_OSV_SCHEMA; skipped, saying so, where absent),
the BSI csaf-validator-lib (schema and mandatory tests) and Debian's python3-feedparser (no bozo
flag). Before publication: 404, empty index and feeds, and no private text anywhere; the
export_dir gets the same documents; bad config values of the new keys are refused naming them."""
import json
import os
import subprocess
import tempfile

import feedparser

from relcal_testlib import SOURCE_DIR, STEPS, Service, base_config, check, main, run

svc = None
ORACLES = os.path.join(SOURCE_DIR, "tests", "oracles")
OSV_SCHEMA = os.environ.get("RELCAL_OSV_SCHEMA") or os.path.join(
    SOURCE_DIR, "..", "shared", "reference", "osv", "schema.json")

V31 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U"  # base 9.8, temporal lower
V40 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/E:A"
# Given out of FIRST's order (relcal takes it); OSV's CVSS_V4 wants the order.
V40_GIVEN = "CVSS:4.0/E:A/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N"
CMSS = "AC:None/A:None/CI:All/II:All/E:Exploit/TD:Default"  # 24/25
ISSUES = [
    {"title": "SQL injection in search", "description": "PRIVATE-DESC-1", "severity": V31,
     "branches": ["5.x", "4.x"], "cve": "CVE-2027-31001", "ghsa": "GHSA-2c3f-4g5h-6j7m",
     "public_summary": "An attacker can read the database.",
     "credits": [{"name": "Ana Lima", "role": "FINDER"}, {"name": "Bo Chen", "role": "REMEDIATION_DEVELOPER"}]},
    {"title": "Stored XSS in the editor", "description": "PRIVATE-DESC-2", "severity": V40_GIVEN,
     "branches": ["5.x"], "cve": "CVE-2027-31002",
     "credits": [{"name": "Cy Doe", "role": "REPORTER"}]},
    {"title": "Access bypass in the API", "description": "PRIVATE-DESC-3", "severity": CMSS,
     "branches": ["4.x"], "credits": [{"name": "Dee"}],
     "advisory_url": "https://acme.example/sa/own-3"},
    # Only 3.x, past its end of life: the release numbers no version for it.
    {"title": "Old branch only", "description": "PRIVATE-DESC-4",
     "severity": "CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", "branches": ["3.x"],
     "cve": "CVE-2027-31004"},
]
# Never published: its title and description must not reach any document.
PRIVATE = {"title": "PRIVATE-TITLE-unreleased", "description": "PRIVATE-DESC-unreleased",
           "severity": V31, "branches": ["3.x"], "cve": "CVE-2027-39999"}
MARKERS = ["PRIVATE-TITLE", "PRIVATE-DESC", "CVE-2027-39999"]
ids = []


def node(script, docs, *args):
    p = subprocess.run(["node", os.path.join(ORACLES, script), *args], input=json.dumps(docs),
                       capture_output=True, text=True, cwd=ORACLES, timeout=120)
    check(p.returncode == 0, f"{script} ran", p.returncode, p.stderr[-2000:])
    return json.loads(p.stdout)


def get(path):
    st, h, body = svc.request("GET", path, raw=True)
    return st, h, body.decode()


def documents():
    """Every public document of the machine-readable advisories, as text."""
    out = {}
    for path in ("/advisories/acme/all.json", "/feeds/acme/advisories.atom",
                 "/feeds/advisories.atom", "/advisories/acme/oos-1.csaf.json",
                 "/api/v1/projects/acme", "/api/v1/projects/acme/releases"):
        out[path] = get(path)
    st, _, index = svc.request("GET", "/advisories/acme/all.json")
    for d in index if st == 200 else []:
        out[d["id"]] = get(f"/advisories/acme/{d['id']}.osv.json")
    return out


def issue(body, status="fix_ready"):
    st, _, i = svc.request("POST", "/api/v1/projects/acme/issues", body, role="manager")
    check(st == 201, "issue", st, i)
    for to in STEPS[status]:
        st, _, i = svc.request("PATCH", f"/api/v1/projects/acme/issues/{i['id']}", {"status": to},
                               role="manager")
        check(st == 200, "transition", st, i)
    return i["id"]


def test_before_publication():
    for body in ISSUES:
        ids.append(issue(body))
    issue(PRIVATE, status="confirmed")
    st, _, r = svc.request("POST", "/api/v1/projects/acme/releases",
                           {"date": "2026-11-29T12:00:00Z", "issues": ids, "reason": "x",
                            "override_reason": "exploited"}, role="admin")
    check(st == 201 and r["id"] == "oos-1", "release", st, r)
    docs = documents()
    check(docs["/advisories/acme/oos-1.csaf.json"][0] == 404, "no CSAF before publication",
          docs["/advisories/acme/oos-1.csaf.json"])
    for osv_id in ("x_acme-oos-1-1", "x_acme-oos-1-2"):
        st, _, _ = get(f"/advisories/acme/{osv_id}.osv.json")
        check(st == 404, "no OSV document before publication", osv_id, st)
    st, _, index = svc.request("GET", "/advisories/acme/all.json")
    check(st == 200 and index == [], "empty index", st, index)
    for path in ("/feeds/acme/advisories.atom", "/feeds/advisories.atom"):
        st, h, text = get(path)
        f = feedparser.parse(text)
        check(st == 200 and h["content-type"].startswith("application/atom+xml"), "feed", path, h)
        check(not f.bozo and f.entries == [], "an empty, well-formed feed", path, f.get("bozo_exception"))
    st, _, rel = svc.request("GET", "/api/v1/projects/acme/releases/oos-1")
    check("csaf_url" not in rel and "advisories" not in rel, "no links before publication", rel)
    for name, (st, _, text) in docs.items():
        for m in MARKERS + ["SQL injection", "CVE-2027-31001", "Ana Lima"]:
            check(m not in text, f"before publication: {m} in {name}")
    for f in os.listdir(os.path.join(svc.config["export_dir"], "advisories", "acme")):
        check(not f.endswith(".osv.json") and not f.endswith(".csaf.json"), "nothing exported", f)


def publish():
    st, _, r = svc.request("POST", "/api/v1/projects/acme/releases/oos-1/publish",
                           {"reason": "exploited in the wild"}, role="manager")
    check(st == 200 and r["status"] == "released", "published", st, r)


def test_links():
    publish()
    st, _, rel = svc.request("GET", "/api/v1/projects/acme/releases/oos-1")
    base = "https://security.example.org"
    check(rel["csaf_url"] == f"{base}/advisories/acme/oos-1.csaf.json", "csaf_url", rel)
    check([a["osv_id"] for a in rel["advisories"]] ==
          ["x_acme-oos-1-1", "x_acme-oos-1-2", "x_acme-oos-1-3", "x_acme-oos-1-4"], "osv ids",
          rel["advisories"])
    check(rel["advisories"][0]["osv_url"] ==
          f"{base}/advisories/acme/x_acme-oos-1-1.osv.json", "osv_url", rel["advisories"][0])
    check(rel["versions"] == [{"branch": "5.x", "version": "5.1.3"},
                              {"branch": "4.x", "version": "4.4.13"}], "versions", rel["versions"])
    st, _, p = svc.request("GET", "/api/v1/projects/acme")
    check(p["advisories_atom"] == f"{base}/feeds/acme/advisories.atom" and
          p["osv_index"] == f"{base}/advisories/acme/all.json", "project links", p)


def test_osv():
    st, h, index = svc.request("GET", "/advisories/acme/all.json")
    check(st == 200 and len(index) == 4, "four OSV documents", st, index)
    by = {d["id"]: d for d in index}
    for osv_id, d in by.items():
        st, h, one = svc.request("GET", f"/advisories/acme/{osv_id}.osv.json")
        check(st == 200 and one == d, "the document equals the index entry", osv_id)
        check(h["cache-control"] == "public, max-age=300" and h["etag"].startswith('"'),
              "public and validated", h)
    a, b, c = by["x_acme-oos-1-1"], by["x_acme-oos-1-2"], by["x_acme-oos-1-3"]
    check(a["aliases"] == ["CVE-2027-31001", "GHSA-2c3f-4g5h-6j7m"], "aliases", a)
    check(a["summary"] == "SQL injection in search" and
          a["details"] == "An attacker can read the database.", "summary", a)
    check(a["severity"] == [{"type": "CVSS_V3", "score": V31}], "CVSS 3.1", a["severity"])
    check(b["severity"] == [{"type": "CVSS_V4", "score": V40}], "CVSS 4.0", b["severity"])
    check("severity" not in c and c["database_specific"]["severity"]["vector"] == CMSS and
          c["database_specific"]["severity"]["score"] == 24, "CMSS: no OSV type", c)
    check(a["affected"][0]["package"] == {"ecosystem": "Packagist", "name": "acme/core"}, "package",
          a["affected"])
    check(a["affected"][0]["ranges"] == [{"type": "ECOSYSTEM", "events": [
        {"introduced": "4.0.0"}, {"fixed": "4.4.13"}, {"introduced": "5.0.0"},
        {"fixed": "5.1.3"}]}], "ranges of two branches (3.x stands at 3.9.1)", a["affected"])
    check(b["affected"][0]["ranges"][0]["events"] ==
          [{"introduced": "5.0.0"}, {"fixed": "5.1.3"}], "5.x only", b["affected"])
    check(c["affected"][0]["ranges"][0]["events"] ==
          [{"introduced": "4.0.0"}, {"fixed": "4.4.13"}], "4.x only", c["affected"])
    check(a["credits"] == [{"name": "Ana Lima", "type": "FINDER"},
                           {"name": "Bo Chen", "type": "REMEDIATION_DEVELOPER"}], "credits", a)
    check(c["credits"] == [{"name": "Dee"}], "credit without a role", c)
    e = by["x_acme-oos-1-4"]
    check("affected" not in e and e["severity"][0]["type"] == "CVSS_V3" and
          e["database_specific"]["versions"] == [{"branch": "3.x", "affected": None, "fixed": None}],
          "no version for an end-of-life branch: no range", e)
    urls = [r["url"] for r in a["references"]]
    check("https://acme.example/sa/1" not in urls and
          "https://security.example.org/advisories/acme/oos-1.csaf.json" in urls and
          "https://github.com/advisories/GHSA-2c3f-4g5h-6j7m" in urls and
          "https://www.cve.org/CVERecord?id=CVE-2027-31001" in urls, "references", urls)
    check({"type": "ADVISORY", "url": "https://acme.example/sa/own-3"} in c["references"],
          "own advisory URL", c["references"])
    check(a["published"] == a["modified"] and a["published"].endswith("Z"), "instants", a)
    if not os.path.exists(OSV_SCHEMA):
        print(f"SKIPPED the OSV schema check: {OSV_SCHEMA} is absent")
        return
    res = node("validate-osv.mjs", index, OSV_SCHEMA)
    check(res["valid"], "OSV schema", json.dumps(res)[:3000])
    # The oracle can fail: a document without its required `modified` is refused.
    broken = dict(a)
    del broken["modified"]
    check(not node("validate-osv.mjs", [broken], OSV_SCHEMA)["valid"], "the schema oracle bites")


def test_csaf():
    st, h, doc = svc.request("GET", "/advisories/acme/oos-1.csaf.json")
    check(st == 200 and "json" in h["content-type"], "CSAF", st)
    d = doc["document"]
    check(d["category"] == "csaf_security_advisory" and d["csaf_version"] == "2.0", "kind", d)
    check(d["publisher"] == {"category": "vendor", "name": "Acme Security Team",
                             "namespace": "https://acme.example"}, "publisher", d["publisher"])
    check(d["tracking"]["id"] == "acme-oos-1" and d["tracking"]["status"] == "final", "tracking", d)
    check(d["title"] == "Acme 5.1.3 and 4.4.13 security release", "title", d["title"])
    text = json.dumps(doc["product_tree"])
    check("vers:generic/>=5.0.0|<5.1.3" in text and "vers:generic/>=4.0.0|<4.4.13" in text, "ranges", text)
    vs = doc["vulnerabilities"]
    check([v.get("cve") for v in vs] == ["CVE-2027-31001", "CVE-2027-31002", None,
                                         "CVE-2027-31004"], "CVEs", vs)
    check(vs[3]["product_status"] == {"known_affected": ["acme"]} and
          doc["product_tree"]["full_product_names"] == [{"product_id": "acme", "name": "Acme"}],
          "no fixed version known: the project is known affected", vs[3], doc["product_tree"])
    check(vs[3]["scores"][0]["cvss_v3"]["version"] == "3.0", "CVSS 3.0", vs[3])
    v31 = vs[0]["scores"][0]["cvss_v3"]
    check(v31["baseScore"] == 9.8 and v31["baseSeverity"] == "CRITICAL" and
          v31["vectorString"] == V31 and v31["version"] == "3.1", "CVSS 3.1 base score", v31)
    check("scores" not in vs[1] and any(V40_GIVEN in n["text"] for n in vs[1]["notes"]),
          "CVSS 4.0 as a note", vs[1])
    check("scores" not in vs[2] and any(CMSS in n["text"] for n in vs[2]["notes"]),
          "CMSS as a note", vs[2])
    check(vs[0]["product_status"]["fixed"] == ["acme:4.4.13", "acme:5.1.3"] and
          vs[0]["remediations"][0]["category"] == "vendor_fix" and
          vs[0]["remediations"][0]["product_ids"] == ["acme:4.4.13", "acme:5.1.3"],
          "fixed products and the vendor fix", vs[0])
    check(vs[0]["acknowledgments"][0] == {"names": ["Ana Lima"], "summary": "finder"}, "credits",
          vs[0].get("acknowledgments"))
    res = node("validate-csaf.mjs", [doc])
    check(res["valid"] and res["results"][0]["tests"] > 20, "CSAF schema and mandatory tests",
          json.dumps(res)[:3000])
    broken = json.loads(json.dumps(doc))
    broken["vulnerabilities"][0]["scores"][0]["cvss_v3"]["baseScore"] = 5.0
    check(not node("validate-csaf.mjs", [broken])["valid"], "the CSAF oracle bites")
    st, _, _ = get("/advisories/acme/2027-02-09.csaf.json")
    check(st == 404, "no CSAF for an unpublished window", st)


def test_atom():
    for path, n in (("/feeds/acme/advisories.atom", 4), ("/feeds/advisories.atom", 4)):
        st, h, text = get(path)
        f = feedparser.parse(text)
        check(st == 200 and not f.bozo, "well-formed Atom", path, f.get("bozo_exception"))
        check(f.version == "atom10" and len(f.entries) == n, "entries", path, len(f.entries))
        titles = [e.title for e in f.entries]
        check(any("CVE-2027-31001" in t and "SQL injection" in t for t in titles), "titles", titles)
        ids_ = [e.id for e in f.entries]
        check(len(set(ids_)) == n and all(i.startswith("tag:security.example.org,") for i in ids_),
              "stable tag ids", ids_)
        check(all(e.updated == e.published for e in f.entries), "updated instants", f.entries[0])
        check(get(path)[2] == text, "byte-identical when nothing changed", path)
        st, _, _ = svc.request("GET", path, headers={"If-None-Match": h["etag"]}, raw=True)
        check(st == 304, "a strong ETag, 304 when it matches", path, h.get("etag"), st)
    f = feedparser.parse(get("/feeds/acme/advisories.atom")[2])
    for e in f.entries:
        links = {l.rel: l.href for l in e.links}
        check(links["related"].startswith("https://security.example.org/advisories/acme/x_acme-oos-1-")
              and links["related"].endswith(".osv.json"), "the OSV document linked", links)
        if "CVE-2027-31001" in e.title:
            check(links["alternate"] == "https://acme.example/sa/CVE-2027-31001",
                  "the advisory URL from the template", links)
        if "Access bypass" in e.title:
            check(links["alternate"] == "https://acme.example/sa/own-3", "the own URL", links)


def test_no_private_text():
    for name, (st, _, text) in documents().items():
        for m in MARKERS:
            check(m not in text, f"after publication: {m} in {name}")


def test_export_dir():
    ex = svc.config["export_dir"]
    with open(os.path.join(ex, "advisories", "acme", "all.json")) as f:
        check(json.load(f) == svc.request("GET", "/advisories/acme/all.json")[2], "index exported")
    for name in ("x_acme-oos-1-1.osv.json", "x_acme-oos-1-3.osv.json", "oos-1.csaf.json",
                 "all.json.gz"):
        check(os.path.exists(os.path.join(ex, "advisories", "acme", name)), "exported", name)
    with open(os.path.join(ex, "advisories", "acme", "oos-1.csaf.json")) as f:
        check(json.load(f) == svc.request("GET", "/advisories/acme/oos-1.csaf.json")[2], "CSAF")
    with open(os.path.join(ex, "acme", "advisories.atom")) as f:
        check(f.read() == get("/feeds/acme/advisories.atom")[2], "project feed exported")
    with open(os.path.join(ex, "advisories.atom")) as f:
        check(f.read() == get("/feeds/advisories.atom")[2], "combined feed exported")
    for root, _, files in os.walk(ex):
        for f in files:
            with open(os.path.join(root, f), "rb") as fh:
                data = fh.read()
            for m in MARKERS:
                check(m.encode() not in data, f"{m} exported in {f}")


def exported_docs():
    ex = svc.config["export_dir"]
    out = {}
    for root, _, files in os.walk(ex):
        for f in files:
            path = os.path.join(root, f)
            if "advisor" in path:
                out[os.path.relpath(path, ex)] = (os.stat(path).st_ino, open(path, "rb").read())
    return out


def test_export_follows_edits():
    """After publication the documents follow every public edit of a published issue, and only
    those: a private edit or a write elsewhere leaves every document file as it is."""
    before = exported_docs()
    st, _, _ = svc.request("PATCH", f"/api/v1/projects/acme/issues/{ids[0]}",
                           {"description": "PRIVATE-DESC-edited"}, role="manager")
    check(st == 200, "private edit", st)
    issue({"title": "PRIVATE-TITLE-later", "description": "PRIVATE-DESC-later", "severity": V31,
           "branches": ["5.x"]}, status="acknowledged")
    check(exported_docs() == before, "no document rewritten")
    credits = [{"name": "Ana Lima", "role": "FINDER"}, {"name": "Eve Ito", "role": "ANALYST"}]
    st, _, _ = svc.request("PATCH", f"/api/v1/projects/acme/issues/{ids[0]}",
                           {"credits": credits}, role="manager")
    check(st == 200, "public edit", st)
    after = exported_docs()
    changed = {k for k in before if after[k][1] != before[k][1]}
    check({"advisories/acme/x_acme-oos-1-1.osv.json", "advisories/acme/all.json",
           "advisories/acme/oos-1.csaf.json"} <= changed, "the edited advisory's documents", changed)
    check("advisories/acme/x_acme-oos-1-3.osv.json" not in changed, "others unchanged", changed)
    ex = svc.config["export_dir"]
    for name in ("x_acme-oos-1-1.osv.json", "all.json", "oos-1.csaf.json"):
        with open(os.path.join(ex, "advisories", "acme", name)) as f:
            check(json.load(f) == svc.request("GET", f"/advisories/acme/{name}")[2],
                  "exported = served", name)
        with open(os.path.join(ex, "advisories", "acme", name)) as f:
            check("Eve Ito" in f.read(), "the new credit exported", name)


def test_bad_config():
    cases = [
        ({"osv_id_prefix": "bad prefix"}, "osv_id_prefix", "not a valid OSV id prefix"),
        ({"package_ecosystem": "Composer", "package_name": "a/b"}, "package_ecosystem",
         "not an OSV ecosystem"),
        ({"package_name": "a/b"}, "package_ecosystem", "required with package_name"),
        ({"csaf_publisher": {"category": "hero"}}, "csaf_publisher.category",
         "not a CSAF publisher category"),
        ({"csaf_publisher": {"namespace": "ftp://acme.example"}}, "csaf_publisher.namespace",
         "http:// or https://"),
        ({"csaf_publisher": {"name": ""}}, "csaf_publisher.name", "must not be empty"),
        ({"csaf_publisher": {"name": "Acme", "color": "red"}}, "csaf_publisher.color",
         "unknown key"),
        ({"csaf_publisher": "Acme"}, "csaf_publisher", "must be an object"),
    ]
    d = tempfile.mkdtemp(prefix="relcal-advdocs-")
    for keys, field, words in cases:
        cfg = base_config()
        cfg["projects"][0].update(keys)
        path = os.path.join(d, "relcal.json")
        with open(path, "w") as f:
            json.dump(cfg, f)
        p = run("check", "-c", path)
        check(p.returncode == 2 and f"$.projects[0].{field}:" in p.stderr and words in p.stderr,
              "refused naming the key", keys, p.returncode, p.stderr)
    cfg = base_config()
    cfg["projects"][0].update({"osv_id_prefix": "ACME-SA", "package_name": "acme/core",
                               "package_ecosystem": "Debian:12",
                               "csaf_publisher": {"category": "coordinator"}})
    with open(os.path.join(d, "relcal.json"), "w") as f:
        json.dump(cfg, f)
    p = run("check", "-c", os.path.join(d, "relcal.json"))
    check(p.returncode == 0, "good values load", p.stderr)


if __name__ == "__main__":
    tmp = tempfile.mkdtemp(prefix="relcal-advdocs-")
    os.makedirs(os.path.join(tmp, "export"))
    cfg = base_config(export_dir=os.path.join(tmp, "export"))
    p = cfg["projects"][0]
    p.update({"id": "acme", "name": "Acme", "package_name": "acme/core",
              "package_ecosystem": "Packagist",
              "advisory_url_template": "https://acme.example/sa/{cve}",
              "csaf_publisher": {"name": "Acme Security Team", "namespace": "https://acme.example"},
              "branches": [{"name": "5.x", "version": "5.1.2"}, {"name": "4.x", "version": "4.4.12"},
                           {"name": "3.x", "version": "3.9.1", "eol": "2026-06-30"}]})
    # A second project with the defaults: its (empty) feed is part of the combined one.
    cfg["projects"].append({"id": "other", "name": "Other", "branches": [{"name": "1.x", "version": "1.0.0"}]})
    try:
        svc = Service(config=cfg, now="2026-11-24T12:00:00Z").start()
        main([test_before_publication, test_links, test_osv, test_csaf, test_atom,
              test_no_private_text, test_export_dir, test_export_follows_edits, test_bad_config])
    finally:
        if svc:
            svc.stop()
