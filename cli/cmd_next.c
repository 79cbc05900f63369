/* `relcal next`: the next release(s) of each project. When the database exists it is read, so
 * the answer reflects batching, announcements, moves and skips; otherwise the windows come from
 * the policy alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "api/view.h"
#include "cli/common.h"
#include "scheduler/json.h"
#include "scheduler/sched.h"
#include "store/store.h"
#include "core/err.h"
#include "core/json.h"
#include "core/timeutil.h"

static int run(int argc, char **argv);

const struct cli_command cli_cmd_next = {
    .name = "next",
    .usage = "relcal next [-c FILE] [-p PROJECT] [-n COUNT] [--json] [--db PATH] [--now RFC3339]",
    .summary = "show the next release(s) of each project",
    .help =
        "  -c FILE      config file (default ./relcal.json, /etc/relcal/relcal.json, embedded)\n"
        "  -p PROJECT   only this project\n"
        "  -n COUNT     releases per project (default 1)\n"
        "  --json       a JSON array of release objects (public view)\n"
        "  --now TIME   act as if it were TIME (also RELCAL_NOW)\n",
    .run = run,
};

#define MONTH_SECONDS (31 * SECONDS_PER_DAY)

static void print_text(const struct config_project *cp, const struct policy_release *w, int64_t now)
{
    char utc[TIME_RFC3339_SIZE], local[96];
    time_rfc3339_format(w->starts_at, utc);
    cli_format_local(cp->policy.timezone, w->starts_at, local, sizeof local);
    int64_t days = (w->starts_at - now) / SECONDS_PER_DAY;
    printf("%-12s %-12s %-15s %-9s %s  %s  %s%lld day%s\n", cp->policy.id, w->id,
           policy_release_kind_name(w->kind), policy_release_status_name(w->status), utc, local,
           w->starts_at >= now ? "in " : "started, ", (long long)(days < 0 ? -days : days),
           days == 1 || days == -1 ? "" : "s");
}

/* From the service's state: the effective releases that are not final, in order. */
static int next_from_store(struct sched *s, const struct config_project *cp, int64_t now,
                           long count, json_t *arr)
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
        if (arr)
            json_array_append_new(arr, sched_release_json(&v, r, POLICY_AUDIENCE_PUBLIC));
        else
            print_text(cp, &r->core, now);
        shown++;
    }
    if (shown == 0 && !arr)
        printf("%-12s (no release within the %d-month horizon)\n", cp->policy.id,
               cp->policy.rules.horizon_months);
    sched_view_free(&v);
    return 0;
}

static int run(int argc, char **argv)
{
    const char *cfg_path = NULL, *now_arg = NULL, *project = NULL, *count_s = NULL, *db = NULL;
    bool json = false;
    const struct cli_opt opts[] = {
        {"config", 'c', &cfg_path, NULL}, {"now", 0, &now_arg, NULL},
        {"project", 'p', &project, NULL}, {"count", 'n', &count_s, NULL},
        {"json", 0, NULL, &json},         {"db", 0, &db, NULL},
    };
    size_t n_pos;
    if (cli_args_parse(&cli_cmd_next, argc, argv, opts, 6, NULL, 0, &n_pos) < 0)
        return CLI_EXIT_USAGE;
    long count = 1;
    if (count_s) {
        char *end;
        count = strtol(count_s, &end, 10);
        if (*end || count < 1 || count > 100000) {
            cli_error(&cli_cmd_next, "-n must be a number from 1 to 100000, not '%s'", count_s);
            return CLI_EXIT_USAGE;
        }
    }
    struct core_clock clock;
    struct config *cfg;
    int ex = cli_setup(&cli_cmd_next, cfg_path, now_arg, &clock, &cfg);
    if (ex != CLI_EXIT_OK)
        return ex;
    if (project && !config_project_find(cfg, project)) {
        cli_error(&cli_cmd_next, "no project '%s' in %s", project, cfg->source);
        config_free(cfg);
        return CLI_EXIT_USAGE;
    }
    int64_t now = clock_now(&clock);
    /* Read the service's state when its database exists (never create one here). */
    const char *db_path = db ? db : cfg->database;
    struct store *store = NULL;
    if (access(db_path, F_OK) == 0 && store_open(db_path, &store) < 0) {
        cli_error(&cli_cmd_next, "cannot read the database %s", db_path);
        config_free(cfg);
        return CLI_EXIT_FAILURE;
    }
    struct sched sched = {.cfg = cfg, .store = store, .clock = &clock};
    json_t *arr = json ? json_array() : NULL;
    ex = CLI_EXIT_OK;
    for (size_t i = 0; i < cfg->n_projects; i++) {
        const struct config_project *cp = &cfg->projects[i];
        if (project && strcmp(project, cp->policy.id) != 0)
            continue;
        /* A window stays "next" until it has ended. */
        int64_t from = now - (int64_t)cp->policy.rules.release_duration_minutes * 60 + 1;
        int64_t to = now + (int64_t)cp->policy.rules.horizon_months * MONTH_SECONDS;
        if (store) {
            ex = next_from_store(&sched, cp, now, count, arr) < 0 ? CLI_EXIT_FAILURE : ex;
            continue;
        }
        struct policy_release *w;
        size_t n;
        int rc = cli_windows(&cp->policy, from, to, &w, &n);
        if (rc < 0) {
            cli_error(&cli_cmd_next, "project %s: cannot expand the cadence: %s", cp->policy.id,
                      rc_strerror(rc));
            ex = CLI_EXIT_FAILURE;
            continue;
        }
        for (size_t k = 0; k < n && k < (size_t)count; k++) {
            if (json) {
                struct view_release v = {.project = cp->policy.id, .rel = &w[k]};
                json_array_append_new(arr, view_release_json(&v, POLICY_AUDIENCE_PUBLIC));
            } else {
                print_text(cp, &w[k], now);
            }
        }
        if (n == 0 && !json)
            printf("%-12s (no release within the %d-month horizon)\n", cp->policy.id,
                   cp->policy.rules.horizon_months);
        free(w);
    }
    if (json) {
        char *s = jsonx_dump(arr);
        printf("%s\n", s);
        free(s);
        json_decref(arr);
    }
    store_close(store);
    config_free(cfg);
    return ex;
}
