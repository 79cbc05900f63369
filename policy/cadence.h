/* Scheduled release windows from a project's cadence: an RFC 5545 RRULE expanded with libical
 * in the project's local time at release_time (so 14:00 stays 14:00 across DST), holidays
 * shifting an instance to the next Monday-Friday that is neither a holiday nor already a window
 * (or, when the next 10 working days all have one, merging it into them) while its id stays the
 * original local date (docs/POLICY.md "Holidays").
 *
 * Anchor: the rule is expanded from DTSTART = 2020-01-01 at release_time, local. COUNT counts
 * from there and INTERVAL is phased from there, so the set of instances never depends on the
 * range asked for. The anchor itself is an instance only if the rule matches it. */
#ifndef RELCAL_POLICY_CADENCE_H
#define RELCAL_POLICY_CADENCE_H

#include <stddef.h>
#include <stdint.h>

#include "policy/types.h"

#define POLICY_CADENCE_ANCHOR_YEAR 2020

/* Validates a rule: it parses, FREQ is DAILY, WEEKLY, MONTHLY or YEARLY, it has no
 * BYHOUR/BYMINUTE/BYSECOND (the time of day is release_time), BYWEEKNO only with FREQ=YEARLY
 * and plain weekdays, and it yields an instance within 10 years of `from`. Returns 0, or RC_EPARSE
 * / RC_ENOMATCH with a message in err. Bounded: a rule that can never match is refused without a
 * long search. */
int policy_cadence_check(const char *rrule, int64_t from, char *err, size_t err_len);

/* Scheduled windows whose (holiday-shifted) start lies in [from, to), in order. Each is kind
 * SCHEDULED, status PLANNED, sequence 0, id the original local date, starts_at/ends_at set;
 * derived instants (cutoff_at...) are set with policy_release_derive; what-happened instants are
 * POLICY_TIME_NONE. Writes at most `cap` windows; *n_out is the number written. Returns 0,
 * RC_ENOTFOUND when p->zone is NULL (not resolved), RC_EPARSE for a bad rule, RC_ETOOBIG when more
 * than `cap` windows fall in the range (the first `cap` are written). */
int policy_cadence_windows(const struct policy_project *p, int64_t from, int64_t to,
                           struct policy_release *out, size_t cap, size_t *n_out);

/* The same windows, all of them, in a new array: the rule is expanded once (no retry with a
 * larger cap). On success *out is owned by the caller (free) and *n_out may be 0; on failure
 * *out is NULL. Returns 0, RC_ENOTFOUND or RC_EPARSE as above, never RC_ETOOBIG. */
int policy_cadence_windows_all(const struct policy_project *p, int64_t from, int64_t to,
                               struct policy_release **out, size_t *n_out);

#endif
