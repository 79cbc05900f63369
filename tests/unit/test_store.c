/* store/: migrations from an empty database and from version 1, issue and release rows, the
 * outbox state machine, rollback leaving nothing, previews, ULIDs. SQLite in memory and in a temp
 * file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/ulid.h"
#include "store/store.h"

static struct store *open_mem(void)
{
    struct store *s = NULL;
    assert_int_equal(store_open(":memory:", &s), 0);
    return s;
}

static struct store_issue sample_issue(const char *title)
{
    struct store_issue i;
    memset(&i, 0, sizeof i);
    snprintf(i.project, sizeof i.project, "%s", "mautic");
    i.title = strdup(title);
    i.description = strdup("desc with 'quotes' and \"double\" and ü");
    i.core.status = POLICY_ISSUE_REPORTED;
    i.core.reported_at = 1799571600;
    i.core.acknowledged_at = i.core.responded_at = i.core.fix_ready_at = i.core.released_at =
        POLICY_TIME_NONE;
    i.created_at = i.updated_at = 1799571600;
    snprintf(i.branch_names[0], sizeof i.branch_names[0], "%s", "5.x");
    snprintf(i.branch_names[1], sizeof i.branch_names[1], "%s", "4.x");
    i.n_branches = 2;
    return i;
}

struct seen {
    char rows[16][64];
    size_t n;
    struct store *s; /* asks again from inside the iteration when set */
};

static void on_subject(void *ud, const char *action, const char *subject)
{
    struct seen *w = ud;
    if (w->n < 16)
        snprintf(w->rows[w->n++], sizeof w->rows[0], "%s %s", action, subject);
    if (w->s) {
        /* The same statement while it is being stepped: prepared afresh, not the cached one. */
        struct seen inner = {.n = 0};
        const char *a[] = {"issue.sla_breached"};
        assert_int_equal(store_audit_subjects(w->s, "mautic", a, 1, NULL, on_subject, &inner), 0);
        assert_int_equal(inner.n, 1);
        bool done = false;
        assert_int_equal(
            store_audit_exists(w->s, "mautic", "issue.task_overdue", "issue-1:t", &done), 0);
        assert_true(done);
    }
}

/* What a tick handled already, in one query: only the project's rows of the actions asked. */
static void audit_subjects_of_actions(void **state)
{
    (void)state;
    struct store *s = open_mem();
    assert_int_equal(store_audit_append(s, "mautic", 1, "scheduler", "issue.sla_breached",
                                        "issue-1:acknowledge", NULL, NULL, false),
                     0);
    assert_int_equal(store_audit_append(s, "mautic", 2, "scheduler", "issue.task_overdue",
                                        "issue-1:t", NULL, NULL, false),
                     0);
    assert_int_equal(
        store_audit_append(s, "mautic", 3, "alice", "issue.create", "issue", NULL, NULL, false), 0);
    assert_int_equal(store_audit_append(s, "other", 4, "scheduler", "issue.sla_breached",
                                        "issue-9:acknowledge", NULL, NULL, false),
                     0);
    const char *actions[] = {"issue.sla_breached", "issue.task_overdue"};
    for (int round = 0; round < 3; round++) { /* the cached statement, reset each time */
        struct seen w = {.n = 0, .s = round == 2 ? s : NULL};
        assert_int_equal(store_audit_subjects(s, "mautic", actions, 2, NULL, on_subject, &w), 0);
        assert_int_equal(w.n, 2);
        assert_string_equal(w.rows[0], "issue.sla_breached issue-1:acknowledge");
        assert_string_equal(w.rows[1], "issue.task_overdue issue-1:t");
    }
    struct seen none = {.n = 0};
    assert_int_equal(store_audit_subjects(s, "mautic", actions, 0, NULL, on_subject, &none), 0);
    assert_int_equal(none.n, 0);
    store_close(s);
}

