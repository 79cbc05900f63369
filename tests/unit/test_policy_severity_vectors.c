/* policy/severity against published vector -> score pairs, never against values produced by the
 * code under test: the FIRST CVSS v3.1/v3.0 Examples documents, the CVSS v4.0 test vectors that
 * ship with the `cvss` Python library (github.com/RedHatProductSecurity/cvss, tests/vectors_*4,
 * checked there against FIRST's calculator), and Drupal security advisories' risk strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "policy/severity.h"

struct known {
    const char *vector;
    double score;
    const char *label; /* NULL: derive from the CVSS qualitative scale below */
};

/* The CVSS qualitative severity rating scale (v3.1 spec table 14, v4.0 spec section 6), written
 * out here independently of the code under test. */
static const char *cvss_rating(double score)
{
    long t = lround(score * 10);
    return t == 0 ? "None" : t < 40 ? "Low" : t < 70 ? "Medium" : t < 90 ? "High" : "Critical";
}

struct label_level {
    const char *label;
    enum policy_level level;
};

static const struct label_level cvss_levels[] = {
    {"None", POLICY_LEVEL_NONE},         {"Low", POLICY_LEVEL_LOW},
    {"Medium", POLICY_LEVEL_MEDIUM},     {"High", POLICY_LEVEL_HIGH},
    {"Critical", POLICY_LEVEL_CRITICAL},
};

/* docs/POLICY.md: the CMSS labels and their common levels. */
static const struct label_level cmss_levels[] = {
    {"Not critical", POLICY_LEVEL_LOW},         {"Less critical", POLICY_LEVEL_MEDIUM},
    {"Moderately critical", POLICY_LEVEL_HIGH}, {"Critical", POLICY_LEVEL_CRITICAL},
    {"Highly critical", POLICY_LEVEL_CRITICAL},
};

static enum policy_level rating_level(const char *label, enum policy_scheme scheme)
{
    bool cmss = scheme == POLICY_SCHEME_CMSS;
    const struct label_level *map = cmss ? cmss_levels : cvss_levels;
    size_t n = cmss ? sizeof cmss_levels / sizeof cmss_levels[0]
                    : sizeof cvss_levels / sizeof cvss_levels[0];
    for (size_t i = 0; i < n; i++)
        if (strcmp(map[i].label, label) == 0)
            return map[i].level;
    fail_msg("no level for label %s", label);
    return POLICY_LEVEL_NONE;
}

static void check(const struct known *k, size_t n, enum policy_scheme scheme)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        struct policy_severity s;
        char err[160] = "";
        int rc = policy_severity_score(k[i].vector, &s, err, sizeof err);
        const char *label = k[i].label ? k[i].label : cvss_rating(k[i].score);
        if (rc != 0) {
            fprintf(stderr, "%s: refused: %s\n", k[i].vector, err);
            bad++;
            continue;
        }
        if (lround(s.score * 10) != lround(k[i].score * 10) || strcmp(s.label, label) != 0 ||
            s.level != rating_level(label, scheme) || s.scheme != scheme ||
            strcmp(s.vector, k[i].vector) != 0) {
            fprintf(stderr, "%s: want %.1f %s, got %.1f %s level %s scheme %s\n", k[i].vector,
                    k[i].score, label, s.score, s.label, policy_level_name(s.level),
                    policy_scheme_name(s.scheme));
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

#define CHECK(table, scheme) check(table, sizeof table / sizeof table[0], scheme)

/* FIRST "CVSS v3.1: Examples" (the same vulnerabilities and base scores as the v3.0 examples). */
static const struct known first_v31[] = {
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, NULL}, /* CVE-2013-1937 */
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4, NULL}, /* CVE-2013-0375 */
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1, NULL}, /* CVE-2014-3566 */
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9, NULL}, /* CVE-2012-1516 */
    {"CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", 4.2, NULL}, /* CVE-2009-0783 */
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8, NULL}, /* CVE-2012-0384 */
    {"CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8, NULL}, /* CVE-2015-1098 */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, NULL}, /* CVE-2014-0160 */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, NULL}, /* CVE-2014-6271 */
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", 6.8, NULL}, /* CVE-2008-1447 */
    {"CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 6.8, NULL}, /* CVE-2014-2005 */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 5.8, NULL}, /* CVE-2010-0467 */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N", 5.8, NULL}, /* CVE-2012-1342 */
    {"CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H", 9.3, NULL}, /* CVE-2013-6014 */
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", 5.4, NULL}, /* CVE-2014-9253 */
    {"CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8, NULL}, /* CVE-2009-0658 */
    {"CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.8, NULL}, /* CVE-2011-1265 */
    {"CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", 4.6, NULL}, /* CVE-2014-2019 */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 8.8, NULL}, /* CVE-2015-0970 */
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N", 7.4, NULL}, /* CVE-2014-0224 */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", 9.6, NULL}, /* CVE-2012-5376 */
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:N", 6.8, NULL}, /* CVE-2016-0128 */
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.5, NULL}, /* CVE-2016-2118 */
    {"CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H", 8.2, NULL}, /* CVE-2016-5729 */
    /* The ends of the scale: everything at its worst with scope changed is capped at 10.0; no
     * impact is 0.0 whatever the exploitability (spec section 7.1). */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, NULL},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0, NULL},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N", 0.0, NULL},
    /* The most specific score the vector carries (docs/POLICY.md "Severity"): temporal when a
     * temporal metric is given, environmental when an environmental one is (spec sections 7.2,
     * 7.3; values from Debian's ruby-cvss-suite). */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U", 7.8, NULL},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X/RL:X/RC:X/CR:L/IR:L/AR:L/MAV:P/MAC:H/"
     "MPR:H/MUI:R/MS:C/MC:N/MI:N/MA:N",
     0.0, NULL},
    /* Metric order is not significant (v3.1 spec section 6). */
    {"CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N", 9.8, NULL},
};

