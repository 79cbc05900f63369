/* policy/advisory_docs: which releases have documents, OSV ids and prefixes, ecosystems,
 * severity types, CVSS v3 base vectors and affected ranges, each a table of values worked out
 * by hand (docs/POLICY.md "Machine-readable advisories"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "policy/advisory_docs.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void documented(void **state)
{
    (void)state;
    static const struct {
        enum policy_release_status status;
        int64_t released_at;
        size_t n_advisories;
        bool want;
    } cases[] = {
        {POLICY_RELEASE_RELEASED, 1800000000, 2, true},
        {POLICY_RELEASE_RELEASED, 1800000000, 0, false}, /* nothing public to describe */
        {POLICY_RELEASE_ANNOUNCED, POLICY_TIME_NONE, 2, false},
        {POLICY_RELEASE_PLANNED, POLICY_TIME_NONE, 1, false},
        {POLICY_RELEASE_CANCELLED, POLICY_TIME_NONE, 1, false},
        {POLICY_RELEASE_SKIPPED, POLICY_TIME_NONE, 1, false},
        {POLICY_RELEASE_RELEASED, POLICY_TIME_NONE, 1, false},
    };
    for (size_t i = 0; i < N(cases); i++) {
        struct policy_release r;
        memset(&r, 0, sizeof r);
        r.status = cases[i].status;
        r.released_at = cases[i].released_at;
        assert_int_equal(policy_release_documented(&r, cases[i].n_advisories), cases[i].want);
    }
    assert_false(policy_release_documented(NULL, 1));
}

static void ids_and_prefixes(void **state)
{
    (void)state;
    char out[POLICY_OSV_ID_MAX];
    policy_osv_default_prefix("acme", out, sizeof out);
    assert_string_equal(out, "x_acme");
    assert_true(policy_osv_id("x_acme", "2027-02-09", 1, out, sizeof out));
    assert_string_equal(out, "x_acme-2027-02-09-1");
    assert_true(policy_osv_id("DRUPAL", "oos-3", 12, out, sizeof out));
    assert_string_equal(out, "DRUPAL-oos-3-12");
    assert_false(policy_osv_id("x_acme", "oos-3", 0, out, sizeof out));
    char tiny[8];
    assert_false(policy_osv_id("x_acme", "oos-3", 1, tiny, sizeof tiny));
    assert_string_equal(tiny, "");
    static const struct {
        const char *prefix;
        bool ok;
    } cases[] = {
        {"x_acme", true},
        {"DRUPAL", true},
        {"ACME.SA", true},
        {"", false},
        {"-acme", false},
        {"acme-", false},
        {"1acme", false},
        {"acme sa", false},
        {"acme/sa", false},
        {"_acme", false},
        {"acmé", false},
        {"x_0123456789012345678901234567890123456789012345", false}, /* 48 bytes */
    };
    for (size_t i = 0; i < N(cases); i++)
        assert_int_equal(policy_osv_prefix_valid(cases[i].prefix), cases[i].ok);
}

static void ecosystems(void **state)
{
    (void)state;
    static const struct {
        const char *eco;
        bool ok;
    } cases[] = {
        {"Packagist", true}, {"PyPI", true},       {"Debian:12", true}, {"crates.io", true},
        {"Red Hat", true},   {"packagist", false}, {"Debian:", false},  {"", false},
        {"GIT", false},      {"Composer", false},  {NULL, false},
    };
    for (size_t i = 0; i < N(cases); i++)
        assert_int_equal(policy_osv_ecosystem_valid(cases[i].eco), cases[i].ok);
}

static void severity_types(void **state)
{
    (void)state;
    assert_string_equal(policy_osv_severity_type(POLICY_SCHEME_CVSS30), "CVSS_V3");
    assert_string_equal(policy_osv_severity_type(POLICY_SCHEME_CVSS31), "CVSS_V3");
    assert_string_equal(policy_osv_severity_type(POLICY_SCHEME_CVSS40), "CVSS_V4");
    assert_null(policy_osv_severity_type(POLICY_SCHEME_CMSS));
}

