/* The static feed export (docs/CONTRACT.md "Static export"): after every change, {project}.ics,
 * all.ics and their .gz siblings are rewritten atomically in export_dir for a CDN or nginx,
 * those whose bytes changed (a write the public does not see rewrites nothing). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "core/gz.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "scheduler/advisory_docs.h"
#include "scheduler/feeds.h"
#include "scheduler/internal.h"

/* FNV-1a of the bytes, to tell an unchanged file. */
static uint64_t bytes_hash(const char *b, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)b[i]) * 1099511628211ull;
    return h;
}

static int write_pair(const char *path, const char *body, size_t len)
{
    char *gz_path = xasprintf("%s.gz", path);
    size_t gz_len = 0;
    char *gz = gz_compress(body, len, &gz_len);
    int rc = file_write_atomic(path, body, len);
    if (rc == 0 && gz)
        rc = file_write_atomic(gz_path, gz, gz_len);
    free(gz);
    free(gz_path);
    return rc;
}

int sched__export_file(struct sched *s, const char *path, const char *body, size_t len)
{
    if (!s->timer_started)
        return write_pair(path, body, len); /* a command's one export: nothing to remember */
    uint64_t hash = bytes_hash(body, len);
    struct sched_exported *e = NULL;
    for (size_t i = 0; i < s->export_n && !e; i++)
        if (strcmp(s->exported[i].path, path) == 0)
            e = &s->exported[i];
    if (e && e->len == len && e->hash == hash)
        return 0;
    int rc = write_pair(path, body, len);
    if (!e) {
        s->exported = xreallocarray(s->exported, s->export_n + 1, sizeof *s->exported);
        e = &s->exported[s->export_n++];
        e->path = xstrdup(path);
    }
    /* A failed write is written again next time. */
    e->len = rc == 0 ? len : 0;
    e->hash = rc == 0 ? hash : 0;
    return rc;
}

void sched__export_forget(struct sched *s)
{
    for (size_t i = 0; i < s->export_n; i++)
        free(s->exported[i].path);
    free(s->exported);
    s->exported = NULL;
    s->export_n = 0;
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
