/* Routing (a const table; literal routes are listed before parameterised ones and the first
 * match wins), authentication (bearer tokens compared by SHA-256 in constant time against every
 * known token), JSON bodies and the error shape of docs/CONTRACT.md. */
#include "core/nelem.h"
#include "server/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/crypto.h"
#include "core/err.h"
#include "core/json.h"
#include "core/xalloc.h"
#include "server/internal.h"
#include "views/service.h"

/* F_OWN_AUTH: the handler authenticates itself (distributor feed tokens are not API tokens). */
/* F_PAGE: an unknown project is answered by the HTML 404 page (server__page_not_found). */
enum { F_JSON = 1, F_QUERY_TOKEN = 2, F_PROJECT = 4, F_OWN_AUTH = 8, F_PAGE = 16 };

struct route {
    const char *method;
    const char *pattern;
    app_handler_fn fn;
    int min_role;
    int flags;
};

static const struct route routes[] = {
    {"GET", "/healthz", server__health, APP_ROLE_NONE, 0},
    {"GET", "/metrics", server__metrics, CONFIG_ROLE_READER, 0},
    {"GET", "/", server__page_all, APP_ROLE_NONE, 0},
    {"GET", "/p/{p}", server__page, APP_ROLE_NONE, F_PROJECT | F_PAGE},
    {"GET", "/feeds/all.ics", server__feed_all, APP_ROLE_NONE, 0},
    {"GET", "/feeds/advisories.atom", server__atom_all, APP_ROLE_NONE, 0},
    {"GET", "/feeds/{p}.ics", server__feed_public, APP_ROLE_NONE, F_PROJECT},
    {"GET", "/feeds/{p}/advisories.atom", server__atom, APP_ROLE_NONE, F_PROJECT},
    {"GET", "/advisories/{p}/all.json", server__osv_index, APP_ROLE_NONE, F_PROJECT},
    {"GET", "/advisories/{p}/{id}.osv.json", server__osv, APP_ROLE_NONE, F_PROJECT},
    {"GET", "/advisories/{p}/{rid}.csaf.json", server__csaf, APP_ROLE_NONE, F_PROJECT},
    {"GET", "/feeds/{p}/team.ics", server__feed_team, CONFIG_ROLE_READER,
     F_PROJECT | F_QUERY_TOKEN},
    {"GET", "/feeds/{p}/distributors.ics", server__feed_distributors, APP_ROLE_NONE,
     F_PROJECT | F_QUERY_TOKEN | F_OWN_AUTH},
    {"GET", "/api/v1/projects", server__projects, APP_ROLE_NONE, 0},
    {"GET", "/api/v1/projects/{p}", server__project, APP_ROLE_NONE, F_PROJECT},
    {"GET", "/api/v1/projects/{p}/releases/next", server__release_next, APP_ROLE_NONE, F_PROJECT},
    {"GET", "/api/v1/projects/{p}/releases", server__releases, APP_ROLE_NONE, F_PROJECT},
    {"POST", "/api/v1/projects/{p}/releases", server__release_create, CONFIG_ROLE_MANAGER,
     F_PROJECT | F_JSON},
    {"GET", "/api/v1/projects/{p}/releases/{rid}", server__release, APP_ROLE_NONE, F_PROJECT},
    {"PATCH", "/api/v1/projects/{p}/releases/{rid}", server__release_patch, CONFIG_ROLE_MANAGER,
     F_PROJECT | F_JSON},
    {"POST", "/api/v1/projects/{p}/releases/{rid}/publish", server__release_publish,
     CONFIG_ROLE_MANAGER, F_PROJECT | F_JSON},
    {"GET", "/api/v1/projects/{p}/issues", server__issues, CONFIG_ROLE_READER, F_PROJECT},
    {"POST", "/api/v1/projects/{p}/issues", server__issue_create, CONFIG_ROLE_MANAGER,
     F_PROJECT | F_JSON},
    {"GET", "/api/v1/projects/{p}/issues/{id}", server__issue, CONFIG_ROLE_READER, F_PROJECT},
    {"PATCH", "/api/v1/projects/{p}/issues/{id}", server__issue_patch, CONFIG_ROLE_MANAGER,
     F_PROJECT | F_JSON},
    {"GET", "/api/v1/projects/{p}/issues/{id}/checklist", server__checklist, CONFIG_ROLE_READER,
     F_PROJECT},
    {"PATCH", "/api/v1/projects/{p}/issues/{id}/checklist/{task}", server__checklist_item,
     CONFIG_ROLE_MANAGER, F_PROJECT | F_JSON},
    {"GET", "/api/v1/projects/{p}/issues/{id}/assessment", server__assessment, CONFIG_ROLE_READER,
     F_PROJECT},
    {"PATCH", "/api/v1/projects/{p}/issues/{id}/assessment", server__assessment_patch,
     CONFIG_ROLE_MANAGER, F_PROJECT | F_JSON},
    {"GET", "/api/v1/projects/{p}/issues/{id}/report.md", server__issue_report, CONFIG_ROLE_READER,
     F_PROJECT},
    {"GET", "/api/v1/projects/{p}/issues/{id}/adoption", server__adoption, CONFIG_ROLE_READER,
     F_PROJECT},
    {"POST", "/api/v1/projects/{p}/issues/{id}/adoption", server__adoption_add, CONFIG_ROLE_MANAGER,
     F_PROJECT | F_JSON},
    {"GET", "/api/v1/projects/{p}/deliveries", server__deliveries, CONFIG_ROLE_READER, F_PROJECT},
    {"POST", "/api/v1/projects/{p}/deliveries/{id}/retry", server__delivery_retry,
     CONFIG_ROLE_ADMIN, F_PROJECT | F_JSON},
    {"GET", "/api/v1/projects/{p}/audit", server__audit, CONFIG_ROLE_READER, F_PROJECT},
};
#define N_ROUTES NELEM(routes)

