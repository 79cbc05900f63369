/* Issue state machine (docs/POLICY.md "Lifecycles"), as data. */
#include "policy/lifecycle.h"

#include "core/err.h"

#define BIT(s) (1u << (s))

static const unsigned allowed[POLICY_ISSUE_STATUS_COUNT] = {
    [POLICY_ISSUE_REPORTED] = BIT(POLICY_ISSUE_ACKNOWLEDGED) | BIT(POLICY_ISSUE_REJECTED),
    [POLICY_ISSUE_ACKNOWLEDGED] =
        BIT(POLICY_ISSUE_INVESTIGATING) | BIT(POLICY_ISSUE_CONFIRMED) | BIT(POLICY_ISSUE_REJECTED),
    [POLICY_ISSUE_INVESTIGATING] = BIT(POLICY_ISSUE_CONFIRMED) | BIT(POLICY_ISSUE_REJECTED),
    [POLICY_ISSUE_CONFIRMED] = BIT(POLICY_ISSUE_FIX_READY) | BIT(POLICY_ISSUE_REJECTED),
    [POLICY_ISSUE_FIX_READY] = BIT(POLICY_ISSUE_CONFIRMED) | BIT(POLICY_ISSUE_REJECTED),
    [POLICY_ISSUE_RELEASED] = 0,
    [POLICY_ISSUE_REJECTED] = 0,
};

bool policy_issue_transition_allowed(enum policy_issue_status from, enum policy_issue_status to)
{
    return (unsigned)from < POLICY_ISSUE_STATUS_COUNT && (unsigned)to < POLICY_ISSUE_STATUS_COUNT &&
           (allowed[from] & BIT(to)) != 0;
}

size_t policy_issue_transitions_from(enum policy_issue_status from,
                                     enum policy_issue_status out[POLICY_ISSUE_STATUS_COUNT])
{
    size_t n = 0;
    for (int to = 0; to < POLICY_ISSUE_STATUS_COUNT; to++)
        if (policy_issue_transition_allowed(from, (enum policy_issue_status)to))
            out[n++] = (enum policy_issue_status)to;
    return n;
}

int policy_issue_apply_transition(struct policy_issue *i, enum policy_issue_status to, int64_t now)
{
    if (!policy_issue_transition_allowed(i->status, to))
        return RC_ETRANSITION;
    if (to == POLICY_ISSUE_ACKNOWLEDGED)
        i->acknowledged_at = now;
    if (i->status == POLICY_ISSUE_ACKNOWLEDGED && i->responded_at == POLICY_TIME_NONE)
        i->responded_at = now;
    if (to == POLICY_ISSUE_REJECTED && i->responded_at == POLICY_TIME_NONE)
        i->responded_at = now; /* closing a report is a response */
    if (to == POLICY_ISSUE_FIX_READY)
        i->fix_ready_at = now;
    if (i->status == POLICY_ISSUE_FIX_READY && to == POLICY_ISSUE_CONFIRMED)
        i->fix_ready_at = POLICY_TIME_NONE; /* the fix was withdrawn */
    i->status = to;
    return 0;
}

void policy_issue_release(struct policy_issue *i, int64_t now)
{
    i->status = POLICY_ISSUE_RELEASED;
    i->released_at = now;
}
