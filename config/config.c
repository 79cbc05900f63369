/* Loading the relcal config (docs/CONTRACT.md "Config file"): top level, tokens, projects and
 * branches, the lookup chain and the embedded default. Policy blocks and channels are parsed in
 * policy.c and channels.c. */
#include "config/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/internal.h"
#include "core/crypto.h"
#include "core/err.h"
#include "core/nelem.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "config/zone.h"

static const char embedded_default[] =
    "{\n"
    "  \"listen\": \"127.0.0.1:8080\",\n"
    "  \"database\": \"relcal.db\",\n"
    "  \"projects\": [\n"
    "    {\n"
    "      \"id\": \"example\",\n"
    "      \"name\": \"Example Project\",\n"
    "      \"timezone\": \"UTC\",\n"
    "      \"branches\": [{\"name\": \"1.x\", \"version\": \"1.0.0\"}],\n"
    "      \"channels\": [{\"name\": \"log\", \"type\": \"log\", \"audience\": \"team\"}]\n"
    "    }\n"
    "  ]\n"
    "}\n";

const char *config_embedded_default(void)
{
    return embedded_default;
}

const char *config_role_name(enum config_role role)
{
    switch (role) {
    case CONFIG_ROLE_READER:
        return "reader";
    case CONFIG_ROLE_MANAGER:
        return "manager";
    case CONFIG_ROLE_ADMIN:
        return "admin";
    }
    return "none";
}

const char *config_audience_name(enum config_audience a)
{
    switch (a) {
    case CONFIG_AUDIENCE_PUBLIC:
        return "public";
    case CONFIG_AUDIENCE_DISTRIBUTORS:
        return "distributors";
    case CONFIG_AUDIENCE_TEAM:
        return "team";
    case CONFIG_AUDIENCE_COUNT:
        break;
    }
    return "unknown";
}

int config_role_parse(const char *s, enum config_role *out)
{
    for (int r = CONFIG_ROLE_READER; s && r <= CONFIG_ROLE_ADMIN; r++)
        if (strcmp(s, config_role_name((enum config_role)r)) == 0) {
            *out = (enum config_role)r;
            return 0;
        }
    return RC_EINVAL;
}

int config_audience_parse(const char *s, enum config_audience *out)
{
    for (int a = 0; s && a < CONFIG_AUDIENCE_COUNT; a++)
        if (strcmp(s, config_audience_name((enum config_audience)a)) == 0) {
            *out = (enum config_audience)a;
            return 0;
        }
    return RC_EINVAL;
}

void config_free(struct config *c)
{
    if (!c)
        return;
    free(c->source);
    free(c->listen);
    free(c->public_url);
    free(c->database);
    free(c->export_dir);
    free(c->tokens);
    for (size_t i = 0; i < c->n_projects; i++) {
        for (size_t k = 0; k < c->projects[i].n_channels; k++)
            config__channel_clear(&c->projects[i].channels[k]);
        free(c->projects[i].channels);
        config__checklist_clear(&c->projects[i]);
        policy_zone_free(c->projects[i].zone);
    }
    free(c->projects);
    free(c);
}

const struct config_project *config_project_find(const struct config *c, const char *id)
{
    for (size_t i = 0; id && i < c->n_projects; i++)
        if (strcmp(c->projects[i].policy.id, id) == 0)
            return &c->projects[i];
    return NULL;
}

/* HOST:PORT with an IPv4 address or name, or [IPv6]:PORT. */
static int check_listen(struct cfg_ctx *c, const char *s)
{
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s)
        return config__fail(c, "listen", "must be HOST:PORT, not '%s'", s);
    if (s[0] == '[' && colon[-1] != ']')
        return config__fail(c, "listen", "an IPv6 address must be written [ADDR]:PORT");
    char *end;
    errno = 0;
    long port = strtol(colon + 1, &end, 10);
    if (errno || *end || colon[1] == '\0' || port < 0 || port > 65535)
        return config__fail(c, "listen", "port must be 0..65535 in '%s'", s);
    return 0;
}

static bool valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= POLICY_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                  (i > 0 && (ch == '-' || ch == '_'));
        if (!ok)
            return false;
    }
    return true;
}