static void issues_round_trip(void **state)
{
    (void)state;
    struct store *s = open_mem();
    assert_int_equal(store_db_version(s), store_schema_version());
    struct store_issue a = sample_issue("first"), b = sample_issue("second");
    assert_int_equal(policy_severity_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                                           &b.core.severity, NULL, 0),
                     0);
    b.core.has_severity = true;
    assert_int_equal(store_issue_insert(s, &a), 0);
    assert_int_equal(store_issue_insert(s, &b), 0);
    assert_int_equal(a.core.id, 1);
    assert_int_equal(b.core.id, 2);
    struct store_issue got;
    assert_int_equal(store_issue_get(s, "mautic", 2, &got), 0);
    assert_string_equal(got.title, "second");
    assert_string_equal(got.description, a.description);
    assert_true(got.core.has_severity);
    assert_int_equal(got.core.severity.level, POLICY_LEVEL_CRITICAL);
    assert_true(got.core.acknowledged_at == POLICY_TIME_NONE);
    assert_int_equal(got.n_branches, 2);
    assert_string_equal(got.branch_names[1], "4.x");
    assert_null(got.cve);
    store_issue_clear(&got);
    assert_int_equal(store_issue_get(s, "mautic", 3, &got), RC_ENOTFOUND);
    assert_int_equal(store_issue_get(s, "other", 1, &got), RC_ENOTFOUND);

    /* Update writes every field; membership needs the release row (foreign key). */
    a.core.status = POLICY_ISSUE_ACKNOWLEDGED;
    a.core.acknowledged_at = 1799575200;
    a.core.sla_extension_days = 14;
    a.core.sla_resolve_missed_due = 1801386000;
    snprintf(a.core.release_id, sizeof a.core.release_id, "%s", "2027-02-09");
    assert_int_equal(store_issue_update(s, &a), RC_EEXIST); /* no such release row */
    struct store_release r;
    memset(&r, 0, sizeof r);
    snprintf(r.project, sizeof r.project, "%s", "mautic");
    snprintf(r.core.id, sizeof r.core.id, "%s", "2027-02-09");
    r.core.starts_at = 1802178000;
    r.core.ends_at = 1802185200;
    r.core.announce_at = r.core.announced_at = r.core.distributors_notified_at =
        r.core.released_at = POLICY_TIME_NONE;
    assert_int_equal(store_release_put(s, &r), 0);
    assert_int_equal(store_issue_update(s, &a), 0);
    a.n_branches = 1;
    assert_int_equal(store_issue_update(s, &a), 0);
    struct store_issue *list;
    size_t n;
    assert_int_equal(store_issue_list(s, "mautic", &list, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].core.id, 2); /* newest first */
    assert_string_equal(list[1].core.release_id, "2027-02-09");
    assert_int_equal(list[1].core.status, POLICY_ISSUE_ACKNOWLEDGED);
    assert_int_equal(list[1].n_branches, 1);
    assert_int_equal(list[1].core.sla_extension_days, 14);
    assert_int_equal(list[1].core.sla_resolve_missed_due, 1801386000);
    assert_int_equal(list[0].core.sla_resolve_missed_due, 0);
    store_issues_free(list, n);
    struct store_issue ghost = sample_issue("ghost");
    ghost.core.id = 99;
    assert_int_equal(store_issue_update(s, &ghost), RC_ENOTFOUND);
    store_issue_clear(&ghost);
    store_issue_clear(&a);
    store_issue_clear(&b);
    store_close(s);
}

