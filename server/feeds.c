/* Feed and page routes: rendered once per state change and served from memory with a strong ETag (a
 * hash of the body; the gzip body has its own, the same with "-gz"), Last-Modified, Cache-Control
 * (public or, for token feeds, private) and gzip only when Accept-Encoding allows it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/crypto.h"
#include "core/gz.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "page/page.h"
#include "scheduler/feeds.h"
#include "server/internal.h"

/* The weight a list header (Accept, Accept-Encoding: "a;q=0.5, b") gives `token`, compared
 * without case: its q parameter, 1 without one, -1 when the list does not name it. */
static double list_weight(const char *list, const char *token)
{
    size_t n = strlen(token);
    for (const char *p = list; p && *p;) {
        p += strspn(p, " \t,");
        size_t len = strcspn(p, ",");
        size_t name = strcspn(p, " \t;,");
        if (name == n && strncasecmp(p, token, n) == 0) {
            const char *q = p + name;
            const char *end = p + len;
            while (q < end && (q = strchr(q, ';')) && q < end) {
                q += 1 + strspn(q + 1, " \t");
                if ((q[0] == 'q' || q[0] == 'Q') && q[1] == '=')
                    return strtod(q + 2, NULL);
            }
            return 1;
        }
        p += len;
    }
    return -1;
}

/* gzip (or its alias x-gzip) is acceptable unless absent or given q=0 (RFC 9110 12.5.3). */
static bool accepts_gzip(const char *ae)
{
    return ae && (list_weight(ae, "gzip") > 0 || list_weight(ae, "x-gzip") > 0);
}

/* What a cached answer holds: one of the scheduler's feeds, or the page (the public's, rendered
 * by page/), and whether it is private to its token. */
struct served {
    enum sched_feed feed;
    bool page, private_feed;
};

static const struct served public_feed = {SCHED_FEED_PUBLIC, false, false};
static const struct served team_feed = {SCHED_FEED_TEAM, false, true};
static const struct served distributors_feed = {SCHED_FEED_DISTRIBUTORS, false, true};
static const struct served public_page = {SCHED_FEED_PUBLIC, true, false};

/* Re-renders when the state or the config changed; keeps Last-Modified when the bytes did not. */
static bool refresh(struct app_req *r, struct app_feed *f, const struct config_project *p,
                    const struct served *what)
{
    struct sched *s = r->app->sched;
    if (f->body && f->generation == s->generation && f->cfg == r->app->cfg) {
        r->app->metrics.feed_cache_hits++;
        return true;
    }
    r->app->metrics.feed_renders++;
    char *body;
    size_t len;
    int64_t now = clock_now(s->clock);
    if ((what->page ? sched_page_render(s, p, now, &body, &len)
                    : sched_feed_render(s, p, what->feed, now, &body, &len)) < 0)
        return false;
    char etag[APP_ETAG_SIZE];
    server__etag(body, len, etag);
    if (!f->body || strcmp(etag, f->etag) != 0) {
        app_feed_free(f);
        f->body = body;
        f->len = len;
        f->gz = gz_compress(body, len, &f->gz_len);
        memcpy(f->etag, etag, sizeof etag);
        snprintf(f->gz_etag, sizeof f->gz_etag, "%.*s-gz\"", (int)strlen(etag) - 1, etag);
        /* The Date header is the wall clock (server/http.c); with a simulated clock
         * (RELCAL_NOW ahead of it) Last-Modified must still not be later than Date. */
        int64_t wall = (int64_t)time(NULL);
        f->last_modified = now < wall ? now : wall;
        time_http_format(f->last_modified, f->last_modified_text);
    } else {
        free(body);
    }
    f->generation = s->generation;
    f->cfg = r->app->cfg;
    return true;
}

void app_feed_free(struct app_feed *f)
{
    free(f->body);
    free(f->gz);
    for (size_t z = 0; z < 2; z++)
        for (size_t m = 0; m < 2; m++)
            http_prepared_free(&f->answers[z][m]);
    memset(f, 0, sizeof *f);
}

void server__etag(const char *body, size_t len, char out[APP_ETAG_SIZE])
{
    uint8_t h[32];
    crypto_sha256(body, len, h);
    out[0] = '"';
    crypto_hex_encode(h, 16, out + 1);
    out[33] = '"';
    out[34] = '\0';
}

bool server__etag_matches(const char *inm, const char *etag)
{
    if (!inm)
        return false;
    if (strcmp(inm, "*") == 0)
        return true;
    return strstr(inm, etag) != NULL;
}

/* The answer to a GET of `f` (a 304 when `not_modified`), whole: status, headers in the order
 * relcal has always sent them, the common headers of app_handle, and the body. */
static void prepare(const struct app_feed *f, bool gz, bool not_modified, const struct served *what,
                    struct http_prepared *out)
{
    struct http_response resp = {.status = not_modified ? 304 : 200};
    buf_init(&resp.headers, HTTP_HEADERS_MAX_BYTES);
    buf_init(&resp.body, 1);
    http_response_header(&resp, "ETag", gz ? f->gz_etag : f->etag);
    http_response_header(&resp, "Last-Modified", f->last_modified_text);
    http_response_header(&resp, "Cache-Control",
                         what->private_feed ? "private, max-age=300" : "public, max-age=300");
    http_response_header(&resp, "Vary", "Accept-Encoding");
    if (what->page) {
        /* No script at all, the embedded stylesheet by its hash, no framing. */
        http_response_header(&resp, "Content-Security-Policy", page_csp());
        http_response_header(&resp, "Referrer-Policy", "no-referrer");
    }
    if (!not_modified) {
        resp.content_type =
            what->page ? "text/html; charset=utf-8" : "text/calendar; charset=utf-8";
        if (gz)
            http_response_header(&resp, "Content-Encoding", "gzip");
        resp.body_ref = gz ? f->gz : f->body;
        resp.body_ref_len = gz ? f->gz_len : f->len;
    }
    server__common_headers(&resp);
    http_prepared_build(out, &resp);
    buf_close(&resp.headers);
    buf_close(&resp.body);
}

