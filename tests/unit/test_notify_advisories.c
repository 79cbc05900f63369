/* notifiers/render_advisories: a published release's advisories in Discord embeds within
 * Discord's limits (10 embeds, 256-code-point titles, 4096-code-point descriptions, 6000 in
 * all) without ever cutting a CVE id, in Discourse markdown, and the "rescheduled" dates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/json.h"
#include "notifiers/render.h"
#include "zones_fixture.h"

static size_t cps(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

/* A published release with `n` advisories whose titles and summaries are `len` code points
 * of multi-byte text, each with CVE-2027-1NNNN. */
static char *payload(size_t n, size_t len)
{
    json_t *advs = json_array();
    char *text = calloc(len * 3 + 1, 1);
    for (size_t k = 0; k < len; k++)
        memcpy(text + 3 * k, "\xe2\x9c\x93", 3); /* U+2713, 3 bytes */
    for (size_t i = 0; i < n; i++) {
        char cve[32];
        snprintf(cve, sizeof cve, "CVE-2027-1%04zu", i);
        json_array_append_new(
            advs, json_pack("{ss ss s{ss ss sf ss ss} ss s[{ssssss}] ss s[{ssss}] ss ss}", "title",
                            text, "cve", cve, "severity", "vector",
                            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "scheme", "cvss3.1",
                            "score", 9.8, "label", "Critical", "level", "critical", "level",
                            "critical", "versions", "branch", "5.x", "affected", "< 5.1.3", "fixed",
                            "5.1.3", "summary", text, "credits", "name", "Ana Lima", "role",
                            "FINDER", "advisory_url", "https://acme.example/sa/1", "published_at",
                            "2027-02-09T13:05:00Z"));
    }
    json_t *msg =
        json_pack("{ss ss s{ss s{ss ss ss ss sI ss s[{ssss}] so}}}", "type", "release.published",
                  "timestamp", "2027-02-09T13:05:00Z", "data", "project", "acme", "release", "id",
                  "2027-02-09", "kind", "scheduled", "status", "released", "starts_at",
                  "2027-02-09T13:00:00Z", "fix_count", (json_int_t)n, "max_level", "critical",
                  "versions", "branch", "5.x", "version", "5.1.3", "advisories", advs);
    char *out = json_dumps(msg, JSON_COMPACT);
    json_decref(msg);
    free(text);
    return out;
}

/* Every limit holds, every embedded CVE id is whole, and the advisories shown are in order. */
static void check_limits(const char *body, size_t n, size_t *shown)
{
    json_t *j = json_loads(body, 0, NULL);
    assert_non_null(j);
    json_t *embeds = json_object_get(j, "embeds");
    assert_true(json_array_size(embeds) <= 10);
    size_t total = 0;
    *shown = 0;
    size_t i;
    json_t *e;
    json_array_foreach(embeds, i, e)
    {
        const char *t = json_string_value(json_object_get(e, "title"));
        const char *d = json_string_value(json_object_get(e, "description"));
        assert_true(cps(t) <= 256);
        assert_true(cps(d) <= 4096);
        total += cps(t) + cps(d);
        if (i == 0)
            continue;
        /* Each advisory embed's title starts with its CVE id, whole; the list embed holds
         * whole ids only. */
        for (size_t k = 0; k < n; k++) {
            char cve[32];
            snprintf(cve, sizeof cve, "CVE-2027-1%04zu", k);
            if (strncmp(t, cve, strlen(cve)) == 0 || strstr(d, cve)) {
                assert_int_equal(k, *shown);
                (*shown)++;
            }
        }
        assert_null(strstr(d, "CVE-2027-1\xe2\x80\xa6"));
        for (const char *p = d; (p = strstr(p, "CVE-")); p += 4)
            assert_true(strlen(p) >= 14 && p[8] == '-' && p[9] == '1');
    }
    assert_true(total <= 6000);
    json_decref(j);
}

