/* views/advisory: an advisory shows exactly the fields the visibility allows (docs/CONTRACT.md
 * "Release object"). Expected values are written out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "views/advisory.h"

static void advisory_fields(void **state)
{
    (void)state;
    struct policy_issue_visibility iv = {.title = true,
                                         .cve = true,
                                         .ghsa = true,
                                         .level = true,
                                         .versions = true,
                                         .summary = true,
                                         .credits = true,
                                         .advisory_url = true,
                                         .published = true};
    const struct view_version fixed[] = {{"5.x", "5.1.3"}, {"4.x", NULL}};
    struct view_advisory a = {.iv = &iv,
                              .title = "XSS in forms",
                              .cve = "CVE-2027-0001",
                              .summary = "Escape it.",
                              .url = "",
                              .published_at = 1800000000,
                              .osv_id = "MAUTIC-2027-1",
                              .osv_url = "https://x/advisories/mautic/MAUTIC-2027-1.osv.json",
                              .fixed = fixed,
                              .n_fixed = 2};
    json_t *o = view_advisory_json(&a);
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_string_equal(
        s, "{\"title\":\"XSS in forms\",\"cve\":\"CVE-2027-0001\",\"ghsa\":null,\"level\":null,"
           "\"versions\":[{\"branch\":\"5.x\",\"affected\":\"< 5.1.3\",\"fixed\":\"5.1.3\"},"
           "{\"branch\":\"4.x\",\"affected\":null,\"fixed\":null}],\"summary\":\"Escape it.\","
           "\"credits\":[],\"advisory_url\":null,\"published_at\":\"2027-01-15T08:00:00Z\","
           "\"osv_id\":\"MAUTIC-2027-1\","
           "\"osv_url\":\"https://x/advisories/mautic/MAUTIC-2027-1.osv.json\"}");
    free(s);
    json_decref(o);

    struct policy_issue_visibility none = {0};
    a.iv = &none;
    o = view_advisory_json(&a);
    assert_int_equal(json_object_size(o), 0);
    json_decref(o);
}

/* An issue's face for an audience keeps only what its visibility allows (the preview compares
 * these). */
static void issue_face(void **state)
{
    (void)state;
    json_t *full = json_loads("{\"id\":4,\"title\":\"XSS\",\"description\":\"secret\","
                              "\"status\":\"fix_ready\",\"severity\":{\"vector\":\"AV:N\","
                              "\"level\":\"high\"},\"cve\":null,\"sla\":{}}",
                              0, NULL);
    assert_non_null(full);
    struct policy_issue_visibility vis = {.title = true, .level = true, .cve = true};
    json_t *o = view_issue_face_json(full, &vis);
    char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    assert_string_equal(s, "{\"cve\":null,\"id\":4,\"level\":\"high\",\"title\":\"XSS\"}");
    free(s);
    json_decref(o);
    vis.severity = true; /* the whole severity object, no separate level */
    o = view_issue_face_json(full, &vis);
    assert_non_null(json_object_get(o, "severity"));
    assert_null(json_object_get(o, "level"));
    assert_null(json_object_get(o, "description"));
    json_decref(o);
    json_decref(full);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(advisory_fields),
                                       cmocka_unit_test(issue_face)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
