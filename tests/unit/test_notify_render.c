/* notifiers/render: Discord bodies within Discord's limits, truncation by code point, no
 * mentions, times in UTC and the project's zone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/crypto.h"
#include "notifiers/render.h"
#include "zones_fixture.h"

static void truncation(void **state)
{
    (void)state;
    char *s = notify_truncate_utf8("abc", 3);
    assert_string_equal(s, "abc");
    free(s);
    s = notify_truncate_utf8("abcd", 3);
    assert_string_equal(s, "ab\xe2\x80\xa6");
    free(s);
    /* Never splits a multi-byte character: 4 code points of 2-4 bytes each. */
    s = notify_truncate_utf8("\xc3\xbc\xe2\x9c\x93\xf0\x9f\x94\x92z", 3);
    assert_string_equal(s, "\xc3\xbc\xe2\x9c\x93\xe2\x80\xa6");
    free(s);
}

static void discord_body(void **state)
{
    (void)state;
    const char *payload =
        "{\"type\":\"release.announced\",\"timestamp\":\"2027-02-02T13:00:00Z\",\"data\":{"
        "\"project\":\"mautic\",\"release\":{\"id\":\"2027-02-09\",\"kind\":\"scheduled\","
        "\"status\":\"announced\",\"starts_at\":\"2027-02-09T13:00:00Z\",\"fix_count\":2,"
        "\"max_level\":\"high\",\"versions\":[{\"branch\":\"5.x\",\"version\":\"5.1.3\"}]}}}";
    char *out =
        notify_render_discord(payload, "Mautic", berlin, "https://security.example.org/p/mautic");
    assert_non_null(out);
    json_t *j = json_loads(out, 0, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "content")),
                        "Mautic: Security release announced");
    json_t *mentions = json_object_get(json_object_get(j, "allowed_mentions"), "parse");
    assert_true(json_is_array(mentions) && json_array_size(mentions) == 0);
    const char *desc = json_string_value(
        json_object_get(json_array_get(json_object_get(j, "embeds"), 0), "description"));
    assert_non_null(strstr(desc, "When: 2027-02-09 14:00 Europe/Berlin (2027-02-09 13:00 UTC)"));
    assert_non_null(strstr(desc, "Fixes: 2, highest level: high"));
    assert_non_null(strstr(desc, "Versions: 5.x 5.1.3"));
    json_decref(j);
    free(out);
    assert_null(notify_render_discord("{\"no\": 1}", "M", utc, NULL));
    assert_null(notify_render_discord("not json", "M", utc, NULL));
}

