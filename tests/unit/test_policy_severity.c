/* policy/severity: CVSS v3.0/v3.1 against the examples published with the FIRST specification
 * (v3.1 examples document), CVSS v4.0 against the FIRST reference calculator
 * (tests/data/cvss4_reference.txt), CMSS against published Drupal advisories, and every
 * refusal naming the metric. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "policy/severity.h"

struct known {
    const char *vector;
    double score;
    const char *label;
    enum policy_level level;
};

static void check_known(const struct known *k, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct policy_severity s;
        char err[160] = "";
        int rc = policy_severity_score(k[i].vector, &s, err, sizeof err);
        if (rc != 0 || (long)(s.score * 10 + 0.5) != (long)(k[i].score * 10 + 0.5) ||
            strcmp(s.label, k[i].label) != 0 || s.level != k[i].level) {
            fprintf(stderr, "%s: rc %d score %.1f label %s level %d (%s)\n", k[i].vector, rc,
                    s.score, s.label, s.level, err);
            fail();
        }
        assert_string_equal(s.vector, k[i].vector);
    }
}

/* FIRST CVSS v3.1 Examples (section 2 onwards): CVE id, vector, base score. */
static void cvss3_first_examples(void **state)
{
    (void)state;
    const struct known k[] = {
        /* CVE-2013-1937 phpMyAdmin reflected XSS */
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, "Medium", POLICY_LEVEL_MEDIUM},
        /* CVE-2013-0375 MySQL stored SQL injection */
        {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4, "Medium", POLICY_LEVEL_MEDIUM},
        /* CVE-2014-3566 SSLv3 POODLE */
        {"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1, "Low", POLICY_LEVEL_LOW},
        /* CVE-2012-1516 VMware guest to host escape */
        {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9, "Critical", POLICY_LEVEL_CRITICAL},
        /* CVE-2012-0384 Cisco IOS command injection */
        {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8, "High", POLICY_LEVEL_HIGH},
        /* CVE-2015-1098 Apple iWork denial of service */
        {"CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8, "High", POLICY_LEVEL_HIGH},
        /* CVE-2014-0160 OpenSSL Heartbleed */
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, "High", POLICY_LEVEL_HIGH},
        /* CVE-2014-6271 GNU Bash Shellshock */
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "Critical", POLICY_LEVEL_CRITICAL},
        /* CVE-2008-1447 DNS Kaminsky bug */
        {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", 6.8, "Medium", POLICY_LEVEL_MEDIUM},
        /* CVE-2014-2005 Sophos login screen bypass */
        {"CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 6.8, "Medium", POLICY_LEVEL_MEDIUM},
        /* CVE-2010-0467 Joomla directory traversal */
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 5.8, "Medium", POLICY_LEVEL_MEDIUM},
        /* CVE-2013-6014 Juniper proxy ARP denial of service */
        {"CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H", 9.3, "Critical", POLICY_LEVEL_CRITICAL},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, "Critical", POLICY_LEVEL_CRITICAL},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0, "None", POLICY_LEVEL_NONE},
        /* FIRST CVSS v3.0 examples: Heartbleed, phpMyAdmin, iWork. */
        {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, "High", POLICY_LEVEL_HIGH},
        {"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, "Medium", POLICY_LEVEL_MEDIUM},
        {"CVSS:3.0/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8, "High", POLICY_LEVEL_HIGH},
        /* With temporal and environmental metrics the environmental score decides (values from
         * Debian's ruby-cvss-suite, an independent implementation of spec section 7.3). */
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C/CR:H/MAV:L", 7.6, "High",
         POLICY_LEVEL_HIGH},
    };
    check_known(k, sizeof k / sizeof k[0]);
}

