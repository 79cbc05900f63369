/* A prepared answer (server/http.h, struct http_prepared) serialises to the bytes written out
 * here by hand: the Date of the moment it is sent, "Connection: close" where the serialiser has
 * always put it, no body for HEAD or a 304. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "server/http.h"

#define NOW 1795521600 /* Tue, 24 Nov 2026 12:00:00 GMT */

static void prepare(struct http_prepared *p, int status)
{
    struct http_response r = {.status = status};
    buf_init(&r.headers, 1024);
    buf_init(&r.body, 1);
    http_response_header(&r, "ETag", "\"abc\"");
    http_response_header(&r, "X-Content-Type-Options", "nosniff");
    if (status == 200) {
        r.content_type = "text/calendar; charset=utf-8";
        r.body_ref = "BEGIN:VCALENDAR\r\n";
        r.body_ref_len = 17;
    }
    http_prepared_build(p, &r);
    buf_close(&r.headers);
    buf_close(&r.body);
}

static void expect(struct http_prepared *p, int status, bool head, bool keep_alive,
                   const char *want)
{
    struct http_request req = {.method = head ? "HEAD" : "GET", .head = head};
    struct http_response r = {.status = status, .prepared = p};
    struct buf out;
    buf_init(&out, 1 << 16);
    http_response_serialize(&req, &r, keep_alive, NOW, &out);
    assert_int_equal(out.len, strlen(want));
    assert_memory_equal(buf_cstr(&out), want, out.len);
    buf_close(&out);
}

static void prepared_ok(void **state)
{
    (void)state;
    struct http_prepared p = {0};
    prepare(&p, 200);
    assert_int_equal(p.len - p.head_len, 17);
    expect(&p, 200, false, true,
           "HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 12:00:00 GMT\r\n"
           "Content-Type: text/calendar; charset=utf-8\r\nContent-Length: 17\r\n"
           "ETag: \"abc\"\r\nX-Content-Type-Options: nosniff\r\n\r\nBEGIN:VCALENDAR\r\n");
    expect(&p, 200, false, false,
           "HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 12:00:00 GMT\r\n"
           "Content-Type: text/calendar; charset=utf-8\r\nContent-Length: 17\r\n"
           "Connection: close\r\n"
           "ETag: \"abc\"\r\nX-Content-Type-Options: nosniff\r\n\r\nBEGIN:VCALENDAR\r\n");
    expect(&p, 200, true, true,
           "HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 12:00:00 GMT\r\n"
           "Content-Type: text/calendar; charset=utf-8\r\nContent-Length: 17\r\n"
           "ETag: \"abc\"\r\nX-Content-Type-Options: nosniff\r\n\r\n");
    http_prepared_free(&p);
    assert_null(p.bytes);
}

static void prepared_not_modified(void **state)
{
    (void)state;
    struct http_prepared p = {0};
    prepare(&p, 304);
    assert_int_equal(p.len, p.head_len);
    expect(&p, 304, false, true,
           "HTTP/1.1 304 Not Modified\r\nDate: Tue, 24 Nov 2026 12:00:00 GMT\r\n"
           "ETag: \"abc\"\r\nX-Content-Type-Options: nosniff\r\n\r\n");
    expect(&p, 304, false, false,
           "HTTP/1.1 304 Not Modified\r\nDate: Tue, 24 Nov 2026 12:00:00 GMT\r\n"
           "Connection: close\r\nETag: \"abc\"\r\nX-Content-Type-Options: nosniff\r\n\r\n");
    /* Built again (the feed changed): what it held is freed, no leak under ASan. */
    prepare(&p, 304);
    http_prepared_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(prepared_ok),
        cmocka_unit_test(prepared_not_modified),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
