#define _GNU_SOURCE /* memfd_create: a prepared answer is sent with sendfile */
/* HTTP/1.1 connections on libuv with llhttp (see http.h for the limits and timeouts). */
#include "server/http.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>
#include <time.h>

#include "core/err.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "server/http_reader.h"
#include "server/peers.h"

/* Backpressure: a connection whose queued answers pass HIGH stops being read (pipelined
 * requests wait in the kernel and in `held`) until its client has read them down to LOW. */
#define QUEUE_HIGH (256 * 1024)
#define QUEUE_LOW  (64 * 1024)

struct conn {
    uv_tcp_t tcp; /* first: the handle's memory is the connection's */
    uv_timer_t timer;
    struct http_server *server;
    struct conn *prev, *next;
    struct http_reader reader;
    int pending_writes;
    size_t queued;          /* bytes of the queued writes */
    uint64_t last_progress; /* loop time (ms) a write last completed or was queued */
    uint64_t deadline;      /* loop time the current timeout (header, idle, write) falls due */
    uint64_t timer_due;     /* loop time the timer runs to: never after `deadline` */
    bool paused;            /* not read while the client does not read its answers */
    bool in_request;        /* a request has begun and is not yet answered */
    char *held;             /* bytes read but not parsed while paused */
    size_t held_len;
    struct peer_key peer;
    bool closing;     /* close once the queued writes are done */
    int handles_open; /* tcp + timer; freed when both are closed */
};

struct http_server {
    uv_loop_t *loop;
    uv_tcp_t listener;
    struct http_server_options opts;
    http_handler_fn handler;
    void *app;
    struct conn *conns; /* newest first */
    size_t n_conns;
    struct peer_table peers;
    int port;
    bool stopping;
    bool listener_closed;
    void (*stopped_cb)(void *);
    void *stopped_ud;
};

struct write_req {
    uv_write_t req;
    struct conn *conn;
    char *data;
    size_t len;
};

const char *http_status_text(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Content";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Unknown";
    }
}

const char *http_request_header(const struct http_request *req, const char *name)
{
    for (size_t i = 0; i < req->n_headers; i++)
        if (strcasecmp(req->headers[i].name, name) == 0)
            return req->headers[i].value;
    return NULL;
}

void http_response_header(struct http_response *resp, const char *name, const char *value)
{
    buf_appendf(&resp->headers, "%s: %s\r\n", name, value);
}

/* The Date header's text, formatted once per second. */
static const char *date_text(int64_t now)
{
    static int64_t cached = INT64_MIN;
    static char date[TIME_HTTP_SIZE];
    if (now != cached) {
        time_http_format(now, date);
        cached = now;
    }
    return date;
}

bool http_response_has_body(const struct http_request *req, const struct http_response *resp)
{
    return (!req || !req->head) && resp->status != 304 && resp->status != 204;
}

/* An answer whose body is this large is also kept whole in a memfd and sent from it with
 * sendfile: the kernel then takes its pages instead of copying it from user space per answer. */
#define SENDFILE_MIN 4096

/* A memfd holding `len` bytes of `bytes`, or -1. */
static int memfd_of(const char *bytes, size_t len)
{
    int fd = memfd_create("relcal-answer", MFD_CLOEXEC);
    if (fd >= 0 && write(fd, bytes, len) != (ssize_t)len) {
        close(fd);
        fd = -1;
    }
    return fd;
}

void http_prepared_free(struct http_prepared *p)
{
    if (p->has_fd)
        close(p->fd);
    free(p->bytes);
    memset(p, 0, sizeof *p);
}

void http_prepared_build(struct http_prepared *p, const struct http_response *resp)
{
    http_prepared_free(p);
    struct http_response r = *resp;
    r.prepared = NULL;
    int64_t now = (int64_t)time(NULL);
    struct buf out;
    buf_init(&out, SIZE_MAX / 2);
    http_response_serialize(NULL, &r, true, now, &out);
    size_t body_len = !http_response_has_body(NULL, &r) ? 0
                      : r.body_ref                      ? r.body_ref_len
                                                        : r.body.len;
    p->bytes = buf_steal(&out, &p->len);
    p->head_len = p->len - body_len;
    p->date_at = (size_t)(strstr(p->bytes, "\r\nDate: ") - p->bytes) + strlen("\r\nDate: ");
    p->date_len = strcspn(p->bytes + p->date_at, "\r");
    /* Where http_response_serialize_head puts "Connection: close": before the extra headers. */
    p->close_at = p->head_len - strlen("\r\n") - r.headers.len;
    p->date_of = now;
    if (body_len >= SENDFILE_MIN) {
        p->fd = memfd_of(p->bytes, p->len);
        p->has_fd = p->fd >= 0; /* else sent from memory */
        p->fd_date_of = now;
    }
}

