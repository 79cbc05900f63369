/* Rendering explanations (see explain.h). */
#include "api/explain.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/timeutil.h"

int api_explain_param(const char *value)
{
    if (!value || strcmp(value, "0") == 0 || strcmp(value, "false") == 0)
        return 0;
    if (strcmp(value, "1") == 0 || strcmp(value, "true") == 0)
        return 1;
    return -1;
}

static json_t *day_json(int64_t day)
{
    if (day == POLICY_TIME_NONE)
        return json_null();
    char s[TIME_DATE_SIZE];
    time_date_format(day, s);
    return json_string(s);
}

static const char *t(int64_t at, char out[TIME_RFC3339_SIZE])
{
    if (at == POLICY_TIME_NONE)
        snprintf(out, TIME_RFC3339_SIZE, "?");
    else
        time_rfc3339_format(at, out);
    return out;
}

static const char *d(int64_t day, char out[TIME_DATE_SIZE])
{
    if (day == POLICY_TIME_NONE)
        snprintf(out, TIME_DATE_SIZE, "?");
    else
        time_date_format(day, out);
    return out;
}

static json_t *ids_json(const struct policy_explain_step *st)
{
    json_t *a = json_array();
    for (size_t i = 0; i < st->n_ids; i++)
        json_array_append_new(a, json_integer(st->ids[i]));
    return a;
}

static void ids_text(struct buf *b, const struct policy_explain_step *st)
{
    for (size_t i = 0; i < st->n_ids; i++)
        buf_appendf(b, "%s#%lld", i ? ", " : "", (long long)st->ids[i]);
}

static json_t *audiences_json(unsigned bits)
{
    json_t *a = json_array();
    for (int k = 0; k < POLICY_AUDIENCE_COUNT; k++)
        if (bits & (1u << k))
            json_array_append_new(a, json_string(policy_audience_name((enum policy_audience)k)));
    return a;
}

/* Who and why, in words, where the step carries them. */
static void who_text(struct buf *b, const struct policy_explain_step *st)
{
    if (st->by)
        buf_appendf(b, " by %s", st->by);
    if (st->reason)
        buf_appendf(b, ": \"%s\"", st->reason);
    if (st->override_reason)
        buf_appendf(b, " (override: \"%s\")", st->override_reason);
}

/* The parts of one step: `in` and `res` are its input and result objects, `b` its text. */
struct step_out {
    json_t *in, *res;
    struct buf *b;
};

/* The release time of the cadence, "HH:MM". */
static void release_time(const struct policy_rules *ru, char rt[8])
{
    snprintf(rt, 8, "%02d:%02d", ru->release_minute / 60 % 24, ru->release_minute % 60);
}

static void cadence_step(const struct policy_project *p, const struct policy_explain_step *st,
                         const struct step_out *o)
{
    const struct policy_rules *ru = &p->rules;
    char a[TIME_RFC3339_SIZE], d1[TIME_DATE_SIZE], rt[8];
    release_time(ru, rt);
    json_object_set_new(o->in, "rrule", json_string(ru->cadence));
    json_object_set_new(o->in, "release_time", json_string(rt));
    json_object_set_new(o->in, "timezone", json_string(p->timezone));
    json_object_set_new(o->res, "instance", day_json(st->instance_day));
    json_object_set_new(o->res, "starts_at", jsonx_time(st->to));
    json_object_set_new(o->res, "occurrence",
                        st->occurrence ? json_integer(st->occurrence) : json_null());
    json_object_set_new(o->res, "occurrences_in_year",
                        st->occurrences ? json_integer(st->occurrences) : json_null());
    buf_appendf(o->b, "The cadence %s at %s %s has an instance on %s (%s)", ru->cadence, rt,
                p->timezone, d(st->instance_day, d1), t(st->to, a));
    if (st->occurrence)
        buf_appendf(o->b, ", the year's window %d of %d", st->occurrence, st->occurrences);
    buf_append_str(o->b, ".");
}

static void holiday_shift_step(const struct policy_explain_step *st, const struct step_out *o)
{
    char a[TIME_RFC3339_SIZE], d1[TIME_DATE_SIZE], d2[TIME_DATE_SIZE];
    json_object_set_new(o->in, "instance", day_json(st->instance_day));
    json_object_set_new(o->in, "holiday", day_json(st->holiday_day));
    json_object_set_new(o->res, "date", day_json(st->shifted_day));
    json_object_set_new(o->res, "starts_at", jsonx_time(st->to));
    buf_appendf(o->b,
                "%s is a listed holiday: the window moves to the next working day without a "
                "window, %s (%s).",
                d(st->holiday_day, d1), d(st->shifted_day, d2), t(st->to, a));
}