static void email_message(void **state)
{
    (void)state;
    const char *payload =
        "{\"type\":\"release.distributor_notice\",\"timestamp\":\"x\",\"data\":{"
        "\"project\":\"mautic\",\"release\":{\"id\":\"2027-02-09\",\"status\":"
        "\"announced\",\"starts_at\":\"2027-02-09T13:00:00Z\",\"versions\":["
        "{\"branch\":\"5.x\",\"version\":\"5.1.3\"},{\"branch\":\"4.x\",\"version\":\"4.4.13\"}]},"
        "\"issues\":[{\"id\":3,\"title\":\"SQLi\",\"status\":\"fix_ready\",\"cve\":\"CVE-2027-1\","
        "\"ghsa\":\"GHSA-2345-6789-cfgh\",\"branches\":[\"5.x\",\"3.x\"],"
        "\"public_summary\":\"SQL injection in the search form.\",\"severity\":{"
        "\"vector\":\"CVSS:3.1/AV:N\",\"score\":8.1,\"label\":\"High\"}},"
        "{\"id\":5,\"title\":\"XSS\",\"status\":\"confirmed\",\"branches\":[\"4.x\"]}]}}";
    char *to[] = {"a@x.example", "b@x.example"};
    char *m = notify_render_email(payload, "Mautic Ü", berlin, "sec@example.org", to, 2,
                                  "01ARYZ6S410000000000000000", NULL, "example.org", 1801573200);
    assert_non_null(m);
    /* RFC 5322 3.3: a numeric zone, not the obsolete "GMT". */
    const char *head = "Date: Tue, 02 Feb 2027 13:00:00 +0000\r\nFrom: sec@example.org\r\n";
    assert_int_equal(strncmp(m, head, strlen(head)), 0);
    assert_non_null(strstr(m, "\r\nTo: a@x.example, b@x.example\r\n"));
    /* The subject in words, RFC 2047-encoded for the project's U+00DC (checked decoded). */
    const char *subj = strstr(m, "\r\nSubject: =?UTF-8?B?");
    assert_non_null(subj);
    subj += strlen("\r\nSubject: =?UTF-8?B?");
    char b64[256];
    snprintf(b64, sizeof b64, "%.*s", (int)(strstr(subj, "?=") - subj), subj);
    uint8_t *dec;
    size_t dec_len;
    assert_int_equal(crypto_base64_decode(b64, &dec, &dec_len), 0);
    const char *want = "[Mautic \xc3\x9c] Embargoed security release 5.1.3 / 4.4.13 on 2027-02-09 "
                       "13:00 UTC: 2 issues";
    assert_int_equal(dec_len, strlen(want));
    assert_memory_equal(dec, want, dec_len);
    free(dec);
    assert_non_null(strstr(m, "\r\nMessage-ID: <01ARYZ6S410000000000000000@example.org>\r\n"));
    assert_null(strstr(m, "In-Reply-To")); /* the first message of its thread */
    assert_non_null(strstr(m, "Content-Type: text/plain; charset=utf-8\r\n"));
    assert_non_null(strstr(m, "When: 2027-02-09 14:00 Europe/Berlin"));
    assert_non_null(strstr(m, "\r\nEmbargoed until: 2027-02-09 14:00 Europe/Berlin (2027-02-09 "
                              "13:00 UTC). Nothing of this may be made public before then.\r\n"));
    assert_non_null(strstr(m, "\r\n#3 SQLi\r\n  Status: fix ready\r\n"
                              "  Severity: CVSS:3.1/AV:N 8.1 High\r\n  CVE: CVE-2027-1\r\n"
                              "  GHSA: GHSA-2345-6789-cfgh\r\n"
                              "  Affects: 5.x (fixed in 5.1.3), 3.x\r\n"
                              "  Summary: SQL injection in the search form.\r\n"));
    assert_non_null(strstr(m, "\r\n#5 XSS\r\n  Status: fix not ready yet\r\n"
                              "  Affects: 4.x (fixed in 4.4.13)\r\n"));
    /* Every line ends in CRLF. */
    for (const char *p = m; (p = strchr(p, '\n')); p++)
        assert_true(p > m && p[-1] == '\r');
    free(m);
}

/* Later messages about a release thread to the first one, and each type says what it is. */
static void email_subjects_and_threads(void **state)
{
    (void)state;
    static const struct {
        const char *type, *subject;
    } rows[] = {
        {"release.distributor_update",
         "Subject: [Acme] Update: embargoed security release 2.0.1 on 2027-02-09 13:00 UTC: 1 "
         "issue\r\n"},
        {"release.distributor_reminder",
         "Subject: [Acme] Reminder: embargoed security release 2.0.1 on 2027-02-09 13:00 UTC: 1 "
         "issue\r\n"},
        {"release.published", "Subject: [Acme] Security release 2.0.1 published: 1 issue\r\n"},
        {"release.rescheduled",
         "Subject: [Acme] Security release 2.0.1 rescheduled to 2027-02-09 13:00 UTC\r\n"},
        {"release.cancelled",
         "Subject: [Acme] Security release 2.0.1 cancelled, was 2027-02-09 13:00 UTC\r\n"},
    };
    char *to[] = {"d@x.example"};
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        char payload[1024];
        snprintf(payload, sizeof payload,
                 "{\"type\":\"%s\",\"timestamp\":\"x\",\"data\":{\"project\":\"acme\","
                 "\"release\":{\"id\":\"oos-1\",\"status\":\"announced\",\"starts_at\":"
                 "\"2027-02-09T13:00:00Z\",\"versions\":[{\"branch\":\"2.x\",\"version\":"
                 "\"2.0.1\"}]},\"issues\":[{\"id\":1,\"title\":\"t\"}]}}",
                 rows[k].type);
        char *m = notify_render_email(payload, "Acme", utc, "s@x.example", to, 1, "01B", "01A",
                                      "x.example", 0);
        assert_non_null(m);
        assert_non_null(strstr(m, rows[k].subject));
        assert_non_null(strstr(m, "\r\nIn-Reply-To: <01A@x.example>\r\n"
                                  "References: <01A@x.example>\r\n"));
        assert_int_equal(strstr(m, "Embargoed until") != NULL,
                         strstr(rows[k].type, "distributor_") != NULL);
        free(m);
    }
}

