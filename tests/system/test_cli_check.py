"""`relcal check` and the static export directory (docs/CONTRACT.md "Command line", "Static export"):
an export_dir that does not exist, is not a directory or cannot be written is a configuration
error (exit 2, naming $.export_dir) instead of a valid config whose exports then fail."""
import json
import os
import stat
import subprocess
import tempfile

from relcal_testlib import RELCAL, SOURCE_DIR, check, main, run

NOW = "2026-11-24T12:00:00Z"


def config_with_export(export_dir):
    d = tempfile.mkdtemp(prefix="relcal-check-")
    path = os.path.join(d, "relcal.json")
    with open(path, "w") as f:
        json.dump({"export_dir": export_dir,
                   "projects": [{"id": "p", "name": "P", "timezone": "UTC"}]}, f)
    return path


def as_nobody():
    # Root may write anywhere; the service runs as an unprivileged user, so check as one.
    os.setgid(65534)
    os.setuid(65534)


def run_check(path, unprivileged=False):
    if unprivileged and os.geteuid() == 0:
        return subprocess.run([RELCAL, "check", "-c", path, "--now", NOW], capture_output=True,
                              text=True, cwd="/", preexec_fn=as_nobody, timeout=60)
    return run("check", "-c", path, "--now", NOW)


def test_export_dir_missing():
    missing = os.path.join(tempfile.mkdtemp(prefix="relcal-check-"), "export")
    path = config_with_export(missing)
    r = run_check(path)
    check(r.returncode == 2, "exit 2", r.returncode, r.stdout, r.stderr)
    check(f"{path}: $.export_dir: {missing} does not exist" in r.stderr, "message", r.stderr)
    check("is valid" not in r.stdout, "not reported valid", r.stdout)


def test_export_dir_is_a_file():
    f = os.path.join(tempfile.mkdtemp(prefix="relcal-check-"), "export")
    open(f, "w").close()
    r = run_check(config_with_export(f))
    check(r.returncode == 2 and "$.export_dir: " + f + " is not a directory" in r.stderr,
          "not a directory", r.returncode, r.stderr)


def test_export_dir_not_writable():
    d = tempfile.mkdtemp(prefix="relcal-check-")
    os.chmod(d, 0o555)
    path = config_with_export(d)
    os.chmod(os.path.dirname(path), 0o755)
    os.chmod(path, 0o644)
    r = run_check(path, unprivileged=True)
    check(r.returncode == 2, "exit 2", r.returncode, r.stdout, r.stderr)
    check(f"$.export_dir: {d} is not writable" in r.stderr, "message", r.stderr)
    check("ReadWritePaths=" in r.stderr and "docs/OPERATIONS.md" in r.stderr, "hint", r.stderr)


def test_export_dir_writable():
    d = tempfile.mkdtemp(prefix="relcal-check-")
    os.chmod(d, stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    r = run_check(config_with_export(d))
    check(r.returncode == 0 and "is valid" in r.stdout, "valid", r.returncode, r.stderr)
    check(f"export to {d}" in r.stdout, "export dir shown", r.stdout)


def test_local_config_is_the_embedded_default():
    # ./scripts/run.sh passes packaging/local.json explicitly instead of relying on the lookup
    # chain (an installed /etc/relcal/relcal.json would win); it must say what the embedded
    # default says.
    if os.path.exists("/etc/relcal/relcal.json"):
        print("skip: /etc/relcal/relcal.json exists, the embedded default is not reachable")
        return
    cwd = tempfile.mkdtemp(prefix="relcal-check-")
    embedded = run("check", "--now", NOW, cwd=cwd)
    local = run("check", "-c", os.path.join(SOURCE_DIR, "packaging", "local.json"), "--now", NOW,
                cwd=cwd)
    check(embedded.returncode == 0 and local.returncode == 0, "both valid", embedded.stderr,
          local.stderr)
    check("<embedded default>" in embedded.stdout.splitlines()[0], "embedded", embedded.stdout)
    check(embedded.stdout.splitlines()[1:] == local.stdout.splitlines()[1:], "same settings",
          embedded.stdout, local.stdout)


if __name__ == "__main__":
    main([test_export_dir_missing, test_export_dir_is_a_file, test_export_dir_not_writable,
          test_export_dir_writable, test_local_config_is_the_embedded_default])
