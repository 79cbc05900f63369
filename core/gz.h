/* gzip (RFC 1952) compression of a buffer with zlib. */
#ifndef RELCAL_CORE_GZ_H
#define RELCAL_CORE_GZ_H

#include <stddef.h>

/* A gzip member holding `in`; caller frees. NULL when zlib fails. */
char *gz_compress(const char *in, size_t n, size_t *out_len);

#endif
