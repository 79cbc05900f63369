"""GET /metrics parsed by an independent implementation of the Prometheus text format
(Debian's python3-prometheus-client), by a line-by-line check of the family grouping the format
requires (HELP and TYPE just before the samples of their own family, each family once) and by
`promtool check metrics` when it is installed: request counters by route and status, the latency
histogram, feed renders and cache hits, deliveries, SLA breaches, the next release and build
info. The metrics need a token of the reader role (they tell how many deadlines are breached);
/healthz answers from the database."""
import re
import shutil
import subprocess

from prometheus_client.parser import text_string_to_metric_families

from relcal_testlib import Service, check, main

svc = None


SUFFIXES = {"counter": ("", "_total"), "gauge": ("",),
            "histogram": ("_bucket", "_sum", "_count")}


def check_grouping(text):
    """Every family: HELP, TYPE, then its samples, all together; no family twice."""
    seen, current, kind = set(), None, None
    for line in text.splitlines():
        m = re.match(r"# (HELP|TYPE) (\S+)(?: (\S+))?", line)
        if m:
            if m.group(1) == "HELP":
                check(m.group(2) not in seen, "each family once", m.group(2), text)
                seen.add(m.group(2))
                current, kind = m.group(2), None
            else:
                check(m.group(2) == current, "TYPE right after its HELP", line, text)
                kind = m.group(3)
            continue
        name = re.match(r"[a-zA-Z_:][a-zA-Z0-9_:]*", line).group(0)
        check(kind and any(name == current + sfx for sfx in SUFFIXES[kind]),
              "a sample under its own family's HELP and TYPE", line, current, text)


def promtool(text):
    tool = shutil.which("promtool")
    if not tool:
        return
    p = subprocess.run([tool, "check", "metrics"], input=text.encode(), capture_output=True)
    check(p.returncode == 0 and not p.stdout.strip() and not p.stderr.strip(),
          "promtool: no complaint", p.stdout, p.stderr)


def scrape():
    st, h, body = svc.request("GET", "/metrics", raw=True, role="reader")
    check(st == 200 and h["content-type"].startswith("text/plain; version=0.0.4"), "200", st, h)
    text = body.decode()
    check_grouping(text)
    promtool(text)
    fams = {}
    for f in text_string_to_metric_families(text):
        check(f.name not in fams, "the parser sees each family once", f.name, text)
        check(f.type != "unknown", "the parser sees a type", f.name, text)
        fams[f.name] = f
    return fams


def samples(fams, name):
    return [s for s in fams[name].samples] if name in fams else []


def test_metrics():
    svc.request("GET", "/feeds/mautic.ics", raw=True)
    svc.request("GET", "/feeds/mautic.ics", raw=True)
    svc.request("GET", "/nope")
    svc.request("POST", "/api/v1/projects/mautic/issues", {"title": "t"}, role="manager")
    fams = scrape()
    reqs = {(s.labels["route"], s.labels["status"]): s.value
            for s in samples(fams, "relcal_http_requests") if s.name.endswith("_total")}
    check(reqs.get(("/feeds/{p}.ics", "200")) == 2, "feed requests", reqs)
    check(reqs.get(("unmatched", "404")) == 1, "unmatched 404", reqs)
    check(reqs.get(("/api/v1/projects/{p}/issues", "201")) == 1, "issue created", reqs)
    hist = samples(fams, "relcal_http_request_duration_seconds")
    count = [s.value for s in hist if s.name.endswith("_count")][0]
    inf = [s.value for s in hist if s.labels.get("le") == "+Inf"][0]
    check(count == inf and count >= 5, "histogram", count, inf)
    renders = samples(fams, "relcal_feed_renders")[0].value
    hits = samples(fams, "relcal_feed_cache_hits")[0].value
    check(renders >= 1 and hits >= 1, "render once, then from memory", renders, hits)
    nxt = samples(fams, "relcal_next_release_timestamp_seconds")
    check(nxt and nxt[0].value == 1802178000, "next release 2027-02-09T13:00Z", nxt)
    check(samples(fams, "relcal_build_info")[0].labels["version"], "build info")
    check([s for s in samples(fams, "relcal_sla_breaches") if s.labels["project"] == "mautic"],
          "SLA breaches gauge")
    check(fams["relcal_sla_breaches"].type == "gauge", "SLA breaches typed", fams)


def test_metrics_need_a_token():
    st, h, body = svc.request("GET", "/metrics", raw=True)
    check(st == 401 and b"relcal_" not in body, "401 without a token", st, body)
    check(h.get("www-authenticate") == "Bearer", "asks for a bearer token", h)
    st, _, body = svc.request("GET", "/metrics", raw=True, headers={"Authorization": "Bearer x"})
    check(st == 401 and b"relcal_" not in body, "401 with an unknown token", st, body)
    st, _, body = svc.request("GET", "/metrics?token=reader-token", raw=True)
    check(st == 401 and b"relcal_" not in body, "no ?token= (it would land in access logs)", st)


def test_healthz():
    st, _, body = svc.request("GET", "/healthz")
    check(st == 200 and body == {"status": "ok"}, "healthz", st, body)


if __name__ == "__main__":
    try:
        svc = Service(now="2026-11-24T12:00:00Z").start()
        main([test_metrics, test_metrics_need_a_token, test_healthz])
    finally:
        if svc:
            svc.stop()
