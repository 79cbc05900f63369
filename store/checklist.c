/* Checklist items and the assessment record of an issue (see store.h). */
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "store/internal.h"

int store_checklist_set(struct store *s, int64_t issue_id, const char *task, const char *state,
                        int64_t at, const char *actor, const char *note)
{
    sqlite3_stmt *st;
    int rc =
        store__prepare(s,
                       "INSERT INTO checklist_items (issue_id, task, state, at, actor, note) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (issue_id, task) DO UPDATE "
                       "SET state = ?3, at = ?4, actor = ?5, note = ?6",
                       &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, issue_id);
    store__bind_text(st, 2, task);
    store__bind_text(st, 3, state);
    sqlite3_bind_int64(st, 4, at);
    store__bind_text(st, 5, actor);
    store__bind_text(st, 6, note);
    return store__exec_stmt(s, st);
}

void store_checklist_free(struct store_checklist_item *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i].note);
    free(v);
}

static int read_items(struct store *s, sqlite3_stmt *st, struct store_checklist_item **out,
                      size_t *n)
{
    int rc;
    size_t k = 0, cap = 8;
    struct store_checklist_item *v = xcalloc(cap, sizeof *v);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap) {
            cap *= 2;
            v = xreallocarray(v, cap, sizeof *v);
        }
        struct store_checklist_item *it = &v[k++];
        memset(it, 0, sizeof *it);
        store__col_copy(st, 0, it->task, sizeof it->task);
        store__col_copy(st, 1, it->state, sizeof it->state);
        it->at = sqlite3_column_int64(st, 2);
        store__col_copy(st, 3, it->actor, sizeof it->actor);
        it->note = store__col_dup(st, 4);
        it->issue_id = sqlite3_column_int64(st, 5);
    }
    store__done(s, st);
    if (rc != SQLITE_DONE) {
        store_checklist_free(v, k);
        return store__fail(s, "checklist read");
    }
    *out = v;
    *n = k;
    return 0;
}

int store_checklist_list(struct store *s, const char *project, struct store_checklist_item **out,
                         size_t *n)
{
    sqlite3_stmt *st;
    int rc =
        store__prepare(s,
                       "SELECT c.task, c.state, c.at, c.actor, c.note, c.issue_id FROM "
                       "checklist_items c JOIN issues i ON i.id = c.issue_id WHERE i.project = ? "
                       "ORDER BY c.issue_id, c.task",
                       &st);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, project);
    return read_items(s, st, out, n);
}

int store_checklist_list_of(struct store *s, const char *project, const char *issue_ids,
                            struct store_checklist_item **out, size_t *n)
{
    sqlite3_stmt *st;
    /* The ids drive the join (CROSS JOIN keeps that order): one index range per issue. */
    int rc = store__prepare(s,
                            "SELECT c.task, c.state, c.at, c.actor, c.note, c.issue_id FROM "
                            "json_each(?2) j CROSS JOIN checklist_items c ON c.issue_id = j.value "
                            "JOIN issues i ON i.id = c.issue_id WHERE i.project = ?1 "
                            "ORDER BY c.issue_id, c.task",
                            &st);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, project);
    store__bind_text(st, 2, issue_ids);
    return read_items(s, st, out, n);
}

int store_assessment_get(struct store *s, const char *project, int64_t issue_id, char **out)
{
    sqlite3_stmt *st;
    int rc = store__prepare(s, "SELECT assessment FROM issues WHERE project = ? AND id = ?", &st);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, project);
    sqlite3_bind_int64(st, 2, issue_id);
    rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? store__col_dup(st, 0) : NULL;
    store__done(s, st);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? RC_ENOTFOUND : store__fail(s, "assessment read");
}

int store_assessment_set(struct store *s, const char *project, int64_t issue_id, const char *json)
{
    sqlite3_stmt *st;
    int rc =
        store__prepare(s, "UPDATE issues SET assessment = ? WHERE project = ? AND id = ?", &st);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, json);
    store__bind_text(st, 2, project);
    sqlite3_bind_int64(st, 3, issue_id);
    if ((rc = store__exec_stmt(s, st)) < 0)
        return rc;
    return sqlite3_changes(s->db) ? 0 : RC_ENOTFOUND;
}

int store_adoption_add(struct store *s, int64_t issue_id, double share, int64_t at,
                       const char *actor, int64_t recorded_at)
{
    sqlite3_stmt *st;
    int rc = store__prepare(s,
                            "INSERT INTO adoption (issue_id, share, at, actor, recorded_at) "
                            "VALUES (?, ?, ?, ?, ?)",
                            &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, issue_id);
    sqlite3_bind_double(st, 2, share);
    sqlite3_bind_int64(st, 3, at);
    store__bind_text(st, 4, actor);
    sqlite3_bind_int64(st, 5, recorded_at);
    return store__exec_stmt(s, st);
}

int store_adoption_list(struct store *s, int64_t issue_id, struct store_adoption **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    int rc = store__prepare(s,
                            "SELECT at, share, actor, recorded_at FROM adoption WHERE issue_id = ? "
                            "ORDER BY at, id",
                            &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, issue_id);
    size_t k = 0, cap = 0;
    struct store_adoption *v = NULL;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap) {
            cap = cap ? cap * 2 : 8;
            v = xreallocarray(v, cap, sizeof *v);
        }
        struct store_adoption *a = &v[k++];
        memset(a, 0, sizeof *a);
        a->at = sqlite3_column_int64(st, 0);
        a->share = sqlite3_column_double(st, 1);
        store__col_copy(st, 2, a->actor, sizeof a->actor);
        a->recorded_at = sqlite3_column_int64(st, 3);
    }
    store__done(s, st);
    if (rc != SQLITE_DONE) {
        free(v);
        return store__fail(s, "adoption read");
    }
    *out = v;
    *n = k;
    return 0;
}
