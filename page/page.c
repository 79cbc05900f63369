/* The public schedule page. Upcoming releases with UTC and local times and the time remaining,
 * past releases with their versions and published advisories, the supported branches with their
 * end of life, the policy in plain words (the cadence too: policy/cadence_text.h), subscribe
 * links (webcal:// and https://, plus a copyable URL) and links to the machine-readable
 * advisories. Every table cell carries its column's name (data-label), which the narrow layout
 * shows in place of the hidden header row. */
#include "page/page.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/crypto.h"
#include "core/markup.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "policy/cadence_text.h"
#include "policy/zone.h"

/* The CSP allows this stylesheet by its SHA-256 (page_csp), computed from these bytes. */
static const char style[] =
    "*{box-sizing:border-box}"
    "body{font-family:system-ui,sans-serif;max-width:52rem;margin:0 auto;padding:1rem;"
    "color:#1a1a1a;background:#fff;line-height:1.5}"
    "h1{font-size:1.6rem}h2{font-size:1.3rem;margin-top:2rem;border-bottom:1px solid #ccc}"
    "h3{font-size:1.1rem;margin-top:1.5rem}"
    "table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}"
    "caption{text-align:left;font-weight:600;padding:.3rem 0}"
    "th,td{text-align:left;padding:.4rem;border-bottom:1px solid #ddd;vertical-align:top;"
    "overflow-wrap:break-word}th{background:#f2f2f2}"
    "td ul{margin:.3rem 0;padding-left:1.2rem}code{overflow-wrap:anywhere}"
    ".status{font-weight:600}"
    "input{display:block;width:100%;max-width:100%;font-family:monospace;padding:.3rem}"
    "a{color:#0645ad}"
    "@media (max-width:40rem){table,caption,tbody,tr,td{display:block;width:100%}"
    "thead tr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}"
    "tr{border-bottom:1px solid #bbb;padding:.3rem 0}td{border:0;padding:.15rem 0;"
    "overflow-wrap:anywhere}"
    "td::before{content:attr(data-label);display:block;font-size:.85rem;font-weight:600;"
    "color:#444}}";

/* Zones whose local time is UTC's: the page shows their time once. */
static bool zone_is_utc(const char *tz)
{
    static const char *const names[] = {"UTC",  "Etc/UTC",       "Etc/UCT",   "UCT", "Etc/Zulu",
                                        "Zulu", "Etc/Universal", "Universal", NULL};
    for (size_t i = 0; tz && names[i]; i++)
        if (strcmp(tz, names[i]) == 0)
            return true;
    return false;
}

/* <td data-label="...">: the narrow layout shows the label above the value. */
static void td(struct buf *b, const char *label, const char *cls)
{
    buf_appendf(b, "<td data-label=\"%s\"%s%s%s>", label, cls ? " class=\"" : "", cls ? cls : "",
                cls ? "\"" : "");
}

static void when(struct buf *b, const struct policy_zone *z, int64_t t)
{
    char utc[TIME_RFC3339_SIZE];
    time_rfc3339_format(t, utc);
    buf_append_str(b, "<time datetime=\"");
    buf_append_str(b, utc);
    buf_append_str(b, "\">");
    char text[TIME_UTC_TEXT_SIZE];
    time_utc_text(t, text);
    buf_append_str(b, text);
    if (z && !zone_is_utc(policy_zone_name(z))) {
        char local[POLICY_LOCAL_TEXT_SIZE];
        policy_zone_local_text(z, t, local);
        buf_append_str(b, "<br>");
        markup_escape(b, local);
    }
    buf_append_str(b, "</time>");
}

static void remaining(struct buf *b, int64_t t, int64_t now)
{
    int64_t d = t - now;
    if (d <= 0)
        buf_append_str(b, "now");
    else if (d >= 2 * SECONDS_PER_DAY)
        buf_appendf(b, "in %lld days", (long long)(d / SECONDS_PER_DAY));
    else
        buf_appendf(b, "in %lld hours", (long long)(d / 3600));
}

/* A published release's advisories (docs/POLICY.md "Disclosure"): title linked to its
 * advisory URL, CVE and GHSA, level, severity, fixed versions, summary, credits. */
