/* What falls due: cut-off evaluation, pre-announcement, distributor notice and reminder, release
 * day and overdue, SLA due-soon and breach. Applied in order for each project; events applied
 * more than a minute after their instant (the service was down) are marked late. */
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/json.h"
#include "core/log.h"
#include "scheduler/checklist.h"
#include "scheduler/internal.h"
#include "scheduler/notify.h"

#define LATE_AFTER 60

static bool is_late(int64_t at, int64_t now)
{
    return now - at > LATE_AFTER;
}

static void next_due(int64_t *next, int64_t at, int64_t now)
{
    if (at > now && (*next == POLICY_TIME_NONE || at < *next))
        *next = at;
}

static bool has_ready_fix(const struct sched_view *v, const char *id)
{
    for (size_t i = 0; i < v->n_issues; i++) {
        const struct policy_issue *c = &v->issues[i].core;
        if (strcmp(c->release_id, id) == 0 &&
            (c->status == POLICY_ISSUE_FIX_READY || c->status == POLICY_ISSUE_RELEASED))
            return true;
    }
    return false;
}

static int release_events(struct sched *s, struct sched_view *v, struct store_release *r,
                          int64_t now, int64_t *next)
{
    struct policy_release *c = &r->core;
    int rc = 0;
    bool changed = false;
    const char *who = "scheduler";
    if (policy_release_final(c) &&
        !(c->status == POLICY_RELEASE_SKIPPED && !(r->done & STORE_DONE_ANNOUNCE)))
        return 0;
    /* Cut-off: a window with no ready fix is skipped. */
    if (c->kind == POLICY_RELEASE_SCHEDULED && c->status == POLICY_RELEASE_PLANNED &&
        !(r->done & STORE_DONE_CUTOFF)) {
        if (c->cutoff_at <= now) {
            r->done |= STORE_DONE_CUTOFF;
            changed = true;
            if (!has_ready_fix(v, c->id)) {
                c->status = POLICY_RELEASE_SKIPPED;
                c->sequence++;
                rc = sched__audit(s, v, now, who, "release.skip", c->id, NULL, NULL,
                                  is_late(c->cutoff_at, now));
            }
        } else {
            next_due(next, c->cutoff_at, now);
        }
    }
    /* Pre-announcement: the window is announced, or announced as skipped. */
    if (rc == 0 && c->kind == POLICY_RELEASE_SCHEDULED && !(r->done & STORE_DONE_ANNOUNCE)) {
        if (c->announce_at <= now) {
            r->done |= STORE_DONE_ANNOUNCE;
            changed = true;
            bool late = is_late(c->announce_at, now);
            if (c->status == POLICY_RELEASE_SKIPPED) {
                rc = sched_notify(s, v, r, "release.skipped", SCHED_TO_PUBLIC | SCHED_TO_TEAM, now,
                                  NULL);
            } else if (c->status == POLICY_RELEASE_PLANNED) {
                c->status = POLICY_RELEASE_ANNOUNCED; /* TENTATIVE -> CONFIRMED: */
                c->sequence++;                        /* a status change raises SEQUENCE */
                c->announced_at = now;
                rc = sched__audit(s, v, now, who, "release.announce", c->id, NULL, NULL, late);
                if (rc == 0)
                    rc = sched_notify(s, v, r, "release.announced", SCHED_TO_PUBLIC | SCHED_TO_TEAM,
                                      now, NULL);
            }
        } else {
            next_due(next, c->announce_at, now);
        }
    }
    if (policy_release_final(c))
        goto out;
    /* Distributor notice (only for a release that ships something). */
    if (rc == 0 && c->distributors_notified_at == POLICY_TIME_NONE && has_ready_fix(v, c->id)) {
        if (c->distributor_notice_at <= now) {
            c->distributors_notified_at = now;
            changed = true;
            rc = sched__audit(s, v, now, who, "release.distributor_notice", c->id, NULL, NULL,
                              is_late(c->distributor_notice_at, now));
            if (rc == 0)
                rc = sched_notify(s, v, r, "release.distributor_notice",
                                  SCHED_TO_DISTRIBUTORS | SCHED_TO_TEAM, now, NULL);
            for (size_t i = 0; i < v->n_issues && rc == 0; i++) {
                const struct store_issue *is = &v->issues[i];
                if (strcmp(is->core.release_id, c->id) == 0 && !is->cve &&
                    policy_issue_cve_recommended(&v->project->policy.rules, &is->core))
                    rc = sched_notify(s, v, r, "issue.cve_missing", SCHED_TO_TEAM, now,
                                      json_pack("{sI}", "issue", (json_int_t)is->core.id));
            }
        } else {
            next_due(next, c->distributor_notice_at, now);
        }
    }
    struct {
        uint32_t bit;
        int64_t at;
        const char *type;
        unsigned to;
        bool needs_notice;
    } later[] = {
        {STORE_DONE_REMINDER, c->reminder_at, "release.distributor_reminder", SCHED_TO_DISTRIBUTORS,
         true},
        {STORE_DONE_DUE, c->starts_at, "release.due", SCHED_TO_TEAM, false},
        {STORE_DONE_OVERDUE, c->starts_at + POLICY_OVERDUE_AFTER, "release.overdue", SCHED_TO_TEAM,
         false},
    };
    for (size_t k = 0; k < 3 && rc == 0; k++) {
        if (r->done & later[k].bit)
            continue;
        if (later[k].needs_notice && c->distributors_notified_at == POLICY_TIME_NONE)
            continue;
        if (later[k].at > now) {
            next_due(next, later[k].at, now);
            continue;
        }
        r->done |= later[k].bit;
        changed = true;
        rc = sched__audit(s, v, now, who, later[k].type, c->id, NULL, NULL,
                          is_late(later[k].at, now));
        if (rc == 0)
            rc = sched_notify(s, v, r, later[k].type, later[k].to, now, NULL);
    }
out:
    if (rc == 0 && changed)
        rc = sched__put_release(s, v, r, now);
    return rc;
}

