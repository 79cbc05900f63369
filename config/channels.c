/* Channel entries of a project: common keys, the keys of each channel type, secrets through
 * inline / *_env / *_file. Secret values are never put into error messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/internal.h"
#include "core/crypto.h"
#include "core/err.h"
#include "core/nelem.h"
#include "core/xalloc.h"

struct type_keys {
    const char *type;
    const char *const keys[24];
};

#define COMMON_KEYS "name", "type", "audience", "allow_insecure"
/* Indexed by enum config_channel_type: its name and its keys. */
static const struct type_keys type_table[] = {
    [CONFIG_CHANNEL_DISCORD] = {"discord", {COMMON_KEYS, "url", "url_env", "url_file", NULL}},
    [CONFIG_CHANNEL_DISCOURSE] = {"discourse",
                                  {COMMON_KEYS, "base_url", "api_key", "api_key_env",
                                   "api_key_file", "api_username", "category_id", NULL}},
    [CONFIG_CHANNEL_WEBHOOK] = {"webhook",
                                {COMMON_KEYS, "url", "url_env", "url_file", "secret", "secret_env",
                                 "secret_file", "feed_token_sha256", NULL}},
    [CONFIG_CHANNEL_EMAIL] = {"email",
                              {COMMON_KEYS, "smtp_url", "username", "username_env", "username_file",
                               "password", "password_env", "password_file", "from", "to",
                               "feed_token_sha256", "pgp", NULL}},
    [CONFIG_CHANNEL_LOG] = {"log", {COMMON_KEYS, "path", NULL}},
};
_Static_assert(NELEM(type_table) == CONFIG_CHANNEL_TYPE_COUNT, "one row per channel type");

const char *config_channel_type_name(enum config_channel_type t)
{
    return (unsigned)t < NELEM(type_table) ? type_table[t].type : "unknown";
}

int config_channel_type_parse(const char *s, enum config_channel_type *out)
{
    for (size_t i = 0; s && i < NELEM(type_table); i++)
        if (strcmp(type_table[i].type, s) == 0) {
            *out = (enum config_channel_type)i;
            return 0;
        }
    return RC_EINVAL;
}

void config__channel_clear(struct config_channel *ch)
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
    free(ch->pgp_keyring);
    for (size_t i = 0; i < ch->n_pgp_recipients; i++)
        free(ch->pgp_recipients[i]);
    free(ch->pgp_recipients);
    free(ch->pgp_signing_key);
    free(ch->pgp_passphrase);
    free(ch->path);
    memset(ch, 0, sizeof *ch);
}

static int parse_url_secret(struct cfg_ctx *c, json_t *o, const char *key,
                            struct config_channel *ch, char **out)
{
    int rc = config__get_secret(c, o, key, true, out);
    if (rc < 0)
        return rc;
    if (!config__valid_url(*out, ch->allow_insecure))
        return config__fail(c, key,
                            ch->allow_insecure ? "must be an http:// or https:// URL"
                                               : "must be an https:// URL (set allow_insecure to "
                                                 "allow http://)");
    return 0;
}

