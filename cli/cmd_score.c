/* `relcal score VECTOR [--json]` (docs/CONTRACT.md): scores a CVSS v3.0/v3.1/v4.0 vector or a CMSS
 * risk string and prints the score, the scheme's label and the common level, or with --json the
 * severity object of the issue object. */
#include <stdio.h>
#include <stdlib.h>

#include "views/view.h"
#include "cli/cli.h"
#include "core/json.h"
#include "core/nelem.h"
#include "policy/severity.h"

static int run(int argc, char **argv);

const struct cli_command cli_cmd_score = {
    .name = "score",
    .usage = "relcal score VECTOR [--json]",
    .summary = "score a CVSS v3.0/v3.1/v4.0 vector or a CMSS risk string",
    .help = "  --json   print the severity object {vector, scheme, score, label, level}\n"
            "VECTOR is CVSS:3.0/..., CVSS:3.1/..., CVSS:4.0/... or a Drupal/Mautic risk string\n"
            "such as AC:None/A:None/CI:All/II:All/E:Exploit/TD:Default (0..25 points).\n"
            "--now and -c are accepted like everywhere else and have no effect here.\n"
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
    if (cli_args_parse(&cli_cmd_score, argc, argv, opts, NELEM(opts), pos, NELEM(pos), &n_pos) < 0)
        return CLI_EXIT_USAGE;
    if (n_pos != 1) {
        cli_error(&cli_cmd_score, "missing VECTOR\nusage: %s", cli_cmd_score.usage);
        return CLI_EXIT_USAGE;
    }
    struct policy_severity s;
    char err[160];
    if (policy_severity_score(pos[0], &s, err, sizeof err) < 0) {
        /* err only echoes printable ASCII, the argument itself may hold anything: leave it out
         * of the message when it is long, the metric named in err is what the user needs. */
        cli_error(&cli_cmd_score, "invalid vector: %s", err);
        return CLI_EXIT_USAGE;
    }
    if (json) {
        json_t *o = view_severity_json(&s);
        /* 15 significant digits print one-decimal scores as written (9.8, not 9.800000000000001)
         * and still round-trip every score this command can produce. */
        char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
        if (!text)
            abort();
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