const char *server__route_pattern(int i)
{
    return i >= 0 && (size_t)i < N_ROUTES ? routes[i].pattern : NULL;
}

void server__reply_json(struct http_response *resp, int status, json_t *body)
{
    char *s = jsonx_dump(body);
    resp->status = status;
    resp->content_type = "application/json";
    resp->body_ref = NULL;
    resp->prepared = NULL;
    buf_reset(&resp->body);
    buf_append_str(&resp->body, s);
    free(s);
    json_decref(body);
}

void server__reply_error(struct http_response *resp, int status, const char *code,
                         const char *message, json_t *details)
{
    server__reply_json(resp, status, view_error_json(code, message, details));
}

/* Matches `path` against `pattern`, collecting {params}; segments are borrowed into segbuf. */
static bool match(const char *pattern, const char *path, char *segbuf, size_t seglen,
                  const char **params, size_t *n_params)
{
    size_t np = 0, used = 0;
    const char *p = pattern, *q = path;
    while (*p && *q) {
        if (*p != '/' || *q != '/')
            return false;
        p++;
        q++;
        const char *pe = strchr(p, '/'), *qe = strchr(q, '/');
        size_t pl = pe ? (size_t)(pe - p) : strlen(p), ql = qe ? (size_t)(qe - q) : strlen(q);
        if (pl > 0 && p[0] == '{') {
            /* "{p}.ics": a parameter followed by a literal suffix inside the segment. */
            const char *close = memchr(p, '}', pl);
            size_t sl = close ? pl - (size_t)(close + 1 - p) : 0;
            if (sl && (ql <= sl || strncmp(q + ql - sl, close + 1, sl) != 0))
                return false;
            ql -= sl;
            if (ql == 0 || np == APP_PARAMS_MAX || used + ql + 1 > seglen)
                return false;
            memcpy(segbuf + used, q, ql);
            segbuf[used + ql] = '\0';
            ql += sl;
            params[np++] = segbuf + used;
            used += ql + 1;
        } else if (pl != ql || strncmp(p, q, pl) != 0) {
            return false;
        }
        p += pl;
        q += ql;
    }
    if (*p || *q)
        return false;
    *n_params = np;
    return true;
}

