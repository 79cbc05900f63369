/* Levelled logging to stderr (or a sink set by tests) in logfmt: one line per event,
 * `ts=... level=... msg="..." key=value ...`. The level is checked before the arguments are
 * evaluated. Never pass secrets (tokens, webhook URLs, keys) to these functions. */
#ifndef RELCAL_CORE_LOG_H
#define RELCAL_CORE_LOG_H

#include <stdbool.h>

enum log_level { LOG_LEVEL_ERROR = 0, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

typedef void (*log_sink_fn)(void *ctx, const char *line);

void log_level_set(enum log_level level);
enum log_level log_level_get(void);
/* "error", "warn", "info", "debug"; RC_EINVAL otherwise. */
int log_level_parse(const char *s, enum log_level *out);
static inline bool log_enabled(enum log_level level)
{
    return level <= log_level_get();
}
/* Routes lines (without newline) to `fn`; NULL restores stderr. */
void log_sink_set(log_sink_fn fn, void *ctx);

/* `msg` is a fixed description; `kv_fmt` (may be NULL) formats extra `key=value` pairs. */
void log_emit(enum log_level level, const char *msg, const char *kv_fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define LOG_AT(level, msg, ...)                                                                    \
    do {                                                                                           \
        if (log_enabled(level))                                                                    \
            log_emit(level, msg, __VA_ARGS__);                                                     \
    } while (0)
/* Usage: log_info("listening", "addr=%s", addr); or log_info("stopped", NULL); */
#define log_error(msg, ...) LOG_AT(LOG_LEVEL_ERROR, msg, __VA_ARGS__)
#define log_warn(msg, ...)  LOG_AT(LOG_LEVEL_WARN, msg, __VA_ARGS__)
#define log_info(msg, ...)  LOG_AT(LOG_LEVEL_INFO, msg, __VA_ARGS__)
#define log_debug(msg, ...) LOG_AT(LOG_LEVEL_DEBUG, msg, __VA_ARGS__)

#endif
