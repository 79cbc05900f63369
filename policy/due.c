/* Due events of a release (see due.h and docs/POLICY.md). */
#include "policy/due.h"

#include "core/nelem.h"
#include "policy/rules.h"

bool policy_due_late(int64_t at, int64_t now)
{
    return now - at > POLICY_LATE_AFTER;
}

bool policy_issue_cve_missing(const struct policy_rules *r, const struct policy_issue *i)
{
    return i->status != POLICY_ISSUE_REJECTED && !i->has_cve && policy_issue_cve_recommended(r, i);
}

bool policy_issue_fix_missing(const struct policy_issue *i)
{
    return i->status != POLICY_ISSUE_FIX_READY && i->status != POLICY_ISSUE_RELEASED &&
           i->status != POLICY_ISSUE_REJECTED;
}

static bool ships_fix(const struct policy_due_release *in)
{
    for (size_t i = 0; i < in->n_issues; i++)
        if (in->issues[i].status == POLICY_ISSUE_FIX_READY ||
            in->issues[i].status == POLICY_ISSUE_RELEASED)
            return true;
    return false;
}

static void later(int64_t *next, int64_t at, int64_t now)
{
    if (at > now && (*next == POLICY_TIME_NONE || at < *next))
        *next = at;
}

void policy_due_apply(struct policy_release *rel, uint32_t *done, const struct policy_due_event *e,
                      int64_t now)
{
    switch (e->kind) {
    case POLICY_DUE_SKIP:
        *done |= POLICY_DONE_CUTOFF;
        rel->status = POLICY_RELEASE_SKIPPED;
        rel->sequence++; /* a status change raises the feed's SEQUENCE */
        break;
    case POLICY_DUE_CUTOFF:
        *done |= POLICY_DONE_CUTOFF;
        break;
    case POLICY_DUE_ANNOUNCE:
        *done |= POLICY_DONE_ANNOUNCE;
        rel->status = POLICY_RELEASE_ANNOUNCED; /* TENTATIVE -> CONFIRMED */
        rel->sequence++;
        rel->announced_at = now;
        break;
    case POLICY_DUE_ANNOUNCE_SKIPPED:
        *done |= POLICY_DONE_ANNOUNCE;
        break;
    case POLICY_DUE_DISTRIBUTOR_NOTICE:
        rel->distributors_notified_at = now;
        break;
    case POLICY_DUE_REMINDER:
        *done |= POLICY_DONE_REMINDER;
        break;
    case POLICY_DUE_RELEASE_DAY:
        *done |= POLICY_DONE_DUE;
        break;
    case POLICY_DUE_OVERDUE:
        *done |= POLICY_DONE_OVERDUE;
        break;
    case POLICY_DUE_KIND_COUNT:
        break;
    }
}

bool policy_due_release_idle(const struct policy_due_release *in)
{
    const struct policy_release *r = in->rel;
    if (r->kind == POLICY_RELEASE_SCHEDULED && r->cutoff_at < in->epoch)
        return true;
    /* A skipped window still owes its "no release" announcement; other final releases are
     * done. */
    return policy_release_final(r) &&
           !(r->status == POLICY_RELEASE_SKIPPED && !(in->done & POLICY_DONE_ANNOUNCE));
}

/* One pass of policy_due_release: the events so far, on a copy of the release that each event
 * updates (so each sees the state the previous ones leave). */
struct due_pass {
    const struct policy_due_release *in;
    int64_t now;
    struct policy_release r;
    uint32_t done;
    bool scheduled;
    struct policy_due_event *out;
    size_t n;
    int64_t *next;
};

static void emit(struct due_pass *d, enum policy_due_kind kind, int64_t at)
{
    d->out[d->n] =
        (struct policy_due_event){.kind = kind, .at = at, .late = policy_due_late(at, d->now)};
    policy_due_apply(&d->r, &d->done, &d->out[d->n], d->now);
    d->n++;
}

/* The cut-off's verdict when it has passed. Returns when an event at or after the cut-off may
 * come (POLICY_TIME_NONE: now; the window is judged). */
static int64_t cutoff_event(struct due_pass *d)
{
    const struct policy_release *r = &d->r;
    /* The cut-off is inclusive: the window is judged once its second has passed. */
    bool cutoff_judged =
        !d->scheduled || (d->done & POLICY_DONE_CUTOFF) || r->status != POLICY_RELEASE_PLANNED;
    if (d->scheduled && r->status == POLICY_RELEASE_PLANNED && !(d->done & POLICY_DONE_CUTOFF)) {
        if (r->cutoff_at < d->now) {
            emit(d, ships_fix(d->in) ? POLICY_DUE_CUTOFF : POLICY_DUE_SKIP, r->cutoff_at);
            cutoff_judged = true;
        } else {
            later(d->next, r->cutoff_at + 1, d->now);
        }
    }
    /* An event of a scheduled window at or after its cut-off waits for the cut-off's verdict,
     * so it tells the window's final content. */
    return cutoff_judged ? POLICY_TIME_NONE : d->r.cutoff_at + 1;
}

/* A scheduled window's announcement (or the announcement that it is skipped). */
static void announce_event(struct due_pass *d, int64_t wait_until)
{
    const struct policy_release *r = &d->r;
    if (!d->scheduled || (d->done & POLICY_DONE_ANNOUNCE))
        return;
    if (r->announce_at > d->now)
        later(d->next, r->announce_at, d->now);
    else if (r->announce_at >= r->cutoff_at && wait_until != POLICY_TIME_NONE)
        later(d->next, wait_until, d->now);
    else if (r->status == POLICY_RELEASE_SKIPPED)
        emit(d, POLICY_DUE_ANNOUNCE_SKIPPED, r->announce_at);
    else if (r->status == POLICY_RELEASE_PLANNED)
        emit(d, POLICY_DUE_ANNOUNCE, r->announce_at);
}