void app_token_add(struct app *a, const char *name, enum config_role role, const uint8_t sha256[32])
{
    if (a->n_tokens == a->cap_tokens) {
        a->cap_tokens = a->cap_tokens ? 2 * a->cap_tokens : 16;
        a->tokens = xreallocarray(a->tokens, a->cap_tokens, sizeof *a->tokens);
    }
    struct app_token *t = &a->tokens[a->n_tokens++];
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", name);
    t->role = role;
    memcpy(t->sha256, sha256, 32);
}

int app_tokens_load(struct app *a)
{
    free(a->tokens);
    a->n_tokens = 0;
    a->tokens = NULL;
    a->cap_tokens = 0;
    for (size_t i = 0; i < a->cfg->n_tokens; i++)
        app_token_add(a, a->cfg->tokens[i].name, a->cfg->tokens[i].role, a->cfg->tokens[i].sha256);
    return 0;
}

/* Grows the per-project caches to the config's project count (new entries empty). */
static void caches_fit(struct app *a)
{
    size_t n = a->cfg->n_projects, old = a->n_cached;
    if (n <= old)
        return;
    a->next_cache = xreallocarray(a->next_cache, n, sizeof *a->next_cache);
    a->feeds = xreallocarray(a->feeds, n, sizeof *a->feeds);
    a->public_releases = xreallocarray(a->public_releases, n, sizeof *a->public_releases);
    a->gauges = xreallocarray(a->gauges, n, sizeof *a->gauges);
    memset(a->next_cache + old, 0, (n - old) * sizeof *a->next_cache);
    memset(a->feeds + old, 0, (n - old) * sizeof *a->feeds);
    memset(a->public_releases + old, 0, (n - old) * sizeof *a->public_releases);
    memset(a->gauges + old, 0, (n - old) * sizeof *a->gauges);
    a->n_cached = n;
}

void app_close(struct app *a)
{
    for (size_t i = 0; i < a->n_cached; i++) {
        for (size_t k = 0; k < NELEM(a->next_cache[i]); k++)
            free(a->next_cache[i][k].body);
        for (size_t k = 0; k < NELEM(a->feeds[i]); k++) {
            app_feed_free(&a->feeds[i][k]);
        }
    }
    for (size_t i = 0; i < a->n_cached; i++) {
        json_decref(a->public_releases[i].items);
        free(a->public_releases[i].starts_at);
        a->public_releases[i].items = NULL;
        a->public_releases[i].starts_at = NULL;
    }
    app_feed_free(&a->combined);
    app_feed_free(&a->combined_page);
    free(a->tokens);
    a->tokens = NULL;
    free(a->next_cache);
    free(a->feeds);
    free(a->public_releases);
    free(a->gauges);
    a->next_cache = NULL;
    a->feeds = NULL;
    a->public_releases = NULL;
    a->gauges = NULL;
    a->n_cached = 0;
    a->n_tokens = 0;
    a->cap_tokens = 0;
}

/* The token's SHA-256 is compared with every known hash, without stopping at a match. */
static const struct app_token *authenticate(const struct app *a, const char *token)
{
    uint8_t h[32];
    crypto_sha256(token, strlen(token), h);
    const struct app_token *found = NULL;
    for (size_t i = 0; i < a->n_tokens; i++) {
        bool eq = crypto_equal(h, a->tokens[i].sha256, 32);
        if (eq && !found)
            found = &a->tokens[i];
    }
    return found;
}

