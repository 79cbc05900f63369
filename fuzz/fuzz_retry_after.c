/* libFuzzer target: the receivers' rate-limit answers (notifiers/outcome.h): a Retry-After header
 * (delay-seconds or an HTTP date) and Discord's JSON retry_after, through notify_decide with any
 * clock, attempt count and configured maximum. Checks what the header promises: no overflow
 * (UBSan aborts on one), a retry never before now and never later than now + the maximum (or,
 * for an answer that is not a Retry-After, the usual backoff), saturating at INT64_MAX, and
 * small delay-seconds honoured exactly. */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "notifiers/outcome.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int64_t sat_add(int64_t a, int64_t b) /* b >= 0 */
{
    return a > INT64_MAX - b ? INT64_MAX : a + b;
}

/* An independent reading of the simplest Retry-After: optional spaces and tabs around 1 to 6
 * digits. -1 for anything else. */
static int64_t small_delay(const char *v)
{
    size_t a = strspn(v, " \t"), n = strlen(v);
    while (n > a && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    if (n == a || n - a > 6 || strspn(v + a, "0123456789") < n - a)
        return -1;
    return strtol(v + a, NULL, 10);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* byte 0: status, 1: attempts, 2..9: now, 10..12: maximum (0 = default), 13: jitter; then
     * the Retry-After value up to the first \n and the Discord body after it. */
    if (size < 14)
        return 0;
    static const int statuses[] = {429, 503, 500, 0, 408, 200, 404};
    int status = statuses[data[0] % 7];
    int attempts = 1 + data[1] % NOTIFY_MAX_ATTEMPTS;
    uint64_t u = 0;
    for (int i = 0; i < 8; i++)
        u = u << 8 | data[2 + i];
    int64_t now;
    memcpy(&now, &u, sizeof now);
    int64_t max = (int64_t)(((uint32_t)data[10] << 16 | (uint32_t)data[11] << 8 | data[12]) %
                            86401); /* the config's range 1..86400, 0: the default */
    double jitter = data[13] / 256.0;
    size_t rest = size - 14;
    char *text = malloc(rest + 1);
    memcpy(text, data + 14, rest);
    text[rest] = '\0';
    char *nl = memchr(text, '\n', rest);
    const char *body = nl ? nl + 1 : NULL;
    size_t body_len = nl ? rest - (size_t)(nl + 1 - text) : 0;
    if (nl)
        *nl = '\0';
    const char *header = text[0] == '\x01' ? NULL : text; /* \x01: no Retry-After header */

    double discord = body ? notify_discord_retry_after(body, body_len) : -1;
    if (isnan(discord))
        abort();
    struct notify_decision d;
    notify_decide(status, header, discord, attempts, now, jitter, max, &d);
    if (!memchr(d.error, '\0', sizeof d.error))
        abort();
    int64_t limit = max ? max : NOTIFY_RETRY_AFTER_MAX_DEFAULT;
    int64_t backoff = notify_backoff_seconds(attempts);
    if (status == 200) {
        if (d.verdict != NOTIFY_SENT)
            abort();
    } else if (status == 404 || attempts >= NOTIFY_MAX_ATTEMPTS) {
        if (d.verdict != NOTIFY_DEAD)
            abort();
    } else {
        if (d.verdict != NOTIFY_RETRY || d.next_attempt_at < now)
            abort();
        bool asked = status == 429 || status == 503;
        int64_t hi = asked && limit > backoff + backoff / 10 ? limit : backoff + backoff / 10;
        if (d.next_attempt_at > sat_add(now, hi))
            abort();
        /* The header counts when Discord's body has no usable number. */
        int64_t small = header ? small_delay(header) : -1;
        if (asked && discord < 0 && small >= 0 &&
            d.next_attempt_at != sat_add(now, small < limit ? small : limit))
            abort();
        if (asked && discord >= 0 &&
            d.next_attempt_at !=
                sat_add(now, discord >= (double)limit ? limit : (int64_t)ceil(discord)))
            abort();
    }
    free(text);
    return 0;
}
