/* core/crypto: SHA-256 (FIPS 180-2 examples), HMAC-SHA256 (RFC 4231 test cases 1-4, 6, 7),
 * constant-time comparison, hex and base64 (RFC 4648 section 10 vectors). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "core/err.h"

static void sha256_vectors(void **state)
{
    (void)state;
    char hex[CRYPTO_SHA256_HEX_SIZE];
    crypto_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    crypto_sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    crypto_sha256_hex(m, strlen(m), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

struct hmac_case {
    const char *key_hex;
    const char *data_hex;
    const char *mac_hex;
};

static void hmac_rfc4231(void **state)
{
    (void)state;
    /* Key 131 x 0xaa for cases 6 and 7. */
    char aa[263];
    memset(aa, 'a', 262);
    aa[262] = '\0';
    const struct hmac_case cases[] = {
        {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
        {"4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
         "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
         "dddddddddddddddd",
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
        {"0102030405060708090a0b0c0d0e0f10111213141516171819",
         "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
         "cdcdcdcdcdcdcdcd",
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
        {aa,
         "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048"
         "617368204b6579204669727374",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
        {aa,
         "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d"
         "73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174"
         "612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e"
         "6720757365642062792074686520484d414320616c676f726974686d2e",
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t kl = strlen(cases[i].key_hex) / 2, dl = strlen(cases[i].data_hex) / 2;
        uint8_t *k = malloc(kl), *d = malloc(dl), mac[32];
        assert_int_equal(crypto_hex_decode(cases[i].key_hex, k, kl), 0);
        assert_int_equal(crypto_hex_decode(cases[i].data_hex, d, dl), 0);
        crypto_hmac_sha256(k, kl, d, dl, mac);
        char hex[65];
        crypto_hex_encode(mac, 32, hex);
        assert_string_equal(hex, cases[i].mac_hex);
        free(k);
        free(d);
    }
}

static void equal_and_hex(void **state)
{
    (void)state;
    assert_true(crypto_equal("abcd", "abcd", 4));
    assert_false(crypto_equal("abcd", "abce", 4));
    assert_false(crypto_equal("xbcd", "abcd", 4));
    uint8_t out[2];
    assert_int_equal(crypto_hex_decode("ABcd", out, 2), 0);
    assert_int_equal(out[0], 0xab);
    assert_int_equal(out[1], 0xcd);
    assert_int_equal(crypto_hex_decode("abc", out, 2), RC_EPARSE);
    assert_int_equal(crypto_hex_decode("zzzz", out, 2), RC_EPARSE);
    assert_int_equal(crypto_hex_decode("abcdef", out, 2), RC_EPARSE);
}

static void base64_rfc4648(void **state)
{
    (void)state;
    const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    const char *enc[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (int i = 0; i < 7; i++) {
        char *e = crypto_base64_encode((const uint8_t *)plain[i], strlen(plain[i]));
        assert_string_equal(e, enc[i]);
        free(e);
        uint8_t *d;
        size_t n;
        assert_int_equal(crypto_base64_decode(enc[i], &d, &n), 0);
        assert_int_equal(n, strlen(plain[i]));
        assert_memory_equal(d, plain[i], n);
        free(d);
    }
    uint8_t *d = NULL;
    size_t n;
    assert_int_equal(crypto_base64_decode("Zm9v!mFy", &d, &n), RC_EPARSE);
    assert_int_equal(crypto_base64_decode("Z", &d, &n), RC_EPARSE);
    assert_int_equal(crypto_base64_decode("Zg===", &d, &n), RC_EPARSE);
    assert_null(d);
}

static void random_bytes(void **state)
{
    (void)state;
    uint8_t a[32], b[32];
    assert_int_equal(crypto_random(a, sizeof a), 0);
    assert_int_equal(crypto_random(b, sizeof b), 0);
    assert_false(crypto_equal(a, b, sizeof a));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha256_vectors), cmocka_unit_test(hmac_rfc4231),
        cmocka_unit_test(equal_and_hex),  cmocka_unit_test(base64_rfc4648),
        cmocka_unit_test(random_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
