/* Due events of a release (see due.h and docs/POLICY.md). */
#include "policy/due.h"

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

size_t policy_due_release(const struct policy_due_release *in, int64_t now,
                          struct policy_due_event out[POLICY_DUE_EVENTS_MAX], int64_t *next)
{
    if (policy_due_release_idle(in))
        return 0;
    /* Work on a copy: each event sees the state the previous ones leave. */
    struct policy_release r = *in->rel;
    uint32_t done = in->done;
    size_t n = 0;
    bool scheduled = r.kind == POLICY_RELEASE_SCHEDULED;
    /* What an out-of-sequence release owed before it existed falls due when it is created. */
    if (!scheduled && r.announce_at != POLICY_TIME_NONE) {
        if (r.distributor_notice_at < r.announce_at)
            r.distributor_notice_at = r.announce_at;
        if (r.reminder_at < r.announce_at)
            r.reminder_at = r.announce_at;
    }
#define EMIT(k, instant)                                                                           \
    do {                                                                                           \
        out[n] = (struct policy_due_event){                                                        \
            .kind = (k), .at = (instant), .late = policy_due_late((instant), now)};                \
        policy_due_apply(&r, &done, &out[n], now);                                                 \
        n++;                                                                                       \
    } while (0)

    /* The cut-off is inclusive: the window is judged once its second has passed. */
    bool cutoff_judged =
        !scheduled || (done & POLICY_DONE_CUTOFF) || r.status != POLICY_RELEASE_PLANNED;
    if (scheduled && r.status == POLICY_RELEASE_PLANNED && !(done & POLICY_DONE_CUTOFF)) {
        if (r.cutoff_at < now) {
            EMIT(ships_fix(in) ? POLICY_DUE_CUTOFF : POLICY_DUE_SKIP, r.cutoff_at);
            cutoff_judged = true;
        } else {
            later(next, r.cutoff_at + 1, now);
        }
    }
    /* An event of a scheduled window at or after its cut-off waits for the cut-off's verdict,
     * so it tells the window's final content. */
    int64_t wait_until = cutoff_judged ? POLICY_TIME_NONE : r.cutoff_at + 1;

    if (scheduled && !(done & POLICY_DONE_ANNOUNCE)) {
        if (r.announce_at > now) {
            later(next, r.announce_at, now);
        } else if (r.announce_at >= r.cutoff_at && wait_until != POLICY_TIME_NONE) {
            later(next, wait_until, now);
        } else if (r.status == POLICY_RELEASE_SKIPPED) {
            EMIT(POLICY_DUE_ANNOUNCE_SKIPPED, r.announce_at);
        } else if (r.status == POLICY_RELEASE_PLANNED) {
            EMIT(POLICY_DUE_ANNOUNCE, r.announce_at);
        }
    }
    if (policy_release_final(&r))
        return n;

    if (r.distributors_notified_at == POLICY_TIME_NONE &&
        (scheduled ? ships_fix(in) : in->n_issues > 0)) {
        if (r.distributor_notice_at > now)
            later(next, r.distributor_notice_at, now);
        else if (scheduled && r.distributor_notice_at >= r.cutoff_at &&
                 wait_until != POLICY_TIME_NONE)
            later(next, wait_until, now);
        else
            EMIT(POLICY_DUE_DISTRIBUTOR_NOTICE, r.distributor_notice_at);
    }
    const struct {
        uint32_t bit;
        int64_t at;
        enum policy_due_kind kind;
        bool needs_notice;
    } rest[] = {
        {POLICY_DONE_REMINDER, r.reminder_at, POLICY_DUE_REMINDER, true},
        {POLICY_DONE_DUE, r.starts_at, POLICY_DUE_RELEASE_DAY, false},
        {POLICY_DONE_OVERDUE, r.starts_at + POLICY_OVERDUE_AFTER, POLICY_DUE_OVERDUE, false},
    };
    for (size_t k = 0; k < sizeof rest / sizeof rest[0]; k++) {
        if ((done & rest[k].bit) ||
            (rest[k].needs_notice && r.distributors_notified_at == POLICY_TIME_NONE))
            continue;
        if (rest[k].at > now)
            later(next, rest[k].at, now);
        else
            EMIT(rest[k].kind, rest[k].at);
    }
#undef EMIT
    return n;
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
