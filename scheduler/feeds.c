/* Feed snapshots: the public projection of each release (the only code that reads private
 * fields on the way to a public feed), the team's and distributors' private text and events,
 * and the combined feed of every project. What each audience sees is decided by
 * policy/disclosure.h. */
#include <stdio.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/calendar.h"
#include "page/page.h"
#include "policy/disclosure.h"
#include "policy/releases.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/nelem.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "scheduler/advisories.h"
#include "scheduler/checklist.h"
#include "scheduler/feeds.h"
#include "scheduler/internal.h"

struct projection {
    struct calendar_public_release pub;
    struct calendar_public_advisory *adv;
    struct sched_advisory *sadv; /* what adv borrows from */
    size_t n_sadv;
    char **fixed; /* the "Fixed in" text of each advisory */
};

static void projection_free(struct projection *p)
{
    for (size_t i = 0; i < p->n_sadv; i++)
        free(p->fixed[i]);
    free(p->fixed);
    free(p->adv);
    sched_advisories_free(p->sadv, p->n_sadv);
}

/* The last-modified instant `audience` may see: every change of the row, or only the public
 * ones (a window's row written because a fix was batched or distributors were notified must not
 * move the public DTSTAMP); the project's epoch when there was none. */
static int64_t modified(enum policy_audience audience, const struct store_release *r, int64_t epoch)
{
    int64_t at = policy_disclosure_release(audience, &r->core).every_change ? r->updated_at
                                                                            : r->public_changed_at;
    return at > 0 ? at : epoch;
}

/* What the public may know of a release (policy/disclosure.h), for every feed and the page; the
 * team's and distributors' feeds add their private text to it. */
static void project_release(const struct sched_view *v, const struct store_release *r,
                            const struct sched_versions *versions, int64_t epoch,
                            struct projection *out)
{
    const struct policy_project *p = &v->project->policy;
    struct calendar_public_release *c = &out->pub;
    memset(out, 0, sizeof *out);
    c->project_id = p->id;
    c->project_name = p->name;
    c->zone = p->zone;
    snprintf(c->id, sizeof c->id, "%s", r->core.id);
    c->kind = r->core.kind;
    c->status = r->core.status;
    c->starts_at = r->core.starts_at;
    c->ends_at = r->core.ends_at;
    c->sequence = r->core.sequence;
    c->last_modified = modified(POLICY_AUDIENCE_PUBLIC, r, epoch);
    struct policy_release_visibility vis =
        policy_disclosure_release(POLICY_AUDIENCE_PUBLIC, &r->core);
    struct policy_issue *issues;
    size_t n = sched_release_issues(v, r->core.id, &issues);
    c->counts_known = vis.counts;
    if (vis.counts) {
        c->fix_count = n;
        c->has_level = policy_issues_max_level(issues, n, &c->max_level);
    }
    if (vis.versions) {
        c->n_versions = versions->n;
        memcpy(c->versions, versions->v, versions->n * sizeof versions->v[0]);
    }
    free(issues);
    if (!vis.advisories)
        return;
    out->n_sadv = sched_advisories(v, r, versions->v, versions->n, &out->sadv);
    if (!out->n_sadv)
        return;
    out->adv = xcalloc(out->n_sadv, sizeof *out->adv);
    out->fixed = xcalloc(out->n_sadv, sizeof *out->fixed);
    for (size_t k = 0; k < out->n_sadv; k++) {
        const struct sched_advisory *sa = &out->sadv[k];
        const struct store_issue *is = sa->is;
        const struct policy_issue_visibility *iv = &sa->iv;
        bool sev = is->core.has_severity;
        struct calendar_public_advisory *a = &out->adv[c->n_advisories++];
        a->title = iv->title && is->title ? is->title : "";
        a->cve = iv->cve ? is->cve : NULL;
        a->ghsa = iv->ghsa ? is->ghsa : NULL;
        a->summary = iv->summary ? is->public_summary : NULL;
        a->level = iv->level && sev ? policy_level_name(is->core.severity.level) : NULL;
        a->vector = iv->severity && sev ? is->core.severity.vector : NULL;
        a->score = iv->severity && sev ? is->core.severity.score : 0;
        a->label = iv->severity && sev ? is->core.severity.label : NULL;
        a->credits = iv->credits ? sa->credits_text : NULL;
        a->url = iv->advisory_url && sa->url[0] ? sa->url : NULL;
        a->published_at = iv->published ? is->core.released_at : POLICY_TIME_NONE;
        if (iv->versions && sa->n_fixed) {
            struct buf t; /* room for every branch's name and version */
            buf_init(&t, POLICY_BRANCHES_MAX * (2 * POLICY_ID_MAX + 16));
            for (size_t j = 0; j < sa->n_fixed; j++)
                buf_appendf(&t, "%s%s %s", j ? ", " : "", sa->fixed[j].branch,
                            sa->fixed[j].version ? sa->fixed[j].version : "(no version)");
            out->fixed[k] = buf_steal(&t, NULL);
            a->fixed = out->fixed[k];
        }
    }
    c->advisories = out->adv;
}

