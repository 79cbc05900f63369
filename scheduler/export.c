/* The static feed export (docs/CONTRACT.md "Static export"): after every change, {project}.ics,
 * all.ics and their .gz siblings are rewritten atomically in export_dir for a CDN or nginx,
 * those whose bytes changed (a write the public does not see rewrites nothing). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/file.h"
#include "core/gz.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "scheduler/advisory_docs.h"
#include "scheduler/feeds.h"

static int write_pair(const char *dir, const char *name, const char *body, size_t len)
{
    char *path = xasprintf("%s/%s", dir, name);
    char *gz_path = xasprintf("%s/%s.gz", dir, name);
    size_t gz_len = 0;
    char *gz = gz_compress(body, len, &gz_len);
    int rc = file_write_atomic(path, body, len);
    if (rc == 0 && gz)
        rc = file_write_atomic(gz_path, gz, gz_len);
    free(gz);
    free(path);
    free(gz_path);
    return rc;
}

/* FNV-1a of the bytes, to tell an unchanged feed. */
static uint64_t bytes_hash(const char *b, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)b[i]) * 1099511628211ull;
    return h;
}

/* Whether export i (a project's, or the combined one at n_projects) was written with exactly
 * these bytes by this process (the files are relcal's own; a restart writes them all once). */
static bool unchanged(struct sched *s, size_t i, const char *body, size_t len, uint64_t *hash)
{
    *hash = 0;
    if (!s->timer_started)
        return false; /* a command's one export: nothing to remember */
    if (s->export_cfg != s->cfg || s->export_n != s->cfg->n_projects + 1) {
        free(s->exported);
        s->exported = xcalloc(s->cfg->n_projects + 1, sizeof *s->exported);
        s->export_n = s->cfg->n_projects + 1;
        s->export_cfg = s->cfg;
    }
    *hash = bytes_hash(body, len);
    return s->exported[i].written && s->exported[i].len == len && s->exported[i].hash == *hash;
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
        uint64_t hash;
        if (!unchanged(s, i, body, len, &hash)) {
            char *name = p ? xasprintf("%s.ics", p->policy.id) : xasprintf("all.ics");
            rc = write_pair(dir, name, body, len);
            free(name);
            if (s->exported)
                s->exported[i] = (struct sched_exported){rc == 0, len, hash};
        }
        free(body);
    }
    /* The machine-readable advisories (scheduler/advisory_docs.c). */
    if (rc == 0)
        rc = sched_docs_export(s, only, now, dir);
    if (rc < 0)
        log_warn("static feed export failed", "dir=\"%s\"", dir);
    return rc;
}
