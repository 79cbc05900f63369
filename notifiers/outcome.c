/* Standard Webhooks signatures and delivery outcome decisions (see outcome.h). */
#include "core/nelem.h"
#include "notifiers/outcome.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "core/xalloc.h"

int notify_webhook_signature(const char *secret, const char *id, int64_t timestamp,
                             const char *body, size_t body_len, char *out, size_t out_len)
{
    if (!secret || strncmp(secret, "whsec_", 6) != 0 || out_len < 48)
        return RC_EINVAL;
    uint8_t *key;
    size_t key_len;
    if (crypto_base64_decode(secret + 6, &key, &key_len) < 0)
        return RC_EINVAL;
    char *prefix = xasprintf("%s.%lld.", id, (long long)timestamp);
    size_t pl = strlen(prefix);
    char *msg = xmalloc(pl + body_len + 1);
    memcpy(msg, prefix, pl);
    memcpy(msg + pl, body, body_len);
    uint8_t mac[CRYPTO_SHA256_SIZE];
    crypto_hmac_sha256(key, key_len, msg, pl + body_len, mac);
    char *b64 = crypto_base64_encode(mac, sizeof mac);
    snprintf(out, out_len, "v1,%s", b64);
    free(b64);
    free(msg);
    free(prefix);
    free(key);
    return 0;
}

int64_t notify_backoff_seconds(int attempt)
{
    static const int64_t steps[] = {5,         5 * 60,    30 * 60,   2 * 3600, 5 * 3600,
                                    10 * 3600, 14 * 3600, 20 * 3600, 24 * 3600};
    int n = (int)NELEM(steps);
    if (attempt < 1)
        attempt = 1;
    return steps[attempt > n ? n - 1 : attempt - 1];
}

/* now + secs without overflow (secs >= 0). */
static int64_t later(int64_t now, int64_t secs)
{
    return now > INT64_MAX - secs ? INT64_MAX : now + secs;
}

/* Retry-After: delay-seconds or an HTTP date (RFC 9110 10.2.3), optional whitespace around it.
 * *wait is the delay in seconds, saturated rather than overflowed and at most max_wait; false
 * for anything else ("-1", "1e300", "", "+5"). */
static bool parse_retry_after(const char *v, int64_t now, int64_t max_wait, int64_t *wait)
{
    if (!v)
        return false;
    while (*v == ' ' || *v == '\t')
        v++;
    size_t n = strlen(v);
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    if (n == 0)
        return false;
    size_t digits = strspn(v, "0123456789");
    if (digits >= n) {
        int64_t secs = 0;
        for (size_t i = 0; i < n && secs < INT64_MAX; i++)
            secs = secs > (INT64_MAX - 9) / 10 ? INT64_MAX : secs * 10 + (v[i] - '0');
        *wait = secs < max_wait ? secs : max_wait;
        return true;
    }
    char date[TIME_HTTP_SIZE];
    int64_t t;
    if (n >= sizeof date)
        return false;
    memcpy(date, v, n);
    date[n] = '\0';
    if (time_http_parse(date, &t) < 0)
        return false;
    /* t is within years 0..9999, so t - now overflows only for a `now` near the limits. */
    if (t <= now)
        *wait = 0;
    else if (now < 0 && t > INT64_MAX + now)
        *wait = max_wait;
    else
        *wait = t - now < max_wait ? t - now : max_wait;
    return true;
}

double notify_discord_retry_after(const char *body, size_t len)
{
    json_t *j = body && len ? json_loadb(body, len, 0, NULL) : NULL;
    json_t *v = json_object_get(j, "retry_after");
    double secs = json_is_number(v) ? json_number_value(v) : -1;
    json_decref(j);
    return isnan(secs) ? -1 : secs;
}

/* Discord's JSON retry_after (seconds, fractional) rounded up and clamped; false for a negative
 * value or NaN (no such field). */
static bool discord_wait(double v, int64_t max_wait, int64_t *wait)
{
    if (isnan(v) || v < 0)
        return false;
    *wait = v >= (double)max_wait ? max_wait : (int64_t)ceil(v);
    return true;
}

void notify_decide(int status, const char *retry_after, double discord_retry_after, int attempts,
                   int64_t now, double jitter, int64_t max_retry_after, struct notify_decision *out)
{
    memset(out, 0, sizeof *out);
    if (status >= 200 && status < 300) {
        out->verdict = NOTIFY_SENT;
        return;
    }
    bool transient = status == 0 || status == 408 || status == 429 || status >= 500;
    if (!transient) {
        out->verdict = NOTIFY_DEAD;
        out->disable_channel = status == 401 || status == 403 || status == 404 || status == 410;
        snprintf(out->error, sizeof out->error, "HTTP %d: permanent%s", status,
                 out->disable_channel ? "; channel disabled" : "");
        return;
    }
    if (attempts >= NOTIFY_MAX_ATTEMPTS) {
        out->verdict = NOTIFY_DEAD;
        snprintf(out->error, sizeof out->error, "%s after %d attempts",
                 status ? "HTTP error" : "no answer", attempts);
        return;
    }
    out->verdict = NOTIFY_RETRY;
    if (max_retry_after < 1)
        max_retry_after = NOTIFY_RETRY_AFTER_MAX_DEFAULT;
    int64_t wait;
    bool asked = status == 429 || status == 503;
    if (asked && (discord_wait(discord_retry_after, max_retry_after, &wait) ||
                  parse_retry_after(retry_after, now, max_retry_after, &wait))) {
        out->next_attempt_at = later(now, wait);
    } else {
        int64_t base = notify_backoff_seconds(attempts);
        int64_t spread = (int64_t)((double)base * 0.2 * (jitter - 0.5)); /* +-10 % */
        out->next_attempt_at = later(now, base + spread);
    }
    if (status)
        snprintf(out->error, sizeof out->error, "HTTP %d", status);
    else
        snprintf(out->error, sizeof out->error, "timeout or connection error");
}
