/* policy/tzrule: POSIX TZ strings and TZif tables. Every expected offset was computed with
 * Python's zoneinfo (the footer rows with zoneinfo._zoneinfo._parse_tz_str(s) and
 * get_trans_info_fromutc at each transition instant and one second before it; the zone rows with
 * datetime.fromtimestamp(t, ZoneInfo(zone)).utcoffset()), not with this code. Every footer row
 * also agrees with glibc (TZ='...' date -d @t +%z). For the zero-based day form ("300") zoneinfo
 * is a day late (it counts it from 1); those rows are glibc's, which follows POSIX (n = 0 is
 * January 1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "policy/tzrule.h"

static const struct {
    const char *tz;
    int64_t t;
    int32_t offset;
} footer_rows[] = {
    {"<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", 2233150199, 37800},
    {"<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", 2233150200, 39600},
    {"<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", 2216818799, 39600},
    {"<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", 2216818800, 37800},
    {"<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", 2264599799, 37800},
    {"<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", 2264599800, 39600},
    {"<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", 2248873199, 39600},
    {"<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", 2248873200, 37800},
    {"<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", 2232539999, 45900},
    {"<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", 2232540000, 49500},
    {"<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", 2216815199, 49500},
    {"<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", 2216815200, 45900},
    {"<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", 2263989599, 45900},
    {"<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", 2263989600, 49500},
    {"<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", 2248869599, 49500},
    {"<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", 2248869600, 45900},
    {"<-04>4<-03>,M9.1.6/24,M4.1.6/24", 2230171199, -14400},
    {"<-04>4<-03>,M9.1.6/24,M4.1.6/24", 2230171200, -10800},
    {"<-04>4<-03>,M9.1.6/24,M4.1.6/24", 2217466799, -10800},
    {"<-04>4<-03>,M9.1.6/24,M4.1.6/24", 2217466800, -14400},
    {"<-04>4<-03>,M9.1.6/24,M4.1.6/24", 2262225599, -14400},
    {"<-04>4<-03>,M9.1.6/24,M4.1.6/24", 2262225600, -10800},
    {"<-04>4<-03>,M9.1.6/24,M4.1.6/24", 2248916399, -10800},
    {"<-04>4<-03>,M9.1.6/24,M4.1.6/24", 2248916400, -14400},
    {"CET-1CEST,M3.5.0,M10.5.0/3", 2216249999, 3600},
    {"CET-1CEST,M3.5.0,M10.5.0/3", 2216250000, 7200},
    {"CET-1CEST,M3.5.0,M10.5.0/3", 2234998799, 7200},
    {"CET-1CEST,M3.5.0,M10.5.0/3", 2234998800, 3600},
    {"CET-1CEST,M3.5.0,M10.5.0/3", 2248304399, 3600},
    {"CET-1CEST,M3.5.0,M10.5.0/3", 2248304400, 7200},
    {"CET-1CEST,M3.5.0,M10.5.0/3", 2266448399, 7200},
    {"CET-1CEST,M3.5.0,M10.5.0/3", 2266448400, 3600},
    {"EST5EDT,M3.2.0,M11.1.0", 2215061999, -18000},
    {"EST5EDT,M3.2.0,M11.1.0", 2215062000, -14400},
    {"EST5EDT,M3.2.0,M11.1.0", 2235621599, -14400},
    {"EST5EDT,M3.2.0,M11.1.0", 2235621600, -18000},
    {"EST5EDT,M3.2.0,M11.1.0", 2246511599, -18000},
    {"EST5EDT,M3.2.0,M11.1.0", 2246511600, -14400},
    {"EST5EDT,M3.2.0,M11.1.0", 2267071199, -14400},
    {"EST5EDT,M3.2.0,M11.1.0", 2267071200, -18000},
    {"<-02>2<-01>,M3.5.0/-1,M10.5.0/0", 2216249999, -7200},
    {"<-02>2<-01>,M3.5.0/-1,M10.5.0/0", 2216250000, -3600},
    {"<-02>2<-01>,M3.5.0/-1,M10.5.0/0", 2234998799, -3600},
    {"<-02>2<-01>,M3.5.0/-1,M10.5.0/0", 2234998800, -7200},
    {"<-02>2<-01>,M3.5.0/-1,M10.5.0/0", 2248304399, -7200},
    {"<-02>2<-01>,M3.5.0/-1,M10.5.0/0", 2248304400, -3600},
    {"<-02>2<-01>,M3.5.0/-1,M10.5.0/0", 2266448399, -3600},
    {"<-02>2<-01>,M3.5.0/-1,M10.5.0/0", 2266448400, -7200},
    {"IST-1GMT0,M10.5.0,M3.5.0/1", 2234998799, 3600},
    {"IST-1GMT0,M10.5.0,M3.5.0/1", 2234998800, 0},
    {"IST-1GMT0,M10.5.0,M3.5.0/1", 2216249999, 0},
    {"IST-1GMT0,M10.5.0,M3.5.0/1", 2216250000, 3600},
    {"IST-1GMT0,M10.5.0,M3.5.0/1", 2266448399, 3600},
    {"IST-1GMT0,M10.5.0,M3.5.0/1", 2266448400, 0},
    {"IST-1GMT0,M10.5.0,M3.5.0/1", 2248304399, 0},
    {"IST-1GMT0,M10.5.0,M3.5.0/1", 2248304400, 3600},
    {"EST5EDT,J60/2,300/2", 2214197999, -18000},
    {"EST5EDT,J60/2,300/2", 2214198000, -14400},
    {"EST5EDT,J60/2,300/2", 2234930399, -14400},
    {"EST5EDT,J60/2,300/2", 2234930400, -18000},
    {"EST5EDT,J60/2,300/2", 2245733999, -18000},
    {"EST5EDT,J60/2,300/2", 2245734000, -14400},
    {"EST5EDT,J60/2,300/2", 2266552799, -14400},
    {"EST5EDT,J60/2,300/2", 2266552800, -18000},
    {"IST-5:30", 2240000000, 19800},
    {"<+0330>-3:30", 2240000000, 12600},
    {"<-03>3", 2240000000, -10800},
};

static void footer_offsets(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof footer_rows / sizeof footer_rows[0]; i++) {
        struct policy_tzrule r;
        assert_int_equal(policy_tzrule_parse(footer_rows[i].tz, &r), 0);
        int32_t got = policy_tzrule_offset_at(&r, footer_rows[i].t);
        if (got != footer_rows[i].offset) {
            fprintf(stderr, "%s at %lld: %d, want %d\n", footer_rows[i].tz,
                    (long long)footer_rows[i].t, got, footer_rows[i].offset);
            fail();
        }
    }
}

static void footer_parse(void **state)
{
    (void)state;
    struct policy_tzrule r;
    assert_int_equal(policy_tzrule_parse("<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", &r), 0);
    assert_int_equal(r.std_offset, 12 * 3600 + 45 * 60);
    assert_int_equal(r.dst_offset, 13 * 3600 + 45 * 60); /* default: one hour more */
    assert_true(r.has_dst);
    assert_int_equal(r.start.kind, 'M');
    assert_int_equal(r.start.month, 9);
    assert_int_equal(r.start.week, 5);
    assert_int_equal(r.start.weekday, 0);
    assert_int_equal(r.start.time, 2 * 3600 + 45 * 60);
    assert_int_equal(r.end.time, 3 * 3600 + 45 * 60);
    assert_int_equal(policy_tzrule_parse("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", &r), 0);
    assert_int_equal(r.start.time, -3600);
    assert_int_equal(policy_tzrule_parse("IST-5:30", &r), 0);
    assert_false(r.has_dst);
    assert_int_equal(r.std_offset, 5 * 3600 + 30 * 60);
    const char *bad[] = {"",
                         "EST",
                         "5EST",
                         "EST5EDT",
                         "EST5EDT,M3.2.0",
                         "EST5EDT,M13.2.0,M11.1.0",
                         "EST5EDT,M3.6.0,M11.1.0",
                         "EST5EDT,M3.2.7,M11.1.0",
                         "EST5EDT,J0,J365",
                         "EST5EDT,J1,366",
                         "EST5EDT,M3.2.0/168,M11.1.0",
                         "<+1030-10:30",
                         "EST25",
                         "EST5:60",
                         "EST5EDT,M3.2.0,M11.1.0x",
                         "EST 5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (policy_tzrule_parse(bad[i], &r) != RC_EPARSE) {
            fprintf(stderr, "accepted '%s'\n", bad[i]);
            fail();
        }
    }
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

