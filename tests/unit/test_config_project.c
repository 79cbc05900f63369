/* config/: a project's own settings beside the policy: a custom incident checklist, PGP for an
 * e-mail channel, the advisory URL template; each refusal names the JSON path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "core/err.h"

struct bad {
    const char *json;
    const char *needle; /* expected in the message, after "bad.json: " */
};

static void custom_checklist(void **state)
{
    (void)state;
    struct config *c;
    char err[512];
    const char *text =
        "{\"projects\": [{\"id\": \"p\", \"checklist\": [{\"id\": \"triage\", \"title\": "
        "\"Triage\", \"tasks\": [{\"id\": \"ack\", \"title\": \"Acknowledge\", \"due\": "
        "\"reported+12h\"}, {\"id\": \"cve\", \"title\": \"CVE\", \"due\": "
        "\"distributor_notice-2d\", \"auto\": \"cve_recorded\", \"when\": "
        "\"cve_recommended\"}]}]}, {\"id\": \"q\"}]}";
    assert_int_equal(config_load_string(text, "t.json", &c, err, sizeof err), 0);
    const struct checklist_template *t = config_checklist(&c->projects[0]);
    assert_int_equal(t->n_phases, 1);
    assert_string_equal(t->phases[0].title, "Triage");
    assert_int_equal(t->phases[0].n_tasks, 2);
    const struct checklist_task *cve = checklist_find(t, "cve", NULL);
    assert_non_null(cve);
    assert_int_equal(cve->due_event, CHECKLIST_EV_DISTRIBUTOR_NOTICE);
    assert_int_equal(cve->due_offset, -2 * 86400);
    assert_int_equal(cve->auto_done, CHECKLIST_AUTO_CVE_RECORDED);
    assert_int_equal(cve->when, CHECKLIST_WHEN_CVE_RECOMMENDED);
    assert_int_equal(checklist_find(t, "ack", NULL)->due_offset, 12 * 3600);
    /* Without the key: the default template. */
    assert_ptr_equal(config_checklist(&c->projects[1]), checklist_default());
    assert_int_equal(c->projects[1].n_contacts, 0);
    config_free(c);
    /* A decision with its choices, groups, and emergency contacts. */
    text = "{\"projects\": [{\"id\": \"p\", \"emergency_contacts\": [{\"name\": \"Alice\", "
           "\"role\": \"lead\", \"email\": \"alice@example.org\", \"phone\": \"+49 (30) "
           "123-45\"}, {\"name\": \"Bob\", \"email\": \"bob@example.org\"}], \"checklist\": "
           "[{\"id\": \"comm\", \"title\": \"Comm\", \"tasks\": [{\"id\": \"notify\", "
           "\"title\": \"Notify?\", \"group\": \"channels\", \"kind\": \"decision\", "
           "\"choices\": [\"yes\", \"no\", \"later\"], \"reason_required\": [\"no\", "
           "\"later\"]}]}]}]}";
    assert_int_equal(config_load_string(text, "t.json", &c, err, sizeof err), 0);
    t = config_checklist(&c->projects[0]);
    const struct checklist_task *d = checklist_find(t, "notify", NULL);
    assert_int_equal(d->kind, CHECKLIST_KIND_DECISION);
    assert_string_equal(d->group, "channels");
    assert_true(checklist_choice_valid(d, "later"));
    assert_false(checklist_choice_valid(d, "maybe"));
    assert_true(checklist_choice_needs_reason(d, "no"));
    assert_false(checklist_choice_needs_reason(d, "yes"));
    assert_int_equal(c->projects[0].n_contacts, 2);
    assert_string_equal(c->projects[0].contacts[0].name, "Alice");
    assert_string_equal(c->projects[0].contacts[0].role, "lead");
    assert_string_equal(c->projects[0].contacts[0].phone, "+49 (30) 123-45");
    assert_null(c->projects[0].contacts[1].phone);
    config_free(c);
}

/* An e-mail channel's "pgp" object (docs/CONTRACT.md "OpenPGP"): the defaults of encrypt, and
 * every refusal naming the field. */
#define FPR_A "0123456789ABCDEF0123456789ABCDEF01234567"
#define PGP_MAIL(aud, pgp)                                                                         \
    "{\"projects\": [{\"id\": \"p\", \"channels\": [{\"name\": \"e\", \"type\": \"email\","        \
    " \"audience\": \"" aud "\", \"smtp_url\": \"smtp://m\", \"from\": \"a@b\", \"to\": "          \
    "[\"c@d\"], \"pgp\": " pgp "}]}]}"

