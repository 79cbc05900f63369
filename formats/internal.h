/* Private to formats/. */
#ifndef RELCAL_FORMATS_INTERNAL_H
#define RELCAL_FORMATS_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>

#include "formats/formats.h"
#include "policy/advisory_docs.h"

/* A string member of o, or NULL (also for null and non-strings). */
const char *formats__str(const json_t *o, const char *key);
/* Whether s is set and non-empty. */
bool formats__set(const char *s);

/* The affected ranges of an advisory (its `versions`: branch, fixed) against the release's
 * other versions and the config's branches; *branch_of receives, for each range, the branch it
 * is for. Returns the count. */
size_t formats__ranges(const struct formats_project *p, const json_t *release,
                       const json_t *versions, struct policy_version_range *out,
                       const char **branch_of);

#endif
