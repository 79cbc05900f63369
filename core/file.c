/* Atomic replacement of files (see file.h): the static export writes through it. */
#include "core/file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"
#include "core/xalloc.h"

int file_write_atomic(const char *path, const char *data, size_t n)
{
    char *tmp = xasprintf("%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    int rc = RC_EIO;
    if (fd < 0)
        goto out;
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(fd, data + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    if (off != n || fchmod(fd, 0644) < 0 || fsync(fd) < 0) {
        close(fd);
        unlink(tmp);
        goto out;
    }
    close(fd);
    if (rename(tmp, path) < 0) {
        unlink(tmp);
        goto out;
    }
    char *dircopy = xstrdup(path);
    int dfd = open(dirname(dircopy), O_RDONLY | O_DIRECTORY);
    free(dircopy);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    rc = 0;
out:
    if (rc < 0)
        log_error("cannot write file", "path=\"%s\" error=\"%s\"", path, strerror(errno));
    free(tmp);
    return rc;
}

bool file_holds(const char *path, const char *data, size_t n)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st;
    bool same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == n;
    char buf[16384];
    for (size_t off = 0; same && off < n;) {
        size_t want = n - off < sizeof buf ? n - off : sizeof buf;
        ssize_t r = read(fd, buf, want);
        if (r < 0 && errno == EINTR)
            continue;
        same = r > 0 && memcmp(buf, data + off, (size_t)r) == 0;
        off += r > 0 ? (size_t)r : 0;
    }
    close(fd);
    return same;
}
