/* System, offset and fake clocks behind one small struct (see clock.h). */
#include "core/clock.h"

#include <stdlib.h>
#include <time.h>

#include "core/err.h"
#include "core/timeutil.h"

static int64_t system_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t system_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void clock_init_system(struct core_clock *c)
{
    *c = (struct core_clock){.kind = CORE_CLOCK_SYSTEM};
}

void clock_init_offset(struct core_clock *c, int64_t start_wall_ms)
{
    *c = (struct core_clock){.kind = CORE_CLOCK_OFFSET,
                             .offset_ms = start_wall_ms - system_wall_ms()};
}

void clock_init_fake(struct core_clock *c, int64_t wall_ms)
{
    *c = (struct core_clock){.kind = CORE_CLOCK_FAKE, .fake_wall_ms = wall_ms, .fake_mono_ms = 0};
}

void clock_fake_advance(struct core_clock *c, int64_t ms)
{
    c->fake_wall_ms += ms;
    if (ms > 0)
        c->fake_mono_ms += (uint64_t)ms;
}

int clock_init_from_options(struct core_clock *c, const char *now_arg)
{
    const char *v = now_arg;
    if (!v) {
        const char *env = getenv("RELCAL_NOW");
        if (env && *env)
            v = env;
    }
    if (!v) {
        clock_init_system(c);
        return 0;
    }
    int64_t t;
    int rc = time_rfc3339_parse(v, &t);
    if (rc < 0)
        return rc;
    clock_init_offset(c, t * 1000);
    return 0;
}

int64_t clock_wall_ms(const struct core_clock *c)
{
    switch (c->kind) {
    case CORE_CLOCK_OFFSET:
        return system_wall_ms() + c->offset_ms;
    case CORE_CLOCK_FAKE:
        return c->fake_wall_ms;
    case CORE_CLOCK_SYSTEM:
    default:
        return system_wall_ms();
    }
}

int64_t clock_now(const struct core_clock *c)
{
    int64_t ms = clock_wall_ms(c);
    return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

uint64_t clock_mono_ms(const struct core_clock *c)
{
    return c->kind == CORE_CLOCK_FAKE ? c->fake_mono_ms : system_mono_ms();
}
