/* The JSON API handlers of docs/CONTRACT.md: parse and validate, call the scheduler, render. */
#include <stdlib.h>
#include <string.h>

#include "api/input.h"
#include "core/err.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "scheduler/json.h"
#include "scheduler/queries.h"
#include "server/internal.h"
#include "views/log.h"
#include "views/project.h"
#include "views/service.h"

int64_t server__now(const struct app_req *r)
{
    return clock_now(r->app->sched->clock);
}

static bool private_view(const struct app_req *r)
{
    return r->role >= CONFIG_ROLE_READER;
}

/* Tokens (reader and up) are the team; anyone else is the public. */
static enum policy_audience audience(const struct app_req *r)
{
    return private_view(r) ? POLICY_AUDIENCE_TEAM : POLICY_AUDIENCE_PUBLIC;
}

/* Another process holds the database's write lock: nothing was written, try again shortly. */
void server__reply_busy(struct http_response *resp)
{
    server__reply_error(resp, 503, "busy", "the database is busy; nothing was written, try again",
                        NULL);
    http_response_header(resp, "Retry-After", "1");
}

/* Maps a scheduler refusal onto the error shape. */
void server__reply_outcome(struct http_response *resp, int rc, const struct sched_outcome *why)
{
    char buf[TIME_RFC3339_SIZE];
    switch (rc) {
    case RC_ENOTFOUND:
        if (why->field[0])
            server__reply_error(resp, 422, "validation_failed", why->message,
                                view_error_field(why->field));
        else
            server__reply_error(resp, 404, "not_found", why->message, NULL);
        return;
    case RC_EINVAL: {
        json_t *d = view_error_field(why->field);
        /* A date out of bounds (policy_release_date_check) also gives the bound. */
        const char *code = why->refusal.code;
        if (code && why->refusal.limit != POLICY_TIME_NONE &&
            (strcmp(code, "date_in_past") == 0 || strcmp(code, "date_too_far") == 0)) {
            time_rfc3339_format(why->refusal.limit, buf);
            json_object_set_new(
                d, strcmp(code, "date_in_past") == 0 ? "earliest_allowed" : "latest_allowed",
                json_string(buf));
        }
        server__reply_error(resp, 422, "validation_failed", why->message, d);
        return;
    }
    case RC_ETRANSITION: {
        json_t *allowed = json_array();
        for (size_t i = 0; i < why->n_allowed; i++)
            json_array_append_new(allowed, json_string(why->allowed[i]));
        server__reply_error(resp, 409, "invalid_transition", why->message,
                            json_pack("{so}", "allowed", allowed));
        return;
    }
    case RC_EPOLICY: {
        json_t *d = json_object();
        const struct policy_refusal *f = &why->refusal;
        if (f->limit != POLICY_TIME_NONE) {
            time_rfc3339_format(f->limit, buf);
            json_object_set_new(
                d, strcmp(f->code, "embargo_too_long") == 0 ? "latest_allowed" : "earliest_allowed",
                json_string(buf));
        }
        if (strcmp(f->code, "severity_below_threshold") == 0) {
            json_object_set_new(d, "required", json_string(policy_level_name(f->required)));
            json_object_set_new(d, "highest", json_string(policy_level_name(f->highest)));
        }
        server__reply_error(resp, 422, f->code, why->message, d);
        return;
    }
    case RC_ECONFLICT: {
        json_t *ids = json_array();
        for (size_t i = 0; i < why->n_issue_ids; i++)
            json_array_append_new(ids, json_integer(why->issue_ids[i]));
        server__reply_error(resp, 409, why->refusal.code ? why->refusal.code : "conflict",
                            why->message, json_pack("{so}", "issues", ids));
        return;
    }
    case RC_EFORBIDDEN:
        server__reply_error(resp, 403, "forbidden", why->message, NULL);
        return;
    case RC_EAGAIN:
        server__reply_busy(resp);
        return;
    default:
        server__reply_error(resp, 500, "internal", "internal error", NULL);
        return;
    }
}

