/* JSON rendering of releases and issues. */
#include "views/view.h"

#include <math.h>

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
    return o;
}

json_t *view_severity_json(const struct policy_severity *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "vector", json_string(s->vector));
    json_object_set_new(o, "scheme", json_string(policy_scheme_name(s->scheme)));
    /* CVSS scores have one decimal; keep the JSON free of binary noise like 9.800000001. */
    json_object_set_new(o, "score",
                        s->scheme == POLICY_SCHEME_CMSS ? json_integer((json_int_t)lround(s->score))
                                                        : json_real(round(s->score * 10.0) / 10.0));
    json_object_set_new(o, "score_type", json_string(s->score_type));
    json_object_set_new(o, "label", json_string(s->label));
    json_object_set_new(o, "level", json_string(policy_level_name(s->level)));
    return o;
}

json_t *view_issue_json(const struct view_issue *v, bool with_description)
{
    const struct policy_issue *i = v->core;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(i->id));
    json_object_set_new(o, "title", json_string(v->title));
    if (with_description)
        json_object_set_new(o, "description", jsonx_string_or_null(v->description));
    json_object_set_new(o, "status", json_string(policy_issue_status_name(i->status)));
    json_object_set_new(o, "severity",
                        i->has_severity ? view_severity_json(&i->severity) : json_null());
    json_t *br = json_array();
    for (size_t k = 0; k < v->n_branches; k++)
        json_array_append_new(br, json_string(v->branches[k]));
    json_object_set_new(o, "branches", br);
    json_object_set_new(o, "release", i->release_id[0] ? json_string(i->release_id) : json_null());
    json_object_set_new(o, "cve", jsonx_string_or_null(v->cve));
    json_object_set_new(o, "ghsa", jsonx_string_or_null(v->ghsa));
    json_object_set_new(o, "public_summary", jsonx_string_or_null(v->public_summary));
    json_t *credits = v->credits ? json_loads(v->credits, 0, NULL) : NULL;
    json_object_set_new(o, "credits", json_is_array(credits) ? credits : json_array());
    if (credits && !json_is_array(credits))
        json_decref(credits);
    json_object_set_new(o, "advisory_url", jsonx_string_or_null(v->advisory_url));
    json_object_set_new(o, "cve_recommended", json_boolean(v->cve_recommended));
    json_object_set_new(o, "reported_at", jsonx_time(i->reported_at));
    json_object_set_new(o, "acknowledged_at", jsonx_time(i->acknowledged_at));
    json_object_set_new(o, "responded_at", jsonx_time(i->responded_at));
    json_object_set_new(o, "fix_ready_at", jsonx_time(i->fix_ready_at));
    json_object_set_new(o, "released_at", jsonx_time(i->released_at));
    json_t *sla = json_object();
    json_object_set_new(sla, "acknowledge_due", jsonx_time(v->acknowledge_due));
    json_object_set_new(sla, "respond_due", jsonx_time(v->respond_due));
    json_object_set_new(sla, "resolve_due", jsonx_time(v->resolve_due));
    json_object_set_new(sla, "resolve_missed_due",
                        v->resolve_missed_due ? jsonx_time(v->resolve_missed_due) : json_null());
    json_t *breached = json_array();
    for (size_t k = 0; k < v->n_breached; k++)
        json_array_append_new(breached, json_string(v->breached[k]));
    json_object_set_new(sla, "breached", breached);
    json_object_set_new(sla, "extension_days", json_integer(i->sla_extension_days));
    json_object_set_new(o, "sla", sla);
    return o;
}
