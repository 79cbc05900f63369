/* Zone files read from the system tzdata (see zone.h); parsing is policy/tzrule.c's. */
#include "config/zone.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"

#define ZONE_DIR "/usr/share/zoneinfo"

/* Zone files are a few kilobytes; anything larger is not one. */
#define TZIF_MAX_BYTES (256 * 1024)

static bool name_ok(const char *name)
{
    if (!*name || name[0] == '/' || strstr(name, "..") || strlen(name) > 60)
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '/' || *p == '_' || *p == '-' || *p == '+'))
            return false;
    return true;
}

int config_zone_load(const char *name, struct policy_zone **out)
{
    if (!name || !name_ok(name))
        return RC_ENOTFOUND;
    if (policy_zone_new(name, NULL, 0, out) == 0) /* built in: UTC */
        return 0;
    char path[128];
    snprintf(path, sizeof path, "%s/%s", ZONE_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return RC_ENOTFOUND;
    unsigned char *buf = xmalloc(TZIF_MAX_BYTES);
    size_t n = fread(buf, 1, TZIF_MAX_BYTES, f);
    int rc = RC_ENOTFOUND;
    if (!ferror(f) && n < TZIF_MAX_BYTES && policy_zone_new(name, buf, n, out) == 0)
        rc = 0;
    fclose(f);
    free(buf);
    return rc;
}