/* If-Modified-Since: the text relcal sent is compared first, so the usual revalidation parses
 * no date. */
static bool unmodified_since(const struct app_feed *f, const char *ims)
{
    int64_t since;
    return strcmp(ims, f->last_modified_text) == 0 ||
           (time_http_parse(ims, &since) == 0 && f->last_modified <= since);
}

/* Per request only the choice of answer: gzip or not, 200 or 304; the answers themselves are
 * prepared once per rendered body (struct app_feed). */
static void serve(struct app_req *r, struct http_response *resp, struct app_feed *f,
                  const struct config_project *p, const struct served *what)
{
    if (!refresh(r, f, p, what)) {
        server__reply_error(resp, 500, "internal", "cannot render the feed", NULL);
        return;
    }
    bool gz = f->gz && accepts_gzip(http_request_header(r->http, "accept-encoding"));
    const char *inm = http_request_header(r->http, "if-none-match");
    const char *ims = inm ? NULL : http_request_header(r->http, "if-modified-since");
    bool not_modified =
        server__etag_matches(inm, gz ? f->gz_etag : f->etag) || (ims && unmodified_since(f, ims));
    struct http_prepared *answer = &f->answers[gz][not_modified];
    if (!answer->bytes)
        prepare(f, gz, not_modified, what, answer);
    resp->status = not_modified ? 304 : 200;
    resp->prepared = answer; /* the cache outlives the write (see http.h) */
}

static size_t project_index(const struct app_req *r)
{
    return (size_t)(r->project - r->app->cfg->projects);
}

void server__feed_public(struct app_req *r, struct http_response *resp)
{
    size_t i = project_index(r);
    if (i >= r->app->n_cached) {
        server__reply_error(resp, 500, "internal", "no cache for this project", NULL);
        return;
    }
    serve(r, resp, &r->app->feeds[i][0], r->project, &public_feed);
}

void server__feed_team(struct app_req *r, struct http_response *resp)
{
    size_t i = project_index(r);
    if (i >= r->app->n_cached) {
        server__reply_error(resp, 500, "internal", "no cache for this project", NULL);
        return;
    }
    serve(r, resp, &r->app->feeds[i][1], r->project, &team_feed);
}

void server__feed_all(struct app_req *r, struct http_response *resp)
{
    serve(r, resp, &r->app->combined, NULL, &public_feed);
}

/* The token of a distributor channel (feed_token_sha256), compared in constant time with every
 * distributor channel of the project. */
void server__feed_distributors(struct app_req *r, struct http_response *resp)
{
    size_t i = project_index(r);
    bool ok = false;
    if (r->token) {
        uint8_t h[32];
        crypto_sha256(r->token, strlen(r->token), h);
        for (size_t c = 0; c < r->project->n_channels; c++) {
            const struct config_channel *ch = &r->project->channels[c];
            bool eq = ch->has_feed_token && crypto_equal(h, ch->feed_token_sha256, 32);
            ok = ok || (eq && ch->audience == CONFIG_AUDIENCE_DISTRIBUTORS);
        }
    }
    if (!ok) {
        http_response_header(resp, "WWW-Authenticate", "Bearer");
        server__reply_error(resp, 401, "unauthorized", "a distributor feed token is needed", NULL);
        return;
    }
    if (i >= r->app->n_cached) {
        server__reply_error(resp, 500, "internal", "no cache for this project", NULL);
        return;
    }
    serve(r, resp, &r->app->feeds[i][2], r->project, &distributors_feed);
}

void server__page(struct app_req *r, struct http_response *resp)
{
    size_t i = project_index(r);
    if (i >= r->app->n_cached) {
        server__reply_error(resp, 500, "internal", "no cache for this project", NULL);
        return;
    }
    serve(r, resp, &r->app->feeds[i][3], r->project, &public_page);
}

void server__page_all(struct app_req *r, struct http_response *resp)
{
    serve(r, resp, &r->app->combined_page, NULL, &public_page);
}

/* JSON only for a client that names application/json and not text/html (a script); browsers
 * and clients that name no type get the page. */
static bool wants_json(const char *accept)
{
    return accept && list_weight(accept, "application/json") > 0 &&
           list_weight(accept, "text/html") < 0;
}

void server__page_not_found(struct app_req *r, struct http_response *resp)
{
    if (wants_json(http_request_header(r->http, "accept"))) {
        server__reply_error(resp, 404, "not_found", "no such project", NULL);
        return;
    }
    size_t len;
    char *html = page_render_not_found(r->app->cfg->public_url, &len);
    resp->status = 404;
    resp->content_type = "text/html; charset=utf-8";
    resp->body_ref = NULL;
    buf_reset(&resp->body);
    buf_append(&resp->body, html, len);
    free(html);
    http_response_header(resp, "Content-Security-Policy", page_csp());
    http_response_header(resp, "Referrer-Policy", "no-referrer");
    http_response_header(resp, "Cache-Control", "public, max-age=60");
    http_response_header(resp, "Vary", "Accept");
}
