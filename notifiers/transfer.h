/* One delivery attempt as a libcurl easy handle: set up per channel type (webhook, discord,
 * discourse, email) from an outbox row, and read back into a verdict when curl is done. Private
 * to notifiers/ (the engine drives the multi handle). */
#ifndef RELCAL_NOTIFIERS_TRANSFER_H
#define RELCAL_NOTIFIERS_TRANSFER_H

#include <curl/curl.h>
#include <stdbool.h>

#include "config/config.h"
#include "core/buf.h"
#include "notifiers/outcome.h"
#include "store/store.h"

#define TRANSFER_HOST_MAX 256

struct transfer {
    struct transfer *prev, *next; /* the engine's list of transfers in flight */
    CURL *easy;
    struct curl_slist *headers;
    struct store_outbox row;
    char host[TRANSFER_HOST_MAX]; /* what the per-host cap counts */
    char *body;
    char retry_after[64];
    int64_t max_retry_after; /* the config's delivery_max_retry_after_seconds */
    bool allow_private;
    bool refused; /* the address was private, loopback or link-local */
    bool discord;
    bool email;
    bool discourse;
    struct curl_slist *rcpt;
    size_t sent;         /* bytes of body handed to curl (e-mail upload) */
    struct buf response; /* capped answer body, for receipts and Discord's retry_after */
};

/* The "host[:port]" of the channel's endpoint (its per-host key), "" for a `log` channel. */
void transfer_host(const struct config_channel *ch, char out[TRANSFER_HOST_MAX]);

/* Takes ownership of `row` (zeroed on return) and builds the easy handle; `host` is the
 * per-host key the engine counts it under (transfer_host of the channel when it was claimed). NULL
 * with `error` set when the row cannot be sent to this channel at all (a permanent failure).
 * `topic` is the Discourse topic of the release (0: open one). */
/* What a message continues: the Discourse topic of its release (0: none yet), the first e-mail
 * about the release to the channel ("" when none or this is it). */
struct transfer_thread {
    long topic;
    char first_id[27];
};

struct transfer *transfer_new(const struct config *cfg, const struct config_project *p,
                              const struct config_channel *ch, const char *host,
                              struct store_outbox *row, const struct transfer_thread *thread,
                              int64_t now, char *error, size_t error_len);

/* The verdict for a finished transfer (`result` from curl); `receipt` gets the receiver's
 * answer in short (a Discord message id, Discourse topic and post ids, the HTTP status). */
void transfer_outcome(struct transfer *t, CURLcode result, int64_t now, double jitter,
                      struct notify_decision *d, char *receipt, size_t receipt_len);

void transfer_free(struct transfer *t);

#endif