void server__health(struct app_req *r, struct http_response *resp)
{
    if (sched_db_version(r->app->sched) < 0) {
        server__reply_error(resp, 503, "unavailable", "the database does not answer", NULL);
        return;
    }
    server__reply_json(resp, 200, view_health_json());
}

void server__projects(struct app_req *r, struct http_response *resp)
{
    json_t *a = json_array();
    for (size_t i = 0; i < r->app->cfg->n_projects; i++) {
        const struct policy_project *p = &r->app->cfg->projects[i].policy;
        json_array_append_new(a, view_project_summary_json(p));
    }
    server__reply_json(resp, 200, a);
}

void server__project(struct app_req *r, struct http_response *resp)
{
    const struct policy_project *p = &r->project->policy;
    json_t *o = view_project_json(p);
    server__project_doc_links(r, o);
    server__reply_json(resp, 200, o);
}

/* Loads the project's view or answers 500. */
static bool load_view(struct app_req *r, struct http_response *resp, struct sched_view *v)
{
    if (sched_view_load(r->app->sched, r->project, server__now(r), v) < 0) {
        sched_view_free(v);
        server__reply_error(resp, 500, "internal", "cannot read the state", NULL);
        return false;
    }
    return true;
}

static void reply_release(struct app_req *r, struct http_response *resp, int status, const char *id)
{
    struct sched_view v;
    if (!load_view(r, resp, &v))
        return;
    struct store_release *rel = sched_view_release(&v, id);
    if (rel)
        server__reply_json(resp, status, sched_release_json(&v, rel, audience(r)));
    else
        server__reply_error(resp, 404, "not_found", "no such release", NULL);
    sched_view_free(&v);
}

/* The busiest read: answered from a cache that lives until the state changes (every change and
 * every scheduler tick raise the generation) or the release it names has ended. */
void server__release_next(struct app_req *r, struct http_response *resp)
{
    int ex = server__explain_param(r, resp);
    if (ex != 0) {
        if (ex > 0) /* never cached: the events still due depend on the time */
            server__reply_explained(r, resp, NULL);
        return;
    }
    int64_t now = server__now(r);
    size_t pi = (size_t)(r->project - r->app->cfg->projects);
    struct app_cached *c = pi < r->app->n_cached ? &r->app->next_cache[pi][private_view(r)] : NULL;
    if (c && c->body && c->generation == r->app->sched->generation && c->cfg == r->app->cfg &&
        now < c->valid_until) {
        resp->status = 200;
        resp->content_type = "application/json";
        buf_append_str(&resp->body, c->body);
        return;
    }
    struct sched_view v;
    if (!load_view(r, resp, &v))
        return;
    struct store_release *rel = sched_view_next(&v, now);
    if (rel) {
        int64_t until = rel->core.ends_at > now ? rel->core.ends_at : now + 60;
        server__reply_json(resp, 200, sched_release_json(&v, rel, audience(r)));
        if (c) {
            free(c->body);
            c->body = xstrdup(buf_cstr(&resp->body));
            c->generation = r->app->sched->generation;
            c->cfg = r->app->cfg;
            c->valid_until = until;
        }
    } else {
        server__reply_error(resp, 404, "not_found", "no release within the horizon", NULL);
    }
    sched_view_free(&v);
}

/* The public view of every release of project pi, from the cache while the state and the config
 * are the same (a release's public JSON does not depend on the time). Only ever filled with the
 * public audience. NULL after answering 500. */