static void releases_and_rollback(void **state)
{
    (void)state;
    struct store *s = open_mem();
    struct store_release r;
    memset(&r, 0, sizeof r);
    snprintf(r.project, sizeof r.project, "%s", "mautic");
    snprintf(r.core.id, sizeof r.core.id, "%s", "oos-1");
    r.core.kind = POLICY_RELEASE_OUT_OF_SEQUENCE;
    r.core.status = POLICY_RELEASE_ANNOUNCED;
    r.core.starts_at = 1802178000;
    r.core.ends_at = 1802185200;
    r.core.announce_at = r.core.announced_at = 1795521600;
    r.core.distributors_notified_at = r.core.released_at = POLICY_TIME_NONE;
    r.core.sequence = 2;
    r.moved = true;
    r.done = STORE_DONE_REMINDER;
    snprintf(r.reason, sizeof r.reason, "%s", "actively exploited");
    assert_int_equal(store_release_put(s, &r), 0);
    int next;
    assert_int_equal(store_release_next_oos(s, "mautic", &next), 0);
    assert_int_equal(next, 2);
    assert_int_equal(store_release_next_oos(s, "other", &next), 0);
    assert_int_equal(next, 1);
    struct store_release got;
    assert_int_equal(store_release_get(s, "mautic", "oos-1", &got), 0);
    assert_int_equal(got.core.kind, POLICY_RELEASE_OUT_OF_SEQUENCE);
    assert_int_equal(got.core.sequence, 2);
    assert_true(got.moved);
    assert_int_equal(got.done, STORE_DONE_REMINDER);
    assert_int_equal(got.core.announce_at, 1795521600);
    assert_true(got.core.locked);
    assert_string_equal(got.reason, "actively exploited");
    assert_int_equal(got.public_changed_at, POLICY_TIME_NONE); /* none written */
    r.public_changed_at = 1795521700;
    assert_int_equal(store_release_put(s, &r), 0);
    assert_int_equal(store_release_get(s, "mautic", "oos-1", &got), 0);
    assert_int_equal(got.public_changed_at, 1795521700);
    assert_false(got.versions_frozen); /* not published: nothing frozen */
    assert_int_equal(store_release_get(s, "mautic", "oos-9", &got), RC_ENOTFOUND);

    /* v7: versions frozen at publication come back as stored, also an empty list. */
    r.versions_frozen = true;
    r.n_versions = 2;
    snprintf(r.versions[0].branch, sizeof r.versions[0].branch, "%s", "5.x");
    snprintf(r.versions[0].version, sizeof r.versions[0].version, "%s", "5.1.3");
    snprintf(r.versions[1].branch, sizeof r.versions[1].branch, "%s", "4.x");
    snprintf(r.versions[1].version, sizeof r.versions[1].version, "%s", "4.4.13");
    assert_int_equal(store_release_put(s, &r), 0);
    assert_int_equal(store_release_get(s, "mautic", "oos-1", &got), 0);
    assert_true(got.versions_frozen);
    assert_int_equal(got.n_versions, 2);
    assert_string_equal(got.versions[0].branch, "5.x");
    assert_string_equal(got.versions[0].version, "5.1.3");
    assert_string_equal(got.versions[1].branch, "4.x");
    assert_string_equal(got.versions[1].version, "4.4.13");
    r.n_versions = 0;
    assert_int_equal(store_release_put(s, &r), 0);
    assert_int_equal(store_release_get(s, "mautic", "oos-1", &got), 0);
    assert_true(got.versions_frozen);
    assert_int_equal(got.n_versions, 0);
    r.versions_frozen = false;
    assert_int_equal(store_release_put(s, &r), 0);

    /* One transaction: everything or nothing. */
    assert_int_equal(store_begin(s), 0);
    snprintf(r.core.id, sizeof r.core.id, "%s", "oos-2");
    assert_int_equal(store_release_put(s, &r), 0);
    assert_int_equal(
        store_audit_append(s, "mautic", 1, "alice", "release.create", "oos-2", NULL, NULL, false),
        0);
    assert_int_equal(store_outbox_enqueue(s, 1000, "mautic", "hook", "release.announced",
                                          POLICY_AUDIENCE_PUBLIC, "oos-2", "{}", 2, NULL),
                     0);
    store_rollback(s);
    struct store_release *list;
    size_t n;
    assert_int_equal(store_release_list(s, "mautic", &list, &n), 0);
    assert_int_equal(n, 1);
    free(list);
    struct store_outbox *rows;
    assert_int_equal(store_outbox_list(s, "mautic", NULL, &rows, &n), 0);
    assert_int_equal(n, 0);
    store_outbox_free(rows, n);
    struct store_audit *audit;
    assert_int_equal(store_audit_list(s, "mautic", 10, &audit, &n), 0);
    assert_int_equal(n, 0);
    store_audit_free(audit, n);
    store_close(s);
}

/* The audit log's filters and keyset pages (GET .../audit). */
static void audit_query_filters_and_pages(void **state)
{
    (void)state;
    struct store *s = open_mem();
    /* ids 1..5: (at, action, subject) */
    assert_int_equal(
        store_audit_append(s, "p", 100, "a", "issue.created", "issue:1", NULL, NULL, false), 0);
    assert_int_equal(
        store_audit_append(s, "p", 200, "a", "issue.updated", "issue:1", NULL, NULL, false), 0);
    assert_int_equal(
        store_audit_append(s, "p", 300, "a", "issue.created", "issue:2", NULL, NULL, false), 0);
    assert_int_equal(
        store_audit_append(s, "q", 400, "a", "issue.created", "issue:1", NULL, NULL, false), 0);
    assert_int_equal(
        store_audit_append(s, "p", 500, "a", "release.moved", "release:x", NULL, NULL, true), 0);
    struct store_audit *v;
    size_t n;
    struct store_audit_filter f = {.subject = "issue:1", .since = INT64_MIN, .limit = 10};
    assert_int_equal(store_audit_query(s, "p", &f, &v, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].at, 200);
    assert_int_equal(v[1].at, 100);
    store_audit_free(v, n);
    f = (struct store_audit_filter){.action = "issue.created", .since = 150, .limit = 10};
    assert_int_equal(store_audit_query(s, "p", &f, &v, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].subject, "issue:2");
    store_audit_free(v, n);
    /* Pages of two: 500 300 | 200 100 | nothing. */
    f = (struct store_audit_filter){.since = INT64_MIN, .limit = 2};
    assert_int_equal(store_audit_query(s, "p", &f, &v, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].at, 500);
    assert_int_equal(v[1].at, 300);
    f.before_id = v[1].id;
    store_audit_free(v, n);
    assert_int_equal(store_audit_query(s, "p", &f, &v, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].at, 200);
    assert_int_equal(v[1].at, 100);
    f.before_id = v[1].id;
    store_audit_free(v, n);
    assert_int_equal(store_audit_query(s, "p", &f, &v, &n), 0);
    assert_int_equal(n, 0);
    store_audit_free(v, n);
    /* Rows written after a given one (the catch-up's count): the last id is the 5th row's. */
    int64_t last = 0;
    assert_int_equal(store_audit_last_id(s, &last), 0);
    assert_int_equal(last, 5);
    f = (struct store_audit_filter){.since = INT64_MIN, .limit = 10, .after_id = 3};
    assert_int_equal(store_audit_query(s, "p", &f, &v, &n), 0);
    assert_int_equal(n, 1); /* row 4 is project q's */
    assert_int_equal(v[0].at, 500);
    store_audit_free(v, n);
    store_close(s);
}

