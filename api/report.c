/* Markdown incident report (see report.h). */
#include "api/report.h"

#include <string.h>

#include "api/assessment.h"
#include "core/buf.h"
#include "core/nelem.h"
#include "policy/checklist.h"

/* Inline text: one line, Markdown and HTML specials backslash-escaped. */
static void text(struct buf *b, const char *s)
{
    if (!s) {
        buf_append_str(b, "-");
        return;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\n' || *p == '\r' || *p == '\t')
            buf_append_str(b, " ");
        else if (*p < 0x20)
            continue;
        else if (strchr("\\`*_[]<>|~&#", *p)) {
            char e[3] = {'\\', (char)*p, 0};
            buf_append_str(b, e);
        } else
            buf_append(b, (const char *)p, 1);
    }
}

/* "2026-11-24T12:00:00Z" -> "2026-11-24 12:00 UTC"; "-" for null. */
static void when(struct buf *b, const json_t *t)
{
    const char *s = json_string_value(t);
    if (!s || strlen(s) < 16) {
        buf_append_str(b, "-");
        return;
    }
    buf_appendf(b, "%.10s %.5s UTC", s, s + 11);
}

static const char *str(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void field_value(struct buf *b, const json_t *v)
{
    if (json_is_true(v))
        buf_append_str(b, "yes");
    else if (json_is_false(v))
        buf_append_str(b, "no");
    else if (json_is_string(v))
        text(b, json_string_value(v));
    else
        buf_append_str(b, "_not recorded_");
}

static void field_line(struct buf *b, const struct api_assessment_field *f,
                       const json_t *assessment)
{
    buf_appendf(b, "- %s: ", f->label);
    field_value(b, json_object_get(assessment, f->name));
    buf_append_str(b, "\n");
}

/* The assessment fields that belong to a phase, under a "Summary" heading (none: nothing). */
static void summary(struct buf *b, const char *phase, const json_t *assessment)
{
    size_t n;
    const struct api_assessment_field *f = api_assessment_fields(&n);
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(f[i].phase, phase) != 0 || f[i].place != API_FIELD_LINE)
            continue;
        if (!any)
            buf_append_str(b, "\n**Summary**\n\n");
        any = true;
        field_line(b, &f[i], assessment);
    }
}

/* The text fields of a phase shown as sections at `place`; whether there were any. */
static bool sections(struct buf *b, const char *phase, enum api_field_place place,
                     const json_t *assessment)
{
    size_t n;
    const struct api_assessment_field *f = api_assessment_fields(&n);
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(f[i].phase, phase) != 0 || f[i].place != place)
            continue;
        any = true;
        buf_appendf(b, "\n### %s\n\n", f[i].label);
        field_value(b, json_object_get(assessment, f[i].name));
        buf_append_str(b, "\n");
    }
    return any;
}

static bool has_phase(const json_t *checklist, const char *id)
{
    size_t i;
    json_t *ph;
    json_array_foreach(json_object_get(checklist, "phases"), i, ph)
    {
        if (str(ph, "id") && strcmp(str(ph, "id"), id) == 0)
            return true;
    }
    return false;
}