static const struct app_release_list *public_releases(struct app_req *r, struct http_response *resp,
                                                      size_t pi)
{
    struct app *app = r->app;
    struct app_release_list *c = &app->public_releases[pi];
    if (c->items && c->generation == app->sched->generation && c->cfg == app->cfg) {
        app->metrics.list_cache_hits[APP_LIST_RELEASES]++;
        return c;
    }
    app->metrics.list_renders[APP_LIST_RELEASES]++;
    struct sched_view v;
    if (!load_view(r, resp, &v))
        return NULL;
    json_decref(c->items);
    free(c->starts_at);
    c->items = json_array();
    c->starts_at = xcalloc(v.n + 1, sizeof *c->starts_at);
    for (size_t i = 0; i < v.n; i++) {
        c->starts_at[i] = v.rels[i].core.starts_at;
        json_array_append_new(c->items, sched_release_json(&v, &v.rels[i], POLICY_AUDIENCE_PUBLIC));
    }
    c->generation = app->sched->generation;
    c->cfg = app->cfg;
    sched_view_free(&v);
    return c;
}

void server__releases(struct app_req *r, struct http_response *resp)
{
    char buf[64];
    int64_t now = server__now(r), from = now, to = POLICY_TIME_NONE;
    const char *f = server__query(r, "from", buf, sizeof buf);
    if (f && time_rfc3339_parse(f, &from) < 0) {
        server__reply_error(resp, 400, "bad_request", "from: not an RFC 3339 date-time",
                            view_error_field("from"));
        return;
    }
    const char *t = server__query(r, "to", buf, sizeof buf);
    if (t && time_rfc3339_parse(t, &to) < 0) {
        server__reply_error(resp, 400, "bad_request", "to: not an RFC 3339 date-time",
                            view_error_field("to"));
        return;
    }
    size_t pi = (size_t)(r->project - r->app->cfg->projects);
    if (!private_view(r) && pi < r->app->n_cached) {
        const struct app_release_list *c = public_releases(r, resp, pi);
        if (!c)
            return;
        json_t *a = json_array();
        for (size_t i = 0; i < json_array_size(c->items); i++) {
            int64_t st = c->starts_at[i];
            if (st >= from && (to == POLICY_TIME_NONE || st < to))
                json_array_append(a, json_array_get(c->items, i));
        }
        server__reply_json(resp, 200, a);
        return;
    }
    struct sched_view v;
    if (!load_view(r, resp, &v))
        return;
    json_t *a = json_array();
    for (size_t i = 0; i < v.n; i++) {
        int64_t st = v.rels[i].core.starts_at;
        if (st >= from && (to == POLICY_TIME_NONE || st < to))
            json_array_append_new(a, sched_release_json(&v, &v.rels[i], audience(r)));
    }
    server__reply_json(resp, 200, a);
    sched_view_free(&v);
}

void server__release(struct app_req *r, struct http_response *resp)
{
    int ex = server__explain_param(r, resp);
    if (ex > 0)
        server__reply_explained(r, resp, r->params[1]);
    if (ex != 0)
        return;
    reply_release(r, resp, 200, r->params[1]);
}

struct sched_actor server__actor(const struct app_req *r)
{
    return (struct sched_actor){.name = r->who, .role = (enum config_role)r->role};
}

void server__release_create(struct app_req *r, struct http_response *resp)
{
    struct policy_release_create in;
    struct api_error e;
    if (api_release_create_parse(r->body, &in, &e) < 0) {
        server__reply_error(resp, e.status, e.code, e.message, view_error_field(e.field));
        return;
    }
    struct sched_outcome why;
    memset(&why, 0, sizeof why);
    char id[POLICY_RELEASE_ID_MAX];
    struct sched_actor who = server__actor(r);
    int rc = sched_release_create(r->app->sched, r->project, &in, &who, id, &why);
    if (rc < 0)
        server__reply_outcome(resp, rc, &why);
    else
        reply_release(r, resp, 201, id);
}

