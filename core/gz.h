/* gzip (RFC 1952) compression of a buffer with zlib, and atomic file writes. */
#ifndef RELCAL_CORE_GZ_H
#define RELCAL_CORE_GZ_H

#include <stddef.h>

/* A gzip member holding `in`; caller frees. NULL when zlib fails. */
char *gz_compress(const char *in, size_t n, size_t *out_len);

/* Writes `data` to `path` atomically: a temporary file in the same directory, fsync, rename,
 * then fsync of the directory. RC_EIO on failure (logged). */
int file_write_atomic(const char *path, const char *data, size_t n);

#endif
