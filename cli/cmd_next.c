/* `relcal next`: the next release(s) of each project. With --server (or RELCAL_SERVER) the
 * running service's public API answers; else, when the database exists and can be read, it is
 * read, so the answer reflects batching, announcements, moves and skips; a database this user
 * cannot read means asking the local service (the config's `listen`), and only when that fails
 * too the windows come from the policy alone, with a warning saying so. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "api/explain.h"
#include "views/view.h"
#include "cli/client.h"
#include "cli/common.h"
#include "config/zone.h"
#include "scheduler/explain.h"
#include "scheduler/json.h"
#include "scheduler/sched.h"
#include "store/store.h"
#include "core/err.h"
#include "core/json.h"
#include "core/nelem.h"
#include "core/timeutil.h"

static int run(int argc, char **argv);

const struct cli_command cli_cmd_next = {
    .name = "next",
    .usage = "relcal next [-c FILE] [-p PROJECT] [-n COUNT] [--json] [--explain] [--db PATH] "
             "[--server URL] [--now RFC3339]",
    .summary = "show the next release(s) of each project",
    .help =
        "  -c FILE      config file (default ./relcal.json, /etc/relcal/relcal.json, embedded)\n"
        "  -p PROJECT   only this project\n"
        "  -n COUNT     releases per project (default 1)\n"
        "  --json       a JSON array of release objects (public view)\n"
        "  --explain    also why each is on its date: the steps from the cadence to the events\n"
        "               still due (with --json: each object's \"explanation\")\n"
        "  --db PATH    the database to read (default: the config's database)\n"
        "  --server URL ask the running service's public API (also RELCAL_SERVER)\n"
        "  --now TIME   act as if it were TIME (also RELCAL_NOW)\n",
    .run = run,
};

#define MONTH_SECONDS (31 * SECONDS_PER_DAY)

static void print_text(const struct config_project *cp, const struct policy_release *w, int64_t now)
{
    char utc[TIME_RFC3339_SIZE], local[96];
    time_rfc3339_format(w->starts_at, utc);
    cli_format_local(cp->policy.zone, w->starts_at, local, sizeof local);
    int64_t days = (w->starts_at - now) / SECONDS_PER_DAY;
    printf("%-12s %-12s %-15s %-9s %s  %s  %s%lld day%s\n", cp->policy.id, w->id,
           policy_release_kind_name(w->kind), policy_release_status_name(w->status), utc, local,
           w->starts_at >= now ? "in " : "started, ", (long long)(days < 0 ? -days : days),
           days == 1 || days == -1 ? "" : "s");
}

/* From the service's state: the effective releases that are not final, in order. */
static int next_from_store(struct sched *s, const struct config_project *cp, int64_t now,
                           long count, bool explain, json_t *arr)
{
    struct sched_view v;
    int rc = sched_view_load(s, cp, now, &v);
    if (rc < 0) {
        cli_error(&cli_cmd_next, "project %s: cannot read the state: %s", cp->policy.id,
                  rc_strerror(rc));
        sched_view_free(&v);
        return rc;
    }
    long shown = 0;
    for (size_t i = 0; i < v.n && shown < count; i++) {
        const struct store_release *r = &v.rels[i];
        if (!sched_view_can_be_next(&v, r) || r->core.ends_at <= now)
            continue;
        json_t *o = explain ? sched_release_explained_json(s, &v, r, POLICY_AUDIENCE_PUBLIC, now,
                                                           api_explain_json)
                            : NULL;
        if (arr)
            json_array_append_new(arr, o ? o : sched_release_json(&v, r, POLICY_AUDIENCE_PUBLIC));
        else
            print_text(cp, &r->core, now);
        if (o && !arr) {
            cli_print_explanation(o, "  ");
            json_decref(o);
        }
        shown++;
    }
    if (shown == 0 && !arr)
        printf("%-12s (no release within the %d-month horizon)\n", cp->policy.id,
               cp->policy.rules.horizon_months);
    sched_view_free(&v);
    return 0;
}

