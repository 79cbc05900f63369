/* Markdown incident report (see report.h). */
#include "api/report.h"

#include <string.h>

#include "api/assessment.h"
#include "core/buf.h"

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
        if (strcmp(f[i].phase, phase) != 0)
            continue;
        if (!any)
            buf_append_str(b, "\n**Summary**\n\n");
        any = true;
        field_line(b, &f[i], assessment);
    }
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
    json_array_foreach(list, i, t)
    {
        const char *state = str(t, "state");
        bool done = state && strcmp(state, "done") == 0;
        bool na = state && strcmp(state, "not_applicable") == 0;
        buf_appendf(b, "- [%s] ", done ? "x" : " ");
        if (na)
            buf_append_str(b, "~~");
        text(b, str(t, "title"));
        if (na)
            buf_append_str(b, "~~ (not applicable)");
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

char *api_report_markdown(const char *project_name, const json_t *issue, const json_t *release,
                          const json_t *checklist, const json_t *assessment)
{
    struct buf b;
    buf_init(&b, 4 << 20);
    buf_appendf(&b, "# Security incident report: issue #%lld\n\n",
                (long long)json_integer_value(json_object_get(issue, "id")));
    buf_append_str(&b, "- Project: ");
    text(&b, project_name);
    buf_append_str(&b, "\n- Title: ");
    text(&b, str(issue, "title"));
    buf_append_str(&b, "\n- Status: ");
    text(&b, str(issue, "status"));
    json_t *sev = json_object_get(issue, "severity");
    buf_append_str(&b, "\n- Severity level: ");
    text(&b, json_is_object(sev) ? str(sev, "label") : NULL);
    buf_append_str(&b, "\n- Score: ");
    if (json_is_number(json_object_get(sev, "score")))
        buf_appendf(&b, "%g (", json_number_value(json_object_get(sev, "score")));
    text(&b, json_is_object(sev) ? str(sev, "vector") : NULL);
    if (json_is_number(json_object_get(sev, "score")))
        buf_append_str(&b, ")");
    buf_append_str(&b, "\n- CVE: ");
    text(&b, str(issue, "cve"));
    buf_append_str(&b, "\n- GitHub Security Advisory: ");
    text(&b, str(issue, "ghsa"));
    buf_append_str(&b, "\n- Release: ");
    text(&b, str(issue, "release"));
    buf_appendf(&b, "\n- Open tasks: %lld, overdue: %lld\n",
                (long long)json_integer_value(json_object_get(checklist, "open")),
                (long long)json_integer_value(json_object_get(checklist, "overdue")));
    if (str(issue, "description")) {
        buf_append_str(&b, "\n## Report\n\n");
        text(&b, str(issue, "description"));
        buf_append_str(&b, "\n");
    }
    size_t i;
    json_t *ph;
    json_array_foreach(json_object_get(checklist, "phases"), i, ph)
    {
        buf_appendf(&b, "\n## Phase %zu: ", i + 1);
        text(&b, str(ph, "title"));
        buf_append_str(&b, "\n\n");
        tasks(&b, json_object_get(ph, "tasks"));
        if (str(ph, "id"))
            summary(&b, str(ph, "id"), assessment);
    }
    /* Assessment fields whose phase the project's template does not have. */
    size_t nf;
    const struct api_assessment_field *f = api_assessment_fields(&nf);
    bool header = false;
    for (size_t k = 0; k < nf; k++) {
        if (has_phase(checklist, f[k].phase))
            continue;
        if (!header)
            buf_append_str(&b, "\n## Assessment record\n\n");
        header = true;
        field_line(&b, &f[k], assessment);
    }
    buf_append_str(&b, "\n## Communication record\n\n");
    if (json_is_object(release)) {
        buf_append_str(&b, "- Release: ");
        text(&b, str(release, "id"));
        buf_append_str(&b, " (");
        text(&b, str(release, "kind"));
        buf_append_str(&b, ", ");
        text(&b, str(release, "status"));
        buf_append_str(&b, ")\n");
        line(&b, "Release date", json_object_get(release, "starts_at"));
        line(&b, "Distributors notified", json_object_get(release, "distributors_notified_at"));
        line(&b, "Publicly announced", json_object_get(release, "announced_at"));
        line(&b, "Security release published", json_object_get(release, "released_at"));
        size_t k;
        json_t *v;
        json_array_foreach(json_object_get(release, "versions"), k, v)
        {
            buf_append_str(&b, "- Fixed in ");
            text(&b, str(v, "branch"));
            buf_append_str(&b, " ");
            text(&b, str(v, "version"));
            buf_append_str(&b, "\n");
        }
    } else {
        buf_append_str(&b, "- Release: not scheduled yet\n");
    }
    buf_append_str(&b, "\n## Timeline\n\n");
    line(&b, "Reported", json_object_get(issue, "reported_at"));
    line(&b, "Acknowledged", json_object_get(issue, "acknowledged_at"));
    line(&b, "First response", json_object_get(issue, "responded_at"));
    line(&b, "Fix ready", json_object_get(issue, "fix_ready_at"));
    line(&b, "Released", json_object_get(issue, "released_at"));
    json_t *sla = json_object_get(issue, "sla");
    line(&b, "Acknowledge deadline", json_object_get(sla, "acknowledge_due"));
    line(&b, "Response deadline", json_object_get(sla, "respond_due"));
    line(&b, "Resolution deadline", json_object_get(sla, "resolve_due"));
    if (json_is_object(release)) {
        line(&b, "Readiness cut-off", json_object_get(release, "cutoff_at"));
        line(&b, "Distributor notice", json_object_get(release, "distributor_notice_at"));
        line(&b, "Pre-announcement", json_object_get(release, "announce_at"));
    }
    return buf_steal(&b, NULL);
}
