/* The policy decisions of docs/POLICY.md as pure functions of (policy, state, now): derived
 * instants of a release, SLA deadlines, batching, out-of-sequence and move checks, versions per
 * branch. No loop, no sockets, no database. */
#ifndef RELCAL_POLICY_RULES_H
#define RELCAL_POLICY_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/types.h"

/* docs/POLICY.md: "release day / 6 h after with no publish". */
#define POLICY_OVERDUE_AFTER (6 * 3600)

/* Sets cutoff_at, distributor_notice_at and reminder_at from starts_at, and announce_at for
 * scheduled releases (an out-of-sequence release is announced when it is created: the caller
 * sets its announce_at). */
void policy_release_derive(const struct policy_rules *r, struct policy_release *rel);

/* A window that has told people something keeps its date: pre-announced or distributors
 * notified. */
bool policy_release_locked(const struct policy_release *rel);

/* Final: released, skipped or cancelled. */
bool policy_release_final(const struct policy_release *rel);

enum policy_sla_kind {
    POLICY_SLA_ACKNOWLEDGE = 0,
    POLICY_SLA_RESPOND,
    POLICY_SLA_RESOLVE,
    POLICY_SLA_COUNT
};

struct policy_sla_deadline {
    int64_t due;
    int64_t due_soon;   /* when 25 % of the span remains */
    int64_t met_at;     /* POLICY_TIME_NONE while open */
    int64_t missed_due; /* resolve: the deadline missed before an extension; 0 when none */
    bool breached;      /* not met by `due` and now > due, or met after due, or missed_due */
};

struct policy_sla_deadlines {
    struct policy_sla_deadline d[POLICY_SLA_COUNT]; /* indexed by enum policy_sla_kind */
};

const char *policy_sla_name(enum policy_sla_kind k);

/* Deadlines of an issue from its report time (resolution extended by sla_extension_days);
 * acknowledge met by acknowledged_at (or a rejection before it), respond by responded_at (or
 * rejection), resolve by fix_ready_at (or rejection). A resolution deadline missed before an
 * extension stays breached (sla_resolve_missed_due). */
void policy_issue_sla(const struct policy_rules *r, const struct policy_issue *i, int64_t now,
                      struct policy_sla_deadlines *out);

/* Extends the resolution deadline by `days` at `now`: the total of an issue's extensions is at
 * most sla_extension_max_days (RC_EPOLICY with a message in `why`, which may be NULL, and the
 * issue unchanged). When the deadline had already been breached, it is kept as
 * sla_resolve_missed_due (the first one missed stays). */
int policy_sla_extend(const struct policy_rules *r, struct policy_issue *i, int days, int64_t now,
                      char *why, size_t why_len);

/* A reminder that falls due (docs/POLICY.md "Response deadlines"): the due-soon (at due_soon)
 * or the breach (once now > due) of an open deadline. `subject` keys "already sent" in the audit
 * log: "issue-N:kind", and for an extended resolution deadline "issue-N:resolve+<days>d", so an
 * extended deadline gets its own reminders. */
#define POLICY_SLA_EVENTS_MAX 6
struct policy_sla_event {
    enum policy_sla_kind kind;
    bool breach; /* false: due soon */
    int64_t at;  /* due_soon, or due for a breach */
    int64_t due; /* the deadline */
    char subject[64];
};

/* Which of the reminders sent (sent[k] for ev[k] of policy_sla_events) one message lists: each
 * sent one, except a due-soon sent with its own deadline's breach (the breach says more).
 * Writes their indices to `out` (n at most) and returns the count. */
size_t policy_sla_listed(const struct policy_sla_event *ev, const bool *sent, size_t n,
                         size_t *out);

/* Every reminder's subject (an SLA's here, a checklist task's in scheduler/tick.c) starts with
 * its issue's: "issue-{id}:". */
#define POLICY_ISSUE_SUBJECT "issue-%lld:"

/* The reminders of issue `i` due at `now` (none for released or rejected issues), in deadline
 * order, due-soon before breach; lowers *next to the earliest one still ahead. */
size_t policy_sla_events(const struct policy_rules *r, const struct policy_issue *i, int64_t now,
                         struct policy_sla_event out[POLICY_SLA_EVENTS_MAX], int64_t *next);

/* Whether the issue's CVSS-equivalent score reaches cve_request_min_cvss. */
bool policy_issue_cve_recommended(const struct policy_rules *r, const struct policy_issue *i);

/* Batching: the earliest release (by starts_at) that is not final and whose cut-off the fix met
 * (fix_ready_at <= cutoff_at). Out-of-sequence releases are never chosen by batching (issues
 * are attached to them explicitly). RC_ENOTFOUND when none qualifies. */
int policy_batch_select(const struct policy_issue *issue, const struct policy_release *rels,
                        size_t n, size_t *out_index);

/* A refusal that maps to the 422 error codes of docs/CONTRACT.md. */
struct policy_refusal {
    const char *code; /* "insufficient_notice", "severity_below_threshold", "embargo_too_long" */
    char message[256];
    int64_t limit; /* earliest (notice) or latest (embargo) allowed instant, else NONE */
    enum policy_level required, highest; /* severity_below_threshold */
};

/* An out-of-sequence release at `date`: at least out_of_sequence_notice_days from now, and at
 * least one issue at out_of_sequence_min_level. RC_EPOLICY with `why` filled otherwise (an
 * admin override is the caller's decision). */
int policy_oos_check(const struct policy_rules *r, int64_t now, int64_t date,
                     const struct policy_issue *issues, size_t n, struct policy_refusal *why);

/* Moving a release to `new_start`: earlier needs the notice period from now; later after the
 * distributor notice must keep new_start - distributors_notified_at <= max_embargo_days.
 * RC_ETRANSITION for final releases; RC_EPOLICY with `why` for refusals. */
int policy_move_check(const struct policy_rules *r, int64_t now, const struct policy_release *rel,
                      int64_t new_start, struct policy_refusal *why);

struct policy_version {
    char branch[POLICY_ID_MAX];
    char version[POLICY_ID_MAX];
};

/* Patch bump of a dotted version's last numeric component ("5.1.2" -> "5.1.3"). RC_EINVAL when
 * the last component is not a number. */
int policy_version_bump(const char *version, char out[POLICY_ID_MAX]);

/* Highest level over the issues that carry a severity; false when none does. */
bool policy_issues_max_level(const struct policy_issue *issues, size_t n, enum policy_level *out);

#endif
