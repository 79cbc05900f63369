/* Release and issue objects from the effective state. */
#include "scheduler/json.h"

#include <stdlib.h>
#include <string.h>

#include "views/view.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "policy/advisory_docs.h"
#include "scheduler/advisories.h"

json_t *sched_release_json(const struct sched_view *v, const struct store_release *r,
                           enum policy_audience audience)
{
    struct policy_issue *issues;
    size_t n = sched_release_issues(v, r->core.id, &issues);
    int64_t *ids = xcalloc(n + 1, sizeof *ids);
    for (size_t i = 0; i < n; i++)
        ids[i] = issues[i].id;
    struct policy_version pv[POLICY_BRANCHES_MAX];
    size_t nv = sched_release_versions(v, r, pv, POLICY_BRANCHES_MAX);
    struct view_version vv[POLICY_BRANCHES_MAX];
    for (size_t i = 0; i < nv; i++) {
        vv[i].branch = pv[i].branch;
        vv[i].version = pv[i].version;
    }
    struct view_release view = {.project = v->project->policy.id,
                                .rel = &r->core,
                                .fix_count = n,
                                .versions = vv,
                                .n_versions = nv,
                                .issue_ids = ids,
                                .n_issue_ids = n};
    view.has_level = policy_issues_max_level(issues, n, &view.max_level);
    if (policy_disclosure_release(audience, &r->core).advisories) {
        struct sched_advisory *adv;
        size_t na = sched_advisories(v, r, pv, nv, &adv);
        view.advisories = json_array();
        for (size_t i = 0; i < na; i++)
            json_array_append_new(view.advisories, sched_advisory_json(&adv[i]));
        sched_advisories_free(adv, na);
    }
    /* Its CSAF advisory, once it has one (docs/CONTRACT.md "Machine-readable advisories"). */
    char *csaf = NULL;
    if (view.advisories && policy_release_documented(&r->core, json_array_size(view.advisories)))
        csaf = xasprintf("%s/advisories/%s/%s.csaf.json", v->public_url ? v->public_url : "",
                         v->project->policy.id, r->core.id);
    view.csaf_url = csaf;
    json_t *o = view_release_json(&view, audience);
    free(csaf);
    json_decref(view.advisories);
    free(ids);
    free(issues);
    return o;
}

json_t *sched_issue_json(const struct config_project *p, const struct store_issue *i, int64_t now,
                         bool with_description)
{
    struct policy_sla_deadlines d;
    policy_issue_sla(&p->policy.rules, &i->core, now, &d);
    const char *breached[POLICY_SLA_COUNT];
    size_t nb = 0;
    for (int k = 0; k < POLICY_SLA_COUNT; k++)
        if (d.d[k].breached)
            breached[nb++] = policy_sla_name((enum policy_sla_kind)k);
    const char *branches[POLICY_BRANCHES_MAX];
    for (size_t k = 0; k < i->n_branches; k++)
        branches[k] = i->branch_names[k];
    struct view_issue v = {.core = &i->core,
                           .title = i->title,
                           .description = i->description,
                           .public_summary = i->public_summary,
                           .cve = i->cve,
                           .ghsa = i->ghsa,
                           .credits = i->credits,
                           .advisory_url = i->advisory_url,
                           .branches = branches,
                           .n_branches = i->n_branches,
                           .cve_recommended =
                               policy_issue_cve_recommended(&p->policy.rules, &i->core),
                           .acknowledge_due = d.d[POLICY_SLA_ACKNOWLEDGE].due,
                           .respond_due = d.d[POLICY_SLA_RESPOND].due,
                           .resolve_due = d.d[POLICY_SLA_RESOLVE].due,
                           .resolve_missed_due = d.d[POLICY_SLA_RESOLVE].missed_due,
                           .breached = breached,
                           .n_breached = nb};
    return view_issue_json(&v, with_description);
}
