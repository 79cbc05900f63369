/* ULIDs (github.com/ulid/spec): 48-bit millisecond timestamp + 80 random bits, Crockford
 * base32, 26 characters; sortable by time, monotonic within one millisecond in a process. Used
 * as outbox ids, reused as webhook-id, Discourse external_id and e-mail Message-ID. */
#ifndef RELCAL_CORE_ULID_H
#define RELCAL_CORE_ULID_H

#include <stdint.h>

#define ULID_SIZE 27 /* 26 characters and NUL */

/* A new ULID for instant `ms` (Unix milliseconds). Within the same millisecond the random part
 * is incremented, so ids made in order sort in order. */
void ulid_new(int64_t ms, char out[ULID_SIZE]);
/* Encodes a given timestamp and 10 random bytes (for tests). */
void ulid_encode(int64_t ms, const uint8_t rnd[10], char out[ULID_SIZE]);

#endif
