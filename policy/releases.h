/* Release edges (docs/POLICY.md "Moving and cancelling releases", "Publishing", "Versions"):
 * moves that change nothing, the bounds of a release date, which issues block a publication,
 * whether a cancellation stretches the embargo, and the versions of every release of a project.
 * Pure functions of (policy, state, now). */
#ifndef RELCAL_POLICY_RELEASES_H
#define RELCAL_POLICY_RELEASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/rules.h"

/* A move to the instant the release already starts at changes nothing: no SEQUENCE, no
 * message, no audit row. */
bool policy_move_noop(const struct policy_release *rel, int64_t new_start);

#endif
