/* A tiny long/short option parser (getopt_long is a GNU extension; we build with plain
 * POSIX). Accepts "--name value", "--name=value", "-x value" and "--" to end options. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

void cli_error(const struct cli_command *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "relcal %s: ", cmd->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static const struct cli_opt *find_long(const struct cli_opt *opts, size_t n, const char *name,
                                       size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (opts[i].long_name && strlen(opts[i].long_name) == len &&
            strncmp(opts[i].long_name, name, len) == 0)
            return &opts[i];
    return NULL;
}

static const struct cli_opt *find_short(const struct cli_opt *opts, size_t n, char c)
{
    for (size_t i = 0; i < n; i++)
        if (opts[i].short_name && opts[i].short_name == c)
            return &opts[i];
    return NULL;
}

int cli_args_parse(const struct cli_command *cmd, int argc, char **argv, const struct cli_opt *opts,
                   size_t n_opts, const char **pos, size_t pos_cap, size_t *n_pos)
{
    size_t np = 0;
    bool only_positional = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const struct cli_opt *o = NULL;
        const char *inline_value = NULL;
        if (!only_positional && strcmp(a, "--") == 0) {
            only_positional = true;
            continue;
        }
        if (!only_positional && a[0] == '-' && a[1] == '-') {
            const char *eq = strchr(a + 2, '=');
            size_t len = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
            o = find_long(opts, n_opts, a + 2, len);
            inline_value = eq ? eq + 1 : NULL;
        } else if (!only_positional && a[0] == '-' && a[1] && !a[2]) {
            o = find_short(opts, n_opts, a[1]);
        } else {
            if (np >= pos_cap) {
                cli_error(cmd, "unexpected argument '%s'\nusage: %s", a, cmd->usage);
                return -1;
            }
            pos[np++] = a;
            continue;
        }
        if (!o) {
            cli_error(cmd, "unknown option '%s'\nusage: %s", a, cmd->usage);
            return -1;
        }
        if (o->value) {
            if (!inline_value) {
                if (i + 1 >= argc) {
                    cli_error(cmd, "option '%s' needs a value\nusage: %s", a, cmd->usage);
                    return -1;
                }
                inline_value = argv[++i];
            }
            *o->value = inline_value;
        } else {
            if (inline_value) {
                cli_error(cmd, "option '%s' takes no value", a);
                return -1;
            }
            *o->flag = true;
        }
    }
    *n_pos = np;
    return 0;
}
