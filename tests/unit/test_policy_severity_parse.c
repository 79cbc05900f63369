/* policy/severity refusals: every way a vector can be wrong (missing, duplicate or unknown
 * metric, unknown value, wrong prefix, empty, stray separators, lowercase, junk bytes, length)
 * for CVSS v3.0/v3.1/v4.0 and CMSS, each with a message that names the culprit; the output is
 * left untouched on failure. Also the accepted spellings (white space, metric order). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "policy/severity.h"

#define V31 "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
#define V40 "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
#define CM  "AC:None/A:None/CI:All/II:All/E:Exploit/TD:Default"

struct bad {
    const char *vector;
    const char *message; /* expected substring */
};

static void expect_refused(const struct bad *b, size_t n)
{
    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        struct policy_severity s, before;
        memset(&s, 0x5a, sizeof s);
        before = s;
        char err[160] = "";
        int rc = policy_severity_score(b[i].vector, &s, err, sizeof err);
        if (rc != RC_EPARSE || !strstr(err, b[i].message) || memcmp(&s, &before, sizeof s) != 0) {
            fprintf(stderr, "'%s': rc %d message '%s', want '%s'\n", b[i].vector, rc, err,
                    b[i].message);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

#define REFUSED(table) expect_refused(table, sizeof table / sizeof table[0])

static void cvss3_refusals(void **state)
{
    (void)state;
    static const struct bad b[] = {
        {"CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "AV: unknown value 'Q'"},
        {"CVSS:3.1/AV:N/PR:N/UI:N/S:U/C:H/I:H/A:H", "missing metric AC"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "missing metric A"},
        {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H", "missing metric S"},
        {"CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "duplicate metric AV"},
        {V31 "/E:P/E:P", "duplicate metric E"},
        {V31 "/ZZ:1", "unknown metric 'ZZ'"},
        {V31 "/AT:N", "unknown metric 'AT'"}, /* a v4 metric in a v3 vector */
        {V31 "/", "trailing separator after A"},
        {"CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "empty metric"},
        {"CVSS:3.1/av:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown metric 'av'"},
        {"CVSS:3.1/AV:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "AV: unknown value 'n'"},
        {"CVSS:3.1/AV:/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "AV: unknown value ''"},
        {"CVSS:3.1/AV/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "'AV' is not METRIC:VALUE"},
        {"CVSS:3.1/AV:N:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "AV: unknown value 'N:N'"},
        {V31 "/E:Z", "E: unknown value 'Z'"},
        {V31 "/RL:Q", "RL: unknown value 'Q'"},
        {V31 "/MAV:Q", "MAV: unknown value 'Q'"},
        {V31 "/MS:X/MS:U", "duplicate metric MS"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:X/C:H/I:H/A:H", "S: unknown value 'X'"},
        {"CVSS:3.1/AV:N /AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "AV: unknown value 'N '"},
        {"CVSS:3.1/", "no metrics"},
        {"CVSS:3.1", "no metrics"},
    };
    REFUSED(b);
}

static void cvss4_refusals(void **state)
{
    (void)state;
    static const struct bad b[] = {
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N", "missing metric SA"},
        {"CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "missing metric AT"},
        {"CVSS:4.0/AV:N/AC:L/AT:X/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
         "AT: unknown value 'X'"},
        /* S (safety) is only a value of the modified subsequent-system metrics */
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N",
         "SI: unknown value 'S'"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSC:S",
         "MSC: unknown value 'S'"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
         "UI: unknown value 'R'"},
        {V40 "/E:F", "E: unknown value 'F'"},
        {V40 "/E:A/E:A", "duplicate metric E"},
        {V40 "/CR:X/CR:H", "duplicate metric CR"},
        {V40 "/U:red", "U: unknown value 'red'"},
        {V40 "/S:U", "S: unknown value 'U'"}, /* v3's scope is v4's supplemental Safety */
        {V40 "/RL:O", "unknown metric 'RL'"},
        {V40 "/C:H", "unknown metric 'C'"},
        {V40 "/", "trailing separator after SA"},
        {"CVSS:4.0/", "no metrics"},
    };
    REFUSED(b);
}

static void cmss_refusals(void **state)
{
    (void)state;
    static const struct bad b[] = {
        {"AC:None/A:None/CI:All/II:All/E:Exploit", "missing metric TD"},
        {"A:None/CI:All/II:All/E:Exploit/TD:All", "missing metric AC"},
        {"AC:Easy/A:None/CI:All/II:All/E:Exploit/TD:All", "AC: unknown value 'Easy'"},
        {"AC:none/A:None/CI:All/II:All/E:Exploit/TD:All", "AC: unknown value 'none'"},
        {"ac:None/A:None/CI:All/II:All/E:Exploit/TD:All", "unknown metric 'ac'"},
        {"AC:None/A:None/CI:All/II:All/E:Exploit/TD:None", "TD: unknown value 'None'"},
        {"AC:None/A:None/CI:All/II:All/E:Exploit/TD:All/TD:All", "duplicate metric TD"},
        {"AC:None/AC:Basic/A:None/CI:All/II:All/E:Exploit/TD:All", "duplicate metric AC"},
        {"AC:None/A:None/CI:All/II:All/E:Exploit/TD:All/X:1", "unknown metric 'X'"},
        {"AC:None//A:None/CI:All/II:All/E:Exploit/TD:All", "empty metric"},
        {"AC:None/A:None/CI:All/II:All/E:Exploit/TD:All/", "trailing separator after TD"},
        {"AC None/A:None/CI:All/II:All/E:Exploit/TD:All", "'AC' is not METRIC:VALUE"},
        {"hello", "'hello' is not METRIC:VALUE"},
        /* a CVSS vector without its prefix, and CVSS v2 */
        {"AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS vectors start with CVSS:3.0/"},
        {"AV:N/AC:L/Au:N/C:P/I:P/A:P", "unknown metric 'AV'"},
    };
    REFUSED(b);
}

static void prefix_and_text_refusals(void **state)
{
    (void)state;
    char long_vec[400];
    snprintf(long_vec, sizeof long_vec, "%s", V40);
    for (size_t o = strlen(long_vec); o < 200; o = strlen(long_vec))
        snprintf(long_vec + o, sizeof long_vec - o, "/E:A");
    static const struct bad b[] = {
        {"", "empty vector"},
        {"   \t\n", "empty vector"},
        {"CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P", "unsupported prefix 'CVSS:2.0'"},
        {"cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unsupported prefix 'cvss:3.1'"},
        {"CVSS:3.1x/AV:N", "unsupported prefix 'CVSS:3.1x'"},
        {"CVSS:3/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unsupported prefix 'CVSS:3'"},
        {"CVSS 3.1/AV:N", "unsupported prefix"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:\x01", "invalid character (byte 0x01)"},
        {"AC:None/A:None/CI:All/II:All/E:Exploit/TD:D\xc3\xa9"
         "fault",
         "invalid character (byte 0xc3)"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\x7f", "invalid character (byte 0x7f)"},
    };
    REFUSED(b);
    const struct bad too_long[] = {{long_vec, "vector longer than 191 characters"}};
    REFUSED(too_long);
    /* Long junk is echoed shortened, so the message always fits whole. */
    const struct bad junk[] = {
        {"CVSS:3.1/AV:NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN",
         "AV: unknown value 'NNNNNNNNNNNNNNNNNNNNNNNN...'"},
    };
    REFUSED(junk);
}

/* A NULL or zero-length error buffer is allowed; a short one is cut, never overrun. */
static void error_buffers(void **state)
{
    (void)state;
    struct policy_severity s;
    assert_int_equal(policy_severity_score("CVSS:3.1/AV:Q", &s, NULL, 0), RC_EPARSE);
    assert_int_equal(policy_severity_score(NULL, &s, NULL, 0), RC_EPARSE);
    char small[8];
    memset(small, 'x', sizeof small);
    assert_int_equal(policy_severity_score("CVSS:3.1/AV:Q", &s, small, 5), RC_EPARSE);
    assert_string_equal(small, "AV: ");
    assert_int_equal(small[5], 'x');
    char err[4] = "abc";
    assert_int_equal(policy_severity_score("AV:N/AC:L", &s, err, 0), RC_EPARSE);
    assert_string_equal(err, "abc");
}

/* What is accepted: surrounding and repeated white space (vectors pasted from web pages), any
 * metric order, undefined (X) optional metrics. */
static void accepted_spellings(void **state)
{
    (void)state;
    static const struct {
        const char *in, *stored;
        double score;
    } ok[] = {
        {"  " V31 "\n", V31, 9.8},
        {"\t" CM " ", CM, 24},
        {"AC:None   A:None\tCI:All II:All  E:Exploit TD:Default",
         "AC:None A:None CI:All II:All E:Exploit TD:Default", 24},
        {"AC:None/A:None CI:All/II:All E:Exploit/TD:Default",
         "AC:None/A:None CI:All/II:All E:Exploit/TD:Default", 24},
        {"TD:Default/E:Exploit/II:All/CI:All/A:None/AC:None",
         "TD:Default/E:Exploit/II:All/CI:All/A:None/AC:None", 24},
        {"CVSS:4.0/SA:N/SI:N/SC:N/VA:H/VI:H/VC:H/UI:N/PR:N/AT:N/AC:L/AV:N",
         "CVSS:4.0/SA:N/SI:N/SC:N/VA:H/VI:H/VC:H/UI:N/PR:N/AT:N/AC:L/AV:N", 9.3},
        /* X everywhere is the base score (E:X means "attacked", CR/IR/AR:X mean High) */
        {V40 "/E:X/CR:X/IR:X/AR:X/MAV:X/MSI:X/S:X/AU:X/R:X/V:X/RE:X/U:X",
         V40 "/E:X/CR:X/IR:X/AR:X/MAV:X/MSI:X/S:X/AU:X/R:X/V:X/RE:X/U:X", 9.3},
        /* supplemental metrics never change the score */
        {V40 "/S:P/AU:Y/R:I/V:C/RE:H/U:Red", V40 "/S:P/AU:Y/R:I/V:C/RE:H/U:Red", 9.3},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        struct policy_severity s;
        char err[160] = "";
        if (policy_severity_score(ok[i].in, &s, err, sizeof err) != 0)
            fail_msg("'%s' refused: %s", ok[i].in, err);
        assert_string_equal(s.vector, ok[i].stored);
        assert_true(s.score > ok[i].score - 0.05 && s.score < ok[i].score + 0.05);
    }
}

static void levels_and_names(void **state)
{
    (void)state;
    static const struct {
        double score;
        enum policy_level level;
    } edges[] = {
        {0.0, POLICY_LEVEL_NONE},   {0.1, POLICY_LEVEL_LOW},      {3.9, POLICY_LEVEL_LOW},
        {4.0, POLICY_LEVEL_MEDIUM}, {6.9, POLICY_LEVEL_MEDIUM},   {7.0, POLICY_LEVEL_HIGH},
        {8.9, POLICY_LEVEL_HIGH},   {9.0, POLICY_LEVEL_CRITICAL}, {10.0, POLICY_LEVEL_CRITICAL},
        {-1.0, POLICY_LEVEL_NONE},
    };
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        assert_int_equal(policy_level_from_cvss(edges[i].score), edges[i].level);
    /* 0.1 + 0.2 style binary noise right at a boundary still lands on the written value */
    assert_int_equal(policy_level_from_cvss(0.1 * 3 + 3.6), POLICY_LEVEL_LOW);
    assert_int_equal(policy_level_from_cvss(6.9 + 0.1), POLICY_LEVEL_HIGH);

    static const char *const names[] = {"none", "low", "medium", "high", "critical"};
    for (int i = 0; i <= POLICY_LEVEL_CRITICAL; i++) {
        enum policy_level l;
        assert_string_equal(policy_level_name((enum policy_level)i), names[i]);
        assert_int_equal(policy_level_parse(names[i], &l), 0);
        assert_int_equal(l, i);
    }
    enum policy_level l = POLICY_LEVEL_HIGH;
    assert_int_equal(policy_level_parse("Critical", &l), RC_EINVAL);
    assert_int_equal(policy_level_parse("", &l), RC_EINVAL);
    assert_int_equal(policy_level_parse(NULL, &l), RC_EINVAL);
    assert_int_equal(l, POLICY_LEVEL_HIGH);
    assert_string_equal(policy_level_name((enum policy_level)42), "unknown");

    assert_string_equal(policy_scheme_name(POLICY_SCHEME_CVSS30), "cvss3.0");
    assert_string_equal(policy_scheme_name(POLICY_SCHEME_CVSS31), "cvss3.1");
    assert_string_equal(policy_scheme_name(POLICY_SCHEME_CVSS40), "cvss4.0");
    assert_string_equal(policy_scheme_name(POLICY_SCHEME_CMSS), "cmss");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cvss3_refusals),   cmocka_unit_test(cvss4_refusals),
        cmocka_unit_test(cmss_refusals),    cmocka_unit_test(prefix_and_text_refusals),
        cmocka_unit_test(error_buffers),    cmocka_unit_test(accepted_spellings),
        cmocka_unit_test(levels_and_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
