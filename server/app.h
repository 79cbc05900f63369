/* The relcal HTTP application: the routing table, authentication and the JSON API handlers of
 * docs/CONTRACT.md, on top of the scheduler. */
#ifndef RELCAL_SERVER_APP_H
#define RELCAL_SERVER_APP_H

#include <jansson.h>
#include <stdint.h>

#include "config/config.h"
#include "core/timeutil.h"
#include "scheduler/sched.h"
#include "server/http.h"

struct app_token {
    char name[POLICY_ID_MAX];
    enum config_role role;
    uint8_t sha256[32];
};

/* A rendered answer kept until the state changes (scheduler generation), the config is swapped,
 * or `now` reaches valid_until. */
struct app_cached {
    uint64_t generation;
    const struct config *cfg;
    int64_t valid_until;
    char *body; /* NULL when empty */
};

#define APP_ROUTES_MAX      48
#define APP_STATUS_KINDS    16
#define APP_LATENCY_BUCKETS 12

/* What the list counters count: public release lists, the per-project gauges of /metrics. */
enum app_list { APP_LIST_RELEASES = 0, APP_LIST_GAUGES = 1, APP_LIST_COUNT };

/* Counters for GET /metrics. */
struct app_metrics {
    uint64_t requests[APP_ROUTES_MAX + 1][APP_STATUS_KINDS]; /* [route or unmatched][status] */
    uint64_t latency_buckets[APP_LATENCY_BUCKETS];           /* cumulative at render time */
    uint64_t latency_count;
    double latency_sum;
    uint64_t feed_renders, feed_cache_hits;
    /* Built from the state and served from memory, by enum app_list. */
    uint64_t list_renders[APP_LIST_COUNT], list_cache_hits[APP_LIST_COUNT];
};

/* The per-project gauges of GET /metrics, kept until the state changes (scheduler generation),
 * the config is swapped, or `now` reaches valid_until (a deadline falls due, the next release
 * ends). */
struct app_gauges {
    uint64_t generation;
    const struct config *cfg;
    int64_t valid_until;
    bool filled;
    long sla_breaches;
    bool has_next;
    int64_t next_starts_at;
};

/* The public release list of a project (every release in the public view, by start), kept until
 * the state changes or the config is swapped; `from` and `to` filter it when it is served. Never
 * holds a private (team) view. */
struct app_release_list {
    uint64_t generation;
    const struct config *cfg;
    json_t *items; /* a JSON array, NULL when empty */
    int64_t *starts_at;
};

/* A rendered feed with its gzip form and validators, and its answers prepared whole (head and
 * body, built on first use, dropped with the bytes): [gzip][304]. */
struct app_feed {
    uint64_t generation;
    const struct config *cfg;
    char *body;
    size_t len;
    char *gz;
    size_t gz_len;
    char etag[48];    /* of the identity body */
    char gz_etag[52]; /* of the gzip body: its own strong validator (RFC 9110 8.8.3) */
    int64_t last_modified;
    char last_modified_text[TIME_HTTP_SIZE]; /* as sent in Last-Modified */
    struct http_prepared answers[2][2];
};

struct app {
    struct sched *sched;
    const struct config *cfg; /* borrowed; swapped on reload */
    struct app_token *tokens; /* config tokens and relcal's own; owned */
    size_t n_tokens, cap_tokens;
    /* The per-project caches below hold n_cached projects by config index; app_handle grows
     * them to the config's project count before each request (a reload may add projects). */
    size_t n_cached;
    /* releases/next per project: [i][0] public view, [i][1] private view. */
    struct app_cached (*next_cache)[2];
    /* Per project: [0] public feed, [1] team, [2] distributors, [3] page; and the combined feed
     * and page. */
    struct app_feed (*feeds)[4];
    struct app_feed combined;
    struct app_feed combined_page;
    struct app_release_list *public_releases;
    struct app_gauges *gauges;
    struct app_metrics metrics;
};

/* Rebuilds the token list from the config (then add the stored tokens with app_token_add). */
int app_tokens_load(struct app *a);
/* Adds a token to the list (growing it). */
void app_token_add(struct app *a, const char *name, enum config_role role,
                   const uint8_t sha256[32]);
/* Frees what a feed holds and empties it. */
void app_feed_free(struct app_feed *f);
void app_close(struct app *a);

/* The http_handler_fn of the service (app is a struct app *). */
void app_handle(void *app, const struct http_request *req, struct http_response *resp);

#endif