/* The head of `p` with `date`, and "Connection: close" where the serialiser puts it. */
static void prepared_head(const struct http_prepared *p, bool keep_alive, const char *date,
                          struct buf *out)
{
    size_t after = p->date_at + p->date_len;
    buf_append(out, p->bytes, p->date_at);
    buf_append_str(out, date);
    buf_append(out, p->bytes + after, p->close_at - after);
    if (!keep_alive)
        buf_append_str(out, "Connection: close\r\n");
    buf_append(out, p->bytes + p->close_at, p->head_len - p->close_at);
}

/* Rewrites the Date of `p` in place to `now`; false when the text would not fit (then the head
 * is assembled instead). */
static bool prepared_date(struct http_prepared *p, int64_t now)
{
    if (p->date_of == now)
        return true;
    const char *d = date_text(now);
    if (strlen(d) != p->date_len)
        return false;
    memcpy(p->bytes + p->date_at, d, p->date_len);
    p->date_of = now;
    return true;
}

void http_response_serialize_head(const struct http_response *resp, bool keep_alive, int64_t now,
                                  struct buf *out)
{
    if (resp->prepared) {
        prepared_head(resp->prepared, keep_alive, date_text(now), out);
        return;
    }
    buf_appendf(out, "HTTP/1.1 %d %s\r\nDate: %s\r\n", resp->status, http_status_text(resp->status),
                date_text(now));
    if (resp->status != 304 && resp->status != 204) {
        if (resp->content_type)
            buf_appendf(out, "Content-Type: %s\r\n", resp->content_type);
        buf_appendf(out, "Content-Length: %zu\r\n",
                    resp->body_ref ? resp->body_ref_len : resp->body.len);
    }
    if (!keep_alive)
        buf_append_str(out, "Connection: close\r\n");
    buf_append(out, buf_cstr(&resp->headers), resp->headers.len);
    buf_append_str(out, "\r\n");
}

void http_response_serialize(const struct http_request *req, const struct http_response *resp,
                             bool keep_alive, int64_t now, struct buf *out)
{
    http_response_serialize_head(resp, keep_alive, now, out);
    if (http_response_has_body(req, resp)) {
        if (resp->prepared)
            buf_append(out, resp->prepared->bytes + resp->prepared->head_len,
                       resp->prepared->len - resp->prepared->head_len);
        else if (resp->body_ref)
            buf_append(out, resp->body_ref, resp->body_ref_len);
        else
            buf_append(out, buf_cstr(&resp->body), resp->body.len);
    }
}

static void conn_close(struct conn *c);
static void conn_resume(struct conn *c);
static void arm_timer(struct conn *c, uint64_t ms);

static void after_write(uv_write_t *req, int status)
{
    struct write_req *w = (struct write_req *)req;
    struct conn *c = w->conn;
    c->queued -= w->len;
    free(w->data);
    free(w);
    c->pending_writes--;
    if (status < 0 || (c->closing && c->pending_writes == 0)) {
        conn_close(c);
        return;
    }
    /* Progress: the write timeout counts from here. */
    c->last_progress = uv_now(c->server->loop);
    arm_timer(c, c->pending_writes ? c->server->opts.write_timeout_ms
                 : c->in_request   ? c->server->opts.header_timeout_ms
                                   : c->server->opts.idle_timeout_ms);
    if (c->paused && c->queued <= QUEUE_LOW)
        conn_resume(c);
}

/* Writes head and body at once when the socket takes them all (the common case: no write
 * request, and libuv leaves the poll set alone; a queued write costs an epoll_ctl per response),
 * else queues what is left as one buffer. Order is kept: uv_try_write refuses while earlier
 * writes are queued. Takes ownership of head when `own_head`, and of body when `own_body` (body
 * may be NULL; borrowed bytes are copied if they cannot be written at once). */