/* SLA due-soon and breach reminders to the team, once each (remembered in the audit log). */
static int sla_events(struct sched *s, struct sched_view *v, struct store_issue *is, int64_t now,
                      int64_t *next)
{
    if (is->core.status == POLICY_ISSUE_RELEASED || is->core.status == POLICY_ISSUE_REJECTED)
        return 0;
    struct policy_sla_deadlines d;
    policy_issue_sla(&v->project->policy.rules, &is->core, now, &d);
    int rc = 0;
    for (int k = 0; k < 3 && rc == 0; k++) {
        if (d.d[k].met_at != POLICY_TIME_NONE)
            continue;
        const char *name = policy_sla_name((enum policy_sla_kind)k);
        struct {
            const char *type;
            int64_t at;
        } ev[] = {{"issue.sla_due_soon", d.d[k].due_soon}, {"issue.sla_breached", d.d[k].due}};
        for (int e = 0; e < 2 && rc == 0; e++) {
            if (ev[e].at > now) {
                next_due(next, ev[e].at + (e == 1), now);
                continue;
            }
            char subject[64];
            snprintf(subject, sizeof subject, "issue-%lld:%s", (long long)is->core.id, name);
            bool done;
            if ((rc = store_audit_exists(s->store, v->project->policy.id, ev[e].type, subject,
                                         &done)) < 0 ||
                done)
                continue;
            rc = sched__audit(s, v, now, "scheduler", ev[e].type, subject, NULL, NULL,
                              is_late(ev[e].at, now));
            if (rc == 0)
                rc = sched_notify(
                    s, v, NULL, ev[e].type, SCHED_TO_TEAM, now,
                    json_pack("{sIss}", "issue", (json_int_t)is->core.id, "sla", name));
        }
    }
    return rc;
}

/* Overdue checklist tasks are reminded to the team once each (remembered in the audit log), in
 * one message per issue and tick. A released issue is reminded only of the tasks that come
 * after the release (monitoring, the review). */
static int task_events(struct sched *s, struct sched_view *v, struct store_issue *is, int64_t now,
                       int64_t *next)
{
    if (!sched__checklist_active(is, now))
        return 0;
    struct sched_checklist c;
    int rc = sched__checklist(s, v, is, now, &c);
    json_t *due = json_array();
    for (size_t i = 0; i < c.n && rc == 0; i++) {
        const struct sched_task *t = &c.v[i];
        if (!sched__task_pending(is, t))
            continue;
        if (t->due_at > now) {
            next_due(next, t->due_at, now);
            continue;
        }
        char subject[96];
        snprintf(subject, sizeof subject, "issue-%lld:%s", (long long)is->core.id, t->task->id);
        bool done;
        if ((rc = store_audit_exists(s->store, v->project->policy.id, "issue.task_overdue", subject,
                                     &done)) < 0 ||
            done)
            continue;
        rc = sched__audit(s, v, now, "scheduler", "issue.task_overdue", subject, NULL, NULL,
                          is_late(t->due_at, now));
        json_array_append_new(due, json_pack("{ssssso}", "id", t->task->id, "title", t->task->title,
                                             "due_at", jsonx_time(t->due_at)));
    }
    if (rc == 0 && json_array_size(due))
        rc = sched_notify(s, v, NULL, "issue.task_overdue", SCHED_TO_TEAM, now,
                          json_pack("{sIsO}", "issue", (json_int_t)is->core.id, "tasks", due));
    json_decref(due);
    sched__checklist_free(&c);
    return rc;
}

