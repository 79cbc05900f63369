"""Shared helpers for relcal system tests (run with /usr/bin/python3).

Each test file is a standalone script: it runs its checks, prints one line per check and a
closing "N passed, N failed" line, and exits non-zero on any failure.
"""
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
