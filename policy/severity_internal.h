/* Shared by the severity scorers: metric/value parsing of "K:V/K:V" vectors. */
#ifndef RELCAL_POLICY_SEVERITY_INTERNAL_H
#define RELCAL_POLICY_SEVERITY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "policy/severity.h"

/* One metric definition: its name and the allowed values (NULL-terminated). */
struct sev_metric {
    const char *name;
    const char *const values[8];
    bool mandatory;
};

/* Parses `body` ("AV:N/AC:L/...", separators '/' or, when allow_space, spaces) against the
 * metric table: each metric at most once, mandatory ones present, values allowed. On success
 * idx[i] is the index of metric i's value in its list, or -1 when absent. Returns 0 or
 * RC_EPARSE with a message naming the metric. */
int policy__sev_parse_metrics(const char *body, const struct sev_metric *metrics, size_t n,
                              bool allow_space, int *idx, char *err, size_t err_len);

int policy__sev_score_cvss3(const char *vector, bool v31, struct policy_severity *out, char *err,
                            size_t err_len);
int policy__sev_score_cvss4(const char *vector, struct policy_severity *out, char *err,
                            size_t err_len);
int policy__sev_score_cmss(const char *vector, struct policy_severity *out, char *err,
                           size_t err_len);

/* "None", "Low", "Medium", "High", "Critical" for a CVSS score. */
const char *policy__sev_cvss_label(double score);

#endif
