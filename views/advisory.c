/* The advisory object (see advisory.h). */
#include "views/advisory.h"

#include <stdio.h>

#include "core/json.h"

static json_t *versions_json(const struct view_advisory *a)
{
    json_t *vs = json_array();
    for (size_t k = 0; k < a->n_fixed; k++) {
        json_t *e = json_object();
        json_object_set_new(e, "branch", json_string(a->fixed[k].branch));
        if (a->fixed[k].version) {
            char affected[96];
            snprintf(affected, sizeof affected, "< %s", a->fixed[k].version);
            json_object_set_new(e, "affected", json_string(affected));
        } else {
            json_object_set_new(e, "affected", json_null());
        }
        json_object_set_new(e, "fixed", jsonx_string_or_null(a->fixed[k].version));
        json_array_append_new(vs, e);
    }
    return vs;
}

json_t *view_advisory_json(const struct view_advisory *a)
{
    const struct policy_issue_visibility *iv = a->iv;
    json_t *o = json_object();
    if (iv->title)
        json_object_set_new(o, "title", jsonx_string_or_null(a->title));
    if (iv->cve)
        json_object_set_new(o, "cve", jsonx_string_or_null(a->cve));
    if (iv->ghsa)
        json_object_set_new(o, "ghsa", jsonx_string_or_null(a->ghsa));
    if (iv->severity)
        json_object_set_new(o, "severity",
                            a->severity ? view_severity_json(a->severity) : json_null());
    if (iv->level)
        json_object_set_new(o, "level",
                            a->severity ? json_string(policy_level_name(a->severity->level))
                                        : json_null());
    if (iv->versions)
        json_object_set_new(o, "versions", versions_json(a));
    if (iv->summary)
        json_object_set_new(o, "summary", jsonx_string_or_null(a->summary));
    if (iv->credits)
        json_object_set_new(o, "credits", a->credits ? json_deep_copy(a->credits) : json_array());
    if (iv->advisory_url)
        json_object_set_new(o, "advisory_url",
                            a->url && a->url[0] ? json_string(a->url) : json_null());
    if (iv->published)
        json_object_set_new(o, "published_at", jsonx_time(a->published_at));
    if (iv->published && a->osv_id && a->osv_id[0]) {
        json_object_set_new(o, "osv_id", json_string(a->osv_id));
        json_object_set_new(o, "osv_url", json_string(a->osv_url));
    }
    return o;
}
