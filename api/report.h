/* The incident report of an issue as Markdown, in the checklist's structure: per phase its
 * tasks (checked, due, done, by whom, evidence, notes) and the summary fields of the assessment
 * record that belong to it, then the communication record and a timeline of every date relcal
 * knows. Pure: renders the JSON objects the API shows (issue with description, its release or
 * NULL, the checklist, the assessment record). Private: never served on a public surface. User
 * text is escaped so it cannot inject Markdown structure or HTML. */
#ifndef RELCAL_API_REPORT_H
#define RELCAL_API_REPORT_H

#include <jansson.h>

/* Caller frees. */
char *api_report_markdown(const char *project_name, const json_t *issue, const json_t *release,
                          const json_t *checklist, const json_t *assessment);

#endif
