/* Files written whole or not at all. */
#ifndef RELCAL_CORE_FILE_H
#define RELCAL_CORE_FILE_H

#include <stddef.h>

/* Writes `data` to `path` atomically: a temporary file in the same directory, fsync, rename,
 * then fsync of the directory. RC_EIO on failure (logged). */
int file_write_atomic(const char *path, const char *data, size_t n);

#endif
