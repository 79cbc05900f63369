/* The versions a release ships (docs/POLICY.md "Versions"): the one place the API, the
 * messages, the feeds and the page get them from. policy/ numbers every release of the project
 * in date order; this file only gathers the releases, their branches and frozen versions. */
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "policy/releases.h"
#include "scheduler/internal.h"

struct by_id {
    const char *id;
    size_t index; /* into the view's rels */
};

static int cmp_id(const void *a, const void *b)
{
    return strcmp(((const struct by_id *)a)->id, ((const struct by_id *)b)->id);
}

static int cmp_date(const void *a, const void *b, const struct sched_view *v)
{
    const struct store_release *x = &v->rels[*(const size_t *)a];
    const struct store_release *y = &v->rels[*(const size_t *)b];
    if (x->core.starts_at != y->core.starts_at)
        return x->core.starts_at < y->core.starts_at ? -1 : 1;
    return strcmp(x->core.id, y->core.id);
}

/* Insertion sort of indices by (start, id): the view is already sorted except for a release an
 * operation just appended, so this is about linear. */
static void sort_by_date(size_t *order, size_t n, const struct sched_view *v)
{
    for (size_t i = 1; i < n; i++) {
        size_t x = order[i], j = i;
        for (; j > 0 && cmp_date(&order[j - 1], &x, v) > 0; j--)
            order[j] = order[j - 1];
        order[j] = x;
    }
}

struct policy_versioned_release sched__versioned(const struct store_release *r, uint32_t branches)
{
    return (struct policy_versioned_release){
        .starts_at = r->core.starts_at,
        .status = r->core.status,
        .branches = branches,
        .frozen = r->versions_frozen ? r->versions : NULL,
        .n_frozen = r->versions_frozen ? r->n_versions : 0,
    };
}

/* Every release of the view as the numbering sees it, in date order (order[k] is the view
 * index of the k-th). */
struct prepared {
    size_t *order;
    struct policy_versioned_release *rels;
    uint32_t *bits;
};

static void prepare(const struct sched_view *v, struct prepared *p)
{
    size_t n = v->n;
    p->order = xcalloc(n + 1, sizeof *p->order);
    for (size_t i = 0; i < n; i++)
        p->order[i] = i;
    sort_by_date(p->order, n, v);
    /* Branch bits per release, from one pass over the issues. */
    struct by_id *ids = xcalloc(n + 1, sizeof *ids);
    for (size_t i = 0; i < n; i++)
        ids[i] = (struct by_id){v->rels[i].core.id, i};
    qsort(ids, n, sizeof *ids, cmp_id);
    p->bits = xcalloc(n + 1, sizeof *p->bits);
    for (size_t i = 0; i < v->n_issues; i++) {
        const struct store_issue *is = &v->issues[i];
        if (!is->core.release_id[0] || is->core.status == POLICY_ISSUE_REJECTED)
            continue;
        struct by_id key = {is->core.release_id, 0};
        const struct by_id *hit = bsearch(&key, ids, n, sizeof *ids, cmp_id);
        if (hit)
            p->bits[hit->index] |= sched_branch_bits(
                &v->project->policy, (char(*)[POLICY_ID_MAX])is->branch_names, is->n_branches);
    }
    free(ids);
    p->rels = xcalloc(n + 1, sizeof *p->rels);
    for (size_t k = 0; k < n; k++) {
        const struct store_release *x = &v->rels[p->order[k]];
        p->rels[k] = sched__versioned(x, p->bits[p->order[k]]);
    }
}

static void prepared_free(struct prepared *p)
{
    free(p->order);
    free(p->rels);
    free(p->bits);
}

size_t sched_release_versions(const struct sched_view *v, const struct store_release *r,
                              struct policy_version *out, size_t cap)
{
    if (v->borrowed && r >= v->rels && r < v->rels + v->n) {
        /* A read view does not change: number every release once (the view owns the memo). */
        struct sched_view *memo = (struct sched_view *)v;
        if (!memo->versions)
            memo->versions = sched_release_versions_all(v);
        const struct sched_versions *x = &v->versions[r - v->rels];
        size_t k = x->n < cap ? x->n : cap;
        memcpy(out, x->v, k * sizeof *out);
        return k;
    }
    struct prepared p;
    prepare(v, &p);
    size_t nv = 0;
    for (size_t k = 0; k < v->n; k++)
        if (&v->rels[p.order[k]] == r)
            nv = policy_versions_numbered(&v->project->policy, p.rels, v->n, k, out, cap);
    prepared_free(&p);
    return nv;
}

struct sched_versions *sched_release_versions_all(const struct sched_view *v)
{
    struct prepared p;
    prepare(v, &p);
    struct sched_versions *all = xcalloc(v->n + 1, sizeof *all);
    for (size_t k = 0; k < v->n; k++) {
        struct sched_versions *x = &all[p.order[k]];
        x->n = policy_versions_numbered(&v->project->policy, p.rels, v->n, k, x->v,
                                        POLICY_BRANCHES_MAX);
    }
    prepared_free(&p);
    return all;
}
