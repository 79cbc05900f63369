/* The steps that explain a release (see explain.h and docs/POLICY.md "Explanations"). */
#include "policy/explain.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "policy/rules.h"

#define DAY 86400

const char *policy_explain_rule_name(enum policy_explain_rule r)
{
    static const char *const names[POLICY_EXPLAIN_RULE_COUNT] = {
        [POLICY_EXPLAIN_CADENCE] = "cadence",
        [POLICY_EXPLAIN_HOLIDAY_SHIFT] = "holiday_shift",
        [POLICY_EXPLAIN_OUT_OF_SEQUENCE] = "out_of_sequence",
        [POLICY_EXPLAIN_CUTOFF] = "cutoff",
        [POLICY_EXPLAIN_SKIP] = "skip",
        [POLICY_EXPLAIN_PRE_ANNOUNCEMENT] = "pre_announcement",
        [POLICY_EXPLAIN_DISTRIBUTOR_NOTICE] = "distributor_notice",
        [POLICY_EXPLAIN_MOVE] = "move",
        [POLICY_EXPLAIN_CANCEL] = "cancel",
        [POLICY_EXPLAIN_PUBLISH] = "publish",
        [POLICY_EXPLAIN_DUE] = "due",
    };
    return (unsigned)r < POLICY_EXPLAIN_RULE_COUNT ? names[r] : "unknown";
}

const char *policy_explain_due_name(enum policy_due_kind k)
{
    static const char *const names[POLICY_DUE_KIND_COUNT] = {
        [POLICY_DUE_SKIP] = "cutoff",
        [POLICY_DUE_CUTOFF] = "cutoff",
        [POLICY_DUE_ANNOUNCE] = "pre_announcement",
        [POLICY_DUE_ANNOUNCE_SKIPPED] = "pre_announcement",
        [POLICY_DUE_DISTRIBUTOR_NOTICE] = "distributor_notice",
        [POLICY_DUE_REMINDER] = "reminder",
        [POLICY_DUE_RELEASE_DAY] = "release",
        [POLICY_DUE_OVERDUE] = "overdue",
    };
    return (unsigned)k < POLICY_DUE_KIND_COUNT ? names[k] : "unknown";
}

struct steps {
    struct policy_explain_step *v;
    size_t n, cap;
};

static struct policy_explain_step *add(struct steps *s, enum policy_explain_rule rule, int64_t at)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = xreallocarray(s->v, s->cap, sizeof *s->v);
    }
    struct policy_explain_step *st = &s->v[s->n++];
    memset(st, 0, sizeof *st);
    st->rule = rule;
    st->at = at;
    st->instance_day = st->holiday_day = st->shifted_day = POLICY_TIME_NONE;
    st->from = st->to = st->deadline = st->date = POLICY_TIME_NONE;
    return st;
}

static bool is_holiday(const struct policy_rules *r, int64_t day)
{
    for (size_t i = 0; i < r->n_holidays; i++)
        if (r->holidays[i] == day)
            return true;
    return false;
}

/* Who and why of an audit row, for audiences that may see them. */
static void who(struct policy_explain_step *st, const struct policy_explain_change *c,
                const struct policy_release_visibility *vis)
{
    st->override = c->override_reason != NULL;
    if (!vis->audit)
        return;
    st->by = c->by;
    st->reason = c->reason;
    st->override_reason = c->override_reason;
}

/* Whether an issue's fix met the cut-off: ready (or released) and ready by then. */
static bool met_cutoff(const struct policy_issue *is, int64_t cutoff)
{
    return (is->status == POLICY_ISSUE_FIX_READY || is->status == POLICY_ISSUE_RELEASED) &&
           is->fix_ready_at != POLICY_TIME_NONE && is->fix_ready_at <= cutoff;
}