void server__release_patch(struct app_req *r, struct http_response *resp)
{
    struct policy_release_patch in;
    struct api_error e;
    if (api_release_patch_parse(r->body, &in, &e) < 0) {
        server__reply_error(resp, e.status, e.code, e.message, view_error_field(e.field));
        return;
    }
    struct sched_outcome why;
    memset(&why, 0, sizeof why);
    struct sched_actor who = server__actor(r);
    int rc = sched_release_patch(r->app->sched, r->project, r->params[1], &in, &who, &why);
    if (rc < 0)
        server__reply_outcome(resp, rc, &why);
    else
        reply_release(r, resp, 200, r->params[1]);
}

void server__release_publish(struct app_req *r, struct http_response *resp)
{
    struct policy_publish in;
    struct api_error e;
    if (api_publish_parse(r->body, &in, &e) < 0) {
        server__reply_error(resp, e.status, e.code, e.message, view_error_field(e.field));
        return;
    }
    struct sched_outcome why;
    memset(&why, 0, sizeof why);
    struct sched_actor who = server__actor(r);
    int rc = sched_release_publish(r->app->sched, r->project, r->params[1], &in, &who, &why);
    if (rc < 0)
        server__reply_outcome(resp, rc, &why);
    else
        reply_release(r, resp, 200, r->params[1]);
}

bool server__parse_id(const char *s, int64_t *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end || v < 1 || s[0] == '+' || s[0] == ' ')
        return false;
    *out = v;
    return true;
}

static void reply_issue(struct app_req *r, struct http_response *resp, int status, int64_t id)
{
    struct store_issue is;
    if (sched_issue_get(r->app->sched, r->project, id, &is) < 0) {
        server__reply_error(resp, 404, "not_found", "no such issue", NULL);
        return;
    }
    server__reply_json(resp, status, sched_issue_json(r->project, &is, server__now(r), true));
    sched_issue_clear(&is);
}

/* The filters of the issues list, on the issue itself (before its JSON is built); a NULL
 * filter matches everything. */
static bool issue_matches(const struct policy_issue *c, const enum policy_issue_status *state,
                          const char *release, const enum policy_level *level)
{
    return (!state || c->status == *state) && (!release || strcmp(c->release_id, release) == 0) &&
           (!level || (c->has_severity && c->severity.level == *level));
}

void server__issues(struct app_req *r, struct http_response *resp)
{
    /* Filters (docs/CONTRACT.md): ?state= (alias ?status=), ?level=, ?release=; each checked, so
     * a misspelt value is an error rather than an unfiltered list. */
    char sbuf[32], lbuf[32], rbuf[POLICY_ID_MAX + 8];
    const char *state = server__query(r, "state", sbuf, sizeof sbuf);
    if (!state)
        state = server__query(r, "status", sbuf, sizeof sbuf);
    const char *level = server__query(r, "level", lbuf, sizeof lbuf);
    const char *release = server__query(r, "release", rbuf, sizeof rbuf);
    enum policy_issue_status ist;
    enum policy_level lv;
    if (state && policy_issue_status_parse(state, &ist) < 0) {
        server__reply_error(resp, 422, "validation_failed", "state: not an issue status",
                            view_error_field("state"));
        return;
    }
    if (level && policy_level_parse(level, &lv) < 0) {
        server__reply_error(resp, 422, "validation_failed",
                            "level: none, low, medium, high or critical",
                            view_error_field("level"));
        return;
    }
    struct store_issue *v;
    size_t n;
    if (sched_issue_list(r->app->sched, r->project, &v, &n) < 0) {
        server__reply_error(resp, 500, "internal", "cannot read the issues", NULL);
        return;
    }
    json_t *a = json_array();
    int64_t now = server__now(r);
    for (size_t i = 0; i < n; i++)
        if (issue_matches(&v[i].core, state ? &ist : NULL, release, level ? &lv : NULL))
            json_array_append_new(a, sched_issue_json(r->project, &v[i], now, true));
    sched_issues_free(v, n);
    server__reply_json(resp, 200, a);
}