static int token_elem(struct cfg_ctx *c, json_t *o, void *ud)
{
    static const char *const keys[] = {"name", "role", "sha256", NULL};
    struct config *cfg = ud;
    struct config_token *t = &cfg->tokens[cfg->n_tokens];
    const char *name, *role, *hex;
    int rc;
    if ((rc = config__check_keys(c, o, keys)) < 0 ||
        (rc = config__get_string(c, o, "name", true, &name)) < 0 ||
        (rc = config__get_string(c, o, "role", true, &role)) < 0 ||
        (rc = config__get_string(c, o, "sha256", true, &hex)) < 0)
        return rc;
    if (strlen(name) >= sizeof t->name)
        return config__fail(c, "name", "longer than %zu characters", sizeof t->name - 1);
    if (crypto_hex_decode(hex, t->sha256, sizeof t->sha256) < 0)
        return config__fail(c, "sha256",
                            "must be 64 hex digits (the SHA-256 of the token; "
                            "relcal token prints it)");
    if (config_role_parse(role, &t->role) < 0)
        return config__fail(c, "role", "must be reader, manager or admin, not '%s'", role);
    for (size_t k = 0; k < cfg->n_tokens; k++)
        if (strcmp(cfg->tokens[k].name, name) == 0)
            return config__fail(c, "name", "token name '%s' is used twice", name);
    snprintf(t->name, sizeof t->name, "%s", name);
    cfg->n_tokens++;
    return 0;
}

static int branch_elem(struct cfg_ctx *c, json_t *o, void *ud)
{
    static const char *const keys[] = {"name", "version", "eol", NULL};
    struct policy_project *p = ud;
    struct policy_branch *b = &p->branches[p->n_branches];
    const char *name, *version, *eol;
    int rc;
    b->eol_day = POLICY_TIME_NONE;
    if ((rc = config__check_keys(c, o, keys)) < 0 ||
        (rc = config__get_string(c, o, "name", true, &name)) < 0 ||
        (rc = config__get_string(c, o, "version", true, &version)) < 0 ||
        (rc = config__get_string(c, o, "eol", false, &eol)) < 0)
        return rc;
    if (strlen(name) >= sizeof b->name || strlen(version) >= sizeof b->version)
        return config__fail(c, NULL, "name and version must be shorter than %zu characters",
                            sizeof b->name);
    if (eol && time_date_parse(eol, &b->eol_day) < 0)
        return config__fail(c, "eol", "not a valid date (YYYY-MM-DD): '%s'", eol);
    for (size_t k = 0; k < p->n_branches; k++)
        if (strcmp(p->branches[k].name, name) == 0)
            return config__fail(c, "name", "branch '%s' is listed twice", name);
    snprintf(b->name, sizeof b->name, "%s", name);
    snprintf(b->version, sizeof b->version, "%s", version);
    p->n_branches++;
    return 0;
}

/* Expands the placeholders of `t`; false when one is unknown or has no value. */
static bool expand_template(const char *t, const char *id, const char *cve, const char *ghsa,
                            char *out, size_t len)
{
    size_t k = 0;
    out[0] = 0;
    for (const char *p = t; *p;) {
        const char *val = NULL;
        size_t skip = 1;
        if (*p == '{') {
            static const char *const names[] = {"{id}", "{cve}", "{ghsa}"};
            const char *vals[] = {id, cve, ghsa};
            skip = 0;
            for (size_t n = 0; n < NELEM(names); n++)
                if (strncmp(p, names[n], strlen(names[n])) == 0) {
                    val = vals[n] ? vals[n] : "";
                    skip = strlen(names[n]);
                    if (!vals[n] || !vals[n][0])
                        return false;
                }
            if (!skip)
                return false;
        } else if (*p == '}') {
            return false;
        }
        size_t n = val ? strlen(val) : 1;
        if (k + n >= len)
            return false;
        memcpy(out + k, val ? val : p, n);
        k += n;
        p += skip;
    }
    out[k] = 0;
    return true;
}

bool config_advisory_url(const struct config_project *p, long long id, const char *cve,
                         const char *ghsa, char *out, size_t len)
{
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", id);
    if (!p->advisory_url_template[0] ||
        !expand_template(p->advisory_url_template, ids, cve, ghsa, out, len)) {
        out[0] = 0;
        return false;
    }
    return true;
}

/* "https://acme.example/sa/{id}": http(s), a host, no whitespace, and only known
 * placeholders. */
static int parse_advisory_template(struct cfg_ctx *c, json_t *o, struct config_project *cp)
{
    const char *t;
    int rc = config__get_string(c, o, "advisory_url_template", false, &t);
    if (rc < 0 || !t)
        return rc;
    char out[1024];
    if (strlen(t) >= sizeof cp->advisory_url_template)
        return config__fail(c, "advisory_url_template", "longer than %zu characters",
                            sizeof cp->advisory_url_template - 1);
    if (!expand_template(t, "1", "CVE-2000-0001", "GHSA-2222-3333-4444", out, sizeof out))
        return config__fail(c, "advisory_url_template",
                            "only the placeholders {id}, {cve} and {ghsa} are known");
    if (!config__valid_url(out, true))
        return config__fail(c, "advisory_url_template",
                            "must be an http:// or https:// URL without spaces");
    snprintf(cp->advisory_url_template, sizeof cp->advisory_url_template, "%s", t);
    return 0;
}

