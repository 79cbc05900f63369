/* relcal entry point: dispatches to the command table. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/nelem.h"

#ifndef RELCAL_VERSION
#define RELCAL_VERSION "0.0.0"
#endif

static const struct cli_command *const commands[] = {
    &cli_cmd_serve, &cli_cmd_check,  &cli_cmd_next,     &cli_cmd_feed,       &cli_cmd_score,
    &cli_cmd_token, &cli_cmd_issues, &cli_cmd_releases, &cli_cmd_deliveries,
};
#define N_COMMANDS NELEM(commands)

static const struct cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

static void usage(FILE *f)
{
    fprintf(f,
            "relcal %s: security release-cycle scheduler and disclosure calendar\n\n"
            "usage: relcal COMMAND [OPTIONS]\n\ncommands:\n",
            RELCAL_VERSION);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(f, "\nEvery command accepts --now RFC3339 (or RELCAL_NOW) and -c FILE.\n"
               "relcal help COMMAND shows the options of one command.\n");
}

static int help_command(const char *name)
{
    const struct cli_command *c = find_command(name);
    if (!c) {
        fprintf(stderr, "relcal help: unknown command '%s'\n", name);
        return CLI_EXIT_USAGE;
    }
    printf("usage: %s\n\n%s\n", c->usage, c->summary);
    if (c->help && *c->help)
        printf("\n%s", c->help);
    return CLI_EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("relcal %s\n", RELCAL_VERSION);
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "help") == 0) {
        if (argc < 3) {
            usage(stdout);
            return CLI_EXIT_OK;
        }
        return help_command(argv[2]);
    }
    const struct cli_command *c = find_command(name);
    if (!c) {
        fprintf(stderr, "relcal: unknown command '%s'\n\n", name);
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return help_command(name);
    }
    return c->run(argc - 1, argv + 1);
}
