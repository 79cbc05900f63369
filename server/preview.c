/* `?dry_run=1` on the write routes (docs/CONTRACT.md "Preview"): the handler runs as for the
 * real call, inside a scheduler preview whose transaction is rolled back, and its answer (the
 * resource or the same error) gets "dry_run": true, `would_send` and `would_change`. */
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/json.h"
#include "server/internal.h"
#include "views/service.h"

int server__preview_param(const struct app_req *r, struct http_response *resp)
{
    char buf[16];
    const char *v = server__query(r, "dry_run", buf, sizeof buf);
    if (!v)
        return 0;
    if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
        return 1;
    server__reply_error(resp, 422, "validation_failed",
                        "dry_run: 1 or true (a preview), or leave it out",
                        view_error_field("dry_run"));
    return -1;
}

void server__preview_reply(struct http_response *resp, json_t *would_send, json_t *would_change)
{
    json_t *o = NULL;
    if (resp->content_type && strcmp(resp->content_type, "application/json") == 0 &&
        !resp->body_ref)
        o = json_loadb(buf_cstr(&resp->body), resp->body.len, 0, NULL);
    if (!json_is_object(o)) {
        json_decref(o);
        json_decref(would_send);
        json_decref(would_change);
        return;
    }
    json_object_set_new(o, "dry_run", json_true());
    json_object_set_new(o, "would_send", would_send ? would_send : json_array());
    json_object_set_new(o, "would_change",
                        would_change ? would_change : json_pack("{s[]s[]}", "releases", "issues"));
    server__reply_json(resp, resp->status, o);
}

void server__preview_run(struct app_req *r, app_handler_fn fn, struct http_response *resp)
{
    struct sched *s = r->app->sched;
    struct sched_preview pv;
    int rc = sched_preview_begin(s, r->project, &pv);
    if (rc == RC_EAGAIN) {
        server__reply_busy(resp);
        server__preview_reply(resp, NULL, NULL);
        return;
    }
    if (rc < 0) {
        server__reply_error(resp, 500, "internal", "cannot preview", NULL);
        return;
    }
    fn(r, resp);
    json_t *would_send, *would_change;
    if (sched_preview_end(s, &pv, &would_send, &would_change) < 0) {
        buf_reset(&resp->headers);
        server__reply_error(resp, 500, "internal", "cannot preview", NULL);
        return;
    }
    server__preview_reply(resp, would_send, would_change);
}