static int tick_project(struct sched *s, const struct config_project *p, int64_t now, int64_t *next)
{
    struct sched_view v;
    int rc = sched__begin(s, p, now, &v);
    if (rc < 0)
        return rc;
    /* Windows whose cut-off passed before relcal tracked the project are history: nobody was
     * told anything about them, so nothing is announced for them now. */
    int64_t epoch = now;
    rc = store_project_epoch(s->store, p->policy.id, now, &epoch);
    for (size_t i = 0; i < v.n && rc == 0; i++)
        if (v.rels[i].core.kind == POLICY_RELEASE_OUT_OF_SEQUENCE ||
            v.rels[i].core.cutoff_at >= epoch)
            rc = release_events(s, &v, &v.rels[i], now, next);
    for (size_t i = 0; i < v.n_issues && rc == 0; i++) {
        struct store_issue *is = &v.issues[i];
        if (is->core.status == POLICY_ISSUE_FIX_READY && !is->core.release_id[0])
            rc = sched_batch_issue(s, &v, is, now, "scheduler");
        if (rc == 0)
            rc = sla_events(s, &v, is, now, next);
        if (rc == 0)
            rc = task_events(s, &v, is, now, next);
    }
    if (rc == 0)
        rc = store_commit(s->store);
    if (rc < 0)
        store_rollback(s->store);
    sched_view_free(&v);
    return rc;
}

/* Ticks every project, or only `only`; returns the next due instant among them. */
static int64_t tick_some(struct sched *s, const struct config_project *only, int64_t now)
{
    int64_t next = POLICY_TIME_NONE;
    for (size_t i = 0; i < s->cfg->n_projects; i++) {
        if (only && only != &s->cfg->projects[i])
            continue;
        int rc = tick_project(s, &s->cfg->projects[i], now, &next);
        if (rc < 0) {
            log_error("scheduler tick failed", "project=%s error=\"%s\"",
                      s->cfg->projects[i].policy.id, rc_strerror(rc));
            next_due(&next, now + 30, now); /* try again soon */
        }
    }
    s->generation++;
    sched_export(s, only, now);
    if (s->after_tick)
        s->after_tick(s->after_tick_ud);
    return next;
}

int64_t sched_tick(struct sched *s, int64_t now)
{
    return tick_some(s, NULL, now);
}

static void on_timer(uv_timer_t *t)
{
    struct sched *s = t->data;
    sched_kick(s);
}

void sched_start(struct sched *s, uv_loop_t *loop)
{
    s->loop = loop;
    uv_timer_init(loop, &s->timer);
    s->timer.data = s;
    s->timer_started = true;
    sched_kick(s);
}

/* Arms the timer for `next` (re-checking at least hourly: the horizon moves), or earlier when
 * `keep_earlier` and it is already due sooner. */
static void arm(struct sched *s, int64_t now, int64_t next, bool keep_earlier)
{
    int64_t at = now + 3600;
    if (next != POLICY_TIME_NONE && next < at)
        at = next;
    if (keep_earlier && s->timer_at != POLICY_TIME_NONE && s->timer_at <= at)
        return;
    s->timer_at = at;
    uv_timer_start(&s->timer, on_timer, (uint64_t)(at - now) * 1000, 0);
}

void sched_kick(struct sched *s)
{
    if (!s->timer_started)
        return;
    /* The clock is read once per tick. */
    int64_t now = clock_now(s->clock);
    arm(s, now, tick_some(s, NULL, now), false);
}

void sched_kick_project(struct sched *s, const struct config_project *p)
{
    if (!s->timer_started)
        return;
    int64_t now = clock_now(s->clock);
    arm(s, now, tick_some(s, p, now), true);
}

void sched_stop(struct sched *s)
{
    if (s->timer_started) {
        uv_timer_stop(&s->timer);
        uv_close((uv_handle_t *)&s->timer, NULL);
        s->timer_started = false;
    }
}
