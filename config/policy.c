/* The per-project "policy" block: every key optional with the docs/POLICY.md defaults, ranges
 * checked, cross-field rules enforced. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/internal.h"
#include "core/err.h"
#include "core/nelem.h"
#include "core/timeutil.h"
#include "policy/cadence.h"

static int cmp_day(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int parse_holidays(struct cfg_ctx *c, json_t *v, struct policy_rules *r)
{
    if (!json_is_array(v))
        return config__fail(c, "holidays", "must be an array of \"YYYY-MM-DD\" dates");
    if (json_array_size(v) > POLICY_HOLIDAYS_MAX)
        return config__fail(c, "holidays", "at most %d dates", POLICY_HOLIDAYS_MAX);
    size_t i;
    json_t *d;
    r->n_holidays = 0;
    json_array_foreach(v, i, d)
    {
        int64_t day;
        size_t saved = config__push_key(c, "holidays");
        if (!json_is_string(d) || time_date_parse(json_string_value(d), &day) < 0) {
            config__pop(c, saved);
            config__push_key(c, "holidays");
            size_t s2 = config__push_index(c, i);
            int rc = config__fail(c, NULL, "not a valid date (YYYY-MM-DD)");
            config__pop(c, s2);
            config__pop(c, saved);
            return rc;
        }
        config__pop(c, saved);
        r->holidays[r->n_holidays++] = day;
    }
    qsort(r->holidays, r->n_holidays, sizeof r->holidays[0], cmp_day);
    for (size_t k = 1; k < r->n_holidays; k++) {
        if (r->holidays[k] == r->holidays[k - 1]) {
            char buf[TIME_DATE_SIZE];
            time_date_format(r->holidays[k], buf);
            return config__fail(c, "holidays", "%s is listed twice", buf);
        }
    }
    return 0;
}

static int parse_release_time(struct cfg_ctx *c, const char *s, int *minute)
{
    if (strlen(s) != 5 || s[2] != ':' || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' ||
        s[3] < '0' || s[3] > '9' || s[4] < '0' || s[4] > '9')
        return config__fail(c, "release_time", "must be HH:MM, not '%s'", s);
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59)
        return config__fail(c, "release_time", "must be between 00:00 and 23:59, not '%s'", s);
    *minute = h * 60 + m;
    return 0;
}

static int parse_sla(struct cfg_ctx *c, json_t *v, struct policy_sla *sla)
{
    static const char *const keys[] = {"acknowledge_hours", "respond_days", "resolve_days", NULL};
    size_t saved = config__push_key(c, "sla");
    int rc;
    long ack = sla->acknowledge_hours, resp = sla->respond_days, res = sla->resolve_days;
    if (!json_is_object(v)) {
        rc = config__fail(c, NULL, "must be an object");
        goto out;
    }
    if ((rc = config__check_keys(c, v, keys)) < 0 ||
        (rc = config__get_int(c, v, "acknowledge_hours", 1, 24 * 30, &ack)) < 0 ||
        (rc = config__get_int(c, v, "respond_days", 1, 365, &resp)) < 0 ||
        (rc = config__get_int(c, v, "resolve_days", 1, 365, &res)) < 0)
        goto out;
    if (ack > resp * 24) {
        rc = config__fail(c, "acknowledge_hours", "must not be later than respond_days");
        goto out;
    }
    if (resp > res) {
        rc = config__fail(c, "respond_days", "must not be later than resolve_days");
        goto out;
    }
    sla->acknowledge_hours = (int)ack;
    sla->respond_days = (int)resp;
    sla->resolve_days = (int)res;
out:
    config__pop(c, saved);
    return rc;
}

static int parse_cadence(struct cfg_ctx *c, json_t *obj, struct policy_rules *r)
{
    const char *s;
    int rc = config__get_string(c, obj, "cadence", false, &s);
    if (rc < 0 || !s)
        return rc;
    char why[256];
    if (strlen(s) >= sizeof r->cadence)
        return config__fail(c, "cadence", "longer than %zu characters", sizeof r->cadence - 1);
    /* The rule must yield an instance within 10 years of today (the real date: the
     * config is validated once, whatever --now says). */
    if (policy_cadence_check(s, (int64_t)time(NULL), why, sizeof why) < 0)
        return config__fail(c, "cadence", "%s", why);
    snprintf(r->cadence, sizeof r->cadence, "%s", s);
    return 0;
}

