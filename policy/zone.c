/* IANA zones read from the system tzdata (TZif files under /usr/share/zoneinfo): the transition
 * table, and past its end (2037 in Debian's files) the POSIX TZ footer, both interpreted by
 * policy/tzrule. Only "offset at a UTC instant" comes from the data, which is unambiguous;
 * local-to-UTC is derived from it here so the gap and overlap rules are ours and tested. */
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
    char name[64];
    bool utc;
    struct policy_tzif data;
    struct policy_zone *next;
};

static struct policy_zone *zones; /* loaded zones, never freed (process lifetime) */

/* Zone files are a few kilobytes; anything larger is not one. */
#define TZIF_MAX_BYTES (256 * 1024)

static bool is_utc(const char *name)
{
    return strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0;
}

/* Reads and parses the zone file of `name`; false for a bad name or file. */
static bool tzif_load(const char *name, struct policy_tzif *out)
{
    if (!*name || name[0] == '/' || strstr(name, "..") || strlen(name) > 60)
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '/' || *p == '_' || *p == '-' || *p == '+'))
            return false;
    char path[128];
    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    unsigned char *buf = xmalloc(TZIF_MAX_BYTES);
    size_t n = fread(buf, 1, TZIF_MAX_BYTES, f);
    bool ok = !ferror(f) && n < TZIF_MAX_BYTES && policy_tzif_parse(buf, n, out) == 0;
    fclose(f);
    free(buf);
    return ok;
}

bool policy_zone_exists(const char *name)
{
    const struct policy_zone *z;
    return policy_zone_get(name, &z) == 0;
}

int policy_zone_get(const char *name, const struct policy_zone **out)
{
    if (!name)
        return RC_ENOTFOUND;
    for (struct policy_zone *z = zones; z; z = z->next) {
        if (strcmp(z->name, name) == 0) {
            *out = z;
            return 0;
        }
    }
    struct policy_tzif data = {0};
    bool utc = is_utc(name);
    if (!utc && !tzif_load(name, &data))
        return RC_ENOTFOUND;
    struct policy_zone *z = xcalloc(1, sizeof *z);
    snprintf(z->name, sizeof z->name, "%s", name);
    z->utc = utc;
    z->data = data;
    z->next = zones;
    zones = z;
    *out = z;
    return 0;
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
