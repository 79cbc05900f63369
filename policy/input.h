/* The requests of the scheduler's operations (scheduler/sched.h): what a validated JSON API body
 * asks of an issue or a release. Plain data: api/input.c parses a body straight into these
 * structs (every refusal names its field) and the scheduler applies them, so neither layer
 * depends on the other. Every pointer is borrowed from the parsed request body (valid while the
 * body is), never owned. */
#ifndef RELCAL_POLICY_INPUT_H
#define RELCAL_POLICY_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/types.h"

/* jansson's JSON value (a credits array is carried, not read, here). */
struct json_t;

#define POLICY_ISSUES_MAX 256 /* issues named in one out-of-sequence request */

/* An optional string field: `present` says whether the key was given; `value` is NULL for
 * JSON null. Borrowed. */
struct policy_opt_text {
    bool present;
    const char *value;
};

/* POST .../issues and PATCH .../issues/{id}. */
struct policy_issue_input {
    struct policy_opt_text title, description, public_summary, cve, ghsa;
    struct policy_opt_text advisory_url; /* an http(s) URL */
    /* credits: an array of {"name", "role"?} (checked by api/input.c); borrowed from the body,
     * NULL for JSON null or []. */
    bool has_credits;
    const struct json_t *credits;
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

/* POST .../releases: an out-of-sequence release. */
struct policy_release_create {
    int64_t date;
    int64_t issues[POLICY_ISSUES_MAX];
    size_t n_issues;
    const char *reason;
    const char *override_reason; /* NULL when absent */
};

/* PATCH .../releases/{rid}: a move or a cancellation. */
struct policy_release_patch {
    bool move; /* {"date": ...} */
    int64_t date;
    bool cancel; /* {"status": "cancelled", "reason": ...} */
    const char *reason;
    const char *override_reason;
};

/* POST .../releases/{rid}/publish. */
struct policy_publish {
    const char *reason;          /* before the release date: why the embargo broke; NULL */
    const char *override_reason; /* an admin publishing with unfixed issues; NULL */
};

#endif
