/* policy/explain: one row per situation of docs/POLICY.md "Explanations", with the steps expected
 * written out by hand. The window: the cadence instance 2027-02-09 14:00 UTC is a listed holiday,
 * so the window is 2027-02-10 14:00 UTC; defaults (cut-off, pre-announcement and distributor
 * notice 7 days before, reminder 24 h before, overdue 6 h after). Instants computed with
 * Python's datetime. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "policy/explain.h"
#include "policy/rules.h"

#define NONE POLICY_TIME_NONE
#define END  (-1)

#define D_INST  20858      /* 2027-02-09, the holiday */
#define D_CONF  20859      /* 2027-02-10 */
#define T_INST  1802181600 /* 2027-02-09T14:00:00Z */
#define T_CONF  1802268000 /* 2027-02-10T14:00:00Z */
#define T_CUT   1801663200 /* 2027-02-03T14:00:00Z: cut-off, announce, notice */
#define T_REM   1802181600 /* 2027-02-09T14:00:00Z */
#define T_OVER  1802289600 /* 2027-02-10T20:00:00Z */
#define T_NOW   1800446400 /* 2027-01-20T12:00:00Z */
#define T_ANN   1801663201 /* the tick one second after the cut-off */
#define T_MOVE  1801731600 /* 2027-02-04T09:00:00Z */
#define T_NOW2  1801821600 /* 2027-02-05T10:00:00Z */
#define T_NEW   1802872800 /* 2027-02-17T14:00:00Z: the date moved to */
#define T_NCUT  1802268000 /* its cut-off, 2027-02-10T14:00:00Z */
#define T_NREM  1802786400 /* 2027-02-16T14:00:00Z */
#define T_NOVER 1802894400 /* 2027-02-17T20:00:00Z */
/* Out of sequence: created 2027-01-01T10:00Z for 2027-01-15T14:00Z (14 days 4 hours later). */
#define T_OCR   1798797600
#define T_OSTA  1800021600
#define T_ODL   1800007200 /* created + 14 days */
#define T_ONOT  1799416800 /* 2027-01-08T14:00:00Z */
#define T_OREM  1799935200 /* 2027-01-14T14:00:00Z */
#define T_OOVER 1800043200 /* 2027-01-15T20:00:00Z */
#define T_OSHRT 1799589600 /* 2027-01-10T14:00:00Z: 9 days 4 hours after creation */
/* Without the holiday: the window stays on 2027-02-09. */
#define T_PCUT  1801576800 /* 2027-02-02T14:00:00Z */
#define T_PREM  1802095200 /* 2027-02-08T14:00:00Z */
#define T_POVER 1802203200 /* 2027-02-09T20:00:00Z */

enum { PUB = POLICY_AUDIENCE_PUBLIC, TEAM = POLICY_AUDIENCE_TEAM };
enum {
    CAD = POLICY_EXPLAIN_CADENCE,
    HOL = POLICY_EXPLAIN_HOLIDAY_SHIFT,
    OOS = POLICY_EXPLAIN_OUT_OF_SEQUENCE,
    CUT = POLICY_EXPLAIN_CUTOFF,
    SKIP = POLICY_EXPLAIN_SKIP,
    PRE = POLICY_EXPLAIN_PRE_ANNOUNCEMENT,
    NOT = POLICY_EXPLAIN_DISTRIBUTOR_NOTICE,
    MOVE = POLICY_EXPLAIN_MOVE,
    CANCEL = POLICY_EXPLAIN_CANCEL,
    PUBLISH = POLICY_EXPLAIN_PUBLISH,
};
/* Due events, as rule DUE with the event kind. */
#define DUE(k) (100 + (k))
enum {
    D_ANN = DUE(POLICY_DUE_ANNOUNCE),
    D_ANNSKIP = DUE(POLICY_DUE_ANNOUNCE_SKIPPED),
    D_NOT = DUE(POLICY_DUE_DISTRIBUTOR_NOTICE),
    D_REM = DUE(POLICY_DUE_REMINDER),
    D_DAY = DUE(POLICY_DUE_RELEASE_DAY),
    D_OVER = DUE(POLICY_DUE_OVERDUE),
};

