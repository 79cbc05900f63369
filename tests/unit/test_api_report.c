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
#include "core/json.h"

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
        /* the community announcement is a link */
        {"{\"community_announcement\":\"javascript:alert(1)\"}", "community_announcement"},
        {"{\"community_announcement\":\"https://\"}", "community_announcement"},
        {"{\"community_announcement\":\"https://x.org/a b\"}", "community_announcement"},
        {"{\"community_announcement\":\"https://x.org/\\\"><script>\"}", "community_announcement"},
        {"{\"analysis_notes\":3}", "analysis_notes"},
        {"{\"release_updates\":true}", "release_updates"},
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
    b = json_pack("{ssssss}", "community_announcement", "https://forum.example.org/t/42",
                  "estimated_fix_timeline", "2 weeks", "process_improvements", "automate");
    assert_int_equal(api_assessment_patch(rec, b, &e), 0);
    assert_string_equal(json_string_value(json_object_get(rec, "community_announcement")),
                        "https://forum.example.org/t/42");
    json_decref(b);
    json_decref(rec);
}

static void checklist_item_body(void **state)
{
    (void)state;
    enum checklist_state st;
    const char *dec, *note;
    struct api_error e;
    json_t *b = json_loads("{\"state\":\"done\",\"note\":\"n\"}", 0, NULL);
    assert_int_equal(api_checklist_item_parse(b, &st, &dec, &note, &e), 0);
    assert_int_equal(st, CHECKLIST_STATE_DONE);
    assert_null(dec);
    assert_string_equal(note, "n");
    json_decref(b);
    /* A decision: the choice is checked against the template by the scheduler. */
    b = json_loads("{\"decision\":\"not_needed\",\"note\":\"no packages\"}", 0, NULL);
    assert_int_equal(api_checklist_item_parse(b, &st, &dec, &note, &e), 0);
    assert_int_equal(st, CHECKLIST_STATE_OPEN);
    assert_string_equal(dec, "not_needed");
    assert_string_equal(note, "no packages");
    json_decref(b);
    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{\"state\":\"finished\"}", "state"},
        {"{\"note\":\"x\"}", "state"},
        {"{\"state\":\"open\",\"by\":\"x\"}", "by"},
        {"{\"state\":\"open\",\"note\":3}", "note"},
        {"[]", "body"},
        {"{\"decision\":\"notify\",\"state\":\"done\"}", "decision"},
        {"{\"decision\":3}", "decision"},
        {"{\"decision\":\"\"}", "decision"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        b = json_loads(bad[i].body, JSON_DECODE_ANY, NULL);
        assert_int_equal(api_checklist_item_parse(b, &st, &dec, &note, &e), -1);
        assert_int_equal(e.status, 422);
        assert_string_equal(e.field, bad[i].field);
        json_decref(b);
    }
}

