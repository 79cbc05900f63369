/* What falls due: cut-off evaluation, pre-announcement, distributor notice and reminder, release
 * day and overdue, SLA due-soon and breach. Applied in order for each project; events applied
 * more than a minute after their instant (the service was down) are marked late. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/json.h"
#include "core/log.h"
#include "core/nelem.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "policy/due.h"
#include "scheduler/checklist.h"
#include "scheduler/handled.h"
#include "scheduler/internal.h"
#include "scheduler/notify.h"

static void next_due(int64_t *next, int64_t at, int64_t now)
{
    if (at > now && (*next == POLICY_TIME_NONE || at < *next))
        *next = at;
}

/* Set while a preview's tick runs (sched__tick_preview): it logs nothing. */
static bool previewing;

/* One info line per event applied (docs/OPERATIONS.md "Observability"). */
static void log_applied(const struct sched_view *v, const char *key, const char *subject,
                        const char *event, int64_t at, int64_t now)
{
    if (previewing)
        return; /* a preview applies nothing */
    char due[TIME_RFC3339_SIZE];
    time_rfc3339_format(at, due);
    bool late = policy_due_late(at, now);
    log_info(late ? "scheduler event applied late" : "scheduler event applied",
             "project=%s %s=%s event=%s due_at=%s late=%s", v->project->policy.id, key, subject,
             event, due, late ? "true" : "false");
}

/* At the distributor notice the team is told which attached issues are still without a fix
 * (an out-of-sequence release is noticed whatever the state of its fixes), and which issues
 * should carry a CVE and do not. */
static int notice_reports(struct sched *s, struct sched_view *v, struct store_release *r,
                          const struct policy_due_event *e, int64_t now)
{
    json_t *missing = json_array();
    int rc = 0;
    for (size_t i = v->n_issues; i-- > 0 && rc == 0;) {
        const struct store_issue *is = &v->issues[i];
        if (strcmp(is->core.release_id, r->core.id) != 0)
            continue;
        if (policy_issue_fix_missing(&is->core))
            json_array_append_new(missing, json_integer(is->core.id));
        if (policy_issue_cve_missing(&v->project->policy.rules, &is->core))
            rc = sched_notify_at(s, v, r, "issue.cve_missing", SCHED_TO_TEAM, now, e->at,
                                 json_pack("{sI}", "issue", (json_int_t)is->core.id));
    }
    if (rc == 0 && json_array_size(missing))
        rc = sched_notify_at(s, v, r, "release.fixes_missing", SCHED_TO_TEAM, now, e->at,
                             json_pack("{sO}", "missing", missing));
    json_decref(missing);
    return rc;
}

/* Applies what policy/due.c says is due for one release: the state change, its audit row and
 * its messages, each marked late when it is. */
static int release_events(struct sched *s, struct sched_view *v, struct store_release *r,
                          int64_t epoch, int64_t now, int64_t *next)
{
    struct policy_due_release in = {.rel = &r->core, .done = r->done, .epoch = epoch};
    if (policy_due_release_idle(&in))
        return 0; /* nothing is ever due again: don't collect its issues */
    struct policy_issue *issues;
    in.n_issues = sched_release_issues(v, r->core.id, &issues);
    in.issues = issues;
    struct policy_due_event ev[POLICY_DUE_EVENTS_MAX];
    size_t n = policy_due_release(&in, now, ev, next);
    free(issues);
    int rc = 0;
    for (size_t k = 0; k < n && rc == 0; k++) {
        const struct policy_due_event *e = &ev[k];
        policy_due_apply(&r->core, &r->done, e, now);
        const char *action = policy_due_action(e->kind), *type = policy_due_message(e->kind);
        if (action)
            rc = sched__audit(s, v, now, "scheduler", action, r->core.id, NULL, NULL, e->late);
        if (rc == 0 && type)
            rc = sched_notify_at(s, v, r, type, sched_to(policy_due_audiences(e->kind)), now, e->at,
                                 NULL);
        if (rc == 0 && e->kind == POLICY_DUE_DISTRIBUTOR_NOTICE)
            rc = notice_reports(s, v, r, e, now);
        if (rc == 0)
            log_applied(v, "release", r->core.id,
                        action ? action
                        : type ? type
                               : "release.state",
                        e->at, now);
    }
    if (rc == 0 && n)
        rc = sched__put_release(s, v, r, now);
    return rc;
}

