/* policy/due: one row per due rule of docs/POLICY.md, with the events expected written out by
 * hand (instants from the worked example of test_policy_rules.c: the 2027-02-09 window, cut-off,
 * pre-announcement and distributor notice a week before at 13:00 UTC). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "policy/due.h"
#include "policy/rules.h"

#define T_START  1802178000 /* 2027-02-09T13:00:00Z */
#define T_CUTOFF 1801573200 /* 2027-02-02T13:00:00Z: also announce and notice */
#define T_REMIND 1802091600 /* 2027-02-08T13:00:00Z */
#define T_EPOCH  1795521600 /* 2026-11-24T12:00:00Z */
#define HOUR     3600
#define NONE     POLICY_TIME_NONE
#define END      (-1)

enum { S = POLICY_RELEASE_SCHEDULED, O = POLICY_RELEASE_OUT_OF_SEQUENCE };
enum {
    PLANNED = POLICY_RELEASE_PLANNED,
    ANNOUNCED = POLICY_RELEASE_ANNOUNCED,
    RELEASED = POLICY_RELEASE_RELEASED,
    SKIPPED = POLICY_RELEASE_SKIPPED,
    CANCELLED = POLICY_RELEASE_CANCELLED,
};
enum {
    SKIP = POLICY_DUE_SKIP,
    CUT = POLICY_DUE_CUTOFF,
    ANN = POLICY_DUE_ANNOUNCE,
    ANN_SKIP = POLICY_DUE_ANNOUNCE_SKIPPED,
    NOTICE = POLICY_DUE_DISTRIBUTOR_NOTICE,
    REMIND = POLICY_DUE_REMINDER,
    DAYOF = POLICY_DUE_RELEASE_DAY,
    OVERDUE = POLICY_DUE_OVERDUE,
};
enum { FIXED = POLICY_ISSUE_FIX_READY, CONFIRMED = POLICY_ISSUE_CONFIRMED };

struct row {
    const char *name;
    int kind, status;
    uint32_t done;
    bool notified;
    int issues[4]; /* statuses of the attached issues, END-terminated */
    int64_t now;
    int expect[POLICY_DUE_EVENTS_MAX + 1]; /* event kinds, END-terminated */
    int64_t next;
    int status_after;
};

