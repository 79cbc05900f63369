/* `relcal score VECTOR [--json]`: scores a CVSS v3.0/v3.1/v4.0 vector or a CMSS risk string. */
#include <stdio.h>
#include <stdlib.h>

#include "api/view.h"
#include "cli/cli.h"
#include "core/json.h"
#include "policy/severity.h"

static int run(int argc, char **argv);

const struct cli_command cli_cmd_score = {
    .name = "score",
    .usage = "relcal score VECTOR [--json]",
    .summary = "score a CVSS v3.0/v3.1/v4.0 vector or a CMSS risk string",
    .help = "  --json   print the severity object {vector, scheme, score, label, level}\n"
            "Exit status 2 on an invalid vector, with a message naming the bad metric.\n",
    .run = run,
};

static int run(int argc, char **argv)
{
    const char *now = NULL, *cfg = NULL;
    bool json = false;
    const struct cli_opt opts[] = {
        {"json", 0, NULL, &json},
        {"now", 0, &now, NULL},
        {"config", 'c', &cfg, NULL},
    };
    const char *pos[1];
    size_t n_pos;
    if (cli_args_parse(&cli_cmd_score, argc, argv, opts, 3, pos, 1, &n_pos) < 0)
        return CLI_EXIT_USAGE;
    if (n_pos != 1) {
        cli_error(&cli_cmd_score, "missing VECTOR\nusage: %s", cli_cmd_score.usage);
        return CLI_EXIT_USAGE;
    }
    struct policy_severity s;
    char err[160];
    if (policy_severity_score(pos[0], &s, err, sizeof err) < 0) {
        cli_error(&cli_cmd_score, "invalid vector '%s': %s", pos[0], err);
        return CLI_EXIT_USAGE;
    }
    if (json) {
        json_t *o = view_severity_json(&s);
        char *text = jsonx_dump(o);
        printf("%s\n", text);
        free(text);
        json_decref(o);
    } else if (s.scheme == POLICY_SCHEME_CMSS) {
        printf("%.0f/25 %s (level: %s, scheme: %s)\n", s.score, s.label, policy_level_name(s.level),
               policy_scheme_name(s.scheme));
    } else {
        printf("%.1f %s (level: %s, scheme: %s)\n", s.score, s.label, policy_level_name(s.level),
               policy_scheme_name(s.scheme));
    }
    return CLI_EXIT_OK;
}
