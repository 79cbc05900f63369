/* Validation of JSON API request bodies (docs/CONTRACT.md): each body is checked completely before
 * anything is stored, unknown fields are refused, and every refusal names the field. Pure:
 * produces plain structs for the scheduler's operations. */
#ifndef RELCAL_API_INPUT_H
#define RELCAL_API_INPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "policy/types.h"

#define API_TEXT_MAX     (16 * 1024) /* titles, summaries, reasons */
#define API_LONGTEXT_MAX (60 * 1024) /* descriptions */
/* Override reasons: what the store keeps (refused beyond, never cut inside a UTF-8 sequence). */
#define API_OVERRIDE_REASON_MAX 511
/* A release's own reason (out-of-sequence create, cancel): kept in the release row, same size. */
#define API_RELEASE_REASON_MAX 511
#define API_ISSUES_MAX         256 /* issues named in one out-of-sequence request */
#define API_CREDIT_NAME_MAX    200 /* bytes of a credited name */
#define API_CREDITS_MAX        32  /* people credited in one advisory */
#define API_URL_MAX            2048

/* Whether `role` is one of the OSV credit types (FINDER, REPORTER, ANALYST, COORDINATOR,
 * REMEDIATION_DEVELOPER, REMEDIATION_REVIEWER, REMEDIATION_VERIFIER, TOOL, SPONSOR, OTHER). */
bool api_credit_role_valid(const char *role);
/* Whether `s` is an absolute http:// or https:// URL with a host and no whitespace or control
 * characters. */
bool api_http_url_valid(const char *s);

/* A refusal that maps 1:1 to the HTTP error shape. */
struct api_error {
    int status;       /* 400, 404, 409, 422 ... */
    const char *code; /* "validation_failed", ... (static storage) */
    char message[256];
    char field[64]; /* "" when not about one field */
};

void api_error_set(struct api_error *e, int status, const char *code, const char *field,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* An optional string field: `present` says whether the key was given; `value` is NULL for
 * JSON null. The strings are borrowed from the json_t the input was parsed from. */
struct api_opt_text {
    bool present;
    const char *value;
};

struct api_issue_input {
    struct api_opt_text title, description, public_summary, cve, ghsa;
    struct api_opt_text advisory_url; /* an http(s) URL */
    /* credits: an array of {"name" (1..API_CREDIT_NAME_MAX bytes), "role"? (an OSV credit
     * type)}; `credits` is borrowed from the body, NULL for JSON null or []. */
    bool has_credits;
    const json_t *credits;
    bool has_severity; /* key present */
    bool severity_null;
    struct policy_severity severity;
    bool has_branches;
    const char *branches[POLICY_BRANCHES_MAX]; /* borrowed; validated against the project */
    size_t n_branches;
    bool has_reported_at;
    int64_t reported_at;
    /* PATCH only */
    bool has_status;
    enum policy_issue_status status;
    bool has_sla_extension;
    int sla_extension_days;
    const char *reason;          /* required with sla_extension_days */
    const char *override_reason; /* admin: may empty an announced release; NULL when absent */
};

/* The body is a JSON object whose keys are all in `allowed` (NULL-terminated): 0, or -1 with
 * `e` filled (422 validation_failed naming "body" or the unknown field). */
int api_object_with_keys(const json_t *body, const char *const *allowed, struct api_error *e);

/* POST .../issues (create = true: title required; status and SLA extension refused) and
 * PATCH .../issues/{id}. Returns 0 or -1 with `err` filled (422 validation_failed naming the
 * field). Strings stay owned by `body`. */
int api_issue_input_parse(const json_t *body, const struct policy_project *p, bool create,
                          struct api_issue_input *out, struct api_error *err);

struct api_release_create {
    int64_t date;
    int64_t issues[API_ISSUES_MAX];
    size_t n_issues;
    const char *reason;
    const char *override_reason; /* NULL when absent */
};

int api_release_create_parse(const json_t *body, struct api_release_create *out,
                             struct api_error *err);

struct api_release_patch {
    bool move; /* {"date": ...} */
    int64_t date;
    bool cancel; /* {"status": "cancelled", "reason": ...} */
    const char *reason;
    const char *override_reason;
};

int api_release_patch_parse(const json_t *body, struct api_release_patch *out,
                            struct api_error *err);

struct api_publish {
    const char *reason;          /* before the release date: why the embargo broke; NULL */
    const char *override_reason; /* an admin publishing with unfixed issues; NULL */
};

/* POST .../publish: {"reason"?: "...", "override_reason"?: "..."}; an empty body is allowed. */
int api_publish_parse(const json_t *body, struct api_publish *out, struct api_error *err);

#endif
