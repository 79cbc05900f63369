/* notifiers/outcome: the Standard Webhooks known-answer vector (the reference library's own
 * test: webhook.test.ts), and the outcome and backoff decisions of the delivery issue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "core/err.h"
#include "notifiers/outcome.h"

static void signature_vector(void **state)
{
    (void)state;
    char sig[64];
    const char *body = "{\"test\": 2432232314}";
    assert_int_equal(notify_webhook_signature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                                              "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body,
                                              strlen(body), sig, sizeof sig),
                     0);
    assert_string_equal(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    /* A different timestamp signs differently (a new timestamp on each try). */
    char sig2[64];
    assert_int_equal(notify_webhook_signature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                                              "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265331, body,
                                              strlen(body), sig2, sizeof sig2),
                     0);
    assert_string_not_equal(sig, sig2);
    assert_int_equal(notify_webhook_signature("plain", "id", 1, "x", 1, sig, sizeof sig),
                     RC_EINVAL);
    assert_int_equal(notify_webhook_signature("whsec_!!", "id", 1, "x", 1, sig, sizeof sig),
                     RC_EINVAL);
}

static void outcomes(void **state)
{
    (void)state;
    struct notify_decision d;
    const int64_t now = 1795521600;
    notify_decide(204, NULL, -1, 1, now, 0.5, 3600, &d);
    assert_int_equal(d.verdict, NOTIFY_SENT);
    notify_decide(400, NULL, -1, 1, now, 0.5, 3600, &d);
    assert_int_equal(d.verdict, NOTIFY_DEAD);
    assert_false(d.disable_channel);
    const int disabling[] = {401, 403, 404, 410};
    for (int i = 0; i < 4; i++) {
        notify_decide(disabling[i], NULL, -1, 1, now, 0.5, 3600, &d);
        assert_int_equal(d.verdict, NOTIFY_DEAD);
        assert_true(d.disable_channel);
    }
    /* Retry-After in seconds and as an HTTP date (RFC 9110 example date + now). */
    notify_decide(429, "120", -1, 1, now, 0.5, 3600, &d);
    assert_int_equal(d.verdict, NOTIFY_RETRY);
    assert_int_equal(d.next_attempt_at, now + 120);
    notify_decide(503, "Tue, 24 Nov 2026 12:10:00 GMT", -1, 1, now, 0.5, 3600, &d);
    assert_int_equal(d.next_attempt_at, now + 600);
    notify_decide(429, NULL, 1.25, 1, now, 0.5, 3600, &d); /* Discord's JSON retry_after */
    assert_int_equal(d.next_attempt_at, now + 2);
    /* 5xx and timeouts back off: 5 s, 5 min, 30 min, ... with +-10 % jitter. */
    notify_decide(500, NULL, -1, 1, now, 0.5, 3600, &d);
    assert_int_equal(d.next_attempt_at, now + 5);
    notify_decide(0, NULL, -1, 2, now, 0.0, 3600, &d);
    assert_int_equal(d.next_attempt_at, now + 300 - 30);
    notify_decide(502, NULL, -1, 3, now, 0.999, 3600, &d);
    assert_true(d.next_attempt_at > now + 1800 && d.next_attempt_at <= now + 1980);
    assert_int_equal(notify_backoff_seconds(9), 24 * 3600);
    assert_int_equal(notify_backoff_seconds(50), 24 * 3600);
    notify_decide(500, NULL, -1, NOTIFY_MAX_ATTEMPTS, now, 0.5, 3600, &d);
    assert_int_equal(d.verdict, NOTIFY_DEAD);
    notify_decide(408, NULL, -1, 1, now, 0.5, 3600, &d);
    assert_int_equal(d.verdict, NOTIFY_RETRY);
}

/* Hostile receivers (issue 14): absurd Retry-After headers and Discord retry_after values never
 * overflow; every answer gives a finite next attempt in [now, now + max] (default max 1 h);
 * what cannot be read at all falls back to the usual backoff (5 s after the first try). */
#define MAX_WAIT 3600
static void decide(int status, const char *ra, double discord, int64_t now,
                   struct notify_decision *d)
{
    notify_decide(status, ra, discord, 1, now, 0.5, MAX_WAIT, d);
}

