/* logfmt lines to stderr or a pluggable sink. */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/nelem.h"
#include "core/timeutil.h"

static enum log_level current_level = LOG_LEVEL_INFO;
static log_sink_fn sink_fn;
static void *sink_ctx;

void log_level_set(enum log_level level)
{
    current_level = level;
}

enum log_level log_level_get(void)
{
    return current_level;
}

int log_level_parse(const char *s, enum log_level *out)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};
    for (size_t i = 0; i < NELEM(names); i++) {
        if (s && strcmp(s, names[i]) == 0) {
            *out = (enum log_level)i;
            return 0;
        }
    }
    return RC_EINVAL;
}

void log_sink_set(log_sink_fn fn, void *ctx)
{
    sink_fn = fn;
    sink_ctx = ctx;
}

/* Appends `s` as a quoted logfmt value. */
static size_t put_quoted(char *out, size_t cap, size_t len, const char *s)
{
    if (len < cap)
        out[len] = '"';
    len++;
    for (const char *p = s; *p && len + 3 < cap; p++) {
        char c = *p;
        if (c == '"' || c == '\\') {
            out[len++] = '\\';
            out[len++] = c;
        } else if (c == '\n') {
            out[len++] = '\\';
            out[len++] = 'n';
        } else if ((unsigned char)c < 0x20) {
            out[len++] = ' ';
        } else {
            out[len++] = c;
        }
    }
    if (len < cap)
        out[len++] = '"';
    return len;
}

void log_emit(enum log_level level, const char *msg, const char *kv_fmt, ...)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};
    char line[2048];
    char ts[TIME_RFC3339_SIZE];
    time_rfc3339_format((int64_t)time(NULL), ts);
    int n = snprintf(line, sizeof line, "ts=%s level=%s msg=", ts, names[level]);
    size_t len = put_quoted(line, sizeof line, (size_t)n, msg);
    if (kv_fmt && len + 2 < sizeof line) {
        line[len++] = ' ';
        va_list ap;
        va_start(ap, kv_fmt);
        int k = vsnprintf(line + len, sizeof line - len, kv_fmt, ap);
        va_end(ap);
        if (k > 0)
            len += (size_t)k < sizeof line - len ? (size_t)k : sizeof line - len - 1;
    }
    if (len >= sizeof line)
        len = sizeof line - 1;
    line[len] = '\0';
    if (sink_fn)
        sink_fn(sink_ctx, line);
    else
        fprintf(stderr, "%s\n", line);
}
