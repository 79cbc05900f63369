/* `relcal check`: validates the config and prints each project's effective policy and its next
 * four windows. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/common.h"
#include "core/err.h"
#include "core/nelem.h"
#include "core/timeutil.h"
#include "notifiers/pgp.h"
#include "policy/rules.h"

static int run(int argc, char **argv);

const struct cli_command cli_cmd_check = {
    .name = "check",
    .usage = "relcal check [-c FILE] [--now RFC3339]",
    .summary = "validate the config; print each project's effective policy and next windows",
    .help =
        "  -c FILE      config file (default ./relcal.json, /etc/relcal/relcal.json, embedded)\n"
        "  --now TIME   act as if it were TIME (also RELCAL_NOW)\n"
        "Exit status 2 with FILE: JSON-PATH: message when the config is invalid, or when an\n"
        "OpenPGP key of an e-mail channel is missing, expired or unusable (a key that expires\n"
        "within 30 days is a warning).\n",
    .run = run,
};

/* The static export (docs/CONTRACT.md "Static export") writes into export_dir on every change:
 * a directory that is missing, not a directory or not writable by this user is a configuration
 * error here rather than a warning in the service's log later. Returns 0 when usable. */
static int check_export_dir(const struct config *cfg)
{
    const char *dir = cfg->export_dir;
    struct stat st;
    if (stat(dir, &st) < 0) {
        fprintf(stderr, "relcal check: %s: $.export_dir: %s %s\n", cfg->source, dir,
                errno == ENOENT ? "does not exist (create it, writable by the service's user)"
                                : strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        fprintf(stderr, "relcal check: %s: $.export_dir: %s is not a directory\n", cfg->source,
                dir);
        return -1;
    }
    if (access(dir, W_OK | X_OK) < 0) {
        fprintf(stderr,
                "relcal check: %s: $.export_dir: %s is not writable: %s (the service runs as the "
                "user relcal with ProtectSystem=strict: a directory outside /var/lib/relcal must "
                "belong to relcal and be listed in ReadWritePaths= of a drop-in, see "
                "docs/OPERATIONS.md)\n",
                cfg->source, dir, strerror(errno));
        return -1;
    }
    return 0;
}

struct key_report {
    const struct config *cfg;
    const struct config_project *p;
    const struct config_channel *ch;
};

static void key_report(void *ud, bool warning, const char *message)
{
    const struct key_report *r = ud;
    fprintf(stderr, "relcal check: %s%s: project %s, channel %s: %s\n", warning ? "warning: " : "",
            r->cfg->source, r->p->policy.id, r->ch->name, message);
}

/* The OpenPGP keys of every e-mail channel (docs/CONTRACT.md "OpenPGP"): the number of keys
 * that are missing, expired or unusable at `now`. */
static int check_keys(const struct config *cfg, int64_t now)
{
    int errors = 0;
    for (size_t i = 0; i < cfg->n_projects; i++)
        for (size_t c = 0; c < cfg->projects[i].n_channels; c++) {
            struct key_report r = {cfg, &cfg->projects[i], &cfg->projects[i].channels[c]};
            errors += notify_pgp_check(r.ch, now, key_report, &r);
        }
    return errors;
}

static void print_policy(const struct config_project *cp)
{
    const struct policy_project *p = &cp->policy;
    const struct policy_rules *r = &p->rules;
    printf("project %s (%s), time zone %s\n", p->id, p->name, p->timezone);
    printf("  cadence                 %s at %02d:%02d local, %d minutes\n", r->cadence,
           r->release_minute / 60, r->release_minute % 60, r->release_duration_minutes);
    printf("  holidays                %zu\n", r->n_holidays);
    printf("  readiness cut-off       %d days before\n", r->readiness_cutoff_days);
    printf("  pre-announcement        %d days before\n", r->pre_announcement_days);
    printf("  distributor notice      %d days before (reminder %d hours before)\n",
           r->distributor_notice_days, r->distributor_reminder_hours);
    printf("  maximum embargo         %d days\n", r->max_embargo_days);
    printf("  out-of-sequence         %d days' notice, at least one %s issue\n",
           r->out_of_sequence_notice_days, policy_level_name(r->out_of_sequence_min_level));
    printf("  response deadlines      acknowledge %d h, respond %d d, resolve %d d\n",
           r->sla.acknowledge_hours, r->sla.respond_days, r->sla.resolve_days);
    printf("  deadline extensions     at most %d days in total\n", r->sla_extension_max_days);
    printf("  CVE recommended from    CVSS %.1f\n", r->cve_request_min_cvss);
    printf("  horizon                 %d months\n", r->horizon_months);
    printf("  release dates           at most %d years ahead\n", r->max_release_horizon_years);
    for (size_t b = 0; b < p->n_branches; b++) {
        char eol[TIME_DATE_SIZE] = "none";
        if (p->branches[b].eol_day != POLICY_TIME_NONE)
            time_date_format(p->branches[b].eol_day, eol);
        printf("  branch %-16s %s (end of life: %s)\n", p->branches[b].name, p->branches[b].version,
               eol);
    }
    for (size_t c = 0; c < cp->n_channels; c++)
        printf("  channel %-15s %s, audience %s\n", cp->channels[c].name,
               config_channel_type_name(cp->channels[c].type),
               config_audience_name(cp->channels[c].audience));
}

static int run(int argc, char **argv)
{
    const char *cfg_path = NULL, *now_arg = NULL;
    const struct cli_opt opts[] = {{"config", 'c', &cfg_path, NULL}, {"now", 0, &now_arg, NULL}};
    size_t n_pos;
    if (cli_args_parse(&cli_cmd_check, argc, argv, opts, NELEM(opts), NULL, 0, &n_pos) < 0)
        return CLI_EXIT_USAGE;
    struct core_clock clock;
    struct config *cfg;
    int ex = cli_setup(&cli_cmd_check, cfg_path, now_arg, &clock, &cfg);
    if (ex != CLI_EXIT_OK)
        return ex;
    if (cfg->export_dir && check_export_dir(cfg) < 0) {
        config_free(cfg);
        return CLI_EXIT_USAGE;
    }
    int64_t now = clock_now(&clock);
    if (check_keys(cfg, now) > 0)
        ex = CLI_EXIT_USAGE;
    printf("config %s is valid: %zu project%s, %zu token%s\n", cfg->source, cfg->n_projects,
           cfg->n_projects == 1 ? "" : "s", cfg->n_tokens, cfg->n_tokens == 1 ? "" : "s");
    if (cfg->export_dir)
        printf("static feed export to %s\n", cfg->export_dir);
    printf("\n");
    for (size_t i = 0; i < cfg->n_projects; i++) {
        const struct config_project *cp = &cfg->projects[i];
        print_policy(cp);
        const struct policy_rules *ru = &cp->policy.rules;
        if (ru->out_of_sequence_notice_days < POLICY_SHORT_NOTICE_DAYS)
            fprintf(stderr,
                    "relcal check: warning: project %s: out_of_sequence_notice_days is %d, below "
                    "%d (allowed by allow_short_notice): distributors may get very short notice\n",
                    cp->policy.id, ru->out_of_sequence_notice_days, POLICY_SHORT_NOTICE_DAYS);
        struct policy_release *w;
        size_t n;
        int rc = cli_windows(&cp->policy, now, now + 3653 * (int64_t)SECONDS_PER_DAY, &w, &n);
        if (rc < 0) {
            cli_error(&cli_cmd_check, "project %s: cannot expand the cadence: %s", cp->policy.id,
                      rc_strerror(rc));
            ex = CLI_EXIT_FAILURE;
            continue;
        }
        printf("  next windows:\n");
        for (size_t k = 0; k < n && k < 4; k++) {
            char start[TIME_RFC3339_SIZE], cutoff[TIME_RFC3339_SIZE], local[96];
            time_rfc3339_format(w[k].starts_at, start);
            time_rfc3339_format(w[k].cutoff_at, cutoff);
            cli_format_local(cp->policy.zone, w[k].starts_at, local, sizeof local);
            printf("    %s  %s  %s  cut-off %s\n", w[k].id, start, local, cutoff);
        }
        free(w);
        printf("\n");
    }
    config_free(cfg);
    return ex;
}