enum situation {
    WINDOW,
    WINDOW_NO_FIX,
    MOVED,
    MOVED_EARLY,
    SAME_SECOND,
    SKIPPED,
    PUBLISHED,
    CANCELLED,
    OOS_OK,
    OOS_SHORT,
    NO_HOLIDAY
};

struct step {
    int rule; /* or DUE(kind) */
    int64_t at;
};

struct row {
    const char *name;
    enum situation sit;
    int audience;
    struct step expect[12]; /* END-terminated */
};

static const struct row rows[] = {
    {"holiday-shifted window before its cut-off, team: the chain and every event ahead",
     WINDOW,
     TEAM,
     {{CAD, NONE},
      {HOL, NONE},
      {CUT, T_CUT},
      {D_ANN, T_CUT},
      {D_NOT, T_CUT},
      {D_REM, T_REM},
      {D_DAY, T_CONF},
      {D_OVER, T_OVER},
      {END, 0}}},
    {"the same window, public: no distributor notice, reminder or overdue ahead",
     WINDOW,
     PUB,
     {{CAD, NONE}, {HOL, NONE}, {CUT, T_CUT}, {D_ANN, T_CUT}, {D_DAY, T_CONF}, {END, 0}}},
    {"no fix ready, team: the window would be skipped and announced as such",
     WINDOW_NO_FIX,
     TEAM,
     {{CAD, NONE}, {HOL, NONE}, {CUT, T_CUT}, {D_ANNSKIP, T_CUT}, {END, 0}}},
    {"no fix ready, public: looks the same as a window with fixes",
     WINDOW_NO_FIX,
     PUB,
     {{CAD, NONE}, {HOL, NONE}, {CUT, T_CUT}, {D_ANN, T_CUT}, {D_DAY, T_CONF}, {END, 0}}},
    {"pre-announced, notified, then moved, team: the cut-off that decided is the old date's",
     MOVED,
     TEAM,
     {{CAD, NONE},
      {HOL, NONE},
      {CUT, T_CUT},
      {PRE, T_ANN},
      {NOT, T_ANN},
      {MOVE, T_MOVE},
      {D_REM, T_NREM},
      {D_DAY, T_NEW},
      {D_OVER, T_NOVER},
      {END, 0}}},
    {"pre-announced, notified, then moved, public",
     MOVED,
     PUB,
     {{CAD, NONE},
      {HOL, NONE},
      {CUT, T_CUT},
      {PRE, T_ANN},
      {NOT, T_ANN},
      {MOVE, T_MOVE},
      {D_DAY, T_NEW},
      {END, 0}}},
    {"moved before its cut-off: the new date's cut-off decides",
     MOVED_EARLY,
     TEAM,
     {{CAD, NONE},
      {HOL, NONE},
      {MOVE, T_NOW},
      {CUT, T_NCUT},
      {D_ANN, T_NCUT},
      {D_NOT, T_NCUT},
      {D_REM, T_NREM},
      {D_DAY, T_NEW},
      {D_OVER, T_NOVER},
      {END, 0}}},
    {"audit rows in the same second keep the audit log's order",
     SAME_SECOND,
     TEAM,
     {{CAD, NONE},
      {HOL, NONE},
      {CUT, T_CUT},
      {MOVE, T_MOVE},
      {PRE, T_MOVE},
      {NOT, T_MOVE},
      {D_REM, T_NREM},
      {D_DAY, T_NEW},
      {D_OVER, T_NOVER},
      {END, 0}}},
    {"published: the publication closes the story, nothing is due",
     PUBLISHED,
     TEAM,
     {{CAD, NONE},
      {HOL, NONE},
      {CUT, T_CUT},
      {PRE, T_ANN},
      {NOT, T_ANN},
      {PUBLISH, T_CONF + 600},
      {END, 0}}},
    {"cancelled: the cancellation, nothing is due",
     CANCELLED,
     PUB,
     {{CAD, NONE}, {HOL, NONE}, {CUT, T_CUT}, {CANCEL, T_MOVE}, {END, 0}}},
    {"skipped window: nothing is due any more",
     SKIPPED,
     TEAM,
     {{CAD, NONE}, {HOL, NONE}, {CUT, T_CUT}, {SKIP, T_CUT}, {END, 0}}},
    {"out of sequence, team: creation, then notice, reminder, release, overdue",
     OOS_OK,
     TEAM,
     {{OOS, T_OCR},
      {D_NOT, T_ONOT},
      {D_REM, T_OREM},
      {D_DAY, T_OSTA},
      {D_OVER, T_OOVER},
      {END, 0}}},
    {"out of sequence, public: creation and the release",
     OOS_OK,
     PUB,
     {{OOS, T_OCR}, {D_DAY, T_OSTA}, {END, 0}}},
    {"a window on no holiday has no shift",
     NO_HOLIDAY,
     TEAM,
     {{CAD, NONE},
      {CUT, T_PCUT},
      {D_ANN, T_PCUT},
      {D_NOT, T_PCUT},
      {D_REM, T_PREM},
      {D_DAY, T_CONF - 86400},
      {D_OVER, T_POVER},
      {END, 0}}},
};

