/* server/: routing, authentication, body checks and the error shape, driven in memory (no
 * socket): requests are built as the HTTP layer hands them over and answered by app_handle. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "core/crypto.h"
#include "server/app.h"
#include "server/http_reader.h"
#include "server/peers.h"

/* SHA-256 of "manager-token" and "reader-token". */
static const char *const cfg_text =
    "{\"tokens\": ["
    " {\"name\": \"m\", \"role\": \"manager\", \"sha256\": "
    "\"3983202afa4411cda7cafc94a18aa1f6f620cfda5e9b0ab52c0f0d53a6be4315\"},"
    " {\"name\": \"r\", \"role\": \"reader\", \"sha256\": "
    "\"ba5005a40cf5212e4ac0190104cc127edab013294bb71279a975b27a80982d45\"}],"
    " \"projects\": [{\"id\": \"mautic\", \"timezone\": \"Europe/Berlin\"}]}";

struct fixture {
    struct config *cfg;
    struct store *store;
    struct core_clock clock;
    struct sched s;
    struct app app;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    char err[256];
    assert_int_equal(config_load_string(cfg_text, "t.json", &f->cfg, err, sizeof err), 0);
    assert_int_equal(store_open(":memory:", &f->store), 0);
    clock_init_fake(&f->clock, 1795521600000);
    f->s = (struct sched){.cfg = f->cfg, .store = f->store, .clock = &f->clock};
    f->app = (struct app){.sched = &f->s, .cfg = f->cfg};
    app_tokens_load(&f->app);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    app_close(&f->app);
    store_close(f->store);
    config_free(f->cfg);
    free(f);
    return 0;
}

struct answer {
    int status;
    char body[4096];
    char headers[1024];
};

static struct answer call(struct fixture *f, const char *method, const char *target,
                          const char *token, const char *ctype, const char *body)
{
    struct http_request req;
    memset(&req, 0, sizeof req);
    req.method = method;
    req.head = strcmp(method, "HEAD") == 0;
    req.target = target;
    char authz[128];
    if (token) {
        snprintf(authz, sizeof authz, "Bearer %s", token);
        req.headers[req.n_headers++] = (struct http_header){"authorization", authz};
    }
    if (ctype)
        req.headers[req.n_headers++] = (struct http_header){"content-type", ctype};
    req.body = body ? body : "";
    req.body_len = body ? strlen(body) : 0;
    struct http_response resp = {.status = 500};
    buf_init(&resp.headers, 4096);
    buf_init(&resp.body, 1 << 20);
    app_handle(&f->app, &req, &resp);
    struct answer a = {.status = resp.status};
    snprintf(a.body, sizeof a.body, "%s", buf_cstr(&resp.body));
    snprintf(a.headers, sizeof a.headers, "%s", buf_cstr(&resp.headers));
    buf_close(&resp.headers);
    buf_close(&resp.body);
    return a;
}

static void routing(void **state)
{
    struct fixture *f = *state;
    struct answer a = call(f, "GET", "/healthz", NULL, NULL, NULL);
    assert_int_equal(a.status, 200);
    assert_string_equal(a.body, "{\"status\":\"ok\"}");
    a = call(f, "GET", "/nope", NULL, NULL, NULL);
    assert_int_equal(a.status, 404);
    assert_non_null(strstr(a.body, "{\"error\":{\"code\":\"not_found\""));
    a = call(f, "DELETE", "/api/v1/projects/mautic/issues", NULL, NULL, NULL);
    assert_int_equal(a.status, 405);
    assert_non_null(strstr(a.headers, "Allow: GET, HEAD, POST"));
    a = call(f, "GET", "/api/v1/projects/other/releases/next", NULL, NULL, NULL);
    assert_int_equal(a.status, 404);
    /* "next" is a literal route, not a release id. */
    a = call(f, "GET", "/api/v1/projects/mautic/releases/next", NULL, NULL, NULL);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.body, "\"id\":\"2027-02-09\""));
    a = call(f, "HEAD", "/api/v1/projects/mautic/releases/2027-02-09", NULL, NULL, NULL);
    assert_int_equal(a.status, 200);
    a = call(f, "GET", "/api/v1/projects/mautic/releases?from=2027-02-30T00:00:00Z", NULL, NULL,
             NULL);
    assert_int_equal(a.status, 400);
    a = call(f, "GET",
             "/api/v1/projects/mautic/releases?from=2027-01-01T00%3A00%3A00Z&to=2027-06-"
             "01T00:00:00Z",
             NULL, NULL, NULL);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.body, "2027-05-11"));
    assert_null(strstr(a.body, "2027-08-10"));
    /* Routes whose literal part the path does not begin with are passed over before matching
     * (app.c); the first match still wins and 405 still names the other routes' methods. */
    a = call(f, "GET", "/", NULL, NULL, NULL);
    assert_int_equal(a.status, 200);
    a = call(f, "GET", "/feeds/mautic.ics", NULL, NULL, NULL);
    assert_int_equal(a.status, 200);
    a = call(f, "GET", "/feeds/all.ics", NULL, NULL, NULL); /* not the project "all" */
    assert_int_equal(a.status, 200);
    a = call(f, "GET", "/feeds/other.ics", NULL, NULL, NULL);
    assert_int_equal(a.status, 404);
    assert_non_null(strstr(a.body, "no such project"));
    a = call(f, "GET", "/feeds/mautic.icsx", NULL, NULL, NULL);
    assert_int_equal(a.status, 404);
    assert_non_null(strstr(a.body, "no such resource"));
    a = call(f, "POST", "/feeds/mautic.ics", NULL, NULL, NULL);
    assert_int_equal(a.status, 405);
    assert_non_null(strstr(a.headers, "Allow: GET, HEAD\r\n"));
    a = call(f, "GET", "/healthzz", NULL, NULL, NULL);
    assert_int_equal(a.status, 404);
}