static void advisories(struct buf *b, const struct calendar_public_release *r)
{
    if (!r->n_advisories)
        return;
    buf_append_str(b, "<ul>");
    for (size_t i = 0; i < r->n_advisories; i++) {
        const struct calendar_public_advisory *a = &r->advisories[i];
        buf_append_str(b, "<li class=\"advisory\">");
        if (a->url) {
            buf_append_str(b, "<a href=\"");
            markup_escape(b, a->url);
            buf_append_str(b, "\">");
            markup_escape(b, a->title);
            buf_append_str(b, "</a>");
        } else {
            markup_escape(b, a->title);
        }
        if (a->cve || a->ghsa) {
            buf_append_str(b, " (");
            markup_escape(b, a->cve ? a->cve : "");
            buf_append_str(b, a->cve && a->ghsa ? ", " : "");
            markup_escape(b, a->ghsa ? a->ghsa : "");
            buf_append_str(b, ")");
        }
        if (a->summary) {
            buf_append_str(b, ": ");
            markup_escape(b, a->summary);
        }
        if (a->vector) {
            buf_appendf(b, "<br>Severity: ");
            markup_escape(b, a->label ? a->label : "");
            buf_appendf(b, " %.1f (", a->score);
            markup_escape(b, a->level ? a->level : "");
            buf_append_str(b, "), <code>");
            markup_escape(b, a->vector);
            buf_append_str(b, "</code>");
        } else if (a->level) {
            buf_append_str(b, "<br>Level: ");
            markup_escape(b, a->level);
        }
        if (a->fixed) {
            buf_append_str(b, "<br>Fixed in: ");
            markup_escape(b, a->fixed);
        }
        if (a->credits) {
            buf_append_str(b, "<br>Credits: ");
            markup_escape(b, a->credits);
        }
        buf_append_str(b, "</li>");
    }
    buf_append_str(b, "</ul>");
}

static void versions(struct buf *b, const struct calendar_public_release *r)
{
    for (size_t i = 0; i < r->n_versions; i++) {
        buf_append_str(b, i ? ", " : "");
        markup_escape(b, r->versions[i].branch);
        buf_append_str(b, " ");
        markup_escape(b, r->versions[i].version);
    }
}

static void counts(struct buf *b, const struct calendar_public_release *r)
{
    if (!r->counts_known)
        return;
    buf_appendf(b, "%zu fix%s", r->fix_count, r->fix_count == 1 ? "" : "es");
    if (r->has_level)
        buf_appendf(b, ", highest level %s", policy_level_name(r->max_level));
}

static const char *kind_words(const struct calendar_public_release *r)
{
    return r->kind == POLICY_RELEASE_OUT_OF_SEQUENCE ? "out of sequence" : "scheduled";
}

/* A release's row up to its date cell: the row is the release's anchor (#id). */
static void row_start(struct buf *b, const struct calendar_public_release *r)
{
    buf_append_str(b, "<tr id=\"");
    markup_escape(b, r->id);
    buf_append_str(b, "\">");
    td(b, "Date and time", NULL);
    when(b, r->zone, r->starts_at);
    buf_append_str(b, "</td>");
}

static void upcoming_row(struct buf *b, const struct calendar_public_release *r, int64_t now)
{
    row_start(b, r);
    td(b, "Kind", NULL);
    buf_append_str(b, kind_words(r));
    buf_append_str(b, "</td>");
    td(b, "Status", "status");
    buf_append_str(b, policy_release_status_name(r->status));
    buf_append_str(b, "</td>");
    td(b, "Details", NULL);
    remaining(b, r->starts_at, now);
    if (r->counts_known) {
        buf_append_str(b, "<br>");
        counts(b, r);
    }
    if (r->n_versions) {
        buf_append_str(b, "<br>Versions: ");
        versions(b, r);
    }
    buf_append_str(b, "</td></tr>\n");
}

/* A past release: published ones with their versions, advisories and the CSAF document of the
 * release (docs/CONTRACT.md "Public page"). */
static void past_row(struct buf *b, const char *public_url, const struct calendar_public_release *r)
{
    bool published = r->status == POLICY_RELEASE_RELEASED;
    row_start(b, r);
    td(b, "Status", "status");
    buf_append_str(b, policy_release_status_name(r->status));
    buf_append_str(b, r->kind == POLICY_RELEASE_OUT_OF_SEQUENCE ? " (out of sequence)" : "");
    buf_append_str(b, "</td>");
    td(b, "Versions", NULL);
    versions(b, r);
    buf_append_str(b, "</td>");
    td(b, "Advisories", NULL);
    counts(b, r);
    advisories(b, r);
    if (published) {
        buf_append_str(b, r->counts_known && !r->n_advisories ? "<br>" : "");
        buf_append_str(b, "<a href=\"");
        markup_escape(b, public_url);
        buf_append_str(b, "/advisories/");
        markup_escape(b, r->project_id);
        buf_append_str(b, "/");
        markup_escape(b, r->id);
        buf_append_str(b, ".csaf.json\">CSAF advisory of release ");
        markup_escape(b, r->id);
        buf_append_str(b, "</a>");
    }
    buf_append_str(b, "</td></tr>\n");
}

