/* Local time in IANA zones (built from the bytes of a TZif file, with its POSIX TZ footer past
 * the last listed transition, see policy/tzrule.h): the conversions the cadence needs so that
 * 14:00 stays 14:00 local across DST. Pure: reading the file is config/zone.h's job, and a
 * project's zone is resolved once, at config load, and carried as policy_project.zone. A local time
 * in a spring-forward gap resolves to the instant after the gap (RFC 5545 section 3.3.5: 02:30
 * becomes 03:30); an ambiguous local time in a fall-back overlap resolves to its first occurrence.
 */
#ifndef RELCAL_POLICY_ZONE_H
#define RELCAL_POLICY_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct policy_zone; /* opaque; immutable once built */

#define POLICY_ZONE_NAME_MAX 64

struct policy_local {
    int64_t year;
    int month, day, hour, minute, second;
    int64_t day_number; /* local date as days since 1970-01-01 */
    int utc_offset;     /* seconds east of UTC */
};

/* Builds zone `name` (at most POLICY_ZONE_NAME_MAX - 1 characters) from the `len` bytes of its
 * TZif file (policy_tzif_parse). "UTC" and "Etc/UTC" need no bytes (tzif NULL): they are built
 * in. Returns 0, or RC_EPARSE for bytes that are not a TZif file (or none for another name).
 * On success *out is owned by the caller: policy_zone_free. */
int policy_zone_new(const char *name, const unsigned char *tzif, size_t len,
                    struct policy_zone **out);

void policy_zone_free(struct policy_zone *z);

/* The IANA name it was built with ("Europe/Berlin"). Borrowed: valid as long as z. */
const char *policy_zone_name(const struct policy_zone *z);
/* The local time of instant t in zone z for people, to the minute, the zone named:
 * "2027-02-09 14:00 Europe/Berlin". Every surface (page, feeds, messages, the CLI) says a local
 * time this way, with what it adds around it. */
#define POLICY_LOCAL_TEXT_SIZE (17 + POLICY_ZONE_NAME_MAX)
void policy_zone_local_text(const struct policy_zone *z, int64_t t,
                            char out[POLICY_LOCAL_TEXT_SIZE]);

/* The UTC instant of local date `day` (days since 1970-01-01) at `minute` after midnight. */
int64_t policy_zone_local_to_utc(const struct policy_zone *z, int64_t day, int minute);

void policy_zone_utc_to_local(const struct policy_zone *z, int64_t t, struct policy_local *out);

/* UTC offset in seconds east of UTC in effect at instant t. */
int policy_zone_offset_at(const struct policy_zone *z, int64_t t);

#endif
