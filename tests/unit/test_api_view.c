/* api/view: the release object's public and private views (docs/CONTRACT.md) and the issue
 * object. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "views/view.h"
#include "core/json.h"

static struct policy_release sample(enum policy_release_status st)
{
    struct policy_release r;
    memset(&r, 0, sizeof r);
    snprintf(r.id, sizeof r.id, "%s", "2027-02-09");
    r.kind = POLICY_RELEASE_SCHEDULED;
    r.status = st;
    r.starts_at = 1802181600 - 3600; /* 13:00Z */
    r.ends_at = r.starts_at + 7200;
    r.cutoff_at = r.announce_at = r.distributor_notice_at = r.starts_at - 7 * 86400;
    r.reminder_at = r.starts_at - 86400;
    r.announced_at = r.distributors_notified_at = r.released_at = POLICY_TIME_NONE;
    return r;
}

static void release_views(void **state)
{
    (void)state;
    struct policy_release r = sample(POLICY_RELEASE_PLANNED);
    const struct view_version vers[] = {{"5.x", "5.1.3"}};
    const int64_t ids[] = {3, 7};
    struct view_release v = {.project = "mautic",
                             .rel = &r,
                             .fix_count = 2,
                             .has_level = true,
                             .max_level = POLICY_LEVEL_HIGH,
                             .versions = vers,
                             .n_versions = 1,
                             .issue_ids = ids,
                             .n_issue_ids = 2};
    json_t *pub = view_release_json(&v, POLICY_AUDIENCE_PUBLIC);
    char *s = jsonx_dump(pub);
    assert_string_equal(
        s,
        "{\"id\":\"2027-02-09\",\"project\":\"mautic\",\"kind\":\"scheduled\",\"status\":"
        "\"planned\",\"starts_at\":\"2027-02-09T13:00:00Z\",\"ends_at\":\"2027-02-09T15:00:00Z\","
        "\"cutoff_at\":\"2027-02-02T13:00:00Z\",\"announce_at\":\"2027-02-02T13:00:00Z\","
        "\"distributor_notice_at\":\"2027-02-02T13:00:00Z\",\"announced_at\":null,"
        "\"distributors_notified_at\":null,\"released_at\":null,\"sequence\":0,"
        "\"fix_count\":null,\"max_level\":null,\"versions\":[]}");
    free(s);
    json_decref(pub);

    json_t *priv = view_release_json(&v, POLICY_AUDIENCE_TEAM);
    assert_int_equal(json_integer_value(json_object_get(priv, "fix_count")), 2);
    assert_string_equal(json_string_value(json_object_get(priv, "max_level")), "high");
    assert_int_equal(json_array_size(json_object_get(priv, "issues")), 2);
    json_decref(priv);

    /* Distributors notified before the pre-announcement: they see the detail, the public sees
     * nothing more than before (not even that the notice went out). */
    r.distributors_notified_at = r.distributor_notice_at;
    json_t *dis = view_release_json(&v, POLICY_AUDIENCE_DISTRIBUTORS);
    assert_int_equal(json_integer_value(json_object_get(dis, "fix_count")), 2);
    assert_int_equal(json_array_size(json_object_get(dis, "versions")), 1);
    assert_int_equal(json_array_size(json_object_get(dis, "issues")), 2);
    assert_string_equal(json_string_value(json_object_get(dis, "distributors_notified_at")),
                        "2027-02-02T13:00:00Z");
    json_decref(dis);
    pub = view_release_json(&v, POLICY_AUDIENCE_PUBLIC);
    s = jsonx_dump(pub);
    assert_non_null(strstr(s, "\"distributors_notified_at\":null,"));
    assert_non_null(strstr(s, "\"fix_count\":null,\"max_level\":null,\"versions\":[]}"));
    free(s);
    json_decref(pub);

    r.status = POLICY_RELEASE_ANNOUNCED;
    pub = view_release_json(&v, POLICY_AUDIENCE_PUBLIC);
    assert_int_equal(json_array_size(json_object_get(pub, "versions")), 1);
    assert_string_equal(json_string_value(json_object_get(pub, "distributors_notified_at")),
                        "2027-02-02T13:00:00Z");
    assert_int_equal(json_integer_value(json_object_get(pub, "fix_count")), 2);
    assert_string_equal(json_string_value(json_object_get(pub, "max_level")), "high");
    assert_null(json_object_get(pub, "issues"));
    json_decref(pub);
}

static void issue_view(void **state)
{
    (void)state;
    struct policy_issue i;
    memset(&i, 0, sizeof i);
    i.id = 3;
    i.status = POLICY_ISSUE_FIX_READY;
    i.reported_at = 1799571600;
    i.acknowledged_at = i.responded_at = i.fix_ready_at = i.released_at = POLICY_TIME_NONE;
    snprintf(i.release_id, sizeof i.release_id, "%s", "2027-02-09");
    const char *br[] = {"5.x"};
    const char *breached[] = {"acknowledge"};
    struct view_issue v = {.core = &i,
                           .title = "T",
                           .description = "D",
                           .branches = br,
                           .n_branches = 1,
                           .acknowledge_due = 1799571600 + 86400,
                           .respond_due = POLICY_TIME_NONE,
                           .resolve_due = POLICY_TIME_NONE,
                           .breached = breached,
                           .n_breached = 1};
    json_t *o = view_issue_json(&v, true);
    assert_string_equal(json_string_value(json_object_get(o, "status")), "fix_ready");
    assert_string_equal(json_string_value(json_object_get(o, "description")), "D");
    assert_string_equal(json_string_value(json_object_get(o, "release")), "2027-02-09");
    assert_true(json_is_null(json_object_get(o, "severity")));
    json_t *sla = json_object_get(o, "sla");
    assert_string_equal(json_string_value(json_object_get(sla, "acknowledge_due")),
                        "2027-01-11T09:00:00Z");
    assert_string_equal(json_string_value(json_array_get(json_object_get(sla, "breached"), 0)),
                        "acknowledge");
    json_decref(o);
    o = view_issue_json(&v, false);
    assert_null(json_object_get(o, "description"));
    json_decref(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(release_views),
        cmocka_unit_test(issue_view),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