/* A release the service will not ship any more (policy_release_final on its status). */
static bool is_final(const char *status)
{
    struct policy_release r = {0};
    return !status || policy_release_status_parse(status, &r.status) < 0 ||
           policy_release_final(&r);
}

static void print_json_release(const char *project, const struct policy_zone *z, const json_t *r,
                               int64_t now)
{
    int64_t at = 0;
    const char *starts = json_string_value(json_object_get(r, "starts_at"));
    if (!starts || time_rfc3339_parse(starts, &at) < 0)
        at = now;
    char local[96];
    cli_format_local(z, at, local, sizeof local);
    int64_t days = (at - now) / SECONDS_PER_DAY;
    printf("%-12s %-12s %-15s %-9s %s  %s  %s%lld day%s\n", project,
           json_string_value(json_object_get(r, "id")),
           json_string_value(json_object_get(r, "kind")),
           json_string_value(json_object_get(r, "status")), starts ? starts : "?", local,
           at >= now ? "in " : "started, ", (long long)(days < 0 ? -days : days),
           days == 1 || days == -1 ? "" : "s");
}

/* The release `r` of project `id` again, with its explanation (?explain=1). NULL after the
 * client printed the error. */
static json_t *explained(const struct cli_client *c, const char *id, const json_t *r)
{
    char path[1024];
    snprintf(path, sizeof path, "/api/v1/projects/%s/releases/", id);
    size_t n = strlen(path);
    cli_client_query_add(path, sizeof path, "x", cli_json_str(r, "id"));
    /* Turn "/?x=RID" into "/RID" (the id escaped like a query value). */
    char *q = strstr(path + n - 1, "?x=");
    if (q)
        memmove(q, q + 3, strlen(q + 3) + 1);
    cli_client_query_add(path, sizeof path, "explain", "1");
    return cli_client_call(c, "GET", path, NULL);
}

/* The next releases from the service's public API. Returns CLI_EXIT_*. */
static int next_from_server(const struct cli_client *c, const char *project, long count,
                            int64_t now, bool explain, json_t *arr)
{
    json_t *projects = cli_client_call(c, "GET", "/api/v1/projects", NULL);
    if (!projects)
        return CLI_EXIT_FAILURE;
    int ex = CLI_EXIT_OK;
    bool found = false;
    size_t i;
    const json_t *p;
    json_array_foreach(projects, i, p)
    {
        const char *id = json_string_value(json_object_get(p, "id"));
        const char *tz = json_string_value(json_object_get(p, "timezone"));
        if (!id || (project && strcmp(project, id) != 0))
            continue;
        found = true;
        char path[512], from[TIME_RFC3339_SIZE];
        /* A window stays "next" until it has ended: ask from a day back, keep what has not. */
        time_rfc3339_format(now - SECONDS_PER_DAY, from);
        snprintf(path, sizeof path, "/api/v1/projects/%s/releases", id);
        cli_client_query_add(path, sizeof path, "from", from);
        json_t *rels = cli_client_call(c, "GET", path, NULL);
        if (!rels) {
            ex = CLI_EXIT_FAILURE;
            continue;
        }
        /* The service's zone for this project: not one the local config holds. */
        struct policy_zone *zone = NULL;
        if (!arr && config_zone_load(tz ? tz : "UTC", &zone) < 0)
            zone = NULL;
        long shown = 0;
        size_t k;
        const json_t *r;
        json_array_foreach(rels, k, r)
        {
            int64_t ends;
            const char *e = json_string_value(json_object_get(r, "ends_at"));
            if (shown >= count || is_final(json_string_value(json_object_get(r, "status"))) || !e ||
                time_rfc3339_parse(e, &ends) < 0 || ends <= now)
                continue;
            json_t *o = explain ? explained(c, id, r) : NULL;
            if (explain && !o)
                ex = CLI_EXIT_FAILURE;
            if (arr)
                json_array_append(arr, o ? o : (json_t *)r);
            else
                print_json_release(id, zone, r, now);
            if (o && !arr)
                cli_print_explanation(o, "  ");
            json_decref(o);
            shown++;
        }
        if (shown == 0 && !arr)
            printf("%-12s (no release ahead)\n", id);
        policy_zone_free(zone);
        json_decref(rels);
    }
    json_decref(projects);
    if (project && !found) {
        cli_error(&cli_cmd_next, "the service at %s has no project '%s'", c->base, project);
        return CLI_EXIT_USAGE;
    }
    return ex;
}

