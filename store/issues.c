/* Issue rows and their branches. The severity is stored as its vector and scored again on
 * load, so the score always follows the scoring code. */
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "store/internal.h"

void store_issue_clear(struct store_issue *i)
{
    free(i->title);
    free(i->description);
    free(i->public_summary);
    free(i->cve);
    free(i->ghsa);
    free(i->sla_extension_reason);
    free(i->credits);
    free(i->advisory_url);
    memset(i, 0, sizeof *i);
}

void store_issues_free(struct store_issue *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        store_issue_clear(&v[i]);
    free(v);
}

#define ISSUE_COLUMNS                                                                              \
    "project, title, description, public_summary, status, severity, cve, ghsa, release_id, "       \
    "release_pinned, reported_at, acknowledged_at, responded_at, fix_ready_at, released_at, "      \
    "sla_extension_days, sla_extension_reason, created_at, updated_at, sla_resolve_missed_due, "   \
    "credits, advisory_url"

/* Binds the ISSUE_COLUMNS values to parameters 1..22. */
static void bind_issue(sqlite3_stmt *st, const struct store_issue *i)
{
    const struct policy_issue *c = &i->core;
    store__bind_text(st, 1, i->project);
    store__bind_text(st, 2, i->title);
    store__bind_text(st, 3, i->description);
    store__bind_text(st, 4, i->public_summary);
    store__bind_text(st, 5, policy_issue_status_name(c->status));
    store__bind_text(st, 6, c->has_severity ? c->severity.vector : NULL);
    store__bind_text(st, 7, i->cve);
    store__bind_text(st, 8, i->ghsa);
    store__bind_text(st, 9, c->release_id[0] ? c->release_id : NULL);
    sqlite3_bind_int(st, 10, c->release_pinned);
    store__bind_time(st, 11, c->reported_at);
    store__bind_time(st, 12, c->acknowledged_at);
    store__bind_time(st, 13, c->responded_at);
    store__bind_time(st, 14, c->fix_ready_at);
    store__bind_time(st, 15, c->released_at);
    sqlite3_bind_int(st, 16, c->sla_extension_days);
    store__bind_text(st, 17, i->sla_extension_reason);
    store__bind_time(st, 18, i->created_at);
    store__bind_time(st, 19, i->updated_at);
    sqlite3_bind_int64(st, 20, c->sla_resolve_missed_due);
    store__bind_text(st, 21, i->credits);
    store__bind_text(st, 22, i->advisory_url);
}

static int write_branches(struct store *s, const struct store_issue *i)
{
    sqlite3_stmt *st;
    int rc = store__prepare(s, "DELETE FROM issue_branches WHERE issue_id = ?", &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, i->core.id);
    if ((rc = store__exec_stmt(s, st)) < 0)
        return rc;
    for (size_t k = 0; k < i->n_branches; k++) {
        if ((rc = store__prepare(s,
                                 "INSERT INTO issue_branches (issue_id, position, branch) "
                                 "VALUES (?, ?, ?)",
                                 &st)) < 0)
            return rc;
        sqlite3_bind_int64(st, 1, i->core.id);
        sqlite3_bind_int(st, 2, (int)k);
        store__bind_text(st, 3, i->branch_names[k]);
        if ((rc = store__exec_stmt(s, st)) < 0)
            return rc;
    }
    return 0;
}

