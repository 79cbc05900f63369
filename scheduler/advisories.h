/* The advisories of a published release: each released issue's public fields as
 * policy/disclosure.h allows them (docs/POLICY.md "Disclosure"), with its fixed versions, its
 * credits and its URL (its own advisory_url, else the project's advisory_url_template). One
 * source for the release JSON (and so every channel payload), the feeds and the page. */
#ifndef RELCAL_SCHEDULER_ADVISORIES_H
#define RELCAL_SCHEDULER_ADVISORIES_H

#include <jansson.h>

#include "policy/advisory_docs.h"
#include "policy/disclosure.h"
#include "scheduler/sched.h"

struct sched_advisory {
    const struct store_issue *is;      /* borrowed from the view */
    struct policy_issue_visibility iv; /* the public's */
    char url[1024];                    /* "" when none */
    json_t *credits;                   /* array of {"name", "role"?}, owned; NULL when none */
    char *credits_text;                /* "Ana Lima (finder), Bo", owned; NULL when none */
    /* Its OSV id (policy_osv_id: the n-th advisory of the release) and the URL of its OSV
     * document (docs/CONTRACT.md "Machine-readable advisories"). */
    char osv_id[POLICY_OSV_ID_MAX];
    char osv_url[1280];
    /* Each affected branch and the version of this release that fixes it (NULL version when
     * the release numbers no version for it); every branch of the release when the issue names
     * none. */
    size_t n_fixed;
    struct {
        const char *branch;
        const char *version;
    } fixed[POLICY_BRANCHES_MAX];
};

/* The advisories of release r (empty unless the public may see them: the release and the issue
 * published). `versions` are the release's versions (sched_release_versions). Oldest issue
 * first. Caller frees with sched_advisories_free; *out is NULL when there are none. */
size_t sched_advisories(const struct sched_view *v, const struct store_release *r,
                        const struct policy_version *versions, size_t n_versions,
                        struct sched_advisory **out);
void sched_advisories_free(struct sched_advisory *a, size_t n);

/* The advisory object (docs/CONTRACT.md "Advisory object"): only the fields `a->iv` allows. */
json_t *sched_advisory_json(const struct sched_advisory *a);

#endif
