/* A growable byte buffer with a hard size cap (curl's dynbuf idea): appending past `max`
 * fails with RC_ETOOBIG and leaves the buffer as it was. The data is always NUL-terminated. */
#ifndef RELCAL_CORE_BUF_H
#define RELCAL_CORE_BUF_H

#include <stddef.h>

struct buf {
    char *data; /* owned; NULL until the first append */
    size_t len;
    size_t cap;
    size_t max;
};

void buf_init(struct buf *b, size_t max);
/* Frees the storage; the buffer may be reused after buf_init(). */
void buf_close(struct buf *b);
void buf_reset(struct buf *b);
int buf_append(struct buf *b, const void *p, size_t n);
int buf_append_str(struct buf *b, const char *s);
int buf_appendf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Never NULL: "" for an empty buffer. Borrowed. */
const char *buf_cstr(const struct buf *b);
/* Hands the storage to the caller (free() it); the buffer is empty afterwards. */
char *buf_steal(struct buf *b, size_t *len);

#endif
