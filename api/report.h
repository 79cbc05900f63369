/* The incident report of an issue as Markdown, the checklist template filled in: a severity
 * line in the template's words (Critical, High, Medium, Low) beside the scheme's label; per
 * phase its updates and resources, its tasks under their groups (checked, due, done, by whom,
 * evidence, notes; a decision with its choice) and the assessment fields that belong to it
 * (summary lines, analysis notes); the communication record (community announcement, time to
 * 50 % adoption), a timeline of every date relcal knows and the emergency contacts. Pure: renders
 * the JSON objects the API shows (issue with description, its release or NULL, the checklist, the
 * assessment record). Private: never served on a public surface. User text is escaped so it cannot
 * inject Markdown structure or HTML. */
#ifndef RELCAL_API_REPORT_H
#define RELCAL_API_REPORT_H

#include <jansson.h>

/* What the report is rendered from: the JSON objects the API shows. */
struct api_report_input {
    const char *project_name;
    const json_t *issue;      /* with description */
    const json_t *release;    /* the issue's release, or NULL */
    const json_t *checklist;  /* GET .../checklist */
    const json_t *assessment; /* GET .../assessment */
    const json_t *adoption;   /* GET .../adoption, or NULL */
    const json_t *contacts;   /* [{"name", "role"?, "email"?, "phone"?}] from the config, or NULL */
};

/* Caller frees. NULL when the report does not fit its 4 MiB cap (never a cut report). */
char *api_report_markdown(const struct api_report_input *in);

#endif
