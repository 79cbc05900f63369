/* The cadence in words (docs/POLICY.md "Cadence in words"). The rule is read as RFC 5545
 * section 3.3.10 writes it: FREQ, INTERVAL, BYDAY (with ordinals), BYMONTH and BYMONTHDAY are
 * said; WKST changes nothing that is said; anything else (COUNT, UNTIL, BYSETPOS, BYWEEKNO,
 * BYYEARDAY, ...) and any combination without plain words falls back to the rule itself. */
#include "policy/cadence_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "policy/cadence.h"

enum freq { F_NONE = 0, F_DAILY, F_WEEKLY, F_MONTHLY, F_YEARLY };

#define MAX_ITEMS 32

struct rule {
    enum freq freq;
    int interval;
    struct {
        int ord; /* 0 for every such weekday */
        int wd;  /* 0 Monday .. 6 Sunday */
    } days[MAX_ITEMS];
    size_t n_days;
    bool month[13]; /* [1..12] */
    bool has_month;
    int monthdays[MAX_ITEMS];
    size_t n_monthdays;
};

static const char *const weekday[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                       "Friday", "Saturday", "Sunday"};
static const char *const weekday_code[7] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
static const char *const month_name[13] = {"",        "January",  "February", "March",  "April",
                                           "May",     "June",     "July",     "August", "September",
                                           "October", "November", "December"};
/* Ordinal words 1..12: "first" .. "twelfth". */
static const char *const nth[13] = {"",      "first",    "second",  "third",  "fourth",
                                    "fifth", "sixth",    "seventh", "eighth", "ninth",
                                    "tenth", "eleventh", "twelfth"};
/* The weekday of the expansion's anchor, 2020-01-01 (policy/cadence.h): a Wednesday. */
#define ANCHOR_WEEKDAY 2

struct out {
    char *p;
    size_t len, used;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
    if (o->used >= o->len)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->p + o->used, o->len - o->used, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->used = o->used + (size_t)n < o->len ? o->used + (size_t)n : o->len - 1;
}

/* ", " between items and " and " before the last one. */
static void sep(struct out *o, size_t i, size_t n)
{
    if (i > 0)
        put(o, "%s", i + 1 == n ? " and " : ", ");
}

