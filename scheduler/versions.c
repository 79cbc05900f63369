/* The versions a release ships (docs/POLICY.md "Versions"): the one place the API, the
 * messages, the feeds and the page get them from. policy/ numbers every release of the project
 * in date order; this file only gathers the releases, their branches and frozen versions. */
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "policy/releases.h"
#include "scheduler/sched.h"

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

size_t sched_release_versions(const struct sched_view *v, const struct store_release *r,
                              struct policy_version *out, size_t cap)
{
    size_t n = v->n, target = n;
    size_t *order = xcalloc(n + 1, sizeof *order);
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    sort_by_date(order, n, v);
    /* Branch bits per release, from one pass over the issues. */
    struct by_id *ids = xcalloc(n + 1, sizeof *ids);
    for (size_t i = 0; i < n; i++)
        ids[i] = (struct by_id){v->rels[i].core.id, i};
    qsort(ids, n, sizeof *ids, cmp_id);
    uint32_t *bits = xcalloc(n + 1, sizeof *bits);
    for (size_t i = 0; i < v->n_issues; i++) {
        const struct store_issue *is = &v->issues[i];
        if (!is->core.release_id[0] || is->core.status == POLICY_ISSUE_REJECTED)
            continue;
        struct by_id key = {is->core.release_id, 0};
        const struct by_id *hit = bsearch(&key, ids, n, sizeof *ids, cmp_id);
        if (hit)
            bits[hit->index] |= sched_branch_bits(
                &v->project->policy, (char(*)[POLICY_ID_MAX])is->branch_names, is->n_branches);
    }
    struct policy_versioned_release *rels = xcalloc(n + 1, sizeof *rels);
    for (size_t k = 0; k < n; k++) {
        const struct store_release *x = &v->rels[order[k]];
        if (x == r)
            target = k;
        rels[k] = (struct policy_versioned_release){
            .starts_at = x->core.starts_at,
            .status = x->core.status,
            .branches = bits[order[k]],
            .frozen = x->versions_frozen ? x->versions : NULL,
            .n_frozen = x->versions_frozen ? x->n_versions : 0,
        };
    }
    size_t nv =
        target < n ? policy_versions_numbered(&v->project->policy, rels, n, target, out, cap) : 0;
    free(rels);
    free(bits);
    free(ids);
    free(order);
    return nv;
}
