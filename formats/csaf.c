/* CSAF 2.0 csaf_security_advisory documents (OASIS CSAF 2.0, docs/CONTRACT.md "Machine-readable
 * advisories"): one per published release. The product tree has, under the publisher (vendor) and
 * the project (product_name), per branch of the release the affected range
 * (product_version_range, "vers:generic/>=5.0.0|<5.1.3") and the fixed version
 * (product_version). CVSS v3 goes to `scores` (base score, from the base metrics); CVSS v4.0 and
 * CMSS, which CSAF 2.0 has no score object for, to a note and the threat's impact text. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/xalloc.h"
#include "formats/internal.h"

static char *affected_id(const struct formats_project *p, const char *branch)
{
    return xasprintf("%s:%s:affected", p->id, branch ? branch : "all");
}

static char *fixed_id(const struct formats_project *p, const char *version)
{
    return xasprintf("%s:%s", p->id, version);
}

static json_t *product_tree(const struct formats_project *p, const json_t *release)
{
    struct policy_version_range r[POLICY_BRANCHES_MAX];
    const char *branch_of[POLICY_BRANCHES_MAX];
    json_t *vs = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(release, "versions"), i, e)
        json_array_append_new(vs, json_pack("{s:s?,s:s?}", "branch", formats__str(e, "branch"),
                                            "fixed", formats__str(e, "version")));
    size_t n = formats__ranges(p, release, vs, r, branch_of); /* branch_of borrows from vs */
    json_t *leaves = json_array();
    for (size_t k = 0; k < n; k++) {
        char *vers = strcmp(r[k].introduced, "0") == 0
                         ? xasprintf("vers:generic/<%s", r[k].fixed)
                         : xasprintf("vers:generic/>=%s|<%s", r[k].introduced, r[k].fixed);
        char *aid = affected_id(p, branch_of[k]), *fid = fixed_id(p, r[k].fixed);
        char *aname =
            xasprintf("%s %s before %s", p->name, branch_of[k] ? branch_of[k] : "", r[k].fixed);
        char *fname = xasprintf("%s %s", p->name, r[k].fixed);
        json_array_append_new(leaves,
                              json_pack("{sssss{ssss}}", "category", "product_version_range",
                                        "name", vers, "product", "product_id", aid, "name", aname));
        json_array_append_new(leaves,
                              json_pack("{sssss{ssss}}", "category", "product_version", "name",
                                        r[k].fixed, "product", "product_id", fid, "name", fname));
        free(vers);
        free(aid);
        free(fid);
        free(aname);
        free(fname);
    }
    json_decref(vs);
    if (json_array_size(leaves) == 0) {
        json_decref(leaves);
        return json_object();
    }
    return json_pack("{s[{sssss[{sssss o}]}]}", "branches", "category", "vendor", "name",
                     p->publisher_name, "branches", "category", "product_name", "name", p->name,
                     "branches", leaves);
}

static bool cve_ok(const char *s)
{
    if (!s || strncmp(s, "CVE-", 4) != 0)
        return false;
    const char *p = s + 4;
    for (int i = 0; i < 4; i++, p++)
        if (!isdigit((unsigned char)*p))
            return false;
    if (*p++ != '-')
        return false;
    size_t n = 0;
    for (; isdigit((unsigned char)*p); p++)
        n++;
    return !*p && n >= 4;
}

static void role_words(char *out, size_t len, const char *role)
{
    size_t k = 0;
    for (const char *p = role; *p && k + 1 < len; p++)
        out[k++] = *p == '_' ? ' ' : (char)tolower((unsigned char)*p);
    out[k] = 0;
}

static const char *cvss_severity(double score)
{
    static const char *const names[] = {"NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL"};
    return names[policy_level_from_cvss(score)];
}

