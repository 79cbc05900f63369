/* The machine-readable advisories (docs/CONTRACT.md "Machine-readable advisories"): OSV
 * documents and their index, CSAF advisories and the Atom feeds of published advisories, all
 * public and rendered from the public release objects (scheduler/advisory_docs.c). Unknown or
 * unpublished ids are 404, like unknown resources. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "core/json.h"
#include "scheduler/advisory_docs.h"
#include "server/internal.h"

/* A strong ETag of the body (as the feeds have); If-None-Match with it answers 304. */
static void validate(struct app_req *r, struct http_response *resp)
{
    char etag[APP_ETAG_SIZE];
    server__etag(buf_cstr(&resp->body), resp->body.len, etag);
    http_response_header(resp, "ETag", etag);
    http_response_header(resp, "Cache-Control", "public, max-age=300");
    const char *inm = http_request_header(r->http, "if-none-match");
    if (server__etag_matches(inm, etag)) {
        resp->status = 304;
        buf_reset(&resp->body);
    }
}

static void reply_doc(struct app_req *r, struct http_response *resp, json_t *doc, const char *what)
{
    if (!doc) {
        char msg[96];
        snprintf(msg, sizeof msg, "no published %s here", what);
        server__reply_error(resp, 404, "not_found", msg, NULL);
        return;
    }
    server__reply_json(resp, 200, doc);
    validate(r, resp);
}

static bool load(struct app_req *r, struct http_response *resp, struct sched_docs *d)
{
    if (sched_docs_load(r->app->sched, r->project, server__now(r), d) < 0) {
        sched_docs_free(d);
        server__reply_error(resp, 500, "internal", "cannot load the advisories", NULL);
        return false;
    }
    return true;
}

void server__osv_index(struct app_req *r, struct http_response *resp)
{
    struct sched_docs d;
    if (!load(r, resp, &d))
        return;
    reply_doc(r, resp, sched_docs_osv_all(&d), "advisory");
    sched_docs_free(&d);
}

void server__osv(struct app_req *r, struct http_response *resp)
{
    struct sched_docs d;
    if (!load(r, resp, &d))
        return;
    reply_doc(r, resp, sched_docs_osv(&d, r->params[1]), "advisory");
    sched_docs_free(&d);
}

void server__csaf(struct app_req *r, struct http_response *resp)
{
    struct sched_docs d;
    if (!load(r, resp, &d))
        return;
    reply_doc(r, resp, sched_docs_csaf(&d, r->params[1]), "release advisory");
    sched_docs_free(&d);
}

static void atom(struct app_req *r, struct http_response *resp, const struct config_project *p)
{
    char *body;
    size_t len;
    if (sched_docs_atom(r->app->sched, p, server__now(r), &body, &len) < 0) {
        server__reply_error(resp, 500, "internal", "cannot render the feed", NULL);
        return;
    }
    resp->status = 200;
    resp->content_type = "application/atom+xml; charset=utf-8";
    resp->body_ref = NULL;
    buf_reset(&resp->body);
    buf_append(&resp->body, body, len);
    free(body);
    validate(r, resp);
}

void server__atom(struct app_req *r, struct http_response *resp)
{
    atom(r, resp, r->project);
}

void server__atom_all(struct app_req *r, struct http_response *resp)
{
    atom(r, resp, NULL);
}

void server__project_doc_links(const struct app_req *r, json_t *o)
{
    char *atom_url = sched_docs_atom_url(r->app->sched, r->project);
    char *osv = sched_docs_osv_index_url(r->app->sched, r->project);
    json_object_set_new(o, "advisories_atom", json_string(atom_url));
    json_object_set_new(o, "osv_index", json_string(osv));
    free(atom_url);
    free(osv);
}