int store_issue_insert(struct store *s, struct store_issue *i)
{
    sqlite3_stmt *st;
    int rc = store__prepare(s,
                            "INSERT INTO issues (" ISSUE_COLUMNS ") VALUES "
                            "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                            &st);
    if (rc < 0)
        return rc;
    bind_issue(st, i);
    if ((rc = store__exec_stmt(s, st)) < 0)
        return rc;
    i->core.id = sqlite3_last_insert_rowid(s->db);
    return write_branches(s, i);
}

int store_issue_update(struct store *s, const struct store_issue *i)
{
    sqlite3_stmt *st;
    int rc = store__prepare(s,
                            "UPDATE issues SET project=?1, title=?2, description=?3, "
                            "public_summary=?4, status=?5, severity=?6, cve=?7, ghsa=?8, "
                            "release_id=?9, release_pinned=?10, reported_at=?11, "
                            "acknowledged_at=?12, responded_at=?13, fix_ready_at=?14, "
                            "released_at=?15, sla_extension_days=?16, sla_extension_reason=?17, "
                            "created_at=?18, updated_at=?19, sla_resolve_missed_due=?20, "
                            "credits=?21, advisory_url=?22 WHERE id=?23",
                            &st);
    if (rc < 0)
        return rc;
    bind_issue(st, i);
    sqlite3_bind_int64(st, 23, i->core.id);
    if ((rc = store__exec_stmt(s, st)) < 0)
        return rc;
    if (sqlite3_changes(s->db) == 0)
        return RC_ENOTFOUND;
    return write_branches(s, i);
}

/* `prev`: the issue read just before (NULL for none): the same severity vector is not parsed
 * again (a list's issues mostly share a handful of vectors). */
static void read_issue(sqlite3_stmt *st, struct store_issue *i, const struct store_issue *prev)
{
    memset(i, 0, sizeof *i);
    struct policy_issue *c = &i->core;
    c->id = sqlite3_column_int64(st, 0);
    store__col_copy(st, 1, i->project, sizeof i->project);
    i->title = store__col_dup(st, 2);
    i->description = store__col_dup(st, 3);
    i->public_summary = store__col_dup(st, 4);
    const char *status = (const char *)sqlite3_column_text(st, 5);
    if (policy_issue_status_parse(status, &c->status) < 0)
        c->status = POLICY_ISSUE_REPORTED;
    const char *vec = (const char *)sqlite3_column_text(st, 6);
    if (vec && prev && prev->core.has_severity && strcmp(prev->core.severity.vector, vec) == 0) {
        c->has_severity = true;
        c->severity = prev->core.severity;
    } else {
        c->has_severity = vec && policy_severity_score(vec, &c->severity, NULL, 0) == 0;
    }
    i->cve = store__col_dup(st, 7);
    i->ghsa = store__col_dup(st, 8);
    store__col_copy(st, 9, c->release_id, sizeof c->release_id);
    c->release_pinned = sqlite3_column_int(st, 10) != 0;
    c->reported_at = store__col_time(st, 11);
    c->acknowledged_at = store__col_time(st, 12);
    c->responded_at = store__col_time(st, 13);
    c->fix_ready_at = store__col_time(st, 14);
    c->released_at = store__col_time(st, 15);
    c->sla_extension_days = sqlite3_column_int(st, 16);
    i->sla_extension_reason = store__col_dup(st, 17);
    i->created_at = store__col_time(st, 18);
    i->updated_at = store__col_time(st, 19);
    c->sla_resolve_missed_due = sqlite3_column_int64(st, 20);
    i->credits = store__col_dup(st, 21);
    i->advisory_url = store__col_dup(st, 22);
    c->has_cve = i->cve != NULL;
}

static int read_branches(struct store *s, struct store_issue *i)
{
    sqlite3_stmt *st;
    int rc = store__prepare(
        s, "SELECT branch FROM issue_branches WHERE issue_id = ? ORDER BY position", &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, i->core.id);
    i->n_branches = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && i->n_branches < POLICY_BRANCHES_MAX)
        store__col_copy(st, 0, i->branch_names[i->n_branches++], POLICY_ID_MAX);
    store__done(s, st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store__fail(s, "issue branches");
}

int store_issue_get(struct store *s, const char *project, int64_t id, struct store_issue *out)
{
    sqlite3_stmt *st;
    int rc = store__prepare(
        s, "SELECT id, " ISSUE_COLUMNS " FROM issues WHERE project = ? AND id = ?", &st);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, project);
    sqlite3_bind_int64(st, 2, id);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        store__done(s, st);
        return rc == SQLITE_DONE ? RC_ENOTFOUND : store__fail(s, "issue get");
    }
    struct store_issue i;
    read_issue(st, &i, NULL);
    store__done(s, st);
    if ((rc = read_branches(s, &i)) < 0) {
        store_issue_clear(&i);
        return rc;
    }
    *out = i;
    return 0;
}