static const struct row rows[] = {
    {"a week before the cut-off: nothing yet, wake at the cut-off",
     S,
     PLANNED,
     0,
     false,
     {FIXED, END},
     T_CUTOFF - 7 * 86400,
     {END},
     T_CUTOFF,
     PLANNED},
    {"the cut-off second itself: a fix may still join, judge after it",
     S,
     PLANNED,
     0,
     false,
     {END},
     T_CUTOFF,
     {END},
     T_CUTOFF + 1,
     PLANNED},
    {"cut-off passed, empty window: skipped and announced as skipped",
     S,
     PLANNED,
     0,
     false,
     {END},
     T_CUTOFF + 1,
     {SKIP, ANN_SKIP, END},
     NONE,
     SKIPPED},
    {"cut-off passed with a fix: announced, distributors notified",
     S,
     PLANNED,
     0,
     false,
     {FIXED, END},
     T_CUTOFF + 1,
     {CUT, ANN, NOTICE, END},
     T_REMIND,
     ANNOUNCED},
    {"a scheduled window with only an unfixed issue ships nothing",
     S,
     PLANNED,
     0,
     false,
     {CONFIRMED, END},
     T_CUTOFF + 1,
     {SKIP, ANN_SKIP, END},
     NONE,
     SKIPPED},
    {"skipped and announced: done",
     S,
     SKIPPED,
     POLICY_DONE_CUTOFF | POLICY_DONE_ANNOUNCE,
     false,
     {END},
     T_START + 86400,
     {END},
     NONE,
     SKIPPED},
    {"skipped before the announcement was sent: it is still owed",
     S,
     SKIPPED,
     POLICY_DONE_CUTOFF,
     false,
     {END},
     T_CUTOFF + 10,
     {ANN_SKIP, END},
     NONE,
     SKIPPED},
    {"down for the whole week: everything, in order",
     S,
     PLANNED,
     0,
     false,
     {FIXED, END},
     T_START + 7 * HOUR,
     {CUT, ANN, NOTICE, REMIND, DAYOF, OVERDUE, END},
     NONE,
     ANNOUNCED},
    {"reminder time",
     S,
     ANNOUNCED,
     POLICY_DONE_CUTOFF | POLICY_DONE_ANNOUNCE,
     true,
     {FIXED, END},
     T_REMIND,
     {REMIND, END},
     T_START,
     ANNOUNCED},
    {"release day, reminder sent",
     S,
     ANNOUNCED,
     POLICY_DONE_CUTOFF | POLICY_DONE_ANNOUNCE | POLICY_DONE_REMINDER,
     true,
     {FIXED, END},
     T_START,
     {DAYOF, END},
     T_START + POLICY_OVERDUE_AFTER,
     ANNOUNCED},
    {"overdue, 6 h after with no publish",
     S,
     ANNOUNCED,
     POLICY_DONE_CUTOFF | POLICY_DONE_ANNOUNCE | POLICY_DONE_REMINDER | POLICY_DONE_DUE,
     true,
     {FIXED, END},
     T_START + POLICY_OVERDUE_AFTER,
     {OVERDUE, END},
     NONE,
     ANNOUNCED},
    {"out of sequence, fix not ready: distributors are notified at notice time",
     O,
     ANNOUNCED,
     0,
     false,
     {CONFIRMED, END},
     T_CUTOFF,
     {NOTICE, END},
     T_REMIND,
     ANNOUNCED},
    {"out of sequence before its notice time",
     O,
     ANNOUNCED,
     0,
     false,
     {CONFIRMED, END},
     T_CUTOFF - 1,
     {END},
     T_CUTOFF,
     ANNOUNCED},
    {"out of sequence without issues: no notice, no reminder",
     O,
     ANNOUNCED,
     0,
     false,
     {END},
     T_START,
     {DAYOF, END},
     T_START + POLICY_OVERDUE_AFTER,
     ANNOUNCED},
    {"a window whose cut-off predates the project's epoch is history",
     S,
     PLANNED,
     0,
     false,
     {FIXED, END},
     T_START + 86400 * 400,
     {END},
     NONE,
     PLANNED},
    {"released: nothing more",
     S,
     RELEASED,
     POLICY_DONE_CUTOFF | POLICY_DONE_ANNOUNCE,
     true,
     {FIXED, END},
     T_START + 86400,
     {END},
     NONE,
     RELEASED},
    {"cancelled: nothing more",
     O,
     CANCELLED,
     0,
     true,
     {FIXED, END},
     T_START + 86400,
     {END},
     NONE,
     CANCELLED},
    {"announced without the cut-off bit (older rows): the notice is not blocked",
     S,
     ANNOUNCED,
     POLICY_DONE_ANNOUNCE,
     false,
     {FIXED, END},
     T_CUTOFF + 5,
     {NOTICE, END},
     T_REMIND,
     ANNOUNCED},
};

