/* Request body validation for the JSON API (docs/CONTRACT.md "HTTP"). */
#include "api/input.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/timeutil.h"

void api_error_set(struct api_error *e, int status, const char *code, const char *field,
                   const char *fmt, ...)
{
    e->status = status;
    e->code = code;
    snprintf(e->field, sizeof e->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

static int invalid(struct api_error *e, const char *field, const char *what)
{
    api_error_set(e, 422, "validation_failed", field, "%s: %s", field, what);
    return -1;
}

/* Every key of `body` must be one of `allowed` (NULL-terminated). */
static int check_keys(const json_t *body, const char *const *allowed, struct api_error *e)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)body, key, v)
    {
        bool ok = false;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(*a, key) == 0)
                ok = true;
        if (!ok)
            return invalid(e, key, "unknown field");
    }
    return 0;
}

static int need_object(const json_t *body, struct api_error *e)
{
    if (!json_is_object(body)) {
        api_error_set(e, 422, "validation_failed", "body", "the body must be a JSON object");
        return -1;
    }
    return 0;
}

int api_object_with_keys(const json_t *body, const char *const *allowed, struct api_error *e)
{
    return need_object(body, e) < 0 || check_keys(body, allowed, e) < 0 ? -1 : 0;
}

/* Optional text (string or null), at most max bytes; non_empty refuses "". */
static int opt_text(const json_t *body, const char *key, size_t max, bool non_empty,
                    struct policy_opt_text *out, struct api_error *e)
{
    json_t *v = json_object_get(body, key);
    out->present = v != NULL;
    out->value = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return invalid(e, key, "must be a string");
    size_t len = json_string_length(v);
    if (len > max) {
        api_error_set(e, 422, "validation_failed", key, "%s: too long: at most %zu bytes", key,
                      max);
        return -1;
    }
    if (non_empty && len == 0)
        return invalid(e, key, "must not be empty");
    if (strlen(json_string_value(v)) != len)
        return invalid(e, key, "must not contain NUL characters");
    out->value = json_string_value(v);
    return 0;
}

static int req_text(const json_t *body, const char *key, size_t max, const char **out,
                    struct api_error *e)
{
    struct policy_opt_text t;
    if (opt_text(body, key, max, true, &t, e) < 0)
        return -1;
    if (!t.value)
        return invalid(e, key, "required");
    *out = t.value;
    return 0;
}

static int time_field(const json_t *v, const char *key, int64_t *out, struct api_error *e)
{
    if (!json_is_string(v) || time_rfc3339_parse(json_string_value(v), out) < 0)
        return invalid(e, key, "must be an RFC 3339 date-time such as 2027-02-09T14:00:00Z");
    return 0;
}

/* "CVE-2027-12345": CVE-, four-digit year, dash, at least four digits. */
static bool valid_cve(const char *s)
{
    size_t n = strlen(s);
    if (n < 13 || n > 20 || strncmp(s, "CVE-", 4) != 0 || s[8] != '-')
        return false;
    for (size_t i = 4; i < n; i++)
        if (i != 8 && (s[i] < '0' || s[i] > '9'))
            return false;
    return true;
}

/* "GHSA-xxxx-xxxx-xxxx" with characters from GitHub's base32 alphabet (23456789cfghjmpqrvwx). */
static bool valid_ghsa(const char *s)
{
    static const char alphabet[] = "23456789cfghjmpqrvwx";
    if (strlen(s) != 19 || strncmp(s, "GHSA-", 5) != 0)
        return false;
    for (size_t i = 5; i < 19; i++) {
        if (i == 9 || i == 14) {
            if (s[i] != '-')
                return false;
        } else if (!strchr(alphabet, s[i]) || !s[i]) {
            return false;
        }
    }
    return true;
}

bool api_credit_role_valid(const char *role)
{
    static const char *const roles[] = {
        "FINDER",
        "REPORTER",
        "ANALYST",
        "COORDINATOR",
        "REMEDIATION_DEVELOPER",
        "REMEDIATION_REVIEWER",
        "REMEDIATION_VERIFIER",
        "TOOL",
        "SPONSOR",
        "OTHER",
        NULL,
    };
    for (const char *const *r = roles; role && *r; r++)
        if (strcmp(*r, role) == 0)
            return true;
    return false;
}