static void team_reports(void **state)
{
    (void)state;
    /* A message without a release (a dead delivery reported to the team) still renders, with
     * the channel and the receiver's error. */
    const char *payload =
        "{\"type\":\"delivery.dead\",\"timestamp\":\"2027-02-02T13:00:00Z\",\"data\":{"
        "\"project\":\"mautic\",\"delivery\":{\"id\":\"01J0000000000000000000000A\","
        "\"channel\":\"distro-list\",\"message_type\":\"release.distributor_notice\","
        "\"attempts\":1,\"error\":\"HTTP 410\"}}}";
    char *out = notify_render_discord(payload, "Mautic", utc, NULL);
    assert_non_null(out);
    json_t *j = json_loads(out, 0, NULL);
    const char *desc = json_string_value(
        json_object_get(json_array_get(json_object_get(j, "embeds"), 0), "description"));
    assert_non_null(strstr(desc, "Channel: distro-list"));
    assert_non_null(strstr(desc, "Error: HTTP 410"));
    assert_string_equal(json_string_value(json_object_get(j, "content")),
                        "Mautic: A delivery failed for good");
    json_decref(j);
    free(out);
    char *to[] = {"team@example.org"};
    out = notify_render_email(payload, "Mautic", utc, "relcal@example.org", to, 1, "id", NULL, "h",
                              0);
    assert_non_null(out);
    assert_non_null(strstr(out, "\r\nChannel: distro-list\r\n"));
    assert_non_null(strstr(out, "Attempts: 1\r\nError: HTTP 410\r\n"));
    free(out);
    /* Not a relcal message at all. */
    assert_null(notify_render_discord("{\"type\":\"x\"}", "Mautic", utc, NULL));
    assert_null(notify_render_discord("not json", "Mautic", utc, NULL));
}

/* Response deadline reminders name the title and each deadline's instant (docs/POLICY.md
 * "Response deadlines"); in a mail the title stays on one line. */
static void sla_reminders(void **state)
{
    (void)state;
    const char *payload =
        "{\"type\":\"issue.sla_breached\",\"timestamp\":\"2027-02-05T09:00:00Z\",\"data\":{"
        "\"project\":\"mautic\",\"issue\":4,\"title\":\"SQLi in\\r\\n.\\r\\nthe form\","
        "\"sla\":\"acknowledge\",\"due\":\"2027-01-11T09:00:00Z\",\"deadlines\":["
        "{\"sla\":\"acknowledge\",\"event\":\"breached\",\"due\":\"2027-01-11T09:00:00Z\"},"
        "{\"sla\":\"respond\",\"event\":\"due_soon\",\"due\":\"2027-01-17T09:00:00Z\"}]}}";
    char *out = notify_render_discord(payload, "Mautic", utc, NULL);
    assert_non_null(out);
    json_t *j = json_loads(out, 0, NULL);
    const char *desc = json_string_value(
        json_object_get(json_array_get(json_object_get(j, "embeds"), 0), "description"));
    assert_non_null(strstr(desc, "Issue #4: SQLi in . the form\n"));
    assert_non_null(strstr(desc, "- acknowledge: missed, it was due 2027-01-11 09:00 UTC\n"));
    assert_non_null(strstr(desc, "- respond: due 2027-01-17 09:00 UTC\n"));
    json_decref(j);
    free(out);
    char *to[] = {"team@example.org"};
    out = notify_render_email(payload, "Mautic", utc, "relcal@example.org", to, 1, "id", NULL, "h",
                              0);
    assert_non_null(out);
    assert_non_null(strstr(out, "\r\nIssue #4: SQLi in . the form\r\n"));
    assert_non_null(strstr(out, "\r\n- respond: due 2027-01-17 09:00 UTC\r\n"));
    free(out);
}