static void send_bytes(struct conn *c, char *head, size_t head_len, bool own_head, char *body,
                       size_t body_len, bool own_body)
{
    uv_buf_t b[2] = {uv_buf_init(head, (unsigned)head_len),
                     uv_buf_init(body ? body : head, (unsigned)(body ? body_len : 0))};
    size_t len = head_len + (body ? body_len : 0);
    int n = uv_try_write((uv_stream_t *)&c->tcp, b, body ? 2 : 1);
    if (n == (int)len) {
        if (own_head)
            free(head);
        if (own_body)
            free(body);
        if (c->closing && c->pending_writes == 0)
            conn_close(c);
        return;
    }
    if (n < 0 && n != UV_EAGAIN) {
        if (own_head)
            free(head);
        if (own_body)
            free(body);
        conn_close(c);
        return;
    }
    size_t done = n > 0 ? (size_t)n : 0;
    char *rest = xmalloc(len - done + 1);
    size_t k = 0;
    if (done < head_len) {
        memcpy(rest, head + done, head_len - done);
        k = head_len - done;
    }
    if (body) {
        size_t skip = done > head_len ? done - head_len : 0;
        memcpy(rest + k, body + skip, body_len - skip);
        k += body_len - skip;
    }
    if (own_head)
        free(head);
    if (own_body)
        free(body);
    struct write_req *w = xcalloc(1, sizeof *w);
    w->conn = c;
    w->data = rest;
    w->len = k;
    uv_buf_t r = uv_buf_init(rest, (unsigned)k);
    if (!c->pending_writes)
        c->last_progress = uv_now(c->server->loop);
    c->pending_writes++;
    c->queued += k;
    if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &r, 1, after_write) < 0) {
        c->pending_writes--;
        c->queued -= k;
        free(rest);
        free(w);
        conn_close(c);
    }
}

/* The whole answer (head and body) with one sendfile from the memfd; whatever the socket does not
 * take at once is queued from memory by send_bytes. Only with no write queued, so the order of
 * answers is kept. When the Date has changed since the memfd was written, the answer goes into a
 * new memfd: the old one's pages may still be queued in sockets (sendfile lends them to TCP), so
 * they are never written again; they are freed when the last socket lets go of them. */
static void send_from_fd(struct conn *c, struct http_prepared *p)
{
    uv_os_fd_t sock;
    if (p->fd_date_of != p->date_of) {
        int fd = memfd_of(p->bytes, p->len);
        close(p->fd);
        p->fd = fd;
        p->has_fd = fd >= 0;
        p->fd_date_of = p->date_of;
    }
    if (!p->has_fd || uv_fileno((uv_handle_t *)&c->tcp, &sock) < 0) {
        send_bytes(c, p->bytes, p->len, false, NULL, 0, false);
        return;
    }
    off_t off = 0;
    while ((size_t)off < p->len) {
        ssize_t m = sendfile(sock, p->fd, &off, p->len - (size_t)off);
        if (m <= 0)
            break; /* EAGAIN or an error: send_bytes below finds out which */
    }
    if ((size_t)off < p->len)
        send_bytes(c, p->bytes + off, p->len - (size_t)off, false, NULL, 0, false);
}

/* A prepared answer: on a keep-alive connection its bytes as they are (the Date refreshed in
 * place), else its head assembled with "Connection: close" and its body borrowed. */
static void send_prepared(struct conn *c, const struct http_request *req,
                          const struct http_response *resp, bool keep_alive)
{
    struct http_prepared *p = resp->prepared;
    bool with_body = http_response_has_body(req, resp) && p->len > p->head_len;
    int64_t now = (int64_t)time(NULL);
    if (!keep_alive)
        c->closing = true; /* before sending: a write that completes at once closes */
    if (keep_alive && prepared_date(p, now)) {
        if (with_body && p->has_fd && !c->pending_writes)
            send_from_fd(c, p);
        else
            send_bytes(c, p->bytes, with_body ? p->len : p->head_len, false, NULL, 0, false);
        return;
    }
    struct buf out;
    buf_init(&out, SIZE_MAX / 2);
    http_response_serialize_head(resp, keep_alive, now, &out);
    size_t head_len;
    char *head = buf_steal(&out, &head_len);
    send_bytes(c, head, head_len, true, with_body ? p->bytes + p->head_len : NULL,
               p->len - p->head_len, false);
}

