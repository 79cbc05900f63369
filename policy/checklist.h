/* The incident checklist of each issue (the Stalwart process), pure: templates of phases and
 * tasks, due rules relative to events of the issue or its release ("release+14d"), conditions,
 * and tasks that relcal completes itself from what it knows (a delivered distributor notice, a
 * published release, a recorded CVE id). No database: the caller gathers the events and facts. */
#ifndef RELCAL_POLICY_CHECKLIST_H
#define RELCAL_POLICY_CHECKLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/types.h"

#define CHECKLIST_ID_MAX    48
#define CHECKLIST_TITLE_MAX 160

/* What a due rule counts from. */
enum checklist_event {
    CHECKLIST_EV_REPORTED = 0,
    CHECKLIST_EV_ACKNOWLEDGE_DEADLINE,
    CHECKLIST_EV_RESPOND_DEADLINE,
    CHECKLIST_EV_RESOLVE_DEADLINE,
    CHECKLIST_EV_CUTOFF,
    CHECKLIST_EV_DISTRIBUTOR_NOTICE,
    CHECKLIST_EV_ANNOUNCE,
    CHECKLIST_EV_RELEASE,   /* the release's start */
    CHECKLIST_EV_PUBLISHED, /* when it was published */
    CHECKLIST_EV_COUNT
};

/* What completes a task by itself. */
enum checklist_auto {
    CHECKLIST_AUTO_NONE = 0,
    CHECKLIST_AUTO_SEVERITY_ASSESSED,
    CHECKLIST_AUTO_FIX_READY,
    CHECKLIST_AUTO_CVE_RECORDED,
    CHECKLIST_AUTO_GHSA_RECORDED,
    CHECKLIST_AUTO_DISTRIBUTOR_NOTICE_DELIVERED,
    CHECKLIST_AUTO_ANNOUNCEMENTS_DELIVERED,
    CHECKLIST_AUTO_RELEASE_PUBLISHED,
    CHECKLIST_AUTO_ADOPTION_HALF, /* a recorded adoption figure of at least 50 % */
    CHECKLIST_AUTO_COUNT
};

/* When a task applies at all. */
enum checklist_when { CHECKLIST_WHEN_ALWAYS = 0, CHECKLIST_WHEN_CVE_RECOMMENDED };

/* A task is done by hand (or by relcal); a decision is set by hand to one of its choices. */
enum checklist_kind { CHECKLIST_KIND_TASK = 0, CHECKLIST_KIND_DECISION, CHECKLIST_KIND_COUNT };

/* Where a task stands (docs/CONTRACT.md): set by hand, by relcal, or by its condition. */
enum checklist_state {
    CHECKLIST_STATE_OPEN = 0,
    CHECKLIST_STATE_DONE,
    CHECKLIST_STATE_NOT_APPLICABLE,
    CHECKLIST_STATE_COUNT
};

#define CHECKLIST_CHOICE_MAX 16 /* a choice id, with its NUL */

struct checklist_task {
    const char *id;
    const char *title;
    bool has_due;
    enum checklist_event due_event;
    int64_t due_offset; /* seconds after (negative: before) the event */
    enum checklist_auto auto_done;
    enum checklist_when when;
    const char *group; /* a heading within the phase ("pre_release"), NULL for none */
    enum checklist_kind kind;
    const char *choices;         /* a decision's choices: "notify|not_needed" */
    const char *reason_required; /* the choices that need a note: "not_needed" (or NULL) */
};

struct checklist_phase {
    const char *id;
    const char *title;
    const struct checklist_task *tasks;
    size_t n_tasks;
};

struct checklist_template {
    const struct checklist_phase *phases;
    size_t n_phases;
};

/* The Stalwart phases and tasks with relcal's due rules (docs/POLICY.md lists them). */
const struct checklist_template *checklist_default(void);