/* A message sent after its due time says so on every channel; one on time says nothing. */
static void late_messages(void **state)
{
    (void)state;
    const char *late =
        "{\"type\":\"release.announced\",\"timestamp\":\"2026-12-03T09:00:00Z\",\"data\":{"
        "\"project\":\"mautic\",\"late\":true,\"due_at\":\"2026-12-01T14:00:00Z\","
        "\"release\":{\"id\":\"oos-1\",\"status\":\"announced\","
        "\"starts_at\":\"2026-12-20T13:00:00Z\",\"versions\":[]}}}";
    const char *on_time = "{\"type\":\"release.announced\",\"timestamp\":\"x\",\"data\":{"
                          "\"project\":\"mautic\",\"release\":{\"id\":\"oos-1\",\"status\":"
                          "\"announced\",\"starts_at\":\"2026-12-20T13:00:00Z\"}}}";
    const char *want = "Due 2026-12-01 14:00 UTC, sent late.";
    char *to[] = {"team@example.org"};
    for (int k = 0; k < 2; k++) {
        const char *payload = k ? on_time : late;
        char *d = notify_render_discord(payload, "Mautic", utc, NULL);
        char *m =
            notify_render_email(payload, "Mautic", utc, "r@example.org", to, 1, "id", NULL, "h", 0);
        char *c = notify_render_discourse(payload, "Mautic", utc, 4, 0, "ext");
        assert_non_null(d);
        assert_non_null(m);
        assert_non_null(c);
        assert_true((strstr(d, want) != NULL) == (k == 0));
        assert_true((strstr(m, "Due 2026-12-01 14:00 UTC, sent late.\r\n") != NULL) == (k == 0));
        assert_true((strstr(c, want) != NULL) == (k == 0));
        free(d);
        free(m);
        free(c);
    }
    /* The team hears which fixes are missing at the distributor notice. */
    const char *missing = "{\"type\":\"release.fixes_missing\",\"timestamp\":\"x\",\"data\":{"
                          "\"project\":\"mautic\",\"missing\":[3,5],\"release\":{\"id\":\"oos-1\","
                          "\"status\":\"announced\",\"starts_at\":\"2026-12-20T13:00:00Z\"}}}";
    char *d = notify_render_discord(missing, "Mautic", utc, NULL);
    assert_non_null(strstr(d, "Fixes still missing: #3, #5\\n"));
    assert_non_null(strstr(d, "Mautic: Fixes still missing at the distributor notice"));
    free(d);
}

/* Every LF is preceded by CR and every CR followed by LF. */
static void assert_crlf_only(const char *m)
{
    for (const char *p = m; *p; p++) {
        if (*p == '\n')
            assert_true(p > m && p[-1] == '\r');
        if (*p == '\r')
            assert_true(p[1] == '\n');
    }
}

/* SMTP smuggling through titles (issue 14): an issue title carrying "\n.\r\n" and an SMTP
 * command, or bare CRs and LFs anywhere in the payload or the project name, never yields a bare
 * CR or LF, a line that is exactly ".", or an extra header line. */
static void email_smuggling(void **state)
{
    (void)state;
    const char *payload =
        "{\"type\":\"release.distributor_notice\",\"timestamp\":\"x\",\"data\":{"
        "\"project\":\"mautic\",\"release\":{\"id\":\"2027-02-09\",\"status\":"
        "\"announced\",\"starts_at\":\"2027-02-09T13:00:00Z\",\"versions\":[]},"
        "\"issues\":[{\"id\":3,\"title\":\"x\\n.\\r\\nMAIL FROM:<evil@example.org>\\r\\n\","
        "\"cve\":\"CVE-2027-1\\r.\\rRSET\"},"
        "{\"id\":4,\"title\":\"\\r\\n.\\n\\n.\\r\\r\\nQUIT\"}]}}";
    char *to[] = {"a@x.example"};
    char *m = notify_render_email(payload, "Evil\r\nBcc: victim@example.org\n.\n", utc,
                                  "sec@example.org", to, 1, "id", NULL, "example.org", 1801573200);
    assert_non_null(m);
    assert_crlf_only(m);
    /* The header block: every line a "Name: value" field, no injected Bcc. */
    const char *end = strstr(m, "\r\n\r\n");
    assert_non_null(end);
    for (const char *line = m; line < end;) {
        const char *eol = strstr(line, "\r\n");
        assert_true(eol[0] && eol <= end);
        assert_non_null(memchr(line, ':', (size_t)(eol - line)));
        assert_false(strncmp(line, "Bcc:", 4) == 0);
        assert_false(strncmp(line, "MAIL", 4) == 0);
        line = eol + 2;
    }
    /* No line of the body is exactly "." (it would end the DATA), and the title text is there,
     * on one line. */
    for (const char *line = end + 4; *line;) {
        const char *eol = strstr(line, "\r\n");
        assert_non_null(eol);
        assert_false(eol - line == 1 && line[0] == '.');
        assert_false(strncmp(line, "MAIL FROM", 9) == 0);
        assert_false(strncmp(line, "QUIT", 4) == 0);
        line = eol + 2;
    }
    assert_non_null(strstr(m, "\r\n#3 x . MAIL FROM:<evil@example.org>"));
    assert_non_null(strstr(m, "\r\n#4  . . QUIT"));
    free(m);
}

