/* Allocation wrappers that never return NULL: out of memory aborts with a message, so callers
 * carry no OOM branches (the tmux/Redis convention). */
#ifndef RELCAL_CORE_XALLOC_H
#define RELCAL_CORE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array of `count` elements of `size` bytes; aborts on overflow. */
void *xreallocarray(void *p, size_t count, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new heap string; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