/* The ids besides a well-formed CVE (which has its own field): a malformed CVE, GHSA, OSV. */
static json_t *vulnerability_ids(const json_t *a)
{
    const char *cve = formats__str(a, "cve"), *ghsa = formats__str(a, "ghsa");
    json_t *ids = json_array();
    if (formats__set(cve) && !cve_ok(cve))
        json_array_append_new(ids, json_pack("{ssss}", "system_name", "CVE", "text", cve));
    if (formats__set(ghsa))
        json_array_append_new(ids, json_pack("{ssss}", "system_name", "GHSA", "text", ghsa));
    if (formats__set(formats__str(a, "osv_id")))
        json_array_append_new(
            ids, json_pack("{ssss}", "system_name", "OSV", "text", formats__str(a, "osv_id")));
    return ids;
}

/* The severity note's text: the vector, its score, label and level. Caller frees. */
static char *severity_text(const struct policy_severity *ps)
{
    return ps->scheme == POLICY_SCHEME_CMSS
               ? xasprintf("%s: %g/25 %s (CMSS risk; level %s)", ps->vector, ps->score, ps->label,
                           policy_level_name(ps->level))
               : xasprintf("%s: %.1f %s (%s; level %s)", ps->vector, ps->score, ps->label,
                           ps->score_type, policy_level_name(ps->level));
}

/* "Upgrade to NAME 1.2.3 (branch 1.2), NAME 2.0.1": the vendor fix's details. Caller frees. */
static char *upgrade_details(const struct formats_project *p, const struct policy_version_range *r,
                             const char *const *branch_of, size_t n)
{
    char *details = NULL;
    for (size_t k = 0; k < n; k++) {
        char *prev = details;
        details = xasprintf("%s%s%s %s%s%s%s", prev ? prev : "Upgrade to ", prev ? ", " : "",
                            p->name, r[k].fixed, branch_of[k] ? " (branch " : "",
                            branch_of[k] ? branch_of[k] : "", branch_of[k] ? ")" : "");
        free(prev);
    }
    return details;
}

/* product_status and, with fixed versions, the vendor-fix remediation. affected and fixed are
 * borrowed product id arrays; affected gains the project's id when nothing is fixed. */
static void set_products(json_t *v, const struct formats_project *p,
                         const struct policy_version_range *r, const char *const *branch_of,
                         size_t n, json_t *affected, json_t *fixed, const char *url)
{
    if (n == 0) {
        /* No fixed version known for its branches (past their end of life): the project as a
         * whole is known affected (product_tree's full_product_names), so the vulnerability
         * still has its product status, score and threat. */
        json_array_append_new(affected, json_string(p->id));
        json_object_set_new(v, "product_status", json_pack("{sO}", "known_affected", affected));
        return;
    }
    json_object_set_new(v, "product_status",
                        json_pack("{sOsO}", "known_affected", affected, "fixed", fixed));
    char *details = upgrade_details(p, r, branch_of, n);
    json_t *rem =
        json_pack("{sssssO}", "category", "vendor_fix", "details", details, "product_ids", fixed);
    if (formats__set(url))
        json_object_set_new(rem, "url", json_string(url));
    json_object_set_new(v, "remediations", json_pack("[o]", rem));
    free(details);
}

/* scores (CVSS 3.x only, with the base score of its base vector) and the impact threat. */
static void set_scores_and_threats(json_t *v, const struct policy_severity *ps,
                                   const json_t *affected)
{
    if (ps->scheme == POLICY_SCHEME_CVSS30 || ps->scheme == POLICY_SCHEME_CVSS31) {
        char base[POLICY_VECTOR_MAX];
        struct policy_severity bs;
        if (policy_cvss3_base_vector(ps->vector, base, sizeof base) &&
            policy_severity_score(base, &bs, NULL, 0) == 0) {
            json_t *cvss = json_pack("{sssssfss}", "version",
                                     ps->scheme == POLICY_SCHEME_CVSS30 ? "3.0" : "3.1",
                                     "vectorString", ps->vector, "baseScore", bs.score,
                                     "baseSeverity", cvss_severity(bs.score));
            json_object_set_new(v, "scores",
                                json_pack("[{sosO}]", "cvss_v3", cvss, "products", affected));
        }
    }
    char *impact = xasprintf("%s (%s %s)", ps->label, policy_scheme_name(ps->scheme),
                             policy_level_name(ps->level));
    json_object_set_new(
        v, "threats",
        json_pack("[{sssssO}]", "category", "impact", "details", impact, "product_ids", affected));
    free(impact);
}

