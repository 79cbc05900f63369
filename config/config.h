/* The relcal config file (docs/CONTRACT.md "Config file"): strict JSON loaded with jansson. Unknown
 * keys are errors; every policy key is optional with the docs/POLICY.md defaults; secrets may come
 * inline, from an environment variable (`*_env`) or from a file (`*_file`). Errors name the
 * file, the JSON path and what is wrong; syntax errors give line and column. */
#ifndef RELCAL_CONFIG_CONFIG_H
#define RELCAL_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/log.h"
#include "policy/checklist.h"
#include "policy/types.h"

enum config_role { CONFIG_ROLE_READER = 1, CONFIG_ROLE_MANAGER = 2, CONFIG_ROLE_ADMIN = 3 };

/* An e-mail channel's pgp.encrypt (docs/CONTRACT.md "OpenPGP"). */
enum config_pgp_encrypt {
    CONFIG_PGP_NEVER = 0,   /* signed only (when a signing key is set), never encrypted */
    CONFIG_PGP_IF_POSSIBLE, /* encrypted when every recipient key is usable, else signed only */
    CONFIG_PGP_REQUIRED,    /* encrypted or not sent at all (a dead delivery) */
};

enum config_audience {
    CONFIG_AUDIENCE_PUBLIC = 0,
    CONFIG_AUDIENCE_DISTRIBUTORS,
    CONFIG_AUDIENCE_TEAM,
    CONFIG_AUDIENCE_COUNT
};

/* A channel's "type" (docs/CONTRACT.md "Config file"). */
enum config_channel_type {
    CONFIG_CHANNEL_DISCORD = 0,
    CONFIG_CHANNEL_DISCOURSE,
    CONFIG_CHANNEL_WEBHOOK,
    CONFIG_CHANNEL_EMAIL,
    CONFIG_CHANNEL_LOG,
    CONFIG_CHANNEL_TYPE_COUNT
};

struct config_token {
    char name[POLICY_ID_MAX];
    enum config_role role;
    uint8_t sha256[32];
};

/* One notification channel. Secrets are resolved (from inline, env or file) at load time and
 * owned by the config; they are never logged. Fields a type does not use are NULL/0. */
struct config_channel {
    char name[POLICY_ID_MAX];
    enum config_channel_type type;
    enum config_audience audience;
    bool allow_insecure;
    char *url;          /* discord, webhook */
    char *secret;       /* webhook: "whsec_..." */
    char *base_url;     /* discourse */
    char *api_key;      /* discourse */
    char *api_username; /* discourse */
    long category_id;   /* discourse */
    char *smtp_url;     /* email */
    char *username;     /* email */
    char *password;     /* email */
    char *from;         /* email */
    char **to;          /* email: n_to recipients */
    size_t n_to;
    /* email: OpenPGP (RFC 3156). pgp_keyring is NULL when the channel has no pgp object. */
    char *pgp_keyring;     /* GnuPG home with the signing key and imported recipients */
    char **pgp_recipients; /* fingerprints or armored key files, n_pgp_recipients */
    size_t n_pgp_recipients;
    char *pgp_signing_key; /* fingerprint of the project's secret key, or NULL */
    char *pgp_passphrase;  /* its passphrase, or NULL */
    enum config_pgp_encrypt pgp_encrypt;
    char *path;          /* log: file path, NULL or "-" for stdout */
    bool has_feed_token; /* webhook/email distributors: distributor feed token */
    uint8_t feed_token_sha256[32];
};

/* One of the project's emergency contacts (its "emergency_contacts" key): name, and at least
 * one of email and phone; role, email, phone NULL when not given. */
struct config_contact {
    char *name;
    char *role;
    char *email;
    char *phone;
};