static void due_rows(void **state)
{
    (void)state;
    struct policy_rules rules;
    policy_rules_defaults(&rules);
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        const struct row *w = &rows[k];
        struct policy_release rel;
        memset(&rel, 0, sizeof rel);
        snprintf(rel.id, sizeof rel.id, "%s", w->kind == S ? "2027-02-09" : "oos-1");
        rel.kind = (enum policy_release_kind)w->kind;
        rel.status = (enum policy_release_status)w->status;
        rel.starts_at = T_START;
        rel.ends_at = T_START + 7200;
        rel.announced_at = rel.released_at = NONE;
        policy_release_derive(&rules, &rel);
        if (w->kind == O)
            rel.announce_at = rel.announced_at = T_EPOCH;
        rel.distributors_notified_at = w->notified ? T_CUTOFF : NONE;
        struct policy_issue issues[4];
        size_t n = 0;
        for (; w->issues[n] != END; n++) {
            memset(&issues[n], 0, sizeof issues[n]);
            issues[n].status = (enum policy_issue_status)w->issues[n];
        }
        /* The epoch row uses a later epoch; the others the day tracking began. */
        int64_t epoch = w->now > T_START + 86400 * 300 ? T_START + 86400 * 300 : T_EPOCH;
        struct policy_due_release in = {
            .rel = &rel, .done = w->done, .issues = issues, .n_issues = n, .epoch = epoch};
        struct policy_due_event ev[POLICY_DUE_EVENTS_MAX];
        int64_t next = NONE;
        size_t got = policy_due_release(&in, w->now, ev, &next);
        print_message("row: %s\n", w->name);
        size_t want = 0;
        while (w->expect[want] != END)
            want++;
        assert_int_equal(got, want);
        for (size_t i = 0; i < got; i++)
            assert_int_equal(ev[i].kind, w->expect[i]);
        assert_int_equal(next, w->next);
        uint32_t done = w->done;
        for (size_t i = 0; i < got; i++)
            policy_due_apply(&rel, &done, &ev[i], w->now);
        assert_int_equal(rel.status, w->status_after);
        /* Applied, nothing is due again at the same instant. */
        int64_t again = NONE;
        in.done = done;
        assert_int_equal(policy_due_release(&in, w->now, ev, &again), 0);
    }
}

/* Late means applied more than a minute after the instant. */
static void late_marking(void **state)
{
    (void)state;
    assert_false(policy_due_late(T_CUTOFF, T_CUTOFF + 60));
    assert_true(policy_due_late(T_CUTOFF, T_CUTOFF + 61));
    struct policy_rules rules;
    policy_rules_defaults(&rules);
    struct policy_release rel;
    memset(&rel, 0, sizeof rel);
    rel.starts_at = T_START;
    rel.ends_at = T_START + 7200;
    rel.announced_at = rel.released_at = rel.distributors_notified_at = NONE;
    policy_release_derive(&rules, &rel);
    struct policy_issue fix = {.status = POLICY_ISSUE_FIX_READY};
    struct policy_due_release in = {.rel = &rel, .issues = &fix, .n_issues = 1, .epoch = T_EPOCH};
    struct policy_due_event ev[POLICY_DUE_EVENTS_MAX];
    int64_t next = NONE;
    size_t n = policy_due_release(&in, T_START + 30, ev, &next);
    assert_int_equal(n, 5); /* cut-off, announce, notice, reminder: late; release day: on time */
    for (size_t i = 0; i < 4; i++)
        assert_true(ev[i].late);
    assert_int_equal(ev[4].kind, POLICY_DUE_RELEASE_DAY);
    assert_int_equal(ev[4].at, T_START);
    assert_false(ev[4].late);
    assert_int_equal(ev[2].at, T_CUTOFF);
    assert_int_equal(ev[3].at, T_REMIND);
}

/* An out-of-sequence release created after its notice time (an admin override, five days
 * ahead) notifies distributors at creation, on time, not "late" by two days. */
