/* `relcal token`: a new random API token and the config line holding only its SHA-256. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/crypto.h"

static int run(int argc, char **argv);

const struct cli_command cli_cmd_token = {
    .name = "token",
    .usage = "relcal token [--name NAME] [--role reader|manager|admin]",
    .summary = "print a new random API token and the SHA-256 line for the config",
    .help = "  --name NAME   name to put in the config line (default \"new-token\")\n"
            "  --role ROLE   reader, manager or admin (default manager)\n",
    .run = run,
};

static int run(int argc, char **argv)
{
    const char *name = "new-token", *role = "manager", *now = NULL, *cfg = NULL;
    const struct cli_opt opts[] = {
        {"name", 0, &name, NULL},
        {"role", 0, &role, NULL},
        {"now", 0, &now, NULL},
        {"config", 'c', &cfg, NULL},
    };
    size_t n_pos;
    if (cli_args_parse(&cli_cmd_token, argc, argv, opts, 4, NULL, 0, &n_pos) < 0)
        return CLI_EXIT_USAGE;
    if (strcmp(role, "reader") != 0 && strcmp(role, "manager") != 0 && strcmp(role, "admin") != 0) {
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
    char hash[CRYPTO_SHA256_HEX_SIZE];
    crypto_sha256_hex(token, strlen(token), hash);
    printf("token:  %s\n", token);
    printf("config: {\"name\": \"%s\", \"role\": \"%s\", \"sha256\": \"%s\"}\n", name, role, hash);
    printf(
        "Keep the token secret; only its SHA-256 goes into the \"tokens\" list of the config.\n");
    return CLI_EXIT_OK;
}
