/* Shared by the config loader's files: the error context that builds JSON paths. */
#ifndef RELCAL_CONFIG_INTERNAL_H
#define RELCAL_CONFIG_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"

struct cfg_ctx {
    const char *source;
    char *err;
    size_t err_len;
    char path[256]; /* "$.projects[0].policy" */
};

/* Writes "SOURCE: PATH.key: message" (key may be NULL) and returns RC_ECONFIG. */
int config__fail(struct cfg_ctx *c, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends ".key" or "[i]" to the path; config__pop restores the saved length. */
size_t config__push_key(struct cfg_ctx *c, const char *key);
size_t config__push_index(struct cfg_ctx *c, size_t i);
void config__pop(struct cfg_ctx *c, size_t saved);

/* Every key of obj must be in allowed (NULL-terminated). */
int config__check_keys(struct cfg_ctx *c, json_t *obj, const char *const *allowed);
int config__get_string(struct cfg_ctx *c, json_t *obj, const char *key, bool required,
                       const char **out);
int config__get_int(struct cfg_ctx *c, json_t *obj, const char *key, long min, long max, long *out);
int config__get_bool(struct cfg_ctx *c, json_t *obj, const char *key, bool *out);
/* A secret given as key, key_env or key_file (exactly one); *out is NULL when absent and not
 * required. Caller frees *out. */
int config__get_secret(struct cfg_ctx *c, json_t *obj, const char *key, bool required, char **out);

/* Calls fn for each element of the array parent[key], with the path set to "key[i]"; an absent
 * key is fine unless required. Refuses a non-array and more than `max` elements (0: no limit).
 * Stops at the first error and returns it. */
typedef int (*cfg_elem_fn)(struct cfg_ctx *c, json_t *elem, void *ud);
int config__each(struct cfg_ctx *c, json_t *parent, const char *key, bool required, size_t max,
                 cfg_elem_fn fn, void *ud);

int config__parse_channels(struct cfg_ctx *c, json_t *project, struct config_project *p);
void config__channel_clear(struct config_channel *ch);
int config__parse_checklist(struct cfg_ctx *c, json_t *project, struct config_project *p);
void config__checklist_clear(struct config_project *p);
int config__parse_policy(struct cfg_ctx *c, json_t *obj, struct policy_rules *r);
bool config__valid_url(const char *url, bool allow_http);
/* osv_id_prefix, package_name, package_ecosystem, csaf_publisher (config/advisory_docs.c). */
int config__parse_advisory_docs(struct cfg_ctx *c, json_t *project, struct config_project *p);

#endif
