/* api/input: request body validation. Every refusal is 422 validation_failed naming the field
 * (or 409 for an impossible status), and valid bodies produce exactly the given values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "api/input.h"
#include "core/json.h"

static struct policy_project project(void)
{
    struct policy_project p;
    memset(&p, 0, sizeof p);
    snprintf(p.id, sizeof p.id, "%s", "mautic");
    snprintf(p.branches[0].name, sizeof p.branches[0].name, "%s", "5.x");
    snprintf(p.branches[1].name, sizeof p.branches[1].name, "%s", "4.x");
    p.n_branches = 2;
    policy_rules_defaults(&p.rules);
    return p;
}

static json_t *parse(const char *text)
{
    json_error_t je;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &je);
    assert_non_null(j);
    return j;
}

struct bad_case {
    const char *body;
    bool create;
    const char *field;
};

static void issue_refusals(void **state)
{
    (void)state;
    struct policy_project p = project();
    const struct bad_case cases[] = {
        {"[]", true, "body"},
        {"{}", true, "title"},
        {"{\"title\": \"\"}", true, "title"},
        {"{\"title\": 3}", true, "title"},
        {"{\"title\": null}", true, "title"},
        {"{\"title\": \"x\", \"nope\": 1}", true, "nope"},
        {"{\"title\": \"x\", \"status\": \"acknowledged\"}", true, "status"},
        {"{\"title\": \"x\", \"severity\": \"CVSS:3.1/AV:Q\"}", true, "severity"},
        {"{\"title\": \"x\", \"severity\": 9.8}", true, "severity"},
        {"{\"title\": \"x\", \"branches\": \"5.x\"}", true, "branches"},
        {"{\"title\": \"x\", \"branches\": [\"9.x\"]}", true, "branches"},
        {"{\"title\": \"x\", \"branches\": [\"5.x\", \"5.x\"]}", true, "branches"},
        {"{\"title\": \"x\", \"branches\": [1]}", true, "branches"},
        {"{\"title\": \"x\", \"reported_at\": \"2027-02-30T00:00:00Z\"}", true, "reported_at"},
        {"{\"title\": \"x\", \"reported_at\": 12}", true, "reported_at"},
        {"{\"title\": \"x\", \"cve\": \"CVE-27-1\"}", true, "cve"},
        {"{\"title\": \"x\", \"cve\": \"CVE-2027-12a4\"}", true, "cve"},
        {"{\"title\": \"x\", \"ghsa\": \"GHSA-aaaa-bbbb-cccc\"}", true, "ghsa"},
        {"{\"title\": \"x\", \"description\": 1}", true, "description"},
        {"{\"status\": \"shipped\"}", false, "status"},
        {"{\"status\": 1}", false, "status"},
        {"{\"sla_extension_days\": 7}", false, "reason"},
        {"{\"sla_extension_days\": 0, \"reason\": \"x\"}", false, "sla_extension_days"},
        {"{\"sla_extension_days\": \"7\", \"reason\": \"x\"}", false, "sla_extension_days"},
        {"{\"reason\": \"x\"}", false, "reason"},
        {"{\"status\": \"confirmed\", \"reason\": \"x\"}", false, "reason"},
        {"{\"status\": \"rejected\", \"reason\": \"\"}", false, "reason"},
        {"{\"status\": \"rejected\", \"reason\": 3}", false, "reason"},
        {"{\"title\": \"\"}", false, "title"},
        {"{\"reported_at\": \"2027-01-01T00:00:00Z\"}", false, "reported_at"},
        /* Credits: an array of {name, role?}, role one of the OSV credit types. */
        {"{\"title\": \"x\", \"credits\": \"Ana\"}", true, "credits"},
        {"{\"title\": \"x\", \"credits\": {\"name\": \"Ana\"}}", true, "credits"},
        {"{\"title\": \"x\", \"credits\": [\"Ana\"]}", true, "credits"},
        {"{\"title\": \"x\", \"credits\": [{\"role\": \"FINDER\"}]}", true, "credits"},
        {"{\"title\": \"x\", \"credits\": [{\"name\": \"\"}]}", true, "credits"},
        {"{\"title\": \"x\", \"credits\": [{\"name\": 7}]}", true, "credits"},
        {"{\"credits\": [{\"name\": \"Ana\", \"role\": \"finder\"}]}", false, "credits"},
        {"{\"credits\": [{\"name\": \"Ana\", \"role\": \"HERO\"}]}", false, "credits"},
        {"{\"credits\": [{\"name\": \"Ana\", \"role\": 1}]}", false, "credits"},
        {"{\"credits\": [{\"name\": \"Ana\", \"email\": \"a@x\"}]}", false, "credits"},
        /* The advisory's URL: http or https, with a host. */
        {"{\"title\": \"x\", \"advisory_url\": \"ftp://x.example/a\"}", true, "advisory_url"},
        {"{\"title\": \"x\", \"advisory_url\": \"javascript:alert(1)\"}", true, "advisory_url"},
        {"{\"advisory_url\": \"https://\"}", false, "advisory_url"},
        {"{\"advisory_url\": \"https://x.example/a b\"}", false, "advisory_url"},
        {"{\"advisory_url\": \"https://x.example/\\\"><script>\"}", false, "advisory_url"},
        {"{\"advisory_url\": 3}", false, "advisory_url"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *j = parse(cases[i].body);
        struct policy_issue_input in;
        struct api_error e;
        memset(&e, 0, sizeof e);
        int rc = api_issue_input_parse(j, &p, cases[i].create, &in, &e);
        if (rc != -1 || e.status != 422 || strcmp(e.field, cases[i].field) != 0) {
            fprintf(stderr, "case %zu %s: rc %d status %d field '%s' msg '%s'\n", i, cases[i].body,
                    rc, e.status, e.field, e.message);
            fail();
        }
        assert_string_equal(e.code, "validation_failed");
        assert_non_null(strstr(e.message, cases[i].field));
        json_decref(j);
    }
}

