"""Deliveries that complete together are recorded together: on a disk whose fsync takes 30 ms
(tests/system/slow_fsync.c preloaded into relcal), 32 webhooks to one host with a per-host cap
of 16 and a receiver that answers each wave of 16 at the same instant. The first wave's outcomes
are committed in a few transactions rather than one each before the freed slots are refilled,
so the second wave reaches the receiver within a few syncs of the answers (one sync per
completion would take 16 x 30 ms). The cap is kept and every delivery is recorded as sent."""
import os
import shutil
import subprocess

from fanout_receiver import FanoutReceiver, fanout_config
from relcal_testlib import Service, base_config, check, main, wait_for

N, PER_HOST, SYNC_MS = 32, 16, 30
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def slow_fsync_shim(d):
    cc = shutil.which("cc") or shutil.which("gcc")
    check(cc, "a C compiler for the slow-disk shim")
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "slow_fsync.c")
    out = os.path.join(d, "slow_fsync.so")
    subprocess.run([cc, "-shared", "-fPIC", "-O2", src, "-o", out, "-ldl"], check=True)
    return out


def test_wave_recorded_together():
    rx = FanoutReceiver(0.05, wave=PER_HOST)
    svc = Service(config=fanout_config(base_config(), rx.port, N, SECRET, PER_HOST),
                  now="2026-11-24T12:00:00Z")
    # A sanitizer build's runtime would object to a library loaded before it.
    env = {"LD_PRELOAD": slow_fsync_shim(svc.dir), "RELCAL_SLOW_FSYNC_MS": str(SYNC_MS),
           "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"}
    svc.start(extra_env=env)
    try:
        st, _, i = svc.request("POST", "/api/v1/projects/mautic/issues",
                               {"title": "t", "severity":
                                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}, role="manager")
        st, _, r = svc.request("POST", "/api/v1/projects/mautic/releases",
                               {"date": "2026-11-29T12:00:00Z", "issues": [i["id"]],
                                "reason": "x", "override_reason": "exploited"}, role="admin")
        check(st == 201, "release", st, r)
        check(wait_for(lambda: len(rx.paths()) == N and not rx.open, 30, 0.02),
              "every channel reached", len(rx.paths()))
        arrivals = sorted(at for _, _, at in rx.snapshot())
        first_answer = min(rx.answered)
        second_wave = arrivals[PER_HOST:]
        check(min(second_wave) >= first_answer, "the second wave after the first's answers")
        took_ms = (max(second_wave) - first_answer) * 1000
        check(took_ms < 4 * SYNC_MS, "the second wave within four syncs of the first's answers",
              f"{took_ms:.0f} ms", f"one sync per completion: {PER_HOST * SYNC_MS} ms")
        check(rx.max_open <= PER_HOST, "per-host cap", rx.max_open)

        def recorded():
            _, _, rows = svc.request("GET", "/api/v1/projects/mautic/deliveries?state=sent",
                                     role="reader")
            return {x["channel"] for x in rows
                    if x["message_type"] == "release.distributor_notice"
                    and x["channel"].startswith("d")}
        check(wait_for(lambda: len(recorded()) == N, 10, 0.05), "all recorded as sent",
              len(recorded()))
    finally:
        svc.stop()
        rx.close()


if __name__ == "__main__":
    main([test_wave_recorded_together])