/* The issues attached (only_met: those whose fix met `cutoff`), ascending. */
static void attach_ids(struct policy_explain_step *st, const struct policy_explain_input *in,
                       bool only_met, int64_t cutoff)
{
    st->ids = xcalloc(in->n_issues + 1, sizeof *st->ids);
    for (size_t i = 0; i < in->n_issues; i++) {
        const struct policy_issue *is = &in->issues[i];
        if (is->status == POLICY_ISSUE_REJECTED)
            continue;
        if (only_met && !met_cutoff(is, cutoff))
            continue;
        st->ids[st->n_ids++] = is->id;
    }
    /* Issue ids ascending, whatever order the caller gathered them in. */
    for (size_t i = 1; i < st->n_ids; i++)
        for (size_t k = i; k > 0 && st->ids[k - 1] > st->ids[k]; k--) {
            int64_t t = st->ids[k];
            st->ids[k] = st->ids[k - 1];
            st->ids[k - 1] = t;
        }
}

/* The events still due. The team's come from policy/due.c applied forward in time as if
 * nothing else changed; others get only what does not depend on the release's content (whether
 * a window ships a fix decides its distributor notice and its skip), which is the
 * pre-announcement of a scheduled window and the release itself. */
static void due_steps(struct steps *s, const struct policy_explain_input *in,
                      const struct policy_release_visibility *vis)
{
    const struct policy_release *rel = in->rel;
    if (policy_release_final(rel))
        return;
    bool scheduled = rel->kind == POLICY_RELEASE_SCHEDULED;
    bool open_content = scheduled && rel->status == POLICY_RELEASE_PLANNED &&
                        !(in->done & POLICY_DONE_CUTOFF) && rel->cutoff_at >= in->now;
    if (!vis->issues) {
        unsigned pub = 1u << POLICY_AUDIENCE_PUBLIC;
        if (scheduled && rel->status == POLICY_RELEASE_PLANNED &&
            !(in->done & POLICY_DONE_ANNOUNCE)) {
            struct policy_explain_step *st = add(s, POLICY_EXPLAIN_DUE, rel->announce_at);
            st->due = POLICY_DUE_ANNOUNCE;
            st->deadline = rel->announce_at;
            st->audiences = policy_due_audiences(POLICY_DUE_ANNOUNCE) & pub;
        }
        if (!(in->done & POLICY_DONE_DUE)) {
            struct policy_explain_step *st = add(s, POLICY_EXPLAIN_DUE, rel->starts_at);
            st->due = POLICY_DUE_RELEASE_DAY;
            st->deadline = rel->starts_at;
            st->audiences = policy_due_audiences(POLICY_DUE_RELEASE_DAY) & pub;
        }
        return;
    }
    struct policy_release r = *rel;
    uint32_t done = in->done;
    int64_t t = in->now;
    for (int round = 0; round < 2 * POLICY_DUE_KIND_COUNT; round++) {
        struct policy_due_release dr = {.rel = &r,
                                        .done = done,
                                        .issues = in->issues,
                                        .n_issues = in->n_issues,
                                        .epoch = in->epoch};
        struct policy_due_event ev[POLICY_DUE_EVENTS_MAX];
        int64_t next = POLICY_TIME_NONE;
        size_t n = policy_due_release(&dr, t, ev, &next);
        for (size_t k = 0; k < n; k++) {
            policy_due_apply(&r, &done, &ev[k], ev[k].at);
            if (ev[k].kind == POLICY_DUE_SKIP || ev[k].kind == POLICY_DUE_CUTOFF)
                continue; /* the cutoff step tells it */
            struct policy_explain_step *st = add(s, POLICY_EXPLAIN_DUE, ev[k].at);
            st->due = ev[k].kind;
            st->deadline = ev[k].at;
            st->audiences = policy_due_audiences(ev[k].kind);
            st->if_unchanged = open_content;
        }
        if (next == POLICY_TIME_NONE)
            break;
        t = next;
    }
}

