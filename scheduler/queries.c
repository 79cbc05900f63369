/* The server's reads of the state and the audited delivery retry (scheduler/queries.h). */
#include "scheduler/queries.h"

#include <jansson.h>
#include <stdlib.h>

#include "core/err.h"
#include "core/json.h"
#include "core/clock.h"

int sched_db_version(struct sched *s)
{
    return store_db_version(s->store);
}

int sched_issue_get(struct sched *s, const struct config_project *p, int64_t id,
                    struct store_issue *out)
{
    return store_issue_get(s->store, p->policy.id, id, out);
}

void sched_issue_clear(struct store_issue *is)
{
    store_issue_clear(is);
}

int sched_issue_list(struct sched *s, const struct config_project *p, struct store_issue **out,
                     size_t *n)
{
    return store_issue_list(s->store, p->policy.id, out, n);
}

void sched_issues_free(struct store_issue *v, size_t n)
{
    store_issues_free(v, n);
}

int sched_delivery_list(struct sched *s, const struct config_project *p,
                        const enum store_outbox_state *state, struct store_outbox **out, size_t *n)
{
    return store_outbox_list(s->store, p->policy.id, state, out, n);
}

void sched_deliveries_free(struct store_outbox *v, size_t n)
{
    store_outbox_free(v, n);
}

int sched_delivery_state_parse(const char *name, enum store_outbox_state *out)
{
    return store_outbox_state_parse(name, out);
}

const char *sched_delivery_state_name(enum store_outbox_state st)
{
    return store_outbox_state_name(st);
}

int sched_channels_disabled(struct sched *s, const struct config_project *p,
                            void (*fn)(void *ud, const char *channel, int64_t disabled_at,
                                       const char *reason),
                            void *ud)
{
    return store_channel_each_disabled(s->store, p->policy.id, fn, ud);
}

int sched_delivery_counts(struct sched *s, const struct config_project *p,
                          void (*fn)(void *ud, const char *channel, enum store_outbox_state state,
                                     long n),
                          void *ud)
{
    return store_outbox_counts(s->store, p->policy.id, fn, ud);
}

int sched_delivery_retry(struct sched *s, const struct config_project *p, const char *id,
                         const struct sched_actor *who)
{
    struct store *st = s->store;
    int64_t now = clock_now(s->clock);
    char channel[POLICY_ID_MAX];
    bool enabled = false;
    int rc = store_begin(st);
    if (rc < 0)
        return rc;
    rc = store_outbox_requeue_dead(st, p->policy.id, id, now, channel);
    if (rc < 0)
        goto out;
    rc = store_channel_enable(st, p->policy.id, channel);
    enabled = rc == 0;
    if (rc == RC_ENOTFOUND)
        rc = 0;
    if (rc < 0)
        goto out;
    json_t *detail = json_pack("{sssb}", "channel", channel, "channel_enabled", enabled);
    char *d = jsonx_dump(detail);
    json_decref(detail);
    rc = store_audit_append(st, p->policy.id, now, who->name, "delivery.retry", id, d, NULL, false);
    free(d);
    if (rc == 0)
        rc = store_commit(st);
out:
    if (rc < 0) {
        store_rollback(st);
        return rc;
    }
    sched_kick_project(s, p);
    return 0;
}

int sched_audit_query(struct sched *s, const struct config_project *p,
                      const struct store_audit_filter *f, struct store_audit **out, size_t *n)
{
    return store_audit_query(s->store, p->policy.id, f, out, n);
}

void sched_audit_free(struct store_audit *v, size_t n)
{
    store_audit_free(v, n);
}
