/* `relcal issues list|show|create|update`: the team's issues through the service's API
 * (--server or RELCAL_SERVER, token in RELCAL_TOKEN); a table for people, --json for scripts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/client.h"
#include "core/nelem.h"
#include "cli/common.h"

static int run(int argc, char **argv);

const struct cli_command cli_cmd_issues = {
    .name = "issues",
    .usage = "relcal issues list|show|create|update [ID] [-p PROJECT] [--server URL] [--json] "
             "[--state STATE] [--level LEVEL] [--release RID] [--title TEXT] "
             "[--description TEXT] [--severity VECTOR] [--branches LIST] [--status STATUS] "
             "[--reason TEXT] [--cve ID] [--dry-run] [-c FILE]",
    .summary = "list, show, create and update issues through the service's API",
    .help =
        "  list                 issues, newest first (filters: --state, --level, --release)\n"
        "  show ID              one issue\n"
        "  create --title TEXT  a new issue (--description, --severity, --branches, --cve)\n"
        "  update ID            change --status, --severity, --title, --description, --cve,\n"
        "                       --branches (--reason goes with a rejection)\n"
        "  -p PROJECT           the project (default: the service's only project)\n"
        "  --server URL         the service (also RELCAL_SERVER; default: the config's listen)\n"
        "  --json               the API's JSON instead of a table\n"
        "  --state STATE        list: only issues in this status\n"
        "  --level LEVEL        list: only issues of this severity level\n"
        "  --release RID        list: only issues assigned to this release\n"
        "  --title TEXT         create/update: the title\n"
        "  --description TEXT   create/update: the description\n"
        "  --severity VECTOR    create/update: a CVSS or CMSS vector\n"
        "  --branches LIST      create/update: affected branches, comma-separated\n"
        "  --status STATUS      update: the new status\n"
        "  --reason TEXT        update: why (rejection, extension)\n"
        "  --cve ID             create/update: the CVE id\n"
        "  --dry-run            create/update: show what would happen (the answer, the\n"
        "                       messages it would send), change nothing\n"
        "  -c FILE              config file (for the default server)\n"
        "The API token is read from RELCAL_TOKEN.\n",
    .run = run,
};

static void print_table_header(void)
{
    printf("%-5s %-13s %-9s %-12s %s\n", "ID", "STATUS", "LEVEL", "RELEASE", "TITLE");
}

static void print_row(const json_t *i)
{
    const json_t *sev = json_object_get(i, "severity");
    printf("%-5lld %-13s %-9s %-12s %s\n", (long long)json_integer_value(json_object_get(i, "id")),
           cli_json_str(i, "status"), cli_json_str(sev, "level"), cli_json_str(i, "release"),
           cli_json_str(i, "title"));
}

static void print_one(const json_t *i)
{
    const json_t *sev = json_object_get(i, "severity");
    const json_t *sla = json_object_get(i, "sla");
    printf("issue %lld: %s\n", (long long)json_integer_value(json_object_get(i, "id")),
           cli_json_str(i, "title"));
    printf("  status       %s\n", cli_json_str(i, "status"));
    printf("  severity     %s %s", cli_json_str(sev, "level"), cli_json_str(sev, "vector"));
    if (json_is_number(json_object_get(sev, "score")))
        printf(" (%.1f)", json_number_value(json_object_get(sev, "score")));
    printf("\n  release      %s\n", cli_json_str(i, "release"));
    printf("  branches    ");
    const json_t *b = json_object_get(i, "branches");
    size_t k;
    const json_t *v;
    if (json_array_size(b) == 0)
        printf(" -");
    json_array_foreach(b, k, v) printf(" %s", json_string_value(v));
    printf("\n  cve          %s\n", cli_json_str(i, "cve"));
    printf("  reported     %s\n", cli_json_str(i, "reported_at"));
    printf("  resolve due  %s\n", cli_json_str(sla, "resolve_due"));
}

static json_t *split_list(const char *s)
{
    json_t *arr = json_array();
    while (s && *s) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        if (n > 0)
            json_array_append_new(arr, json_stringn(s, n));
        s = comma ? comma + 1 : NULL;
    }
    return arr;
}

static int parse_id(const char *s, long long *id)
{
    char *end;
    *id = s ? strtoll(s, &end, 10) : 0;
    return s && *s && !*end && *id > 0 ? 0 : -1;
}

enum sub { SUB_LIST, SUB_SHOW, SUB_CREATE, SUB_UPDATE };
static const char *const subs[] = {"list", "show", "create", "update"};

struct args {
    const char *cfg_path, *now_arg, *project, *server;
    const char *state, *level, *release;                                    /* list's filters */
    const char *title, *desc, *severity, *branches, *status, *reason, *cve; /* the changes */
    bool json, dry;
};