static void out_of_sequence_created_late(void **state)
{
    (void)state;
    struct policy_rules rules;
    policy_rules_defaults(&rules);
    struct policy_release rel;
    memset(&rel, 0, sizeof rel);
    rel.kind = POLICY_RELEASE_OUT_OF_SEQUENCE;
    rel.status = POLICY_RELEASE_ANNOUNCED;
    rel.starts_at = T_START;
    rel.ends_at = T_START + 7200;
    rel.released_at = rel.distributors_notified_at = NONE;
    policy_release_derive(&rules, &rel);
    int64_t created = T_START - 5 * 86400;
    rel.announce_at = rel.announced_at = created;
    struct policy_issue fix = {.status = POLICY_ISSUE_ACKNOWLEDGED};
    struct policy_due_release in = {.rel = &rel, .issues = &fix, .n_issues = 1, .epoch = T_EPOCH};
    struct policy_due_event ev[POLICY_DUE_EVENTS_MAX];
    int64_t next = NONE;
    assert_int_equal(policy_due_release(&in, created, ev, &next), 1);
    assert_int_equal(ev[0].kind, POLICY_DUE_DISTRIBUTOR_NOTICE);
    assert_int_equal(ev[0].at, created);
    assert_false(ev[0].late);
    assert_int_equal(next, T_REMIND);
    /* The release itself is unchanged: derived instants are the policy's. */
    assert_int_equal(rel.distributor_notice_at, T_CUTOFF);
}

/* Who hears of each event: the table of docs/POLICY.md "What goes out, when, to whom". */
static void audiences(void **state)
{
    (void)state;
    enum {
        P = 1u << POLICY_AUDIENCE_PUBLIC,
        D = 1u << POLICY_AUDIENCE_DISTRIBUTORS,
        T = 1u << POLICY_AUDIENCE_TEAM
    };
    static const unsigned want[POLICY_DUE_KIND_COUNT] = {
        [SKIP] = 0,       [CUT] = 0,    [ANN] = P | T, [ANN_SKIP] = P | T,
        [NOTICE] = D | T, [REMIND] = D, [DAYOF] = T,   [OVERDUE] = T,
    };
    for (int k = 0; k < POLICY_DUE_KIND_COUNT; k++)
        assert_int_equal(policy_due_audiences((enum policy_due_kind)k), want[k]);
    assert_int_equal(policy_due_audiences(POLICY_DUE_KIND_COUNT), 0);
}

static void names(void **state)
{
    (void)state;
    assert_string_equal(policy_due_message(POLICY_DUE_ANNOUNCE_SKIPPED), "release.skipped");
    assert_string_equal(policy_due_message(POLICY_DUE_DISTRIBUTOR_NOTICE),
                        "release.distributor_notice");
    assert_null(policy_due_message(POLICY_DUE_CUTOFF));
    assert_string_equal(policy_due_action(POLICY_DUE_SKIP), "release.skip");
    assert_null(policy_due_action(POLICY_DUE_ANNOUNCE_SKIPPED));
    assert_null(policy_due_message(POLICY_DUE_KIND_COUNT));
    struct policy_issue i = {.status = POLICY_ISSUE_CONFIRMED};
    assert_true(policy_issue_fix_missing(&i));
    i.status = POLICY_ISSUE_FIX_READY;
    assert_false(policy_issue_fix_missing(&i));
    i.status = POLICY_ISSUE_REJECTED;
    assert_false(policy_issue_fix_missing(&i));
    /* The CVE reminder at the notice: recommended (CVSS 9.8 >= 4.0), not rejected, no CVE. */
    struct policy_rules rules;
    policy_rules_defaults(&rules);
    struct policy_issue c = {.status = POLICY_ISSUE_FIX_READY, .has_severity = true};
    assert_int_equal(
        policy_severity_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", &c.severity, NULL, 0),
        0);
    assert_true(policy_issue_cve_missing(&rules, &c));
    c.has_cve = true;
    assert_false(policy_issue_cve_missing(&rules, &c));
    c.has_cve = false;
    c.status = POLICY_ISSUE_REJECTED;
    assert_false(policy_issue_cve_missing(&rules, &c));
    c.status = POLICY_ISSUE_CONFIRMED;
    assert_int_equal(
        policy_severity_score("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:L", &c.severity, NULL, 0),
        0); /* 1.6: below 4.0, no CVE asked for */
    assert_false(policy_issue_cve_missing(&rules, &c));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(due_rows),
        cmocka_unit_test(late_marking),
        cmocka_unit_test(out_of_sequence_created_late),
        cmocka_unit_test(audiences),
        cmocka_unit_test(names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
