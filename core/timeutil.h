/* Civil-date arithmetic (proleptic Gregorian, UTC) and the text forms relcal reads and writes:
 * RFC 3339 timestamps (UTC out, any offset in), YYYY-MM-DD dates and HTTP dates (RFC 9110
 * IMF-fixdate). Instants are Unix seconds in int64_t; dates are days since 1970-01-01. */
#ifndef RELCAL_CORE_TIMEUTIL_H
#define RELCAL_CORE_TIMEUTIL_H

#include <stdbool.h>
#include <stdint.h>

/* "2027-02-09T14:00:00Z" plus NUL. */
#define TIME_RFC3339_SIZE 21
/* "2027-02-09" plus NUL. */
#define TIME_DATE_SIZE 11
/* "Tue, 09 Feb 2027 14:00:00 GMT" plus NUL. */
#define TIME_HTTP_SIZE 30

#define SECONDS_PER_DAY 86400

bool civil_is_leap(int64_t year);
int civil_days_in_month(int64_t year, int month);
bool civil_date_valid(int64_t year, int month, int day);
/* Days since 1970-01-01 of a valid civil date. */
int64_t civil_to_days(int64_t year, int month, int day);
void civil_from_days(int64_t days, int64_t *year, int *month, int *day);
/* ISO weekday of a day number: 1 = Monday ... 7 = Sunday. */
int civil_weekday(int64_t days);
/* Floor division of an instant into its UTC day number. */
int64_t civil_day_of(int64_t t);

/* Parses an RFC 3339 date-time ("2027-02-09T14:00:00Z", "...+01:00", fractional seconds
 * truncated, 't'/'z' accepted). Refuses impossible dates and times (2027-02-30, 24:00, leap
 * seconds). Writes *out only on success; RC_EPARSE otherwise. */
int time_rfc3339_parse(const char *s, int64_t *out);
/* Formats an instant as RFC 3339 UTC with a Z suffix. */
void time_rfc3339_format(int64_t t, char out[TIME_RFC3339_SIZE]);
/* The instant for people, to the minute: "2027-02-09 13:00 UTC" (the seconds dropped). */
#define TIME_UTC_TEXT_SIZE 21
void time_utc_text(int64_t t, char out[TIME_UTC_TEXT_SIZE]);

/* "YYYY-MM-DD" <-> day number. Parse refuses impossible dates with RC_EPARSE. */
int time_date_parse(const char *s, int64_t *out_days);
void time_date_format(int64_t days, char out[TIME_DATE_SIZE]);

/* HTTP date (IMF-fixdate only on output; IMF-fixdate on input, the form RFC 9110 requires
 * senders to use). RC_EPARSE on anything else. */
void time_http_format(int64_t t, char out[TIME_HTTP_SIZE]);
int time_http_parse(const char *s, int64_t *out);

#endif
