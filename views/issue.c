/* The issue object and the severity object (docs/CONTRACT.md "Issue object"). */
#include "views/view.h"

#include <math.h>

#include "core/json.h"
#include "core/nelem.h"

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

static void copy_key(json_t *to, const json_t *from, const char *key)
{
    json_t *x = json_object_get(from, key);
    if (x)
        json_object_set(to, key, x);
}

json_t *view_issue_face_json(const json_t *full, const struct policy_issue_visibility *vis)
{
    json_t *o = json_object();
    copy_key(o, full, "id");
    static const struct {
        size_t flag; /* offset of the visibility flag */
        const char *keys[8];
    } map[] = {
        {offsetof(struct policy_issue_visibility, title), {"title"}},
        {offsetof(struct policy_issue_visibility, severity), {"severity"}},
        {offsetof(struct policy_issue_visibility, cve), {"cve"}},
        {offsetof(struct policy_issue_visibility, ghsa), {"ghsa"}},
        {offsetof(struct policy_issue_visibility, summary), {"public_summary"}},
        {offsetof(struct policy_issue_visibility, branches), {"branches"}},
        {offsetof(struct policy_issue_visibility, credits), {"credits"}},
        {offsetof(struct policy_issue_visibility, advisory_url), {"advisory_url"}},
        {offsetof(struct policy_issue_visibility, published), {"released_at"}},
        {offsetof(struct policy_issue_visibility, description), {"description"}},
        {offsetof(struct policy_issue_visibility, tracking),
         {"status", "release", "reported_at", "acknowledged_at", "responded_at", "fix_ready_at",
          "sla", "cve_recommended"}},
    };
    for (size_t i = 0; i < NELEM(map); i++) {
        if (!*(const bool *)((const char *)vis + map[i].flag))
            continue;
        for (size_t k = 0; k < 8 && map[i].keys[k]; k++)
            copy_key(o, full, map[i].keys[k]);
    }
    if (vis->level && !vis->severity)
        copy_key(o, json_object_get(full, "severity"), "level");
    return o;
}
