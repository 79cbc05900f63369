/* core/timeutil and core/clock: civil arithmetic against known calendar facts, RFC 3339 and
 * HTTP date parsing (RFC 3339 section 5.8 examples, RFC 9110 example), offset and fake clocks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/timeutil.h"

static void civil_known_days(void **state)
{
    (void)state;
    assert_int_equal(civil_to_days(1970, 1, 1), 0);
    assert_int_equal(civil_to_days(2000, 3, 1), 11017);
    assert_int_equal(civil_to_days(1969, 12, 31), -1);
    /* 2027-02-09 is day 20858 after the epoch (independently: 1 802 131 200 / 86400). */
    assert_int_equal(civil_to_days(2027, 2, 9), 1802131200 / 86400);
    /* The 9th of Feb 2027 is a Tuesday. */
    assert_int_equal(civil_weekday(civil_to_days(2027, 2, 9)), 2);
    assert_int_equal(civil_weekday(0), 4);
    assert_true(civil_is_leap(2000));
    assert_false(civil_is_leap(1900));
    assert_true(civil_is_leap(2028));
    assert_int_equal(civil_days_in_month(2028, 2), 29);
    assert_int_equal(civil_days_in_month(2027, 2), 28);
    assert_false(civil_date_valid(2027, 2, 29));
    assert_false(civil_date_valid(2027, 13, 1));
    assert_false(civil_date_valid(2027, 4, 31));
}

/* Round trip over 1600..2400 against libc's timegm-free gmtime_r. */
static void civil_round_trip_against_gmtime(void **state)
{
    (void)state;
    for (int64_t d = civil_to_days(1900, 1, 1); d < civil_to_days(2400, 1, 1); d += 13) {
        int64_t y;
        int m, day;
        civil_from_days(d, &y, &m, &day);
        assert_int_equal(civil_to_days(y, m, day), d);
        time_t t = (time_t)(d * 86400);
        struct tm tm;
        gmtime_r(&t, &tm);
        assert_int_equal(y, tm.tm_year + 1900);
        assert_int_equal(m, tm.tm_mon + 1);
        assert_int_equal(day, tm.tm_mday);
        assert_int_equal(civil_weekday(d) % 7, tm.tm_wday);
    }
}

static void rfc3339_accepts(void **state)
{
    (void)state;
    int64_t t;
    /* RFC 3339 section 5.8 examples. */
    assert_int_equal(time_rfc3339_parse("1985-04-12T23:20:50.52Z", &t), 0);
    assert_int_equal(t, 482196050);
    assert_int_equal(time_rfc3339_parse("1996-12-19T16:39:57-08:00", &t), 0);
    assert_int_equal(t, 851042397);
    assert_int_equal(time_rfc3339_parse("1937-01-01T12:00:27.87+00:20", &t), 0);
    assert_int_equal(t, -1041337173); /* fraction dropped: 11:40:27Z */
    assert_int_equal(time_rfc3339_parse("2027-02-09t14:00:00z", &t), 0);
    assert_int_equal(t, 1802181600);
    assert_int_equal(time_rfc3339_parse("2028-02-29T00:00:00Z", &t), 0);
}

static void rfc3339_refuses(void **state)
{
    (void)state;
    const char *bad[] = {
        "2027-02-30T00:00:00Z",
        "2027-02-29T00:00:00Z",
        "2027-13-01T00:00:00Z",
        "2027-00-10T00:00:00Z",
        "2027-01-00T00:00:00Z",
        "2027-01-01T24:00:00Z",
        "2027-01-01T23:60:00Z",
        "2027-01-01T23:59:60Z",
        "2027-01-01T23:59:59",
        "2027-01-01 23:59:59Z",
        "2027-01-01T23:59:59+0100",
        "2027-01-01T23:59:59Z ",
        "2027-1-01T23:59:59Z",
        "",
        "2027-01-01T23:59:59.Z",
        "2027-01-01T23:59:59+24:00",
        "2027-01-01",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t t = 42;
        assert_int_equal(time_rfc3339_parse(bad[i], &t), RC_EPARSE);
        assert_int_equal(t, 42);
    }
    assert_int_equal(time_rfc3339_parse(NULL, NULL), RC_EPARSE);
}

static void rfc3339_format(void **state)
{
    (void)state;
    char buf[TIME_RFC3339_SIZE];
    time_rfc3339_format(1802181600, buf);
    assert_string_equal(buf, "2027-02-09T14:00:00Z");
    time_rfc3339_format(-1, buf);
    assert_string_equal(buf, "1969-12-31T23:59:59Z");
    time_rfc3339_format(0, buf);
    assert_string_equal(buf, "1970-01-01T00:00:00Z");
}

