/* HTTP/1.1 request parsing without a socket: llhttp with relcal's callbacks and limits (request
 * line and headers 16 KiB -> 431, URL 8 KiB -> 414, chunked bodies -> 411, body over max_body ->
 * 413, a bare LF in the head or anything else malformed -> 400). The connection code in http.c
 * feeds it what it reads; the fuzz target feeds it a byte buffer. Each complete request is handed
 * to a hook, in order. */
#ifndef RELCAL_SERVER_HTTP_READER_H
#define RELCAL_SERVER_HTTP_READER_H

#include <llhttp.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "server/http.h"

struct http_reader_hooks {
    /* A request starts (its first byte arrived). May be NULL. */
    void (*begin)(void *ud);
    /* A complete request, borrowed until the hook returns. keep_alive: what the client asked
     * for (HTTP version and Connection header). Return false to stop reading after it. */
    bool (*request)(void *ud, const struct http_request *req, bool keep_alive);
};

struct http_reader {
    llhttp_t parser;
    const struct http_reader_hooks *hooks;
    void *ud;
    struct buf url;
    struct buf hdr;   /* "name\0value\0" pairs, names lower-cased */
    size_t hdr_bytes; /* request line + headers, for the 16 KiB limit */
    struct buf body;
    size_t max_body;
    bool last_was_value;
    int reject;      /* status for the last refusal, 0 when none */
    bool pause;      /* http_reader_pause was called from the request hook */
    size_t consumed; /* bytes of the last feed parsed when it answered HTTP_READER_PAUSED */
    bool in_body;    /* between the head and the end of a Content-Length body */
    int crlf;        /* bytes of the CR LF CR LF ending the head seen so far */
};

/* The outcome of http_reader_feed besides an error status (400, 411, 413, 414, 431). */
enum { HTTP_READER_MORE = 0, HTTP_READER_STOPPED = 1, HTTP_READER_PAUSED = 2 };

void http_reader_init(struct http_reader *r, size_t max_body, const struct http_reader_hooks *hooks,
                      void *ud);
void http_reader_close(struct http_reader *r);
/* Parses `len` bytes, calling the hooks for every request completed in them. Returns
 * HTTP_READER_MORE when everything was consumed, HTTP_READER_STOPPED when the request hook
 * returned false (the rest is not read), HTTP_READER_PAUSED when the hook called
 * http_reader_pause (r->consumed bytes were parsed: feed the rest again later), or the error
 * status to answer before closing the connection; the reader must not be fed again after
 * HTTP_READER_STOPPED or an error. */
int http_reader_feed(struct http_reader *r, const char *data, size_t len);
/* From the request hook: stop after this request, keeping the bytes after it for a later feed
 * (backpressure: the answers are not being read). */
void http_reader_pause(struct http_reader *r);
/* The error code and message of the JSON body answered with an error status of
 * http_reader_feed. */
void http_reader_error_text(int status, const char **code, const char **message);

#endif
