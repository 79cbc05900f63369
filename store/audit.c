/* The audit log: one row per change, who made it, when and why (appended in the change's
 * transaction), and the queries over it (explanations, the API's audit route, what a tick
 * has done already). */
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/nelem.h"
#include "core/xalloc.h"
#include "store/internal.h"

int store_audit_append(struct store *s, const char *project, int64_t at, const char *actor,
                       const char *action, const char *subject, const char *detail_json,
                       const char *override_reason, bool late)
{
    sqlite3_stmt *st;
    int rc = store__prepare(s,
                            "INSERT INTO audit (project, at, actor, action, subject, detail, "
                            "override_reason, late) VALUES (?,?,?,?,?,?,?,?)",
                            &st);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, project);
    sqlite3_bind_int64(st, 2, at);
    store__bind_text(st, 3, actor);
    store__bind_text(st, 4, action);
    store__bind_text(st, 5, subject);
    store__bind_text(st, 6, detail_json);
    store__bind_text(st, 7, override_reason);
    sqlite3_bind_int(st, 8, late);
    return store__exec_stmt(s, st);
}

void store_audit_free(struct store_audit *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].detail_json);
        free(v[i].override_reason);
    }
    free(v);
}

int store_audit_list(struct store *s, const char *project, size_t limit, struct store_audit **out,
                     size_t *n)
{
    struct store_audit_filter f = {.since = INT64_MIN, .limit = limit};
    return store_audit_query(s, project, &f, out, n);
}

int store_audit_last_id(struct store *s, int64_t *out)
{
    return store__int64(s, "SELECT coalesce(max(id), 0) FROM audit", "audit last id", out);
}

int store_audit_query(struct store *s, const char *project, const struct store_audit_filter *f,
                      struct store_audit **out, size_t *n)
{
    sqlite3_stmt *st;
    int rc = store__prepare(s,
                            "SELECT id, at, actor, action, subject, detail, override_reason, late "
                            "FROM audit WHERE project = ?1 AND (?2 IS NULL OR subject = ?2) AND "
                            "(?3 IS NULL OR action = ?3) AND at >= ?4 AND (?5 = 0 OR id < ?5) "
                            "AND id > ?7 ORDER BY id DESC LIMIT ?6",
                            &st);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, project);
    if (f->subject)
        store__bind_text(st, 2, f->subject);
    if (f->action)
        store__bind_text(st, 3, f->action);
    sqlite3_bind_int64(st, 4, f->since);
    sqlite3_bind_int64(st, 5, f->before_id);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)f->limit);
    sqlite3_bind_int64(st, 7, f->after_id);
    size_t cap = 16, k = 0;
    struct store_audit *v = xcalloc(cap, sizeof *v);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap)
            v = xreallocarray(v, cap *= 2, sizeof *v);
        struct store_audit *a = &v[k++];
        memset(a, 0, sizeof *a);
        a->id = sqlite3_column_int64(st, 0);
        a->at = sqlite3_column_int64(st, 1);
        store__col_copy(st, 2, a->actor, sizeof a->actor);
        store__col_copy(st, 3, a->action, sizeof a->action);
        store__col_copy(st, 4, a->subject, sizeof a->subject);
        a->detail_json = store__col_dup(st, 5);
        a->override_reason = store__col_dup(st, 6);
        a->late = sqlite3_column_int(st, 7) != 0;
    }
    store__done(s, st);
    if (rc != SQLITE_DONE) {
        store_audit_free(v, k);
        return store__fail(s, "audit list");
    }
    *out = v;
    *n = k;
    return 0;
}

int store_audit_exists(struct store *s, const char *project, const char *action,
                       const char *subject, bool *out)
{
    sqlite3_stmt *st;
    int rc = store__prepare(
        s, "SELECT 1 FROM audit WHERE project=? AND action=? AND subject=? LIMIT 1", &st);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, project);
    store__bind_text(st, 2, action);
    store__bind_text(st, 3, subject);
    int64_t one;
    return store__one_int64(s, st, "audit exists", &one, out);
}

int store_audit_subjects(struct store *s, const char *project, const char *const *actions,
                         size_t n_actions, const char *prefixes,
                         void (*fn)(void *ud, const char *action, const char *subject), void *ud)
{
    /* One statement per count of actions (at most four), each prepared once. A prefix is a
     * range of the index: from the prefix up to it with its last character raised by one. */
#define PREFIXED                                                                                   \
    "SELECT a.action, a.subject FROM json_each(?2) j CROSS JOIN audit a ON a.project = ?1 "        \
    "AND a.subject >= j.value AND a.subject < substr(j.value, 1, length(j.value) - 1) || "         \
    "char(unicode(substr(j.value, -1)) + 1) AND a.action IN "
    static const char *const sql[2][4] = {
        {"SELECT action, subject FROM audit WHERE project = ?1 AND action IN (?3)",
         "SELECT action, subject FROM audit WHERE project = ?1 AND action IN (?3, ?4)",
         "SELECT action, subject FROM audit WHERE project = ?1 AND action IN (?3, ?4, ?5)",
         "SELECT action, subject FROM audit WHERE project = ?1 AND action IN (?3, ?4, ?5, ?6)"},
        {PREFIXED "(?3)", PREFIXED "(?3, ?4)", PREFIXED "(?3, ?4, ?5)",
         PREFIXED "(?3, ?4, ?5, ?6)"},
    };
#undef PREFIXED
    if (n_actions == 0)
        return 0;
    if (n_actions > NELEM(sql[0]))
        return RC_EINVAL;
    sqlite3_stmt *st;
    int rc = store__prepare(s, sql[prefixes != NULL][n_actions - 1], &st);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, project);
    if (prefixes)
        store__bind_text(st, 2, prefixes);
    for (size_t i = 0; i < n_actions; i++)
        store__bind_text(st, (int)i + 3, actions[i]);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(ud, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1));
    store__done(s, st);
    if (rc != SQLITE_DONE)
        return store__fail(s, "audit subjects");
    return 0;
}
