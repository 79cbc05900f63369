/* policy/zone and policy/cadence. policy/ reads no file: this test reads the zones' TZif bytes
 * itself and builds each zone with policy_zone_new. Expected instants were computed independently
 * with Python's zoneinfo (datetime(..., tzinfo=ZoneInfo(zone)).timestamp()); the wider comparison
 * against python3-dateutil's rrule runs in tests/system/test_cadence_oracle.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/timeutil.h"
#include "policy/cadence.h"
#include "policy/zone.h"

static int64_t day(int y, int m, int d)
{
    return civil_to_days(y, m, d);
}

/* The bytes of a file (the test's own reading; policy/ gets only the bytes). Caller frees. */
static unsigned char *file_bytes(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char *buf = malloc(1 << 18);
    assert_non_null(buf);
    *len = fread(buf, 1, 1 << 18, f);
    assert_true(*len > 0 && *len < (1 << 18));
    fclose(f);
    return buf;
}

/* Zones built from bytes, by name, freed by the group teardown. */
static struct {
    char name[64];
    struct policy_zone *z;
} zones[16];

static const struct policy_zone *zone(const char *name)
{
    size_t i = 0;
    for (; i < sizeof zones / sizeof zones[0] && zones[i].z; i++)
        if (strcmp(zones[i].name, name) == 0)
            return zones[i].z;
    assert_true(i < sizeof zones / sizeof zones[0]);
    unsigned char *tzif = NULL;
    size_t len = 0;
    if (strcmp(name, "UTC") != 0) {
        char path[128];
        snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", name);
        tzif = file_bytes(path, &len);
    }
    assert_int_equal(policy_zone_new(name, tzif, len, &zones[i].z), 0);
    free(tzif);
    snprintf(zones[i].name, sizeof zones[i].name, "%s", name);
    return zones[i].z;
}

static int free_zones(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
        policy_zone_free(zones[i].z);
    return 0;
}

/* A zone is built from bytes alone: the name is only a label (no file of that name exists),
 * bytes that are not TZif are refused, and only UTC is built in. */
static void zone_from_bytes(void **state)
{
    (void)state;
    size_t len;
    unsigned char *tzif = file_bytes("/usr/share/zoneinfo/Europe/Berlin", &len);
    struct policy_zone *z = NULL;
    assert_int_equal(policy_zone_new("Nowhere/On_Disk", tzif, len, &z), 0);
    assert_string_equal(policy_zone_name(z), "Nowhere/On_Disk");
    assert_int_equal(policy_zone_local_to_utc(z, day(2027, 2, 9), 840), 1802178000);
    assert_int_equal(policy_zone_offset_at(z, 1810036800), 7200);
    /* Local time for people: to the minute, the zone named; winter, summer (the seconds
     * dropped), across the new year. Instants from Python's datetime, not this code. */
    static const struct {
        int64_t t;
        const char *text;
    } texts[] = {
        {1802178000, "2027-02-09 14:00 Nowhere/On_Disk"},
        {1814443259, "2027-07-01 14:00 Nowhere/On_Disk"},
        {1798759800, "2027-01-01 00:30 Nowhere/On_Disk"},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char text[POLICY_LOCAL_TEXT_SIZE];
        policy_zone_local_text(z, texts[i].t, text);
        assert_string_equal(text, texts[i].text);
    }
    policy_zone_free(z);
    z = NULL;
    assert_int_equal(policy_zone_new("Europe/Berlin", tzif, len / 2, &z), RC_EPARSE);
    assert_int_equal(policy_zone_new("Europe/Berlin", (const unsigned char *)"TZif", 4, &z),
                     RC_EPARSE);
    assert_int_equal(policy_zone_new("Europe/Berlin", NULL, 0, &z), RC_EPARSE);
    assert_null(z);
    free(tzif);
    assert_int_equal(policy_zone_new("Etc/UTC", NULL, 0, &z), 0);
    assert_int_equal(policy_zone_local_to_utc(z, day(2027, 7, 1), 840), 1814450400);
    policy_zone_free(z);
    /* The cadence needs a resolved zone: a project nobody resolved has none. */
    struct policy_project p;
    memset(&p, 0, sizeof p);
    policy_rules_defaults(&p.rules);
    snprintf(p.timezone, sizeof p.timezone, "%s", "Europe/Berlin");
    struct policy_release w[4];
    size_t n = 99;
    assert_int_equal(policy_cadence_windows(&p, 1798761600, 1830297600, w, 4, &n), RC_ENOTFOUND);
}

