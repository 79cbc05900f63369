/* The checklist of an issue from the template, the stored items and what relcal knows (see
 * checklist.h), and the operations of the checklist routes. */
#include "scheduler/checklist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/json.h"
#include "core/xalloc.h"
#include "scheduler/internal.h"
#include "scheduler/json.h"
#include "views/checklist.h"

bool sched__task_pending(const struct store_issue *is, const struct sched_task *t)
{
    if (t->state != CHECKLIST_STATE_OPEN || t->due_at == POLICY_TIME_NONE)
        return false;
    if (is->core.status != POLICY_ISSUE_RELEASED)
        return true;
    return t->task->due_offset > 0 && (t->task->due_event == CHECKLIST_EV_RELEASE ||
                                       t->task->due_event == CHECKLIST_EV_PUBLISHED);
}

/* A delivery summary a read view asked for already (one per release and message). */
struct sched_delivered {
    struct sched_delivered *next;
    char release_id[POLICY_RELEASE_ID_MAX];
    const char *type; /* static strings */
    struct store_outbox_summary sum;
};

void sched__delivered_free(struct sched_delivered *d)
{
    while (d) {
        struct sched_delivered *next = d->next;
        free(d);
        d = next;
    }
}

/* The summary of a release's message, once per read view (many issues share a release). */
static int summary(struct sched *s, struct sched_view *v, const char *release_id, const char *type,
                   enum policy_audience audience, struct store_outbox_summary *out)
{
    for (const struct sched_delivered *d = v->delivered; d; d = d->next)
        if (strcmp(d->type, type) == 0 && strcmp(d->release_id, release_id) == 0) {
            *out = d->sum;
            return 0;
        }
    int rc = store_outbox_release_summary(s->store, v->project->policy.id, release_id, type,
                                          audience, out);
    if (rc == 0 && (v->borrowed || v->summaries_fixed)) {
        struct sched_delivered *d = xcalloc(1, sizeof *d);
        snprintf(d->release_id, sizeof d->release_id, "%s", release_id);
        d->type = type;
        d->sum = *out;
        d->next = v->delivered;
        v->delivered = d;
    }
    return rc;
}

/* Every row of the release's message to an audience delivered (none at all counts when the
 * event itself happened, at `happened_at`). */
static int delivered(struct sched *s, struct sched_view *v, const char *release_id,
                     const char *type, enum policy_audience audience, int64_t happened_at,
                     int64_t *at, char *evidence, size_t len)
{
    *at = POLICY_TIME_NONE;
    if (happened_at == POLICY_TIME_NONE)
        return 0;
    struct store_outbox_summary sum;
    int rc = summary(s, v, release_id, type, audience, &sum);
    if (rc < 0 || sum.sent < sum.total)
        return rc;
    *at = sum.total ? sum.last_at : happened_at;
    snprintf(evidence, len, "%s", sum.total ? sum.evidence : "");
    return 0;
}

/* When the issue's release was published (POLICY_TIME_NONE: not yet or no release). */
static int64_t published_at(const struct store_release *r)
{
    return r && r->core.status == POLICY_RELEASE_RELEASED ? r->core.released_at : POLICY_TIME_NONE;
}

/* When 50 % adoption was recorded (POLICY_TIME_NONE: not yet, or not published). */
static int adoption_half(struct sched *s, int64_t issue_id, int64_t published,
                         struct store_adoption **figs, size_t *n, int64_t *half)
{
    *half = POLICY_TIME_NONE;
    *figs = NULL;
    *n = 0;
    if (published == POLICY_TIME_NONE)
        return 0; /* figures are refused before publication: no query per tick and issue */
    int rc = store_adoption_list(s->store, issue_id, figs, n);
    if (rc < 0)
        return rc;
    struct checklist_adoption *v = xcalloc(*n + 1, sizeof *v);
    for (size_t i = 0; i < *n; i++)
        v[i] = (struct checklist_adoption){.at = (*figs)[i].at, .share = (*figs)[i].share};
    *half = checklist_adoption_half(v, *n, published);
    free(v);
    return 0;
}

