/* POSIX TZ strings and TZif tables (RFC 8536), see policy/tzrule.h. */
#include "policy/tzrule.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/timeutil.h"
#include "core/xalloc.h"

/* A zone name: <...> quoted (alphanumerics, '+', '-') or at least three letters. */
static const char *parse_name(const char *s)
{
    const char *p = s;
    if (*p == '<') {
        for (p++; *p && *p != '>'; p++)
            if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                  (*p >= '0' && *p <= '9') || *p == '+' || *p == '-'))
                return NULL;
        if (*p != '>' || p - s < 4)
            return NULL;
        return p + 1;
    }
    while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
        p++;
    return p - s >= 3 ? p : NULL;
}

static const char *parse_int(const char *s, int max, int *out)
{
    if (*s < '0' || *s > '9')
        return NULL;
    int v = 0;
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (*s++ - '0');
        if (v > max)
            return NULL;
    }
    *out = v;
    return s;
}

/* [+-]hh[:mm[:ss]] with hours up to max_hours, as signed seconds. */
static const char *parse_hms(const char *s, int max_hours, int32_t *out)
{
    int sign = 1, h, m = 0, sec = 0;
    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    if (!(s = parse_int(s, max_hours, &h)))
        return NULL;
    if (*s == ':') {
        if (!(s = parse_int(s + 1, 59, &m)))
            return NULL;
        if (*s == ':' && !(s = parse_int(s + 1, 59, &sec)))
            return NULL;
    }
    *out = sign * (h * 3600 + m * 60 + sec);
    return s;
}

static const char *parse_date(const char *s, struct policy_tzrule_date *d)
{
    memset(d, 0, sizeof *d);
    d->time = 2 * 3600;
    if (*s == 'J') {
        d->kind = 'J';
        if (!(s = parse_int(s + 1, 365, &d->n)) || d->n < 1)
            return NULL;
    } else if (*s == 'M') {
        d->kind = 'M';
        if (!(s = parse_int(s + 1, 12, &d->month)) || d->month < 1 || *s != '.')
            return NULL;
        if (!(s = parse_int(s + 1, 5, &d->week)) || d->week < 1 || *s != '.')
            return NULL;
        if (!(s = parse_int(s + 1, 6, &d->weekday)))
            return NULL;
    } else {
        d->kind = 'D';
        if (!(s = parse_int(s, 365, &d->n)))
            return NULL;
    }
    if (*s == '/' && !(s = parse_hms(s + 1, 167, &d->time)))
        return NULL;
    return s;
}

int policy_tzrule_parse(const char *s, struct policy_tzrule *out)
{
    memset(out, 0, sizeof *out);
    int32_t off;
    if (!s || !(s = parse_name(s)) || !(s = parse_hms(s, 24, &off)))
        return RC_EPARSE;
    out->std_offset = -off;
    out->dst_offset = out->std_offset;
    if (!*s)
        return 0;
    if (!(s = parse_name(s)))
        return RC_EPARSE;
    out->has_dst = true;
    out->dst_offset = out->std_offset + 3600;
    if (*s != ',') {
        if (!(s = parse_hms(s, 24, &off)))
            return RC_EPARSE;
        out->dst_offset = -off;
    }
    if (*s != ',' || !(s = parse_date(s + 1, &out->start)) || *s != ',' ||
        !(s = parse_date(s + 1, &out->end)) || *s)
        return RC_EPARSE;
    return 0;
}

/* Local (wall-clock) seconds since the epoch at which rule date d falls in year y. */
static int64_t date_in_year(const struct policy_tzrule_date *d, int64_t y)
{
    int64_t day;
    if (d->kind == 'J') {
        day = civil_to_days(y, 1, 1) + d->n - 1 + (civil_is_leap(y) && d->n >= 60 ? 1 : 0);
    } else if (d->kind == 'D') {
        day = civil_to_days(y, 1, 1) + d->n;
    } else {
        int64_t first = civil_to_days(y, d->month, 1);
        int wd = civil_weekday(first) % 7; /* 0 = Sunday */
        int dom = 1 + (d->weekday - wd + 7) % 7 + 7 * (d->week - 1);
        while (dom > civil_days_in_month(y, d->month))
            dom -= 7;
        day = first + dom - 1;
    }
    return day * SECONDS_PER_DAY + d->time;
}

