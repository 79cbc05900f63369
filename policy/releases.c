/* Release edges: no-op moves, date bounds, publication blockers, cancellation after the
 * distributor notice, version numbering (docs/POLICY.md). */
#include "policy/releases.h"

#include "policy/due.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/timeutil.h"
#include "policy/due.h"
#include "core/xalloc.h"

bool policy_move_noop(const struct policy_release *rel, int64_t new_start)
{
    return rel->starts_at == new_start;
}

int64_t policy_release_latest(const struct policy_rules *r, int64_t now)
{
    int64_t day = civil_day_of(now), secs = now - day * SECONDS_PER_DAY, year;
    int month, mday;
    civil_from_days(day, &year, &month, &mday);
    year += r->max_release_horizon_years;
    if (!civil_date_valid(year, month, mday))
        mday = civil_days_in_month(year, month);
    return civil_to_days(year, month, mday) * SECONDS_PER_DAY + secs;
}

int policy_release_date_check(const struct policy_rules *r, int64_t now, int64_t date,
                              struct policy_refusal *why)
{
    char buf[TIME_RFC3339_SIZE];
    memset(why, 0, sizeof *why);
    why->limit = POLICY_TIME_NONE;
    if (date < now) {
        time_rfc3339_format(now, buf);
        why->code = "date_in_past";
        why->limit = now;
        snprintf(why->message, sizeof why->message,
                 "date: must not be in the past (the earliest allowed date is %s)", buf);
        return RC_EINVAL;
    }
    int64_t latest = policy_release_latest(r, now);
    if (date > latest) {
        time_rfc3339_format(latest, buf);
        why->code = "date_too_far";
        why->limit = latest;
        snprintf(why->message, sizeof why->message,
                 "date: at most %d years ahead (max_release_horizon_years): the latest allowed "
                 "date is %s",
                 r->max_release_horizon_years, buf);
        return RC_EINVAL;
    }
    return 0;
}

size_t policy_publish_blockers(const struct policy_issue *issues, size_t n, size_t *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (policy_issue_fix_missing(&issues[i]))
            out[k++] = i;
    return k;
}

bool policy_release_emptied(const struct policy_release *rel, const struct policy_issue *issues,
                            size_t n)
{
    if (rel->status != POLICY_RELEASE_ANNOUNCED)
        return false;
    for (size_t i = 0; i < n; i++)
        if (issues[i].status != POLICY_ISSUE_REJECTED)
            return false;
    return true;
}

int policy_cancel_check(const struct policy_rules *r, const struct policy_release *rels,
                        size_t n_rels, size_t cancel, const struct policy_issue *issues,
                        size_t n_issues, struct policy_refusal *why)
{
    memset(why, 0, sizeof *why);
    why->limit = POLICY_TIME_NONE;
    const struct policy_release *rel = &rels[cancel];
    if (rel->distributors_notified_at == POLICY_TIME_NONE)
        return 0;
    int64_t latest = rel->distributors_notified_at + (int64_t)r->max_embargo_days * SECONDS_PER_DAY;
    struct policy_release *after = xcalloc(n_rels + 1, sizeof *after);
    memcpy(after, rels, n_rels * sizeof *rels);
    after[cancel].status = POLICY_RELEASE_CANCELLED;
    int rc = 0;
    for (size_t i = 0; i < n_issues && rc == 0; i++) {
        if (issues[i].status == POLICY_ISSUE_REJECTED)
            continue;
        struct policy_issue back = issues[i];
        back.release_id[0] = '\0';
        back.release_pinned = false;
        size_t k;
        bool lands = back.status == POLICY_ISSUE_FIX_READY &&
                     policy_batch_select(&back, after, n_rels, &k) == 0 &&
                     after[k].starts_at <= latest;
        if (!lands) {
            char buf[TIME_RFC3339_SIZE];
            time_rfc3339_format(latest, buf);
            why->code = "embargo_too_long";
            why->limit = latest;
            snprintf(why->message, sizeof why->message,
                     "distributors hold the details since the notice; issue %lld would wait "
                     "past the maximum embargo, which ends at %s",
                     (long long)issues[i].id, buf);
            rc = RC_EPOLICY;
        }
    }
    free(after);
    return rc;
}

