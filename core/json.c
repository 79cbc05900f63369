/* jansson helpers. */
#include "core/json.h"

#include <stdarg.h>
#include <stdlib.h>

#include "core/log.h"
#include "core/timeutil.h"

json_t *jsonx_pack_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    json_error_t err;
    va_start(ap, fmt);
    json_t *j = json_vpack_ex(&err, 0, fmt, ap);
    va_end(ap);
    if (!j) {
        log_error("json_pack failed", "at=%s:%d format=\"%s\" error=\"%s\"", file, line, fmt,
                  err.text);
#ifndef NDEBUG
        abort();
#endif
    }
    return j;
}

char *jsonx_dump(const json_t *j)
{
    /* 15 significant digits: 9.8 prints as 9.8, not 9.8000000000000007. */
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY |
                                JSON_REAL_PRECISION(15));
    if (!s)
        abort();
    return s;
}

json_t *jsonx_time(int64_t t)
{
    if (t == INT64_MIN)
        return json_null();
    char buf[TIME_RFC3339_SIZE];
    time_rfc3339_format(t, buf);
    return json_string(buf);
}

json_t *jsonx_string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}
