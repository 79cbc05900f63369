/* config/: the string forms of the config's enums (docs/CONTRACT.md "Config file"): each value's
 * name is the one the contract spells, parses back to the same value, and a string that names
 * no value (a near miss, another case, empty, NULL) is refused with RC_EINVAL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "config/config.h"
#include "core/err.h"
#include "core/nelem.h"

static const char *const refused[] = {"",     "Webhook", "webhooks", "sms",  "publi",
                                      "Team", "owner",   "unknown",  " log", "admin "};

static void channel_types(void **state)
{
    (void)state;
    static const struct {
        enum config_channel_type t;
        const char *name;
    } rows[] = {
        {CONFIG_CHANNEL_DISCORD, "discord"}, {CONFIG_CHANNEL_DISCOURSE, "discourse"},
        {CONFIG_CHANNEL_WEBHOOK, "webhook"}, {CONFIG_CHANNEL_EMAIL, "email"},
        {CONFIG_CHANNEL_LOG, "log"},
    };
    assert_int_equal(NELEM(rows), CONFIG_CHANNEL_TYPE_COUNT);
    for (size_t i = 0; i < NELEM(rows); i++) {
        assert_string_equal(config_channel_type_name(rows[i].t), rows[i].name);
        enum config_channel_type t = CONFIG_CHANNEL_TYPE_COUNT;
        assert_int_equal(config_channel_type_parse(rows[i].name, &t), 0);
        assert_int_equal(t, rows[i].t);
    }
    for (size_t i = 0; i < NELEM(refused); i++) {
        enum config_channel_type t = CONFIG_CHANNEL_LOG;
        assert_int_equal(config_channel_type_parse(refused[i], &t), RC_EINVAL);
        assert_int_equal(t, CONFIG_CHANNEL_LOG);
    }
    enum config_channel_type t;
    assert_int_equal(config_channel_type_parse(NULL, &t), RC_EINVAL);
    assert_string_equal(config_channel_type_name(CONFIG_CHANNEL_TYPE_COUNT), "unknown");
}

static void audiences(void **state)
{
    (void)state;
    static const struct {
        enum config_audience a;
        const char *name;
    } rows[] = {
        {CONFIG_AUDIENCE_PUBLIC, "public"},
        {CONFIG_AUDIENCE_DISTRIBUTORS, "distributors"},
        {CONFIG_AUDIENCE_TEAM, "team"},
    };
    assert_int_equal(NELEM(rows), CONFIG_AUDIENCE_COUNT);
    for (size_t i = 0; i < NELEM(rows); i++) {
        assert_string_equal(config_audience_name(rows[i].a), rows[i].name);
        enum config_audience a = CONFIG_AUDIENCE_COUNT;
        assert_int_equal(config_audience_parse(rows[i].name, &a), 0);
        assert_int_equal(a, rows[i].a);
    }
    for (size_t i = 0; i < NELEM(refused); i++) {
        enum config_audience a = CONFIG_AUDIENCE_TEAM;
        assert_int_equal(config_audience_parse(refused[i], &a), RC_EINVAL);
        assert_int_equal(a, CONFIG_AUDIENCE_TEAM);
    }
    enum config_audience a;
    assert_int_equal(config_audience_parse(NULL, &a), RC_EINVAL);
    assert_string_equal(config_audience_name(CONFIG_AUDIENCE_COUNT), "unknown");
}

static void roles(void **state)
{
    (void)state;
    static const struct {
        enum config_role r;
        const char *name;
    } rows[] = {
        {CONFIG_ROLE_READER, "reader"},
        {CONFIG_ROLE_MANAGER, "manager"},
        {CONFIG_ROLE_ADMIN, "admin"},
    };
    for (size_t i = 0; i < NELEM(rows); i++) {
        assert_string_equal(config_role_name(rows[i].r), rows[i].name);
        enum config_role r = (enum config_role)0;
        assert_int_equal(config_role_parse(rows[i].name, &r), 0);
        assert_int_equal(r, rows[i].r);
    }
    for (size_t i = 0; i < NELEM(refused); i++) {
        enum config_role r = CONFIG_ROLE_READER;
        assert_int_equal(config_role_parse(refused[i], &r), RC_EINVAL);
        assert_int_equal(r, CONFIG_ROLE_READER);
    }
    enum config_role r;
    assert_int_equal(config_role_parse(NULL, &r), RC_EINVAL);
    assert_int_equal(config_role_parse("none", &r), RC_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(channel_types),
        cmocka_unit_test(audiences),
        cmocka_unit_test(roles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
