/* `relcal feed`: writes a feed to stdout or a file, from the service's database when it exists
 * (else from the policy alone, through an empty in-memory store). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/common.h"
#include "core/err.h"
#include "core/nelem.h"
#include "policy/disclosure.h"
#include "scheduler/feeds.h"
#include "store/store.h"

static int run(int argc, char **argv);

const struct cli_command cli_cmd_feed = {
    .name = "feed",
    .usage =
        "relcal feed [-c FILE] [-p PROJECT] [--view public|team|distributors|combined] [-o FILE] "
        "[--db PATH] [--now RFC3339]",
    .summary = "write an iCalendar feed to stdout or a file",
    .help = "  -p PROJECT   the project (required unless --view combined)\n"
            "  --view VIEW  public (default), team, distributors or combined\n"
            "  -o FILE      write to FILE instead of stdout\n"
            "  --db PATH    database to read (default: the config's; policy alone if absent)\n",
    .run = run,
};

static int run(int argc, char **argv)
{
    const char *cfg_path = NULL, *now_arg = NULL, *project = NULL, *view = "public",
               *out_path = NULL, *db = NULL;
    const struct cli_opt opts[] = {
        {"config", 'c', &cfg_path, NULL}, {"now", 0, &now_arg, NULL},
        {"project", 'p', &project, NULL}, {"view", 0, &view, NULL},
        {"output", 'o', &out_path, NULL}, {"db", 0, &db, NULL},
    };
    size_t n_pos;
    if (cli_args_parse(&cli_cmd_feed, argc, argv, opts, NELEM(opts), NULL, 0, &n_pos) < 0)
        return CLI_EXIT_USAGE;
    bool combined = strcmp(view, "combined") == 0; /* every project's public feed */
    enum policy_audience audience = POLICY_AUDIENCE_PUBLIC;
    if (!combined && policy_audience_parse(view, &audience) < 0) {
        cli_error(&cli_cmd_feed, "--view must be public, team, distributors or combined, not '%s'",
                  view);
        return CLI_EXIT_USAGE;
    }
    enum sched_feed kind = audience == POLICY_AUDIENCE_TEAM           ? SCHED_FEED_TEAM
                           : audience == POLICY_AUDIENCE_DISTRIBUTORS ? SCHED_FEED_DISTRIBUTORS
                                                                      : SCHED_FEED_PUBLIC;
    struct core_clock clock;
    struct config *cfg;
    int ex = cli_setup(&cli_cmd_feed, cfg_path, now_arg, &clock, &cfg);
    if (ex != CLI_EXIT_OK)
        return ex;
    const struct config_project *p = NULL;
    if (!combined) {
        p = project ? config_project_find(cfg, project)
                    : (cfg->n_projects == 1 ? &cfg->projects[0] : NULL);
        if (!p) {
            cli_error(&cli_cmd_feed,
                      project ? "no project '%s' in the config"
                              : "-p PROJECT is needed with several projects%s",
                      project ? project : "");
            config_free(cfg);
            return CLI_EXIT_USAGE;
        }
    }
    const char *path = db ? db : cfg->database;
    struct store *store = NULL;
    int rc = store_open(access(path, F_OK) == 0 ? path : ":memory:", &store);
    char *body = NULL;
    size_t len = 0;
    if (rc == 0) {
        struct sched s = {.cfg = cfg, .store = store, .clock = &clock};
        rc = sched_feed_render(&s, p, kind, clock_now(&clock), &body, &len);
    }
    if (rc < 0) {
        cli_error(&cli_cmd_feed, "cannot render the feed: %s", rc_strerror(rc));
        ex = CLI_EXIT_FAILURE;
    } else {
        FILE *f = out_path ? fopen(out_path, "wb") : stdout;
        if (!f || fwrite(body, 1, len, f) != len || (out_path && fclose(f) != 0)) {
            cli_error(&cli_cmd_feed, "cannot write %s", out_path ? out_path : "stdout");
            ex = CLI_EXIT_FAILURE;
        }
    }
    free(body);
    store_close(store);
    config_free(cfg);
    return ex;
}
