/* store/: what a whole-project tick reads: its issues (store_issue_list_live: which rows, in
 * which order, with their branches), what it reminded of them already (audit subjects by
 * prefix) and their checklist items, from SQLite in memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

#define T_NOW 1795521600 /* 2026-11-24T12:00:00Z */
#define DAY   86400

static void put_release(struct store *s, const char *id, enum policy_release_status status)
{
    struct store_release r;
    memset(&r, 0, sizeof r);
    snprintf(r.project, sizeof r.project, "%s", "mautic");
    snprintf(r.core.id, sizeof r.core.id, "%s", id);
    r.core.status = status;
    r.core.starts_at = T_NOW - 400 * DAY;
    r.core.ends_at = r.core.starts_at + 3600;
    r.core.announce_at = r.core.announced_at = r.core.distributors_notified_at =
        r.core.released_at = POLICY_TIME_NONE;
    assert_int_equal(store_release_put(s, &r), 0);
}

/* Inserts an issue titled `title` and returns its id. */
static int64_t add(struct store *s, const char *project, const char *title,
                   enum policy_issue_status status, int64_t released_at, const char *release,
                   const char *branch)
{
    struct store_issue i;
    memset(&i, 0, sizeof i);
    snprintf(i.project, sizeof i.project, "%s", project);
    i.title = strdup(title);
    i.core.status = status;
    i.core.reported_at = T_NOW - 500 * DAY;
    i.core.acknowledged_at = i.core.responded_at = i.core.fix_ready_at = POLICY_TIME_NONE;
    i.core.released_at = released_at;
    if (release)
        snprintf(i.core.release_id, sizeof i.core.release_id, "%s", release);
    i.created_at = i.updated_at = i.core.reported_at;
    if (branch) {
        snprintf(i.branch_names[0], sizeof i.branch_names[0], "%s", branch);
        i.n_branches = 1;
    }
    assert_int_equal(store_issue_insert(s, &i), 0);
    int64_t id = i.core.id;
    store_issue_clear(&i);
    return id;
}

static void live_issues(void **state)
{
    (void)state;
    struct store *s = NULL;
    assert_int_equal(store_open(":memory:", &s), 0);
    put_release(s, "old", POLICY_RELEASE_RELEASED);
    put_release(s, "legacy", POLICY_RELEASE_RELEASED);
    put_release(s, "next", POLICY_RELEASE_PLANNED);
    const int64_t after = T_NOW - 30 * DAY;
    /* Returned: */
    add(s, "mautic", "open", POLICY_ISSUE_ACKNOWLEDGED, POLICY_TIME_NONE, NULL, "5.x");
    add(s, "mautic", "in next", POLICY_ISSUE_FIX_READY, POLICY_TIME_NONE, "next", "4.x");
    add(s, "mautic", "rejected in next", POLICY_ISSUE_REJECTED, POLICY_TIME_NONE, "next", NULL);
    add(s, "mautic", "released recently", POLICY_ISSUE_RELEASED, after + 1, "old", "5.x");
    add(s, "mautic", "released, instant unknown", POLICY_ISSUE_RELEASED, POLICY_TIME_NONE, "old",
        NULL);
    add(s, "mautic", "old, legacy release", POLICY_ISSUE_RELEASED, after - DAY, "legacy", "4.x");
    /* Not returned: released at the edge or before, rejected, another project's. */
    add(s, "mautic", "released at the edge", POLICY_ISSUE_RELEASED, after, "old", "5.x");
    add(s, "mautic", "released long ago", POLICY_ISSUE_RELEASED, after - 300 * DAY, "old", "5.x");
    add(s, "mautic", "rejected", POLICY_ISSUE_REJECTED, POLICY_TIME_NONE, NULL, NULL);
    add(s, "other", "open elsewhere", POLICY_ISSUE_REPORTED, POLICY_TIME_NONE, NULL, NULL);

    static const char *const want[] = {"old, legacy release",
                                       "released, instant unknown",
                                       "released recently",
                                       "rejected in next",
                                       "in next",
                                       "open"};
    static const char *const branch[] = {"4.x", "", "5.x", "", "4.x", "5.x"};
    struct store_issue *v;
    size_t n;
    assert_int_equal(store_issue_list_live(s, "mautic", after, "[\"next\", \"legacy\"]", &v, &n),
                     0);
    assert_int_equal(n, sizeof want / sizeof *want);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(v[i].title, want[i]); /* newest first */
        assert_int_equal(v[i].n_branches, branch[i][0] ? 1 : 0);
        if (branch[i][0])
            assert_string_equal(v[i].branch_names[0], branch[i]);
    }
    store_issues_free(v, n);

    /* No release named: only what is open or recently released. */
    assert_int_equal(store_issue_list_live(s, "mautic", after, NULL, &v, &n), 0);
    assert_int_equal(n, 4);
    assert_string_equal(v[0].title, "released, instant unknown");
    assert_string_equal(v[3].title, "open");
    store_issues_free(v, n);

    /* The whole list still has every issue of the project. */
    assert_int_equal(store_issue_list(s, "mautic", &v, &n), 0);
    assert_int_equal(n, 9);
    store_issues_free(v, n);
    store_close(s);
}