static void tasks(struct buf *b, const json_t *list)
{
    size_t i;
    json_t *t;
    const char *group = NULL;
    json_array_foreach(list, i, t)
    {
        const char *g = str(t, "group");
        if (g && (!group || strcmp(g, group) != 0)) {
            buf_append_str(b, i ? "\n#### " : "#### ");
            text(b, checklist_group_title(g));
            buf_append_str(b, "\n\n");
        }
        group = g;
        enum checklist_state state = CHECKLIST_STATE_OPEN;
        enum checklist_kind kind = CHECKLIST_KIND_TASK;
        (void)checklist_state_parse(str(t, "state"), &state);
        (void)checklist_kind_parse(str(t, "kind"), &kind);
        bool done = state == CHECKLIST_STATE_DONE;
        bool na = state == CHECKLIST_STATE_NOT_APPLICABLE;
        bool decision = kind == CHECKLIST_KIND_DECISION;
        buf_appendf(b, "- [%s] ", done ? "x" : " ");
        if (na)
            buf_append_str(b, "~~");
        text(b, str(t, "title"));
        if (na)
            buf_append_str(b, "~~ (not applicable)");
        if (decision && !na) {
            buf_append_str(b, ": ");
            if (str(t, "decision"))
                text(b, str(t, "decision"));
            else
                buf_append_str(b, "_not decided_");
        }
        if (json_is_string(json_object_get(t, "due_at")) && !done && !na) {
            buf_append_str(b, ", due ");
            when(b, json_object_get(t, "due_at"));
            if (json_is_true(json_object_get(t, "overdue")))
                buf_append_str(b, " **overdue**");
        }
        if (done) {
            buf_append_str(b, ", done");
            if (json_is_string(json_object_get(t, "done_at"))) {
                buf_append_str(b, " ");
                when(b, json_object_get(t, "done_at"));
            }
            if (str(t, "by")) {
                buf_append_str(b, " by ");
                text(b, str(t, "by"));
            }
        }
        if (str(t, "evidence")) {
            buf_append_str(b, " (");
            text(b, str(t, "evidence"));
            buf_append_str(b, ")");
        }
        if (str(t, "note")) {
            buf_append_str(b, ": ");
            text(b, str(t, "note"));
        }
        buf_append_str(b, "\n");
    }
}

static void line(struct buf *b, const char *label, const json_t *t)
{
    buf_appendf(b, "- %s: ", label);
    when(b, t);
    buf_append_str(b, "\n");
}

/* The template's words for a level (the scheme's own label is shown beside them). */
static const char *level_words(const char *level)
{
    static const char *const words[][2] = {{"critical", "Critical"},
                                           {"high", "High"},
                                           {"medium", "Medium"},
                                           {"low", "Low"},
                                           {"none", "None (below Low)"}};
    for (size_t i = 0; level && i < NELEM(words); i++)
        if (strcmp(level, words[i][0]) == 0)
            return words[i][1];
    return NULL;
}

static void severity_line(struct buf *b, const json_t *sev)
{
    buf_append_str(b, "\n- Severity level: ");
    const char *w = json_is_object(sev) ? level_words(str(sev, "level")) : NULL;
    if (!w) {
        buf_append_str(b, "-");
        return;
    }
    buf_append_str(b, w);
    buf_append_str(b, " (");
    text(b, str(sev, "scheme"));
    buf_append_str(b, ": ");
    text(b, str(sev, "label"));
    buf_append_str(b, ")");
}

/* "7 days 6 hours", "1 day", "3 hours", "less than an hour". */
static void duration(struct buf *b, long long s)
{
    long long d = s / 86400, h = s % 86400 / 3600;
    if (d)
        buf_appendf(b, "%lld day%s", d, d == 1 ? "" : "s");
    if (h)
        buf_appendf(b, "%s%lld hour%s", d ? " " : "", h, h == 1 ? "" : "s");
    if (!d && !h)
        buf_append_str(b, "less than an hour");
}

static void percent(struct buf *b, const json_t *share)
{
    buf_appendf(b, "%g %%", json_number_value(share) * 100);
}

static void adoption_line(struct buf *b, const json_t *a)
{
    buf_append_str(b, "- Time to 50 % adoption: ");
    const json_t *secs = json_object_get(a, "seconds_to_half");
    if (!json_is_string(json_object_get(a, "published_at"))) {
        buf_append_str(b, "the release is not published yet\n");
        return;
    }
    if (json_is_integer(secs)) {
        duration(b, (long long)json_integer_value(secs));
        buf_append_str(b, " (50 % reached ");
        when(b, json_object_get(a, "half_at"));
        buf_append_str(b, ")\n");
        return;
    }
    const json_t *figures = json_object_get(a, "figures");
    size_t n = json_array_size(figures);
    buf_append_str(b, "not reached yet");
    if (n) {
        const json_t *last = json_array_get(figures, n - 1);
        buf_append_str(b, " (latest: ");
        percent(b, json_object_get(last, "share"));
        buf_append_str(b, " on ");
        when(b, json_object_get(last, "at"));
        buf_append_str(b, ")");
    } else {
        buf_append_str(b, " (no adoption figures recorded)");
    }
    buf_append_str(b, "\n");
}