bool api_http_url_valid(const char *s)
{
    size_t scheme = strncmp(s, "https://", 8) == 0 ? 8 : strncmp(s, "http://", 7) == 0 ? 7 : 0;
    if (!scheme || !s[scheme] || strchr("/?#:", s[scheme]))
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || strchr("\"<>`\\", *p))
            return false;
    return true;
}

/* "credits": null, or an array of {"name": "...", "role"?: "FINDER"|...}. */
static int parse_credits(const json_t *v, struct policy_issue_input *out, struct api_error *e)
{
    out->has_credits = true;
    out->credits = NULL;
    if (json_is_null(v))
        return 0;
    if (!json_is_array(v))
        return invalid(e, "credits", "must be an array of {\"name\", \"role\"} objects");
    if (json_array_size(v) > API_CREDITS_MAX) {
        api_error_set(e, 422, "validation_failed", "credits", "credits: at most %d entries",
                      API_CREDITS_MAX);
        return -1;
    }
    size_t i;
    json_t *c;
    json_array_foreach(v, i, c)
    {
        static const char *const keys[] = {"name", "role", NULL};
        if (!json_is_object(c) || check_keys(c, keys, e) < 0) {
            api_error_set(e, 422, "validation_failed", "credits",
                          "credits[%zu]: must be an object with name and optional role", i);
            return -1;
        }
        json_t *name = json_object_get(c, "name"), *role = json_object_get(c, "role");
        if (!json_is_string(name) || json_string_length(name) == 0 ||
            strlen(json_string_value(name)) != json_string_length(name)) {
            api_error_set(e, 422, "validation_failed", "credits",
                          "credits[%zu].name: required, a non-empty string", i);
            return -1;
        }
        if (json_string_length(name) > API_CREDIT_NAME_MAX) {
            api_error_set(e, 422, "validation_failed", "credits",
                          "credits[%zu].name: too long: at most %d bytes", i, API_CREDIT_NAME_MAX);
            return -1;
        }
        if (role && !api_credit_role_valid(json_string_value(role))) {
            api_error_set(e, 422, "validation_failed", "credits",
                          "credits[%zu].role: must be one of the OSV credit types (FINDER, "
                          "REPORTER, ANALYST, COORDINATOR, REMEDIATION_DEVELOPER, ...)",
                          i);
            return -1;
        }
    }
    out->credits = json_array_size(v) ? v : NULL;
    return 0;
}

static int parse_branches(const json_t *v, const struct policy_project *p,
                          struct policy_issue_input *out, struct api_error *e)
{
    if (!json_is_array(v))
        return invalid(e, "branches", "must be an array of branch names");
    if (json_array_size(v) > POLICY_BRANCHES_MAX)
        return invalid(e, "branches", "too many branches");
    size_t i;
    json_t *b;
    out->n_branches = 0;
    json_array_foreach(v, i, b)
    {
        if (!json_is_string(b))
            return invalid(e, "branches", "must be an array of branch names");
        const char *name = json_string_value(b);
        bool known = false;
        for (size_t k = 0; k < p->n_branches; k++)
            if (strcmp(p->branches[k].name, name) == 0)
                known = true;
        if (!known) {
            api_error_set(e, 422, "validation_failed", "branches",
                          "branches: '%.64s' is not a branch of project %s", name, p->id);
            return -1;
        }
        for (size_t k = 0; k < out->n_branches; k++)
            if (strcmp(out->branches[k], name) == 0)
                return invalid(e, "branches", "lists a branch twice");
        out->branches[out->n_branches++] = name;
    }
    out->has_branches = true;
    return 0;
}