/* One acknowledgment per named credit, its role in words. */
static json_t *acknowledgments(const json_t *credits)
{
    json_t *acks = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(credits, i, c)
    {
        const char *name = formats__str(c, "name"), *role = formats__str(c, "role");
        if (!formats__set(name))
            continue;
        json_t *ack = json_pack("{s[s]}", "names", name);
        if (formats__set(role)) {
            char words[64];
            role_words(words, sizeof words, role);
            json_object_set_new(ack, "summary", json_string(words));
        }
        json_array_append_new(acks, ack);
    }
    return acks;
}

/* The advisory and OSV document links; NULL when there are none. */
static json_t *references(const json_t *a)
{
    const char *url = formats__str(a, "advisory_url");
    json_t *refs = json_array();
    if (formats__set(url))
        json_array_append_new(
            refs, json_pack("{ssssss}", "category", "external", "summary", "Advisory", "url", url));
    if (formats__set(formats__str(a, "osv_url")))
        json_array_append_new(refs, json_pack("{ssssss}", "category", "external", "summary",
                                              "OSV document", "url", formats__str(a, "osv_url")));
    if (json_array_size(refs))
        return refs;
    json_decref(refs);
    return NULL;
}

static json_t *vulnerability(const struct formats_project *p, const json_t *release,
                             const json_t *a)
{
    json_t *v = json_object();
    const char *cve = formats__str(a, "cve");
    const char *title = formats__str(a, "title"), *summary = formats__str(a, "summary");
    if (cve_ok(cve))
        json_object_set_new(v, "cve", json_string(cve));
    json_object_set_new(v, "ids", vulnerability_ids(a));
    if (formats__set(title))
        json_object_set_new(v, "title", json_string(title));
    json_t *notes = json_array();
    json_array_append_new(
        notes, json_pack("{ssssss}", "category", "summary", "title", "Summary", "text",
                         formats__set(summary) ? summary : (formats__set(title) ? title : "-")));
    /* Products: each branch the advisory names with a fixed version. */
    struct policy_version_range r[POLICY_BRANCHES_MAX];
    const char *branch_of[POLICY_BRANCHES_MAX];
    size_t n = formats__ranges(p, release, json_object_get(a, "versions"), r, branch_of);
    json_t *affected = json_array(), *fixed = json_array();
    for (size_t k = 0; k < n; k++) {
        char *aid = affected_id(p, branch_of[k]), *fid = fixed_id(p, r[k].fixed);
        json_array_append_new(affected, json_string(aid));
        json_array_append_new(fixed, json_string(fid));
        free(aid);
        free(fid);
    }
    const char *vector = formats__str(json_object_get(a, "severity"), "vector");
    struct policy_severity ps;
    bool scored = formats__set(vector) && policy_severity_score(vector, &ps, NULL, 0) == 0;
    if (scored) {
        char *text = severity_text(&ps);
        json_array_append_new(
            notes, json_pack("{ssssss}", "category", "other", "title", "Severity", "text", text));
        free(text);
    }
    json_object_set_new(v, "notes", notes);
    set_products(v, p, r, branch_of, n, affected, fixed, formats__str(a, "advisory_url"));
    if (scored)
        set_scores_and_threats(v, &ps, affected);
    json_decref(affected);
    json_decref(fixed);
    json_t *credits = json_object_get(a, "credits");
    if (json_array_size(credits))
        json_object_set_new(v, "acknowledgments", acknowledgments(credits));
    json_t *refs = references(a);
    if (refs)
        json_object_set_new(v, "references", refs);
    if (formats__set(formats__str(a, "published_at")))
        json_object_set_new(v, "release_date", json_string(formats__str(a, "published_at")));
    return v;
}

