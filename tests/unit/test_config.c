/* config/: the contract's example config loads with every default applied, the embedded default
 * loads through the same strict path, and every refusal names the file, the JSON path and the
 * problem. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "config/zone.h"
#include "core/err.h"
#include "core/timeutil.h"

#define HEX64 "3983202afa4411cda7cafc94a18aa1f6f620cfda5e9b0ab52c0f0d53a6be4315"
#define WHSEC "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

/* docs/CONTRACT.md's example, with real hashes for the "<hex>" placeholders. */
static const char *const example =
    "{\"listen\": \"127.0.0.1:8080\", \"public_url\": \"https://security.example.org/\","
    " \"database\": \"/var/lib/relcal/relcal.db\", \"export_dir\": null,"
    " \"tokens\": [{\"name\": \"alice\", \"role\": \"manager\", \"sha256\": \"" HEX64 "\"}],"
    " \"projects\": [{\"id\": \"mautic\", \"name\": \"Mautic\", \"timezone\": \"Europe/Berlin\","
    "  \"branches\": [{\"name\": \"5.x\", \"version\": \"5.1.2\"},"
    "                {\"name\": \"4.x\", \"version\": \"4.4.12\", \"eol\": \"2027-06-30\"}],"
    "  \"policy\": {\"cadence\": \"FREQ=MONTHLY;BYMONTH=2,5,8,11;BYDAY=2TU\","
    "   \"release_time\": \"14:00\", \"release_duration_minutes\": 120,"
    "   \"holidays\": [\"2026-12-24\"], \"readiness_cutoff_days\": 7,"
    "   \"pre_announcement_days\": 7, \"out_of_sequence_notice_days\": 14,"
    "   \"out_of_sequence_min_level\": \"critical\", \"distributor_notice_days\": 7,"
    "   \"distributor_reminder_hours\": 24, \"max_embargo_days\": 14,"
    "   \"sla\": {\"acknowledge_hours\": 24, \"respond_days\": 7, \"resolve_days\": 21},"
    "   \"cve_request_min_cvss\": 4.0, \"horizon_months\": 12},"
    "  \"channels\": ["
    "   {\"name\": \"announce\", \"type\": \"discord\", \"audience\": \"public\","
    "    \"url_env\": \"ANNOUNCE_DISCORD_URL\"},"
    "   {\"name\": \"forum\", \"type\": \"discourse\", \"audience\": \"public\","
    "    \"base_url\": \"https://forum.example.org\", \"api_key_env\": \"FORUM_API_KEY\","
    "    \"api_username\": \"system\", \"category_id\": 7},"
    "   {\"name\": \"debian\", \"type\": \"webhook\", \"audience\": \"distributors\","
    "    \"url\": \"https://example.net/hook\", \"secret_env\": \"DEBIAN_HOOK_SECRET\","
    "    \"feed_token_sha256\": \"" HEX64 "\"},"
    "   {\"name\": \"distros\", \"type\": \"email\", \"audience\": \"distributors\","
    "    \"smtp_url\": \"smtps://mail.example.org:465\", \"username_env\": \"SMTP_USER\","
    "    \"password_env\": \"SMTP_PASS\", \"from\": \"security@example.org\","
    "    \"to\": [\"distros@lists.example.org\"]},"
    "   {\"name\": \"team\", \"type\": \"log\", \"audience\": \"team\","
    "    \"path\": \"/var/log/relcal/team.log\"}]}]}";

static int setup_env(void **state)
{
    (void)state;
    setenv("ANNOUNCE_DISCORD_URL", "https://discord.com/api/webhooks/1/secret-part", 1);
    setenv("FORUM_API_KEY", "forum-key-SECRET", 1);
    setenv("DEBIAN_HOOK_SECRET", WHSEC, 1);
    setenv("SMTP_USER", "relcal", 1);
    setenv("SMTP_PASS", "smtp-SECRET", 1);
    return 0;
}

static void example_loads(void **state)
{
    (void)state;
    struct config *c = NULL;
    char err[512] = "";
    int rc = config_load_string(example, "ex.json", &c, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, 0);
    assert_string_equal(c->listen, "127.0.0.1:8080");
    assert_string_equal(c->public_url, "https://security.example.org"); /* slash stripped */
    assert_null(c->export_dir);
    assert_int_equal(c->n_tokens, 1);
    assert_int_equal(c->tokens[0].role, CONFIG_ROLE_MANAGER);
    assert_int_equal(c->tokens[0].sha256[0], 0x39);
    const struct config_project *p = config_project_find(c, "mautic");
    assert_non_null(p);
    assert_null(config_project_find(c, "nope"));
    assert_string_equal(p->policy.timezone, "Europe/Berlin");
    /* The zone is resolved at load and carried with the project (owned by the config). */
    assert_non_null(p->zone);
    assert_ptr_equal(p->policy.zone, p->zone);
    assert_string_equal(policy_zone_name(p->policy.zone), "Europe/Berlin");
    assert_int_equal(policy_zone_offset_at(p->policy.zone, 1802178000), 3600); /* 2027-02-09 */
    assert_int_equal(policy_zone_offset_at(p->policy.zone, 1810036800), 7200); /* 2027-05-11 */
    assert_int_equal(p->policy.n_branches, 2);
    assert_int_equal(p->policy.branches[1].eol_day, civil_to_days(2027, 6, 30));
    assert_true(p->policy.branches[0].eol_day == POLICY_TIME_NONE);
    assert_int_equal(p->policy.rules.release_minute, 840);
    assert_int_equal(p->policy.rules.n_holidays, 1);
    assert_int_equal(p->policy.rules.holidays[0], civil_to_days(2026, 12, 24));
    assert_int_equal(p->n_channels, 5);
    assert_string_equal(p->channels[0].url, "https://discord.com/api/webhooks/1/secret-part");
    assert_string_equal(p->channels[1].api_key, "forum-key-SECRET");
    assert_int_equal(p->channels[1].category_id, 7);
    assert_string_equal(p->channels[2].secret, WHSEC);
    assert_true(p->channels[2].has_feed_token);
    assert_int_equal(p->channels[3].n_to, 1);
    assert_string_equal(p->channels[3].password, "smtp-SECRET");
    assert_int_equal(p->channels[4].audience, CONFIG_AUDIENCE_TEAM);
    config_free(c);
}