/* The issues a whole-project tick can act on (store_issue_list_live), as a condition on the
 * columns of issue row `i`: ?2 is the instant after which a release keeps an issue live, ?3 a
 * JSON array of release ids whose issues are all wanted. */
#define LIVE_ISSUE                                                                                 \
    "(i.status NOT IN ('released', 'rejected') OR (i.status = 'released' AND (i.released_at IS "   \
    "NULL OR i.released_at > ?2)) OR i.release_id IN (SELECT value FROM json_each(?3)))"

/* The issues of `project` (?1) read by `issues_sql`, newest first, with the branches read by
 * `branches_sql` (issue id and branch, newest issue first). When `release_ids` is set, both
 * statements also take ?2 and ?3 of LIVE_ISSUE. */
static int list_where(struct store *s, const char *issues_sql, const char *branches_sql,
                      const char *project, int64_t released_after, const char *release_ids,
                      struct store_issue **out, size_t *n)
{
    sqlite3_stmt *st;
    int rc = store__prepare(s, issues_sql, &st);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, project);
    if (release_ids) {
        sqlite3_bind_int64(st, 2, released_after);
        store__bind_text(st, 3, release_ids);
    }
    size_t cap = 16, k = 0;
    struct store_issue *v = xcalloc(cap, sizeof *v);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap)
            v = xreallocarray(v, cap *= 2, sizeof *v);
        read_issue(st, &v[k], k ? &v[k - 1] : NULL);
        k++;
    }
    store__done(s, st);
    if (rc != SQLITE_DONE) {
        store_issues_free(v, k);
        return store__fail(s, "issue list");
    }
    /* Every branch row of those issues in one query, merged by id (both newest first): one
     * query per issue was most of the time of a view with many issues. */
    if ((rc = store__prepare(s, branches_sql, &st)) < 0) {
        store_issues_free(v, k);
        return rc;
    }
    store__bind_text(st, 1, project);
    if (release_ids) {
        sqlite3_bind_int64(st, 2, released_after);
        store__bind_text(st, 3, release_ids);
    }
    size_t i = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        while (i < k && v[i].core.id > id)
            i++;
        if (i < k && v[i].core.id == id && v[i].n_branches < POLICY_BRANCHES_MAX)
            store__col_copy(st, 1, v[i].branch_names[v[i].n_branches++], POLICY_ID_MAX);
    }
    store__done(s, st);
    if (rc != SQLITE_DONE) {
        store_issues_free(v, k);
        return store__fail(s, "issue branches");
    }
    *out = v;
    *n = k;
    return 0;
}

#define BRANCHES_OF                                                                                \
    "SELECT b.issue_id, b.branch FROM issue_branches b JOIN issues i ON i.id = b.issue_id "        \
    "WHERE i.project = ?1"
#define BRANCHES_ORDER " ORDER BY b.issue_id DESC, b.position"

int store_issue_list(struct store *s, const char *project, struct store_issue **out, size_t *n)
{
    return list_where(s,
                      "SELECT i.id, " ISSUE_COLUMNS " FROM issues i WHERE i.project = ?1 "
                      "ORDER BY i.id DESC",
                      BRANCHES_OF BRANCHES_ORDER, project, 0, NULL, out, n);
}

int store_issue_list_live(struct store *s, const char *project, int64_t released_after,
                          const char *release_ids, struct store_issue **out, size_t *n)
{
    return list_where(s,
                      "SELECT i.id, " ISSUE_COLUMNS " FROM issues i WHERE i.project = ?1 "
                      "AND " LIVE_ISSUE " ORDER BY i.id DESC",
                      BRANCHES_OF " AND " LIVE_ISSUE BRANCHES_ORDER, project, released_after,
                      release_ids ? release_ids : "[]", out, n);
}
