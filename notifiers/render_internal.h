/* Pieces shared by the channel renderers (private to notifiers/). */
#ifndef RELCAL_NOTIFIERS_RENDER_INTERNAL_H
#define RELCAL_NOTIFIERS_RENDER_INTERNAL_H

#include <jansson.h>

#include "core/buf.h"
#include "policy/zone.h"

/* "2027-02-09 14:00 Europe/Berlin (2027-02-09 13:00 UTC)" from an RFC 3339 UTC text. */
void notify__local_time(struct buf *b, const struct policy_zone *zone, const char *utc_text);
/* "2027-02-09 13:00 UTC" from an RFC 3339 UTC text ("(unknown time)" when it is not one). */
void notify__utc_text(struct buf *b, const char *rfc3339);
/* The headline of a message type ("Security release announced"). */
const char *notify__headline(const char *type);
/* What a message without a release says (team messages). */
void notify__team_detail(struct buf *b, json_t *data, const char *eol);
/* A one-line payload field in a text: each run of CR and LF becomes one space (written to
 * scratch, which the result borrows). */
const char *notify__one_line(struct buf *scratch, const char *s);
/* The missing fixes and the "sent late" line, when the data has them. */
void notify__late_line(struct buf *b, json_t *data, const char *eol);

/* Code points of a UTF-8 string (NULL: 0). */
size_t notify__code_points(const char *s);
/* The advisories of the release object `rel` in Discourse markdown (nothing when it has none). */
void notify__advisories_markdown(struct buf *b, json_t *rel);
/* Appends to `embeds` one embed per advisory of `rel` within Discord's limits, `used` code
 * points being taken by the embeds before (render_advisories.c). */
void notify__discord_advisories(json_t *embeds, json_t *rel, size_t used, const char *page_url);
/* "Moved from <old> to <new>" for a release.rescheduled message whose data has
 * previous_starts_at. */
void notify__rescheduled_line(struct buf *b, json_t *data, const char *type,
                              const struct policy_zone *zone, const char *eol);

#endif
