/* Feed snapshots for calendar/ (private to scheduler/ and server/, cli/). */
#ifndef RELCAL_SCHEDULER_FEEDS_H
#define RELCAL_SCHEDULER_FEEDS_H

#include <stddef.h>
#include <stdint.h>

#include "scheduler/sched.h"

/* SCHED_FEED_PAGE renders the public HTML page from the same public projection. */
enum sched_feed {
    SCHED_FEED_PUBLIC = 0,
    SCHED_FEED_TEAM,
    SCHED_FEED_DISTRIBUTORS,
    SCHED_FEED_PAGE
};

/* Renders the feed of one project (`only`), or the combined public feed of all projects when
 * only is NULL. The public kind goes through the public projection only. Caller frees *out. */
int sched_feed_render(struct sched *s, const struct config_project *only, enum sched_feed kind,
                      int64_t now, char **out, size_t *len);

#endif
