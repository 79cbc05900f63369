/* views/log, views/service, views/project: the delivery and audit rows, the error envelope and
 * the project summary as docs/CONTRACT.md shows them. Expected values are written out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "views/log.h"
#include "views/project.h"
#include "views/service.h"

static void assert_json(json_t *o, const char *want)
{
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_string_equal(s, want);
    free(s);
    json_decref(o);
}

static void delivery_rows(void **state)
{
    (void)state;
    struct view_delivery d = {.id = "01J0",
                              .channel = "hook",
                              .message_type = "release.announced",
                              .state = "dead",
                              .attempts = 3,
                              .next_attempt_at = 1800000000,
                              .last_error = "HTTP 410",
                              .disabled_reason = "410 Gone"};
    assert_json(view_delivery_json(&d),
                "{\"id\":\"01J0\",\"channel\":\"hook\",\"message_type\":\"release.announced\","
                "\"state\":\"dead\",\"attempts\":3,\"next_attempt_at\":\"2027-01-15T08:00:00Z\","
                "\"last_error\":\"HTTP 410\",\"channel_disabled\":true,"
                "\"channel_disabled_reason\":\"410 Gone\"}");
    d.last_error = NULL;
    d.disabled_reason = NULL;
    json_t *o = view_delivery_json(&d);
    assert_true(json_is_null(json_object_get(o, "last_error")));
    assert_true(json_is_false(json_object_get(o, "channel_disabled")));
    assert_true(json_is_null(json_object_get(o, "channel_disabled_reason")));
    json_decref(o);
    assert_json(view_delivery_state_json("01J0", "pending"),
                "{\"id\":\"01J0\",\"state\":\"pending\"}");
}

static void audit_rows(void **state)
{
    (void)state;
    struct view_audit a = {.id = 12,
                           .at = 1800000000,
                           .actor = "alice",
                           .action = "release.move",
                           .subject = "2027-02-09",
                           .detail_json = "{\"to\":\"2027-02-16\"}",
                           .override_reason = "holiday",
                           .late = true};
    assert_json(
        view_audit_json(&a),
        "{\"id\":12,\"at\":\"2027-01-15T08:00:00Z\",\"actor\":\"alice\","
        "\"action\":\"release.move\",\"subject\":\"2027-02-09\","
        "\"detail\":{\"to\":\"2027-02-16\"},\"override_reason\":\"holiday\",\"late\":true}");
    a.detail_json = NULL; /* no detail: the key is left out */
    a.override_reason = NULL;
    a.late = false;
    assert_json(view_audit_json(&a),
                "{\"id\":12,\"at\":\"2027-01-15T08:00:00Z\",\"actor\":\"alice\","
                "\"action\":\"release.move\",\"subject\":\"2027-02-09\",\"override_reason\":null,"
                "\"late\":false}");
}

static void service_bodies(void **state)
{
    (void)state;
    assert_json(view_error_json("validation_failed", "title: required", view_error_field("title")),
                "{\"error\":{\"code\":\"validation_failed\",\"message\":\"title: required\","
                "\"details\":{\"field\":\"title\"}}}");
    assert_json(
        view_error_json("not_found", "no such issue", NULL),
        "{\"error\":{\"code\":\"not_found\",\"message\":\"no such issue\",\"details\":{}}}");
    assert_json(view_health_json(), "{\"status\":\"ok\"}");
}

static void project_summary(void **state)
{
    (void)state;
    struct policy_project p;
    memset(&p, 0, sizeof p);
    snprintf(p.id, sizeof p.id, "%s", "mautic");
    snprintf(p.name, sizeof p.name, "%s", "Mautic");
    snprintf(p.timezone, sizeof p.timezone, "%s", "Europe/Berlin");
    assert_json(view_project_summary_json(&p),
                "{\"id\":\"mautic\",\"name\":\"Mautic\",\"timezone\":\"Europe/Berlin\"}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(delivery_rows),
        cmocka_unit_test(audit_rows),
        cmocka_unit_test(service_bodies),
        cmocka_unit_test(project_summary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
