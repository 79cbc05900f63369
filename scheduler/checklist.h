/* The incident checklist of one issue as it stands: the project's template, the items set by
 * hand, the tasks relcal completes itself (from the store: deliveries, the release, the issue)
 * and due instants from the issue's and its release's events. Private to scheduler/. */
#ifndef RELCAL_SCHEDULER_CHECKLIST_H
#define RELCAL_SCHEDULER_CHECKLIST_H

#include <jansson.h>

#include "scheduler/sched.h"

struct sched_task {
    const struct checklist_phase *phase;
    const struct checklist_task *task;
    enum checklist_state state;
    bool automatic;  /* done by relcal */
    int64_t due_at;  /* POLICY_TIME_NONE: no due date (yet) */
    int64_t done_at; /* POLICY_TIME_NONE when open or not known */
    bool overdue;
    char by[POLICY_ID_MAX];
    char evidence[640];
    char *note;
    char decision[CHECKLIST_CHOICE_MAX]; /* a decision's choice, "" when not decided */
    int sequence; /* raised when the due instant moves (the release's sequence) */
};

struct sched_checklist {
    struct sched_task *v;
    size_t n;
    size_t open, overdue;
};

/* Computes the checklist of `is` (an issue of the view). */
int sched__checklist(struct sched *s, struct sched_view *v, const struct store_issue *is,
                     int64_t now, struct sched_checklist *out);
void sched__checklist_free(struct sched_checklist *c);
/* Frees a view's delivery summaries (sched_view_free). */
void sched__delivered_free(struct sched_delivered *d);
/* {"issue", "open", "overdue", "phases": [{"id", "title", "tasks": [...]}]} */
json_t *sched__checklist_json(const struct sched_checklist *c, int64_t issue_id);

/* An open task with a due date that still matters: for a released issue only the tasks after
 * the release (monitoring, the review); the rest are reminded and shown on the team feed. */
bool sched__task_pending(const struct store_issue *is, const struct sched_task *t);

#endif