/* A window from the policy alone (no database): explained from the config, with no history. */
static json_t *explained_from_policy(struct sched *s, const struct config_project *cp,
                                     const struct policy_release *w, int64_t now)
{
    struct store_release r;
    memset(&r, 0, sizeof r);
    r.core = *w;
    snprintf(r.project, sizeof r.project, "%s", cp->policy.id);
    bool stored = false;
    struct sched_view v = {.project = cp, .rels = &r, .stored = &stored, .n = 1};
    return sched_release_explained_json(s, &v, &r, POLICY_AUDIENCE_PUBLIC, now, api_explain_json);
}

static void print_json_array(json_t *arr)
{
    char *s = jsonx_dump(arr);
    printf("%s\n", s);
    free(s);
    json_decref(arr);
}

/* -n COUNT into *count (default 1). CLI_EXIT_USAGE after printing why. */
static int parse_count(const char *count_s, long *count)
{
    *count = 1;
    if (!count_s)
        return CLI_EXIT_OK;
    char *end;
    *count = strtol(count_s, &end, 10);
    if (*end || *count < 1 || *count > 100000) {
        cli_error(&cli_cmd_next, "-n must be a number from 1 to 100000, not '%s'", count_s);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* The database cannot be read (every non-root operator of a packaged install): ask the local
 * service, which knows the state. False, after a warning, when it did not answer. */
static bool next_from_local_service(const struct config *cfg, const char *db_path,
                                    const char *project, long count, int64_t now, bool explain,
                                    bool json)
{
    struct cli_client c;
    cli_client_init(&c, &cli_cmd_next, NULL, cfg->listen);
    json_t *arr = json ? json_array() : NULL;
    if (next_from_server(&c, project, count, now, explain, arr) == CLI_EXIT_OK) {
        if (arr)
            print_json_array(arr);
        return true;
    }
    json_decref(arr);
    fprintf(stderr,
            "relcal next: warning: cannot read the database %s and the service at %s did not "
            "answer: the dates below come from the policy alone and miss anything batched, "
            "moved or skipped (use --server URL or RELCAL_SERVER)\n",
            db_path, c.base);
    return false;
}

/* The next windows of one project from its policy alone (no database). Returns CLI_EXIT_*. */
static int next_from_policy(struct sched *s, const struct config_project *cp, int64_t now,
                            long count, bool explain, json_t *arr)
{
    /* A window stays "next" until it has ended. */
    int64_t from = now - (int64_t)cp->policy.rules.release_duration_minutes * 60 + 1;
    int64_t to = now + (int64_t)cp->policy.rules.horizon_months * MONTH_SECONDS;
    struct policy_release *w;
    size_t n;
    int rc = cli_windows(&cp->policy, from, to, &w, &n);
    if (rc < 0) {
        cli_error(&cli_cmd_next, "project %s: cannot expand the cadence: %s", cp->policy.id,
                  rc_strerror(rc));
        return CLI_EXIT_FAILURE;
    }
    for (size_t k = 0; k < n && k < (size_t)count; k++) {
        json_t *o = explain ? explained_from_policy(s, cp, &w[k], now) : NULL;
        if (arr) {
            struct view_release v = {.project = cp->policy.id, .rel = &w[k]};
            json_array_append_new(arr, o ? json_incref(o)
                                         : view_release_json(&v, POLICY_AUDIENCE_PUBLIC));
        } else {
            print_text(cp, &w[k], now);
            if (o)
                cli_print_explanation(o, "  ");
        }
        json_decref(o);
    }
    if (n == 0 && !arr)
        printf("%-12s (no release within the %d-month horizon)\n", cp->policy.id,
               cp->policy.rules.horizon_months);
    free(w);
    return CLI_EXIT_OK;
}

/* The next releases of each project (or of `project`) from the store when there is one, else
 * from the policy. Returns CLI_EXIT_*. */
static int next_local(struct sched *s, const char *project, int64_t now, long count, bool explain,
                      bool json)
{
    json_t *arr = json ? json_array() : NULL;
    int ex = CLI_EXIT_OK;
    for (size_t i = 0; i < s->cfg->n_projects; i++) {
        const struct config_project *cp = &s->cfg->projects[i];
        if (project && strcmp(project, cp->policy.id) != 0)
            continue;
        if (s->store) {
            ex = next_from_store(s, cp, now, count, explain, arr) < 0 ? CLI_EXIT_FAILURE : ex;
            continue;
        }
        if (next_from_policy(s, cp, now, count, explain, arr) != CLI_EXIT_OK)
            ex = CLI_EXIT_FAILURE;
    }
    if (json)
        print_json_array(arr);
    return ex;
}

static int run(int argc, char **argv)
{
    const char *cfg_path = NULL, *now_arg = NULL, *project = NULL, *count_s = NULL, *db = NULL;
    const char *server = NULL;
    bool json = false, explain = false;
    const struct cli_opt opts[] = {
        {"config", 'c', &cfg_path, NULL}, {"now", 0, &now_arg, NULL},
        {"project", 'p', &project, NULL}, {"count", 'n', &count_s, NULL},
        {"json", 0, NULL, &json},         {"db", 0, &db, NULL},
        {"server", 0, &server, NULL},     {"explain", 0, NULL, &explain},
    };
    size_t n_pos;
    if (cli_args_parse(&cli_cmd_next, argc, argv, opts, NELEM(opts), NULL, 0, &n_pos) < 0)
        return CLI_EXIT_USAGE;
    long count;
    if (parse_count(count_s, &count) != CLI_EXIT_OK)
        return CLI_EXIT_USAGE;
    struct core_clock clock;
    struct config *cfg;
    int ex = cli_setup(&cli_cmd_next, cfg_path, now_arg, &clock, &cfg);
    if (ex != CLI_EXIT_OK)
        return ex;
    int64_t now = clock_now(&clock);
    const char *env_server = getenv("RELCAL_SERVER");
    if ((server && *server) || (env_server && *env_server)) {
        struct cli_client c;
        cli_client_init(&c, &cli_cmd_next, server, cfg->listen);
        config_free(cfg);
        json_t *arr = json ? json_array() : NULL;
        ex = next_from_server(&c, project, count, now, explain, arr);
        if (arr)
            print_json_array(arr);
        return ex;
    }
    if (project && !config_project_find(cfg, project)) {
        cli_error(&cli_cmd_next, "no project '%s' in %s", project, cfg->source);
        config_free(cfg);
        return CLI_EXIT_USAGE;
    }
    /* Read the service's state when its database exists (never create one here). */
    const char *db_path = db ? db : cfg->database;
    struct store *store = NULL;
    if (access(db_path, F_OK) == 0 && access(db_path, R_OK) != 0) {
        if (next_from_local_service(cfg, db_path, project, count, now, explain, json)) {
            config_free(cfg);
            return CLI_EXIT_OK;
        }
    } else if (access(db_path, F_OK) == 0 && store_open(db_path, &store) < 0) {
        cli_error(&cli_cmd_next, "cannot read the database %s", db_path);
        config_free(cfg);
        return CLI_EXIT_FAILURE;
    }
    struct sched sched = {.cfg = cfg, .store = store, .clock = &clock};
    ex = next_local(&sched, project, now, count, explain, json);
    store_close(store);
    config_free(cfg);
    return ex;
}
