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

/* json_pack, checked: a format that does not match its arguments (a wrong letter, a NULL for
 * "s" or "o" without "?") is a bug, not data. Debug builds (no NDEBUG) abort with the format
 * and jansson's message; release builds log that and return NULL as jansson does (the caller's
 * item is then missing, as before, but no longer silently). Every json_pack of a file that
 * includes this header goes through it (the macro below), with the call's file and line. */
json_t *jsonx_pack_at(const char *file, int line, const char *fmt, ...);
#define json_pack(...) jsonx_pack_at(__FILE__, __LINE__, __VA_ARGS__)

#endif
