/* policy/rules: the worked numbers of docs/POLICY.md (instants computed by hand and checked with
 * Python's datetime), batching at the cut-off boundary, notice and embargo refusals, versions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "policy/lifecycle.h"
#include "policy/rules.h"

#define T_START  1802178000 /* 2027-02-09T13:00:00Z */
#define T_CUTOFF 1801573200 /* 2027-02-02T13:00:00Z */
#define T_REMIND 1802091600 /* 2027-02-08T13:00:00Z */
#define T_REPORT 1799571600 /* 2027-01-10T09:00:00Z */
#define T_NOW    1795521600 /* 2026-11-24T12:00:00Z */
#define DAY      86400

static struct policy_rules defaults(void)
{
    struct policy_rules r;
    policy_rules_defaults(&r);
    return r;
}

static struct policy_release release(const char *id, int64_t start)
{
    struct policy_rules r = defaults();
    struct policy_release rel;
    memset(&rel, 0, sizeof rel);
    snprintf(rel.id, sizeof rel.id, "%s", id);
    rel.starts_at = start;
    rel.ends_at = start + 7200;
    rel.announced_at = rel.distributors_notified_at = rel.released_at = POLICY_TIME_NONE;
    policy_release_derive(&r, &rel);
    return rel;
}

static struct policy_issue issue(void)
{
    struct policy_issue i;
    memset(&i, 0, sizeof i);
    i.reported_at = T_REPORT;
    i.acknowledged_at = i.responded_at = i.fix_ready_at = i.released_at = POLICY_TIME_NONE;
    return i;
}

static void derived_instants(void **state)
{
    (void)state;
    struct policy_release rel = release("2027-02-09", T_START);
    assert_int_equal(rel.cutoff_at, T_CUTOFF);
    assert_int_equal(rel.announce_at, T_CUTOFF);
    assert_int_equal(rel.distributor_notice_at, T_CUTOFF);
    assert_int_equal(rel.reminder_at, T_REMIND);
    assert_false(policy_release_locked(&rel));
    rel.distributors_notified_at = T_CUTOFF;
    assert_true(policy_release_locked(&rel));
    /* An out-of-sequence release keeps the announce_at its creator gave it. */
    struct policy_rules r = defaults();
    rel.kind = POLICY_RELEASE_OUT_OF_SEQUENCE;
    rel.announce_at = 42;
    policy_release_derive(&r, &rel);
    assert_int_equal(rel.announce_at, 42);
}

static void sla_deadlines(void **state)
{
    (void)state;
    struct policy_rules r = defaults();
    struct policy_issue i = issue();
    struct policy_sla_deadlines d;
    policy_issue_sla(&r, &i, T_REPORT + 3600, &d);
    assert_int_equal(d.d[POLICY_SLA_ACKNOWLEDGE].due, 1799658000); /* 2027-01-11T09:00Z */
    assert_int_equal(d.d[POLICY_SLA_RESPOND].due, 1800176400);     /* 2027-01-17T09:00Z */
    assert_int_equal(d.d[POLICY_SLA_RESOLVE].due, 1801386000);     /* 2027-01-31T09:00Z */
    assert_int_equal(d.d[POLICY_SLA_ACKNOWLEDGE].due_soon, 1799658000 - 6 * 3600);
    assert_false(d.d[POLICY_SLA_ACKNOWLEDGE].breached);
    /* Extended by 14 days with a reason. */
    i.sla_extension_days = 14;
    policy_issue_sla(&r, &i, T_REPORT, &d);
    assert_int_equal(d.d[POLICY_SLA_RESOLVE].due, 1802595600); /* 2027-02-14T09:00Z */
    /* Late acknowledgement is a breach even after it happened; on time is not. */
    i.acknowledged_at = 1799658000 + 1;
    policy_issue_sla(&r, &i, T_REPORT + 30 * DAY, &d);
    assert_true(d.d[POLICY_SLA_ACKNOWLEDGE].breached);
    i.acknowledged_at = 1799658000;
    i.responded_at = 1800176400;
    i.fix_ready_at = 1801386000;
    policy_issue_sla(&r, &i, T_REPORT + 60 * DAY, &d);
    assert_false(d.d[POLICY_SLA_ACKNOWLEDGE].breached);
    assert_false(d.d[POLICY_SLA_RESPOND].breached);
    assert_false(d.d[POLICY_SLA_RESOLVE].breached);
    /* Open and past due. */
    i = issue();
    policy_issue_sla(&r, &i, 1800176400 + 1, &d);
    assert_true(d.d[POLICY_SLA_ACKNOWLEDGE].breached);
    assert_true(d.d[POLICY_SLA_RESPOND].breached);
    assert_false(d.d[POLICY_SLA_RESOLVE].breached);
    assert_string_equal(policy_sla_name(POLICY_SLA_RESPOND), "respond");
}