static void issue_accepts(void **state)
{
    (void)state;
    struct policy_project p = project();
    json_t *j = parse("{\"title\": \"SQLi\", \"description\": \"d\", \"severity\": "
                      "\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\", \"branches\": [\"4.x\"], "
                      "\"reported_at\": \"2027-01-10T10:00:00+01:00\", \"cve\": \"CVE-2027-1234\", "
                      "\"ghsa\": \"GHSA-2c3f-4g5h-6j7m\", \"public_summary\": null}");
    struct policy_issue_input in;
    struct api_error e;
    assert_int_equal(api_issue_input_parse(j, &p, true, &in, &e), 0);
    assert_string_equal(in.title.value, "SQLi");
    assert_string_equal(in.description.value, "d");
    assert_true(in.has_severity);
    assert_int_equal(in.severity.level, POLICY_LEVEL_CRITICAL);
    assert_int_equal(in.n_branches, 1);
    assert_string_equal(in.branches[0], "4.x");
    assert_true(in.has_reported_at);
    assert_int_equal(in.reported_at, 1799571600); /* 2027-01-10T09:00:00Z */
    assert_string_equal(in.cve.value, "CVE-2027-1234");
    assert_true(in.public_summary.present);
    assert_null(in.public_summary.value);
    assert_false(in.has_credits);
    assert_false(in.advisory_url.present);
    json_decref(j);

    /* Credits and the advisory URL; a name of 200 bytes is accepted, 201 refused. */
    char name[202];
    memset(name, 'n', 200);
    name[200] = 0;
    json_t *credits =
        json_pack("[{ss}{ssss}]", "name", name, "name", "Bo", "role", "REMEDIATION_DEVELOPER");
    j = json_pack("{sOss}", "credits", credits, "advisory_url", "https://acme.example/sa/1?x=1#y");
    assert_int_equal(api_issue_input_parse(j, &p, false, &in, &e), 0);
    assert_true(in.has_credits);
    assert_ptr_equal(in.credits, credits);
    assert_string_equal(in.advisory_url.value, "https://acme.example/sa/1?x=1#y");
    json_decref(j);
    name[200] = 'n';
    name[201] = 0;
    json_string_set(json_object_get(json_array_get(credits, 0), "name"), name);
    j = json_pack("{sO}", "credits", credits);
    memset(&e, 0, sizeof e);
    assert_int_equal(api_issue_input_parse(j, &p, false, &in, &e), -1);
    assert_string_equal(e.field, "credits");
    assert_non_null(strstr(e.message, "200 bytes"));
    json_decref(j);
    json_decref(credits);
    /* The GHSA refusal names the alphabet (GitHub's base32 without vowels and lookalikes). */
    j = parse("{\"ghsa\": \"GHSA-aaaa-bbbb-cccc\"}");
    memset(&e, 0, sizeof e);
    assert_int_equal(api_issue_input_parse(j, &p, false, &in, &e), -1);
    assert_non_null(strstr(e.message, "23456789cfghjmpqrvwx"));
    json_decref(j);
    j = parse("{\"credits\": null, \"advisory_url\": null}");
    assert_int_equal(api_issue_input_parse(j, &p, false, &in, &e), 0);
    assert_true(in.has_credits);
    assert_null(in.credits);
    assert_true(in.advisory_url.present);
    assert_null(in.advisory_url.value);
    json_decref(j);

    j = parse("{\"status\": \"fix_ready\", \"sla_extension_days\": 14, \"reason\": \"vendor\"}");
    assert_int_equal(api_issue_input_parse(j, &p, false, &in, &e), 0);
    assert_true(in.has_status);
    assert_int_equal(in.status, POLICY_ISSUE_FIX_READY);
    assert_int_equal(in.sla_extension_days, 14);
    assert_string_equal(in.reason, "vendor");
    assert_false(in.title.present);
    json_decref(j);

    /* A rejection carries a reason (docs/POLICY.md "Response deadlines"); it may be left out. */
    j = parse("{\"status\": \"rejected\", \"reason\": \"not a vulnerability\"}");
    assert_int_equal(api_issue_input_parse(j, &p, false, &in, &e), 0);
    assert_int_equal(in.status, POLICY_ISSUE_REJECTED);
    assert_false(in.has_sla_extension);
    assert_string_equal(in.reason, "not a vulnerability");
    json_decref(j);
    j = parse("{\"status\": \"rejected\"}");
    assert_int_equal(api_issue_input_parse(j, &p, false, &in, &e), 0);
    assert_null(in.reason);
    json_decref(j);
}

