/* The outbox: the messages a change enqueued in its transaction, their delivery states
 * (pending, inflight, sent, dead) as the delivery engine moves them, and the reads of the
 * deliveries routes and the channels' receipts. */
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/nelem.h"
#include "core/ulid.h"
#include "core/xalloc.h"
#include "store/internal.h"

static const char *const outbox_states[] = {"pending", "inflight", "sent", "dead"};
_Static_assert(NELEM(outbox_states) == STORE_OUTBOX_STATE_COUNT, "one name per state");

const char *store_outbox_state_name(enum store_outbox_state st)
{
    return (unsigned)st < NELEM(outbox_states) ? outbox_states[st] : "unknown";
}

int store_outbox_state_parse(const char *s, enum store_outbox_state *out)
{
    for (size_t i = 0; s && i < NELEM(outbox_states); i++) {
        if (strcmp(s, outbox_states[i]) == 0) {
            *out = (enum store_outbox_state)i;
            return 0;
        }
    }
    return RC_EINVAL;
}

int store_outbox_enqueue(struct store *s, int64_t now_ms, const char *project, const char *channel,
                         const char *message_type, enum policy_audience audience,
                         const char *release_id, const char *payload, size_t payload_len,
                         char id_out[27])
{
    char id[ULID_SIZE];
    ulid_new(now_ms, id);
    sqlite3_stmt *st;
    int rc = store__prepare(s,
                            "INSERT INTO outbox (id, project, channel, message_type, audience, "
                            "release_id, payload, state, attempts, next_attempt_at, created_at, "
                            "updated_at) VALUES (?,?,?,?,?,?,?,'pending',0,?,?,?)",
                            &st);
    if (rc < 0)
        return rc;
    int64_t now = now_ms / 1000;
    store__bind_text(st, 1, id);
    store__bind_text(st, 2, project);
    store__bind_text(st, 3, channel);
    store__bind_text(st, 4, message_type);
    store__bind_text(st, 5, policy_audience_name(audience));
    store__bind_text(st, 6, release_id);
    sqlite3_bind_blob(st, 7, payload, (int)payload_len, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 8, now);
    sqlite3_bind_int64(st, 9, now);
    sqlite3_bind_int64(st, 10, now);
    if ((rc = store__exec_stmt(s, st)) < 0)
        return rc;
    if (id_out)
        memcpy(id_out, id, ULID_SIZE);
    return 0;
}

void store_outbox_free(struct store_outbox *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].payload);
        free(v[i].last_error);
        free(v[i].receipt);
    }
    free(v);
}

int store__read_outbox(struct store *s, sqlite3_stmt *st, struct store_outbox **out, size_t *n)
{
    size_t cap = 16, k = 0;
    struct store_outbox *v = xcalloc(cap, sizeof *v);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap)
            v = xreallocarray(v, cap *= 2, sizeof *v);
        struct store_outbox *o = &v[k++];
        memset(o, 0, sizeof *o);
        store__col_copy(st, 0, o->id, sizeof o->id);
        store__col_copy(st, 1, o->project, sizeof o->project);
        store__col_copy(st, 2, o->channel, sizeof o->channel);
        store__col_copy(st, 3, o->message_type, sizeof o->message_type);
        if (policy_audience_parse((const char *)sqlite3_column_text(st, 4), &o->audience) < 0)
            o->audience = POLICY_AUDIENCE_TEAM;
        store__col_copy(st, 5, o->release_id, sizeof o->release_id);
        o->payload_len = (size_t)sqlite3_column_bytes(st, 6);
        o->payload = xmalloc(o->payload_len + 1);
        if (o->payload_len)
            memcpy(o->payload, sqlite3_column_blob(st, 6), o->payload_len);
        o->payload[o->payload_len] = '\0';
        if (store_outbox_state_parse((const char *)sqlite3_column_text(st, 7), &o->state) < 0)
            o->state = STORE_OUTBOX_PENDING;
        o->attempts = sqlite3_column_int(st, 8);
        o->next_attempt_at = sqlite3_column_int64(st, 9);
        o->last_error = store__col_dup(st, 10);
        o->receipt = store__col_dup(st, 11);
        o->created_at = sqlite3_column_int64(st, 12);
    }
    store__done(s, st);
    if (rc != SQLITE_DONE) {
        store_outbox_free(v, k);
        return store__fail(s, "outbox read");
    }
    *out = v;
    *n = k;
    return 0;
}