/* The instants due rules count from: the issue's report and SLA deadlines, and its release's
 * dates (r may be NULL). */
static void due_events(const struct config_project *p, const struct store_issue *is,
                       const struct store_release *r, int64_t now, struct checklist_events *ev)
{
    for (int k = 0; k < CHECKLIST_EV_COUNT; k++)
        ev->at[k] = POLICY_TIME_NONE;
    struct policy_sla_deadlines d;
    policy_issue_sla(&p->policy.rules, &is->core, now, &d);
    ev->at[CHECKLIST_EV_REPORTED] = is->core.reported_at;
    ev->at[CHECKLIST_EV_ACKNOWLEDGE_DEADLINE] = d.d[POLICY_SLA_ACKNOWLEDGE].due;
    ev->at[CHECKLIST_EV_RESPOND_DEADLINE] = d.d[POLICY_SLA_RESPOND].due;
    ev->at[CHECKLIST_EV_RESOLVE_DEADLINE] = d.d[POLICY_SLA_RESOLVE].due;
    if (r) {
        ev->at[CHECKLIST_EV_CUTOFF] = r->core.cutoff_at;
        ev->at[CHECKLIST_EV_DISTRIBUTOR_NOTICE] = r->core.distributor_notice_at;
        ev->at[CHECKLIST_EV_ANNOUNCE] =
            r->core.kind == POLICY_RELEASE_SCHEDULED ? r->core.announce_at : r->core.announced_at;
        ev->at[CHECKLIST_EV_RELEASE] = r->core.starts_at;
        ev->at[CHECKLIST_EV_PUBLISHED] = r->core.released_at;
    }
}

/* What relcal knows of an issue, for the tasks' conditions and automatic completions; the
 * facts' strings point into the buffers beside them. */
struct known {
    struct checklist_facts f;
    char severity[POLICY_VECTOR_MAX + 48];
    char notice_ev[512], announce_ev[512];
};

static int gather_facts(struct sched *s, struct sched_view *v, const struct store_issue *is,
                        const struct store_release *r, struct known *k)
{
    const struct config_project *p = v->project;
    k->severity[0] = k->notice_ev[0] = k->announce_ev[0] = '\0';
    if (is->core.has_severity)
        snprintf(k->severity, sizeof k->severity, "%s (%.1f %s)", is->core.severity.vector,
                 is->core.severity.score, is->core.severity.label);
    k->f = (struct checklist_facts){
        .cve_recommended = policy_issue_cve_recommended(&p->policy.rules, &is->core),
        .severity = k->severity,
        .fix_ready_at = is->core.fix_ready_at,
        .cve = is->cve,
        .ghsa = is->ghsa,
        .notice_delivered_at = POLICY_TIME_NONE,
        .announced_at = POLICY_TIME_NONE,
        .published_at = POLICY_TIME_NONE,
        .release_id = r ? r->core.id : NULL,
        .adoption_half_at = POLICY_TIME_NONE,
    };
    struct checklist_facts *f = &k->f;
    struct store_adoption *figs = NULL;
    size_t n_figs = 0;
    int rc = adoption_half(s, is->core.id, published_at(r), &figs, &n_figs, &f->adoption_half_at);
    free(figs);
    if (rc < 0 || !r)
        return rc;
    bool released = r->core.status == POLICY_RELEASE_RELEASED;
    f->published_at = released ? r->core.released_at : POLICY_TIME_NONE;
    if ((rc = delivered(s, v, r->core.id, "release.distributor_notice",
                        POLICY_AUDIENCE_DISTRIBUTORS, r->core.distributors_notified_at,
                        &f->notice_delivered_at, k->notice_ev, sizeof k->notice_ev)) < 0 ||
        (rc = delivered(s, v, r->core.id, "release.published", POLICY_AUDIENCE_PUBLIC,
                        f->published_at, &f->announced_at, k->announce_ev, sizeof k->announce_ev)) <
            0)
        return rc;
    f->notice_evidence = k->notice_ev[0] ? k->notice_ev : NULL;
    f->announce_evidence = k->announce_ev[0] ? k->announce_ev : NULL;
    return 0;
}

