/* policy/cadence_text: the cadence in words for the public page, one row per RRULE shape
 * (ordinal BYDAY incl. "last", BYMONTH lists, BYMONTHDAY, MONTHLY/YEARLY/WEEKLY/DAILY, INTERVAL
 * phased from the expansion's anchor 2020-01-01), and the fallback to the rule itself for
 * shapes it cannot say. Expected texts are written by hand from RFC 5545 section 3.3.10. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "policy/cadence_text.h"

struct row {
    const char *rrule;
    int minute;
    const char *tz;
    bool words;
    const char *want;
};

static const struct row rows[] = {
    /* The example: ordinals with a BYMONTH list. */
    {"FREQ=MONTHLY;BYMONTH=2,5,8,11;BYDAY=2TU", 840, "Europe/Berlin", true,
     "second Tuesday of February, May, August and November, 14:00 Europe/Berlin"},
    {"FREQ=MONTHLY;BYDAY=2TU", 840, "UTC", true, "second Tuesday of every month, 14:00 UTC"},
    {"freq=monthly;byday=+1we", 570, "America/New_York", true,
     "first Wednesday of every month, 09:30 America/New_York"},
    {"FREQ=MONTHLY;BYDAY=-1TH", 840, "UTC", true, "last Thursday of every month, 14:00 UTC"},
    {"FREQ=MONTHLY;BYDAY=-2FR", 0, "UTC", true, "second-to-last Friday of every month, 00:00 UTC"},
    {"FREQ=MONTHLY;BYDAY=1TU,3TU", 840, "UTC", true,
     "first and third Tuesday of every month, 14:00 UTC"},
    {"FREQ=MONTHLY;BYDAY=1MO,-1FR", 840, "UTC", true,
     "first Monday and last Friday of every month, 14:00 UTC"},
    {"FREQ=MONTHLY;BYMONTH=1,7;BYDAY=-1TU", 840, "UTC", true,
     "last Tuesday of January and July, 14:00 UTC"},
    {"FREQ=MONTHLY;BYMONTH=3;BYDAY=4SA", 840, "UTC", true, "fourth Saturday of March, 14:00 UTC"},
    /* Every month named is every month. */
    {"FREQ=MONTHLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYDAY=2TU", 840, "UTC", true,
     "second Tuesday of every month, 14:00 UTC"},
    /* INTERVAL is phased from January 2020 (policy/cadence.h). */
    {"FREQ=MONTHLY;INTERVAL=3;BYDAY=1WE", 840, "UTC", true,
     "first Wednesday of January, April, July and October, 14:00 UTC"},
    {"FREQ=MONTHLY;INTERVAL=2;BYMONTH=3,4,5;BYDAY=2TU", 840, "UTC", true,
     "second Tuesday of March and May, 14:00 UTC"},
    {"FREQ=MONTHLY;INTERVAL=5;BYDAY=2TU", 840, "UTC", true,
     "second Tuesday of every fifth month from January 2020, 14:00 UTC"},
    {"FREQ=MONTHLY;BYMONTHDAY=15", 840, "UTC", true, "15th of every month, 14:00 UTC"},
    {"FREQ=MONTHLY;BYMONTHDAY=1,22,23,31", 840, "UTC", true,
     "1st, 22nd, 23rd and 31st of every month, 14:00 UTC"},
    {"FREQ=MONTHLY;BYMONTHDAY=11,12,13", 840, "UTC", true,
     "11th, 12th and 13th of every month, 14:00 UTC"},
    {"FREQ=MONTHLY;BYMONTHDAY=-1", 840, "UTC", true, "last day of every month, 14:00 UTC"},
    {"FREQ=MONTHLY;BYMONTH=6,12;BYMONTHDAY=-2", 840, "UTC", true,
     "second-to-last day of June and December, 14:00 UTC"},
    /* MONTHLY without a day takes the anchor's, the 1st. */
    {"FREQ=MONTHLY", 840, "UTC", true, "1st of every month, 14:00 UTC"},
    {"FREQ=MONTHLY;BYDAY=TU", 840, "UTC", true, "every Tuesday, 14:00 UTC"},
    {"FREQ=MONTHLY;BYMONTH=2,8;BYDAY=TU,TH", 840, "UTC", true,
     "every Tuesday and Thursday in February and August, 14:00 UTC"},
    {"FREQ=YEARLY;BYMONTH=3;BYDAY=1TU", 840, "UTC", true, "first Tuesday of March, 14:00 UTC"},
    {"FREQ=YEARLY;BYMONTH=9,3;BYDAY=-1MO", 840, "UTC", true,
     "last Monday of March and September, 14:00 UTC"},
    {"FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1", 840, "UTC", true, "1st of June, 14:00 UTC"},
    {"FREQ=YEARLY", 840, "UTC", true, "1st of January, 14:00 UTC"},
    {"FREQ=YEARLY;INTERVAL=2;BYMONTH=10;BYDAY=2TU", 840, "UTC", true,
     "second Tuesday of October, every second year from 2020, 14:00 UTC"},
    {"FREQ=WEEKLY;BYDAY=TU", 840, "Europe/Berlin", true, "every Tuesday, 14:00 Europe/Berlin"},
    {"FREQ=WEEKLY;BYDAY=FR,MO,WE;WKST=SU", 840, "UTC", true,
     "every Monday, Wednesday and Friday, 14:00 UTC"},
    {"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", 840, "UTC", true,
     "every second week on Tuesday and Thursday, 14:00 UTC"},
    /* WEEKLY without BYDAY: the anchor's weekday, 2020-01-01 was a Wednesday. */
    {"FREQ=WEEKLY", 840, "UTC", true, "every Wednesday, 14:00 UTC"},
    {"FREQ=WEEKLY;INTERVAL=4", 840, "UTC", true, "every fourth week on Wednesday, 14:00 UTC"},
    {"FREQ=WEEKLY;BYMONTH=12;BYDAY=MO", 840, "UTC", true, "every Monday in December, 14:00 UTC"},
    {"FREQ=DAILY", 840, "UTC", true, "every day, 14:00 UTC"},
    {"FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR,SA,SU", 840, "UTC", true, "every day, 14:00 UTC"},
    {"FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", 840, "UTC", true,
     "every Monday, Tuesday, Wednesday, Thursday and Friday, 14:00 UTC"},
    /* No zone given: UTC. */
    {"FREQ=WEEKLY;BYDAY=SU", 1439, NULL, true, "every Sunday, 23:59 UTC"},
    /* Fallback: the rule itself, with the time. */
    {"FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", 840, "UTC", false,
     "the iCalendar rule FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2, 14:00 UTC"},
    {"FREQ=MONTHLY;BYDAY=2TU;COUNT=10", 840, "UTC", false,
     "the iCalendar rule FREQ=MONTHLY;BYDAY=2TU;COUNT=10, 14:00 UTC"},
    {"FREQ=MONTHLY;BYDAY=2TU;UNTIL=20301231T000000Z", 840, "UTC", false,
     "the iCalendar rule FREQ=MONTHLY;BYDAY=2TU;UNTIL=20301231T000000Z, 14:00 UTC"},
    {"FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", 840, "UTC", false,
     "the iCalendar rule FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO, 14:00 UTC"},
    {"FREQ=YEARLY;BYDAY=20MO", 840, "UTC", false,
     "the iCalendar rule FREQ=YEARLY;BYDAY=20MO, 14:00 UTC"},
    {"FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", 840, "UTC", false,
     "the iCalendar rule FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13, 14:00 UTC"},
    {"FREQ=MONTHLY;BYDAY=1TU,TH", 840, "UTC", false,
     "the iCalendar rule FREQ=MONTHLY;BYDAY=1TU,TH, 14:00 UTC"},
    {"FREQ=MONTHLY;INTERVAL=5;BYMONTH=1,6;BYDAY=1TU", 840, "UTC", false,
     "the iCalendar rule FREQ=MONTHLY;INTERVAL=5;BYMONTH=1,6;BYDAY=1TU, 14:00 UTC"},
    {"FREQ=DAILY;INTERVAL=3", 840, "UTC", false,
     "the iCalendar rule FREQ=DAILY;INTERVAL=3, 14:00 UTC"},
    {"FREQ=HOURLY", 840, "UTC", false, "the iCalendar rule FREQ=HOURLY, 14:00 UTC"},
    {"FREQ=MONTHLY;FREQ=WEEKLY", 840, "UTC", false,
     "the iCalendar rule FREQ=MONTHLY;FREQ=WEEKLY, 14:00 UTC"},
    {"FREQ=MONTHLY;BYDAY=2XX", 840, "UTC", false,
     "the iCalendar rule FREQ=MONTHLY;BYDAY=2XX, 14:00 UTC"},
    {"FREQ=MONTHLY;BYMONTH=13;BYDAY=2TU", 840, "UTC", false,
     "the iCalendar rule FREQ=MONTHLY;BYMONTH=13;BYDAY=2TU, 14:00 UTC"},
    {"BYDAY=2TU", 840, "UTC", false, "the iCalendar rule BYDAY=2TU, 14:00 UTC"},
    {"FREQ=WEEKLY;BYDAY=TU,,TH", 840, "UTC", false,
     "the iCalendar rule FREQ=WEEKLY;BYDAY=TU,,TH, 14:00 UTC"},
    {"FREQ=WEEKLY;BYDAY=,", 840, "UTC", false, "the iCalendar rule FREQ=WEEKLY;BYDAY=,, 14:00 UTC"},
    {"FREQ=MONTHLY;BYDAY=+-2TU", 840, "UTC", false,
     "the iCalendar rule FREQ=MONTHLY;BYDAY=+-2TU, 14:00 UTC"},
    {"FREQ=MONTHLY;BYMONTH= 2;BYDAY=2TU", 840, "UTC", false,
     "the iCalendar rule FREQ=MONTHLY;BYMONTH= 2;BYDAY=2TU, 14:00 UTC"},
    {"FREQ=MONTHLY;INTERVAL=0;BYDAY=2TU", 840, "UTC", false,
     "the iCalendar rule FREQ=MONTHLY;INTERVAL=0;BYDAY=2TU, 14:00 UTC"},
    {"FREQ=MONTHLY;BYDAY=6TU", 840, "UTC", false,
     "the iCalendar rule FREQ=MONTHLY;BYDAY=6TU, 14:00 UTC"},
    {"", 840, "UTC", false, "the iCalendar rule , 14:00 UTC"},
};

static void table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char out[POLICY_CADENCE_TEXT_MAX];
        bool words =
            policy_cadence_text(rows[i].rrule, rows[i].minute, rows[i].tz, out, sizeof out);
        if (words != rows[i].words || strcmp(out, rows[i].want) != 0)
            fail_msg("row %zu (%s): got %s \"%s\", want %s \"%s\"", i, rows[i].rrule,
                     words ? "words" : "fallback", out, rows[i].words ? "words" : "fallback",
                     rows[i].want);
    }
}

/* A small buffer is cut, never overrun, and stays a string. */
static void small_buffer(void **state)
{
    (void)state;
    char out[16];
    memset(out, 'x', sizeof out);
    policy_cadence_text("FREQ=MONTHLY;BYDAY=2TU", 840, "UTC", out, 12);
    assert_string_equal(out, "second Tues");
    assert_int_equal(out[12], 'x');
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(table), cmocka_unit_test(small_buffer)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
