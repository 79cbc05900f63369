/* libFuzzer target: the HTTP request path without a socket. The input is the byte stream a
 * client sends on one connection; it goes through the server's own reader (server/http_reader.c:
 * llhttp, limits, header collection) and every complete request through app_handle, with the
 * answer serialised as on the wire. The first input byte sets the size of the pieces the stream
 * is fed in (0: all at once), as reads split it. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz/app_fixture.h"
#include "server/http_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct conn {
    struct app *app;
    size_t requests;
};

static bool on_request(void *ud, const struct http_request *req, bool keep_alive)
{
    struct conn *c = ud;
    c->requests++;
    bool keep = fuzz_app_call(c->app, req);
    return keep_alive && keep;
}

static const struct http_reader_hooks hooks = {NULL, on_request};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t piece = data[0] ? data[0] : size;
    const char *p = (const char *)data + 1;
    size_t left = size - 1;
    struct conn c = {.app = fuzz_app_next()};
    struct http_reader r;
    http_reader_init(&r, c.app->cfg->max_body_bytes, &hooks, &c);
    int rc = HTTP_READER_MORE;
    while (left > 0 && rc == HTTP_READER_MORE) {
        size_t n = left < piece ? left : piece;
        rc = http_reader_feed(&r, p, n);
        p += n;
        left -= n;
    }
    if (rc != HTTP_READER_MORE && rc != HTTP_READER_STOPPED) {
        /* The error answer http.c sends before closing. */
        const char *code, *message;
        http_reader_error_text(rc, &code, &message);
        struct http_response resp = {.status = rc, .content_type = "application/json"};
        buf_init(&resp.headers, 1024);
        buf_init(&resp.body, 4096);
        buf_appendf(&resp.body, "{\"error\":{\"code\":\"%s\",\"message\":\"%s\",\"details\":{}}}",
                    code, message);
        struct buf out;
        buf_init(&out, 1 << 20);
        http_response_serialize(NULL, &resp, false, 1795521600, &out);
        buf_close(&out);
        buf_close(&resp.headers);
        buf_close(&resp.body);
    }
    http_reader_close(&r);
    return 0;
}