/* The view's stored items, read once per view; a view of some issues only (one issue, or those
 * a tick looks at) reads theirs only. */
static int load_items(struct sched *s, struct sched_view *v)
{
    if (v->items_loaded)
        return 0;
    const struct config_project *p = v->project;
    int rc;
    if (v->partial || v->live) {
        json_t *ids = json_array();
        for (size_t i = 0; i < v->n_issues; i++)
            json_array_append_new(ids, json_integer(v->issues[i].core.id));
        char *text = jsonx_dump(ids);
        json_decref(ids);
        rc = store_checklist_list_of(s->store, p->policy.id, text, &v->items, &v->n_items);
        free(text);
    } else {
        rc = store_checklist_list(s->store, p->policy.id, &v->items, &v->n_items);
    }
    if (rc < 0)
        return rc;
    v->items_loaded = true;
    return 0;
}

/* This issue's items: a range of the view's list (sorted by issue id). */
static const struct store_checklist_item *issue_items(const struct sched_view *v, int64_t issue_id,
                                                      size_t *n)
{
    size_t lo = 0, hi = v->n_items;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->items[mid].issue_id < issue_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    const struct store_checklist_item *items = v->items + lo;
    *n = 0;
    while (lo + *n < v->n_items && items[*n].issue_id == issue_id)
        (*n)++;
    return items;
}

/* The task's state from its condition, its stored item (NULL: none) and, for an open task,
 * what relcal knows. */
static void task_state(struct sched_task *st, const struct store_checklist_item *it,
                       const struct checklist_facts *f)
{
    const struct checklist_task *t = st->task;
    int64_t at;
    /* The stored state, parsed; a text that names none (a decision's choice, from
     * before the template changed) counts as not applicable. */
    enum checklist_state item = CHECKLIST_STATE_NOT_APPLICABLE;
    if (it)
        (void)checklist_state_parse(it->state, &item);
    if (!checklist_applies(t, f)) {
        st->state = CHECKLIST_STATE_NOT_APPLICABLE;
        snprintf(st->evidence, sizeof st->evidence, "the condition %s does not hold",
                 checklist_when_name(t->when));
    } else if (t->kind == CHECKLIST_KIND_DECISION) {
        /* Decided by hand only; a stored state that is no choice (the template
         * changed) leaves it open. */
        if (it && checklist_choice_valid(t, it->state)) {
            st->state = CHECKLIST_STATE_DONE;
            st->done_at = it->at;
            snprintf(st->decision, sizeof st->decision, "%s", it->state);
        }
    } else if (it && item != CHECKLIST_STATE_OPEN) {
        st->state = item;
        st->done_at = it->at;
    } else if (t->auto_done &&
               checklist_auto_check(t->auto_done, f, &at, st->evidence, sizeof st->evidence)) {
        st->state = CHECKLIST_STATE_DONE;
        st->automatic = true;
        st->done_at = at;
        snprintf(st->by, sizeof st->by, "relcal");
    }
}

/* The last stored item of a task among the issue's items (NULL: none). */
static const struct store_checklist_item *
task_item(const struct checklist_task *t, const struct store_checklist_item *items, size_t n)
{
    const struct store_checklist_item *it = NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i].task, t->id) == 0)
            it = &items[i];
    return it;
}