static char *team_text(const struct sched_view *v, const struct store_release *r)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    buf_append_str(&b, "\nTeam detail:\n");
    char t[TIME_RFC3339_SIZE];
    time_rfc3339_format(r->core.cutoff_at, t);
    buf_appendf(&b, "Cut-off: %s\n", t);
    time_rfc3339_format(r->core.distributor_notice_at, t);
    buf_appendf(&b, "Distributor notice: %s\n", t);
    if (r->override_reason[0])
        buf_appendf(&b, "Override: %s\n", r->override_reason);
    size_t *members;
    size_t n = sched__release_members(v, r->core.id, &members);
    for (size_t j = 0; j < n; j++) {
        const struct store_issue *is = &v->issues[members[j]];
        if (!policy_disclosure_issue(POLICY_AUDIENCE_TEAM, &r->core, &is->core).listed)
            continue;
        buf_appendf(&b, "#%lld %s [%s%s%s]\n", (long long)is->core.id, is->title,
                    policy_issue_status_name(is->core.status), is->core.has_severity ? ", " : "",
                    is->core.has_severity ? is->core.severity.label : "");
    }
    free(members);
    return buf_steal(&b, NULL);
}

/* What a notified distributor is entitled to (policy/disclosure.h): the embargoed list, never
 * the descriptions. */
static char *distributor_text(const struct sched_view *v, const struct store_release *r)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    char t[TIME_RFC3339_SIZE];
    time_rfc3339_format(r->core.starts_at, t);
    buf_appendf(&b, "\nEmbargoed until %s:\n", t);
    size_t *members;
    size_t n = sched__release_members(v, r->core.id, &members);
    for (size_t j = 0; j < n; j++) {
        const struct store_issue *is = &v->issues[members[j]];
        struct policy_issue_visibility iv =
            policy_disclosure_issue(POLICY_AUDIENCE_DISTRIBUTORS, &r->core, &is->core);
        if (!iv.listed)
            continue;
        buf_appendf(&b, "#%lld %s", (long long)is->core.id, iv.title ? is->title : "");
        if (iv.severity && is->core.has_severity)
            buf_appendf(&b, " [%s %.1f %s]", is->core.severity.vector, is->core.severity.score,
                        is->core.severity.label);
        if (iv.cve && is->cve)
            buf_appendf(&b, " %s", is->cve);
        buf_append_str(&b, "\n");
    }
    free(members);
    return buf_steal(&b, NULL);
}

struct team_events {
    struct calendar_team_event *v;
    size_t n, cap;
    char **owned; /* summaries we allocated */
};

static void team_add(struct team_events *t, const char *key, char *summary, int64_t at,
                     int64_t modified, int seq)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->v = xreallocarray(t->v, t->cap, sizeof *t->v);
        t->owned = xreallocarray(t->owned, t->cap, sizeof *t->owned);
    }
    struct calendar_team_event *e = &t->v[t->n];
    memset(e, 0, sizeof *e);
    snprintf(e->uid_key, sizeof e->uid_key, "%s", key);
    e->summary = summary;
    e->at = at;
    e->last_modified = modified;
    e->sequence = seq;
    t->owned[t->n++] = summary;
}