/* SLA due-soon and breach reminders to the team, once each (remembered in the audit log by
 * policy_sla_events' subject, which names an extension so an extended deadline gets its own),
 * in one message per issue and tick (docs/POLICY.md "Response deadlines"): a breach message when
 * any deadline in it is breached, listing each deadline with its instant; a due-soon that falls
 * due with its own deadline's breach is recorded but not listed. */
static int sla_events(struct sched *s, struct sched_view *v, struct sched_handled *h,
                      struct store_issue *is, int64_t now, int64_t *next)
{
    struct policy_sla_event ev[POLICY_SLA_EVENTS_MAX];
    size_t n = policy_sla_events(&v->project->policy.rules, &is->core, now, ev, next);
    bool sent[POLICY_SLA_EVENTS_MAX] = {false};
    bool any_breach = false, any = false;
    int64_t first_due = now;
    int rc = 0;
    for (size_t k = 0; k < n && rc == 0; k++) {
        const char *type = ev[k].breach ? "issue.sla_breached" : "issue.sla_due_soon";
        bool done;
        if ((rc = sched_handled_has(h, type, ev[k].subject, &done)) < 0 || done)
            continue;
        rc = sched__audit(s, v, now, "scheduler", type, ev[k].subject, NULL, NULL,
                          policy_due_late(ev[k].at, now));
        sched_handled_add(h, type, ev[k].subject);
        if (rc == 0)
            log_applied(v, "subject", ev[k].subject, type, ev[k].at, now);
        sent[k] = true;
        any = true;
        any_breach = any_breach || ev[k].breach;
        if (ev[k].at < first_due)
            first_due = ev[k].at;
    }
    if (rc < 0 || !any)
        return rc;
    json_t *list = json_array();
    const char *first = NULL;
    int64_t first_deadline = POLICY_TIME_NONE;
    size_t listed[POLICY_SLA_EVENTS_MAX];
    size_t nl = policy_sla_listed(ev, sent, n, listed);
    for (size_t j = 0; j < nl; j++) {
        size_t k = listed[j];
        const char *name = policy_sla_name(ev[k].kind);
        if (!first) {
            first = name;
            first_deadline = ev[k].due;
        }
        json_array_append_new(list, json_pack("{sssss o}", "sla", name, "event",
                                              ev[k].breach ? "breached" : "due_soon", "due",
                                              jsonx_time(ev[k].due)));
    }
    json_t *extra = json_pack("{sIsssssosO}", "issue", (json_int_t)is->core.id, "title",
                              is->title ? is->title : "", "sla", first, "due",
                              jsonx_time(first_deadline), "deadlines", list);
    json_decref(list);
    return sched_notify_at(s, v, NULL, any_breach ? "issue.sla_breached" : "issue.sla_due_soon",
                           SCHED_TO_TEAM, now, first_due, extra);
}

/* Overdue checklist tasks are reminded to the team once each (remembered in the audit log), in
 * one message per issue and tick. A released issue is reminded only of the tasks that come
 * after the release (monitoring, the review). */
static int task_events(struct sched *s, struct sched_view *v, struct sched_handled *h,
                       struct store_issue *is, int64_t now, int64_t *next)
{
    if (!checklist_active(&is->core, now))
        return 0;
    struct sched_checklist c;
    int rc = sched__checklist(s, v, is, now, &c);
    json_t *due = json_array();
    int64_t first_due = now;
    for (size_t i = 0; i < c.n && rc == 0; i++) {
        const struct sched_task *t = &c.v[i];
        if (!sched__task_pending(is, t))
            continue;
        if (t->due_at > now) {
            next_due(next, t->due_at, now);
            continue;
        }
        char subject[96];
        snprintf(subject, sizeof subject, POLICY_ISSUE_SUBJECT "%s", (long long)is->core.id,
                 t->task->id);
        bool done;
        if ((rc = sched_handled_has(h, "issue.task_overdue", subject, &done)) < 0 || done)
            continue;
        rc = sched__audit(s, v, now, "scheduler", "issue.task_overdue", subject, NULL, NULL,
                          policy_due_late(t->due_at, now));
        sched_handled_add(h, "issue.task_overdue", subject);
        if (rc == 0)
            log_applied(v, "subject", subject, "issue.task_overdue", t->due_at, now);
        if (t->due_at < first_due)
            first_due = t->due_at;
        json_array_append_new(due, json_pack("{ssssso}", "id", t->task->id, "title", t->task->title,
                                             "due_at", jsonx_time(t->due_at)));
    }
    if (rc == 0 && json_array_size(due))
        rc = sched_notify_at(s, v, NULL, "issue.task_overdue", SCHED_TO_TEAM, now, first_due,
                             json_pack("{sIsO}", "issue", (json_int_t)is->core.id, "tasks", due));
    json_decref(due);
    sched__checklist_free(&c);
    return rc;
}

