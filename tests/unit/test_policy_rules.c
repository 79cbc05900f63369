/* policy/rules: the worked numbers of product.md (instants computed by hand and checked with
 * Python's datetime), batching at the cut-off boundary, notice and embargo refusals, versions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/err.h"
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
    strcpy(rel.id, id);
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
        cmocka_unit_test(batching),
        cmocka_unit_test(out_of_sequence),
        cmocka_unit_test(moves),
        cmocka_unit_test(versions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
