/* Private to server/: request context and reply helpers shared by the handlers. */
#ifndef RELCAL_SERVER_INTERNAL_H
#define RELCAL_SERVER_INTERNAL_H

#include <jansson.h>

#include "server/app.h"

#define APP_PARAMS_MAX 4

enum app_role { APP_ROLE_NONE = 0 }; /* below CONFIG_ROLE_READER */

struct app_req {
    struct app *app;
    const struct http_request *http;
    const char *params[APP_PARAMS_MAX];
    size_t n_params;
    const char *query;                    /* after '?', or "" */
    const char *who;                      /* token name, or NULL */
    const char *token;                    /* the presented token (bearer or ?token=), or NULL */
    int role;                             /* APP_ROLE_NONE or enum config_role */
    json_t *body;                         /* parsed JSON body for write routes, else NULL */
    const struct config_project *project; /* for routes under /projects/{p} */
};

void server__reply_json(struct http_response *resp, int status, json_t *body);
void server__reply_error(struct http_response *resp, int status, const char *code,
                         const char *message, json_t *details);
/* Query parameter (percent-decoded into buf); NULL when absent. */
const char *server__query(const struct app_req *r, const char *name, char *buf, size_t len);

/* Shared by the handler files. */
int64_t server__now(const struct app_req *r);
/* A positive decimal issue id. */
bool server__parse_id(const char *s, int64_t *out);
struct sched_actor server__actor(const struct app_req *r);
/* 503 "busy" with Retry-After: another process holds the database's write lock. */
void server__reply_busy(struct http_response *resp);
/* Maps a scheduler refusal onto the error shape. */
void server__reply_outcome(struct http_response *resp, int rc, const struct sched_outcome *why);

typedef void (*app_handler_fn)(struct app_req *r, struct http_response *resp);

/* Handlers (server/handlers.c). */
void server__health(struct app_req *r, struct http_response *resp);
void server__projects(struct app_req *r, struct http_response *resp);
void server__project(struct app_req *r, struct http_response *resp);
/* `?explain=` on the release routes (server/handlers_explain.c): 1 to explain, 0 not, -1 after
 * answering 422 for a bad value. */
int server__explain_param(struct app_req *r, struct http_response *resp);
/* The release `id` (NULL: the next one) with its explanation. */
void server__reply_explained(struct app_req *r, struct http_response *resp, const char *id);
void server__release_next(struct app_req *r, struct http_response *resp);
void server__releases(struct app_req *r, struct http_response *resp);
void server__release(struct app_req *r, struct http_response *resp);
void server__release_create(struct app_req *r, struct http_response *resp);
void server__release_patch(struct app_req *r, struct http_response *resp);
void server__release_publish(struct app_req *r, struct http_response *resp);
void server__issues(struct app_req *r, struct http_response *resp);
void server__issue(struct app_req *r, struct http_response *resp);
void server__issue_create(struct app_req *r, struct http_response *resp);
void server__issue_patch(struct app_req *r, struct http_response *resp);
void server__deliveries(struct app_req *r, struct http_response *resp);
void server__delivery_retry(struct app_req *r, struct http_response *resp);
void server__audit(struct app_req *r, struct http_response *resp);
/* A body's strong ETag ("..." with 32 hex digits of its SHA-256), and whether If-None-Match
 * (NULL: absent) matches it. The feeds, the page and the advisories share them. */
#define APP_ETAG_SIZE 35
/* The headers every answer carries (X-Content-Type-Options), added by app_handle after the
 * handler; a handler that prepares a whole answer (http_prepared) adds them itself. */
void server__common_headers(struct http_response *resp);
void server__etag(const char *body, size_t len, char out[APP_ETAG_SIZE]);
bool server__etag_matches(const char *inm, const char *etag);

void server__feed_all(struct app_req *r, struct http_response *resp);
void server__feed_public(struct app_req *r, struct http_response *resp);
void server__feed_team(struct app_req *r, struct http_response *resp);
void server__feed_distributors(struct app_req *r, struct http_response *resp);
void server__page(struct app_req *r, struct http_response *resp);
void server__metrics(struct app_req *r, struct http_response *resp);
void server__metrics_observe(struct app *a, int route, int status, double seconds);
/* Pattern of route i, NULL past the table. */
const char *server__route_pattern(int i);
void server__page_all(struct app_req *r, struct http_response *resp);
/* 404 for /p/{unknown}: the HTML page, or the JSON error when the client asks for JSON. */
void server__page_not_found(struct app_req *r, struct http_response *resp);
/* The incident checklist, assessment record and report (server/handlers_checklist.c). */
void server__checklist(struct app_req *r, struct http_response *resp);
void server__checklist_item(struct app_req *r, struct http_response *resp);
void server__assessment(struct app_req *r, struct http_response *resp);
void server__assessment_patch(struct app_req *r, struct http_response *resp);
void server__issue_report(struct app_req *r, struct http_response *resp);
void server__adoption(struct app_req *r, struct http_response *resp);
void server__adoption_add(struct app_req *r, struct http_response *resp);
/* The machine-readable advisories (server/advisories.c). */
void server__osv_index(struct app_req *r, struct http_response *resp);
void server__osv(struct app_req *r, struct http_response *resp);
void server__csaf(struct app_req *r, struct http_response *resp);
void server__atom(struct app_req *r, struct http_response *resp);
void server__atom_all(struct app_req *r, struct http_response *resp);
/* Adds `advisories_atom` and `osv_index` (URLs) to the project object o. */
void server__project_doc_links(const struct app_req *r, json_t *o);

/* Previews of the write routes (server/preview.c, docs/CONTRACT.md "Preview"). The
 * `dry_run` query parameter: 0 when absent, 1 for "1" or "true", -1 after answering 422 for
 * any other value. */
int server__preview_param(const struct app_req *r, struct http_response *resp);
/* Runs the handler inside a scheduler preview and decorates its answer. */
void server__preview_run(struct app_req *r, app_handler_fn fn, struct http_response *resp);
/* Adds "dry_run": true, would_send and would_change (references taken; NULL: empty) to a JSON
 * object answer. */
void server__preview_reply(struct http_response *resp, json_t *would_send, json_t *would_change);

#endif