static int parse_project(struct cfg_ctx *c, json_t *o, struct config_project *cp)
{
    static const char *const keys[] = {"id",
                                       "name",
                                       "timezone",
                                       "branches",
                                       "policy",
                                       "channels",
                                       "checklist",
                                       "emergency_contacts",
                                       "advisory_url_template",
                                       "osv_id_prefix",
                                       "package_name",
                                       "package_ecosystem",
                                       "csaf_publisher",
                                       NULL};
    struct policy_project *p = &cp->policy;
    const char *id, *name, *tz;
    int rc;
    if (!json_is_object(o))
        return config__fail(c, NULL, "must be an object");
    if ((rc = config__check_keys(c, o, keys)) < 0 ||
        (rc = config__get_string(c, o, "id", true, &id)) < 0 ||
        (rc = config__get_string(c, o, "name", false, &name)) < 0 ||
        (rc = config__get_string(c, o, "timezone", false, &tz)) < 0)
        return rc;
    if (!valid_id(id))
        return config__fail(c, "id",
                            "'%s' is not a valid id (lower-case letters, digits, - and _; at most "
                            "63 characters)",
                            id);
    if (strcmp(id, "all") == 0)
        return config__fail(c, "id", "'all' is reserved for the combined feed");
    snprintf(p->id, sizeof p->id, "%s", id);
    name = name ? name : id;
    if (strlen(name) >= sizeof p->name)
        return config__fail(c, "name", "longer than %zu characters", sizeof p->name - 1);
    snprintf(p->name, sizeof p->name, "%s", name);
    tz = tz ? tz : "UTC";
    if (strlen(tz) >= sizeof p->timezone || config_zone_load(tz, &cp->zone) < 0)
        return config__fail(c, "timezone", "unknown IANA time zone '%s'", tz);
    snprintf(p->timezone, sizeof p->timezone, "%s", tz);
    p->zone = cp->zone; /* resolved once, here: every render and rule uses it */
    if ((rc = config__each(c, o, "branches", false, POLICY_BRANCHES_MAX, branch_elem, p)) < 0 ||
        (rc = config__parse_policy(c, json_object_get(o, "policy"), &p->rules)) < 0 ||
        (rc = config__parse_checklist(c, o, cp)) < 0 ||
        (rc = parse_advisory_template(c, o, cp)) < 0 ||
        (rc = config__parse_advisory_docs(c, o, cp)) < 0)
        return rc;
    return config__parse_channels(c, o, cp);
}

static int project_elem(struct cfg_ctx *c, json_t *o, void *ud)
{
    struct config *cfg = ud;
    struct config_project *cp = &cfg->projects[cfg->n_projects++];
    int rc = parse_project(c, o, cp);
    for (size_t k = 0; rc == 0 && k + 1 < cfg->n_projects; k++)
        if (strcmp(cfg->projects[k].policy.id, cp->policy.id) == 0)
            rc = config__fail(c, "id", "project id '%s' is used twice", cp->policy.id);
    return rc;
}

