/* Durable state in SQLite (WAL, synchronous=FULL, foreign keys on, prepared statements only):
 * issues, releases (a window gets a row once anything about it is decided), the audit log, the
 * outbox of messages to deliver, scheduler events already handled, and API tokens created by
 * relcal itself. One API change = one transaction (store_begin/store_commit) holding the state
 * change, its audit row and its outbox rows. Instants are Unix seconds; NULL columns map to
 * POLICY_TIME_NONE. */
#ifndef RELCAL_STORE_STORE_H
#define RELCAL_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/disclosure.h"
#include "policy/due.h"
#include "policy/rules.h"
#include "policy/types.h"

struct store;

/* Opens (creating) the database at `path` (":memory:" for tests) and migrates it to the latest
 * schema. RC_ESTORE on failure (logged) or when the file's schema is newer than this binary. */
int store_open(const char *path, struct store **out);
void store_close(struct store *s);
/* Schema version of this binary and of the open database. */
int store_schema_version(void);
int store_db_version(struct store *s);

/* How long a statement waits for another process's write lock (5 s from store_open; the
 * service sets a short one so its loop never stalls). Past it, statements fail with RC_EAGAIN. */
void store_set_busy_timeout(struct store *s, int ms);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK; RC_EAGAIN when another process holds the write lock. */
int store_begin(struct store *s);
int store_commit(struct store *s);
void store_rollback(struct store *s);

/* Previews (store/preview.c, docs/CONTRACT.md "Preview"): store_preview_begin opens a write
 * transaction (RC_EAGAIN when another process holds the lock) inside which store_begin,
 * store_commit and store_rollback are savepoints; store_preview_end rolls everything back, so
 * nothing reaches the database file. store_preview_outbox reads back the outbox rows written
 * (inserted or changed) since store_preview_begin, oldest first (payload, last_error and
 * receipt are not read; free with store_outbox_free). */
int store_preview_begin(struct store *s);
void store_preview_end(struct store *s);
bool store_preview_active(const struct store *s);
struct store_outbox;
int store_preview_outbox(struct store *s, struct store_outbox **out, size_t *n);

/* An issue with its free text. Strings are heap-owned by the record (store_issue_clear). */
struct store_issue {
    struct policy_issue core; /* core.branches is left 0: the store keeps branch names */
    char project[POLICY_ID_MAX];
    char *title;
    char *description;
    char *public_summary;
    char *cve;
    char *ghsa;
    char *sla_extension_reason;
    /* Who is credited in the advisory: a JSON array of {"name", "role"?} (role one of the OSV
     * credit types), NULL when none; the advisory's own URL, NULL when none (schema v10). */
    char *credits;
    char *advisory_url;
    char branch_names[POLICY_BRANCHES_MAX][POLICY_ID_MAX];
    size_t n_branches;
    int64_t created_at;
    int64_t updated_at;
};

void store_issue_clear(struct store_issue *i);
void store_issues_free(struct store_issue *v, size_t n);

/* Inserts `i` (id assigned: written to i->core.id). */
int store_issue_insert(struct store *s, struct store_issue *i);
/* Writes every mutable field of an existing issue. RC_ENOTFOUND when absent. */
int store_issue_update(struct store *s, const struct store_issue *i);
int store_issue_get(struct store *s, const char *project, int64_t id, struct store_issue *out);
/* All issues of a project, newest first. Caller frees with store_issues_free. */
int store_issue_list(struct store *s, const char *project, struct store_issue **out, size_t *n);
/* The issues of a project a whole-project tick can act on, newest first: every issue neither
 * released nor rejected, every issue released after `released_after` (or at no recorded
 * instant), and every issue of the releases in `release_ids` (a JSON array of ids; NULL: none).
 * Caller frees with store_issues_free. */
int store_issue_list_live(struct store *s, const char *project, int64_t released_after,
                          const char *release_ids, struct store_issue **out, size_t *n);

