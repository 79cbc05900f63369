/* Local time in IANA zones (the system tzdata's TZif files, with their POSIX TZ footer past the
 * last listed transition, see policy/tzrule.h): the conversions the cadence needs so that 14:00
 * stays 14:00 local across DST. A local time in a spring-forward gap resolves to the instant after
 * the gap (RFC 5545 section 3.3.5: 02:30 becomes 03:30); an ambiguous local time in a fall-back
 * overlap resolves to its first occurrence. */
#ifndef RELCAL_POLICY_ZONE_H
#define RELCAL_POLICY_ZONE_H

#include <stdbool.h>
#include <stdint.h>

struct policy_zone; /* opaque; zones live for the whole process */

struct policy_local {
    int64_t year;
    int month, day, hour, minute, second;
    int64_t day_number; /* local date as days since 1970-01-01 */
    int utc_offset;     /* seconds east of UTC */
};

/* True when `name` is a known IANA zone (a TZif file under /usr/share/zoneinfo that
 * policy/tzrule can read). "UTC" and "Etc/UTC" always exist. */
bool policy_zone_exists(const char *name);

/* Looks a zone up (loaded once, then cached). RC_ENOTFOUND for an unknown name. The zone is
 * borrowed and valid for the life of the process. */
int policy_zone_get(const char *name, const struct policy_zone **out);

/* The UTC instant of local date `day` (days since 1970-01-01) at `minute` after midnight. */
int64_t policy_zone_local_to_utc(const struct policy_zone *z, int64_t day, int minute);

void policy_zone_utc_to_local(const struct policy_zone *z, int64_t t, struct policy_local *out);

/* UTC offset in seconds east of UTC in effect at instant t. */
int policy_zone_offset_at(const struct policy_zone *z, int64_t t);

#endif
