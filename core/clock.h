/* An injectable clock: wall time (UTC, for policy decisions) and monotonic time (for timeouts),
 * either from the system, offset to start at a given instant and then run in real time
 * (`--now` / RELCAL_NOW), or fully fake for tests that must never sleep. */
#ifndef RELCAL_CORE_CLOCK_H
#define RELCAL_CORE_CLOCK_H

#include <stdint.h>

enum core_clock_kind { CORE_CLOCK_SYSTEM, CORE_CLOCK_OFFSET, CORE_CLOCK_FAKE };

struct core_clock {
    enum core_clock_kind kind;
    int64_t offset_ms;     /* OFFSET: wall = system wall + offset_ms */
    int64_t fake_wall_ms;  /* FAKE */
    uint64_t fake_mono_ms; /* FAKE */
};

void clock_init_system(struct core_clock *c);
/* Starts at `start_wall_ms` (Unix ms) now and advances in real time from there. */
void clock_init_offset(struct core_clock *c, int64_t start_wall_ms);
/* Frozen at `wall_ms`; moves only through clock_fake_advance(). */
void clock_init_fake(struct core_clock *c, int64_t wall_ms);
void clock_fake_advance(struct core_clock *c, int64_t ms);

/* Chooses the clock the way every command does: `now_arg` (from --now) if not NULL, else the
 * RELCAL_NOW environment variable if set and not empty, else the system clock. Returns RC_EPARSE
 * (leaving `c` untouched) if the chosen value is not RFC 3339. */
int clock_init_from_options(struct core_clock *c, const char *now_arg);

/* Unix time in milliseconds / seconds, UTC. */
int64_t clock_wall_ms(const struct core_clock *c);
int64_t clock_now(const struct core_clock *c);
/* Monotonic milliseconds from an arbitrary origin; never goes back. */
uint64_t clock_mono_ms(const struct core_clock *c);

#endif