/* The ends of life of a project's branches for the feeds: those of the last 12 months and
 * later, as for releases. The config gives no instant of change, so DTSTAMP is the project's
 * epoch and stays byte-stable. */
static void add_eols(const struct policy_project *p, int64_t epoch, int64_t now,
                     struct calendar_eol **v, size_t *n)
{
    for (size_t b = 0; b < p->n_branches; b++) {
        const struct policy_branch *br = &p->branches[b];
        if (br->eol_day == POLICY_TIME_NONE || br->eol_day < civil_day_of(now) - 366)
            continue;
        *v = xreallocarray(*v, *n + 1, sizeof **v);
        (*v)[(*n)++] = (struct calendar_eol){.project_id = p->id,
                                             .project_name = p->name,
                                             .branch = br->name,
                                             .day = br->eol_day,
                                             .last_modified = epoch};
    }
}

/* The project as the page shows it: each branch at its current version (policy/releases.c). */
static void page_current_versions(const struct sched_view *v, const struct sched_versions *versions,
                                  struct policy_project *out)
{
    *out = v->project->policy;
    struct policy_shipped *shipped = xcalloc(v->n + 1, sizeof *shipped);
    size_t n = 0;
    for (size_t i = 0; i < v->n; i++)
        if (v->rels[i].core.status == POLICY_RELEASE_RELEASED)
            shipped[n++] =
                (struct policy_shipped){v->rels[i].core.starts_at, versions[i].v, versions[i].n};
    policy_current_versions(out, shipped, n);
    free(shipped);
}

/* One render's inputs, gathered project by project (sched_feed_render). */
struct feed_build {
    enum sched_feed kind;
    bool page;                     /* for the page: the public's, with current versions */
    enum policy_audience audience; /* whose feed: the page is the public's */
    struct projection *proj;
    char **priv; /* each release's private text for the audience, or NULL */
    size_t n, cap;
    struct team_events team;
    struct sched_view *views;
    size_t n_views;
    struct policy_project *page_projects; /* the page's: branches at their current versions */
    struct calendar_eol *eols;
    size_t n_eol;
};

/* The team's events of a release that is not final: cut-off, pre-announcement (scheduled
 * windows), distributor notice and reminder. */
static void team_release_events(struct team_events *team, const struct config_project *p,
                                const struct store_release *r, int64_t epoch)
{
    int64_t mod = modified(POLICY_AUDIENCE_TEAM, r, epoch);
    const struct {
        const char *what, *label;
        int64_t at;
    } ev[] = {{"cutoff", "readiness cut-off", r->core.cutoff_at},
              {"announce", "pre-announcement", r->core.announce_at},
              {"notice", "distributor notice", r->core.distributor_notice_at},
              {"reminder", "distributor reminder", r->core.reminder_at}};
    for (size_t k = 0; k < NELEM(ev); k++) {
        if (r->core.kind == POLICY_RELEASE_OUT_OF_SEQUENCE && k == 1)
            continue;
        char key[192];
        snprintf(key, sizeof key, "%s-%s.%s", ev[k].what, r->core.id, p->policy.id);
        team_add(team, key, xasprintf("%s: %s of %s", p->policy.name, ev[k].label, r->core.id),
                 ev[k].at, mod, r->core.sequence);
    }
}

/* A release in the feed: its public projection, the audience's private text, the distributors'
 * embargo event and the team's events. */
