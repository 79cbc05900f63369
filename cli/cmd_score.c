/* relcal score: placeholder until its issue lands. */
#include <stdio.h>

#include "cli/cli.h"

static int run(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "relcal score: not available in this build yet\n");
    return CLI_EXIT_FAILURE;
}

const struct cli_command cli_cmd_score = {
    .name = "score",
    .usage = "relcal score",
    .summary = "(not available yet)",
    .help = "",
    .run = run,
};
