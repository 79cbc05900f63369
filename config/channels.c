/* Channel entries of a project: common keys, the keys of each channel type, secrets through
 * inline / *_env / *_file. Secret values are never put into error messages. */
#include <stdlib.h>
#include <string.h>

#include "config/internal.h"
#include "core/crypto.h"
#include "core/err.h"
#include "core/xalloc.h"

struct type_keys {
    const char *type;
    const char *const keys[24];
};

#define COMMON_KEYS "name", "type", "audience", "allow_insecure"
static const struct type_keys type_table[] = {
    {"discord", {COMMON_KEYS, "url", "url_env", "url_file", NULL}},
    {"discourse",
     {COMMON_KEYS, "base_url", "api_key", "api_key_env", "api_key_file", "api_username",
      "category_id", NULL}},
    {"webhook",
     {COMMON_KEYS, "url", "url_env", "url_file", "secret", "secret_env", "secret_file",
      "feed_token_sha256", NULL}},
    {"email",
     {COMMON_KEYS, "smtp_url", "username", "username_env", "username_file", "password",
      "password_env", "password_file", "from", "to", "feed_token_sha256", NULL}},
    {"log", {COMMON_KEYS, "path", NULL}},
};

void cfg_channel_clear(struct config_channel *ch)
{
    free(ch->url);
    free(ch->secret);
    free(ch->base_url);
    free(ch->api_key);
    free(ch->api_username);
    free(ch->smtp_url);
    free(ch->username);
    free(ch->password);
    free(ch->from);
    for (size_t i = 0; i < ch->n_to; i++)
        free(ch->to[i]);
    free(ch->to);
    free(ch->path);
    memset(ch, 0, sizeof *ch);
}

static int parse_url_secret(struct cfg_ctx *c, json_t *o, const char *key,
                            struct config_channel *ch, char **out)
{
    int rc = cfg_get_secret(c, o, key, true, out);
    if (rc < 0)
        return rc;
    if (!cfg_valid_url(*out, ch->allow_insecure))
        return cfg_fail(c, key,
                        ch->allow_insecure ? "must be an http:// or https:// URL"
                                           : "must be an https:// URL (set allow_insecure to "
                                             "allow http://)");
    return 0;
}

static int parse_feed_token(struct cfg_ctx *c, json_t *o, struct config_channel *ch)
{
    const char *hex;
    int rc = cfg_get_string(c, o, "feed_token_sha256", false, &hex);
    if (rc < 0 || !hex)
        return rc;
    if (crypto_hex_decode(hex, ch->feed_token_sha256, sizeof ch->feed_token_sha256) < 0)
        return cfg_fail(c, "feed_token_sha256", "must be 64 hex digits (a SHA-256)");
    ch->has_feed_token = true;
    return 0;
}

static bool valid_address(const char *a)
{
    const char *at = strchr(a, '@');
    if (!at || at == a || !at[1] || strchr(at + 1, '@'))
        return false;
    for (const char *p = a; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == ',' || *p == '"')
            return false;
    return true;
}

static int parse_email(struct cfg_ctx *c, json_t *o, struct config_channel *ch)
{
    const char *s;
    int rc;
    if ((rc = cfg_get_string(c, o, "smtp_url", true, &s)) < 0)
        return rc;
    bool smtps = strncmp(s, "smtps://", 8) == 0;
    if (!smtps && strncmp(s, "smtp://", 7) != 0)
        return cfg_fail(c, "smtp_url", "must start with smtp:// or smtps://");
    if (strlen(s) <= (smtps ? 8u : 7u))
        return cfg_fail(c, "smtp_url", "names no host");
    ch->smtp_url = xstrdup(s);
    if ((rc = cfg_get_secret(c, o, "username", false, &ch->username)) < 0 ||
        (rc = cfg_get_secret(c, o, "password", false, &ch->password)) < 0)
        return rc;
    if ((rc = cfg_get_string(c, o, "from", true, &s)) < 0)
        return rc;
    if (!valid_address(s))
        return cfg_fail(c, "from", "not an e-mail address");
    ch->from = xstrdup(s);
    json_t *to = json_object_get(o, "to");
    if (!to)
        return cfg_fail(c, "to", "required key is missing");
    if (!json_is_array(to) || json_array_size(to) == 0)
        return cfg_fail(c, "to", "must be a non-empty array of addresses");
    ch->to = xcalloc(json_array_size(to), sizeof ch->to[0]);
    size_t i;
    json_t *a;
    json_array_foreach(to, i, a)
    {
        if (!json_is_string(a) || !valid_address(json_string_value(a))) {
            size_t saved = cfg_push_key(c, "to");
            cfg_push_index(c, i);
            rc = cfg_fail(c, NULL, "not an e-mail address");
            cfg_pop(c, saved);
            return rc;
        }
        ch->to[ch->n_to++] = xstrdup(json_string_value(a));
    }
    return parse_feed_token(c, o, ch);
}