/* The subcommand named by the first argument, or -1 after printing the usage. */
static int parse_sub(const char *const *pos, size_t n_pos)
{
    for (size_t i = 0; n_pos > 0 && i < NELEM(subs); i++)
        if (strcmp(pos[0], subs[i]) == 0)
            return (int)i;
    cli_error(&cli_cmd_issues, "say list, show, create or update\nusage: %s", cli_cmd_issues.usage);
    return -1;
}

/* Whether the arguments and options fit the subcommand (the issue id of show and update in
 * *id); prints why not. */
static bool args_fit(int sub, const char *const *pos, size_t n_pos, const struct args *a,
                     long long *id)
{
    const char *name = subs[sub];
    bool reads = sub == SUB_LIST || sub == SUB_SHOW;
    *id = 0;
    if ((sub == SUB_SHOW || sub == SUB_UPDATE) && (n_pos != 2 || parse_id(pos[1], id) < 0)) {
        cli_error(&cli_cmd_issues, "%s needs an issue id (a positive number)", name);
        return false;
    }
    if ((sub == SUB_LIST || sub == SUB_CREATE) && n_pos != 1) {
        cli_error(&cli_cmd_issues, "unexpected argument '%s'", pos[1]);
        return false;
    }
    if (sub != SUB_LIST && (a->state || a->level || a->release)) {
        cli_error(&cli_cmd_issues, "--state, --level and --release filter 'issues list' only");
        return false;
    }
    if (reads &&
        (a->title || a->desc || a->severity || a->branches || a->status || a->reason || a->cve)) {
        cli_error(&cli_cmd_issues, "%s changes nothing: use create or update", name);
        return false;
    }
    if (a->dry && reads) {
        cli_error(&cli_cmd_issues, "--dry-run goes with create and update");
        return false;
    }
    if (sub == SUB_CREATE && (a->status || a->reason)) {
        cli_error(&cli_cmd_issues, "a new issue is reported; --status and --reason go with update");
        return false;
    }
    if (sub == SUB_CREATE && !a->title) {
        cli_error(&cli_cmd_issues, "create needs --title");
        return false;
    }
    return true;
}

/* GET the issues list (with its filters) or one issue. NULL after the client printed why. */
static json_t *read_issues(const struct cli_client *c, const char *project, int sub, long long id,
                           const struct args *a)
{
    char path[1024];
    if (sub == SUB_SHOW) {
        snprintf(path, sizeof path, "/api/v1/projects/%s/issues/%lld", project, id);
        return cli_client_call(c, "GET", path, NULL);
    }
    snprintf(path, sizeof path, "/api/v1/projects/%s/issues", project);
    if (a->state)
        cli_client_query_add(path, sizeof path, "state", a->state);
    if (a->level)
        cli_client_query_add(path, sizeof path, "level", a->level);
    if (a->release)
        cli_client_query_add(path, sizeof path, "release", a->release);
    return cli_client_call(c, "GET", path, NULL);
}

