/* calendar/: framing (CRLF, 75-octet folding on UTF-8 boundaries), TEXT escaping (RFC 5545
 * 3.3.11), calendar properties, status mapping and byte-identical output for identical input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/calendar.h"
#include "zones_fixture.h"

static struct calendar_public_release release(const char *id, enum policy_release_status st)
{
    struct calendar_public_release r;
    memset(&r, 0, sizeof r);
    r.project_id = "mautic";
    r.project_name = "Mautic; \"CMS\", \\ Überprüfung ✓ — 日本語 with a long name to fold";
    r.zone = berlin;
    snprintf(r.id, sizeof r.id, "%s", id);
    r.status = st;
    r.starts_at = 1802178000;
    r.ends_at = 1802185200;
    r.last_modified = 1795521600;
    r.sequence = 3;
    return r;
}

/* Unfolds RFC 5545 content lines (CRLF followed by one space). */
static char *unfold(const char *s)
{
    char *out = strdup(s), *o = out;
    for (const char *p = s; *p; p++) {
        if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
            p += 2;
            continue;
        }
        *o++ = *p;
    }
    *o = '\0';
    return out;
}

static void framing_and_escaping(void **state)
{
    (void)state;
    struct calendar_public_release r[3] = {release("2027-02-09", POLICY_RELEASE_PLANNED),
                                           release("oos-1", POLICY_RELEASE_ANNOUNCED),
                                           release("2026-11-10", POLICY_RELEASE_SKIPPED)};
    r[1].kind = POLICY_RELEASE_OUT_OF_SEQUENCE;
    struct calendar_options o = {.name = "Mautic, security; releases\\",
                                 .public_url = "https://security.example.org:8443/base",
                                 .ttl_minutes = 360};
    size_t len;
    char *s = calendar_render(&o, r, 3, NULL, NULL, 0, &len);
    assert_int_equal(strlen(s), len);
    /* Every line ends in CRLF, none is longer than 75 octets. */
    const char *line = s;
    while (*line) {
        const char *crlf = strstr(line, "\r\n");
        assert_non_null(crlf);
        assert_true(crlf - line <= 75);
        assert_null(memchr(line, '\n', (size_t)(crlf - line)));
        /* A continuation never starts inside a UTF-8 sequence. */
        if (line[0] == ' ')
            assert_false(((unsigned char)line[1] & 0xC0) == 0x80);
        line = crlf + 2;
    }
    char *u = unfold(s);
    assert_non_null(strstr(u, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert_null(strstr(u, "METHOD:"));
    assert_non_null(strstr(u, "X-WR-CALNAME:Mautic  security  releases \r\n"));
    assert_non_null(strstr(u, "REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n"));
    assert_non_null(strstr(u, "X-PUBLISHED-TTL:PT6H\r\n"));
    /* TEXT escaping of , ; \ (RFC 5545 3.3.11) in SUMMARY. */
    assert_non_null(strstr(u, "SUMMARY:Mautic\\; \"CMS\"\\, \\\\ Überprüfung ✓ — 日本語"));
    assert_non_null(strstr(u, "UID:release-2027-02-09.mautic@security.example.org\r\n"));
    assert_non_null(strstr(u, "DTSTART:20270209T130000Z\r\n"));
    assert_non_null(strstr(u, "DTSTAMP:20261124T120000Z\r\n"));
    assert_non_null(strstr(u, "SEQUENCE:3\r\n"));
    assert_non_null(strstr(u, "STATUS:TENTATIVE\r\n"));
    assert_non_null(strstr(u, "STATUS:CONFIRMED\r\n"));
    assert_non_null(strstr(u, "STATUS:CANCELLED\r\n"));
    assert_non_null(strstr(u, "(out of sequence)"));
    assert_non_null(strstr(u, "TRANSP:TRANSPARENT\r\n"));
    assert_non_null(strstr(u, "URL:https://security.example.org:8443/base/p/mautic#oos-1\r\n"));
    /* The local time in the project's zone, with a newline escaped as \n. */
    assert_non_null(
        strstr(u, "DESCRIPTION:Starts: 2027-02-09 14:00 Europe/Berlin (2027-02-09T13:00:00Z)\\n"));
    /* Identical input, identical bytes. */
    size_t len2;
    char *s2 = calendar_render(&o, r, 3, NULL, NULL, 0, &len2);
    assert_int_equal(len, len2);
    assert_memory_equal(s, s2, len);
    free(s);
    free(s2);
    free(u);
}

static void team_events(void **state)
{
    (void)state;
    struct calendar_public_release r = release("2027-02-09", POLICY_RELEASE_PLANNED);
    const char *priv[] = {"\nTeam detail: #3 SQL injection\n"};
    struct calendar_team_event ev = {.uid_key = "cutoff-2027-02-09.mautic",
                                     .summary = "Mautic: readiness cut-off",
                                     .at = 1801573200,
                                     .last_modified = 1795521600};
    struct calendar_options o = {
        .name = "team", .public_url = "https://s.example", .ttl_minutes = 60};
    size_t len;
    char *s = calendar_render(&o, &r, 1, priv, &ev, 1, &len);
    char *u = unfold(s);
    assert_non_null(strstr(u, "Team detail: #3 SQL injection"));
    assert_non_null(strstr(u, "UID:cutoff-2027-02-09.mautic@s.example\r\n"));
    assert_non_null(strstr(u, "DTSTART:20270202T130000Z\r\nDTEND:20270202T131500Z\r\n"));
    assert_non_null(strstr(u, "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n"));
    free(s);
    free(u);
    char host[64];
    calendar_url_host("http://127.0.0.1:8080", host, sizeof host);
    assert_string_equal(host, "127.0.0.1");
}

/* A published release: SUMMARY names its versions ("Acme 5.1.3 and 4.5.9 security release");
 * DESCRIPTION lists each advisory's public fields (docs/POLICY.md "Disclosure"). */
static void advisories_and_versions(void **state)
{
    (void)state;
    struct calendar_public_release r = release("2027-02-09", POLICY_RELEASE_RELEASED);
    r.project_name = "Acme";
    r.n_versions = 2;
    snprintf(r.versions[0].branch, sizeof r.versions[0].branch, "%s", "5.x");
    snprintf(r.versions[0].version, sizeof r.versions[0].version, "%s", "5.1.3");
    snprintf(r.versions[1].branch, sizeof r.versions[1].branch, "%s", "4.x");
    snprintf(r.versions[1].version, sizeof r.versions[1].version, "%s", "4.5.9");
    struct calendar_public_advisory a = {.title = "SQL injection in search",
                                         .cve = "CVE-2027-12345",
                                         .ghsa = "GHSA-2c3f-4g5h-6j7m",
                                         .vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                                         .score = 9.8,
                                         .label = "Critical",
                                         .level = "critical",
                                         .fixed = "5.x 5.1.3",
                                         .summary = "Search builds SQL from input.",
                                         .credits = "Ana Lima (finder)",
                                         .url = "https://acme.example/sa/7",
                                         .published_at = 1802185200};
    r.advisories = &a;
    r.n_advisories = 1;
    struct calendar_options o = {
        .name = "Acme", .public_url = "https://s.example", .ttl_minutes = 60};
    size_t len;
    char *s = calendar_render(&o, &r, 1, NULL, NULL, 0, &len);
    char *u = unfold(s);
    assert_non_null(strstr(u, "SUMMARY:Acme 5.1.3 and 4.5.9 security release\r\n"));
    assert_non_null(strstr(u, "\\nAdvisory: SQL injection in search\\n"));
    assert_non_null(strstr(u, "  CVE-2027-12345 GHSA-2c3f-4g5h-6j7m\\n"));
    assert_non_null(strstr(
        u, "  Severity: Critical 9.8 (critical) CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\\n"));
    assert_non_null(strstr(u, "  Fixed in: 5.x 5.1.3\\n"));
    assert_non_null(strstr(u, "  Credits: Ana Lima (finder)\\n"));
    assert_non_null(strstr(u, "  https://acme.example/sa/7\\n"));
    assert_non_null(strstr(u, "  Published: 2027-02-09T15:00:00Z\\n"));
    free(s);
    free(u);
    /* One version: "Acme 5.1.3 security release"; none known: no number. */
    r.n_versions = 1;
    r.n_advisories = 0;
    s = calendar_render(&o, &r, 1, NULL, NULL, 0, &len);
    u = unfold(s);
    assert_non_null(strstr(u, "SUMMARY:Acme 5.1.3 security release\r\n"));
    free(s);
    free(u);
    r.n_versions = 0;
    s = calendar_render(&o, &r, 1, NULL, NULL, 0, &len);
    u = unfold(s);
    assert_non_null(strstr(u, "SUMMARY:Acme security release\r\n"));
    free(s);
    free(u);
}

/* A branch's end of life is an all-day event (VALUE=DATE, DTEND the next day, RFC 5545 3.6.1)
 * with a UID from branch and project only, so a later render keeps it. */
static void end_of_life(void **state)
{
    (void)state;
    struct calendar_eol e[2] = {{.project_id = "mautic",
                                 .project_name = "Mautic",
                                 .branch = "4.x",
                                 .day = 20999, /* 2027-06-30 */
                                 .last_modified = 1795521600},
                                {.project_id = "mautic",
                                 .project_name = "Mautic",
                                 .branch = "3.x",
                                 .day = 20818, /* 2026-12-31: DTEND in the next year */
                                 .last_modified = 1795521600}};
    struct calendar_options o = {.name = "Mautic security releases",
                                 .public_url = "https://security.example.org",
                                 .ttl_minutes = 360,
                                 .eol = e,
                                 .n_eol = 2};
    size_t len;
    char *raw = calendar_render(&o, NULL, 0, NULL, NULL, 0, &len);
    char *s = unfold(raw);
    assert_non_null(strstr(s, "UID:eol-4.x.mautic@security.example.org\r\n"));
    assert_non_null(strstr(s, "DTSTART;VALUE=DATE:20270630\r\nDTEND;VALUE=DATE:20270701\r\n"));
    assert_non_null(strstr(s, "DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n"));
    assert_non_null(strstr(s, "SUMMARY:Mautic 4.x end of life\r\n"));
    assert_non_null(strstr(s, "DTSTAMP:20261124T120000Z\r\n"));
    assert_non_null(strstr(s, "TRANSP:TRANSPARENT\r\n"));
    assert_non_null(strstr(s, "URL:https://security.example.org/p/mautic#branches-mautic\r\n"));
    /* Byte-identical on a second render. */
    size_t len2;
    char *again = calendar_render(&o, NULL, 0, NULL, NULL, 0, &len2);
    assert_int_equal(len, len2);
    assert_memory_equal(raw, again, len);
    free(again);
    free(s);
    free(raw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(framing_and_escaping), cmocka_unit_test(team_events),
        cmocka_unit_test(advisories_and_versions), cmocka_unit_test(end_of_life)};
    return cmocka_run_group_tests(tests, load_zones, free_zones);
}