/* Whole bodies against fixtures written by hand, one per kind of message: the public
 * publication (advisories, no issue list), a late reminder and a notice to distributors, a
 * move (both dates), an announcement, and a team report. */
static void email_bodies(void **state)
{
    (void)state;
    static const struct {
        const char *payload, *body;
    } rows[] = {
        {"{\"type\":\"release.published\",\"timestamp\":\"x\",\"data\":{\"project\":\"acme\","
         "\"release\":{\"id\":\"2027-02-09\",\"status\":\"released\",\"starts_at\":"
         "\"2027-02-09T13:00:00Z\",\"versions\":[{\"branch\":\"5.x\",\"version\":\"5.1.3\"}],"
         "\"advisories\":[{\"title\":\"SQL injection in search\",\"cve\":\"CVE-2027-12345\","
         "\"ghsa\":null,\"severity\":{\"vector\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\","
         "\"score\":9.8,\"label\":\"Critical\"},\"versions\":[{\"branch\":\"5.x\",\"affected\":"
         "\"< 5.1.3\",\"fixed\":\"5.1.3\"}],\"summary\":\"An attacker can read the database.\","
         "\"credits\":[{\"name\":\"Ana Lima\",\"role\":\"FINDER\"}],"
         "\"advisory_url\":\"https://acme.example/sa/3\"}]}}}",
         "[Acme] Security release 5.1.3 published\r\n"
         "\r\n"
         "When: 2027-02-09 14:00 Europe/Berlin (2027-02-09 13:00 UTC)\r\n"
         "Release: 2027-02-09 (released)\r\n"
         "Fixed in 5.x 5.1.3\r\n"
         "\r\n"
         "SQL injection in search\r\n"
         "  CVE-2027-12345\r\n"
         "  Severity: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H 9.8 Critical\r\n"
         "  Fixed in: 5.x 5.1.3\r\n"
         "  Summary: An attacker can read the database.\r\n"
         "  Credits: Ana Lima (FINDER)\r\n"
         "  Advisory: https://acme.example/sa/3\r\n"},
        {"{\"type\":\"release.distributor_reminder\",\"timestamp\":\"x\",\"data\":{\"project\":"
         "\"acme\",\"late\":true,\"due_at\":\"2027-02-08T13:00:00Z\",\"release\":{\"id\":"
         "\"oos-1\",\"status\":\"announced\",\"starts_at\":\"2027-02-09T13:00:00Z\",\"versions\":"
         "[{\"branch\":\"5.x\",\"version\":\"5.1.3\"}]},\"issues\":[{\"id\":3,\"title\":\"RCE\","
         "\"status\":\"confirmed\",\"branches\":[\"5.x\"],\"cve\":\"CVE-2027-1\"}]}}",
         "[Acme] Reminder: embargoed security release 5.1.3 on 2027-02-09 13:00 UTC: 1 issue\r\n"
         "\r\n"
         "When: 2027-02-09 14:00 Europe/Berlin (2027-02-09 13:00 UTC)\r\n"
         "Embargoed until: 2027-02-09 14:00 Europe/Berlin (2027-02-09 13:00 UTC). Nothing of this "
         "may be made public before then.\r\n"
         "Release: oos-1 (announced)\r\n"
         "Fixed in 5.x 5.1.3\r\n"
         "Due 2027-02-08 13:00 UTC, sent late.\r\n"
         "\r\n"
         "#3 RCE\r\n"
         "  Status: fix not ready yet\r\n"
         "  CVE: CVE-2027-1\r\n"
         "  Affects: 5.x (fixed in 5.1.3)\r\n"},
        {"{\"type\":\"release.distributor_notice\",\"timestamp\":\"x\",\"data\":{\"project\":"
         "\"acme\",\"release\":{\"id\":\"2027-02-09\",\"status\":\"announced\",\"starts_at\":"
         "\"2027-02-09T13:00:00Z\",\"versions\":[]},\"issues\":[{\"id\":4,\"title\":\"XSS\","
         "\"status\":\"fix_ready\",\"branches\":[]}]}}",
         "[Acme] Embargoed security release 2027-02-09 on 2027-02-09 13:00 UTC: 1 issue\r\n"
         "\r\n"
         "When: 2027-02-09 14:00 Europe/Berlin (2027-02-09 13:00 UTC)\r\n"
         "Embargoed until: 2027-02-09 14:00 Europe/Berlin (2027-02-09 13:00 UTC). Nothing of this "
         "may be made public before then.\r\n"
         "Release: 2027-02-09 (announced)\r\n"
         "\r\n"
         "#4 XSS\r\n"
         "  Status: fix ready\r\n"},
        {"{\"type\":\"release.rescheduled\",\"timestamp\":\"x\",\"data\":{\"project\":\"acme\","
         "\"previous_starts_at\":\"2027-02-09T13:00:00Z\",\"release\":{\"id\":\"2027-02-09\","
         "\"status\":\"announced\",\"starts_at\":\"2027-02-16T13:00:00Z\",\"versions\":[{"
         "\"branch\":\"5.x\",\"version\":\"5.1.3\"}]}}}",
         "[Acme] Security release 5.1.3 rescheduled to 2027-02-16 13:00 UTC\r\n"
         "\r\n"
         "When: 2027-02-16 14:00 Europe/Berlin (2027-02-16 13:00 UTC)\r\n"
         "Moved from 2027-02-09 14:00 Europe/Berlin (2027-02-09 13:00 UTC) to 2027-02-16 14:00 "
         "Europe/Berlin (2027-02-16 13:00 UTC)\r\n"
         "Release: 2027-02-09 (announced)\r\n"
         "Fixed in 5.x 5.1.3\r\n"},
        {"{\"type\":\"release.announced\",\"timestamp\":\"x\",\"data\":{\"project\":\"acme\","
         "\"release\":{\"id\":\"oos-2\",\"status\":\"announced\",\"starts_at\":"
         "\"2027-07-01T12:00:00Z\",\"versions\":[]}}}",
         "[Acme] Security release oos-2 on 2027-07-01 12:00 UTC\r\n"
         "\r\n"
         "When: 2027-07-01 14:00 Europe/Berlin (2027-07-01 12:00 UTC)\r\n"
         "Release: oos-2 (announced)\r\n"},
        {"{\"type\":\"release.fixes_missing\",\"timestamp\":\"x\",\"data\":{\"project\":\"acme\","
         "\"missing\":[3,5],\"release\":{\"id\":\"oos-1\",\"status\":\"announced\",\"starts_at\":"
         "\"2027-02-09T13:00:00Z\",\"versions\":[]}}}",
         "[Acme] Fixes still missing at the distributor notice (oos-1)\r\n"
         "\r\n"
         "When: 2027-02-09 14:00 Europe/Berlin (2027-02-09 13:00 UTC)\r\n"
         "Release: oos-1 (announced)\r\n"
         "Fixes still missing: #3, #5\r\n"},
    };
    char *to[] = {"list@x.example"};
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        char *m = notify_render_email(rows[k].payload, "Acme", berlin, "s@x.example", to, 1, "01B",
                                      NULL, "x.example", 0);
        assert_non_null(m);
        const char *body = strstr(m, "\r\n\r\n");
        assert_non_null(body);
        if (strcmp(body + 4, rows[k].body) != 0)
            fail_msg("row %zu body:\n%s\n--- wanted:\n%s", k, body + 4, rows[k].body);
        free(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(truncation),    cmocka_unit_test(discord_body),
        cmocka_unit_test(email_message), cmocka_unit_test(email_subjects_and_threads),
        cmocka_unit_test(email_bodies),  cmocka_unit_test(email_smuggling),
        cmocka_unit_test(team_reports),  cmocka_unit_test(sla_reminders),
        cmocka_unit_test(late_messages)};
    return cmocka_run_group_tests(tests, load_zones, free_zones);
}
