"""A webhook receiver for fan-out tests and the fan-out benchmark (Python standard library):
answers every POST with 200 after `delay` seconds, records (path, webhook-id) on arrival, and
keeps the highest number of requests it had open at once. With `wave`, a request waits until
`wave` requests are open before its delay starts, so each wave is answered at the same instant
(the answer times are kept in `answered`)."""
import http.server
import threading
import time


class FanoutReceiver:
    def __init__(self, delay, wave=None):
        self.delay = delay
        self.hits = []  # (path, webhook-id, arrival time)
        self.answered = []  # times the answers left
        barrier = threading.Barrier(wave) if wave else None
        self.open = 0
        self.max_open = 0
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                with outer.lock:
                    outer.hits.append((self.path, self.headers["webhook-id"], time.monotonic()))
                    outer.open += 1
                    outer.max_open = max(outer.max_open, outer.open)
                if barrier:
                    barrier.wait(timeout=30)
                time.sleep(outer.delay)
                with outer.lock:  # closed before the answer leaves, so the sender may go on
                    outer.open -= 1
                    outer.answered.append(time.monotonic())
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            request_queue_size = 1024  # the listen backlog (the default 5 resets connections)

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def paths(self):
        with self.lock:
            return {p for p, _, _ in self.hits}

    def snapshot(self):
        with self.lock:
            return list(self.hits)

    def close(self):
        self.server.shutdown()


def fanout_config(base, port, n, secret, per_host):
    """`base` (a test config) with n distributor webhooks /h/0 .. /h/{n-1} on the receiver."""
    base["delivery_max_per_host"] = per_host
    for i in range(n):
        base["projects"][0]["channels"].append({
            "name": f"d{i}", "type": "webhook", "audience": "distributors",
            "url": f"http://127.0.0.1:{port}/h/{i}", "allow_insecure": True, "secret": secret})
    return base
