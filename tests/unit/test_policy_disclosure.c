/* policy/disclosure: every audience x release status x distributor notice (x issue status)
 * against tables written out by hand from docs/POLICY.md "Disclosure". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/err.h"
#include "policy/disclosure.h"

enum { PUB, DIS, TEAM };

static struct policy_release release(enum policy_release_status s, bool notified)
{
    struct policy_release r;
    memset(&r, 0, sizeof r);
    r.status = s;
    r.announced_at = r.released_at = POLICY_TIME_NONE;
    r.distributors_notified_at = notified ? 1000 : POLICY_TIME_NONE;
    return r;
}

/* Release visibility classes:
 *   '-' nothing beyond date, time, kind, status and SEQUENCE; last-modified moves only with
 *       public changes
 *   'P' also the fix count, highest level, versions and the notice instant
 *   'F' everything: also the issues, and last-modified follows every change */
static void check_release_class(struct policy_release_visibility v, char cls)
{
    bool some = cls != '-', full = cls == 'F';
    assert_int_equal(v.counts, some);
    assert_int_equal(v.versions, some);
    assert_int_equal(v.notice, some);
    assert_int_equal(v.issues, full);
    assert_int_equal(v.every_change, full);
}

static void release_table(void **state)
{
    (void)state;
    /* Rows: release status, then not notified / notified; columns: public, distributors,
     * team. */
    static const char expected[POLICY_RELEASE_STATUS_COUNT][2][4] = {
        /*                  not notified   notified */
        /* planned   */ {"--F", "-FF"},
        /* announced */ {"PPF", "PFF"},
        /* released  */ {"PFF", "PFF"},
        /* skipped   */ {"--F", "-FF"},
        /* cancelled */ {"--F", "-FF"},
    };
    for (int s = 0; s < POLICY_RELEASE_STATUS_COUNT; s++)
        for (int n = 0; n < 2; n++) {
            struct policy_release r = release((enum policy_release_status)s, n);
            for (int a = 0; a < POLICY_AUDIENCE_COUNT; a++) {
                print_message("release %s notified=%d audience %s\n",
                              policy_release_status_name(r.status), n,
                              policy_audience_name((enum policy_audience)a));
                check_release_class(policy_disclosure_release((enum policy_audience)a, &r),
                                    expected[s][n][a]);
                /* The advisories: every audience, from publication on, never before. */
                assert_int_equal(policy_disclosure_release((enum policy_audience)a, &r).advisories,
                                 s == POLICY_RELEASE_RELEASED);
                /* A moved release's old date: everyone's, in every state. */
                assert_true(policy_disclosure_release((enum policy_audience)a, &r).previous_date);
                /* Who changed it and why (an explanation's actors and reasons): the team's,
                 * never distributors' or the public's, in every state. */
                assert_int_equal(policy_disclosure_release((enum policy_audience)a, &r).audit,
                                 a == POLICY_AUDIENCE_TEAM);
            }
        }
    /* The detail of a message about no release is the team's. */
    static const char no_release[] = "--F";
    for (int a = 0; a < POLICY_AUDIENCE_COUNT; a++)
        check_release_class(policy_disclosure_release((enum policy_audience)a, NULL),
                            no_release[a]);
    for (int a = 0; a < POLICY_AUDIENCE_COUNT; a++)
        assert_false(policy_disclosure_release((enum policy_audience)a, NULL).advisories);
    assert_false(policy_disclosure_release(POLICY_AUDIENCE_PUBLIC, NULL).previous_date);
    assert_true(policy_disclosure_release(POLICY_AUDIENCE_TEAM, NULL).audit);
    assert_false(policy_disclosure_release(POLICY_AUDIENCE_DISTRIBUTORS, NULL).audit);
}

/* Issue visibility classes:
 *   '-' not listed, no field
 *   'A' an advisory: title, level, severity (vector, score, label), CVE, GHSA, public summary,
 *       affected branches, affected and fixed versions, credits, advisory URL, published instant
 *   'E' the embargoed list: the advisory's fields and the tracking, not the description
 *   'T' the team: every field, the description on reads */