/* Drupal advisories' published "Security risk" strings and scores. */
static void cmss_drupal_advisories(void **state)
{
    (void)state;
    const struct known k[] = {
        /* docs/POLICY.md worked examples */
        {"AC:None/A:None/CI:All/II:All/E:Exploit/TD:Default", 24, "Highly critical",
         POLICY_LEVEL_CRITICAL},
        {"AC:None/A:None/CI:None/II:None/E:Theoretical/TD:All", 12, "Moderately critical",
         POLICY_LEVEL_HIGH},
        /* SA-CONTRIB-2019-058 (Metatag) 13/25, written with spaces */
        {"AC:None A:None CI:Some II:None E:Theoretical TD:Uncommon", 13, "Moderately critical",
         POLICY_LEVEL_HIGH},
        /* SA-CORE-2022-015 11/25 */
        {"AC:Complex/A:User/CI:Some/II:Some/E:Theoretical/TD:Uncommon", 11, "Moderately critical",
         POLICY_LEVEL_HIGH},
        /* SA-CORE-2020-002 10/25 */
        {"AC:Complex/A:Admin/CI:Some/II:Some/E:Theoretical/TD:Uncommon", 10, "Moderately critical",
         POLICY_LEVEL_HIGH},
        /* Drupalgeddon (SA-CORE-2014-005) 25/25 */
        {"AC:None/A:None/CI:All/II:All/E:Exploit/TD:All", 25, "Highly critical",
         POLICY_LEVEL_CRITICAL},
        /* The band edges: 4 Not critical, 5 Less critical, 15 Critical. */
        {"AC:Complex/A:Admin/CI:None/II:None/E:Theoretical/TD:Uncommon", 4, "Not critical",
         POLICY_LEVEL_LOW},
        {"AC:Basic/A:Admin/CI:None/II:None/E:Theoretical/TD:Uncommon", 5, "Less critical",
         POLICY_LEVEL_MEDIUM},
        {"AC:Basic/A:User/CI:Some/II:Some/E:Proof/TD:Default", 14, "Moderately critical",
         POLICY_LEVEL_HIGH},
        {"AC:Basic/A:User/CI:All/II:Some/E:Proof/TD:Default", 16, "Critical",
         POLICY_LEVEL_CRITICAL},
    };
    check_known(k, sizeof k / sizeof k[0]);
}

static void cvss4_reference(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/cvss4_reference.txt", getenv("RELCAL_SOURCE_DIR"));
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[512];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        char vec[256];
        double want;
        assert_int_equal(sscanf(line, "%255s %lf", vec, &want), 2);
        struct policy_severity s;
        char err[160] = "";
        assert_int_equal(policy_severity_score(vec, &s, err, sizeof err), 0);
        if ((long)(s.score * 10 + 0.5) != (long)(want * 10 + 0.5)) {
            fprintf(stderr, "%s: want %.1f got %.1f\n", vec, want, s.score);
            fail();
        }
        assert_int_equal(s.scheme, POLICY_SCHEME_CVSS40);
        assert_int_equal(s.level, policy_level_from_cvss(want));
        n++;
    }
    fclose(f);
    assert_true(n >= 50);
    /* The specification's headline example. */
    struct policy_severity s;
    assert_int_equal(
        policy_severity_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", &s,
                              NULL, 0),
        0);
    assert_true(s.score > 9.25 && s.score < 9.35);
    assert_string_equal(s.label, "Critical");
}

/* Which score decides, shown with its name (docs/POLICY.md "Severity"): v3 the environmental
 * score when an environmental metric is given (not X), else the temporal score when a temporal
 * one is, else the base score; v4 the FIRST nomenclature CVSS-B/BT/BE/BTE. v3 values from
 * Debian's ruby-cvss-suite; v4 from the FIRST reference calculator. */
