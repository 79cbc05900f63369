/* Connection set-up, durability pragmas, versioned forward-only migrations and transactions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/nelem.h"
#include "core/xalloc.h"
#include "store/internal.h"

/* Forward-only migrations: index i takes the schema from version i to i + 1. */
static const char *const migrations[] = {
    /* v1: issues, releases (membership is the release column, a foreign key), audit,
     * outbox. */
    "CREATE TABLE releases ("
    "  project TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,"
    "  starts_at INTEGER NOT NULL, ends_at INTEGER NOT NULL, announce_at INTEGER,"
    "  announced_at INTEGER, distributors_notified_at INTEGER, released_at INTEGER,"
    "  sequence INTEGER NOT NULL DEFAULT 0, moved INTEGER NOT NULL DEFAULT 0,"
    "  reason TEXT, override_reason TEXT, done INTEGER NOT NULL DEFAULT 0,"
    "  updated_at INTEGER NOT NULL, PRIMARY KEY (project, id));"
    "CREATE TABLE issues ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT, project TEXT NOT NULL, title TEXT NOT NULL,"
    "  description TEXT, public_summary TEXT, status TEXT NOT NULL, severity TEXT,"
    "  cve TEXT, ghsa TEXT, release_id TEXT, release_pinned INTEGER NOT NULL DEFAULT 0,"
    "  reported_at INTEGER NOT NULL, acknowledged_at INTEGER, responded_at INTEGER,"
    "  fix_ready_at INTEGER, released_at INTEGER, sla_extension_days INTEGER NOT NULL DEFAULT 0,"
    "  sla_extension_reason TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
    "  FOREIGN KEY (project, release_id) REFERENCES releases (project, id));"
    "CREATE INDEX issues_project ON issues (project, id);"
    "CREATE TABLE issue_branches ("
    "  issue_id INTEGER NOT NULL REFERENCES issues (id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL, branch TEXT NOT NULL, PRIMARY KEY (issue_id, branch));"
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT, project TEXT NOT NULL, at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL, detail TEXT,"
    "  override_reason TEXT, late INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX audit_project ON audit (project, id);"
    "CREATE TABLE outbox ("
    "  id TEXT PRIMARY KEY, project TEXT NOT NULL, channel TEXT NOT NULL,"
    "  message_type TEXT NOT NULL, audience TEXT NOT NULL, release_id TEXT,"
    "  payload BLOB NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt_at INTEGER NOT NULL, last_error TEXT, receipt TEXT,"
    "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
    "CREATE INDEX outbox_due ON outbox (state, next_attempt_at);",
    /* v2: API tokens created by relcal itself (only hashes); when each project was first
     * tracked (windows before that are history, not due events). */
    "CREATE TABLE tokens (name TEXT PRIMARY KEY, role TEXT NOT NULL, sha256 BLOB NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE projects (id TEXT PRIMARY KEY, first_seen INTEGER NOT NULL);",
    /* v3: channels disabled by a receiver's 401/403/404/410 (their rows are held until an admin
     * retry); messages of one channel and release are looked up in order. */
    "CREATE TABLE channel_state (project TEXT NOT NULL, channel TEXT NOT NULL,"
    "  disabled_at INTEGER NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (project, channel));"
    "CREATE INDEX outbox_release ON outbox (project, channel, release_id, id);",
    /* v4: the incident checklist's items set by hand, and the assessment record (a JSON object
     * of the checklist's summary fields) on the issue. */
    "CREATE TABLE checklist_items ("
    "  issue_id INTEGER NOT NULL REFERENCES issues (id) ON DELETE CASCADE,"
    "  task TEXT NOT NULL, state TEXT NOT NULL, at INTEGER NOT NULL, actor TEXT NOT NULL,"
    "  note TEXT, PRIMARY KEY (issue_id, task));"
    "ALTER TABLE issues ADD COLUMN assessment TEXT;",
    /* v5: the scheduler asks "was this event handled?" per issue and tick, and the checklist
     * asks how a release's messages went: both by index, not by scanning. */
    ("CREATE INDEX audit_event ON audit (project, action, subject);"
     "CREATE INDEX outbox_message ON outbox (project, release_id, message_type, audience);"),
    /* v6: the instant of a release's last public change (docs/POLICY.md "Disclosure"), so a
     * row written because a fix was batched or distributors were notified does not move the
     * public feed's DTSTAMP and LAST-MODIFIED. NULL: none since the config computed the window.
     * Rows written before: their last write, if anything public had changed (SEQUENCE rose or
     * the release was created out of sequence). */
    ("ALTER TABLE releases ADD COLUMN public_changed_at INTEGER;"
     "UPDATE releases SET public_changed_at = updated_at"
     "  WHERE sequence > 0 OR kind = 'out_of_sequence';"),
    /* v7: the versions a release shipped, frozen at publication (a JSON array of {"branch",
     * "version"}); NULL until then and for releases published before v7. */
    "ALTER TABLE releases ADD COLUMN versions TEXT;",
    /* v8: the resolution deadline an issue had missed when its deadline was extended (the
     * breach stays on record, docs/POLICY.md "Response deadlines"); 0 when none. */
    "ALTER TABLE issues ADD COLUMN sla_resolve_missed_due INTEGER NOT NULL DEFAULT 0;",
    /* v9: adoption figures of an issue's fix (the share of installations on the fixed
     * version at an instant), recorded by managers for the incident checklist. */
    ("CREATE TABLE adoption ("
     "  id INTEGER PRIMARY KEY,"
     "  issue_id INTEGER NOT NULL REFERENCES issues (id) ON DELETE CASCADE,"
     "  share REAL NOT NULL, at INTEGER NOT NULL, actor TEXT NOT NULL,"
     "  recorded_at INTEGER NOT NULL);"
     "CREATE INDEX adoption_issue ON adoption (issue_id, at);"),
    /* v10: an advisory's credits (a JSON array of {"name", "role"?}) and its own URL, public
     * once the issue is published (docs/POLICY.md "Disclosure"). */
    ("ALTER TABLE issues ADD COLUMN credits TEXT;"
     "ALTER TABLE issues ADD COLUMN advisory_url TEXT;"),
    /* v11: the issues a whole-project tick can act on (store_issue_list_live) are found in the
     * index, reading the rows of those alone: the index by project and id also carries what
     * decides it. It replaces the index by project and id. */
    ("CREATE INDEX issues_live ON issues (project, id, status, released_at, release_id);"
     "DROP INDEX IF EXISTS issues_project;"),
};
#define N_MIGRATIONS ((int)NELEM(migrations))

