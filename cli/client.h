/* The HTTP-JSON client the team commands share (`relcal issues`, `releases`, `deliveries` and
 * `next --server`): one request at a time with libcurl, the API's errors printed as one line. */
#ifndef RELCAL_CLI_CLIENT_H
#define RELCAL_CLI_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "cli/cli.h"

struct cli_client {
    const struct cli_command *cmd;
    char base[512];    /* "http://127.0.0.1:8080", no trailing slash */
    const char *token; /* RELCAL_TOKEN, or NULL */
};

/* The service to ask: --server, else RELCAL_SERVER, else the local service from the config's
 * `listen` (a wildcard address means the loopback). */
void cli_client_init(struct cli_client *c, const struct cli_command *cmd, const char *server,
                     const char *listen);

/* Sends METHOD base+path with `body` (borrowed, may be NULL) as JSON. Returns the HTTP status
 * with the parsed JSON answer in *out (NULL if the answer is not JSON), or -1 after printing
 * why the service could not be reached. */
int cli_client_request(const struct cli_client *c, const char *method, const char *path,
                       const json_t *body, json_t **out);

/* Prints an API error answer as one line on stderr:
 * "relcal releases: insufficient_notice (HTTP 422): message; earliest_allowed: 2027-..." */
void cli_client_print_error(const struct cli_client *c, int status, const json_t *answer);

/* A request whose answer must be 2xx: returns the answer (caller decrefs), or NULL after
 * printing the error. */
json_t *cli_client_call(const struct cli_client *c, const char *method, const char *path,
                        const json_t *body);

/* The project to act on: `project` when given, else the service's only project; NULL after
 * printing an error (several projects and no -p). The result is copied into buf. */
const char *cli_client_project(const struct cli_client *c, const char *project, char *buf,
                               size_t len);

/* Appends "key=value" to a query string being built in buf ('?' or '&' first), escaping value. */
void cli_client_query_add(char *buf, size_t len, const char *key, const char *value);

/* Prints JSON (pretty, one document) on stdout. */
void cli_client_print_json(const json_t *j);

/* How a command shows the API's answer to people: a list as a header and one row per element,
 * one object in full. */
struct cli_view {
    void (*header)(void);
    void (*row)(const json_t *o);
    void (*one)(const json_t *o);
};

/* Prints an answer (and takes its reference): JSON when `json`, else a table when `list`, else
 * the one object, followed by what a preview would do when the answer is one ("dry_run").
 * Returns CLI_EXIT_OK. */
int cli_client_show(json_t *ans, bool json, bool list, const struct cli_view *view);

/* `--dry-run` of the write subcommands (docs/CONTRACT.md "Preview"): appends dry_run=1 to the
 * request path; cli_client_show prints the preview's answer for people (a "dry run" line, the
 * messages it would send and what would change for whom after the object). */
void cli_client_dry_run_path(char *path, size_t len);

/* Table cell helpers: a string member or "-". */
const char *cli_json_str(const json_t *o, const char *key);
/* A request body's member from an option: set to `v` when the option was given (not NULL). */
void cli_json_set_str(json_t *o, const char *key, const char *v);

/* A release object's "explanation" (docs/CONTRACT.md "Explanations") in words: a title line,
 * then one numbered line per step (its `text`), each line starting with `indent`; nothing when
 * the object has none. */
void cli_print_explanation(const json_t *release, const char *indent);

#endif
