/* What an explanation of a release is made from (see explain.h and docs/POLICY.md
 * "Explanations"); every decision is policy/explain.c's. */
#include "scheduler/explain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/nelem.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "policy/cadence.h"
#include "policy/zone.h"
#include "scheduler/json.h"

#define DAY ((int64_t)SECONDS_PER_DAY)

/* The cadence instance of a scheduled window (its id is the instance's local date) and where the
 * config puts it: the holiday-shifted start, before any move. */
static void instance(const struct config_project *p, const struct store_release *r,
                     struct policy_explain_input *in)
{
    const struct policy_project *pp = &p->policy;
    in->instance_day = in->configured_day = POLICY_TIME_NONE;
    in->instance_at = in->configured_at = POLICY_TIME_NONE;
    const struct policy_zone *z = pp->zone;
    int64_t day;
    if (time_date_parse(r->core.id, &day) < 0 || !z)
        return;
    in->instance_day = in->configured_day = day;
    in->instance_at = in->configured_at =
        policy_zone_local_to_utc(z, day, pp->rules.release_minute);
    /* The windows of the instance's whole year, to count which occurrence it is; past its end
     * as far as a holiday can move an instance (at most 10 working days with windows, and the
     * holidays). */
    int64_t year;
    int month, mday;
    civil_from_days(day, &year, &month, &mday);
    int64_t from = policy_zone_local_to_utc(z, civil_to_days(year, 1, 1), 0) - DAY;
    int64_t to = policy_zone_local_to_utc(z, civil_to_days(year + 1, 1, 1), 0) +
                 (int64_t)(31 + pp->rules.n_holidays) * DAY;
    size_t n = 0;
    struct policy_release *w = NULL;
    int rc = policy_cadence_windows_all(pp, from, to, &w, &n);
    char prefix[8];
    snprintf(prefix, sizeof prefix, "%04lld-", (long long)year);
    for (size_t k = 0; rc == 0 && k < n; k++) {
        if (strncmp(w[k].id, prefix, 5) != 0)
            continue;
        in->occurrences++;
        in->occurrence += strcmp(w[k].id, r->core.id) <= 0;
    }
    if (rc < 0)
        in->occurrence = in->occurrences = 0;
    for (size_t k = 0; rc == 0 && k < n; k++) {
        if (strcmp(w[k].id, r->core.id) != 0)
            continue;
        struct policy_local l;
        in->configured_at = w[k].starts_at;
        policy_zone_utc_to_local(z, w[k].starts_at, &l);
        in->configured_day = l.day_number;
        break;
    }
    free(w);
}

static const char *detail_str(json_t *details, size_t k, const char *key)
{
    return json_string_value(json_object_get(json_array_get(details, k), key));
}

static int64_t detail_time(json_t *details, size_t k, const char *key)
{
    int64_t t;
    const char *s = detail_str(details, k, key);
    return s && time_rfc3339_parse(s, &t) == 0 ? t : POLICY_TIME_NONE;
}

int sched_release_explain(struct sched *s, const struct sched_view *v,
                          const struct store_release *r, enum policy_audience audience, int64_t now,
                          struct sched_explanation *out)
{
    memset(out, 0, sizeof *out);
    const struct config_project *p = v->project;
    struct policy_explain_input in = {.rules = &p->policy.rules,
                                      .rel = &r->core,
                                      .done = r->done,
                                      .audience = audience,
                                      .now = now};
    if (r->core.kind == POLICY_RELEASE_SCHEDULED)
        instance(p, r, &in);
    /* The project's epoch as the tick and the feeds read it (windows judged before it are
     * history: nothing is due for them), now when none is recorded yet, as the tick would
     * record it; none without a store. Read only. */
    in.epoch = INT64_MIN;
    if (s->store && store_project_epoch(s->store, p->policy.id, now, &in.epoch) < 0)
        in.epoch = INT64_MIN;

    struct store_audit_filter f = {
        .subject = r->core.id, .action = NULL, .since = INT64_MIN, .before_id = 0, .limit = 1000};
    if (s->store && store_audit_query(s->store, p->policy.id, &f, &out->audit, &out->n_audit) < 0)
        return RC_ESTORE;
    out->details = json_array();
    struct policy_explain_change *ch = xcalloc(out->n_audit + 1, sizeof *ch);
    size_t n_ch = 0;
    static const struct {
        const char *action;
        enum policy_explain_rule rule;
        const char *reason_key;
    } map[] = {
        {"release.create", POLICY_EXPLAIN_OUT_OF_SEQUENCE, "reason"},
        {"release.move", POLICY_EXPLAIN_MOVE, "reason"},
        {"release.cancel", POLICY_EXPLAIN_CANCEL, "reason"},
        {"release.publish", POLICY_EXPLAIN_PUBLISH, "early_reason"},
        {"release.announce", POLICY_EXPLAIN_PRE_ANNOUNCEMENT, NULL},
        {"release.distributor_notice", POLICY_EXPLAIN_DISTRIBUTOR_NOTICE, NULL},
    };
    for (size_t i = out->n_audit; i-- > 0;) { /* oldest first */
        const struct store_audit *a = &out->audit[i];
        size_t m;
        for (m = 0; m < NELEM(map) && strcmp(a->action, map[m].action) != 0; m++)
            ;
        if (m == NELEM(map))
            continue;
        json_t *d = a->detail_json ? json_loads(a->detail_json, 0, NULL) : NULL;
        size_t k = json_array_size(out->details);
        json_array_append_new(out->details, d ? d : json_object());
        ch[n_ch++] = (struct policy_explain_change){
            .rule = map[m].rule,
            .at = a->at,
            .by = a->actor,
            .reason = map[m].reason_key ? detail_str(out->details, k, map[m].reason_key) : NULL,
            .override_reason = a->override_reason,
            .from = detail_time(out->details, k, "from"),
            .to = detail_time(out->details, k, "to"),
            .late = a->late,
        };
    }
    /* The issues attached, rejected ones included (policy/explain.c leaves them out). */
    struct policy_issue *issues = xcalloc(v->n_issues + 1, sizeof *issues);
    size_t n_is = 0;
    for (size_t i = v->n_issues; i-- > 0;)
        if (strcmp(v->issues[i].core.release_id, r->core.id) == 0)
            issues[n_is++] = v->issues[i].core;
    in.issues = issues;
    in.n_issues = n_is;
    in.changes = ch;
    in.n_changes = n_ch;
    out->n = policy_explain(&in, &out->steps);
    free(issues);
    free(ch);
    return 0;
}

void sched_explanation_free(struct sched_explanation *e)
{
    policy_explain_free(e->steps, e->n);
    store_audit_free(e->audit, e->n_audit);
    json_decref(e->details);
    memset(e, 0, sizeof *e);
}

json_t *sched_release_explained_json(struct sched *s, const struct sched_view *v,
                                     const struct store_release *r, enum policy_audience audience,
                                     int64_t now, sched_explain_render_fn *render)
{
    struct sched_explanation e;
    if (sched_release_explain(s, v, r, audience, now, &e) < 0) {
        sched_explanation_free(&e);
        return NULL;
    }
    json_t *o = sched_release_json(v, r, audience);
    json_object_set_new(o, "explanation", render(&v->project->policy, e.steps, e.n));
    sched_explanation_free(&e);
    return o;
}
