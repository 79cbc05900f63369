/* libFuzzer target: cadence handling (policy/cadence.h). The input picks a zone, a start, a
 * release time and a run of holidays, then gives the RRULE text; a rule that passes
 * policy_cadence_check (as the config loader requires) is expanded over about 13 months into
 * at most 32 windows, which must be in strict order (no two on one instant) and inside the
 * range asked for. The range and the count are bounded so that every input runs fast. Every
 * input is also said in words (policy/cadence_text.h). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/zone.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "policy/cadence.h"
#include "policy/cadence_text.h"
#include "policy/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const zones[] = {
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Pacific/Apia",
    "Asia/Kathmandu",
    "America/Santiago",
    "Africa/Casablanca",
    "Pacific/Chatham",
    "America/St_Johns",
    "Europe/London",
    "Antarctica/Troll",
};
#define N_ZONES (sizeof zones / sizeof zones[0])

/* Each zone resolved once (config/zone.h), kept for the life of the fuzzer. */
static const struct policy_zone *resolved(size_t i)
{
    static struct policy_zone *loaded[N_ZONES];
    if (!loaded[i] && config_zone_load(zones[i], &loaded[i]) < 0)
        abort();
    return loaded[i];
}
#define WINDOWS    32
#define RANGE_DAYS 400

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    struct policy_project p;
    memset(&p, 0, sizeof p);
    snprintf(p.id, sizeof p.id, "%s", "p");
    snprintf(p.timezone, sizeof p.timezone, "%s", zones[data[0] % N_ZONES]);
    p.zone = resolved(data[0] % N_ZONES);
    policy_rules_defaults(&p.rules);
    /* From 2019-12-01 up to about 21 years later, in steps of 30 days. */
    int64_t from = (civil_to_days(2019, 12, 1) + (int64_t)data[1] * 30) * 86400 + data[3] * 337;
    int64_t to = from + (int64_t)RANGE_DAYS * 86400;
    p.rules.release_minute = (data[3] * 6) % 1440;
    /* A run of consecutive holidays (the worst case for the shift) starting at `from`. */
    size_t n_holidays = (size_t)data[2] * 2;
    if (n_holidays > POLICY_HOLIDAYS_MAX)
        n_holidays = POLICY_HOLIDAYS_MAX;
    for (size_t i = 0; i < n_holidays; i++)
        p.rules.holidays[i] = civil_day_of(from) + (int64_t)i;
    p.rules.n_holidays = n_holidays;
    size_t len = size - 4 < sizeof p.rules.cadence - 1 ? size - 4 : sizeof p.rules.cadence - 1;
    memcpy(p.rules.cadence, data + 4, len);
    p.rules.cadence[len] = '\0';

    /* The cadence in words (policy/cadence_text.h) takes any text and stays in its buffer. */
    char words[POLICY_CADENCE_TEXT_MAX];
    policy_cadence_text(p.rules.cadence, p.rules.release_minute, p.timezone, words, sizeof words);
    if (strnlen(words, sizeof words) == sizeof words)
        abort();

    char err[160];
    if (policy_cadence_check(p.rules.cadence, from, err, sizeof err) != 0)
        return 0;
    struct policy_release w[WINDOWS];
    size_t n = 0;
    int rc = policy_cadence_windows(&p, from, to, w, WINDOWS, &n);
    if (rc < 0 && rc != RC_ETOOBIG)
        return 0;
    if (n > WINDOWS)
        abort();
    for (size_t i = 0; i < n; i++) {
        if (w[i].starts_at < from || w[i].starts_at >= to || w[i].ends_at < w[i].starts_at)
            abort();
        /* In order, and never two on one instant (a holiday shift does not stack them). */
        if (i > 0 && w[i].starts_at <= w[i - 1].starts_at)
            abort();
    }
    return 0;
}