/* docs/POLICY.md "Response deadlines": a rejection is a response to every deadline it meets in
 * time, the acknowledgement included. */
static void rejection_meets_acknowledge(void **state)
{
    (void)state;
    struct policy_rules r = defaults();
    const struct {
        int64_t rejected_at;
        bool ack_breached;
    } cases[] = {
        {T_REPORT + 3600, false},         /* an hour after the report */
        {T_REPORT + 24 * 3600, false},    /* at the deadline */
        {T_REPORT + 24 * 3600 + 1, true}, /* a second late */
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct policy_issue i = issue();
        assert_int_equal(
            policy_issue_apply_transition(&i, POLICY_ISSUE_REJECTED, cases[k].rejected_at), 0);
        struct policy_sla_deadlines d;
        policy_issue_sla(&r, &i, T_REPORT + 60 * DAY, &d);
        assert_int_equal(d.d[POLICY_SLA_ACKNOWLEDGE].met_at, cases[k].rejected_at);
        assert_int_equal(d.d[POLICY_SLA_ACKNOWLEDGE].breached, cases[k].ack_breached);
        assert_false(d.d[POLICY_SLA_RESPOND].breached);
        assert_false(d.d[POLICY_SLA_RESOLVE].breached);
    }
    /* Acknowledged, then rejected: the acknowledgement is what met that deadline. */
    struct policy_issue i = issue();
    assert_int_equal(policy_issue_apply_transition(&i, POLICY_ISSUE_ACKNOWLEDGED, T_REPORT + 60),
                     0);
    assert_int_equal(policy_issue_apply_transition(&i, POLICY_ISSUE_REJECTED, T_REPORT + 9 * DAY),
                     0);
    struct policy_sla_deadlines d;
    policy_issue_sla(&r, &i, T_REPORT + 60 * DAY, &d);
    assert_int_equal(d.d[POLICY_SLA_ACKNOWLEDGE].met_at, T_REPORT + 60);
    assert_false(d.d[POLICY_SLA_ACKNOWLEDGE].breached);
    assert_true(d.d[POLICY_SLA_RESPOND].breached); /* its response came after 7 days */
}

