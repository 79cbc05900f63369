/* "a|b|c" lists (see choices.h). */
#include "core/choices.h"

#include <string.h>

bool choices_next(const char **cursor, const char **item, size_t *len)
{
    const char *p = *cursor;
    if (!p || !*p)
        return false;
    size_t k = strcspn(p, "|");
    *item = p;
    *len = k;
    *cursor = p + k + (p[k] == '|');
    return true;
}

bool choices_has(const char *list, const char *v)
{
    size_t n = strlen(v), len;
    const char *item;
    for (const char *p = list; n && choices_next(&p, &item, &len);)
        if (len == n && strncmp(item, v, n) == 0)
            return true;
    return false;
}
