/* PGP/MIME through GPGME (see pgp.h). */
#include "notifiers/pgp.h"

#include <gpgme.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/crypto.h"
#include "core/xalloc.h"

#define BOUNDARY     "=_relcal-pgp" /* never in base64 nor in armor */
#define WARN_SECONDS (30 * 86400)

bool notify_pgp_wanted(const struct config_channel *ch)
{
    return ch->pgp_keyring != NULL;
}

static gpgme_error_t passphrase_cb(void *hook, const char *uid_hint, const char *info, int prev_bad,
                                   int fd)
{
    (void)uid_hint;
    (void)info;
    const char *p = hook;
    if (prev_bad)
        return gpg_error(GPG_ERR_BAD_PASSPHRASE);
    if (gpgme_io_writen(fd, p, strlen(p)) < 0 || gpgme_io_writen(fd, "\n", 1) < 0)
        return gpg_error(GPG_ERR_CANCELED);
    return 0;
}

/* A context on the channel's GnuPG home, armored output, passphrases by loopback only. */
static gpgme_ctx_t open_ctx(const struct config_channel *ch, char *error, size_t error_len)
{
    static bool initialised;
    if (!initialised) {
        gpgme_check_version(NULL);
        initialised = true;
    }
    struct stat st;
    if (stat(ch->pgp_keyring, &st) < 0 || !S_ISDIR(st.st_mode) ||
        access(ch->pgp_keyring, R_OK | X_OK) < 0) {
        snprintf(error, error_len, "pgp: the GnuPG home %s is not a readable directory",
                 ch->pgp_keyring);
        return NULL;
    }
    gpgme_ctx_t ctx = NULL;
    gpgme_error_t e = gpgme_new(&ctx);
    if (!e)
        e = gpgme_set_protocol(ctx, GPGME_PROTOCOL_OpenPGP);
    if (!e)
        e = gpgme_ctx_set_engine_info(ctx, GPGME_PROTOCOL_OpenPGP, NULL, ch->pgp_keyring);
    if (!e)
        e = gpgme_set_pinentry_mode(ctx, GPGME_PINENTRY_MODE_LOOPBACK);
    if (e) {
        snprintf(error, error_len, "pgp: cannot use the GnuPG home %s: %s", ch->pgp_keyring,
                 gpgme_strerror(e));
        if (ctx)
            gpgme_release(ctx);
        return NULL;
    }
    gpgme_set_armor(ctx, 1);
    if (ch->pgp_passphrase)
        gpgme_set_passphrase_cb(ctx, passphrase_cb, ch->pgp_passphrase);
    return ctx;
}

/* Why a key cannot be used at `now` (0: trust GnuPG's flags), or NULL. The expiry that matters
 * (the earlier of the primary key's and the last usable subkey's) goes to *expires (0: none). */
static const char *unusable(gpgme_key_t k, bool signing, int64_t now, int64_t *expires)
{
    *expires = 0;
    if (k->revoked)
        return "is revoked";
    if (k->disabled || k->invalid)
        return "is disabled or invalid";
    gpgme_subkey_t primary = k->subkeys;
    bool any = false, live = false;
    int64_t last = 0;
    for (gpgme_subkey_t s = k->subkeys; s; s = s->next) {
        if (!(signing ? s->can_sign : s->can_encrypt))
            continue;
        any = true;
        bool gone = s->expired || (now && s->expires && s->expires <= now);
        if (s->revoked || s->disabled || s->invalid || gone)
            continue;
        if (signing && !s->secret)
            continue;
        live = true;
        if (last >= 0)
            last = s->expires ? (last > s->expires ? last : s->expires) : -1;
    }
    if (k->expired || (now && primary && primary->expires && primary->expires <= now))
        return "has expired";
    if (!live)
        return !any      ? (signing ? "cannot sign" : "cannot encrypt")
               : signing ? "has no usable secret signing key"
                         : "has no unexpired encryption subkey";
    *expires = last > 0 ? last : 0;
    if (primary && primary->expires && (!*expires || primary->expires < *expires))
        *expires = primary->expires;
    return NULL;
}

/* The first key of an armored key file, read without importing it. */
static gpgme_error_t file_key(gpgme_ctx_t ctx, const char *path, gpgme_key_t *out)
{
    gpgme_data_t d;
    *out = NULL;
    gpgme_error_t e = gpgme_data_new_from_file(&d, path, 1);
    if (e)
        return e;
    e = gpgme_op_keylist_from_data_start(ctx, d, 0);
    gpgme_key_t k;
    while (!e && !gpgme_op_keylist_next(ctx, &k)) {
        if (*out)
            gpgme_key_unref(k);
        else
            *out = k;
    }
    gpgme_op_keylist_end(ctx);
    gpgme_data_release(d);
    return e ? e : *out ? 0 : gpg_error(GPG_ERR_NO_PUBKEY);
}

