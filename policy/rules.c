/* Derived instants, SLA deadlines, batching, notice/embargo checks and versions (docs/POLICY.md
 * "The policy, with its defaults", "Batching", "Moving and cancelling releases"). */
#include "core/nelem.h"
#include "policy/rules.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/timeutil.h"

#define DAY SECONDS_PER_DAY

void policy_release_derive(const struct policy_rules *r, struct policy_release *rel)
{
    rel->cutoff_at = rel->starts_at - (int64_t)r->readiness_cutoff_days * DAY;
    rel->distributor_notice_at = rel->starts_at - (int64_t)r->distributor_notice_days * DAY;
    rel->reminder_at = rel->starts_at - (int64_t)r->distributor_reminder_hours * 3600;
    if (rel->kind == POLICY_RELEASE_SCHEDULED)
        rel->announce_at = rel->starts_at - (int64_t)r->pre_announcement_days * DAY;
}

bool policy_release_locked(const struct policy_release *rel)
{
    return rel->announced_at != POLICY_TIME_NONE ||
           rel->distributors_notified_at != POLICY_TIME_NONE;
}

bool policy_release_final(const struct policy_release *rel)
{
    return rel->status == POLICY_RELEASE_RELEASED || rel->status == POLICY_RELEASE_SKIPPED ||
           rel->status == POLICY_RELEASE_CANCELLED;
}

const char *policy_sla_name(enum policy_sla_kind k)
{
    static const char *const names[] = {"acknowledge", "respond", "resolve"};
    return (unsigned)k < 3 ? names[k] : "unknown";
}

static void deadline(struct policy_sla_deadline *d, int64_t start, int64_t span, int64_t met,
                     int64_t now)
{
    d->due = start + span;
    d->due_soon = d->due - span / 4;
    d->met_at = met;
    d->missed_due = 0;
    d->breached = met != POLICY_TIME_NONE ? met > d->due : now > d->due;
}

void policy_issue_sla(const struct policy_rules *r, const struct policy_issue *i, int64_t now,
                      struct policy_sla_deadlines *out)
{
    /* Closing a report is a response: to the acknowledgement too when it came first. */
    int64_t rejected = i->status == POLICY_ISSUE_REJECTED ? i->responded_at : POLICY_TIME_NONE;
    int64_t acknowledged = i->acknowledged_at != POLICY_TIME_NONE ? i->acknowledged_at : rejected;
    int64_t resolved = i->fix_ready_at != POLICY_TIME_NONE ? i->fix_ready_at : rejected;
    if (resolved == POLICY_TIME_NONE && i->status == POLICY_ISSUE_RELEASED)
        resolved = i->released_at;
    deadline(&out->d[POLICY_SLA_ACKNOWLEDGE], i->reported_at,
             (int64_t)r->sla.acknowledge_hours * 3600, acknowledged, now);
    deadline(&out->d[POLICY_SLA_RESPOND], i->reported_at, (int64_t)r->sla.respond_days * DAY,
             i->responded_at, now);
    struct policy_sla_deadline *res = &out->d[POLICY_SLA_RESOLVE];
    deadline(res, i->reported_at, (int64_t)(r->sla.resolve_days + i->sla_extension_days) * DAY,
             resolved, now);
    if (i->sla_resolve_missed_due) {
        res->missed_due = i->sla_resolve_missed_due;
        res->breached = true; /* an extension does not erase a breach */
    }
}

int policy_sla_extend(const struct policy_rules *r, struct policy_issue *i, int days, int64_t now,
                      char *why, size_t why_len)
{
    if (days < 0 || (int64_t)i->sla_extension_days + days > r->sla_extension_max_days) {
        if (why && why_len)
            snprintf(why, why_len,
                     "extensions total at most %d days (sla_extension_max_days); this issue has "
                     "%d, %d more would make %d",
                     r->sla_extension_max_days, i->sla_extension_days, days,
                     i->sla_extension_days + days);
        return RC_EPOLICY;
    }
    struct policy_sla_deadlines d;
    policy_issue_sla(r, i, now, &d);
    if (d.d[POLICY_SLA_RESOLVE].breached && !i->sla_resolve_missed_due)
        i->sla_resolve_missed_due = d.d[POLICY_SLA_RESOLVE].due;
    i->sla_extension_days += days;
    return 0;
}

static void lower_next(int64_t *next, int64_t at, int64_t now)
{
    if (next && at > now && (*next == POLICY_TIME_NONE || at < *next))
        *next = at;
}

size_t policy_sla_events(const struct policy_rules *r, const struct policy_issue *i, int64_t now,
                         struct policy_sla_event out[POLICY_SLA_EVENTS_MAX], int64_t *next)
{
    if (i->status == POLICY_ISSUE_RELEASED || i->status == POLICY_ISSUE_REJECTED)
        return 0;
    struct policy_sla_deadlines d;
    policy_issue_sla(r, i, now, &d);
    size_t n = 0;
    for (size_t k = 0; k < NELEM(d.d); k++) {
        const struct policy_sla_deadline *dl = &d.d[k];
        if (dl->met_at != POLICY_TIME_NONE)
            continue;
        for (int b = 0; b < 2; b++) {
            /* Due-soon at its instant; the breach once the deadline has passed (now > due). */
            int64_t at = b ? dl->due : dl->due_soon, fires = b ? dl->due + 1 : dl->due_soon;
            if (fires > now) {
                lower_next(next, fires, now);
                continue;
            }
            struct policy_sla_event *e = &out[n++];
            e->kind = (enum policy_sla_kind)k;
            e->breach = b == 1;
            e->at = at;
            e->due = dl->due;
            if (k == POLICY_SLA_RESOLVE && i->sla_extension_days)
                snprintf(e->subject, sizeof e->subject, POLICY_ISSUE_SUBJECT "%s+%dd",
                         (long long)i->id, policy_sla_name((enum policy_sla_kind)k),
                         i->sla_extension_days);
            else
                snprintf(e->subject, sizeof e->subject, POLICY_ISSUE_SUBJECT "%s", (long long)i->id,
                         policy_sla_name((enum policy_sla_kind)k));
        }
    }
    return n;
}