/* Extensions: capped in total; one granted after a breach keeps it (resolve_missed_due). */
static void extensions(void **state)
{
    (void)state;
    struct policy_rules r = defaults();
    const int64_t due = 1801386000; /* 2027-01-31T09:00Z */
    const struct {
        int already, add;
        int64_t now;
        int rc;
        int64_t missed; /* 0: none */
        int64_t new_due;
    } cases[] = {
        {0, 14, T_REPORT, 0, 0, due + 14 * DAY},           /* before the deadline */
        {0, 14, due, 0, 0, due + 14 * DAY},                /* at it: not yet breached */
        {0, 14, due + 1, 0, due, due + 14 * DAY},          /* after it: the breach stays */
        {0, 1, due + 5 * DAY, 0, due, due + 1 * DAY},      /* too short to help */
        {80, 10, T_REPORT, 0, 0, due + 90 * DAY},          /* up to the cap */
        {80, 11, T_REPORT, RC_EPOLICY, 0, due + 80 * DAY}, /* past it */
        {90, 1, T_REPORT, RC_EPOLICY, 0, due + 90 * DAY},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct policy_issue i = issue();
        i.status = POLICY_ISSUE_CONFIRMED;
        i.acknowledged_at = i.responded_at = T_REPORT;
        i.sla_extension_days = cases[k].already;
        char why[160] = "";
        assert_int_equal(policy_sla_extend(&r, &i, cases[k].add, cases[k].now, why, sizeof why),
                         cases[k].rc);
        if (cases[k].rc)
            assert_non_null(strstr(why, "90"));
        assert_int_equal(i.sla_resolve_missed_due, cases[k].missed);
        struct policy_sla_deadlines d;
        policy_issue_sla(&r, &i, cases[k].now, &d);
        assert_int_equal(d.d[POLICY_SLA_RESOLVE].due, cases[k].new_due);
        assert_int_equal(d.d[POLICY_SLA_RESOLVE].breached,
                         cases[k].missed != 0 || cases[k].now > cases[k].new_due);
        assert_int_equal(d.d[POLICY_SLA_RESOLVE].missed_due, cases[k].missed);
    }
    /* A second extension after a second breach keeps the first missed deadline. */
    struct policy_issue i = issue();
    i.status = POLICY_ISSUE_CONFIRMED;
    assert_int_equal(policy_sla_extend(&r, &i, 7, due + DAY, NULL, 0), 0);
    assert_int_equal(policy_sla_extend(&r, &i, 7, due + 8 * DAY, NULL, 0), 0);
    assert_int_equal(i.sla_resolve_missed_due, due);
    /* Resolved late, then extended: still a breach. */
    i = issue();
    i.fix_ready_at = due + DAY;
    assert_int_equal(policy_sla_extend(&r, &i, 7, due + 2 * DAY, NULL, 0), 0);
    struct policy_sla_deadlines d;
    policy_issue_sla(&r, &i, due + 2 * DAY, &d);
    assert_true(d.d[POLICY_SLA_RESOLVE].breached);
    /* A cap of 0 allows no extension. */
    r.sla_extension_max_days = 0;
    i = issue();
    assert_int_equal(policy_sla_extend(&r, &i, 1, T_REPORT, NULL, 0), RC_EPOLICY);
}

/* The reminders that fall due (docs/POLICY.md "Response deadlines"): due-soon and breach of each
 * open deadline, keyed by a subject that names the extension so an extended deadline gets its
 * own reminders. */
static void reminders(void **state)
{
    (void)state;
    struct policy_rules r = defaults();
    struct policy_issue i = issue();
    i.id = 7;
    struct policy_sla_event ev[POLICY_SLA_EVENTS_MAX];
    int64_t next = POLICY_TIME_NONE;
    /* Backdated: everything past. */
    size_t n = policy_sla_events(&r, &i, T_REPORT + 40 * DAY, ev, &next);
    assert_int_equal(n, 6);
    const struct {
        enum policy_sla_kind kind;
        bool breach;
        int64_t at;
        const char *subject;
    } want[] = {
        {POLICY_SLA_ACKNOWLEDGE, false, 1799658000 - 6 * 3600, "issue-7:acknowledge"},
        {POLICY_SLA_ACKNOWLEDGE, true, 1799658000, "issue-7:acknowledge"},
        {POLICY_SLA_RESPOND, false, 1800176400 - 42 * 3600, "issue-7:respond"},
        {POLICY_SLA_RESPOND, true, 1800176400, "issue-7:respond"},
        {POLICY_SLA_RESOLVE, false, 1801386000 - 126 * 3600, "issue-7:resolve"},
        {POLICY_SLA_RESOLVE, true, 1801386000, "issue-7:resolve"},
    };
    for (size_t k = 0; k < n; k++) {
        assert_int_equal(ev[k].kind, want[k].kind);
        assert_int_equal(ev[k].breach, want[k].breach);
        assert_int_equal(ev[k].at, want[k].at);
        assert_string_equal(ev[k].subject, want[k].subject);
    }
    assert_int_equal(next, POLICY_TIME_NONE);
    /* Extended: the resolve deadline's subject names the extension. */
    i.acknowledged_at = i.responded_at = T_REPORT;
    i.sla_extension_days = 14;
    next = POLICY_TIME_NONE;
    n = policy_sla_events(&r, &i, 1802595600 + 1, ev, &next);
    assert_int_equal(n, 2);
    assert_string_equal(ev[0].subject, "issue-7:resolve+14d");
    assert_int_equal(ev[0].at, 1802595600 - 35 * DAY / 4);
    assert_int_equal(ev[1].at, 1802595600);
    assert_true(ev[1].breach);
    /* Nothing due yet: the next instant. */
    next = POLICY_TIME_NONE;
    n = policy_sla_events(&r, &i, T_REPORT + DAY, ev, &next);
    assert_int_equal(n, 0);
    assert_int_equal(next, 1802595600 - 35 * DAY / 4);
    /* Rejected or released issues have no reminders. */
    i.status = POLICY_ISSUE_REJECTED;
    assert_int_equal(policy_sla_events(&r, &i, T_REPORT + 90 * DAY, ev, &next), 0);
}