void server__issue(struct app_req *r, struct http_response *resp)
{
    int64_t id;
    if (!server__parse_id(r->params[1], &id)) {
        server__reply_error(resp, 404, "not_found", "no such issue", NULL);
        return;
    }
    reply_issue(r, resp, 200, id);
}

void server__issue_create(struct app_req *r, struct http_response *resp)
{
    struct policy_issue_input in;
    struct api_error e;
    if (api_issue_input_parse(r->body, &r->project->policy, true, &in, &e) < 0) {
        server__reply_error(resp, e.status, e.code, e.message, view_error_field(e.field));
        return;
    }
    struct sched_outcome why;
    memset(&why, 0, sizeof why);
    struct sched_actor who = server__actor(r);
    int64_t id;
    int rc = sched_issue_create(r->app->sched, r->project, &in, &who, &id, &why);
    if (rc < 0)
        server__reply_outcome(resp, rc, &why);
    else
        reply_issue(r, resp, 201, id);
}

void server__issue_patch(struct app_req *r, struct http_response *resp)
{
    int64_t id;
    if (!server__parse_id(r->params[1], &id)) {
        server__reply_error(resp, 404, "not_found", "no such issue", NULL);
        return;
    }
    struct policy_issue_input in;
    struct api_error e;
    if (api_issue_input_parse(r->body, &r->project->policy, false, &in, &e) < 0) {
        server__reply_error(resp, e.status, e.code, e.message, view_error_field(e.field));
        return;
    }
    struct sched_outcome why;
    memset(&why, 0, sizeof why);
    struct sched_actor who = server__actor(r);
    int rc = sched_issue_update(r->app->sched, r->project, id, &in, &who, &why);
    if (rc < 0)
        server__reply_outcome(resp, rc, &why);
    else
        reply_issue(r, resp, 200, id);
}

static void note_disabled(void *ud, const char *channel, int64_t at, const char *reason)
{
    (void)at;
    json_object_set_new(ud, channel, json_string(reason));
}

void server__deliveries(struct app_req *r, struct http_response *resp)
{
    char buf[32];
    const char *state = server__query(r, "state", buf, sizeof buf);
    enum store_outbox_state st;
    if (state && sched_delivery_state_parse(state, &st) < 0) {
        server__reply_error(resp, 400, "bad_request", "state: pending, inflight, sent or dead",
                            view_error_field("state"));
        return;
    }
    struct store_outbox *v;
    size_t n;
    if (sched_delivery_list(r->app->sched, r->project, state ? &st : NULL, &v, &n) < 0) {
        server__reply_error(resp, 500, "internal", "cannot read the outbox", NULL);
        return;
    }
    json_t *disabled = json_object(); /* channel -> why */
    sched_channels_disabled(r->app->sched, r->project, note_disabled, disabled);
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        struct view_delivery d = {.id = v[i].id,
                                  .channel = v[i].channel,
                                  .message_type = v[i].message_type,
                                  .state = sched_delivery_state_name(v[i].state),
                                  .attempts = v[i].attempts,
                                  .next_attempt_at = v[i].next_attempt_at,
                                  .last_error = v[i].last_error,
                                  .disabled_reason =
                                      json_string_value(json_object_get(disabled, v[i].channel))};
        json_array_append_new(a, view_delivery_json(&d));
    }
    json_decref(disabled);
    sched_deliveries_free(v, n);
    server__reply_json(resp, 200, a);
}

void server__delivery_retry(struct app_req *r, struct http_response *resp)
{
    /* The row is pending again and its channel, if a receiver had disabled it, enabled: one
     * audited transaction (sched_delivery_retry). */
    struct sched_actor who = server__actor(r);
    int rc = sched_delivery_retry(r->app->sched, r->project, r->params[1], &who);
    if (rc == RC_ENOTFOUND) {
        server__reply_error(resp, 404, "not_found", "no dead delivery with this id", NULL);
        return;
    }
    if (rc == RC_EAGAIN) {
        server__reply_busy(resp);
        return;
    }
    if (rc < 0) {
        server__reply_error(resp, 500, "internal", "cannot re-queue", NULL);
        return;
    }
    server__reply_json(resp, 200, view_delivery_state_json(r->params[1], "pending"));
}