static void check_issue_class(struct policy_issue_visibility v, char cls)
{
    bool any = cls != '-', full = cls == 'E' || cls == 'T';
    assert_int_equal(v.listed, any);
    assert_int_equal(v.title, any);
    assert_int_equal(v.level, any);
    assert_int_equal(v.cve, any);
    assert_int_equal(v.ghsa, any);
    assert_int_equal(v.summary, any);
    assert_int_equal(v.severity, any);
    assert_int_equal(v.branches, any);
    assert_int_equal(v.versions, any);
    assert_int_equal(v.credits, any);
    assert_int_equal(v.advisory_url, any);
    assert_int_equal(v.published, any);
    assert_int_equal(v.tracking, full);
    assert_int_equal(v.description, cls == 'T');
}

static void issue_table(void **state)
{
    (void)state;
    /* For each audience: rows release status x (not notified, notified); columns issue status
     * reported acknowledged investigating confirmed fix_ready released rejected. */
    static const char expected[3][POLICY_RELEASE_STATUS_COUNT][2][8] = {
        [PUB] = {
            /*                 not notified  notified */
            /* planned   */ {"-------", "-------"},
            /* announced */ {"-------", "-------"},
            /* released  */ {"-----A-", "-----A-"},
            /* skipped   */ {"-------", "-------"},
            /* cancelled */ {"-------", "-------"},
        },
        [DIS] = {
            /* planned   */ {"-------", "EEEEEE-"},
            /* announced */ {"-------", "EEEEEE-"},
            /* released  */ {"EEEEEE-", "EEEEEE-"},
            /* skipped   */ {"-------", "EEEEEE-"},
            /* cancelled */ {"-------", "EEEEEE-"},
        },
        [TEAM] = {
            /* planned   */ {"TTTTTTT", "TTTTTTT"},
            /* announced */ {"TTTTTTT", "TTTTTTT"},
            /* released  */ {"TTTTTTT", "TTTTTTT"},
            /* skipped   */ {"TTTTTTT", "TTTTTTT"},
            /* cancelled */ {"TTTTTTT", "TTTTTTT"},
        },
    };
    /* In no release: only the team sees the issue. */
    static const char no_release[3][8] = {[PUB] = "-------", [DIS] = "-------", [TEAM] = "TTTTTTT"};
    for (int a = 0; a < POLICY_AUDIENCE_COUNT; a++)
        for (int is = 0; is < POLICY_ISSUE_STATUS_COUNT; is++) {
            struct policy_issue i;
            memset(&i, 0, sizeof i);
            i.status = (enum policy_issue_status)is;
            check_issue_class(policy_disclosure_issue((enum policy_audience)a, NULL, &i),
                              no_release[a][is]);
            for (int s = 0; s < POLICY_RELEASE_STATUS_COUNT; s++)
                for (int n = 0; n < 2; n++) {
                    struct policy_release r = release((enum policy_release_status)s, n);
                    print_message("issue %s release %s notified=%d audience %s\n",
                                  policy_issue_status_name(i.status),
                                  policy_release_status_name(r.status), n,
                                  policy_audience_name((enum policy_audience)a));
                    check_issue_class(policy_disclosure_issue((enum policy_audience)a, &r, &i),
                                      expected[a][s][n][is]);
                }
        }
}

static void hold_table(void **state)
{
    (void)state;
    /* Only a public release.published message is held, until its release is published; an
     * unknown release holds it too. Columns: release planned announced released skipped
     * cancelled, unknown. */
    static const struct {
        int audience;
        const char *type;
        const char *held;
    } rows[] = {
        {PUB, "release.published",
         "11011"
         "1"},
        {PUB, "release.announced",
         "00000"
         "0"},
        {PUB, "release.rescheduled",
         "00000"
         "0"},
        {DIS, "release.published",
         "00000"
         "0"},
        {DIS, "release.distributor_notice",
         "00000"
         "0"},
        {TEAM, "release.published",
         "00000"
         "0"},
    };
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        for (int s = 0; s <= POLICY_RELEASE_STATUS_COUNT; s++) {
            struct policy_release r = release((enum policy_release_status)s, false);
            const struct policy_release *rp = s < POLICY_RELEASE_STATUS_COUNT ? &r : NULL;
            assert_int_equal(
                policy_disclosure_hold((enum policy_audience)rows[k].audience, rows[k].type, rp),
                rows[k].held[s] == '1');
        }
    }
}