/* A release row: the decided state of a window or an out-of-sequence release. */
struct store_release {
    struct policy_release core;
    char project[POLICY_ID_MAX];
    bool moved; /* explicitly rescheduled: no longer follows the config */
    char reason[512];
    char override_reason[512];
    int64_t updated_at;
    /* The last public change (a status change or a SEQUENCE rise); 0 or POLICY_TIME_NONE: none
     * since the config computed the window. Set by the scheduler on every write. */
    int64_t public_changed_at;
    uint32_t done; /* STORE_DONE_* bits: reminders and due notices already handled */
    /* The versions it shipped, frozen at publication (docs/POLICY.md "Versions"); false for
     * releases not published, or published before schema v7. */
    bool versions_frozen;
    size_t n_versions;
    struct policy_version versions[POLICY_BRANCHES_MAX];
};

/* The bits are policy/due.h's POLICY_DONE_*; bit 5 is retired (never read). */
enum {
    STORE_DONE_CUTOFF = POLICY_DONE_CUTOFF,
    STORE_DONE_REMINDER = POLICY_DONE_REMINDER,
    STORE_DONE_DUE = POLICY_DONE_DUE,
    STORE_DONE_OVERDUE = POLICY_DONE_OVERDUE,
    STORE_DONE_ANNOUNCE = POLICY_DONE_ANNOUNCE,
};

/* Inserts or replaces the row (project, core.id). */
int store_release_put(struct store *s, const struct store_release *r);
int store_release_get(struct store *s, const char *project, const char *id,
                      struct store_release *out);
/* Every release row of a project, by start. Caller frees *out. */
int store_release_list(struct store *s, const char *project, struct store_release **out, size_t *n);
/* The next out-of-sequence number of a project (1 for the first). */
int store_release_next_oos(struct store *s, const char *project, int *out);

/* Audit log. detail_json may be NULL; actor is a token name or "scheduler". */
struct store_audit {
    int64_t id;
    int64_t at;
    char actor[POLICY_ID_MAX];
    char action[48];
    char subject[64];
    char *detail_json;
    char *override_reason;
    bool late;
};

int store_audit_append(struct store *s, const char *project, int64_t at, const char *actor,
                       const char *action, const char *subject, const char *detail_json,
                       const char *override_reason, bool late);
/* Newest first, at most `limit`. Caller frees with store_audit_free. */
int store_audit_list(struct store *s, const char *project, size_t limit, struct store_audit **out,
                     size_t *n);
/* A page of the audit log, newest first: rows with after_id < id < before_id (0: from the
 * oldest, from the newest) whose subject and action equal the given ones (NULL: any) and at >=
 * since (INT64_MIN: any), at most `limit`. Caller frees with store_audit_free. */
struct store_audit_filter {
    const char *subject;
    const char *action;
    int64_t since;
    int64_t before_id;
    size_t limit;
    int64_t after_id; /* rows written after the one with this id (store_audit_last_id) */
};
/* The id of the newest audit row of any project (0: none). */
int store_audit_last_id(struct store *s, int64_t *out);
int store_audit_query(struct store *s, const char *project, const struct store_audit_filter *f,
                      struct store_audit **out, size_t *n);
void store_audit_free(struct store_audit *v, size_t n);

/* Outbox: one row per message and channel, written in the transaction of its cause. */
enum store_outbox_state {
    STORE_OUTBOX_PENDING = 0,
    STORE_OUTBOX_INFLIGHT,
    STORE_OUTBOX_SENT,
    STORE_OUTBOX_DEAD,
    STORE_OUTBOX_STATE_COUNT
};

struct store_outbox {
    char id[27]; /* ULID */
    char project[POLICY_ID_MAX];
    char channel[POLICY_ID_MAX];
    char message_type[48];
    enum policy_audience audience; /* the audience column's text, parsed (unknown: team) */
    char release_id[POLICY_RELEASE_ID_MAX];
    char *payload;
    size_t payload_len;
    enum store_outbox_state state;
    int attempts;
    int64_t next_attempt_at;
    char *last_error;
    char *receipt;
    int64_t created_at;
};