static const struct known first_v30[] = {
    {"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, NULL}, /* CVE-2013-1937 */
    {"CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4, NULL}, /* CVE-2013-0375 */
    {"CVSS:3.0/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1, NULL}, /* CVE-2014-3566 */
    {"CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9, NULL}, /* CVE-2012-1516 */
    {"CVSS:3.0/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", 4.2, NULL}, /* CVE-2009-0783 */
    {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, NULL}, /* CVE-2014-0160 */
    {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, NULL}, /* CVE-2014-6271 */
    {"CVSS:3.0/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H", 9.3, NULL}, /* CVE-2013-6014 */
    {"CVSS:3.0/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H", 8.2, NULL}, /* CVE-2016-5729 */
    {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, NULL},
};

/* tests/vectors_threat4, tests/vectors_security4, tests/vectors_simple4 and test_cvss4.py of the
 * `cvss` Python library: base, threat (E) and security requirement (CR/IR/AR) vectors. */
static const struct known v40[] = {
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/E:A", 0.0, NULL},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:A", 7.3, NULL},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:P", 5.9, NULL},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U", 4.1, NULL},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/CR:L/IR:L/AR:L", 0.0, NULL},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:H/IR:H/AR:H", 7.3, NULL},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:H/IR:H/AR:M", 7.2, NULL},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:H/IR:M/AR:L", 7.1, NULL},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:M/IR:H/AR:L", 7.1, NULL},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:M/IR:M/AR:H", 7.2, NULL},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:M/IR:M/AR:M", 5.5, NULL},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:M/IR:L/AR:L", 5.5, NULL},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:L/IR:H/AR:M", 7.1, NULL},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:L/IR:M/AR:M", 5.5, NULL},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:L/IR:L/AR:M", 5.5, NULL},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:L/IR:L/AR:L", 5.4, NULL},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:H/VA:L/SC:N/SI:H/SA:L", 9.2, NULL},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:H/SI:N/SA:L", 7.8, NULL},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:L/SA:N", 6.9, NULL},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:H/SI:L/SA:H", 7.9, NULL},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:L/VI:N/VA:N/SC:L/SI:N/SA:L", 5.3, NULL},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 8.6, NULL},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N", 5.1, NULL},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:N/VA:N/SC:H/SI:N/SA:N", 8.3, NULL},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:P/VC:H/VI:L/VA:L/SC:L/SI:L/SA:L", 7.0, NULL},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:P/VC:L/VI:L/VA:N/SC:L/SI:N/SA:N", 4.8, NULL},
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:N/SA:H", 9.5, NULL},
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:N/SA:N", 2.1, NULL},
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:N/VI:N/VA:N/SC:N/SI:L/SA:N", 2.3, NULL},
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:A/VC:N/VI:L/VA:L/SC:L/SI:N/SA:N", 1.8, NULL},
    {"CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:L/SI:H/SA:L", 9.4, NULL},
    {"CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:H/SA:N", 4.0, NULL},
    {"CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:L/SA:N", 9.5, NULL},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N", 8.7, NULL},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/AR:L", 7.9, NULL},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/MSI:H", 7.7, NULL},
    /* The specification's running example. */
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3, NULL},
};