static const struct config_channel *pgp_load(const char *json, struct config **c)
{
    char err[512] = "";
    int rc = config_load_string(json, "ok.json", c, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, 0);
    return &(*c)->projects[0].channels[0];
}

static void pgp_channel(void **state)
{
    (void)state;
    struct config *c = NULL;
    /* Recipients make encryption required; a file and a fingerprint; the passphrase by file. */
    const struct config_channel *ch = pgp_load(
        PGP_MAIL("team", "{\"keyring\": \"/var/lib/relcal/gnupg\", \"recipients\": [\"" FPR_A
                         "\", \"/etc/relcal/keys/distros.asc\"], \"signing_key\": \"" FPR_A "\"}"),
        &c);
    assert_string_equal(ch->pgp_keyring, "/var/lib/relcal/gnupg");
    assert_int_equal(ch->n_pgp_recipients, 2);
    assert_string_equal(ch->pgp_recipients[1], "/etc/relcal/keys/distros.asc");
    assert_string_equal(ch->pgp_signing_key, FPR_A);
    assert_null(ch->pgp_passphrase);
    assert_int_equal(ch->pgp_encrypt, CONFIG_PGP_REQUIRED);
    config_free(c);
    /* A signing key alone on public mail: signed, never encrypted. */
    ch = pgp_load(PGP_MAIL("public", "{\"keyring\": \"/k\", \"signing_key\": \"" FPR_A
                                     "\", \"passphrase\": \"pw\"}"),
                  &c);
    assert_int_equal(ch->pgp_encrypt, CONFIG_PGP_NEVER);
    assert_string_equal(ch->pgp_passphrase, "pw");
    config_free(c);
    ch = pgp_load(PGP_MAIL("distributors", "{\"keyring\": \"/k\", \"recipients\": [\"" FPR_A
                                           "\"], \"encrypt\": \"if_possible\"}"),
                  &c);
    assert_int_equal(ch->pgp_encrypt, CONFIG_PGP_IF_POSSIBLE);
    config_free(c);
    /* Without a pgp object nothing changes. */
    ch = pgp_load("{\"projects\": [{\"id\": \"p\", \"channels\": [{\"name\": \"e\", \"type\": "
                  "\"email\", \"audience\": \"distributors\", \"smtp_url\": \"smtp://m\", "
                  "\"from\": \"a@b\", \"to\": [\"c@d\"]}]}]}",
                  &c);
    assert_null(ch->pgp_keyring);
    assert_int_equal(ch->pgp_encrypt, CONFIG_PGP_NEVER);
    config_free(c);

    const struct bad cases[] = {
        {PGP_MAIL("team", "[]"), "$.projects[0].channels[0].pgp: must be an object"},
        {PGP_MAIL("team", "{\"keyring\": \"/k\", \"signing_key\": \"" FPR_A "\", \"x\": 1}"),
         "$.projects[0].channels[0].pgp.x: unknown key"},
        {PGP_MAIL("team", "{\"signing_key\": \"" FPR_A "\"}"),
         "$.projects[0].channels[0].pgp.keyring: required key is missing"},
        {PGP_MAIL("team", "{\"keyring\": \"gnupg\", \"signing_key\": \"" FPR_A "\"}"),
         "$.projects[0].channels[0].pgp.keyring: must be an absolute path"},
        {PGP_MAIL("team", "{\"keyring\": \"/k\"}"), "$.projects[0].channels[0].pgp: names no key"},
        {PGP_MAIL("team", "{\"keyring\": \"/k\", \"recipients\": \"" FPR_A "\"}"),
         "$.projects[0].channels[0].pgp.recipients: must be an array"},
        {PGP_MAIL("team", "{\"keyring\": \"/k\", \"recipients\": [\"" FPR_A "\", \"ABCD\"]}"),
         "$.projects[0].channels[0].pgp.recipients[1]: not a fingerprint"},
        {PGP_MAIL("team", "{\"keyring\": \"/k\", \"recipients\": [\"keys/a.asc\"]}"),
         "$.projects[0].channels[0].pgp.recipients[0]: a key file must be an absolute path"},
        {PGP_MAIL("team", "{\"keyring\": \"/k\", \"recipients\": [7]}"),
         "$.projects[0].channels[0].pgp.recipients[0]: must be a key fingerprint"},
        {PGP_MAIL("team", "{\"keyring\": \"/k\", \"signing_key\": \"me@example.org\"}"),
         "$.projects[0].channels[0].pgp.signing_key: must be a fingerprint"},
        {PGP_MAIL("team", "{\"keyring\": \"/k\", \"recipients\": [\"" FPR_A
                          "\"], \"encrypt\": \"always\"}"),
         "$.projects[0].channels[0].pgp.encrypt: must be required, if_possible or never"},
        /* Encryption required (the distributors default) with nobody to encrypt to. */
        {PGP_MAIL("distributors", "{\"keyring\": \"/k\", \"signing_key\": \"" FPR_A "\"}"),
         "$.projects[0].channels[0].pgp.recipients: encryption is required but no recipient"},
        {PGP_MAIL("team", "{\"keyring\": \"/k\", \"signing_key\": \"" FPR_A
                          "\", \"encrypt\": \"required\"}"),
         "$.projects[0].channels[0].pgp.recipients: encryption is required"},
        {PGP_MAIL("team", "{\"keyring\": \"/k\", \"signing_key\": \"" FPR_A
                          "\", \"passphrase_file\": \"/nonexistent/pass\"}"),
         "$.projects[0].channels[0].pgp.passphrase_file"},
        /* Once the project has a key, distributors e-mail without one is refused. */
        {"{\"projects\": [{\"id\": \"p\", \"channels\": [{\"name\": \"e\", \"type\": \"email\","
         " \"audience\": \"public\", \"smtp_url\": \"smtp://m\", \"from\": \"a@b\", \"to\": "
         "[\"c@d\"], \"pgp\": {\"keyring\": \"/k\", \"signing_key\": \"" FPR_A "\"}},"
         " {\"name\": \"d\", \"type\": \"email\", \"audience\": \"distributors\", \"smtp_url\":"
         " \"smtp://m\", \"from\": \"a@b\", \"to\": [\"c@d\"]}]}]}",
         "$.projects[0].channels[1].pgp: required: the project configures OpenPGP keys"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        c = (struct config *)0x1;
        char err[512] = "";
        int rc = config_load_string(cases[i].json, "bad.json", &c, err, sizeof err);
        if (rc != RC_ECONFIG || !strstr(err, cases[i].needle)) {
            fprintf(stderr, "pgp case %zu: rc %d\n  got:  %s\n  want: %s\n", i, rc, err,
                    cases[i].needle);
            fail();
        }
    }
}

/* A project's advisory_url_template: placeholders {id}, {cve}, {ghsa}; refusals name the key. */
static void advisory_url_template(void **state)
{
    (void)state;
    struct config *c = NULL;
    char err[512] = "";
    assert_int_equal(
        config_load_string("{\"projects\": [{\"id\": \"p\", \"advisory_url_template\":"
                           " \"https://acme.example/sa/{id}?c={cve}\"}, {\"id\": \"q\"}]}",
                           "t.json", &c, err, sizeof err),
        0);
    char url[256];
    assert_true(config_advisory_url(&c->projects[0], 42, "CVE-2027-1234", NULL, url, sizeof url));
    assert_string_equal(url, "https://acme.example/sa/42?c=CVE-2027-1234");
    /* It names {cve} and the issue has none: no URL rather than a broken one. */
    assert_false(config_advisory_url(&c->projects[0], 42, NULL, NULL, url, sizeof url));
    assert_string_equal(url, "");
    assert_false(config_advisory_url(&c->projects[1], 42, "CVE-2027-1234", NULL, url, sizeof url));
    config_free(c);
    c = NULL;
    assert_int_equal(
        config_load_string("{\"projects\": [{\"id\": \"p\", \"advisory_url_template\":"
                           " \"https://github.com/acme/x/security/advisories/{ghsa}\"}]}",
                           "t.json", &c, err, sizeof err),
        0);
    assert_true(
        config_advisory_url(&c->projects[0], 1, NULL, "GHSA-2c3f-4g5h-6j7m", url, sizeof url));
    assert_string_equal(url, "https://github.com/acme/x/security/advisories/GHSA-2c3f-4g5h-6j7m");
    config_free(c);
    const char *bad[] = {"\"https://acme.example/sa/{name}\"",
                         "\"https://acme.example/{id\"",
                         "\"ftp://acme.example/{id}\"",
                         "\"https://acme.example/a b/{id}\"",
                         "\"https://#{id}\"",
                         "\"https://acme.example/\\u007f{id}\"",
                         "\"{id}\"",
                         "3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char json[256];
        snprintf(json, sizeof json,
                 "{\"projects\": [{\"id\": \"p\", \"advisory_url_template\": %s}]}", bad[i]);
        c = (struct config *)0x1;
        assert_int_equal(config_load_string(json, "bad.json", &c, err, sizeof err), RC_ECONFIG);
        if (!strstr(err, "$.projects[0].advisory_url_template")) {
            fprintf(stderr, "case %zu: %s\n", i, err);
            fail();
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(custom_checklist),
        cmocka_unit_test(advisory_url_template),
        cmocka_unit_test(pgp_channel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
