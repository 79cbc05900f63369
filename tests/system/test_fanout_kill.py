"""kill -9 during a delivery fan-out: 150 distributor webhooks to a receiver that answers after
100 ms, at most 10 at once per host. relcal is killed while deliveries are in flight and started
again: every channel gets its message, the per-host cap is never exceeded, and the only
duplicates are messages that were in flight at the kill, each repeated with the same webhook-id.
"""
import collections
import time

from fanout_receiver import FanoutReceiver, fanout_config
from relcal_testlib import Service, base_config, check, main, wait_for

N, PER_HOST = 150, 10
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"




def test_kill_during_fanout():
    rx = FanoutReceiver(0.1)
    svc = Service(config=fanout_config(base_config(), rx.port, N, SECRET, PER_HOST),
                  now="2026-11-24T12:00:00Z").start()
    try:
        st, _, i = svc.request("POST", "/api/v1/projects/mautic/issues",
                               {"title": "t", "severity":
                                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}, role="manager")
        st, _, r = svc.request("POST", "/api/v1/projects/mautic/releases",
                               {"date": "2026-11-29T12:00:00Z", "issues": [i["id"]],
                                "reason": "x", "override_reason": "exploited"}, role="admin")
        check(st == 201, "release", st, r)
        check(wait_for(lambda: len(rx.paths()) >= 30, 20, 0.02), "fan-out under way")
        svc.kill9()
        at_kill = rx.snapshot()
        check(len(rx.paths()) < N, "killed before the end", len(rx.paths()))
        time.sleep(0.3)  # the killed process's requests end at the receiver
        first_max, rx.max_open = rx.max_open, 0
        svc.start()
        check(wait_for(lambda: len(rx.paths()) == N, 30, 0.02), "every channel reached",
              len(rx.paths()))
        time.sleep(0.5)  # nothing else should arrive
        hits = rx.snapshot()
        by_path = collections.defaultdict(list)
        for path, wid, _ in hits:
            by_path[path].append(wid)
        dups = {p: ids for p, ids in by_path.items() if len(ids) > 1}
        check(all(len(set(ids)) == 1 for ids in by_path.values()), "one id per channel", dups)
        # A duplicate is a message the receiver had seen before the kill and relcal had not yet
        # recorded as sent: at most the transfers in flight (the per-host cap).
        seen_before = {p for p, _, _ in at_kill}
        check(set(dups) <= seen_before and len(dups) <= PER_HOST, "duplicates only in flight",
              len(dups), dups)
        check(first_max <= PER_HOST and rx.max_open <= PER_HOST, "per-host cap", first_max,
              rx.max_open)
        _, _, rows = svc.request("GET", "/api/v1/projects/mautic/deliveries?state=sent",
                                 role="reader")
        # The team's log channel gets the notice too; count the distributors' webhooks.
        sent = {x["channel"] for x in rows if x["message_type"] == "release.distributor_notice"
                and x["channel"].startswith("d")}
        check(len(sent) == N, "all recorded as sent", len(sent))
    finally:
        svc.stop()
        rx.close()


if __name__ == "__main__":
    main([test_kill_during_fanout])