static void release_bodies(void **state)
{
    (void)state;
    struct policy_release_create c;
    struct policy_release_patch pt;
    struct api_error e;
    const struct bad_case bad_create[] = {
        {"{}", true, "date"},
        {"{\"date\": \"2027-02-30T00:00:00Z\", \"issues\": [1], \"reason\": \"r\"}", true, "date"},
        {"{\"date\": \"2027-03-01T00:00:00Z\", \"reason\": \"r\"}", true, "issues"},
        {"{\"date\": \"2027-03-01T00:00:00Z\", \"issues\": [], \"reason\": \"r\"}", true, "issues"},
        {"{\"date\": \"2027-03-01T00:00:00Z\", \"issues\": [0], \"reason\": \"r\"}", true,
         "issues"},
        {"{\"date\": \"2027-03-01T00:00:00Z\", \"issues\": [1, 1], \"reason\": \"r\"}", true,
         "issues"},
        {"{\"date\": \"2027-03-01T00:00:00Z\", \"issues\": [1]}", true, "reason"},
        {"{\"date\": \"2027-03-01T00:00:00Z\", \"issues\": [1], \"reason\": \"r\", \"x\": 1}", true,
         "x"},
        {"{\"date\": \"2027-03-01T00:00:00Z\", \"issues\": [1], \"reason\": \"r\", "
         "\"override_reason\": \"\"}",
         true, "override_reason"},
    };
    for (size_t i = 0; i < sizeof bad_create / sizeof bad_create[0]; i++) {
        json_t *j = parse(bad_create[i].body);
        assert_int_equal(api_release_create_parse(j, &c, &e), -1);
        assert_int_equal(e.status, 422);
        assert_string_equal(e.field, bad_create[i].field);
        json_decref(j);
    }
    json_t *j = parse("{\"date\": \"2027-03-01T12:00:00Z\", \"issues\": [3, 7], \"reason\": \"r\", "
                      "\"override_reason\": \"o\"}");
    assert_int_equal(api_release_create_parse(j, &c, &e), 0);
    assert_int_equal(c.date, 1803902400);
    assert_int_equal(c.n_issues, 2);
    assert_int_equal(c.issues[1], 7);
    assert_string_equal(c.override_reason, "o");
    json_decref(j);

    j = parse("{\"date\": \"2027-03-01T12:00:00Z\", \"status\": \"cancelled\"}");
    assert_int_equal(api_release_patch_parse(j, &pt, &e), -1);
    assert_string_equal(e.field, "status");
    json_decref(j);
    j = parse("{\"status\": \"cancelled\"}");
    assert_int_equal(api_release_patch_parse(j, &pt, &e), -1);
    assert_string_equal(e.field, "reason");
    json_decref(j);
    j = parse("{\"status\": \"released\", \"reason\": \"x\"}");
    assert_int_equal(api_release_patch_parse(j, &pt, &e), -1);
    assert_int_equal(e.status, 409);
    json_decref(j);
    j = parse("{\"status\": \"cancelled\", \"reason\": \"merged\"}");
    assert_int_equal(api_release_patch_parse(j, &pt, &e), 0);
    assert_true(pt.cancel);
    assert_false(pt.move);
    json_decref(j);
    j = parse("{\"date\": \"2027-03-01T12:00:00Z\"}");
    assert_int_equal(api_release_patch_parse(j, &pt, &e), 0);
    assert_true(pt.move);
    assert_int_equal(pt.date, 1803902400);
    json_decref(j);

    struct policy_publish pub = {.reason = "unset", .override_reason = "unset"};
    assert_int_equal(api_publish_parse(NULL, &pub, &e), 0);
    assert_null(pub.reason);
    assert_null(pub.override_reason);
    j = parse("{\"reason\": 5}");
    assert_int_equal(api_publish_parse(j, &pub, &e), -1);
    assert_string_equal(e.field, "reason");
    json_decref(j);
    j = parse("{\"override_reason\": \"\"}");
    assert_int_equal(api_publish_parse(j, &pub, &e), -1);
    assert_string_equal(e.field, "override_reason");
    json_decref(j);
    j = parse("{\"override_reason\": 7}");
    assert_int_equal(api_publish_parse(j, &pub, &e), -1);
    assert_string_equal(e.field, "override_reason");
    json_decref(j);
    j = parse("{\"overide_reason\": \"x\"}");
    assert_int_equal(api_publish_parse(j, &pub, &e), -1);
    assert_string_equal(e.field, "overide_reason");
    json_decref(j);
    j = parse("{\"reason\": \"leaked\", \"override_reason\": \"ship the fixes\"}");
    assert_int_equal(api_publish_parse(j, &pub, &e), 0);
    assert_string_equal(pub.reason, "leaked");
    assert_string_equal(pub.override_reason, "ship the fixes");
    json_decref(j);
}

