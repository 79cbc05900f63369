/* JSON of releases and issues as the API and the messages show them, computed from a view. */
#ifndef RELCAL_SCHEDULER_JSON_H
#define RELCAL_SCHEDULER_JSON_H

#include <jansson.h>
#include <stdbool.h>

#include "policy/disclosure.h"
#include "scheduler/sched.h"

/* The release object as `audience` may see it (policy/disclosure.h). */
json_t *sched_release_json(const struct sched_view *v, const struct store_release *r,
                           enum policy_audience audience);
/* The issue object (private by construction). */
json_t *sched_issue_json(const struct config_project *p, const struct store_issue *i, int64_t now,
                         bool with_description);

#endif
