/* The JSON view of one advisory, an entry of a published release's "advisories"
 * (docs/CONTRACT.md "Release object"). Which fields appear is `policy/disclosure.c`'s decision,
 * handed over as the audience's `struct policy_issue_visibility`; the scheduler gathers the rest
 * (scheduler/advisories.c). Every pointer borrowed. */
#ifndef RELCAL_VIEWS_ADVISORY_H
#define RELCAL_VIEWS_ADVISORY_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/disclosure.h"
#include "policy/types.h"
#include "views/view.h"

struct view_advisory {
    const struct policy_issue_visibility *iv;
    const char *title, *cve, *ghsa, *summary; /* NULL: null */
    const struct policy_severity *severity;   /* NULL: the issue has none */
    const json_t *credits;                    /* array of {"name", "role"?}; NULL: [] */
    const char *url;                          /* its advisory URL; NULL or "": null */
    int64_t published_at;
    const char *osv_id, *osv_url; /* NULL or "": no OSV document */
    /* Each affected branch and the version that fixes it (NULL version: none numbered). */
    const struct view_version *fixed;
    size_t n_fixed;
};

/* New reference: {"title", "cve", "ghsa", "severity", "level", "versions", "summary", "credits",
 * "advisory_url", "published_at", "osv_id", "osv_url"}, each only as `iv` allows. */
json_t *view_advisory_json(const struct view_advisory *a);

#endif
