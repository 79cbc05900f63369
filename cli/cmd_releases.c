/* `relcal releases list|show|create|move|cancel|publish`: "when is the next release, and what is
 * in it?" from a terminal, through the service's API (token in RELCAL_TOKEN). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/client.h"
#include "cli/common.h"
#include "core/json.h"
#include "core/nelem.h"

static int run(int argc, char **argv);

const struct cli_command cli_cmd_releases = {
    .name = "releases",
    .usage = "relcal releases list|show|create|move|cancel|publish [RID] [-p PROJECT] "
             "[--server URL] [--json] [--from RFC3339] [--to RFC3339] [--date RFC3339] "
             "[--issues LIST] [--reason TEXT] [--override-reason TEXT] [--explain] [--dry-run] "
             "[-c FILE]",
    .summary = "list, show, create, move, cancel and publish releases through the service's API",
    .help =
        "  list                    releases (default: the next one and the coming months)\n"
        "  show RID [--explain]    one release with its fixes and versions; --explain adds\n"
        "                          the steps that produced its date and content\n"
        "  create --date T --issues 3,7 --reason TEXT   an out-of-sequence release\n"
        "  move RID --date T       move a release\n"
        "  cancel RID --reason TEXT\n"
        "  publish RID [--reason TEXT] [--override-reason TEXT]\n"
        "  -p PROJECT              the project (default: the service's only project)\n"
        "  --server URL            the service (also RELCAL_SERVER; default: the config's listen)\n"
        "  --json                  the API's JSON instead of a table\n"
        "  --from T, --to T        list: the range (RFC 3339)\n"
        "  --date T                create/move: the start (RFC 3339)\n"
        "  --issues LIST           create: issue ids, comma-separated\n"
        "  --reason TEXT           create/move/cancel/publish: why\n"
        "  --override-reason TEXT  create/publish: an admin's override\n"
        "  --dry-run               create/move/cancel/publish: show what would happen (the\n"
        "                          answer, the messages it would send), change nothing\n"
        "  -c FILE                 config file (for the default server)\n"
        "The API token is read from RELCAL_TOKEN.\n",
    .run = run,
};

static void print_header(void)
{
    printf("%-12s %-15s %-10s %-21s %-5s %-9s %s\n", "ID", "KIND", "STATUS", "STARTS (UTC)",
           "FIXES", "LEVEL", "VERSIONS");
}

static void print_versions(const json_t *r)
{
    size_t k;
    const json_t *v;
    const json_t *vs = json_object_get(r, "versions");
    if (json_array_size(vs) == 0)
        printf("-");
    json_array_foreach(vs, k, v) printf("%s%s", k ? " " : "", cli_json_str(v, "version"));
}

static void print_row(const json_t *r)
{
    const json_t *fc = json_object_get(r, "fix_count");
    char fixes[24] = "-";
    if (json_is_integer(fc))
        snprintf(fixes, sizeof fixes, "%lld", (long long)json_integer_value(fc));
    printf("%-12s %-15s %-10s %-21s %-5s %-9s ", cli_json_str(r, "id"), cli_json_str(r, "kind"),
           cli_json_str(r, "status"), cli_json_str(r, "starts_at"), fixes,
           cli_json_str(r, "max_level"));
    print_versions(r);
    printf("\n");
}

static void print_one(const json_t *r)
{
    printf("release %s (%s, %s)\n", cli_json_str(r, "id"), cli_json_str(r, "kind"),
           cli_json_str(r, "status"));
    printf("  starts      %s\n", cli_json_str(r, "starts_at"));
    printf("  cutoff      %s\n", cli_json_str(r, "cutoff_at"));
    printf("  announce    %s\n", cli_json_str(r, "announce_at"));
    printf("  versions    ");
    print_versions(r);
    printf("\n  issues     ");
    const json_t *is = json_object_get(r, "issues");
    size_t k;
    const json_t *v;
    if (json_array_size(is) == 0)
        printf(" -");
    json_array_foreach(is, k, v) printf(" %lld", (long long)json_integer_value(v));
    printf("\n");
    cli_print_explanation(r, "  ");
}

static json_t *issue_ids(const char *s, int *bad)
{
    json_t *arr = json_array();
    *bad = 0;
    while (s && *s) {
        char *end;
        long long id = strtoll(s, &end, 10);
        if (end == s || id <= 0 || (*end && *end != ',')) {
            *bad = 1;
            break;
        }
        json_array_append_new(arr, json_integer(id));
        s = *end ? end + 1 : end;
    }
    return arr;
}

static int run(int argc, char **argv)
{
    const char *cfg_path = NULL, *now_arg = NULL, *project = NULL, *server = NULL;
    const char *from = NULL, *to = NULL, *date = NULL, *issues = NULL, *reason = NULL;
    const char *override = NULL;
    bool json = false, dry = false, explain = false;
    const struct cli_opt opts[] = {
        {"config", 'c', &cfg_path, NULL},
        {"dry-run", 0, NULL, &dry},
        {"explain", 0, NULL, &explain},
        {"now", 0, &now_arg, NULL},
        {"project", 'p', &project, NULL},
        {"server", 0, &server, NULL},
        {"json", 0, NULL, &json},
        {"from", 0, &from, NULL},
        {"to", 0, &to, NULL},
        {"date", 0, &date, NULL},
        {"issues", 0, &issues, NULL},
        {"reason", 0, &reason, NULL},
        {"override-reason", 0, &override, NULL},
    };
    const char *pos[2];
    size_t n_pos;
    if (cli_args_parse(&cli_cmd_releases, argc, argv, opts, NELEM(opts), pos, NELEM(pos), &n_pos) <
        0)
        return CLI_EXIT_USAGE;
    static const char *const subs[] = {"list", "show", "create", "move", "cancel", "publish"};
    int sub = -1;
    for (size_t i = 0; n_pos > 0 && i < NELEM(subs); i++)
        if (strcmp(pos[0], subs[i]) == 0)
            sub = i;
    if (sub < 0) {
        cli_error(&cli_cmd_releases, "say list, show, create, move, cancel or publish\nusage: %s",
                  cli_cmd_releases.usage);
        return CLI_EXIT_USAGE;
    }
    bool needs_rid = sub == 1 || sub >= 3;
    if (needs_rid != (n_pos == 2)) {
        cli_error(&cli_cmd_releases, needs_rid ? "%s needs a release id" : "%s takes no release id",
                  subs[sub]);
        return CLI_EXIT_USAGE;
    }
    if (sub != 0 && (from || to)) {
        cli_error(&cli_cmd_releases, "--from and --to go with 'releases list' only");
        return CLI_EXIT_USAGE;
    }
    if ((date && sub != 2 && sub != 3) || (issues && sub != 2) ||
        (override && sub != 2 && sub != 5) || (reason && sub < 2) || (explain && sub != 1)) {
        cli_error(&cli_cmd_releases, "an option that %s does not take (see relcal help releases)",
                  subs[sub]);
        return CLI_EXIT_USAGE;
    }
    if (dry && sub < 2) {
        cli_error(&cli_cmd_releases, "--dry-run goes with create, move, cancel and publish");
        return CLI_EXIT_USAGE;
    }
    if ((sub == 2 || sub == 3) && !date) {
        cli_error(&cli_cmd_releases, "%s needs --date", subs[sub]);
        return CLI_EXIT_USAGE;
    }
    if (sub == 4 && !reason) {
        cli_error(&cli_cmd_releases, "cancel needs --reason");
        return CLI_EXIT_USAGE;
    }
    json_t *body = NULL;
    if (sub == 2) {
        int bad;
        json_t *ids = issue_ids(issues, &bad);
        if (bad) {
            cli_error(&cli_cmd_releases, "--issues must be issue ids such as 3,7, not '%s'",
                      issues);
            json_decref(ids);
            return CLI_EXIT_USAGE;
        }
        body = json_object();
        cli_json_set_str(body, "date", date);
        json_object_set_new(body, "issues", ids);
        cli_json_set_str(body, "reason", reason);
        cli_json_set_str(body, "override_reason", override);
    } else if (sub == 3) {
        body = json_object();
        cli_json_set_str(body, "date", date);
        cli_json_set_str(body, "reason", reason);
    } else if (sub == 4) {
        body = json_pack("{ssss}", "status", "cancelled", "reason", reason);
    } else if (sub == 5) {
        body = json_object();
        cli_json_set_str(body, "reason", reason);
        cli_json_set_str(body, "override_reason", override);
    }
    struct core_clock clock;
    struct config *cfg;
    int ex = cli_setup(&cli_cmd_releases, cfg_path, now_arg, &clock, &cfg);
    if (ex != CLI_EXIT_OK) {
        json_decref(body);
        return ex;
    }
    struct cli_client c;
    cli_client_init(&c, &cli_cmd_releases, server, cfg->listen);
    config_free(cfg);
    char pbuf[128], path[1024];
    if (!cli_client_project(&c, project, pbuf, sizeof pbuf)) {
        json_decref(body);
        return CLI_EXIT_FAILURE;
    }
    snprintf(path, sizeof path, "/api/v1/projects/%s/releases", pbuf);
    const char *method = "GET";
    if (sub == 0) {
        if (from)
            cli_client_query_add(path, sizeof path, "from", from);
        if (to)
            cli_client_query_add(path, sizeof path, "to", to);
    } else if (sub == 2) {
        method = "POST";
    } else {
        size_t n = strlen(path);
        snprintf(path + n, sizeof path - n, "/");
        cli_client_query_add(path, sizeof path, "x", pos[1]);
        /* Turn "/?x=RID" into "/RID" (the id escaped like a query value). */
        char *q = strstr(path + n, "?x=");
        memmove(q, q + 3, strlen(q + 3) + 1);
        if (sub == 5) {
            n = strlen(path);
            snprintf(path + n, sizeof path - n, "/publish");
            method = "POST";
        } else if (sub >= 3) {
            method = "PATCH";
        } else if (explain) {
            cli_client_query_add(path, sizeof path, "explain", "1");
        }
    }
    if (dry)
        cli_client_dry_run_path(path, sizeof path);
    json_t *ans = cli_client_call(&c, method, path, body);
    json_decref(body);
    if (!ans)
        return CLI_EXIT_FAILURE;
    static const struct cli_view view = {print_header, print_row, print_one};
    if (!dry || json)
        return cli_client_show(ans, json, sub == 0, &view);
    print_one(ans);
    cli_client_print_preview(ans);
    json_decref(ans);
    return CLI_EXIT_OK;
}
