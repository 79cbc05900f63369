/* The project objects (see project.h). */
#include "views/project.h"

#include <stdio.h>

#include "core/json.h"
#include "core/timeutil.h"

json_t *view_project_summary_json(const struct policy_project *p)
{
    return json_pack("{ssssss}", "id", p->id, "name", p->name, "timezone", p->timezone);
}

static json_t *branches_json(const struct policy_project *p)
{
    json_t *branches = json_array();
    for (size_t i = 0; i < p->n_branches; i++) {
        char eol[TIME_DATE_SIZE];
        if (p->branches[i].eol_day != POLICY_TIME_NONE)
            time_date_format(p->branches[i].eol_day, eol);
        json_array_append_new(
            branches,
            json_pack("{ssssso}", "name", p->branches[i].name, "version", p->branches[i].version,
                      "eol",
                      p->branches[i].eol_day != POLICY_TIME_NONE ? json_string(eol) : json_null()));
    }
    return branches;
}

static json_t *policy_json(const struct policy_rules *ru)
{
    json_t *holidays = json_array();
    for (size_t i = 0; i < ru->n_holidays; i++) {
        char d[TIME_DATE_SIZE];
        time_date_format(ru->holidays[i], d);
        json_array_append_new(holidays, json_string(d));
    }
    char rt[16];
    snprintf(rt, sizeof rt, "%02d:%02d", ru->release_minute / 60 % 24, ru->release_minute % 60);
    return json_pack(
        "{sssssisosisisisssisisis{sisisi}sfsisi}", "cadence", ru->cadence, "release_time", rt,
        "release_duration_minutes", ru->release_duration_minutes, "holidays", holidays,
        "readiness_cutoff_days", ru->readiness_cutoff_days, "pre_announcement_days",
        ru->pre_announcement_days, "out_of_sequence_notice_days", ru->out_of_sequence_notice_days,
        "out_of_sequence_min_level", policy_level_name(ru->out_of_sequence_min_level),
        "distributor_notice_days", ru->distributor_notice_days, "distributor_reminder_hours",
        ru->distributor_reminder_hours, "max_embargo_days", ru->max_embargo_days, "sla",
        "acknowledge_hours", ru->sla.acknowledge_hours, "respond_days", ru->sla.respond_days,
        "resolve_days", ru->sla.resolve_days, "cve_request_min_cvss", ru->cve_request_min_cvss,
        "horizon_months", ru->horizon_months, "max_release_horizon_years",
        ru->max_release_horizon_years);
}

json_t *view_project_json(const struct policy_project *p)
{
    return json_pack("{sssssssoso}", "id", p->id, "name", p->name, "timezone", p->timezone,
                     "branches", branches_json(p), "policy", policy_json(&p->rules));
}
