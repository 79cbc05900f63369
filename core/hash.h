/* FNV-1a, the one non-cryptographic hash: memo keys, statement and set lookups. */
#ifndef RELCAL_CORE_HASH_H
#define RELCAL_CORE_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_FNV1A_INIT 1469598103934665603ull

/* FNV-1a (64 bits) of `n` bytes, continuing from `h` (HASH_FNV1A_INIT to start). */
uint64_t hash_fnv1a(uint64_t h, const void *data, size_t n);

#endif
