/* The NIST CMSS-based risk calculator used by Drupal and Mautic advisories (NISTIR 7864; the
 * points per value are those of Drupal's "Security risk levels defined" page): six metrics
 * summed to 0..25 points, labelled Not critical .. Highly critical. */
#include <string.h>

#include "core/err.h"
#include "policy/severity_internal.h"

static const struct sev_metric metrics[] = {
    {"AC", {"None", "Basic", "Complex", NULL}, true},
    {"A", {"None", "User", "Admin", NULL}, true},
    {"CI", {"All", "Some", "None", NULL}, true},
    {"II", {"All", "Some", "None", NULL}, true},
    {"E", {"Exploit", "Proof", "Theoretical", NULL}, true},
    {"TD", {"All", "Default", "Uncommon", NULL}, true},
};
#define N_METRICS (sizeof metrics / sizeof metrics[0])

/* Points per value, in the order of the value lists above. */
static const int points[N_METRICS][3] = {
    {4, 2, 1}, /* AC */
    {4, 2, 1}, /* A */
    {5, 3, 0}, /* CI */
    {5, 3, 0}, /* II */
    {4, 2, 1}, /* E */
    {3, 2, 1}, /* TD */
};

int sev_score_cmss(const char *vector, struct policy_severity *out, char *err, size_t err_len)
{
    int idx[N_METRICS];
    /* Advisories write the string with '/' and sometimes with spaces. */
    int rc = sev_parse_metrics(vector, metrics, N_METRICS, true, idx, err, err_len);
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
        {20, "Highly critical", POLICY_LEVEL_CRITICAL},
        {15, "Critical", POLICY_LEVEL_HIGH},
        {10, "Moderately critical", POLICY_LEVEL_MEDIUM},
        {5, "Less critical", POLICY_LEVEL_LOW},
        {0, "Not critical", POLICY_LEVEL_LOW},
    };
    for (size_t b = 0; b < sizeof bands / sizeof bands[0]; b++) {
        if (total >= bands[b].min) {
            out->scheme = POLICY_SCHEME_CMSS;
            out->score = total;
            strcpy(out->label, bands[b].label);
            out->level = bands[b].level;
            break;
        }
    }
    return 0;
}
