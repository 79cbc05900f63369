/* A project's cadence in English for people (the public page): "second Tuesday of February,
 * May, August and November, 14:00 Europe/Berlin" instead of the RRULE. Pure: it reads only the
 * rule text (no libical, no zone files), so it cannot disagree with the expansion about
 * anything but words; shapes it cannot say are given as the rule itself (docs/POLICY.md
 * "Cadence in words"). */
#ifndef RELCAL_POLICY_CADENCE_TEXT_H
#define RELCAL_POLICY_CADENCE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Large enough for any fallback: the rule (POLICY_RRULE_MAX) plus the time and zone. */
#define POLICY_CADENCE_TEXT_MAX 768

/* Writes the cadence `rrule` at `release_minute` (minutes after local midnight) in zone `tz`
 * to out: "<days>, HH:MM <tz>" and returns true; or, for a rule it cannot say in words,
 * "the iCalendar rule <rrule>, HH:MM <tz>" and returns false. The words follow the expansion's
 * anchor (policy/cadence.h: DTSTART 2020-01-01), which fixes what a rule leaves to DTSTART
 * (the weekday of a WEEKLY rule without BYDAY, the phase of an INTERVAL). */
bool policy_cadence_text(const char *rrule, int release_minute, const char *tz, char *out,
                         size_t out_len);

#endif