int store_schema_version(void)
{
    return N_MIGRATIONS;
}

int store__fail(struct store *s, const char *what)
{
    /* Another process holds the write lock past the busy timeout: try again later. */
    if ((sqlite3_errcode(s->db) & 0xff) == SQLITE_BUSY) {
        log_warn("database busy", "op=\"%s\"", what);
        return RC_EAGAIN;
    }
    log_error("database error", "op=\"%s\" sqlite=\"%s\"", what, sqlite3_errmsg(s->db));
    return RC_ESTORE;
}

static uint32_t sql_hash(const char *sql)
{
    return (uint32_t)hash_fnv1a(HASH_FNV1A_INIT, sql, strlen(sql));
}

/* Statements are prepared once (SQLITE_PREPARE_PERSISTENT) and kept by their text; store__done
 * resets one for the next use. A statement still in use when the same text is asked for again
 * (a nested query) is prepared afresh and finalized after use, as is any beyond the cache. */
int store__prepare(struct store *s, const char *sql, sqlite3_stmt **out)
{
    uint32_t h = sql_hash(sql);
    struct st_cached *free_slot = NULL;
    for (size_t i = 0; i < ST_CACHE_MAX; i++) {
        struct st_cached *c = &s->cache[(h + i) % ST_CACHE_MAX];
        if (!c->sql) {
            free_slot = c;
            break;
        }
        if (c->hash == h && strcmp(c->sql, sql) == 0) {
            if (c->busy)
                break;
            c->busy = true;
            *out = c->st;
            return 0;
        }
    }
    if (sqlite3_prepare_v3(s->db, sql, -1, free_slot ? SQLITE_PREPARE_PERSISTENT : 0, out, NULL) !=
        SQLITE_OK)
        return store__fail(s, "prepare");
    if (free_slot) {
        *free_slot = (struct st_cached){.sql = xstrdup(sql), .hash = h, .st = *out, .busy = true};
    }
    return 0;
}

void store__done(struct store *s, sqlite3_stmt *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < ST_CACHE_MAX; i++) {
        struct st_cached *c = &s->cache[i];
        if (c->st == st && c->busy) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            c->busy = false;
            return;
        }
    }
    sqlite3_finalize(st);
}

int store__exec_stmt(struct store *s, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    int ext = sqlite3_extended_errcode(s->db);
    store__done(s, st);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return 0;
    if ((ext & 0xff) == SQLITE_CONSTRAINT)
        return RC_EEXIST;
    return store__fail(s, "step");
}

void store__bind_time(sqlite3_stmt *st, int i, int64_t t)
{
    if (t == POLICY_TIME_NONE)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int64(st, i, t);
}

void store__bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