int store_outbox_claim(struct store *s, int64_t now, size_t limit, struct store_outbox **out,
                       size_t *n)
{
    sqlite3_stmt *st;
    int rc =
        store__prepare(s,
                       "UPDATE outbox SET state = 'inflight', updated_at = ?1 WHERE id IN "
                       "(SELECT id FROM outbox o WHERE state = 'pending' AND next_attempt_at <= ?1 "
                       "AND NOT EXISTS (SELECT 1 FROM channel_state c WHERE "
                       "c.project = o.project AND c.channel = o.channel) "
                       "ORDER BY next_attempt_at, id LIMIT ?2) RETURNING " ST_OUTBOX_COLUMNS,
                       &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
    return store__read_outbox(s, st, out, n);
}

static int set_state(struct store *s, const char *sql, const char *id, int64_t t, const char *text)
{
    sqlite3_stmt *st;
    int rc = store__prepare(s, sql, &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, t);
    store__bind_text(st, 2, text);
    store__bind_text(st, 3, id);
    if ((rc = store__exec_stmt(s, st)) < 0)
        return rc;
    return sqlite3_changes(s->db) ? 0 : RC_ENOTFOUND;
}

int store_outbox_mark_sent(struct store *s, const char *id, int64_t now, const char *receipt)
{
    return set_state(s,
                     "UPDATE outbox SET state='sent', attempts=attempts+1, updated_at=?1, "
                     "receipt=?2 WHERE id=?3",
                     id, now, receipt);
}

int store_outbox_mark_retry(struct store *s, const char *id, int64_t next_attempt_at,
                            const char *error)
{
    return set_state(s,
                     "UPDATE outbox SET state='pending', attempts=attempts+1, "
                     "next_attempt_at=?1, last_error=?2, updated_at=?1 WHERE id=?3",
                     id, next_attempt_at, error);
}

int store_outbox_mark_dead(struct store *s, const char *id, int64_t now, const char *error)
{
    return set_state(s,
                     "UPDATE outbox SET state='dead', attempts=attempts+1, updated_at=?1, "
                     "last_error=?2 WHERE id=?3",
                     id, now, error);
}

int store_outbox_requeue_dead(struct store *s, const char *project, const char *id, int64_t now,
                              char channel_out[POLICY_ID_MAX])
{
    sqlite3_stmt *st;
    int rc = store__prepare(s,
                            "UPDATE outbox SET state='pending', next_attempt_at=?1, updated_at=?1 "
                            "WHERE project=?2 AND id=?3 AND state='dead' RETURNING channel",
                            &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, now);
    store__bind_text(st, 2, project);
    store__bind_text(st, 3, id);
    return store__one_text(s, st, channel_out, POLICY_ID_MAX, "requeue");
}

int store_outbox_unclaim(struct store *s, const char *id, int64_t next_attempt_at, const char *note)
{
    return set_state(s,
                     "UPDATE outbox SET state='pending', next_attempt_at=?1, "
                     "updated_at=?1, last_error=coalesce(?2, last_error) "
                     "WHERE id=?3 AND state='inflight'",
                     id, next_attempt_at, note);
}

int store_outbox_requeue_inflight(struct store *s, size_t *n)
{
    sqlite3_stmt *st;
    int rc = store__prepare(s, "UPDATE outbox SET state='pending' WHERE state='inflight'", &st);
    if (rc < 0)
        return rc;
    if ((rc = store__exec_stmt(s, st)) < 0)
        return rc;
    *n = (size_t)sqlite3_changes(s->db);
    return 0;
}

int store_outbox_list(struct store *s, const char *project, const enum store_outbox_state *state,
                      struct store_outbox **out, size_t *n)
{
    sqlite3_stmt *st;
    int rc = store__prepare(s,
                            "SELECT " ST_OUTBOX_COLUMNS " FROM outbox WHERE project = ?1 AND "
                            "(?2 IS NULL OR state = ?2) ORDER BY id DESC",
                            &st);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, project);
    store__bind_text(st, 2, state ? store_outbox_state_name(*state) : NULL);
    return store__read_outbox(s, st, out, n);
}

int store_outbox_counts(struct store *s, const char *project,
                        void (*fn)(void *ud, const char *channel, enum store_outbox_state state,
                                   long n),
                        void *ud)
{
    sqlite3_stmt *st;
    int rc = store__prepare(s,
                            "SELECT channel, state, COUNT(*) FROM outbox WHERE project = ? "
                            "GROUP BY channel, state ORDER BY channel, state",
                            &st);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, project);
    enum store_outbox_state state;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (store_outbox_state_parse((const char *)sqlite3_column_text(st, 1), &state) == 0)
            fn(ud, (const char *)sqlite3_column_text(st, 0), state,
               (long)sqlite3_column_int64(st, 2));
    store__done(s, st);
    return rc == SQLITE_DONE ? 0 : store__fail(s, "outbox counts");
}

/* The first text column of the row `sql` finds for (project, channel, release_id), into out. */
static int one_text(struct store *s, const char *sql, const char *project, const char *channel,
                    const char *release_id, char *out, size_t len)
{
    sqlite3_stmt *st;
    int rc = store__prepare(s, sql, &st);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, project);
    store__bind_text(st, 2, channel);
    store__bind_text(st, 3, release_id);
    return store__one_text(s, st, out, len, "outbox lookup");
}

int store_outbox_first_id(struct store *s, const char *project, const char *channel,
                          const char *release_id, char out[27])
{
    return one_text(s,
                    "SELECT id FROM outbox WHERE project = ? AND channel = ? AND "
                    "release_id = ? ORDER BY id LIMIT 1",
                    project, channel, release_id, out, 27);
}

int store_outbox_last_receipt(struct store *s, const char *project, const char *channel,
                              const char *release_id, char *out, size_t len)
{
    return one_text(s,
                    "SELECT receipt FROM outbox WHERE project = ? AND channel = ? AND "
                    "release_id = ? AND state = 'sent' AND receipt IS NOT NULL "
                    "ORDER BY id DESC LIMIT 1",
                    project, channel, release_id, out, len);
}