/* The state column's text: "pending", "inflight", "sent", "dead" ("unknown" out of range);
 * parse answers RC_EINVAL for NULL or any other string (out untouched). */
const char *store_outbox_state_name(enum store_outbox_state st);
int store_outbox_state_parse(const char *s, enum store_outbox_state *out);

/* Enqueues a pending row due at `now`; its ULID (from now_ms) is written to id_out if not
 * NULL. */
int store_outbox_enqueue(struct store *s, int64_t now_ms, const char *project, const char *channel,
                         const char *message_type, enum policy_audience audience,
                         const char *release_id, const char *payload, size_t payload_len,
                         char id_out[27]);
/* Pending rows due at or before `now` (oldest first, at most `limit`) become inflight. */
int store_outbox_claim(struct store *s, int64_t now, size_t limit, struct store_outbox **out,
                       size_t *n);
int store_outbox_mark_sent(struct store *s, const char *id, int64_t now, const char *receipt);
int store_outbox_mark_retry(struct store *s, const char *id, int64_t next_attempt_at,
                            const char *error);
int store_outbox_mark_dead(struct store *s, const char *id, int64_t now, const char *error);
/* Admin retry: a dead row becomes pending, due at `now`; its channel is written to channel_out.
 * RC_ENOTFOUND unless it is dead. */
int store_outbox_requeue_dead(struct store *s, const char *project, const char *id, int64_t now,
                              char channel_out[POLICY_ID_MAX]);
/* Gives a claimed row back: pending again, due at next_attempt_at, attempts unchanged; `note`
 * (if not NULL) becomes its last error (why it is held). */
int store_outbox_unclaim(struct store *s, const char *id, int64_t next_attempt_at,
                         const char *note);
/* Whether an older row of the same channel and release is still pending or inflight (messages
 * that must reach a channel in order, such as a Discourse topic and its replies). */
int store_outbox_has_older(struct store *s, const struct store_outbox *row, bool *out);

/* The rows of one message type to one audience about a release: how many, how many sent, the
 * last change, and "channel (receipt), ..." (cut to fit). */
struct store_outbox_summary {
    size_t total, sent;
    int64_t last_at;
    char evidence[512];
};
int store_outbox_release_summary(struct store *s, const char *project, const char *release_id,
                                 const char *message_type, enum policy_audience audience,
                                 struct store_outbox_summary *out);

/* Channels disabled after a receiver said they are gone (401/403/404/410): their pending rows
 * are held (never claimed) until the channel is enabled again (an admin retry). Disabling a
 * disabled channel keeps the first reason and answers RC_EEXIST. */
int store_channel_disable(struct store *s, const char *project, const char *channel, int64_t now,
                          const char *reason);
int store_channel_enable(struct store *s, const char *project, const char *channel);
/* Calls fn for each disabled channel of a project. */
int store_channel_each_disabled(struct store *s, const char *project,
                                void (*fn)(void *ud, const char *channel, int64_t disabled_at,
                                           const char *reason),
                                void *ud);
/* Whether an audit row with this action and subject exists (events handled once). */
int store_audit_exists(struct store *s, const char *project, const char *action,
                       const char *subject, bool *out);
/* Calls fn with the subject of every audit row of the project whose action is one of
 * `actions` (at most four) and, unless `prefixes` is NULL, whose subject starts with one of
 * `prefixes` (a JSON array of strings): one query, what a tick handled already. */
int store_audit_subjects(struct store *s, const char *project, const char *const *actions,
                         size_t n_actions, const char *prefixes,
                         void (*fn)(void *ud, const char *action, const char *subject), void *ud);