size_t policy_sla_listed(const struct policy_sla_event *ev, const bool *sent, size_t n, size_t *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!sent[i])
            continue;
        if (!ev[i].breach && i + 1 < n && sent[i + 1] && ev[i + 1].kind == ev[i].kind)
            continue; /* its breach says more */
        out[k++] = i;
    }
    return k;
}

bool policy_issue_cve_recommended(const struct policy_rules *r, const struct policy_issue *i)
{
    return i->has_severity &&
           policy_severity_cvss_equivalent(&i->severity) >= r->cve_request_min_cvss;
}

int policy_batch_select(const struct policy_issue *issue, const struct policy_release *rels,
                        size_t n, size_t *out_index)
{
    if (issue->fix_ready_at == POLICY_TIME_NONE)
        return RC_ENOTFOUND;
    size_t best = n;
    for (size_t i = 0; i < n; i++) {
        const struct policy_release *r = &rels[i];
        if (r->kind != POLICY_RELEASE_SCHEDULED || policy_release_final(r) ||
            issue->fix_ready_at > r->cutoff_at)
            continue;
        if (best == n || r->starts_at < rels[best].starts_at)
            best = i;
    }
    if (best == n)
        return RC_ENOTFOUND;
    *out_index = best;
    return 0;
}

static void refuse(struct policy_refusal *why, const char *code, int64_t limit)
{
    why->code = code;
    why->limit = limit;
}

int policy_oos_check(const struct policy_rules *r, int64_t now, int64_t date,
                     const struct policy_issue *issues, size_t n, struct policy_refusal *why)
{
    int64_t earliest = now + (int64_t)r->out_of_sequence_notice_days * DAY;
    char buf[TIME_RFC3339_SIZE];
    memset(why, 0, sizeof *why);
    if (date < earliest) {
        time_rfc3339_format(earliest, buf);
        refuse(why, "insufficient_notice", earliest);
        snprintf(why->message, sizeof why->message,
                 "an out-of-sequence release needs the notice period: the earliest allowed date "
                 "is %s",
                 buf);
        return RC_EPOLICY;
    }
    enum policy_level highest = POLICY_LEVEL_NONE;
    bool any = policy_issues_max_level(issues, n, &highest);
    if (!any || highest < r->out_of_sequence_min_level) {
        refuse(why, "severity_below_threshold", POLICY_TIME_NONE);
        snprintf(why->message, sizeof why->message,
                 "no issue reaches the out-of-sequence threshold (%s)",
                 policy_level_name(r->out_of_sequence_min_level));
        why->required = r->out_of_sequence_min_level;
        why->highest = highest;
        return RC_EPOLICY;
    }
    return 0;
}

int policy_move_check(const struct policy_rules *r, int64_t now, const struct policy_release *rel,
                      int64_t new_start, struct policy_refusal *why)
{
    char buf[TIME_RFC3339_SIZE];
    memset(why, 0, sizeof *why);
    if (policy_release_final(rel))
        return RC_ETRANSITION;
    if (new_start < rel->starts_at) {
        int64_t earliest = now + (int64_t)r->out_of_sequence_notice_days * DAY;
        if (new_start < earliest) {
            time_rfc3339_format(earliest, buf);
            refuse(why, "insufficient_notice", earliest);
            snprintf(why->message, sizeof why->message,
                     "moving a release earlier needs the notice period: the earliest allowed "
                     "date is %s",
                     buf);
            return RC_EPOLICY;
        }
    } else if (rel->distributors_notified_at != POLICY_TIME_NONE) {
        int64_t latest = rel->distributors_notified_at + (int64_t)r->max_embargo_days * DAY;
        if (new_start > latest) {
            time_rfc3339_format(latest, buf);
            refuse(why, "embargo_too_long", latest);
            snprintf(why->message, sizeof why->message,
                     "distributors hold the details since the notice; the maximum embargo ends "
                     "at %s",
                     buf);
            return RC_EPOLICY;
        }
    }
    return 0;
}

int policy_version_bump(const char *version, char out[POLICY_ID_MAX])
{
    const char *dot = strrchr(version, '.');
    const char *last = dot ? dot + 1 : version;
    if (!*last || strlen(last) > 9)
        return RC_EINVAL;
    long n = 0;
    for (const char *p = last; *p; p++) {
        if (*p < '0' || *p > '9')
            return RC_EINVAL;
        n = n * 10 + (*p - '0');
    }
    int prefix = (int)(last - version);
    if (snprintf(out, POLICY_ID_MAX, "%.*s%ld", prefix, version, n + 1) >= POLICY_ID_MAX)
        return RC_EINVAL;
    return 0;
}

bool policy_issues_max_level(const struct policy_issue *issues, size_t n, enum policy_level *out)
{
    bool any = false;
    enum policy_level max = POLICY_LEVEL_NONE;
    for (size_t i = 0; i < n; i++) {
        if (!issues[i].has_severity)
            continue;
        if (!any || issues[i].severity.level > max)
            max = issues[i].severity.level;
        any = true;
    }
    if (any)
        *out = max;
    return any;
}
