/* RRULE expansion for release windows (RFC 5545 section 3.3.10) with libical's recurrence
 * iterator, in floating local time, converted to UTC through policy/zone. */
#include "policy/cadence.h"

#include <libical/ical.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "policy/ical_internal.h"
#include "policy/rules.h"
#include "policy/zone.h"

/* Bounds the work for rules that match rarely (or, despite the pre-checks, never). */
#define MAX_ITERATIONS 200000

static bool by_present(const short *arr)
{
    return arr[0] != ICAL_RECURRENCE_ARRAY_MAX;
}

/* BYMONTH + BYMONTHDAY combinations that no month can satisfy (e.g. BYMONTH=2;BYMONTHDAY=30)
 * make libical search for a long time before giving up; detect them here. */
static bool monthday_impossible(const struct icalrecurrencetype *r)
{
    if (!by_present(r->by_month_day))
        return false;
    for (int d = 0; d < ICAL_BY_MONTHDAY_SIZE && r->by_month_day[d] != ICAL_RECURRENCE_ARRAY_MAX;
         d++) {
        int md = r->by_month_day[d] < 0 ? -r->by_month_day[d] : r->by_month_day[d];
        if (!by_present(r->by_month)) {
            if (md <= 31)
                return false;
            continue;
        }
        for (int m = 0; m < ICAL_BY_MONTH_SIZE && r->by_month[m] != ICAL_RECURRENCE_ARRAY_MAX;
             m++) {
            int month = r->by_month[m];
            int max = month == 2 ? 29 : civil_days_in_month(2001, month);
            if (md <= max)
                return false;
        }
    }
    return true;
}

