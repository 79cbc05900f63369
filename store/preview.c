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
    int rc = store__exec(s, "BEGIN IMMEDIATE");
    if (rc < 0)
        return rc;
    rc = store__exec(s, "CREATE TEMP TABLE relcal_preview_outbox (rid INTEGER PRIMARY KEY);"
                        "CREATE TEMP TRIGGER relcal_preview_ins AFTER INSERT ON main.outbox BEGIN "
                        "  INSERT OR IGNORE INTO relcal_preview_outbox VALUES (new.rowid); END;"
                        "CREATE TEMP TRIGGER relcal_preview_upd AFTER UPDATE ON main.outbox BEGIN "
                        "  INSERT OR IGNORE INTO relcal_preview_outbox VALUES (new.rowid); END;");
    if (rc < 0) {
        store__exec(s, "ROLLBACK");
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
        store__exec(s, "ROLLBACK");
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
    int rc = store__prepare(s,
                            "SELECT " ST_OUTBOX_COLUMNS " FROM outbox WHERE rowid IN "
                            "(SELECT rid FROM temp.relcal_preview_outbox) ORDER BY rowid",
                            &st);
    return rc < 0 ? rc : store__read_outbox(s, st, out, n);
}
