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

/* The subcommands, in the order of subs[]. */
enum sub { SUB_LIST, SUB_SHOW, SUB_CREATE, SUB_MOVE, SUB_CANCEL, SUB_PUBLISH };
static const char *const subs[] = {"list", "show", "create", "move", "cancel", "publish"};

struct args {
    const char *cfg_path, *now_arg, *project, *server;
    const char *from, *to, *date, *issues, *reason, *override;
    bool json, dry, explain;
};

/* The subcommand named by the first argument, or -1 after printing the usage. */
static int parse_sub(const char *const *pos, size_t n_pos)
{
    int sub = -1;
    for (size_t i = 0; n_pos > 0 && i < NELEM(subs); i++)
        if (strcmp(pos[0], subs[i]) == 0)
            sub = i;
    if (sub < 0)
        cli_error(&cli_cmd_releases, "say list, show, create, move, cancel or publish\nusage: %s",
                  cli_cmd_releases.usage);
    return sub;
}

/* Whether the release id and the options fit the subcommand; prints why not. */
static bool args_fit(int sub, size_t n_pos, const struct args *a)
{
    bool needs_rid = sub == SUB_SHOW || sub >= SUB_MOVE;
    if (needs_rid != (n_pos == 2)) {
        cli_error(&cli_cmd_releases, needs_rid ? "%s needs a release id" : "%s takes no release id",
                  subs[sub]);
        return false;
    }
    if (sub != SUB_LIST && (a->from || a->to)) {
        cli_error(&cli_cmd_releases, "--from and --to go with 'releases list' only");
        return false;
    }
    if ((a->date && sub != SUB_CREATE && sub != SUB_MOVE) || (a->issues && sub != SUB_CREATE) ||
        (a->override && sub != SUB_CREATE && sub != SUB_PUBLISH) ||
        (a->reason && sub < SUB_CREATE) || (a->explain && sub != SUB_SHOW)) {
        cli_error(&cli_cmd_releases, "an option that %s does not take (see relcal help releases)",
                  subs[sub]);
        return false;
    }
    if (a->dry && sub < SUB_CREATE) {
        cli_error(&cli_cmd_releases, "--dry-run goes with create, move, cancel and publish");
        return false;
    }
    if ((sub == SUB_CREATE || sub == SUB_MOVE) && !a->date) {
        cli_error(&cli_cmd_releases, "%s needs --date", subs[sub]);
        return false;
    }
    if (sub == SUB_CANCEL && !a->reason) {
        cli_error(&cli_cmd_releases, "cancel needs --reason");
        return false;
    }
    return true;
}

/* The request body of a write (NULL for list and show) in *body. CLI_EXIT_USAGE after printing
 * why when --issues is not a list of ids. */
static int request_body(int sub, const struct args *a, json_t **body)
{
    *body = NULL;
    if (sub == SUB_CREATE) {
        int bad;
        json_t *ids = issue_ids(a->issues, &bad);
        if (bad) {
            cli_error(&cli_cmd_releases, "--issues must be issue ids such as 3,7, not '%s'",
                      a->issues);
            json_decref(ids);
            return CLI_EXIT_USAGE;
        }
        *body = json_object();
        cli_json_set_str(*body, "date", a->date);
        json_object_set_new(*body, "issues", ids);
        cli_json_set_str(*body, "reason", a->reason);
        cli_json_set_str(*body, "override_reason", a->override);
    } else if (sub == SUB_MOVE) {
        *body = json_object();
        cli_json_set_str(*body, "date", a->date);
        cli_json_set_str(*body, "reason", a->reason);
    } else if (sub == SUB_CANCEL) {
        *body = json_pack("{ssss}", "status", "cancelled", "reason", a->reason);
    } else if (sub == SUB_PUBLISH) {
        *body = json_object();
        cli_json_set_str(*body, "reason", a->reason);
        cli_json_set_str(*body, "override_reason", a->override);
    }
    return CLI_EXIT_OK;
}

/* The request's path (under the project's releases) into path; returns its method. */
static const char *request_path(char *path, size_t size, const char *project, int sub,
                                const char *rid, const struct args *a)
{
    snprintf(path, size, "/api/v1/projects/%s/releases", project);
    const char *method = "GET";
    if (sub == SUB_LIST) {
        if (a->from)
            cli_client_query_add(path, size, "from", a->from);
        if (a->to)
            cli_client_query_add(path, size, "to", a->to);
    } else if (sub == SUB_CREATE) {
        method = "POST";
    } else {
        size_t n = strlen(path);
        snprintf(path + n, size - n, "/");
        cli_client_query_add(path, size, "x", rid);
        /* Turn "/?x=RID" into "/RID" (the id escaped like a query value). */
        char *q = strstr(path + n, "?x=");
        memmove(q, q + 3, strlen(q + 3) + 1);
        if (sub == SUB_PUBLISH) {
            n = strlen(path);
            snprintf(path + n, size - n, "/publish");
            method = "POST";
        } else if (sub >= SUB_MOVE) {
            method = "PATCH";
        } else if (a->explain) {
            cli_client_query_add(path, size, "explain", "1");
        }
    }
    if (a->dry)
        cli_client_dry_run_path(path, size);
    return method;
}

static int run(int argc, char **argv)
{
    struct args a = {0};
    const struct cli_opt opts[] = {
        {"config", 'c', &a.cfg_path, NULL},
        {"dry-run", 0, NULL, &a.dry},
        {"explain", 0, NULL, &a.explain},
        {"now", 0, &a.now_arg, NULL},
        {"project", 'p', &a.project, NULL},
        {"server", 0, &a.server, NULL},
        {"json", 0, NULL, &a.json},
        {"from", 0, &a.from, NULL},
        {"to", 0, &a.to, NULL},
        {"date", 0, &a.date, NULL},
        {"issues", 0, &a.issues, NULL},
        {"reason", 0, &a.reason, NULL},
        {"override-reason", 0, &a.override, NULL},
    };
    const char *pos[2];
    size_t n_pos;
    if (cli_args_parse(&cli_cmd_releases, argc, argv, opts, NELEM(opts), pos, NELEM(pos), &n_pos) <
        0)
        return CLI_EXIT_USAGE;
    int sub = parse_sub(pos, n_pos);
    if (sub < 0 || !args_fit(sub, n_pos, &a))
        return CLI_EXIT_USAGE;
    json_t *body;
    int ex = request_body(sub, &a, &body);
    if (ex != CLI_EXIT_OK)
        return ex;
    struct core_clock clock;
    struct config *cfg;
    ex = cli_setup(&cli_cmd_releases, a.cfg_path, a.now_arg, &clock, &cfg);
    if (ex != CLI_EXIT_OK) {
        json_decref(body);
        return ex;
    }
    struct cli_client c;
    cli_client_init(&c, &cli_cmd_releases, a.server, cfg->listen);
    config_free(cfg);
    char pbuf[128], path[1024];
    if (!cli_client_project(&c, a.project, pbuf, sizeof pbuf)) {
        json_decref(body);
        return CLI_EXIT_FAILURE;
    }
    const char *method = request_path(path, sizeof path, pbuf, sub, n_pos == 2 ? pos[1] : NULL, &a);
    json_t *ans = cli_client_call(&c, method, path, body);
    json_decref(body);
    if (!ans)
        return CLI_EXIT_FAILURE;
    static const struct cli_view view = {print_header, print_row, print_one};
    return cli_client_show(ans, a.json, sub == SUB_LIST, &view);
}
