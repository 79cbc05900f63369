/* formats/: OSV, CSAF and Atom from a public release object written by hand, with the values
 * expected worked out by hand (docs/CONTRACT.md "Machine-readable advisories"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "formats/formats.h"

static const char *RELEASE =
    "{\"id\": \"oos-1\", \"status\": \"released\", \"released_at\": \"2027-02-09T13:05:00Z\","
    " \"versions\": [{\"branch\": \"5.x\", \"version\": \"5.1.3\"},"
    "                {\"branch\": \"4.x\", \"version\": \"4.5.9\"}],"
    " \"advisories\": ["
    "  {\"title\": \"SQL <injection> & more\", \"cve\": \"CVE-2027-12345\", \"ghsa\": null,"
    "   \"severity\": {\"vector\": \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U\","
    "                  \"scheme\": \"cvss3.1\", \"score\": 9.1, \"label\": \"Critical\","
    "                  \"level\": \"critical\"}, \"level\": \"critical\","
    "   \"versions\": [{\"branch\": \"5.x\", \"affected\": \"< 5.1.3\", \"fixed\": \"5.1.3\"}],"
    "   \"summary\": \"Read the database.\", \"credits\": [{\"name\": \"Ana\", \"role\": "
    "\"FINDER\"}],"
    "   \"advisory_url\": null, \"published_at\": \"2027-02-09T13:05:00Z\","
    "   \"osv_id\": \"x_acme-oos-1-1\", \"osv_url\": "
    "\"https://s.example/advisories/acme/x_acme-oos-1-1.osv.json\"},"
    "  {\"title\": \"CMSS one\", \"cve\": \"not-a-cve\", \"ghsa\": \"GHSA-aaaa-bbbb-cccc\","
    "   \"severity\": {\"vector\": \"AC:None/A:None/CI:All/II:All/E:Exploit/TD:Default\","
    "                  \"scheme\": \"cmss\", \"score\": 24, \"label\": \"Highly critical\","
    "                  \"level\": \"critical\"}, \"level\": \"critical\","
    "   \"versions\": [{\"branch\": \"4.x\", \"affected\": \"< 4.5.9\", \"fixed\": \"4.5.9\"}],"
    "   \"summary\": null, \"credits\": [], \"advisory_url\": \"https://a.example/sa/2\","
    "   \"published_at\": \"2027-02-09T13:05:00Z\", \"osv_id\": \"x_acme-oos-1-2\"}]}";

static struct policy_branch branches[2] = {{.name = "5.x", .version = "5.1.2"},
                                           {.name = "4.x", .version = "4.5.8"}};

static struct formats_project project(const char *ecosystem)
{
    return (struct formats_project){.id = "acme",
                                    .name = "Acme",
                                    .base_url = "https://s.example",
                                    .package_name = "acme/core",
                                    .ecosystem = ecosystem,
                                    .publisher_name = "Acme",
                                    .publisher_namespace = "https://acme.example",
                                    .publisher_category = "vendor",
                                    .branches = branches,
                                    .n_branches = 2};
}

static const char *str(const json_t *o, const char *path)
{
    json_t *v = json_object_get(o, path);
    return json_string_value(v);
}

static void osv(void **state)
{
    (void)state;
    json_t *rel = json_loads(RELEASE, 0, NULL);
    assert_non_null(rel);
    struct formats_project p = project("Packagist");
    json_t *a = formats_osv(&p, rel, 0);
    assert_string_equal(str(a, "id"), "x_acme-oos-1-1");
    assert_string_equal(str(a, "modified"), "2027-02-09T13:05:00Z");
    assert_int_equal(json_array_size(json_object_get(a, "aliases")), 1);
    json_t *sev = json_array_get(json_object_get(a, "severity"), 0);
    assert_string_equal(str(sev, "type"), "CVSS_V3");
    json_t *events = json_object_get(
        json_array_get(json_object_get(json_array_get(json_object_get(a, "affected"), 0), "ranges"),
                       0),
        "events");
    /* 5.x fixed in 5.1.3 above 4.x's 4.5.9: from 5.0.0. */
    assert_int_equal(json_array_size(events), 2);
    assert_string_equal(str(json_array_get(events, 0), "introduced"), "5.0.0");
    assert_string_equal(str(json_array_get(events, 1), "fixed"), "5.1.3");
    json_t *b = formats_osv(&p, rel, 1);
    assert_null(json_object_get(b, "severity")); /* CMSS: no OSV type */
    assert_string_equal(
        str(json_object_get(json_object_get(b, "database_specific"), "severity"), "scheme"),
        "cmss");
    assert_null(formats_osv(&p, rel, 2));
    /* Without an ecosystem there is no `affected`. */
    struct formats_project q = project("");
    json_t *c = formats_osv(&q, rel, 0);
    assert_null(json_object_get(c, "affected"));
    json_decref(a);
    json_decref(b);
    json_decref(c);
    json_decref(rel);
}

