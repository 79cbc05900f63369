"""Static export (docs/CONTRACT.md): with export_dir set, every change rewrites {project}.ics, all.ics
and their .gz siblings, atomically, with the bytes the service serves."""
import gzip
import os
import tempfile

from relcal_testlib import Service, base_config, check, main

svc = None


def read(name):
    with open(os.path.join(svc.config["export_dir"], name), "rb") as f:
        return f.read()


def test_files_match_the_served_feeds():
    for name, path in (("mautic.ics", "/feeds/mautic.ics"), ("all.ics", "/feeds/all.ics")):
        st, _, body = svc.request("GET", path, raw=True)
        check(st == 200 and read(name) == body, "exported bytes = served bytes", name)
        check(gzip.decompress(read(name + ".gz")) == body, "gz sibling", name)
    left = [f for f in os.listdir(svc.config["export_dir"]) if ".tmp" in f]
    check(not left, "no temporary files left", left)


def test_rewritten_after_a_change():
    before = read("mautic.ics")
    st, _, i = svc.request("POST", "/api/v1/projects/mautic/issues",
                           {"title": "t", "severity": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
                           role="manager")
    st, _, r = svc.request("POST", "/api/v1/projects/mautic/releases",
                           {"date": "2026-12-20T12:00:00Z", "issues": [i["id"]], "reason": "x"},
                           role="manager")
    check(st == 201, "oos", st, r)
    after = read("mautic.ics")
    check(after != before and b"release-oos-1.mautic@" in after, "rewritten with the new release")
    st, _, body = svc.request("GET", "/feeds/mautic.ics", raw=True)
    check(body == after, "still the served bytes")


def test_unchanged_feeds_not_rewritten():
    """A write the public does not see (an issue's title, the issue in no release) leaves the
    files as they are, the feeds and the advisory documents alike: same inode (each rewrite
    renames a new file into place)."""
    d = svc.config["export_dir"]

    def inodes():
        return {os.path.relpath(os.path.join(root, n), d): os.stat(os.path.join(root, n)).st_ino
                for root, _, names in os.walk(d) for n in names}
    before = inodes()
    check({"mautic.ics", "all.ics", "advisories.atom", "mautic/advisories.atom",
           "advisories/mautic/all.json"} <= set(before), "feeds and documents exported", before)
    st, _, i = svc.request("POST", "/api/v1/projects/mautic/issues", {"title": "quiet"},
                           role="manager")
    check(st == 201, "created", st, i)
    st, _, i = svc.request("PATCH", f"/api/v1/projects/mautic/issues/{i['id']}",
                           {"title": "still quiet"}, role="manager")
    check(st == 200, "renamed", st, i)
    after = inodes()
    check(after == before, "not rewritten", before, after)


def inodes(d):
    return {os.path.relpath(os.path.join(root, n), d): os.stat(os.path.join(root, n)).st_ino
            for root, _, names in os.walk(d) for n in names}


def test_restart_rewrites_only_what_differs():
    """A start exports every file once, but a file already holding those bytes (with its .gz
    sibling) is left as it is: a restart of a service with many advisories does not rewrite and
    fsync every document. A file that differs or whose .gz is gone is written again."""
    d = svc.config["export_dir"]
    check(svc.stop() == 0, "stopped")
    before = inodes(d)
    with open(os.path.join(d, "mautic.ics"), "ab") as f:
        f.write(b"damaged")
    os.unlink(os.path.join(d, "all.ics.gz"))
    svc.start()
    after = inodes(d)
    changed = {k for k in before if after.get(k) != before[k]}
    check(changed == {"mautic.ics", "mautic.ics.gz", "all.ics", "all.ics.gz"},
          "only the damaged pairs rewritten",
          changed)
    test_files_match_the_served_feeds()


if __name__ == "__main__":
    try:
        d = tempfile.mkdtemp(prefix="relcal-export-")
        os.mkdir(os.path.join(d, "export"))
        svc = Service(config=base_config(export_dir=os.path.join(d, "export")),
                      now="2026-11-24T12:00:00Z", workdir=d).start()
        main([test_files_match_the_served_feeds, test_rewritten_after_a_change,
              test_unchanged_feeds_not_rewritten, test_restart_rewrites_only_what_differs])
    finally:
        if svc:
            svc.stop()