/* Which reminders one message lists: a due-soon sent together with its own breach is left out
 * (docs/POLICY.md "Response deadlines"); one sent alone, or with another deadline's breach, is
 * listed. */
static void listed_reminders(void **state)
{
    (void)state;
    const struct policy_sla_event ev[] = {
        {.kind = POLICY_SLA_ACKNOWLEDGE, .breach = false},
        {.kind = POLICY_SLA_ACKNOWLEDGE, .breach = true},
        {.kind = POLICY_SLA_RESPOND, .breach = false},
        {.kind = POLICY_SLA_RESPOND, .breach = true},
        {.kind = POLICY_SLA_RESOLVE, .breach = false},
    };
    static const struct {
        bool sent[5];
        const char *listed; /* indices */
    } cases[] = {
        {{true, true, true, true, true}, "134"},
        {{true, false, true, false, false}, "02"}, /* the breaches were sent before */
        {{false, true, true, false, true}, "124"},
        {{true, true, false, true, false}, "13"},
        {{false, false, false, false, false}, ""},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        size_t out[5];
        size_t n = policy_sla_listed(ev, cases[c].sent, 5, out);
        char got[6] = "";
        for (size_t k = 0; k < n; k++)
            got[k] = (char)('0' + out[k]);
        if (strcmp(got, cases[c].listed) != 0)
            fail_msg("case %zu: listed %s, expected %s", c, got, cases[c].listed);
    }
}

static void batching(void **state)
{
    (void)state;
    struct policy_release rels[3] = {
        release("2027-05-11", 1810036800),
        release("2027-02-09", T_START),
        release("oos-1", T_START - 10 * DAY),
    };
    rels[2].kind = POLICY_RELEASE_OUT_OF_SEQUENCE;
    struct policy_issue i = issue();
    size_t idx;
    assert_int_equal(policy_batch_select(&i, rels, 3, &idx), RC_ENOTFOUND); /* not ready */
    i.fix_ready_at = T_CUTOFF; /* exactly at the cut-off: joins */
    assert_int_equal(policy_batch_select(&i, rels, 3, &idx), 0);
    assert_string_equal(rels[idx].id, "2027-02-09");
    i.fix_ready_at = T_CUTOFF + 1; /* one second late: the next window */
    assert_int_equal(policy_batch_select(&i, rels, 3, &idx), 0);
    assert_string_equal(rels[idx].id, "2027-05-11");
    i.fix_ready_at = T_CUTOFF;
    rels[1].status = POLICY_RELEASE_SKIPPED;
    assert_int_equal(policy_batch_select(&i, rels, 3, &idx), 0);
    assert_string_equal(rels[idx].id, "2027-05-11");
    rels[0].status = POLICY_RELEASE_CANCELLED;
    assert_int_equal(policy_batch_select(&i, rels, 3, &idx), RC_ENOTFOUND);
}