int sched__checklist(struct sched *s, struct sched_view *v, const struct store_issue *is,
                     int64_t now, struct sched_checklist *out)
{
    memset(out, 0, sizeof *out);
    const struct checklist_template *tpl = config_checklist(v->project);
    const struct store_release *r =
        is->core.release_id[0] ? sched_view_release(v, is->core.release_id) : NULL;
    struct checklist_events ev;
    due_events(v->project, is, r, now, &ev);
    struct known k;
    int rc = gather_facts(s, v, is, r, &k);
    if (rc < 0 || (rc = load_items(s, v)) < 0)
        return rc;
    size_t n_items;
    const struct store_checklist_item *items = issue_items(v, is->core.id, &n_items);
    size_t total = 0;
    for (size_t ph = 0; ph < tpl->n_phases; ph++)
        total += tpl->phases[ph].n_tasks;
    out->v = xcalloc(total + 1, sizeof *out->v);
    for (size_t ph = 0; ph < tpl->n_phases; ph++) {
        for (size_t i = 0; i < tpl->phases[ph].n_tasks; i++) {
            const struct checklist_task *t = &tpl->phases[ph].tasks[i];
            struct sched_task *st = &out->v[out->n++];
            st->phase = &tpl->phases[ph];
            st->task = t;
            st->state = CHECKLIST_STATE_OPEN;
            st->due_at = checklist_due(t, &ev);
            st->done_at = POLICY_TIME_NONE;
            st->sequence = t->has_due && t->due_event >= CHECKLIST_EV_CUTOFF && r
                               ? r->core.sequence
                               : is->core.sla_extension_days;
            const struct store_checklist_item *it = task_item(t, items, n_items);
            if (it) {
                st->note = it->note ? xstrdup(it->note) : NULL;
                snprintf(st->by, sizeof st->by, "%s", it->actor);
            }
            task_state(st, it, &k.f);
            if (st->state == CHECKLIST_STATE_OPEN) {
                out->open++;
                st->overdue = st->due_at != POLICY_TIME_NONE && st->due_at <= now;
                out->overdue += st->overdue;
            }
        }
    }
    return 0;
}

void sched__checklist_free(struct sched_checklist *c)
{
    for (size_t i = 0; c->v && i < c->n; i++)
        free(c->v[i].note);
    free(c->v);
    memset(c, 0, sizeof *c);
}

json_t *sched__checklist_json(const struct sched_checklist *c, int64_t issue_id)
{
    struct view_task *t = xcalloc(c->n + 1, sizeof *t);
    for (size_t i = 0; i < c->n; i++) {
        const struct sched_task *st = &c->v[i];
        t[i] = (struct view_task){.phase = st->phase,
                                  .task = st->task,
                                  .state = st->state,
                                  .automatic = st->automatic,
                                  .due_at = st->due_at,
                                  .done_at = st->done_at,
                                  .overdue = st->overdue,
                                  .by = st->by,
                                  .evidence = st->evidence,
                                  .note = st->note,
                                  .decision = st->decision};
    }
    struct view_checklist vc = {
        .issue_id = issue_id, .open = c->open, .overdue = c->overdue, .tasks = t, .n = c->n};
    json_t *o = view_checklist_json(&vc);
    free(t);
    return o;
}

/* Loads the view of the issue's project and finds the issue; RC_ENOTFOUND when absent. */
static int load_issue(struct sched *s, const struct config_project *p, int64_t id, int64_t now,
                      struct sched_view *v, struct store_issue **is)
{
    int rc = sched_view_load(s, p, now, v);
    if (rc < 0)
        return rc;
    *is = sched_view_issue(v, id);
    if (!*is) {
        sched_view_free(v);
        return RC_ENOTFOUND;
    }
    return 0;
}

int sched_checklist_get(struct sched *s, const struct config_project *p, int64_t id, int64_t now,
                        json_t **out)
{
    struct sched_view v;
    struct store_issue *is;
    int rc = load_issue(s, p, id, now, &v, &is);
    if (rc < 0)
        return rc;
    struct sched_checklist c;
    if ((rc = sched__checklist(s, &v, is, now, &c)) == 0)
        *out = sched__checklist_json(&c, id);
    sched__checklist_free(&c);
    sched_view_free(&v);
    return rc;
}

