"""Shared helpers for relcal system tests (run with /usr/bin/python3).

Each test file is a standalone script: it runs its checks, prints one line per check and a
closing "N passed, N failed" line, and exits non-zero on any failure.
"""
import atexit
import os
import subprocess
import sys
import tempfile
import traceback

RELCAL = os.environ.get("RELCAL_BIN", "relcal")
SOURCE_DIR = os.environ.get("RELCAL_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))


def run(*args, env=None, cwd=None, input=None, timeout=60):
    """Runs relcal with args; returns CompletedProcess with text stdout/stderr."""
    e = dict(os.environ)
    e.pop("RELCAL_NOW", None)
    if env:
        e.update(env)
    return subprocess.run([RELCAL, *args], capture_output=True, text=True, env=e,
                          cwd=cwd or tempfile.gettempdir(), input=input, timeout=timeout)


def main(tests):
    """Runs a list of test functions, reporting each; exits 1 if any failed."""
    passed = failed = 0
    for t in tests:
        try:
            t()
            passed += 1
            print(f"ok   {t.__name__}")
        except Exception:  # noqa: BLE001 - report every failure and keep going
            failed += 1
            print(f"FAIL {t.__name__}")
            traceback.print_exc()
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


import hashlib
import http.client
import json
import signal
import socket
import time

TOKENS = {"reader": "reader-token", "manager": "manager-token", "admin": "admin-token"}


def sha256_hex(s):
    return hashlib.sha256(s.encode()).hexdigest()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_config(**overrides):
    """A test config: three tokens, one Berlin project with two branches, a log channel."""
    cfg = {
        "public_url": "https://security.example.org",
        "allow_private_addresses": True,
        "tokens": [{"name": role, "role": role, "sha256": sha256_hex(tok)}
                   for role, tok in TOKENS.items()],
        "projects": [{
            "id": "mautic", "name": "Mautic", "timezone": "Europe/Berlin",
            "branches": [{"name": "5.x", "version": "5.1.2"},
                         {"name": "4.x", "version": "4.4.12", "eol": "2027-06-30"}],
            "channels": [{"name": "team", "type": "log", "audience": "team"}],
        }],
    }
    cfg.update(overrides)
    return cfg


# Every relcal serve a test started and has not stopped: a test that fails (or a script that
# raises) leaves none running behind it.
_RUNNING = set()


@atexit.register
def _kill_running():
    for proc in list(_RUNNING):
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    _RUNNING.clear()


class Service:
    """relcal serve on 127.0.0.1 with its own config and database in a temporary directory."""

    def __init__(self, config=None, now=None, workdir=None):
        self.dir = workdir or tempfile.mkdtemp(prefix="relcal-test-")
        self.port = free_port()
        self.config = config or base_config()
        self.config_path = os.path.join(self.dir, "relcal.json")
        self.db = os.path.join(self.dir, "relcal.db")
        self.proc = None
        self.now = now
        self.log_path = os.path.join(self.dir, "serve.log")

    def start(self, now=None, extra_env=None, preexec_fn=None, timeout=10):
        if self.proc and self.proc.poll() is None:
            raise RuntimeError("the previous relcal serve is still running; stop it first")
        if now:
            self.now = now
        with open(self.config_path, "w") as f:
            json.dump(self.config, f)
        env = dict(os.environ)
        env.pop("RELCAL_NOW", None)
        if self.now:
            env["RELCAL_NOW"] = self.now
        if extra_env:
            env.update(extra_env)
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [RELCAL, "serve", "-c", self.config_path, "--listen", f"127.0.0.1:{self.port}",
             "--db", self.db], cwd=self.dir, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            preexec_fn=preexec_fn)
        _RUNNING.add(self.proc)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"relcal serve exited {self.proc.returncode}: {self.logs()}")
            try:
                status, _, _ = self.request("GET", "/healthz")
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError(f"relcal serve did not answer within {timeout} s")

    def stop(self, sig=signal.SIGTERM, timeout=10):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=timeout)
        rc = self.proc.returncode if self.proc else None
        _RUNNING.discard(self.proc)
        self.proc = None
        if getattr(self, "log", None):
            self.log.close()
        return rc

    def kill9(self):
        return self.stop(signal.SIGKILL)

    def logs(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def raw_exchange(self, data, timeout=5, on_timeout=b""):
        """Sends raw bytes on a new connection and reads until the server closes it; on a read
        timeout `on_timeout` is appended to what arrived."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        s.sendall(data)
        out = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                out += chunk
        except socket.timeout:
            out += on_timeout
        s.close()
        return out

    def request(self, method, path, body=None, role=None, headers=None, raw=False):
        """Returns (status, headers dict (lower-case keys), parsed JSON body or raw bytes)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        h = dict(headers or {})
        if role:
            h["Authorization"] = f"Bearer {TOKENS[role]}"
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
            if isinstance(data, str):
                data = data.encode()
            h.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=data, headers=h)
        resp = conn.getresponse()
        payload = resp.read()
        hdrs = {k.lower(): v for k, v in resp.getheaders()}
        conn.close()
        if raw or not payload or "json" not in hdrs.get("content-type", ""):
            return resp.status, hdrs, payload
        return resp.status, hdrs, json.loads(payload)


def wait_for(pred, timeout, interval=0.1):
    """Polls pred until it returns something true (returned) or timeout seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(interval)
    return False


def log_channels(cfg):
    """Replaces the first project's channels by log files team.log, public.log and distros.log
    (in the service's directory), one per audience."""
    cfg["projects"][0]["channels"] = [
        {"name": "team", "type": "log", "audience": "team", "path": "team.log"},
        {"name": "news", "type": "log", "audience": "public", "path": "public.log"},
        {"name": "distros", "type": "log", "audience": "distributors", "path": "distros.log"},
    ]
    return cfg


def check(cond, what, *context):
    """assert with context that shows up in the failure report."""
    if not cond:
        raise AssertionError(what + ("" if not context else ": " + " | ".join(map(repr, context))))


CRITICAL = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
STEPS = {"reported": [], "acknowledged": ["acknowledged"],
         "confirmed": ["acknowledged", "confirmed"],
         "fix_ready": ["acknowledged", "confirmed", "fix_ready"]}


def new_issue(svc, status="fix_ready", title="issue", branches=("5.x",), vector=CRITICAL,
              project="mautic"):
    """Creates an issue and moves it to `status` (reported .. fix_ready) as a manager."""
    base = f"/api/v1/projects/{project}/issues"
    st, _, i = svc.request("POST", base, {"title": title, "severity": vector,
                                          "branches": list(branches)}, role="manager")
    check(st == 201, "issue created", st, i)
    for to in STEPS[status]:
        st, _, i = svc.request("PATCH", f"{base}/{i['id']}", {"status": to}, role="manager")
        check(st == 200, "transition", to, st, i)
    return i


def log_messages(svc, log, type_=None):
    """The messages a log channel wrote (log_channels: team.log, public.log, distros.log),
    optionally of one type."""
    path = os.path.join(svc.dir, log)
    if not os.path.exists(path):
        return []
    with open(path) as f:
        msgs = [json.loads(line) for line in f if line.strip()]
    return [m for m in msgs if type_ is None or m["type"] == type_]
