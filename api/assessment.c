/* Validation of the assessment record and checklist item bodies (see assessment.h). */
#include "api/assessment.h"
#include "api/input.h"

#include <string.h>

#include "core/choices.h"
#include "core/nelem.h"
#include "core/timeutil.h"
#include "policy/types.h"

#define TEXT_MAX 4096

static const struct api_assessment_field fields[] = {
    {"attack_complexity", "Attack complexity", "assessment", API_FIELD_ENUM, "high|medium|low"},
    {"prerequisites", "Prerequisites", "assessment", API_FIELD_TEXT, NULL},
    {"user_interaction", "User interaction required", "assessment", API_FIELD_BOOL, NULL},
    {"confidentiality", "Confidentiality", "assessment", API_FIELD_ENUM, "at_risk|not_affected"},
    {"integrity", "Integrity", "assessment", API_FIELD_ENUM, "at_risk|not_affected"},
    {"availability", "Availability", "assessment", API_FIELD_ENUM, "at_risk|not_affected"},
    {"affected_versions", "Affects versions", "assessment", API_FIELD_TEXT, NULL},
    {"root_cause", "Root cause", "assessment", API_FIELD_TEXT, NULL},
    {"introduced_in", "Introduced in", "assessment", API_FIELD_TEXT, NULL},
    {"attack_vector", "Attack vector", "assessment", API_FIELD_ENUM,
     "network|adjacent|local|physical"},
    {"estimated_fix_timeline", "Estimated timeline for fix", "assessment", API_FIELD_TEXT, NULL},
    {"assessment_updates", "Updates", "assessment", API_FIELD_TEXT, NULL, API_FIELD_BEFORE},
    {"assessment_resources", "Resources", "assessment", API_FIELD_TEXT, NULL, API_FIELD_BEFORE},
    {"response_updates", "Updates", "response", API_FIELD_TEXT, NULL, API_FIELD_BEFORE},
    {"response_resources", "Resources", "response", API_FIELD_TEXT, NULL, API_FIELD_BEFORE},
    {"workaround", "Workaround", "response", API_FIELD_TEXT, NULL},
    {"fix_date", "Fix implemented on", "response", API_FIELD_DATE, NULL},
    {"patch_version", "Patch version", "response", API_FIELD_TEXT, NULL},
    {"estimated_vulnerable_installations", "Estimated vulnerable installations", "impact",
     API_FIELD_TEXT, NULL},
    {"default_config_vulnerable", "Default configuration vulnerable", "impact", API_FIELD_BOOL,
     NULL},
    {"evidence_of_exploitation", "Evidence of exploitation", "impact", API_FIELD_ENUM,
     "found|not_found|unknown"},
    {"data_at_risk", "Data at risk", "impact", API_FIELD_TEXT, NULL},
    {"confidence", "Confidence in the assessment", "impact", API_FIELD_ENUM, "high|medium|low"},
    {"impact_updates", "Updates", "impact", API_FIELD_TEXT, NULL, API_FIELD_BEFORE},
    {"impact_resources", "Resources", "impact", API_FIELD_TEXT, NULL, API_FIELD_BEFORE},
    {"analysis_notes", "Analysis notes", "impact", API_FIELD_TEXT, NULL, API_FIELD_AFTER},
    {"release_updates", "Updates", "release", API_FIELD_TEXT, NULL, API_FIELD_BEFORE},
    {"release_resources", "Resources", "release", API_FIELD_TEXT, NULL, API_FIELD_BEFORE},
    {"community_announcement", "Community announcement", "release", API_FIELD_URL, NULL,
     API_FIELD_COMMUNICATION},
    {"went_well", "What went well", "review", API_FIELD_TEXT, NULL},
    {"to_improve", "What could be improved", "review", API_FIELD_TEXT, NULL},
    {"lessons_learned", "Lessons learned", "review", API_FIELD_TEXT, NULL},
    {"action_items", "Action items", "review", API_FIELD_TEXT, NULL},
    {"process_improvements", "Process improvements", "review", API_FIELD_TEXT, NULL},
};

const struct api_assessment_field *api_assessment_fields(size_t *n)
{
    *n = NELEM(fields);
    return fields;
}

