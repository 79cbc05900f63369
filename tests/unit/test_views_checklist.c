/* views/checklist: the checklist object (phases in order, tasks with their due rule, choices and
 * decision) and the adoption object, from plain structs (docs/CONTRACT.md "Checklist"). Expected
 * values are written out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "views/checklist.h"

static const struct checklist_task triage_tasks[] = {
    {.id = "ack",
     .title = "Acknowledge",
     .has_due = true,
     .due_event = CHECKLIST_EV_REPORTED,
     .due_offset = 2 * 86400,
     .auto_done = CHECKLIST_AUTO_SEVERITY_ASSESSED},
};
static const struct checklist_task release_tasks[] = {
    {.id = "notify",
     .title = "Tell distributors?",
     .has_due = true,
     .due_event = CHECKLIST_EV_RELEASE,
     .due_offset = -6 * 3600,
     .group = "pre_release",
     .kind = CHECKLIST_KIND_DECISION,
     .choices = "notify|not_needed",
     .when = CHECKLIST_WHEN_CVE_RECOMMENDED},
};
static const struct checklist_phase phases[] = {
    {.id = "triage", .title = "Triage", .tasks = triage_tasks, .n_tasks = 1},
    {.id = "release", .title = "Release", .tasks = release_tasks, .n_tasks = 1},
};

static void checklist_object(void **state)
{
    (void)state;
    const struct view_task tasks[] = {
        {.phase = &phases[0],
         .task = &triage_tasks[0],
         .state = CHECKLIST_STATE_DONE,
         .automatic = true,
         .due_at = 1800000000,
         .done_at = 1799990000,
         .by = "relcal",
         .evidence = "severity 9.8",
         .decision = ""},
        {.phase = &phases[1],
         .task = &release_tasks[0],
         .state = CHECKLIST_STATE_OPEN,
         .due_at = POLICY_TIME_NONE,
         .done_at = POLICY_TIME_NONE,
         .overdue = true,
         .by = "",
         .evidence = "",
         .note = "ask first",
         .decision = "not_needed"},
    };
    struct view_checklist c = {.issue_id = 7, .open = 1, .overdue = 1, .tasks = tasks, .n = 2};
    json_t *o = view_checklist_json(&c);
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_string_equal(
        s,
        "{\"issue\":7,\"open\":1,\"overdue\":1,\"phases\":["
        "{\"id\":\"triage\",\"title\":\"Triage\",\"tasks\":[{"
        "\"id\":\"ack\",\"title\":\"Acknowledge\",\"state\":\"done\",\"due_rule\":\"reported+2d\","
        "\"due_at\":\"2027-01-15T08:00:00Z\",\"done_at\":\"2027-01-15T05:13:20Z\","
        "\"auto\":\"severity_assessed\",\"automatic\":true,\"overdue\":false,\"by\":\"relcal\","
        "\"evidence\":\"severity 9.8\",\"note\":null,\"when\":\"always\",\"group\":null,"
        "\"kind\":\"task\",\"choices\":null,\"decision\":null}]},"
        "{\"id\":\"release\",\"title\":\"Release\",\"tasks\":[{"
        "\"id\":\"notify\",\"title\":\"Tell distributors?\",\"state\":\"open\","
        "\"due_rule\":\"release-6h\",\"due_at\":null,\"done_at\":null,\"auto\":null,"
        "\"automatic\":false,\"overdue\":true,\"by\":null,\"evidence\":null,"
        "\"note\":\"ask first\",\"when\":\"cve_recommended\",\"group\":\"pre_release\","
        "\"kind\":\"decision\",\"choices\":[\"notify\",\"not_needed\"],"
        "\"decision\":\"not_needed\"}]}]}");
    free(s);
    json_decref(o);
}

static void adoption_object(void **state)
{
    (void)state;
    const struct view_adoption_figure f[] = {
        {.share = 0.5, .at = 1800000000, .by = "alice", .recorded_at = 1800000060}};
    json_t *o = view_adoption_json(7, 1799996400, 1800000000, f, 1);
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_string_equal(s, "{\"issue\":7,\"published_at\":\"2027-01-15T07:00:00Z\","
                           "\"half_at\":\"2027-01-15T08:00:00Z\",\"seconds_to_half\":3600,"
                           "\"figures\":[{\"share\":0.5,\"at\":\"2027-01-15T08:00:00Z\","
                           "\"by\":\"alice\",\"recorded_at\":\"2027-01-15T08:01:00Z\"}]}");
    free(s);
    json_decref(o);
    o = view_adoption_json(7, 1799996400, POLICY_TIME_NONE, NULL, 0);
    assert_true(json_is_null(json_object_get(o, "half_at")));
    assert_true(json_is_null(json_object_get(o, "seconds_to_half")));
    assert_int_equal(json_array_size(json_object_get(o, "figures")), 0);
    json_decref(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(checklist_object),
        cmocka_unit_test(adoption_object),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