/* "event", "event+Nd", "event-Nh" (N up to 3650 days); RC_EINVAL otherwise. */
int checklist_due_parse(const char *s, enum checklist_event *ev, int64_t *offset);
/* The rule back as text (the form checklist_due_parse reads). */
void checklist_due_format(enum checklist_event ev, int64_t offset, char *out, size_t len);
const char *checklist_event_name(enum checklist_event e);
const char *checklist_auto_name(enum checklist_auto a);
int checklist_auto_parse(const char *s, enum checklist_auto *out);
int checklist_when_parse(const char *s, enum checklist_when *out);
const char *checklist_when_name(enum checklist_when w);
/* "task", "decision"; "open", "done", "not_applicable" ("?" out of range). The parse functions
 * answer RC_EINVAL for NULL or any other string (out untouched). */
const char *checklist_kind_name(enum checklist_kind k);
int checklist_kind_parse(const char *s, enum checklist_kind *out);
const char *checklist_state_name(enum checklist_state st);
int checklist_state_parse(const char *s, enum checklist_state *out);
/* The task with this id, or NULL; *phase_out (if not NULL) gets its phase. */
const struct checklist_task *checklist_find(const struct checklist_template *t, const char *id,
                                            const struct checklist_phase **phase_out);

/* Whether `choice` is one of the decision's choices. */
bool checklist_choice_valid(const struct checklist_task *t, const char *choice);
/* Whether choosing `choice` needs a note (the reason). */
bool checklist_choice_needs_reason(const struct checklist_task *t, const char *choice);
/* The heading of a default group id ("pre_release" -> "Pre-release preparation"); a project's
 * own group ids are their own heading. */
const char *checklist_group_title(const char *group);

/* One recorded adoption figure: the share (0..1) of installations on the fixed version at. */
struct checklist_adoption {
    int64_t at;
    double share;
};
/* When 50 % adoption was first recorded: the earliest `at` (not before published_at, when
 * known) of a figure with share >= 0.5; POLICY_TIME_NONE when none. Any order. */
int64_t checklist_adoption_half(const struct checklist_adoption *v, size_t n, int64_t published_at);

/* Instants of the events of one issue (POLICY_TIME_NONE when not known: no release yet). */
struct checklist_events {
    int64_t at[CHECKLIST_EV_COUNT];
};

/* The due instant of a task, POLICY_TIME_NONE when it has no rule or its event is unknown. */
int64_t checklist_due(const struct checklist_task *t, const struct checklist_events *ev);

/* What relcal knows about the issue, for the tasks it completes itself. Each `*_at` is when it
 * happened (POLICY_TIME_NONE: not yet); strings are borrowed, NULL when unknown. relcal does
 * not record when a severity, CVE or GHSA id was entered, so those tasks are done without a
 * time. */
struct checklist_facts {
    bool cve_recommended;
    const char *severity; /* "CVSS:3.1/... 9.8 Critical" */
    int64_t fix_ready_at;
    const char *cve;
    const char *ghsa;
    int64_t notice_delivered_at; /* every distributor notice of the release delivered */
    const char *notice_evidence;
    int64_t announced_at; /* every public release.published message delivered */
    const char *announce_evidence;
    int64_t published_at;
    const char *release_id;
    int64_t adoption_half_at; /* checklist_adoption_half of the issue's figures */
};

/* Whether `a` is done by the facts; if so, when (POLICY_TIME_NONE when not known) and with what
 * evidence (written to evidence). */
bool checklist_auto_check(enum checklist_auto a, const struct checklist_facts *f, int64_t *at,
                          char *evidence, size_t len);

/* How long after its release an issue's checklist still matters (docs/POLICY.md "Incident
 * checklist"): its overdue reminders and its team-feed events. */
#define CHECKLIST_ACTIVE_AFTER_RELEASE (30 * 24 * 3600)

/* Whether the issue's checklist is active at `now`: not rejected, and not released
 * CHECKLIST_ACTIVE_AFTER_RELEASE or more before `now` (released at no recorded instant: active). */
bool checklist_active(const struct policy_issue *is, int64_t now);

/* Whether a task applies to the issue (its `when` condition). */
bool checklist_applies(const struct checklist_task *t, const struct checklist_facts *f);

#endif
