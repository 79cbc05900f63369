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
            assert_string_equal(why.code,
                                cases[i].limit == cases[i].now ? "date_in_past" : "date_too_far");
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
/* Which releases count as emptied: announced ones with nothing but rejected issues left. */
static void emptied(void **state)
{
    (void)state;
    static const struct {
        enum policy_release_status status;
        int issues[3]; /* statuses, -1 ends */
        bool expect;
    } rows[] = {
        {POLICY_RELEASE_ANNOUNCED, {-1}, true},
        {POLICY_RELEASE_ANNOUNCED, {POLICY_ISSUE_REJECTED, -1}, true},
        {POLICY_RELEASE_ANNOUNCED, {POLICY_ISSUE_REJECTED, POLICY_ISSUE_CONFIRMED, -1}, false},
        {POLICY_RELEASE_ANNOUNCED, {POLICY_ISSUE_FIX_READY, -1}, false},
        {POLICY_RELEASE_PLANNED, {-1}, false}, /* nobody was told of it */
        {POLICY_RELEASE_RELEASED, {-1}, false},
        {POLICY_RELEASE_CANCELLED, {-1}, false},
        {POLICY_RELEASE_SKIPPED, {-1}, false},
    };
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        struct policy_release rel;
        memset(&rel, 0, sizeof rel);
        rel.status = rows[k].status;
        struct policy_issue is[3];
        memset(is, 0, sizeof is);
        size_t n = 0;
        for (; rows[k].issues[n] != -1; n++)
            is[n].status = (enum policy_issue_status)rows[k].issues[n];
        assert_int_equal(policy_release_emptied(&rel, is, n), rows[k].expect);
    }
}

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
            snprintf(is[i].release_id, sizeof is[i].release_id, "%s", "2027-02-09");
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

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

static void version_order(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b;
        int want;
    } cases[] = {
        {"5.1.3", "5.1.3", 0}, {"5.1.10", "5.1.9", 1},    {"5.2", "5.1.9", 1},
        {"5.1", "5.1.0", -1},  {"4.4.13", "5.1.2", -1},   {"10.0.0", "9.9.9", 1},
        {"5.1.x", "5.1.3", 1}, {"1.0-rc", "1.0-beta", 1}, {"", "0", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(sign(policy_version_cmp(cases[i].a, cases[i].b)), cases[i].want);
        assert_int_equal(sign(policy_version_cmp(cases[i].b, cases[i].a)), -cases[i].want);
    }
}

/* Version numbering over a project's releases in date order. The project: 5.x at 5.1.2 and
 * 4.x at 4.4.12 with end of life 2027-06-30. */
#define V_FEB  1802178000 /* 2027-02-09T13:00Z */
#define V_MAR  1804251600 /* 2027-03-05T13:00Z */
#define V_MAY  1810036800 /* 2027-05-11T12:00Z */
#define V_JULY 1814875200 /* 2027-07-06T12:00Z */
#define B5     1u
#define B4     2u

struct vrel {
    int64_t at;
    enum policy_release_status st;
    uint32_t branches;
    const char *frozen5, *frozen4; /* frozen versions, NULL for none; both NULL: not frozen */
    bool frozen_empty;             /* frozen with no versions */
    const char *want5, *want4;     /* expected, NULL for none */
};

