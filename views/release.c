/* The release object (docs/CONTRACT.md "Release object"). */
#include "views/view.h"

#include "core/json.h"

json_t *view_release_json(const struct view_release *v, enum policy_audience audience)
{
    const struct policy_release *r = v->rel;
    struct policy_release_visibility vis = policy_disclosure_release(audience, r);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(r->id));
    json_object_set_new(o, "project", json_string(v->project));
    json_object_set_new(o, "kind", json_string(policy_release_kind_name(r->kind)));
    json_object_set_new(o, "status", json_string(policy_release_status_name(r->status)));
    json_object_set_new(o, "starts_at", jsonx_time(r->starts_at));
    json_object_set_new(o, "ends_at", jsonx_time(r->ends_at));
    json_object_set_new(o, "cutoff_at", jsonx_time(r->cutoff_at));
    json_object_set_new(o, "announce_at", jsonx_time(r->announce_at));
    json_object_set_new(o, "distributor_notice_at", jsonx_time(r->distributor_notice_at));
    json_object_set_new(o, "announced_at", jsonx_time(r->announced_at));
    json_object_set_new(o, "distributors_notified_at",
                        vis.notice ? jsonx_time(r->distributors_notified_at) : json_null());
    json_object_set_new(o, "released_at", jsonx_time(r->released_at));
    json_object_set_new(o, "sequence", json_integer(r->sequence));
    if (vis.counts) {
        json_object_set_new(o, "fix_count", json_integer((json_int_t)v->fix_count));
        json_object_set_new(o, "max_level",
                            v->has_level ? json_string(policy_level_name(v->max_level))
                                         : json_null());
    } else {
        json_object_set_new(o, "fix_count", json_null());
        json_object_set_new(o, "max_level", json_null());
    }
    json_t *vers = json_array();
    for (size_t i = 0; vis.versions && i < v->n_versions; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "branch", json_string(v->versions[i].branch));
        json_object_set_new(e, "version", json_string(v->versions[i].version));
        json_array_append_new(vers, e);
    }
    json_object_set_new(o, "versions", vers);
    if (vis.issues) {
        json_t *ids = json_array();
        for (size_t i = 0; i < v->n_issue_ids; i++)
            json_array_append_new(ids, json_integer(v->issue_ids[i]));
        json_object_set_new(o, "issues", ids);
    }
    if (vis.advisories)
        json_object_set_new(o, "advisories",
                            v->advisories ? json_incref(v->advisories) : json_array());
    if (v->csaf_url)
        json_object_set_new(o, "csaf_url", json_string(v->csaf_url));
    return o;
}
