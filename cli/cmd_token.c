/* `relcal token`: a new random API token and the config line holding only its SHA-256; with
 * --create the token is stored (its hash) in the local database instead, so a lost first admin
 * token is not a dead end. */
#include <stdio.h>
#include <string.h>

#include <time.h>
#include <unistd.h>

#include "cli/common.h"
#include "core/crypto.h"
#include "core/nelem.h"
#include "core/timeutil.h"
#include "store/store.h"

static int run(int argc, char **argv);

const struct cli_command cli_cmd_token = {
    .name = "token",
    .usage = "relcal token [--name NAME] [--role reader|manager|admin] [--create] [--db PATH] "
             "[-c FILE]",
    .summary = "print a new random API token and the SHA-256 line for the config",
    .help = "  --name NAME   name to put in the config line (default \"new-token\"; with\n"
            "                --create \"ROLE-YYYYMMDDTHHMMSSZ\")\n"
            "  --role ROLE   reader, manager or admin (default manager)\n"
            "  --create      store the token in the local database (run as the service's user);\n"
            "                the service accepts it after a reload (SIGHUP) or restart\n"
            "  --db PATH     with --create: the database (default: the config's database)\n"
            "  -c FILE       with --create: the config file naming the database\n",
    .run = run,
};

static int create_token(const char *token, const char *name, const char *role, const char *cfg_path,
                        const char *now_arg, const char *db)
{
    struct core_clock clock;
    struct config *cfg;
    int ex = cli_setup(&cli_cmd_token, cfg_path, now_arg, &clock, &cfg);
    if (ex != CLI_EXIT_OK)
        return ex;
    const char *path = db ? db : cfg->database;
    int64_t now = clock_now(&clock);
    char made_name[64];
    if (!name) {
        char at[TIME_RFC3339_SIZE];
        time_rfc3339_format(now, at);
        /* "admin-20261124T120000Z" */
        size_t k = 0;
        k += (size_t)snprintf(made_name, sizeof made_name, "%s-", role);
        for (const char *p = at; *p && k + 1 < sizeof made_name; p++)
            if (*p != '-' && *p != ':')
                made_name[k++] = *p;
        made_name[k] = '\0';
        name = made_name;
    }
    struct store *store = NULL;
    /* Never create a database here: the token belongs to an existing service's state. */
    if (access(path, F_OK) != 0 || store_open(path, &store) < 0) {
        cli_error(&cli_cmd_token,
                  "cannot open the database %s (run as the service's user, or "
                  "give --db)",
                  path);
        config_free(cfg);
        return CLI_EXIT_FAILURE;
    }
    uint8_t hash[32];
    crypto_sha256(token, strlen(token), hash);
    int rc = store_token_add(store, name, role, hash, now);
    store_close(store);
    config_free(cfg);
    if (rc < 0) {
        cli_error(&cli_cmd_token,
                  "cannot store the token '%s' in %s (a token of this name "
                  "exists, or the database is read-only)",
                  name, path);
        return CLI_EXIT_FAILURE;
    }
    printf("token:  %s\n", token);
    printf("stored: name \"%s\", role %s, in %s (only its SHA-256)\n", name, role, path);
    printf("Keep the token secret; it is shown only this once. The running service accepts it "
           "after a reload (systemctl reload relcal, or SIGHUP) or a restart.\n");
    return CLI_EXIT_OK;
}

static int run(int argc, char **argv)
{
    const char *name = NULL, *role = "manager", *now = NULL, *cfg = NULL, *db = NULL;
    bool create = false;
    const struct cli_opt opts[] = {
        {"name", 0, &name, NULL},    {"role", 0, &role, NULL},     {"now", 0, &now, NULL},
        {"config", 'c', &cfg, NULL}, {"create", 0, NULL, &create}, {"db", 0, &db, NULL},
    };
    size_t n_pos;
    if (cli_args_parse(&cli_cmd_token, argc, argv, opts, NELEM(opts), NULL, 0, &n_pos) < 0)
        return CLI_EXIT_USAGE;
    enum config_role parsed;
    if (config_role_parse(role, &parsed) < 0) {
        cli_error(&cli_cmd_token, "--role must be reader, manager or admin, not '%s'", role);
        return CLI_EXIT_USAGE;
    }
    uint8_t raw[32];
    if (crypto_random(raw, sizeof raw) < 0) {
        cli_error(&cli_cmd_token, "no random bytes available");
        return CLI_EXIT_FAILURE;
    }
    char token[8 + 2 * sizeof raw + 1] = "relcal_";
    crypto_hex_encode(raw, sizeof raw, token + 7);
    if (create)
        return create_token(token, name, role, cfg, now, db);
    if (!name)
        name = "new-token";
    char hash[CRYPTO_SHA256_HEX_SIZE];
    crypto_sha256_hex(token, strlen(token), hash);
    printf("token:  %s\n", token);
    printf("config: {\"name\": \"%s\", \"role\": \"%s\", \"sha256\": \"%s\"}\n", name, role, hash);
    printf(
        "Keep the token secret; only its SHA-256 goes into the \"tokens\" list of the config.\n");
    return CLI_EXIT_OK;
}