/* Parses a positive integer query value no larger than max; false if it is not one. */
static bool audit_number(const char *s, int64_t max, int64_t *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v < 1 || v > max)
        return false;
    *out = v;
    return true;
}

/* The next page's URL: the request's own query without before/limit, then both (docs/CONTRACT.md
 * "audit"). */
static void audit_next_link(const struct app_req *r, int64_t before, int64_t limit, char *out,
                            size_t len)
{
    size_t o = (size_t)snprintf(out, len, "</api/v1/projects/%s/audit?", r->project->policy.id);
    for (const char *p = r->query; p && *p && o < len;) {
        const char *amp = strchr(p, '&');
        size_t seg = amp ? (size_t)(amp - p) : strlen(p);
        if (seg > 0 && strncmp(p, "before=", 7) != 0 && strncmp(p, "limit=", 6) != 0)
            o += (size_t)snprintf(out + o, len - o, "%.*s&", (int)seg, p);
        p = amp ? amp + 1 : NULL;
    }
    if (o < len)
        snprintf(out + o, len - o, "before=%lld&limit=%lld>; rel=\"next\"", (long long)before,
                 (long long)limit);
}

void server__audit(struct app_req *r, struct http_response *resp)
{
    /* Filters and keyset paging: ?subject=&action=&since=RFC3339&before=ID&limit=N (1..1000,
     * default 1000); a full page carries a Link rel="next" to the following one. */
    char subj[128], act[64], since_s[64], before_s[32], limit_s[32];
    struct store_audit_filter f = {.since = INT64_MIN, .limit = 1000};
    f.subject = server__query(r, "subject", subj, sizeof subj);
    f.action = server__query(r, "action", act, sizeof act);
    const char *since = server__query(r, "since", since_s, sizeof since_s);
    const char *before = server__query(r, "before", before_s, sizeof before_s);
    const char *limit = server__query(r, "limit", limit_s, sizeof limit_s);
    int64_t lim = 1000;
    if (since && time_rfc3339_parse(since, &f.since) < 0) {
        server__reply_error(resp, 422, "validation_failed", "since: not an RFC 3339 date-time",
                            view_error_field("since"));
        return;
    }
    if (before && !audit_number(before, INT64_MAX, &f.before_id)) {
        server__reply_error(resp, 422, "validation_failed", "before: an audit row id (a number)",
                            view_error_field("before"));
        return;
    }
    if (limit && !audit_number(limit, 1000, &lim)) {
        server__reply_error(resp, 422, "validation_failed", "limit: a number from 1 to 1000",
                            view_error_field("limit"));
        return;
    }
    f.limit = (size_t)lim;
    struct store_audit *v;
    size_t n;
    if (sched_audit_query(r->app->sched, r->project, &f, &v, &n) < 0) {
        server__reply_error(resp, 500, "internal", "cannot read the audit log", NULL);
        return;
    }
    if (n == f.limit && n > 0) {
        char link[1024];
        audit_next_link(r, v[n - 1].id, lim, link, sizeof link);
        http_response_header(resp, "Link", link);
    }
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        struct view_audit e = {.id = v[i].id,
                               .at = v[i].at,
                               .actor = v[i].actor,
                               .action = v[i].action,
                               .subject = v[i].subject,
                               .detail_json = v[i].detail_json,
                               .override_reason = v[i].override_reason,
                               .late = v[i].late};
        json_array_append_new(a, view_audit_json(&e));
    }
    sched_audit_free(v, n);
    server__reply_json(resp, 200, a);
}
