"""The HTTP layer under abuse (the reliability suite: bad HTTP), short variants for CI: keep-alive and
pipelining, HEAD, slow clients trickling headers (slowloris), many idle connections while
another client is served quickly, abrupt disconnects, oversized URLs, SIGHUP reload with a bad
config, and a clean stop on SIGTERM. The full bar (scripts/reliability.sh) sets
RELCAL_IDLE_CONNECTIONS=10000 and RELCAL_SLOWLORIS=1000."""
import os
import resource
import signal
import socket
import time

from relcal_testlib import Service, base_config, check, main

N_IDLE = int(os.environ.get("RELCAL_IDLE_CONNECTIONS", "300"))
N_SLOW = int(os.environ.get("RELCAL_SLOWLORIS", "100"))


def raise_fd_limit(need):
    """Both this script and relcal (which inherits the limit) need a descriptor per socket."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, need))
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return want
svc = None


def connect():
    return socket.create_connection(("127.0.0.1", svc.port), timeout=10)


def read_all(s, want_responses):
    data = b""
    while data.count(b"HTTP/1.1 ") < want_responses:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def test_pipelining_and_head():
    s = connect()
    reqs = b"".join(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" for _ in range(3))
    reqs += b"HEAD /api/v1/projects HTTP/1.1\r\nHost: x\r\n\r\n"
    s.sendall(reqs)
    time.sleep(0.2)
    data = read_all(s, 4)
    check(data.count(b"HTTP/1.1 200") == 4, "four answers in order", data[:400])
    check(data.count(b'{"status":"ok"}') == 3, "three bodies", data)
    check(b"Date: " in data, "Date header", data[:300])
    head = data[data.rfind(b"HTTP/1.1 200"):]
    check(b"Content-Length: " in head and head.endswith(b"\r\n\r\n"), "HEAD has no body", head)
    s.close()


def test_slow_client_is_cut_off():
    # Headers must complete within the header timeout (10 s); a client trickling one byte a
    # second is closed, while others are still answered quickly.
    s = connect()
    s.sendall(b"GET /healthz HTTP/1.1\r\n")
    t0 = time.monotonic()
    closed = False
    while time.monotonic() - t0 < 14:
        try:
            s.sendall(b"X-A: b\r\n")
            if s.recv(1, socket.MSG_DONTWAIT) == b"":
                closed = True
                break
        except BlockingIOError:
            pass
        except OSError:
            closed = True
            break
        t1 = time.monotonic()
        st, _, _ = svc.request("GET", "/healthz")
        check(st == 200 and time.monotonic() - t1 < 0.1, "others served quickly")
        time.sleep(1)
    check(closed, "slow client closed after the header timeout", time.monotonic() - t0)
    check(time.monotonic() - t0 >= 9, "not before the timeout", time.monotonic() - t0)


def test_idle_connections():
    conns = [connect() for _ in range(N_IDLE)]
    times = []
    for _ in range(20):
        t1 = time.monotonic()
        st, _, _ = svc.request("GET", "/api/v1/projects/mautic/releases/next")
        times.append(time.monotonic() - t1)
        check(st == 200, "answered", st)
    check(max(times) < 0.1, "answers under 100 ms with idle connections open", max(times))
    for c in conns[: N_IDLE // 2]:
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        c.close()  # abrupt resets
    for c in conns[N_IDLE // 2:]:
        c.close()
    st, _, _ = svc.request("GET", "/healthz")
    check(st == 200, "alive after the resets", st)


def test_slowloris():
    # N_SLOW clients each trickle one header line a second and never finish; meanwhile another
    # client is answered in under 100 ms every time.
    conns = []
    for _ in range(N_SLOW):
        c = connect()
        c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        conns.append(c)
    times = []
    for _ in range(4):
        for c in conns:
            try:
                c.sendall(b"X-Slow: 1\r\n")
            except OSError:
                pass
        for _ in range(5):
            t1 = time.monotonic()
            st, _, _ = svc.request("GET", "/api/v1/projects/mautic/releases/next")
            times.append(time.monotonic() - t1)
            check(st == 200, "answered", st)
        time.sleep(1)
    for c in conns:
        c.close()
    check(max(times) < 0.1, f"answers under 100 ms beside {N_SLOW} slow clients", max(times))


def test_long_url():
    s = connect()
    s.sendall(b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    data = read_all(s, 1)
    check(data.startswith(b"HTTP/1.1 414") or data.startswith(b"HTTP/1.1 431"), "414", data[:60])
    s.close()


def test_reload():
    # A broken config is refused and the running one kept; a good one is taken.
    with open(svc.config_path, "w") as f:
        f.write("{ broken")
    svc.proc.send_signal(signal.SIGHUP)
    time.sleep(0.3)
    st, _, body = svc.request("GET", "/api/v1/projects")
    check(st == 200 and body[0]["id"] == "mautic", "old config kept", body)
    check("config reload failed" in svc.logs(), "reload failure logged")
    import json
    cfg = base_config()
    cfg["projects"][0]["name"] = "Mautic CMS"
    with open(svc.config_path, "w") as f:
        json.dump(cfg, f)
    svc.proc.send_signal(signal.SIGHUP)
    time.sleep(0.3)
    st, _, body = svc.request("GET", "/api/v1/projects")
    check(body[0]["name"] == "Mautic CMS", "new config taken", body)


def test_clean_stop():
    rc = svc.stop()
    check(rc == 0, "exit 0 on SIGTERM", rc)
    check('msg="stopped"' in svc.logs(), "stopped cleanly")


if __name__ == "__main__":
    limit = raise_fd_limit(max(N_IDLE, N_SLOW) + 256)
    if limit < max(N_IDLE, N_SLOW) + 64:
        print(f"note: descriptor limit {limit}: fewer connections than asked")
        N_IDLE = min(N_IDLE, limit - 64)
        N_SLOW = min(N_SLOW, limit - 64)
    try:
        # Every client of this test comes from 127.0.0.1: lift the per-address cap (64).
        svc = Service(config=base_config(http_max_connections_per_address=1000000),
                      now="2026-11-24T12:00:00Z").start()
        main([test_pipelining_and_head, test_long_url, test_idle_connections, test_slowloris,
              test_reload, test_slow_client_is_cut_off, test_clean_stop])
    finally:
        if svc:
            svc.stop()
