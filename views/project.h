/* JSON views of a project as the API shows it (docs/CONTRACT.md "projects"): the summary in the
 * list and the project object with its branches and policy. Pure renderers of the config's
 * `struct policy_project` (borrowed); the server adds the documents' links. */
#ifndef RELCAL_VIEWS_PROJECT_H
#define RELCAL_VIEWS_PROJECT_H

#include <jansson.h>

#include "policy/types.h"

/* New reference: {"id", "name", "timezone"}. */
json_t *view_project_summary_json(const struct policy_project *p);
/* New reference: {"id", "name", "timezone", "branches", "policy"}. */
json_t *view_project_json(const struct policy_project *p);

#endif