/* The outbox state column's text: each state round-trips; any other text is refused. */
static void outbox_state_names(void **state)
{
    (void)state;
    static const struct {
        enum store_outbox_state st;
        const char *name;
    } rows[] = {
        {STORE_OUTBOX_PENDING, "pending"},
        {STORE_OUTBOX_INFLIGHT, "inflight"},
        {STORE_OUTBOX_SENT, "sent"},
        {STORE_OUTBOX_DEAD, "dead"},
    };
    assert_int_equal(sizeof rows / sizeof rows[0], STORE_OUTBOX_STATE_COUNT);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assert_string_equal(store_outbox_state_name(rows[i].st), rows[i].name);
        enum store_outbox_state st = STORE_OUTBOX_STATE_COUNT;
        assert_int_equal(store_outbox_state_parse(rows[i].name, &st), 0);
        assert_int_equal(st, rows[i].st);
    }
    static const char *const refused[] = {"", "Pending", "in_flight", "failed", "sent ", "unknown"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        enum store_outbox_state st = STORE_OUTBOX_SENT;
        assert_int_equal(store_outbox_state_parse(refused[i], &st), RC_EINVAL);
        assert_int_equal(st, STORE_OUTBOX_SENT);
    }
    enum store_outbox_state st;
    assert_int_equal(store_outbox_state_parse(NULL, &st), RC_EINVAL);
    assert_string_equal(store_outbox_state_name(STORE_OUTBOX_STATE_COUNT), "unknown");
}

struct count_row {
    char channel[16];
    enum store_outbox_state state;
    long n;
};
struct counts {
    struct count_row v[8];
    size_t n;
};

static void count_one(void *ud, const char *channel, enum store_outbox_state state, long n)
{
    struct counts *c = ud;
    assert_true(c->n < 8);
    snprintf(c->v[c->n].channel, sizeof c->v[c->n].channel, "%s", channel);
    c->v[c->n].state = state;
    c->v[c->n++].n = n;
}

/* The metrics' counts come back per channel with the state parsed from its column. */
static void outbox_counts_by_state(void **state)
{
    (void)state;
    struct store *s = open_mem();
    for (int k = 0; k < 3; k++)
        assert_int_equal(store_outbox_enqueue(s, 1000 + k, "p", k ? "hook" : "chat",
                                              "release.announced", POLICY_AUDIENCE_PUBLIC, NULL,
                                              "{}", 2, NULL),
                         0);
    struct store_outbox *rows;
    size_t n;
    assert_int_equal(store_outbox_claim(s, 1, 1, &rows, &n), 0); /* the oldest: chat */
    assert_int_equal(n, 1);
    assert_int_equal(store_outbox_mark_sent(s, rows[0].id, 2, NULL), 0);
    store_outbox_free(rows, n);
    struct counts c = {0};
    assert_int_equal(store_outbox_counts(s, "p", count_one, &c), 0);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.v[0].channel, "chat");
    assert_int_equal(c.v[0].state, STORE_OUTBOX_SENT);
    assert_int_equal(c.v[0].n, 1);
    assert_string_equal(c.v[1].channel, "hook");
    assert_int_equal(c.v[1].state, STORE_OUTBOX_PENDING);
    assert_int_equal(c.v[1].n, 2);
    store_close(s);
}

