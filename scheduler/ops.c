/* API operations on issues and releases: each is one transaction with its audit row and the
 * messages it causes. Every rule is decided by policy/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/json.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "policy/disclosure.h"
#include "policy/lifecycle.h"
#include "policy/releases.h"
#include "scheduler/internal.h"
#include "scheduler/notify.h"

int sched__refuse_override(const struct sched_actor *who, const char *override,
                           struct sched_outcome *why)
{
    if (override && who->role < CONFIG_ROLE_ADMIN)
        return sched__fail(why, RC_EFORBIDDEN, "override_reason",
                           "only an admin may override the policy");
    return 0;
}

int sched__fail(struct sched_outcome *why, int rc, const char *field, const char *msg)
{
    snprintf(why->field, sizeof why->field, "%s", field ? field : "");
    snprintf(why->message, sizeof why->message, "%s", msg);
    return rc;
}

/* Starts an operation: a transaction and a fresh view. */
int sched__begin(struct sched *s, const struct config_project *p, int64_t now, struct sched_view *v)
{
    int rc = store_begin(s->store);
    if (rc < 0)
        return rc;
    if ((rc = sched__view_own(s, p, now, v)) < 0) {
        store_rollback(s->store);
        sched_view_free(v);
    }
    return rc;
}

int sched__finish(struct sched *s, struct sched_view *v, int rc)
{
    if (rc == 0)
        rc = store_commit(s->store);
    if (rc < 0)
        store_rollback(s->store);
    const struct config_project *p = v->project;
    int64_t touched = v->partial ? v->touched_issue : 0;
    sched_view_free(v);
    if (rc == 0 && store_preview_active(s->store))
        return sched__tick_preview(s, p); /* a preview: nothing in memory changes */
    if (rc == 0) {
        s->generation++;
        sched__changed(s, p, touched);
    }
    return rc;
}

int sched__put_release(struct sched *s, struct sched_view *v, struct store_release *r, int64_t now)
{
    size_t i = (size_t)(r - v->rels);
    snprintf(r->project, sizeof r->project, "%s", v->project->policy.id);
    /* What the public knew before this write: the stored row; for a window without one, the
     * window the config computes; an out-of-sequence release did not exist. */
    struct store_release old;
    struct policy_release window = r->core;
    const struct policy_release *before = NULL;
    int rc = 0;
    if (v->stored[i]) {
        if ((rc = store_release_get(s->store, r->project, r->core.id, &old)) < 0)
            return rc;
        before = &old.core;
        r->public_changed_at = old.public_changed_at;
    } else {
        r->public_changed_at = POLICY_TIME_NONE;
        window.status = POLICY_RELEASE_PLANNED;
        window.sequence = 0;
        before = r->core.kind == POLICY_RELEASE_SCHEDULED ? &window : NULL;
    }
    if (policy_disclosure_public_change(before, &r->core))
        r->public_changed_at = now;
    r->updated_at = now;
    rc = store_release_put(s->store, r);
    if (rc == 0)
        v->stored[i] = true;
    return rc;
}

/* Makes sure the release has a row, so issues can reference it. */
static int ensure_row(struct sched *s, struct sched_view *v, struct store_release *r, int64_t now)
{
    return v->stored[r - v->rels] ? 0 : sched__put_release(s, v, r, now);
}

int sched__audit(struct sched *s, const struct sched_view *v, int64_t now, const char *actor,
                 const char *action, const char *subject, json_t *detail, const char *override,
                 bool late)
{
    char *d = detail ? jsonx_dump(detail) : NULL;
    int rc = store_audit_append(s->store, v->project->policy.id, now, actor, action, subject, d,
                                override, late);
    free(d);
    json_decref(detail);
    return rc;
}

/* Distributors who see the issues of r (policy/disclosure.h) are told when its list changes,
 * until it is final. */
static bool distributors_follow(const struct store_release *r)
{
    return r && !policy_release_final(&r->core) &&
           policy_disclosure_release(POLICY_AUDIENCE_DISTRIBUTORS, &r->core).issues;
}