static void on_subject(void *ud, const char *action, const char *subject)
{
    char(*rows)[64] = ud;
    size_t n = 0;
    while (rows[n][0])
        n++;
    snprintf(rows[n], sizeof rows[n], "%s %s", action, subject);
}

/* What a tick reminded already, for the issues it looks at only: subjects by prefix, where
 * "issue-1:" is not "issue-12:". */
static void subjects_by_prefix(void **state)
{
    (void)state;
    struct store *s = NULL;
    assert_int_equal(store_open(":memory:", &s), 0);
    static const char *const rows[][3] = {
        {"mautic", "issue.sla_breached", "issue-1:acknowledge"},
        {"mautic", "issue.task_overdue", "issue-1:publish"},
        {"mautic", "issue.sla_breached", "issue-12:acknowledge"},
        {"mautic", "issue.sla_due_soon", "issue-2:resolve+14d"},
        {"mautic", "issue.create", "issue-2:x"}, /* another action */
        {"other", "issue.sla_breached", "issue-2:acknowledge"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        assert_int_equal(store_audit_append(s, rows[i][0], (int64_t)i, "scheduler", rows[i][1],
                                            rows[i][2], NULL, NULL, false),
                         0);
    const char *actions[] = {"issue.sla_breached", "issue.sla_due_soon", "issue.task_overdue"};
    char got[8][64];
    memset(got, 0, sizeof got);
    assert_int_equal(store_audit_subjects(s, "mautic", actions, 3, "[\"issue-1:\", \"issue-2:\"]",
                                          on_subject, got),
                     0);
    qsort(got, 3, sizeof got[0], (int (*)(const void *, const void *))strcmp);
    assert_string_equal(got[0], "issue.sla_breached issue-1:acknowledge");
    assert_string_equal(got[1], "issue.sla_due_soon issue-2:resolve+14d");
    assert_string_equal(got[2], "issue.task_overdue issue-1:publish");
    assert_string_equal(got[3], "");
    memset(got, 0, sizeof got);
    assert_int_equal(store_audit_subjects(s, "mautic", actions, 3, "[]", on_subject, got), 0);
    assert_string_equal(got[0], "");
    assert_int_equal(store_audit_subjects(s, "mautic", actions, 3, NULL, on_subject, got), 0);
    assert_true(got[3][0] != '\0'); /* no prefixes: the four rows of the actions */
    assert_string_equal(got[4], "");
    store_close(s);
}

/* The checklist items of some issues only: those listed, of the project asked. */
static void items_of_issues(void **state)
{
    (void)state;
    struct store *s = NULL;
    assert_int_equal(store_open(":memory:", &s), 0);
    int64_t a = add(s, "mautic", "a", POLICY_ISSUE_ACKNOWLEDGED, POLICY_TIME_NONE, NULL, NULL);
    int64_t b = add(s, "mautic", "b", POLICY_ISSUE_ACKNOWLEDGED, POLICY_TIME_NONE, NULL, NULL);
    int64_t c = add(s, "other", "c", POLICY_ISSUE_ACKNOWLEDGED, POLICY_TIME_NONE, NULL, NULL);
    assert_int_equal(store_checklist_set(s, a, "reproduce", "done", 1, "x", NULL), 0);
    assert_int_equal(store_checklist_set(s, b, "reproduce", "done", 2, "x", NULL), 0);
    assert_int_equal(store_checklist_set(s, b, "affects_lts", "open", 3, "x", NULL), 0);
    assert_int_equal(store_checklist_set(s, c, "reproduce", "done", 4, "x", NULL), 0);
    char ids[64];
    snprintf(ids, sizeof ids, "[%lld, %lld]", (long long)c, (long long)b);
    struct store_checklist_item *v;
    size_t n;
    assert_int_equal(store_checklist_list_of(s, "mautic", ids, &v, &n), 0);
    assert_int_equal(n, 2); /* b's two; c is another project's, a not asked for */
    assert_int_equal(v[0].issue_id, b);
    assert_string_equal(v[0].task, "affects_lts");
    assert_string_equal(v[1].task, "reproduce");
    store_checklist_free(v, n);
    assert_int_equal(store_checklist_list_of(s, "mautic", "[]", &v, &n), 0);
    assert_int_equal(n, 0);
    store_checklist_free(v, n);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(live_issues),
        cmocka_unit_test(subjects_by_prefix),
        cmocka_unit_test(items_of_issues),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