static void table_head(struct buf *b, const char *branches_of, const char *caption,
                       const char *const *cols)
{
    buf_append_str(b, "<table");
    if (branches_of) {
        buf_append_str(b, " id=\"branches-");
        markup_escape(b, branches_of);
        buf_append_str(b, "\"");
    }
    buf_append_str(b, "><caption>");
    buf_append_str(b, caption);
    buf_append_str(b, "</caption><thead><tr>");
    for (size_t i = 0; cols[i]; i++)
        buf_appendf(b, "<th scope=\"col\">%s</th>", cols[i]);
    buf_append_str(b, "</tr></thead><tbody>\n");
}

/* The branches with their current version (the latest published, else the config's) and end
 * of life where the config gives one. */
static void branches(struct buf *b, const struct policy_project *p, int64_t now)
{
    if (!p->n_branches)
        return;
    static const char *const cols[] = {"Branch", "Current version", "End of life", NULL};
    table_head(b, p->id, "Branches", cols);
    int64_t today = now / SECONDS_PER_DAY - (now % SECONDS_PER_DAY < 0);
    for (size_t i = 0; i < p->n_branches; i++) {
        const struct policy_branch *br = &p->branches[i];
        buf_append_str(b, "<tr>");
        td(b, "Branch", NULL);
        markup_escape(b, br->name);
        buf_append_str(b, "</td>");
        td(b, "Current version", NULL);
        markup_escape(b, br->version);
        buf_append_str(b, "</td>");
        td(b, "End of life", NULL);
        if (br->eol_day == POLICY_TIME_NONE) {
            buf_append_str(b, "not announced");
        } else {
            char d[TIME_DATE_SIZE];
            time_date_format(br->eol_day, d);
            buf_appendf(b, "%s<time datetime=\"%s\">%s</time>", br->eol_day < today ? "ended " : "",
                        d, d);
        }
        buf_append_str(b, "</td></tr>\n");
    }
    buf_append_str(b, "</tbody></table>\n");
}

static void policy_words(struct buf *b, const struct policy_project *p)
{
    const struct policy_rules *r = &p->rules;
    char cadence[POLICY_CADENCE_TEXT_MAX];
    policy_cadence_text(r->cadence, r->release_minute, p->timezone, cadence, sizeof cadence);
    buf_append_str(b, "<h3>How releases are scheduled</h3><ul>");
    buf_append_str(b, "<li>Scheduled security releases: ");
    markup_escape(b, cadence);
    buf_appendf(b,
                ".</li><li>Fixes ready %d days before a release go into it; later ones wait for "
                "the next.</li><li>Each release is announced %d days before it, with the number "
                "of fixes and the highest severity, or as skipped when nothing is ready.</li>"
                "<li>An out-of-sequence release is announced at least %d days ahead and only "
                "for a %s issue.</li><li>Reports are acknowledged within %d hours, answered "
                "within %d days and resolved within %d days.</li>"
                "<li>Nothing about an issue is public before its release.</li></ul>\n",
                r->readiness_cutoff_days, r->pre_announcement_days, r->out_of_sequence_notice_days,
                policy_level_name(r->out_of_sequence_min_level), r->sla.acknowledge_hours,
                r->sla.respond_days, r->sla.resolve_days);
}

static void link(struct buf *b, const char *public_url, const char *path1, const char *id,
                 const char *path2, const char *text)
{
    buf_append_str(b, "<li><a href=\"");
    markup_escape(b, public_url);
    buf_append_str(b, path1);
    markup_escape(b, id);
    buf_append_str(b, path2);
    buf_appendf(b, "\">%s</a></li>", text);
}

static void subscribe(struct buf *b, const char *public_url, const char *id)
{
    struct buf url;
    buf_init(&url, 4096);
    buf_appendf(&url, "%s/feeds/%s.ics", public_url, id);
    const char *u = buf_cstr(&url);
    const char *rest = strstr(u, "://");
    rest = rest ? rest + 3 : u;
    buf_append_str(b, "<h3>Subscribe</h3><p><a href=\"webcal://");
    markup_escape(b, rest);
    buf_append_str(b, "\">Subscribe in your calendar app</a> or <a href=\"");
    markup_escape(b, u);
    buf_append_str(b, "\">download the iCalendar feed</a>.</p><p><label for=\"feed-");
    markup_escape(b, id);
    buf_append_str(b, "\">Feed URL to copy</label><input id=\"feed-");
    markup_escape(b, id);
    buf_append_str(b, "\" type=\"text\" readonly value=\"");
    markup_escape(b, u);
    buf_append_str(b, "\"></p>\n");
    buf_close(&url);
    buf_append_str(b, "<h3>Advisories for tools</h3><ul>");
    link(b, public_url, "/feeds/", id, "/advisories.atom", "Atom feed of published advisories");
    link(b, public_url, "/advisories/", id, "/all.json", "OSV advisories (JSON index)");
    buf_append_str(b, "</ul>\n");
}