static bool is_path(const char *r)
{
    for (const char *p = r; *p; p++)
        if (crypto_hex_digit(*p) < 0)
            return true;
    return false;
}

/* Looks up recipient `r` (a fingerprint in the keyring, or a file: listed, checked, then
 * imported so gpg can encrypt to it); *key is usable, or NULL with `error`. */
static void recipient_key(gpgme_ctx_t ctx, const char *r, int64_t now, gpgme_key_t *key,
                          int64_t *expires, char *error, size_t error_len)
{
    gpgme_error_t e;
    *key = NULL;
    if (is_path(r)) {
        e = file_key(ctx, r, key);
        if (e) {
            snprintf(error, error_len, "pgp: no usable key in %s: %s", r, gpgme_strerror(e));
            return;
        }
    } else if ((e = gpgme_get_key(ctx, r, key, 0))) {
        snprintf(error, error_len, "pgp: recipient key %s is not in the keyring", r);
        *key = NULL;
        return;
    }
    const char *why = unusable(*key, false, now, expires);
    if (why) {
        snprintf(error, error_len, "pgp: recipient key %s %s", (*key)->fpr ? (*key)->fpr : r, why);
        gpgme_key_unref(*key);
        *key = NULL;
    }
}

/* A file key is imported into the keyring and looked up there (encryption needs it). */
static gpgme_key_t keyring_copy(gpgme_ctx_t ctx, const char *r, gpgme_key_t k, char *error,
                                size_t error_len)
{
    if (!is_path(r))
        return k;
    gpgme_data_t d;
    gpgme_key_t in = NULL;
    gpgme_error_t e = gpgme_data_new_from_file(&d, r, 1);
    if (!e) {
        e = gpgme_op_import(ctx, d);
        gpgme_data_release(d);
    }
    if (!e)
        e = gpgme_get_key(ctx, k->fpr, &in, 0);
    if (e)
        snprintf(error, error_len, "pgp: cannot import %s into the keyring: %s", r,
                 gpgme_strerror(e));
    gpgme_key_unref(k);
    return e ? NULL : in;
}

static gpgme_key_t signing_key(gpgme_ctx_t ctx, const struct config_channel *ch, int64_t now,
                               int64_t *expires, char *error, size_t error_len)
{
    gpgme_key_t k = NULL;
    if (gpgme_get_key(ctx, ch->pgp_signing_key, &k, 1)) {
        snprintf(error, error_len, "pgp: the secret signing key %s is not in the keyring",
                 ch->pgp_signing_key);
        return NULL;
    }
    const char *why = unusable(k, true, now, expires);
    if (why) {
        snprintf(error, error_len, "pgp: the signing key %s %s", ch->pgp_signing_key, why);
        gpgme_key_unref(k);
        return NULL;
    }
    return k;
}

/* Appends the LF (or CRLF) text as CRLF lines. */
static void append_crlf(struct buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
            buf_append(b, "\r", 1);
        buf_append(b, s + i, 1);
    }
}

static char *take_data(gpgme_data_t d, size_t *len)
{
    *len = 0;
    char *mem = gpgme_data_release_and_get_mem(d, len);
    if (!mem)
        *len = 0;
    char *copy = xmalloc(*len + 1);
    memcpy(copy, mem ? mem : "", *len);
    copy[*len] = '\0';
    gpgme_free(mem);
    return copy;
}

static char *finish(struct buf *b)
{
    char *s = xstrdup(buf_cstr(b));
    buf_close(b);
    return s;
}

/* The signed part of multipart/signed: text/plain in base64 (7-bit, RFC 3156 section 3). */
static void signed_entity(struct buf *b, const char *body)
{
    char *enc = crypto_base64_encode((const uint8_t *)body, strlen(body));
    buf_append_str(b, "Content-Type: text/plain; charset=utf-8\r\n"
                      "Content-Transfer-Encoding: base64\r\n\r\n");
    for (size_t i = 0, n = strlen(enc); i < n; i += 76) {
        buf_append(b, enc + i, n - i < 76 ? n - i : 76);
        buf_append_str(b, "\r\n");
    }
    free(enc);
}

