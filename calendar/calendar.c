/* Feed rendering with libical: components are built in a fixed order and serialised by
 * icalcomponent_as_ical_string_r, which folds lines at 75 octets on UTF-8 boundaries and
 * escapes TEXT values (RFC 5545 3.1, 3.3.11). Only UTC times are written, so no VTIMEZONE is
 * needed and no client misreads a zone. */
#include "calendar/calendar.h"

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "policy/zone.h"

#ifndef RELCAL_VERSION
#define RELCAL_VERSION "0"
#endif

void calendar_url_host(const char *url, char *out, size_t len)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    size_t n = strcspn(p, ":/?#");
    snprintf(out, len, "%.*s", (int)n, p);
}

static struct icaltimetype utc(int64_t t)
{
    return icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
}

/* X-properties are not escaped by libical 3.0.16: keep , ; \ and newlines out of them. */
static char *x_safe(const char *s)
{
    char *c = xstrdup(s ? s : "");
    for (char *p = c; *p; p++)
        if (*p == ',' || *p == ';' || *p == '\\' || *p == '\n' || *p == '\r')
            *p = ' ';
    return c;
}

static void add_x(icalcomponent *c, const char *name, const char *value)
{
    icalproperty *x = icalproperty_new_x(value);
    icalproperty_set_x_name(x, name);
    icalcomponent_add_property(c, x);
}

static void local_line(struct buf *b, const char *label, const struct policy_zone *z, int64_t t)
{
    char when[TIME_RFC3339_SIZE];
    time_rfc3339_format(t, when);
    if (!z) {
        buf_appendf(b, "%s: %s\n", label, when);
        return;
    }
    char local[POLICY_LOCAL_TEXT_SIZE];
    policy_zone_local_text(z, t, local);
    buf_appendf(b, "%s: %s (%s)\n", label, local, when);
}

static const char *summary_suffix(const struct calendar_public_release *r)
{
    switch (r->status) {
    case POLICY_RELEASE_SKIPPED:
        return " (skipped: no security release in this window)";
    case POLICY_RELEASE_CANCELLED:
        return " (cancelled)";
    default:
        return r->kind == POLICY_RELEASE_OUT_OF_SEQUENCE ? " (out of sequence)" : "";
    }
}

static void public_description(struct buf *b, const struct calendar_public_release *r)
{
    local_line(b, "Starts", r->zone, r->starts_at);
    buf_appendf(b, "Status: %s\n", policy_release_status_name(r->status));
    if (r->counts_known) {
        buf_appendf(b, "Fixes: %zu", r->fix_count);
        if (r->has_level)
            buf_appendf(b, ", highest level: %s", policy_level_name(r->max_level));
        buf_append_str(b, "\n");
    }
    if (r->n_versions) {
        buf_append_str(b, "Versions:");
        for (size_t i = 0; i < r->n_versions; i++)
            buf_appendf(b, " %s %s", r->versions[i].branch, r->versions[i].version);
        buf_append_str(b, "\n");
    }
    for (size_t i = 0; i < r->n_advisories; i++) {
        const struct calendar_public_advisory *a = &r->advisories[i];
        buf_appendf(b, "\nAdvisory: %s\n", a->title);
        if (a->cve || a->ghsa)
            buf_appendf(b, "  %s%s%s\n", a->cve ? a->cve : "", a->cve && a->ghsa ? " " : "",
                        a->ghsa ? a->ghsa : "");
        if (a->vector)
            buf_appendf(b, "  Severity: %s %.1f (%s) %s\n", a->label ? a->label : "", a->score,
                        a->level ? a->level : "", a->vector);
        else if (a->level)
            buf_appendf(b, "  Level: %s\n", a->level);
        if (a->fixed)
            buf_appendf(b, "  Fixed in: %s\n", a->fixed);
        if (a->summary)
            buf_appendf(b, "  %s\n", a->summary);
        if (a->credits)
            buf_appendf(b, "  Credits: %s\n", a->credits);
        if (a->url)
            buf_appendf(b, "  %s\n", a->url);
        if (a->published_at != POLICY_TIME_NONE && a->published_at != 0) {
            char when[TIME_RFC3339_SIZE];
            time_rfc3339_format(a->published_at, when);
            buf_appendf(b, "  Published: %s\n", when);
        }
    }
}

static icalproperty_status ical_status(enum policy_release_status s)
{
    switch (s) {
    case POLICY_RELEASE_PLANNED:
        return ICAL_STATUS_TENTATIVE;
    case POLICY_RELEASE_SKIPPED:
    case POLICY_RELEASE_CANCELLED:
        return ICAL_STATUS_CANCELLED;
    default:
        return ICAL_STATUS_CONFIRMED;
    }
}

static icalcomponent *event(const char *uid, int64_t stamp, int seq, int64_t start, int64_t end,
                            const char *summary, const char *description, const char *url)
{
    icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
    icalcomponent_add_property(ev, icalproperty_new_uid(uid));
    icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc(stamp)));
    icalcomponent_add_property(ev, icalproperty_new_lastmodified(utc(stamp)));
    icalcomponent_add_property(ev, icalproperty_new_sequence(seq));
    icalcomponent_add_property(ev, icalproperty_new_dtstart(utc(start)));
    icalcomponent_add_property(ev, icalproperty_new_dtend(utc(end)));
    icalcomponent_add_property(ev, icalproperty_new_summary(summary));
    if (description)
        icalcomponent_add_property(ev, icalproperty_new_description(description));
    icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
    if (url)
        icalcomponent_add_property(ev, icalproperty_new_url(url));
    return ev;
}

