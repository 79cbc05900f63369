/* Previews (`?dry_run=1`, docs/CONTRACT.md "Preview"): one outer transaction around a write
 * that is always rolled back. Inside it the write's own transactions are savepoints
 * (store_begin/store_commit in store/db.c), and temporary triggers note every outbox row the
 * write inserts or changes, so they can be read back before the rollback. The triggers and
 * their table live in the connection's temp schema, are created inside the transaction and go
 * with its rollback: the database file is never written. */
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "store/internal.h"

int store_preview_begin(struct store *s)
{
    if (s->preview)
        return RC_EINVAL;
    int rc = st_exec(s, "BEGIN IMMEDIATE");
    if (rc < 0)
        return rc;
    rc = st_exec(s, "CREATE TEMP TABLE relcal_preview_outbox (rid INTEGER PRIMARY KEY);"
                    "CREATE TEMP TRIGGER relcal_preview_ins AFTER INSERT ON main.outbox BEGIN "
                    "  INSERT OR IGNORE INTO relcal_preview_outbox VALUES (new.rowid); END;"
                    "CREATE TEMP TRIGGER relcal_preview_upd AFTER UPDATE ON main.outbox BEGIN "
                    "  INSERT OR IGNORE INTO relcal_preview_outbox VALUES (new.rowid); END;");
    if (rc < 0) {
        st_exec(s, "ROLLBACK");
        return rc;
    }
    s->preview = true;
    s->savepoints = 0;
    return 0;
}

void store_preview_end(struct store *s)
{
    if (!s->preview)
        return;
    s->preview = false;
    s->savepoints = 0;
    if (!sqlite3_get_autocommit(s->db))
        st_exec(s, "ROLLBACK");
}

bool store_preview_active(const struct store *s)
{
    return s->preview;
}

int store_preview_outbox(struct store *s, struct store_outbox **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    int rc = st_prepare(s,
                        "SELECT id, project, channel, message_type, audience, release_id, state, "
                        "next_attempt_at, created_at FROM outbox WHERE rowid IN "
                        "(SELECT rid FROM temp.relcal_preview_outbox) ORDER BY rowid",
                        &st);
    if (rc < 0)
        return rc;
    size_t cap = 8, k = 0;
    struct store_outbox *v = xcalloc(cap, sizeof *v);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap)
            v = xreallocarray(v, cap *= 2, sizeof *v);
        struct store_outbox *o = &v[k++];
        memset(o, 0, sizeof *o);
        st_col_copy(st, 0, o->id, sizeof o->id);
        st_col_copy(st, 1, o->project, sizeof o->project);
        st_col_copy(st, 2, o->channel, sizeof o->channel);
        st_col_copy(st, 3, o->message_type, sizeof o->message_type);
        if (policy_audience_parse((const char *)sqlite3_column_text(st, 4), &o->audience) < 0)
            o->audience = POLICY_AUDIENCE_TEAM;
        st_col_copy(st, 5, o->release_id, sizeof o->release_id);
        char state[16];
        st_col_copy(st, 6, state, sizeof state);
        if (store_outbox_state_parse(state, &o->state) < 0)
            o->state = STORE_OUTBOX_PENDING;
        o->next_attempt_at = sqlite3_column_int64(st, 7);
        o->created_at = sqlite3_column_int64(st, 8);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(v);
        return st_fail(s, "preview outbox");
    }
    *out = v;
    *n = k;
    return 0;
}
