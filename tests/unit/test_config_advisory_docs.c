/* The project keys of the machine-readable advisories (docs/CONTRACT.md "Machine-readable
 * advisories"): osv_id_prefix, package_name, package_ecosystem, csaf_publisher; defaults, and
 * every refusal naming its key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "config/config.h"
#include "core/err.h"

static void defaults_and_values(void **state)
{
    (void)state;
    struct config *c = NULL;
    char err[512] = "";
    assert_int_equal(
        config_load_string(
            "{\"projects\": [{\"id\": \"acme\"}, {\"id\": \"b\", \"osv_id_prefix\": \"DRUPAL\","
            " \"package_name\": \"drupal/core\", \"package_ecosystem\": \"Debian:12\","
            " \"csaf_publisher\": {\"name\": \"B Team\", \"namespace\": \"https://b.example\","
            " \"category\": \"coordinator\", \"contact_details\": \"sec@b.example\"}}]}",
            "t.json", &c, err, sizeof err),
        0);
    assert_string_equal(c->projects[0].osv_id_prefix, "x_acme");
    assert_string_equal(c->projects[0].package_ecosystem, "");
    assert_string_equal(c->projects[0].csaf_publisher.name, "");
    assert_string_equal(c->projects[1].osv_id_prefix, "DRUPAL");
    assert_string_equal(c->projects[1].package_name, "drupal/core");
    assert_string_equal(c->projects[1].package_ecosystem, "Debian:12");
    assert_string_equal(c->projects[1].csaf_publisher.namespace_url, "https://b.example");
    assert_string_equal(c->projects[1].csaf_publisher.category, "coordinator");
    assert_string_equal(c->projects[1].csaf_publisher.contact_details, "sec@b.example");
    config_free(c);
    /* The embedded default gets the default prefix too. */
    assert_int_equal(config_load_string(config_embedded_default(), "embedded", &c, err, sizeof err),
                     0);
    assert_string_equal(c->projects[0].osv_id_prefix, "x_example");
    config_free(c);
}

static void refusals(void **state)
{
    (void)state;
    static const struct {
        const char *keys; /* project members */
        const char *path; /* the JSON path the message names */
        const char *words;
    } cases[] = {
        {"\"osv_id_prefix\": \"bad prefix\"", "$.projects[0].osv_id_prefix:", "OSV id prefix"},
        {"\"osv_id_prefix\": \"acme-\"", "$.projects[0].osv_id_prefix:", "OSV id prefix"},
        {"\"osv_id_prefix\": 7", "$.projects[0].osv_id_prefix:", ""},
        {"\"package_ecosystem\": \"Composer\"",
         "$.projects[0].package_ecosystem:", "not an OSV ecosystem"},
        {"\"package_name\": \"a/b\"",
         "$.projects[0].package_ecosystem:", "required with package_name"},
        {"\"package_name\": \"a\\nb\", \"package_ecosystem\": \"npm\"",
         "$.projects[0].package_name:", "control characters"},
        {"\"csaf_publisher\": []", "$.projects[0].csaf_publisher:", "must be an object"},
        {"\"csaf_publisher\": {\"category\": \"hero\"}",
         "$.projects[0].csaf_publisher.category:", "publisher category"},
        {"\"csaf_publisher\": {\"namespace\": \"urn:x\"}",
         "$.projects[0].csaf_publisher.namespace:", "http:// or https://"},
        {"\"csaf_publisher\": {\"colour\": \"red\"}",
         "$.projects[0].csaf_publisher.colour:", "unknown key"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char json[512], err[512] = "";
        snprintf(json, sizeof json, "{\"projects\": [{\"id\": \"p\", %s}]}", cases[i].keys);
        struct config *c = NULL;
        int rc = config_load_string(json, "bad.json", &c, err, sizeof err);
        if (rc != RC_ECONFIG || !strstr(err, cases[i].path) || !strstr(err, cases[i].words)) {
            fprintf(stderr, "case %zu: rc %d: %s\n", i, rc, err);
            fail();
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_and_values),
        cmocka_unit_test(refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