/* The table up to 2037, the footer after it (2038-10-03 is the first DST start past the table
 * of Debian's Lord_Howe file: the shift is 30 minutes). */
static void tzif_lord_howe(void **state)
{
    (void)state;
    size_t len;
    unsigned char *buf = slurp("/usr/share/zoneinfo/Australia/Lord_Howe", &len);
    struct policy_tzif z;
    assert_int_equal(policy_tzif_parse(buf, len, &z), 0);
    assert_true(z.has_footer);
    assert_true(z.n > 10);
    const struct {
        int64_t t;
        int32_t offset;
    } rows[] = {
        {0, 36000},          {500000000, 39600},  {2000000000, 37800},
        {2169646199, 37800}, {2169646200, 39600}, {4102444800, 39600},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_int_equal(policy_tzif_offset_at(&z, rows[i].t), rows[i].offset);
    policy_tzif_free(&z);
    /* Truncated or foreign data is refused. */
    for (size_t cut = 0; cut < len; cut += len / 7 + 1)
        assert_int_equal(policy_tzif_parse(buf, cut, &z), RC_EPARSE);
    memcpy(buf, "TZix", 4);
    assert_int_equal(policy_tzif_parse(buf, len, &z), RC_EPARSE);
    free(buf);
}

/* A TZif file built here, byte by byte as RFC 8536 lays it out: a version 1 part with one local
 * time type and no transitions, then the version 2 header, its 64-bit block and the footer. The
 * fields a case breaks are in the spec. */
struct tzif_spec {
    const char *magic2; /* the second header's magic ("TZif") */
    uint32_t n;         /* transitions */
    int64_t times[4];
    uint8_t idx[4];
    uint32_t n_types;
    int32_t offsets[4];
    uint32_t isut, isstd; /* indicator counts (0 or n_types when valid) */
    uint32_t time_count;  /* the header's transition count when it lies (0: n) */
    const char *footer;   /* the bytes after the block, as written */
};

static void put32(unsigned char **p, uint32_t v)
{
    (*p)[0] = (unsigned char)(v >> 24);
    (*p)[1] = (unsigned char)(v >> 16);
    (*p)[2] = (unsigned char)(v >> 8);
    (*p)[3] = (unsigned char)v;
    *p += 4;
}

static void header(unsigned char **p, const char *magic, uint32_t isut, uint32_t isstd,
                   uint32_t time, uint32_t type, uint32_t chars)
{
    memcpy(*p, magic, 4);
    (*p)[4] = '2';
    memset(*p + 5, 0, 15);
    *p += 20;
    put32(p, isut);
    put32(p, isstd);
    put32(p, 0); /* leap seconds */
    put32(p, time);
    put32(p, type);
    put32(p, chars);
}

static size_t build_tzif(const struct tzif_spec *s, unsigned char *out)
{
    unsigned char *p = out;
    header(&p, "TZif", 0, 0, 0, 1, 4); /* version 1 part: one type, "UTC" */
    put32(&p, 0);
    *p++ = 0;
    *p++ = 0;
    memcpy(p, "UTC", 4);
    p += 4;
    header(&p, s->magic2 ? s->magic2 : "TZif", s->isut, s->isstd,
           s->time_count ? s->time_count : s->n, s->n_types, 4);
    for (uint32_t i = 0; i < s->n; i++) {
        put32(&p, (uint32_t)((uint64_t)s->times[i] >> 32));
        put32(&p, (uint32_t)s->times[i]);
    }
    for (uint32_t i = 0; i < s->n; i++)
        *p++ = s->idx[i];
    for (uint32_t i = 0; i < s->n_types; i++) {
        put32(&p, (uint32_t)s->offsets[i]);
        *p++ = 0; /* isdst */
        *p++ = 0; /* abbreviation index */
    }
    memcpy(p, "XYZ", 4);
    p += 4;
    for (uint32_t i = 0; i < s->isut + s->isstd; i++)
        *p++ = 0;
    size_t n = strlen(s->footer);
    memcpy(p, s->footer, n);
    return (size_t)(p - out) + n;
}

/* A valid table: type 0 before the first transition, the table, then the footer's rule; an
 * empty footer keeps the last offset. Python's zoneinfo (ZoneInfo.from_file) reads the first
 * file built here with the same four offsets. */
static void tzif_built(void **state)
{
    (void)state;
    unsigned char buf[1024];
    struct tzif_spec s = {.n = 2,
                          .times = {1000, 2000},
                          .idx = {1, 0},
                          .n_types = 2,
                          .offsets = {3600, 7200},
                          .isut = 2,
                          .isstd = 2,
                          .footer = "\n<+05>-5\n"};
    struct policy_tzif z;
    assert_int_equal(policy_tzif_parse(buf, build_tzif(&s, buf), &z), 0);
    assert_int_equal(policy_tzif_offset_at(&z, 0), 3600);
    assert_int_equal(policy_tzif_offset_at(&z, 1000), 7200);
    assert_int_equal(policy_tzif_offset_at(&z, 1999), 7200);
    assert_int_equal(policy_tzif_offset_at(&z, 3000), 18000); /* past the table: the footer */
    policy_tzif_free(&z);
    s.footer = "\n\n";
    assert_int_equal(policy_tzif_parse(buf, build_tzif(&s, buf), &z), 0);
    assert_false(z.has_footer);
    assert_int_equal(policy_tzif_offset_at(&z, 3000), 3600);
    policy_tzif_free(&z);
}

/* Each case breaks one rule of RFC 8536 that the parser relies on; each is refused. */
static void tzif_corrupt(void **state)
{
    (void)state;
    static const char long_footer[] =
        "\n<+0000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000>-5\n";
    const struct tzif_spec valid = {.n = 2,
                                    .times = {1000, 2000},
                                    .idx = {1, 0},
                                    .n_types = 2,
                                    .offsets = {3600, 7200},
                                    .footer = "\nCET-1\n"};
    struct tzif_spec cases[11];
    for (size_t i = 0; i < 11; i++)
        cases[i] = valid;
    cases[0].n_types = 0;          /* no local time type */
    cases[1].idx[1] = 2;           /* a transition to a type that does not exist */
    cases[2].times[1] = 1000;      /* two transitions at one instant */
    cases[3].times[1] = 500;       /* transitions out of order */
    cases[4].footer = "CET-1\n";   /* the footer must start with a newline */
    cases[5].footer = "\nCET-1";   /* ... and end with one */
    cases[6].footer = long_footer; /* longer than any real TZ string */
    cases[7].footer = "\nX\n";     /* not a POSIX TZ string */
    cases[8].isut = 1;             /* UT indicators for some types only */
    cases[9].magic2 = "TZix";      /* the version 2 header's magic */
    cases[10].time_count = 100001; /* more transitions than the file holds */
    unsigned char buf[1024];
    struct policy_tzif z;
    for (size_t i = 0; i < 11; i++) {
        size_t len = build_tzif(&cases[i], buf);
        if (policy_tzif_parse(buf, len, &z) != RC_EPARSE) {
            fprintf(stderr, "case %zu parsed\n", i);
            policy_tzif_free(&z);
            fail();
        }
    }
    /* The valid one parses, so each refusal above is the broken field's. */
    assert_int_equal(policy_tzif_parse(buf, build_tzif(&valid, buf), &z), 0);
    policy_tzif_free(&z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(footer_offsets), cmocka_unit_test(footer_parse),
        cmocka_unit_test(tzif_lord_howe), cmocka_unit_test(tzif_built),
        cmocka_unit_test(tzif_corrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