static void auth_and_bodies(void **state)
{
    struct fixture *f = *state;
    const char *issues = "/api/v1/projects/mautic/issues";
    struct answer a = call(f, "GET", issues, NULL, NULL, NULL);
    assert_int_equal(a.status, 401);
    assert_non_null(strstr(a.headers, "WWW-Authenticate: Bearer"));
    a = call(f, "GET", issues, "wrong-token", NULL, NULL);
    assert_int_equal(a.status, 401);
    a = call(f, "GET", "/api/v1/projects/mautic/issues?token=reader-token", NULL, NULL, NULL);
    assert_int_equal(a.status, 401); /* ?token= only on feed routes */
    a = call(f, "GET", issues, "reader-token", NULL, NULL);
    assert_int_equal(a.status, 200);
    assert_string_equal(a.body, "[]");
    a = call(f, "POST", issues, "reader-token", "application/json", "{\"title\": \"x\"}");
    assert_int_equal(a.status, 403);
    a = call(f, "POST", issues, "manager-token", "text/plain", "{\"title\": \"x\"}");
    assert_int_equal(a.status, 415);
    a = call(f, "POST", issues, "manager-token", "application/json", "{\"title\": ");
    assert_int_equal(a.status, 400);
    assert_non_null(strstr(a.body, "invalid_json"));
    a = call(f, "POST", issues, "manager-token", "application/json", "{\"title\": 1}");
    assert_int_equal(a.status, 422);
    assert_non_null(strstr(a.body, "\"field\":\"title\""));
    a = call(f, "POST", issues, "manager-token", "application/json; charset=utf-8",
             "{\"title\": \"SQLi\", \"description\": \"PRIVATE-DESC\"}");
    assert_int_equal(a.status, 201);
    assert_non_null(strstr(a.body, "\"id\":1"));
    a = call(f, "PATCH", "/api/v1/projects/mautic/issues/1", "manager-token", "application/json",
             "{\"status\": \"released\"}");
    assert_int_equal(a.status, 409);
    assert_non_null(strstr(a.body, "\"allowed\":[\"acknowledged\",\"rejected\"]"));
    a = call(f, "GET", "/api/v1/projects/mautic/issues/abc", "reader-token", NULL, NULL);
    assert_int_equal(a.status, 404);
    a = call(f, "GET", "/api/v1/projects/mautic/audit", "reader-token", NULL, NULL);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.body, "\"action\":\"issue.create\""));
    /* The public release view carries no issue data. */
    a = call(f, "GET", "/api/v1/projects/mautic/releases/next", NULL, NULL, NULL);
    assert_null(strstr(a.body, "PRIVATE"));
    assert_null(strstr(a.body, "\"issues\""));
}

struct seen {
    char targets[4][64];
    size_t n;
};

static bool seen_request(void *ud, const struct http_request *req, bool keep_alive)
{
    struct seen *s = ud;
    if (s->n < 4)
        snprintf(s->targets[s->n], sizeof s->targets[0], "%s %s", req->method, req->target);
    s->n++;
    return keep_alive;
}

/* A request with Upgrade (curl --http2 on http:// sends "Upgrade: h2c") was answered and then
 * followed by a stray 400 that closed the connection; now it is an ordinary request and what
 * follows is read as the next one (found while fuzzing the reader, fuzz/fuzz_http). */
