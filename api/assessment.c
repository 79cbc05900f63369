/* Validation of the assessment record and checklist item bodies (see assessment.h). */
#include "api/assessment.h"

#include <string.h>

#include "core/timeutil.h"

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
    {"went_well", "What went well", "review", API_FIELD_TEXT, NULL},
    {"to_improve", "What could be improved", "review", API_FIELD_TEXT, NULL},
    {"lessons_learned", "Lessons learned", "review", API_FIELD_TEXT, NULL},
    {"action_items", "Action items", "review", API_FIELD_TEXT, NULL},
};

const struct api_assessment_field *api_assessment_fields(size_t *n)
{
    *n = sizeof fields / sizeof fields[0];
    return fields;
}

static bool in_list(const char *list, const char *v)
{
    size_t n = strlen(v);
    for (const char *p = list; *p;) {
        size_t k = strcspn(p, "|");
        if (k == n && strncmp(p, v, n) == 0)
            return true;
        p += k + (p[k] == '|');
    }
    return false;
}

static int check_value(const struct api_assessment_field *f, const json_t *v, struct api_error *e)
{
    int64_t days;
    switch (f->kind) {
    case API_FIELD_BOOL:
        if (!json_is_boolean(v))
            goto bad;
        return 0;
    case API_FIELD_ENUM:
        if (!json_is_string(v) || !in_list(f->values, json_string_value(v)))
            goto bad;
        return 0;
    case API_FIELD_DATE:
        if (!json_is_string(v) || strlen(json_string_value(v)) != 10 ||
            time_date_parse(json_string_value(v), &days) < 0)
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
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
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

int api_checklist_item_parse(const json_t *body, const char **state, const char **note,
                             struct api_error *e)
{
    *state = *note = NULL;
    if (!json_is_object(body)) {
        api_error_set(e, 422, "validation_failed", "body", "must be an object");
        return -1;
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)body, key, v)
    {
        if (strcmp(key, "state") != 0 && strcmp(key, "note") != 0) {
            api_error_set(e, 422, "validation_failed", key, "unknown field");
            return -1;
        }
    }
    json_t *s = json_object_get(body, "state"), *n = json_object_get(body, "note");
    if (!json_is_string(s) || !in_list("done|open|not_applicable", json_string_value(s))) {
        api_error_set(e, 422, "validation_failed", "state",
                      "must be one of done, open, not_applicable");
        return -1;
    }
    if (n && !json_is_null(n) && (!json_is_string(n) || json_string_length(n) > TEXT_MAX)) {
        api_error_set(e, 422, "validation_failed", "note",
                      "must be text of at most %d bytes, or null", TEXT_MAX);
        return -1;
    }
    *state = json_string_value(s);
    *note = n && json_is_string(n) ? json_string_value(n) : NULL;
    return 0;
}
