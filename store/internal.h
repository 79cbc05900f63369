/* Private to store/: the connection and statement helpers. */
#ifndef RELCAL_STORE_INTERNAL_H
#define RELCAL_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store/store.h"

/* A prepared statement kept for reuse (store__prepare). */
struct st_cached {
    char *sql;
    uint32_t hash;
    sqlite3_stmt *st;
    bool busy; /* handed out and not yet given back with store__done */
};
#define ST_CACHE_MAX 128

struct store {
    sqlite3 *db;
    /* A preview (store/preview.c): one outer transaction that is always rolled back; inside it
     * store_begin/store_commit/store_rollback are a savepoint, `savepoints` deep. */
    bool preview;
    int savepoints;
    struct st_cached cache[ST_CACHE_MAX];
};

/* Prepares `sql`; logs and returns RC_ESTORE on failure. */
int store__prepare(struct store *s, const char *sql, sqlite3_stmt **out);
/* Gives a statement from store__prepare back (reset for its next use, or finalized). */
void store__done(struct store *s, sqlite3_stmt *st);
/* Steps a statement that returns no row; gives it back (store__done). RC_EEXIST on a constraint
 * violation. */
int store__exec_stmt(struct store *s, sqlite3_stmt *st);
int store__fail(struct store *s, const char *what);
/* Steps a prepared and bound statement for one row and copies its first column (text) into
 * out; gives the statement back. RC_ENOTFOUND when there is no row; `what` names it in the
 * error log. */
int store__one_text(struct store *s, sqlite3_stmt *st, char *out, size_t len, const char *what);
/* Steps a prepared and bound statement for one row: *found whether there is one, and *out its
 * first column (an integer; left as it is without a row); gives the statement back. `what`
 * names it in the error log. */
int store__one_int64(struct store *s, sqlite3_stmt *st, const char *what, int64_t *out,
                     bool *found);
/* The one integer a query of no parameters answers (0 when it answers no row). */
int store__int64(struct store *s, const char *sql, const char *what, int64_t *out);
/* Runs SQL without results; RC_EAGAIN when busy, RC_ESTORE otherwise (logged). */
int store__exec(struct store *s, const char *sql);

/* The outbox row's columns in the order store__read_outbox reads them ("SELECT " ST_OUTBOX_COLUMNS
 * ...), and the rows of a statement selecting them (the statement is done after). */
#define ST_OUTBOX_COLUMNS                                                                          \
    "id, project, channel, message_type, audience, release_id, payload, state, attempts, "         \
    "next_attempt_at, last_error, receipt, created_at"
int store__read_outbox(struct store *s, sqlite3_stmt *st, struct store_outbox **out, size_t *n);

void store__bind_time(sqlite3_stmt *st, int i, int64_t t);
void store__bind_text(sqlite3_stmt *st, int i, const char *v);
int64_t store__col_time(sqlite3_stmt *st, int i);
/* Heap copy of a text column, NULL for SQL NULL. */
char *store__col_dup(sqlite3_stmt *st, int i);
/* Copies a text column into a fixed buffer ("" for NULL). */
void store__col_copy(sqlite3_stmt *st, int i, char *buf, size_t len);

#endif
