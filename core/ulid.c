/* ULID generation (github.com/ulid/spec). */
#include "core/ulid.h"

#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void ulid_encode(int64_t ms, const uint8_t rnd[10], char out[ULID_SIZE])
{
    uint64_t t = (uint64_t)ms & 0xFFFFFFFFFFFFull;
    for (int i = 9; i >= 0; i--) {
        out[i] = crockford[t & 31];
        t >>= 5;
    }
    /* 80 random bits as 16 characters of 5 bits, most significant first. */
    for (int i = 0; i < 16; i++) {
        int bit = i * 5, v = 0;
        for (int k = 0; k < 5; k++, bit++)
            v = v << 1 | ((rnd[bit / 8] >> (7 - bit % 8)) & 1);
        out[10 + i] = crockford[v];
    }
    out[26] = '\0';
}

void ulid_new(int64_t ms, char out[ULID_SIZE])
{
    static int64_t last_ms = -1;
    static uint8_t last_rnd[10];
    if (ms == last_ms) {
        for (int i = 9; i >= 0 && ++last_rnd[i] == 0; i--)
            ;
    } else {
        if (crypto_random(last_rnd, sizeof last_rnd) < 0)
            abort();
        last_ms = ms;
    }
    ulid_encode(ms, last_rnd, out);
}