int32_t policy_tzrule_offset_at(const struct policy_tzrule *r, int64_t t)
{
    if (!r->has_dst)
        return r->std_offset;
    int64_t y;
    int m, d;
    civil_from_days(civil_day_of(t), &y, &m, &d);
    /* The start is written in standard time, the end in daylight time. */
    int64_t start = date_in_year(&r->start, y) - r->std_offset;
    int64_t end = date_in_year(&r->end, y) - r->dst_offset;
    bool dst = start < end ? (start <= t && t < end) : !(end <= t && t < start);
    return dst ? r->dst_offset : r->std_offset;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct tzif_header {
    uint32_t isut, isstd, leap, time, type, chars;
};

static int read_header(const unsigned char *buf, size_t len, struct tzif_header *h, char *version)
{
    if (len < 44 || memcmp(buf, "TZif", 4) != 0)
        return RC_EPARSE;
    *version = (char)buf[4];
    h->isut = be32(buf + 20);
    h->isstd = be32(buf + 24);
    h->leap = be32(buf + 28);
    h->time = be32(buf + 32);
    h->type = be32(buf + 36);
    h->chars = be32(buf + 40);
    if (h->type == 0 || h->type > 256 || h->time > 100000 || h->chars > 100000 ||
        h->leap > 100000 || (h->isut && h->isut != h->type) || (h->isstd && h->isstd != h->type))
        return RC_EPARSE;
    return 0;
}

static size_t block_size(const struct tzif_header *h, size_t time_size)
{
    return (size_t)h->time * time_size + h->time + (size_t)h->type * 6 + h->chars +
           (size_t)h->leap * (time_size + 4) + h->isstd + h->isut;
}

int policy_tzif_parse(const unsigned char *buf, size_t len, struct policy_tzif *out)
{
    memset(out, 0, sizeof *out);
    struct tzif_header h;
    char version;
    if (read_header(buf, len, &h, &version) < 0)
        return RC_EPARSE;
    size_t time_size = 4, v1 = 44 + block_size(&h, 4);
    const unsigned char *p = buf + 44, *end = buf + len;
    if (v1 > len)
        return RC_EPARSE;
    if (version >= '2') {
        if (read_header(buf + v1, len - v1, &h, &version) < 0)
            return RC_EPARSE;
        time_size = 8;
        p = buf + v1 + 44;
        if (block_size(&h, 8) > (size_t)(end - p))
            return RC_EPARSE;
    }
    const unsigned char *times = p, *idx = p + (size_t)h.time * time_size;
    const unsigned char *types = idx + h.time;
    const unsigned char *footer = p + block_size(&h, time_size);
    if (version >= '2') {
        /* "\n" POSIX TZ "\n"; an empty string means no rule past the table. */
        if (footer >= end || *footer != '\n')
            return RC_EPARSE;
        const unsigned char *nl = memchr(footer + 1, '\n', (size_t)(end - footer - 1));
        if (!nl || nl - footer > 128)
            return RC_EPARSE;
        if (nl > footer + 1) {
            char tz[130];
            memcpy(tz, footer + 1, (size_t)(nl - footer - 1));
            tz[nl - footer - 1] = '\0';
            if (policy_tzrule_parse(tz, &out->footer) < 0)
                return RC_EPARSE;
            out->has_footer = true;
        }
    }
    out->initial_offset = (int32_t)be32(types);
    out->n = h.time;
    out->times = xcalloc(h.time ? h.time : 1, sizeof *out->times);
    out->offsets = xcalloc(h.time ? h.time : 1, sizeof *out->offsets);
    for (uint32_t i = 0; i < h.time; i++) {
        out->times[i] = time_size == 8 ? be64(times + 8 * i) : (int32_t)be32(times + 4 * i);
        if (idx[i] >= h.type || (i > 0 && out->times[i] <= out->times[i - 1])) {
            policy_tzif_free(out);
            return RC_EPARSE;
        }
        out->offsets[i] = (int32_t)be32(types + 6 * (size_t)idx[i]);
    }
    return 0;
}

void policy_tzif_free(struct policy_tzif *z)
{
    free(z->times);
    free(z->offsets);
    memset(z, 0, sizeof *z);
}

int32_t policy_tzif_offset_at(const struct policy_tzif *z, int64_t t)
{
    if (z->n == 0 || t >= z->times[z->n - 1]) {
        if (z->has_footer)
            return policy_tzrule_offset_at(&z->footer, t);
        return z->n ? z->offsets[z->n - 1] : z->initial_offset;
    }
    if (t < z->times[0])
        return z->initial_offset;
    size_t lo = 0, hi = z->n - 1; /* times[lo] <= t < times[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->times[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    return z->offsets[lo];
}
