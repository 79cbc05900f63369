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
int cfg_fail(struct cfg_ctx *c, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends ".key" or "[i]" to the path; cfg_pop restores the saved length. */
size_t cfg_push_key(struct cfg_ctx *c, const char *key);
size_t cfg_push_index(struct cfg_ctx *c, size_t i);
void cfg_pop(struct cfg_ctx *c, size_t saved);

/* Every key of obj must be in allowed (NULL-terminated). */
int cfg_check_keys(struct cfg_ctx *c, json_t *obj, const char *const *allowed);
int cfg_get_string(struct cfg_ctx *c, json_t *obj, const char *key, bool required,
                   const char **out);
int cfg_get_int(struct cfg_ctx *c, json_t *obj, const char *key, long min, long max, long *out);
int cfg_get_bool(struct cfg_ctx *c, json_t *obj, const char *key, bool *out);
/* A secret given as key, key_env or key_file (exactly one); *out is NULL when absent and not
 * required. Caller frees *out. */
int cfg_get_secret(struct cfg_ctx *c, json_t *obj, const char *key, bool required, char **out);

/* Calls fn for each element of the array parent[key], with the path set to "key[i]"; an absent
 * key is fine unless required. Refuses a non-array and more than `max` elements (0: no limit).
 * Stops at the first error and returns it. */
typedef int (*cfg_elem_fn)(struct cfg_ctx *c, json_t *elem, void *ud);
int cfg_each(struct cfg_ctx *c, json_t *parent, const char *key, bool required, size_t max,
             cfg_elem_fn fn, void *ud);

int cfg_parse_channels(struct cfg_ctx *c, json_t *project, struct config_project *p);
void cfg_channel_clear(struct config_channel *ch);
int cfg_parse_checklist(struct cfg_ctx *c, json_t *project, struct config_project *p);
void cfg_checklist_clear(struct config_project *p);
int cfg_parse_policy(struct cfg_ctx *c, json_t *obj, struct policy_rules *r);
bool cfg_valid_url(const char *url, bool allow_http);
/* osv_id_prefix, package_name, package_ecosystem, csaf_publisher (config/advisory_docs.c). */
int cfg_parse_advisory_docs(struct cfg_ctx *c, json_t *project, struct config_project *p);

#endif