/* Sends the answer; the body's bytes are handed over, not copied (resp->body is emptied). */
static void send_response(struct conn *c, const struct http_request *req,
                          struct http_response *resp, bool keep_alive)
{
    if (resp->prepared) {
        send_prepared(c, req, resp, keep_alive);
        return;
    }
    struct buf out;
    buf_init(&out, SIZE_MAX / 2);
    http_response_serialize_head(resp, keep_alive, (int64_t)time(NULL), &out);
    size_t head_len, body_len = 0;
    char *head = buf_steal(&out, &head_len);
    bool with_body = http_response_has_body(req, resp);
    bool own = !resp->body_ref;
    char *body = NULL;
    if (with_body && resp->body_ref && resp->body_ref_len) {
        body = (char *)resp->body_ref; /* sent or copied before this returns */
        body_len = resp->body_ref_len;
    } else if (with_body && own && resp->body.len) {
        body = buf_steal(&resp->body, &body_len);
    }
    if (!keep_alive)
        c->closing = true; /* before sending: a write that completes at once closes */
    send_bytes(c, head, head_len, true, body, body_len, own);
}

/* An error answered before (or instead of) a handler: JSON body, connection closed. */
static void send_error(struct conn *c, int status, const char *code, const char *message)
{
    struct http_response r = {.status = status, .content_type = "application/json"};
    buf_init(&r.headers, 1024);
    buf_init(&r.body, 4096);
    buf_appendf(&r.body, "{\"error\":{\"code\":\"%s\",\"message\":\"%s\",\"details\":{}}}", code,
                message);
    send_response(c, NULL, &r, false);
    buf_close(&r.headers);
    buf_close(&r.body);
}

static void conn_request_begin(void *ud)
{
    struct conn *c = ud;
    c->in_request = true;
    if (!c->pending_writes)
        arm_timer(c, c->server->opts.header_timeout_ms);
}

/* Runs the handler and queues the answer; false (stop reading) when the connection closes. */
static bool conn_request(void *ud, const struct http_request *req, bool client_keep_alive)
{
    struct conn *c = ud;
    struct http_server *s = c->server;
    struct http_response resp = {.status = 500};
    buf_init(&resp.headers, HTTP_HEADERS_MAX_BYTES);
    buf_init(&resp.body, 64 * 1024 * 1024);
    s->handler(s->app, req, &resp);
    if (buf_error(&resp.body) || buf_error(&resp.headers)) {
        /* The answer did not fit its cap: a 500, never a cut body (core/buf.h). */
        log_error("answer too large", "status=%d", resp.status);
        buf_reset(&resp.headers);
        buf_reset(&resp.body);
        resp.status = 500;
        resp.content_type = "application/json";
        resp.body_ref = NULL;
        resp.prepared = NULL;
        buf_append_str(&resp.body, "{\"error\":{\"code\":\"internal\",\"message\":\"the answer "
                                   "is too large\",\"details\":{}}}");
    }
    bool keep_alive = client_keep_alive && !resp.close && !s->stopping;
    send_response(c, req, &resp, keep_alive);
    buf_close(&resp.headers);
    buf_close(&resp.body);
    c->in_request = false;
    arm_timer(c, c->pending_writes ? s->opts.write_timeout_ms : s->opts.idle_timeout_ms);
    /* The client is not reading its answers: read no more requests until it does. */
    if (keep_alive && c->queued > QUEUE_HIGH)
        http_reader_pause(&c->reader);
    return keep_alive;
}

static const struct http_reader_hooks conn_hooks = {conn_request_begin, conn_request};

/* Header, idle and write timeouts share the timer. With answers queued, the connection lives
 * as long as its client reads them: it is closed (the queued answers dropped) once no write has
 * completed for write_timeout_ms. The timer is lazy: it may fall due before the deadline (which
 * each request moves), and then only runs on to it. */
static void on_timeout(uv_timer_t *t)
{
    struct conn *c = t->data;
    uint64_t now = uv_now(c->server->loop);
    if (now < c->deadline) {
        c->timer_due = c->deadline;
        uv_timer_start(&c->timer, on_timeout, c->deadline - now, 0);
        return;
    }
    if (c->pending_writes) {
        uint64_t quiet = now - c->last_progress;
        if (quiet < c->server->opts.write_timeout_ms) {
            arm_timer(c, c->server->opts.write_timeout_ms - quiet);
            return;
        }
    }
    conn_close(c);
}

/* The connection times out `ms` from now. The timer is only restarted when that is earlier than
 * it runs to (a request's header timeout after the idle one): a keep-alive request moves the
 * deadline and leaves the timer alone, which on_timeout runs on to the deadline when it falls
 * due before it.
 * Also while closing after the answer (Connection: close, an error, a stop): a client that never
 * reads that answer is cut off by the write timeout like any other. */
static void arm_timer(struct conn *c, uint64_t ms)
{
    if (uv_is_closing((uv_handle_t *)&c->timer))
        return;
    c->deadline = uv_now(c->server->loop) + ms;
    if (uv_is_active((uv_handle_t *)&c->timer) && c->timer_due <= c->deadline)
        return;
    c->timer_due = c->deadline;
    uv_timer_start(&c->timer, on_timeout, ms, 0);
}

