/* Validation of JSON API request bodies (docs/CONTRACT.md): each body is checked completely before
 * anything is stored, unknown fields are refused, and every refusal names the field. Pure:
 * parses into the requests of policy/input.h, which the scheduler's operations take. */
#ifndef RELCAL_API_INPUT_H
#define RELCAL_API_INPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "policy/input.h"
#include "policy/types.h"

#define API_TEXT_MAX     (16 * 1024) /* titles, summaries, reasons */
#define API_LONGTEXT_MAX (60 * 1024) /* descriptions */
/* Override reasons: what the store keeps (refused beyond, never cut inside a UTF-8 sequence). */
#define API_OVERRIDE_REASON_MAX 511
/* A release's own reason (out-of-sequence create, cancel): kept in the release row, same size. */
#define API_RELEASE_REASON_MAX 511
#define API_ISSUES_MAX         POLICY_ISSUES_MAX
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

/* The body is a JSON object whose keys are all in `allowed` (NULL-terminated): 0, or -1 with
 * `e` filled (422 validation_failed naming "body" or the unknown field). */
int api_object_with_keys(const json_t *body, const char *const *allowed, struct api_error *e);

/* POST .../issues (create = true: title required; status and SLA extension refused) and
 * PATCH .../issues/{id}. Returns 0 or -1 with `err` filled (422 validation_failed naming the
 * field). Strings stay owned by `body`. */
int api_issue_input_parse(const json_t *body, const struct policy_project *p, bool create,
                          struct policy_issue_input *out, struct api_error *err);

int api_release_create_parse(const json_t *body, struct policy_release_create *out,
                             struct api_error *err);

int api_release_patch_parse(const json_t *body, struct policy_release_patch *out,
                            struct api_error *err);

/* POST .../publish: {"reason"?: "...", "override_reason"?: "..."}; an empty body is allowed. */
int api_publish_parse(const json_t *body, struct policy_publish *out, struct api_error *err);

#endif
