/* `relcal deliveries`: the outbox of a project through the service's API (reader token in
 * RELCAL_TOKEN): what was sent, what is waiting and what failed. */
#include <stdio.h>
#include <string.h>

#include "cli/client.h"
#include "core/nelem.h"
#include "cli/common.h"

static int run(int argc, char **argv);

const struct cli_command cli_cmd_deliveries = {
    .name = "deliveries",
    .usage = "relcal deliveries [-p PROJECT] [--state STATE] [--server URL] [--json] [-c FILE]",
    .summary = "list the outbox (notifications sent, pending and failed) through the API",
    .help = "  -p PROJECT     the project (default: the service's only project)\n"
            "  --state STATE  only deliveries in this state (pending, sent, dead...)\n"
            "  --server URL   the service (also RELCAL_SERVER; default: the config's listen)\n"
            "  --json         the API's JSON instead of a table\n"
            "  -c FILE        config file (for the default server)\n"
            "The API token is read from RELCAL_TOKEN.\n",
    .run = run,
};

static int run(int argc, char **argv)
{
    const char *cfg_path = NULL, *now_arg = NULL, *project = NULL, *server = NULL;
    const char *state = NULL;
    bool json = false;
    const struct cli_opt opts[] = {
        {"config", 'c', &cfg_path, NULL}, {"now", 0, &now_arg, NULL},
        {"project", 'p', &project, NULL}, {"server", 0, &server, NULL},
        {"json", 0, NULL, &json},         {"state", 0, &state, NULL},
    };
    size_t n_pos;
    if (cli_args_parse(&cli_cmd_deliveries, argc, argv, opts, NELEM(opts), NULL, 0, &n_pos) < 0)
        return CLI_EXIT_USAGE;
    struct core_clock clock;
    struct config *cfg;
    int ex = cli_setup(&cli_cmd_deliveries, cfg_path, now_arg, &clock, &cfg);
    if (ex != CLI_EXIT_OK)
        return ex;
    struct cli_client c;
    cli_client_init(&c, &cli_cmd_deliveries, server, cfg->listen);
    config_free(cfg);
    char pbuf[128], path[1024];
    if (!cli_client_project(&c, project, pbuf, sizeof pbuf))
        return CLI_EXIT_FAILURE;
    snprintf(path, sizeof path, "/api/v1/projects/%s/deliveries", pbuf);
    if (state)
        cli_client_query_add(path, sizeof path, "state", state);
    json_t *ans = cli_client_call(&c, "GET", path, NULL);
    if (!ans)
        return CLI_EXIT_FAILURE;
    if (json) {
        cli_client_print_json(ans);
    } else {
        printf("%-28s %-12s %-22s %-8s %-8s %-21s %s\n", "ID", "CHANNEL", "TYPE", "STATE",
               "ATTEMPTS", "NEXT ATTEMPT", "LAST ERROR");
        size_t k;
        const json_t *d;
        json_array_foreach(ans, k, d)
        {
            printf("%-28s %-12s %-22s %-8s %-8lld %-21s %s\n", cli_json_str(d, "id"),
                   cli_json_str(d, "channel"), cli_json_str(d, "message_type"),
                   cli_json_str(d, "state"),
                   (long long)json_integer_value(json_object_get(d, "attempts")),
                   cli_json_str(d, "next_attempt_at"), cli_json_str(d, "last_error"));
        }
    }
    json_decref(ans);
    return CLI_EXIT_OK;
}