/* "Mautic 5.1.3 and 4.5.9 security release" (the feed SUMMARY's words). */
static char *release_title(const struct formats_project *p, const json_t *release)
{
    char *t = xasprintf("%s", p->name);
    size_t i, n = json_array_size(json_object_get(release, "versions"));
    json_t *e;
    json_array_foreach(json_object_get(release, "versions"), i, e)
    {
        char *prev = t;
        const char *sep = i == 0 ? " " : (i + 1 == n ? " and " : ", ");
        t = xasprintf("%s%s%s", prev, sep,
                      formats__str(e, "version") ? formats__str(e, "version") : "");
        free(prev);
    }
    char *prev = t;
    t = xasprintf("%s security release", prev);
    free(prev);
    return t;
}

json_t *formats_csaf(const struct formats_project *p, const json_t *release)
{
    const char *rid = formats__str(release, "id"), *released = formats__str(release, "released_at");
    json_t *advs = json_object_get(release, "advisories");
    if (!formats__set(rid) || !formats__set(released) || !json_array_size(advs))
        return NULL;
    json_t *pub = json_pack("{ssssss}", "category",
                            formats__set(p->publisher_category) ? p->publisher_category : "vendor",
                            "name", p->publisher_name, "namespace", p->publisher_namespace);
    if (formats__set(p->contact_details))
        json_object_set_new(pub, "contact_details", json_string(p->contact_details));
    if (formats__set(p->issuing_authority))
        json_object_set_new(pub, "issuing_authority", json_string(p->issuing_authority));
    char *title = release_title(p, release);
    char *self = formats_csaf_url(p, rid);
    char *tracking_id = xasprintf("%s-%s", p->id, rid);
    char *page = xasprintf("%s/p/%s", p->base_url, p->id);
    char *summary = xasprintf("%s fixes %zu vulnerabilit%s.", title, json_array_size(advs),
                              json_array_size(advs) == 1 ? "y" : "ies");
    json_t *doc = json_object();
    json_object_set_new(doc, "category", json_string("csaf_security_advisory"));
    json_object_set_new(doc, "csaf_version", json_string("2.0"));
    json_object_set_new(doc, "lang", json_string("en"));
    json_object_set_new(doc, "title", json_string(title));
    json_object_set_new(doc, "distribution", json_pack("{s{ss}}", "tlp", "label", "WHITE"));
    json_object_set_new(doc, "publisher", pub);
    json_object_set_new(
        doc, "notes",
        json_pack("[{ssssss}]", "category", "summary", "title", "Summary", "text", summary));
    json_object_set_new(doc, "references",
                        json_pack("[{ssssss},{ssssss}]", "category", "self", "summary",
                                  "This document", "url", self, "category", "external", "summary",
                                  "Security releases of the project", "url", page));
    json_t *history =
        json_pack("[{ssssss}]", "date", released, "number", "1", "summary", "Initial version.");
    json_object_set_new(doc, "tracking",
                        json_pack("{sssssssssssos{s{ss}}}", "id", tracking_id, "status", "final",
                                  "version", "1", "initial_release_date", released,
                                  "current_release_date", released, "revision_history", history,
                                  "generator", "engine", "name", "relcal"));
    free(title);
    free(self);
    free(tracking_id);
    free(page);
    free(summary);
    json_t *vulns = json_array();
    size_t i;
    json_t *a;
    bool whole = false;
    json_array_foreach(advs, i, a)
    {
        json_t *vu = vulnerability(p, release, a);
        json_t *known = json_object_get(json_object_get(vu, "product_status"), "known_affected");
        whole = whole || (json_array_size(known) == 1 &&
                          strcmp(json_string_value(json_array_get(known, 0)), p->id) == 0);
        json_array_append_new(vulns, vu);
    }
    json_t *tree = product_tree(p, release);
    if (whole)
        json_object_set_new(tree, "full_product_names",
                            json_pack("[{ssss}]", "product_id", p->id, "name", p->name));
    return json_pack("{sososo}", "document", doc, "product_tree", tree, "vulnerabilities", vulns);
}
