/* relcal's own API tokens: name, role and the SHA-256 of the secret (never the secret). */
#include "store/internal.h"

int store_token_count(struct store *s, size_t *n)
{
    int64_t count = 0;
    int rc = store__int64(s, "SELECT COUNT(*) FROM tokens", "token count", &count);
    *n = (size_t)count;
    return rc;
}

int store_token_add(struct store *s, const char *name, const char *role, const uint8_t sha256[32],
                    int64_t now)
{
    sqlite3_stmt *st;
    int rc = store__prepare(
        s, "INSERT INTO tokens (name, role, sha256, created_at) VALUES (?,?,?,?)", &st);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, name);
    store__bind_text(st, 2, role);
    sqlite3_bind_blob(st, 3, sha256, 32, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, now);
    return store__exec_stmt(s, st);
}

int store_token_each(struct store *s,
                     void (*fn)(void *ud, const char *name, const char *role,
                                const uint8_t sha256[32]),
                     void *ud)
{
    sqlite3_stmt *st;
    int rc = store__prepare(s, "SELECT name, role, sha256 FROM tokens ORDER BY name", &st);
    if (rc < 0)
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 2) == 32)
            fn(ud, (const char *)sqlite3_column_text(st, 0),
               (const char *)sqlite3_column_text(st, 1), sqlite3_column_blob(st, 2));
    }
    store__done(s, st);
    return rc == SQLITE_DONE ? 0 : store__fail(s, "token list");
}