/* The store keeps 511 bytes of an override reason: a longer one is refused with the limit in
 * the message rather than cut, maybe inside a UTF-8 sequence ("é" is two bytes). */
static int parse_with_override(int which, const char *reason, struct api_error *e)
{
    char body[2048];
    switch (which) {
    case 0:
        snprintf(body, sizeof body,
                 "{\"date\": \"2027-03-01T12:00:00Z\", \"issues\": [1], \"reason\": \"r\", "
                 "\"override_reason\": \"%s\"}",
                 reason);
        break;
    case 1:
        snprintf(body, sizeof body,
                 "{\"date\": \"2027-03-01T12:00:00Z\", \"override_reason\": \"%s\"}", reason);
        break;
    case 2:
        snprintf(body, sizeof body, "{\"override_reason\": \"%s\"}", reason);
        break;
    default:
        snprintf(body, sizeof body, "{\"status\": \"fix_ready\", \"override_reason\": \"%s\"}",
                 reason);
        break;
    }
    json_t *j = parse(body);
    memset(e, 0, sizeof *e);
    int rc;
    struct policy_release_create c;
    struct policy_release_patch pt;
    struct policy_publish pub;
    struct policy_issue_input in;
    struct policy_project p = project();
    if (which == 0)
        rc = api_release_create_parse(j, &c, e);
    else if (which == 1)
        rc = api_release_patch_parse(j, &pt, e);
    else if (which == 2)
        rc = api_publish_parse(j, &pub, e);
    else
        rc = api_issue_input_parse(j, &p, false, &in, e);
    json_decref(j);
    return rc;
}

