/* SHA-256, HMAC-SHA256 and random bytes through OpenSSL; hex and base64 by hand. */
#include "core/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"

void crypto_sha256(const void *data, size_t len, uint8_t out[CRYPTO_SHA256_SIZE])
{
    unsigned int n = 0;
    if (!EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) || n != CRYPTO_SHA256_SIZE)
        abort(); /* only fails when OpenSSL itself is broken */
}

void crypto_sha256_hex(const void *data, size_t len, char out[CRYPTO_SHA256_HEX_SIZE])
{
    uint8_t d[CRYPTO_SHA256_SIZE];
    crypto_sha256(data, len, d);
    crypto_hex_encode(d, sizeof d, out);
}

void crypto_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                        uint8_t out[CRYPTO_SHA256_SIZE])
{
    unsigned int n = 0;
    static const uint8_t empty;
    if (!HMAC(EVP_sha256(), key_len ? key : &empty, (int)key_len, data, len, out, &n) ||
        n != CRYPTO_SHA256_SIZE)
        abort();
}

bool crypto_equal(const void *a, const void *b, size_t n)
{
    return CRYPTO_memcmp(a, b, n) == 0;
}

void crypto_hex_encode(const uint8_t *in, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[in[i] >> 4];
        out[2 * i + 1] = hex[in[i] & 15];
    }
    out[2 * n] = '\0';
}

int crypto_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int crypto_hex_decode(const char *hex, uint8_t *out, size_t n)
{
    if (!hex || strlen(hex) != 2 * n)
        return RC_EPARSE;
    for (size_t i = 0; i < n; i++) {
        int hi = crypto_hex_digit(hex[2 * i]), lo = crypto_hex_digit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return RC_EPARSE;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *crypto_base64_encode(const uint8_t *in, size_t n)
{
    char *out = xmalloc(4 * ((n + 2) / 3) + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        out[o++] = b64[v >> 18 & 63];
        out[o++] = b64[v >> 12 & 63];
        out[o++] = i + 1 < n ? b64[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? b64[v & 63] : '=';
    }
    out[o] = '\0';
    return out;
}

int crypto_base64_decode(const char *in, uint8_t **out, size_t *out_len)
{
    size_t len = strlen(in);
    while (len > 0 && in[len - 1] == '=')
        len--;
    if (len % 4 == 1 || strlen(in) - len > 2)
        return RC_EPARSE;
    uint8_t *res = xmalloc(len * 3 / 4 + 1);
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        const char *p = in[i] ? strchr(b64, in[i]) : NULL;
        if (!p) {
            free(res);
            return RC_EPARSE;
        }
        acc = acc << 6 | (uint32_t)(p - b64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            res[o++] = (uint8_t)(acc >> bits);
        }
    }
    *out = res;
    *out_len = o;
    return 0;
}

int crypto_random(void *buf, size_t n)
{
    return RAND_bytes(buf, (int)n) == 1 ? 0 : RC_ECRYPTO;
}
