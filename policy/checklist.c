/* The default checklist, due rules and self-completing tasks (see checklist.h). */
#include "core/nelem.h"
#include "policy/checklist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/choices.h"
#include "core/err.h"
#include "policy/types.h"

#define DAY  (24 * 3600)
#define HOUR 3600

/* Shorthands for the default template. */
#define DUE(ev, off) .has_due = true, .due_event = CHECKLIST_EV_##ev, .due_offset = (off)
#define AUTO(a)      .auto_done = CHECKLIST_AUTO_##a

static const struct checklist_task assessment[] = {
    {"reproduce", "Reproduce the vulnerability in a test environment",
     DUE(ACKNOWLEDGE_DEADLINE, 0)},
    {"assess_cvss", "Assess the CVSS score and severity level", DUE(RESPOND_DEADLINE, 0),
     AUTO(SEVERITY_ASSESSED)},
    {"affects_stable", "Check whether the current stable version is affected",
     DUE(RESPOND_DEADLINE, 0)},
    {"affects_lts", "Check whether LTS versions are affected (if applicable)",
     DUE(RESPOND_DEADLINE, 0)},
    {"decide_cycle", "Decide: immediate action or the next release cycle",
     DUE(RESPOND_DEADLINE, 0)},
    {"root_cause", "Document the technical details and root cause", DUE(RESPOND_DEADLINE, 0)},
};

static const struct checklist_task response[] = {
    {"workaround", "Implement an immediate workaround if possible"},
    {"advisory_draft", "Update the security advisory draft"},
    {"patch", "Prepare the patch or hotfix", DUE(CUTOFF, 0), AUTO(FIX_READY)},
    {"test_fix", "Test the fix thoroughly in a development environment", DUE(CUTOFF, 0)},
    {"artifacts", "Prepare updated images and binaries", DUE(RELEASE, -DAY)},
    {"ghsa", "Draft the GitHub Security Advisory", DUE(DISTRIBUTOR_NOTICE, 0), AUTO(GHSA_RECORDED)},
    {"disclosure_timeline", "Consider whether the coordinated disclosure timeline needs "
                            "adjustment"},
};

static const struct checklist_task impact[] = {
    {"version_adoption", "Analyse version adoption from update checks (if available)"},
    {"vulnerable_installations", "Estimate the number of vulnerable installations"},
    {"default_config", "Assess whether default configurations are vulnerable"},
    {"exploitation", "Review whether the vulnerability has been exploited (logs, reports)"},
    {"user_data", "Determine whether any user data may have been compromised"},
    {"in_the_wild", "Check for indicators of active exploitation in the wild"},
};

#define GROUP(g) .group = g
#define PRE      GROUP("pre_release")
#define COMM     GROUP("communication")
#define EXEC     GROUP("release_execution")
#define POST     GROUP("post_release")

