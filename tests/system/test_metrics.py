"""GET /metrics parsed by an independent implementation of the Prometheus text format
(Debian's python3-prometheus-client): request counters by route and status, the latency
histogram, feed renders and cache hits, deliveries, SLA breaches, the next release and build
info; /healthz answers from the database."""
from prometheus_client.parser import text_string_to_metric_families

from relcal_testlib import Service, check, main

svc = None


def scrape():
    st, h, body = svc.request("GET", "/metrics", raw=True)
    check(st == 200 and h["content-type"].startswith("text/plain; version=0.0.4"), "200", st, h)
    fams = {f.name: f for f in text_string_to_metric_families(body.decode())}
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


def test_healthz():
    st, _, body = svc.request("GET", "/healthz")
    check(st == 200 and body == {"status": "ok"}, "healthz", st, body)


if __name__ == "__main__":
    try:
        svc = Service(now="2026-11-24T12:00:00Z").start()
        main([test_metrics, test_healthz])
    finally:
        if svc:
            svc.stop()