static void score_types(void **state)
{
    (void)state;
    const struct {
        const char *vector;
        double score;
        const char *type;
    } k[] = {
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "base"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X/RL:X/RC:X", 9.8, "base"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U", 7.8, "temporal"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:F/RL:W/RC:R", 8.9, "temporal"},
        {"CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N/E:U/RL:O/RC:U", 1.5, "temporal"},
        {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:T/RC:R", 8.5, "temporal"},
        {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H/CR:L/IR:L/AR:L", 8.3, "environmental"},
        {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H/MS:U/MPR:H", 7.2, "environmental"},
        {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H/CR:H/IR:H/AR:H", 10.0, "environmental"},
        {"CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H/CR:H/IR:H/AR:H", 9.9, "environmental"},
        {"CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H/CR:L/IR:L/AR:L/E:F", 8.1, "environmental"},
        {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/MS:C/MC:H", 10.0, "environmental"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C/CR:H/MAV:L", 7.6,
         "environmental"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3, "CVSS-B"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:X/CR:X", 9.3, "CVSS-B"},
        {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U", 4.1, "CVSS-BT"},
        {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:L/IR:L/AR:L", 5.4,
         "CVSS-BE"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/MSI:H", 7.7, "CVSS-BE"},
        {"AC:None/A:None/CI:All/II:All/E:Exploit/TD:All", 25, "cmss"},
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        struct policy_severity s;
        char err[160] = "";
        assert_int_equal(policy_severity_score(k[i].vector, &s, err, sizeof err), 0);
        if ((long)(s.score * 10 + 0.5) != (long)(k[i].score * 10 + 0.5) ||
            strcmp(s.score_type, k[i].type) != 0) {
            fprintf(stderr, "%s: score %.1f type %s, want %.1f %s\n", k[i].vector, s.score,
                    s.score_type, k[i].score, k[i].type);
            fail();
        }
    }
    /* A BTE vector: both groups given. */
    struct policy_severity s;
    assert_int_equal(policy_severity_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/"
                                           "SI:N/SA:N/E:P/CR:L",
                                           &s, NULL, 0),
                     0);
    assert_string_equal(s.score_type, "CVSS-BTE");
}

static void refusals_name_the_metric(void **state)
{
    (void)state;
    const struct {
        const char *vector;
        const char *needle;
    } bad[] = {
        {"", "empty"},
        {"CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "AV"},
        {"CVSS:3.1/AV:N/PR:N/UI:N/S:U/C:H/I:H/A:H", "missing metric AC"},
        {"CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "duplicate metric AV"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1", "unknown metric 'ZZ'"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", "trailing"},
        {"CVSS:3.1/av:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown metric 'av'"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:Z", "E: unknown value 'Z'"},
        {"CVSS:2.0/AV:N", "unsupported prefix 'CVSS:2.0'"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N", "missing metric SA"},
        {"CVSS:4.0/AV:N/AC:L/AT:X/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "AT: unknown value"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N", "SI: unknown value"},
        {"AC:None/A:None/CI:All/II:All/E:Exploit", "missing metric TD"},
        {"AC:Easy/A:None/CI:All/II:All/E:Exploit/TD:All", "AC: unknown value 'Easy'"},
        {"AC:None//A:None/CI:All/II:All/E:Exploit/TD:All", "empty metric"},
        {"AC None/A:None/CI:All/II:All/E:Exploit/TD:All", "'AC'"},
        {"hello", "'hello' is not METRIC:VALUE"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct policy_severity s;
        memset(&s, 0x5a, sizeof s);
        struct policy_severity before = s;
        char err[160] = "";
        assert_int_equal(policy_severity_score(bad[i].vector, &s, err, sizeof err), RC_EPARSE);
        if (!strstr(err, bad[i].needle)) {
            fprintf(stderr, "%s: message '%s' lacks '%s'\n", bad[i].vector, err, bad[i].needle);
            fail();
        }
        assert_memory_equal(&s, &before, sizeof s); /* untouched on failure */
    }
}

static void levels_and_names(void **state)
{
    (void)state;
    assert_int_equal(policy_level_from_cvss(0.0), POLICY_LEVEL_NONE);
    assert_int_equal(policy_level_from_cvss(0.1), POLICY_LEVEL_LOW);
    assert_int_equal(policy_level_from_cvss(3.9), POLICY_LEVEL_LOW);
    assert_int_equal(policy_level_from_cvss(4.0), POLICY_LEVEL_MEDIUM);
    assert_int_equal(policy_level_from_cvss(6.9), POLICY_LEVEL_MEDIUM);
    assert_int_equal(policy_level_from_cvss(7.0), POLICY_LEVEL_HIGH);
    assert_int_equal(policy_level_from_cvss(8.9), POLICY_LEVEL_HIGH);
    assert_int_equal(policy_level_from_cvss(9.0), POLICY_LEVEL_CRITICAL);
    enum policy_level l;
    assert_int_equal(policy_level_parse("high", &l), 0);
    assert_int_equal(l, POLICY_LEVEL_HIGH);
    assert_int_equal(policy_level_parse("HIGH", &l), RC_EINVAL);
    assert_string_equal(policy_scheme_name(POLICY_SCHEME_CMSS), "cmss");
    struct policy_severity s;
    assert_int_equal(
        policy_severity_score("AC:None/A:None/CI:All/II:All/E:Exploit/TD:Default", &s, NULL, 0), 0);
    assert_true(policy_severity_cvss_equivalent(&s) > 9.59 &&
                policy_severity_cvss_equivalent(&s) < 9.61);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cvss3_first_examples), cmocka_unit_test(cmss_drupal_advisories),
        cmocka_unit_test(cvss4_reference),      cmocka_unit_test(refusals_name_the_metric),
        cmocka_unit_test(levels_and_names),     cmocka_unit_test(score_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
