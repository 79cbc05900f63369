/* The assessment record of an issue: the structured fields of the incident checklist's
 * summaries (assessment, mitigation, impact, post-incident review), and the checklist item
 * update body. Pure validation; the record is stored as a JSON object. */
#ifndef RELCAL_API_ASSESSMENT_H
#define RELCAL_API_ASSESSMENT_H

#include <jansson.h>
#include <stddef.h>

#include "api/input.h"
#include "policy/checklist.h"

enum api_field_kind {
    API_FIELD_TEXT = 0,
    API_FIELD_ENUM,
    API_FIELD_BOOL,
    API_FIELD_DATE,
    API_FIELD_URL, /* an http:// or https:// link */
};

/* Where the report shows a field. */
enum api_field_place {
    API_FIELD_LINE = 0,     /* a line of its phase's summary */
    API_FIELD_BEFORE,       /* a section of its phase before the tasks ("Updates", "Resources") */
    API_FIELD_AFTER,        /* a section of its phase after the summary ("Analysis notes") */
    API_FIELD_COMMUNICATION /* a line of the communication record */
};

struct api_assessment_field {
    const char *name;
    const char *label; /* as the report prints it */
    const char *phase; /* the default checklist phase whose summary shows it */
    enum api_field_kind kind;
    const char *values; /* API_FIELD_ENUM: "low|medium|high" */
    enum api_field_place place;
};

/* The fields in report order. */
const struct api_assessment_field *api_assessment_fields(size_t *n);

/* Applies a PATCH body to `record` (an object, changed in place on success only): every key
 * must be a known field; null removes it; text up to 4 KiB, enums from their list, booleans,
 * dates as YYYY-MM-DD (impossible dates refused). */
int api_assessment_patch(json_t *record, const json_t *body, struct api_error *e);

/* The checklist item body: {"state": "done"|"open"|"not_applicable", "note"?: text or null}
 * for a task, {"decision": CHOICE, "note"?} for a decision (whose choices the scheduler checks
 * against the template); exactly one of state and decision. *decision is NULL when the body
 * gives a state (then in *state); *state is CHECKLIST_STATE_OPEN when it gives a decision. */
int api_checklist_item_parse(const json_t *body, enum checklist_state *state, const char **decision,
                             const char **note, struct api_error *e);

/* The adoption figure body {"share": 0..1, "at"?: RFC 3339}; *at is POLICY_TIME_NONE when
 * absent (the caller uses now). */
int api_adoption_parse(const json_t *body, double *share, int64_t *at, struct api_error *e);

#endif