/* Batches a ready, unpinned fix into the earliest window whose cut-off it met. A fix that misses
 * every window in view waits (the scheduler tries again as the horizon moves). */
int sched__batch_issue(struct sched *s, struct sched_view *v, struct store_issue *is, int64_t now,
                       const char *actor)
{
    if (is->core.status != POLICY_ISSUE_FIX_READY || is->core.release_pinned)
        return 0;
    struct policy_release *core = xcalloc(v->n + 1, sizeof *core);
    for (size_t i = 0; i < v->n; i++)
        core[i] = v->rels[i].core;
    size_t idx;
    int found = policy_batch_select(&is->core, core, v->n, &idx);
    free(core);
    if (found < 0 || strcmp(v->rels[idx].core.id, is->core.release_id) == 0)
        return 0;
    struct store_release *r = &v->rels[idx];
    int rc = ensure_row(s, v, r, now);
    if (rc < 0)
        return rc;
    snprintf(is->core.release_id, sizeof is->core.release_id, "%s", r->core.id);
    is->updated_at = now;
    if ((rc = store_issue_update(s->store, is)) < 0)
        return rc;
    json_t *d = json_pack("{sI}", "issue", (json_int_t)is->core.id);
    if ((rc = sched__audit(s, v, now, actor, "issue.batch", r->core.id, d, NULL, false)) < 0)
        return rc;
    if (distributors_follow(r))
        rc = sched_notify(s, v, r, "release.distributor_update", SCHED_TO_DISTRIBUTORS, now, NULL);
    return rc;
}

int sched__emptying(const struct sched_view *v, const struct store_release *r,
                    const int64_t *leaving, size_t n_leaving, const char *override,
                    struct sched_outcome *why)
{
    struct policy_issue *all;
    size_t n = sched_release_issues(v, r->core.id, &all), k = 0;
    for (size_t i = 0; i < n; i++) {
        bool leaves = false;
        for (size_t j = 0; j < n_leaving && !leaves; j++)
            leaves = all[i].id == leaving[j];
        if (!leaves)
            all[k++] = all[i];
    }
    bool emptied = policy_release_emptied(&r->core, all, k);
    free(all);
    if (!emptied)
        return 0;
    if (override)
        return 1;
    char msg[256];
    snprintf(msg, sizeof msg,
             "release %s is announced and would be left with nothing to ship: cancel it first, "
             "or an admin may give override_reason",
             r->core.id);
    why->refusal.code = "would_empty_release";
    why->n_issue_ids = 0;
    for (size_t j = 0; j < n_leaving && j < POLICY_ISSUES_MAX; j++)
        why->issue_ids[why->n_issue_ids++] = leaving[j];
    return sched__fail(why, RC_ECONFLICT, NULL, msg);
}

int sched__tell_emptied(struct sched *s, const struct sched_view *v, const struct store_release *r,
                        int64_t now, const char *override)
{
    return sched_notify(s, v, r, "release.emptied", SCHED_TO_TEAM, now,
                        json_pack("{ss}", "override_reason", override ? override : ""));
}

/* Takes an issue out of its release (fix withdrawn, rejected, release cancelled). */
int sched__detach(struct sched *s, struct sched_view *v, struct store_issue *is, int64_t now)
{
    if (!is->core.release_id[0])
        return 0;
    struct store_release *r = sched_view_release(v, is->core.release_id);
    is->core.release_id[0] = '\0';
    is->core.release_pinned = false;
    int rc = store_issue_update(s->store, is);
    if (rc == 0 && distributors_follow(r))
        rc = sched_notify(s, v, r, "release.distributor_update", SCHED_TO_DISTRIBUTORS, now, NULL);
    return rc;
}

static void set_text(char **field, const struct policy_opt_text *t)
{
    if (!t->present)
        return;
    free(*field);
    *field = t->value ? xstrdup(t->value) : NULL;
}

/* Credits are stored as the JSON array given (validated by api/input.c); NULL for none. */
static void set_credits(struct store_issue *is, const struct policy_issue_input *in)
{
    if (!in->has_credits)
        return;
    free(is->credits);
    is->credits = in->credits ? jsonx_dump(in->credits) : NULL;
}