static void numbering(void **state)
{
    (void)state;
    struct policy_project p;
    memset(&p, 0, sizeof p);
    p.n_branches = 2;
    snprintf(p.branches[0].name, sizeof p.branches[0].name, "%s", "5.x");
    snprintf(p.branches[0].version, sizeof p.branches[0].version, "%s", "5.1.2");
    p.branches[0].eol_day = POLICY_TIME_NONE;
    snprintf(p.branches[1].name, sizeof p.branches[1].name, "%s", "4.x");
    snprintf(p.branches[1].version, sizeof p.branches[1].version, "%s", "4.4.12");
    p.branches[1].eol_day = 20999; /* 2027-06-30 */
    const enum policy_release_status PL = POLICY_RELEASE_PLANNED, AN = POLICY_RELEASE_ANNOUNCED,
                                     RE = POLICY_RELEASE_RELEASED, SK = POLICY_RELEASE_SKIPPED,
                                     CA = POLICY_RELEASE_CANCELLED;
    static const struct {
        const char *what;
        struct vrel r[4];
        size_t n;
    } tables[] = {
        {"two unreleased on 5.x count on",
         {{V_FEB, AN, B5, NULL, NULL, false, "5.1.3", NULL},
          {V_MAY, PL, B5, NULL, NULL, false, "5.1.4", NULL}},
         2},
        {"each branch counts by itself",
         {{V_FEB, PL, B5 | B4, NULL, NULL, false, "5.1.3", "4.4.13"},
          {V_MAR, AN, B4, NULL, NULL, false, NULL, "4.4.14"},
          {V_MAY, PL, B5, NULL, NULL, false, "5.1.4", NULL}},
         3},
        {"a published release's frozen versions are the base for the next",
         {{V_FEB, RE, B5, "5.1.7", NULL, false, "5.1.7", NULL},
          {V_MAY, PL, B5 | B4, NULL, NULL, false, "5.1.8", "4.4.13"}},
         2},
        {"frozen versions stay whatever the releases' issues say",
         {{V_FEB, RE, B5 | B4, "5.1.3", NULL, false, "5.1.3", NULL},
          {V_MAR, RE, B5, NULL, NULL, true, NULL, NULL},
          {V_MAY, PL, B5, NULL, NULL, false, "5.1.4", NULL}},
         3},
        {"a frozen version below the config's does not lower the base",
         {{V_FEB, RE, B5, "5.1.1", NULL, false, "5.1.1", NULL},
          {V_MAY, PL, B5, NULL, NULL, false, "5.1.3", NULL}},
         2},
        {"skipped and cancelled releases ship nothing and take no number",
         {{V_FEB, SK, B5, NULL, NULL, false, NULL, NULL},
          {V_MAR, CA, B5, NULL, NULL, false, NULL, NULL},
          {V_MAY, PL, B5, NULL, NULL, false, "5.1.3", NULL}},
         3},
        {"EOL branches are skipped and take no number",
         {{V_FEB, PL, B4, NULL, NULL, false, NULL, "4.4.13"},
          {V_JULY, PL, B5 | B4, NULL, NULL, false, "5.1.3", NULL}},
         2},
        {"a release published later than an unreleased one still sits below it",
         {{V_FEB, AN, B5, NULL, NULL, false, "5.1.5", NULL},
          {V_MAR, RE, B5, "5.1.4", NULL, false, "5.1.4", NULL}},
         2},
        {"no issues, no versions",
         {{V_FEB, PL, 0, NULL, NULL, false, NULL, NULL},
          {V_MAY, PL, B5, NULL, NULL, false, "5.1.3", NULL}},
         2},
    };
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        struct policy_versioned_release rels[4];
        struct policy_version frozen[4][2];
        memset(rels, 0, sizeof rels);
        memset(frozen, 0, sizeof frozen);
        for (size_t i = 0; i < tables[t].n; i++) {
            const struct vrel *v = &tables[t].r[i];
            rels[i].starts_at = v->at;
            rels[i].status = v->st;
            rels[i].branches = v->branches;
            if (v->frozen5 || v->frozen4 || v->frozen_empty) {
                rels[i].frozen = frozen[i];
                if (v->frozen5) {
                    struct policy_version *fv = &frozen[i][rels[i].n_frozen++];
                    snprintf(fv->branch, sizeof fv->branch, "%s", "5.x");
                    snprintf(fv->version, sizeof fv->version, "%s", v->frozen5);
                }
                if (v->frozen4) {
                    struct policy_version *fv = &frozen[i][rels[i].n_frozen++];
                    snprintf(fv->branch, sizeof fv->branch, "%s", "4.x");
                    snprintf(fv->version, sizeof fv->version, "%s", v->frozen4);
                }
            }
        }
        for (size_t i = 0; i < tables[t].n; i++) {
            const struct vrel *v = &tables[t].r[i];
            struct policy_version out[POLICY_BRANCHES_MAX];
            size_t k = policy_versions_numbered(&p, rels, tables[t].n, i, out, POLICY_BRANCHES_MAX);
            size_t want = (v->want5 != NULL) + (v->want4 != NULL);
            if (k != want)
                fail_msg("%s: release %zu ships %zu versions, want %zu", tables[t].what, i, k,
                         want);
            size_t j = 0;
            if (v->want5) {
                assert_string_equal(out[j].branch, "5.x");
                if (strcmp(out[j].version, v->want5) != 0)
                    fail_msg("%s: release %zu: 5.x %s, want %s", tables[t].what, i, out[j].version,
                             v->want5);
                j++;
            }
            if (v->want4) {
                assert_string_equal(out[j].branch, "4.x");
                if (strcmp(out[j].version, v->want4) != 0)
                    fail_msg("%s: release %zu: 4.x %s, want %s", tables[t].what, i, out[j].version,
                             v->want4);
            }
        }
    }
}

