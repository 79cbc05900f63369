/* policy/checklist: the default (Stalwart) template, due rules as text, due instants from the
 * events, conditions and the tasks relcal completes itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "policy/checklist.h"
#include "policy/types.h"

static void default_template(void **state)
{
    (void)state;
    const struct checklist_template *t = checklist_default();
    const struct checklist_task *x;
    /* The five phases of the Stalwart checklist, in its order. */
    static const char *const ids[] = {"assessment", "response", "impact", "release", "review"};
    assert_int_equal(t->n_phases, 5);
    size_t tasks = 0;
    for (size_t p = 0; p < t->n_phases; p++) {
        assert_string_equal(t->phases[p].id, ids[p]);
        assert_true(t->phases[p].n_tasks > 0);
        for (size_t k = 0; k < t->phases[p].n_tasks; k++) {
            const struct checklist_task *task = &t->phases[p].tasks[k];
            tasks++;
            /* Ids are unique: each is found at its own place. */
            const struct checklist_phase *ph;
            assert_ptr_equal(checklist_find(t, task->id, &ph), task);
            assert_ptr_equal(ph, &t->phases[p]);
            assert_true(strlen(task->title) > 0 && strlen(task->title) < CHECKLIST_TITLE_MAX);
        }
    }
    /* 6 + 7 + 6 + the 19 of Communication & Release + the review. */
    assert_int_equal(tasks, 39);
    assert_int_equal(t->phases[3].n_tasks, 19);
    /* Every task of Communication & Release has a due rule and one of the four groups, in the
     * checklist's order. */
    static const char *const groups[] = {"pre_release", "communication", "release_execution",
                                         "post_release"};
    static const size_t group_sizes[] = {5, 4, 6, 4};
    size_t g = 0, in_group = 0;
    for (size_t k = 0; k < t->phases[3].n_tasks; k++) {
        const struct checklist_task *task = &t->phases[3].tasks[k];
        assert_true(task->has_due);
        if (in_group == group_sizes[g]) {
            g++;
            in_group = 0;
        }
        assert_non_null(task->group);
        assert_string_equal(task->group, groups[g]);
        in_group++;
    }
    assert_int_equal(g, 3);
    assert_string_equal(checklist_group_title("pre_release"), "Pre-release preparation");
    assert_string_equal(checklist_group_title("post_release"), "Post-release");
    assert_string_equal(checklist_group_title("ours"), "ours");
    static const struct {
        const char *id;
        enum checklist_event ev;
        int64_t off;
    } rules[] = {
        {"finalize_patch", CHECKLIST_EV_DISTRIBUTOR_NOTICE, 0},
        {"test_updates", CHECKLIST_EV_RELEASE, -86400},
        {"draft_announcement", CHECKLIST_EV_RELEASE, -86400},
        {"github_announcement", CHECKLIST_EV_RELEASE, -86400},
        {"advisory_content", CHECKLIST_EV_DISTRIBUTOR_NOTICE, 0},
        {"update_images", CHECKLIST_EV_RELEASE, 0},
        {"track_adoption", CHECKLIST_EV_PUBLISHED, 14 * 86400},
        {"follow_up", CHECKLIST_EV_RELEASE, 14 * 86400},
        {"lessons", CHECKLIST_EV_RELEASE, 14 * 86400},
    };
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        const struct checklist_phase *ph;
        const struct checklist_task *r = checklist_find(t, rules[i].id, &ph);
        assert_non_null(r);
        assert_string_equal(ph->id, "release");
        assert_int_equal(r->due_event, rules[i].ev);
        assert_int_equal(r->due_offset, rules[i].off);
        assert_int_equal(r->kind, CHECKLIST_KIND_TASK);
    }
    assert_int_equal(checklist_find(t, "track_adoption", NULL)->auto_done,
                     CHECKLIST_AUTO_ADOPTION_HALF);
    /* The distributor notification is a decision, not a task that ticks itself. */
    x = checklist_find(t, "notify_distributors", NULL);
    assert_int_equal(x->kind, CHECKLIST_KIND_DECISION);
    assert_int_equal(x->auto_done, CHECKLIST_AUTO_NONE);
    assert_null(checklist_find(t, "nope", NULL));
    /* The rules the issue names. */
    x = checklist_find(t, "reproduce", NULL);
    assert_int_equal(x->due_event, CHECKLIST_EV_ACKNOWLEDGE_DEADLINE);
    x = checklist_find(t, "assess_cvss", NULL);
    assert_int_equal(x->due_event, CHECKLIST_EV_RESPOND_DEADLINE);
    x = checklist_find(t, "cve_request", NULL);
    assert_int_equal(x->due_event, CHECKLIST_EV_DISTRIBUTOR_NOTICE);
    assert_int_equal(x->when, CHECKLIST_WHEN_CVE_RECOMMENDED);
    assert_int_equal(x->auto_done, CHECKLIST_AUTO_CVE_RECORDED);
    x = checklist_find(t, "patch", NULL);
    assert_int_equal(x->due_event, CHECKLIST_EV_CUTOFF);
    x = checklist_find(t, "review", NULL);
    assert_int_equal(x->due_event, CHECKLIST_EV_RELEASE);
    assert_int_equal(x->due_offset, 14 * 86400);
}