static void set_branches(struct store_issue *is, const struct policy_issue_input *in)
{
    if (!in->has_branches)
        return;
    is->n_branches = in->n_branches;
    for (size_t k = 0; k < in->n_branches; k++)
        snprintf(is->branch_names[k], POLICY_ID_MAX, "%s", in->branches[k]);
}

int sched_issue_create(struct sched *s, const struct config_project *p,
                       const struct policy_issue_input *in, const struct sched_actor *who,
                       int64_t *id_out, struct sched_outcome *why)
{
    int64_t now = clock_now(s->clock);
    /* A new issue is in no release and touches no other row: no view to load. */
    struct sched_view v = {.project = p, .partial = true};
    int rc = store_begin(s->store);
    if (rc < 0)
        return rc;
    struct store_issue is;
    memset(&is, 0, sizeof is);
    snprintf(is.project, sizeof is.project, "%s", p->policy.id);
    struct policy_issue *c = &is.core;
    c->status = POLICY_ISSUE_REPORTED;
    c->reported_at = in->has_reported_at ? in->reported_at : now;
    c->acknowledged_at = c->responded_at = c->fix_ready_at = c->released_at = POLICY_TIME_NONE;
    if (in->has_severity && !in->severity_null) {
        c->has_severity = true;
        c->severity = in->severity;
    }
    set_text(&is.title, &in->title);
    set_text(&is.description, &in->description);
    set_text(&is.public_summary, &in->public_summary);
    set_text(&is.cve, &in->cve);
    set_text(&is.ghsa, &in->ghsa);
    set_text(&is.advisory_url, &in->advisory_url);
    set_credits(&is, in);
    set_branches(&is, in);
    is.created_at = is.updated_at = now;
    if (in->has_reported_at && in->reported_at > now)
        rc = sched__fail(why, RC_EINVAL, "reported_at", "reported_at: must not be in the future");
    if (rc == 0)
        rc = store_issue_insert(s->store, &is);
    if (rc == 0)
        rc = sched__audit(s, &v, now, who->name, "issue.create", "issue",
                          json_pack("{sI}", "issue", (json_int_t)is.core.id), NULL, false);
    if (rc == 0)
        *id_out = v.touched_issue = is.core.id;
    store_issue_clear(&is);
    return sched__finish(s, &v, rc);
}

/* A copy of the fields of an issue distributors may see, to compare after an update. */
static void snapshot(struct store_issue *out, const struct store_issue *is)
{
    *out = *is;
    out->title = is->title ? xstrdup(is->title) : NULL;
    out->public_summary = is->public_summary ? xstrdup(is->public_summary) : NULL;
    out->cve = is->cve ? xstrdup(is->cve) : NULL;
    out->ghsa = is->ghsa ? xstrdup(is->ghsa) : NULL;
    out->credits = is->credits ? xstrdup(is->credits) : NULL;
    out->advisory_url = is->advisory_url ? xstrdup(is->advisory_url) : NULL;
    out->description = out->sla_extension_reason = NULL;
}

static bool same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Which fields going from `a` to `b` changed. */
static struct policy_issue_changes changes(const struct store_issue *a, const struct store_issue *b)
{
    bool branches = a->n_branches != b->n_branches;
    for (size_t k = 0; !branches && k < a->n_branches; k++)
        branches = strcmp(a->branch_names[k], b->branch_names[k]) != 0;
    return (struct policy_issue_changes){
        .title = !same_text(a->title, b->title),
        .severity =
            a->core.has_severity != b->core.has_severity ||
            (a->core.has_severity && strcmp(a->core.severity.vector, b->core.severity.vector) != 0),
        .cve = !same_text(a->cve, b->cve),
        .ghsa = !same_text(a->ghsa, b->ghsa),
        .summary = !same_text(a->public_summary, b->public_summary),
        .credits = !same_text(a->credits, b->credits),
        .advisory_url = !same_text(a->advisory_url, b->advisory_url),
        .branches = branches,
        .status = a->core.status != b->core.status,
    };
}

