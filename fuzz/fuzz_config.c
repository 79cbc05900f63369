/* libFuzzer target: the strict JSON config loader (config_load_string) on the input text, and
 * the lookups every command does on a config that loaded. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    struct config *cfg = NULL;
    char err[512];
    if (config_load_string(text, "fuzz.json", &cfg, err, sizeof err) == 0) {
        for (size_t i = 0; i < cfg->n_projects; i++)
            if (config_project_find(cfg, cfg->projects[i].policy.id) != &cfg->projects[i])
                abort(); /* project ids are unique: each is found by its own */
        config_free(cfg);
    } else if (err[0] == '\0') {
        abort(); /* every refusal carries a message */
    }
    free(text);
    return 0;
}
