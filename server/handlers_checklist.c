/* Routes of the incident checklist: the checklist of an issue and its items (tasks and
 * decisions), the assessment record, adoption figures, and the Markdown incident report. All
 * private (reader to read, manager to write). */
#include <stdlib.h>
#include <string.h>

#include "api/assessment.h"
#include "api/report.h"
#include "core/err.h"
#include "core/json.h"
#include "server/internal.h"
#include "views/service.h"

static bool issue_id(struct app_req *r, struct http_response *resp, int64_t *id)
{
    if (server__parse_id(r->params[1], id))
        return true;
    server__reply_error(resp, 404, "not_found", "no such issue", NULL);
    return false;
}

static void reply_read(struct http_response *resp, int rc, json_t *body)
{
    if (rc == RC_ENOTFOUND)
        server__reply_error(resp, 404, "not_found", "no such issue", NULL);
    else if (rc == RC_EAGAIN)
        server__reply_busy(resp);
    else if (rc < 0)
        server__reply_error(resp, 500, "internal", "cannot read the issue", NULL);
    else
        server__reply_json(resp, 200, body);
}

void server__checklist(struct app_req *r, struct http_response *resp)
{
    int64_t id;
    json_t *out = NULL;
    if (!issue_id(r, resp, &id))
        return;
    int rc = sched_checklist_get(r->app->sched, r->project, id, server__now(r), &out);
    reply_read(resp, rc, out);
}

void server__checklist_item(struct app_req *r, struct http_response *resp)
{
    int64_t id;
    if (!issue_id(r, resp, &id))
        return;
    enum checklist_state state;
    const char *decision, *note;
    struct api_error e;
    if (api_checklist_item_parse(r->body, &state, &decision, &note, &e) < 0) {
        server__reply_error(resp, e.status, e.code, e.message, view_error_field(e.field));
        return;
    }
    struct sched_outcome why;
    memset(&why, 0, sizeof why);
    struct sched_actor who = server__actor(r);
    int rc = sched_checklist_set(r->app->sched, r->project, id, r->params[2], state, decision, note,
                                 &who, &why);
    if (rc < 0) {
        server__reply_outcome(resp, rc, &why);
        return;
    }
    json_t *out = NULL;
    rc = sched_checklist_get(r->app->sched, r->project, id, server__now(r), &out);
    reply_read(resp, rc, out);
}

void server__assessment(struct app_req *r, struct http_response *resp)
{
    int64_t id;
    json_t *out = NULL;
    if (!issue_id(r, resp, &id))
        return;
    int rc = sched_assessment_get(r->app->sched, r->project, id, &out);
    reply_read(resp, rc, out);
}

/* The API's field table checks and applies the body inside the scheduler's transaction
 * (sched_assessment_update). */
static int apply_assessment(json_t *record, const json_t *changes, void *ctx)
{
    return api_assessment_patch(record, changes, ctx);
}

void server__assessment_patch(struct app_req *r, struct http_response *resp)
{
    int64_t id;
    if (!issue_id(r, resp, &id))
        return;
    struct api_error e;
    memset(&e, 0, sizeof e);
    struct sched_actor who = server__actor(r);
    json_t *out = NULL;
    int rc = sched_assessment_update(r->app->sched, r->project, id, r->body, apply_assessment, &e,
                                     &who, &out);
    if (rc == RC_EINVAL)
        server__reply_error(resp, e.status, e.code, e.message, view_error_field(e.field));
    else
        reply_read(resp, rc, out);
}

void server__adoption(struct app_req *r, struct http_response *resp)
{
    int64_t id;
    json_t *out = NULL;
    if (!issue_id(r, resp, &id))
        return;
    int rc = sched_adoption_get(r->app->sched, r->project, id, server__now(r), &out);
    reply_read(resp, rc, out);
}

void server__adoption_add(struct app_req *r, struct http_response *resp)
{
    int64_t id;
    if (!issue_id(r, resp, &id))
        return;
    double share;
    int64_t at;
    struct api_error e;
    if (api_adoption_parse(r->body, &share, &at, &e) < 0) {
        server__reply_error(resp, e.status, e.code, e.message, view_error_field(e.field));
        return;
    }
    struct sched_outcome why;
    memset(&why, 0, sizeof why);
    struct sched_actor who = server__actor(r);
    int rc = sched_adoption_add(r->app->sched, r->project, id, share, at, &who, &why);
    if (rc < 0) {
        server__reply_outcome(resp, rc, &why);
        return;
    }
    json_t *out = NULL;
    rc = sched_adoption_get(r->app->sched, r->project, id, server__now(r), &out);
    if (rc == 0)
        server__reply_json(resp, 201, out);
    else
        reply_read(resp, rc, out);
}

void server__issue_report(struct app_req *r, struct http_response *resp)
{
    int64_t id;
    if (!issue_id(r, resp, &id))
        return;
    struct sched_report rep;
    int rc = sched_issue_report(r->app->sched, r->project, id, server__now(r), &rep);
    char *md = NULL;
    if (rc == 0) {
        struct api_report_input in = {.project_name = rep.project_name,
                                      .issue = rep.issue,
                                      .release = rep.release,
                                      .checklist = rep.checklist,
                                      .assessment = rep.assessment,
                                      .adoption = rep.adoption,
                                      .contacts = rep.contacts};
        if (!(md = api_report_markdown(&in)))
            rc = RC_ETOOBIG; /* did not fit: no report rather than a cut one */
    }
    sched_report_free(&rep);
    if (rc < 0) {
        reply_read(resp, rc, NULL);
        return;
    }
    resp->status = 200;
    resp->content_type = "text/markdown; charset=utf-8";
    http_response_header(resp, "Cache-Control", "private, no-store");
    buf_append_str(&resp->body, md);
    free(md);
}