static void override_reason_limit(void **state)
{
    (void)state;
    char fits[600] = "a", over[600] = "";
    for (int i = 0; i < 255; i++) /* 1 + 510 = 511 bytes */
        memcpy(fits + 1 + 2 * i, "\xc3\xa9", 3);
    for (int i = 0; i < 256; i++) /* 512 bytes */
        memcpy(over + 2 * i, "\xc3\xa9", 3);
    assert_int_equal(strlen(fits), 511);
    assert_int_equal(strlen(over), 512);
    for (int which = 0; which < 4; which++) {
        struct api_error e;
        assert_int_equal(parse_with_override(which, fits, &e), 0);
        assert_int_equal(parse_with_override(which, over, &e), -1);
        assert_int_equal(e.status, 422);
        assert_string_equal(e.code, "validation_failed");
        assert_string_equal(e.field, "override_reason");
        assert_non_null(strstr(e.message, "511 bytes"));
    }
}

/* A release's reason (create, cancel) is kept in the release row, 511 bytes like an override
 * reason: a longer one is refused with the limit, not cut. */
static void release_reason_limit(void **state)
{
    (void)state;
    char fits[600] = "", over[600] = "", body[1024];
    memset(fits, 'r', 511);
    memset(over, 'r', 512);
    for (int which = 0; which < 2; which++) {
        for (int too_long = 0; too_long < 2; too_long++) {
            const char *reason = too_long ? over : fits;
            if (which == 0)
                snprintf(body, sizeof body,
                         "{\"date\": \"2027-03-01T12:00:00Z\", \"issues\": [1], "
                         "\"reason\": \"%s\"}",
                         reason);
            else
                snprintf(body, sizeof body, "{\"status\": \"cancelled\", \"reason\": \"%s\"}",
                         reason);
            json_t *j = parse(body);
            struct api_error e;
            memset(&e, 0, sizeof e);
            struct policy_release_create c;
            struct policy_release_patch pt;
            int rc = which == 0 ? api_release_create_parse(j, &c, &e)
                                : api_release_patch_parse(j, &pt, &e);
            json_decref(j);
            if (!too_long) {
                assert_int_equal(rc, 0);
                continue;
            }
            assert_int_equal(rc, -1);
            assert_int_equal(e.status, 422);
            assert_string_equal(e.field, "reason");
            assert_non_null(strstr(e.message, "511 bytes"));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(issue_refusals),       cmocka_unit_test(issue_accepts),
        cmocka_unit_test(release_bodies),       cmocka_unit_test(override_reason_limit),
        cmocka_unit_test(release_reason_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
