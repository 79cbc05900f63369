/* Messages of product.md "What goes out, when, to whom": one outbox row per channel whose
 * audience receives the message, written in the caller's transaction. The public audience gets
 * the public release object only; distributors and the team also get the issues (without
 * descriptions). Until the notifiers land, `log` channels are delivered here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "scheduler/json.h"
#include "scheduler/notify.h"

int sched_notify(struct sched *s, const struct sched_view *v, const struct store_release *r,
                 const char *type, unsigned audiences, int64_t now, json_t *extra)
{
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
    return rc;
}

static const struct config_channel *find_channel(const struct config *cfg, const char *project,
                                                 const char *name)
{
    const struct config_project *p = config_project_find(cfg, project);
    for (size_t i = 0; p && i < p->n_channels; i++)
        if (strcmp(p->channels[i].name, name) == 0)
            return &p->channels[i];
    return NULL;
}

void sched_drain_log_channels(struct sched *s, int64_t now)
{
    struct store_outbox *rows;
    size_t n;
    if (store_outbox_claim(s->store, now, 1000, &rows, &n) < 0)
        return;
    for (size_t i = 0; i < n; i++) {
        const struct config_channel *ch = find_channel(s->cfg, rows[i].project, rows[i].channel);
        if (!ch || strcmp(ch->type, "log") != 0) {
            /* Not ours to deliver (yet): back to pending, untouched. */
            store_outbox_unclaim(s->store, rows[i].id);
            continue;
        }
        FILE *f = stdout;
        if (ch->path && strcmp(ch->path, "-") != 0)
            f = fopen(ch->path, "a");
        int ok = f && fprintf(f, "%s\n", rows[i].payload) > 0 && fflush(f) == 0;
        if (f && f != stdout)
            fclose(f);
        if (ok)
            store_outbox_mark_sent(s->store, rows[i].id, now, "written");
        else
            store_outbox_mark_retry(s->store, rows[i].id, now + 60, "cannot write the log file");
    }
    store_outbox_free(rows, n);
}