static int add_release(struct feed_build *fb, const struct sched_view *v,
                       const struct store_release *r, const struct sched_versions *versions,
                       int64_t epoch)
{
    const struct config_project *p = v->project;
    if (fb->n == fb->cap) {
        fb->cap = fb->cap ? 2 * fb->cap : 64;
        fb->proj = xreallocarray(fb->proj, fb->cap, sizeof *fb->proj);
        fb->priv = xreallocarray(fb->priv, fb->cap, sizeof *fb->priv);
    }
    size_t n = fb->n++;
    project_release(v, r, versions, epoch, &fb->proj[n]);
    bool detail = fb->audience != POLICY_AUDIENCE_PUBLIC &&
                  policy_disclosure_release(fb->audience, &r->core).issues;
    fb->proj[n].pub.last_modified = modified(fb->audience, r, epoch);
    fb->priv[n] = !detail                                ? NULL
                  : fb->audience == POLICY_AUDIENCE_TEAM ? team_text(v, r)
                                                         : distributor_text(v, r);
    if (detail && !fb->priv[n])
        return RC_ETOOBIG; /* the text did not fit: no feed rather than a cut one */
    if (fb->audience == POLICY_AUDIENCE_DISTRIBUTORS && detail && !policy_release_final(&r->core)) {
        char key[192];
        snprintf(key, sizeof key, "embargo-%s.%s", r->core.id, p->policy.id);
        team_add(&fb->team, key, xasprintf("%s: embargo ends (%s)", p->policy.name, r->core.id),
                 r->core.starts_at, modified(fb->audience, r, epoch), r->core.sequence);
    }
    if (fb->kind == SCHED_FEED_TEAM && !policy_release_final(&r->core))
        team_release_events(&fb->team, p, r, epoch);
    return 0;
}

/* The team's deadline events: every open issue's response deadlines not met yet. */
static void team_sla_events(struct team_events *team, const struct sched_view *v, int64_t now)
{
    const struct config_project *p = v->project;
    for (size_t i = 0; i < v->n_issues; i++) {
        const struct store_issue *is = &v->issues[i];
        if (is->core.status == POLICY_ISSUE_RELEASED || is->core.status == POLICY_ISSUE_REJECTED)
            continue;
        struct policy_sla_deadlines d;
        policy_issue_sla(&p->policy.rules, &is->core, now, &d);
        for (int k = 0; k < POLICY_SLA_COUNT; k++) {
            if (d.d[k].met_at != POLICY_TIME_NONE)
                continue;
            const char *sla = policy_sla_name((enum policy_sla_kind)k);
            char key[192];
            snprintf(key, sizeof key, "sla-%s-issue-%lld.%s", sla, (long long)is->core.id,
                     p->policy.id);
            team_add(team, key,
                     xasprintf("%s: %s deadline of issue #%lld", p->policy.name, sla,
                               (long long)is->core.id),
                     d.d[k].due, is->updated_at, is->core.sla_extension_days);
        }
    }
}

/* The event of task k's phase and due instant, unless an earlier task of the same phase and
 * instant made it already: "issue #3: Communication and release (4 tasks due)", the tasks'
 * titles as its description. */
static int task_event(struct team_events *team, const struct config_project *p,
                      const struct store_issue *is, const struct sched_checklist *c, size_t k)
{
    const struct sched_task *t = &c->v[k];
    size_t count = 0;
    int seq = t->sequence;
    for (size_t j = 0; j < c->n; j++) {
        const struct sched_task *u = &c->v[j];
        if (u->phase != t->phase || u->due_at != t->due_at || !sched__task_pending(is, u))
            continue;
        if (j < k)
            return 0; /* the event of this phase and instant is out already */
        count++;
        seq = u->sequence > seq ? u->sequence : seq;
    }
    char stamp[TIME_RFC3339_SIZE], compact[TIME_RFC3339_SIZE];
    time_rfc3339_format(t->due_at, stamp);
    size_t m = 0;
    for (const char *q = stamp; *q; q++)
        if (*q != '-' && *q != ':')
            compact[m++] = *q;
    compact[m] = '\0';
    char key[192];
    snprintf(key, sizeof key, "tasks-%s-%s-issue-%lld.%s", t->phase->id, compact,
             (long long)is->core.id, p->policy.id);
    /* The summary, then (after its NUL, in the same allocation the feed frees) the description:
     * the titles of the tasks, one a line. */
    struct buf text;
    buf_init(&text, 1 << 20);
    buf_appendf(&text, "%s: issue #%lld: %s (%zu task%s due)", p->policy.name,
                (long long)is->core.id, t->phase->title, count, count == 1 ? "" : "s");
    size_t summary_len = text.len;
    buf_append(&text, "", 1);
    for (size_t j = k, listed = 0; j < c->n; j++) {
        const struct sched_task *u = &c->v[j];
        if (u->phase == t->phase && u->due_at == t->due_at && sched__task_pending(is, u))
            buf_appendf(&text, "%s%s", listed++ ? "\n" : "", u->task->title);
    }
    char *summary = buf_steal(&text, NULL);
    if (!summary)
        return RC_ETOOBIG;
    team_add(team, key, summary, t->due_at, is->updated_at, seq);
    team->v[team->n - 1].description = summary + summary_len + 1;
    return 0;
}

