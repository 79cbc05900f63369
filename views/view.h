/* JSON views of releases (views/release.c) and issues (views/issue.c) (docs/CONTRACT.md
 * "Release object", "Issue object"). What each
 * audience sees of a release is decided by policy/disclosure.h: the public view never includes
 * issue ids, and the fix count, highest level, versions and notice instant only once the
 * release has been announced. */
#ifndef RELCAL_VIEWS_VIEW_H
#define RELCAL_VIEWS_VIEW_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/disclosure.h"
#include "policy/types.h"

struct view_version {
    const char *branch;
    const char *version;
};

/* Everything a release object shows; borrowed pointers. */
struct view_release {
    const char *project;
    const struct policy_release *rel;
    size_t fix_count;
    bool has_level; /* false: no issue has a severity */
    enum policy_level max_level;
    const struct view_version *versions;
    size_t n_versions;
    const int64_t *issue_ids; /* private */
    size_t n_issue_ids;
    /* The advisory objects (a JSON array, borrowed), shown as "advisories" when the audience may
     * see them (policy_release_visibility.advisories); NULL: none. */
    json_t *advisories;
    /* The URL of its CSAF advisory, shown as "csaf_url" when not NULL (the scheduler sets it only
     * for a documented release whose advisories the audience may see). */
    const char *csaf_url;
};

/* New reference: the release as `audience` may see it (authenticated readers are the team). */
json_t *view_release_json(const struct view_release *v, enum policy_audience audience);

struct view_issue {
    const struct policy_issue *core;
    const char *title;
    const char *description; /* omitted when NULL and with_description is false */
    const char *public_summary;
    const char *cve;
    const char *ghsa;
    const char *credits;      /* JSON array text as stored, or NULL */
    const char *advisory_url; /* its own, or NULL */
    const char *const *branches;
    size_t n_branches;
    bool cve_recommended;
    int64_t acknowledge_due, respond_due, resolve_due;
    int64_t resolve_missed_due;  /* the deadline missed before an extension; 0 when none */
    const char *const *breached; /* names of breached SLAs */
    size_t n_breached;
};

/* New reference. Issue objects are private by construction: only reader-or-better routes and
 * distributor payloads call this. `with_description` false drops the description (webhooks). */
json_t *view_issue_json(const struct view_issue *v, bool with_description);

/* New reference: the fields of the issue object `full` (view_issue_json with the description)
 * that `vis` lets an audience other than the team see, "id" always, the severity's "level" alone
 * when the level is visible and the severity is not (the faces a preview compares). */
json_t *view_issue_face_json(const json_t *full, const struct policy_issue_visibility *vis);

/* The severity object {"vector","scheme","score","label","level"}. */
json_t *view_severity_json(const struct policy_severity *s);

#endif
