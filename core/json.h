/* Small helpers around jansson shared by config, server and notifiers. The prefix `jsonx_`
 * keeps clear of jansson's own `json_` names. */
#ifndef RELCAL_CORE_JSON_H
#define RELCAL_CORE_JSON_H

#include <jansson.h>
#include <stdint.h>

/* Compact UTF-8 serialisation with keys in insertion order; caller frees. */
char *jsonx_dump(const json_t *j);
/* New JSON string of an RFC 3339 UTC instant, or JSON null when t == INT64_MIN. */
json_t *jsonx_time(int64_t t);
/* New JSON string, or JSON null when s is NULL. */
json_t *jsonx_string_or_null(const char *s);

#endif
