"""Caches are sized from the config: with 70 projects every project's public feed, page,
releases/next and public release list answers (the 65th and later answered 500 while the feed
and page caches held 64 projects), and the metrics carry every project's gauges."""
import copy

from relcal_testlib import Service, base_config, check, main

N = 70
svc = None


def test_every_project_served():
    for k in (0, 63, 64, 65, N - 1):
        pid = f"p{k + 1}"
        st, h, body = svc.request("GET", f"/feeds/{pid}.ics", raw=True)
        check(st == 200 and b"BEGIN:VCALENDAR" in body, f"{pid}'s feed", st, body[:200])
        st, _, body = svc.request("GET", f"/p/{pid}", raw=True)
        check(st == 200 and b"<html" in body.lower(), f"{pid}'s page", st, body[:200])
        st, _, body = svc.request("GET", f"/api/v1/projects/{pid}/releases/next")
        check(st == 200, f"{pid}'s next release", st, body)
        st, _, body = svc.request("GET", f"/api/v1/projects/{pid}/releases")
        check(st == 200 and isinstance(body, list) and body, f"{pid}'s releases", st, body)
    # Served again from memory: the same bytes.
    st1, h1, _ = svc.request("GET", f"/feeds/p{N}.ics", raw=True)
    st2, h2, _ = svc.request("GET", f"/feeds/p{N}.ics", raw=True)
    check(st1 == st2 == 200 and h1["etag"] == h2["etag"], "cached feed", h1, h2)


def test_metrics_carry_every_project():
    st, _, body = svc.request("GET", "/metrics", role="reader", raw=True)
    check(st == 200, "metrics", st)
    text = body.decode()
    check(f'relcal_next_release_timestamp_seconds{{project="p{N}"}}' in text,
          "the last project's gauge", text[-1500:])


if __name__ == "__main__":
    cfg = base_config()
    one = cfg["projects"][0]
    cfg["projects"] = []
    for k in range(N):
        p = copy.deepcopy(one)
        p["id"] = f"p{k + 1}"
        p["name"] = f"Project {k + 1}"
        cfg["projects"].append(p)
    try:
        svc = Service(config=cfg, now="2026-11-24T12:00:00Z").start()
        main([test_every_project_served, test_metrics_carry_every_project])
    finally:
        if svc:
            svc.stop()
