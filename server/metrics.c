/* GET /metrics in the Prometheus text exposition format (version 0.0.4): HTTP requests by route
 * and status, a request latency histogram, feed renders and cache hits, deliveries by channel
 * and state, SLA breaches and the next release per project, build info. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/nelem.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "scheduler/queries.h"
#include "scheduler/sched.h"
#include "server/internal.h"

static const int statuses[APP_STATUS_KINDS] = {200, 201, 304, 400, 401, 403, 404, 405,
                                               409, 411, 413, 414, 415, 422, 431, 500};
static const double bounds[APP_LATENCY_BUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                   0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

void server__metrics_observe(struct app *a, int route, int status, double seconds)
{
    int k = APP_STATUS_KINDS - 1;
    for (int i = 0; i < APP_STATUS_KINDS; i++)
        if (statuses[i] == status)
            k = i;
    if (route < 0 || route > APP_ROUTES_MAX)
        route = APP_ROUTES_MAX;
    a->metrics.requests[route][k]++;
    for (int i = 0; i < APP_LATENCY_BUCKETS; i++)
        if (seconds <= bounds[i]) {
            a->metrics.latency_buckets[i]++;
            break;
        }
    a->metrics.latency_count++;
    a->metrics.latency_sum += seconds;
}

struct delivery_ctx {
    struct buf *b;
    const char *project;
};

static void delivery_line(void *ud, const char *channel, enum store_outbox_state state, long n)
{
    struct delivery_ctx *d = ud;
    buf_appendf(d->b, "relcal_deliveries{project=\"%s\",channel=\"%s\",state=\"%s\"} %ld\n",
                d->project, channel, sched_delivery_state_name(state), n);
}

/* SLA breaches and the next release of project i: from the cache while the state, the config
 * and the deadlines passed are the same, else from a fresh view of the state. */
static struct app_gauges gauges(struct app *a, size_t i)
{
    const struct config_project *p = &a->cfg->projects[i];
    int64_t now = clock_now(a->sched->clock);
    struct app_gauges none = {0};
    struct app_gauges *c = i < a->n_cached ? &a->gauges[i] : &none;
    if (c->filled && c->generation == a->sched->generation && c->cfg == a->cfg &&
        now < c->valid_until) {
        a->metrics.list_cache_hits[APP_LIST_GAUGES]++;
        return *c;
    }
    a->metrics.list_renders[APP_LIST_GAUGES]++;
    struct app_gauges g = {.generation = a->sched->generation, .cfg = a->cfg};
    int64_t until = INT64_MAX;
    struct sched_view v;
    if (sched_view_load(a->sched, p, now, &v) == 0) {
        g.filled = true;
        for (size_t k = 0; k < v.n_issues; k++) {
            const struct policy_issue *is = &v.issues[k].core;
            if (is->status == POLICY_ISSUE_RELEASED || is->status == POLICY_ISSUE_REJECTED)
                continue;
            struct policy_sla_deadlines d;
            policy_issue_sla(&p->policy.rules, is, now, &d);
            g.sla_breaches += d.d[0].breached || d.d[1].breached || d.d[2].breached;
            for (size_t j = 0; j < NELEM(d.d); j++) /* breached once now passes `due` */
                if (!d.d[j].breached && d.d[j].met_at == POLICY_TIME_NONE &&
                    d.d[j].due != POLICY_TIME_NONE && d.d[j].due >= now && d.d[j].due < until)
                    until = d.d[j].due + 1;
        }
        const struct store_release *next = sched_view_next(&v, now);
        if (next) {
            g.has_next = true;
            g.next_starts_at = next->core.starts_at;
            int64_t end = next->core.ends_at > now ? next->core.ends_at : now + 60;
            until = end < until ? end : until;
        }
    }
    sched_view_free(&v);
    g.valid_until = g.filled ? until : now;
    *c = g;
    return g;
}