/* The 19 tasks of the Stalwart checklist's "Communication & Release", in its four groups. */
static const struct checklist_task release[] = {
    {"finalize_patch", "Finalize the security patch", DUE(DISTRIBUTOR_NOTICE, 0), AUTO(FIX_READY),
     PRE},
    {"release_notes", "Prepare release notes with security details", DUE(DISTRIBUTOR_NOTICE, 0),
     PRE},
    {"prepare_docs", "Update the documentation if needed", DUE(RELEASE, -DAY), PRE},
    {"test_updates", "Test the automatic update mechanisms", DUE(RELEASE, -DAY), PRE},
    {"prepare_advisory", "Prepare the GitHub Security Advisory", DUE(RELEASE, -DAY),
     AUTO(GHSA_RECORDED), PRE},
    {"draft_announcement", "Draft the announcement for the community forum and Discord",
     DUE(RELEASE, -DAY), COMM},
    {"github_announcement", "Prepare the release announcement for GitHub", DUE(RELEASE, -DAY),
     COMM},
    {"advisory_content", "Draft the security advisory content", DUE(DISTRIBUTOR_NOTICE, 0), COMM},
    {"notify_distributors", "Consider notification to major distributors and packagers",
     DUE(DISTRIBUTOR_NOTICE, 0), COMM, .kind = CHECKLIST_KIND_DECISION,
     .choices = "notify|not_needed", .reason_required = "not_needed"},
    {"publish_release", "Publish the patched version", DUE(RELEASE, 0), AUTO(RELEASE_PUBLISHED),
     EXEC},
    {"update_images", "Update the container images", DUE(RELEASE, 0), EXEC},
    {"publish_advisory", "Publish the security advisory", DUE(RELEASE, 0), EXEC},
    {"announce", "Post to the community channels", DUE(RELEASE, 0), AUTO(ANNOUNCEMENTS_DELIVERED),
     EXEC},
    {"update_docs", "Update the project website and documentation", DUE(RELEASE, DAY), EXEC},
    {"cve_request", "Submit a CVE request if warranted", DUE(DISTRIBUTOR_NOTICE, 0),
     AUTO(CVE_RECORDED), .when = CHECKLIST_WHEN_CVE_RECOMMENDED, EXEC},
    {"monitor", "Monitor community channels for questions", DUE(RELEASE, 7 * DAY), POST},
    {"track_adoption", "Track adoption of the security update", DUE(PUBLISHED, 14 * DAY),
     AUTO(ADOPTION_HALF), POST},
    {"follow_up", "Follow up on any additional reports", DUE(RELEASE, 14 * DAY), POST},
    {"lessons", "Document lessons learned", DUE(RELEASE, 14 * DAY), POST},
};

static const struct checklist_task review[] = {
    {"review", "Hold the post-incident review", DUE(RELEASE, 14 * DAY)},
};

#define PHASE(id, title, v)                                                                        \
    {                                                                                              \
        id, title, v, NELEM(v)                                                                     \
    }
static const struct checklist_phase phases[] = {
    PHASE("assessment", "Initial assessment and validation", assessment),
    PHASE("response", "Immediate response and mitigation", response),
    PHASE("impact", "Impact assessment and user analysis", impact),
    PHASE("release", "Communication and release", release),
    PHASE("review", "Post-incident review", review),
};

static const struct checklist_template default_template = {phases, NELEM(phases)};

const struct checklist_template *checklist_default(void)
{
    return &default_template;
}

static const char *const event_names[CHECKLIST_EV_COUNT] = {
    "reported",  "acknowledge_deadline", "respond_deadline", "resolve_deadline",
    "cutoff",    "distributor_notice",   "announce",         "release",
    "published",
};

static const char *const auto_names[CHECKLIST_AUTO_COUNT] = {
    "none",
    "severity_assessed",
    "fix_ready",
    "cve_recorded",
    "ghsa_recorded",
    "distributor_notice_delivered",
    "announcements_delivered",
    "release_published",
    "adoption_half",
};

const char *checklist_event_name(enum checklist_event e)
{
    return (unsigned)e < CHECKLIST_EV_COUNT ? event_names[e] : "?";
}

const char *checklist_auto_name(enum checklist_auto a)
{
    return (unsigned)a < CHECKLIST_AUTO_COUNT ? auto_names[a] : "?";
}

int checklist_auto_parse(const char *s, enum checklist_auto *out)
{
    for (int i = 1; i < CHECKLIST_AUTO_COUNT; i++)
        if (strcmp(s, auto_names[i]) == 0) {
            *out = (enum checklist_auto)i;
            return 0;
        }
    return RC_EINVAL;
}

int checklist_when_parse(const char *s, enum checklist_when *out)
{
    if (strcmp(s, "always") == 0)
        *out = CHECKLIST_WHEN_ALWAYS;
    else if (strcmp(s, "cve_recommended") == 0)
        *out = CHECKLIST_WHEN_CVE_RECOMMENDED;
    else
        return RC_EINVAL;
    return 0;
}

const char *checklist_when_name(enum checklist_when w)
{
    return w == CHECKLIST_WHEN_CVE_RECOMMENDED ? "cve_recommended" : "always";
}

