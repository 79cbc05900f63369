/* Advisories of a published release (see advisories.h). */
#include "scheduler/advisories.h"
#include "scheduler/internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "views/advisory.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/xalloc.h"

/* "REMEDIATION_DEVELOPER" -> "remediation developer". */
static void role_words(struct buf *b, const char *role)
{
    for (const char *p = role; *p; p++)
        buf_appendf(b, "%c", *p == '_' ? ' ' : tolower((unsigned char)*p));
}

static void fill(const struct sched_view *v, const struct store_issue *is,
                 const struct policy_version *versions, size_t n_versions, struct sched_advisory *a)
{
    memset(a, 0, sizeof *a);
    a->is = is;
    if (is->advisory_url)
        snprintf(a->url, sizeof a->url, "%s", is->advisory_url);
    else
        config_advisory_url(v->project, (long long)is->core.id, is->cve, is->ghsa, a->url,
                            sizeof a->url);
    json_t *c = is->credits ? json_loads(is->credits, 0, NULL) : NULL;
    if (json_is_array(c) && json_array_size(c)) {
        a->credits = c;
        struct buf b;
        buf_init(&b, 1 << 16);
        size_t i;
        json_t *e;
        json_array_foreach(c, i, e)
        {
            const char *name = json_string_value(json_object_get(e, "name"));
            const char *role = json_string_value(json_object_get(e, "role"));
            buf_appendf(&b, "%s%s", i ? ", " : "", name ? name : "");
            if (role) {
                buf_append_str(&b, " (");
                role_words(&b, role);
                buf_append_str(&b, ")");
            }
        }
        a->credits_text = buf_steal(&b, NULL);
    } else {
        json_decref(c);
    }
    for (size_t k = 0; k < is->n_branches && a->n_fixed < POLICY_BRANCHES_MAX; k++) {
        a->fixed[a->n_fixed].branch = is->branch_names[k];
        a->fixed[a->n_fixed].version = NULL;
        for (size_t j = 0; j < n_versions; j++)
            if (strcmp(versions[j].branch, is->branch_names[k]) == 0)
                a->fixed[a->n_fixed].version = versions[j].version;
        a->n_fixed++;
    }
    for (size_t j = 0; is->n_branches == 0 && j < n_versions; j++) {
        a->fixed[a->n_fixed].branch = versions[j].branch;
        a->fixed[a->n_fixed].version = versions[j].version;
        a->n_fixed++;
    }
}

size_t sched_advisories(const struct sched_view *v, const struct store_release *r,
                        const struct policy_version *versions, size_t n_versions,
                        struct sched_advisory **out)
{
    *out = NULL;
    /* Sized to the release's issues, not the project's (an advisory is about 1 KiB). */
    size_t *members;
    size_t n = 0, cap = sched__release_members(v, r->core.id, &members);
    for (size_t j = 0; j < cap; j++) {
        const struct store_issue *is = &v->issues[members[j]];
        struct policy_issue_visibility iv =
            policy_disclosure_issue(POLICY_AUDIENCE_PUBLIC, &r->core, &is->core);
        if (!iv.listed)
            continue;
        if (!*out)
            *out = xcalloc(cap, sizeof **out);
        struct sched_advisory *a = &(*out)[n];
        fill(v, is, versions, n_versions, a);
        a->iv = iv;
        n++;
        if (policy_osv_id(v->project->osv_id_prefix, r->core.id, n, a->osv_id, sizeof a->osv_id))
            snprintf(a->osv_url, sizeof a->osv_url, "%s/advisories/%s/%s.osv.json",
                     v->public_url ? v->public_url : "", v->project->policy.id, a->osv_id);
    }
    free(members);
    return n;
}

void sched_advisories_free(struct sched_advisory *a, size_t n)
{
    for (size_t i = 0; a && i < n; i++) {
        json_decref(a[i].credits);
        free(a[i].credits_text);
    }
    free(a);
}

json_t *sched_advisory_json(const struct sched_advisory *a)
{
    const struct store_issue *is = a->is;
    struct view_version fixed[POLICY_BRANCHES_MAX];
    for (size_t k = 0; k < a->n_fixed; k++)
        fixed[k] =
            (struct view_version){.branch = a->fixed[k].branch, .version = a->fixed[k].version};
    struct view_advisory v = {.iv = &a->iv,
                              .title = is->title,
                              .cve = is->cve,
                              .ghsa = is->ghsa,
                              .summary = is->public_summary,
                              .severity = is->core.has_severity ? &is->core.severity : NULL,
                              .credits = a->credits,
                              .url = a->url,
                              .published_at = is->core.released_at,
                              .osv_id = a->osv_id,
                              .osv_url = a->osv_url,
                              .fixed = fixed,
                              .n_fixed = a->n_fixed};
    return view_advisory_json(&v);
}