const char *server__query(const struct app_req *r, const char *name, char *buf, size_t len)
{
    size_t nl = strlen(name);
    for (const char *p = r->query; p && *p;) {
        const char *amp = strchr(p, '&');
        size_t seg = amp ? (size_t)(amp - p) : strlen(p);
        if (seg > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
            size_t o = 0;
            for (size_t i = nl + 1; i < seg && o + 1 < len; i++) {
                if (p[i] == '%' && i + 2 < seg && crypto_hex_digit(p[i + 1]) >= 0 &&
                    crypto_hex_digit(p[i + 2]) >= 0) {
                    buf[o++] = (char)(crypto_hex_digit(p[i + 1]) * 16 + crypto_hex_digit(p[i + 2]));
                    i += 2;
                } else {
                    buf[o++] = p[i] == '+' ? ' ' : p[i];
                }
            }
            buf[o] = '\0';
            return buf;
        }
        p = amp ? amp + 1 : NULL;
    }
    return NULL;
}

static bool json_content_type(const char *ct)
{
    if (!ct)
        return false;
    while (*ct == ' ')
        ct++;
    size_t n = strlen("application/json");
    return strncasecmp(ct, "application/json", n) == 0 &&
           (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static int dispatch(struct app *a, const struct http_request *req, struct http_response *resp);
static bool parse_body(const struct route *route, const struct http_request *req, struct app_req *r,
                       struct http_response *resp);

static double mono_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void server__common_headers(struct http_response *resp)
{
    /* Every answer is what its Content-Type says: no browser guesses a script out of it. */
    http_response_header(resp, "X-Content-Type-Options", "nosniff");
}

void app_handle(void *app, const struct http_request *req, struct http_response *resp)
{
    struct app *a = app;
    double t0 = mono_seconds();
    caches_fit(a);
    int route = dispatch(a, req, resp);
    if (!resp->prepared) /* it carries them already */
        server__common_headers(resp);
    server__metrics_observe(a, route, resp->status, mono_seconds() - t0);
}

/* Whether `path` begins with the pattern's literal part (up to its first {param}): a route
 * whose does not cannot match, and is passed over without splitting the path into segments. */
static bool literal_prefix_matches(const char *pattern, const char *path)
{
    for (; *pattern && *pattern != '{'; pattern++, path++)
        if (*pattern != *path)
            return false;
    return true;
}

/* The route of `method` on `path`, its parameters into r (pointing into segbuf), or NULL with
 * the methods other routes take on the path in allow ("" when none matches it). */
static const struct route *find_route(const char *path, const char *method, struct app_req *r,
                                      char *segbuf, size_t segbuf_len, char allow[128])
{
    allow[0] = '\0';
    for (size_t i = 0; i < N_ROUTES; i++) {
        const char *params[APP_PARAMS_MAX];
        size_t np;
        if (!literal_prefix_matches(routes[i].pattern, path) ||
            !match(routes[i].pattern, path, segbuf, segbuf_len, params, &np))
            continue;
        if (strcmp(routes[i].method, method) == 0) {
            /* First match wins; stop here so later patterns cannot overwrite segbuf. */
            memcpy(r->params, params, sizeof params);
            r->n_params = np;
            return &routes[i];
        }
        if (!strstr(allow, routes[i].method)) {
            size_t o = strlen(allow);
            snprintf(allow + o, 128 - o, "%s%s%s", o ? ", " : "", routes[i].method,
                     strcmp(routes[i].method, "GET") == 0 ? ", HEAD" : "");
        }
    }
    return NULL;
}

/* Authentication (a bearer token, or ?token= on the routes that take it) and the route's role;
 * false after answering 401 or 403. */
static bool authorize(struct app *a, const struct http_request *req, const struct route *route,
                      struct app_req *r, char qtok[256], struct http_response *resp)
{
    const char *authz = http_request_header(req, "authorization");
    const char *token = NULL;
    if (authz && strncasecmp(authz, "Bearer ", 7) == 0)
        token = authz + 7;
    else if ((route->flags & F_QUERY_TOKEN) && server__query(r, "token", qtok, 256))
        token = qtok;
    r->role = APP_ROLE_NONE;
    r->token = token;
    if (token && !(route->flags & F_OWN_AUTH)) {
        const struct app_token *t = authenticate(a, token);
        if (!t) {
            http_response_header(resp, "WWW-Authenticate", "Bearer");
            server__reply_error(resp, 401, "unauthorized", "unknown token", NULL);
            return false;
        }
        r->role = (int)t->role;
        r->who = t->name;
    }
    if (r->role >= route->min_role)
        return true;
    if (r->role == APP_ROLE_NONE) {
        http_response_header(resp, "WWW-Authenticate", "Bearer");
        server__reply_error(resp, 401, "unauthorized", "this route needs a token", NULL);
        return false;
    }
    char msg[128];
    const char *need = config_role_name((enum config_role)route->min_role);
    const char *have = config_role_name((enum config_role)r->role);
    snprintf(msg, sizeof msg, "this route needs the %s role; the token is a %s", need, have);
    server__reply_error(resp, 403, "forbidden", msg,
                        json_pack("{ssss}", "required_role", need, "role", have));
    return false;
}

/* The route's project (its first parameter); false after answering 404 (the page's own for a
 * browser). */
static bool find_project(struct app *a, const struct route *route, struct app_req *r,
                         struct http_response *resp)
{
    if (!(route->flags & F_PROJECT))
        return true;
    r->project = config_project_find(a->cfg, r->params[0]);
    if (r->project)
        return true;
    if (route->flags & F_PAGE)
        server__page_not_found(r, resp);
    else
        server__reply_error(resp, 404, "not_found", "no such project", NULL);
    return false;
}

/* Returns the index of the route that handled the request, or -1. */
static int dispatch(struct app *a, const struct http_request *req, struct http_response *resp)
{
    struct app_req r = {.app = a, .http = req, .query = ""};
    char path[HTTP_URL_MAX_BYTES + 1];
    size_t n = strnlen(req->target, sizeof path - 1); /* copied, not formatted: every request */
    memcpy(path, req->target, n);
    path[n] = '\0';
    char *qm = strchr(path, '?');
    if (qm) {
        *qm = '\0';
        r.query = req->target + (qm - path) + 1;
    }
    char segbuf[HTTP_URL_MAX_BYTES + 8], allow[128], qtok[256];
    const struct route *route =
        find_route(path, req->head ? "GET" : req->method, &r, segbuf, sizeof segbuf, allow);
    if (!route) {
        if (*allow) {
            http_response_header(resp, "Allow", allow);
            server__reply_error(resp, 405, "method_not_allowed", "method not allowed here", NULL);
        } else {
            server__reply_error(resp, 404, "not_found", "no such resource", NULL);
        }
        return -1;
    }
    int route_index = (int)(route - routes);
    if (!authorize(a, req, route, &r, qtok, resp) || !find_project(a, route, &r, resp))
        return route_index;
    /* A preview of a write (docs/CONTRACT.md "Preview"): the checks above answer as for the
     * real call; from here on the answer says it is a dry run. */
    int dry = strcmp(route->method, "GET") != 0 ? server__preview_param(&r, resp) : 0;
    if (dry < 0)
        return route_index;
    if (!parse_body(route, req, &r, resp)) {
        if (dry)
            server__preview_reply(resp, NULL, NULL);
        return route_index;
    }
    if (dry)
        server__preview_run(&r, route->fn, resp);
    else
        route->fn(&r, resp);
    json_decref(r.body);
    return route_index;
}

/* The JSON body of a write route into r->body; false after answering. */
static bool parse_body(const struct route *route, const struct http_request *req, struct app_req *r,
                       struct http_response *resp)
{
    if ((route->flags & F_JSON) && req->body_len > 0) {
        if (!json_content_type(http_request_header(req, "content-type"))) {
            server__reply_error(resp, 415, "unsupported_media_type",
                                "the body must be application/json", NULL);
            return false;
        }
        json_error_t je;
        r->body =
            json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
        if (!r->body) {
            server__reply_error(resp, 400, "invalid_json", je.text, NULL);
            return false;
        }
    } else if ((route->flags & F_JSON) && route->fn != server__release_publish &&
               route->fn != server__delivery_retry) {
        server__reply_error(resp, 422, "validation_failed", "a JSON body is required",
                            view_error_field("body"));
        return false;
    }
    return true;
}