/* Everything one situation needs; the input points into it. */
struct fixture {
    struct policy_rules rules;
    struct policy_release rel;
    struct policy_issue issues[3];
    struct policy_explain_change changes[4];
    struct policy_explain_input in;
};

static void setup(struct fixture *f, enum situation sit, int audience)
{
    memset(f, 0, sizeof *f);
    policy_rules_defaults(&f->rules);
    f->rules.holidays[0] = D_INST;
    f->rules.n_holidays = 1;
    struct policy_release *r = &f->rel;
    r->kind = POLICY_RELEASE_SCHEDULED;
    r->status = POLICY_RELEASE_PLANNED;
    r->starts_at = T_CONF;
    r->ends_at = T_CONF + 7200;
    r->announced_at = r->distributors_notified_at = r->released_at = NONE;
    f->issues[0] = (struct policy_issue){.id = 7,
                                         .status = POLICY_ISSUE_FIX_READY,
                                         .fix_ready_at = T_NOW - 86400,
                                         .released_at = NONE};
    f->issues[1] = (struct policy_issue){.id = 3,
                                         .status = POLICY_ISSUE_FIX_READY,
                                         .fix_ready_at = T_NOW - 3600,
                                         .released_at = NONE};
    f->issues[2] = (struct policy_issue){
        .id = 9, .status = POLICY_ISSUE_REJECTED, .fix_ready_at = NONE, .released_at = NONE};
    f->in = (struct policy_explain_input){.rules = &f->rules,
                                          .rel = r,
                                          .epoch = T_OCR - 86400 * 30,
                                          .instance_day = D_INST,
                                          .instance_at = T_INST,
                                          .configured_at = T_CONF,
                                          .configured_day = D_CONF,
                                          .occurrence = 1,
                                          .occurrences = 4,
                                          .issues = f->issues,
                                          .n_issues = 3,
                                          .changes = f->changes,
                                          .audience = (enum policy_audience)audience,
                                          .now = T_NOW};
    switch (sit) {
    case WINDOW:
        break;
    case WINDOW_NO_FIX:
        f->in.n_issues = 0;
        break;
    case NO_HOLIDAY:
        f->rules.n_holidays = 0;
        r->starts_at = f->in.configured_at = T_INST;
        f->in.configured_day = D_INST;
        break;
    case MOVED:
        r->status = POLICY_RELEASE_ANNOUNCED;
        r->sequence = 2;
        r->announced_at = r->distributors_notified_at = T_ANN;
        r->starts_at = T_NEW;
        f->in.done = POLICY_DONE_CUTOFF | POLICY_DONE_ANNOUNCE;
        f->changes[0] =
            (struct policy_explain_change){.rule = POLICY_EXPLAIN_MOVE,
                                           .at = T_MOVE,
                                           .by = "alice",
                                           .reason = "PRIVATE-MARKER the fix needs another week",
                                           .from = T_CONF,
                                           .to = T_NEW};
        f->in.n_changes = 1;
        f->in.now = T_NOW2;
        break;
    case MOVED_EARLY:
        r->starts_at = T_NEW;
        f->changes[0] = (struct policy_explain_change){
            .rule = POLICY_EXPLAIN_MOVE, .at = T_NOW, .by = "alice", .from = T_CONF, .to = T_NEW};
        f->in.n_changes = 1;
        break;
    case SAME_SECOND:
        r->status = POLICY_RELEASE_ANNOUNCED;
        r->sequence = 2;
        r->announced_at = r->distributors_notified_at = T_MOVE;
        r->starts_at = T_NEW;
        f->in.done = POLICY_DONE_CUTOFF | POLICY_DONE_ANNOUNCE;
        f->changes[0] = (struct policy_explain_change){
            .rule = POLICY_EXPLAIN_MOVE, .at = T_MOVE, .by = "alice", .from = T_CONF, .to = T_NEW};
        f->changes[1] = (struct policy_explain_change){.rule = POLICY_EXPLAIN_PRE_ANNOUNCEMENT,
                                                       .at = T_MOVE,
                                                       .from = NONE,
                                                       .to = NONE,
                                                       .late = true};
        f->changes[2] = (struct policy_explain_change){
            .rule = POLICY_EXPLAIN_DISTRIBUTOR_NOTICE, .at = T_MOVE, .from = NONE, .to = NONE};
        f->in.n_changes = 3;
        f->in.now = T_NOW2;
        break;
    case PUBLISHED:
        r->status = POLICY_RELEASE_RELEASED;
        r->sequence = 2;
        r->announced_at = r->distributors_notified_at = T_ANN;
        r->released_at = T_CONF + 600;
        f->in.done =
            POLICY_DONE_CUTOFF | POLICY_DONE_ANNOUNCE | POLICY_DONE_REMINDER | POLICY_DONE_DUE;
        f->changes[0] = (struct policy_explain_change){.rule = POLICY_EXPLAIN_PUBLISH,
                                                       .at = T_CONF + 600,
                                                       .by = "alice",
                                                       .from = NONE,
                                                       .to = NONE};
        f->in.n_changes = 1;
        f->in.now = T_OVER + 3600;
        break;
    case CANCELLED:
        r->status = POLICY_RELEASE_CANCELLED;
        r->sequence = 1;
        f->in.done = POLICY_DONE_CUTOFF;
        f->changes[0] = (struct policy_explain_change){.rule = POLICY_EXPLAIN_CANCEL,
                                                       .at = T_MOVE,
                                                       .by = "alice",
                                                       .reason = "PRIVATE-MARKER no longer needed",
                                                       .from = NONE,
                                                       .to = NONE};
        f->in.n_changes = 1;
        f->in.now = T_NOW2;
        break;
    case SKIPPED:
        r->status = POLICY_RELEASE_SKIPPED;
        r->sequence = 1;
        f->in.done = POLICY_DONE_CUTOFF | POLICY_DONE_ANNOUNCE;
        f->in.n_issues = 0;
        f->in.now = T_NOW2;
        break;
    case OOS_OK:
    case OOS_SHORT:
        r->kind = POLICY_RELEASE_OUT_OF_SEQUENCE;
        r->status = POLICY_RELEASE_ANNOUNCED;
        r->starts_at = sit == OOS_OK ? T_OSTA : T_OSHRT;
        r->announced_at = T_OCR;
        f->issues[0] = (struct policy_issue){.id = 5,
                                             .status = POLICY_ISSUE_CONFIRMED,
                                             .fix_ready_at = NONE,
                                             .released_at = NONE,
                                             .release_pinned = true};
        f->in.n_issues = 1;
        f->changes[0] = (struct policy_explain_change){
            .rule = POLICY_EXPLAIN_OUT_OF_SEQUENCE,
            .at = T_OCR,
            .by = "alice",
            .reason = "PRIVATE-MARKER exploited in the wild",
            .override_reason = sit == OOS_SHORT ? "PRIVATE-MARKER zero-day" : NULL,
            .from = NONE,
            .to = NONE};
        f->in.n_changes = 1;
        f->in.now = T_OCR + 60;
        break;
    }
    policy_release_derive(&f->rules, r);
    if (r->kind == POLICY_RELEASE_OUT_OF_SEQUENCE)
        r->announce_at = T_OCR; /* announced when created */
}