static void read_cb(uv_stream_t *stream, ssize_t nread, const uv_buf_t *b);

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
    (void)h;
    (void)suggested;
    static char slab[64 * 1024]; /* the loop is single-threaded; data is consumed at once */
    *b = uv_buf_init(slab, sizeof slab);
}

/* After a feed: keep reading, hold what the reader left while paused, or answer an error. */
static void after_feed(struct conn *c, int rc, const char *data, size_t len)
{
    if (rc == HTTP_READER_MORE) {
        if (!c->closing)
            uv_read_start((uv_stream_t *)&c->tcp, alloc_cb, read_cb);
        return;
    }
    uv_read_stop((uv_stream_t *)&c->tcp);
    if (rc == HTTP_READER_STOPPED)
        return;
    if (rc == HTTP_READER_PAUSED) {
        size_t rest = len - c->reader.consumed;
        char *held = rest ? xmalloc(rest) : NULL;
        if (rest)
            memcpy(held, data + c->reader.consumed, rest); /* data may be `held` itself */
        free(c->held);
        c->held = held;
        c->held_len = rest;
        c->paused = true;
        return;
    }
    const char *code, *message;
    http_reader_error_text(rc, &code, &message);
    send_error(c, rc, code, message);
}

static void read_cb(uv_stream_t *stream, ssize_t nread, const uv_buf_t *b)
{
    struct conn *c = (struct conn *)stream;
    if (nread < 0) {
        conn_close(c);
        return;
    }
    if (nread == 0 || c->closing)
        return;
    int rc = http_reader_feed(&c->reader, b->base, (size_t)nread);
    if (rc != HTTP_READER_MORE) /* reading goes on by itself otherwise */
        after_feed(c, rc, b->base, (size_t)nread);
}

/* The client read its answers down: parse what was held, then read again. */
static void conn_resume(struct conn *c)
{
    c->paused = false;
    if (c->closing)
        return;
    char *held = c->held;
    size_t len = c->held_len;
    c->held = NULL;
    c->held_len = 0;
    int rc = len ? http_reader_feed(&c->reader, held, len) : HTTP_READER_MORE;
    after_feed(c, rc, held, len);
    free(held);
}

/* The last handle is closed: free the server, then tell whoever stopped it. */
static void server_done(struct http_server *s)
{
    void (*cb)(void *) = s->stopped_cb;
    void *ud = s->stopped_ud;
    peer_table_close(&s->peers);
    free(s);
    if (cb)
        cb(ud);
}

static void handle_closed(uv_handle_t *h)
{
    struct conn *c = h->data;
    if (--c->handles_open > 0)
        return;
    struct http_server *s = c->server;
    if (c->prev)
        c->prev->next = c->next;
    else
        s->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    s->n_conns--;
    peer_table_remove(&s->peers, &c->peer);
    http_reader_close(&c->reader);
    free(c->held);
    free(c);
    if (s->stopping && s->n_conns == 0 && s->listener_closed)
        server_done(s);
}

static void conn_close(struct conn *c)
{
    if (uv_is_closing((uv_handle_t *)&c->tcp))
        return;
    c->closing = true;
    uv_timer_stop(&c->timer);
    uv_close((uv_handle_t *)&c->timer, handle_closed);
    uv_close((uv_handle_t *)&c->tcp, handle_closed);
}

/* Closes the oldest connection that is neither in a request nor writing (not `except`). */
static bool close_oldest_idle(struct http_server *s, const struct conn *except)
{
    struct conn *oldest = NULL;
    for (struct conn *c = s->conns; c; c = c->next)
        if (c != except && !c->closing && !c->in_request && !c->pending_writes)
            oldest = c;
    if (!oldest)
        return false;
    conn_close(oldest);
    return true;
}

