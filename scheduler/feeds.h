/* Feed snapshots for calendar/ (private to scheduler/ and server/, cli/). */
#ifndef RELCAL_SCHEDULER_FEEDS_H
#define RELCAL_SCHEDULER_FEEDS_H

#include <stddef.h>
#include <stdint.h>

#include "scheduler/sched.h"

/* Whose feed it is: what each audience sees of a release is policy/disclosure.c's. */
enum sched_feed { SCHED_FEED_PUBLIC = 0, SCHED_FEED_TEAM, SCHED_FEED_DISTRIBUTORS };

/* The iCalendar feed of one project (`only`), or the combined public feed of all projects when
 * only is NULL. The public kind goes through the public projection only. Caller frees *out. */
int sched_feed_render(struct sched *s, const struct config_project *only, enum sched_feed kind,
                      int64_t now, char **out, size_t *len);

/* The public page of one project, or of all when only is NULL: the same public projection as
 * the public feed, rendered by page/. Caller frees *out. */
int sched_page_render(struct sched *s, const struct config_project *only, int64_t now, char **out,
                      size_t *len);

#endif
