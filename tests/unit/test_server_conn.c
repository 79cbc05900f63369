/* Connections (server/http.c) with a real server on a loop of its own, driven from this thread
 * by a blocking client socket on 127.0.0.1: a connection's timer (keep-alive requests move its
 * deadline without restarting it; the header and idle timeouts still close the connection when
 * they are due, however many requests came before) and a prepared answer sent from its memfd
 * (the Date of the second it is sent, the bytes otherwise the same). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/timeutil.h"
#include "server/http.h"

#define REQUEST    "GET /x HTTP/1.1\r\nHost: t\r\n\r\n"
#define ANSWER_END "\r\n\r\nok"

#define BIG_BODY 8192 /* sent from a memfd (http.c sends bodies of 4 KiB or more so) */
static struct http_prepared big;

static void handler(void *app, const struct http_request *req, struct http_response *resp)
{
    (void)app;
    if (strcmp(req->target, "/big") == 0) {
        resp->status = 200;
        resp->prepared = &big;
        return;
    }
    resp->status = 200;
    resp->content_type = "text/plain";
    buf_append_str(&resp->body, "ok");
}

struct rig {
    uv_loop_t loop;
    struct http_server *server;
    int fd; /* the client's socket */
};

static void start(struct rig *r, uint64_t header_ms, uint64_t idle_ms)
{
    assert_int_equal(uv_loop_init(&r->loop), 0);
    struct http_server_options o = {.listen = "127.0.0.1:0",
                                    .max_body = 1024,
                                    .header_timeout_ms = header_ms,
                                    .idle_timeout_ms = idle_ms};
    assert_int_equal(http_server_start(&r->loop, &o, handler, NULL, &r->server), 0);
    r->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(r->fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)http_server_port(r->server))};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(r->fd, (struct sockaddr *)&a, sizeof a), 0);
    uv_run(&r->loop, UV_RUN_ONCE); /* accepted */
}

static void stopped(void *ud)
{
    *(bool *)ud = true;
}

static void finish(struct rig *r)
{
    close(r->fd);
    bool done = false;
    http_server_stop(r->server, stopped, &done);
    while (!done)
        uv_run(&r->loop, UV_RUN_ONCE);
    assert_int_equal(uv_loop_close(&r->loop), 0);
}

/* Sends one request and runs the loop until its whole answer is read. */
static void ask(struct rig *r)
{
    assert_int_equal(send(r->fd, REQUEST, strlen(REQUEST), 0), (ssize_t)strlen(REQUEST));
    char got[1024];
    size_t n = 0;
    while (n < strlen(ANSWER_END) ||
           memcmp(got + n - strlen(ANSWER_END), ANSWER_END, strlen(ANSWER_END)) != 0) {
        uv_run(&r->loop, UV_RUN_ONCE);
        ssize_t k = recv(r->fd, got + n, sizeof got - n, MSG_DONTWAIT);
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            continue;
        assert_true(k > 0);
        n += (size_t)k;
    }
}

/* GET /big; its answer (head and body) into `out`, its length returned. */
static size_t ask_big(struct rig *r, char *out, size_t cap)
{
    const char *q = "GET /big HTTP/1.1\r\nHost: t\r\n\r\n";
    assert_int_equal(send(r->fd, q, strlen(q), 0), (ssize_t)strlen(q));
    size_t n = 0;
    for (;;) {
        out[n] = '\0';
        const char *end = strstr(out, "\r\n\r\n");
        if (end && n == (size_t)(end + 4 - out) + BIG_BODY)
            return n;
        assert_true(n < cap - 1);
        uv_run(&r->loop, UV_RUN_ONCE);
        ssize_t k = recv(r->fd, out + n, cap - 1 - n, MSG_DONTWAIT);
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            continue;
        assert_true(k > 0);
        n += (size_t)k;
    }
}

/* Whether the Date header of `answer` shows one of the seconds from..to. */
static bool dated_between(const char *answer, int64_t from, int64_t to)
{
    for (int64_t t = from; t <= to; t++) {
        char want[TIME_HTTP_SIZE + 16], d[TIME_HTTP_SIZE];
        time_http_format(t, d);
        snprintf(want, sizeof want, "\r\nDate: %s\r\n", d);
        if (strstr(answer, want))
            return true;
    }
    return false;
}

/* A prepared answer sent with sendfile carries the Date of the second it is sent, also after the
 * second changed (the memfd it is sent from was written with the earlier Date); the rest of its
 * bytes are the prepared ones. */
