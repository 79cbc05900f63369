/* Out-of-sequence releases, moves, cancellations and publication. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "policy/lifecycle.h"
#include "policy/releases.h"
#include "scheduler/internal.h"
#include "scheduler/notify.h"

/* Audiences that already heard about a release. */
static unsigned knew(const struct store_release *r)
{
    unsigned a = SCHED_TO_TEAM;
    if (r->core.announced_at != POLICY_TIME_NONE)
        a |= SCHED_TO_PUBLIC;
    if (r->core.distributors_notified_at != POLICY_TIME_NONE)
        a |= SCHED_TO_DISTRIBUTORS;
    return a;
}

/* The issues an out-of-sequence release takes: each must exist and still be open; their cores
 * go to *issues for the notice check. */
static int oos_issues(struct sched_view *v, const struct policy_release_create *in,
                      struct policy_issue *issues, struct sched_outcome *why)
{
    for (size_t k = 0; k < in->n_issues; k++) {
        struct store_issue *is = sched_view_issue(v, in->issues[k]);
        char msg[128];
        if (!is) {
            snprintf(msg, sizeof msg, "issues: no issue %lld in this project",
                     (long long)in->issues[k]);
            return sched__fail(why, RC_ENOTFOUND, "issues", msg);
        }
        if (is->core.status == POLICY_ISSUE_RELEASED || is->core.status == POLICY_ISSUE_REJECTED) {
            snprintf(msg, sizeof msg, "issues: issue %lld is %s", (long long)in->issues[k],
                     policy_issue_status_name(is->core.status));
            return sched__fail(why, RC_EINVAL, "issues", msg);
        }
        issues[k] = is->core;
    }
    return 0;
}

/* Issues taken from another release must not leave it announced and empty: each release they
 * leave that would be emptied (allowed by an override) goes to emptied[]. */
static int oos_emptied(struct sched_view *v, const struct policy_release_create *in,
                       char emptied[][POLICY_RELEASE_ID_MAX], size_t *n_emptied,
                       struct sched_outcome *why)
{
    *n_emptied = 0;
    for (size_t k = 0; k < in->n_issues; k++) {
        const struct store_issue *is = sched_view_issue(v, in->issues[k]);
        struct store_release *from = sched_view_release(v, is->core.release_id);
        bool seen = false;
        for (size_t j = 0; j < *n_emptied && !seen; j++)
            seen = from && strcmp(emptied[j], from->core.id) == 0;
        if (!from || seen || policy_release_final(&from->core))
            continue;
        int e = sched__emptying(v, from, in->issues, in->n_issues, in->override_reason, why);
        if (e < 0)
            return e;
        if (e == 1)
            snprintf(emptied[(*n_emptied)++], POLICY_RELEASE_ID_MAX, "%s", from->core.id);
    }
    return 0;
}

/* The new release's row: announced at once, the distributor notice left to the tick
 * (policy/due.c), which runs right after this transaction (at creation when its time has come). */
static void oos_row(const struct config_project *p, const struct policy_release_create *in,
                    int n_oos, int64_t now, struct store_release *r)
{
    memset(r, 0, sizeof *r);
    snprintf(r->core.id, sizeof r->core.id, "oos-%d", n_oos);
    r->core.kind = POLICY_RELEASE_OUT_OF_SEQUENCE;
    r->core.status = POLICY_RELEASE_ANNOUNCED;
    r->core.starts_at = in->date;
    r->core.ends_at = in->date + (int64_t)p->policy.rules.release_duration_minutes * 60;
    r->core.announce_at = r->core.announced_at = now;
    r->core.released_at = POLICY_TIME_NONE;
    policy_release_derive(&p->policy.rules, &r->core);
    r->core.distributors_notified_at = POLICY_TIME_NONE;
    snprintf(r->reason, sizeof r->reason, "%s", in->reason);
    if (in->override_reason)
        snprintf(r->override_reason, sizeof r->override_reason, "%s", in->override_reason);
}

/* Starts a release operation: an override only from an admin, the clock read once, then a
 * transaction and a fresh view (sched__begin). */
static int begin_op(struct sched *s, const struct config_project *p, const struct sched_actor *who,
                    const char *override_reason, struct sched_outcome *why, int64_t *now,
                    struct sched_view *v)
{
    int rc = sched__refuse_override(who, override_reason, why);
    if (rc < 0)
        return rc;
    *now = clock_now(s->clock);
    return sched__begin(s, p, *now, v);
}