static const char *const kind_names[] = {"task", "decision"};
_Static_assert(NELEM(kind_names) == CHECKLIST_KIND_COUNT, "one name per kind");
static const char *const state_names[] = {"open", "done", "not_applicable"};
_Static_assert(NELEM(state_names) == CHECKLIST_STATE_COUNT, "one name per state");

const char *checklist_kind_name(enum checklist_kind k)
{
    return (unsigned)k < NELEM(kind_names) ? kind_names[k] : "?";
}

int checklist_kind_parse(const char *s, enum checklist_kind *out)
{
    for (size_t i = 0; s && i < NELEM(kind_names); i++)
        if (strcmp(s, kind_names[i]) == 0) {
            *out = (enum checklist_kind)i;
            return 0;
        }
    return RC_EINVAL;
}

const char *checklist_state_name(enum checklist_state st)
{
    return (unsigned)st < NELEM(state_names) ? state_names[st] : "?";
}

int checklist_state_parse(const char *s, enum checklist_state *out)
{
    for (size_t i = 0; s && i < NELEM(state_names); i++)
        if (strcmp(s, state_names[i]) == 0) {
            *out = (enum checklist_state)i;
            return 0;
        }
    return RC_EINVAL;
}

int checklist_due_parse(const char *s, enum checklist_event *ev, int64_t *offset)
{
    size_t n = strcspn(s, "+-");
    for (int i = 0; i < CHECKLIST_EV_COUNT; i++) {
        if (strlen(event_names[i]) != n || strncmp(s, event_names[i], n) != 0)
            continue;
        *ev = (enum checklist_event)i;
        *offset = 0;
        if (!s[n])
            return 0;
        const char *p = s + n + 1;
        if (*p < '0' || *p > '9')
            return RC_EINVAL;
        char *end;
        long v = strtol(p, &end, 10);
        int64_t unit = *end == 'd' ? DAY : *end == 'h' ? HOUR : 0;
        if (!unit || end[1] || v > 3650L * (unit == DAY ? 1 : 24))
            return RC_EINVAL;
        *offset = (s[n] == '-' ? -1 : 1) * (int64_t)v * unit;
        return 0;
    }
    return RC_EINVAL;
}

void checklist_due_format(enum checklist_event ev, int64_t offset, char *out, size_t len)
{
    int64_t a = offset < 0 ? -offset : offset;
    if (!offset)
        snprintf(out, len, "%s", checklist_event_name(ev));
    else if (a % DAY == 0)
        snprintf(out, len, "%s%c%lldd", checklist_event_name(ev), offset < 0 ? '-' : '+',
                 (long long)(a / DAY));
    else
        snprintf(out, len, "%s%c%lldh", checklist_event_name(ev), offset < 0 ? '-' : '+',
                 (long long)(a / HOUR));
}

const struct checklist_task *checklist_find(const struct checklist_template *t, const char *id,
                                            const struct checklist_phase **phase_out)
{
    for (size_t p = 0; p < t->n_phases; p++)
        for (size_t k = 0; k < t->phases[p].n_tasks; k++)
            if (strcmp(t->phases[p].tasks[k].id, id) == 0) {
                if (phase_out)
                    *phase_out = &t->phases[p];
                return &t->phases[p].tasks[k];
            }
    return NULL;
}

bool checklist_choice_valid(const struct checklist_task *t, const char *choice)
{
    return t->kind == CHECKLIST_KIND_DECISION && choices_has(t->choices, choice);
}

bool checklist_choice_needs_reason(const struct checklist_task *t, const char *choice)
{
    return checklist_choice_valid(t, choice) && choices_has(t->reason_required, choice);
}

const char *checklist_group_title(const char *group)
{
    static const char *const titles[][2] = {
        {"pre_release", "Pre-release preparation"},
        {"communication", "Communication channels"},
        {"release_execution", "Release execution"},
        {"post_release", "Post-release"},
    };
    for (size_t i = 0; group && i < NELEM(titles); i++)
        if (strcmp(group, titles[i][0]) == 0)
            return titles[i][1];
    return group;
}

