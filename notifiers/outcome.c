/* Standard Webhooks signatures and delivery outcome decisions (see outcome.h). */
#include "notifiers/outcome.h"

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
    int n = (int)(sizeof steps / sizeof steps[0]);
    if (attempt < 1)
        attempt = 1;
    return steps[attempt > n ? n - 1 : attempt - 1];
}

/* Retry-After: delay-seconds or an HTTP date (RFC 9110 10.2.3). */
static bool parse_retry_after(const char *v, int64_t now, int64_t *at)
{
    if (!v)
        return false;
    char *end;
    long long secs = strtoll(v, &end, 10);
    if (end != v && *end == '\0' && secs >= 0) {
        *at = now + secs;
        return true;
    }
    int64_t t;
    if (time_http_parse(v, &t) == 0) {
        *at = t > now ? t : now;
        return true;
    }
    return false;
}

void notify_decide(int status, const char *retry_after, double discord_retry_after, int attempts,
                   int64_t now, double jitter, struct notify_decision *out)
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
    int64_t at;
    if ((status == 429 || status == 503) && discord_retry_after >= 0) {
        out->next_attempt_at = now + (int64_t)ceil(discord_retry_after);
    } else if ((status == 429 || status == 503) && parse_retry_after(retry_after, now, &at)) {
        out->next_attempt_at = at;
    } else {
        int64_t base = notify_backoff_seconds(attempts);
        int64_t spread = (int64_t)((double)base * 0.2 * (jitter - 0.5)); /* +-10 % */
        out->next_attempt_at = now + base + spread;
    }
    if (status)
        snprintf(out->error, sizeof out->error, "HTTP %d", status);
    else
        snprintf(out->error, sizeof out->error, "timeout or connection error");
}