/* Open checklist tasks with a due date: one 15-minute event per phase and due instant, like
 * the deadlines (VTODO is not shown by Google Calendar or Outlook subscriptions). */
static int team_task_events(struct sched *s, struct team_events *team, struct sched_view *v,
                            int64_t now)
{
    int rc = 0;
    for (size_t i = 0; i < v->n_issues && rc == 0; i++) {
        const struct store_issue *is = &v->issues[i];
        if (!checklist_active(&is->core, now))
            continue;
        struct sched_checklist c;
        if ((rc = sched__checklist(s, v, is, now, &c)) < 0)
            break;
        for (size_t k = 0; k < c.n && rc == 0; k++)
            if (sched__task_pending(is, &c.v[k]))
                rc = task_event(team, v->project, is, &c, k);
        sched__checklist_free(&c);
    }
    return rc;
}

/* A project's part of the render: its releases in the feed, its ends of life, and for the team
 * its deadlines and tasks. */
static int gather_project(struct sched *s, struct feed_build *fb, const struct config_project *p,
                          int64_t now)
{
    struct sched_view *v = &fb->views[fb->n_views++];
    /* Read only: a project the tick has not seen yet (a read-only command on a database without
     * it) is taken as first seen now, as the tick would record it. */
    int64_t epoch = now;
    int rc;
    if ((rc = sched_view_load(s, p, now, v)) < 0 ||
        (rc = store_project_epoch(s->store, p->policy.id, now, &epoch)) < 0)
        return rc;
    if (!fb->page && (fb->kind == SCHED_FEED_PUBLIC || fb->kind == SCHED_FEED_TEAM))
        add_eols(&p->policy, epoch, now, &fb->eols, &fb->n_eol);
    struct sched_versions *versions = sched_release_versions_all(v);
    if (fb->page_projects)
        page_current_versions(v, versions, &fb->page_projects[fb->n_views - 1]);
    for (size_t i = 0; i < v->n && rc == 0; i++) {
        const struct store_release *r = &v->rels[i];
        /* A past window without a row was never decided (it predates the project's epoch):
         * leave it out rather than show it as planned. */
        if (policy_release_in_feed(&r->core, now) && (v->stored[i] || r->core.ends_at >= now))
            rc = add_release(fb, v, r, &versions[i], epoch);
    }
    free(versions);
    if (rc == 0 && fb->kind == SCHED_FEED_TEAM) {
        team_sla_events(&fb->team, v, now);
        rc = team_task_events(s, &fb->team, v, now);
    }
    return rc;
}

/* The gathered build as an iCalendar feed. */
static int render_calendar(const struct sched *s, const struct feed_build *fb,
                           const struct config_project *only, char **out, size_t *len)
{
    char name[256];
    if (only)
        snprintf(name, sizeof name, "%s security releases%s", only->policy.name,
                 fb->kind == SCHED_FEED_TEAM           ? " (team)"
                 : fb->kind == SCHED_FEED_DISTRIBUTORS ? " (distributors)"
                                                       : "");
    else
        snprintf(name, sizeof name, "Security releases");
    struct calendar_options o = {.name = name,
                                 .public_url = s->cfg->public_url,
                                 .ttl_minutes = s->cfg->published_ttl_minutes,
                                 .eol = fb->eols,
                                 .n_eol = fb->n_eol};
    struct calendar_public_release *pubs = xcalloc(fb->n + 1, sizeof *pubs);
    for (size_t i = 0; i < fb->n; i++)
        pubs[i] = fb->proj[i].pub;
    *out = calendar_render(&o, pubs, fb->n, (const char *const *)fb->priv, fb->team.v, fb->team.n,
                           len);
    free(pubs);
    return *out ? 0 : RC_ETOOBIG;
}

