/* notifiers/outcome: the Standard Webhooks known-answer vector (the reference library's own
 * test: webhook.test.ts), and the outcome and backoff decisions of the delivery issue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
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
    notify_decide(204, NULL, -1, 1, now, 0.5, &d);
    assert_int_equal(d.verdict, NOTIFY_SENT);
    notify_decide(400, NULL, -1, 1, now, 0.5, &d);
    assert_int_equal(d.verdict, NOTIFY_DEAD);
    assert_false(d.disable_channel);
    const int disabling[] = {401, 403, 404, 410};
    for (int i = 0; i < 4; i++) {
        notify_decide(disabling[i], NULL, -1, 1, now, 0.5, &d);
        assert_int_equal(d.verdict, NOTIFY_DEAD);
        assert_true(d.disable_channel);
    }
    /* Retry-After in seconds and as an HTTP date (RFC 9110 example date + now). */
    notify_decide(429, "120", -1, 1, now, 0.5, &d);
    assert_int_equal(d.verdict, NOTIFY_RETRY);
    assert_int_equal(d.next_attempt_at, now + 120);
    notify_decide(503, "Tue, 24 Nov 2026 12:10:00 GMT", -1, 1, now, 0.5, &d);
    assert_int_equal(d.next_attempt_at, now + 600);
    notify_decide(429, NULL, 1.25, 1, now, 0.5, &d); /* Discord's JSON retry_after */
    assert_int_equal(d.next_attempt_at, now + 2);
    /* 5xx and timeouts back off: 5 s, 5 min, 30 min, ... with +-10 % jitter. */
    notify_decide(500, NULL, -1, 1, now, 0.5, &d);
    assert_int_equal(d.next_attempt_at, now + 5);
    notify_decide(0, NULL, -1, 2, now, 0.0, &d);
    assert_int_equal(d.next_attempt_at, now + 300 - 30);
    notify_decide(502, NULL, -1, 3, now, 0.999, &d);
    assert_true(d.next_attempt_at > now + 1800 && d.next_attempt_at <= now + 1980);
    assert_int_equal(notify_backoff_seconds(9), 24 * 3600);
    assert_int_equal(notify_backoff_seconds(50), 24 * 3600);
    notify_decide(500, NULL, -1, NOTIFY_MAX_ATTEMPTS, now, 0.5, &d);
    assert_int_equal(d.verdict, NOTIFY_DEAD);
    notify_decide(408, NULL, -1, 1, now, 0.5, &d);
    assert_int_equal(d.verdict, NOTIFY_RETRY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(signature_vector),
                                       cmocka_unit_test(outcomes)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
