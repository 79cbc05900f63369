/* page/: escaped values (XSS attempts in a project name and an advisory title), upcoming and past
 * sections, local times (once for a project in UTC), the cadence in words, the branches with
 * their end of life, a label on every cell, subscribe links and the links to the
 * machine-readable advisories, and that only the projection's fields appear. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "page/page.h"
#include "zones_fixture.h"

static void page(void **state)
{
    (void)state;
    struct policy_project p;
    memset(&p, 0, sizeof p);
    snprintf(p.id, sizeof p.id, "%s", "mautic");
    snprintf(p.name, sizeof p.name, "%s", "<img src=x onerror=alert(1)>");
    snprintf(p.timezone, sizeof p.timezone, "%s", "Europe/Berlin");
    policy_rules_defaults(&p.rules);
    snprintf(p.rules.cadence, sizeof p.rules.cadence, "%s",
             "FREQ=MONTHLY;BYMONTH=2,5,8,11;BYDAY=2TU");
    p.rules.release_minute = 840;
    p.n_branches = 3;
    snprintf(p.branches[0].name, sizeof p.branches[0].name, "%s", "5.x");
    snprintf(p.branches[0].version, sizeof p.branches[0].version, "%s", "5.1.3");
    p.branches[0].eol_day = POLICY_TIME_NONE;
    snprintf(p.branches[1].name, sizeof p.branches[1].name, "%s", "4.x");
    snprintf(p.branches[1].version, sizeof p.branches[1].version, "%s", "4.4.12");
    p.branches[1].eol_day = 20999; /* 2027-06-30 */
    snprintf(p.branches[2].name, sizeof p.branches[2].name, "%s", "3.x");
    snprintf(p.branches[2].version, sizeof p.branches[2].version, "%s", "3.9.9");
    p.branches[2].eol_day = 20362; /* 2025-10-01, before now */
    const struct policy_project *ps[] = {&p};
    struct calendar_public_advisory adv = {.title = "<script>steal()</script>",
                                           .cve = "CVE-2027-1",
                                           .summary = "a \"quoted\" summary",
                                           .ghsa = "GHSA-2c3f-4g5h-6j7m",
                                           .vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                                           .score = 9.8,
                                           .label = "Critical",
                                           .level = "critical",
                                           .fixed = "5.x 5.1.3",
                                           .credits = "<b>Ana</b> (finder)",
                                           .url = "https://x.example/sa?a=1&b=\"><script>"};
    struct calendar_public_release r[2];
    memset(r, 0, sizeof r);
    for (int i = 0; i < 2; i++) {
        r[i].project_id = "mautic";
        r[i].project_name = p.name;
        r[i].zone = berlin;
    }
    snprintf(r[0].id, sizeof r[0].id, "%s", "2027-02-09");
    r[0].status = POLICY_RELEASE_ANNOUNCED;
    r[0].starts_at = 1802178000; /* 2027-02-09T13:00Z = 14:00 Berlin */
    r[0].ends_at = r[0].starts_at + 7200;
    r[0].counts_known = true;
    r[0].fix_count = 2;
    r[0].has_level = true;
    r[0].max_level = POLICY_LEVEL_HIGH;
    snprintf(r[1].id, sizeof r[1].id, "%s", "2026-11-10");
    r[1].status = POLICY_RELEASE_RELEASED;
    r[1].starts_at = 1794319200;
    r[1].ends_at = r[1].starts_at + 7200;
    r[1].advisories = &adv;
    r[1].n_advisories = 1;
    r[1].n_versions = 1;
    snprintf(r[1].versions[0].branch, sizeof r[1].versions[0].branch, "%s", "5.x");
    snprintf(r[1].versions[0].version, sizeof r[1].versions[0].version, "%s", "5.1.3");
    size_t len;
    char *html = page_render("https://security.example.org", ps, 1, r, 2, 1795521600, &len);
    assert_int_equal(strlen(html), len);
    assert_null(strstr(html, "<img src=x"));
    assert_null(strstr(html, "<script>steal"));
    assert_non_null(strstr(html, "&lt;img src=x onerror=alert(1)&gt;"));
    assert_non_null(strstr(html, "&lt;script&gt;steal()&lt;/script&gt;</a> (CVE-2027-1"));
    assert_non_null(strstr(html, "a &quot;quoted&quot; summary"));
    /* The advisory's public fields (docs/POLICY.md "Disclosure"), escaped, its URL too. */
    assert_non_null(
        strstr(html, "<a href=\"https://x.example/sa?a=1&amp;b=&quot;&gt;&lt;script&gt;\">"));
    assert_non_null(strstr(html, "(CVE-2027-1, GHSA-2c3f-4g5h-6j7m)"));
    assert_non_null(
        strstr(html, "Severity: Critical 9.8 (critical), <code>CVSS:3.1/AV:N/AC:L/PR:N/"));
    assert_non_null(strstr(html, "Fixed in: 5.x 5.1.3"));
    assert_non_null(strstr(html, "Credits: &lt;b&gt;Ana&lt;/b&gt; (finder)"));
    assert_non_null(strstr(html, "2027-02-09 13:00 UTC<br>2027-02-09 14:00 Europe/Berlin"));
    assert_non_null(strstr(html, "in 77 days"));
    assert_non_null(strstr(html, "2 fixes, highest level high"));
    assert_non_null(strstr(html, "href=\"webcal://security.example.org/feeds/mautic.ics\""));
    assert_non_null(strstr(html, "href=\"https://security.example.org/feeds/mautic.ics\""));
    assert_non_null(
        strstr(html, "readonly value=\"https://security.example.org/feeds/mautic.ics\""));
    /* The released one is in the past section, after the upcoming one. */
    char *upcoming = strstr(html, "Upcoming releases"), *past = strstr(html, "Past releases");
    assert_true(upcoming && past && upcoming < strstr(html, "id=\"2027-02-09\"") &&
                past < strstr(html, "id=\"2026-11-10\""));
    assert_null(strstr(html, "<script"));
    /* The cadence in words, not the RRULE (policy/cadence_text.h). */
    assert_non_null(strstr(html, "Scheduled security releases: second Tuesday of February, May, "
                                 "August and November, 14:00 Europe/Berlin."));
    assert_null(strstr(html, "FREQ="));
    /* Past releases: versions, and the release's CSAF document. */
    assert_non_null(strstr(html, "<td data-label=\"Versions\">5.x 5.1.3</td>"));
    assert_non_null(strstr(
        html, "<a href=\"https://security.example.org/advisories/mautic/2026-11-10.csaf.json\">"));
    assert_null(strstr(html, "2027-02-09.csaf.json")); /* not published */
    /* The project's machine-readable advisories. */
    assert_non_null(
        strstr(html, "<a href=\"https://security.example.org/feeds/mautic/advisories.atom\">"));
    assert_non_null(
        strstr(html, "<a href=\"https://security.example.org/advisories/mautic/all.json\">"));
    /* Branches: current version and end of life where known; the feed's EOL events link here. */
    assert_non_null(strstr(html, "<table id=\"branches-mautic\"><caption>Branches</caption>"));
    assert_non_null(strstr(html, "<td data-label=\"Branch\">4.x</td><td data-label=\"Current "
                                 "version\">4.4.12</td><td data-label=\"End of life\"><time "
                                 "datetime=\"2027-06-30\">2027-06-30</time></td>"));
    assert_non_null(strstr(html, "<td data-label=\"End of life\">not announced</td>"));
    assert_non_null(strstr(html, "ended <time datetime=\"2025-10-01\">"));
    /* Every cell carries its column's name for the narrow layout. */
    size_t cells = 0, labelled = 0;
    for (const char *q = html; (q = strstr(q, "<td")); q++)
        cells++;
    for (const char *q = html; (q = strstr(q, "<td data-label=\"")); q++)
        labelled++;
    assert_true(cells >= 14);
    assert_int_equal(cells, labelled);
    free(html);
}

