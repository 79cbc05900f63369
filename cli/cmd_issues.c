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

static int run(int argc, char **argv)
{
    const char *cfg_path = NULL, *now_arg = NULL, *project = NULL, *server = NULL;
    const char *state = NULL, *level = NULL, *release = NULL, *title = NULL, *desc = NULL;
    const char *severity = NULL, *branches = NULL, *status = NULL, *reason = NULL, *cve = NULL;
    bool json = false, dry = false;
    const struct cli_opt opts[] = {
        {"config", 'c', &cfg_path, NULL}, {"now", 0, &now_arg, NULL},
        {"project", 'p', &project, NULL}, {"server", 0, &server, NULL},
        {"json", 0, NULL, &json},         {"state", 0, &state, NULL},
        {"level", 0, &level, NULL},       {"release", 0, &release, NULL},
        {"title", 0, &title, NULL},       {"description", 0, &desc, NULL},
        {"severity", 0, &severity, NULL}, {"branches", 0, &branches, NULL},
        {"status", 0, &status, NULL},     {"reason", 0, &reason, NULL},
        {"cve", 0, &cve, NULL},           {"dry-run", 0, NULL, &dry},
    };
    const char *pos[2];
    size_t n_pos;
    if (cli_args_parse(&cli_cmd_issues, argc, argv, opts, NELEM(opts), pos, NELEM(pos), &n_pos) < 0)
        return CLI_EXIT_USAGE;
    const char *sub = n_pos > 0 ? pos[0] : NULL;
    bool is_list = sub && strcmp(sub, "list") == 0, is_show = sub && strcmp(sub, "show") == 0;
    bool is_create = sub && strcmp(sub, "create") == 0;
    bool is_update = sub && strcmp(sub, "update") == 0;
    if (!is_list && !is_show && !is_create && !is_update) {
        cli_error(&cli_cmd_issues, "say list, show, create or update\nusage: %s",
                  cli_cmd_issues.usage);
        return CLI_EXIT_USAGE;
    }
    long long id = 0;
    if ((is_show || is_update) && (n_pos != 2 || parse_id(pos[1], &id) < 0)) {
        cli_error(&cli_cmd_issues, "%s needs an issue id (a positive number)", sub);
        return CLI_EXIT_USAGE;
    }
    if ((is_list || is_create) && n_pos != 1) {
        cli_error(&cli_cmd_issues, "unexpected argument '%s'", pos[1]);
        return CLI_EXIT_USAGE;
    }
    if (!is_list && (state || level || release)) {
        cli_error(&cli_cmd_issues, "--state, --level and --release filter 'issues list' only");
        return CLI_EXIT_USAGE;
    }
    if ((is_list || is_show) &&
        (title || desc || severity || branches || status || reason || cve)) {
        cli_error(&cli_cmd_issues, "%s changes nothing: use create or update", sub);
        return CLI_EXIT_USAGE;
    }
    if (dry && (is_list || is_show)) {
        cli_error(&cli_cmd_issues, "--dry-run goes with create and update");
        return CLI_EXIT_USAGE;
    }
    if (is_create && (status || reason)) {
        cli_error(&cli_cmd_issues, "a new issue is reported; --status and --reason go with update");
        return CLI_EXIT_USAGE;
    }
    if (is_create && !title) {
        cli_error(&cli_cmd_issues, "create needs --title");
        return CLI_EXIT_USAGE;
    }
    struct core_clock clock;
    struct config *cfg;
    int ex = cli_setup(&cli_cmd_issues, cfg_path, now_arg, &clock, &cfg);
    if (ex != CLI_EXIT_OK)
        return ex;
    struct cli_client c;
    cli_client_init(&c, &cli_cmd_issues, server, cfg->listen);
    config_free(cfg);
    char pbuf[128], path[1024];
    if (!cli_client_project(&c, project, pbuf, sizeof pbuf))
        return CLI_EXIT_FAILURE;
    json_t *ans = NULL;
    if (is_list) {
        snprintf(path, sizeof path, "/api/v1/projects/%s/issues", pbuf);
        if (state)
            cli_client_query_add(path, sizeof path, "state", state);
        if (level)
            cli_client_query_add(path, sizeof path, "level", level);
        if (release)
            cli_client_query_add(path, sizeof path, "release", release);
        ans = cli_client_call(&c, "GET", path, NULL);
    } else if (is_show) {
        snprintf(path, sizeof path, "/api/v1/projects/%s/issues/%lld", pbuf, id);
        ans = cli_client_call(&c, "GET", path, NULL);
    } else {
        json_t *body = json_object();
        cli_json_set_str(body, "title", title);
        cli_json_set_str(body, "description", desc);
        cli_json_set_str(body, "severity", severity);
        cli_json_set_str(body, "cve", cve);
        if (branches)
            json_object_set_new(body, "branches", split_list(branches));
        if (is_update) {
            cli_json_set_str(body, "status", status);
            cli_json_set_str(body, "reason", reason);
            snprintf(path, sizeof path, "/api/v1/projects/%s/issues/%lld", pbuf, id);
        } else {
            snprintf(path, sizeof path, "/api/v1/projects/%s/issues", pbuf);
        }
        if (json_object_size(body) == 0) {
            cli_error(&cli_cmd_issues, "update needs a change (--status, --severity, --title...)");
            json_decref(body);
            return CLI_EXIT_USAGE;
        }
        if (dry)
            cli_client_dry_run_path(path, sizeof path);
        ans = cli_client_call(&c, is_update ? "PATCH" : "POST", path, body);
        json_decref(body);
    }
    if (!ans)
        return CLI_EXIT_FAILURE;
    static const struct cli_view view = {print_table_header, print_row, print_one};
    if (!dry || json)
        return cli_client_show(ans, json, is_list, &view);
    print_one(ans);
    cli_client_print_preview(ans);
    json_decref(ans);
    return CLI_EXIT_OK;
}
