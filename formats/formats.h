/* Machine-readable advisories (docs/CONTRACT.md "Machine-readable advisories"): OSV documents,
 * CSAF 2.0 security advisories and Atom feeds, rendered from the PUBLIC release object of a
 * published release (its `advisories`, docs/CONTRACT.md "Advisory object") and the project's
 * public settings. Pure: the renderers never see a store row, so nothing private can reach a
 * document; which releases qualify, ids, ranges and severity mappings are policy/advisory_docs.h's.
 */
#ifndef RELCAL_FORMATS_FORMATS_H
#define RELCAL_FORMATS_FORMATS_H

#include <jansson.h>
#include <stddef.h>

#include "policy/types.h"

struct formats_project {
    const char *id;
    const char *name;
    const char *base_url;     /* public_url, no trailing slash */
    const char *package_name; /* "" or NULL: no OSV `affected` */
    const char *ecosystem;    /* "" or NULL: no OSV `affected` */
    const char *publisher_name, *publisher_namespace, *publisher_category;
    const char *contact_details, *issuing_authority; /* "" or NULL: left out */
    /* The config's branches and versions (where branches the release ships nothing for
     * stand). */
    const struct policy_branch *branches;
    size_t n_branches;
};

/* URLs of the documents (caller frees). */
char *formats_osv_url(const struct formats_project *p, const char *osv_id);
char *formats_osv_index_url(const struct formats_project *p);
char *formats_csaf_url(const struct formats_project *p, const char *release_id);
/* p NULL: the combined feed. */
char *formats_atom_url(const char *base_url, const struct formats_project *p);

/* The OSV document of advisory `k` of `release` (a public release object with `advisories`,
 * each carrying `osv_id`). NULL when k is out of range. */
json_t *formats_osv(const struct formats_project *p, const json_t *release, size_t k);

/* The CSAF 2.0 csaf_security_advisory of a published release. */
json_t *formats_csaf(const struct formats_project *p, const json_t *release);

/* One release for the Atom feed: its project and public release object. */
struct formats_feed_release {
    const struct formats_project *project;
    const json_t *release;
};
/* The Atom feed (RFC 4287) of the advisories of `rels` (one entry per advisory, newest first);
 * `p` is the feed's project, NULL for the combined feed. `base_url` is public_url. Caller frees
 * the text; *len its length. */
char *formats_atom(const struct formats_project *p, const char *base_url,
                   const struct formats_feed_release *rels, size_t n, size_t *len);

#endif
