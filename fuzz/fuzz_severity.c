/* libFuzzer target: the severity vector parsers (policy/severity.h): CVSS v3.0/v3.1, CVSS v4.0
 * (policy/cvss4.c) and CMSS, all behind policy_severity_score. Checks what the header promises:
 * a score in range with a matching level and label, the normalised vector scoring the same
 * again, and error messages that fit the caller's buffer (sized from the input, so ASan sees
 * any write past it). */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "policy/severity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t err_len = 1 + data[0] % 160; /* the first byte sizes the error buffer */
    char *vector = malloc(size);
    memcpy(vector, data + 1, size - 1);
    vector[size - 1] = '\0';
    char *err = malloc(err_len);
    struct policy_severity s;
    int rc = policy_severity_score(vector, &s, err, err_len);
    if (rc == 0) {
        double max = s.scheme == POLICY_SCHEME_CMSS ? 25.0 : 10.0;
        if (!(s.score >= 0.0 && s.score <= max) || s.label[0] == '\0' ||
            (unsigned)s.level > POLICY_LEVEL_CRITICAL || !memchr(s.vector, '\0', sizeof s.vector))
            abort();
        if (s.scheme != POLICY_SCHEME_CMSS && s.level != policy_level_from_cvss(s.score))
            abort();
        /* The normalised vector is a vector of the same scheme and score. */
        struct policy_severity again;
        if (policy_severity_score(s.vector, &again, NULL, 0) != 0 || again.scheme != s.scheme ||
            fabs(again.score - s.score) > 1e-9 || strcmp(again.vector, s.vector) != 0)
            abort();
    } else if (rc != RC_EPARSE || memchr(err, '\0', err_len) == NULL) {
        abort();
    }
    free(err);
    free(vector);
    return 0;
}