static void outbox_states(void **state)
{
    (void)state;
    struct store *s = open_mem();
    char a[27], b[27];
    assert_int_equal(store_outbox_enqueue(s, 100000, "p", "hook", "release.announced",
                                          POLICY_AUDIENCE_PUBLIC, NULL, "A\0B", 3, a),
                     0);
    assert_int_equal(store_outbox_enqueue(s, 200000, "p", "hook", "release.due",
                                          POLICY_AUDIENCE_TEAM, NULL, "{}", 2, b),
                     0);
    struct store_outbox *rows;
    size_t n;
    /* Only rows due at the instant are claimed. */
    assert_int_equal(store_outbox_claim(s, 150, 10, &rows, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].id, a);
    assert_int_equal(rows[0].payload_len, 3);
    assert_memory_equal(rows[0].payload, "A\0B", 3); /* exact bytes */
    assert_int_equal(rows[0].state, STORE_OUTBOX_INFLIGHT);
    store_outbox_free(rows, n);
    assert_int_equal(store_outbox_claim(s, 150, 10, &rows, &n), 0);
    assert_int_equal(n, 0); /* inflight rows are not claimed twice */
    store_outbox_free(rows, n);
    size_t requeued;
    assert_int_equal(store_outbox_requeue_inflight(s, &requeued), 0); /* restart */
    assert_int_equal(requeued, 1);
    assert_int_equal(store_outbox_claim(s, 300, 10, &rows, &n), 0);
    assert_int_equal(n, 2);
    store_outbox_free(rows, n);
    assert_int_equal(store_outbox_mark_retry(s, a, 400, "HTTP 503"), 0);
    assert_int_equal(store_outbox_mark_dead(s, b, 300, "HTTP 404"), 0);
    assert_int_equal(
        store_outbox_list(s, "p", &(enum store_outbox_state){STORE_OUTBOX_DEAD}, &rows, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].last_error, "HTTP 404");
    assert_int_equal(rows[0].attempts, 1);
    store_outbox_free(rows, n);
    char channel[POLICY_ID_MAX] = "";
    assert_int_equal(store_outbox_requeue_dead(s, "p", a, 500, channel), RC_ENOTFOUND); /* live */
    assert_int_equal(store_outbox_requeue_dead(s, "q", b, 500, channel), RC_ENOTFOUND);
    assert_int_equal(store_outbox_requeue_dead(s, "p", b, 500, channel), 0);
    assert_string_equal(channel, "hook");
    assert_int_equal(store_outbox_claim(s, 500, 10, &rows, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(store_outbox_mark_sent(s, rows[0].id, 500, "msg 1"), 0);
    store_outbox_free(rows, n);
    assert_int_equal(store_outbox_mark_sent(s, "nope", 500, NULL), RC_ENOTFOUND);
    store_close(s);
}

/* A preview (docs/CONTRACT.md "Preview"): the writes inside it are savepoints, the outbox rows
 * they wrote (inserted or re-queued) are read back, and its end leaves nothing behind. */
static void preview_rolls_back(void **state)
{
    (void)state;
    struct store *s = open_mem();
    char dead[27], kept[27];
    assert_int_equal(store_outbox_enqueue(s, 100000, "p", "hook", "release.announced",
                                          POLICY_AUDIENCE_PUBLIC, "r1", "{}", 2, dead),
                     0);
    struct store_outbox *rows;
    size_t n;
    assert_int_equal(store_outbox_claim(s, 100, 10, &rows, &n), 0);
    store_outbox_free(rows, n);
    assert_int_equal(store_outbox_mark_dead(s, dead, 100, "HTTP 400"), 0);
    assert_int_equal(store_preview_begin(s), 0);
    assert_true(store_preview_active(s));
    assert_int_equal(store_preview_begin(s), RC_EINVAL); /* not twice */
    /* A write that commits (a savepoint released). */
    assert_int_equal(store_begin(s), 0);
    assert_int_equal(store_outbox_enqueue(s, 200000, "p", "team", "release.due",
                                          POLICY_AUDIENCE_TEAM, NULL, "{}", 2, kept),
                     0);
    struct store_issue is = sample_issue("previewed");
    assert_int_equal(store_issue_insert(s, &is), 0);
    store_issue_clear(&is);
    assert_int_equal(store_commit(s), 0);
    /* A write that fails (its savepoint rolled back): its row is not read back. */
    assert_int_equal(store_begin(s), 0);
    assert_int_equal(store_outbox_enqueue(s, 300000, "p", "team", "release.gone",
                                          POLICY_AUDIENCE_TEAM, NULL, "{}", 2, NULL),
                     0);
    store_rollback(s);
    /* The admin retry changes a row instead of adding one. */
    char channel[POLICY_ID_MAX];
    assert_int_equal(store_begin(s), 0);
    assert_int_equal(store_outbox_requeue_dead(s, "p", dead, 400, channel), 0);
    assert_int_equal(store_commit(s), 0);
    assert_int_equal(store_preview_outbox(s, &rows, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].id, dead); /* by row, oldest first */
    assert_string_equal(rows[0].message_type, "release.announced");
    assert_int_equal(rows[0].audience, POLICY_AUDIENCE_PUBLIC);
    assert_string_equal(rows[0].release_id, "r1");
    assert_int_equal(rows[0].state, STORE_OUTBOX_PENDING);
    assert_int_equal(rows[0].next_attempt_at, 400);
    assert_string_equal(rows[1].id, kept);
    assert_string_equal(rows[1].channel, "team");
    assert_int_equal(rows[1].next_attempt_at, 200);
    store_outbox_free(rows, n);
    store_preview_end(s);
    assert_false(store_preview_active(s));
    /* Nothing is left: the dead row is dead, no new row, no issue. */
    assert_int_equal(store_outbox_list(s, "p", NULL, &rows, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].id, dead);
    assert_int_equal(rows[0].state, STORE_OUTBOX_DEAD);
    store_outbox_free(rows, n);
    struct store_issue *v;
    assert_int_equal(store_issue_list(s, "mautic", &v, &n), 0);
    assert_int_equal(n, 0);
    store_issues_free(v, n);
    /* Ordinary transactions again, and a second preview starts clean. */
    assert_int_equal(store_begin(s), 0);
    assert_int_equal(store_commit(s), 0);
    assert_int_equal(store_preview_begin(s), 0);
    assert_int_equal(store_preview_outbox(s, &rows, &n), 0);
    assert_int_equal(n, 0);
    store_outbox_free(rows, n);
    store_preview_end(s);
    store_close(s);
}

#define LISTED_MAX 256 /* the size of outbox_order_and_holds's `listed` */

static void note_disabled(void *ud, const char *channel, int64_t at, const char *reason)
{
    char *out = ud;
    size_t o = strlen(out);
    snprintf(out + o, LISTED_MAX - o, "%s@%lld:%s;", channel, (long long)at, reason);
}

static void outbox_order_and_holds(void **state)
{
    (void)state;
    struct store *s = open_mem();
    char a[27], b[27], c[27];
    assert_int_equal(store_outbox_enqueue(s, 1000, "p", "forum", "release.announced",
                                          POLICY_AUDIENCE_PUBLIC, "r1", "{}", 2, a),
                     0);
    assert_int_equal(store_outbox_enqueue(s, 2000, "p", "forum", "release.rescheduled",
                                          POLICY_AUDIENCE_PUBLIC, "r1", "{}", 2, b),
                     0);
    assert_int_equal(store_outbox_enqueue(s, 3000, "p", "forum", "release.announced",
                                          POLICY_AUDIENCE_PUBLIC, "r2", "{}", 2, c),
                     0);
    struct store_outbox *rows;
    size_t n;
    assert_int_equal(store_outbox_claim(s, 10, 10, &rows, &n), 0);
    assert_int_equal(n, 3);
    bool older;
    assert_int_equal(store_outbox_has_older(s, &rows[0], &older), 0);
    assert_false(older);
    assert_int_equal(store_outbox_has_older(s, &rows[1], &older), 0);
    assert_true(older); /* r1's first message is still inflight */
    assert_int_equal(store_outbox_has_older(s, &rows[2], &older), 0);
    assert_false(older); /* another release */
    assert_int_equal(store_outbox_mark_sent(s, a, 10, "topic 7 post 1"), 0);
    assert_int_equal(store_outbox_has_older(s, &rows[1], &older), 0);
    assert_false(older);
    /* A held row goes back to pending with a note, attempts unchanged, due later. */
    assert_int_equal(store_outbox_unclaim(s, c, 70, "held: embargo"), 0);
    assert_int_equal(store_outbox_unclaim(s, c, 70, NULL), RC_ENOTFOUND); /* not inflight */
    store_outbox_free(rows, n);
    assert_int_equal(store_outbox_claim(s, 69, 10, &rows, &n), 0);
    assert_int_equal(n, 0);
    store_outbox_free(rows, n);
    assert_int_equal(
        store_outbox_list(s, "p", &(enum store_outbox_state){STORE_OUTBOX_PENDING}, &rows, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].last_error, "held: embargo");
    assert_int_equal(rows[0].attempts, 0);
    assert_int_equal(rows[0].next_attempt_at, 70);
    store_outbox_free(rows, n);
    char listed[LISTED_MAX] = "";
    assert_int_equal(store_channel_disable(s, "p", "forum", 5, "HTTP 401"), 0);
    assert_int_equal(store_channel_disable(s, "q", "other", 6, "HTTP 410"), 0);
    assert_int_equal(store_channel_each_disabled(s, "p", note_disabled, listed), 0);
    assert_string_equal(listed, "forum@5:HTTP 401;");
    store_close(s);
}

static void migrates_from_v1(void **state)
{
    (void)state;
    char path[] = "/tmp/relcal-store-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    /* A version-1 database written by an earlier relcal. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TABLE releases (project TEXT NOT NULL, id TEXT NOT NULL,"
                                  " kind TEXT NOT NULL, status TEXT NOT NULL, starts_at INTEGER "
                                  "NOT NULL, ends_at INTEGER NOT NULL, announce_at INTEGER,"
                                  " announced_at INTEGER, distributors_notified_at INTEGER,"
                                  " released_at INTEGER, sequence INTEGER NOT NULL DEFAULT 0,"
                                  " moved INTEGER NOT NULL DEFAULT 0, reason TEXT, override_reason"
                                  " TEXT, done INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT"
                                  " NULL, PRIMARY KEY (project, id));"
                                  "INSERT INTO releases VALUES ('p', '2027-02-09', 'scheduled',"
                                  " 'skipped', 1, 2, NULL, NULL, NULL, NULL, 1, 0, NULL, NULL, 0,"
                                  " 3);"
                                  "CREATE TABLE outbox (id TEXT PRIMARY KEY, project TEXT NOT "
                                  "NULL, channel TEXT NOT NULL, message_type TEXT NOT NULL, "
                                  "audience TEXT NOT NULL, release_id TEXT, payload BLOB NOT "
                                  "NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT "
                                  "0, next_attempt_at INTEGER NOT NULL, last_error TEXT, receipt "
                                  "TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT "
                                  "NULL);"
                                  "CREATE TABLE issues (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                                  "project TEXT NOT NULL, title TEXT NOT NULL, description TEXT, "
                                  "public_summary TEXT, status TEXT NOT NULL, severity TEXT, cve "
                                  "TEXT, ghsa TEXT, release_id TEXT, release_pinned INTEGER NOT "
                                  "NULL DEFAULT 0, reported_at INTEGER NOT NULL, acknowledged_at "
                                  "INTEGER, responded_at INTEGER, fix_ready_at INTEGER, "
                                  "released_at INTEGER, sla_extension_days INTEGER NOT NULL "
                                  "DEFAULT 0, sla_extension_reason TEXT, created_at INTEGER NOT "
                                  "NULL, updated_at INTEGER NOT NULL, FOREIGN KEY (project, "
                                  "release_id) REFERENCES releases (project, id));"
                                  "CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                                  "project TEXT NOT NULL, at INTEGER NOT NULL, actor TEXT NOT "
                                  "NULL, action TEXT NOT NULL, subject TEXT NOT NULL, detail "
                                  "TEXT, override_reason TEXT, late INTEGER NOT NULL DEFAULT 0);"
                                  "CREATE TABLE issue_branches (issue_id INTEGER NOT NULL "
                                  "REFERENCES issues (id) ON DELETE CASCADE, position INTEGER NOT "
                                  "NULL, branch TEXT NOT NULL, PRIMARY KEY (issue_id, branch));"
                                  "INSERT INTO issues (project, title, status, reported_at, "
                                  "created_at, updated_at) VALUES ('p', 'old', 'reported', 1, 1, "
                                  "1);"
                                  "INSERT INTO outbox VALUES ('01J0000000000000000000000A', 'p',"
                                  " 'hook', 'release.skipped', 'public', '2027-02-09', '{}',"
                                  " 'pending', 0, 1, NULL, NULL, 1, 1);"
                                  "PRAGMA user_version = 1;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    struct store *s;
    assert_int_equal(store_open(path, &s), 0);
    assert_int_equal(store_db_version(s), store_schema_version());
    struct store_release r;
    assert_int_equal(store_release_get(s, "p", "2027-02-09", &r), 0);
    assert_int_equal(r.core.status, POLICY_RELEASE_SKIPPED);
    /* v6: a row whose SEQUENCE rose changed publicly at its last write. */
    assert_int_equal(r.public_changed_at, 3);
    assert_false(r.versions_frozen); /* v7: rows from before have no frozen versions */
    uint8_t h[32] = {1};
    assert_int_equal(store_token_add(s, "admin", "admin", h, 5), 0); /* v2 table exists */
    size_t n;
    assert_int_equal(store_token_count(s, &n), 0);
    assert_int_equal(n, 1);
    int64_t epoch;
    /* Reading records nothing: the fallback each time until the tick records one. */
    assert_int_equal(store_project_epoch(s, "p", 7, &epoch), 0);
    assert_int_equal(epoch, 7);
    assert_int_equal(store_project_epoch(s, "p", 8, &epoch), 0);
    assert_int_equal(epoch, 8);
    assert_int_equal(store_project_epoch_record(s, "p", 42), 0);
    assert_int_equal(store_project_epoch_record(s, "p", 99), 0);
    assert_int_equal(store_project_epoch(s, "p", 8, &epoch), 0);
    assert_int_equal(epoch, 42); /* the first record wins */
    /* v3: a disabled channel's rows are held; the old row is claimed once it is enabled. */
    struct store_outbox *rows;
    assert_int_equal(store_channel_disable(s, "p", "hook", 7, "HTTP 410"), 0);
    assert_int_equal(store_channel_disable(s, "p", "hook", 8, "HTTP 404"), RC_EEXIST);
    assert_int_equal(store_outbox_claim(s, 10, 10, &rows, &n), 0);
    assert_int_equal(n, 0);
    store_outbox_free(rows, n);
    assert_int_equal(store_channel_enable(s, "p", "hook"), 0);
    assert_int_equal(store_channel_enable(s, "p", "hook"), RC_ENOTFOUND);
    assert_int_equal(store_outbox_claim(s, 10, 10, &rows, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].release_id, "2027-02-09");
    store_outbox_free(rows, n);
    /* v4: the old issue has no assessment and no checklist items yet. */
    char *assessment = (char *)"x";
    assert_int_equal(store_assessment_get(s, "p", 1, &assessment), 0);
    assert_null(assessment);
    assert_int_equal(store_assessment_set(s, "p", 1, "{\"confidence\":\"high\"}"), 0);
    assert_int_equal(store_assessment_get(s, "p", 1, &assessment), 0);
    assert_string_equal(assessment, "{\"confidence\":\"high\"}");
    free(assessment);
    assert_int_equal(store_assessment_set(s, "q", 1, "{}"), RC_ENOTFOUND); /* other project */
    assert_int_equal(store_assessment_get(s, "p", 2, &assessment), RC_ENOTFOUND);
    struct store_checklist_item *items;
    assert_int_equal(store_checklist_set(s, 1, "reproduce", "done", 5, "alice", "seen"), 0);
    assert_int_equal(store_checklist_set(s, 1, "reproduce", "open", 6, "bob", NULL),
                     0); /* upsert */
    assert_int_equal(store_checklist_set(s, 1, "affects_lts", "not_applicable", 7, "bob", "none"),
                     0);
    assert_int_equal(store_checklist_set(s, 99, "reproduce", "done", 5, "x", NULL), RC_EEXIST);
    assert_int_equal(store_checklist_list(s, "q", &items, &n), 0);
    assert_int_equal(n, 0); /* another project's */
    store_checklist_free(items, n);
    assert_int_equal(store_checklist_list(s, "p", &items, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(items[0].issue_id, 1);
    assert_string_equal(items[0].task, "affects_lts");
    assert_string_equal(items[1].state, "open");
    assert_string_equal(items[1].actor, "bob");
    assert_null(items[1].note);
    assert_int_equal(items[1].at, 6);
    store_checklist_free(items, n);
    /* v9: adoption figures, by instant (not as recorded); unknown issues refused. */
    struct store_adoption *ad;
    assert_int_equal(store_adoption_list(s, 1, &ad, &n), 0);
    assert_int_equal(n, 0);
    free(ad);
    assert_int_equal(store_adoption_add(s, 1, 0.55, 300, "alice", 400), 0);
    assert_int_equal(store_adoption_add(s, 1, 0.25, 200, "bob", 410), 0);
    assert_int_equal(store_adoption_add(s, 99, 0.5, 200, "bob", 410), RC_EEXIST);
    assert_int_equal(store_adoption_list(s, 1, &ad, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(ad[0].at, 200);
    assert_true(ad[0].share == 0.25);
    assert_string_equal(ad[0].actor, "bob");
    assert_int_equal(ad[1].recorded_at, 400);
    assert_true(ad[1].share == 0.55);
    free(ad);
    /* v10: the old issue has no credits and no advisory URL; both are written and read. */
    struct store_issue old;
    assert_int_equal(store_issue_get(s, "p", 1, &old), 0);
    assert_null(old.credits);
    assert_null(old.advisory_url);
    old.credits = strdup("[{\"name\":\"Ana\",\"role\":\"FINDER\"}]");
    old.advisory_url = strdup("https://example.org/sa/1");
    assert_int_equal(store_issue_update(s, &old), 0);
    store_issue_clear(&old);
    assert_int_equal(store_issue_get(s, "p", 1, &old), 0);
    assert_string_equal(old.credits, "[{\"name\":\"Ana\",\"role\":\"FINDER\"}]");
    assert_string_equal(old.advisory_url, "https://example.org/sa/1");
    store_issue_clear(&old);
    store_close(s);

    /* A database from a newer relcal is refused. */
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(store_open(path, &s), RC_ESTORE);
    char wal[64];
    unlink(path);
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
}

static void ulids(void **state)
{
    (void)state;
    /* Spec: the timestamp is 10 Crockford base32 characters, most significant first.
     * 1469918176385 ms encodes as 01ARYZ6S41 (the spec's example). */
    uint8_t zero[10] = {0}, ones[10];
    memset(ones, 0xff, sizeof ones);
    char id[ULID_SIZE];
    ulid_encode(1469918176385, zero, id);
    assert_memory_equal(id, "01ARYZ6S41", 10);
    assert_string_equal(id + 10, "0000000000000000");
    ulid_encode(0, ones, id);
    assert_string_equal(id, "0000000000ZZZZZZZZZZZZZZZZ");
    char a[ULID_SIZE], b[ULID_SIZE];
    ulid_new(1000, a);
    ulid_new(1000, b); /* same millisecond: still increasing */
    assert_true(strcmp(a, b) < 0);
    ulid_new(999, b);
    assert_true(strcmp(b, a) < 0); /* sorts by time */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(issues_round_trip),
        cmocka_unit_test(releases_and_rollback),
        cmocka_unit_test(audit_query_filters_and_pages),
        cmocka_unit_test(outbox_state_names),
        cmocka_unit_test(outbox_counts_by_state),
        cmocka_unit_test(outbox_states),
        cmocka_unit_test(outbox_order_and_holds),
        cmocka_unit_test(migrates_from_v1),
        cmocka_unit_test(ulids),
        cmocka_unit_test(preview_rolls_back),
        cmocka_unit_test(audit_subjects_of_actions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