static void csaf(void **state)
{
    (void)state;
    json_t *rel = json_loads(RELEASE, 0, NULL);
    struct formats_project p = project("Packagist");
    json_t *d = formats_csaf(&p, rel);
    assert_non_null(d);
    json_t *doc = json_object_get(d, "document");
    assert_string_equal(str(doc, "title"), "Acme 5.1.3 and 4.5.9 security release");
    assert_string_equal(str(json_object_get(doc, "tracking"), "id"), "acme-oos-1");
    json_t *v0 = json_array_get(json_object_get(d, "vulnerabilities"), 0);
    json_t *cvss = json_object_get(json_array_get(json_object_get(v0, "scores"), 0), "cvss_v3");
    /* The base score of the vector, not its temporal 9.1. */
    assert_true(json_real_value(json_object_get(cvss, "baseScore")) == 9.8);
    assert_string_equal(str(cvss, "baseSeverity"), "CRITICAL");
    json_t *v1 = json_array_get(json_object_get(d, "vulnerabilities"), 1);
    assert_null(json_object_get(v1, "cve")); /* not a CVE id: under ids */
    assert_null(json_object_get(v1, "scores"));
    json_t *fixed = json_object_get(json_object_get(v1, "product_status"), "fixed");
    assert_string_equal(json_string_value(json_array_get(fixed, 0)), "acme:4.5.9");
    json_decref(d);
    /* No advisories, no document. */
    json_object_set_new(rel, "advisories", json_array());
    assert_null(formats_csaf(&p, rel));
    json_decref(rel);
}

static void atom(void **state)
{
    (void)state;
    json_t *rel = json_loads(RELEASE, 0, NULL);
    struct formats_project p = project("Packagist");
    struct formats_feed_release fr = {&p, rel};
    size_t len;
    char *a = formats_atom(&p, "https://s.example:8443", &fr, 1, &len);
    assert_int_equal(strlen(a), len);
    assert_non_null(
        strstr(a, "<title>Acme: CVE-2027-12345 SQL &lt;injection&gt; &amp; more</title>"));
    assert_non_null(strstr(a, "<id>tag:s.example,2027-02-09:relcal/acme/x_acme-oos-1-1</id>"));
    assert_non_null(strstr(a, "<updated>2027-02-09T13:05:00Z</updated>"));
    assert_non_null(strstr(a, "href=\"https://s.example:8443/feeds/acme/advisories.atom\""));
    free(a);
    char *e = formats_atom(NULL, "https://s.example", NULL, 0, &len);
    assert_non_null(strstr(e, "<updated>1970-01-01T00:00:00Z</updated>"));
    assert_null(strstr(e, "<entry>"));
    free(e);
    json_decref(rel);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(osv),
        cmocka_unit_test(csaf),
        cmocka_unit_test(atom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
