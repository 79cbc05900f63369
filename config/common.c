/* Error paths and typed getters for the strict config loader. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/internal.h"
#include "core/err.h"
#include "core/xalloc.h"

int config__fail(struct cfg_ctx *c, const char *key, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->err && c->err_len)
        snprintf(c->err, c->err_len, "%s: %s%s%s: %s", c->source, c->path, key ? "." : "",
                 key ? key : "", msg);
    return RC_ECONFIG;
}

size_t config__push_key(struct cfg_ctx *c, const char *key)
{
    size_t saved = strlen(c->path);
    snprintf(c->path + saved, sizeof c->path - saved, ".%s", key);
    return saved;
}

size_t config__push_index(struct cfg_ctx *c, size_t i)
{
    size_t saved = strlen(c->path);
    snprintf(c->path + saved, sizeof c->path - saved, "[%zu]", i);
    return saved;
}

void config__pop(struct cfg_ctx *c, size_t saved)
{
    c->path[saved] = '\0';
}

int config__check_keys(struct cfg_ctx *c, json_t *obj, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, key) == 0;
        if (!ok)
            return config__fail(c, key, "unknown key");
    }
    return 0;
}

int config__get_string(struct cfg_ctx *c, json_t *obj, const char *key, bool required,
                       const char **out)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required)
            return config__fail(c, key, "required key is missing");
        *out = NULL;
        return 0;
    }
    if (!json_is_string(v))
        return config__fail(c, key, "must be a string");
    if (json_string_length(v) == 0)
        return config__fail(c, key, "must not be empty");
    if (strlen(json_string_value(v)) != json_string_length(v))
        return config__fail(c, key, "must not contain NUL characters");
    *out = json_string_value(v);
    return 0;
}

int config__get_int(struct cfg_ctx *c, json_t *obj, const char *key, long min, long max, long *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return 0; /* keep the default */
    if (!json_is_integer(v))
        return config__fail(c, key, "must be an integer");
    json_int_t n = json_integer_value(v);
    if (n < min || n > max)
        return config__fail(c, key, "must be between %ld and %ld, not %lld", min, max,
                            (long long)n);
    *out = (long)n;
    return 0;
}

int config__get_bool(struct cfg_ctx *c, json_t *obj, const char *key, bool *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return 0;
    if (!json_is_boolean(v))
        return config__fail(c, key, "must be true or false");
    *out = json_is_true(v);
    return 0;
}

#define SECRET_FILE_MAX (64 * 1024)

static int read_secret_file(struct cfg_ctx *c, const char *key, const char *path, char **out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return config__fail(c, key, "cannot read %s: %s", path, strerror(errno));
    char *buf = xmalloc(SECRET_FILE_MAX + 2);
    size_t n = fread(buf, 1, SECRET_FILE_MAX + 1, f);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return config__fail(c, key, "cannot read %s", path);
    }
    if (n > SECRET_FILE_MAX) {
        free(buf);
        return config__fail(c, key, "%s is larger than 64 KiB", path);
    }
    buf[n] = '\0';
    if (n > 0 && buf[n - 1] == '\n')
        buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '\r')
        buf[--n] = '\0';
    if (n == 0 || strlen(buf) != n) {
        free(buf);
        return config__fail(c, key, "%s is empty or contains NUL bytes", path);
    }
    *out = buf;
    return 0;
}

int config__get_secret(struct cfg_ctx *c, json_t *obj, const char *key, bool required, char **out)
{
    char k_env[64], k_file[64];
    snprintf(k_env, sizeof k_env, "%s_env", key);
    snprintf(k_file, sizeof k_file, "%s_file", key);
    const char *inline_v, *env_name, *file;
    int rc;
    if ((rc = config__get_string(c, obj, key, false, &inline_v)) < 0 ||
        (rc = config__get_string(c, obj, k_env, false, &env_name)) < 0 ||
        (rc = config__get_string(c, obj, k_file, false, &file)) < 0)
        return rc;
    int given = !!inline_v + !!env_name + !!file;
    if (given > 1)
        return config__fail(c, key, "give only one of %s, %s and %s", key, k_env, k_file);
    if (given == 0) {
        if (required)
            return config__fail(c, key, "required: give %s, %s or %s", key, k_env, k_file);
        *out = NULL;
        return 0;
    }
    if (inline_v) {
        *out = xstrdup(inline_v);
        return 0;
    }
    if (env_name) {
        const char *v = getenv(env_name);
        if (!v || !*v)
            return config__fail(c, k_env, "environment variable %s is not set or empty", env_name);
        *out = xstrdup(v);
        return 0;
    }
    return read_secret_file(c, k_file, file, out);
}

bool config__valid_url(const char *url, bool allow_http)
{
    const char *rest;
    if (strncmp(url, "https://", 8) == 0)
        rest = url + 8;
    else if (allow_http && strncmp(url, "http://", 7) == 0)
        rest = url + 7;
    else
        return false;
    if (!*rest || strchr("/?#:", *rest)) /* no host */
        return false;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= ' ' || *p == 0x7f || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
            return false;
    return true;
}

int config__each(struct cfg_ctx *c, json_t *parent, const char *key, bool required, size_t max,
                 cfg_elem_fn fn, void *ud)
{
    json_t *arr = json_object_get(parent, key);
    if (!arr)
        return required ? config__fail(c, key, "required key is missing") : 0;
    size_t saved = config__push_key(c, key);
    int rc = 0;
    if (!json_is_array(arr) || (required && json_array_size(arr) == 0)) {
        rc = config__fail(c, NULL, required ? "must be a non-empty array" : "must be an array");
    } else if (max && json_array_size(arr) > max) {
        rc = config__fail(c, NULL, "at most %zu entries", max);
    } else {
        size_t i;
        json_t *elem;
        json_array_foreach(arr, i, elem)
        {
            size_t s2 = config__push_index(c, i);
            rc =
                json_is_object(elem) ? fn(c, elem, ud) : config__fail(c, NULL, "must be an object");
            config__pop(c, s2);
            if (rc < 0)
                break;
        }
    }
    config__pop(c, saved);
    return rc;
}
