/* Disabled channels and the in-order rule of the outbox (see store.h). */
#include <string.h>

#include "core/err.h"
#include "store/internal.h"

int store_channel_disable(struct store *s, const char *project, const char *channel, int64_t now,
                          const char *reason)
{
    sqlite3_stmt *st;
    int rc = store__prepare(s,
                            "INSERT INTO channel_state (project, channel, disabled_at, reason) "
                            "VALUES (?, ?, ?, ?)",
                            &st);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, project);
    store__bind_text(st, 2, channel);
    sqlite3_bind_int64(st, 3, now);
    store__bind_text(st, 4, reason);
    return store__exec_stmt(s, st);
}

int store_channel_enable(struct store *s, const char *project, const char *channel)
{
    sqlite3_stmt *st;
    int rc = store__prepare(s, "DELETE FROM channel_state WHERE project = ? AND channel = ?", &st);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, project);
    store__bind_text(st, 2, channel);
    if ((rc = store__exec_stmt(s, st)) < 0)
        return rc;
    return sqlite3_changes(s->db) ? 0 : RC_ENOTFOUND;
}

int store_channel_each_disabled(struct store *s, const char *project,
                                void (*fn)(void *ud, const char *channel, int64_t disabled_at,
                                           const char *reason),
                                void *ud)
{
    sqlite3_stmt *st;
    int rc =
        store__prepare(s,
                       "SELECT channel, disabled_at, reason FROM channel_state WHERE project = ? "
                       "ORDER BY channel",
                       &st);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, project);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(ud, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
           (const char *)sqlite3_column_text(st, 2));
    store__done(s, st);
    return rc == SQLITE_DONE ? 0 : store__fail(s, "disabled channels");
}

int store_outbox_has_older(struct store *s, const struct store_outbox *row, bool *out)
{
    sqlite3_stmt *st;
    int rc =
        store__prepare(s,
                       "SELECT 1 FROM outbox WHERE project = ? AND channel = ? AND "
                       "release_id IS ? AND id < ? AND state IN ('pending', 'inflight') LIMIT 1",
                       &st);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, row->project);
    store__bind_text(st, 2, row->channel);
    store__bind_text(st, 3, row->release_id[0] ? row->release_id : NULL);
    store__bind_text(st, 4, row->id);
    int64_t one;
    return store__one_int64(s, st, "older rows", &one, out);
}

int store_outbox_release_summary(struct store *s, const char *project, const char *release_id,
                                 const char *message_type, enum policy_audience audience,
                                 struct store_outbox_summary *out)
{
    sqlite3_stmt *st;
    int rc =
        store__prepare(s,
                       "SELECT count(*), coalesce(sum(state = 'sent'), 0), max(updated_at), "
                       "group_concat(channel || ' (' || coalesce(receipt, 'sent') || ')', ', ') "
                       "FROM (SELECT * FROM outbox WHERE project = ? AND release_id = ? AND "
                       "message_type = ? AND audience = ? ORDER BY channel)",
                       &st);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, project);
    store__bind_text(st, 2, release_id);
    store__bind_text(st, 3, message_type);
    store__bind_text(st, 4, policy_audience_name(audience));
    memset(out, 0, sizeof *out);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->total = (size_t)sqlite3_column_int64(st, 0);
        out->sent = (size_t)sqlite3_column_int64(st, 1);
        out->last_at = store__col_time(st, 2);
        store__col_copy(st, 3, out->evidence, sizeof out->evidence);
    }
    store__done(s, st);
    return rc == SQLITE_ROW ? 0 : store__fail(s, "outbox summary");
}
