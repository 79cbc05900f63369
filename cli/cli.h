/* The relcal command line: a const table of commands (tmux style), one file per command, and a
 * small option parser shared by all of them. Exit status: 0 success, 1 runtime failure, 2 usage
 * or config error. */
#ifndef RELCAL_CLI_CLI_H
#define RELCAL_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>

#define CLI_EXIT_OK      0
#define CLI_EXIT_FAILURE 1
#define CLI_EXIT_USAGE   2

struct cli_command {
    const char *name;
    const char *usage;                 /* "relcal score VECTOR [--json]" */
    const char *summary;               /* one line */
    const char *help;                  /* option descriptions, several lines */
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
};

/* One option: `value` receives the argument of options that take one; `flag` is set for
 * those that do not. */
struct cli_opt {
    const char *long_name; /* without "--" */
    char short_name;       /* 0 for none */
    const char **value;
    bool *flag;
};

/* Parses argv[1..] against opts (the caller's values are written as options are seen).
 * Positional arguments are collected into pos (capacity pos_cap). Prints a usage error for
 * `cmd` to stderr and returns -1 on unknown options, missing values or too many positionals. */
int cli_args_parse(const struct cli_command *cmd, int argc, char **argv, const struct cli_opt *opts,
                   size_t n_opts, const char **pos, size_t pos_cap, size_t *n_pos);

/* Prints "relcal COMMAND: message" to stderr. */
void cli_error(const struct cli_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

extern const struct cli_command cli_cmd_serve;
extern const struct cli_command cli_cmd_check;
extern const struct cli_command cli_cmd_next;
extern const struct cli_command cli_cmd_feed;
extern const struct cli_command cli_cmd_score;
extern const struct cli_command cli_cmd_token;
extern const struct cli_command cli_cmd_issues;
extern const struct cli_command cli_cmd_releases;
extern const struct cli_command cli_cmd_deliveries;

#endif