/* The body of a create or update: the fields the options set. */
static json_t *write_body(int sub, const struct args *a)
{
    json_t *body = json_object();
    cli_json_set_str(body, "title", a->title);
    cli_json_set_str(body, "description", a->desc);
    cli_json_set_str(body, "severity", a->severity);
    cli_json_set_str(body, "cve", a->cve);
    if (a->branches)
        json_object_set_new(body, "branches", split_list(a->branches));
    if (sub == SUB_UPDATE) {
        cli_json_set_str(body, "status", a->status);
        cli_json_set_str(body, "reason", a->reason);
    }
    return body;
}

/* POST a new issue or PATCH one (*ans NULL after the client printed why). Returns CLI_EXIT_*. */
static int write_issue(const struct cli_client *c, const char *project, int sub, long long id,
                       const struct args *a, json_t **ans)
{
    char path[1024];
    *ans = NULL;
    json_t *body = write_body(sub, a);
    if (sub == SUB_UPDATE)
        snprintf(path, sizeof path, "/api/v1/projects/%s/issues/%lld", project, id);
    else
        snprintf(path, sizeof path, "/api/v1/projects/%s/issues", project);
    if (json_object_size(body) == 0) {
        cli_error(&cli_cmd_issues, "update needs a change (--status, --severity, --title...)");
        json_decref(body);
        return CLI_EXIT_USAGE;
    }
    if (a->dry)
        cli_client_dry_run_path(path, sizeof path);
    *ans = cli_client_call(c, sub == SUB_UPDATE ? "PATCH" : "POST", path, body);
    json_decref(body);
    return CLI_EXIT_OK;
}

static int run(int argc, char **argv)
{
    struct args a = {0};
    const struct cli_opt opts[] = {
        {"config", 'c', &a.cfg_path, NULL}, {"now", 0, &a.now_arg, NULL},
        {"project", 'p', &a.project, NULL}, {"server", 0, &a.server, NULL},
        {"json", 0, NULL, &a.json},         {"state", 0, &a.state, NULL},
        {"level", 0, &a.level, NULL},       {"release", 0, &a.release, NULL},
        {"title", 0, &a.title, NULL},       {"description", 0, &a.desc, NULL},
        {"severity", 0, &a.severity, NULL}, {"branches", 0, &a.branches, NULL},
        {"status", 0, &a.status, NULL},     {"reason", 0, &a.reason, NULL},
        {"cve", 0, &a.cve, NULL},           {"dry-run", 0, NULL, &a.dry},
    };
    const char *pos[2];
    size_t n_pos;
    if (cli_args_parse(&cli_cmd_issues, argc, argv, opts, NELEM(opts), pos, NELEM(pos), &n_pos) < 0)
        return CLI_EXIT_USAGE;
    int sub = parse_sub(pos, n_pos);
    long long id;
    if (sub < 0 || !args_fit(sub, pos, n_pos, &a, &id))
        return CLI_EXIT_USAGE;
    struct core_clock clock;
    struct config *cfg;
    int ex = cli_setup(&cli_cmd_issues, a.cfg_path, a.now_arg, &clock, &cfg);
    if (ex != CLI_EXIT_OK)
        return ex;
    struct cli_client c;
    cli_client_init(&c, &cli_cmd_issues, a.server, cfg->listen);
    config_free(cfg);
    char pbuf[128];
    if (!cli_client_project(&c, a.project, pbuf, sizeof pbuf))
        return CLI_EXIT_FAILURE;
    json_t *ans = NULL;
    if (sub == SUB_LIST || sub == SUB_SHOW)
        ans = read_issues(&c, pbuf, sub, id, &a);
    else if ((ex = write_issue(&c, pbuf, sub, id, &a, &ans)) != CLI_EXIT_OK)
        return ex;
    if (!ans)
        return CLI_EXIT_FAILURE;
    static const struct cli_view view = {print_table_header, print_row, print_one};
    return cli_client_show(ans, a.json, sub == SUB_LIST, &view);
}