static void explain_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const struct row *row = &rows[i];
        struct fixture f;
        setup(&f, row->sit, row->audience);
        struct policy_explain_step *st;
        size_t n = policy_explain(&f.in, &st);
        size_t want = 0;
        while (row->expect[want].rule != END)
            want++;
        if (n != want)
            fail_msg("%s: %zu steps, expected %zu", row->name, n, want);
        for (size_t k = 0; k < n; k++) {
            int got = st[k].rule == POLICY_EXPLAIN_DUE ? DUE((int)st[k].due) : (int)st[k].rule;
            if (got != row->expect[k].rule || st[k].at != row->expect[k].at)
                fail_msg("%s: step %zu is %d at %lld, expected %d at %lld", row->name, k, got,
                         (long long)st[k].at, row->expect[k].rule, (long long)row->expect[k].at);
        }
        policy_explain_free(st, n);
    }
}

static const struct policy_explain_step *find(const struct policy_explain_step *st, size_t n,
                                              int rule)
{
    for (size_t k = 0; k < n; k++)
        if ((int)st[k].rule == rule)
            return &st[k];
    fail_msg("no step %d", rule);
    return NULL;
}

static void holiday_and_cutoff_fields(void **state)
{
    (void)state;
    struct fixture f;
    setup(&f, WINDOW, TEAM);
    struct policy_explain_step *st;
    size_t n = policy_explain(&f.in, &st);
    const struct policy_explain_step *c = find(st, n, CAD);
    assert_int_equal(c->instance_day, D_INST);
    assert_int_equal(c->occurrence, 1);
    assert_int_equal(c->occurrences, 4);
    assert_int_equal(c->to, T_INST);
    const struct policy_explain_step *h = find(st, n, HOL);
    assert_int_equal(h->holiday_day, D_INST);
    assert_int_equal(h->shifted_day, D_CONF);
    assert_int_equal(h->from, T_INST);
    assert_int_equal(h->to, T_CONF);
    const struct policy_explain_step *cut = find(st, n, CUT);
    assert_int_equal(cut->deadline, T_CUT);
    assert_int_equal(cut->days, 7);
    assert_false(cut->met);
    assert_true(cut->has_ids);
    assert_int_equal(cut->n_ids, 2); /* 3 and 7; the rejected 9 is left out */
    assert_int_equal(cut->ids[0], 3);
    assert_int_equal(cut->ids[1], 7);
    assert_true(cut->has_count);
    assert_int_equal(cut->fix_count, 2);
    /* Team events ahead depend on the content while the cut-off is open. */
    const struct policy_explain_step *last = &st[n - 1];
    assert_true(last->if_unchanged);
    assert_int_equal(last->audiences, 1u << POLICY_AUDIENCE_TEAM);
    policy_explain_free(st, n);
}

