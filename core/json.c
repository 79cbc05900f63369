/* jansson helpers. */
#include "core/json.h"

#include <stdlib.h>

#include "core/timeutil.h"

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