/* On start: inflight rows go back to pending. Returns the count in *n. */
int store_outbox_requeue_inflight(struct store *s, size_t *n);
/* Rows of a project, optionally one state (NULL: all), newest first. */
int store_outbox_list(struct store *s, const char *project, const enum store_outbox_state *state,
                      struct store_outbox **out, size_t *n);
void store_outbox_free(struct store_outbox *v, size_t n);

/* Records `now` as the instant relcal first tracked the project, unless one is recorded
 * already (the earliest stays). Only the tick calls it (docs/ARCHITECTURE.md "Project epoch"). */
int store_project_epoch_record(struct store *s, const char *project, int64_t now);
/* When relcal first tracked the project, or `fallback` when nothing is recorded for it (a
 * project the service has not ticked yet). Reads only: writes nothing. */
int store_project_epoch(struct store *s, const char *project, int64_t fallback, int64_t *out);

/* The receipt of the newest sent row of a channel for a release (Discourse remembers its topic
 * there); RC_ENOTFOUND when none. */
int store_outbox_last_receipt(struct store *s, const char *project, const char *channel,
                              const char *release_id, char *out, size_t len);

/* The id of the first row of a channel about a release (e-mail threads every later message to
 * it); RC_ENOTFOUND when none. */
int store_outbox_first_id(struct store *s, const char *project, const char *channel,
                          const char *release_id, char out[27]);

/* Calls fn(channel, state, count) for the outbox rows of a project grouped by channel and
 * state (for metrics). */
int store_outbox_counts(struct store *s, const char *project,
                        void (*fn)(void *ud, const char *channel, enum store_outbox_state state,
                                   long n),
                        void *ud);

/* Incident checklist items set by hand (state "done", "open" or "not_applicable"); tasks
 * without a row are open unless relcal completes them itself. Upsert. */
struct store_checklist_item {
    int64_t issue_id;
    char task[48];
    char state[16];
    int64_t at;
    char actor[POLICY_ID_MAX];
    char *note;
};
int store_checklist_set(struct store *s, int64_t issue_id, const char *task, const char *state,
                        int64_t at, const char *actor, const char *note);
/* The items of every issue of a project, by issue id then task (one query for a whole view);
 * caller frees with store_checklist_free. */
int store_checklist_list(struct store *s, const char *project, struct store_checklist_item **out,
                         size_t *n);
/* The items of the project's issues among `issue_ids` (a JSON array of ids), by issue id then
 * task: a view of some issues only (one issue, or those a tick looks at). */
int store_checklist_list_of(struct store *s, const char *project, const char *issue_ids,
                            struct store_checklist_item **out, size_t *n);
void store_checklist_free(struct store_checklist_item *v, size_t n);
/* The issue's assessment record as JSON text (*out NULL when none; caller frees). */
int store_assessment_get(struct store *s, const char *project, int64_t issue_id, char **out);
int store_assessment_set(struct store *s, const char *project, int64_t issue_id, const char *json);

/* Adoption figures of an issue's fix (the share 0..1 on the fixed version at an instant). */
struct store_adoption {
    int64_t at;
    double share;
    char actor[POLICY_ID_MAX];
    int64_t recorded_at;
};
int store_adoption_add(struct store *s, int64_t issue_id, double share, int64_t at,
                       const char *actor, int64_t recorded_at);
/* The issue's figures by `at` (then as recorded); *out NULL and *n 0 when none. Caller frees
 * *out. */
int store_adoption_list(struct store *s, int64_t issue_id, struct store_adoption **out, size_t *n);

/* Tokens relcal created itself (the first admin token); only hashes are stored. */
int store_token_count(struct store *s, size_t *n);
int store_token_add(struct store *s, const char *name, const char *role, const uint8_t sha256[32],
                    int64_t now);
/* Calls fn for each stored token. */
int store_token_each(struct store *s,
                     void (*fn)(void *ud, const char *name, const char *role,
                                const uint8_t sha256[32]),
                     void *ud);

#endif
