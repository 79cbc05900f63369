/* OSV documents (https://ossf.github.io/osv-schema/, docs/CONTRACT.md "Machine-readable
 * advisories"): one per advisory of a published release. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/xalloc.h"
#include "formats/internal.h"

static void add_ref(json_t *refs, const char *type, const char *url)
{
    json_array_append_new(refs, json_pack("{ssss}", "type", type, "url", url));
}

static json_t *affected(const struct formats_project *p, const json_t *release, const json_t *a)
{
    if (!formats__set(p->ecosystem))
        return NULL;
    struct policy_version_range r[POLICY_BRANCHES_MAX];
    const char *branch_of[POLICY_BRANCHES_MAX];
    size_t n = formats__ranges(p, release, json_object_get(a, "versions"), r, branch_of);
    if (n == 0)
        return NULL;
    json_t *events = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(events, json_pack("{ss}", "introduced", r[i].introduced));
        json_array_append_new(events, json_pack("{ss}", "fixed", r[i].fixed));
    }
    json_t *range = json_pack("{ssso}", "type", "ECOSYSTEM", "events", events);
    json_t *pkg = json_pack("{ssss}", "ecosystem", p->ecosystem, "name",
                            formats__set(p->package_name) ? p->package_name : p->id);
    json_t *branches = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(branches,
                              json_pack("{s:s?,s:s,s:s}", "branch", branch_of[i], "introduced",
                                        r[i].introduced, "fixed", r[i].fixed));
    json_t *e = json_pack("{s:o,s:[o],s:{s:o}}", "package", pkg, "ranges", range,
                          "database_specific", "branches", branches);
    return json_pack("[o]", e);
}

/* The CVE and GHSA ids; NULL when there are none. */
static json_t *aliases(const json_t *a)
{
    const char *cve = formats__str(a, "cve"), *ghsa = formats__str(a, "ghsa");
    json_t *arr = json_array();
    if (formats__set(cve))
        json_array_append_new(arr, json_string(cve));
    if (formats__set(ghsa))
        json_array_append_new(arr, json_string(ghsa));
    if (json_array_size(arr))
        return arr;
    json_decref(arr);
    return NULL;
}

/* The OSV severity array for a scheme OSV has a type for; NULL otherwise. */
static json_t *severity(const json_t *sev)
{
    const char *vector = formats__str(sev, "vector");
    struct policy_severity ps;
    if (!formats__set(vector) || policy_severity_score(vector, &ps, NULL, 0) != 0)
        return NULL;
    const char *type = policy_osv_severity_type(ps.scheme);
    char ordered[POLICY_VECTOR_MAX];
    /* OSV's CVSS_V4 wants FIRST's metric order; relcal takes any. */
    if (ps.scheme != POLICY_SCHEME_CVSS40 ||
        !policy_cvss4_ordered_vector(vector, ordered, sizeof ordered))
        snprintf(ordered, sizeof ordered, "%s", vector);
    return type ? json_pack("[{ssss}]", "type", type, "score", ordered) : NULL;
}

/* The advisory, the release's CSAF document, the GHSA and CVE records. */
static json_t *references(const struct formats_project *p, const json_t *release, const json_t *a)
{
    const char *cve = formats__str(a, "cve"), *ghsa = formats__str(a, "ghsa");
    json_t *refs = json_array();
    const char *url = formats__str(a, "advisory_url");
    if (formats__set(url))
        add_ref(refs, "ADVISORY", url);
    char *csaf = formats_csaf_url(p, formats__str(release, "id"));
    add_ref(refs, "ADVISORY", csaf);
    free(csaf);
    if (formats__set(ghsa)) {
        char *g = xasprintf("https://github.com/advisories/%s", ghsa);
        add_ref(refs, "ADVISORY", g);
        free(g);
    }
    if (formats__set(cve)) {
        char *c = xasprintf("https://www.cve.org/CVERecord?id=%s", cve);
        add_ref(refs, "ADVISORY", c);
        free(c);
    }
    return refs;
}

static json_t *credits_of(const json_t *credits)
{
    json_t *cs = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(credits, i, c)
    {
        json_t *e =
            json_pack("{ss}", "name", formats__str(c, "name") ? formats__str(c, "name") : "");
        if (formats__set(formats__str(c, "role")))
            json_object_set_new(e, "type", json_string(formats__str(c, "role")));
        json_array_append_new(cs, e);
    }
    return cs;
}

/* relcal's own severity object for every scheme (CMSS has no OSV type), the release and the
 * per-branch versions as the advisory object gives them. */
static json_t *database_specific(const json_t *release, const json_t *a)
{
    const json_t *sev = json_object_get(a, "severity");
    json_t *ds = json_object();
    if (sev && !json_is_null(sev))
        json_object_set(ds, "severity", (json_t *)sev);
    json_object_set_new(ds, "release", json_string(formats__str(release, "id")));
    json_t *versions = json_object_get(a, "versions");
    if (versions)
        json_object_set(ds, "versions", versions);
    return ds;
}

json_t *formats_osv(const struct formats_project *p, const json_t *release, size_t k)
{
    const json_t *a = json_array_get(json_object_get(release, "advisories"), k);
    const char *id = formats__str(a, "osv_id");
    const char *published = formats__str(a, "published_at");
    if (!a || !formats__set(id) || !formats__set(published))
        return NULL;
    json_t *o = json_object();
    json_object_set_new(o, "schema_version", json_string("1.6.0"));
    json_object_set_new(o, "id", json_string(id));
    /* Advisories do not change once published (docs/POLICY.md "Machine-readable advisories"). */
    json_object_set_new(o, "modified", json_string(published));
    json_object_set_new(o, "published", json_string(published));
    json_t *al = aliases(a);
    if (al)
        json_object_set_new(o, "aliases", al);
    const char *title = formats__str(a, "title");
    if (formats__set(title))
        json_object_set_new(o, "summary", json_string(title));
    const char *summary = formats__str(a, "summary");
    if (formats__set(summary))
        json_object_set_new(o, "details", json_string(summary));
    json_t *sev = severity(json_object_get(a, "severity"));
    if (sev)
        json_object_set_new(o, "severity", sev);
    json_t *aff = affected(p, release, a);
    if (aff)
        json_object_set_new(o, "affected", aff);
    json_object_set_new(o, "references", references(p, release, a));
    json_t *credits = json_object_get(a, "credits");
    if (json_array_size(credits))
        json_object_set_new(o, "credits", credits_of(credits));
    json_object_set_new(o, "database_specific", database_specific(release, a));
    return o;
}
