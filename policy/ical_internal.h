/* Private to policy/: building libical times from day numbers. */
#ifndef RELCAL_POLICY_ICAL_INTERNAL_H
#define RELCAL_POLICY_ICAL_INTERNAL_H

#include <libical/ical.h>
#include <stdint.h>

/* A floating date-time: day number `day` at `seconds` after midnight (0..86399). */
struct icaltimetype policy__ical_time(int64_t day, int64_t seconds);

#endif
