/* Hashing and encoding wrappers over OpenSSL: SHA-256 (FIPS 180-4), HMAC-SHA256 (RFC 2104,
 * tested with RFC 4231 vectors), constant-time comparison, hex and base64 (RFC 4648), and
 * random bytes for tokens and ids. */
#ifndef RELCAL_CORE_CRYPTO_H
#define RELCAL_CORE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CRYPTO_SHA256_SIZE     32
#define CRYPTO_SHA256_HEX_SIZE 65

void crypto_sha256(const void *data, size_t len, uint8_t out[CRYPTO_SHA256_SIZE]);
/* Lower-case hex of SHA-256 of `data`, NUL-terminated. */
void crypto_sha256_hex(const void *data, size_t len, char out[CRYPTO_SHA256_HEX_SIZE]);
void crypto_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                        uint8_t out[CRYPTO_SHA256_SIZE]);

/* Compares n bytes in time independent of where they differ. */
bool crypto_equal(const void *a, const void *b, size_t n);

/* Writes 2n lower-case hex digits and a NUL. */
void crypto_hex_encode(const uint8_t *in, size_t n, char *out);
/* Value of a hex digit (either case), or -1. */
int crypto_hex_digit(char c);

/* Decodes exactly `n` bytes from 2n hex digits (either case); RC_EPARSE otherwise. */
int crypto_hex_decode(const char *hex, uint8_t *out, size_t n);

/* Standard base64 with padding. Caller frees the result. */
char *crypto_base64_encode(const uint8_t *in, size_t n);
/* Decodes standard base64 (padding optional); caller frees *out. RC_EPARSE on bad input. */
int crypto_base64_decode(const char *in, uint8_t **out, size_t *out_len);

/* Fills buf with cryptographically secure random bytes; RC_ECRYPTO on failure. */
int crypto_random(void *buf, size_t n);

#endif