int64_t checklist_adoption_half(const struct checklist_adoption *v, size_t n, int64_t published_at)
{
    int64_t best = POLICY_TIME_NONE;
    for (size_t i = 0; i < n; i++) {
        if (!(v[i].share >= 0.5))
            continue;
        if (published_at != POLICY_TIME_NONE && v[i].at < published_at)
            continue;
        if (best == POLICY_TIME_NONE || v[i].at < best)
            best = v[i].at;
    }
    return best;
}

int64_t checklist_due(const struct checklist_task *t, const struct checklist_events *ev)
{
    if (!t->has_due || ev->at[t->due_event] == POLICY_TIME_NONE)
        return POLICY_TIME_NONE;
    return ev->at[t->due_event] + t->due_offset;
}

bool checklist_active(const struct policy_issue *is, int64_t now)
{
    if (is->status == POLICY_ISSUE_REJECTED)
        return false;
    return is->status != POLICY_ISSUE_RELEASED || is->released_at == POLICY_TIME_NONE ||
           is->released_at > now - CHECKLIST_ACTIVE_AFTER_RELEASE;
}

bool checklist_applies(const struct checklist_task *t, const struct checklist_facts *f)
{
    return t->when != CHECKLIST_WHEN_CVE_RECOMMENDED || f->cve_recommended;
}

bool checklist_auto_check(enum checklist_auto a, const struct checklist_facts *f, int64_t *at,
                          char *evidence, size_t len)
{
    *at = POLICY_TIME_NONE;
    evidence[0] = '\0';
    switch (a) {
    case CHECKLIST_AUTO_SEVERITY_ASSESSED:
        if (f->severity && f->severity[0]) {
            snprintf(evidence, len, "severity %s", f->severity);
            return true;
        }
        break;
    case CHECKLIST_AUTO_FIX_READY:
        if (f->fix_ready_at != POLICY_TIME_NONE) {
            *at = f->fix_ready_at;
            snprintf(evidence, len, "issue marked fix_ready");
        }
        break;
    case CHECKLIST_AUTO_CVE_RECORDED:
        if (f->cve && f->cve[0]) {
            snprintf(evidence, len, "%s recorded", f->cve);
            return true;
        }
        break;
    case CHECKLIST_AUTO_GHSA_RECORDED:
        if (f->ghsa && f->ghsa[0]) {
            snprintf(evidence, len, "%s recorded", f->ghsa);
            return true;
        }
        break;
    case CHECKLIST_AUTO_DISTRIBUTOR_NOTICE_DELIVERED:
        if (f->notice_delivered_at != POLICY_TIME_NONE) {
            *at = f->notice_delivered_at;
            snprintf(evidence, len, "distributor notice of %s delivered: %s",
                     f->release_id ? f->release_id : "?",
                     f->notice_evidence ? f->notice_evidence : "no distributor channel");
        }
        break;
    case CHECKLIST_AUTO_ANNOUNCEMENTS_DELIVERED:
        if (f->announced_at != POLICY_TIME_NONE) {
            *at = f->announced_at;
            snprintf(evidence, len, "announcements of %s delivered: %s",
                     f->release_id ? f->release_id : "?",
                     f->announce_evidence ? f->announce_evidence : "no public channel");
        }
        break;
    case CHECKLIST_AUTO_RELEASE_PUBLISHED:
        if (f->published_at != POLICY_TIME_NONE) {
            *at = f->published_at;
            snprintf(evidence, len, "release %s published", f->release_id ? f->release_id : "?");
        }
        break;
    case CHECKLIST_AUTO_ADOPTION_HALF:
        if (f->adoption_half_at != POLICY_TIME_NONE) {
            *at = f->adoption_half_at;
            snprintf(evidence, len, "an adoption figure of at least 50 %% recorded");
        }
        break;
    default:
        break;
    }
    return *at != POLICY_TIME_NONE;
}