static void on_connection(uv_stream_t *listener, int status)
{
    struct http_server *s = listener->data;
    if (status < 0 || s->stopping)
        return;
    struct conn *c = xcalloc(1, sizeof *c);
    c->server = s;
    uv_tcp_init(s->loop, &c->tcp);
    c->tcp.data = c;
    uv_timer_init(s->loop, &c->timer);
    c->timer.data = c;
    c->handles_open = 2;
    c->next = s->conns;
    if (s->conns)
        s->conns->prev = c;
    s->conns = c;
    s->n_conns++;
    if (uv_accept(listener, (uv_stream_t *)&c->tcp) < 0) {
        conn_close(c);
        return;
    }
    struct sockaddr_storage peer;
    int plen = sizeof peer;
    if (uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&peer, &plen) == 0)
        peer_key_from((struct sockaddr *)&peer, &c->peer);
    /* Over a cap the connection is accepted and closed at once, so the loop never spins. One
     * address may hold at most max_per_address connections; at the global cap the oldest idle
     * connection makes room, so idle sockets cannot lock everyone else out. */
    if (peer_table_add(&s->peers, &c->peer) > s->opts.max_per_address ||
        (s->n_conns > s->opts.max_connections && !close_oldest_idle(s, c))) {
        conn_close(c);
        return;
    }
    uv_tcp_nodelay(&c->tcp, 1);
    http_reader_init(&c->reader, s->opts.max_body, &conn_hooks, c);
    arm_timer(c, s->opts.idle_timeout_ms);
    uv_read_start((uv_stream_t *)&c->tcp, alloc_cb, read_cb);
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss)
{
    char host[256];
    const char *colon = strrchr(listen, ':');
    if (!colon || (size_t)(colon - listen) >= sizeof host)
        return RC_EINVAL;
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (end == colon + 1 || *end || port < 0 || port > 65535)
        return RC_EINVAL;
    if (host[0] == '[') {
        size_t n = strlen(host);
        if (n < 2 || host[n - 1] != ']')
            return RC_EINVAL;
        host[n - 1] = '\0';
        return uv_ip6_addr(host + 1, (int)port, (struct sockaddr_in6 *)ss) == 0 ? 0 : RC_EINVAL;
    }
    if (strcmp(host, "localhost") == 0)
        snprintf(host, sizeof host, "%s", "127.0.0.1");
    return uv_ip4_addr(host, (int)port, (struct sockaddr_in *)ss) == 0 ? 0 : RC_EINVAL;
}

int http_server_start(uv_loop_t *loop, const struct http_server_options *opts,
                      http_handler_fn handler, void *app, struct http_server **out)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    if (parse_listen(opts->listen, &ss) < 0)
        return RC_EINVAL;
    struct http_server *s = xcalloc(1, sizeof *s);
    s->loop = loop;
    s->opts = *opts;
    if (!s->opts.header_timeout_ms)
        s->opts.header_timeout_ms = 10000;
    if (!s->opts.idle_timeout_ms)
        s->opts.idle_timeout_ms = 60000;
    if (!s->opts.write_timeout_ms)
        s->opts.write_timeout_ms = 30000;
    if (!s->opts.max_per_address)
        s->opts.max_per_address = 64;
    if (!s->opts.max_connections) {
        struct rlimit rl;
        size_t limit = 1024;
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
            limit = (size_t)rl.rlim_cur;
        s->opts.max_connections = limit > 128 ? limit - 64 : limit / 2;
    }
    s->handler = handler;
    s->app = app;
    uv_tcp_init(loop, &s->listener);
    s->listener.data = s;
    int rc = uv_tcp_bind(&s->listener, (struct sockaddr *)&ss, 0);
    if (rc == 0)
        rc = uv_listen((uv_stream_t *)&s->listener, 1024, on_connection);
    if (rc < 0) {
        log_error("cannot listen", "listen=%s error=\"%s\"", opts->listen, uv_strerror(rc));
        s->stopping = true;
        s->listener_closed = true;
        uv_close((uv_handle_t *)&s->listener, (uv_close_cb)free);
        return RC_EIO;
    }
    struct sockaddr_storage bound;
    int len = sizeof bound;
    uv_tcp_getsockname(&s->listener, (struct sockaddr *)&bound, &len);
    s->port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                : ((struct sockaddr_in *)&bound)->sin_port);
    *out = s;
    return 0;
}

int http_server_port(const struct http_server *s)
{
    return s->port;
}

static void listener_closed(uv_handle_t *h)
{
    struct http_server *s = h->data;
    s->listener_closed = true;
    if (s->n_conns == 0)
        server_done(s);
}

void http_server_stop(struct http_server *s, void (*cb)(void *ud), void *ud)
{
    s->stopping = true;
    s->stopped_cb = cb;
    s->stopped_ud = ud;
    for (struct conn *c = s->conns, *next; c; c = next) {
        next = c->next;
        if (c->pending_writes)
            c->closing = true;
        else
            conn_close(c);
    }
    uv_close((uv_handle_t *)&s->listener, listener_closed);
}
