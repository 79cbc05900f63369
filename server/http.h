/* HTTP/1.1 server on libuv, parsed by llhttp (RFC 9112): keep-alive and pipelining (responses
 * in request order), HEAD, a Date header, bodies by Content-Length (chunked request bodies are
 * refused with 411), limits (request line and headers 16 KiB -> 431, URL 8 KiB -> 414, body
 * over the configured maximum -> 413, all closing the connection), a header timeout against
 * slow clients, an idle keep-alive timeout, a write timeout against clients that do not read,
 * backpressure (a connection whose queued answers pass 256 KiB is not read until its client
 * reads them), a connection cap below the fd limit (the oldest idle connection makes room) and
 * a per-address cap. Handlers
 * run synchronously on the loop and fill a response. */
#ifndef RELCAL_SERVER_HTTP_H
#define RELCAL_SERVER_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "core/buf.h"

#define HTTP_HEADERS_MAX_BYTES (16 * 1024)
#define HTTP_URL_MAX_BYTES     (8 * 1024)
#define HTTP_HEADERS_MAX       64

struct http_header {
    const char *name; /* borrowed from the request's storage; lower-cased */
    const char *value;
};

struct http_request {
    const char *method; /* "GET", ... */
    bool head;          /* HEAD: answer with the GET headers and no body */
    const char *target; /* raw request-target: path and query */
    struct http_header headers[HTTP_HEADERS_MAX];
    size_t n_headers;
    const char *body; /* NUL-terminated copy; body_len bytes */
    size_t body_len;
};

/* Value of a header (case-insensitive name), or NULL. Borrowed. */
const char *http_request_header(const struct http_request *req, const char *name);

/* A whole answer built once and kept by a handler's cache (a feed): status line, Date, the rest
 * of the head and the body in one buffer, so that a keep-alive answer is one write and nothing
 * in it is formatted per request but the Date (rewritten in place at most once a second). Made
 * by http_prepared_build, freed by http_prepared_free; the cache owns it. */
struct http_prepared {
    char *bytes; /* owned; NULL when not built */
    size_t len;  /* head and body */
    size_t head_len;
    size_t date_at, date_len; /* the Date value */
    size_t close_at;          /* where "Connection: close" goes when the connection closes */
    int64_t date_of;          /* the second the Date value shows */
    bool has_fd;              /* the whole answer is also in `fd` (a memfd), sent from there */
    int fd;
    int64_t fd_date_of; /* the second the memfd's Date shows: a new memfd when it differs */
};

struct http_response {
    int status;
    const char *content_type; /* static or borrowed until the handler returns */
    struct buf headers;       /* extra header lines, each "Name: value\r\n" */
    struct buf body;
    /* Borrowed bytes sent instead of `body` when not NULL (a cached feed): they must stay valid
     * until the handler's caller has written the answer, which it does before returning. */
    const char *body_ref;
    size_t body_ref_len;
    /* Borrowed like body_ref: when not NULL it is the whole answer (its status must be `status`)
     * and content_type, headers, body and body_ref are not sent. */
    struct http_prepared *prepared;
    bool close;
};

/* Adds "name: value\r\n" to the extra headers. */
void http_response_header(struct http_response *resp, const char *name, const char *value);
const char *http_status_text(int status);

typedef void (*http_handler_fn)(void *app, const struct http_request *req,
                                struct http_response *resp);

struct http_server_options {
    const char *listen; /* "HOST:PORT" or "[V6]:PORT"; port 0 picks one */
    size_t max_body;
    uint64_t header_timeout_ms; /* default 10 s */
    uint64_t idle_timeout_ms;   /* default 60 s */
    uint64_t write_timeout_ms;  /* no write progress this long closes: default 30 s */
    size_t max_connections;     /* 0: below the fd limit */
    size_t max_per_address;     /* connections from one client address: default 64 */
};

struct http_server;

/* Binds and listens. RC_EINVAL for a bad address, RC_EIO when it cannot listen. */
int http_server_start(uv_loop_t *loop, const struct http_server_options *opts,
                      http_handler_fn handler, void *app, struct http_server **out);
/* The bound port. */
int http_server_port(const struct http_server *s);
/* Stops accepting, lets queued responses finish, closes every connection, frees the server and
 * then calls cb (from the loop). */
void http_server_stop(struct http_server *s, void (*cb)(void *ud), void *ud);

/* The status line and headers of `resp` (with Date, Content-Type, Content-Length). */
void http_response_serialize_head(const struct http_response *resp, bool keep_alive, int64_t now,
                                  struct buf *out);
/* Builds `p` from `resp` (status, content type, extra headers, body or body_ref): the bytes
 * http_response_serialize would send for a GET on a keep-alive connection. Frees what p held. */
void http_prepared_build(struct http_prepared *p, const struct http_response *resp);
void http_prepared_free(struct http_prepared *p);
/* Whether the answer carries its body (not for HEAD, 204 or 304). */
bool http_response_has_body(const struct http_request *req, const struct http_response *resp);
/* Serialises `resp` for `req` (HEAD drops the body) into out, `resp->prepared` too (its Date
 * set to `now`); exposed for unit tests. */
void http_response_serialize(const struct http_request *req, const struct http_response *resp,
                             bool keep_alive, int64_t now, struct buf *out);

#endif
