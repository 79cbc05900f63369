/* `?explain=1` on the release routes (docs/CONTRACT.md "Explanations"): the release object with
 * the steps that produced its date and content, as the caller's audience may see them. */
#include <string.h>

#include "api/explain.h"
#include "core/json.h"
#include "scheduler/explain.h"
#include "server/internal.h"
#include "views/service.h"

int server__explain_param(struct app_req *r, struct http_response *resp)
{
    char buf[16];
    const char *v = server__query(r, "explain", buf, sizeof buf);
    int ex = api_explain_param(v);
    if (ex < 0)
        server__reply_error(resp, 422, "validation_failed", "explain: 1 (or true) or 0 (or false)",
                            view_error_field("explain"));
    return ex;
}

void server__reply_explained(struct app_req *r, struct http_response *resp, const char *id)
{
    /* Tokens (reader and up) are the team; anyone else is the public. */
    enum policy_audience a =
        r->role >= CONFIG_ROLE_READER ? POLICY_AUDIENCE_TEAM : POLICY_AUDIENCE_PUBLIC;
    int64_t now = server__now(r);
    struct sched_view v;
    if (sched_view_load(r->app->sched, r->project, now, &v) < 0) {
        sched_view_free(&v);
        server__reply_error(resp, 500, "internal", "cannot read the state", NULL);
        return;
    }
    struct store_release *rel = id ? sched_view_release(&v, id) : sched_view_next(&v, now);
    if (!rel) {
        server__reply_error(resp, 404, "not_found",
                            id ? "no such release" : "no release within the horizon", NULL);
    } else {
        json_t *o = sched_release_explained_json(r->app->sched, &v, rel, a, now, api_explain_json);
        if (o)
            server__reply_json(resp, 200, o);
        else
            server__reply_error(resp, 500, "internal", "cannot read the audit log", NULL);
    }
    sched_view_free(&v);
}