int sched_release_create(struct sched *s, const struct config_project *p,
                         const struct policy_release_create *in, const struct sched_actor *who,
                         char id_out[POLICY_RELEASE_ID_MAX], struct sched_outcome *why)
{
    int64_t now;
    struct sched_view v;
    int rc = begin_op(s, p, who, in->override_reason, why, &now, &v);
    if (rc < 0)
        return rc;
    struct policy_issue *issues = xcalloc(in->n_issues + 1, sizeof *issues);
    char emptied[POLICY_ISSUES_MAX][POLICY_RELEASE_ID_MAX];
    size_t n_emptied = 0;
    rc = oos_issues(&v, in, issues, why);
    if (rc == 0)
        rc = oos_emptied(&v, in, emptied, &n_emptied, why);
    if (rc == 0 && policy_release_date_check(&p->policy.rules, now, in->date, &why->refusal) < 0)
        rc = sched__fail(why, RC_EINVAL, "date", why->refusal.message);
    if (rc == 0 && !in->override_reason &&
        policy_oos_check(&p->policy.rules, now, in->date, issues, in->n_issues, &why->refusal) < 0)
        rc = sched__fail(why, RC_EPOLICY, "date", why->refusal.message);
    free(issues);
    int n_oos = 0;
    if (rc == 0)
        rc = store_release_next_oos(s->store, p->policy.id, &n_oos);
    if (rc < 0)
        return sched__finish(s, &v, rc);
    /* The view has room for one more release (sched_view_load allocates n + 1). */
    struct store_release *r = &v.rels[v.n];
    v.stored[v.n++] = false;
    oos_row(p, in, n_oos, now, r);
    rc = sched__put_release(s, &v, r, now);
    for (size_t k = 0; k < in->n_issues && rc == 0; k++) {
        struct store_issue *is = sched_view_issue(&v, in->issues[k]);
        snprintf(is->core.release_id, sizeof is->core.release_id, "%s", r->core.id);
        is->core.release_pinned = true;
        is->updated_at = now;
        rc = store_issue_update(s->store, is);
    }
    if (rc == 0)
        rc = sched__audit(s, &v, now, who->name, "release.create", r->core.id,
                          json_pack("{ss}", "reason", in->reason), in->override_reason, false);
    if (rc == 0)
        rc =
            sched_notify(s, &v, r, "release.announced", SCHED_TO_PUBLIC | SCHED_TO_TEAM, now, NULL);
    for (size_t j = 0; j < n_emptied && rc == 0; j++)
        rc = sched__tell_emptied(s, &v, sched_view_release(&v, emptied[j]), now,
                                 in->override_reason);
    if (rc == 0)
        snprintf(id_out, POLICY_RELEASE_ID_MAX, "%s", r->core.id);
    return sched__finish(s, &v, rc);
}

/* The release `id` if it can still change: RC_ENOTFOUND, or RC_ETRANSITION when it is released,
 * skipped or cancelled. */
static int open_release(struct sched_view *v, const char *id, struct store_release **out,
                        struct sched_outcome *why)
{
    struct store_release *r = sched_view_release(v, id);
    if (!r)
        return sched__fail(why, RC_ENOTFOUND, NULL, "no such release");
    if (policy_release_final(&r->core)) {
        char msg[96];
        snprintf(msg, sizeof msg, "the release is %s", policy_release_status_name(r->core.status));
        return sched__fail(why, RC_ETRANSITION, "status", msg);
    }
    *out = r;
    return 0;
}

/* Issues of a cancelled release go back to batching. */
static int release_issues_back(struct sched *s, struct sched_view *v, const char *id, int64_t now,
                               const char *actor)
{
    int rc = 0;
    for (size_t i = 0; i < v->n_issues && rc == 0; i++) {
        struct store_issue *is = &v->issues[i];
        if (strcmp(is->core.release_id, id) != 0)
            continue;
        is->core.release_id[0] = '\0';
        is->core.release_pinned = false;
        if ((rc = store_issue_update(s->store, is)) == 0)
            rc = sched__batch_issue(s, v, is, now, actor);
    }
    return rc;
}