/* Stable: steps at the same instant keep the order they were added in (audit order). */
static void sort_by_time(struct policy_explain_step *v, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0 && v[k - 1].at > v[k].at; k--) {
            struct policy_explain_step t = v[k];
            v[k] = v[k - 1];
            v[k - 1] = t;
        }
}

/* Where the date comes from: the cadence instance and, when a holiday moved it, the shift. */
static void date_source_steps(struct steps *s, const struct policy_explain_input *in)
{
    struct policy_explain_step *st = add(s, POLICY_EXPLAIN_CADENCE, POLICY_TIME_NONE);
    st->instance_day = in->instance_day;
    st->to = in->instance_at;
    st->occurrence = in->occurrence;
    st->occurrences = in->occurrences;
    if (is_holiday(in->rules, in->instance_day) && in->configured_day != in->instance_day) {
        st = add(s, POLICY_EXPLAIN_HOLIDAY_SHIFT, POLICY_TIME_NONE);
        st->instance_day = st->holiday_day = in->instance_day;
        st->shifted_day = in->configured_day;
        st->from = in->instance_at;
        st->to = in->configured_at;
    }
}

static const struct policy_explain_change *find_first_move(const struct policy_explain_input *in)
{
    for (size_t i = 0; i < in->n_changes; i++)
        if (in->changes[i].rule == POLICY_EXPLAIN_MOVE)
            return &in->changes[i];
    return NULL;
}

/* Which of the notices the audit log told (so the release's own dates do not repeat them). */
struct told {
    bool pre, notice;
};

/* One step for one audit-log change, if the audience and the release kind show it. */
static void change_step(struct steps *s, const struct policy_explain_input *in,
                        const struct policy_release_visibility *vis,
                        const struct policy_explain_change *c,
                        const struct policy_explain_change *first_move, struct told *told)
{
    const struct policy_release *rel = in->rel;
    const struct policy_rules *rules = in->rules;
    bool scheduled = rel->kind == POLICY_RELEASE_SCHEDULED;
    struct policy_explain_step *st;
    switch (c->rule) {
    case POLICY_EXPLAIN_OUT_OF_SEQUENCE:
        if (scheduled)
            break;
        st = add(s, c->rule, c->at);
        who(st, c, vis);
        st->date = first_move ? first_move->from : rel->starts_at;
        st->days = rules->out_of_sequence_notice_days;
        st->deadline = c->at + (int64_t)st->days * DAY;
        st->met = st->date >= st->deadline;
        if (vis->issues) {
            attach_ids(st, in, false, POLICY_TIME_NONE);
            st->has_ids = true;
        }
        break;
    case POLICY_EXPLAIN_MOVE:
        st = add(s, c->rule, c->at);
        who(st, c, vis);
        st->from = vis->previous_date ? c->from : POLICY_TIME_NONE;
        st->to = c->to;
        break;
    case POLICY_EXPLAIN_CANCEL:
    case POLICY_EXPLAIN_PUBLISH:
        st = add(s, c->rule, c->at);
        who(st, c, vis);
        break;
    case POLICY_EXPLAIN_PRE_ANNOUNCEMENT:
        if (!scheduled || rel->announced_at == POLICY_TIME_NONE || told->pre)
            break;
        told->pre = true;
        st = add(s, c->rule, c->at);
        st->days = rules->pre_announcement_days;
        st->late = c->late;
        break;
    case POLICY_EXPLAIN_DISTRIBUTOR_NOTICE:
        if (!vis->notice || rel->distributors_notified_at == POLICY_TIME_NONE || told->notice)
            break;
        told->notice = true;
        st = add(s, c->rule, c->at);
        st->days = rules->distributor_notice_days;
        st->late = c->late;
        break;
    default:
        break;
    }
}

/* The date in effect when the cut-off passed: a move after the cut-off keeps the verdict, so
 * follow the moves only while each came before the cut-off of the date it moved. */