static void prepared_answer_dates(void **state)
{
    (void)state;
    static char body[BIG_BODY];
    for (size_t i = 0; i < sizeof body; i++)
        body[i] = (char)('a' + i % 26);
    struct http_response resp = {.status = 200, .content_type = "text/calendar"};
    buf_init(&resp.headers, 1024);
    buf_init(&resp.body, 1);
    http_response_header(&resp, "ETag", "\"e\"");
    resp.body_ref = body;
    resp.body_ref_len = sizeof body;
    http_prepared_build(&big, &resp);
    buf_close(&resp.headers);
    buf_close(&resp.body);
    struct rig r;
    start(&r, 10000, 60000);
    static char first[BIG_BODY + 1024], later[BIG_BODY + 1024];
    for (int round = 0; round < 3; round++) { /* three seconds, on one connection */
        int64_t t0 = (int64_t)time(NULL);
        size_t n = ask_big(&r, first, sizeof first);
        assert_true(dated_between(first, t0, (int64_t)time(NULL)));
        while ((int64_t)time(NULL) == t0)
            uv_sleep(20);
        int64_t t1 = (int64_t)time(NULL);
        size_t m = ask_big(&r, later, sizeof later);
        assert_true(dated_between(later, t1, (int64_t)time(NULL)));
        assert_false(dated_between(later, t0, t0));
        /* The same bytes but for the Date: the one line that differs. */
        assert_int_equal(m, n);
        const char *d = strstr(first, "\r\nDate: ");
        size_t at = (size_t)(d - first) + 8, len = TIME_HTTP_SIZE - 1;
        assert_memory_equal(first, later, at);
        assert_memory_equal(first + at + len, later + at + len, n - at - len);
        assert_memory_equal(later + n - BIG_BODY, body, BIG_BODY);
    }
    finish(&r);
    http_prepared_free(&big);
}

/* Runs the loop until the server closes the connection; the milliseconds that took. */
static double wait_closed(struct rig *r)
{
    uint64_t t0 = uv_hrtime();
    for (;;) {
        uv_run(&r->loop, UV_RUN_ONCE);
        char c;
        ssize_t k = recv(r->fd, &c, 1, MSG_DONTWAIT);
        if (k == 0)
            break;
        assert_true(k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
    }
    return (double)(uv_hrtime() - t0) / 1e6;
}

static void find_timer(uv_handle_t *h, void *arg)
{
    if (h->type == UV_TIMER)
        *(uv_timer_t **)arg = (uv_timer_t *)h;
}

/* Loop time (ms) the connection's timer falls due. */
static uint64_t timer_due(struct rig *r)
{
    uv_timer_t *t = NULL;
    uv_walk(&r->loop, find_timer, &t);
    assert_non_null(t);
    assert_true(uv_is_active((uv_handle_t *)t));
    return uv_now(&r->loop) + uv_timer_get_due_in(t);
}

/* A keep-alive request does not restart the timer (uv_timer_stop and uv_timer_start were 3 % of
 * the feed's answers): it stays due where the first request's header timeout put it, although
 * each later request's deadline is further away. */
static void keep_alive_leaves_the_timer(void **state)
{
    (void)state;
    struct rig r;
    start(&r, 10000, 60000);
    ask(&r);
    uint64_t first = timer_due(&r);
    for (int i = 0; i < 3; i++) {
        uv_sleep(20);
        ask(&r);
        assert_int_equal(timer_due(&r), first);
    }
    finish(&r);
}

/* After requests spread over more than both timeouts, the idle timeout still closes the
 * connection idle_ms after the last answer, and a request begun but not finished is still cut
 * off after header_ms. */
static void timeouts_after_many_requests(void **state)
{
    (void)state;
    const uint64_t header_ms = 150, idle_ms = 400;
    struct rig r;
    start(&r, header_ms, idle_ms);
    for (int i = 0; i < 25; i++) { /* 25 x 25 ms: past both timeouts */
        uv_sleep(25);
        ask(&r);
    }
    double idle = wait_closed(&r);
    assert_true(idle >= (double)idle_ms - 10); /* the loop clock is coarse */
    assert_true(idle < (double)idle_ms + 300);
    finish(&r);

    start(&r, header_ms, idle_ms);
    for (int i = 0; i < 25; i++) {
        uv_sleep(25);
        ask(&r);
    }
    const char *part = "GET /x HTTP/1.1\r\nHost:";
    assert_int_equal(send(r.fd, part, strlen(part), 0), (ssize_t)strlen(part));
    double header = wait_closed(&r);
    assert_true(header >= (double)header_ms - 10);
    assert_true(header < (double)idle_ms); /* the header timeout, not the idle one */
    finish(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keep_alive_leaves_the_timer),
        cmocka_unit_test(timeouts_after_many_requests),
        cmocka_unit_test(prepared_answer_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