static void hostile_retry_after(void **state)
{
    (void)state;
    struct notify_decision d;
    const int64_t now = 1795521600; /* 2026-11-24T12:00:00Z */
    static const struct {
        const char *header;
        int64_t want; /* seconds after now */
    } cases[] = {
        {"99999999999999999999", MAX_WAIT}, /* past INT64_MAX: saturates, then clamped */
        {"9223372036854775807", MAX_WAIT},
        {"9223372036854775808", MAX_WAIT},
        {"3601", MAX_WAIT},
        {"3600", 3600},
        {"120", 120},
        {"0", 0},
        {"  5", 5},                                  /* optional whitespace around the value */
        {"5 \t", 5},                                 /* trailing whitespace too */
        {"Fri, 31 Dec 9999 23:59:59 GMT", MAX_WAIT}, /* a date that would park the row */
        {"Tue, 24 Nov 2026 12:30:00 GMT", 1800},
        {"Sun, 06 Nov 1994 08:49:37 GMT", 0}, /* a past date: at once */
        /* Not a Retry-After value: the usual backoff (5 s after the first try). */
        {"-1", 5},
        {"1e300", 5},
        {"", 5},
        {"12abc", 5},
        {"+5", 5},
        {"0x10", 5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        decide(429, cases[i].header, -1, now, &d);
        print_message("Retry-After '%s'\n", cases[i].header);
        assert_int_equal(d.verdict, NOTIFY_RETRY);
        assert_int_equal(d.next_attempt_at, now + cases[i].want);
        decide(503, cases[i].header, -1, now, &d);
        assert_int_equal(d.next_attempt_at, now + cases[i].want);
    }
    /* Discord's JSON retry_after (seconds, fractional). */
    static const struct {
        double v;
        int64_t want;
    } discord[] = {
        {1e300, MAX_WAIT},
        {HUGE_VAL, MAX_WAIT},
        {9.3e18, MAX_WAIT},
        {3600.5, MAX_WAIT},
        {0.2, 1},
        {59.5, 60},
        {0, 0},
        {-0.0, 0},
        {NAN, 5},
        {-1e300, 5},
        {-HUGE_VAL, 5},
    };
    for (size_t i = 0; i < sizeof discord / sizeof discord[0]; i++) {
        print_message("retry_after %g\n", discord[i].v);
        decide(429, "120", discord[i].v, now, &d);
        assert_int_equal(d.verdict, NOTIFY_RETRY);
        /* a negative or NaN body value means "none": the header is used */
        int64_t want = discord[i].want == 5 ? 120 : discord[i].want;
        assert_int_equal(d.next_attempt_at, now + want);
        decide(429, NULL, discord[i].v, now, &d);
        assert_int_equal(d.next_attempt_at, now + discord[i].want);
    }
    /* Discord's rate-limit body as it arrives. */
    static const struct {
        const char *body;
        double want;
    } bodies[] = {
        {"{\"retry_after\": 1e300, \"global\": false}", 1e300},
        {"{\"retry_after\": 0.35}", 0.35},
        {"{\"retry_after\": 7}", 7},
        {"{\"retry_after\": -3}", -3},
        {"{\"retry_after\": 1e999}", -1}, /* not a finite number: refused by the JSON parser */
        {"{\"retry_after\": 99999999999999999999}", -1}, /* likewise, too big an integer */
        {"{\"retry_after\": \"5\"}", -1},
        {"{\"message\": \"You are being rate limited.\"}", -1},
        {"[1e300]", -1},
        {"not json", -1},
        {"", -1},
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        print_message("body %s\n", bodies[i].body);
        assert_true(notify_discord_retry_after(bodies[i].body, strlen(bodies[i].body)) ==
                    bodies[i].want);
    }
    /* The maximum is the config's: a smaller one cuts sooner; 0 means the default (1 h). */
    notify_decide(429, "120", -1, 1, now, 0.5, 60, &d);
    assert_int_equal(d.next_attempt_at, now + 60);
    notify_decide(429, NULL, 90.5, 1, now, 0.5, 60, &d);
    assert_int_equal(d.next_attempt_at, now + 60);
    notify_decide(429, "Fri, 31 Dec 9999 23:59:59 GMT", -1, 1, now, 0.5, 86400, &d);
    assert_int_equal(d.next_attempt_at, now + 86400);
    notify_decide(429, "99999999999999999999", -1, 1, now, 0.5, 0, &d);
    assert_int_equal(d.next_attempt_at, now + 3600);
    /* Near the end of time nothing overflows either. */
    const int64_t late = INT64_MAX - 10;
    decide(429, "99999999999999999999", 1e300, late, &d);
    assert_int_equal(d.next_attempt_at, INT64_MAX);
    decide(429, "99999999999999999999", -1, late, &d);
    assert_int_equal(d.next_attempt_at, INT64_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(signature_vector),
                                       cmocka_unit_test(outcomes),
                                       cmocka_unit_test(hostile_retry_after)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