static int parse_feed_token(struct cfg_ctx *c, json_t *o, struct config_channel *ch)
{
    const char *hex;
    int rc = config__get_string(c, o, "feed_token_sha256", false, &hex);
    if (rc < 0 || !hex)
        return rc;
    if (crypto_hex_decode(hex, ch->feed_token_sha256, sizeof ch->feed_token_sha256) < 0)
        return config__fail(c, "feed_token_sha256", "must be 64 hex digits (a SHA-256)");
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

/* 40 (v4) or 64 (v5) hex digits; *all_hex says whether s is hex digits only. */
static bool is_fingerprint(const char *s, bool *all_hex)
{
    size_t n = 0;
    *all_hex = *s != '\0';
    for (; s[n]; n++)
        if (crypto_hex_digit(s[n]) < 0)
            *all_hex = false;
    return *all_hex && (n == 40 || n == 64);
}

/* pgp.recipients: fingerprints or paths of armored key files, at most 64. */
static int pgp_recipients(struct cfg_ctx *c, json_t *r, struct config_channel *ch)
{
    if (!r)
        return 0;
    if (!json_is_array(r) || json_array_size(r) > 64)
        return config__fail(c, "recipients",
                            "must be an array of at most 64 fingerprints or key files");
    ch->pgp_recipients = xcalloc(json_array_size(r) + 1, sizeof ch->pgp_recipients[0]);
    size_t i;
    json_t *v;
    json_array_foreach(r, i, v)
    {
        bool hex;
        const char *why = NULL;
        if (!json_is_string(v) || !*json_string_value(v))
            why = "must be a key fingerprint or the path of an armored key file";
        else if (!is_fingerprint(json_string_value(v), &hex) && hex)
            why = "not a fingerprint (40 or 64 hex digits, no spaces)";
        else if (!hex && json_string_value(v)[0] != '/')
            why = "a key file must be an absolute path (or give a fingerprint)";
        if (why) {
            size_t saved = config__push_key(c, "recipients");
            config__push_index(c, i);
            int rc = config__fail(c, NULL, "%s", why);
            config__pop(c, saved);
            return rc;
        }
        ch->pgp_recipients[ch->n_pgp_recipients++] = xstrdup(json_string_value(v));
    }
    return 0;
}

/* The channel's "pgp" object (docs/CONTRACT.md "OpenPGP"). */
static int parse_pgp(struct cfg_ctx *c, json_t *o, struct config_channel *ch)
{
    static const char *const keys[] = {
        "keyring",        "recipients",      "signing_key", "passphrase",
        "passphrase_env", "passphrase_file", "encrypt",     NULL};
    json_t *pgp = json_object_get(o, "pgp");
    if (!pgp)
        return 0;
    size_t saved = config__push_key(c, "pgp");
    int rc = 0;
    const char *s;
    bool hex;
    if (!json_is_object(pgp)) {
        rc = config__fail(c, NULL, "must be an object");
        goto out;
    }
    if ((rc = config__check_keys(c, pgp, keys)) < 0 ||
        (rc = config__get_string(c, pgp, "keyring", true, &s)) < 0)
        goto out;
    if (s[0] != '/') {
        rc = config__fail(c, "keyring", "must be an absolute path (a GnuPG home directory)");
        goto out;
    }
    ch->pgp_keyring = xstrdup(s);
    if ((rc = pgp_recipients(c, json_object_get(pgp, "recipients"), ch)) < 0)
        goto out;
    if ((rc = config__get_string(c, pgp, "signing_key", false, &s)) < 0)
        goto out;
    if (s && !is_fingerprint(s, &hex)) {
        rc = config__fail(c, "signing_key",
                          "must be a fingerprint (40 or 64 hex digits, no spaces)");
        goto out;
    }
    ch->pgp_signing_key = s ? xstrdup(s) : NULL;
    if ((rc = config__get_secret(c, pgp, "passphrase", false, &ch->pgp_passphrase)) < 0)
        goto out;
    if (!ch->n_pgp_recipients && !ch->pgp_signing_key) {
        rc = config__fail(c, NULL, "names no key: give recipients, signing_key or both");
        goto out;
    }
    /* Required by default once recipients are named, and for distributors always. */
    ch->pgp_encrypt = ch->n_pgp_recipients || ch->audience == CONFIG_AUDIENCE_DISTRIBUTORS
                          ? CONFIG_PGP_REQUIRED
                          : CONFIG_PGP_NEVER;
    if ((rc = config__get_string(c, pgp, "encrypt", false, &s)) < 0)
        goto out;
    if (s && strcmp(s, "required") == 0)
        ch->pgp_encrypt = CONFIG_PGP_REQUIRED;
    else if (s && strcmp(s, "if_possible") == 0)
        ch->pgp_encrypt = CONFIG_PGP_IF_POSSIBLE;
    else if (s && strcmp(s, "never") == 0)
        ch->pgp_encrypt = CONFIG_PGP_NEVER;
    else if (s) {
        rc = config__fail(c, "encrypt", "must be required, if_possible or never, not '%s'", s);
        goto out;
    }
    if (ch->pgp_encrypt != CONFIG_PGP_NEVER && !ch->n_pgp_recipients)
        rc =
            config__fail(c, "recipients",
                         "encryption is %s but no recipient key is named (set encrypt to \"never\" "
                         "to send signed mail in clear)",
                         ch->pgp_encrypt == CONFIG_PGP_REQUIRED ? "required" : "wanted");
out:
    config__pop(c, saved);
    return rc;
}

static int parse_email(struct cfg_ctx *c, json_t *o, struct config_channel *ch)
{
    const char *s;
    int rc;
    if ((rc = config__get_string(c, o, "smtp_url", true, &s)) < 0)
        return rc;
    bool smtps = strncmp(s, "smtps://", 8) == 0;
    if (!smtps && strncmp(s, "smtp://", 7) != 0)
        return config__fail(c, "smtp_url", "must start with smtp:// or smtps://");
    if (strlen(s) <= (smtps ? 8u : 7u))
        return config__fail(c, "smtp_url", "names no host");
    ch->smtp_url = xstrdup(s);
    if ((rc = config__get_secret(c, o, "username", false, &ch->username)) < 0 ||
        (rc = config__get_secret(c, o, "password", false, &ch->password)) < 0)
        return rc;
    if ((rc = config__get_string(c, o, "from", true, &s)) < 0)
        return rc;
    if (!valid_address(s))
        return config__fail(c, "from", "not an e-mail address");
    ch->from = xstrdup(s);
    json_t *to = json_object_get(o, "to");
    if (!to)
        return config__fail(c, "to", "required key is missing");
    if (!json_is_array(to) || json_array_size(to) == 0)
        return config__fail(c, "to", "must be a non-empty array of addresses");
    ch->to = xcalloc(json_array_size(to), sizeof ch->to[0]);
    size_t i;
    json_t *a;
    json_array_foreach(to, i, a)
    {
        if (!json_is_string(a) || !valid_address(json_string_value(a))) {
            size_t saved = config__push_key(c, "to");
            config__push_index(c, i);
            rc = config__fail(c, NULL, "not an e-mail address");
            config__pop(c, saved);
            return rc;
        }
        ch->to[ch->n_to++] = xstrdup(json_string_value(a));
    }
    if ((rc = parse_pgp(c, o, ch)) < 0)
        return rc;
    return parse_feed_token(c, o, ch);
}

static int parse_webhook_secret(struct cfg_ctx *c, json_t *o, struct config_channel *ch)
{
    int rc = config__get_secret(c, o, "secret", true, &ch->secret);
    if (rc < 0)
        return rc;
    uint8_t *raw = NULL;
    size_t n = 0;
    if (strncmp(ch->secret, "whsec_", 6) != 0 ||
        crypto_base64_decode(ch->secret + 6, &raw, &n) < 0 || n < 16 || n > 64) {
        free(raw);
        return config__fail(c, "secret",
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
    if (ch->type == CONFIG_CHANNEL_DISCORD)
        return parse_url_secret(c, o, "url", ch, &ch->url);
    if (ch->type == CONFIG_CHANNEL_WEBHOOK) {
        if ((rc = parse_url_secret(c, o, "url", ch, &ch->url)) < 0 ||
            (rc = parse_webhook_secret(c, o, ch)) < 0)
            return rc;
        return parse_feed_token(c, o, ch);
    }
    if (ch->type == CONFIG_CHANNEL_DISCOURSE) {
        if ((rc = config__get_string(c, o, "base_url", true, &s)) < 0)
            return rc;
        if (!config__valid_url(s, ch->allow_insecure))
            return config__fail(c, "base_url",
                                "must be an https:// URL (or http:// with "
                                "allow_insecure)");
        ch->base_url = xstrdup(s);
        size_t n = strlen(ch->base_url);
        if (ch->base_url[n - 1] == '/')
            ch->base_url[n - 1] = '\0';
        if ((rc = config__get_secret(c, o, "api_key", true, &ch->api_key)) < 0 ||
            (rc = config__get_string(c, o, "api_username", true, &s)) < 0)
            return rc;
        ch->api_username = xstrdup(s);
        if (!json_object_get(o, "category_id"))
            return config__fail(c, "category_id", "required key is missing");
        if ((rc = config__get_int(c, o, "category_id", 1, 2147483647L, &category)) < 0)
            return rc;
        ch->category_id = category;
        return 0;
    }
    if (ch->type == CONFIG_CHANNEL_EMAIL)
        return parse_email(c, o, ch);
    /* log */
    if ((rc = config__get_string(c, o, "path", false, &s)) < 0)
        return rc;
    ch->path = s ? xstrdup(s) : NULL;
    return 0;
}

static int parse_channel(struct cfg_ctx *c, json_t *o, struct config_channel *ch)
{
    const char *name, *type, *aud;
    int rc;
    if ((rc = config__get_string(c, o, "name", true, &name)) < 0 ||
        (rc = config__get_string(c, o, "type", true, &type)) < 0 ||
        (rc = config__get_string(c, o, "audience", true, &aud)) < 0)
        return rc;
    if (strlen(name) >= sizeof ch->name)
        return config__fail(c, "name", "longer than %zu characters", sizeof ch->name - 1);
    if (config_channel_type_parse(type, &ch->type) < 0)
        return config__fail(
            c, "type", "unknown channel type '%s' (discord, discourse, webhook, email, log)", type);
    if ((rc = config__check_keys(c, o, type_table[ch->type].keys)) < 0)
        return rc;
    snprintf(ch->name, sizeof ch->name, "%s", name);
    if (config_audience_parse(aud, &ch->audience) < 0)
        return config__fail(c, "audience", "must be public, distributors or team, not '%s'", aud);
    if ((rc = config__get_bool(c, o, "allow_insecure", &ch->allow_insecure)) < 0)
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
            rc = config__fail(c, "name", "channel name '%s' is used twice in this project",
                              ch->name);
    return rc;
}

int config__parse_channels(struct cfg_ctx *c, json_t *project, struct config_project *p)
{
    p->channels =
        xcalloc(json_array_size(json_object_get(project, "channels")) + 1, sizeof p->channels[0]);
    int rc = config__each(c, project, "channels", false, 0, channel_elem, p);
    if (rc < 0)
        return rc;
    /* Once the project configures an OpenPGP key, distributors mail is never sent in clear by
     * default: an e-mail channel for distributors without keys is an error. */
    bool keys = false;
    for (size_t k = 0; k < p->n_channels; k++)
        keys |= p->channels[k].pgp_keyring != NULL;
    for (size_t k = 0; keys && k < p->n_channels; k++) {
        const struct config_channel *ch = &p->channels[k];
        if (ch->type != CONFIG_CHANNEL_EMAIL || ch->audience != CONFIG_AUDIENCE_DISTRIBUTORS ||
            ch->pgp_keyring)
            continue;
        size_t saved = config__push_key(c, "channels");
        config__push_index(c, k);
        rc =
            config__fail(c, "pgp",
                         "required: the project configures OpenPGP keys, so distributors mail must "
                         "be encrypted (give pgp.recipients, or pgp.encrypt \"never\" to send in "
                         "clear)");
        config__pop(c, saved);
        return rc;
    }
    return 0;
}
