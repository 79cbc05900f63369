/* relcal serve: placeholder until its issue lands. */
#include <stdio.h>

#include "cli/cli.h"

static int run(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "relcal serve: not available in this build yet\n");
    return CLI_EXIT_FAILURE;
}

const struct cli_command cli_cmd_serve = {
    .name = "serve",
    .usage = "relcal serve",
    .summary = "(not available yet)",
    .help = "",
    .run = run,
};