static void out_of_sequence_step(const struct policy_explain_step *st, const struct step_out *o)
{
    char a[TIME_RFC3339_SIZE], b2[TIME_RFC3339_SIZE], c[TIME_RFC3339_SIZE];
    json_object_set_new(o->in, "date", jsonx_time(st->date));
    json_object_set_new(o->in, "notice_days", json_integer(st->days));
    json_object_set_new(o->res, "earliest_allowed", jsonx_time(st->deadline));
    json_object_set_new(o->res, "notice_met", json_boolean(st->met));
    json_object_set_new(o->res, "override", json_boolean(st->override));
    json_object_set_new(o->res, "announced_at", jsonx_time(st->at));
    if (st->has_ids)
        json_object_set_new(o->res, "issues", ids_json(st));
    buf_appendf(o->b, "Created out of sequence at %s for %s", t(st->at, a), t(st->date, b2));
    who_text(o->b, st);
    buf_appendf(o->b, "; announced at once. The %d-day notice allowed %s at the earliest: %s.",
                st->days, t(st->deadline, c),
                st->met        ? "met"
                : st->override ? "shorter, allowed by an admin's override"
                               : "shorter");
    if (st->has_ids) {
        buf_append_str(o->b, " Issues: ");
        ids_text(o->b, st);
        buf_append_str(o->b, st->n_ids ? "." : "none.");
    }
}

static void cutoff_step(const struct policy_explain_step *st, const struct step_out *o)
{
    char a[TIME_RFC3339_SIZE];
    json_object_set_new(o->in, "starts_at", jsonx_time(st->date));
    json_object_set_new(o->in, "readiness_cutoff_days", json_integer(st->days));
    json_object_set_new(o->res, "cutoff_at", jsonx_time(st->deadline));
    json_object_set_new(o->res, "passed", json_boolean(st->met));
    if (st->has_count)
        json_object_set_new(o->res, "fix_count", json_integer(st->fix_count));
    if (st->has_ids)
        json_object_set_new(o->res, "issues", ids_json(st));
    buf_appendf(o->b, "Readiness cut-off %d days before the release: %s (%s).", st->days,
                t(st->deadline, a), st->met ? "passed" : "ahead");
    if (st->has_ids) {
        buf_append_str(o->b, st->met ? " Fixes that met it: " : " Fixes ready so far: ");
        if (st->n_ids)
            ids_text(o->b, st);
        else
            buf_append_str(o->b, st->met ? "none" : "none yet (without one the window is skipped)");
        buf_append_str(o->b, ".");
    } else if (st->has_count) {
        buf_appendf(o->b, " %d fix%s %s.", st->fix_count, st->fix_count == 1 ? "" : "es",
                    st->met ? "met it" : "ready so far");
    }
}

static void skip_step(const struct policy_explain_step *st, const struct step_out *o)
{
    char a[TIME_RFC3339_SIZE];
    json_object_set_new(o->in, "cutoff_at", jsonx_time(st->deadline));
    json_object_set_new(o->res, "status", json_string("skipped"));
    buf_appendf(o->b, "No fix was ready at the cut-off (%s): the window is skipped.",
                t(st->deadline, a));
}

/* The messages that lock the date: the pre-announcement and the distributor notice. */
static void locking_step(const struct policy_explain_step *st, const struct step_out *o)
{
    char a[TIME_RFC3339_SIZE];
    const char *late = st->late ? "; sent late, after downtime" : "";
    if (st->rule == POLICY_EXPLAIN_PRE_ANNOUNCEMENT) {
        json_object_set_new(o->in, "pre_announcement_days", json_integer(st->days));
        json_object_set_new(o->res, "announced_at", jsonx_time(st->at));
        json_object_set_new(o->res, "status", json_string("announced"));
    } else {
        json_object_set_new(o->in, "distributor_notice_days", json_integer(st->days));
        json_object_set_new(o->res, "notified_at", jsonx_time(st->at));
    }
    json_object_set_new(o->res, "locked", json_true());
    json_object_set_new(o->res, "late", json_boolean(st->late));
    if (st->rule == POLICY_EXPLAIN_PRE_ANNOUNCEMENT)
        buf_appendf(o->b,
                    "Pre-announced at %s (due %d days before the release%s): the date is locked "
                    "and no longer follows the config.",
                    t(st->at, a), st->days, late);
    else
        buf_appendf(o->b,
                    "Distributors notified at %s (due %d days before the release%s): the date is "
                    "locked.",
                    t(st->at, a), st->days, late);
}

/* What a person did to the release: move, cancel, publish. */
static void action_step(const struct policy_explain_step *st, const struct step_out *o)
{
    char a[TIME_RFC3339_SIZE], b2[TIME_RFC3339_SIZE], c[TIME_RFC3339_SIZE];
    switch (st->rule) {
    case POLICY_EXPLAIN_MOVE:
        json_object_set_new(o->in, "from", jsonx_time(st->from));
        json_object_set_new(o->res, "to", jsonx_time(st->to));
        buf_appendf(o->b, "Moved at %s from %s to %s", t(st->at, a), t(st->from, b2), t(st->to, c));
        break;
    case POLICY_EXPLAIN_CANCEL:
        json_object_set_new(o->res, "status", json_string("cancelled"));
        buf_appendf(o->b, "Cancelled at %s", t(st->at, a));
        break;
    default: /* POLICY_EXPLAIN_PUBLISH */
        json_object_set_new(o->res, "status", json_string("released"));
        json_object_set_new(o->res, "released_at", jsonx_time(st->at));
        buf_appendf(o->b, "Published at %s", t(st->at, a));
        break;
    }
    who_text(o->b, st);
    buf_append_str(o->b, ".");
}

