/* The issue lifecycle of docs/POLICY.md as a table: reported -> acknowledged -> investigating ->
 * confirmed -> fix_ready -> released; investigating may be skipped; rejected from any state
 * before released; fix_ready -> confirmed when a fix is withdrawn. `released` is reached only by
 * publishing the release (policy_issue_release). */
#ifndef RELCAL_POLICY_LIFECYCLE_H
#define RELCAL_POLICY_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>

#include "policy/types.h"

bool policy_issue_transition_allowed(enum policy_issue_status from, enum policy_issue_status to);
/* The statuses reachable from `from` by an update, in lifecycle order. */
size_t policy_issue_transitions_from(enum policy_issue_status from,
                                     enum policy_issue_status out[POLICY_ISSUE_STATUS_COUNT]);
/* Moves the issue and stamps its instants: acknowledged_at, responded_at (first move out of
 * acknowledged), fix_ready_at (cleared when the fix is withdrawn). RC_ETRANSITION when not
 * allowed; the issue is unchanged then. */
int policy_issue_apply_transition(struct policy_issue *i, enum policy_issue_status to, int64_t now);
/* Publication: the issue becomes released at `now`. */
void policy_issue_release(struct policy_issue *i, int64_t now);

#endif