/* A fix withdrawn after it was ready (back to confirmed, its fix_ready_at kept) no longer meets
 * the cut-off: neither its id nor the count shows it. */
static void withdrawn_fix_does_not_count(void **state)
{
    (void)state;
    struct fixture f;
    setup(&f, WINDOW, TEAM);
    f.issues[1].status = POLICY_ISSUE_CONFIRMED;
    struct policy_explain_step *st;
    size_t n = policy_explain(&f.in, &st);
    const struct policy_explain_step *cut = find(st, n, CUT);
    assert_int_equal(cut->n_ids, 1);
    assert_int_equal(cut->ids[0], 7);
    assert_int_equal(cut->fix_count, 1);
    policy_explain_free(st, n);
}

static void move_who_and_why(void **state)
{
    (void)state;
    struct fixture f;
    setup(&f, MOVED, TEAM);
    struct policy_explain_step *st;
    size_t n = policy_explain(&f.in, &st);
    const struct policy_explain_step *m = find(st, n, MOVE);
    assert_string_equal(m->by, "alice");
    assert_string_equal(m->reason, "PRIVATE-MARKER the fix needs another week");
    assert_int_equal(m->from, T_CONF);
    assert_int_equal(m->to, T_NEW);
    assert_true(find(st, n, CUT)->met); /* judged before the move */
    assert_int_equal(find(st, n, PRE)->days, 7);
    policy_explain_free(st, n);
}