/* What is due next, in words. */
static const char *due_words(enum policy_due_kind due)
{
    static const char *const words[POLICY_DUE_KIND_COUNT] = {
        [POLICY_DUE_SKIP] = "the cut-off",
        [POLICY_DUE_CUTOFF] = "the cut-off",
        [POLICY_DUE_ANNOUNCE] = "the pre-announcement",
        [POLICY_DUE_ANNOUNCE_SKIPPED] = "the pre-announcement (no release in this window)",
        [POLICY_DUE_DISTRIBUTOR_NOTICE] = "the distributor notice",
        [POLICY_DUE_REMINDER] = "the final reminder to distributors",
        [POLICY_DUE_RELEASE_DAY] = "the release",
        [POLICY_DUE_OVERDUE] = "the overdue alert, unless published by then",
    };
    return (unsigned)due < POLICY_DUE_KIND_COUNT && words[due] ? words[due] : "?";
}

static void due_step(const struct policy_explain_step *st, const struct step_out *o)
{
    char a[TIME_RFC3339_SIZE];
    const char *msg = st->audiences ? policy_due_message(st->due) : NULL;
    json_object_set_new(o->in, "event", json_string(policy_explain_due_name(st->due)));
    json_object_set_new(o->in, "message", msg ? json_string(msg) : json_null());
    json_object_set_new(o->in, "audiences", audiences_json(st->audiences));
    json_object_set_new(o->res, "due_at", jsonx_time(st->deadline));
    json_object_set_new(o->res, "if_unchanged", json_boolean(st->if_unchanged));
    buf_appendf(o->b, "Due %s: %s", t(st->deadline, a), due_words(st->due));
    if (msg) {
        buf_appendf(o->b, " (%s to", msg);
        for (int k = 0, first = 1; k < POLICY_AUDIENCE_COUNT; k++)
            if (st->audiences & (1u << k)) {
                buf_appendf(o->b, "%s %s", first ? "" : ",",
                            policy_audience_name((enum policy_audience)k));
                first = 0;
            }
        buf_append_str(o->b, ")");
    }
    buf_append_str(o->b, st->if_unchanged ? ", if nothing changes." : ".");
}

/* The fields every step has: its rule, when, and who and why where it carries them. */
static json_t *step_envelope(const struct policy_explain_step *st)
{
    json_t *o = json_object();
    json_object_set_new(o, "rule", json_string(policy_explain_rule_name(st->rule)));
    json_object_set_new(o, "at", jsonx_time(st->at));
    if (st->by)
        json_object_set_new(o, "by", json_string(st->by));
    if (st->reason)
        json_object_set_new(o, "reason", json_string(st->reason));
    if (st->override_reason)
        json_object_set_new(o, "override_reason", json_string(st->override_reason));
    return o;
}

static json_t *step_json(const struct policy_project *p, const struct policy_explain_step *st)
{
    struct buf b;
    buf_init(&b, 64 * 1024);
    const struct step_out out = {.in = json_object(), .res = json_object(), .b = &b};
    switch (st->rule) {
    case POLICY_EXPLAIN_CADENCE:
        cadence_step(p, st, &out);
        break;
    case POLICY_EXPLAIN_HOLIDAY_SHIFT:
        holiday_shift_step(st, &out);
        break;
    case POLICY_EXPLAIN_OUT_OF_SEQUENCE:
        out_of_sequence_step(st, &out);
        break;
    case POLICY_EXPLAIN_CUTOFF:
        cutoff_step(st, &out);
        break;
    case POLICY_EXPLAIN_SKIP:
        skip_step(st, &out);
        break;
    case POLICY_EXPLAIN_PRE_ANNOUNCEMENT:
    case POLICY_EXPLAIN_DISTRIBUTOR_NOTICE:
        locking_step(st, &out);
        break;
    case POLICY_EXPLAIN_MOVE:
    case POLICY_EXPLAIN_CANCEL:
    case POLICY_EXPLAIN_PUBLISH:
        action_step(st, &out);
        break;
    case POLICY_EXPLAIN_DUE:
        due_step(st, &out);
        break;
    default:
        break;
    }
    json_t *o = step_envelope(st);
    json_object_set_new(o, "input", out.in);
    json_object_set_new(o, "result", out.res);
    json_object_set_new(o, "text", json_string(buf_cstr(&b)));
    buf_close(&b);
    return o;
}

json_t *api_explain_json(const struct policy_project *p, const struct policy_explain_step *steps,
                         size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, step_json(p, &steps[i]));
    return a;
}