static void cvss3_base(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want; /* want NULL: refused */
    } cases[] = {
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
         "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U",
         "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
        {"CVSS:3.0/S:C/AV:L/AC:H/PR:L/UI:R/C:L/I:N/A:N/MAV:N",
         "CVSS:3.0/AV:L/AC:H/PR:L/UI:R/S:C/C:L/I:N/A:N"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", NULL},
        {"AC:None/A:None/CI:All/II:All/E:Exploit/TD:Default", NULL},
        {"CVSS:3.1/AV:N/AC:L", NULL},
    };
    for (size_t i = 0; i < N(cases); i++) {
        char out[POLICY_VECTOR_MAX];
        bool ok = policy_cvss3_base_vector(cases[i].in, out, sizeof out);
        assert_int_equal(ok, cases[i].want != NULL);
        assert_string_equal(out, cases[i].want ? cases[i].want : "");
    }
}

static void cvss4_order(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want; /* want NULL: refused */
    } cases[] = {
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N",
         "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N"},
        {"CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N",
         "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N"},
        {"CVSS:4.0/E:A/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/U:Red/S:P",
         "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/E:A/S:P/U:Red"},
        {"CVSS:4.0/AV:N/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N", NULL},
        {"CVSS:4.0/AV:N/XX:1", NULL},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", NULL},
    };
    for (size_t i = 0; i < N(cases); i++) {
        char out[POLICY_VECTOR_MAX];
        bool ok = policy_cvss4_ordered_vector(cases[i].in, out, sizeof out);
        assert_int_equal(ok, cases[i].want != NULL);
        assert_string_equal(out, cases[i].want ? cases[i].want : "");
    }
}

static void ranges(void **state)
{
    (void)state;
    static const struct {
        const char *fixed[3];
        const char *others[3];
        const char *want[3][2]; /* introduced, fixed; sorted by fixed */
    } cases[] = {
        /* One branch, nothing below: everything before the fix. */
        {{"5.1.3"}, {NULL}, {{"0", "5.1.3"}}},
        /* Two branches fixed: the older one from 0, the newer from its major. */
        {{"5.1.3", "4.5.9"}, {NULL}, {{"0", "4.5.9"}, {"5.0.0", "5.1.3"}}},
        /* Only 5.x affected, 4.x stands at 4.4.12: 5.x starts at 5.0.0. */
        {{"5.1.3"}, {"4.4.12"}, {{"5.0.0", "5.1.3"}}},
        /* Minor branches: 5.1 above 5.0.7 starts at 5.1.0. */
        {{"5.1.3", "5.0.7"}, {NULL}, {{"0", "5.0.7"}, {"5.1.0", "5.1.3"}}},
        /* A higher branch not affected changes nothing below. */
        {{"4.5.9"}, {"5.1.2"}, {{"0", "4.5.9"}}},
        /* Numeric, not byte order: 10.0.1 above 9.9.9. */
        {{"9.9.9", "10.0.1"}, {NULL}, {{"0", "9.9.9"}, {"10.0.0", "10.0.1"}}},
        /* A lower version that is a prefix of the fix leaves no branch start: from 0. */
        {{"5.1.3"}, {"5.1"}, {{"0", "5.1.3"}}},
        /* Three branches, two-component versions. */
        {{"3.2", "2.9", "1.4"}, {NULL}, {{"0", "1.4"}, {"2.0", "2.9"}, {"3.0", "3.2"}}},
    };
    for (size_t i = 0; i < N(cases); i++) {
        size_t nf = 0, no = 0, nw = 0;
        while (nf < 3 && cases[i].fixed[nf])
            nf++;
        while (no < 3 && cases[i].others[no])
            no++;
        while (nw < 3 && cases[i].want[nw][0])
            nw++;
        struct policy_version_range out[3];
        size_t n = policy_affected_ranges(cases[i].fixed, nf, cases[i].others, no, out);
        assert_int_equal(n, nw);
        for (size_t k = 0; k < n; k++) {
            assert_string_equal(out[k].introduced, cases[i].want[k][0]);
            assert_string_equal(out[k].fixed, cases[i].want[k][1]);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(documented), cmocka_unit_test(ids_and_prefixes),
        cmocka_unit_test(ecosystems), cmocka_unit_test(severity_types),
        cmocka_unit_test(cvss3_base), cmocka_unit_test(cvss4_order),
        cmocka_unit_test(ranges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