/* The pre-announcement and notice from the audit log carry its late mark. */
static void late_from_the_audit_log(void **state)
{
    (void)state;
    struct fixture f;
    setup(&f, SAME_SECOND, TEAM);
    struct policy_explain_step *st;
    size_t n = policy_explain(&f.in, &st);
    assert_true(find(st, n, PRE)->late);
    assert_false(find(st, n, NOT)->late);
    policy_explain_free(st, n);
}

static void oos_notice(void **state)
{
    (void)state;
    struct fixture f;
    setup(&f, OOS_OK, TEAM);
    struct policy_explain_step *st;
    size_t n = policy_explain(&f.in, &st);
    const struct policy_explain_step *o = find(st, n, OOS);
    assert_int_equal(o->date, T_OSTA);
    assert_int_equal(o->deadline, T_ODL);
    assert_int_equal(o->days, 14);
    assert_true(o->met);
    assert_false(o->override);
    assert_string_equal(o->by, "alice");
    assert_string_equal(o->reason, "PRIVATE-MARKER exploited in the wild");
    assert_true(o->has_ids);
    assert_int_equal(o->n_ids, 1);
    assert_int_equal(o->ids[0], 5);
    policy_explain_free(st, n);

    setup(&f, OOS_SHORT, TEAM);
    n = policy_explain(&f.in, &st);
    o = find(st, n, OOS);
    assert_int_equal(o->date, T_OSHRT);
    assert_int_equal(o->deadline, T_ODL);
    assert_false(o->met);
    assert_true(o->override);
    assert_string_equal(o->override_reason, "PRIVATE-MARKER zero-day");
    policy_explain_free(st, n);
}

/* The public sees no actor, reason, override reason or issue id in any step of any situation,
 * and no count before the announcement. */
static void public_sees_public_facts(void **state)
{
    (void)state;
    for (int sit = WINDOW; sit <= NO_HOLIDAY; sit++) {
        struct fixture f;
        setup(&f, (enum situation)sit, PUB);
        struct policy_explain_step *st;
        size_t n = policy_explain(&f.in, &st);
        for (size_t k = 0; k < n; k++) {
            assert_null(st[k].by);
            assert_null(st[k].reason);
            assert_null(st[k].override_reason);
            assert_false(st[k].has_ids);
            assert_int_equal(st[k].n_ids, 0);
            if (st[k].rule == POLICY_EXPLAIN_CUTOFF)
                assert_int_equal(st[k].has_count, f.rel.status == POLICY_RELEASE_ANNOUNCED ||
                                                      f.rel.status == POLICY_RELEASE_RELEASED);
            if (st[k].rule == POLICY_EXPLAIN_DUE)
                assert_int_equal(st[k].audiences & ~(1u << POLICY_AUDIENCE_PUBLIC), 0);
        }
        policy_explain_free(st, n);
    }
}

static void names(void **state)
{
    (void)state;
    assert_string_equal(policy_explain_rule_name(POLICY_EXPLAIN_HOLIDAY_SHIFT), "holiday_shift");
    assert_string_equal(policy_explain_rule_name(POLICY_EXPLAIN_PRE_ANNOUNCEMENT),
                        "pre_announcement");
    assert_string_equal(policy_explain_rule_name(POLICY_EXPLAIN_RULE_COUNT), "unknown");
    assert_string_equal(policy_explain_due_name(POLICY_DUE_REMINDER), "reminder");
    assert_string_equal(policy_explain_due_name(POLICY_DUE_RELEASE_DAY), "release");
    assert_string_equal(policy_explain_due_name(POLICY_DUE_ANNOUNCE_SKIPPED), "pre_announcement");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(explain_rows),
        cmocka_unit_test(holiday_and_cutoff_fields),
        cmocka_unit_test(withdrawn_fix_does_not_count),
        cmocka_unit_test(move_who_and_why),
        cmocka_unit_test(late_from_the_audit_log),
        cmocka_unit_test(oos_notice),
        cmocka_unit_test(public_sees_public_facts),
        cmocka_unit_test(names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