/* After an update: distributors notified of the issue's release get the new list when they can
 * see the change (once per request; a detach or a batch has told them already). */
static int tell_distributors(struct sched *s, struct sched_view *v, const struct store_issue *was,
                             const struct store_issue *is, int64_t now)
{
    if (!is->core.release_id[0] || strcmp(was->core.release_id, is->core.release_id) != 0)
        return 0;
    struct store_release *r = sched_view_release(v, is->core.release_id);
    struct policy_issue_changes c = changes(was, is);
    if (!distributors_follow(r) ||
        !policy_disclosure_issue_changed(POLICY_AUDIENCE_DISTRIBUTORS, &r->core, &was->core,
                                         &is->core, &c))
        return 0;
    return sched_notify(s, v, r, "release.distributor_update", SCHED_TO_DISTRIBUTORS, now, NULL);
}

/* The audit detail of a transition; a rejection's reason goes with it. */
static json_t *transition_detail(int64_t id, enum policy_issue_status from,
                                 const struct policy_issue_input *in)
{
    json_t *d =
        json_pack("{sIssss}", "issue", (json_int_t)id, "from", policy_issue_status_name(from), "to",
                  policy_issue_status_name(in->status));
    if (in->status == POLICY_ISSUE_REJECTED && in->reason)
        json_object_set_new(d, "reason", json_string(in->reason));
    return d;
}

/* The view an update needs: the issue alone (no releases) while it is in no release and the
 * update cannot batch it (no move to fix_ready): nothing else is read or told then. Otherwise
 * the whole view (the release's issues, distributors' lists, versions). */
static int begin_update(struct sched *s, const struct config_project *p, int64_t id,
                        const struct policy_issue_input *in, int64_t now, struct sched_view *v)
{
    int rc = store_begin(s->store);
    if (rc < 0)
        return rc;
    if ((rc = sched_view_load_issue(s, p, id, v)) < 0) {
        store_rollback(s->store);
        sched_view_free(v);
        return rc;
    }
    if (v->n_issues && !v->issues[0].core.release_id[0] &&
        v->issues[0].core.status != POLICY_ISSUE_FIX_READY &&
        !(in->has_status && in->status == POLICY_ISSUE_FIX_READY)) {
        v->touched_issue = id;
        return 0;
    }
    sched_view_free(v);
    if ((rc = sched__view_own(s, p, now, v)) < 0) {
        store_rollback(s->store);
        sched_view_free(v);
    }
    return rc;
}

/* The status change of an update, if the lifecycle allows it; else the refusal with the
 * statuses it could move to. */
static int update_status(struct store_issue *is, const struct policy_issue_input *in, int64_t now,
                         struct sched_outcome *why)
{
    enum policy_issue_status from = is->core.status;
    if (!in->has_status || in->status == from ||
        policy_issue_apply_transition(&is->core, in->status, now) == 0)
        return 0;
    enum policy_issue_status to[POLICY_ISSUE_STATUS_COUNT];
    why->n_allowed = policy_issue_transitions_from(from, to);
    for (size_t k = 0; k < why->n_allowed; k++)
        why->allowed[k] = policy_issue_status_name(to[k]);
    char msg[160];
    snprintf(msg, sizeof msg, "an issue cannot move from %s to %s", policy_issue_status_name(from),
             policy_issue_status_name(in->status));
    return sched__fail(why, RC_ETRANSITION, "status", msg);
}

/* The fields an update sets: texts, credits, branches, severity, an SLA extension (capped in
 * total; a breach before it stays, docs/POLICY.md "Response deadlines"). */
