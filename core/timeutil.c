/* Civil-date arithmetic and RFC 3339 / HTTP date text forms. The day-number conversions use
 * the era-based algorithm for the proleptic Gregorian calendar (400-year cycles of 146097
 * days), valid for the whole int64 year range we accept (0001..9999). */
#include "core/nelem.h"
#include "core/timeutil.h"

#include <string.h>

#include "core/err.h"

bool civil_is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int civil_days_in_month(int64_t y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && civil_is_leap(y) ? 29 : days[m - 1];
}

bool civil_date_valid(int64_t y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= civil_days_in_month(y, m);
}

int64_t civil_to_days(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                                  /* [0, 399] */
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int64_t *year, int *month, int *day)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = y + (m <= 2);
    *month = m;
    *day = d;
}

int civil_weekday(int64_t days)
{
    /* 1970-01-01 was a Thursday (ISO 4). */
    int64_t w = (days + 3) % 7;
    if (w < 0)
        w += 7;
    return (int)w + 1;
}

int64_t civil_day_of(int64_t t)
{
    return t >= 0 ? t / SECONDS_PER_DAY : -((-t + SECONDS_PER_DAY - 1) / SECONDS_PER_DAY);
}

/* Reads exactly n decimal digits. */
static bool digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *p += n;
    *out = v;
    return true;
}

static bool expect(const char **p, char c)
{
    if (**p != c)
        return false;
    (*p)++;
    return true;
}

/* full-date = YYYY-MM-DD, validated. */
static bool parse_full_date(const char **p, int *y, int *m, int *d)
{
    return digits(p, 4, y) && expect(p, '-') && digits(p, 2, m) && expect(p, '-') &&
           digits(p, 2, d) && civil_date_valid(*y, *m, *d);
}

int time_rfc3339_parse(const char *s, int64_t *out)
{
    if (!s)
        return RC_EPARSE;
    const char *p = s;
    int y, mo, d, h, mi, sec;
    if (!parse_full_date(&p, &y, &mo, &d))
        return RC_EPARSE;
    if (*p != 'T' && *p != 't')
        return RC_EPARSE;
    p++;
    if (!digits(&p, 2, &h) || !expect(&p, ':') || !digits(&p, 2, &mi) || !expect(&p, ':') ||
        !digits(&p, 2, &sec))
        return RC_EPARSE;
    if (h > 23 || mi > 59 || sec > 59)
        return RC_EPARSE;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return RC_EPARSE;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    int64_t offset = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1;
        int oh, om;
        p++;
        if (!digits(&p, 2, &oh) || !expect(&p, ':') || !digits(&p, 2, &om) || oh > 23 || om > 59)
            return RC_EPARSE;
        offset = sign * (oh * 3600 + om * 60);
    } else {
        return RC_EPARSE;
    }
    if (*p != '\0')
        return RC_EPARSE;
    *out = civil_to_days(y, mo, d) * SECONDS_PER_DAY + h * 3600 + mi * 60 + sec - offset;
    return 0;
}

/* Writes v as exactly n decimal digits (v is clamped to fit). */
static void put_digits(char *p, int64_t v, int n)
{
    if (v < 0)
        v = 0;
    for (int i = n - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void time_rfc3339_format(int64_t t, char out[TIME_RFC3339_SIZE])
{
    int64_t days = civil_day_of(t);
    int64_t secs = t - days * SECONDS_PER_DAY;
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    memcpy(out, "0000-00-00T00:00:00Z", TIME_RFC3339_SIZE);
    put_digits(out, y, 4);
    put_digits(out + 5, m, 2);
    put_digits(out + 8, d, 2);
    put_digits(out + 11, secs / 3600, 2);
    put_digits(out + 14, secs / 60 % 60, 2);
    put_digits(out + 17, secs % 60, 2);
}

void time_utc_text(int64_t t, char out[TIME_UTC_TEXT_SIZE])
{
    char r[TIME_RFC3339_SIZE];
    time_rfc3339_format(t, r);
    memcpy(out, r, 10);
    out[10] = ' ';
    memcpy(out + 11, r + 11, 5);
    memcpy(out + 16, " UTC", 5);
}

int time_date_parse(const char *s, int64_t *out_days)
{
    if (!s)
        return RC_EPARSE;
    const char *p = s;
    int y, m, d;
    if (!parse_full_date(&p, &y, &m, &d) || *p != '\0')
        return RC_EPARSE;
    *out_days = civil_to_days(y, m, d);
    return 0;
}

void time_date_format(int64_t days, char out[TIME_DATE_SIZE])
{
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    memcpy(out, "0000-00-00", TIME_DATE_SIZE);
    put_digits(out, y, 4);
    put_digits(out + 5, m, 2);
    put_digits(out + 8, d, 2);
}

static const char weekday_names[7][4] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
static const char month_names[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void time_http_format(int64_t t, char out[TIME_HTTP_SIZE])
{
    int64_t days = civil_day_of(t);
    int64_t secs = t - days * SECONDS_PER_DAY;
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    /* "Sun, 06 Nov 1994 08:49:37 GMT" */
    memcpy(out, "Xxx, 00 Xxx 0000 00:00:00 GMT", TIME_HTTP_SIZE);
    memcpy(out, weekday_names[civil_weekday(days) - 1], 3);
    put_digits(out + 5, d, 2);
    memcpy(out + 8, month_names[m - 1], 3);
    put_digits(out + 12, y, 4);
    put_digits(out + 17, secs / 3600, 2);
    put_digits(out + 20, secs / 60 % 60, 2);
    put_digits(out + 23, secs % 60, 2);
}

int time_http_parse(const char *s, int64_t *out)
{
    /* IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" */
    if (!s || strlen(s) != 29)
        return RC_EPARSE;
    int wd = -1, mo = -1;
    for (size_t i = 0; i < NELEM(weekday_names); i++)
        if (memcmp(s, weekday_names[i], 3) == 0)
            wd = i + 1;
    const char *p = s + 3;
    if (wd < 0 || !expect(&p, ',') || !expect(&p, ' '))
        return RC_EPARSE;
    int d, y, h, mi, sec;
    if (!digits(&p, 2, &d) || !expect(&p, ' '))
        return RC_EPARSE;
    for (size_t i = 0; i < NELEM(month_names); i++)
        if (memcmp(p, month_names[i], 3) == 0)
            mo = i + 1;
    p += 3;
    if (mo < 0 || !expect(&p, ' ') || !digits(&p, 4, &y) || !expect(&p, ' ') ||
        !digits(&p, 2, &h) || !expect(&p, ':') || !digits(&p, 2, &mi) || !expect(&p, ':') ||
        !digits(&p, 2, &sec) || strcmp(p, " GMT") != 0)
        return RC_EPARSE;
    if (!civil_date_valid(y, mo, d) || h > 23 || mi > 59 || sec > 60)
        return RC_EPARSE;
    int64_t days = civil_to_days(y, mo, d);
    if (civil_weekday(days) != wd)
        return RC_EPARSE;
    *out = days * SECONDS_PER_DAY + h * 3600 + mi * 60 + (sec == 60 ? 59 : sec);
    return 0;
}