static void zone_conversions(void **state)
{
    (void)state;
    const struct policy_zone *berlin = zone("Europe/Berlin"), *ny = zone("America/New_York");
    /* 14:00 stays 14:00 local across DST. */
    assert_int_equal(policy_zone_local_to_utc(berlin, day(2027, 2, 9), 840), 1802178000);
    assert_int_equal(policy_zone_local_to_utc(berlin, day(2027, 5, 11), 840), 1810036800);
    /* Spring-forward gap: 02:30 becomes 03:30 CEST = 01:30Z (RFC 5545 3.3.5). */
    assert_int_equal(policy_zone_local_to_utc(berlin, day(2027, 3, 28), 150), 1806197400);
    assert_int_equal(policy_zone_local_to_utc(ny, day(2027, 3, 14), 150), 1805009400);
    /* Fall-back overlap: the first occurrence. */
    assert_int_equal(policy_zone_local_to_utc(berlin, day(2027, 10, 31), 150), 1824942600);
    assert_int_equal(policy_zone_local_to_utc(ny, day(2027, 11, 7), 90), 1825565400);
    struct policy_local l;
    policy_zone_utc_to_local(berlin, 1810036800, &l);
    assert_int_equal(l.hour, 14);
    assert_int_equal(l.utc_offset, 7200);
    assert_int_equal(l.day_number, day(2027, 5, 11));
    policy_zone_utc_to_local(ny, 1825565400, &l);
    assert_int_equal(l.hour, 1);
    assert_int_equal(l.minute, 30);
    assert_int_equal(l.utc_offset, -4 * 3600);
}

/* Past the last transition of the zone file (2037 in Debian's tzdata) the rules come from the
 * file's POSIX TZ footer: on DST-start days with a 30-minute or unusual shift 14:00 became 14:30
 * from 2038 on (issue 13). */
static void zone_rules_after_2037(void **state)
{
    (void)state;
    const struct {
        const char *zone;
        int y, m, d, minute;
        int64_t want;
    } rows[] = {
        {"Australia/Lord_Howe", 2038, 10, 3, 840, 2169687600},
        {"Australia/Lord_Howe", 2040, 4, 1, 840, 2216863800},
        {"Pacific/Chatham", 2038, 9, 26, 840, 2169072900},
        {"Pacific/Chatham", 2041, 4, 7, 840, 2248910100},
        {"America/Santiago", 2038, 9, 4, 840, 2167236000},
        {"America/Santiago", 2038, 9, 5, 840, 2167318800},
        {"Europe/Berlin", 2040, 3, 25, 150, 2216251800},  /* gap: 03:30 CEST */
        {"Europe/Berlin", 2040, 10, 28, 150, 2234997000}, /* overlap: first */
        {"Asia/Kolkata", 2045, 1, 1, 840, 2366872200},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const struct policy_zone *z = zone(rows[i].zone);
        int64_t got =
            policy_zone_local_to_utc(z, day(rows[i].y, rows[i].m, rows[i].d), rows[i].minute);
        if (got != rows[i].want) {
            fprintf(stderr, "%s %d-%02d-%02d: %lld, want %lld\n", rows[i].zone, rows[i].y,
                    rows[i].m, rows[i].d, (long long)got, (long long)rows[i].want);
            fail();
        }
    }
}