/* The whole-number settings, each with its range. */
static int parse_ints(struct cfg_ctx *c, json_t *obj, struct policy_rules *r)
{
    struct {
        const char *key;
        int *field;
        long min, max;
    } ints[] = {
        {"release_duration_minutes", &r->release_duration_minutes, 1, 24 * 60},
        {"readiness_cutoff_days", &r->readiness_cutoff_days, 0, 365},
        {"pre_announcement_days", &r->pre_announcement_days, 0, 365},
        {"out_of_sequence_notice_days", &r->out_of_sequence_notice_days, 0, 365},
        {"distributor_notice_days", &r->distributor_notice_days, 0, 365},
        {"distributor_reminder_hours", &r->distributor_reminder_hours, 0, 24 * 30},
        {"max_embargo_days", &r->max_embargo_days, 0, 365},
        {"horizon_months", &r->horizon_months, 1, 120},
        {"max_release_horizon_years", &r->max_release_horizon_years, 1, 50},
        {"sla_extension_max_days", &r->sla_extension_max_days, 0, 365},
    };
    for (size_t i = 0; i < NELEM(ints); i++) {
        long v = *ints[i].field;
        int rc = config__get_int(c, obj, ints[i].key, ints[i].min, ints[i].max, &v);
        if (rc < 0)
            return rc;
        *ints[i].field = (int)v;
    }
    return 0;
}

static int parse_min_level(struct cfg_ctx *c, json_t *obj, struct policy_rules *r)
{
    const char *s;
    int rc = config__get_string(c, obj, "out_of_sequence_min_level", false, &s);
    if (rc < 0)
        return rc;
    if (s && policy_level_parse(s, &r->out_of_sequence_min_level) < 0)
        return config__fail(c, "out_of_sequence_min_level",
                            "must be none, low, medium, high or critical, not '%s'", s);
    return 0;
}

static int parse_cve_min_cvss(struct cfg_ctx *c, json_t *obj, struct policy_rules *r)
{
    json_t *v = json_object_get(obj, "cve_request_min_cvss");
    if (!v)
        return 0;
    if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 10)
        return config__fail(c, "cve_request_min_cvss", "must be a number from 0 to 10");
    r->cve_request_min_cvss = json_number_value(v);
    return 0;
}

/* Cross-field rules of docs/POLICY.md. */
static int check_cross_fields(struct cfg_ctx *c, const struct policy_rules *r)
{
    if (r->out_of_sequence_notice_days < POLICY_SHORT_NOTICE_DAYS && !r->allow_short_notice)
        return config__fail(c, "out_of_sequence_notice_days",
                            "below %d days needs allow_short_notice: true (%d days' notice gives "
                            "distributors little time to prepare)",
                            POLICY_SHORT_NOTICE_DAYS, r->out_of_sequence_notice_days);
    if (r->distributor_notice_days > r->max_embargo_days)
        return config__fail(
            c, "distributor_notice_days",
            "%d days exceeds max_embargo_days (%d): distributors would hold embargoed "
            "details longer than the maximum embargo",
            r->distributor_notice_days, r->max_embargo_days);
    if (r->readiness_cutoff_days < r->pre_announcement_days)
        return config__fail(
            c, "readiness_cutoff_days",
            "the cut-off (%d days before) falls after the pre-announcement (%d days "
            "before): the announcement could not state the number of fixes",
            r->readiness_cutoff_days, r->pre_announcement_days);
    return 0;
}

int config__parse_policy(struct cfg_ctx *c, json_t *obj, struct policy_rules *r)
{
    static const char *const keys[] = {
        "cadence",
        "release_time",
        "release_duration_minutes",
        "holidays",
        "readiness_cutoff_days",
        "pre_announcement_days",
        "out_of_sequence_notice_days",
        "allow_short_notice",
        "out_of_sequence_min_level",
        "distributor_notice_days",
        "distributor_reminder_hours",
        "max_embargo_days",
        "sla",
        "sla_extension_max_days",
        "cve_request_min_cvss",
        "horizon_months",
        "max_release_horizon_years",
        NULL,
    };
    policy_rules_defaults(r);
    if (!obj)
        return 0;
    size_t saved = config__push_key(c, "policy");
    int rc;
    if (!json_is_object(obj)) {
        rc = config__fail(c, NULL, "must be an object");
        goto out;
    }
    if ((rc = config__check_keys(c, obj, keys)) < 0 || (rc = parse_cadence(c, obj, r)) < 0)
        goto out;
    const char *s;
    if ((rc = config__get_string(c, obj, "release_time", false, &s)) < 0 ||
        (s && (rc = parse_release_time(c, s, &r->release_minute)) < 0))
        goto out;
    if ((rc = parse_ints(c, obj, r)) < 0 ||
        (rc = config__get_bool(c, obj, "allow_short_notice", &r->allow_short_notice)) < 0)
        goto out;
    json_t *v = json_object_get(obj, "holidays");
    if (v && (rc = parse_holidays(c, v, r)) < 0)
        goto out;
    if ((rc = parse_min_level(c, obj, r)) < 0)
        goto out;
    v = json_object_get(obj, "sla");
    if (v && (rc = parse_sla(c, v, &r->sla)) < 0)
        goto out;
    if ((rc = parse_cve_min_cvss(c, obj, r)) < 0 || (rc = check_cross_fields(c, r)) < 0)
        goto out;
    rc = 0;
out:
    config__pop(c, saved);
    return rc;
}