static int update_fields(const struct config_project *p, struct store_issue *is,
                         const struct policy_issue_input *in, int64_t now,
                         struct sched_outcome *why)
{
    set_text(&is->title, &in->title);
    set_text(&is->description, &in->description);
    set_text(&is->public_summary, &in->public_summary);
    set_text(&is->cve, &in->cve);
    set_text(&is->ghsa, &in->ghsa);
    set_text(&is->advisory_url, &in->advisory_url);
    set_credits(is, in);
    is->core.has_cve = is->cve != NULL;
    set_branches(is, in);
    if (in->has_severity) {
        is->core.has_severity = !in->severity_null;
        if (!in->severity_null)
            is->core.severity = in->severity;
    }
    if (in->has_sla_extension) {
        char msg[192];
        if (policy_sla_extend(&p->policy.rules, &is->core, in->sla_extension_days, now, msg,
                              sizeof msg) < 0)
            return sched__fail(why, RC_EINVAL, "sla_extension_days", msg);
        free(is->sla_extension_reason);
        is->sla_extension_reason = xstrdup(in->reason);
    }
    is->updated_at = now;
    return 0;
}

/* The audit rows of an update: a transition, an extension, or a plain update. */
static int update_audit(struct sched *s, struct sched_view *v, int64_t id,
                        enum policy_issue_status from, const struct policy_issue_input *in,
                        const struct sched_actor *who, int64_t now)
{
    int rc = 0;
    if (in->has_status && in->status != from)
        rc = sched__audit(s, v, now, who->name, "issue.transition", "issue",
                          transition_detail(id, from, in), in->override_reason, false);
    if (rc == 0 && in->has_sla_extension)
        rc = sched__audit(s, v, now, who->name, "issue.sla_extend", "issue",
                          json_pack("{sIsiss}", "issue", (json_int_t)id, "days",
                                    in->sla_extension_days, "reason", in->reason),
                          NULL, false);
    if (rc == 0 && !in->has_status && !in->has_sla_extension)
        rc = sched__audit(s, v, now, who->name, "issue.update", "issue",
                          json_pack("{sI}", "issue", (json_int_t)id), NULL, false);
    return rc;
}

int sched_issue_update(struct sched *s, const struct config_project *p, int64_t id,
                       const struct policy_issue_input *in, const struct sched_actor *who,
                       struct sched_outcome *why)
{
    int64_t now = clock_now(s->clock);
    struct sched_view v;
    int rc = begin_update(s, p, id, in, now, &v);
    if (rc < 0)
        return rc;
    struct store_issue *is = sched_view_issue(&v, id);
    if (!is)
        return sched__finish(s, &v, sched__fail(why, RC_ENOTFOUND, NULL, "no such issue"));
    enum policy_issue_status from = is->core.status;
    struct store_issue was;
    snapshot(&was, is);
    if ((rc = update_status(is, in, now, why)) < 0) {
        store_issue_clear(&was);
        return sched__finish(s, &v, rc);
    }
    /* Rejected, or a batched fix withdrawn: the issue leaves its release, which must not be
     * left announced with nothing in it unless an admin says so. */
    bool leaves = is->core.release_id[0] &&
                  (is->core.status == POLICY_ISSUE_REJECTED ||
                   (from == POLICY_ISSUE_FIX_READY && is->core.status == POLICY_ISSUE_CONFIRMED &&
                    !is->core.release_pinned));
    struct store_release *home = leaves ? sched_view_release(&v, is->core.release_id) : NULL;
    int emptied = sched__refuse_override(who, in->override_reason, why);
    if (emptied == 0 && home && !policy_release_final(&home->core))
        emptied = sched__emptying(&v, home, &id, 1, in->override_reason, why);
    if (emptied < 0 || (rc = update_fields(p, is, in, now, why)) < 0) {
        store_issue_clear(&was);
        return sched__finish(s, &v, emptied < 0 ? emptied : rc);
    }
    rc = store_issue_update(s->store, is);
    if (rc == 0)
        rc = update_audit(s, &v, id, from, in, who, now);
    if (rc == 0 && leaves)
        rc = sched__detach(s, &v, is, now);
    if (rc == 0 && emptied)
        rc = sched__tell_emptied(s, &v, home, now, in->override_reason);
    if (rc == 0)
        rc = sched__batch_issue(s, &v, is, now, who->name);
    if (rc == 0)
        rc = tell_distributors(s, &v, &was, is, now);
    store_issue_clear(&was);
    return sched__finish(s, &v, rc);
}