static int by_start(const void *a, const void *b)
{
    const struct calendar_public_release *x = *(const struct calendar_public_release *const *)a;
    const struct calendar_public_release *y = *(const struct calendar_public_release *const *)b;
    return (x->starts_at > y->starts_at) - (x->starts_at < y->starts_at);
}

const char *page_csp(void)
{
    static char csp[256];
    if (!csp[0]) {
        uint8_t h[32];
        crypto_sha256(style, strlen(style), h);
        char *b64 = crypto_base64_encode(h, sizeof h);
        snprintf(csp, sizeof csp,
                 "default-src 'none'; style-src 'sha256-%s'; base-uri 'none'; "
                 "form-action 'none'; frame-ancestors 'none'",
                 b64);
        free(b64);
    }
    return csp;
}

static void head(struct buf *b, const char *title_prefix, const char *title)
{
    buf_append_str(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                      "<title>");
    if (title_prefix)
        markup_escape(b, title_prefix);
    buf_append_str(b, title);
    buf_append_str(b, "</title><style>");
    buf_append_str(b, style);
    buf_append_str(b, "</style></head><body><main>\n");
}

char *page_render_not_found(const char *public_url, size_t *len)
{
    struct buf b;
    buf_init(&b, 64 * 1024);
    head(&b, NULL, "Not found");
    buf_append_str(&b, "<h1>Not found</h1>\n<p>There is no project by that name here.</p>\n"
                       "<p><a href=\"");
    markup_escape(&b, public_url);
    buf_append_str(&b, "/\">Security releases of every project</a></p>\n"
                       "</main></body></html>\n");
    return buf_steal(&b, len);
}

char *page_render(const char *public_url, const struct policy_project *const *projects,
                  size_t n_projects, const struct calendar_public_release *rels, size_t n,
                  int64_t now, size_t *len)
{
    struct buf b;
    buf_init(&b, 64 * 1024 * 1024);
    head(&b, n_projects == 1 ? projects[0]->name : NULL,
         n_projects == 1 ? " security releases" : "Security releases");
    buf_append_str(&b, n_projects == 1 ? "<h1>" : "<h1>Security releases</h1>\n");
    if (n_projects == 1) {
        markup_escape(&b, projects[0]->name);
        buf_append_str(&b, " security releases</h1>\n");
    }
    const struct calendar_public_release **sorted = xcalloc(n + 1, sizeof *sorted);
    for (size_t i = 0; i < n; i++)
        sorted[i] = &rels[i];
    qsort(sorted, n, sizeof *sorted, by_start);
    for (size_t pi = 0; pi < n_projects; pi++) {
        const struct policy_project *p = projects[pi];
        buf_append_str(&b, "<section aria-labelledby=\"p-");
        markup_escape(&b, p->id);
        buf_append_str(&b, "\"><h2 id=\"p-");
        markup_escape(&b, p->id);
        buf_append_str(&b, "\">");
        markup_escape(&b, p->name);
        buf_append_str(&b, "</h2>\n");
        static const char *const up_cols[] = {"Date and time", "Kind", "Status", "Details", NULL};
        static const char *const past_cols[] = {"Date and time", "Status", "Versions", "Advisories",
                                                NULL};
        table_head(&b, NULL, "Upcoming releases", up_cols);
        for (size_t i = 0; i < n; i++)
            if (strcmp(sorted[i]->project_id, p->id) == 0 && sorted[i]->ends_at > now &&
                sorted[i]->status != POLICY_RELEASE_RELEASED)
                upcoming_row(&b, sorted[i], now);
        buf_append_str(&b, "</tbody></table>\n");
        table_head(&b, NULL, "Past releases", past_cols);
        for (size_t i = n; i-- > 0;)
            if (strcmp(sorted[i]->project_id, p->id) == 0 &&
                (sorted[i]->ends_at <= now || sorted[i]->status == POLICY_RELEASE_RELEASED))
                past_row(&b, public_url, sorted[i]);
        buf_append_str(&b, "</tbody></table>\n");
        branches(&b, p, now);
        policy_words(&b, p);
        subscribe(&b, public_url, p->id);
        buf_append_str(&b, "</section>\n");
    }
    free(sorted);
    buf_append_str(&b, "</main></body></html>\n");
    return buf_steal(&b, len);
}