/* The next component of a dotted version: its length; *num set when all digits (<= 18). */
static size_t component(const char *s, bool *is_num, unsigned long long *num)
{
    size_t n = strcspn(s, ".");
    *is_num = n > 0 && n <= 18 && strspn(s, "0123456789") >= n;
    *num = 0;
    for (size_t i = 0; *is_num && i < n; i++)
        *num = *num * 10 + (unsigned long long)(s[i] - '0');
    return n;
}

int policy_version_cmp(const char *a, const char *b)
{
    for (;;) {
        bool na, nb;
        unsigned long long va, vb;
        size_t la = component(a, &na, &va), lb = component(b, &nb, &vb);
        int c;
        if (na && nb)
            c = (va > vb) - (va < vb);
        else {
            c = strncmp(a, b, la < lb ? la : lb);
            if (c == 0)
                c = (la > lb) - (la < lb);
        }
        if (c != 0)
            return c;
        a += la;
        b += lb;
        if (!*a || !*b)
            return (*a != 0) - (*b != 0);
        a++; /* the dots */
        b++;
    }
}

size_t policy_versions_numbered(const struct policy_project *p,
                                const struct policy_versioned_release *rels, size_t n,
                                size_t target, struct policy_version *out, size_t cap)
{
    if (target >= n)
        return 0;
    const struct policy_versioned_release *t = &rels[target];
    if (t->frozen) {
        size_t k = t->n_frozen < cap ? t->n_frozen : cap;
        memcpy(out, t->frozen, k * sizeof *out);
        return k;
    }
    if (t->status == POLICY_RELEASE_SKIPPED || t->status == POLICY_RELEASE_CANCELLED)
        return 0;
    /* The base of each branch: the config's version or the highest frozen one. */
    char cur[POLICY_BRANCHES_MAX][POLICY_ID_MAX];
    for (size_t b = 0; b < p->n_branches; b++)
        snprintf(cur[b], sizeof cur[b], "%s", p->branches[b].version);
    for (size_t i = 0; i < n; i++)
        for (size_t f = 0; rels[i].frozen && f < rels[i].n_frozen; f++)
            for (size_t b = 0; b < p->n_branches; b++)
                if (strcmp(rels[i].frozen[f].branch, p->branches[b].name) == 0 &&
                    policy_version_cmp(rels[i].frozen[f].version, cur[b]) > 0)
                    snprintf(cur[b], sizeof cur[b], "%s", rels[i].frozen[f].version);
    /* Then every release that is not frozen, skipped or cancelled, in date order. */
    size_t k = 0;
    for (size_t i = 0; i <= target; i++) {
        const struct policy_versioned_release *r = &rels[i];
        if (!policy_versions_from_issues(r))
            continue;
        int64_t day = civil_day_of(r->starts_at);
        for (size_t b = 0; b < p->n_branches; b++) {
            const struct policy_branch *br = &p->branches[b];
            if (!(r->branches & (1u << b)) ||
                (br->eol_day != POLICY_TIME_NONE && day > br->eol_day))
                continue;
            char next[POLICY_ID_MAX];
            if (policy_version_bump(cur[b], next) < 0)
                continue;
            memcpy(cur[b], next, sizeof next);
            if (i == target && k < cap) {
                snprintf(out[k].branch, sizeof out[k].branch, "%s", br->name);
                snprintf(out[k].version, sizeof out[k].version, "%s", next);
                k++;
            }
        }
    }
    return k;
}

bool policy_versions_from_issues(const struct policy_versioned_release *r)
{
    return !r->frozen && r->status != POLICY_RELEASE_SKIPPED &&
           r->status != POLICY_RELEASE_CANCELLED;
}

bool policy_versions_to_freeze(const struct policy_versioned_release *r)
{
    return !r->frozen && r->status == POLICY_RELEASE_RELEASED;
}

void policy_current_versions(struct policy_project *p, const struct policy_shipped *rels, size_t n)
{
    int64_t at[POLICY_BRANCHES_MAX];
    for (size_t b = 0; b < POLICY_BRANCHES_MAX; b++)
        at[b] = POLICY_TIME_NONE;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < rels[i].n; k++)
            for (size_t b = 0; b < p->n_branches; b++)
                if (strcmp(p->branches[b].name, rels[i].v[k].branch) == 0 &&
                    rels[i].starts_at > at[b]) {
                    at[b] = rels[i].starts_at;
                    snprintf(p->branches[b].version, sizeof p->branches[b].version, "%s",
                             rels[i].v[k].version);
                }
}
