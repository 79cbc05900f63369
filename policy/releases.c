/* Release edges: no-op moves, date bounds, publication blockers, cancellation after the
 * distributor notice, version numbering (docs/POLICY.md). */
#include "policy/releases.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/timeutil.h"

bool policy_move_noop(const struct policy_release *rel, int64_t new_start)
{
    return rel->starts_at == new_start;
}
