/* The public schedule page (HTML5, an embedded stylesheet, no JavaScript), rendered from the
 * same public projection as the public feeds, so it cannot show a private field. Every value is
 * HTML-escaped. */
#ifndef RELCAL_PAGE_PAGE_H
#define RELCAL_PAGE_PAGE_H

#include <stddef.h>
#include <stdint.h>

#include "calendar/calendar.h"
#include "policy/types.h"

/* Renders the page for `projects` (one for /p/{project}, all for /) with their releases
 * (any order). Caller frees the result; NULL when the page does not fit its 64 MiB cap (never
 * a cut page). */
char *page_render(const char *public_url, const struct policy_project *const *projects,
                  size_t n_projects, const struct calendar_public_release *rels, size_t n,
                  int64_t now, size_t *len);

/* The 404 page for an unknown project: the same stylesheet (so page_csp() fits it), a link to
 * the page of every project. Caller frees the result. */
char *page_render_not_found(const char *public_url, size_t *len);

/* The Content-Security-Policy of the page: nothing may load or run but its embedded stylesheet
 * (allowed by its SHA-256), no framing, no forms, no base URL. Static storage. */
const char *page_csp(void);

#endif