/* Cancelling after the distributor notice must not stretch the embargo (policy_cancel_check). */
static int cancel_check(const struct config_project *p, const struct sched_view *v,
                        const struct store_release *r, struct sched_outcome *why)
{
    struct policy_release *core = xcalloc(v->n + 1, sizeof *core);
    size_t cancel = 0;
    for (size_t i = 0; i < v->n; i++) {
        core[i] = v->rels[i].core;
        if (&v->rels[i] == r)
            cancel = i;
    }
    struct policy_issue *issues = xcalloc(v->n_issues + 1, sizeof *issues);
    size_t n = 0;
    for (size_t i = 0; i < v->n_issues; i++)
        if (strcmp(v->issues[i].core.release_id, r->core.id) == 0)
            issues[n++] = v->issues[i].core;
    int rc = 0;
    if (policy_cancel_check(&p->policy.rules, core, v->n, cancel, issues, n, &why->refusal) < 0)
        rc = sched__fail(why, RC_EPOLICY, "status", why->refusal.message);
    free(core);
    free(issues);
    return rc;
}

int sched_release_patch(struct sched *s, const struct config_project *p, const char *id,
                        const struct policy_release_patch *in, const struct sched_actor *who,
                        struct sched_outcome *why)
{
    int64_t now;
    struct sched_view v;
    int rc = begin_op(s, p, who, in->override_reason, why, &now, &v);
    if (rc < 0)
        return rc;
    struct store_release *r;
    if ((rc = open_release(&v, id, &r, why)) < 0)
        return sched__finish(s, &v, rc);
    char before[TIME_RFC3339_SIZE], after[TIME_RFC3339_SIZE];
    time_rfc3339_format(r->core.starts_at, before);
    if (in->move && policy_move_noop(&r->core, in->date))
        return sched__finish(s, &v, 0); /* nothing changes, nothing is sent */
    if (in->move) {
        /* The bounds hold whatever an override says (docs/POLICY.md "Release dates"). */
        if (policy_release_date_check(&p->policy.rules, now, in->date, &why->refusal) < 0)
            return sched__finish(s, &v, sched__fail(why, RC_EINVAL, "date", why->refusal.message));
        if (!in->override_reason &&
            policy_move_check(&p->policy.rules, now, &r->core, in->date, &why->refusal) < 0)
            return sched__finish(s, &v, sched__fail(why, RC_EPOLICY, "date", why->refusal.message));
        int64_t len = r->core.ends_at - r->core.starts_at;
        int64_t announce = r->core.announce_at;
        r->core.starts_at = in->date;
        r->core.ends_at = in->date + len;
        policy_release_derive(&p->policy.rules, &r->core);
        if (r->core.kind == POLICY_RELEASE_OUT_OF_SEQUENCE)
            r->core.announce_at = announce;
        r->core.sequence++;
        r->moved = true;
        if (in->override_reason)
            snprintf(r->override_reason, sizeof r->override_reason, "%s", in->override_reason);
        time_rfc3339_format(in->date, after);
        rc = sched__put_release(s, &v, r, now);
        /* The move's optional reason is kept with it: an explanation says why it moved. */
        json_t *detail = json_pack("{ssss}", "from", before, "to", after);
        if (in->reason)
            json_object_set_new(detail, "reason", json_string(in->reason));
        if (rc == 0)
            rc = sched__audit(s, &v, now, who->name, "release.move", r->core.id, detail,
                              in->override_reason, false);
        else
            json_decref(detail);
        if (rc == 0)
            rc =
                sched_notify(s, &v, r, "release.rescheduled", knew(r), now,
                             json_pack("{ssss}", "previous_starts_at", before, "starts_at", after));
    } else {
        if (!in->override_reason && (rc = cancel_check(p, &v, r, why)) < 0)
            return sched__finish(s, &v, rc);
        r->core.status = POLICY_RELEASE_CANCELLED;
        r->core.sequence++;
        snprintf(r->reason, sizeof r->reason, "%s", in->reason);
        rc = sched__put_release(s, &v, r, now);
        if (rc == 0)
            rc = sched__audit(s, &v, now, who->name, "release.cancel", r->core.id,
                              json_pack("{ss}", "reason", in->reason), in->override_reason, false);
        if (rc == 0)
            rc = sched_notify(s, &v, r, "release.cancelled", knew(r), now, NULL);
        if (rc == 0)
            rc = release_issues_back(s, &v, r->core.id, now, who->name);
    }
    return sched__finish(s, &v, rc);
}

/* Issues of release `id` that are not fix_ready: refused (RC_ECONFLICT, listed in `why`)
 * without an override; with one they leave the release and stay open, and `removed` gets their
 * ids and titles for the audit row and the team. */
