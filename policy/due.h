/* What falls due for one release, as a pure function of (rules, release, its issues, now): the
 * cut-off, the pre-announcement, the distributor notice and reminder, release day and overdue
 * (docs/POLICY.md "What goes out, when, to whom"). The scheduler applies the events in the order
 * returned and keeps the `done` bits with the release row; nothing here reads a clock or a
 * database. */
#ifndef RELCAL_POLICY_DUE_H
#define RELCAL_POLICY_DUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/disclosure.h"
#include "policy/types.h"

/* An event applied more than this many seconds after its instant (the service was down, or
 * busy) is late: its audit row and its messages say so. */
#define POLICY_LATE_AFTER 60

/* Events already handled, kept with the release row (the store's `done` column). */
enum {
    POLICY_DONE_CUTOFF = 1u << 0,
    POLICY_DONE_REMINDER = 1u << 1,
    POLICY_DONE_DUE = 1u << 2,
    POLICY_DONE_OVERDUE = 1u << 3,
    POLICY_DONE_ANNOUNCE = 1u << 4,
};

enum policy_due_kind {
    POLICY_DUE_SKIP = 0,           /* cut-off passed with no ready fix: the window is skipped */
    POLICY_DUE_CUTOFF,             /* cut-off passed with ready fixes: the content is final */
    POLICY_DUE_ANNOUNCE,           /* pre-announcement of a window with fixes */
    POLICY_DUE_ANNOUNCE_SKIPPED,   /* pre-announcement of a skipped window ("no release") */
    POLICY_DUE_DISTRIBUTOR_NOTICE, /* embargoed details to distributors */
    POLICY_DUE_REMINDER,           /* the final reminder to distributors */
    POLICY_DUE_RELEASE_DAY,        /* release.due to the team */
    POLICY_DUE_OVERDUE,            /* release.overdue to the team, 6 h after with no publish */
    POLICY_DUE_KIND_COUNT
};

#define POLICY_DUE_EVENTS_MAX POLICY_DUE_KIND_COUNT

struct policy_due_event {
    enum policy_due_kind kind;
    int64_t at; /* the instant it fell due */
    bool late;  /* applied more than POLICY_LATE_AFTER after `at` */
};

/* One release as the due rules see it. `issues` are the issues attached to it (rejected ones
 * left out); `epoch` is when relcal first tracked the project: a scheduled window whose cut-off
 * passed before that is history and gets no event. */
struct policy_due_release {
    const struct policy_release *rel;
    uint32_t done; /* POLICY_DONE_* */
    const struct policy_issue *issues;
    size_t n_issues;
    int64_t epoch;
};

/* The events due at `now`, in the order they must be applied (each sees the state the previous
 * ones left), written to out; returns how many. *next becomes the earliest instant after now at
 * which another event of this release falls due, when that is earlier than *next (callers
 * start it at POLICY_TIME_NONE and fold it over every release).
 *
 * Rules (docs/POLICY.md): the cut-off is inclusive, so a window is judged only once the second
 * of its cut-off has passed, and a fix ready in that second joins it whatever order the write
 * and the tick run in; a scheduled window's pre-announcement and distributor notice wait for
 * the cut-off when they fall at or after it, so they count the window's final content; a
 * scheduled window notifies distributors only when it ships a ready fix, an out-of-sequence
 * release at its notice time whatever the state of its fixes (the caller tells the team which
 * are missing); the reminder follows the notice. */
size_t policy_due_release(const struct policy_due_release *in, int64_t now,
                          struct policy_due_event out[POLICY_DUE_EVENTS_MAX], int64_t *next);

/* Whether nothing can ever fall due again for this release, whatever its issues (final and
 * done, or history before the epoch): callers may skip collecting its issues. */
bool policy_due_release_idle(const struct policy_due_release *in);

/* Applies one event to the release and its done bits: the state change only (status, sequence,
 * announced_at, distributors_notified_at). */
void policy_due_apply(struct policy_release *rel, uint32_t *done, const struct policy_due_event *e,
                      int64_t now);

/* Who hears of an event (docs/POLICY.md "What goes out, when, to whom"): bits
 * 1u << enum policy_audience; 0 for the cut-off, which tells nobody. */
unsigned policy_due_audiences(enum policy_due_kind k);

/* The message type an event sends ("release.announced", ...); NULL for the cut-off. */
const char *policy_due_message(enum policy_due_kind k);

/* The audit action of an event ("release.skip", ...); NULL when it is not audited. */
const char *policy_due_action(enum policy_due_kind k);

/* Whether something applied at `now` for an instant `at` is late. */
bool policy_due_late(int64_t at, int64_t now);

/* Whether the team is told at the distributor notice that an issue lacks the CVE id it should
 * carry (docs/POLICY.md "What goes out"): not rejected, no CVE, CVE recommended. */
bool policy_issue_cve_missing(const struct policy_rules *r, const struct policy_issue *i);

/* Whether an attached issue still lacks its fix (reported .. confirmed). */
bool policy_issue_fix_missing(const struct policy_issue *i);

#endif