/* The issue's texts: title, description, summary, CVE, GHSA, advisory URL, credits. */
static int issue_texts(const json_t *body, bool create, struct policy_issue_input *in,
                       struct api_error *e)
{
    if (opt_text(body, "title", 500, true, &in->title, e) < 0 ||
        opt_text(body, "description", API_LONGTEXT_MAX, false, &in->description, e) < 0 ||
        opt_text(body, "public_summary", API_TEXT_MAX, false, &in->public_summary, e) < 0 ||
        opt_text(body, "cve", 32, false, &in->cve, e) < 0 ||
        opt_text(body, "ghsa", 32, false, &in->ghsa, e) < 0 ||
        opt_text(body, "advisory_url", API_URL_MAX, false, &in->advisory_url, e) < 0)
        return -1;
    if (create && !in->title.value)
        return invalid(e, "title", "required");
    if (in->title.present && !in->title.value)
        return invalid(e, "title", "must be a non-empty string");
    if (in->cve.value && !valid_cve(in->cve.value))
        return invalid(e, "cve", "must look like CVE-2027-12345");
    if (in->ghsa.value && !valid_ghsa(in->ghsa.value))
        return invalid(e, "ghsa",
                       "must look like GHSA-xxxx-xxxx-xxxx, each x one of 23456789cfghjmpqrvwx");
    if (in->advisory_url.value && !api_http_url_valid(in->advisory_url.value))
        return invalid(e, "advisory_url", "must be an http:// or https:// URL");
    if (json_object_get(body, "credits") &&
        parse_credits(json_object_get(body, "credits"), in, e) < 0)
        return -1;
    return 0;
}

/* The severity vector (null clears it), the branches and when it was reported. */
static int issue_facts(const json_t *body, const struct policy_project *p,
                       struct policy_issue_input *in, struct api_error *e)
{
    json_t *v = json_object_get(body, "severity");
    if (v) {
        in->has_severity = true;
        if (json_is_null(v)) {
            in->severity_null = true;
        } else if (!json_is_string(v)) {
            return invalid(e, "severity", "must be a CVSS or CMSS vector string");
        } else {
            char why[160];
            if (policy_severity_score(json_string_value(v), &in->severity, why, sizeof why) < 0) {
                api_error_set(e, 422, "validation_failed", "severity", "severity: %s", why);
                return -1;
            }
        }
    }
    v = json_object_get(body, "branches");
    if (v && parse_branches(v, p, in, e) < 0)
        return -1;
    v = json_object_get(body, "reported_at");
    if (v) {
        if (time_field(v, "reported_at", &in->reported_at, e) < 0)
            return -1;
        in->has_reported_at = true;
    }
    return 0;
}

/* A PATCH's change of state: the status, an SLA extension and the reason that goes with
 * either, an override reason. */
static int issue_change(const json_t *body, struct policy_issue_input *in, struct api_error *e)
{
    json_t *v = json_object_get(body, "status");
    if (v) {
        if (!json_is_string(v) || policy_issue_status_parse(json_string_value(v), &in->status) < 0)
            return invalid(e, "status", "unknown status");
        in->has_status = true;
    }
    v = json_object_get(body, "sla_extension_days");
    if (v) {
        if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 365)
            return invalid(e, "sla_extension_days", "must be an integer from 1 to 365");
        in->has_sla_extension = true;
        in->sla_extension_days = (int)json_integer_value(v);
        if (req_text(body, "reason", API_TEXT_MAX, &in->reason, e) < 0)
            return -1;
    } else if (in->has_status && in->status == POLICY_ISSUE_REJECTED) {
        /* A rejection carries its reason (docs/POLICY.md "Response deadlines"). */
        if (json_object_get(body, "reason") &&
            req_text(body, "reason", API_TEXT_MAX, &in->reason, e) < 0)
            return -1;
    } else if (json_object_get(body, "reason")) {
        return invalid(e, "reason", "only allowed with sla_extension_days or status rejected");
    }
    struct policy_opt_text ovr;
    if (opt_text(body, "override_reason", API_OVERRIDE_REASON_MAX, true, &ovr, e) < 0)
        return -1;
    in->override_reason = ovr.value;
    return 0;
}

int api_issue_input_parse(const json_t *body, const struct policy_project *p, bool create,
                          struct policy_issue_input *out, struct api_error *e)
{
    static const char *const create_keys[] = {
        "title", "description",    "severity", "branches",     "reported_at", "cve",
        "ghsa",  "public_summary", "credits",  "advisory_url", NULL,
    };
    static const char *const patch_keys[] = {
        "title",        "description", "severity",        "branches",
        "cve",          "ghsa",        "public_summary",  "sla_extension_days",
        "reason",       "status",      "override_reason", "credits",
        "advisory_url", NULL,
    };
    struct policy_issue_input in;
    memset(&in, 0, sizeof in);
    if (need_object(body, e) < 0 || check_keys(body, create ? create_keys : patch_keys, e) < 0 ||
        issue_texts(body, create, &in, e) < 0 || issue_facts(body, p, &in, e) < 0 ||
        issue_change(body, &in, e) < 0)
        return -1;
    *out = in;
    return 0;
}

