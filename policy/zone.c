/* IANA zones from the bytes of their TZif files: the transition table, and past its end (2037
 * in Debian's files) the POSIX TZ footer, both interpreted by policy/tzrule. Only "offset at a
 * UTC instant" comes from the data, which is unambiguous; local-to-UTC is derived from it here
 * so the gap and overlap rules are ours and tested. No file access and no state: the bytes are
 * read by config/zone.c. */
#include "policy/zone.h"

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "policy/ical_internal.h"
#include "policy/tzrule.h"

struct policy_zone {
    char name[POLICY_ZONE_NAME_MAX];
    bool utc;
    struct policy_tzif data;
};

static bool is_utc(const char *name)
{
    return strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0;
}

int policy_zone_new(const char *name, const unsigned char *tzif, size_t len,
                    struct policy_zone **out)
{
    if (!name || strlen(name) >= POLICY_ZONE_NAME_MAX)
        return RC_EPARSE;
    struct policy_tzif data = {0};
    bool utc = !tzif && is_utc(name);
    if (!utc && (!tzif || policy_tzif_parse(tzif, len, &data) < 0))
        return RC_EPARSE;
    struct policy_zone *z = xcalloc(1, sizeof *z);
    snprintf(z->name, sizeof z->name, "%s", name);
    z->utc = utc;
    z->data = data;
    *out = z;
    return 0;
}

void policy_zone_free(struct policy_zone *z)
{
    if (!z)
        return;
    if (!z->utc)
        policy_tzif_free(&z->data);
    free(z);
}

const char *policy_zone_name(const struct policy_zone *z)
{
    return z->name;
}

int policy_zone_offset_at(const struct policy_zone *z, int64_t t)
{
    return z->utc ? 0 : policy_tzif_offset_at(&z->data, t);
}

int64_t policy_zone_local_to_utc(const struct policy_zone *z, int64_t day, int minute)
{
    int64_t local = day * SECONDS_PER_DAY + (int64_t)minute * 60;
    if (z->utc)
        return local;
    /* Offsets in force well before and well after the local time: a transition near it lies
     * between the two. */
    int before = policy_zone_offset_at(z, local - 86400);
    int after = policy_zone_offset_at(z, local + 86400);
    int64_t t_before = local - before, t_after = local - after;
    bool ok_before = policy_zone_offset_at(z, t_before) == before;
    bool ok_after = policy_zone_offset_at(z, t_after) == after;
    if (ok_before && ok_after)
        return t_before < t_after ? t_before : t_after; /* overlap: first occurrence */
    if (ok_before)
        return t_before;
    if (ok_after)
        return t_after;
    /* In a gap: read the wall clock with the offset from before the gap, which lands after it
     * (02:30 + 1 h standard = 01:30Z = 03:30 summer time). */
    return t_before;
}

void policy_zone_utc_to_local(const struct policy_zone *z, int64_t t, struct policy_local *out)
{
    int off = policy_zone_offset_at(z, t);
    int64_t local = t + off;
    int64_t days = civil_day_of(local);
    int64_t secs = local - days * SECONDS_PER_DAY;
    civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(secs / 3600);
    out->minute = (int)(secs / 60 % 60);
    out->second = (int)(secs % 60);
    out->day_number = days;
    out->utc_offset = off;
}

void policy_zone_local_text(const struct policy_zone *z, int64_t t,
                            char out[POLICY_LOCAL_TEXT_SIZE])
{
    struct policy_local l;
    policy_zone_utc_to_local(z, t, &l);
    snprintf(out, POLICY_LOCAL_TEXT_SIZE, "%04d-%02d-%02d %02d:%02d %s", (int)l.year, l.month,
             l.day, l.hour, l.minute, policy_zone_name(z));
}

struct icaltimetype policy__ical_time(int64_t day, int64_t seconds)
{
    int64_t y;
    int m, d;
    civil_from_days(day, &y, &m, &d);
    struct icaltimetype t = icaltime_null_time();
    t.year = (int)y;
    t.month = m;
    t.day = d;
    t.hour = (int)(seconds / 3600);
    t.minute = (int)(seconds / 60 % 60);
    t.second = (int)(seconds % 60);
    t.is_date = 0;
    return t;
}