static void public_change(void **state)
{
    (void)state;
    struct policy_release window = release(POLICY_RELEASE_PLANNED, false), after;
    /* A fix batched (the row is written, nothing public moves). */
    after = window;
    assert_false(policy_disclosure_public_change(&window, &after));
    /* The distributor notice before the pre-announcement: not public. */
    after.distributors_notified_at = 5000;
    after.locked = true;
    assert_false(policy_disclosure_public_change(&window, &after));
    /* A move raises SEQUENCE. */
    after = window;
    after.starts_at += 86400;
    after.sequence = 1;
    assert_true(policy_disclosure_public_change(&window, &after));
    /* The pre-announcement, a skip, a cancellation, the publication change the status. */
    const enum policy_release_status to[] = {POLICY_RELEASE_ANNOUNCED, POLICY_RELEASE_SKIPPED,
                                             POLICY_RELEASE_CANCELLED, POLICY_RELEASE_RELEASED};
    for (size_t k = 0; k < 4; k++) {
        after = window;
        after.status = to[k];
        assert_true(policy_disclosure_public_change(&window, &after));
    }
    /* An out-of-sequence release being created did not exist publicly before. */
    after = release(POLICY_RELEASE_ANNOUNCED, false);
    after.kind = POLICY_RELEASE_OUT_OF_SEQUENCE;
    assert_true(policy_disclosure_public_change(NULL, &after));
}

static void audience_names(void **state)
{
    (void)state;
    const char *names[] = {"public", "distributors", "team"};
    for (int a = 0; a < 3; a++) {
        enum policy_audience got;
        assert_string_equal(policy_audience_name((enum policy_audience)a), names[a]);
        assert_int_equal(policy_audience_parse(names[a], &got), 0);
        assert_int_equal(got, a);
    }
    enum policy_audience got;
    assert_int_equal(policy_audience_parse("everyone", &got), RC_EINVAL);
    assert_int_equal(policy_audience_parse(NULL, &got), RC_EINVAL);
}

/* Which messages carry embargoed details (their text says until when). */
static void embargoed_messages(void **state)
{
    (void)state;
    static const struct {
        const char *type;
        bool embargoed;
    } rows[] = {
        {"release.distributor_notice", true},   {"release.distributor_update", true},
        {"release.distributor_reminder", true}, {"release.announced", false},
        {"release.published", false},           {"release.rescheduled", false},
        {"issue.sla_breached", false},          {"", false},
    };
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++)
        assert_int_equal(policy_message_embargoed(rows[k].type), rows[k].embargoed);
    assert_false(policy_message_embargoed(NULL));
}

/* How long a past release stays in the feeds: 366 days after it ends; skipped and cancelled
 * ones 90 days after their date; anything ahead always. */
