/* Messages of product.md "What goes out, when, to whom": one outbox row per channel whose
 * audience receives the message, written in the caller's transaction. The public audience gets
 * the public release object only; distributors and the team also get the issues (without
 * descriptions). notifiers/engine.c delivers the rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "policy/due.h"
#include "scheduler/json.h"
#include "scheduler/notify.h"

int sched_notify(struct sched *s, const struct sched_view *v, const struct store_release *r,
                 const char *type, unsigned audiences, int64_t now, json_t *extra)
{
    return sched_notify_at(s, v, r, type, audiences, now, now, extra);
}

int sched_notify_at(struct sched *s, const struct sched_view *v, const struct store_release *r,
                    const char *type, unsigned audiences, int64_t now, int64_t due_at,
                    json_t *extra)
{
    bool late = policy_due_late(due_at, now);
    const struct config_project *p = v->project;
    int rc = 0;
    for (size_t c = 0; c < p->n_channels && rc == 0; c++) {
        const struct config_channel *ch = &p->channels[c];
        if (!(audiences & (1u << ch->audience)))
            continue;
        bool public_audience = ch->audience == CONFIG_AUDIENCE_PUBLIC;
        json_t *data = json_object();
        json_object_set_new(data, "project", json_string(p->policy.id));
        if (r)
            json_object_set_new(data, "release", sched_release_json(v, r, !public_audience));
        if (r && !public_audience) {
            json_t *issues = json_array();
            for (size_t i = v->n_issues; i-- > 0;)
                if (strcmp(v->issues[i].core.release_id, r->core.id) == 0)
                    json_array_append_new(issues, sched_issue_json(p, &v->issues[i], now, false));
            json_object_set_new(data, "issues", issues);
        }
        if (extra && !public_audience)
            json_object_update(data, extra);
        if (late) {
            json_object_set_new(data, "late", json_true());
            json_object_set_new(data, "due_at", jsonx_time(due_at));
        }
        json_t *msg = json_object();
        json_object_set_new(msg, "type", json_string(type));
        json_object_set_new(msg, "timestamp", jsonx_time(now));
        json_object_set_new(msg, "data", data);
        char *payload = jsonx_dump(msg);
        rc = store_outbox_enqueue(s->store, now * 1000, p->policy.id, ch->name, type,
                                  config_audience_name(ch->audience), r ? r->core.id : NULL,
                                  payload, strlen(payload), NULL);
        free(payload);
        json_decref(msg);
    }
    json_decref(extra);
    return rc;
}