static void adoption_body(void **state)
{
    (void)state;
    double share;
    int64_t at;
    struct api_error e;
    json_t *b = json_loads("{\"share\":0.55,\"at\":\"2026-12-01T18:00:00Z\"}", 0, NULL);
    assert_int_equal(api_adoption_parse(b, &share, &at, &e), 0);
    assert_true(share == 0.55);
    assert_int_equal(at, 1796148000); /* 2026-12-01T18:00:00Z */
    json_decref(b);
    b = json_loads("{\"share\":1}", 0, NULL);
    assert_int_equal(api_adoption_parse(b, &share, &at, &e), 0);
    assert_true(share == 1.0);
    assert_int_equal(at, INT64_MIN); /* not given: now */
    json_decref(b);
    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{\"share\":55}", "share"},
        {"{\"share\":-0.01}", "share"},
        {"{\"share\":\"0.5\"}", "share"},
        {"{}", "share"},
        {"{\"share\":null}", "share"},
        {"{\"share\":0.5,\"at\":\"today\"}", "at"},
        {"{\"share\":0.5,\"at\":5}", "at"},
        {"{\"share\":0.5,\"by\":\"x\"}", "by"},
        {"[]", "body"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        b = json_loads(bad[i].body, JSON_DECODE_ANY, NULL);
        assert_int_equal(api_adoption_parse(b, &share, &at, &e), -1);
        assert_int_equal(e.status, 422);
        assert_string_equal(e.field, bad[i].field);
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
    struct api_report_input in = {"Mautic", issue, release, checklist, assessment, NULL, NULL};
    char *md = api_report_markdown(&in);
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
        ("## Phase 2: Our own phase\n\n- [x] Publish, done 2027-02-09 13:05 UTC by relcal "
         "(release 2027-02-09 published)\n"),
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
    in.release = NULL;
    md = api_report_markdown(&in);
    assert_non_null(strstr(md, "- Release: not scheduled yet\n"));
    free(md);
    json_decref(issue);
    json_decref(release);
    json_decref(checklist);
    json_decref(assessment);
}

/* The filled-in template: severity in the template's words, per-phase updates and resources,
 * groups, a decision, analysis notes, the communication record with the time to 50 %
 * adoption, and the emergency contacts. */
static void report_template(void **state)
{
    (void)state;
    json_t *issue = json_loads(
        "{\"id\":3,\"title\":\"T\",\"status\":\"released\",\"severity\":{\"scheme\":\"cmss\","
        "\"vector\":\"AC:None/A:None/CI:All/II:All/E:Theoretical/TD:All\",\"score\":17,"
        "\"label\":\"Moderately critical\",\"level\":\"high\"}}",
        0, NULL);
    json_t *checklist = json_loads(
        "{\"issue\":3,\"open\":1,\"overdue\":0,\"phases\":[{\"id\":\"assessment\",\"title\":"
        "\"Initial assessment\",\"tasks\":[{\"id\":\"r\",\"title\":\"Reproduce\",\"state\":"
        "\"open\"}]},{\"id\":\"impact\",\"title\":\"Impact\",\"tasks\":[{\"id\":\"e\","
        "\"title\":\"Estimate\",\"state\":\"open\"}]},{\"id\":\"release\",\"title\":"
        "\"Communication and release\",\"tasks\":[{\"id\":\"a\",\"title\":\"Finalize\","
        "\"group\":\"pre_release\",\"state\":\"open\"},{\"id\":\"b\",\"title\":\"Test updates\","
        "\"group\":\"pre_release\",\"state\":\"open\"},{\"id\":\"n\",\"title\":\"Notify "
        "distributors?\",\"group\":\"communication\",\"kind\":\"decision\",\"state\":\"done\","
        "\"decision\":\"not_needed\",\"by\":\"alice\",\"note\":\"no packages\"},{\"id\":\"m\","
        "\"title\":\"Decide more\",\"group\":\"communication\",\"kind\":\"decision\",\"state\":"
        "\"open\",\"decision\":null},{\"id\":\"t\",\"title\":\"Track\",\"group\":\"our_own\","
        "\"state\":\"open\"}]}]}",
        0, NULL);
    json_t *assessment = json_loads(
        "{\"assessment_updates\":\"Confirmed.\\n## injected\",\"estimated_fix_timeline\":\"2 "
        "weeks\",\"impact_resources\":\"Telemetry\",\"analysis_notes\":\"Few installs.\","
        "\"community_announcement\":\"https://forum.example.org/t/42\"}",
        0, NULL);
    json_t *adoption = json_loads(
        "{\"published_at\":\"2026-11-24T12:00:00Z\",\"half_at\":\"2026-12-01T18:00:00Z\","
        "\"seconds_to_half\":626400,\"figures\":[]}",
        0, NULL);
    json_t *contacts = json_loads("[{\"name\":\"Alice <b>\",\"role\":\"lead\",\"email\":"
                                  "\"alice@example.org\",\"phone\":\"+49 30 1\"},{\"name\":\"Bob\","
                                  "\"phone\":\"+1 555\"}]",
                                  0, NULL);
    struct api_report_input in = {"Mautic", issue, NULL, checklist, assessment, adoption, contacts};
    char *md = api_report_markdown(&in);
    static const char *const want[] = {
        "- Severity level: High (cmss: Moderately critical)\n",
        "## Phase 1: Initial assessment\n\n### Updates\n\nConfirmed. \\#\\# injected\n\n"
        "### Resources\n\n_not recorded_\n\n### Tasks\n\n- [ ] Reproduce\n",
        "- Estimated timeline for fix: 2 weeks\n",
        "### Resources\n\nTelemetry\n",
        "- [ ] Estimate\n\n**Summary**\n\n",
        "- Confidence in the assessment: _not recorded_\n\n### Analysis notes\n\nFew installs.\n",
        "### Tasks\n\n#### Pre-release preparation\n\n- [ ] Finalize\n- [ ] Test updates\n\n"
        "#### Communication channels\n\n- [x] Notify distributors?: not\\_needed, done by alice: "
        "no packages\n- [ ] Decide more: _not decided_\n\n#### our\\_own\n\n- [ ] Track\n",
        "- Community announcement: https://forum.example.org/t/42\n",
        "- Time to 50 % adoption: 7 days 6 hours (50 % reached 2026-12-01 18:00 UTC)\n",
        "## Emergency contacts\n\n- Alice \\<b\\> (lead): alice@example.org, +49 30 1\n"
        "- Bob: +1 555\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        if (!strstr(md, want[i]))
            fail_msg("missing %s\n--- report ---\n%s", want[i], md);
    }
    /* The response and review phases are not in this template, nothing recorded for them:
     * no record section. */
    assert_null(strstr(md, "## Assessment record"));
    free(md);
    /* Adoption not reached, not published; no contacts. */
    static const struct {
        const char *adoption, *want;
    } ad[] = {
        {"{\"published_at\":\"2026-11-24T12:00:00Z\",\"half_at\":null,\"seconds_to_half\":null,"
         "\"figures\":[{\"share\":0.3,\"at\":\"2026-11-26T12:00:00Z\"}]}",
         "- Time to 50 % adoption: not reached yet (latest: 30 % on 2026-11-26 12:00 UTC)\n"},
        {"{\"published_at\":\"2026-11-24T12:00:00Z\",\"half_at\":null,\"seconds_to_half\":null,"
         "\"figures\":[]}",
         "- Time to 50 % adoption: not reached yet (no adoption figures recorded)\n"},
        {"{\"published_at\":null,\"figures\":[]}",
         "- Time to 50 % adoption: the release is not published yet\n"},
        {"{\"published_at\":\"2026-11-24T12:00:00Z\",\"half_at\":\"2026-11-25T12:00:00Z\","
         "\"seconds_to_half\":86400,\"figures\":[]}",
         "- Time to 50 % adoption: 1 day (50 % reached 2026-11-25 12:00 UTC)\n"},
        {"{\"published_at\":\"2026-11-24T12:00:00Z\",\"half_at\":\"2026-11-24T12:30:00Z\","
         "\"seconds_to_half\":1800,\"figures\":[]}",
         "- Time to 50 % adoption: less than an hour (50 % reached 2026-11-24 12:30 UTC)\n"},
    };
    in.contacts = NULL;
    for (size_t i = 0; i < sizeof ad / sizeof ad[0]; i++) {
        json_t *a = json_loads(ad[i].adoption, 0, NULL);
        in.adoption = a;
        md = api_report_markdown(&in);
        if (!strstr(md, ad[i].want))
            fail_msg("missing %s\n--- report ---\n%s", ad[i].want, md);
        assert_non_null(strstr(md, "## Emergency contacts\n\n_none configured_\n"));
        free(md);
        json_decref(a);
    }
    in.adoption = adoption; /* not the last row's, freed above */
    /* No severity: a dash; none: the template has no word below Low. */
    json_object_del(issue, "severity");
    md = api_report_markdown(&in);
    assert_non_null(strstr(md, "- Severity level: -\n"));
    free(md);
    json_object_set_new(
        issue, "severity",
        json_pack("{ssssss}", "scheme", "cvss3.1", "label", "None", "level", "none"));
    md = api_report_markdown(&in);
    assert_non_null(strstr(md, "- Severity level: None (below Low) (cvss3.1: None)\n"));
    free(md);
    json_decref(issue);
    json_decref(checklist);
    json_decref(assessment);
    json_decref(adoption);
    json_decref(contacts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(assessment_patch), cmocka_unit_test(checklist_item_body),
        cmocka_unit_test(adoption_body),    cmocka_unit_test(report_markdown),
        cmocka_unit_test(report_template),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
