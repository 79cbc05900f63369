/* OpenPGP for e-mail channels through GPGME (no cryptography of relcal's own): a rendered
 * RFC 5322 message becomes PGP/MIME (RFC 3156), signed and encrypted to every recipient key
 * (section 6.2, the combined method) or signed only (section 5); and the key checks of
 * `relcal check`. Keys live in the channel's GnuPG home (its pgp.keyring); armored key files are
 * imported into it. See docs/CONTRACT.md "OpenPGP". */
#ifndef RELCAL_NOTIFIERS_PGP_H
#define RELCAL_NOTIFIERS_PGP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"

/* Whether the channel's mail goes through notify_pgp_wrap at all. */
bool notify_pgp_wanted(const struct config_channel *ch);

/* The message (headers ending with MIME-Version, Content-Type and Content-Transfer-Encoding,
 * CRLF lines) as PGP/MIME: the headers before MIME-Version are kept, the body becomes
 * multipart/encrypted (signed inside when the channel has a signing key) or multipart/signed.
 * With pgp.encrypt "required" a recipient key that is missing, expired, revoked or not usable
 * for encryption gives NULL and `error` (never a message in clear); with "if_possible" it gives
 * a signed-only message (or the message unchanged without a signing key). Caller frees. */
char *notify_pgp_wrap(const struct config_channel *ch, const char *message, char *error,
                      size_t error_len);

/* `relcal check`: looks up every key of the channel at `now` (Unix seconds) and calls `report`
 * once per problem, `warning` set for a key that expires within 30 days. Returns the number of
 * errors (not warnings). */
typedef void (*notify_pgp_report_fn)(void *ud, bool warning, const char *message);
int notify_pgp_check(const struct config_channel *ch, int64_t now, notify_pgp_report_fn report,
                     void *ud);

#endif