/* test_cvss4.py test_severity: every metric group present, supplemental ones interleaved with
 * the base metrics; only the published rating is checked. */
static void cvss4_full_vectors_ratings(void **state)
{
    (void)state;
    static const struct {
        const char *vector, *rating;
    } k[] = {
        {"CVSS:4.0/AV:L/AC:H/AT:P/PR:N/UI:P/VC:H/VI:N/VA:N/SC:N/SI:N/AU:N/SA:N/S:P/R:A/V:D/RE:L/"
         "U:Red/MAV:L/MAC:L/MAT:N/MPR:L/MUI:A/MVC:L/MVI:N/MVA:H/MSC:H/MSI:L/MSA:N/CR:H/IR:L/AR:L/"
         "E:P",
         "Low"},
        {"CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:P/VC:N/VI:L/VA:L/SC:H/SI:N/AU:Y/SA:N/S:N/R:I/V:C/RE:M/"
         "U:Amber/MAV:L/MAC:H/MAT:P/MPR:N/MUI:P/MVC:L/MVI:N/MVA:H/MSC:H/MSI:H/MSA:S/CR:M/IR:M/AR:M/"
         "E:A",
         "High"},
        {"CVSS:4.0/AV:A/AC:H/AT:N/PR:N/UI:A/VC:L/VI:L/VA:N/SC:N/SI:H/AU:N/SA:L/S:P/R:U/V:D/RE:H/"
         "U:Clear/MAV:A/MAC:L/MAT:N/MPR:N/MUI:P/MVC:N/MVI:L/MVA:L/MSC:H/MSI:N/MSA:L/CR:M/IR:M/AR:L/"
         "E:U",
         "Low"},
        {"CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:A/VC:H/VI:H/VA:N/SC:H/SI:N/AU:Y/SA:N/S:N/R:I/V:C/RE:L/"
         "U:Green/MAV:L/MAC:L/MAT:N/MPR:H/MUI:P/MVC:L/MVI:L/MVA:N/MSC:H/MSI:H/MSA:S/CR:H/IR:H/AR:H/"
         "E:P",
         "Medium"},
        {"CVSS:4.0/AV:A/AC:H/AT:N/PR:H/UI:A/VC:H/VI:N/VA:H/SC:L/SI:N/AU:N/SA:H/S:P/R:I/V:D/RE:M/"
         "U:Red/MAV:N/MAC:L/MAT:N/MPR:N/MUI:N/MVC:H/MVI:H/MVA:H/MSC:H/MSI:S/MSA:S/CR:H/IR:H/AR:H/"
         "E:U",
         "Critical"},
        {"CVSS:4.0/AV:L/AC:H/AT:N/PR:N/UI:N/VC:L/VI:N/VA:H/SC:L/SI:H/AU:N/SA:H/S:P/R:U/V:C/RE:H/"
         "U:Red/MAV:L/MAC:L/MAT:P/MPR:L/MUI:P/MVC:N/MVI:N/MVA:N/MSC:N/MSI:N/MSA:N/CR:H/IR:H/AR:H/"
         "E:P",
         "None"},
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        struct policy_severity s;
        char err[160] = "";
        assert_int_equal(policy_severity_score(k[i].vector, &s, err, sizeof err), 0);
        assert_string_equal(s.label, k[i].rating);
        assert_string_equal(cvss_rating(s.score), k[i].rating);
    }
}