/* config/zone.h: the only place a zone is looked up by name (a file read once per name). */
static void zone_loader(void **state)
{
    (void)state;
    struct policy_zone *z = NULL;
    const char *refused[] = {"Mars/Olympus", "../etc/passwd",  "/etc/passwd",    "",
                             "leapseconds",  "Europe/Berlin/", "Europe/Berlin\n"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        assert_int_equal(config_zone_load(refused[i], &z), RC_ENOTFOUND);
    assert_null(z);
    assert_int_equal(config_zone_load(NULL, &z), RC_ENOTFOUND);
    assert_int_equal(config_zone_load("Asia/Kolkata", &z), 0);
    assert_string_equal(policy_zone_name(z), "Asia/Kolkata");
    assert_int_equal(policy_zone_offset_at(z, 1810036800), 19800);
    policy_zone_free(z);
    assert_int_equal(config_zone_load("Etc/UTC", &z), 0);
    assert_int_equal(policy_zone_offset_at(z, 1810036800), 0);
    policy_zone_free(z);
}

static void defaults_and_embedded(void **state)
{
    (void)state;
    struct config *c = NULL;
    char err[512] = "";
    assert_int_equal(
        config_load_string("{\"projects\": [{\"id\": \"p\"}]}", "min.json", &c, err, sizeof err),
        0);
    struct policy_rules d;
    policy_rules_defaults(&d);
    const struct config_project *p = &c->projects[0];
    assert_memory_equal(&p->policy.rules, &d, sizeof d);
    assert_int_equal(p->policy.rules.max_release_horizon_years, 5);
    assert_string_equal(p->policy.name, "p");
    assert_string_equal(p->policy.timezone, "UTC");
    assert_non_null(p->policy.zone);
    assert_int_equal(policy_zone_offset_at(p->policy.zone, 1810036800), 0);
    assert_string_equal(c->listen, "127.0.0.1:8080");
    assert_string_equal(c->database, "relcal.db");
    assert_int_equal(c->max_body_bytes, 65536);
    assert_int_equal(c->published_ttl_minutes, 360);
    assert_int_equal(c->delivery_max_per_host, 16);
    assert_int_equal(c->http_write_timeout_seconds, 30);
    assert_int_equal(c->http_max_connections_per_address, 64);
    assert_int_equal(c->delivery_max_retry_after_seconds, 3600);
    assert_false(c->allow_private_addresses);
    config_free(c);

    assert_int_equal(config_load_string("{\"projects\": [{\"id\": \"p\", \"policy\": "
                                        "{\"max_release_horizon_years\": 2}}]}",
                                        "y.json", &c, err, sizeof err),
                     0);
    assert_int_equal(c->projects[0].policy.rules.max_release_horizon_years, 2);
    config_free(c);

    /* Response deadlines: extensions capped at 90 days by default; a short out-of-sequence
     * notice only with allow_short_notice. */
    assert_int_equal(d.sla_extension_max_days, 90);
    assert_false(d.allow_short_notice);
    assert_int_equal(config_load_string("{\"projects\": [{\"id\": \"p\", \"policy\": "
                                        "{\"out_of_sequence_notice_days\": 3, "
                                        "\"allow_short_notice\": true, "
                                        "\"sla_extension_max_days\": 0}}]}",
                                        "s.json", &c, err, sizeof err),
                     0);
    assert_int_equal(c->projects[0].policy.rules.out_of_sequence_notice_days, 3);
    assert_true(c->projects[0].policy.rules.allow_short_notice);
    assert_int_equal(c->projects[0].policy.rules.sla_extension_max_days, 0);
    config_free(c);

    assert_int_equal(
        config_load_string(config_embedded_default(), "<embedded default>", &c, err, sizeof err),
        0);
    assert_int_equal(c->n_projects, 1);
    assert_int_equal(c->n_tokens, 0);
    assert_int_equal(c->projects[0].channels[0].type, CONFIG_CHANNEL_LOG);
    config_free(c);
}

struct bad {
    const char *json;
    const char *needle; /* expected in the message, after "bad.json: " */
};

static void refusals(void **state)
{
    (void)state;
    const struct bad cases[] = {
        /* syntax: line and column */
        {"{\n  \"projects\": [\n  ,]}", "bad.json:3:"},
        {"[]", "$: the config must be a JSON object"},
        {"{\"projects\": [{\"id\": \"p\"}], \"projects\": []}", "duplicate"},
        /* unknown keys at every level */
        {"{\"projects\": [{\"id\": \"p\"}], \"lisen\": \"x\"}", "$.lisen: unknown key"},
        {"{\"projects\": [{\"id\": \"p\", \"zone\": \"UTC\"}]}", "$.projects[0].zone: unknown key"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"cadance\": \"x\"}}]}",
         "$.projects[0].policy.cadance: unknown key"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"sla\": {\"ack\": 1}}}]}",
         "$.projects[0].policy.sla.ack: unknown key"},
        {"{\"projects\": [{\"id\": \"p\", \"channels\": [{\"name\": \"l\", \"type\": \"log\","
         " \"audience\": \"team\", \"url\": \"https://x\"}]}]}",
         "$.projects[0].channels[0].url: unknown key"},
        {"{\"tokens\": [{\"name\": \"a\", \"role\": \"admin\", \"sha256\": \"" HEX64
         "\", \"x\": 1}],"
         " \"projects\": [{\"id\": \"p\"}]}",
         "$.tokens[0].x: unknown key"},
        {"{\"projects\": [{\"id\": \"p\", \"branches\": [{\"name\": \"1\", \"version\": \"1.0\","
         " \"lts\": true}]}]}",
         "$.projects[0].branches[0].lts: unknown key"},
        /* top level */
        {"{}", "$.projects: required key is missing"},
        {"{\"projects\": []}", "$.projects: must be a non-empty array"},
        {"{\"projects\": [{\"id\": \"p\"}], \"listen\": \"8080\"}", "$.listen: must be HOST:PORT"},
        {"{\"projects\": [{\"id\": \"p\"}], \"listen\": \"h:99999\"}", "$.listen: port"},
        {"{\"projects\": [{\"id\": \"p\"}], \"listen\": 8080}", "$.listen: must be a string"},
        {"{\"projects\": [{\"id\": \"p\"}], \"public_url\": \"ftp://x\"}", "$.public_url"},
        {"{\"projects\": [{\"id\": \"p\"}], \"database\": \"\"}", "$.database: must not be empty"},
        {"{\"projects\": [{\"id\": \"p\"}], \"export_dir\": 3}", "$.export_dir: must be a string"},
        {"{\"projects\": [{\"id\": \"p\"}], \"allow_private_addresses\": \"yes\"}",
         "$.allow_private_addresses: must be true or false"},
        {"{\"projects\": [{\"id\": \"p\"}], \"max_body_bytes\": 10}", "$.max_body_bytes: must be"},
        {"{\"projects\": [{\"id\": \"p\"}], \"published_ttl_minutes\": 1.5}",
         "$.published_ttl_minutes: must be an integer"},
        {"{\"projects\": [{\"id\": \"p\"}], \"log_level\": \"loud\"}", "$.log_level"},
        /* response deadlines and notice (docs/POLICY.md "Response deadlines") */
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"out_of_sequence_notice_days\": 13}}]}",
         "$.projects[0].policy.out_of_sequence_notice_days: below 14 days needs "
         "allow_short_notice: true"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"out_of_sequence_notice_days\": 3,"
         " \"allow_short_notice\": false}}]}",
         "$.projects[0].policy.out_of_sequence_notice_days: below 14 days"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"allow_short_notice\": \"yes\"}}]}",
         "$.projects[0].policy.allow_short_notice: must be true or false"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"sla_extension_max_days\": -1}}]}",
         "$.projects[0].policy.sla_extension_max_days: must be"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"sla_extension_max_days\": 366}}]}",
         "$.projects[0].policy.sla_extension_max_days: must be"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"sla_extension_max_days\": \"90\"}}]}",
         "$.projects[0].policy.sla_extension_max_days: must be an integer"},
        /* checklist */
        {"{\"projects\": [{\"id\": \"p\", \"checklist\": []}]}",
         "$.projects[0].checklist: needs at least one phase"},
        {"{\"projects\": [{\"id\": \"p\", \"checklist\": {}}]}",
         "$.projects[0].checklist: must be an array"},
        {"{\"projects\": [{\"id\": \"p\", \"checklist\": [{\"id\": \"a\", \"title\": \"A\", "
         "\"tasks\": []}]}]}",
         "$.projects[0].checklist[0].tasks: must be a non-empty array"},
        {"{\"projects\": [{\"id\": \"p\", \"checklist\": [{\"id\": \"a\", \"title\": \"A\"}]}]}",
         "$.projects[0].checklist[0].tasks"},
        {"{\"projects\": [{\"id\": \"p\", \"checklist\": [{\"id\": \"A B\", \"title\": \"A\", "
         "\"tasks\": [{\"id\": \"t\", \"title\": \"T\"}]}]}]}",
         "$.projects[0].checklist[0].id: 'A B' is not a valid id"},
        {"{\"projects\": [{\"id\": \"p\", \"checklist\": [{\"id\": \"a\", \"title\": \"\", "
         "\"tasks\": [{\"id\": \"t\", \"title\": \"T\"}]}]}]}",
         "$.projects[0].checklist[0].title: must not be empty"},
        {"{\"projects\": [{\"id\": \"p\", \"checklist\": [{\"id\": \"a\", \"title\": \"A\", "
         "\"tasks\": [{\"id\": \"t\", \"title\": \"T\", \"due\": \"release+2w\"}]}]}]}",
         "$.projects[0].checklist[0].tasks[0].due: 'release+2w' is not EVENT"},
        {"{\"projects\": [{\"id\": \"p\", \"checklist\": [{\"id\": \"a\", \"title\": \"A\", "
         "\"tasks\": [{\"id\": \"t\", \"title\": \"T\", \"auto\": \"magic\"}]}]}]}",
         "$.projects[0].checklist[0].tasks[0].auto: 'magic' is not one of"},
        {"{\"projects\": [{\"id\": \"p\", \"checklist\": [{\"id\": \"a\", \"title\": \"A\", "
         "\"tasks\": [{\"id\": \"t\", \"title\": \"T\", \"when\": \"never\"}]}]}]}",
         "$.projects[0].checklist[0].tasks[0].when: must be always or cve_recommended"},
        {"{\"projects\": [{\"id\": \"p\", \"checklist\": [{\"id\": \"a\", \"title\": \"A\", "
         "\"tasks\": [{\"id\": \"t\", \"title\": \"T\", \"owner\": \"x\"}]}]}]}",
         "$.projects[0].checklist[0].tasks[0].owner: unknown key"},
        {"{\"projects\": [{\"id\": \"p\", \"checklist\": [{\"id\": \"a\", \"title\": \"A\", "
         "\"tasks\": [{\"id\": \"t\", \"title\": \"T\"}, {\"id\": \"t\", \"title\": \"U\"}]}]}]}",
         "$.projects[0].checklist[0].tasks[1].id: 't' is used twice"},
        /* checklist decisions and groups */
        {"{\"projects\": [{\"id\": \"p\", \"checklist\": [{\"id\": \"a\", \"title\": \"A\", "
         "\"tasks\": [{\"id\": \"t\", \"title\": \"T\", \"kind\": \"choice\"}]}]}]}",
         "$.projects[0].checklist[0].tasks[0].kind: must be task or decision"},
        {"{\"projects\": [{\"id\": \"p\", \"checklist\": [{\"id\": \"a\", \"title\": \"A\", "
         "\"tasks\": [{\"id\": \"t\", \"title\": \"T\", \"kind\": \"decision\"}]}]}]}",
         "$.projects[0].checklist[0].tasks[0].choices: a decision needs"},
        {"{\"projects\": [{\"id\": \"p\", \"checklist\": [{\"id\": \"a\", \"title\": \"A\", "
         "\"tasks\": [{\"id\": \"t\", \"title\": \"T\", \"choices\": [\"a\", \"b\"]}]}]}]}",
         "$.projects[0].checklist[0].tasks[0].choices: only a decision"},
        {"{\"projects\": [{\"id\": \"p\", \"checklist\": [{\"id\": \"a\", \"title\": \"A\", "
         "\"tasks\": [{\"id\": \"t\", \"title\": \"T\", \"kind\": \"decision\", \"choices\": "
         "[\"a\"]}]}]}]}",
         "$.projects[0].checklist[0].tasks[0].choices: a decision needs"},
        {"{\"projects\": [{\"id\": \"p\", \"checklist\": [{\"id\": \"a\", \"title\": \"A\", "
         "\"tasks\": [{\"id\": \"t\", \"title\": \"T\", \"kind\": \"decision\", \"choices\": "
         "[\"a\", \"a\"]}]}]}]}",
         "$.projects[0].checklist[0].tasks[0].choices[1]: 'a' is listed twice"},
        {"{\"projects\": [{\"id\": \"p\", \"checklist\": [{\"id\": \"a\", \"title\": \"A\", "
         "\"tasks\": [{\"id\": \"t\", \"title\": \"T\", \"kind\": \"decision\", \"choices\": "
         "[\"a\", \"open\"]}]}]}]}",
         "$.projects[0].checklist[0].tasks[0].choices[1]: 'open' is reserved"},
        {"{\"projects\": [{\"id\": \"p\", \"checklist\": [{\"id\": \"a\", \"title\": \"A\", "
         "\"tasks\": [{\"id\": \"t\", \"title\": \"T\", \"kind\": \"decision\", \"choices\": "
         "[\"a\", \"B c\"]}]}]}]}",
         "$.projects[0].checklist[0].tasks[0].choices[1]: 'B c' is not a valid choice"},
        {"{\"projects\": [{\"id\": \"p\", \"checklist\": [{\"id\": \"a\", \"title\": \"A\", "
         "\"tasks\": [{\"id\": \"t\", \"title\": \"T\", \"kind\": \"decision\", \"choices\": "
         "[\"a\", 3]}]}]}]}",
         "$.projects[0].checklist[0].tasks[0].choices[1]: must be a string"},
        {"{\"projects\": [{\"id\": \"p\", \"checklist\": [{\"id\": \"a\", \"title\": \"A\", "
         "\"tasks\": [{\"id\": \"t\", \"title\": \"T\", \"kind\": \"decision\", \"choices\": "
         "[\"a\", \"b\"], \"reason_required\": [\"c\"]}]}]}]}",
         "$.projects[0].checklist[0].tasks[0].reason_required[0]: 'c' is not one of the choices"},
        {"{\"projects\": [{\"id\": \"p\", \"checklist\": [{\"id\": \"a\", \"title\": \"A\", "
         "\"tasks\": [{\"id\": \"t\", \"title\": \"T\", \"reason_required\": [\"a\"]}]}]}]}",
         "$.projects[0].checklist[0].tasks[0].reason_required: only a decision"},
        {"{\"projects\": [{\"id\": \"p\", \"checklist\": [{\"id\": \"a\", \"title\": \"A\", "
         "\"tasks\": [{\"id\": \"t\", \"title\": \"T\", \"kind\": \"decision\", \"choices\": "
         "[\"a\", \"b\"], \"auto\": \"cve_recorded\"}]}]}]}",
         "$.projects[0].checklist[0].tasks[0].auto: a decision is set by hand"},
        {"{\"projects\": [{\"id\": \"p\", \"checklist\": [{\"id\": \"a\", \"title\": \"A\", "
         "\"tasks\": [{\"id\": \"t\", \"title\": \"T\", \"group\": \"Pre release\"}]}]}]}",
         "$.projects[0].checklist[0].tasks[0].group: 'Pre release' is not a valid id"},
        /* emergency contacts */
        {"{\"projects\": [{\"id\": \"p\", \"emergency_contacts\": {}}]}",
         "$.projects[0].emergency_contacts: must be an array"},
        {"{\"projects\": [{\"id\": \"p\", \"emergency_contacts\": [\"Alice\"]}]}",
         "$.projects[0].emergency_contacts[0]: must be an object"},
        {"{\"projects\": [{\"id\": \"p\", \"emergency_contacts\": [{\"email\": "
         "\"a@example.org\"}]}]}",
         "$.projects[0].emergency_contacts[0].name: required"},
        {"{\"projects\": [{\"id\": \"p\", \"emergency_contacts\": [{\"name\": \"Alice\"}]}]}",
         "$.projects[0].emergency_contacts[0]: needs an email or a phone"},
        {"{\"projects\": [{\"id\": \"p\", \"emergency_contacts\": [{\"name\": \"Alice\", "
         "\"email\": \"alice\"}]}]}",
         "$.projects[0].emergency_contacts[0].email: 'alice' is not an e-mail address"},
        {"{\"projects\": [{\"id\": \"p\", \"emergency_contacts\": [{\"name\": \"Alice\", "
         "\"email\": \"a b@example.org\"}]}]}",
         "$.projects[0].emergency_contacts[0].email: 'a b@example.org' is not an e-mail address"},
        {"{\"projects\": [{\"id\": \"p\", \"emergency_contacts\": [{\"name\": \"Alice\", "
         "\"phone\": \"call me\"}]}]}",
         "$.projects[0].emergency_contacts[0].phone: 'call me' is not a phone number"},
        {"{\"projects\": [{\"id\": \"p\", \"emergency_contacts\": [{\"name\": \"Alice\", "
         "\"phone\": \"+49\", \"pager\": \"1\"}]}]}",
         "$.projects[0].emergency_contacts[0].pager: unknown key"},
        {"{\"projects\": [{\"id\": \"p\", \"emergency_contacts\": [{\"name\": \"Alice\\nBcc: x\", "
         "\"phone\": \"+49 30 1\"}]}]}",
         "$.projects[0].emergency_contacts[0].name: must be one line"},
        {"{\"projects\": [{\"id\": \"p\", \"emergency_contacts\": [{\"name\": \"Alice\", \"role\": "
         "3, \"phone\": \"+49 30 1\"}]}]}",
         "$.projects[0].emergency_contacts[0].role: must be a string"},
        {"{\"projects\": [{\"id\": \"p\"}], \"http_write_timeout_seconds\": 0}",
         "$.http_write_timeout_seconds: must be"},
        {"{\"projects\": [{\"id\": \"p\"}], \"http_write_timeout_seconds\": 3601}",
         "$.http_write_timeout_seconds: must be"},
        {"{\"projects\": [{\"id\": \"p\"}], \"http_max_connections_per_address\": 0}",
         "$.http_max_connections_per_address: must be"},
        {"{\"projects\": [{\"id\": \"p\"}], \"http_max_connections_per_address\": true}",
         "$.http_max_connections_per_address: must be an integer"},
        {"{\"projects\": [{\"id\": \"p\"}], \"delivery_max_per_host\": 0}",
         "$.delivery_max_per_host: must be"},
        {"{\"projects\": [{\"id\": \"p\"}], \"delivery_max_per_host\": 257}",
         "$.delivery_max_per_host: must be"},
        {"{\"projects\": [{\"id\": \"p\"}], \"delivery_max_per_host\": \"8\"}",
         "$.delivery_max_per_host: must be an integer"},
        {"{\"projects\": [{\"id\": \"p\"}], \"delivery_max_retry_after_seconds\": 0}",
         "$.delivery_max_retry_after_seconds: must be"},
        {"{\"projects\": [{\"id\": \"p\"}], \"delivery_max_retry_after_seconds\": 86401}",
         "$.delivery_max_retry_after_seconds: must be"},
        {"{\"projects\": [{\"id\": \"p\"}], \"delivery_max_retry_after_seconds\": 1.5}",
         "$.delivery_max_retry_after_seconds: must be an integer"},
        /* tokens */
        {"{\"tokens\": {}, \"projects\": [{\"id\": \"p\"}]}", "$.tokens: must be an array"},
        {"{\"tokens\": [{\"name\": \"a\", \"role\": \"root\", \"sha256\": \"" HEX64 "\"}],"
         " \"projects\": [{\"id\": \"p\"}]}",
         "$.tokens[0].role: must be reader, manager or admin"},
        {"{\"tokens\": [{\"name\": \"a\", \"role\": \"admin\", \"sha256\": \"abc\"}],"
         " \"projects\": [{\"id\": \"p\"}]}",
         "$.tokens[0].sha256: must be 64 hex digits"},
        {"{\"tokens\": [{\"name\": \"a\", \"role\": \"admin\", \"sha256\": \"" HEX64 "\"},"
         " {\"name\": \"a\", \"role\": \"reader\", \"sha256\": \"" HEX64 "\"}],"
         " \"projects\": [{\"id\": \"p\"}]}",
         "$.tokens[1].name: token name 'a' is used twice"},
        {"{\"tokens\": [{\"role\": \"admin\", \"sha256\": \"" HEX64 "\"}],"
         " \"projects\": [{\"id\": \"p\"}]}",
         "$.tokens[0].name: required key is missing"},
        /* projects and branches */
        {"{\"projects\": [{\"name\": \"p\"}]}", "$.projects[0].id: required key is missing"},
        {"{\"projects\": [{\"id\": \"Bad Id\"}]}", "$.projects[0].id: 'Bad Id' is not a valid id"},
        {"{\"projects\": [{\"id\": \"all\"}]}", "$.projects[0].id: 'all' is reserved"},
        {"{\"projects\": [{\"id\": \"p\"}, {\"id\": \"p\"}]}",
         "$.projects[1].id: project id 'p' is used twice"},
        {"{\"projects\": [{\"id\": \"p\", \"timezone\": \"Europe/Berln\"}]}",
         "$.projects[0].timezone: unknown IANA time zone 'Europe/Berln'"},
        {"{\"projects\": [{\"id\": \"p\", \"timezone\": \"../../etc/passwd\"}]}",
         "$.projects[0].timezone: unknown IANA time zone"},
        /* a file in the zone directory that is not a TZif file */
        {"{\"projects\": [{\"id\": \"p\", \"timezone\": \"leapseconds\"}]}",
         "$.projects[0].timezone: unknown IANA time zone 'leapseconds'"},
        {"{\"projects\": [{\"id\": \"p\", \"timezone\": \"/usr/share/zoneinfo/UTC\"}]}",
         "$.projects[0].timezone: unknown IANA time zone"},
        {"{\"projects\": [{\"id\": \"p\", \"branches\": [{\"name\": \"1\"}]}]}",
         "$.projects[0].branches[0].version: required key is missing"},
        {"{\"projects\": [{\"id\": \"p\", \"branches\": [{\"name\": \"1\", \"version\": \"1\","
         " \"eol\": \"2027-02-30\"}]}]}",
         "$.projects[0].branches[0].eol: not a valid date"},
        {"{\"projects\": [{\"id\": \"p\", \"branches\": [{\"name\": \"1\", \"version\": \"1\"},"
         " {\"name\": \"1\", \"version\": \"2\"}]}]}",
         "$.projects[0].branches[1].name: branch '1' is listed twice"},
        /* policy values */
        {"{\"projects\": [{\"id\": \"p\", \"policy\": []}]}",
         "$.projects[0].policy: must be an object"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"cadence\": \"FREQ=FOO\"}}]}",
         "$.projects[0].policy.cadence: not a valid RFC 5545 RRULE"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"cadence\": \"FREQ=HOURLY\"}}]}",
         "$.projects[0].policy.cadence: FREQ must be"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"cadence\": "
         "\"FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30\"}}]}",
         "$.projects[0].policy.cadence: the rule can never match"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"cadence\": "
         "\"FREQ=MONTHLY;BYWEEKNO=1;BYDAY=MO\"}}]}",
         "$.projects[0].policy.cadence: BYWEEKNO needs FREQ=YEARLY"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"cadence\": "
         "\"FREQ=MONTHLY;COUNT=2;UNTIL=20300101T000000Z\"}}]}",
         "$.projects[0].policy.cadence"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"release_time\": \"24:00\"}}]}",
         "$.projects[0].policy.release_time: must be between 00:00 and 23:59"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"release_time\": \"2pm\"}}]}",
         "$.projects[0].policy.release_time: must be HH:MM"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"release_duration_minutes\": 0}}]}",
         "$.projects[0].policy.release_duration_minutes: must be between 1 and 1440"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"readiness_cutoff_days\": -1}}]}",
         "$.projects[0].policy.readiness_cutoff_days: must be between"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"horizon_months\": 0}}]}",
         "$.projects[0].policy.horizon_months: must be between 1 and 120"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"max_release_horizon_years\": 0}}]}",
         "$.projects[0].policy.max_release_horizon_years: must be between 1 and 50"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"max_release_horizon_years\": 51}}]}",
         "$.projects[0].policy.max_release_horizon_years: must be between 1 and 50"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"max_release_horizon_years\": "
         "\"5\"}}]}",
         "$.projects[0].policy.max_release_horizon_years: must be an integer"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"max_release_horizon_years\": 2.5}}]}",
         "$.projects[0].policy.max_release_horizon_years: must be an integer"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"max_embargo_days\": \"14\"}}]}",
         "$.projects[0].policy.max_embargo_days: must be an integer"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"holidays\": \"2026-12-24\"}}]}",
         "$.projects[0].policy.holidays: must be an array"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"holidays\": [\"2026-12-24\", "
         "\"2026-13-01\"]}}]}",
         "$.projects[0].policy.holidays[1]: not a valid date"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"holidays\": [\"2026-12-24\", "
         "\"2026-12-24\"]}}]}",
         "$.projects[0].policy.holidays: 2026-12-24 is listed twice"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"out_of_sequence_min_level\": "
         "\"severe\"}}]}",
         "$.projects[0].policy.out_of_sequence_min_level: must be none, low"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"sla\": {\"respond_days\": 30}}}]}",
         "$.projects[0].policy.sla.respond_days: must not be later than resolve_days"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"sla\": {\"acknowledge_hours\": 0}}}]}",
         "$.projects[0].policy.sla.acknowledge_hours: must be between"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"sla\": 5}}]}",
         "$.projects[0].policy.sla: must be an object"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"cve_request_min_cvss\": 11}}]}",
         "$.projects[0].policy.cve_request_min_cvss: must be a number from 0 to 10"},
        /* cross-field rules */
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"distributor_notice_days\": 15}}]}",
         "$.projects[0].policy.distributor_notice_days: 15 days exceeds max_embargo_days (14)"},
        {"{\"projects\": [{\"id\": \"p\", \"policy\": {\"readiness_cutoff_days\": 3}}]}",
         "$.projects[0].policy.readiness_cutoff_days: the cut-off (3 days before) falls after"},
        /* channels */
        {"{\"projects\": [{\"id\": \"p\", \"channels\": {}}]}",
         "$.projects[0].channels: must be an array"},
        {"{\"projects\": [{\"id\": \"p\", \"channels\": [{\"name\": \"x\", \"type\": \"sms\","
         " \"audience\": \"team\"}]}]}",
         "$.projects[0].channels[0].type: unknown channel type 'sms'"},
        {"{\"projects\": [{\"id\": \"p\", \"channels\": [{\"name\": \"x\", \"type\": \"log\","
         " \"audience\": \"everyone\"}]}]}",
         "$.projects[0].channels[0].audience: must be public, distributors or team"},
        {"{\"projects\": [{\"id\": \"p\", \"channels\": [{\"type\": \"log\", \"audience\": "
         "\"team\"}]}]}",
         "$.projects[0].channels[0].name: required key is missing"},
        {"{\"projects\": [{\"id\": \"p\", \"channels\": [{\"name\": \"x\", \"type\": \"log\","
         " \"audience\": \"team\"}, {\"name\": \"x\", \"type\": \"log\", \"audience\": "
         "\"team\"}]}]}",
         "$.projects[0].channels[1].name: channel name 'x' is used twice"},
        {"{\"projects\": [{\"id\": \"p\", \"channels\": [{\"name\": \"d\", \"type\": \"discord\","
         " \"audience\": \"public\"}]}]}",
         "$.projects[0].channels[0].url: required: give url, url_env or url_file"},
        {"{\"projects\": [{\"id\": \"p\", \"channels\": [{\"name\": \"d\", \"type\": \"discord\","
         " \"audience\": \"public\", \"url\": \"http://discord.example\"}]}]}",
         "$.projects[0].channels[0].url: must be an https:// URL"},
        {"{\"projects\": [{\"id\": \"p\", \"channels\": [{\"name\": \"d\", \"type\": \"discord\","
         " \"audience\": \"public\", \"url\": \"https://?x=1\"}]}]}",
         "$.projects[0].channels[0].url: must be an https:// URL"},
        {"{\"projects\": [{\"id\": \"p\", \"channels\": [{\"name\": \"d\", \"type\": \"discord\","
         " \"audience\": \"public\", \"url\": \"https://a.example/\\u007f\"}]}]}",
         "$.projects[0].channels[0].url: must be an https:// URL"},
        {"{\"projects\": [{\"id\": \"p\", \"channels\": [{\"name\": \"d\", \"type\": \"discord\","
         " \"audience\": \"public\", \"url\": \"https://a\", \"url_env\": \"X\"}]}]}",
         "$.projects[0].channels[0].url: give only one of url, url_env and url_file"},
        {"{\"projects\": [{\"id\": \"p\", \"channels\": [{\"name\": \"d\", \"type\": \"discord\","
         " \"audience\": \"public\", \"url_env\": \"RELCAL_TEST_UNSET_VARIABLE\"}]}]}",
         "$.projects[0].channels[0].url_env: environment variable RELCAL_TEST_UNSET_VARIABLE is "
         "not set"},
        {"{\"projects\": [{\"id\": \"p\", \"channels\": [{\"name\": \"d\", \"type\": \"discord\","
         " \"audience\": \"public\", \"url_file\": \"/nonexistent/secret\"}]}]}",
         "$.projects[0].channels[0].url_file: cannot read /nonexistent/secret"},
        {"{\"projects\": [{\"id\": \"p\", \"channels\": [{\"name\": \"w\", \"type\": \"webhook\","
         " \"audience\": \"distributors\", \"url\": \"https://a/h\", \"secret\": \"plain\"}]}]}",
         "$.projects[0].channels[0].secret: must be \"whsec_\""},
        {"{\"projects\": [{\"id\": \"p\", \"channels\": [{\"name\": \"w\", \"type\": \"webhook\","
         " \"audience\": \"distributors\", \"url\": \"https://a/h\", \"secret\": \"" WHSEC "\","
         " \"feed_token_sha256\": \"zz\"}]}]}",
         "$.projects[0].channels[0].feed_token_sha256: must be 64 hex digits"},
        {"{\"projects\": [{\"id\": \"p\", \"channels\": [{\"name\": \"f\", \"type\": \"discourse\","
         " \"audience\": \"public\", \"base_url\": \"https://f\", \"api_key\": \"k\","
         " \"api_username\": \"system\"}]}]}",
         "$.projects[0].channels[0].category_id: required key is missing"},
        {"{\"projects\": [{\"id\": \"p\", \"channels\": [{\"name\": \"e\", \"type\": \"email\","
         " \"audience\": \"team\", \"smtp_url\": \"imap://m\", \"from\": \"a@b\", \"to\": "
         "[\"c@d\"]}]}]}",
         "$.projects[0].channels[0].smtp_url: must start with smtp:// or smtps://"},
        {"{\"projects\": [{\"id\": \"p\", \"channels\": [{\"name\": \"e\", \"type\": \"email\","
         " \"audience\": \"team\", \"smtp_url\": \"smtp://m\", \"from\": \"a@b\", \"to\": []}]}]}",
         "$.projects[0].channels[0].to: must be a non-empty array"},
        {"{\"projects\": [{\"id\": \"p\", \"channels\": [{\"name\": \"e\", \"type\": \"email\","
         " \"audience\": \"team\", \"smtp_url\": \"smtp://m\", \"from\": \"a@b\","
         " \"to\": [\"c@d\", \"nobody\"]}]}]}",
         "$.projects[0].channels[0].to[1]: not an e-mail address"},
        {"{\"projects\": [{\"id\": \"p\", \"channels\": [{\"name\": \"e\", \"type\": \"email\","
         " \"audience\": \"team\", \"smtp_url\": \"smtp://m\", \"from\": \"me\", \"to\": "
         "[\"c@d\"]}]}]}",
         "$.projects[0].channels[0].from: not an e-mail address"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct config *c = (struct config *)0x1;
        char err[512] = "";
        int rc = config_load_string(cases[i].json, "bad.json", &c, err, sizeof err);
        if (rc != RC_ECONFIG || !strstr(err, cases[i].needle) || strncmp(err, "bad.json", 8) != 0) {
            fprintf(stderr, "case %zu: rc %d\n  got:  %s\n  want: %s\n", i, rc, err,
                    cases[i].needle);
            fail();
        }
        assert_ptr_equal(c, (struct config *)0x1); /* not written on failure */
    }
}