static void contacts(struct buf *b, const json_t *list)
{
    buf_append_str(b, "\n## Emergency contacts\n\n");
    if (!json_array_size(list)) {
        buf_append_str(b, "_none configured_\n");
        return;
    }
    size_t i;
    json_t *c;
    json_array_foreach(list, i, c)
    {
        buf_append_str(b, "- ");
        text(b, str(c, "name"));
        if (str(c, "role")) {
            buf_append_str(b, " (");
            text(b, str(c, "role"));
            buf_append_str(b, ")");
        }
        const char *sep = ": ";
        if (str(c, "email")) {
            buf_append_str(b, sep);
            text(b, str(c, "email"));
            sep = ", ";
        }
        if (str(c, "phone")) {
            buf_append_str(b, sep);
            text(b, str(c, "phone"));
        }
        buf_append_str(b, "\n");
    }
}

/* The heading and the issue's summary lines, then its report (the description). */
static void report_head(struct buf *b, const struct api_report_input *in)
{
    const json_t *issue = in->issue, *checklist = in->checklist;
    buf_appendf(b, "# Security incident report: issue #%lld\n\n",
                (long long)json_integer_value(json_object_get(issue, "id")));
    buf_append_str(b, "- Project: ");
    text(b, in->project_name);
    buf_append_str(b, "\n- Title: ");
    text(b, str(issue, "title"));
    buf_append_str(b, "\n- Status: ");
    text(b, str(issue, "status"));
    json_t *sev = json_object_get(issue, "severity");
    severity_line(b, sev);
    buf_append_str(b, "\n- Score: ");
    if (json_is_number(json_object_get(sev, "score")))
        buf_appendf(b, "%g (", json_number_value(json_object_get(sev, "score")));
    text(b, json_is_object(sev) ? str(sev, "vector") : NULL);
    if (json_is_number(json_object_get(sev, "score")))
        buf_append_str(b, ")");
    buf_append_str(b, "\n- CVE: ");
    text(b, str(issue, "cve"));
    buf_append_str(b, "\n- GitHub Security Advisory: ");
    text(b, str(issue, "ghsa"));
    buf_append_str(b, "\n- Release: ");
    text(b, str(issue, "release"));
    buf_appendf(b, "\n- Open tasks: %lld, overdue: %lld\n",
                (long long)json_integer_value(json_object_get(checklist, "open")),
                (long long)json_integer_value(json_object_get(checklist, "overdue")));
    if (str(issue, "description")) {
        buf_append_str(b, "\n## Report\n\n");
        text(b, str(issue, "description"));
        buf_append_str(b, "\n");
    }
}

/* One section per checklist phase: the assessment fields placed before its tasks, the tasks,
 * their summary and the fields placed after. */
static void report_phases(struct buf *b, const json_t *checklist, const json_t *assessment)
{
    size_t i;
    json_t *ph;
    json_array_foreach(json_object_get(checklist, "phases"), i, ph)
    {
        buf_appendf(b, "\n## Phase %zu: ", i + 1);
        text(b, str(ph, "title"));
        buf_append_str(b, "\n");
        const char *pid = str(ph, "id") ? str(ph, "id") : "";
        if (sections(b, pid, API_FIELD_BEFORE, assessment))
            buf_append_str(b, "\n### Tasks\n");
        buf_append_str(b, "\n");
        tasks(b, json_object_get(ph, "tasks"));
        summary(b, pid, assessment);
        sections(b, pid, API_FIELD_AFTER, assessment);
    }
}

/* Assessment fields whose phase the project's template does not have: only what was recorded
 * (the template has no place for the rest). */