/* The distributor notice, when the release ships a fix and it has not gone out. */
static void notice_event(struct due_pass *d, int64_t wait_until)
{
    const struct policy_release *r = &d->r;
    if (r->distributors_notified_at != POLICY_TIME_NONE ||
        !(d->scheduled ? ships_fix(d->in) : d->in->n_issues > 0))
        return;
    if (r->distributor_notice_at > d->now)
        later(d->next, r->distributor_notice_at, d->now);
    else if (d->scheduled && r->distributor_notice_at >= r->cutoff_at &&
             wait_until != POLICY_TIME_NONE)
        later(d->next, wait_until, d->now);
    else
        emit(d, POLICY_DUE_DISTRIBUTOR_NOTICE, r->distributor_notice_at);
}

/* The reminder (after a notice), the release day and the overdue warning. */
static void day_events(struct due_pass *d)
{
    const struct {
        uint32_t bit;
        int64_t at;
        enum policy_due_kind kind;
        bool needs_notice;
    } rest[] = {
        {POLICY_DONE_REMINDER, d->r.reminder_at, POLICY_DUE_REMINDER, true},
        {POLICY_DONE_DUE, d->r.starts_at, POLICY_DUE_RELEASE_DAY, false},
        {POLICY_DONE_OVERDUE, d->r.starts_at + POLICY_OVERDUE_AFTER, POLICY_DUE_OVERDUE, false},
    };
    for (size_t k = 0; k < NELEM(rest); k++) {
        if ((d->done & rest[k].bit) ||
            (rest[k].needs_notice && d->r.distributors_notified_at == POLICY_TIME_NONE))
            continue;
        if (rest[k].at > d->now)
            later(d->next, rest[k].at, d->now);
        else
            emit(d, rest[k].kind, rest[k].at);
    }
}

size_t policy_due_release(const struct policy_due_release *in, int64_t now,
                          struct policy_due_event out[POLICY_DUE_EVENTS_MAX], int64_t *next)
{
    if (policy_due_release_idle(in))
        return 0;
    struct due_pass d = {.in = in,
                         .now = now,
                         .r = *in->rel,
                         .done = in->done,
                         .scheduled = in->rel->kind == POLICY_RELEASE_SCHEDULED,
                         .out = out,
                         .n = 0,
                         .next = next};
    /* What an out-of-sequence release owed before it existed falls due when it is created. */
    if (!d.scheduled && d.r.announce_at != POLICY_TIME_NONE) {
        if (d.r.distributor_notice_at < d.r.announce_at)
            d.r.distributor_notice_at = d.r.announce_at;
        if (d.r.reminder_at < d.r.announce_at)
            d.r.reminder_at = d.r.announce_at;
    }
    int64_t wait_until = cutoff_event(&d);
    announce_event(&d, wait_until);
    if (policy_release_final(&d.r))
        return d.n;
    notice_event(&d, wait_until);
    day_events(&d);
    return d.n;
}

const char *policy_due_message(enum policy_due_kind k)
{
    static const char *const names[POLICY_DUE_KIND_COUNT] = {
        [POLICY_DUE_SKIP] = NULL,
        [POLICY_DUE_CUTOFF] = NULL,
        [POLICY_DUE_ANNOUNCE] = "release.announced",
        [POLICY_DUE_ANNOUNCE_SKIPPED] = "release.skipped",
        [POLICY_DUE_DISTRIBUTOR_NOTICE] = "release.distributor_notice",
        [POLICY_DUE_REMINDER] = "release.distributor_reminder",
        [POLICY_DUE_RELEASE_DAY] = "release.due",
        [POLICY_DUE_OVERDUE] = "release.overdue",
    };
    return (unsigned)k < POLICY_DUE_KIND_COUNT ? names[k] : NULL;
}

unsigned policy_due_audiences(enum policy_due_kind k)
{
    enum {
        PUB = 1u << POLICY_AUDIENCE_PUBLIC,
        DIS = 1u << POLICY_AUDIENCE_DISTRIBUTORS,
        TEAM = 1u << POLICY_AUDIENCE_TEAM
    };
    static const unsigned who[POLICY_DUE_KIND_COUNT] = {
        [POLICY_DUE_SKIP] = 0,
        [POLICY_DUE_CUTOFF] = 0,
        [POLICY_DUE_ANNOUNCE] = PUB | TEAM,
        [POLICY_DUE_ANNOUNCE_SKIPPED] = PUB | TEAM,
        [POLICY_DUE_DISTRIBUTOR_NOTICE] = DIS | TEAM,
        [POLICY_DUE_REMINDER] = DIS,
        [POLICY_DUE_RELEASE_DAY] = TEAM,
        [POLICY_DUE_OVERDUE] = TEAM,
    };
    return (unsigned)k < POLICY_DUE_KIND_COUNT ? who[k] : 0;
}

const char *policy_due_action(enum policy_due_kind k)
{
    static const char *const names[POLICY_DUE_KIND_COUNT] = {
        [POLICY_DUE_SKIP] = "release.skip",
        [POLICY_DUE_CUTOFF] = NULL,
        [POLICY_DUE_ANNOUNCE] = "release.announce",
        [POLICY_DUE_ANNOUNCE_SKIPPED] = NULL,
        [POLICY_DUE_DISTRIBUTOR_NOTICE] = "release.distributor_notice",
        [POLICY_DUE_REMINDER] = "release.distributor_reminder",
        [POLICY_DUE_RELEASE_DAY] = "release.due",
        [POLICY_DUE_OVERDUE] = "release.overdue",
    };
    return (unsigned)k < POLICY_DUE_KIND_COUNT ? names[k] : NULL;
}
