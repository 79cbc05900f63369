/* Renderers from an outbox payload (the webhook-format JSON message) to a channel's own format.
 * They read only what the payload holds, and public payloads hold only the public release
 * object. */
#ifndef RELCAL_NOTIFIERS_RENDER_H
#define RELCAL_NOTIFIERS_RENDER_H

#include <stddef.h>
#include <stdint.h>

struct policy_zone; /* policy/zone.h */

#define DISCORD_CONTENT_MAX      2000
#define DISCORD_EMBED_TITLE_MAX  256
#define DISCORD_EMBED_DESC_MAX   4096
#define DISCORD_EMBEDS_MAX       10   /* embeds in one message */
#define DISCORD_EMBEDS_TOTAL_MAX 6000 /* code points of every embed's title and description */

/* A Discord "execute webhook" body: content and embeds within Discord's limits (truncated by
 * code point with an ellipsis), allowed_mentions with an empty parse list. The first embed is
 * the release; a published release's advisories follow, one embed each (its CVE id first in the
 * title, so never cut), with a last embed listing those beyond 10 embeds, all within 6000 code
 * points. `zone` is the
 * project's zone for local times (borrowed; NULL: UTC only); `page_url` links the embed. Caller
 * frees. NULL when the payload is not a relcal message. */
char *notify_render_discord(const char *payload, const char *project_name,
                            const struct policy_zone *zone, const char *page_url);

/* An RFC 5322 message (CRLF lines, UTF-8 text body) for an e-mail channel: Date (numeric zone),
 * From, To (every recipient), a subject in words ("[Acme] Embargoed security release 5.1.3 on
 * 2027-02-09 13:00 UTC: 2 issues"), Message-ID <id@host>, In-Reply-To and References to
 * <thread_id@host> when thread_id (the first message about the release to this channel) is
 * another message, MIME headers, and a text rendering with the embargo end and every issue the
 * payload carries (distributor and team audiences). `now` dates it. Caller frees. NULL when the
 * payload is not a relcal message or the message does not fit its 4 MiB cap. */
char *notify_render_email(const char *payload, const char *project_name,
                          const struct policy_zone *zone, const char *from, char *const *to,
                          size_t n_to, const char *message_id, const char *thread_id,
                          const char *host, int64_t now);

/* A Discourse POST /posts.json body: a new topic in `category` (title with project, release and
 * date: unique and long enough) when topic_id is 0, else a reply to that topic; external_id
 * makes retries idempotent. Caller frees. NULL when the payload is not a relcal message. */
char *notify_render_discourse(const char *payload, const char *project_name,
                              const struct policy_zone *zone, long category, long topic_id,
                              const char *external_id);

/* Copies at most max code points of s into a new string, ending with an ellipsis when cut. */
char *notify_truncate_utf8(const char *s, size_t max_code_points);

#endif
