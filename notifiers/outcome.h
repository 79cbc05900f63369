/* Pure decisions of the delivery engine: the Standard Webhooks v1 signature, and what to do with
 * an HTTP outcome (docs/CONTRACT.md "Outgoing webhooks", the notifiers issue): 2xx sent; 429 and
 * 503 wait for Retry-After (seconds or an HTTP date; Discord's JSON retry_after), at most a
 * configured maximum (default 1 h); other 5xx, timeouts and connection errors back off
 * exponentially with jitter (about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h), then
 * dead; other 4xx are dead at once, and 401/403/404/410 also disable the channel. */
#ifndef RELCAL_NOTIFIERS_OUTCOME_H
#define RELCAL_NOTIFIERS_OUTCOME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "v1,<base64 HMAC-SHA256 of id.timestamp.body>" keyed by the base64 part of a whsec_ secret.
 * RC_EINVAL for a secret that is not whsec_ + base64. out needs at least 48 bytes. */
int notify_webhook_signature(const char *secret, const char *id, int64_t timestamp,
                             const char *body, size_t body_len, char *out, size_t out_len);

enum notify_verdict {
    NOTIFY_SENT = 0,
    NOTIFY_RETRY, /* at next_attempt_at */
    NOTIFY_DEAD,
};

struct notify_decision {
    enum notify_verdict verdict;
    int64_t next_attempt_at;
    bool disable_channel;
    char error[128];
};

#define NOTIFY_MAX_ATTEMPTS 10 /* the first try and nine retries */

/* The default of the config's delivery_max_retry_after_seconds: the longest wait a receiver's
 * Retry-After (or Discord retry_after) can ask for. */
#define NOTIFY_RETRY_AFTER_MAX_DEFAULT 3600

/* status: HTTP status, or 0 for a timeout / connection error. retry_after: the header value or
 * NULL; discord_retry_after: the JSON body's retry_after in seconds, or a negative value.
 * attempts: tries made so far including this one. jitter in [0, 1) spreads retries by +-10 %.
 * max_retry_after (seconds, < 1 means the default): a longer Retry-After or retry_after is cut
 * to it, so any answer gives a next attempt in [now, now + max]; values are parsed with
 * saturating arithmetic, and one that is not a Retry-After at all ("-1", "1e300", "") gets the
 * usual backoff. next_attempt_at never overflows (it saturates at INT64_MAX). */
void notify_decide(int status, const char *retry_after, double discord_retry_after, int attempts,
                   int64_t now, double jitter, int64_t max_retry_after,
                   struct notify_decision *out);

/* Discord's rate-limit answer: the retry_after number (seconds, possibly fractional, possibly
 * absurd) of a JSON object body, or -1 when the body is not JSON or has no such number. */
double notify_discord_retry_after(const char *body, size_t len);

/* The base delay before retry number `attempt` (1 = after the first failure), in seconds. */
int64_t notify_backoff_seconds(int attempt);

#endif
