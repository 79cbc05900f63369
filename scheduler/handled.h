/* What a tick has handled already (docs/POLICY.md "Response deadlines", reminders of overdue
 * tasks): the subjects of the project's audit rows of a few actions, read in one query per tick
 * instead of one lookup per issue, deadline and event. Private to scheduler/. */
#ifndef RELCAL_SCHEDULER_HANDLED_H
#define RELCAL_SCHEDULER_HANDLED_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"

struct sched_handled {
    char **keys; /* action NUL subject NUL, open addressing; NULL: empty slot */
    size_t cap, n;
    /* Not loaded (a tick of one issue): each question is one lookup in the store. */
    struct store *st;
    const char *project;
};

/* Reads the subjects of the project's audit rows whose action is one of `actions` and whose
 * subject starts with one of `prefixes` (a JSON array of strings). */
int sched_handled_load(struct sched_handled *h, struct store *st, const char *project,
                       const char *const *actions, size_t n_actions, const char *prefixes);
/* Asks the store for each subject instead (a tick of one issue has few to ask about). */
void sched_handled_lazy(struct sched_handled *h, struct store *st, const char *project);
/* Whether the row exists; *out false on a store error (returned). */
int sched_handled_has(const struct sched_handled *h, const char *action, const char *subject,
                      bool *out);
/* Records an audit row written in this tick. */
void sched_handled_add(struct sched_handled *h, const char *action, const char *subject);
void sched_handled_free(struct sched_handled *h);

#endif
