/* Release rows: the decided state of windows and out-of-sequence releases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/err.h"
#include "core/json.h"
#include "core/xalloc.h"
#include "store/internal.h"

#define RELEASE_COLUMNS                                                                            \
    "project, id, kind, status, starts_at, ends_at, announce_at, announced_at, "                   \
    "distributors_notified_at, released_at, sequence, moved, reason, override_reason, done, "      \
    "updated_at, public_changed_at, versions"

/* The frozen versions as stored: a JSON array, NULL when not frozen. */
static char *versions_json(const struct store_release *r)
{
    if (!r->versions_frozen)
        return NULL;
    json_t *a = json_array();
    for (size_t i = 0; i < r->n_versions && i < POLICY_BRANCHES_MAX; i++)
        json_array_append_new(a, json_pack("{ssss}", "branch", r->versions[i].branch, "version",
                                           r->versions[i].version));
    char *out = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    return out;
}

static void read_versions(const char *text, struct store_release *r)
{
    json_t *a = text ? json_loads(text, 0, NULL) : NULL;
    r->versions_frozen = json_is_array(a);
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        const char *b = json_string_value(json_object_get(v, "branch"));
        const char *ver = json_string_value(json_object_get(v, "version"));
        if (!b || !ver || r->n_versions == POLICY_BRANCHES_MAX)
            continue;
        snprintf(r->versions[r->n_versions].branch, POLICY_ID_MAX, "%s", b);
        snprintf(r->versions[r->n_versions].version, POLICY_ID_MAX, "%s", ver);
        r->n_versions++;
    }
    json_decref(a);
}

int store_release_put(struct store *s, const struct store_release *r)
{
    sqlite3_stmt *st;
    int rc =
        store__prepare(s,
                       "INSERT INTO releases (" RELEASE_COLUMNS ") VALUES "
                       "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (project, id) DO UPDATE "
                       "SET kind=excluded.kind, status=excluded.status, "
                       "starts_at=excluded.starts_at, ends_at=excluded.ends_at, "
                       "announce_at=excluded.announce_at, announced_at=excluded.announced_at, "
                       "distributors_notified_at=excluded.distributors_notified_at, "
                       "released_at=excluded.released_at, sequence=excluded.sequence, "
                       "moved=excluded.moved, reason=excluded.reason, "
                       "override_reason=excluded.override_reason, done=excluded.done, "
                       "updated_at=excluded.updated_at, "
                       "public_changed_at=excluded.public_changed_at, versions=excluded.versions",
                       &st);
    if (rc < 0)
        return rc;
    const struct policy_release *c = &r->core;
    store__bind_text(st, 1, r->project);
    store__bind_text(st, 2, c->id);
    store__bind_text(st, 3, policy_release_kind_name(c->kind));
    store__bind_text(st, 4, policy_release_status_name(c->status));
    store__bind_time(st, 5, c->starts_at);
    store__bind_time(st, 6, c->ends_at);
    store__bind_time(st, 7,
                     c->kind == POLICY_RELEASE_OUT_OF_SEQUENCE ? c->announce_at : POLICY_TIME_NONE);
    store__bind_time(st, 8, c->announced_at);
    store__bind_time(st, 9, c->distributors_notified_at);
    store__bind_time(st, 10, c->released_at);
    sqlite3_bind_int(st, 11, c->sequence);
    sqlite3_bind_int(st, 12, r->moved);
    store__bind_text(st, 13, r->reason[0] ? r->reason : NULL);
    store__bind_text(st, 14, r->override_reason[0] ? r->override_reason : NULL);
    sqlite3_bind_int64(st, 15, r->done);
    store__bind_time(st, 16, r->updated_at);
    store__bind_time(st, 17, r->public_changed_at > 0 ? r->public_changed_at : POLICY_TIME_NONE);
    char *versions = versions_json(r);
    store__bind_text(st, 18, versions);
    free(versions);
    return store__exec_stmt(s, st);
}

static void read_release(sqlite3_stmt *st, struct store_release *r)
{
    memset(r, 0, sizeof *r);
    struct policy_release *c = &r->core;
    store__col_copy(st, 0, r->project, sizeof r->project);
    store__col_copy(st, 1, c->id, sizeof c->id);
    if (policy_release_kind_parse((const char *)sqlite3_column_text(st, 2), &c->kind) < 0)
        c->kind = POLICY_RELEASE_SCHEDULED;
    if (policy_release_status_parse((const char *)sqlite3_column_text(st, 3), &c->status) < 0)
        c->status = POLICY_RELEASE_PLANNED;
    c->starts_at = store__col_time(st, 4);
    c->ends_at = store__col_time(st, 5);
    c->announce_at = store__col_time(st, 6);
    c->announced_at = store__col_time(st, 7);
    c->distributors_notified_at = store__col_time(st, 8);
    c->released_at = store__col_time(st, 9);
    c->sequence = sqlite3_column_int(st, 10);
    c->locked =
        c->announced_at != POLICY_TIME_NONE || c->distributors_notified_at != POLICY_TIME_NONE;
    r->moved = sqlite3_column_int(st, 11) != 0;
    store__col_copy(st, 12, r->reason, sizeof r->reason);
    store__col_copy(st, 13, r->override_reason, sizeof r->override_reason);
    r->done = (uint32_t)sqlite3_column_int64(st, 14);
    r->updated_at = store__col_time(st, 15);
    r->public_changed_at = store__col_time(st, 16);
    read_versions((const char *)sqlite3_column_text(st, 17), r);
}

int store_release_get(struct store *s, const char *project, const char *id,
                      struct store_release *out)
{
    sqlite3_stmt *st;
    int rc =
        store__prepare(s, "SELECT " RELEASE_COLUMNS " FROM releases WHERE project=? AND id=?", &st);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, project);
    store__bind_text(st, 2, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_release(st, out);
    store__done(s, st);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? RC_ENOTFOUND : store__fail(s, "release get");
}

int store_release_list(struct store *s, const char *project, struct store_release **out, size_t *n)
{
    sqlite3_stmt *st;
    int rc = store__prepare(
        s, "SELECT " RELEASE_COLUMNS " FROM releases WHERE project=? ORDER BY starts_at, id", &st);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, project);
    size_t cap = 16, k = 0;
    struct store_release *v = xcalloc(cap, sizeof *v);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap)
            v = xreallocarray(v, cap *= 2, sizeof *v);
        read_release(st, &v[k++]);
    }
    store__done(s, st);
    if (rc != SQLITE_DONE) {
        free(v);
        return store__fail(s, "release list");
    }
    *out = v;
    *n = k;
    return 0;
}

int store_release_next_oos(struct store *s, const char *project, int *out)
{
    sqlite3_stmt *st;
    int rc = store__prepare(s,
                            "SELECT COALESCE(MAX(CAST(substr(id, 5) AS INTEGER)), 0) FROM releases "
                            "WHERE project = ? AND kind = 'out_of_sequence'",
                            &st);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, project);
    rc = sqlite3_step(st);
    int v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    store__done(s, st);
    if (v < 0)
        return store__fail(s, "next oos");
    *out = v + 1;
    return 0;
}
