/* JSON views of an issue's incident checklist and of its fix's adoption figures (docs/CONTRACT.md
 * "Checklist"). Pure renderers from plain borrowed structs: the scheduler works out the tasks'
 * states, due instants and the half-adoption instant (scheduler/checklist.c, policy/checklist.h)
 * and hands them over; nothing here decides. */
#ifndef RELCAL_VIEWS_CHECKLIST_H
#define RELCAL_VIEWS_CHECKLIST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/checklist.h"
#include "policy/types.h"

/* One task as it stands; every pointer borrowed. */
struct view_task {
    const struct checklist_phase *phase; /* tasks of one phase are consecutive */
    const struct checklist_task *task;
    enum checklist_state state;
    bool automatic;  /* done by relcal */
    int64_t due_at;  /* POLICY_TIME_NONE: no due date (yet) */
    int64_t done_at; /* POLICY_TIME_NONE when open or not known */
    bool overdue;
    const char *by;       /* "" or NULL: null */
    const char *evidence; /* "" or NULL: null */
    const char *note;     /* NULL: null */
    const char *decision; /* "" or NULL: not decided */
};

struct view_checklist {
    int64_t issue_id;
    size_t open, overdue;
    const struct view_task *tasks;
    size_t n;
};

/* New reference: {"issue", "open", "overdue", "phases": [{"id", "title", "tasks": [...]}]}. */
json_t *view_checklist_json(const struct view_checklist *c);

/* One adoption figure; `by` borrowed. */
struct view_adoption_figure {
    double share;
    int64_t at;
    const char *by;
    int64_t recorded_at;
};

/* New reference: {"issue", "published_at", "half_at", "seconds_to_half", "figures"}; half_at
 * POLICY_TIME_NONE: not reached (seconds_to_half null). */
json_t *view_adoption_json(int64_t issue_id, int64_t published_at, int64_t half_at,
                           const struct view_adoption_figure *figs, size_t n);

#endif