/* The version a branch is at: that of its latest published release that shipped one on it (by
 * release date, whatever the order given), else the config's. */
/* Which releases the numbering reads the issues of, and which are frozen at the next tick
 * (docs/POLICY.md "Versions"). */
static void from_issues_and_to_freeze(void **state)
{
    (void)state;
    static const struct policy_version frozen[] = {{"5.x", "5.1.3"}};
    static const struct {
        enum policy_release_status status;
        bool frozen;
        bool from_issues, to_freeze;
    } cases[] = {
        {POLICY_RELEASE_PLANNED, false, true, false},
        {POLICY_RELEASE_ANNOUNCED, false, true, false},
        {POLICY_RELEASE_RELEASED, false, true, true}, /* published before schema v7 */
        {POLICY_RELEASE_RELEASED, true, false, false},
        {POLICY_RELEASE_SKIPPED, false, false, false},
        {POLICY_RELEASE_CANCELLED, false, false, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct policy_versioned_release r = {.status = cases[i].status,
                                             .frozen = cases[i].frozen ? frozen : NULL,
                                             .n_frozen = cases[i].frozen ? 1 : 0};
        if (policy_versions_from_issues(&r) != cases[i].from_issues)
            fail_msg("case %zu: from_issues", i);
        if (policy_versions_to_freeze(&r) != cases[i].to_freeze)
            fail_msg("case %zu: to_freeze", i);
    }
}

static void current_versions(void **state)
{
    (void)state;
    static const struct policy_version feb[] = {{"5.x", "5.1.3"}, {"4.x", "4.4.13"}};
    static const struct policy_version may[] = {{"5.x", "5.1.4"}};
    static const struct policy_version old[] = {{"5.x", "5.1.1"}, {"3.x", "3.9.9"}};
    static const struct {
        struct policy_shipped rels[3];
        size_t n;
        const char *want5, *want4;
    } cases[] = {
        {{{0}}, 0, "5.1.2", "4.4.12"},                              /* none published */
        {{{V_FEB, feb, 2}}, 1, "5.1.3", "4.4.13"},                  /* one */
        {{{V_MAY, may, 1}, {V_FEB, feb, 2}}, 2, "5.1.4", "4.4.13"}, /* latest per branch */
        {{{V_FEB, feb, 2}, {V_MAR, old, 2}}, 2, "5.1.1", "4.4.13"}, /* by date, not number */
        {{{V_MAR, old, 2}}, 1, "5.1.1", "4.4.12"},                  /* unknown branch */
        {{{V_FEB, feb, 0}}, 1, "5.1.2", "4.4.12"},                  /* shipped nothing */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct policy_project p;
        memset(&p, 0, sizeof p);
        p.n_branches = 2;
        snprintf(p.branches[0].name, sizeof p.branches[0].name, "5.x");
        snprintf(p.branches[0].version, sizeof p.branches[0].version, "5.1.2");
        snprintf(p.branches[1].name, sizeof p.branches[1].name, "4.x");
        snprintf(p.branches[1].version, sizeof p.branches[1].version, "4.4.12");
        policy_current_versions(&p, cases[i].rels, cases[i].n);
        assert_string_equal(p.branches[0].version, cases[i].want5);
        assert_string_equal(p.branches[1].version, cases[i].want4);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(move_noop),
        cmocka_unit_test(date_bounds),
        cmocka_unit_test(publish_blockers),
        cmocka_unit_test(cancel_after_notice),
        cmocka_unit_test(emptied),
        cmocka_unit_test(version_order),
        cmocka_unit_test(numbering),
        cmocka_unit_test(current_versions),
        cmocka_unit_test(from_issues_and_to_freeze),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