static int parse_webhook_secret(struct cfg_ctx *c, json_t *o, struct config_channel *ch)
{
    int rc = cfg_get_secret(c, o, "secret", true, &ch->secret);
    if (rc < 0)
        return rc;
    uint8_t *raw = NULL;
    size_t n = 0;
    if (strncmp(ch->secret, "whsec_", 6) != 0 ||
        crypto_base64_decode(ch->secret + 6, &raw, &n) < 0 || n < 16 || n > 64) {
        free(raw);
        return cfg_fail(c, "secret",
                        "must be \"whsec_\" followed by base64 of 16 to 64 random bytes");
    }
    free(raw);
    return 0;
}

static int parse_type(struct cfg_ctx *c, json_t *o, struct config_channel *ch)
{
    int rc;
    const char *s;
    long category = 0;
    if (strcmp(ch->type, "discord") == 0)
        return parse_url_secret(c, o, "url", ch, &ch->url);
    if (strcmp(ch->type, "webhook") == 0) {
        if ((rc = parse_url_secret(c, o, "url", ch, &ch->url)) < 0 ||
            (rc = parse_webhook_secret(c, o, ch)) < 0)
            return rc;
        return parse_feed_token(c, o, ch);
    }
    if (strcmp(ch->type, "discourse") == 0) {
        if ((rc = cfg_get_string(c, o, "base_url", true, &s)) < 0)
            return rc;
        if (!cfg_valid_url(s, ch->allow_insecure))
            return cfg_fail(c, "base_url",
                            "must be an https:// URL (or http:// with "
                            "allow_insecure)");
        ch->base_url = xstrdup(s);
        size_t n = strlen(ch->base_url);
        if (ch->base_url[n - 1] == '/')
            ch->base_url[n - 1] = '\0';
        if ((rc = cfg_get_secret(c, o, "api_key", true, &ch->api_key)) < 0 ||
            (rc = cfg_get_string(c, o, "api_username", true, &s)) < 0)
            return rc;
        ch->api_username = xstrdup(s);
        if (!json_object_get(o, "category_id"))
            return cfg_fail(c, "category_id", "required key is missing");
        if ((rc = cfg_get_int(c, o, "category_id", 1, 2147483647L, &category)) < 0)
            return rc;
        ch->category_id = category;
        return 0;
    }
    if (strcmp(ch->type, "email") == 0)
        return parse_email(c, o, ch);
    /* log */
    if ((rc = cfg_get_string(c, o, "path", false, &s)) < 0)
        return rc;
    ch->path = s ? xstrdup(s) : NULL;
    return 0;
}

static int parse_channel(struct cfg_ctx *c, json_t *o, struct config_channel *ch)
{
    const char *name, *type, *aud;
    int rc;
    if ((rc = cfg_get_string(c, o, "name", true, &name)) < 0 ||
        (rc = cfg_get_string(c, o, "type", true, &type)) < 0 ||
        (rc = cfg_get_string(c, o, "audience", true, &aud)) < 0)
        return rc;
    if (strlen(name) >= sizeof ch->name)
        return cfg_fail(c, "name", "longer than %zu characters", sizeof ch->name - 1);
    const struct type_keys *t = NULL;
    for (size_t i = 0; i < sizeof type_table / sizeof type_table[0]; i++)
        if (strcmp(type_table[i].type, type) == 0)
            t = &type_table[i];
    if (!t)
        return cfg_fail(
            c, "type", "unknown channel type '%s' (discord, discourse, webhook, email, log)", type);
    if ((rc = cfg_check_keys(c, o, t->keys)) < 0)
        return rc;
    strcpy(ch->name, name);
    strcpy(ch->type, type);
    if (strcmp(aud, "public") == 0)
        ch->audience = CONFIG_AUDIENCE_PUBLIC;
    else if (strcmp(aud, "distributors") == 0)
        ch->audience = CONFIG_AUDIENCE_DISTRIBUTORS;
    else if (strcmp(aud, "team") == 0)
        ch->audience = CONFIG_AUDIENCE_TEAM;
    else
        return cfg_fail(c, "audience", "must be public, distributors or team, not '%s'", aud);
    if ((rc = cfg_get_bool(c, o, "allow_insecure", &ch->allow_insecure)) < 0)
        return rc;
    return parse_type(c, o, ch);
}

static int channel_elem(struct cfg_ctx *c, json_t *o, void *ud)
{
    struct config_project *p = ud;
    struct config_channel *ch = &p->channels[p->n_channels++];
    int rc = parse_channel(c, o, ch);
    for (size_t k = 0; rc == 0 && k + 1 < p->n_channels; k++)
        if (strcmp(p->channels[k].name, ch->name) == 0)
            rc = cfg_fail(c, "name", "channel name '%s' is used twice in this project", ch->name);
    return rc;
}

int cfg_parse_channels(struct cfg_ctx *c, json_t *project, struct config_project *p)
{
    p->channels =
        xcalloc(json_array_size(json_object_get(project, "channels")) + 1, sizeof p->channels[0]);
    return cfg_each(c, project, "channels", false, 0, channel_elem, p);
}
