"""An admin's delivery retry is an operation like any other (docs/CONTRACT.md "deliveries"): the
dead row is pending again, the channel a receiver disabled (a 404 disables it) is enabled, and
the audit log records who did it, which row and which channel, in the same transaction."""
import http.server
import threading

from relcal_testlib import Service, base_config, check, main, wait_for

svc = None


class Gone(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def dead_rows():
    st, _, rows = svc.request("GET", "/api/v1/projects/mautic/deliveries?state=dead",
                              role="reader")
    return [x for x in rows if x["channel"] == "gone"] if st == 200 else []


def test_retry_is_audited():
    st, _, i = svc.request("POST", "/api/v1/projects/mautic/issues",
                           {"title": "t", "severity": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
                           role="manager")
    check(st == 201, "issue", st, i)
    st, _, r = svc.request("POST", "/api/v1/projects/mautic/releases",
                           {"date": "2026-11-29T12:00:00Z", "issues": [i["id"]], "reason": "x",
                            "override_reason": "exploited"}, role="admin")
    check(st == 201, "release", st, r)
    dead = wait_for(lambda: [x for x in dead_rows() if x["channel_disabled"]], 15)
    check(dead and dead[0]["channel_disabled"], "a 404 leaves the row dead, channel disabled",
          dead)
    row = dead[0]
    st, _, before = svc.request("GET", "/api/v1/projects/mautic/audit?action=delivery.retry",
                                role="reader")
    check(st == 200 and before == [], "no retry audited yet", st, before)
    st, _, body = svc.request("POST", f"/api/v1/projects/mautic/deliveries/{row['id']}/retry",
                              role="admin")
    check(st == 200 and body["state"] == "pending", "re-queued", st, body)
    st, _, rows = svc.request("GET", "/api/v1/projects/mautic/audit?action=delivery.retry",
                              role="reader")
    check(st == 200 and len(rows) == 1, "one audit row for the retry", st, rows)
    a = rows[0]
    check(a["actor"] == "admin" and a["subject"] == row["id"], "who and which row", a)
    check(a["detail"] == {"channel": "gone", "channel_enabled": True}, "which channel, enabled",
          a)
    # A refused retry (no dead row with this id) writes nothing. (The retried row itself may
    # be dead again by now: the receiver answers 404 every time.)
    st, _, _ = svc.request("POST", "/api/v1/projects/mautic/deliveries/01ARZ3NDEKTSV4RRFFQ69G5FAV"
                           "/retry", role="admin")
    check(st == 404, "only dead rows", st)
    st, _, rows = svc.request("GET", "/api/v1/projects/mautic/audit?action=delivery.retry",
                              role="reader")
    check(len(rows) == 1, "a refused retry is not audited", rows)


if __name__ == "__main__":
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Gone)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    cfg = base_config()
    cfg["projects"][0]["channels"].append({
        "name": "gone", "type": "webhook", "audience": "distributors",
        "url": f"http://127.0.0.1:{port}/gone", "allow_insecure": True,
        "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"})
    try:
        svc = Service(config=cfg, now="2026-11-24T12:00:00Z").start()
        main([test_retry_is_audited])
    finally:
        if svc:
            svc.stop()
        server.shutdown()