static void reader_ignores_upgrade(void **state)
{
    (void)state;
    static const struct http_reader_hooks hooks = {NULL, seen_request};
    const char *in = "GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                     "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n"
                     "GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n";
    struct seen s = {.n = 0};
    struct http_reader r;
    http_reader_init(&r, 1024, &hooks, &s);
    assert_int_equal(http_reader_feed(&r, in, strlen(in)), HTTP_READER_MORE);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.targets[0], "GET /healthz");
    assert_string_equal(s.targets[1], "GET /metrics");
    http_reader_close(&r);
    /* The limits still answer with their status. */
    const char *chunked = "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    http_reader_init(&r, 1024, &hooks, &s);
    assert_int_equal(http_reader_feed(&r, chunked, strlen(chunked)), 411);
    http_reader_close(&r);
}

/* Header names are handed over lower-cased, values as sent, when a name comes in pieces too. */
static bool headers_request(void *ud, const struct http_request *req, bool keep_alive)
{
    char *out = ud;
    for (size_t i = 0; i < req->n_headers; i++)
        snprintf(out + strlen(out), 256 - strlen(out), "%s=%s;", req->headers[i].name,
                 req->headers[i].value);
    return keep_alive;
}

static void reader_lowercases_header_names(void **state)
{
    (void)state;
    static const struct http_reader_hooks hooks = {NULL, headers_request};
    const char *in = "GET / HTTP/1.1\r\nHoST: Xy\r\nACCEPT-Encoding: GZip\r\n"
                     "If-None-Match: \"aB\"\r\n\r\n";
    const char *want = "host=Xy;accept-encoding=GZip;if-none-match=\"aB\";";
    for (size_t step = 1; step <= 3; step += 2) { /* whole, then one byte at a time */
        char got[256] = "";
        struct http_reader r;
        http_reader_init(&r, 1024, &hooks, got);
        size_t len = strlen(in), chunk = step == 1 ? len : 1;
        for (size_t i = 0; i < len; i += chunk)
            assert_int_equal(http_reader_feed(&r, in + i, chunk), HTTP_READER_MORE);
        assert_string_equal(got, want);
        http_reader_close(&r);
    }
}

/* Feeds `in` whole, then again one byte at a time; returns the two outcomes' agreement. */
static int feed_both_ways(const char *in, size_t *n_requests)
{
    static const struct http_reader_hooks hooks = {NULL, seen_request};
    struct seen s = {.n = 0};
    struct http_reader r;
    http_reader_init(&r, 1024, &hooks, &s);
    int whole = http_reader_feed(&r, in, strlen(in));
    http_reader_close(&r);
    size_t n_whole = s.n;
    s.n = 0;
    http_reader_init(&r, 1024, &hooks, &s);
    int bytes = HTTP_READER_MORE;
    for (size_t i = 0; in[i] && bytes == HTTP_READER_MORE; i++)
        bytes = http_reader_feed(&r, in + i, 1);
    http_reader_close(&r);
    assert_int_equal(whole, bytes);
    assert_int_equal(n_whole, s.n);
    *n_requests = s.n;
    return whole;
}

/* CONTRACT.md: bare LF line ends are 400. llhttp's strict mode (8.1) still takes a bare LF after
 * the request line and as the final empty line, so the reader refuses them itself; LFs inside a
 * body are data. */
static void reader_refuses_bare_lf(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "GET / HTTP/1.1\nHost: x\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\n\n",
        "GET / HTTP/1.1\nHost: x\n\n",
        "GET / HTTP/1.1\r\nHost: x\nAccept: y\r\n\r\n",
        "GET / HTTP/1.1\r\n\n",
        "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\nHost: x\r\n\r\n",
    };
    static const size_t good_before[] = {0, 0, 0, 0, 0, 1};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t n;
        int rc = feed_both_ways(bad[i], &n);
        if (rc != 400 || n != good_before[i]) {
            fprintf(stderr, "case %zu: rc %d, %zu requests\n", i, rc, n);
            fail();
        }
    }
    size_t n;
    assert_int_equal(
        feed_both_ways("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\na\nb", &n),
        HTTP_READER_MORE);
    assert_int_equal(n, 1);
    assert_int_equal(feed_both_ways("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
                                    "POST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\n\n\n"
                                    "GET /c HTTP/1.1\r\nHost: x\r\n\r\n",
                                    &n),
                     HTTP_READER_MORE);
    assert_int_equal(n, 3);
}

/* A paused reader stops after the request whose hook paused it, reports how far it parsed, and
 * goes on from there when fed the rest: no request lost or doubled (backpressure in http.c). */
