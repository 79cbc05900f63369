/* Command helpers: config + clock set-up, local time formatting, window listing. */
#include "cli/common.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "policy/cadence.h"
#include "policy/zone.h"

int cli_setup(const struct cli_command *cmd, const char *config_path, const char *now_arg,
              struct core_clock *clock, struct config **cfg)
{
    if (clock_init_from_options(clock, now_arg) < 0) {
        cli_error(cmd, "%s is not an RFC 3339 date-time such as 2027-02-09T14:00:00Z",
                  now_arg ? "--now" : "RELCAL_NOW");
        return CLI_EXIT_USAGE;
    }
    char err[1024];
    if (config_load(config_path, cfg, err, sizeof err) < 0) {
        fprintf(stderr, "relcal %s: %s\n", cmd->name, err);
        return CLI_EXIT_USAGE;
    }
    log_level_set((*cfg)->log_level);
    return CLI_EXIT_OK;
}

void cli_format_local(const struct policy_zone *z, int64_t t, char *out, size_t len)
{
    if (!z) {
        snprintf(out, len, "?");
        return;
    }
    char local[POLICY_LOCAL_TEXT_SIZE];
    policy_zone_local_text(z, t, local);
    int utc_offset = policy_zone_offset_at(z, t);
    int off = utc_offset < 0 ? -utc_offset : utc_offset;
    snprintf(out, len, "%s (UTC%c%02d:%02d)", local, utc_offset < 0 ? '-' : '+', off / 3600,
             off / 60 % 60);
}

int cli_windows(const struct policy_project *p, int64_t from, int64_t to,
                struct policy_release **out, size_t *n)
{
    return policy_cadence_windows_all(p, from, to, out, n);
}
