/* The effective state of a project: cadence windows merged with stored release rows. */
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "policy/cadence.h"
#include "policy/releases.h"
#include "scheduler/sched.h"

#define MONTH (31 * (int64_t)SECONDS_PER_DAY)

void sched_view_free(struct sched_view *v)
{
    free(v->rels);
    free(v->stored);
    store_issues_free(v->issues, v->n_issues);
    store_checklist_free(v->items, v->n_items);
    memset(v, 0, sizeof *v);
}

static int cmp_start(const void *a, const void *b)
{
    const struct store_release *x = a, *y = b;
    if (x->core.starts_at != y->core.starts_at)
        return x->core.starts_at < y->core.starts_at ? -1 : 1;
    return strcmp(x->core.id, y->core.id);
}

/* A stored row keeps its own date when it told someone something, was moved explicitly, or is
 * out of sequence; otherwise the window follows the config. */
static bool keeps_own_date(const struct store_release *r)
{
    return r->core.kind == POLICY_RELEASE_OUT_OF_SEQUENCE || r->moved ||
           policy_release_locked(&r->core) || policy_release_final(&r->core);
}

int sched_view_load(struct sched *s, const struct config_project *p, int64_t now,
                    struct sched_view *v)
{
    memset(v, 0, sizeof *v);
    v->project = p;
    v->public_url = s->cfg->public_url;
    const struct policy_rules *rules = &p->policy.rules;
    int64_t from = now - 13 * MONTH, to = now + (int64_t)rules->horizon_months * MONTH;
    size_t n_win = 0;
    struct policy_release *win = NULL;
    int rc = policy_cadence_windows_all(&p->policy, from, to, &win, &n_win);
    if (rc < 0)
        return rc;
    struct store_release *stored;
    size_t n_stored;
    if ((rc = store_release_list(s->store, p->policy.id, &stored, &n_stored)) < 0) {
        free(win);
        return rc;
    }
    v->rels = xcalloc(n_win + n_stored + 1, sizeof *v->rels);
    v->stored = xcalloc(n_win + n_stored + 1, sizeof *v->stored);
    for (size_t i = 0; i < n_stored; i++) {
        struct store_release r = stored[i];
        if (!keeps_own_date(&r)) {
            /* Follow the config: take the window's date for this id, or drop the row from the
             * view when the config no longer produces it. */
            size_t k;
            for (k = 0; k < n_win && strcmp(win[k].id, r.core.id) != 0; k++)
                ;
            if (k == n_win)
                continue;
            r.core.starts_at = win[k].starts_at;
            r.core.ends_at = win[k].ends_at;
        }
        int64_t announce = r.core.announce_at;
        policy_release_derive(rules, &r.core);
        if (r.core.kind == POLICY_RELEASE_OUT_OF_SEQUENCE)
            r.core.announce_at = announce;
        r.core.locked = policy_release_locked(&r.core);
        v->stored[v->n] = true;
        v->rels[v->n++] = r;
    }
    for (size_t k = 0; k < n_win; k++) {
        bool have = false;
        for (size_t i = 0; i < n_stored && !have; i++)
            have = strcmp(stored[i].core.id, win[k].id) == 0;
        if (have)
            continue;
        struct store_release r;
        memset(&r, 0, sizeof r);
        r.core = win[k];
        snprintf(r.project, sizeof r.project, "%s", p->policy.id);
        v->rels[v->n++] = r;
    }
    free(win);
    free(stored);
    /* Keep the stored flags with their rows while sorting. */
    for (size_t i = 0; i < v->n; i++)
        v->rels[i].done |= v->stored[i] ? 0x80000000u : 0;
    qsort(v->rels, v->n, sizeof *v->rels, cmp_start);
    for (size_t i = 0; i < v->n; i++) {
        v->stored[i] = (v->rels[i].done & 0x80000000u) != 0;
        v->rels[i].done &= ~0x80000000u;
    }
    return store_issue_list(s->store, p->policy.id, &v->issues, &v->n_issues);
}

struct store_release *sched_view_release(struct sched_view *v, const char *id)
{
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->rels[i].core.id, id) == 0)
            return &v->rels[i];
    return NULL;
}

struct store_issue *sched_view_issue(struct sched_view *v, int64_t id)
{
    for (size_t i = 0; i < v->n_issues; i++)
        if (v->issues[i].core.id == id)
            return &v->issues[i];
    return NULL;
}

bool sched_view_can_be_next(const struct sched_view *v, const struct store_release *r)
{
    if (policy_release_final(&r->core))
        return false;
    if (r->core.status != POLICY_RELEASE_ANNOUNCED)
        return true;
    struct policy_issue *issues;
    size_t n = sched_release_issues(v, r->core.id, &issues);
    bool empty = policy_release_emptied(&r->core, issues, n);
    free(issues);
    return !empty;
}

struct store_release *sched_view_next(struct sched_view *v, int64_t now)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->rels[i].core.ends_at > now && sched_view_can_be_next(v, &v->rels[i]))
            return &v->rels[i];
    /* A release past its end but not published is still the next one. */
    for (size_t i = 0; i < v->n; i++)
        if (sched_view_can_be_next(v, &v->rels[i]))
            return &v->rels[i];
    return NULL;
}

uint32_t sched_branch_bits(const struct policy_project *p, char (*names)[POLICY_ID_MAX], size_t n)
{
    uint32_t bits = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t b = 0; b < p->n_branches; b++)
            if (strcmp(p->branches[b].name, names[i]) == 0)
                bits |= 1u << b;
    return bits;
}

size_t sched_release_issues(const struct sched_view *v, const char *release_id,
                            struct policy_issue **out)
{
    size_t count = 0;
    for (size_t i = 0; i < v->n_issues; i++)
        count += strcmp(v->issues[i].core.release_id, release_id) == 0;
    struct policy_issue *res = xcalloc(count + 1, sizeof *res);
    size_t k = 0;
    /* Oldest first: the order issues were reported in. */
    for (size_t i = v->n_issues; i-- > 0;) {
        const struct store_issue *is = &v->issues[i];
        if (strcmp(is->core.release_id, release_id) != 0 ||
            is->core.status == POLICY_ISSUE_REJECTED)
            continue;
        res[k] = is->core;
        res[k].branches = sched_branch_bits(
            &v->project->policy, (char(*)[POLICY_ID_MAX])is->branch_names, is->n_branches);
        k++;
    }
    *out = res;
    return k;
}