static void secrets_never_in_messages(void **state)
{
    (void)state;
    /* A bad secret value is refused without echoing it. */
    char err[512] = "";
    struct config *c;
    assert_int_equal(
        config_load_string("{\"projects\": [{\"id\": \"p\", \"channels\": [{\"name\": \"w\","
                           " \"type\": \"webhook\", \"audience\": \"distributors\","
                           " \"url\": \"https://a/h\", \"secret\": \"TOPSECRET-VALUE\"}]}]}",
                           "s.json", &c, err, sizeof err),
        RC_ECONFIG);
    assert_null(strstr(err, "TOPSECRET"));
}

static void files_and_lookup_chain(void **state)
{
    (void)state;
    char dir[] = "/tmp/relcal-config-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], secret[256];
    snprintf(secret, sizeof secret, "%s/secret", dir);
    FILE *f = fopen(secret, "w");
    fputs("https://hooks.example.org/abc\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/relcal.json", dir);
    f = fopen(path, "w");
    fprintf(f,
            "{\"projects\": [{\"id\": \"p\", \"channels\": [{\"name\": \"d\", \"type\": "
            "\"discord\", \"audience\": \"public\", \"url_file\": \"%s\"}]}]}",
            secret);
    fclose(f);
    struct config *c = NULL;
    char err[512] = "";
    assert_int_equal(config_load_file(path, &c, err, sizeof err), 0);
    assert_string_equal(c->projects[0].channels[0].url, "https://hooks.example.org/abc");
    assert_string_equal(c->source, path);
    config_free(c);

    /* ./relcal.json is found without -c. */
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    assert_int_equal(config_load(NULL, &c, err, sizeof err), 0);
    assert_string_equal(c->source, "./relcal.json");
    config_free(c);
    assert_int_equal(chdir(cwd), 0);

    /* An explicit file that cannot be read is an I/O error naming it. */
    assert_int_equal(config_load_file("/nonexistent/relcal.json", &c, err, sizeof err), RC_EIO);
    assert_non_null(strstr(err, "/nonexistent/relcal.json: cannot open"));
    unlink(path);
    unlink(secret);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(example_loads),
        cmocka_unit_test(defaults_and_embedded),
        cmocka_unit_test(zone_loader),
        cmocka_unit_test(refusals),
        cmocka_unit_test(secrets_never_in_messages),
        cmocka_unit_test(files_and_lookup_chain),
    };
    return cmocka_run_group_tests(tests, setup_env, NULL);
}