static void out_of_sequence(void **state)
{
    (void)state;
    struct policy_rules r = defaults();
    struct policy_issue is[2] = {issue(), issue()};
    is[0].has_severity = true;
    is[0].severity.level = POLICY_LEVEL_MEDIUM;
    struct policy_refusal why;
    /* 14 days' notice: 2026-12-08T12:00Z is the earliest. */
    assert_int_equal(policy_oos_check(&r, T_NOW, 1796731200 - 1, is, 2, &why), RC_EPOLICY);
    assert_string_equal(why.code, "insufficient_notice");
    assert_int_equal(why.limit, 1796731200);
    assert_non_null(strstr(why.message, "2026-12-08T12:00:00Z"));
    assert_int_equal(policy_oos_check(&r, T_NOW, 1796731200, is, 2, &why), RC_EPOLICY);
    assert_string_equal(why.code, "severity_below_threshold");
    assert_int_equal(why.highest, POLICY_LEVEL_MEDIUM);
    assert_int_equal(why.required, POLICY_LEVEL_CRITICAL);
    is[1].has_severity = true;
    is[1].severity.level = POLICY_LEVEL_CRITICAL;
    assert_int_equal(policy_oos_check(&r, T_NOW, 1796731200, is, 2, &why), 0);
    /* No severity at all never reaches the threshold. */
    struct policy_issue none = issue();
    assert_int_equal(policy_oos_check(&r, T_NOW, 1796731200, &none, 1, &why), RC_EPOLICY);
}

static void moves(void **state)
{
    (void)state;
    struct policy_rules r = defaults();
    struct policy_release rel = release("2027-02-09", T_START);
    struct policy_refusal why;
    /* Earlier needs 14 days from now. */
    assert_int_equal(policy_move_check(&r, 1800968400, &rel, T_START - DAY, &why), RC_EPOLICY);
    assert_string_equal(why.code, "insufficient_notice");
    assert_int_equal(policy_move_check(&r, T_NOW, &rel, T_START - DAY, &why), 0);
    /* Later after the notice: at most 14 days after the notice was sent. */
    rel.distributors_notified_at = T_CUTOFF;
    assert_int_equal(policy_move_check(&r, T_CUTOFF, &rel, T_CUTOFF + 14 * DAY, &why), 0);
    assert_int_equal(policy_move_check(&r, T_CUTOFF, &rel, T_CUTOFF + 14 * DAY + 1, &why),
                     RC_EPOLICY);
    assert_string_equal(why.code, "embargo_too_long");
    assert_int_equal(why.limit, 1802782800); /* 2027-02-16T13:00Z */
    rel.status = POLICY_RELEASE_RELEASED;
    assert_int_equal(policy_move_check(&r, T_NOW, &rel, T_START + DAY, &why), RC_ETRANSITION);
}

static void versions(void **state)
{
    (void)state;
    char out[POLICY_ID_MAX];
    assert_int_equal(policy_version_bump("5.1.2", out), 0);
    assert_string_equal(out, "5.1.3");
    assert_int_equal(policy_version_bump("4.4.12", out), 0);
    assert_string_equal(out, "4.4.13");
    assert_int_equal(policy_version_bump("9", out), 0);
    assert_string_equal(out, "10");
    assert_int_equal(policy_version_bump("5.1.2-rc1", out), RC_EINVAL);
    assert_int_equal(policy_version_bump("5.1.", out), RC_EINVAL);

    struct policy_issue is[2] = {issue(), issue()};
    enum policy_level max;
    assert_false(policy_issues_max_level(is, 2, &max));
    is[1].has_severity = true;
    is[1].severity.level = POLICY_LEVEL_HIGH;
    assert_true(policy_issues_max_level(is, 2, &max));
    assert_int_equal(max, POLICY_LEVEL_HIGH);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(derived_instants),
        cmocka_unit_test(sla_deadlines),
        cmocka_unit_test(rejection_meets_acknowledge),
        cmocka_unit_test(extensions),
        cmocka_unit_test(reminders),
        cmocka_unit_test(listed_reminders),
        cmocka_unit_test(batching),
        cmocka_unit_test(out_of_sequence),
        cmocka_unit_test(moves),
        cmocka_unit_test(versions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
