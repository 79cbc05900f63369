/* Project epochs: the instant relcal first saw each project (windows before it are history).
 * Recorded by the tick, a write (docs/ARCHITECTURE.md "Project epoch"); every other reader only
 * reads it. */
#include "store/internal.h"

int store_project_epoch_record(struct store *s, const char *project, int64_t now)
{
    sqlite3_stmt *st;
    int rc = store__prepare(s,
                            "INSERT INTO projects (id, first_seen) VALUES (?, ?) "
                            "ON CONFLICT (id) DO NOTHING",
                            &st);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, project);
    sqlite3_bind_int64(st, 2, now);
    return store__exec_stmt(s, st);
}

int store_project_epoch(struct store *s, const char *project, int64_t fallback, int64_t *out)
{
    sqlite3_stmt *st;
    int rc = store__prepare(s, "SELECT first_seen FROM projects WHERE id = ?", &st);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, project);
    bool found;
    *out = fallback;
    return store__one_int64(s, st, "project epoch", out, &found);
}
