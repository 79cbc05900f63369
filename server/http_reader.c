/* HTTP/1.1 request parsing with llhttp, limits and all, on bytes from anywhere (see
 * http_reader.h). */
#include "server/http_reader.h"

#include <string.h>

static struct http_reader *reader_of(llhttp_t *p)
{
    return p->data;
}

static void reset_message(struct http_reader *r)
{
    buf_reset(&r->url);
    buf_reset(&r->hdr);
    buf_reset(&r->body);
    r->hdr_bytes = 0;
    r->last_was_value = false;
}

static int on_message_begin(llhttp_t *p)
{
    struct http_reader *r = reader_of(p);
    reset_message(r);
    if (r->hooks->begin)
        r->hooks->begin(r->ud);
    return 0;
}

static int count_header_bytes(struct http_reader *r, size_t n)
{
    r->hdr_bytes += n;
    if (r->hdr_bytes > HTTP_HEADERS_MAX_BYTES) {
        r->reject = 431;
        return -1;
    }
    return 0;
}

static int on_url(llhttp_t *p, const char *at, size_t len)
{
    struct http_reader *r = reader_of(p);
    if (r->url.len + len > HTTP_URL_MAX_BYTES) {
        r->reject = 414;
        return -1;
    }
    buf_append(&r->url, at, len);
    return count_header_bytes(r, len);
}

static int on_header_field(llhttp_t *p, const char *at, size_t len)
{
    struct http_reader *r = reader_of(p);
    if (count_header_bytes(r, len) < 0)
        return -1;
    if (r->last_was_value || r->hdr.len == 0) {
        if (r->hdr.len)
            buf_append(&r->hdr, "", 1); /* terminate the previous value */
        r->last_was_value = false;
    }
    size_t from = r->hdr.len;
    if (buf_append(&r->hdr, at, len) < 0)
        return 0; /* the buffer keeps its error; the header byte count caps it first */
    for (size_t i = from; i < r->hdr.len; i++) /* lower-cased in place, in one append */
        if (r->hdr.data[i] >= 'A' && r->hdr.data[i] <= 'Z')
            r->hdr.data[i] = (char)(r->hdr.data[i] - 'A' + 'a');
    return 0;
}

static int on_header_value(llhttp_t *p, const char *at, size_t len)
{
    struct http_reader *r = reader_of(p);
    if (count_header_bytes(r, len) < 0)
        return -1;
    if (!r->last_was_value) {
        buf_append(&r->hdr, "", 1); /* terminate the name */
        r->last_was_value = true;
    }
    return buf_append(&r->hdr, at, len) < 0 ? (r->reject = 431, -1) : 0;
}

static int on_headers_complete(llhttp_t *p)
{
    struct http_reader *r = reader_of(p);
    if (r->hdr.len)
        buf_append(&r->hdr, "", 1);
    if (p->flags & F_CHUNKED) {
        r->reject = 411;
        return -1;
    }
    if ((p->flags & F_CONTENT_LENGTH) && p->content_length > r->max_body) {
        r->reject = 413;
        return -1;
    }
    r->in_body = (p->flags & F_CONTENT_LENGTH) && p->content_length > 0;
    return 0;
}

static int on_body(llhttp_t *p, const char *at, size_t len)
{
    struct http_reader *r = reader_of(p);
    if (buf_append(&r->body, at, len) < 0) {
        r->reject = 413;
        return -1;
    }
    return 0;
}

static int on_message_complete(llhttp_t *p)
{
    struct http_reader *r = reader_of(p);
    r->in_body = false;
    r->crlf = 0;
    struct http_request req;
    memset(&req, 0, sizeof req);
    req.method = llhttp_method_name((llhttp_method_t)p->method);
    req.head = p->method == HTTP_HEAD;
    req.target = buf_cstr(&r->url);
    const char *h = buf_cstr(&r->hdr), *end = h + r->hdr.len;
    while (h < end && req.n_headers < HTTP_HEADERS_MAX) {
        const char *name = h;
        const char *value = name + strlen(name) + 1;
        if (value >= end)
            break;
        req.headers[req.n_headers].name = name;
        req.headers[req.n_headers].value = value;
        req.n_headers++;
        h = value + strlen(value) + 1;
    }
    req.body = buf_cstr(&r->body);
    req.body_len = r->body.len;
    if (!r->hooks->request(r->ud, &req, llhttp_should_keep_alive(p))) {
        r->pause = false;
        return HPE_PAUSED; /* stop: anything pipelined after this is not read */
    }
    return r->pause ? HPE_PAUSED : 0;
}

static const llhttp_settings_t settings = {
    .on_message_begin = on_message_begin,
    .on_url = on_url,
    .on_header_field = on_header_field,
    .on_header_value = on_header_value,
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
};