int api_release_create_parse(const json_t *body, struct policy_release_create *out,
                             struct api_error *e)
{
    static const char *const keys[] = {"date", "issues", "reason", "override_reason", NULL};
    if (need_object(body, e) < 0 || check_keys(body, keys, e) < 0)
        return -1;
    int64_t date;
    json_t *v = json_object_get(body, "date");
    if (!v)
        return invalid(e, "date", "required");
    if (time_field(v, "date", &date, e) < 0)
        return -1;
    v = json_object_get(body, "issues");
    if (!v)
        return invalid(e, "issues", "required: the issues this release ships");
    if (!json_is_array(v) || json_array_size(v) == 0)
        return invalid(e, "issues", "must be a non-empty array of issue ids");
    if (json_array_size(v) > API_ISSUES_MAX)
        return invalid(e, "issues", "too many issues");
    size_t i;
    json_t *id;
    size_t n = 0;
    int64_t ids[API_ISSUES_MAX];
    json_array_foreach(v, i, id)
    {
        if (!json_is_integer(id) || json_integer_value(id) < 1)
            return invalid(e, "issues", "must be a non-empty array of issue ids");
        for (size_t k = 0; k < n; k++)
            if (ids[k] == json_integer_value(id))
                return invalid(e, "issues", "lists an issue twice");
        ids[n++] = json_integer_value(id);
    }
    const char *reason;
    struct policy_opt_text ovr;
    if (req_text(body, "reason", API_RELEASE_REASON_MAX, &reason, e) < 0 ||
        opt_text(body, "override_reason", API_OVERRIDE_REASON_MAX, true, &ovr, e) < 0)
        return -1;
    out->date = date;
    memcpy(out->issues, ids, n * sizeof ids[0]);
    out->n_issues = n;
    out->reason = reason;
    out->override_reason = ovr.value;
    return 0;
}

int api_release_patch_parse(const json_t *body, struct policy_release_patch *out,
                            struct api_error *e)
{
    static const char *const keys[] = {"date", "status", "reason", "override_reason", NULL};
    if (need_object(body, e) < 0 || check_keys(body, keys, e) < 0)
        return -1;
    struct policy_release_patch p;
    memset(&p, 0, sizeof p);
    json_t *date = json_object_get(body, "date"), *status = json_object_get(body, "status");
    if (date && status)
        return invalid(e, "status", "give either a new date or a status, not both");
    if (!date && !status)
        return invalid(e, "date", "required: a new date, or status \"cancelled\"");
    struct policy_opt_text reason, ovr;
    if (opt_text(body, "reason", API_RELEASE_REASON_MAX, true, &reason, e) < 0 ||
        opt_text(body, "override_reason", API_OVERRIDE_REASON_MAX, true, &ovr, e) < 0)
        return -1;
    if (date) {
        if (time_field(date, "date", &p.date, e) < 0)
            return -1;
        p.move = true;
    } else {
        if (!json_is_string(status) || strcmp(json_string_value(status), "cancelled") != 0) {
            api_error_set(e, 409, "invalid_transition", "status",
                          "status: a release can only be set to cancelled here (publish has its "
                          "own route)");
            return -1;
        }
        if (!reason.value)
            return invalid(e, "reason", "required when cancelling");
        p.cancel = true;
    }
    p.reason = reason.value;
    p.override_reason = ovr.value;
    *out = p;
    return 0;
}

int api_publish_parse(const json_t *body, struct policy_publish *out, struct api_error *e)
{
    static const char *const keys[] = {"reason", "override_reason", NULL};
    memset(out, 0, sizeof *out);
    if (!body)
        return 0;
    if (need_object(body, e) < 0 || check_keys(body, keys, e) < 0)
        return -1;
    struct policy_opt_text r, ovr;
    if (opt_text(body, "reason", API_TEXT_MAX, true, &r, e) < 0 ||
        opt_text(body, "override_reason", API_OVERRIDE_REASON_MAX, true, &ovr, e) < 0)
        return -1;
    out->reason = r.value;
    out->override_reason = ovr.value;
    return 0;
}