static void discord_embeds(void **state)
{
    (void)state;
    /* One short advisory: its own embed with every public field. */
    char *p = payload(1, 20);
    char *out = notify_render_discord(p, "Acme", utc, "https://s.example/p/acme");
    size_t shown;
    check_limits(out, 1, &shown);
    assert_int_equal(shown, 1);
    json_t *j = json_loads(out, 0, NULL);
    json_t *e = json_array_get(json_object_get(j, "embeds"), 1);
    assert_int_equal(json_array_size(json_object_get(j, "embeds")), 2);
    const char *t = json_string_value(json_object_get(e, "title"));
    const char *d = json_string_value(json_object_get(e, "description"));
    assert_int_equal(strncmp(t, "CVE-2027-10000: \xe2\x9c\x93", 19), 0);
    assert_non_null(strstr(
        d, "Severity: Critical 9.8 (critical), CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
    assert_non_null(strstr(d, "5.x: affected < 5.1.3, fixed in 5.1.3"));
    assert_non_null(strstr(d, "Advisory: https://acme.example/sa/1"));
    assert_non_null(strstr(d, "Credits: Ana Lima (FINDER)"));
    assert_non_null(strstr(d, "Published: 2027-02-09 13:05 UTC"));
    assert_string_equal(json_string_value(json_object_get(e, "url")), "https://acme.example/sa/1");
    json_decref(j);
    free(out);
    free(p);
    /* Long titles and summaries, 1 to 25 advisories: always within the limits, ids whole, at
     * least 8 advisories in full embeds, and the embeds never more than 10. */
    const size_t counts[] = {2, 5, 9, 10, 25};
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        p = payload(counts[c], 3000);
        out = notify_render_discord(p, "Acme", berlin, "https://s.example/p/acme");
        check_limits(out, counts[c], &shown);
        assert_true(shown >= (counts[c] < 9 ? counts[c] : 9));
        if (counts[c] > 9) {
            /* Those beyond are counted in the last embed. */
            j = json_loads(out, 0, NULL);
            json_t *embeds = json_object_get(j, "embeds");
            assert_int_equal(json_array_size(embeds), 10);
            const char *last =
                json_string_value(json_object_get(json_array_get(embeds, 9), "description"));
            if (shown < counts[c])
                assert_non_null(strstr(last, "more"));
            json_decref(j);
        }
        free(out);
        free(p);
    }
}

static void discourse_markdown(void **state)
{
    (void)state;
    char *p = payload(2, 10);
    char *out = notify_render_discourse(p, "Acme", utc, 4, 0, "ext");
    json_t *j = json_loads(out, 0, NULL);
    const char *raw = json_string_value(json_object_get(j, "raw"));
    assert_non_null(strstr(raw, "### Advisories"));
    assert_non_null(strstr(raw, "#### CVE-2027-10000: "));
    assert_non_null(strstr(raw, "#### CVE-2027-10001: "));
    assert_non_null(strstr(raw, "Severity: Critical 9.8 (critical)"));
    assert_non_null(strstr(raw, "Credits: Ana Lima (FINDER)"));
    assert_non_null(strstr(raw, "Advisory: https://acme.example/sa/1"));
    json_decref(j);
    free(out);
    free(p);
    /* Before publication the payload has no advisories and the post lists none. */
    const char *announced =
        "{\"type\":\"release.announced\",\"timestamp\":\"2027-02-02T13:00:00Z\",\"data\":{"
        "\"release\":{\"id\":\"2027-02-09\",\"kind\":\"scheduled\",\"status\":\"announced\","
        "\"starts_at\":\"2027-02-09T13:00:00Z\",\"fix_count\":2,\"max_level\":\"high\","
        "\"versions\":[]}}}";
    out = notify_render_discourse(announced, "Acme", utc, 4, 0, "ext");
    assert_null(strstr(out, "Advisor"));
    free(out);
    out = notify_render_discord(announced, "Acme", utc, NULL);
    j = json_loads(out, 0, NULL);
    assert_int_equal(json_array_size(json_object_get(j, "embeds")), 1);
    json_decref(j);
    free(out);
}

static void rescheduled_dates(void **state)
{
    (void)state;
    const char *moved =
        "{\"type\":\"release.rescheduled\",\"timestamp\":\"2027-02-02T13:00:00Z\",\"data\":{"
        "\"previous_starts_at\":\"2027-02-09T13:00:00Z\",\"release\":{\"id\":\"2027-02-09\","
        "\"kind\":\"scheduled\",\"status\":\"planned\",\"starts_at\":\"2027-02-16T13:00:00Z\","
        "\"versions\":[]}}}";
    char *out = notify_render_discord(moved, "Acme", berlin, NULL);
    assert_non_null(strstr(out, "Moved from 2027-02-09 14:00 Europe/Berlin (2027-02-09 13:00 UTC) "
                                "to 2027-02-16 14:00 Europe/Berlin (2027-02-16 13:00 UTC)"));
    free(out);
    out = notify_render_discourse(moved, "Acme", utc, 4, 9, "ext");
    assert_non_null(strstr(out, "Moved from 2027-02-09 13:00 UTC"));
    assert_non_null(strstr(out, " to 2027-02-16 13:00 UTC"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(discord_embeds),
                                       cmocka_unit_test(discourse_markdown),
                                       cmocka_unit_test(rescheduled_dates)};
    return cmocka_run_group_tests(tests, load_zones, free_zones);
}