/* http:// or https://, a host, at most 2 KiB, no spaces, controls, quotes or angle brackets. */
static int check_value(const struct api_assessment_field *f, const json_t *v, struct api_error *e)
{
    int64_t days;
    switch (f->kind) {
    case API_FIELD_BOOL:
        if (!json_is_boolean(v))
            goto bad;
        return 0;
    case API_FIELD_ENUM:
        if (!json_is_string(v) || !choices_has(f->values, json_string_value(v)))
            goto bad;
        return 0;
    case API_FIELD_DATE:
        if (!json_is_string(v) || strlen(json_string_value(v)) != 10 ||
            time_date_parse(json_string_value(v), &days) < 0)
            goto bad;
        return 0;
    case API_FIELD_URL:
        if (!json_is_string(v) || !api_http_url_valid(json_string_value(v)) ||
            json_string_length(v) > 2048)
            goto bad;
        return 0;
    default:
        if (!json_is_string(v) || json_string_length(v) > TEXT_MAX)
            goto bad;
        return 0;
    }
bad:
    switch (f->kind) {
    case API_FIELD_BOOL:
        api_error_set(e, 422, "validation_failed", f->name, "must be true, false or null");
        break;
    case API_FIELD_ENUM:
        api_error_set(e, 422, "validation_failed", f->name, "must be one of %s, or null",
                      f->values);
        break;
    case API_FIELD_DATE:
        api_error_set(e, 422, "validation_failed", f->name, "must be a date YYYY-MM-DD or null");
        break;
    case API_FIELD_URL:
        api_error_set(e, 422, "validation_failed", f->name,
                      "must be an http:// or https:// link (at most 2048 bytes, no spaces), or "
                      "null");
        break;
    default:
        api_error_set(e, 422, "validation_failed", f->name,
                      "must be text of at most %d bytes, or null", TEXT_MAX);
    }
    return -1;
}

int api_assessment_patch(json_t *record, const json_t *body, struct api_error *e)
{
    if (!json_is_object(body) || json_object_size(body) == 0) {
        api_error_set(e, 422, "validation_failed", "body",
                      "must be an object with at least one assessment field");
        return -1;
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)body, key, v)
    {
        const struct api_assessment_field *f = NULL;
        for (size_t i = 0; i < NELEM(fields); i++)
            if (strcmp(fields[i].name, key) == 0)
                f = &fields[i];
        if (!f) {
            api_error_set(e, 422, "validation_failed", key, "is not an assessment field");
            return -1;
        }
        if (!json_is_null(v) && check_value(f, v, e) < 0)
            return -1;
    }
    json_object_foreach((json_t *)body, key, v)
    {
        if (json_is_null(v))
            json_object_del(record, key);
        else
            json_object_set(record, key, v);
    }
    return 0;
}

int api_checklist_item_parse(const json_t *body, enum checklist_state *state, const char **decision,
                             const char **note, struct api_error *e)
{
    enum checklist_state st = CHECKLIST_STATE_OPEN;
    *decision = *note = NULL;
    static const char *const keys[] = {"state", "note", "decision", NULL};
    if (api_object_with_keys(body, keys, e) < 0)
        return -1;
    json_t *s = json_object_get(body, "state"), *d = json_object_get(body, "decision"),
           *n = json_object_get(body, "note");
    if (s && d) {
        api_error_set(e, 422, "validation_failed", "decision",
                      "give either state (a task) or decision (a decision), not both");
        return -1;
    }
    if (d) {
        if (!json_is_string(d) || json_string_length(d) == 0 || json_string_length(d) > 64) {
            api_error_set(e, 422, "validation_failed", "decision",
                          "must be one of the decision's choices");
            return -1;
        }
    } else if (checklist_state_parse(json_string_value(s), &st) < 0) {
        api_error_set(e, 422, "validation_failed", "state",
                      "must be one of done, open, not_applicable");
        return -1;
    }
    if (n && !json_is_null(n) && (!json_is_string(n) || json_string_length(n) > TEXT_MAX)) {
        api_error_set(e, 422, "validation_failed", "note",
                      "must be text of at most %d bytes, or null", TEXT_MAX);
        return -1;
    }
    *state = st;
    *decision = d ? json_string_value(d) : NULL;
    *note = n && json_is_string(n) ? json_string_value(n) : NULL;
    return 0;
}

int api_adoption_parse(const json_t *body, double *share, int64_t *at, struct api_error *e)
{
    *at = POLICY_TIME_NONE;
    static const char *const keys[] = {"share", "at", NULL};
    if (api_object_with_keys(body, keys, e) < 0)
        return -1;
    json_t *s = json_object_get(body, "share"), *a = json_object_get(body, "at");
    double x = json_is_number(s) ? json_number_value(s) : -1;
    if (!json_is_number(s) || !(x >= 0 && x <= 1)) {
        api_error_set(e, 422, "validation_failed", "share",
                      "must be a number from 0 to 1 (the fraction of installations on the fixed "
                      "version: 0.5 is 50 %%)");
        return -1;
    }
    if (a && (!json_is_string(a) || time_rfc3339_parse(json_string_value(a), at) < 0)) {
        api_error_set(e, 422, "validation_failed", "at", "must be an RFC 3339 instant");
        return -1;
    }
    *share = x;
    return 0;
}