static void due_rules(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        enum checklist_event ev;
        int64_t off;
    } ok[] = {
        {"release", CHECKLIST_EV_RELEASE, 0},
        {"release+14d", CHECKLIST_EV_RELEASE, 14 * 86400},
        {"distributor_notice-1d", CHECKLIST_EV_DISTRIBUTOR_NOTICE, -86400},
        {"reported+36h", CHECKLIST_EV_REPORTED, 36 * 3600},
        {"published+0d", CHECKLIST_EV_PUBLISHED, 0},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        enum checklist_event ev;
        int64_t off;
        assert_int_equal(checklist_due_parse(ok[i].text, &ev, &off), 0);
        assert_int_equal(ev, ok[i].ev);
        assert_int_equal(off, ok[i].off);
    }
    static const char *const bad[] = {"",          "releases",      "release+",    "release+d",
                                      "release+1", "release+1w",    "release+1dd", "release-+1d",
                                      "+1d",       "release+3651d", "Release"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        enum checklist_event ev;
        int64_t off;
        assert_int_equal(checklist_due_parse(bad[i], &ev, &off), RC_EINVAL);
    }
    char out[64];
    checklist_due_format(CHECKLIST_EV_RELEASE, 14 * 86400, out, sizeof out);
    assert_string_equal(out, "release+14d");
    checklist_due_format(CHECKLIST_EV_CUTOFF, -6 * 3600, out, sizeof out);
    assert_string_equal(out, "cutoff-6h");
    checklist_due_format(CHECKLIST_EV_REPORTED, 0, out, sizeof out);
    assert_string_equal(out, "reported");
}

static void due_instants(void **state)
{
    (void)state;
    struct checklist_events ev;
    for (int k = 0; k < CHECKLIST_EV_COUNT; k++)
        ev.at[k] = POLICY_TIME_NONE;
    const struct checklist_task *review = checklist_find(checklist_default(), "review", NULL);
    const struct checklist_task *workaround =
        checklist_find(checklist_default(), "workaround", NULL);
    /* No release yet: no due date. */
    assert_int_equal(checklist_due(review, &ev), POLICY_TIME_NONE);
    /* 2027-02-09T13:00:00Z + 14 days = 2027-02-23T13:00:00Z (1802178000 + 1209600). */
    ev.at[CHECKLIST_EV_RELEASE] = 1802178000;
    assert_int_equal(checklist_due(review, &ev), 1803387600);
    /* The release moves a week: the task moves with it. */
    ev.at[CHECKLIST_EV_RELEASE] += 7 * 86400;
    assert_int_equal(checklist_due(review, &ev), 1803387600 + 7 * 86400);
    assert_int_equal(checklist_due(workaround, &ev), POLICY_TIME_NONE); /* no rule */
}