static struct policy_project project(const char *tz, const char *rule)
{
    struct policy_project p;
    memset(&p, 0, sizeof p);
    snprintf(p.id, sizeof p.id, "%s", "p");
    snprintf(p.timezone, sizeof p.timezone, "%s", tz);
    p.zone = zone(tz);
    policy_rules_defaults(&p.rules);
    if (rule)
        snprintf(p.rules.cadence, sizeof p.rules.cadence, "%s", rule);
    return p;
}

/* Ten years of a fortnightly rule in one call, expanded once: every window, none lost to a cap
 * (the count and the ends from python3-dateutil + zoneinfo), the same as the capped call. */
static void windows_all(void **state)
{
    (void)state;
    struct policy_project p = project("Australia/Sydney", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH");
    int64_t from = 1798761600, to = 2114380800; /* 2027-01-01Z, 2037-01-01Z */
    struct policy_release *all = NULL;
    size_t n = 0;
    assert_int_equal(policy_cadence_windows_all(&p, from, to, &all, &n), 0);
    assert_int_equal(n, 261);
    assert_int_equal(all[0].starts_at, 1799290800);     /* 2027-01-07 14:00 AEDT */
    assert_int_equal(all[n - 1].starts_at, 2113786800); /* 2036-12-25 14:00 AEDT */
    struct policy_release capped[300];
    size_t n_capped = 0;
    assert_int_equal(policy_cadence_windows(&p, from, to, capped, 300, &n_capped), 0);
    assert_int_equal(n_capped, n);
    assert_memory_equal(capped, all, n * sizeof *all);
    assert_int_equal(policy_cadence_windows(&p, from, to, capped, 64, &n_capped), RC_ETOOBIG);
    free(all);
    /* A rule that never matches: no window, still an array to free. */
    p = project("UTC", "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30");
    assert_int_equal(policy_cadence_windows_all(&p, from, to, &all, &n), 0);
    assert_int_equal(n, 0);
    free(all);
    /* No resolved zone: refused, nothing to free. */
    p.zone = NULL;
    assert_int_equal(policy_cadence_windows_all(&p, from, to, &all, &n), RC_ENOTFOUND);
    assert_null(all);
}

static void default_cadence_berlin(void **state)
{
    (void)state;
    struct policy_project p = project("Europe/Berlin", NULL);
    struct policy_release w[8];
    size_t n;
    int64_t from = 1795521600; /* 2026-11-24T12:00:00Z */
    assert_int_equal(policy_cadence_windows(&p, from, from + 366 * 86400, w, 8, &n), 0);
    assert_int_equal(n, 4);
    const char *ids[] = {"2027-02-09", "2027-05-11", "2027-08-10", "2027-11-09"};
    const int64_t starts[] = {1802178000, 1810036800, 1817899200, 1825765200};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(w[i].id, ids[i]);
        assert_int_equal(w[i].starts_at, starts[i]);
        assert_int_equal(w[i].ends_at, starts[i] + 7200);
        assert_int_equal(w[i].cutoff_at, starts[i] - 7 * 86400);
        assert_int_equal(w[i].kind, POLICY_RELEASE_SCHEDULED);
        assert_int_equal(w[i].status, POLICY_RELEASE_PLANNED);
        assert_true(w[i].announced_at == POLICY_TIME_NONE);
    }
    /* [from, to) boundaries: a window starting exactly at `to` is excluded, at `from` included. */
    assert_int_equal(policy_cadence_windows(&p, starts[0], starts[1], w, 8, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(w[0].id, "2027-02-09");
    /* The cap is reported. */
    assert_int_equal(policy_cadence_windows(&p, from, from + 366 * 86400, w, 2, &n), RC_ETOOBIG);
    assert_int_equal(n, 2);
}

static void other_zones(void **state)
{
    (void)state;
    struct policy_release w[2];
    size_t n;
    struct policy_project p = project("Asia/Kolkata", NULL);
    assert_int_equal(policy_cadence_windows(&p, 1795521600, 1795521600 + 100 * 86400, w, 2, &n), 0);
    assert_int_equal(w[0].starts_at, 1802161800);
    p = project("Australia/Sydney", NULL);
    assert_int_equal(policy_cadence_windows(&p, 1795521600, 1795521600 + 100 * 86400, w, 2, &n), 0);
    assert_int_equal(w[0].starts_at, 1802142000);
}

static void holiday_chains(void **state)
{
    (void)state;
    /* 2027-12-24 is a Friday; with the 24th and Monday the 27th as holidays the release moves to
     * Tuesday the 28th and keeps the id of the 24th. */
    struct policy_project p = project("UTC", "FREQ=MONTHLY;BYMONTHDAY=24");
    p.rules.holidays[0] = day(2027, 12, 24);
    p.rules.holidays[1] = day(2027, 12, 27);
    p.rules.n_holidays = 2;
    struct policy_release w[4];
    size_t n;
    int64_t from = day(2027, 12, 1) * 86400;
    assert_int_equal(policy_cadence_windows(&p, from, from + 31 * 86400, w, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(w[0].id, "2027-12-24");
    assert_int_equal(w[0].starts_at, 1830002400);
    /* An instance on a weekend that is not a holiday stays where it is. */
    p = project("UTC", "FREQ=MONTHLY;BYMONTHDAY=25");
    assert_int_equal(policy_cadence_windows(&p, from, from + 31 * 86400, w, 4, &n), 0);
    assert_int_equal(w[0].starts_at, day(2027, 12, 25) * 86400 + 14 * 3600);
}

/* A holiday moves an instance past a later one; the windows still come in start order, and
 * a full buffer keeps the earliest (found by fuzz/fuzz_rrule: windows came in rule order). */
static void holiday_keeps_order(void **state)
{
    (void)state;
    /* Friday 2027-01-08 is a holiday and moves to Monday the 11th; Saturday the 9th stays. */
    struct policy_project p = project("Europe/Berlin", "FREQ=WEEKLY;BYDAY=FR,SA");
    p.rules.holidays[0] = day(2027, 1, 8);
    p.rules.n_holidays = 1;
    struct policy_release w[4];
    size_t n;
    int64_t from = day(2027, 1, 4) * 86400, to = day(2027, 1, 17) * 86400;
    assert_int_equal(policy_cadence_windows(&p, from, to, w, 4, &n), 0);
    assert_int_equal(n, 4);
    const char *ids[] = {"2027-01-09", "2027-01-08", "2027-01-15", "2027-01-16"};
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(w[i].id, ids[i]);
        if (i > 0)
            assert_true(w[i].starts_at > w[i - 1].starts_at);
    }
    assert_int_equal(w[1].starts_at, day(2027, 1, 11) * 86400 + 13 * 3600); /* 14:00 CET */
    assert_int_equal(policy_cadence_windows(&p, from, to, w, 1, &n), RC_ETOOBIG);
    assert_int_equal(n, 1);
    assert_string_equal(w[0].id, "2027-01-09");
    assert_int_equal(policy_cadence_windows(&p, from, to, w, 2, &n), RC_ETOOBIG);
    assert_int_equal(n, 2);
    assert_string_equal(w[1].id, "2027-01-08");
}

/* A holiday shift never stacks two windows on one instant (issue 13): Monday 2027-01-04 is a
 * holiday, Tuesday already has a window, so Monday's instance moves to Wednesday. When the next
 * 10 working days all have a window, the instance merges into them (no window of its own); runs
 * of holidays do not count. The shifted window does not depend on where the range starts. */
static void holiday_never_stacks(void **state)
{
    (void)state;
    struct policy_project p = project("UTC", "FREQ=WEEKLY;BYDAY=MO,TU");
    p.rules.holidays[0] = day(2027, 1, 4);
    p.rules.n_holidays = 1;
    struct policy_release w[8];
    size_t n;
    int64_t from = day(2027, 1, 1) * 86400, to = day(2027, 1, 10) * 86400;
    assert_int_equal(policy_cadence_windows(&p, from, to, w, 8, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(w[0].id, "2027-01-05");
    assert_int_equal(w[0].starts_at, day(2027, 1, 5) * 86400 + 14 * 3600);
    assert_string_equal(w[1].id, "2027-01-04");
    assert_int_equal(w[1].starts_at, day(2027, 1, 6) * 86400 + 14 * 3600);
    /* From Wednesday morning: the same window. */
    assert_int_equal(policy_cadence_windows(&p, day(2027, 1, 6) * 86400, to, w, 8, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(w[0].id, "2027-01-04");
    assert_int_equal(w[0].starts_at, day(2027, 1, 6) * 86400 + 14 * 3600);
    /* A holiday on Wednesday too: Thursday. */
    p.rules.holidays[1] = day(2027, 1, 6);
    p.rules.n_holidays = 2;
    assert_int_equal(policy_cadence_windows(&p, from, to, w, 8, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(w[1].id, "2027-01-04");
    assert_int_equal(w[1].starts_at, day(2027, 1, 7) * 86400 + 14 * 3600);
    /* Every weekday is a window: Monday's instance merges into them. */
    p = project("UTC", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR");
    p.rules.holidays[0] = day(2027, 1, 4);
    p.rules.n_holidays = 1;
    from = day(2027, 1, 4) * 86400;
    assert_int_equal(policy_cadence_windows(&p, from, to, w, 8, &n), 0);
    assert_int_equal(n, 4);
    const char *ids[] = {"2027-01-05", "2027-01-06", "2027-01-07", "2027-01-08"};
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(w[i].id, ids[i]);
        assert_int_equal(w[i].starts_at, day(2027, 1, 5 + (int)i) * 86400 + 14 * 3600);
    }
    /* Two holiday instances competing for the same free day: the earlier gets it. Friday 8th
     * and Monday 11th are holidays; Friday's instance takes Tuesday 12th (no window), Monday's
     * the next free weekday, Wednesday 13th. */
    p = project("UTC", "FREQ=WEEKLY;BYDAY=MO,FR");
    p.rules.holidays[0] = day(2027, 1, 8);
    p.rules.holidays[1] = day(2027, 1, 11);
    p.rules.n_holidays = 2;
    from = day(2027, 1, 7) * 86400;
    assert_int_equal(policy_cadence_windows(&p, from, from + 8 * 86400, w, 8, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(w[0].id, "2027-01-08");
    assert_int_equal(w[0].starts_at, day(2027, 1, 12) * 86400 + 14 * 3600);
    assert_string_equal(w[1].id, "2027-01-11");
    assert_int_equal(w[1].starts_at, day(2027, 1, 13) * 86400 + 14 * 3600);
    /* A three-week shutdown moves a monthly instance past it, however long. */
    p = project("UTC", "FREQ=MONTHLY;BYMONTHDAY=4");
    p.rules.n_holidays = 0;
    for (int d = 4; d <= 22; d++)
        p.rules.holidays[p.rules.n_holidays++] = day(2027, 1, d);
    from = day(2027, 1, 10) * 86400;
    assert_int_equal(policy_cadence_windows(&p, from, from + 20 * 86400, w, 8, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(w[0].id, "2027-01-04");
    assert_int_equal(w[0].starts_at, day(2027, 1, 25) * 86400 + 14 * 3600);
    /* A weekday listed twice is one window (libical gave it twice; found by fuzz/fuzz_rrule). */
    p = project("UTC", "FREQ=WEEKLY;BYDAY=MO,FR,FR");
    from = day(2027, 1, 4) * 86400;
    assert_int_equal(policy_cadence_windows(&p, from, from + 7 * 86400, w, 8, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(w[1].id, "2027-01-08");
}

/* BYWEEKNO (issue 13): libical gave a Tuesday for BYWEEKNO=1;BYDAY=MO, missed 2027-12-31 for
 * BYWEEKNO=-1;BYDAY=FR and changed with the start of the range. Weeks start on WKST (Monday by
 * default); week 1 is the first with four days in the year. Expected days from
 * python3-dateutil's rrule (the weeks of 2026-2030 checked against ISO week numbers). */
static void byweekno_rules(void **state)
{
    (void)state;
    const struct {
        const char *rule;
        const char *ids[6];
    } rows[] = {
        {"FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO",
         {"2027-01-04", "2028-01-03", "2029-01-01", "2029-12-31", "2030-12-30"}},
        {"FREQ=YEARLY;BYWEEKNO=-1;BYDAY=FR",
         {"2027-01-01", "2027-12-31", "2028-12-29", "2029-12-28", "2030-12-27"}},
        {"FREQ=YEARLY;BYWEEKNO=20,-20;BYDAY=TU,SA;BYSETPOS=2",
         {"2027-05-22", "2028-05-20", "2029-05-19", "2030-05-18"}},
        {"FREQ=YEARLY;BYWEEKNO=53;BYDAY=SU,SA", {"2027-01-02", "2027-01-03"}},
        {"FREQ=YEARLY;BYWEEKNO=1;WKST=SU;BYDAY=SU",
         {"2027-01-03", "2028-01-02", "2028-12-31", "2029-12-30", "2030-12-29"}},
        {"FREQ=YEARLY;INTERVAL=2;BYWEEKNO=1;BYDAY=MO,SU",
         {"2028-01-03", "2028-01-09", "2030-01-06", "2030-12-30"}},
    };
    int64_t from = day(2026, 6, 1) * 86400, to = day(2031, 1, 1) * 86400;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct policy_project p = project("UTC", rows[i].rule);
        char err[200];
        assert_int_equal(policy_cadence_check(rows[i].rule, from, err, sizeof err), 0);
        /* The same windows whatever the range starts from. */
        for (int64_t f = from; f >= day(2020, 1, 1) * 86400; f -= 700 * 86400) {
            struct policy_release w[16];
            size_t n, k = 0;
            assert_int_equal(policy_cadence_windows(&p, f, to, w, 16, &n), 0);
            for (size_t j = 0; j < n; j++) {
                if (w[j].starts_at < from)
                    continue;
                if (!rows[i].ids[k] || strcmp(w[j].id, rows[i].ids[k]) != 0) {
                    fprintf(stderr, "%s from %lld: window %zu is %s, want %s\n", rows[i].rule,
                            (long long)f, k, w[j].id, rows[i].ids[k] ? rows[i].ids[k] : "none");
                    fail();
                }
                assert_int_equal(w[j].starts_at, day((int)strtol(w[j].id, NULL, 10),
                                                     (int)strtol(w[j].id + 5, NULL, 10),
                                                     (int)strtol(w[j].id + 8, NULL, 10)) *
                                                         86400 +
                                                     14 * 3600);
                k++;
            }
            assert_null(rows[i].ids[k]);
        }
    }
    /* With weeks starting on Sunday, 2026 has 52 weeks (week 1 of 2026 starts on January 4,
     * that of 2027 on January 3), 2031 has 53 (its last from December 28 to January 3).
     * dateutil gives 2027-01-02 as in a week 53 of 2026 here, which the definition does not. */
    struct policy_project p = project("UTC", "FREQ=YEARLY;BYWEEKNO=53;WKST=SU;BYDAY=SU,SA");
    struct policy_release w[4];
    size_t n;
    assert_int_equal(policy_cadence_windows(&p, from, day(2032, 2, 1) * 86400, w, 4, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(w[0].id, "2031-12-28");
    assert_string_equal(w[1].id, "2032-01-03");
}

/* RSCALE (RFC 7529) makes libical allocate the calendar's name, which every parse leaked, on
 * refusal and after expansion alike (found by fuzz/fuzz_rrule; shows under --sanitize and
 * --valgrind). */
static void rscale_rules(void **state)
{
    (void)state;
    char err[200];
    int64_t now = 1795521600;
    assert_int_equal(policy_cadence_check("RSCALE=GREGORIAN;FREQ=HOURLY", now, err, sizeof err),
                     RC_EPARSE);
    assert_int_equal(
        policy_cadence_check("RSCALE=GREGORIAN;FREQ=MONTHLY;BYMONTHDAY=24", now, err, sizeof err),
        0);
    struct policy_project p = project("UTC", "RSCALE=GREGORIAN;FREQ=MONTHLY;BYMONTHDAY=24");
    struct policy_release w[4];
    size_t n;
    int64_t from = day(2027, 12, 1) * 86400;
    assert_int_equal(policy_cadence_windows(&p, from, from + 31 * 86400, w, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(w[0].id, "2027-12-24");
}

static void rule_checks(void **state)
{
    (void)state;
    char err[200];
    int64_t now = 1795521600;
    assert_int_equal(
        policy_cadence_check("FREQ=MONTHLY;BYMONTH=2,5,8,11;BYDAY=2TU", now, err, sizeof err), 0);
    assert_int_equal(
        policy_cadence_check("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", now, err, sizeof err), 0);
    const struct {
        const char *rule;
        int rc;
        const char *needle;
    } bad[] = {
        {"", RC_EPARSE, "empty"},
        {"BYMONTH=2", RC_EPARSE, "not a valid"},
        {"FREQ=FOO", RC_EPARSE, "not a valid"},
        {"FREQ=HOURLY", RC_EPARSE, "FREQ must be"},
        {"FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30", RC_EPARSE, "FREQ must be"},
        {"FREQ=DAILY;BYHOUR=3", RC_EPARSE, "BYHOUR"},
        {"FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30", RC_ENOMATCH, "never match"},
        {"FREQ=YEARLY;BYMONTH=4,6;BYMONTHDAY=31", RC_ENOMATCH, "never match"},
        {"FREQ=MONTHLY;UNTIL=20210101T000000;BYMONTHDAY=1", RC_ENOMATCH, "no instance"},
        {"FREQ=MONTHLY;COUNT=3;BYMONTHDAY=1", RC_ENOMATCH, "no instance"},
        {"FREQ=YEARLY;INTERVAL=20;BYMONTH=1;BYMONTHDAY=1", RC_ENOMATCH, "no instance"},
        /* BYWEEKNO only with YEARLY (RFC 5545 section 3.3.10), with plain weekdays. */
        {"FREQ=MONTHLY;BYWEEKNO=1;BYDAY=MO", RC_EPARSE, "BYWEEKNO needs FREQ=YEARLY"},
        {"FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO", RC_EPARSE, "plain weekdays"},
        {"FREQ=YEARLY;BYWEEKNO=53;BYMONTH=6", RC_ENOMATCH, "no instance"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        int rc = policy_cadence_check(bad[i].rule, now, err, sizeof err);
        if (rc != bad[i].rc || !strstr(err, bad[i].needle)) {
            fprintf(stderr, "%s: rc %d '%s'\n", bad[i].rule, rc, err);
            fail();
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(zone_from_bytes),      cmocka_unit_test(windows_all),
        cmocka_unit_test(zone_conversions),     cmocka_unit_test(default_cadence_berlin),
        cmocka_unit_test(other_zones),          cmocka_unit_test(holiday_chains),
        cmocka_unit_test(holiday_keeps_order),  cmocka_unit_test(rscale_rules),
        cmocka_unit_test(rule_checks),          cmocka_unit_test(zone_rules_after_2037),
        cmocka_unit_test(holiday_never_stacks), cmocka_unit_test(byweekno_rules),
    };
    return cmocka_run_group_tests(tests, NULL, free_zones);
}
