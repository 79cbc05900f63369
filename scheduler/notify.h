/* Enqueuing messages for a project's channels (private to scheduler/ and server/). */
#ifndef RELCAL_SCHEDULER_NOTIFY_H
#define RELCAL_SCHEDULER_NOTIFY_H

#include <jansson.h>

#include "policy/disclosure.h"
#include "scheduler/sched.h"

#define SCHED_TO_PUBLIC       (1u << CONFIG_AUDIENCE_PUBLIC)
#define SCHED_TO_DISTRIBUTORS (1u << CONFIG_AUDIENCE_DISTRIBUTORS)
#define SCHED_TO_TEAM         (1u << CONFIG_AUDIENCE_TEAM)
#define SCHED_TO_ALL          (SCHED_TO_PUBLIC | SCHED_TO_DISTRIBUTORS | SCHED_TO_TEAM)

/* One outbox row per channel in `audiences` for message `type` about release r (may be NULL);
 * `extra` (may be NULL) is merged into the data of non-public messages; the reference is
 * stolen (every caller passes a fresh json_pack), as with json_object_set_new. */
int sched_notify(struct sched *s, const struct sched_view *v, const struct store_release *r,
                 const char *type, unsigned audiences, int64_t now, json_t *extra);

/* The same for a message that fell due at `due_at`: one sent more than POLICY_LATE_AFTER after
 * it carries "late": true and "due_at" in its data, for every audience (docs/POLICY.md). */
int sched_notify_at(struct sched *s, const struct sched_view *v, const struct store_release *r,
                    const char *type, unsigned audiences, int64_t now, int64_t due_at,
                    json_t *extra);

/* SCHED_TO_* bits of policy audience bits (1u << enum policy_audience). */
unsigned sched_to(unsigned policy_audiences);

/* A channel's audience as policy/disclosure.h names it. */
enum policy_audience sched_audience(enum config_audience a);

#endif
