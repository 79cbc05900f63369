/* The static feed export (docs/CONTRACT.md "Static export"): after every change, {project}.ics,
 * all.ics and their .gz siblings are rewritten atomically in export_dir for a CDN or nginx,
 * those whose bytes changed (a write the public does not see rewrites nothing; a start rewrites
 * only files that do not hold their bytes already). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/file.h"
#include "core/gz.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "scheduler/advisory_docs.h"
#include "scheduler/feeds.h"
#include "scheduler/internal.h"

/* To tell an unchanged file. */
static uint64_t bytes_hash(const char *b, size_t len)
{
    return hash_fnv1a(HASH_FNV1A_INIT, b, len);
}

/* The .gz first: a body that holds the bytes to export then has its .gz of them (written before
 * it, and zlib's output is the same for the same bytes), even after a crash between the two. */
static int write_pair(const char *path, const char *body, size_t len)
{
    char *gz_path = xasprintf("%s.gz", path);
    size_t gz_len = 0;
    char *gz = gz_compress(body, len, &gz_len);
    int rc = gz ? file_write_atomic(gz_path, gz, gz_len) : 0;
    if (rc == 0)
        rc = file_write_atomic(path, body, len);
    free(gz);
    free(gz_path);
    return rc;
}

/* Whether the pair on disk already holds these bytes: the body, and a .gz sibling. */
static bool on_disk(const char *path, const char *body, size_t len)
{
    if (!file_holds(path, body, len))
        return false;
    char *gz_path = xasprintf("%s.gz", path);
    struct stat st;
    bool have = stat(gz_path, &st) == 0 && S_ISREG(st.st_mode);
    free(gz_path);
    return have;
}

/* The memo's entry for `path`, or the empty slot where it goes (open addressing). */
static struct sched_exported *slot(struct sched *s, const char *path)
{
    size_t mask = s->export_cap - 1;
    for (size_t i = (size_t)bytes_hash(path, strlen(path)) & mask;; i = (i + 1) & mask)
        if (!s->exported[i].path || strcmp(s->exported[i].path, path) == 0)
            return &s->exported[i];
}

/* Room for one more entry, the table at most half full. */
static void reserve(struct sched *s)
{
    if (s->export_cap && (s->export_n + 1) * 2 <= s->export_cap)
        return;
    struct sched_exported *old = s->exported;
    size_t n = s->export_cap;
    s->export_cap = n ? n * 2 : 64;
    s->exported = xcalloc(s->export_cap, sizeof *s->exported);
    for (size_t i = 0; i < n; i++)
        if (old[i].path)
            *slot(s, old[i].path) = old[i];
    free(old);
}

int sched__export_file(struct sched *s, const char *path, const char *body, size_t len)
{
    if (!s->timer_started) /* a command's one export: nothing to remember */
        return on_disk(path, body, len) ? 0 : write_pair(path, body, len);
    uint64_t hash = bytes_hash(body, len);
    reserve(s);
    struct sched_exported *e = slot(s, path);
    if (e->path && e->len == len && e->hash == hash)
        return 0;
    /* The first export of a path in this process (at start): a file already holding the bytes
     * stays, so a restart does not rewrite and fsync every advisory document. */
    int rc = !e->path && on_disk(path, body, len) ? 0 : write_pair(path, body, len);
    if (!e->path) {
        e->path = xstrdup(path);
        s->export_n++;
    }
    /* A failed write is written again next time. */
    e->len = rc == 0 ? len : 0;
    e->hash = rc == 0 ? hash : 0;
    return rc;
}

void sched__export_forget(struct sched *s)
{
    for (size_t i = 0; i < s->export_cap; i++)
        free(s->exported[i].path);
    free(s->exported);
    s->exported = NULL;
    s->export_n = s->export_cap = 0;
}

int sched_export(struct sched *s, const struct config_project *only, int64_t now)
{
    const char *dir = s->cfg->export_dir;
    if (!dir)
        return 0;
    int rc = 0;
    for (size_t i = 0; i <= s->cfg->n_projects && rc == 0; i++) {
        const struct config_project *p = i < s->cfg->n_projects ? &s->cfg->projects[i] : NULL;
        if (p && only && p != only)
            continue;
        char *body;
        size_t len;
        if ((rc = sched_feed_render(s, p, SCHED_FEED_PUBLIC, now, &body, &len)) < 0)
            break;
        char *path = p ? xasprintf("%s/%s.ics", dir, p->policy.id) : xasprintf("%s/all.ics", dir);
        rc = sched__export_file(s, path, body, len);
        free(path);
        free(body);
    }
    /* The machine-readable advisories (scheduler/advisory_docs.c). */
    if (rc == 0)
        rc = sched_docs_export(s, only, now, dir);
    if (rc < 0)
        log_warn("static feed export failed", "dir=\"%s\"", dir);
    return rc;
}