int64_t store__col_time(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? POLICY_TIME_NONE
                                                     : sqlite3_column_int64(st, i);
}

char *store__col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? xstrdup((const char *)t) : NULL;
}

void store__col_copy(sqlite3_stmt *st, int i, char *buf, size_t len)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(buf, len, "%s", t ? (const char *)t : "");
}

static int exec(struct store *s, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
    if ((rc & 0xff) == SQLITE_BUSY) {
        log_warn("database busy", "sql=\"%.60s\"", sql);
        sqlite3_free(msg);
        return RC_EAGAIN;
    }
    if (rc != SQLITE_OK) {
        log_error("database error", "sql=\"%.60s\" sqlite=\"%s\"", sql, msg ? msg : "?");
        sqlite3_free(msg);
        return RC_ESTORE;
    }
    return 0;
}

int store__exec(struct store *s, const char *sql)
{
    return exec(s, sql);
}

int store__one_text(struct store *s, sqlite3_stmt *st, char *out, size_t len, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        store__col_copy(st, 0, out, len);
    store__done(s, st);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? RC_ENOTFOUND : store__fail(s, what);
}

int store__one_int64(struct store *s, sqlite3_stmt *st, const char *what, int64_t *out, bool *found)
{
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (*found)
        *out = sqlite3_column_int64(st, 0);
    store__done(s, st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store__fail(s, what);
}

int store__int64(struct store *s, const char *sql, const char *what, int64_t *out)
{
    *out = 0;
    sqlite3_stmt *st;
    bool found;
    int rc = store__prepare(s, sql, &st);
    return rc < 0 ? rc : store__one_int64(s, st, what, out, &found);
}

int store_db_version(struct store *s)
{
    sqlite3_stmt *st;
    if (store__prepare(s, "PRAGMA user_version", &st) < 0)
        return -1;
    int v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    store__done(s, st);
    return v;
}

static int migrate(struct store *s)
{
    int v = store_db_version(s);
    if (v < 0)
        return RC_ESTORE;
    if (v > N_MIGRATIONS) {
        log_error("database schema is newer than this relcal", "db_version=%d known=%d", v,
                  N_MIGRATIONS);
        return RC_ESTORE;
    }
    for (; v < N_MIGRATIONS; v++) {
        char pragma[48];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        if (exec(s, "BEGIN IMMEDIATE") < 0)
            return RC_ESTORE;
        if (exec(s, migrations[v]) < 0 || exec(s, pragma) < 0) {
            exec(s, "ROLLBACK");
            return RC_ESTORE;
        }
        if (exec(s, "COMMIT") < 0)
            return RC_ESTORE;
        log_debug("database migrated", "version=%d", v + 1);
    }
    return 0;
}

int store_open(const char *path, struct store **out)
{
    struct store *s = xcalloc(1, sizeof *s);
    int rc = RC_ESTORE;
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        log_error("cannot open database", "path=\"%s\" sqlite=\"%s\"", path,
                  s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto out;
    }
    sqlite3_busy_timeout(s->db, 5000);
    if (exec(s, "PRAGMA foreign_keys = ON") < 0 || exec(s, "PRAGMA synchronous = FULL") < 0)
        goto out;
    if (strcmp(path, ":memory:") != 0 && exec(s, "PRAGMA journal_mode = WAL") < 0)
        goto out;
    if ((rc = migrate(s)) < 0)
        goto out;
    *out = s;
    return 0;
out:
    store_close(s);
    return rc;
}

void store_set_busy_timeout(struct store *s, int ms)
{
    sqlite3_busy_timeout(s->db, ms);
}

void store_close(struct store *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < ST_CACHE_MAX; i++) {
        sqlite3_finalize(s->cache[i].st);
        free(s->cache[i].sql);
    }
    sqlite3_close(s->db);
    free(s);
}

int store_begin(struct store *s)
{
    if (s->preview) {
        int rc = exec(s, "SAVEPOINT relcal_op");
        s->savepoints += rc == 0;
        return rc;
    }
    return exec(s, "BEGIN IMMEDIATE");
}

int store_commit(struct store *s)
{
    if (s->preview) {
        int rc = s->savepoints > 0 ? exec(s, "RELEASE relcal_op") : 0;
        s->savepoints -= rc == 0 && s->savepoints > 0;
        return rc;
    }
    return exec(s, "COMMIT");
}

void store_rollback(struct store *s)
{
    if (s->preview) {
        if (s->savepoints > 0) {
            exec(s, "ROLLBACK TO relcal_op");
            exec(s, "RELEASE relcal_op");
            s->savepoints--;
        }
        return;
    }
    if (!sqlite3_get_autocommit(s->db))
        exec(s, "ROLLBACK");
}