int sched_checklist_set(struct sched *s, const struct config_project *p, int64_t id,
                        const char *task, enum checklist_state state, const char *decision,
                        const char *note, const struct sched_actor *who, struct sched_outcome *why)
{
    const struct checklist_task *t = checklist_find(config_checklist(p), task, NULL);
    if (!t)
        return sched__fail(why, RC_ENOTFOUND, NULL, "no such task in the project's checklist");
    bool is_decision = t->kind == CHECKLIST_KIND_DECISION;
    if (decision && !is_decision)
        return sched__fail(why, RC_EINVAL, "decision",
                           "this task is not a decision: set its state (done, open, "
                           "not_applicable)");
    if (is_decision && !decision && state != CHECKLIST_STATE_OPEN) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "this task is a decision: set decision to one of %s (or state "
                 "open to reopen it)",
                 t->choices);
        return sched__fail(why, RC_EINVAL, "state", msg);
    }
    if (decision && !checklist_choice_valid(t, decision)) {
        char msg[160];
        snprintf(msg, sizeof msg, "must be one of %s", t->choices);
        return sched__fail(why, RC_EINVAL, "decision", msg);
    }
    if (decision && checklist_choice_needs_reason(t, decision) && (!note || !note[0]))
        return sched__fail(why, RC_EINVAL, "note", "this choice needs a reason in note");
    /* The item's stored state: a task's state, or a decision's choice (open reopens it). */
    const char *stored = decision ? decision : checklist_state_name(state);
    int64_t now = clock_now(s->clock);
    struct sched_view v;
    int rc = sched__begin(s, p, now, &v);
    if (rc < 0)
        return rc;
    if (!sched_view_issue(&v, id))
        return sched__finish(s, &v, sched__fail(why, RC_ENOTFOUND, NULL, "no such issue"));
    rc = store_checklist_set(s->store, id, task, stored, now, who->name, note);
    char subject[96];
    snprintf(subject, sizeof subject, "issue-%lld:%s", (long long)id, task);
    if (rc == 0)
        rc = sched__audit(s, &v, now, who->name, "issue.checklist", subject,
                          json_pack("{sssoso}", "state",
                                    checklist_state_name(decision ? CHECKLIST_STATE_DONE : state),
                                    "decision", jsonx_string_or_null(decision), "note",
                                    jsonx_string_or_null(note)),
                          NULL, false);
    return sched__finish(s, &v, rc);
}

static json_t *assessment_of(struct sched *s, const struct config_project *p, int64_t id, int *rc)
{
    char *text = NULL;
    *rc = store_assessment_get(s->store, p->policy.id, id, &text);
    json_t *o = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    return json_is_object(o) ? o : (json_decref(o), json_object());
}

