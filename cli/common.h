/* Helpers shared by the commands: loading the config with the clock options, and formatting an
 * instant in UTC and a project's zone. */
#ifndef RELCAL_CLI_COMMON_H
#define RELCAL_CLI_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "cli/cli.h"
#include "config/config.h"
#include "core/clock.h"

/* Sets up the clock from --now / RELCAL_NOW and loads the config (-c or the lookup chain).
 * Returns CLI_EXIT_OK, or CLI_EXIT_USAGE after printing the error. */
int cli_setup(const struct cli_command *cmd, const char *config_path, const char *now_arg,
              struct core_clock *clock, struct config **cfg);

/* "2027-02-09 14:00 Europe/Berlin (UTC+01:00)" in zone `z` (a project's policy.zone, or one
 * config_zone_load resolved); "?" when z is NULL. */
void cli_format_local(const struct policy_zone *z, int64_t t, char *out, size_t len);

/* Windows of project `p` starting in [from, to), heap-allocated (caller frees *out). */
int cli_windows(const struct policy_project *p, int64_t from, int64_t to,
                struct policy_release **out, size_t *n);

#endif