static bool parse_int(const char *s, int lo, int hi, int *out)
{
    /* Digits with an optional minus only (strtol would also take spaces and a plus). */
    if (!(s[0] >= '0' && s[0] <= '9') && !(s[0] == '-' && s[1] >= '0' && s[1] <= '9'))
        return false;
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

static bool parse_weekday(const char *s, int *wd)
{
    for (int i = 0; i < 7; i++)
        if (strcasecmp(s, weekday_code[i]) == 0) {
            *wd = i;
            return true;
        }
    return false;
}

/* Splits a comma list in place; calls one(item) for each. */
static bool each_item(char *list, bool (*one)(struct rule *, char *), struct rule *r)
{
    /* No empty item: "", ",TU", "TU,,TH" and "TU," are not lists of weekdays. */
    if (!*list || *list == ',' || list[strlen(list) - 1] == ',' || strstr(list, ",,"))
        return false;
    for (char *save = NULL, *it = strtok_r(list, ",", &save); it; it = strtok_r(NULL, ",", &save))
        if (!one(r, it))
            return false;
    return true;
}

static bool byday(struct rule *r, char *it)
{
    size_t n = strlen(it);
    if (n < 2 || r->n_days == MAX_ITEMS)
        return false;
    int wd, ord = 0;
    if (!parse_weekday(it + n - 2, &wd))
        return false;
    it[n - 2] = '\0';
    if (it[0] == '+' && it[1] == '-')
        return false;
    if (*it && !parse_int(it[0] == '+' ? it + 1 : it, -53, 53, &ord))
        return false;
    if (*it && ord == 0)
        return false;
    r->days[r->n_days].ord = ord;
    r->days[r->n_days++].wd = wd;
    return true;
}

static bool bymonth(struct rule *r, char *it)
{
    int m;
    if (!parse_int(it, 1, 12, &m))
        return false;
    r->month[m] = true;
    r->has_month = true;
    return true;
}

static bool bymonthday(struct rule *r, char *it)
{
    int d;
    if (r->n_monthdays == MAX_ITEMS || !parse_int(it, -31, 31, &d) || d == 0)
        return false;
    r->monthdays[r->n_monthdays++] = d;
    return true;
}

static bool parse(const char *rrule, struct rule *r)
{
    memset(r, 0, sizeof *r);
    r->interval = 1;
    char copy[POLICY_CADENCE_TEXT_MAX];
    if (!rrule || strlen(rrule) >= sizeof copy)
        return false;
    snprintf(copy, sizeof copy, "%s", rrule);
    unsigned seen = 0;
    for (char *save = NULL, *part = strtok_r(copy, ";", &save); part;
         part = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(part, '=');
        if (!eq)
            return false;
        *eq = '\0';
        char *v = eq + 1;
        static const char *const keys[] = {"FREQ",    "INTERVAL",   "BYDAY",
                                           "BYMONTH", "BYMONTHDAY", "WKST"};
        size_t k = 0;
        while (k < 6 && strcasecmp(part, keys[k]) != 0)
            k++;
        if (k == 6 || (seen & (1u << k)))
            return false; /* COUNT, UNTIL, BYSETPOS, ... or a key twice */
        seen |= 1u << k;
        int wd;
        switch (k) {
        case 0:
            r->freq = strcasecmp(v, "DAILY") == 0     ? F_DAILY
                      : strcasecmp(v, "WEEKLY") == 0  ? F_WEEKLY
                      : strcasecmp(v, "MONTHLY") == 0 ? F_MONTHLY
                      : strcasecmp(v, "YEARLY") == 0  ? F_YEARLY
                                                      : F_NONE;
            if (r->freq == F_NONE)
                return false;
            break;
        case 1:
            if (!parse_int(v, 1, 1000, &r->interval))
                return false;
            break;
        case 2:
            if (!each_item(v, byday, r))
                return false;
            break;
        case 3:
            if (!each_item(v, bymonth, r))
                return false;
            break;
        case 4:
            if (!each_item(v, bymonthday, r))
                return false;
            break;
        default:
            if (!parse_weekday(v, &wd))
                return false;
        }
    }
    return r->freq != F_NONE;
}

static void ordinal_word(struct out *o, int ord)
{
    if (ord > 0)
        put(o, "%s", nth[ord]);
    else if (ord == -1)
        put(o, "last");
    else
        put(o, "%s-to-last", nth[-ord]);
}

static void day_of_month(struct out *o, int d)
{
    if (d < 0) {
        ordinal_word(o, d);
        put(o, " day");
        return;
    }
    int t = d % 100;
    const char *suf = (t >= 11 && t <= 13) ? "th"
                      : d % 10 == 1        ? "st"
                      : d % 10 == 2        ? "nd"
                      : d % 10 == 3        ? "rd"
                                           : "th";
    put(o, "%d%s", d, suf);
}

/* "second Tuesday", "first and third Tuesday", "first Monday and last Friday". */
static bool ordinal_days(struct out *o, const struct rule *r)
{
    bool same = true;
    for (size_t i = 0; i < r->n_days; i++) {
        if (r->days[i].ord == 0 || r->days[i].ord > 5 || r->days[i].ord < -5)
            return false;
        same = same && r->days[i].wd == r->days[0].wd;
    }
    for (size_t i = 0; i < r->n_days; i++) {
        sep(o, i, r->n_days);
        ordinal_word(o, r->days[i].ord);
        if (!same)
            put(o, " %s", weekday[r->days[i].wd]);
    }
    if (same)
        put(o, " %s", weekday[r->days[0].wd]);
    return true;
}

/* "every Tuesday", "every Monday, Wednesday and Friday", "every day"; without `every` just the
 * weekdays ("every second week on Tuesday and Thursday"). */
static bool plain_days(struct out *o, const struct rule *r, bool every)
{
    bool wd[7] = {false};
    for (size_t i = 0; i < r->n_days; i++) {
        if (r->days[i].ord != 0)
            return false;
        wd[r->days[i].wd] = true;
    }
    size_t n = 0;
    for (int i = 0; i < 7; i++)
        n += wd[i];
    if (n == 7) {
        if (every)
            put(o, "every day");
        return every;
    }
    put(o, "%s", every ? "every " : "");
    for (int i = 0, k = 0; i < 7; i++)
        if (wd[i]) {
            sep(o, (size_t)k++, n);
            put(o, "%s", weekday[i]);
        }
    return true;
}

/* The months a MONTHLY or YEARLY rule falls in, after BYMONTH and the INTERVAL phase; false
 * when the set is not a fixed list of months. */
static bool month_set(const struct rule *r, bool months[13])
{
    for (int m = 1; m <= 12; m++)
        months[m] = r->has_month ? r->month[m] : r->freq != F_YEARLY || m == 1;
    if (r->freq == F_MONTHLY && r->interval > 1) {
        if (12 % r->interval != 0)
            return false;
        /* Phased from the anchor's month, January. */
        for (int m = 1; m <= 12; m++)
            months[m] = months[m] && (m - 1) % r->interval == 0;
    }
    return true;
}

/* "every month" or "February, May, August and November"; in_form gives " in March". */
static bool months_words(struct out *o, const bool months[13], bool in_form)
{
    size_t n = 0;
    for (int m = 1; m <= 12; m++)
        n += months[m];
    if (n == 0)
        return false;
    if (n == 12) {
        if (!in_form)
            put(o, "every month");
        return true;
    }
    put(o, "%s", in_form ? " in " : "");
    for (int m = 1, k = 0; m <= 12; m++)
        if (months[m]) {
            sep(o, (size_t)k++, n);
            put(o, "%s", month_name[m]);
        }
    return true;
}

static bool words(struct out *o, const struct rule *r)
{
    bool months[13];
    bool ordinal = r->n_days && r->days[0].ord != 0;
    if (r->n_days && r->n_monthdays)
        return false; /* "Friday the 13th" and kin: not said */
    switch (r->freq) {
    case F_DAILY:
    case F_WEEKLY:
        if (r->n_monthdays || ordinal)
            return false;
        if (r->freq == F_DAILY && r->interval > 1)
            return false;
        if (r->freq == F_WEEKLY && r->interval > 1) {
            if (r->interval > 12)
                return false;
            put(o, "every %s week on ", nth[r->interval]);
        }
        if (r->n_days) {
            if (!plain_days(o, r, r->interval == 1))
                return false;
        } else if (r->freq == F_DAILY) {
            put(o, "every day");
        } else {
            put(o, "%s%s", r->interval == 1 ? "every " : "", weekday[ANCHOR_WEEKDAY]);
        }
        for (int m = 1; m <= 12; m++)
            months[m] = r->has_month ? r->month[m] : true;
        return months_words(o, months, true);
    case F_MONTHLY:
    case F_YEARLY:
        if (r->freq == F_YEARLY && r->interval > 12)
            return false;
        if (r->freq == F_YEARLY && !r->has_month && (ordinal || r->n_monthdays))
            return false; /* the 20th Monday of the year; BYMONTHDAY over a whole year */
        if (!month_set(r, months)) {
            if (r->has_month || r->interval > 12)
                return false;
            /* "every fifth month from January 2020" */
        }
        if (r->n_days && !ordinal) {
            if (!plain_days(o, r, true))
                return false;
            if (!month_set(r, months))
                return false;
            if (!months_words(o, months, true))
                return false;
        } else {
            if (ordinal) {
                if (!ordinal_days(o, r))
                    return false;
            } else if (r->n_monthdays) {
                for (size_t i = 0; i < r->n_monthdays; i++) {
                    if (r->monthdays[i] < -5)
                        return false;
                    sep(o, i, r->n_monthdays);
                    day_of_month(o, r->monthdays[i]);
                }
            } else {
                day_of_month(o, 1); /* the anchor's day */
            }
            put(o, " of ");
            if (month_set(r, months)) {
                if (!months_words(o, months, false))
                    return false;
            } else {
                put(o, "every %s month from January %d", nth[r->interval],
                    POLICY_CADENCE_ANCHOR_YEAR);
            }
        }
        if (r->freq == F_YEARLY && r->interval > 1)
            put(o, ", every %s year from %d", nth[r->interval], POLICY_CADENCE_ANCHOR_YEAR);
        return true;
    default:
        return false;
    }
}

bool policy_cadence_text(const char *rrule, int release_minute, const char *tz, char *out,
                         size_t out_len)
{
    if (!out_len)
        return false;
    struct out o = {out, out_len, 0};
    struct rule r;
    bool ok = parse(rrule, &r) && words(&o, &r);
    if (!ok) {
        o.used = 0;
        put(&o, "the iCalendar rule %s", rrule ? rrule : "");
    }
    put(&o, ", %02d:%02d %s", release_minute / 60 % 24, release_minute % 60,
        tz && *tz ? tz : "UTC");
    out[o.used] = '\0';
    return ok;
}