int sched_assessment_get(struct sched *s, const struct config_project *p, int64_t id, json_t **out)
{
    int rc;
    *out = assessment_of(s, p, id, &rc);
    if (rc < 0) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

int sched_assessment_update(struct sched *s, const struct config_project *p, int64_t id,
                            const json_t *changes, sched_assessment_apply_fn *apply, void *ctx,
                            const struct sched_actor *who, json_t **out)
{
    int64_t now = clock_now(s->clock);
    struct sched_view v;
    int rc = sched__begin(s, p, now, &v);
    if (rc < 0)
        return rc;
    json_t *record = assessment_of(s, p, id, &rc);
    if (rc == 0 && apply(record, changes, ctx) < 0)
        rc = RC_EINVAL;
    char *text = rc == 0 ? jsonx_dump(record) : NULL;
    if (rc == 0)
        rc = store_assessment_set(s->store, p->policy.id, id, text);
    char subject[64];
    snprintf(subject, sizeof subject, "issue-%lld", (long long)id);
    if (rc == 0)
        rc = sched__audit(s, &v, now, who->name, "issue.assessment", subject,
                          json_deep_copy(changes), NULL, false);
    free(text);
    rc = sched__finish(s, &v, rc);
    if (rc == 0)
        *out = record;
    else
        json_decref(record);
    return rc;
}

static int adoption_json(struct sched *s, const struct store_issue *is,
                         const struct store_release *r, json_t **out)
{
    struct store_adoption *figs = NULL;
    size_t n = 0;
    int64_t pub = published_at(r), half;
    int rc = adoption_half(s, is->core.id, pub, &figs, &n, &half);
    if (rc < 0)
        return rc;
    struct view_adoption_figure *vf = xcalloc(n + 1, sizeof *vf);
    for (size_t i = 0; i < n; i++)
        vf[i] = (struct view_adoption_figure){.share = figs[i].share,
                                              .at = figs[i].at,
                                              .by = figs[i].actor,
                                              .recorded_at = figs[i].recorded_at};
    *out = view_adoption_json(is->core.id, pub, half, vf, n);
    free(vf);
    free(figs);
    return 0;
}

int sched_adoption_get(struct sched *s, const struct config_project *p, int64_t id, int64_t now,
                       json_t **out)
{
    struct sched_view v;
    struct store_issue *is;
    int rc = load_issue(s, p, id, now, &v, &is);
    if (rc < 0)
        return rc;
    const struct store_release *r =
        is->core.release_id[0] ? sched_view_release(&v, is->core.release_id) : NULL;
    rc = adoption_json(s, is, r, out);
    sched_view_free(&v);
    return rc;
}

int sched_adoption_add(struct sched *s, const struct config_project *p, int64_t id, double share,
                       int64_t at, const struct sched_actor *who, struct sched_outcome *why)
{
    int64_t now = clock_now(s->clock);
    struct sched_view v;
    int rc = sched__begin(s, p, now, &v);
    if (rc < 0)
        return rc;
    const struct store_issue *is = sched_view_issue(&v, id);
    if (!is)
        return sched__finish(s, &v, sched__fail(why, RC_ENOTFOUND, NULL, "no such issue"));
    const struct store_release *r =
        is->core.release_id[0] ? sched_view_release(&v, is->core.release_id) : NULL;
    int64_t pub = published_at(r);
    if (at == POLICY_TIME_NONE)
        at = now;
    if (pub == POLICY_TIME_NONE) {
        why->refusal.code = "not_published";
        rc = sched__fail(why, RC_ECONFLICT, NULL,
                         "the issue's release is not published yet: there is no fixed version "
                         "to adopt");
    } else if (at > now) {
        rc = sched__fail(why, RC_EINVAL, "at", "is in the future");
    } else if (at < pub) {
        rc = sched__fail(why, RC_EINVAL, "at", "is before the release was published");
    } else {
        rc = store_adoption_add(s->store, id, share, at, who->name, now);
    }
    char subject[64];
    snprintf(subject, sizeof subject, "issue-%lld", (long long)id);
    if (rc == 0)
        rc = sched__audit(s, &v, now, who->name, "issue.adoption", subject,
                          json_pack("{sfso}", "share", share, "at", jsonx_time(at)), NULL, false);
    return sched__finish(s, &v, rc);
}

int sched_issue_report(struct sched *s, const struct config_project *p, int64_t id, int64_t now,
                       struct sched_report *out)
{
    memset(out, 0, sizeof *out);
    out->project_name = p->policy.name;
    struct sched_view v;
    struct store_issue *is;
    int rc = load_issue(s, p, id, now, &v, &is);
    if (rc < 0)
        return rc;
    struct sched_checklist c;
    out->assessment = assessment_of(s, p, id, &rc);
    if (rc == 0)
        rc = sched__checklist(s, &v, is, now, &c);
    if (rc == 0) {
        out->checklist = sched__checklist_json(&c, id);
        out->issue = sched_issue_json(p, is, now, true);
        const struct store_release *r =
            is->core.release_id[0] ? sched_view_release(&v, is->core.release_id) : NULL;
        out->release = r ? sched_release_json(&v, r, POLICY_AUDIENCE_TEAM) : NULL;
        rc = adoption_json(s, is, r, &out->adoption);
        out->contacts = json_array();
        for (size_t k = 0; k < p->n_contacts; k++) {
            const struct config_contact *ct = &p->contacts[k];
            json_array_append_new(out->contacts, json_pack("{sssososo}", "name", ct->name, "role",
                                                           jsonx_string_or_null(ct->role), "email",
                                                           jsonx_string_or_null(ct->email), "phone",
                                                           jsonx_string_or_null(ct->phone)));
        }
        sched__checklist_free(&c);
    }
    sched_view_free(&v);
    return rc;
}

void sched_report_free(struct sched_report *r)
{
    json_decref(r->issue);
    json_decref(r->release);
    json_decref(r->checklist);
    json_decref(r->assessment);
    json_decref(r->adoption);
    json_decref(r->contacts);
    memset(r, 0, sizeof *r);
}
