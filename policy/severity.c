/* Severity scoring entry point (policy/severity.h): normalises the vector, picks the scheme by
 * its prefix (FIRST CVSS v3.0/v3.1/v4.0, else the NIST IR 7864 CMSS risk string), maps scores to
 * the common levels of docs/POLICY.md, and holds the strict "K:V/K:V" parser all schemes share. */
#include "core/nelem.h"
#include "policy/severity.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "policy/severity_internal.h"

/* Longest metric or value echoed in an error message: enough to recognise it, short enough
 * that the message always fits the caller's buffer whole. */
#define ECHO_MAX     24
#define ECHO_LEN(n)  ((int)((size_t)(n) < ECHO_MAX ? (size_t)(n) : (size_t)ECHO_MAX))
#define ECHO_MORE(n) ((size_t)(n) > ECHO_MAX ? "..." : "")

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

const char *policy__sev_cvss_label(double score)
{
    static const char *const labels[] = {"None", "Low", "Medium", "High", "Critical"};
    return labels[policy_level_from_cvss(score)];
}

double policy_severity_cvss_equivalent(const struct policy_severity *s)
{
    return s->scheme == POLICY_SCHEME_CMSS ? s->score / 2.5 : s->score;
}

int policy__sev_parse_metrics(const char *body, const struct sev_metric *metrics, size_t n,
                              bool allow_space, int *idx, char *err, size_t err_len)
{
    for (size_t i = 0; i < n; i++)
        idx[i] = -1;
    const char *p = body;
    if (!*p) {
        snprintf(err, err_len, "no metrics after the prefix");
        return RC_EPARSE;
    }
    while (*p) {
        const char *end = p;
        while (*end && *end != '/' && !(allow_space && *end == ' '))
            end++;
        if (end == p) {
            snprintf(err, err_len, "empty metric (stray separator)");
            return RC_EPARSE;
        }
        const char *colon = memchr(p, ':', (size_t)(end - p));
        if (!colon) {
            snprintf(err, err_len, "'%.*s%s' is not METRIC:VALUE", ECHO_LEN(end - p), p,
                     ECHO_MORE(end - p));
            return RC_EPARSE;
        }
        size_t klen = (size_t)(colon - p), vlen = (size_t)(end - colon - 1);
        size_t m;
        for (m = 0; m < n; m++)
            if (strlen(metrics[m].name) == klen && strncmp(metrics[m].name, p, klen) == 0)
                break;
        if (m == n) {
            snprintf(err, err_len, "unknown metric '%.*s%s'", ECHO_LEN(klen), p, ECHO_MORE(klen));
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
            snprintf(err, err_len, "%s: unknown value '%.*s%s'", metrics[m].name, ECHO_LEN(vlen),
                     colon + 1, ECHO_MORE(vlen));
            return RC_EPARSE;
        }
        idx[m] = v;
        p = end;
        if (*p) {
            p++;
            if (!*p) {
                snprintf(err, err_len, "trailing separator after %s", metrics[m].name);
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

/* Copies `in` into `out` with surrounding white space removed and inner runs of white space
 * collapsed to one space (CMSS strings are copied from web pages). Only printable ASCII is
 * accepted, so every message that echoes part of a vector is valid UTF-8 and JSON-safe. */
static int normalise(const char *in, char *out, size_t out_len, char *err, size_t err_len)
{
    size_t n = 0;
    bool space = false;
    for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            space = n > 0;
            continue;
        }
        if (*p < 0x21 || *p > 0x7e) {
            snprintf(err, err_len, "invalid character (byte 0x%02x) at offset %zu", *p,
                     (size_t)(p - (const unsigned char *)in));
            return RC_EPARSE;
        }
        if (n + (space ? 2 : 1) >= out_len) {
            snprintf(err, err_len, "vector longer than %zu characters", out_len - 1);
            return RC_EPARSE;
        }
        if (space)
            out[n++] = ' ';
        space = false;
        out[n++] = (char)*p;
    }
    out[n] = '\0';
    if (n == 0) {
        snprintf(err, err_len, "empty vector");
        return RC_EPARSE;
    }
    return 0;
}

int policy_severity_score(const char *vector, struct policy_severity *out, char *err,
                          size_t err_len)
{
    char scratch[160];
    if (!err || err_len == 0) {
        err = scratch;
        err_len = sizeof scratch;
    }
    if (!vector) {
        snprintf(err, err_len, "empty vector");
        return RC_EPARSE;
    }
    struct policy_severity s;
    memset(&s, 0, sizeof s);
    int rc = normalise(vector, s.vector, sizeof s.vector, err, err_len);
    if (rc < 0)
        return rc;
    const char *v = s.vector;
    static const struct {
        const char *prefix;
        enum policy_scheme scheme;
    } cvss[] = {
        {"CVSS:3.0", POLICY_SCHEME_CVSS30},
        {"CVSS:3.1", POLICY_SCHEME_CVSS31},
        {"CVSS:4.0", POLICY_SCHEME_CVSS40},
    };
    size_t plen = strcspn(v, "/");
    size_t k;
    for (k = 0; k < NELEM(cvss); k++)
        if (plen == 8 && strncmp(v, cvss[k].prefix, 8) == 0)
            break;
    if (k < NELEM(cvss)) {
        const char *body = v[plen] ? v + plen + 1 : v + plen;
        if (cvss[k].scheme == POLICY_SCHEME_CVSS40)
            rc = policy__sev_score_cvss4(body, &s, err, err_len);
        else
            rc = policy__sev_score_cvss3(body, cvss[k].scheme == POLICY_SCHEME_CVSS31, &s, err,
                                         err_len);
    } else if (strncasecmp(v, "CVSS", 4) == 0) {
        /* Anything else that claims to be CVSS (2.0, "cvss:3.1") is refused here rather than
         * reported as an unknown CMSS metric. */
        snprintf(err, err_len,
                 "CVSS: unsupported prefix '%.*s%s' (CVSS:3.0/, CVSS:3.1/ and CVSS:4.0/ are)",
                 ECHO_LEN(plen), v, ECHO_MORE(plen));
        rc = RC_EPARSE;
    } else {
        rc = policy__sev_score_cmss(v, &s, err, err_len);
        /* A bare CVSS base vector ("AV:N/AC:L/...") lands here; say what is missing. */
        if (rc < 0 && strncmp(v, "AV:", 3) == 0) {
            size_t used = strlen(err);
            snprintf(err + used, err_len - used,
                     " (CVSS vectors start with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/)");
        }
    }
    if (rc < 0)
        return rc;
    *out = s;
    return 0;
}