/* Releases published before schema v7 have no versions stored: they are frozen at the first
 * tick that sees them, as numbered until then (docs/POLICY.md "Versions"), so later ticks need
 * not read their issues (sched__view_tick). */
static int freeze_versions(struct sched *s, struct sched_view *v)
{
    struct sched_versions *all = NULL;
    size_t frozen = 0;
    int rc = 0;
    for (size_t i = 0; i < v->n && rc == 0; i++) {
        struct store_release *r = &v->rels[i];
        struct policy_versioned_release vr = sched__versioned(r, 0);
        if (!v->stored[i] || !policy_versions_to_freeze(&vr))
            continue;
        if (!all)
            all = sched_release_versions_all(v); /* all numbered before any is frozen */
        r->n_versions = all[i].n;
        memcpy(r->versions, all[i].v, all[i].n * sizeof *r->versions);
        r->versions_frozen = true;
        rc = store_release_put(s->store, r);
        frozen++;
    }
    free(all);
    if (rc == 0 && frozen && !previewing)
        log_info("release versions frozen", "project=%s releases=%zu", v->project->policy.id,
                 frozen);
    return rc;
}

/* What was reminded already of the view's issues (their subjects' prefix): one query for the
 * tick, which does not grow with the reminders of issues long closed. */
static int load_reminded(struct sched *s, const struct sched_view *v, struct sched_handled *h)
{
    static const char *const reminders[] = {"issue.sla_due_soon", "issue.sla_breached",
                                            "issue.task_overdue"};
    json_t *prefixes = json_array();
    for (size_t i = 0; i < v->n_issues; i++) {
        char prefix[40];
        snprintf(prefix, sizeof prefix, POLICY_ISSUE_SUBJECT, (long long)v->issues[i].core.id);
        json_array_append_new(prefixes, json_string(prefix));
    }
    char *text = jsonx_dump(prefixes);
    json_decref(prefixes);
    int rc =
        sched_handled_load(h, s->store, v->project->policy.id, reminders, NELEM(reminders), text);
    free(text);
    return rc;
}

static int tick_project(struct sched *s, const struct config_project *p, int64_t now, int64_t *next)
{
    struct sched_view v;
    memset(&v, 0, sizeof v);
    int rc = store_begin(s->store);
    if (rc < 0)
        return rc;
    /* The tick records the project's epoch: it runs when the service starts (sched_start) and
     * after a reload (sched_kick), so a project is first seen then; reads only read it. */
    int64_t epoch = now;
    rc = store_project_epoch_record(s->store, p->policy.id, now);
    if (rc == 0)
        rc = store_project_epoch(s->store, p->policy.id, now, &epoch);
    if (rc == 0)
        rc = sched__view_tick(s, p, now, epoch, &v);
    if (rc == 0)
        rc = freeze_versions(s, &v);
    /* Fixes first: a fix ready at the cut-off second joins its window before the window is
     * judged (docs/POLICY.md, cut-off). */
    for (size_t i = 0; i < v.n_issues && rc == 0; i++) {
        struct store_issue *is = &v.issues[i];
        if (is->core.status == POLICY_ISSUE_FIX_READY && !is->core.release_id[0])
            rc = sched__batch_issue(s, &v, is, now, "scheduler");
    }
    for (size_t i = 0; i < v.n && rc == 0; i++)
        rc = release_events(s, &v, &v.rels[i], epoch, now, next);
    /* From here on only issue messages are enqueued (reminders): a release's delivery
     * summaries, which the checklists read, stay as they are for the rest of the tick. */
    v.summaries_fixed = true;
    struct sched_handled handled;
    if (rc == 0)
        rc = load_reminded(s, &v, &handled);
    else
        memset(&handled, 0, sizeof handled);
    for (size_t i = 0; i < v.n_issues && rc == 0; i++) {
        struct store_issue *is = &v.issues[i];
        rc = sla_events(s, &v, &handled, is, now, next);
        if (rc == 0)
            rc = task_events(s, &v, &handled, is, now, next);
    }
    sched_handled_free(&handled);
    if (rc == 0)
        rc = store_commit(s->store);
    if (rc < 0)
        store_rollback(s->store);
    sched_view_free(&v);
    return rc;
}

int sched__tick_preview(struct sched *s, const struct config_project *p)
{
    int64_t next = POLICY_TIME_NONE;
    if (s->timer_started) {
        previewing = true;
        tick_project(s, p, clock_now(s->clock), &next);
        previewing = false;
    }
    return 0;
}

