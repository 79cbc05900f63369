/* Severity scoring: CVSS v3.0/v3.1 base, temporal and environmental scores (FIRST
 * specification, including its Roundup function), CVSS v4.0 CVSS-B/BT/BE/BTE scores (FIRST v4.0
 * macrovector lookup and interpolation), and the NIST CMSS-based risk calculator used by Drupal and
 * Mautic (0..25 points). */
#ifndef RELCAL_POLICY_SEVERITY_H
#define RELCAL_POLICY_SEVERITY_H

#include <stdbool.h>
#include <stddef.h>

enum policy_level {
    POLICY_LEVEL_NONE = 0,
    POLICY_LEVEL_LOW,
    POLICY_LEVEL_MEDIUM,
    POLICY_LEVEL_HIGH,
    POLICY_LEVEL_CRITICAL,
};

enum policy_scheme {
    POLICY_SCHEME_CVSS30 = 0,
    POLICY_SCHEME_CVSS31,
    POLICY_SCHEME_CVSS40,
    POLICY_SCHEME_CMSS,
};

#define POLICY_VECTOR_MAX 192

struct policy_severity {
    char vector[POLICY_VECTOR_MAX]; /* as given (normalised spacing only) */
    enum policy_scheme scheme;
    double score;   /* CVSS 0.0..10.0 (one decimal); CMSS 0..25 */
    char label[24]; /* the scheme's own label: "Critical", "Moderately critical", ... */
    enum policy_level level;
    /* The name of the score shown (docs/POLICY.md "Severity"): "base", "temporal" or
     * "environmental" for v3; "CVSS-B", "CVSS-BT", "CVSS-BE" or "CVSS-BTE" for v4; "cmss". */
    char score_type[16];
};

/* "none", "low", "medium", "high", "critical". */
const char *policy_level_name(enum policy_level level);
/* RC_EINVAL for anything else. */
int policy_level_parse(const char *s, enum policy_level *out);
/* "cvss3.0", "cvss3.1", "cvss4.0", "cmss". */
const char *policy_scheme_name(enum policy_scheme scheme);

/* Scores a vector of any supported scheme. On failure returns RC_EPARSE and, when err is not
 * NULL, writes a message naming the bad metric (e.g. "AV: unknown value 'Q'") into err. `out`
 * is written only on success. */
int policy_severity_score(const char *vector, struct policy_severity *out, char *err,
                          size_t err_len);

/* CVSS range mapping used for v3 and v4 (0 none, 0.1-3.9 low, ... 9.0-10 critical). */
enum policy_level policy_level_from_cvss(double score);

/* The score on the CVSS scale that cve_request_min_cvss is compared with: the CVSS score for
 * CVSS vectors; for CMSS, points/2.5 (0..25 -> 0..10). */
double policy_severity_cvss_equivalent(const struct policy_severity *s);

#endif