static struct icaltimetype date(int64_t days)
{
    struct icaltimetype t = icaltime_null_date();
    int64_t y;
    civil_from_days(days, &y, &t.month, &t.day);
    t.year = (int)y;
    return t;
}

/* An end of life is a day, not an instant: an all-day event (DTSTART;VALUE=DATE, DTEND the day
 * after, RFC 5545 3.6.1) shows on that day in every zone, transparent like the releases. */
static icalcomponent *eol_event(const struct calendar_options *o, const char *host,
                                const struct calendar_eol *e)
{
    char uid[512], url[1024], summary[512], description[512], day[TIME_DATE_SIZE];
    snprintf(uid, sizeof uid, "eol-%s.%s@%s", e->branch, e->project_id, host);
    snprintf(url, sizeof url, "%s/p/%s#branches-%s", o->public_url, e->project_id, e->project_id);
    snprintf(summary, sizeof summary, "%s %s end of life", e->project_name, e->branch);
    time_date_format(e->day, day);
    snprintf(description, sizeof description,
             "%s is the last day %s %s is supported: no security release ships a version for it "
             "after that day.\n",
             day, e->project_name, e->branch);
    icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
    icalcomponent_add_property(ev, icalproperty_new_uid(uid));
    icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc(e->last_modified)));
    icalcomponent_add_property(ev, icalproperty_new_lastmodified(utc(e->last_modified)));
    icalcomponent_add_property(ev, icalproperty_new_sequence(0));
    icalcomponent_add_property(ev, icalproperty_new_dtstart(date(e->day)));
    icalcomponent_add_property(ev, icalproperty_new_dtend(date(e->day + 1)));
    icalcomponent_add_property(ev, icalproperty_new_summary(summary));
    icalcomponent_add_property(ev, icalproperty_new_description(description));
    icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
    icalcomponent_add_property(ev, icalproperty_new_url(url));
    return ev;
}

char *calendar_render(const struct calendar_options *o, const struct calendar_public_release *rels,
                      size_t n, const char *const *private_text,
                      const struct calendar_team_event *team, size_t n_team, size_t *len)
{
    char host[256];
    calendar_url_host(o->public_url, host, sizeof host);
    icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
    icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
    icalcomponent_add_property(cal,
                               icalproperty_new_prodid("-//relcal//relcal " RELCAL_VERSION "//EN"));
    icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
    char *name = x_safe(o->name);
    add_x(cal, "X-WR-CALNAME", name);
    icalcomponent_add_property(cal, icalproperty_new_name(name));
    free(name);
    struct icaldurationtype ttl = icaldurationtype_from_int(o->ttl_minutes * 60);
    icalcomponent_add_property(cal, icalproperty_new_refreshinterval(ttl));
    char *ttl_s = icaldurationtype_as_ical_string_r(ttl);
    add_x(cal, "X-PUBLISHED-TTL", ttl_s);
    icalmemory_free_buffer(ttl_s);

    struct buf text;
    for (size_t i = 0; i < n; i++) {
        const struct calendar_public_release *r = &rels[i];
        char uid[512], url[1024], summary[512];
        snprintf(uid, sizeof uid, "release-%s.%s@%s", r->id, r->project_id, host);
        snprintf(url, sizeof url, "%s/p/%s#%s", o->public_url, r->project_id, r->id);
        /* "Acme 5.1.3 security release" where the versions are known (as Python's release
         * calendar names its events); "Acme 5.1.3 and 4.5.9 security release" for two. */
        char names[256] = "";
        for (size_t k = 0; k < r->n_versions; k++) {
            size_t used = strlen(names);
            snprintf(names + used, sizeof names - used, "%s%s",
                     !k                       ? " "
                     : k + 1 == r->n_versions ? " and "
                                              : ", ",
                     r->versions[k].version);
        }
        snprintf(summary, sizeof summary, "%s%s security release%s", r->project_name, names,
                 summary_suffix(r));
        buf_init(&text, 1 << 20);
        public_description(&text, r);
        if (private_text && private_text[i])
            buf_append_str(&text, private_text[i]);
        icalcomponent *ev = event(uid, r->last_modified, r->sequence, r->starts_at, r->ends_at,
                                  summary, buf_cstr(&text), url);
        icalcomponent_add_property(ev, icalproperty_new_status(ical_status(r->status)));
        icalcomponent_add_component(cal, ev);
        buf_close(&text);
    }
    for (size_t i = 0; i < n_team; i++) {
        const struct calendar_team_event *t = &team[i];
        char uid[512];
        snprintf(uid, sizeof uid, "%s@%s", t->uid_key, host);
        /* A deadline is a point in time: a 15-minute event at that instant shows in every
         * client's day and week views (all-day events would lose the hour). */
        icalcomponent_add_component(cal, event(uid, t->last_modified, t->sequence, t->at,
                                               t->at + 15 * 60, t->summary, t->description, NULL));
    }
    for (size_t i = 0; i < o->n_eol; i++)
        icalcomponent_add_component(cal, eol_event(o, host, &o->eol[i]));
    char *s = icalcomponent_as_ical_string_r(cal);
    icalcomponent_free(cal);
    char *out = xstrdup(s);
    icalmemory_free_buffer(s);
    *len = strlen(out);
    return out;
}