static char *sign_only(gpgme_ctx_t ctx, const char *head, size_t head_len, const char *body,
                       char *error, size_t error_len)
{
    struct buf part, out;
    buf_init(&part, 8 << 20);
    signed_entity(&part, body);
    gpgme_data_t in, sig;
    gpgme_data_new_from_mem(&in, buf_cstr(&part), part.len, 0);
    gpgme_data_new(&sig);
    gpgme_error_t e = gpgme_op_sign(ctx, in, sig, GPGME_SIG_MODE_DETACH);
    gpgme_sign_result_t r = e ? NULL : gpgme_op_sign_result(ctx);
    gpgme_data_release(in);
    size_t sig_len;
    char *armored = take_data(sig, &sig_len);
    if (!r || !r->signatures) {
        snprintf(error, error_len, "pgp: cannot sign: %s",
                 gpgme_strerror(e ? e : gpg_error(GPG_ERR_GENERAL)));
        free(armored);
        buf_close(&part);
        return NULL;
    }
    char micalg[32];
    const char *h = gpgme_hash_algo_name(r->signatures->hash_algo);
    snprintf(micalg, sizeof micalg, "pgp-%s", h ? h : "sha256");
    for (char *p = micalg; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    buf_init(&out, 16 << 20);
    buf_append(&out, head, head_len);
    buf_appendf(&out,
                "MIME-Version: 1.0\r\nContent-Type: multipart/signed; micalg=%s;\r\n"
                " protocol=\"application/pgp-signature\"; boundary=\"" BOUNDARY "\"\r\n\r\n"
                "This is an OpenPGP/MIME signed message (RFC 4880 and 3156)\r\n"
                "--" BOUNDARY "\r\n",
                micalg);
    buf_append(&out, buf_cstr(&part), part.len);
    buf_append_str(&out, "\r\n--" BOUNDARY "\r\n"
                         "Content-Type: application/pgp-signature; name=\"signature.asc\"\r\n"
                         "Content-Description: OpenPGP digital signature\r\n"
                         "Content-Disposition: attachment; filename=\"signature.asc\"\r\n\r\n");
    append_crlf(&out, armored, sig_len);
    buf_append_str(&out, "\r\n--" BOUNDARY "--\r\n");
    free(armored);
    buf_close(&part);
    return finish(&out);
}

static char *encrypt(gpgme_ctx_t ctx, gpgme_key_t *keys, bool sign, const char *head,
                     size_t head_len, const char *entity, char *error, size_t error_len)
{
    gpgme_data_t in, cipher;
    gpgme_data_new_from_mem(&in, entity, strlen(entity), 0);
    gpgme_data_new(&cipher);
    /* The config names the keys: that is the trust, no web of trust is consulted. */
    gpgme_error_t e = sign
                          ? gpgme_op_encrypt_sign(ctx, keys, GPGME_ENCRYPT_ALWAYS_TRUST, in, cipher)
                          : gpgme_op_encrypt(ctx, keys, GPGME_ENCRYPT_ALWAYS_TRUST, in, cipher);
    gpgme_encrypt_result_t er = gpgme_op_encrypt_result(ctx);
    if (!e && er && er->invalid_recipients)
        e = gpg_error(GPG_ERR_UNUSABLE_PUBKEY);
    if (!e && sign) {
        gpgme_sign_result_t sr = gpgme_op_sign_result(ctx);
        if (!sr || !sr->signatures || sr->invalid_signers)
            e = gpg_error(GPG_ERR_UNUSABLE_SECKEY);
    }
    gpgme_data_release(in);
    size_t n;
    char *armored = take_data(cipher, &n);
    if (e) {
        snprintf(error, error_len, "pgp: cannot %s: %s", sign ? "sign and encrypt" : "encrypt",
                 gpgme_strerror(e));
        free(armored);
        return NULL;
    }
    struct buf out;
    buf_init(&out, 16 << 20);
    buf_append(&out, head, head_len);
    buf_append_str(&out,
                   "MIME-Version: 1.0\r\nContent-Type: multipart/encrypted;\r\n"
                   " protocol=\"application/pgp-encrypted\"; boundary=\"" BOUNDARY "\"\r\n\r\n"
                   "This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)\r\n"
                   "--" BOUNDARY "\r\n"
                   "Content-Type: application/pgp-encrypted\r\n"
                   "Content-Description: PGP/MIME version identification\r\n\r\n"
                   "Version: 1\r\n\r\n"
                   "--" BOUNDARY "\r\n"
                   "Content-Type: application/octet-stream; name=\"encrypted.asc\"\r\n"
                   "Content-Description: OpenPGP encrypted message\r\n"
                   "Content-Disposition: inline; filename=\"encrypted.asc\"\r\n\r\n");
    append_crlf(&out, armored, n);
    buf_append_str(&out, "\r\n--" BOUNDARY "--\r\n");
    free(armored);
    return finish(&out);
}

char *notify_pgp_wrap(const struct config_channel *ch, const char *message, char *error,
                      size_t error_len)
{
    const char *mime = strstr(message, "MIME-Version: 1.0\r\n");
    const char *sep = mime ? strstr(mime, "\r\n\r\n") : NULL;
    if (!sep) {
        snprintf(error, error_len, "pgp: not a MIME message");
        return NULL;
    }
    size_t head_len = (size_t)(mime - message);
    const char *entity = mime + strlen("MIME-Version: 1.0\r\n"); /* its headers and body */
    const char *body = sep + 4;
    gpgme_ctx_t ctx = open_ctx(ch, error, error_len);
    if (!ctx)
        return NULL;
    char *out = NULL;
    int64_t exp;
    gpgme_key_t signer = NULL;
    gpgme_key_t *keys = xcalloc(ch->n_pgp_recipients + 1, sizeof *keys);
    if (ch->pgp_signing_key && !(signer = signing_key(ctx, ch, 0, &exp, error, error_len)))
        goto out;
    if (signer && gpgme_signers_add(ctx, signer)) {
        snprintf(error, error_len, "pgp: cannot sign with %s", ch->pgp_signing_key);
        goto out;
    }
    bool all = ch->pgp_encrypt != CONFIG_PGP_NEVER && ch->n_pgp_recipients;
    char why[256] = "";
    for (size_t i = 0; all && i < ch->n_pgp_recipients; i++) {
        recipient_key(ctx, ch->pgp_recipients[i], 0, &keys[i], &exp, why, sizeof why);
        if (keys[i])
            keys[i] = keyring_copy(ctx, ch->pgp_recipients[i], keys[i], why, sizeof why);
        all = keys[i] != NULL;
    }
    if (all)
        out = encrypt(ctx, keys, signer != NULL, message, head_len, entity, error, error_len);
    else if (ch->pgp_encrypt == CONFIG_PGP_REQUIRED)
        snprintf(error, error_len, "%.100s; not sent in clear", why);
    else if (signer)
        out = sign_only(ctx, message, head_len, body, error, error_len);
    else
        out = xstrdup(message);
out:
    for (size_t i = 0; i < ch->n_pgp_recipients; i++)
        if (keys[i])
            gpgme_key_unref(keys[i]);
    free(keys);
    if (signer)
        gpgme_key_unref(signer);
    gpgme_release(ctx);
    return out;
}

static void expiry_warning(int64_t expires, int64_t now, const char *what, const char *id,
                           notify_pgp_report_fn report, void *ud)
{
    if (!expires || expires - now >= WARN_SECONDS)
        return;
    char msg[320];
    snprintf(msg, sizeof msg, "pgp: %s %s expires in %lld day(s): renew it before then", what, id,
             (long long)((expires - now + 86399) / 86400));
    report(ud, true, msg);
}

int notify_pgp_check(const struct config_channel *ch, int64_t now, notify_pgp_report_fn report,
                     void *ud)
{
    if (!notify_pgp_wanted(ch))
        return 0;
    char error[320];
    gpgme_ctx_t ctx = open_ctx(ch, error, sizeof error);
    if (!ctx) {
        report(ud, false, error);
        return 1;
    }
    int errors = 0;
    int64_t expires;
    if (ch->pgp_signing_key) {
        gpgme_key_t k = signing_key(ctx, ch, now, &expires, error, sizeof error);
        if (!k) {
            report(ud, false, error);
            errors++;
        } else {
            expiry_warning(expires, now, "the signing key", ch->pgp_signing_key, report, ud);
            gpgme_key_unref(k);
        }
    }
    for (size_t i = 0; i < ch->n_pgp_recipients; i++) {
        gpgme_key_t k;
        recipient_key(ctx, ch->pgp_recipients[i], now, &k, &expires, error, sizeof error);
        if (!k) {
            report(ud, false, error);
            errors++;
            continue;
        }
        expiry_warning(expires, now, "recipient key", k->fpr ? k->fpr : ch->pgp_recipients[i],
                       report, ud);
        gpgme_key_unref(k);
    }
    gpgme_release(ctx);
    return errors;
}