static int parse_top(struct cfg_ctx *c, json_t *root, struct config *cfg)
{
    static const char *const keys[] = {
        "listen",
        "public_url",
        "database",
        "export_dir",
        "tokens",
        "projects",
        "allow_private_addresses",
        "max_body_bytes",
        "delivery_max_per_host",
        "http_write_timeout_seconds",
        "http_max_connections_per_address",
        "delivery_max_retry_after_seconds",
        "published_ttl_minutes",
        "log_level",
        NULL,
    };
    if (!json_is_object(root))
        return config__fail(c, NULL, "the config must be a JSON object");
    int rc;
    const char *listen, *url, *db, *level;
    if ((rc = config__check_keys(c, root, keys)) < 0 ||
        (rc = config__get_string(c, root, "listen", false, &listen)) < 0 ||
        (rc = config__get_string(c, root, "public_url", false, &url)) < 0 ||
        (rc = config__get_string(c, root, "database", false, &db)) < 0 ||
        (rc = config__get_string(c, root, "log_level", false, &level)) < 0)
        return rc;
    listen = listen ? listen : "127.0.0.1:8080";
    if ((rc = check_listen(c, listen)) < 0)
        return rc;
    cfg->listen = xstrdup(listen);
    if (url && !config__valid_url(url, true))
        return config__fail(c, "public_url", "must be an http:// or https:// URL, not '%s'", url);
    cfg->public_url = xstrdup(url ? url : "http://127.0.0.1:8080");
    size_t n = strlen(cfg->public_url);
    while (n > 0 && cfg->public_url[n - 1] == '/')
        cfg->public_url[--n] = '\0';
    cfg->database = xstrdup(db ? db : "relcal.db");
    json_t *exp = json_object_get(root, "export_dir");
    if (exp && !json_is_null(exp)) {
        const char *dir;
        if ((rc = config__get_string(c, root, "export_dir", true, &dir)) < 0)
            return rc;
        cfg->export_dir = xstrdup(dir);
    }
    cfg->log_level = LOG_LEVEL_INFO;
    if (level && log_level_parse(level, &cfg->log_level) < 0)
        return config__fail(c, "log_level", "must be error, warn, info or debug, not '%s'", level);
    long body = 65536, ttl = 360, per_host = 16, write_timeout = 30, per_address = 64,
         max_retry_after = 3600;
    if ((rc = config__get_bool(c, root, "allow_private_addresses", &cfg->allow_private_addresses)) <
            0 ||
        (rc = config__get_int(c, root, "max_body_bytes", 1024, 16L * 1024 * 1024, &body)) < 0 ||
        (rc = config__get_int(c, root, "published_ttl_minutes", 5, 7 * 24 * 60, &ttl)) < 0 ||
        (rc = config__get_int(c, root, "delivery_max_per_host", 1, 256, &per_host)) < 0 ||
        (rc = config__get_int(c, root, "http_write_timeout_seconds", 1, 3600, &write_timeout)) <
            0 ||
        (rc = config__get_int(c, root, "http_max_connections_per_address", 1, 1000000,
                              &per_address)) < 0 ||
        (rc = config__get_int(c, root, "delivery_max_retry_after_seconds", 1, 86400,
                              &max_retry_after)) < 0)
        return rc;
    cfg->http_write_timeout_seconds = (int)write_timeout;
    cfg->http_max_connections_per_address = (size_t)per_address;
    cfg->delivery_max_per_host = (int)per_host;
    cfg->delivery_max_retry_after_seconds = (int)max_retry_after;
    cfg->max_body_bytes = (size_t)body;
    cfg->published_ttl_minutes = (int)ttl;
    cfg->tokens =
        xcalloc(json_array_size(json_object_get(root, "tokens")) + 1, sizeof cfg->tokens[0]);
    if ((rc = config__each(c, root, "tokens", false, 0, token_elem, cfg)) < 0)
        return rc;
    cfg->projects =
        xcalloc(json_array_size(json_object_get(root, "projects")) + 1, sizeof cfg->projects[0]);
    return config__each(c, root, "projects", true, 0, project_elem, cfg);
}

int config_load_string(const char *text, const char *source, struct config **out, char *err,
                       size_t err_len)
{
    struct cfg_ctx c = {.source = source, .err = err, .err_len = err_len, .path = "$"};
    json_error_t je;
    json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        if (err && err_len)
            snprintf(err, err_len, "%s:%d:%d: %s", source, je.line, je.column, je.text);
        return RC_ECONFIG;
    }
    struct config *cfg = xcalloc(1, sizeof *cfg);
    cfg->source = xstrdup(source);
    int rc = parse_top(&c, root, cfg);
    json_decref(root);
    if (rc < 0) {
        config_free(cfg);
        return rc;
    }
    *out = cfg;
    return 0;
}

#define CONFIG_FILE_MAX (4 * 1024 * 1024)

int config_load_file(const char *path, struct config **out, char *err, size_t err_len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_len, "%s: cannot open: %s", path, strerror(errno));
        return RC_EIO;
    }
    char *buf = xmalloc(CONFIG_FILE_MAX + 1);
    size_t n = fread(buf, 1, CONFIG_FILE_MAX + 1, f);
    int failed = ferror(f);
    fclose(f);
    int rc;
    if (failed) {
        snprintf(err, err_len, "%s: cannot read", path);
        rc = RC_EIO;
    } else if (n > CONFIG_FILE_MAX) {
        snprintf(err, err_len, "%s: larger than 4 MiB", path);
        rc = RC_ECONFIG;
    } else if (memchr(buf, '\0', n)) {
        snprintf(err, err_len, "%s: contains NUL bytes", path);
        rc = RC_ECONFIG;
    } else {
        buf[n] = '\0';
        rc = config_load_string(buf, path, out, err, err_len);
    }
    free(buf);
    return rc;
}

int config_load(const char *explicit_path, struct config **out, char *err, size_t err_len)
{
    if (explicit_path)
        return config_load_file(explicit_path, out, err, err_len);
    static const char *const chain[] = {"./relcal.json", "/etc/relcal/relcal.json"};
    for (size_t i = 0; i < NELEM(chain); i++)
        if (access(chain[i], F_OK) == 0)
            return config_load_file(chain[i], out, err, err_len);
    return config_load_string(embedded_default, "<embedded default>", out, err, err_len);
}