/* The instant for people: to the minute in UTC (instants from Python's datetime). */
static void utc_text(void **state)
{
    (void)state;
    char text[TIME_UTC_TEXT_SIZE];
    time_utc_text(1802178000, text);
    assert_string_equal(text, "2027-02-09 13:00 UTC");
    time_utc_text(1814443259, text); /* 12:00:59: the seconds dropped, not rounded */
    assert_string_equal(text, "2027-07-01 12:00 UTC");
    time_utc_text(946684799, text);
    assert_string_equal(text, "1999-12-31 23:59 UTC");
}

static void dates(void **state)
{
    (void)state;
    int64_t d;
    assert_int_equal(time_date_parse("2026-12-24", &d), 0);
    assert_int_equal(d, civil_to_days(2026, 12, 24));
    char buf[TIME_DATE_SIZE];
    time_date_format(d, buf);
    assert_string_equal(buf, "2026-12-24");
    assert_int_equal(time_date_parse("2027-02-30", &d), RC_EPARSE);
    assert_int_equal(time_date_parse("2027-02-01x", &d), RC_EPARSE);
    assert_int_equal(time_date_parse("27-02-01", &d), RC_EPARSE);
}

static void http_dates(void **state)
{
    (void)state;
    char buf[TIME_HTTP_SIZE];
    /* RFC 9110 section 5.6.7 example. */
    int64_t t;
    assert_int_equal(time_http_parse("Sun, 06 Nov 1994 08:49:37 GMT", &t), 0);
    assert_int_equal(t, 784111777);
    time_http_format(784111777, buf);
    assert_string_equal(buf, "Sun, 06 Nov 1994 08:49:37 GMT");
    assert_int_equal(time_http_parse("Mon, 06 Nov 1994 08:49:37 GMT", &t), RC_EPARSE);
    assert_int_equal(time_http_parse("Sunday, 06-Nov-94 08:49:37 GMT", &t), RC_EPARSE);
    assert_int_equal(time_http_parse("Sun, 06 Nov 1994 08:49:37 UTC", &t), RC_EPARSE);
    assert_int_equal(time_http_parse("Sun, 31 Feb 1994 08:49:37 GMT", &t), RC_EPARSE);
}

static void clocks(void **state)
{
    (void)state;
    struct core_clock c;
    clock_init_fake(&c, 1000);
    assert_int_equal(clock_wall_ms(&c), 1000);
    assert_int_equal(clock_mono_ms(&c), 0);
    clock_fake_advance(&c, 2500);
    assert_int_equal(clock_wall_ms(&c), 3500);
    assert_int_equal(clock_now(&c), 3);
    assert_int_equal(clock_mono_ms(&c), 2500);

    /* The offset clock starts at the given instant and runs in real time. */
    clock_init_offset(&c, (int64_t)1802181600 * 1000);
    int64_t w = clock_wall_ms(&c);
    assert_true(w >= (int64_t)1802181600 * 1000 && w < (int64_t)1802181600 * 1000 + 5000);

    setenv("RELCAL_NOW", "2030-01-01T00:00:00Z", 1);
    assert_int_equal(clock_init_from_options(&c, NULL), 0);
    assert_true(clock_now(&c) >= 1893456000 && clock_now(&c) < 1893456000 + 5);
    assert_int_equal(clock_init_from_options(&c, "2031-01-01T00:00:00Z"), 0);
    assert_true(clock_now(&c) >= 1924992000 && clock_now(&c) < 1924992000 + 5);
    struct core_clock before = c;
    setenv("RELCAL_NOW", "2030-02-30T00:00:00Z", 1);
    assert_int_equal(clock_init_from_options(&c, NULL), RC_EPARSE);
    assert_memory_equal(&before, &c, sizeof c);
    unsetenv("RELCAL_NOW");
    assert_int_equal(clock_init_from_options(&c, NULL), 0);
    assert_int_equal(c.kind, CORE_CLOCK_SYSTEM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(civil_known_days),
        cmocka_unit_test(civil_round_trip_against_gmtime),
        cmocka_unit_test(rfc3339_accepts),
        cmocka_unit_test(utc_text),
        cmocka_unit_test(rfc3339_refuses),
        cmocka_unit_test(rfc3339_format),
        cmocka_unit_test(dates),
        cmocka_unit_test(http_dates),
        cmocka_unit_test(clocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
