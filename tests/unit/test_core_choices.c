/* "a|b|c" lists: membership and the walk, on the edges (prefixes, empty items, NULL). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/choices.h"

static void membership(void **state)
{
    (void)state;
    static const struct {
        const char *list, *v;
        bool has;
    } cases[] = {
        {"notify|not_needed", "notify", true},
        {"notify|not_needed", "not_needed", true},
        {"notify|not_needed", "not", false},     /* a prefix of an item */
        {"notify|not_needed", "notify|", false}, /* the separator is not part of an item */
        {"notify|not_needed", "not_needed2", false},
        {"a", "a", true},
        {"a||b", "", false}, /* "" is never an item, even between two separators */
        {"a||b", "b", true},
        {"", "a", false},
        {NULL, "a", false},
        {"done|open|not_applicable", "open", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(choices_has(cases[i].list, cases[i].v), cases[i].has);
}

static void walk(void **state)
{
    (void)state;
    const char *want[] = {"notify", "", "not_needed"};
    const char *p = "notify||not_needed", *item;
    size_t len, n = 0;
    while (choices_next(&p, &item, &len)) {
        assert_true(n < 3);
        assert_int_equal(len, strlen(want[n]));
        assert_memory_equal(item, want[n], len);
        n++;
    }
    assert_int_equal(n, 3);
    p = NULL;
    assert_false(choices_next(&p, &item, &len));
    p = "a|";
    assert_true(choices_next(&p, &item, &len));
    assert_int_equal(len, 1);
    assert_false(choices_next(&p, &item, &len)); /* a trailing separator adds nothing */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(membership),
        cmocka_unit_test(walk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