/* Drupal advisories' "Security risk" field: the string and its published points and label. */
static const struct known cmss[] = {
    /* docs/POLICY.md */
    {"AC:None/A:None/CI:All/II:All/E:Exploit/TD:Default", 24, "Highly critical"},
    {"AC:None/A:None/CI:None/II:None/E:Theoretical/TD:All", 12, "Moderately critical"},
    /* the all-worst string: the scale's maximum */
    {"AC:None/A:None/CI:All/II:All/E:Exploit/TD:All", 25, "Highly critical"},
    /* SA-CORE-2018-002 as first published (21/25, before exploits appeared) */
    {"AC:None/A:None/CI:All/II:All/E:Theoretical/TD:Default", 21, "Highly critical"},
    /* SA-CORE-2022-016 (Twig) 18/25 */
    {"AC:Basic/A:Admin/CI:All/II:All/E:Proof/TD:All", 18, "Critical"},
    /* SA-CONTRIB-2024-019 (RESTful Web Services), published as Critical */
    {"AC:None/A:None/CI:Some/II:None/E:Proof/TD:All", 16, "Critical"},
    /* SA-CONTRIB-2019-058 (Metatag) 13/25, written with spaces on the advisory */
    {"AC:None A:None CI:Some II:None E:Theoretical TD:Uncommon", 13, "Moderately critical"},
    /* SA-CORE-2022-015 11/25 */
    {"AC:Complex/A:User/CI:Some/II:Some/E:Theoretical/TD:Uncommon", 11, "Moderately critical"},
    /* SA-CORE-2020-002 (jQuery) 10/25 */
    {"AC:Complex A:Admin CI:Some II:Some E:Theoretical TD:Uncommon", 10, "Moderately critical"},
    /* The band edges of the "Security risk levels defined" page: 0-4, 5-9, 10-14, 15-19. */
    {"AC:Complex/A:Admin/CI:None/II:None/E:Theoretical/TD:Uncommon", 4, "Not critical"},
    {"AC:Basic/A:Admin/CI:None/II:None/E:Theoretical/TD:Uncommon", 5, "Less critical"},
    {"AC:Basic/A:User/CI:None/II:Some/E:Theoretical/TD:Uncommon", 9, "Less critical"},
    {"AC:Basic/A:User/CI:Some/II:Some/E:Proof/TD:Default", 14, "Moderately critical"},
    {"AC:Basic/A:User/CI:All/II:Some/E:Theoretical/TD:Default", 15, "Critical"},
    {"AC:None/A:User/CI:All/II:Some/E:Proof/TD:Default", 18, "Critical"},
    {"AC:None/A:None/CI:All/II:Some/E:Proof/TD:Uncommon", 19, "Critical"},
    {"AC:None/A:None/CI:All/II:All/E:Theoretical/TD:Uncommon", 20, "Highly critical"},
};

static void cvss31_first_examples(void **state)
{
    (void)state;
    CHECK(first_v31, POLICY_SCHEME_CVSS31);
}

static void cvss30_first_examples(void **state)
{
    (void)state;
    CHECK(first_v30, POLICY_SCHEME_CVSS30);
}

static void cvss40_published_vectors(void **state)
{
    (void)state;
    CHECK(v40, POLICY_SCHEME_CVSS40);
}

static void cmss_drupal_advisories(void **state)
{
    (void)state;
    /* The spaced forms are stored as given; the check compares s.vector with the input. */
    CHECK(cmss, POLICY_SCHEME_CMSS);
}

/* contract: cve_request_min_cvss compares against points/2.5 for CMSS, the score for CVSS. */
static void cvss_equivalent(void **state)
{
    (void)state;
    struct policy_severity s;
    assert_int_equal(
        policy_severity_score("AC:None/A:None/CI:None/II:None/E:Theoretical/TD:All", &s, NULL, 0),
        0);
    assert_true(fabs(policy_severity_cvss_equivalent(&s) - 4.8) < 1e-9);
    assert_int_equal(
        policy_severity_score("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", &s, NULL, 0), 0);
    assert_true(fabs(policy_severity_cvss_equivalent(&s) - 3.1) < 1e-9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cvss31_first_examples),    cmocka_unit_test(cvss30_first_examples),
        cmocka_unit_test(cvss40_published_vectors), cmocka_unit_test(cvss4_full_vectors_ratings),
        cmocka_unit_test(cmss_drupal_advisories),   cmocka_unit_test(cvss_equivalent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