/* The gathered build as the page. */
static int render_page(const struct sched *s, const struct feed_build *fb, int64_t now, char **out,
                       size_t *len)
{
    struct calendar_public_release *pubs = xcalloc(fb->n + 1, sizeof *pubs);
    for (size_t i = 0; i < fb->n; i++)
        pubs[i] = fb->proj[i].pub;
    const struct policy_project **ps = xcalloc(fb->n_views + 1, sizeof *ps);
    for (size_t i = 0; i < fb->n_views; i++)
        ps[i] = &fb->page_projects[i];
    *out = page_render(s->cfg->public_url, ps, fb->n_views, pubs, fb->n, now, len);
    free(ps);
    free(pubs);
    return *out ? 0 : RC_ETOOBIG;
}

static void feed_build_free(struct feed_build *fb)
{
    for (size_t i = 0; i < fb->n; i++) {
        projection_free(&fb->proj[i]);
        free(fb->priv[i]);
    }
    for (size_t i = 0; i < fb->team.n; i++)
        free(fb->team.owned[i]);
    free(fb->team.v);
    free(fb->team.owned);
    free(fb->proj);
    free(fb->priv);
    size_t n_issues = 0;
    for (size_t i = 0; i < fb->n_views; i++) {
        n_issues += fb->views[i].n_issues;
        sched_view_free(&fb->views[i]);
    }
    free(fb->views);
    free(fb->page_projects);
    free(fb->eols);
    /* A render's scratch of a large project is megabytes of small blocks; the views' issues
     * stay cached (scheduler/view.c), so give the scratch back rather than keep both. */
    if (n_issues > 1000)
        malloc_trim(0);
}

/* Gathers what `kind` may see of every project (or `only`); for the page, the public's with
 * each branch at its current version. */
static int gather(struct sched *s, const struct config_project *only, enum sched_feed kind,
                  bool page, int64_t now, struct feed_build *fb)
{
    *fb = (struct feed_build){
        .kind = kind,
        .page = page,
        .audience = kind == SCHED_FEED_TEAM           ? POLICY_AUDIENCE_TEAM
                    : kind == SCHED_FEED_DISTRIBUTORS ? POLICY_AUDIENCE_DISTRIBUTORS
                                                      : POLICY_AUDIENCE_PUBLIC,
        .views = xcalloc(s->cfg->n_projects, sizeof *fb->views),
        .page_projects = page ? xcalloc(s->cfg->n_projects, sizeof *fb->page_projects) : NULL,
    };
    int rc = 0;
    for (size_t pi = 0; pi < s->cfg->n_projects && rc == 0; pi++)
        if (!only || &s->cfg->projects[pi] == only)
            rc = gather_project(s, fb, &s->cfg->projects[pi], now);
    return rc;
}

int sched_feed_render(struct sched *s, const struct config_project *only, enum sched_feed kind,
                      int64_t now, char **out, size_t *len)
{
    struct feed_build fb;
    int rc = gather(s, only, kind, false, now, &fb);
    if (rc == 0)
        rc = render_calendar(s, &fb, only, out, len);
    feed_build_free(&fb);
    return rc;
}

int sched_page_render(struct sched *s, const struct config_project *only, int64_t now, char **out,
                      size_t *len)
{
    struct feed_build fb;
    int rc = gather(s, only, SCHED_FEED_PUBLIC, true, now, &fb);
    if (rc == 0)
        rc = render_page(s, &fb, now, out, len);
    feed_build_free(&fb);
    return rc;
}
