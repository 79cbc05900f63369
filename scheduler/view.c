/* The effective state of a project: cadence windows merged with stored release rows. */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "policy/cadence.h"
#include "policy/due.h"
#include "policy/releases.h"
#include "scheduler/checklist.h"
#include "scheduler/internal.h"

#define MONTH (31 * (int64_t)SECONDS_PER_DAY)

void sched_view_free(struct sched_view *v)
{
    free(v->rels);
    free(v->stored);
    if (!v->borrowed)
        store_issues_free(v->issues, v->n_issues);
    else if (v->entry)
        v->entry->borrowers--;
    sched__delivered_free(v->delivered);
    free(v->versions);
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

static int load_releases(struct sched *s, const struct config_project *p, int64_t now,
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
    return 0;
}

int sched__view_own(struct sched *s, const struct config_project *p, int64_t now,
                    struct sched_view *v)
{
    int rc = load_releases(s, p, now, v);
    if (rc < 0)
        return rc;
    return store_issue_list(s->store, p->policy.id, &v->issues, &v->n_issues);
}

int sched__view_tick(struct sched *s, const struct config_project *p, int64_t now, int64_t epoch,
                     struct sched_view *v)
{
    int rc = load_releases(s, p, now, v);
    if (rc < 0)
        return rc;
    json_t *ids = json_array();
    for (size_t i = 0; i < v->n; i++) {
        const struct store_release *r = &v->rels[i];
        struct policy_due_release in = {.rel = &r->core, .done = r->done, .epoch = epoch};
        struct policy_versioned_release vr = sched__versioned(r, 0);
        if (!policy_due_release_idle(&in) || policy_versions_from_issues(&vr))
            json_array_append_new(ids, json_string(r->core.id));
    }
    char *text = jsonx_dump(ids);
    json_decref(ids);
    rc = store_issue_list_live(s->store, p->policy.id, now - CHECKLIST_ACTIVE_AFTER_RELEASE, text,
                               &v->issues, &v->n_issues);
    free(text);
    v->live = true;
    return rc;
}

void sched__cache_free(struct sched *s)
{
    for (size_t i = 0; s->issue_cache && i < s->issue_cache_n; i++) {
        store_issues_free(s->issue_cache[i].issues, s->issue_cache[i].n);
        free(s->issue_cache[i].by_release);
    }
    free(s->issue_cache);
    s->issue_cache = NULL;
    s->issue_cache_n = 0;
    s->issue_cache_cfg = NULL;
}

/* The project's cache entry, while the loop runs (a command's one-off views are not kept). A
 * preview's reads see its own uncommitted writes: never the cache, and they never fill it. */
static struct sched_issue_cache *cache_entry(struct sched *s, const struct config_project *p)
{
    if (!s->timer_started || store_preview_active(s->store))
        return NULL;
    if (s->issue_cache_cfg != s->cfg || s->issue_cache_n != s->cfg->n_projects) {
        sched__cache_free(s);
        s->issue_cache = xcalloc(s->cfg->n_projects + 1, sizeof *s->issue_cache);
        s->issue_cache_n = s->cfg->n_projects;
        s->issue_cache_cfg = s->cfg;
    }
    for (size_t i = 0; i < s->cfg->n_projects; i++)
        if (&s->cfg->projects[i] == p)
            return &s->issue_cache[i];
    return NULL;
}

struct by_release {
    const char *id;
    size_t index;
};

static int cmp_by_release(const void *a, const void *b)
{
    const struct by_release *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : x->index < y->index ? -1 : x->index > y->index;
}

/* Indices of the issues sorted by release id, then index. A patch (sched__cache_patch) never
 * changes an issue's release, so the index lives as long as the entry. */
static size_t *index_by_release(const struct store_issue *issues, size_t n)
{
    struct by_release *t = xcalloc(n + 1, sizeof *t);
    for (size_t i = 0; i < n; i++)
        t[i] = (struct by_release){issues[i].core.release_id, i};
    qsort(t, n, sizeof *t, cmp_by_release);
    size_t *out = xcalloc(n + 1, sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = t[i].index;
    free(t);
    return out;
}

size_t sched__release_members(const struct sched_view *v, const char *release_id, size_t **out)
{
    size_t k = 0;
    if (!v->by_release) {
        size_t count = 0;
        for (size_t i = 0; i < v->n_issues; i++)
            count += strcmp(v->issues[i].core.release_id, release_id) == 0;
        *out = xcalloc(count + 1, sizeof **out);
        for (size_t i = v->n_issues; i-- > 0;)
            if (strcmp(v->issues[i].core.release_id, release_id) == 0)
                (*out)[k++] = i;
        return k;
    }
    const size_t *ix = v->by_release;
    size_t lo = 0, hi = v->n_issues;
    while (lo < hi) { /* the first entry not before release_id */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(v->issues[ix[mid]].core.release_id, release_id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < v->n_issues && strcmp(v->issues[ix[end]].core.release_id, release_id) == 0)
        end++;
    *out = xcalloc(end - lo + 1, sizeof **out);
    for (size_t j = end; j-- > lo;) /* highest index first: oldest first */
        (*out)[k++] = ix[j];
    return k;
}

static void entry_drop(struct sched_issue_cache *c)
{
    bool big = c->n > 1000;
    store_issues_free(c->issues, c->n);
    free(c->by_release);
    c->issues = NULL;
    c->by_release = NULL;
    c->n = 0;
    if (big)
        malloc_trim(0); /* the largest allocation there is: give its pages back */
}

/* Whether n more issues fit in the cache beside the other entries, after dropping those no
 * view borrows if need be. */
static bool make_room(struct sched *s, const struct sched_issue_cache *c, size_t n)
{
    size_t total = n;
    for (size_t i = 0; i < s->issue_cache_n; i++)
        if (&s->issue_cache[i] != c)
            total += s->issue_cache[i].n;
    for (size_t i = 0; total > SCHED_CACHE_ISSUES && i < s->issue_cache_n; i++) {
        struct sched_issue_cache *o = &s->issue_cache[i];
        if (o != c && o->issues && !o->borrowers) {
            total -= o->n;
            entry_drop(o);
        }
    }
    return total <= SCHED_CACHE_ISSUES;
}

int sched_view_load(struct sched *s, const struct config_project *p, int64_t now,
                    struct sched_view *v)
{
    struct sched_issue_cache *c = cache_entry(s, p);
    if (!c)
        return sched__view_own(s, p, now, v);
    int rc = load_releases(s, p, now, v);
    if (rc < 0)
        return rc;
    if (!c->issues || c->generation != s->generation) {
        struct store_issue *list;
        size_t n;
        if ((rc = store_issue_list(s->store, p->policy.id, &list, &n)) < 0)
            return rc;
        if (c->borrowers) { /* a read of the older state is alive (not expected): own copy */
            v->issues = list;
            v->n_issues = n;
            return 0;
        }
        entry_drop(c);
        if (!make_room(s, c, n)) { /* too large to keep: this view owns its issues */
            v->issues = list;
            v->n_issues = n;
            return 0;
        }
        c->issues = list;
        c->n = n;
        c->generation = s->generation;
    }
    if (!c->by_release)
        c->by_release = index_by_release(c->issues, c->n);
    v->issues = c->issues;
    v->n_issues = c->n;
    v->by_release = c->by_release;
    v->borrowed = true;
    v->entry = c;
    c->borrowers++;
    return 0;
}

void sched__cache_patch(struct sched *s, const struct config_project *p, int64_t id,
                        uint64_t before)
{
    struct sched_issue_cache *c = cache_entry(s, p);
    if (!c || !c->issues || c->borrowers || c->generation != before)
        return;
    /* Newest first: ids descend. A new issue is not in the entry: it reloads. */
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->issues[mid].core.id > id)
            lo = mid + 1;
        else
            hi = mid;
    }
    struct store_issue is;
    if (lo == c->n || c->issues[lo].core.id != id ||
        store_issue_get(s->store, p->policy.id, id, &is) < 0)
        return; /* left behind the generation: the next read reloads it */
    store_issue_clear(&c->issues[lo]);
    c->issues[lo] = is;
    c->generation = s->generation;
}

int sched_view_load_issue(struct sched *s, const struct config_project *p, int64_t id,
                          struct sched_view *v)
{
    memset(v, 0, sizeof *v);
    v->project = p;
    v->partial = true;
    int rc;
    v->issues = xcalloc(1, sizeof *v->issues);
    rc = store_issue_get(s->store, p->policy.id, id, &v->issues[0]);
    if (rc == 0)
        v->n_issues = 1;
    return rc == RC_ENOTFOUND ? 0 : rc;
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
    size_t *members;
    size_t count = sched__release_members(v, release_id, &members);
    struct policy_issue *res = xcalloc(count + 1, sizeof *res);
    size_t k = 0;
    /* Oldest first: the order issues were reported in. */
    for (size_t j = 0; j < count; j++) {
        const struct store_issue *is = &v->issues[members[j]];
        if (is->core.status == POLICY_ISSUE_REJECTED)
            continue;
        res[k] = is->core;
        res[k].branches = sched_branch_bits(
            &v->project->policy, (char(*)[POLICY_ID_MAX])is->branch_names, is->n_branches);
        k++;
    }
    free(members);
    *out = res;
    return k;
}
