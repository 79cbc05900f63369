/* Dispatch between the severity schemes, the common level mapping and the metric parser. */
#include "policy/severity.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "policy/severity_internal.h"

static const char *const level_names[] = {"none", "low", "medium", "high", "critical"};

const char *policy_level_name(enum policy_level level)
{
    return (unsigned)level <= POLICY_LEVEL_CRITICAL ? level_names[level] : "unknown";
}

int policy_level_parse(const char *s, enum policy_level *out)
{
    for (int i = 0; s && i <= POLICY_LEVEL_CRITICAL; i++) {
        if (strcmp(s, level_names[i]) == 0) {
            *out = (enum policy_level)i;
            return 0;
        }
    }
    return RC_EINVAL;
}

const char *policy_scheme_name(enum policy_scheme scheme)
{
    switch (scheme) {
    case POLICY_SCHEME_CVSS30:
        return "cvss3.0";
    case POLICY_SCHEME_CVSS31:
        return "cvss3.1";
    case POLICY_SCHEME_CVSS40:
        return "cvss4.0";
    case POLICY_SCHEME_CMSS:
        return "cmss";
    }
    return "unknown";
}

enum policy_level policy_level_from_cvss(double score)
{
    /* Scores carry one decimal; compare in tenths to stay clear of binary rounding. */
    long tenths = (long)(score * 10.0 + 0.5);
    if (tenths <= 0)
        return POLICY_LEVEL_NONE;
    if (tenths < 40)
        return POLICY_LEVEL_LOW;
    if (tenths < 70)
        return POLICY_LEVEL_MEDIUM;
    if (tenths < 90)
        return POLICY_LEVEL_HIGH;
    return POLICY_LEVEL_CRITICAL;
}

const char *sev_cvss_label(double score)
{
    static const char *const labels[] = {"None", "Low", "Medium", "High", "Critical"};
    return labels[policy_level_from_cvss(score)];
}

double policy_severity_cvss_equivalent(const struct policy_severity *s)
{
    return s->scheme == POLICY_SCHEME_CMSS ? s->score / 2.5 : s->score;
}

int sev_parse_metrics(const char *body, const struct sev_metric *metrics, size_t n,
                      bool allow_space, int *idx, char *err, size_t err_len)
{
    for (size_t i = 0; i < n; i++)
        idx[i] = -1;
    const char *p = body;
    if (!*p) {
        snprintf(err, err_len, "empty vector");
        return RC_EPARSE;
    }
    while (*p) {
        const char *end = p;
        while (*end && *end != '/' && !(allow_space && *end == ' '))
            end++;
        const char *colon = memchr(p, ':', (size_t)(end - p));
        if (end == p) {
            snprintf(err, err_len, "empty metric (stray separator)");
            return RC_EPARSE;
        }
        if (!colon) {
            snprintf(err, err_len, "'%.*s' is not METRIC:VALUE", (int)(end - p), p);
            return RC_EPARSE;
        }
        size_t klen = (size_t)(colon - p), vlen = (size_t)(end - colon - 1);
        size_t m;
        for (m = 0; m < n; m++)
            if (strlen(metrics[m].name) == klen && strncmp(metrics[m].name, p, klen) == 0)
                break;
        if (m == n) {
            snprintf(err, err_len, "unknown metric '%.*s'", (int)klen, p);
            return RC_EPARSE;
        }
        if (idx[m] >= 0) {
            snprintf(err, err_len, "duplicate metric %s", metrics[m].name);
            return RC_EPARSE;
        }
        int v;
        for (v = 0; metrics[m].values[v]; v++)
            if (strlen(metrics[m].values[v]) == vlen &&
                strncmp(metrics[m].values[v], colon + 1, vlen) == 0)
                break;
        if (!metrics[m].values[v]) {
            snprintf(err, err_len, "%s: unknown value '%.*s'", metrics[m].name, (int)vlen,
                     colon + 1);
            return RC_EPARSE;
        }
        idx[m] = v;
        p = end;
        if (*p) {
            p++;
            if (!*p) {
                snprintf(err, err_len, "trailing separator");
                return RC_EPARSE;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (metrics[i].mandatory && idx[i] < 0) {
            snprintf(err, err_len, "missing metric %s", metrics[i].name);
            return RC_EPARSE;
        }
    }
    return 0;
}

int policy_severity_score(const char *vector, struct policy_severity *out, char *err,
                          size_t err_len)
{
    char scratch[160];
    if (!err) {
        err = scratch;
        err_len = sizeof scratch;
    }
    if (!vector || !*vector) {
        snprintf(err, err_len, "empty vector");
        return RC_EPARSE;
    }
    if (strlen(vector) >= POLICY_VECTOR_MAX) {
        snprintf(err, err_len, "vector longer than %d characters", POLICY_VECTOR_MAX - 1);
        return RC_EPARSE;
    }
    struct policy_severity s;
    memset(&s, 0, sizeof s);
    int rc;
    if (strncmp(vector, "CVSS:3.0/", 9) == 0)
        rc = sev_score_cvss3(vector + 9, false, &s, err, err_len);
    else if (strncmp(vector, "CVSS:3.1/", 9) == 0)
        rc = sev_score_cvss3(vector + 9, true, &s, err, err_len);
    else if (strncmp(vector, "CVSS:4.0/", 9) == 0)
        rc = sev_score_cvss4(vector + 9, &s, err, err_len);
    else if (strncmp(vector, "CVSS:", 5) == 0) {
        snprintf(err, err_len, "CVSS: unsupported version (3.0, 3.1 and 4.0 are)");
        rc = RC_EPARSE;
    } else
        rc = sev_score_cmss(vector, &s, err, err_len);
    if (rc < 0)
        return rc;
    snprintf(s.vector, sizeof s.vector, "%s", vector);
    *out = s;
    return 0;
}
