/* HTML/XML text escaping: markup, quotes of both kinds, the controls XML 1.0 forbids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/markup.h"

static void escaping(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"<script>alert('x')</script> & \"q\"",
         "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"},
        {"a\tb\nc\rd", "a\tb\nc\rd"}, /* the whitespace XML allows */
        {"a\x01"
         "b\x1f"
         "c\x7f"
         "d",
         "a b c d"},                                              /* controls it does not */
        {"caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac"}, /* UTF-8 untouched */
        {"&amp;", "&amp;amp;"}, /* text, not markup: escaped again */
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct buf b;
        buf_init(&b, 1024);
        markup_escape(&b, cases[i].in);
        assert_string_equal(buf_cstr(&b), cases[i].out);
        buf_close(&b);
    }
    struct buf b;
    buf_init(&b, 16);
    markup_escape(&b, NULL);
    assert_string_equal(buf_cstr(&b), "");
    buf_close(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escaping),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