static void in_feed_table(void **state)
{
    (void)state;
    const int64_t now = 1802178000, day = 86400; /* 2027-02-09T13:00Z */
    static const struct {
        enum policy_release_status st;
        int64_t start_days, end_days; /* relative to now */
        bool in;
    } cases[] = {
        {POLICY_RELEASE_PLANNED, 30, 30, true},      {POLICY_RELEASE_RELEASED, -365, -365, true},
        {POLICY_RELEASE_RELEASED, -366, -366, true}, {POLICY_RELEASE_RELEASED, -367, -367, false},
        {POLICY_RELEASE_SKIPPED, -90, -90, true},    {POLICY_RELEASE_SKIPPED, -91, -91, false},
        {POLICY_RELEASE_CANCELLED, -89, -89, true},  {POLICY_RELEASE_CANCELLED, -120, -120, false},
        {POLICY_RELEASE_CANCELLED, 10, 10, true},    {POLICY_RELEASE_ANNOUNCED, -400, 1, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct policy_release r;
        memset(&r, 0, sizeof r);
        r.status = cases[i].st;
        r.starts_at = now + cases[i].start_days * day;
        r.ends_at = now + cases[i].end_days * day;
        assert_int_equal(policy_release_in_feed(&r, now), cases[i].in);
    }
}

/* Whether an audience sees a change of an issue: one field changed at a time, per audience and
 * case; 'y' seen, '-' not. Columns: title severity cve ghsa summary credits advisory_url
 * branches status (a status change from `from` to `to`; the other fields keep `from`). */
static void issue_changed_table(void **state)
{
    (void)state;
    static const struct {
        int audience;
        enum policy_release_status release;
        bool notified;
        enum policy_issue_status from, to;
        const char *seen; /* 9 columns */
    } cases[] = {
        /* Distributors: everything of a release they were told of, nothing of another. */
        {DIS, POLICY_RELEASE_ANNOUNCED, true, POLICY_ISSUE_CONFIRMED, POLICY_ISSUE_FIX_READY,
         "yyyyyyyyy"},
        {DIS, POLICY_RELEASE_ANNOUNCED, false, POLICY_ISSUE_CONFIRMED, POLICY_ISSUE_FIX_READY,
         "---------"},
        /* A rejected report leaves their list (a change); it is not seen once rejected. */
        {DIS, POLICY_RELEASE_ANNOUNCED, true, POLICY_ISSUE_REJECTED, POLICY_ISSUE_REJECTED,
         "---------"},
        {DIS, POLICY_RELEASE_ANNOUNCED, true, POLICY_ISSUE_CONFIRMED, POLICY_ISSUE_REJECTED,
         "yyyyyyyyy"},
        /* The public: a published advisory's fields, never the tracking; publication shows it. */
        {PUB, POLICY_RELEASE_RELEASED, true, POLICY_ISSUE_RELEASED, POLICY_ISSUE_RELEASED,
         "yyyyyyyy-"},
        {PUB, POLICY_RELEASE_RELEASED, true, POLICY_ISSUE_FIX_READY, POLICY_ISSUE_RELEASED,
         "--------y"},
        {PUB, POLICY_RELEASE_ANNOUNCED, true, POLICY_ISSUE_FIX_READY, POLICY_ISSUE_CONFIRMED,
         "---------"},
        /* The team sees every field. */
        {TEAM, POLICY_RELEASE_PLANNED, false, POLICY_ISSUE_REPORTED, POLICY_ISSUE_ACKNOWLEDGED,
         "yyyyyyyyy"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        struct policy_release r = release(cases[k].release, cases[k].notified);
        for (int f = 0; f < 9; f++) {
            struct policy_issue before, after;
            memset(&before, 0, sizeof before);
            before.status = after.status = cases[k].from;
            after = before;
            struct policy_issue_changes c;
            memset(&c, 0, sizeof c);
            bool *field[9] = {&c.title,   &c.severity,     &c.cve,      &c.ghsa,  &c.summary,
                              &c.credits, &c.advisory_url, &c.branches, &c.status};
            *field[f] = true;
            if (f == 8)
                after.status = cases[k].to;
            bool seen = policy_disclosure_issue_changed((enum policy_audience)cases[k].audience, &r,
                                                        &before, &after, &c);
            if (seen != (cases[k].seen[f] == 'y'))
                fail_msg("case %zu field %d: expected %s", k, f, seen ? "unseen" : "seen");
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(embargoed_messages), cmocka_unit_test(release_table),
        cmocka_unit_test(issue_table),        cmocka_unit_test(hold_table),
        cmocka_unit_test(public_change),      cmocka_unit_test(audience_names),
        cmocka_unit_test(in_feed_table),      cmocka_unit_test(issue_changed_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
