/* api/assessment and api/report: the assessment record's validation (all or nothing), the
 * checklist item body, and the Markdown report rendered from fixed data, with user text that
 * tries to inject Markdown and HTML. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "api/assessment.h"
#include "api/report.h"

static void assessment_patch(void **state)
{
    (void)state;
    json_t *rec = json_pack("{ss}", "root_cause", "old");
    struct api_error e;
    json_t *body = json_loads("{\"attack_complexity\":\"low\",\"user_interaction\":true,"
                              "\"fix_date\":\"2027-02-09\",\"root_cause\":null}",
                              0, NULL);
    assert_int_equal(api_assessment_patch(rec, body, &e), 0);
    assert_string_equal(json_string_value(json_object_get(rec, "attack_complexity")), "low");
    assert_true(json_is_true(json_object_get(rec, "user_interaction")));
    assert_null(json_object_get(rec, "root_cause")); /* null removes */
    json_decref(body);
    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{\"attack_complexity\":\"trivial\"}", "attack_complexity"},
        {"{\"fix_date\":\"2027-02-30\"}", "fix_date"},
        {"{\"fix_date\":\"2027-2-3\"}", "fix_date"},
        {"{\"user_interaction\":\"yes\"}", "user_interaction"},
        {"{\"root_cause\":42}", "root_cause"},
        {"{\"cvss\":\"9.8\"}", "cvss"},
        {"{}", "body"},
        {"[]", "body"},
        /* a good field with a bad one: nothing applied */
        {"{\"confidence\":\"high\",\"integrity\":\"maybe\"}", "integrity"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *b = json_loads(bad[i].body, JSON_DECODE_ANY, NULL);
        json_t *before = json_deep_copy(rec);
        assert_int_equal(api_assessment_patch(rec, b, &e), -1);
        assert_int_equal(e.status, 422);
        assert_string_equal(e.field, bad[i].field);
        assert_true(json_equal(before, rec));
        json_decref(before);
        json_decref(b);
    }
    char *long_text = malloc(5000);
    memset(long_text, 'a', 4999);
    long_text[4999] = '\0';
    json_t *b = json_pack("{ss}", "workaround", long_text);
    assert_int_equal(api_assessment_patch(rec, b, &e), -1);
    json_decref(b);
    free(long_text);
    json_decref(rec);
}

static void checklist_item_body(void **state)
{
    (void)state;
    const char *st, *note;
    struct api_error e;
    json_t *b = json_loads("{\"state\":\"done\",\"note\":\"n\"}", 0, NULL);
    assert_int_equal(api_checklist_item_parse(b, &st, &note, &e), 0);
    assert_string_equal(st, "done");
    assert_string_equal(note, "n");
    json_decref(b);
    static const char *const bad[] = {"{\"state\":\"finished\"}", "{\"note\":\"x\"}",
                                      "{\"state\":\"open\",\"by\":\"x\"}",
                                      "{\"state\":\"open\",\"note\":3}", "[]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        b = json_loads(bad[i], JSON_DECODE_ANY, NULL);
        assert_int_equal(api_checklist_item_parse(b, &st, &note, &e), -1);
        assert_int_equal(e.status, 422);
        json_decref(b);
    }
}