static void report_orphan_fields(struct buf *b, const json_t *checklist, const json_t *assessment)
{
    size_t nf;
    const struct api_assessment_field *f = api_assessment_fields(&nf);
    bool header = false;
    for (size_t k = 0; k < nf; k++) {
        if (has_phase(checklist, f[k].phase) || f[k].place == API_FIELD_COMMUNICATION ||
            !json_object_get(assessment, f[k].name))
            continue;
        if (!header)
            buf_append_str(b, "\n## Assessment record\n\n");
        header = true;
        if (f[k].place != API_FIELD_LINE) {
            buf_appendf(b, "- %s (%s): ", f[k].label, f[k].phase);
            field_value(b, json_object_get(assessment, f[k].name));
            buf_append_str(b, "\n");
        } else {
            field_line(b, &f[k], assessment);
        }
    }
}

/* The release, who was told when, the versions, the communication fields and adoption. */
static void report_communication(struct buf *b, const struct api_report_input *in)
{
    const json_t *release = in->release;
    buf_append_str(b, "\n## Communication record\n\n");
    if (json_is_object(release)) {
        buf_append_str(b, "- Release: ");
        text(b, str(release, "id"));
        buf_append_str(b, " (");
        text(b, str(release, "kind"));
        buf_append_str(b, ", ");
        text(b, str(release, "status"));
        buf_append_str(b, ")\n");
        line(b, "Release date", json_object_get(release, "starts_at"));
        line(b, "Distributors notified", json_object_get(release, "distributors_notified_at"));
        line(b, "Publicly announced", json_object_get(release, "announced_at"));
        line(b, "Security release published", json_object_get(release, "released_at"));
        size_t k;
        json_t *v;
        json_array_foreach(json_object_get(release, "versions"), k, v)
        {
            buf_append_str(b, "- Fixed in ");
            text(b, str(v, "branch"));
            buf_append_str(b, " ");
            text(b, str(v, "version"));
            buf_append_str(b, "\n");
        }
    } else {
        buf_append_str(b, "- Release: not scheduled yet\n");
    }
    size_t nf;
    const struct api_assessment_field *f = api_assessment_fields(&nf);
    for (size_t k = 0; k < nf; k++)
        if (f[k].place == API_FIELD_COMMUNICATION)
            field_line(b, &f[k], in->assessment);
    adoption_line(b, in->adoption);
}

/* The issue's and its release's instants, and its deadlines. */
static void report_timeline(struct buf *b, const json_t *issue, const json_t *release)
{
    buf_append_str(b, "\n## Timeline\n\n");
    line(b, "Reported", json_object_get(issue, "reported_at"));
    line(b, "Acknowledged", json_object_get(issue, "acknowledged_at"));
    line(b, "First response", json_object_get(issue, "responded_at"));
    line(b, "Fix ready", json_object_get(issue, "fix_ready_at"));
    line(b, "Released", json_object_get(issue, "released_at"));
    json_t *sla = json_object_get(issue, "sla");
    line(b, "Acknowledge deadline", json_object_get(sla, "acknowledge_due"));
    line(b, "Response deadline", json_object_get(sla, "respond_due"));
    line(b, "Resolution deadline", json_object_get(sla, "resolve_due"));
    if (json_is_object(release)) {
        line(b, "Readiness cut-off", json_object_get(release, "cutoff_at"));
        line(b, "Distributor notice", json_object_get(release, "distributor_notice_at"));
        line(b, "Pre-announcement", json_object_get(release, "announce_at"));
    }
}

char *api_report_markdown(const struct api_report_input *in)
{
    struct buf b;
    buf_init(&b, 4 << 20);
    report_head(&b, in);
    report_phases(&b, in->checklist, in->assessment);
    report_orphan_fields(&b, in->checklist, in->assessment);
    report_communication(&b, in);
    report_timeline(&b, in->issue, in->release);
    contacts(&b, in->contacts);
    return buf_steal(&b, NULL);
}
