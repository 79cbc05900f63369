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
        why->limit = now;
        snprintf(why->message, sizeof why->message,
                 "date: must not be in the past (the earliest allowed date is %s)", buf);
        return RC_EINVAL;
    }
    int64_t latest = policy_release_latest(r, now);
    if (date > latest) {
        time_rfc3339_format(latest, buf);
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
    for (size_t i = 0; i < n; i++) {
        enum policy_issue_status st = issues[i].status;
        if (st != POLICY_ISSUE_FIX_READY && st != POLICY_ISSUE_REJECTED &&
            st != POLICY_ISSUE_RELEASED)
            out[k++] = i;
    }
    return k;
}
