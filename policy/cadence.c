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
    } else if (by_present(r.by_week_no)) {
        /* libical's BYWEEKNO expansion gives wrong days (BYWEEKNO=1;BYDAY=MO yields a Tuesday)
         * and depends on where the expansion starts (docs/POLICY.md "Rules accepted"). */
        snprintf(err, err_len,
                 "BYWEEKNO is not supported: use BYMONTH with BYMONTHDAY, BYDAY or BYYEARDAY");
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

struct expansion {
    icalrecur_iterator *it;
    int iterations;
};

/* Starts the expansion at the anchor. When the rule has no COUNT (which counts from the
 * anchor), the iterator is moved forward to `skip_to_day` so that years of instances before the
 * range are not computed one by one; libical keeps the INTERVAL phase of the anchor. */
static int expansion_start(struct expansion *e, struct icalrecurrencetype *r, int minute,
                           int64_t skip_to_day)
{
    int64_t anchor = civil_to_days(POLICY_CADENCE_ANCHOR_YEAR, 1, 1);
    e->it = icalrecur_iterator_new(*r, policy__ical_time(anchor, (int64_t)minute * 60));
    e->iterations = 0;
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
    struct icaltimetype t = icalrecur_iterator_next(e->it);
    if (icaltime_is_null_time(t))
        return false;
    *day = civil_to_days(t.year, t.month, t.day);
    return true;
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
    icalrecur_iterator_free(e.it);
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

/* product.md: an instance on a holiday moves to the next Monday-Friday that is not one. */
static int64_t shift_holiday(const struct policy_rules *r, int64_t day)
{
    if (!is_holiday(r, day))
        return day;
    do
        day++;
    while (civil_weekday(day) > 5 || is_holiday(r, day));
    return day;
}

int policy_cadence_windows(const struct policy_project *p, int64_t from, int64_t to,
                           struct policy_release *out, size_t cap, size_t *n_out)
{
    const struct policy_zone *z;
    char err[160];
    struct icalrecurrencetype r;
    int rc = policy_zone_get(p->timezone, &z);
    if (rc < 0)
        return rc;
    if ((rc = parse_rule(p->rules.cadence, &r, err, sizeof err)) < 0)
        return rc == RC_ENOMATCH ? (*n_out = 0, 0) : rc;
    /* A holiday chain can push an instance forward by at most n_holidays + a weekend. */
    int64_t slack = (int64_t)p->rules.n_holidays + 3;
    int64_t first_day = civil_day_of(from) - slack - 1, last_day = civil_day_of(to) + 1;
    struct expansion e;
    if (expansion_start(&e, &r, p->rules.release_minute, first_day) < 0) {
        rule_free(&r);
        return RC_EPARSE;
    }
    size_t n = 0;
    int64_t day;
    rc = 0;
    while (expansion_next(&e, &day) && day <= last_day) {
        if (day < first_day)
            continue;
        int64_t shifted = shift_holiday(&p->rules, day);
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
        struct policy_release *w = &out[at];
        memset(w, 0, sizeof *w);
        time_date_format(day, w->id);
        w->kind = POLICY_RELEASE_SCHEDULED;
        w->status = POLICY_RELEASE_PLANNED;
        w->starts_at = start;
        w->ends_at = start + (int64_t)p->rules.release_duration_minutes * 60;
        w->announced_at = w->distributors_notified_at = w->released_at = POLICY_TIME_NONE;
        policy_release_derive(&p->rules, w);
    }
    icalrecur_iterator_free(e.it);
    rule_free(&r);
    *n_out = n;
    return rc;
}