void server__metrics(struct app_req *r, struct http_response *resp)
{
    struct app *a = r->app;
    struct buf *b = &resp->body;
    buf_append_str(b, "# HELP relcal_build_info Build information.\n"
                      "# TYPE relcal_build_info gauge\n");
    buf_appendf(b, "relcal_build_info{version=\"%s\"} 1\n", RELCAL_VERSION);
    buf_append_str(b, "# HELP relcal_http_requests_total HTTP requests by route and status.\n"
                      "# TYPE relcal_http_requests_total counter\n");
    for (int ri = 0; ri <= APP_ROUTES_MAX; ri++) {
        const char *pattern = server__route_pattern(ri);
        for (int k = 0; k < APP_STATUS_KINDS; k++)
            if (a->metrics.requests[ri][k])
                buf_appendf(b, "relcal_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
                            pattern ? pattern : "unmatched",
                            k == APP_STATUS_KINDS - 1 ? 500 : statuses[k],
                            (unsigned long long)a->metrics.requests[ri][k]);
    }
    buf_append_str(b, "# HELP relcal_http_request_duration_seconds Request handling time.\n"
                      "# TYPE relcal_http_request_duration_seconds histogram\n");
    uint64_t cum = 0;
    for (int i = 0; i < APP_LATENCY_BUCKETS; i++) {
        cum += a->metrics.latency_buckets[i];
        buf_appendf(b, "relcal_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", bounds[i],
                    (unsigned long long)cum);
    }
    buf_appendf(b, "relcal_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
                (unsigned long long)a->metrics.latency_count);
    buf_appendf(b, "relcal_http_request_duration_seconds_sum %.6f\n", a->metrics.latency_sum);
    buf_appendf(b, "relcal_http_request_duration_seconds_count %llu\n",
                (unsigned long long)a->metrics.latency_count);
    buf_appendf(b,
                "# HELP relcal_feed_renders_total Feeds and pages rendered.\n"
                "# TYPE relcal_feed_renders_total counter\nrelcal_feed_renders_total %llu\n"
                "# HELP relcal_feed_cache_hits_total Feeds and pages served from memory.\n"
                "# TYPE relcal_feed_cache_hits_total counter\nrelcal_feed_cache_hits_total %llu\n",
                (unsigned long long)a->metrics.feed_renders,
                (unsigned long long)a->metrics.feed_cache_hits);
    static const char *const lists[APP_LIST_COUNT] = {"releases", "gauges"};
    buf_append_str(b, "# HELP relcal_list_renders_total Public release lists and project gauges "
                      "built from the state.\n"
                      "# TYPE relcal_list_renders_total counter\n");
    for (size_t k = 0; k < NELEM(lists); k++)
        buf_appendf(b, "relcal_list_renders_total{list=\"%s\"} %llu\n", lists[k],
                    (unsigned long long)a->metrics.list_renders[k]);
    buf_append_str(b, "# HELP relcal_list_cache_hits_total Public release lists and project "
                      "gauges served from memory.\n"
                      "# TYPE relcal_list_cache_hits_total counter\n");
    for (size_t k = 0; k < NELEM(lists); k++)
        buf_appendf(b, "relcal_list_cache_hits_total{list=\"%s\"} %llu\n", lists[k],
                    (unsigned long long)a->metrics.list_cache_hits[k]);
    buf_append_str(b, "# HELP relcal_deliveries Outbox rows by channel and state.\n"
                      "# TYPE relcal_deliveries gauge\n");
    for (size_t i = 0; i < a->cfg->n_projects; i++) {
        struct delivery_ctx d = {b, a->cfg->projects[i].policy.id};
        sched_delivery_counts(a->sched, &a->cfg->projects[i], delivery_line, &d);
    }
    size_t n = a->cfg->n_projects;
    struct app_gauges *g = xcalloc(n + 1, sizeof *g);
    for (size_t i = 0; i < n; i++)
        g[i] = gauges(a, i);
    /* Each family's HELP and TYPE right before its own samples (the text format groups them). */
    buf_append_str(b, "# HELP relcal_sla_breaches Open issues with a breached deadline.\n"
                      "# TYPE relcal_sla_breaches gauge\n");
    for (size_t i = 0; i < n; i++)
        if (g[i].filled)
            buf_appendf(b, "relcal_sla_breaches{project=\"%s\"} %ld\n",
                        a->cfg->projects[i].policy.id, g[i].sla_breaches);
    buf_append_str(b, "# HELP relcal_next_release_timestamp_seconds Start of the next release.\n"
                      "# TYPE relcal_next_release_timestamp_seconds gauge\n");
    for (size_t i = 0; i < n; i++)
        if (g[i].filled && g[i].has_next)
            buf_appendf(b, "relcal_next_release_timestamp_seconds{project=\"%s\"} %lld\n",
                        a->cfg->projects[i].policy.id, (long long)g[i].next_starts_at);
    free(g);
    resp->status = 200;
    resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
}