/* A project in UTC shows each time once, not "13:00 UTC" twice. */
static void utc_once(void **state)
{
    (void)state;
    struct policy_project p;
    memset(&p, 0, sizeof p);
    snprintf(p.id, sizeof p.id, "%s", "acme");
    snprintf(p.name, sizeof p.name, "%s", "Acme");
    snprintf(p.timezone, sizeof p.timezone, "%s", "UTC");
    policy_rules_defaults(&p.rules);
    snprintf(p.rules.cadence, sizeof p.rules.cadence, "%s", "FREQ=MONTHLY;BYDAY=-1TH");
    p.rules.release_minute = 780;
    const struct policy_project *ps[] = {&p};
    struct calendar_public_release r;
    memset(&r, 0, sizeof r);
    r.project_id = "acme";
    r.project_name = "Acme";
    r.zone = utc;
    snprintf(r.id, sizeof r.id, "%s", "2027-02-25");
    r.starts_at = 1803560400; /* 2027-02-25T13:00Z */
    r.ends_at = r.starts_at + 7200;
    size_t len;
    char *html = page_render("https://security.example.org", ps, 1, &r, 1, 1795521600, &len);
    assert_non_null(strstr(html, "<time datetime=\"2027-02-25T13:00:00Z\">2027-02-25 13:00 "
                                 "UTC</time>"));
    assert_null(strstr(html, "13:00 UTC<br>"));
    assert_non_null(strstr(html, "Scheduled security releases: last Thursday of every month, "
                                 "13:00 UTC."));
    free(html);
}

/* The 404 page: the same head (language, viewport, the one stylesheet the CSP allows), a link to
 * the page of every project with the public URL escaped. */
static void not_found(void **state)
{
    (void)state;
    size_t len;
    char *html = page_render_not_found("https://x.example/a\"b", &len);
    assert_int_equal(strlen(html), len);
    assert_non_null(strstr(html, "<html lang=\"en\">"));
    assert_non_null(strstr(html, "<title>Not found</title><style>*{box-sizing:border-box}"));
    assert_non_null(strstr(html, "<h1>Not found</h1>"));
    assert_non_null(strstr(html, "<a href=\"https://x.example/a&quot;b/\">"));
    assert_null(strstr(html, "<script"));
    free(html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(page), cmocka_unit_test(utc_once),
                                       cmocka_unit_test(not_found)};
    return cmocka_run_group_tests(tests, load_zones, free_zones);
}
