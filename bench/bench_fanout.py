"""Fan-out bar (the notifiers issue): 1,000 distributor webhooks to a local receiver that answers
each after 100 ms, all delivered in under 5 s without exceeding the configured per-host
parallelism. Peer in the same run: curl --parallel (Debian's curl) posting the same 1,000 bodies
to the same receiver with the same cap. Run with /usr/bin/python3 (bench_fanout.sh does)."""
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "system"))
from fanout_receiver import FanoutReceiver, fanout_config  # noqa: E402
from relcal_testlib import Service, base_config  # noqa: E402

N = int(os.environ.get("FANOUT_N", "1000"))
PER_HOST = int(os.environ.get("FANOUT_PER_HOST", "32"))
DELAY = 0.1
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def relcal_run():
    rx = FanoutReceiver(DELAY)
    svc = Service(config=fanout_config(base_config(), rx.port, N, SECRET, PER_HOST),
                  now="2026-11-24T12:00:00Z").start()
    try:
        _, _, i = svc.request("POST", "/api/v1/projects/mautic/issues",
                              {"title": "t", "severity":
                               "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}, role="manager")
        t0 = time.monotonic()
        st, _, _ = svc.request("POST", "/api/v1/projects/mautic/releases",
                               {"date": "2026-11-29T12:00:00Z", "issues": [i["id"]],
                                "reason": "x", "override_reason": "bench"}, role="admin")
        assert st == 201, st
        while len(rx.paths()) < N or rx.open:
            if time.monotonic() - t0 > 120:
                raise SystemExit(f"relcal: only {len(rx.paths())} of {N} after 120 s")
            time.sleep(0.005)
        took = time.monotonic() - t0
        # Recorded as sent too (the receiver answered; relcal wrote the outcome).
        while True:
            _, _, rows = svc.request("GET", "/api/v1/projects/mautic/deliveries?state=sent",
                                     role="reader")
            if sum(x["message_type"] == "release.distributor_notice" for x in rows) >= N:
                break
            time.sleep(0.01)
        recorded = time.monotonic() - t0
        return took, recorded, rx.max_open, len(rx.hits)
    finally:
        svc.stop()
        rx.close()


def curl_run():
    rx = FanoutReceiver(DELAY)
    with tempfile.TemporaryDirectory() as d:
        body = os.path.join(d, "body.json")
        with open(body, "w") as f:
            f.write('{"type":"release.distributor_notice","data":{}}')
        cfg = os.path.join(d, "urls.cfg")
        with open(cfg, "w") as f:
            for i in range(N):
                if i:
                    f.write("next\n")
                f.write(f'url = "http://127.0.0.1:{rx.port}/h/{i}"\n')
                f.write(f'data = "@{body}"\nheader = "webhook-id: {i}"\noutput = "/dev/null"\n')
        t0 = time.monotonic()
        subprocess.run(["curl", "-sS", "--no-progress-meter", "--parallel", "--parallel-max",
                        str(PER_HOST), "--parallel-immediate", "-K", cfg], check=True)
        took = time.monotonic() - t0
    rx.close()
    return took, rx.max_open, len(rx.hits)


if __name__ == "__main__":
    r_took, r_rec, r_max, r_hits = relcal_run()
    c_took, c_max, c_hits = curl_run()
    floor = N * DELAY / PER_HOST
    print(f"Fan-out: {N} webhooks, receiver answers after {DELAY * 1000:.0f} ms, "
          f"per-host cap {PER_HOST} (floor {floor:.2f} s)\n")
    print("| sender | all answered (s) | all recorded sent (s) | max open at receiver | requests |")
    print("|---|---|---|---|---|")
    print(f"| relcal | {r_took:.2f} | {r_rec:.2f} | {r_max} | {r_hits} |")
    print(f"| curl --parallel | {c_took:.2f} | - | {c_max} | {c_hits} |")
    print(f"\nrelcal / curl: {r_took / c_took:.2f}x; bar: under 5 s -> "
          f"{'met' if r_rec < 5 and r_max <= PER_HOST else 'NOT met'}")
