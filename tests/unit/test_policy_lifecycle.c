/* policy/lifecycle: every one of the 7x7 moves against a matrix written out from docs/POLICY.md's
 * "Lifecycles" paragraph, and the instants each move stamps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/err.h"
#include "policy/lifecycle.h"

enum {
    R,
    A,
    I,
    C,
    F,
    L,
    X
}; /* reported acknowledged investigating confirmed fix_ready
      released rejected */

static void matrix(void **state)
{
    (void)state;
    /* Rows: from; columns: to. "investigating may be skipped", "rejected from any state before
     * released", "fix_ready -> confirmed when a fix is withdrawn"; released only by publishing. */
    static const int allowed[7][7] = {
        /*        R  A  I  C  F  L  X */
        /* R */ {0, 1, 0, 0, 0, 0, 1},
        /* A */ {0, 0, 1, 1, 0, 0, 1},
        /* I */ {0, 0, 0, 1, 0, 0, 1},
        /* C */ {0, 0, 0, 0, 1, 0, 1},
        /* F */ {0, 0, 0, 1, 0, 0, 1},
        /* L */ {0, 0, 0, 0, 0, 0, 0},
        /* X */ {0, 0, 0, 0, 0, 0, 0},
    };
    for (int from = 0; from < 7; from++) {
        enum policy_issue_status out[POLICY_ISSUE_STATUS_COUNT];
        size_t n = policy_issue_transitions_from((enum policy_issue_status)from, out);
        size_t expected = 0;
        for (int to = 0; to < 7; to++) {
            expected += (size_t)allowed[from][to];
            assert_int_equal(policy_issue_transition_allowed((enum policy_issue_status)from,
                                                             (enum policy_issue_status)to),
                             allowed[from][to]);
        }
        assert_int_equal(n, expected);
    }
}

static void stamps(void **state)
{
    (void)state;
    struct policy_issue i;
    memset(&i, 0, sizeof i);
    i.acknowledged_at = i.responded_at = i.fix_ready_at = i.released_at = POLICY_TIME_NONE;
    assert_int_equal(policy_issue_apply_transition(&i, POLICY_ISSUE_FIX_READY, 5), RC_ETRANSITION);
    assert_int_equal(i.status, POLICY_ISSUE_REPORTED);
    assert_int_equal(policy_issue_apply_transition(&i, POLICY_ISSUE_ACKNOWLEDGED, 10), 0);
    assert_int_equal(i.acknowledged_at, 10);
    assert_true(i.responded_at == POLICY_TIME_NONE);
    assert_int_equal(policy_issue_apply_transition(&i, POLICY_ISSUE_CONFIRMED, 20), 0);
    assert_int_equal(i.responded_at, 20); /* the first move out of acknowledged */
    assert_int_equal(policy_issue_apply_transition(&i, POLICY_ISSUE_FIX_READY, 30), 0);
    assert_int_equal(i.fix_ready_at, 30);
    assert_int_equal(policy_issue_apply_transition(&i, POLICY_ISSUE_CONFIRMED, 40), 0);
    assert_true(i.fix_ready_at == POLICY_TIME_NONE); /* withdrawn */
    assert_int_equal(i.responded_at, 20);
    assert_int_equal(policy_issue_apply_transition(&i, POLICY_ISSUE_FIX_READY, 50), 0);
    policy_issue_release(&i, 60);
    assert_int_equal(i.status, POLICY_ISSUE_RELEASED);
    assert_int_equal(i.released_at, 60);
    assert_int_equal(policy_issue_apply_transition(&i, POLICY_ISSUE_REJECTED, 70), RC_ETRANSITION);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(matrix), cmocka_unit_test(stamps)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
