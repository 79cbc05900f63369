/* A growable byte buffer with a hard size cap (curl's dynbuf idea): appending past `max`
 * fails with RC_ETOOBIG and leaves the buffer as it was. The data is always NUL-terminated.
 * The first failed append is kept (buf_error): every later append fails too and buf_steal
 * returns NULL, so a document that did not fit is refused whole, never handed on truncated,
 * and a writer may append without checking each call as long as it checks buf_steal or
 * buf_error at the end. */
#ifndef RELCAL_CORE_BUF_H
#define RELCAL_CORE_BUF_H

#include <stddef.h>

struct buf {
    char *data; /* owned; NULL until the first append */
    size_t len;
    size_t cap;
    size_t max;
    int err; /* 0, or the RC_E* of the first failed append */
};

void buf_init(struct buf *b, size_t max);
/* Frees the storage; the buffer may be reused after buf_init(). */
void buf_close(struct buf *b);
/* Empties the buffer and clears its error. */
void buf_reset(struct buf *b);
int buf_append(struct buf *b, const void *p, size_t n);
int buf_append_str(struct buf *b, const char *s);
int buf_appendf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Never NULL: "" for an empty buffer. Borrowed. */
const char *buf_cstr(const struct buf *b);
/* 0, or the error of the first append that failed since buf_init/buf_reset. */
int buf_error(const struct buf *b);
/* Hands the storage to the caller (free() it); the buffer is empty afterwards (error cleared).
 * NULL (and *len 0) when an append failed: the content is incomplete and was freed. */
char *buf_steal(struct buf *b, size_t *len);

#endif
