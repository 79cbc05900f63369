/* Names of the domain enums and the policy defaults of docs/POLICY.md. */
#include "policy/types.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"

static const char *const issue_status_names[POLICY_ISSUE_STATUS_COUNT] = {
    "reported", "acknowledged", "investigating", "confirmed", "fix_ready", "released", "rejected",
};

static const char *const release_status_names[POLICY_RELEASE_STATUS_COUNT] = {
    "planned", "announced", "released", "skipped", "cancelled",
};

const char *policy_issue_status_name(enum policy_issue_status s)
{
    return (unsigned)s < POLICY_ISSUE_STATUS_COUNT ? issue_status_names[s] : "unknown";
}

int policy_issue_status_parse(const char *s, enum policy_issue_status *out)
{
    for (int i = 0; s && i < POLICY_ISSUE_STATUS_COUNT; i++) {
        if (strcmp(s, issue_status_names[i]) == 0) {
            *out = (enum policy_issue_status)i;
            return 0;
        }
    }
    return RC_EINVAL;
}

const char *policy_release_status_name(enum policy_release_status s)
{
    return (unsigned)s < POLICY_RELEASE_STATUS_COUNT ? release_status_names[s] : "unknown";
}

int policy_release_status_parse(const char *s, enum policy_release_status *out)
{
    for (int i = 0; s && i < POLICY_RELEASE_STATUS_COUNT; i++) {
        if (strcmp(s, release_status_names[i]) == 0) {
            *out = (enum policy_release_status)i;
            return 0;
        }
    }
    return RC_EINVAL;
}

const char *policy_release_kind_name(enum policy_release_kind k)
{
    return k == POLICY_RELEASE_OUT_OF_SEQUENCE ? "out_of_sequence" : "scheduled";
}

int policy_release_kind_parse(const char *s, enum policy_release_kind *out)
{
    if (s && strcmp(s, "scheduled") == 0)
        *out = POLICY_RELEASE_SCHEDULED;
    else if (s && strcmp(s, "out_of_sequence") == 0)
        *out = POLICY_RELEASE_OUT_OF_SEQUENCE;
    else
        return RC_EINVAL;
    return 0;
}

void policy_rules_defaults(struct policy_rules *r)
{
    memset(r, 0, sizeof *r);
    snprintf(r->cadence, sizeof r->cadence, "%s", "FREQ=MONTHLY;BYMONTH=2,5,8,11;BYDAY=2TU");
    r->release_minute = 14 * 60;
    r->release_duration_minutes = 120;
    r->readiness_cutoff_days = 7;
    r->pre_announcement_days = 7;
    r->out_of_sequence_notice_days = 14;
    r->out_of_sequence_min_level = POLICY_LEVEL_CRITICAL;
    r->distributor_notice_days = 7;
    r->distributor_reminder_hours = 24;
    r->max_embargo_days = 14;
    r->sla.acknowledge_hours = 24;
    r->sla.respond_days = 7;
    r->sla.resolve_days = 21;
    r->sla_extension_max_days = 90;
    r->cve_request_min_cvss = 4.0;
    r->horizon_months = 12;
    r->max_release_horizon_years = 5;
}
