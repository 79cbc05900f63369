/* policy/releases: no-op moves, date bounds, publication blockers, cancellation after the
 * distributor notice and version numbering, each table-driven with values worked out by hand
 * (instants checked with Python's datetime). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "policy/releases.h"

#define T_START 1802178000 /* 2027-02-09T13:00:00Z */
#define T_NOW   1795521600 /* 2026-11-24T12:00:00Z */
#define DAY     86400

static struct policy_release release(const char *id, int64_t start)
{
    struct policy_rules r;
    policy_rules_defaults(&r);
    struct policy_release rel;
    memset(&rel, 0, sizeof rel);
    snprintf(rel.id, sizeof rel.id, "%s", id);
    rel.starts_at = start;
    rel.ends_at = start + 7200;
    rel.announced_at = rel.distributors_notified_at = rel.released_at = POLICY_TIME_NONE;
    policy_release_derive(&r, &rel);
    return rel;
}

static void move_noop(void **state)
{
    (void)state;
    struct policy_release rel = release("2027-02-09", T_START);
    static const struct {
        int64_t to;
        bool noop;
    } cases[] = {
        {T_START, true},
        {T_START + 1, false},
        {T_START - 1, false},
        {T_START + DAY, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(policy_move_noop(&rel, cases[i].to), cases[i].noop);
}

/* Bounds: not before now, not after now + max_release_horizon_years calendar years. */
static void date_bounds(void **state)
{
    (void)state;
    struct policy_rules r;
    policy_rules_defaults(&r);
    static const struct {
        int years;
        int64_t now, date;
        int rc;
        int64_t limit;
    } cases[] = {
        /* 2026-11-24T12:00Z + 5 years = 2031-11-24T12:00:00Z = 1953288000 */
        {5, T_NOW, T_NOW, 0, POLICY_TIME_NONE},
        {5, T_NOW, T_START, 0, POLICY_TIME_NONE},
        {5, T_NOW, 1953288000, 0, POLICY_TIME_NONE},
        {5, T_NOW, 1953288001, RC_EINVAL, 1953288000},
        {5, T_NOW, T_NOW - 1, RC_EINVAL, T_NOW},
        {5, T_NOW, 253402214400 /* 9999-12-31T00:00:00Z */, RC_EINVAL, 1953288000},
        /* 1 year: 2027-11-24T12:00:00Z = 1827057600 */
        {1, T_NOW, 1827057600, 0, POLICY_TIME_NONE},
        {1, T_NOW, 1827057601, RC_EINVAL, 1827057600},
        /* from 2028-02-29T10:00Z (1835431200) one year is 2029-02-28T10:00Z (1866967200) */
        {1, 1835431200, 1866967200, 0, POLICY_TIME_NONE},
        {1, 1835431200, 1866967201, RC_EINVAL, 1866967200},
        /* four years keep 29 February: 2032-02-29T10:00Z = 1961661600 */
        {4, 1835431200, 1961661600, 0, POLICY_TIME_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct policy_refusal why;
        r.max_release_horizon_years = cases[i].years;
        assert_int_equal(policy_release_date_check(&r, cases[i].now, cases[i].date, &why),
                         cases[i].rc);
        if (cases[i].rc) {
            assert_true(why.limit == cases[i].limit);
            assert_non_null(strstr(why.message, "date: "));
        }
    }
}

/* Which issues block a publication: every one that is not fix_ready, rejected or released. */
static void publish_blockers(void **state)
{
    (void)state;
    static const struct {
        enum policy_issue_status st[4];
        size_t n;
        size_t blockers[4];
        size_t nb;
    } cases[] = {
        {{POLICY_ISSUE_FIX_READY}, 1, {0}, 0},
        {{POLICY_ISSUE_FIX_READY, POLICY_ISSUE_REPORTED}, 2, {1}, 1},
        {{POLICY_ISSUE_ACKNOWLEDGED, POLICY_ISSUE_INVESTIGATING, POLICY_ISSUE_CONFIRMED,
          POLICY_ISSUE_FIX_READY},
         4,
         {0, 1, 2},
         3},
        {{POLICY_ISSUE_REJECTED, POLICY_ISSUE_FIX_READY, POLICY_ISSUE_RELEASED}, 3, {0}, 0},
        {{POLICY_ISSUE_REJECTED, POLICY_ISSUE_CONFIRMED}, 2, {1}, 1},
        {{0}, 0, {0}, 0},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct policy_issue is[4];
        memset(is, 0, sizeof is);
        for (size_t i = 0; i < cases[c].n; i++) {
            is[i].id = (int64_t)i + 1;
            is[i].status = cases[c].st[i];
        }
        size_t out[4] = {99, 99, 99, 99};
        assert_int_equal(policy_publish_blockers(is, cases[c].n, out), cases[c].nb);
        for (size_t k = 0; k < cases[c].nb; k++)
            assert_int_equal(out[k], cases[c].blockers[k]);
    }
}

/* Cancelling after the distributor notice: where would each issue land? */
static void cancel_after_notice(void **state)
{
    (void)state;
    struct policy_rules r;
    policy_rules_defaults(&r);
    const int64_t notice = T_START - 7 * DAY; /* 2027-02-02T13:00Z */
    const int64_t latest = notice + 14 * DAY; /* 2027-02-16T13:00Z */
    const int64_t may = 1810036800;           /* 2027-05-11T12:00Z */
    static const struct {
        bool notified;
        int next; /* the other release: 0 none, 1 May, 2 inside the embargo, 3 at its end, 4 oos */
        enum policy_issue_status st[2];
        size_t n;
        int rc;
    } cases[] = {
        {false, 1, {POLICY_ISSUE_FIX_READY}, 1, 0},         /* nobody was told */
        {true, 1, {POLICY_ISSUE_FIX_READY}, 1, RC_EPOLICY}, /* waits for May */
        {true, 2, {POLICY_ISSUE_FIX_READY}, 1, 0},          /* a window inside */
        {true, 3, {POLICY_ISSUE_FIX_READY}, 1, 0},          /* exactly at the limit */
        {true, 4, {POLICY_ISSUE_FIX_READY}, 1, RC_EPOLICY}, /* oos: never batched */
        {true, 0, {POLICY_ISSUE_FIX_READY}, 1, RC_EPOLICY}, /* no window at all */
        {true, 2, {POLICY_ISSUE_FIX_READY, POLICY_ISSUE_CONFIRMED}, 2, RC_EPOLICY}, /* no fix */
        {true, 1, {POLICY_ISSUE_REJECTED}, 1, 0}, /* nothing to hold */
        {true, 1, {0}, 0, 0},                     /* no issues */
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct policy_release rels[2];
        rels[0] = release("2027-02-09", T_START);
        if (cases[c].notified)
            rels[0].distributors_notified_at = notice;
        size_t n_rels = 1;
        if (cases[c].next) {
            int64_t start = cases[c].next == 1   ? may
                            : cases[c].next == 3 ? latest
                                                 : T_START + 3 * DAY;
            rels[1] = release("next", start);
            if (cases[c].next == 4)
                rels[1].kind = POLICY_RELEASE_OUT_OF_SEQUENCE;
            n_rels = 2;
        }
        struct policy_issue is[2];
        memset(is, 0, sizeof is);
        for (size_t i = 0; i < cases[c].n; i++) {
            is[i].id = (int64_t)i + 1;
            is[i].status = cases[c].st[i];
            is[i].fix_ready_at =
                cases[c].st[i] == POLICY_ISSUE_FIX_READY ? T_NOW : POLICY_TIME_NONE;
            strcpy(is[i].release_id, "2027-02-09");
        }
        struct policy_refusal why;
        int rc = policy_cancel_check(&r, rels, n_rels, 0, is, cases[c].n, &why);
        assert_int_equal(rc, cases[c].rc);
        if (rc) {
            assert_string_equal(why.code, "embargo_too_long");
            assert_true(why.limit == latest);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(move_noop),
        cmocka_unit_test(date_bounds),
        cmocka_unit_test(publish_blockers),
        cmocka_unit_test(cancel_after_notice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
