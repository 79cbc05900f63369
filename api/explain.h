/* The JSON of an explanation (docs/CONTRACT.md "Explanations"): one object per step of
 * policy/explain.h, {"rule", "at", "by"?, "reason"?, "override_reason"?, "input", "result",
 * "text"}, where `text` says the step in words (what `relcal next --explain` prints). Renders
 * only; what a step holds for an audience is policy/explain.c's. */
#ifndef RELCAL_API_EXPLAIN_H
#define RELCAL_API_EXPLAIN_H

#include <jansson.h>

#include "policy/explain.h"

/* New reference: the array of steps. `p` gives the cadence, release time and zone. */
json_t *api_explain_json(const struct policy_project *p, const struct policy_explain_step *steps,
                         size_t n);

/* Parses the `explain` query parameter: NULL (absent), "0" or "false" is 0, "1" or "true" is 1;
 * anything else is -1 (the caller answers 422 naming the parameter). */
int api_explain_param(const char *value);

#endif