static bool weekno_days_plain(const struct icalrecurrencetype *r)
{
    for (int i = 0; i < ICAL_BY_DAY_SIZE && r->by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
        if (icalrecurrencetype_day_position(r->by_day[i]) != 0)
            return false;
    return true;
}

/* libical allocates the RSCALE name (RFC 7529) of a parsed rule; the rule owns it. */
static void rule_free(struct icalrecurrencetype *r)
{
    free(r->rscale);
    r->rscale = NULL;
}

/* On success *out owns memory: rule_free() it after use. */
static int parse_rule(const char *rrule, struct icalrecurrencetype *out, char *err, size_t err_len)
{
    if (!rrule || !*rrule) {
        snprintf(err, err_len, "empty RRULE");
        return RC_EPARSE;
    }
    icalerror_clear_errno();
    struct icalrecurrencetype r = icalrecurrencetype_from_string(rrule);
    icalerror_clear_errno();
    int rc = RC_EPARSE;
    if (r.freq == ICAL_NO_RECURRENCE) {
        snprintf(err, err_len, "not a valid RFC 5545 RRULE: '%s'", rrule);
    } else if (r.freq != ICAL_DAILY_RECURRENCE && r.freq != ICAL_WEEKLY_RECURRENCE &&
               r.freq != ICAL_MONTHLY_RECURRENCE && r.freq != ICAL_YEARLY_RECURRENCE) {
        snprintf(err, err_len, "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY");
    } else if (by_present(r.by_hour) || by_present(r.by_minute) || by_present(r.by_second)) {
        snprintf(err, err_len,
                 "BYHOUR, BYMINUTE and BYSECOND are not allowed: the time of day "
                 "is release_time");
    } else if (by_present(r.by_week_no) && r.freq != ICAL_YEARLY_RECURRENCE) {
        snprintf(err, err_len, "BYWEEKNO needs FREQ=YEARLY (RFC 5545 section 3.3.10)");
    } else if (by_present(r.by_week_no) && !weekno_days_plain(&r)) {
        snprintf(err, err_len, "with BYWEEKNO, BYDAY takes plain weekdays (MO, not 1MO)");
    } else if (by_present(r.by_week_no) && r.rscale && strcmp(r.rscale, "GREGORIAN") != 0) {
        snprintf(err, err_len, "BYWEEKNO is only supported in the Gregorian calendar");
    } else if (!icaltime_is_null_time(r.until) && r.count != 0) {
        snprintf(err, err_len, "COUNT and UNTIL must not be used together");
    } else if (monthday_impossible(&r)) {
        snprintf(err, err_len, "the rule can never match (BYMONTHDAY beyond every BYMONTH)");
        rc = RC_ENOMATCH;
    } else {
        *out = r;
        return 0;
    }
    rule_free(&r);
    return rc;
}

/* BYWEEKNO rules are expanded here rather than by libical, which gave wrong days for them (issue
 * 13): FREQ=YEARLY, one calendar year at a time from the anchor's, INTERVAL years apart. A day of
 * the year is an instance when every BY* part present accepts it; its week number counts weeks
 * starting on WKST, week 1 being the first with at least four days in its year (so the first
 * days of January can be in the last week of the year before, and the last days of December in
 * week 1 of the next). BYSETPOS picks among the instances of the year. */
struct weekno_gen {
    const struct icalrecurrencetype *r;
    int64_t year; /* the next year to fill */
    int64_t days[366];
    size_t n, at;
    int emitted, empty_years;
    int64_t until; /* local seconds since the epoch, or INT64_MAX */
    int minute;
};

static bool in_list(const short *arr, int size, int v)
{
    for (int i = 0; i < size && arr[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
        if (arr[i] == v)
            return true;
    return false;
}

/* ISO weekday (1 = Monday) of a libical weekday (1 = Sunday). */
static int iso_weekday(int ical)
{
    return ical == ICAL_SUNDAY_WEEKDAY ? 7 : ical - 1;
}

static int64_t week_start(int64_t day, int wkst)
{
    return day - (civil_weekday(day) - wkst + 7) % 7;
}

static int64_t week1_start(int64_t year, int wkst)
{
    return week_start(civil_to_days(year, 1, 4), wkst);
}

static bool weekno_match(const struct icalrecurrencetype *r, int64_t day, int64_t year)
{
    int64_t y;
    int m, d;
    civil_from_days(day, &y, &m, &d);
    if (by_present(r->by_month) && !in_list(r->by_month, ICAL_BY_MONTH_SIZE, m))
        return false;
    if (by_present(r->by_day)) {
        bool ok = false;
        for (int i = 0; i < ICAL_BY_DAY_SIZE && r->by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
            ok = ok || iso_weekday(icalrecurrencetype_day_day_of_week(r->by_day[i])) ==
                           civil_weekday(day);
        if (!ok)
            return false;
    }
    int dim = civil_days_in_month(y, m);
    if (by_present(r->by_month_day) && !in_list(r->by_month_day, ICAL_BY_MONTHDAY_SIZE, d) &&
        !in_list(r->by_month_day, ICAL_BY_MONTHDAY_SIZE, d - dim - 1))
        return false;
    int yd = (int)(day - civil_to_days(year, 1, 1)) + 1, ylen = civil_is_leap(year) ? 366 : 365;
    if (by_present(r->by_year_day) && !in_list(r->by_year_day, ICAL_BY_YEARDAY_SIZE, yd) &&
        !in_list(r->by_year_day, ICAL_BY_YEARDAY_SIZE, yd - ylen - 1))
        return false;
    int wkst = r->week_start == ICAL_NO_WEEKDAY ? 1 : iso_weekday(r->week_start);
    int64_t ws = week_start(day, wkst), wyear;
    civil_from_days(ws + 3, &wyear, &m, &d); /* the year holding most of the week */
    int64_t w1 = week1_start(wyear, wkst);
    int n = (int)((ws - w1) / 7) + 1, weeks = (int)((week1_start(wyear + 1, wkst) - w1) / 7);
    return in_list(r->by_week_no, ICAL_BY_WEEKNO_SIZE, n) ||
           in_list(r->by_week_no, ICAL_BY_WEEKNO_SIZE, n - weeks - 1);
}

static void weekno_fill(struct weekno_gen *g)
{
    const struct icalrecurrencetype *r = g->r;
    int64_t first = civil_to_days(g->year, 1, 1), len = civil_is_leap(g->year) ? 366 : 365;
    g->n = g->at = 0;
    for (int64_t day = first; day < first + len; day++)
        if (weekno_match(r, day, g->year))
            g->days[g->n++] = day;
    if (by_present(r->by_set_pos) && g->n > 0) {
        int64_t kept[366];
        size_t k = 0;
        for (size_t i = 0; i < g->n; i++)
            if (in_list(r->by_set_pos, ICAL_BY_SETPOS_SIZE, (int)i + 1) ||
                in_list(r->by_set_pos, ICAL_BY_SETPOS_SIZE, (int)i - (int)g->n))
                kept[k++] = g->days[i];
        memcpy(g->days, kept, k * sizeof kept[0]);
        g->n = k;
    }
    g->empty_years = g->n ? 0 : g->empty_years + 1;
    g->year += r->interval > 0 ? r->interval : 1;
}

/* A rule with no instance in 100 years in a row has none at all (the calendar repeats). */
#define WEEKNO_MAX_EMPTY_YEARS 100

static bool weekno_next(struct weekno_gen *g, int64_t *day)
{
    while (g->at == g->n) {
        if (g->empty_years >= WEEKNO_MAX_EMPTY_YEARS)
            return false;
        weekno_fill(g);
    }
    int64_t d = g->days[g->at++];
    if (d * SECONDS_PER_DAY + (int64_t)g->minute * 60 > g->until ||
        (g->r->count > 0 && g->emitted >= g->r->count)) {
        g->empty_years = WEEKNO_MAX_EMPTY_YEARS;
        g->at = g->n = 0;
        return false;
    }
    g->emitted++;
    *day = d;
    return true;
}

struct expansion {
    icalrecur_iterator *it; /* NULL for a BYWEEKNO rule */
    struct weekno_gen *weekno;
    int iterations;
};

/* Starts the expansion at the anchor. When the rule has no COUNT (which counts from the
 * anchor), the iterator is moved forward to `skip_to_day` so that years of instances before the
 * range are not computed one by one; libical keeps the INTERVAL phase of the anchor. */
static int expansion_start(struct expansion *e, struct icalrecurrencetype *r, int minute,
                           int64_t skip_to_day)
{
    int64_t anchor = civil_to_days(POLICY_CADENCE_ANCHOR_YEAR, 1, 1);
    memset(e, 0, sizeof *e);
    if (by_present(r->by_week_no)) {
        struct weekno_gen *g = xcalloc(1, sizeof *g);
        g->r = r;
        g->minute = minute;
        g->year = POLICY_CADENCE_ANCHOR_YEAR;
        g->until = INT64_MAX;
        if (!icaltime_is_null_time(r->until))
            g->until =
                civil_to_days(r->until.year, r->until.month, r->until.day) * SECONDS_PER_DAY +
                (r->until.is_date ? SECONDS_PER_DAY - 1
                                  : r->until.hour * 3600 + r->until.minute * 60 + r->until.second);
        if (r->count == 0 && skip_to_day > anchor) {
            int64_t y, step = r->interval > 0 ? r->interval : 1;
            int m, d;
            civil_from_days(skip_to_day, &y, &m, &d);
            if (y - 1 > g->year)
                g->year += (y - 1 - g->year) / step * step;
        }
        e->weekno = g;
        return 0;
    }
    e->it = icalrecur_iterator_new(*r, policy__ical_time(anchor, (int64_t)minute * 60));
    if (!e->it)
        return RC_EPARSE;
    if (r->count == 0 && skip_to_day > anchor)
        icalrecur_iterator_set_start(e->it, policy__ical_time(skip_to_day, (int64_t)minute * 60));
    return 0;
}

/* Next instance's local date as a day number; false at the end of the rule or the bound. */
static bool expansion_next(struct expansion *e, int64_t *day)
{
    if (++e->iterations > MAX_ITERATIONS)
        return false;
    if (e->weekno)
        return weekno_next(e->weekno, day);
    struct icaltimetype t = icalrecur_iterator_next(e->it);
    if (icaltime_is_null_time(t))
        return false;
    *day = civil_to_days(t.year, t.month, t.day);
    return true;
}

static void expansion_end(struct expansion *e)
{
    if (e->it)
        icalrecur_iterator_free(e->it);
    free(e->weekno);
}

int policy_cadence_check(const char *rrule, int64_t from, char *err, size_t err_len)
{
    struct icalrecurrencetype r;
    int rc = parse_rule(rrule, &r, err, err_len);
    if (rc < 0)
        return rc;
    struct expansion e;
    int64_t first = civil_day_of(from), last = first + 3653, day;
    if (expansion_start(&e, &r, 0, first) < 0) {
        snprintf(err, err_len, "libical cannot expand '%s'", rrule);
        rule_free(&r);
        return RC_EPARSE;
    }
    bool found = false;
    while (expansion_next(&e, &day) && day < last) {
        if (day >= first) {
            found = true;
            break;
        }
    }
    expansion_end(&e);
    rule_free(&r);
    if (!found) {
        snprintf(err, err_len, "the rule yields no instance within 10 years");
        return RC_ENOMATCH;
    }
    return 0;
}

static bool is_holiday(const struct policy_rules *r, int64_t day)
{
    size_t lo = 0, hi = r->n_holidays;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (r->holidays[mid] == day)
            return true;
        if (r->holidays[mid] < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* How far a holiday can move an instance: past any number of holidays and weekends, but past at
 * most this many working days (Monday-Friday, not a holiday) that already have a window; when
 * all of them do, the instance merges into those windows (docs/POLICY.md "Holidays"). */
#define SHIFT_MAX_BUSY_DAYS 10
#define MERGED              INT64_MIN

static bool working_day(const struct policy_rules *r, int64_t day)
{
    return civil_weekday(day) <= 5 && !is_holiday(r, day);
}

/* The rule's instances (local dates, ascending), where holidays moved them, and the days that
 * instances on holidays were moved to so far. */
struct instances {
    int64_t *day, *moved, *targets;
    size_t n, cap, n_targets;
};

static bool is_instance(const struct instances *in, int64_t day)
{
    size_t lo = 0, hi = in->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (in->day[mid] == day)
            return true;
        if (in->day[mid] < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* True when a window already starts on working day `day`: an instance that stays there, or an
 * earlier instance moved there. */
static bool is_window(const struct instances *in, int64_t day)
{
    if (is_instance(in, day))
        return true;
    for (size_t j = 0; j < in->n_targets; j++)
        if (in->targets[j] == day)
            return true;
    return false;
}

/* docs/POLICY.md: an instance on a holiday moves to the next Monday-Friday that is not one; and
 * (issue 13) not to a day that already has a window, so two never stack on one instant. Called
 * in the order of the instances: the earlier of two moved instances picks first. */
static int64_t shift_holiday(const struct policy_rules *r, struct instances *in, size_t i)
{
    int64_t day = in->day[i];
    if (!is_holiday(r, day))
        return day;
    int busy = 0;
    for (int64_t d = day + 1;; d++) {
        if (!working_day(r, d))
            continue;
        if (!is_window(in, d)) {
            in->targets[in->n_targets++] = d;
            return d;
        }
        if (++busy == SHIFT_MAX_BUSY_DAYS)
            return MERGED;
    }
}

/* The first day whose instance can, through a chain of holiday shifts, affect where an instance
 * on or after `day` lands: back over holidays not separated by more working days than a shift
 * can pass. */
static int64_t chain_start(const struct policy_rules *r, int64_t day)
{
    int64_t first = day;
    int working = 0;
    for (int64_t d = day - 1; working <= SHIFT_MAX_BUSY_DAYS; d--) {
        if (is_holiday(r, d)) {
            first = d;
            working = 0;
        } else if (working_day(r, d)) {
            working++;
        }
    }
    return first;
}

/* The last day a shift from an instance on or before `day` can reach. */
static int64_t reach_end(const struct policy_rules *r, int64_t day)
{
    int working = 0;
    while (working <= SHIFT_MAX_BUSY_DAYS)
        if (working_day(r, ++day))
            working++;
    return day;
}

/* With `grow` set, out and cap are ignored: the windows go to a new array of one slot per
 * instance (each instance gives at most one window), so the rule is expanded once and the
 * answer is never RC_ETOOBIG. */
/* The rule's instances (local days) from first_day to scan_end into in->day, once each.
 * RC_EPARSE when libical cannot expand the rule. */
static int collect_instances(struct icalrecurrencetype *r, int minute, int64_t first_day,
                             int64_t scan_end, struct instances *in)
{
    struct expansion e;
    if (expansion_start(&e, r, minute, first_day) < 0)
        return RC_EPARSE;
    int64_t day;
    while (expansion_next(&e, &day) && day <= scan_end) {
        /* libical repeats a day listed twice (BYDAY=FR,FR; found by fuzz/fuzz_rrule): one
         * window. */
        if (day < first_day || (in->n > 0 && day <= in->day[in->n - 1]))
            continue;
        if (in->n == in->cap) {
            in->cap = in->cap ? 2 * in->cap : 64;
            in->day = xreallocarray(in->day, in->cap, sizeof *in->day);
        }
        in->day[in->n++] = day;
    }
    expansion_end(&e);
    return 0;
}

/* The planned window of the instance `day`, starting at `start` (its shifted date). */
static void make_window(const struct policy_rules *rules, int64_t day, int64_t start,
                        struct policy_release *w)
{
    memset(w, 0, sizeof *w);
    time_date_format(day, w->id);
    w->kind = POLICY_RELEASE_SCHEDULED;
    w->status = POLICY_RELEASE_PLANNED;
    w->starts_at = start;
    w->ends_at = start + (int64_t)rules->release_duration_minutes * 60;
    w->announced_at = w->distributors_notified_at = w->released_at = POLICY_TIME_NONE;
    policy_release_derive(rules, w);
}

/* The windows of the shifted instances up to last_day that start in [from, to), in start
 * order, the earliest cap of them in out (*n_out). RC_ETOOBIG when some did not fit. */
static int place_windows(const struct policy_project *p, const struct instances *in,
                         int64_t last_day, int64_t from, int64_t to, struct policy_release *out,
                         size_t cap, size_t *n_out)
{
    const struct policy_zone *z = p->zone;
    size_t n = 0;
    int rc = 0;
    for (size_t i = 0; i < in->n && in->day[i] <= last_day; i++) {
        int64_t day = in->day[i], shifted = in->moved[i];
        if (shifted == MERGED)
            continue;
        int64_t start = policy_zone_local_to_utc(z, shifted, p->rules.release_minute);
        if (start < from || start >= to)
            continue;
        /* Kept in start order: a holiday can move an instance past later ones (a Friday holiday
         * goes to Monday, after a Saturday instance that stays). */
        size_t at = n;
        while (at > 0 && out[at - 1].starts_at > start)
            at--;
        if (n == cap) {
            rc = RC_ETOOBIG;
            if (at == cap) {
                /* Later than every window kept; instances only move forward, so once an
                 * unshifted one is that late, nothing earlier can come. */
                if (cap == 0 || policy_zone_local_to_utc(z, day, p->rules.release_minute) >=
                                    out[cap - 1].starts_at)
                    break;
                continue;
            }
            n--; /* the latest window kept drops out */
        }
        memmove(&out[at + 1], &out[at], (n - at) * sizeof *out);
        n++;
        make_window(&p->rules, day, start, &out[at]);
    }
    *n_out = n;
    return rc;
}

static int cadence_windows(const struct policy_project *p, int64_t from, int64_t to,
                           struct policy_release *out, size_t cap, size_t *n_out,
                           struct policy_release **grow)
{
    char err[160];
    struct icalrecurrencetype r;
    int rc;
    if (!p->zone)
        return RC_ENOTFOUND;
    if ((rc = parse_rule(p->rules.cadence, &r, err, sizeof err)) < 0)
        return rc == RC_ENOMATCH ? (*n_out = 0, 0) : rc;
    /* Local dates around [from, to), plus the holiday chains that reach into it and, after it,
     * the instances a shift must not land on. */
    int64_t first_day = chain_start(&p->rules, civil_day_of(from) - 1) - 1;
    int64_t last_day = civil_day_of(to) + 1, scan_end = reach_end(&p->rules, last_day);
    struct instances in = {0};
    rc = collect_instances(&r, p->rules.release_minute, first_day, scan_end, &in);
    rule_free(&r);
    if (rc < 0)
        return rc;
    if (grow) {
        cap = in.n;
        out = *grow = xcalloc(cap ? cap : 1, sizeof *out);
    }
    in.moved = xreallocarray(NULL, in.n ? in.n : 1, sizeof *in.moved);
    in.targets = xreallocarray(NULL, in.n ? in.n : 1, sizeof *in.targets);
    for (size_t i = 0; i < in.n; i++)
        in.moved[i] = shift_holiday(&p->rules, &in, i);
    rc = place_windows(p, &in, last_day, from, to, out, cap, n_out);
    free(in.day);
    free(in.moved);
    free(in.targets);
    return rc;
}

int policy_cadence_windows(const struct policy_project *p, int64_t from, int64_t to,
                           struct policy_release *out, size_t cap, size_t *n_out)
{
    return cadence_windows(p, from, to, out, cap, n_out, NULL);
}

int policy_cadence_windows_all(const struct policy_project *p, int64_t from, int64_t to,
                               struct policy_release **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    int rc = cadence_windows(p, from, to, NULL, 0, n_out, out);
    if (rc == 0 && !*out) /* a rule that never matches */
        *out = xcalloc(1, sizeof **out);
    if (rc < 0) {
        free(*out);
        *out = NULL;
        *n_out = 0;
    }
    return rc;
}
