/* The machine-readable advisories (docs/POLICY.md "Machine-readable advisories"): which releases
 * and issues get OSV, CSAF and Atom documents, how their ids are built, how the affected version
 * ranges follow from the versions a release ships, and how each severity scheme maps onto the
 * formats. Pure: no clock, no store. */
#ifndef RELCAL_POLICY_ADVISORY_DOCS_H
#define RELCAL_POLICY_ADVISORY_DOCS_H

#include <stdbool.h>
#include <stddef.h>

#include "policy/severity.h"
#include "policy/types.h"

#define POLICY_OSV_PREFIX_MAX 48
#define POLICY_OSV_ID_MAX     128

/* A release has documents (a CSAF advisory, and an OSV document per advisory) once it is
 * published and holds at least one advisory (policy_disclosure_issue lists it for the public). */
bool policy_release_documented(const struct policy_release *r, size_t n_advisories);

/* The default OSV id prefix of a project: "x_" and its id (OSV's schema takes ids of databases
 * it does not know only with the x_ prefix). */
void policy_osv_default_prefix(const char *project_id, char *out, size_t len);
/* A prefix: 1..47 bytes of ASCII letters, digits, '_', '.' and '-', starting with a letter or
 * "x_", not ending in '-'. */
bool policy_osv_prefix_valid(const char *prefix);
/* The OSV id of the n-th advisory (1-based, oldest issue first) of release `release_id`:
 * "{prefix}-{release_id}-{n}", e.g. "x_acme-2027-02-09-1". False when it does not fit. Ids
 * name no issue number, so nothing about unpublished issues can be counted from them. */
bool policy_osv_id(const char *prefix, const char *release_id, size_t n, char *out, size_t len);

/* An OSV ecosystem: one of OSV's ecosystem names, optionally followed by ":suffix" (e.g.
 * "Debian:12"). */
bool policy_osv_ecosystem_valid(const char *ecosystem);

/* OSV's severity type for a scheme: "CVSS_V3" (v3.0, v3.1), "CVSS_V4"; NULL for CMSS, which
 * OSV has no type for. */
const char *policy_osv_severity_type(enum policy_scheme scheme);

/* The CVSS v3 base vector of a v3.0/v3.1 vector: the prefix and the eight base metrics, in
 * FIRST's order (what CSAF's cvss_v3 baseScore is computed from). False for other schemes or
 * when it does not fit. */
bool policy_cvss3_base_vector(const char *vector, char *out, size_t len);

/* A CVSS v4.0 vector with its metrics in FIRST's order (AV AC AT PR UI VC VI VA SC SI SA E CR IR
 * AR MAV MAC MAT MPR MUI MVC MVI MVA MSC MSI MSA S AU R V RE U), the order OSV's CVSS_V4 type
 * requires; relcal accepts them in any order. False for other schemes, an unknown metric or
 * when it does not fit. */
bool policy_cvss4_ordered_vector(const char *vector, char *out, size_t len);

/* One affected range: versions from `introduced` ("0": every earlier version) up to, not
 * including, `fixed`. */
struct policy_version_range {
    char introduced[POLICY_ID_MAX];
    char fixed[POLICY_ID_MAX];
};

/* The affected ranges of an advisory fixed in `fixed` (one version per affected branch) when
 * the project's other branches stand at `others` (the versions of every branch the advisory
 * does not name). Sorted by fixed version. A fixed version with no lower version anywhere
 * (neither fixed nor other) is introduced at "0"; otherwise the range starts where its branch
 * starts: the fixed version's components up to and including the first one that differs from
 * the next lower known version, the rest zero ("5.1.3" above "4.5.9": "5.0.0"; above "5.0.7":
 * "5.1.0"). Returns the count (<= n_fixed). */
size_t policy_affected_ranges(const char *const *fixed, size_t n_fixed, const char *const *others,
                              size_t n_others, struct policy_version_range *out);

#endif