static void self_completion(void **state)
{
    (void)state;
    struct checklist_facts f = {.fix_ready_at = POLICY_TIME_NONE,
                                .adoption_half_at = POLICY_TIME_NONE,
                                .notice_delivered_at = POLICY_TIME_NONE,
                                .announced_at = POLICY_TIME_NONE,
                                .published_at = POLICY_TIME_NONE};
    char ev[256];
    int64_t at;
    for (int a = 1; a < CHECKLIST_AUTO_COUNT; a++)
        assert_false(checklist_auto_check((enum checklist_auto)a, &f, &at, ev, sizeof ev));
    f.severity = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H (9.8 Critical)";
    assert_true(checklist_auto_check(CHECKLIST_AUTO_SEVERITY_ASSESSED, &f, &at, ev, sizeof ev));
    assert_int_equal(at, POLICY_TIME_NONE); /* relcal does not know when */
    assert_non_null(strstr(ev, "9.8 Critical"));
    f.cve = "CVE-2026-12345";
    assert_true(checklist_auto_check(CHECKLIST_AUTO_CVE_RECORDED, &f, &at, ev, sizeof ev));
    assert_string_equal(ev, "CVE-2026-12345 recorded");
    f.release_id = "2027-02-09";
    f.notice_delivered_at = 1000;
    f.notice_evidence = "distros (HTTP 200)";
    assert_true(
        checklist_auto_check(CHECKLIST_AUTO_DISTRIBUTOR_NOTICE_DELIVERED, &f, &at, ev, sizeof ev));
    assert_int_equal(at, 1000);
    assert_string_equal(ev, "distributor notice of 2027-02-09 delivered: distros (HTTP 200)");
    f.published_at = 2000;
    assert_true(checklist_auto_check(CHECKLIST_AUTO_RELEASE_PUBLISHED, &f, &at, ev, sizeof ev));
    assert_string_equal(ev, "release 2027-02-09 published");
    /* Conditions. */
    const struct checklist_task *cve = checklist_find(checklist_default(), "cve_request", NULL);
    f.cve_recommended = false;
    assert_false(checklist_applies(cve, &f));
    f.cve_recommended = true;
    assert_true(checklist_applies(cve, &f));
    f.adoption_half_at = 3000;
    assert_true(checklist_auto_check(CHECKLIST_AUTO_ADOPTION_HALF, &f, &at, ev, sizeof ev));
    assert_int_equal(at, 3000);
    enum checklist_auto a;
    assert_int_equal(checklist_auto_parse("adoption_half", &a), 0);
    assert_int_equal(a, CHECKLIST_AUTO_ADOPTION_HALF);
    assert_int_equal(checklist_auto_parse("release_published", &a), 0);
    assert_int_equal(a, CHECKLIST_AUTO_RELEASE_PUBLISHED);
    assert_int_equal(checklist_auto_parse("none", &a), RC_EINVAL);
    enum checklist_when w;
    assert_int_equal(checklist_when_parse("sometimes", &w), RC_EINVAL);
}

