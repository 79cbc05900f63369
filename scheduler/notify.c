/* Messages of docs/POLICY.md "What goes out, when, to whom": one outbox row per channel whose
 * audience receives the message, written in the caller's transaction. What each audience's
 * payload carries is decided by policy/disclosure.h: the public gets the public release object
 * only; notified distributors and the team also get the issues (never their descriptions).
 * notifiers/engine.c delivers the rows. */
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

/* The message for audience `a` (docs/POLICY.md "What goes out, when, to whom"), as JSON text. */
static char *payload_for(const struct sched_view *v, const struct store_release *r,
                         enum policy_audience a, const char *type, int64_t now, int64_t due_at,
                         bool late, json_t *extra)
{
    const struct config_project *p = v->project;
    struct policy_release_visibility vis = policy_disclosure_release(a, r ? &r->core : NULL);
    json_t *data = json_object();
    json_object_set_new(data, "project", json_string(p->policy.id));
    if (r)
        json_object_set_new(data, "release", sched_release_json(v, r, a));
    if (r && vis.issues) {
        json_t *issues = json_array();
        for (size_t i = v->n_issues; i-- > 0;) {
            const struct store_issue *is = &v->issues[i];
            if (strcmp(is->core.release_id, r->core.id) != 0)
                continue;
            struct policy_issue_visibility iv = policy_disclosure_issue(a, &r->core, &is->core);
            /* Never the description, for any audience: channels are services outside relcal
             * (chat, forums, mail, webhooks). */
            if (iv.listed)
                json_array_append_new(issues, sched_issue_json(p, is, now, false));
        }
        json_object_set_new(data, "issues", issues);
    }
    if (extra && vis.issues) /* issue ids, SLA names: detail of the release or the team */
        json_object_update(data, extra);
    else if (vis.previous_date && json_is_string(json_object_get(extra, "previous_starts_at")))
        json_object_set(data, "previous_starts_at", json_object_get(extra, "previous_starts_at"));
    if (late) {
        json_object_set_new(data, "late", json_true());
        json_object_set_new(data, "due_at", jsonx_time(due_at));
    }
    json_t *msg = json_object();
    json_object_set_new(msg, "type", json_string(type));
    json_object_set_new(msg, "timestamp", jsonx_time(now));
    json_object_set_new(msg, "data", data);
    char *payload = jsonx_dump(msg);
    json_decref(msg);
    return payload;
}

int sched_notify_at(struct sched *s, const struct sched_view *v, const struct store_release *r,
                    const char *type, unsigned audiences, int64_t now, int64_t due_at,
                    json_t *extra)
{
    bool late = policy_due_late(due_at, now);
    const struct config_project *p = v->project;
    /* Every channel of an audience gets the same message: built once per audience. */
    char *payload[POLICY_AUDIENCE_COUNT] = {NULL};
    int rc = 0;
    for (size_t c = 0; c < p->n_channels && rc == 0; c++) {
        const struct config_channel *ch = &p->channels[c];
        if (!(audiences & (1u << ch->audience)))
            continue;
        enum policy_audience a = sched_audience(ch->audience);
        if (!payload[a])
            payload[a] = payload_for(v, r, a, type, now, due_at, late, extra);
        rc = store_outbox_enqueue(s->store, now * 1000, p->policy.id, ch->name, type, a,
                                  r ? r->core.id : NULL, payload[a], strlen(payload[a]), NULL);
    }
    for (int a = 0; a < POLICY_AUDIENCE_COUNT; a++)
        free(payload[a]);
    json_decref(extra);
    return rc;
}

unsigned sched_to(unsigned policy_audiences)
{
    static const enum config_audience of[POLICY_AUDIENCE_COUNT] = {
        [POLICY_AUDIENCE_PUBLIC] = CONFIG_AUDIENCE_PUBLIC,
        [POLICY_AUDIENCE_DISTRIBUTORS] = CONFIG_AUDIENCE_DISTRIBUTORS,
        [POLICY_AUDIENCE_TEAM] = CONFIG_AUDIENCE_TEAM,
    };
    unsigned to = 0;
    for (int a = 0; a < POLICY_AUDIENCE_COUNT; a++)
        if (policy_audiences & (1u << a))
            to |= 1u << of[a];
    return to;
}

enum policy_audience sched_audience(enum config_audience a)
{
    switch (a) {
    case CONFIG_AUDIENCE_TEAM:
        return POLICY_AUDIENCE_TEAM;
    case CONFIG_AUDIENCE_DISTRIBUTORS:
        return POLICY_AUDIENCE_DISTRIBUTORS;
    default:
        return POLICY_AUDIENCE_PUBLIC;
    }
}
