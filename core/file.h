/* Files written whole or not at all. */
#ifndef RELCAL_CORE_FILE_H
#define RELCAL_CORE_FILE_H

#include <stdbool.h>
#include <stddef.h>

/* Writes `data` to `path` atomically: a temporary file in the same directory, fsync, rename,
 * then fsync of the directory. RC_EIO on failure (logged). */
int file_write_atomic(const char *path, const char *data, size_t n);

/* Whether `path` is a regular file holding exactly these `n` bytes. */
bool file_holds(const char *path, const char *data, size_t n);

#endif
