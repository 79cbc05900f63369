/* page/: HTML escaping (XSS attempts in a project name and an advisory title), upcoming and past
 * sections, local times, subscribe links, and that only the projection's fields appear. */
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

static void escaping(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1024);
    page_escape(&b, "<script>alert('x')</script> & \"q\"");
    assert_string_equal(buf_cstr(&b),
                        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    buf_close(&b);
}

static void page(void **state)
{
    (void)state;
    struct policy_project p;
    memset(&p, 0, sizeof p);
    snprintf(p.id, sizeof p.id, "%s", "mautic");
    snprintf(p.name, sizeof p.name, "%s", "<img src=x onerror=alert(1)>");
    snprintf(p.timezone, sizeof p.timezone, "%s", "Europe/Berlin");
    policy_rules_defaults(&p.rules);
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
        r[i].timezone = "Europe/Berlin";
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
    free(html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(escaping), cmocka_unit_test(page)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