struct config_project {
    struct policy_project policy;
    struct policy_zone *zone; /* owned: policy.timezone, resolved at load; policy.zone borrows it */
    struct config_channel *channels;
    size_t n_channels;
    struct checklist_template checklist; /* n_phases 0: the default; use config_checklist */
    bool owns_checklist;
    struct config_contact *contacts; /* the incident report's emergency contacts */
    size_t n_contacts;
    /* "advisory_url_template": the URL of an advisory without its own advisory_url, with {id}
     * (the issue id), {cve} and {ghsa} placeholders; "" when unset. */
    char advisory_url_template[512];
    /* Machine-readable advisories (docs/CONTRACT.md "Machine-readable advisories"): the OSV id
     * prefix (default "x_" and the project id), the package and its OSV ecosystem ("" when
     * unset: OSV documents then have no `affected`), the CSAF publisher ("" fields: defaults at
     * render time, the project name, public_url and "vendor"). */
    char osv_id_prefix[48];
    char package_name[256];
    char package_ecosystem[64];
    struct {
        char name[256];
        char namespace_url[512];
        char category[16];
        char contact_details[512];
        char issuing_authority[512];
    } csaf_publisher;
};

/* The advisory URL of issue `id` from the project's template: false (out[0] = 0) when there is
 * no template, or it names {cve} or {ghsa} and the issue has none. */
bool config_advisory_url(const struct config_project *p, long long id, const char *cve,
                         const char *ghsa, char *out, size_t len);

/* The project's incident checklist template (its "checklist" key, or the default). */
const struct checklist_template *config_checklist(const struct config_project *p);

struct config {
    char *source;     /* the file it came from, or "<embedded default>" */
    char *listen;     /* "127.0.0.1:8080" */
    char *public_url; /* "https://security.example.org" (no trailing slash) */
    char *database;   /* "relcal.db" */
    char *export_dir; /* NULL when unset */
    bool allow_private_addresses;
    size_t max_body_bytes;          /* HTTP request body cap, default 65536 */
    int delivery_max_per_host;      /* deliveries in flight to one host, 1..256, default 16 */
    int http_write_timeout_seconds; /* no write progress closes, 1..3600, default 30 */
    size_t http_max_connections_per_address; /* 1..1000000, default 64 */
    int delivery_max_retry_after_seconds; /* longest Retry-After honoured, 1..86400, default 3600 */
    int published_ttl_minutes; /* feeds' REFRESH-INTERVAL / X-PUBLISHED-TTL, default 360 */
    enum log_level log_level;  /* "log_level", default info */
    struct config_token *tokens;
    size_t n_tokens;
    struct config_project *projects;
    size_t n_projects;
};

/* Loads the config the way every command does: `explicit_path` if not NULL, else
 * ./relcal.json, else /etc/relcal/relcal.json, else the embedded default. On failure returns
 * RC_ECONFIG (or RC_EIO for an unreadable explicit file) with a message of the form
 * "FILE: $.projects[0].policy.cadence: what is wrong" in err. */
int config_load(const char *explicit_path, struct config **out, char *err, size_t err_len);
int config_load_file(const char *path, struct config **out, char *err, size_t err_len);
/* `source` names the text in error messages. */
int config_load_string(const char *text, const char *source, struct config **out, char *err,
                       size_t err_len);
/* The embedded default config text (JSON). Static storage. */
const char *config_embedded_default(void);
void config_free(struct config *c);

/* Borrowed; NULL when no project has that id. */
const struct config_project *config_project_find(const struct config *c, const char *id);

/* The string forms of the config's enums (its JSON, logs, the API's JSON): each name function
 * answers a static string ("unknown" out of range); each parse function answers 0, or RC_EINVAL
 * for NULL or a string that names no value (out untouched). */
const char *config_role_name(enum config_role role);
int config_role_parse(const char *s, enum config_role *out);
const char *config_audience_name(enum config_audience a);
int config_audience_parse(const char *s, enum config_audience *out);
const char *config_channel_type_name(enum config_channel_type t);
int config_channel_type_parse(const char *s, enum config_channel_type *out);

#endif