static void decisions(void **state)
{
    (void)state;
    const struct checklist_task *d =
        checklist_find(checklist_default(), "notify_distributors", NULL);
    const struct checklist_task *t = checklist_find(checklist_default(), "reproduce", NULL);
    static const struct {
        const char *choice;
        bool valid, reason;
    } cases[] = {
        {"notify", true, false}, {"not_needed", true, true},
        {"not", false, false},   {"notify|not_needed", false, false},
        {"", false, false},      {"open", false, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(checklist_choice_valid(d, cases[i].choice), cases[i].valid);
        assert_int_equal(checklist_choice_needs_reason(d, cases[i].choice), cases[i].reason);
        assert_false(checklist_choice_valid(t, cases[i].choice)); /* not a decision */
    }
}

static void adoption_half(void **state)
{
    (void)state;
    static const struct {
        struct checklist_adoption v[4];
        size_t n;
        int64_t published, want;
    } cases[] = {
        {{{0, 0}}, 0, 1000000, POLICY_TIME_NONE},                                /* no figures */
        {{{1100000, 0.2}, {1200000, 0.49}}, 2, 1000000, POLICY_TIME_NONE},       /* not reached */
        {{{1300000, 0.8}, {1200000, 0.5}, {1100000, 0.3}}, 3, 1000000, 1200000}, /* any order */
        {{{900000, 0.6}, {1250000, 0.55}}, 2, 1000000, 1250000}, /* before publication: no */
        {{{900000, 0.6}}, 1, POLICY_TIME_NONE, 900000},          /* publication unknown */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(checklist_adoption_half(cases[i].v, cases[i].n, cases[i].published),
                         cases[i].want);
}

/* The string forms of task states and kinds (docs/CONTRACT.md): each round-trips; anything else,
 * NULL included, is refused and leaves the output alone. */
/* An issue's checklist stays active until 30 days after its release (docs/POLICY.md "Incident
 * checklist"); a rejected issue has none. */
static void active_until_30_days_after_release(void **state)
{
    (void)state;
    const int64_t day = 86400, released = 1795521600; /* 2026-11-24T12:00:00Z */
    static const struct {
        enum policy_issue_status status;
        bool has_released_at;
        int64_t now_offset; /* from `released` */
        bool active;
    } cases[] = {
        {POLICY_ISSUE_REPORTED, false, 400 * day, true},
        {POLICY_ISSUE_FIX_READY, false, 400 * day, true},
        {POLICY_ISSUE_REJECTED, false, 0, false},
        {POLICY_ISSUE_RELEASED, true, 0, true},
        {POLICY_ISSUE_RELEASED, true, 30 * day - 1, true},
        {POLICY_ISSUE_RELEASED, true, 30 * day, false},
        {POLICY_ISSUE_RELEASED, true, 400 * day, false},
        {POLICY_ISSUE_RELEASED, false, 400 * day, true}, /* no instant recorded */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct policy_issue is;
        memset(&is, 0, sizeof is);
        is.status = cases[i].status;
        is.released_at = cases[i].has_released_at ? released : POLICY_TIME_NONE;
        if (checklist_active(&is, released + cases[i].now_offset) != cases[i].active)
            fail_msg("case %zu: expected %s", i, cases[i].active ? "active" : "inactive");
    }
}

static void state_and_kind_names(void **state)
{
    (void)state;
    static const struct {
        enum checklist_state st;
        const char *name;
    } states[] = {
        {CHECKLIST_STATE_OPEN, "open"},
        {CHECKLIST_STATE_DONE, "done"},
        {CHECKLIST_STATE_NOT_APPLICABLE, "not_applicable"},
    };
    assert_int_equal(sizeof states / sizeof states[0], CHECKLIST_STATE_COUNT);
    for (size_t i = 0; i < CHECKLIST_STATE_COUNT; i++) {
        assert_string_equal(checklist_state_name(states[i].st), states[i].name);
        enum checklist_state st = CHECKLIST_STATE_COUNT;
        assert_int_equal(checklist_state_parse(states[i].name, &st), 0);
        assert_int_equal(st, states[i].st);
    }
    static const struct {
        enum checklist_kind k;
        const char *name;
    } kinds[] = {{CHECKLIST_KIND_TASK, "task"}, {CHECKLIST_KIND_DECISION, "decision"}};
    assert_int_equal(sizeof kinds / sizeof kinds[0], CHECKLIST_KIND_COUNT);
    for (size_t i = 0; i < CHECKLIST_KIND_COUNT; i++) {
        assert_string_equal(checklist_kind_name(kinds[i].k), kinds[i].name);
        enum checklist_kind k = CHECKLIST_KIND_COUNT;
        assert_int_equal(checklist_kind_parse(kinds[i].name, &k), 0);
        assert_int_equal(k, kinds[i].k);
    }
    static const char *const refused[] = {"",    "Open",   "closed", "finished", "not-applicable",
                                          "n/a", "notify", "tasks",  "Decision", "done "};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        enum checklist_state st = CHECKLIST_STATE_DONE;
        assert_int_equal(checklist_state_parse(refused[i], &st), RC_EINVAL);
        assert_int_equal(st, CHECKLIST_STATE_DONE);
        enum checklist_kind k = CHECKLIST_KIND_DECISION;
        assert_int_equal(checklist_kind_parse(refused[i], &k), RC_EINVAL);
        assert_int_equal(k, CHECKLIST_KIND_DECISION);
    }
    enum checklist_state st;
    enum checklist_kind k;
    assert_int_equal(checklist_state_parse(NULL, &st), RC_EINVAL);
    assert_int_equal(checklist_kind_parse(NULL, &k), RC_EINVAL);
    assert_string_equal(checklist_state_name(CHECKLIST_STATE_COUNT), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(state_and_kind_names),
        cmocka_unit_test(active_until_30_days_after_release),
        cmocka_unit_test(default_template),
        cmocka_unit_test(due_rules),
        cmocka_unit_test(due_instants),
        cmocka_unit_test(self_completion),
        cmocka_unit_test(decisions),
        cmocka_unit_test(adoption_half),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