static int unfixed_out(struct sched *s, struct sched_view *v, const char *id, const char *override,
                       int64_t now, json_t *removed, struct sched_outcome *why)
{
    struct store_issue **mine = xcalloc(v->n_issues + 1, sizeof *mine);
    struct policy_issue *core = xcalloc(v->n_issues + 1, sizeof *core);
    size_t *idx = xcalloc(v->n_issues + 1, sizeof *idx);
    size_t n = 0;
    for (size_t i = v->n_issues; i-- > 0;) /* oldest first */
        if (strcmp(v->issues[i].core.release_id, id) == 0) {
            mine[n] = &v->issues[i];
            core[n++] = v->issues[i].core;
        }
    size_t nb = policy_publish_blockers(core, n, idx);
    int rc = 0;
    if (nb > 0 && !override) {
        why->n_issue_ids = 0;
        for (size_t k = 0; k < nb && k < POLICY_ISSUES_MAX; k++)
            why->issue_ids[why->n_issue_ids++] = core[idx[k]].id;
        why->refusal.code = "unfixed_issues";
        rc = sched__fail(why, RC_ECONFLICT, NULL,
                         "issues of this release are not fix_ready: fix them, take them out, or "
                         "have an admin publish with override_reason");
    }
    for (size_t k = 0; k < nb && rc == 0 && override; k++) {
        struct store_issue *is = mine[idx[k]];
        is->core.release_id[0] = '\0';
        is->core.release_pinned = false;
        is->updated_at = now;
        rc = store_issue_update(s->store, is);
        json_array_append_new(removed, json_pack("{sIss}", "id", (json_int_t)is->core.id, "title",
                                                 is->title ? is->title : ""));
    }
    free(mine);
    free(core);
    free(idx);
    return rc;
}

int sched_release_publish(struct sched *s, const struct config_project *p, const char *id,
                          const struct policy_publish *in, const struct sched_actor *who,
                          struct sched_outcome *why)
{
    const char *reason = in->reason;
    int64_t now;
    struct sched_view v;
    int rc = begin_op(s, p, who, in->override_reason, why, &now, &v);
    if (rc < 0)
        return rc;
    struct store_release *r;
    if ((rc = open_release(&v, id, &r, why)) < 0)
        return sched__finish(s, &v, rc);
    if (now < r->core.starts_at && !reason)
        return sched__finish(s, &v,
                             sched__fail(why, RC_EINVAL, "reason",
                                         "reason: required to publish before the release date "
                                         "(the embargo broke)"));
    json_t *removed = json_array();
    if ((rc = unfixed_out(s, &v, id, in->override_reason, now, removed, why)) < 0) {
        json_decref(removed);
        return sched__finish(s, &v, rc);
    }
    /* Its versions are frozen: config edits never rewrite published history. */
    r->n_versions = sched_release_versions(&v, r, r->versions, POLICY_BRANCHES_MAX);
    r->versions_frozen = true;
    r->core.status = POLICY_RELEASE_RELEASED;
    r->core.released_at = now;
    r->core.sequence++; /* a status change raises the feed's SEQUENCE */
    rc = sched__put_release(s, &v, r, now);
    for (size_t i = 0; i < v.n_issues && rc == 0; i++) {
        struct store_issue *is = &v.issues[i];
        if (strcmp(is->core.release_id, id) != 0 || is->core.status == POLICY_ISSUE_REJECTED)
            continue;
        policy_issue_release(&is->core, now);
        is->updated_at = now;
        rc = store_issue_update(s->store, is);
    }
    json_t *detail = json_object();
    if (reason)
        json_object_set_new(detail, "early_reason", json_string(reason));
    if (json_array_size(removed) > 0) {
        json_t *ids = json_array();
        size_t k;
        json_t *x;
        json_array_foreach(removed, k, x)
        {
            json_array_append(ids, json_object_get(x, "id"));
        }
        json_object_set_new(detail, "unfixed_removed", ids);
    }
    if (json_object_size(detail) == 0) {
        json_decref(detail);
        detail = NULL;
    }
    if (rc == 0)
        rc = sched__audit(s, &v, now, who->name, "release.publish", r->core.id, detail,
                          in->override_reason, false);
    else
        json_decref(detail);
    if (rc == 0)
        rc = sched_notify(s, &v, r, "release.published", SCHED_TO_ALL, now, NULL);
    if (rc == 0 && json_array_size(removed) > 0)
        rc = sched_notify(
            s, &v, r, "release.unfixed_removed", SCHED_TO_TEAM, now,
            json_pack("{sOss}", "removed_issues", removed, "override_reason", in->override_reason));
    json_decref(removed);
    return sched__finish(s, &v, rc);
}