static int64_t cutoff_date(const struct policy_explain_input *in,
                           const struct policy_explain_change *first_move)
{
    const struct policy_release *rel = in->rel;
    int64_t date = first_move ? first_move->from : rel->starts_at;
    int64_t cut_len = rel->starts_at - rel->cutoff_at;
    for (size_t i = 0; i < in->n_changes; i++) {
        const struct policy_explain_change *c = &in->changes[i];
        if (c->rule != POLICY_EXPLAIN_MOVE)
            continue;
        if (date - cut_len < c->at)
            break;
        date = c->to;
    }
    return date;
}

/* The cut-off that decided the content (of the date in effect when it passed, else of the
 * current date), the skip it led to, and the pre-announcement when the audit log lacks it. */
static void cutoff_steps(struct steps *s, const struct policy_explain_input *in,
                         const struct policy_release_visibility *vis,
                         const struct policy_explain_change *first_move, const struct told *told)
{
    const struct policy_release *rel = in->rel;
    const struct policy_rules *rules = in->rules;
    int64_t date = cutoff_date(in, first_move);
    int64_t cutoff_at = date - (rel->starts_at - rel->cutoff_at);
    struct policy_explain_step *st = add(s, POLICY_EXPLAIN_CUTOFF, cutoff_at);
    st->deadline = cutoff_at;
    st->date = date;
    st->days = rules->readiness_cutoff_days;
    /* Passed: judged (a moved window keeps the verdict of its old cut-off) or its second
     * is over. */
    st->met = (in->done & POLICY_DONE_CUTOFF) || rel->status != POLICY_RELEASE_PLANNED ||
              cutoff_at < in->now;
    if (vis->issues) {
        attach_ids(st, in, true, cutoff_at);
        st->has_ids = true;
    }
    if (vis->counts) {
        size_t n = 0;
        for (size_t i = 0; i < in->n_issues; i++)
            n += met_cutoff(&in->issues[i], cutoff_at);
        st->has_count = true;
        st->fix_count = (int)n;
    }
    if (rel->status == POLICY_RELEASE_SKIPPED)
        add(s, POLICY_EXPLAIN_SKIP, cutoff_at)->deadline = cutoff_at;
    if (rel->announced_at != POLICY_TIME_NONE && !told->pre) {
        st = add(s, POLICY_EXPLAIN_PRE_ANNOUNCEMENT, rel->announced_at);
        st->days = rules->pre_announcement_days;
    }
}

size_t policy_explain(const struct policy_explain_input *in, struct policy_explain_step **out)
{
    struct steps s = {0};
    const struct policy_release *rel = in->rel;
    struct policy_release_visibility vis = policy_disclosure_release(in->audience, rel);
    bool scheduled = rel->kind == POLICY_RELEASE_SCHEDULED;

    if (scheduled)
        date_source_steps(&s, in);
    size_t fixed = s.n; /* steps before this stay first; the rest go in time order */

    const struct policy_explain_change *first_move = find_first_move(in);
    /* The pre-announcement and the distributor notice come from the audit log when it has them
     * (so they keep their order with moves in the same second), else from the release. */
    struct told told = {false, false};
    for (size_t i = 0; i < in->n_changes; i++)
        change_step(&s, in, &vis, &in->changes[i], first_move, &told);
    if (scheduled)
        cutoff_steps(&s, in, &vis, first_move, &told);
    if (rel->distributors_notified_at != POLICY_TIME_NONE && vis.notice && !told.notice) {
        struct policy_explain_step *st =
            add(&s, POLICY_EXPLAIN_DISTRIBUTOR_NOTICE, rel->distributors_notified_at);
        st->days = in->rules->distributor_notice_days;
    }
    /* What happened, in time order. */
    sort_by_time(s.v + fixed, s.n - fixed);
    due_steps(&s, in, &vis);
    *out = s.v;
    return s.n;
}

void policy_explain_free(struct policy_explain_step *steps, size_t n)
{
    for (size_t i = 0; steps && i < n; i++)
        free(steps[i].ids);
    free(steps);
}
