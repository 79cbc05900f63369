/* policy/types.c: the string forms of issue statuses, release statuses and release kinds (the
 * API's JSON and the store's text columns, docs/CONTRACT.md): each value round-trips; anything
 * else, NULL included, is refused and leaves the output alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/err.h"
#include "core/nelem.h"
#include "policy/types.h"

static const char *const refused[] = {"",          "Reported",  "fix-ready",
                                      "done",      "released ", "out-of-sequence",
                                      "Scheduled", "unknown",   "planned2"};

static void issue_statuses(void **state)
{
    (void)state;
    static const struct {
        enum policy_issue_status s;
        const char *name;
    } rows[] = {
        {POLICY_ISSUE_REPORTED, "reported"},           {POLICY_ISSUE_ACKNOWLEDGED, "acknowledged"},
        {POLICY_ISSUE_INVESTIGATING, "investigating"}, {POLICY_ISSUE_CONFIRMED, "confirmed"},
        {POLICY_ISSUE_FIX_READY, "fix_ready"},         {POLICY_ISSUE_RELEASED, "released"},
        {POLICY_ISSUE_REJECTED, "rejected"},
    };
    assert_int_equal(NELEM(rows), POLICY_ISSUE_STATUS_COUNT);
    for (size_t i = 0; i < NELEM(rows); i++) {
        assert_string_equal(policy_issue_status_name(rows[i].s), rows[i].name);
        enum policy_issue_status s = POLICY_ISSUE_STATUS_COUNT;
        assert_int_equal(policy_issue_status_parse(rows[i].name, &s), 0);
        assert_int_equal(s, rows[i].s);
    }
    for (size_t i = 0; i < NELEM(refused); i++) {
        enum policy_issue_status s = POLICY_ISSUE_CONFIRMED;
        assert_int_equal(policy_issue_status_parse(refused[i], &s), RC_EINVAL);
        assert_int_equal(s, POLICY_ISSUE_CONFIRMED);
    }
    enum policy_issue_status s;
    assert_int_equal(policy_issue_status_parse(NULL, &s), RC_EINVAL);
}

static void release_kinds(void **state)
{
    (void)state;
    static const struct {
        enum policy_release_kind k;
        const char *name;
    } rows[] = {
        {POLICY_RELEASE_SCHEDULED, "scheduled"},
        {POLICY_RELEASE_OUT_OF_SEQUENCE, "out_of_sequence"},
    };
    for (size_t i = 0; i < NELEM(rows); i++) {
        assert_string_equal(policy_release_kind_name(rows[i].k), rows[i].name);
        enum policy_release_kind k = rows[i].k == POLICY_RELEASE_SCHEDULED
                                         ? POLICY_RELEASE_OUT_OF_SEQUENCE
                                         : POLICY_RELEASE_SCHEDULED;
        assert_int_equal(policy_release_kind_parse(rows[i].name, &k), 0);
        assert_int_equal(k, rows[i].k);
    }
    for (size_t i = 0; i < NELEM(refused); i++) {
        enum policy_release_kind k = POLICY_RELEASE_OUT_OF_SEQUENCE;
        assert_int_equal(policy_release_kind_parse(refused[i], &k), RC_EINVAL);
        assert_int_equal(k, POLICY_RELEASE_OUT_OF_SEQUENCE);
    }
    enum policy_release_kind k;
    assert_int_equal(policy_release_kind_parse(NULL, &k), RC_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(issue_statuses),
        cmocka_unit_test(release_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
