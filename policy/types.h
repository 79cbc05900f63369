/* The domain types every rule works on: project (policy and branches), issue and release.
 * Plain data with fixed-size fields, so they copy by assignment and own no heap memory (a
 * project's zone is borrowed from the config that resolved it); long
 * free text (titles, descriptions) lives in the store's records, not here. Instants are Unix
 * seconds UTC; POLICY_TIME_NONE marks an instant that has not happened. */
#ifndef RELCAL_POLICY_TYPES_H
#define RELCAL_POLICY_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/severity.h"

struct policy_zone; /* policy/zone.h */

#define POLICY_TIME_NONE INT64_MIN

#define POLICY_ID_MAX         64 /* project ids, branch names, versions: incl. NUL */
#define POLICY_NAME_MAX       128
#define POLICY_TZ_MAX         64
#define POLICY_RRULE_MAX      512
#define POLICY_HOLIDAYS_MAX   400
#define POLICY_BRANCHES_MAX   32
#define POLICY_RELEASE_ID_MAX 32 /* "2027-02-09", "oos-12" */
/* An out-of-sequence notice below this many days needs allow_short_notice (docs/POLICY.md). */
#define POLICY_SHORT_NOTICE_DAYS 14

struct policy_sla {
    int acknowledge_hours; /* default 24 */
    int respond_days;      /* default 7 */
    int resolve_days;      /* default 21 */
};

/* One project's policy block; every field has the docs/POLICY.md default. */
struct policy_rules {
    char cadence[POLICY_RRULE_MAX]; /* RFC 5545 RRULE */
    int release_minute;             /* minutes after local midnight: 14:00 -> 840 */
    int release_duration_minutes;
    int64_t holidays[POLICY_HOLIDAYS_MAX]; /* day numbers (days since 1970-01-01), sorted */
    size_t n_holidays;
    int readiness_cutoff_days;
    int pre_announcement_days;
    int out_of_sequence_notice_days;
    bool allow_short_notice; /* out_of_sequence_notice_days below 14 is allowed; default false */
    enum policy_level out_of_sequence_min_level;
    int distributor_notice_days;
    int distributor_reminder_hours;
    int max_embargo_days;
    struct policy_sla sla;
    int sla_extension_max_days; /* total of all extensions of an issue; default 90 */
    double cve_request_min_cvss;
    int horizon_months;
    int max_release_horizon_years; /* a release date is at most this far ahead; default 5 */
};

struct policy_branch {
    char name[POLICY_ID_MAX];    /* "5.x" */
    char version[POLICY_ID_MAX]; /* latest released version on the branch, "5.1.2" */
    int64_t eol_day;             /* day number of end of life, or POLICY_TIME_NONE */
};

struct policy_project {
    char id[POLICY_ID_MAX];
    char name[POLICY_NAME_MAX];
    char timezone[POLICY_TZ_MAX]; /* IANA zone, "Europe/Berlin" */
    /* `timezone` resolved once, at config load (config/zone.h). Borrowed: owned by the config
     * (config_project.zone), valid until config_free; NULL in a project no config resolved. */
    const struct policy_zone *zone;
    struct policy_branch branches[POLICY_BRANCHES_MAX];
    size_t n_branches;
    struct policy_rules rules;
};

enum policy_issue_status {
    POLICY_ISSUE_REPORTED = 0,
    POLICY_ISSUE_ACKNOWLEDGED,
    POLICY_ISSUE_INVESTIGATING,
    POLICY_ISSUE_CONFIRMED,
    POLICY_ISSUE_FIX_READY,
    POLICY_ISSUE_RELEASED,
    POLICY_ISSUE_REJECTED,
    POLICY_ISSUE_STATUS_COUNT
};

struct policy_issue {
    int64_t id;
    enum policy_issue_status status;
    bool has_severity;
    struct policy_severity severity;
    uint32_t branches; /* bit i set: affects project branch i */
    int64_t reported_at;
    int64_t acknowledged_at;
    int64_t responded_at; /* first move out of acknowledged */
    int64_t fix_ready_at;
    int64_t released_at;
    int sla_extension_days; /* added to the resolution SLA */
    /* The resolution deadline that had passed unmet when an extension was granted (the first
     * such), so the breach stays on record; 0 when none (docs/POLICY.md "Response deadlines"). */
    int64_t sla_resolve_missed_due;
    bool has_cve;
    char release_id[POLICY_RELEASE_ID_MAX]; /* "" when in no release */
    bool release_pinned;                    /* attached explicitly (out-of-sequence) */
};

enum policy_release_kind { POLICY_RELEASE_SCHEDULED = 0, POLICY_RELEASE_OUT_OF_SEQUENCE };

enum policy_release_status {
    POLICY_RELEASE_PLANNED = 0,
    POLICY_RELEASE_ANNOUNCED,
    POLICY_RELEASE_RELEASED,
    POLICY_RELEASE_SKIPPED,
    POLICY_RELEASE_CANCELLED,
    POLICY_RELEASE_STATUS_COUNT
};

struct policy_release {
    char id[POLICY_RELEASE_ID_MAX];
    enum policy_release_kind kind;
    enum policy_release_status status;
    int64_t starts_at;
    int64_t ends_at;
    /* Derived from starts_at and the rules (policy_release_derive). */
    int64_t cutoff_at;
    int64_t announce_at;
    int64_t distributor_notice_at;
    int64_t reminder_at;
    /* What has happened. */
    int64_t announced_at;
    int64_t distributors_notified_at;
    int64_t released_at;
    int sequence;
    /* Pre-announced or distributors notified: the date no longer follows the config. */
    bool locked;
};

const char *policy_issue_status_name(enum policy_issue_status s);
int policy_issue_status_parse(const char *s, enum policy_issue_status *out);
const char *policy_release_status_name(enum policy_release_status s);
int policy_release_status_parse(const char *s, enum policy_release_status *out);
const char *policy_release_kind_name(enum policy_release_kind k);
/* RC_EINVAL for NULL or a string that names no kind (out untouched). */
int policy_release_kind_parse(const char *s, enum policy_release_kind *out);

/* Fills `r` with the defaults of docs/POLICY.md. */
void policy_rules_defaults(struct policy_rules *r);

#endif
