/* Why a release is on its date and holds what it holds (docs/POLICY.md "Explanations"): the
 * ordered steps from the cadence instance, a holiday shift, the cut-off, the pre-announcement and
 * distributor notice that locked it, every move, cancellation and publication from the audit
 * log, out-of-sequence creation, and the events still due (policy/due.c). A pure function of
 * what the scheduler gathers; what each audience may see of a step is policy/disclosure.c's. */
#ifndef RELCAL_POLICY_EXPLAIN_H
#define RELCAL_POLICY_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/disclosure.h"
#include "policy/due.h"
#include "policy/types.h"

enum policy_explain_rule {
    POLICY_EXPLAIN_CADENCE = 0,        /* the RRULE instance the window comes from */
    POLICY_EXPLAIN_HOLIDAY_SHIFT,      /* the instance fell on a listed holiday */
    POLICY_EXPLAIN_OUT_OF_SEQUENCE,    /* created by a manager; the notice rule */
    POLICY_EXPLAIN_CUTOFF,             /* the readiness cut-off and the fixes that met it */
    POLICY_EXPLAIN_SKIP,               /* no ready fix at the cut-off */
    POLICY_EXPLAIN_PRE_ANNOUNCEMENT,   /* announced: the date is locked */
    POLICY_EXPLAIN_DISTRIBUTOR_NOTICE, /* distributors notified: the date is locked */
    POLICY_EXPLAIN_MOVE,               /* moved by someone (audit log) */
    POLICY_EXPLAIN_CANCEL,             /* cancelled (audit log) */
    POLICY_EXPLAIN_PUBLISH,            /* published (audit log) */
    POLICY_EXPLAIN_DUE,                /* an event still due (policy/due.c) */
    POLICY_EXPLAIN_RULE_COUNT
};

/* "cadence", "holiday_shift", "out_of_sequence", "cutoff", "skip", "pre_announcement",
 * "distributor_notice", "move", "cancel", "publish", "due". */
const char *policy_explain_rule_name(enum policy_explain_rule r);

/* The name of a due event in an explanation: "cutoff", "pre_announcement", "distributor_notice",
 * "reminder", "release", "overdue". */
const char *policy_explain_due_name(enum policy_due_kind k);

/* One change of the release from the audit log: rule OUT_OF_SEQUENCE (release.create), MOVE,
 * CANCEL, PUBLISH, PRE_ANNOUNCEMENT (release.announce) or DISTRIBUTOR_NOTICE. Strings are
 * borrowed (NULL: none). */
struct policy_explain_change {
    enum policy_explain_rule rule;
    int64_t at;
    const char *by;
    const char *reason;
    const char *override_reason;
    int64_t from, to; /* MOVE: the start before and after */
    bool late;        /* applied more than a minute after its instant (catch-up) */
};

struct policy_explain_input {
    const struct policy_rules *rules;
    const struct policy_release *rel; /* the effective release */
    uint32_t done;                    /* its POLICY_DONE_* bits */
    int64_t epoch;                    /* when relcal first tracked the project */
    /* A scheduled window's cadence instance: its local date (the release id), the instant of
     * that date at release_time, and where the config puts the window (after a holiday shift,
     * before any move) with its local date. Ignored for out-of-sequence releases. */
    int64_t instance_day;
    int64_t instance_at;
    int64_t configured_at;
    int64_t configured_day;
    /* Which occurrence it is: the n-th window of its calendar year (by id), of how many; 0 when
     * unknown. */
    int occurrence, occurrences;
    /* The issues attached to the release (rejected ones included; they are left out here). */
    const struct policy_issue *issues;
    size_t n_issues;
    /* Its changes from the audit log, oldest first. */
    const struct policy_explain_change *changes;
    size_t n_changes;
    enum policy_audience audience;
    int64_t now;
};

/* One step. Fields a rule does not use are POLICY_TIME_NONE / 0 / NULL; strings are borrowed
 * from the input (or static). */
struct policy_explain_step {
    enum policy_explain_rule rule;
    int64_t at; /* when it happened or falls due; POLICY_TIME_NONE for the cadence */
    /* Who and why (audit log): only for audiences that may see them, else NULL. */
    const char *by;
    const char *reason;
    const char *override_reason;
    int64_t instance_day;        /* cadence, holiday_shift */
    int occurrence, occurrences; /* cadence: the n-th window of its year, of how many */
    int64_t holiday_day;         /* holiday_shift: the holiday that caused it */
    int64_t shifted_day;         /* holiday_shift: the day the window moved to */
    int64_t from, to;            /* move; cadence and holiday_shift: to = the window's start */
    /* cutoff: cutoff_at; skip: the cut-off; out_of_sequence: the
     * earliest date the notice allowed; due: the instant. */
    int64_t deadline;
    int64_t date;  /* cutoff: the release's start; out_of_sequence: the date requested */
    int days;      /* the rule's number: cut-off, pre-announcement or notice days */
    bool met;      /* cutoff: passed; out_of_sequence: the notice was met */
    bool override; /* an admin override was used (who may see it: by != NULL) */
    bool has_count;
    int fix_count;            /* cutoff: fixes that met it, when the audience may see counts */
    int64_t *ids;             /* cutoff: issues that met it; out_of_sequence: issues attached */
    size_t n_ids;             /* (heap; only for audiences that may see issue ids) */
    bool has_ids;             /* ids are shown (possibly none) */
    enum policy_due_kind due; /* due: which event */
    unsigned audiences;       /* due: who hears of it, bits 1u << enum policy_audience */
    bool if_unchanged;        /* due: depends on the release's content as it is now */
    bool late; /* pre_announcement, distributor_notice: sent late (catch-up after downtime) */
};

/* The steps, in order: the cadence instance and its holiday shift (scheduled) or the
 * out-of-sequence creation, then what happened in time order (cut-off, skip, pre-announcement,
 * distributor notice, moves, cancellation, publication), then the events still due in the order
 * policy/due.c would apply them. *out is allocated (free with policy_explain_free); returns the
 * count. The public sees only public facts: no issue ids, no actors or reasons, no event whose
 * timing depends on the release's content. */
size_t policy_explain(const struct policy_explain_input *in, struct policy_explain_step **out);
void policy_explain_free(struct policy_explain_step *steps, size_t n);

#endif
