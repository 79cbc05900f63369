/* The NIST CMSS-based risk calculator used by Drupal and Mautic advisories (NISTIR 7864; the
 * points per value are those of Drupal's "Security risk levels defined" page): six metrics
 * summed to 0..25 points, labelled Not critical .. Highly critical. */
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/nelem.h"
#include "policy/severity_internal.h"

static const struct sev_metric metrics[] = {
    {"AC", {"None", "Basic", "Complex", NULL}, true},
    {"A", {"None", "User", "Admin", NULL}, true},
    {"CI", {"All", "Some", "None", NULL}, true},
    {"II", {"All", "Some", "None", NULL}, true},
    {"E", {"Exploit", "Proof", "Theoretical", NULL}, true},
    {"TD", {"All", "Default", "Uncommon", NULL}, true},
};
#define N_METRICS NELEM(metrics)

/* Points per value, in the order of the value lists above: drupal.org "Security risk levels
 * defined" (AC, A, CI, II; E Exploit 4, Proof 2, Theoretical 1; TD All 3, Default 2,
 * Uncommon 1). One older revision of that page prints E:Exploit as +3 and omits TD; the values
 * here are the ones published advisories add up to (the all-worst string is 25/25, the
 * docs/POLICY.md strings 24/25 and 12/25, SA-CORE-2022-016 with E:Proof 18/25, SA-CORE-2020-002
 * with TD:Uncommon 10/25). The calculator offers three values per metric: there is no TD:None. */
static const int points[N_METRICS][3] = {
    {4, 2, 1}, /* AC */
    {4, 2, 1}, /* A */
    {5, 3, 0}, /* CI */
    {5, 3, 0}, /* II */
    {4, 2, 1}, /* E */
    {3, 2, 1}, /* TD */
};

int policy__sev_score_cmss(const char *vector, struct policy_severity *out, char *err,
                           size_t err_len)
{
    int idx[N_METRICS];
    /* Advisories write the string with '/' and sometimes with spaces. */
    int rc = policy__sev_parse_metrics(vector, metrics, N_METRICS, true, idx, err, err_len);
    if (rc < 0)
        return rc;
    int total = 0;
    for (size_t i = 0; i < N_METRICS; i++)
        total += points[i][idx[i]];
    static const struct {
        int min;
        const char *label;
        enum policy_level level;
    } bands[] = {
        /* docs/POLICY.md "Severity": Critical and Highly critical are both level critical. */
        {20, "Highly critical", POLICY_LEVEL_CRITICAL}, {15, "Critical", POLICY_LEVEL_CRITICAL},
        {10, "Moderately critical", POLICY_LEVEL_HIGH}, {5, "Less critical", POLICY_LEVEL_MEDIUM},
        {0, "Not critical", POLICY_LEVEL_LOW},
    };
    for (size_t b = 0; b < NELEM(bands); b++) {
        if (total >= bands[b].min) {
            out->scheme = POLICY_SCHEME_CMSS;
            out->score = total;
            snprintf(out->label, sizeof out->label, "%s", bands[b].label);
            out->level = bands[b].level;
            snprintf(out->score_type, sizeof out->score_type, "%s", "cmss");
            break;
        }
    }
    return 0;
}