/* The tick after a write that touched one issue attached to no release, before or after (see
 * sched__changed): only that issue's deadlines and tasks can have become due. Returns 1 when
 * the issue is in a release after all (the caller ticks the whole project). */
static int tick_issue(struct sched *s, const struct config_project *p, int64_t id, int64_t now,
                      int64_t *next)
{
    struct sched_view v;
    memset(&v, 0, sizeof v);
    v.project = p;
    v.partial = true;
    int rc = store_begin(s->store);
    if (rc < 0)
        return rc;
    v.issues = xcalloc(1, sizeof *v.issues);
    rc = store_issue_get(s->store, p->policy.id, id, &v.issues[0]);
    if (rc == 0)
        v.n_issues = 1;
    if (rc == 0 && v.issues[0].core.release_id[0])
        rc = 1;
    struct sched_handled handled;
    sched_handled_lazy(&handled, s->store, p->policy.id);
    if (rc == 0)
        rc = sla_events(s, &v, &handled, &v.issues[0], now, next);
    if (rc == 0)
        rc = task_events(s, &v, &handled, &v.issues[0], now, next);
    sched_handled_free(&handled);
    if (rc == 0)
        rc = store_commit(s->store);
    if (rc != 0)
        store_rollback(s->store);
    sched_view_free(&v);
    return rc == RC_ENOTFOUND ? 0 : rc;
}

static void tick_failed(struct sched *s, const struct config_project *p, int rc, int64_t now,
                        int64_t *next)
{
    s->tick_failed = true;
    if (rc == RC_EAGAIN) {
        log_warn("scheduler tick postponed: the database is busy", "project=%s", p->policy.id);
        next_due(next, now + 5, now);
    } else {
        log_error("scheduler tick failed", "project=%s error=\"%s\"", p->policy.id,
                  rc_strerror(rc));
        next_due(next, now + 30, now); /* try again soon */
    }
}

/* After the ticks: feed caches see a new generation, the export is rewritten, the delivery
 * engine is kicked. */
static void after_ticks(struct sched *s, const struct config_project *only, int64_t now)
{
    s->generation++;
    sched_export(s, only, now);
    if (s->after_tick)
        s->after_tick(s->after_tick_ud);
}

/* Ticks every project, or only `only`; returns the next due instant among them. */
static int64_t tick_some(struct sched *s, const struct config_project *only, int64_t now)
{
    int64_t next = POLICY_TIME_NONE;
    bool failed = false;
    for (size_t i = 0; i < s->cfg->n_projects; i++) {
        if (only && only != &s->cfg->projects[i])
            continue;
        int rc = tick_project(s, &s->cfg->projects[i], now, &next);
        if (rc < 0) {
            failed = true;
            tick_failed(s, &s->cfg->projects[i], rc, now, &next);
        }
    }
    if (!only && !failed)
        s->tick_failed = false;
    after_ticks(s, only, now);
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
    if (store_preview_active(s->store)) {
        sched__tick_preview(s, p); /* a preview: nothing in memory changes */
        return;
    }
    int64_t now = clock_now(s->clock);
    arm(s, now, tick_some(s, p, now), true);
}

void sched__changed(struct sched *s, const struct config_project *p, int64_t issue_id)
{
    if (!s->timer_started)
        return;
    int64_t now = clock_now(s->clock);
    /* Nothing else of the project (or any other) is due before the timer, unless a tick failed
     * and waits for its retry: then the whole project is ticked, as before. */
    if (issue_id > 0 && !s->tick_failed && now < s->timer_at) {
        uint64_t before = s->generation - 1; /* the write raised it once */
        int64_t next = POLICY_TIME_NONE;
        int rc = tick_issue(s, p, issue_id, now, &next);
        if (rc <= 0) {
            if (rc < 0)
                tick_failed(s, p, rc, now, &next);
            s->generation++;
            sched__cache_patch(s, p, issue_id, before);
            /* No export: the public sees nothing of an issue in no release (docs/POLICY.md
             * "Disclosure (relcal project)"), so no feed or advisory document can have
             * changed. */
            if (s->after_tick)
                s->after_tick(s->after_tick_ud);
            arm(s, now, next, true);
            return;
        }
    }
    sched_kick_project(s, p);
}

void sched_stop(struct sched *s)
{
    sched__cache_free(s);
    sched__export_forget(s);
    sched__docs_forget(s);
    if (s->timer_started) {
        uv_timer_stop(&s->timer);
        uv_close((uv_handle_t *)&s->timer, NULL);
        s->timer_started = false;
    }
}