struct pausing {
    struct http_reader *r;
    struct seen seen;
};

static bool pause_every_request(void *ud, const struct http_request *req, bool keep_alive)
{
    struct pausing *p = ud;
    seen_request(&p->seen, req, keep_alive);
    http_reader_pause(p->r);
    return keep_alive;
}

static void reader_pauses_and_resumes(void **state)
{
    (void)state;
    static const struct http_reader_hooks hooks = {NULL, pause_every_request};
    const char *in = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n"
                     "GET /c HTTP/1.1\r\nHo";
    struct http_reader r;
    struct pausing p = {.r = &r};
    http_reader_init(&r, 1024, &hooks, &p);
    size_t len = strlen(in), off = 0;
    assert_int_equal(http_reader_feed(&r, in, len), HTTP_READER_PAUSED);
    assert_int_equal(r.consumed, strlen("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
    off += r.consumed;
    assert_int_equal(http_reader_feed(&r, in + off, len - off), HTTP_READER_PAUSED);
    off += r.consumed;
    assert_int_equal(p.seen.n, 2);
    /* The start of the third request is parsed; the rest comes later. */
    assert_int_equal(http_reader_feed(&r, in + off, len - off), HTTP_READER_MORE);
    assert_int_equal(http_reader_feed(&r, "st: x\r\n\r\n", 9), HTTP_READER_PAUSED);
    assert_int_equal(r.consumed, 9);
    assert_int_equal(p.seen.n, 3);
    assert_string_equal(p.seen.targets[0], "GET /a");
    assert_string_equal(p.seen.targets[1], "GET /b");
    assert_string_equal(p.seen.targets[2], "GET /c");
    http_reader_close(&r);
}

/* The per-address table against a plain array model: many addresses with colliding slots,
 * counts up and down, entries removed at zero (backward-shift deletion keeps every other entry
 * findable). */
static void peer_counts(void **state)
{
    (void)state;
    struct peer_table t = {0};
    enum { N = 300 };
    size_t model[N] = {0};
    struct peer_key keys[N];
    for (size_t i = 0; i < N; i++) {
        memset(&keys[i], 0, sizeof keys[i]);
        keys[i].len = i % 3 ? 4 : 16;
        keys[i].b[0] = 127;
        keys[i].b[2] = (uint8_t)(i >> 8);
        keys[i].b[3] = (uint8_t)i;
    }
    uint32_t x = 12345;
    for (int step = 0; step < 20000; step++) {
        x = x * 1103515245u + 12345u;
        size_t i = (x >> 8) % N;
        if ((x >> 4) & 1 || !model[i]) {
            assert_int_equal(peer_table_add(&t, &keys[i]), ++model[i]);
        } else {
            peer_table_remove(&t, &keys[i]);
            model[i]--;
        }
        if (step % 97 == 0)
            for (size_t k = 0; k < N; k++)
                assert_int_equal(peer_table_count(&t, &keys[k]), model[k]);
    }
    for (size_t k = 0; k < N; k++)
        while (model[k]--)
            peer_table_remove(&t, &keys[k]);
    assert_int_equal(t.used, 0);
    /* IPv4 and its IPv4-mapped IPv6 form are one address; the port does not count. */
    struct sockaddr_in v4 = {.sin_family = AF_INET, .sin_port = htons(1)};
    inet_pton(AF_INET, "192.0.2.7", &v4.sin_addr);
    struct sockaddr_in6 v6 = {.sin6_family = AF_INET6, .sin6_port = htons(2)};
    inet_pton(AF_INET6, "::ffff:192.0.2.7", &v6.sin6_addr);
    struct peer_key a, b;
    peer_key_from((struct sockaddr *)&v4, &a);
    peer_key_from((struct sockaddr *)&v6, &b);
    assert_int_equal(peer_table_add(&t, &a), 1);
    assert_int_equal(peer_table_add(&t, &b), 2);
    inet_pton(AF_INET6, "2001:db8::7", &v6.sin6_addr);
    peer_key_from((struct sockaddr *)&v6, &b);
    assert_int_equal(peer_table_add(&t, &b), 1);
    peer_table_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(routing, setup, teardown),
        cmocka_unit_test_setup_teardown(auth_and_bodies, setup, teardown),
        cmocka_unit_test(reader_ignores_upgrade),
        cmocka_unit_test(reader_lowercases_header_names),
        cmocka_unit_test(reader_refuses_bare_lf),
        cmocka_unit_test(reader_pauses_and_resumes),
        cmocka_unit_test(peer_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
