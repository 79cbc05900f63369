/* The delivery and audit rows (see log.h). */
#include "views/log.h"

#include "core/json.h"

json_t *view_delivery_json(const struct view_delivery *d)
{
    return json_pack("{sssssssssisosososo}", "id", d->id, "channel", d->channel, "message_type",
                     d->message_type, "state", d->state, "attempts", d->attempts, "next_attempt_at",
                     jsonx_time(d->next_attempt_at), "last_error",
                     jsonx_string_or_null(d->last_error), "channel_disabled",
                     json_boolean(d->disabled_reason != NULL), "channel_disabled_reason",
                     jsonx_string_or_null(d->disabled_reason));
}

json_t *view_delivery_state_json(const char *id, const char *state)
{
    return json_pack("{ssss}", "id", id, "state", state);
}

json_t *view_audit_json(const struct view_audit *a)
{
    json_t *detail = a->detail_json ? json_loads(a->detail_json, 0, NULL) : NULL;
    return json_pack("{sIsossssssso*sosb}", "id", (json_int_t)a->id, "at", jsonx_time(a->at),
                     "actor", a->actor, "action", a->action, "subject", a->subject, "detail",
                     detail, "override_reason", jsonx_string_or_null(a->override_reason), "late",
                     a->late);
}