void http_reader_init(struct http_reader *r, size_t max_body, const struct http_reader_hooks *hooks,
                      void *ud)
{
    memset(r, 0, sizeof *r);
    r->hooks = hooks;
    r->ud = ud;
    r->max_body = max_body;
    buf_init(&r->url, HTTP_URL_MAX_BYTES);
    buf_init(&r->hdr, HTTP_HEADERS_MAX_BYTES + 1024);
    buf_init(&r->body, max_body);
    llhttp_init(&r->parser, HTTP_REQUEST, &settings);
    r->parser.data = r;
}

void http_reader_close(struct http_reader *r)
{
    buf_close(&r->url);
    buf_close(&r->hdr);
    buf_close(&r->body);
}

void http_reader_pause(struct http_reader *r)
{
    r->pause = true;
}

/* One llhttp_execute over `len` bytes (Upgrade handled), mapped onto the http_reader_feed
 * outcomes; *parsed is how many bytes llhttp took. */
static int execute(struct http_reader *r, const char *data, size_t len, size_t *parsed)
{
    *parsed = len;
    if (r->pause) { /* resuming after a pause */
        r->pause = false;
        llhttp_resume(&r->parser);
    }
    llhttp_errno_t err = llhttp_execute(&r->parser, data, len);
    /* Upgrade (and CONNECT) is not supported: the request was answered as a plain one, and the
     * bytes after it are read as the next request (RFC 9110 7.8 lets a server ignore Upgrade). */
    while (err == HPE_PAUSED_UPGRADE) {
        const char *pos = llhttp_get_error_pos(&r->parser);
        llhttp_resume_after_upgrade(&r->parser);
        err = llhttp_execute(&r->parser, pos, (size_t)(data + len - pos));
    }
    if (err == HPE_OK)
        return HTTP_READER_MORE;
    if (err == HPE_PAUSED && r->pause) {
        *parsed = (size_t)(llhttp_get_error_pos(&r->parser) - data);
        return HTTP_READER_PAUSED;
    }
    if (err == HPE_PAUSED)
        return HTTP_READER_STOPPED;
    switch (r->reject) {
    case 411:
    case 413:
    case 414:
    case 431:
        return r->reject;
    default:
        return 400;
    }
}

/* How many of `len` head bytes (request line, headers, final empty line) to hand to llhttp: up to
 * and including the CR LF CR LF that ends the head, or up to a bare LF (*bare_lf set), or all.
 * llhttp 8.1 takes a bare LF after the request line and as the final empty line even in strict
 * mode; CONTRACT.md refuses every bare LF in the head. r->crlf counts the bytes of CR LF CR LF
 * seen so far, across feeds. */
static size_t scan_head(struct http_reader *r, const char *data, size_t len, bool *bare_lf)
{
    *bare_lf = false;
    for (size_t i = 0; i < len; i++) {
        if (data[i] == '\r') {
            r->crlf = r->crlf == 0 || r->crlf == 2 ? r->crlf + 1 : 1;
        } else if (data[i] == '\n') {
            if (r->crlf != 1 && r->crlf != 3) {
                *bare_lf = true;
                return i;
            }
            if (r->crlf == 3) {
                r->crlf = 0;
                return i + 1;
            }
            r->crlf = 2;
        } else {
            r->crlf = 0;
        }
    }
    return len;
}

int http_reader_feed(struct http_reader *r, const char *data, size_t len)
{
    size_t off = 0;
    do {
        bool bare_lf = false;
        size_t n;
        if (r->in_body) {
            n = len - off;
            if (r->parser.content_length < n)
                n = (size_t)r->parser.content_length;
        } else {
            n = scan_head(r, data + off, len - off, &bare_lf);
        }
        size_t parsed = 0;
        int rc = n || r->pause ? execute(r, data + off, n, &parsed) : HTTP_READER_MORE;
        if (rc == HTTP_READER_PAUSED) {
            r->consumed = off + parsed;
            return rc;
        }
        if (rc != HTTP_READER_MORE)
            return rc;
        if (bare_lf)
            return 400;
        off += n;
    } while (off < len);
    return HTTP_READER_MORE;
}

void http_reader_error_text(int status, const char **code, const char **message)
{
    switch (status) {
    case 411:
        *code = "length_required";
        *message = "chunked request bodies are not accepted";
        break;
    case 413:
        *code = "payload_too_large";
        *message = "the request body is too large";
        break;
    case 414:
        *code = "uri_too_long";
        *message = "the request target is too long";
        break;
    case 431:
        *code = "headers_too_large";
        *message = "the request headers are too large";
        break;
    default:
        *code = "bad_request";
        *message = "malformed HTTP request";
        break;
    }
}