static void report_markdown(void **state)
{
    (void)state;
    json_t *issue = json_loads(
        "{\"id\":7,\"title\":\"XSS <script>alert(1)</script> in *forms*\",\"description\":"
        "\"line one\\n# not a heading\",\"status\":\"fix_ready\",\"severity\":{\"vector\":"
        "\"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N\",\"score\":6.1,\"label\":\"Medium\"},"
        "\"cve\":\"CVE-2027-0001\",\"ghsa\":null,\"release\":\"2027-02-09\",\"reported_at\":"
        "\"2027-01-05T10:00:00Z\",\"acknowledged_at\":\"2027-01-05T18:00:00Z\",\"responded_at\":"
        "null,\"fix_ready_at\":\"2027-01-20T09:30:00Z\",\"released_at\":null,\"sla\":{"
        "\"acknowledge_due\":\"2027-01-06T10:00:00Z\",\"respond_due\":\"2027-01-12T10:00:00Z\","
        "\"resolve_due\":\"2027-01-26T10:00:00Z\"}}",
        0, NULL);
    json_t *release = json_loads(
        "{\"id\":\"2027-02-09\",\"kind\":\"scheduled\",\"status\":\"announced\",\"starts_at\":"
        "\"2027-02-09T13:00:00Z\",\"cutoff_at\":\"2027-02-02T13:00:00Z\",\"announce_at\":"
        "\"2027-01-26T13:00:00Z\",\"distributor_notice_at\":\"2027-02-02T13:00:00Z\","
        "\"announced_at\":\"2027-01-26T13:00:05Z\",\"distributors_notified_at\":null,"
        "\"released_at\":null,\"versions\":[{\"branch\":\"5.x\",\"version\":\"5.1.3\"}]}",
        0, NULL);
    json_t *checklist = json_loads(
        "{\"issue\":7,\"open\":1,\"overdue\":1,\"phases\":[{\"id\":\"assessment\",\"title\":"
        "\"Initial assessment\",\"tasks\":[{\"id\":\"reproduce\",\"title\":\"Reproduce\","
        "\"state\":\"done\",\"due_at\":\"2027-01-06T10:00:00Z\",\"done_at\":"
        "\"2027-01-05T17:00:00Z\",\"by\":\"alice\",\"note\":\"[click](javascript:x)\"},"
        "{\"id\":\"root_cause\",\"title\":\"Root cause\",\"state\":\"open\",\"due_at\":"
        "\"2027-01-12T10:00:00Z\",\"overdue\":true},{\"id\":\"lts\",\"title\":\"LTS\",\"state\":"
        "\"not_applicable\"}]},{\"id\":\"own\",\"title\":\"Our own phase\",\"tasks\":[{\"id\":"
        "\"x\",\"title\":\"Publish\",\"state\":\"done\",\"done_at\":\"2027-02-09T13:05:00Z\","
        "\"by\":\"relcal\",\"evidence\":\"release 2027-02-09 published\"}]}]}",
        0, NULL);
    json_t *assessment =
        json_loads("{\"attack_complexity\":\"low\",\"user_interaction\":true,\"went_well\":"
                   "\"fast <b>triage</b>\"}",
                   0, NULL);
    char *md = api_report_markdown("Mautic", issue, release, checklist, assessment);
    /* Expected lines, written out by hand. */
    static const char *const want[] = {
        "# Security incident report: issue #7\n",
        "- Title: XSS \\<script\\>alert(1)\\</script\\> in \\*forms\\*\n",
        "- Score: 6.1 (CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N)\n",
        "- CVE: CVE-2027-0001\n- GitHub Security Advisory: -\n",
        "- Open tasks: 1, overdue: 1\n",
        "\nline one \\# not a heading\n",
        "## Phase 1: Initial assessment\n\n",
        "- [x] Reproduce, done 2027-01-05 17:00 UTC by alice: \\[click\\](javascript:x)\n",
        "- [ ] Root cause, due 2027-01-12 10:00 UTC **overdue**\n",
        "- [ ] ~~LTS~~ (not applicable)\n",
        "- Attack complexity: low\n- Prerequisites: _not recorded_\n",
        "- User interaction required: yes\n",
        "## Phase 2: Our own phase\n\n- [x] Publish, done 2027-02-09 13:05 UTC by relcal "
        "(release 2027-02-09 published)\n",
        /* the template has no review phase: its fields go to the record section */
        "## Assessment record\n",
        "- What went well: fast \\<b\\>triage\\</b\\>\n",
        "- Release: 2027-02-09 (scheduled, announced)\n",
        "- Release date: 2027-02-09 13:00 UTC\n- Distributors notified: -\n",
        "- Publicly announced: 2027-01-26 13:00 UTC\n",
        "- Fixed in 5.x 5.1.3\n",
        "- Fix ready: 2027-01-20 09:30 UTC\n",
        "- Resolution deadline: 2027-01-26 10:00 UTC\n",
        "- Readiness cut-off: 2027-02-02 13:00 UTC\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        if (!strstr(md, want[i]))
            fail_msg("missing %s\n--- report ---\n%s", want[i], md);
    }
    assert_null(strstr(md, "<script>"));
    assert_null(strstr(md, "\n# not"));
    free(md);
    /* Without a release. */
    md = api_report_markdown("Mautic", issue, NULL, checklist, assessment);
    assert_non_null(strstr(md, "- Release: not scheduled yet\n"));
    free(md);
    json_decref(issue);
    json_decref(release);
    json_decref(checklist);
    json_decref(assessment);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(assessment_patch),
        cmocka_unit_test(checklist_item_body),
        cmocka_unit_test(report_markdown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
