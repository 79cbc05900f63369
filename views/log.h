/* JSON views of the rows of relcal's logs as the API lists them (docs/CONTRACT.md "deliveries",
 * "audit"): an outbox row with its channel's state, and an audit row. Pure renderers of plain
 * borrowed structs: the server copies the fields out of what the scheduler's queries return
 * (scheduler/queries.h), so no store type reaches views/. */
#ifndef RELCAL_VIEWS_LOG_H
#define RELCAL_VIEWS_LOG_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct view_delivery {
    const char *id;
    const char *channel;
    const char *message_type;
    const char *state; /* the outbox state's name (sched_delivery_state_name) */
    int attempts;
    int64_t next_attempt_at;
    const char *last_error;      /* NULL: null */
    const char *disabled_reason; /* NULL: the channel is not disabled */
};

/* New reference: {"id", "channel", "message_type", "state", "attempts", "next_attempt_at",
 * "last_error", "channel_disabled", "channel_disabled_reason"}. */
json_t *view_delivery_json(const struct view_delivery *d);
/* New reference: {"id", "state"}, a delivery's answer to a retry. */
json_t *view_delivery_state_json(const char *id, const char *state);

struct view_audit {
    int64_t id;
    int64_t at;
    const char *actor;
    const char *action;
    const char *subject;
    const char *detail_json;     /* JSON text as stored; NULL or unparsable: no "detail" */
    const char *override_reason; /* NULL: null */
    bool late;
};

/* New reference: {"id", "at", "actor", "action", "subject", ["detail",] "override_reason",
 * "late"}. */
json_t *view_audit_json(const struct view_audit *a);

#endif
