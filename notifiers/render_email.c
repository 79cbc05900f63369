/* The e-mail renderer (see render.h): an RFC 5322 message whose subject says in words what
 * happens to which release, when, and how many issues, and whose body gives the embargo end and
 * every issue a distributor needs (docs/CONTRACT.md "E-mail"). Every line ends in CRLF and no
 * header carries CR or LF. */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/crypto.h"
#include "core/nelem.h"
#include "core/timeutil.h"
#include "notifiers/render.h"
#include "notifiers/render_internal.h"
#include "policy/disclosure.h"

/* RFC 2047 encoded-word for a header that may carry UTF-8. */
static void header_text(struct buf *b, const char *s)
{
    bool ascii = true;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p >= 0x80 || *p == '\r' || *p == '\n')
            ascii = false;
    if (ascii) {
        buf_append_str(b, s);
        return;
    }
    char *enc = crypto_base64_encode((const uint8_t *)s, strlen(s));
    buf_appendf(b, "=?UTF-8?B?%s?=", enc);
    free(enc);
}

/* The message with every line ending CRLF: a bare CR or LF (from a multi-line payload field or
 * the project name) becomes CRLF, so no bare line ending reaches the SMTP DATA. No dot-stuffing
 * here: libcurl doubles a "." that follows CRLF when it uploads the DATA (docs/CONTRACT.md). */
static char *crlf_only(struct buf *b)
{
    if (buf_error(b)) { /* the message did not fit: none rather than a cut one */
        buf_close(b);
        return NULL;
    }
    const char *s = buf_cstr(b);
    struct buf out;
    buf_init(&out, 2 * b->len + 1);
    for (const char *p = s; *p;) {
        size_t n = strcspn(p, "\r\n");
        buf_append(&out, p, n);
        p += n;
        if (*p) {
            buf_append_str(&out, "\r\n");
            p += p[0] == '\r' && p[1] == '\n' ? 2 : 1;
        }
    }
    buf_close(b);
    return buf_steal(&out, NULL);
}

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* "5.1.3 / 4.4.13", or the release id when no version is known. */
static void versions_text(struct buf *b, json_t *rel)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(rel, "versions"), i, v)
    {
        buf_appendf(b, "%s%s", i ? " / " : "", str(v, "version"));
    }
    if (!json_array_size(json_object_get(rel, "versions")))
        buf_append_str(b, str(rel, "id") ? str(rel, "id") : "");
}

/* The subject in words (docs/CONTRACT.md): "Embargoed security release 5.1.3 on 2027-02-09
 * 13:00 UTC: 2 issues", and the same style for every other release message. */
static void subject_text(struct buf *b, const char *type, json_t *data, json_t *rel)
{
    if (!json_is_object(rel)) {
        buf_append_str(b, notify__headline(type));
        if (json_is_integer(json_object_get(data, "issue")))
            buf_appendf(b, ": issue #%lld",
                        (long long)json_integer_value(json_object_get(data, "issue")));
        return;
    }
    json_t *issues = json_object_get(data, "issues");
    size_t n = json_array_size(issues);
    static const struct {
        const char *type, *before, *after; /* around "security release V" */
        bool date, count;
    } forms[] = {
        {"release.distributor_notice", "Embargoed s", "", true, true},
        {"release.distributor_update", "Update: embargoed s", "", true, true},
        {"release.distributor_reminder", "Reminder: embargoed s", "", true, true},
        {"release.published", "S", " published", false, true},
        {"release.rescheduled", "S", " rescheduled to", true, false},
        {"release.cancelled", "S", " cancelled, was", true, false},
        {"release.announced", "S", "", true, false},
        {"release.skipped", "No s", " in the window of", true, false},
    };
    for (size_t k = 0; k < NELEM(forms); k++) {
        if (strcmp(forms[k].type, type) != 0)
            continue;
        buf_appendf(b, "%security release ", forms[k].before);
        versions_text(b, rel);
        buf_append_str(b, forms[k].after);
        if (forms[k].date) {
            buf_append_str(b, *forms[k].after ? " " : " on ");
            notify__utc_text(b, str(rel, "starts_at"));
        }
        if (forms[k].count && json_is_array(issues))
            buf_appendf(b, ": %zu issue%s", n, n == 1 ? "" : "s");
        return;
    }
    buf_appendf(b, "%s (%s)", notify__headline(type), str(rel, "id") ? str(rel, "id") : "");
}

/* An issue as distributors need it: status, severity, ids, branches, fixed versions, summary. */
static void issue_text(struct buf *b, struct buf *line, json_t *is, json_t *rel)
{
    buf_appendf(b, "\r\n#%lld %s\r\n", (long long)json_integer_value(json_object_get(is, "id")),
                notify__one_line(line, str(is, "title")));
    const char *status = str(is, "status");
    enum policy_issue_status st = POLICY_ISSUE_REPORTED;
    if (status && policy_issue_status_parse(status, &st) < 0)
        st = POLICY_ISSUE_REPORTED; /* shown as not ready, as any other status */
    if (status)
        buf_appendf(b, "  Status: %s\r\n",
                    st == POLICY_ISSUE_FIX_READY  ? "fix ready"
                    : st == POLICY_ISSUE_RELEASED ? "released"
                                                  : "fix not ready yet");
    json_t *sev = json_object_get(is, "severity");
    if (json_is_object(sev)) {
        buf_appendf(b, "  Severity: %s", notify__one_line(line, str(sev, "vector")));
        json_t *score = json_object_get(sev, "score");
        if (json_is_number(score))
            buf_appendf(b, " %g", json_number_value(score));
        buf_appendf(b, " %s\r\n", notify__one_line(line, str(sev, "label")));
    }
    if (str(is, "cve"))
        buf_appendf(b, "  CVE: %s\r\n", notify__one_line(line, str(is, "cve")));
    if (str(is, "ghsa"))
        buf_appendf(b, "  GHSA: %s\r\n", notify__one_line(line, str(is, "ghsa")));
    size_t i, k;
    json_t *br, *v;
    json_array_foreach(json_object_get(is, "branches"), i, br)
    {
        buf_appendf(b, "%s%s",
                    i ? ", " : "  Affects: ", notify__one_line(line, json_string_value(br)));
        /* The version of this release that fixes the branch, where the release ships one. */
        json_array_foreach(json_object_get(rel, "versions"), k, v)
        {
            const char *bn = str(v, "branch");
            if (bn && json_string_value(br) && strcmp(bn, json_string_value(br)) == 0)
                buf_appendf(b, " (fixed in %s)", notify__one_line(line, str(v, "version")));
        }
    }
    if (json_array_size(json_object_get(is, "branches")))
        buf_append_str(b, "\r\n");
    if (str(is, "public_summary"))
        buf_appendf(b, "  Summary: %s\r\n", notify__one_line(line, str(is, "public_summary")));
}

/* A published advisory for readers who get no issue list (the public): its public fields. */
static void advisory_text(struct buf *b, struct buf *line, json_t *a)
{
    buf_appendf(b, "\r\n%s\r\n", notify__one_line(line, str(a, "title")));
    if (str(a, "cve") || str(a, "ghsa")) {
        buf_append_str(b, "  ");
        if (str(a, "cve"))
            buf_appendf(b, "%s%s", notify__one_line(line, str(a, "cve")),
                        str(a, "ghsa") ? " " : "");
        if (str(a, "ghsa"))
            buf_append_str(b, notify__one_line(line, str(a, "ghsa")));
        buf_append_str(b, "\r\n");
    }
    json_t *sev = json_object_get(a, "severity");
    if (json_is_object(sev)) {
        buf_appendf(b, "  Severity: %s", notify__one_line(line, str(sev, "vector")));
        if (json_is_number(json_object_get(sev, "score")))
            buf_appendf(b, " %g", json_number_value(json_object_get(sev, "score")));
        buf_appendf(b, " %s\r\n", notify__one_line(line, str(sev, "label")));
    }
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(a, "versions"), i, v)
    {
        if (str(v, "fixed"))
            buf_appendf(b, "%s%s %s",
                        i ? ", " : "  Fixed in: ", notify__one_line(line, str(v, "branch")),
                        str(v, "fixed"));
    }
    if (json_array_size(json_object_get(a, "versions")))
        buf_append_str(b, "\r\n");
    if (str(a, "summary"))
        buf_appendf(b, "  Summary: %s\r\n", notify__one_line(line, str(a, "summary")));
    json_array_foreach(json_object_get(a, "credits"), i, v)
    {
        buf_appendf(b, "%s%s", i ? ", " : "  Credits: ", notify__one_line(line, str(v, "name")));
        if (str(v, "role"))
            buf_appendf(b, " (%s)", notify__one_line(line, str(v, "role")));
    }
    if (json_array_size(json_object_get(a, "credits")))
        buf_append_str(b, "\r\n");
    if (str(a, "advisory_url"))
        buf_appendf(b, "  Advisory: %s\r\n", notify__one_line(line, str(a, "advisory_url")));
}

char *notify_render_email(const char *payload, const char *project_name,
                          const struct policy_zone *zone, const char *from, char *const *to,
                          size_t n_to, const char *message_id, const char *thread_id,
                          const char *host, int64_t now)
{
    json_t *msg = json_loads(payload, 0, NULL);
    const char *type = json_string_value(json_object_get(msg, "type"));
    json_t *data = json_object_get(msg, "data");
    json_t *rel = json_object_get(data, "release");
    if (!type) {
        json_decref(msg);
        return NULL;
    }
    struct buf b, line, subject;
    buf_init(&b, 4 << 20);
    buf_init(&line, 1 << 20);
    buf_init(&subject, 4096);
    char date[TIME_HTTP_SIZE];
    time_http_format(now, date);
    /* RFC 5322 3.3: a numeric zone; "GMT" is the obsolete form. */
    size_t dl = strlen(date);
    if (dl > 4 && strcmp(date + dl - 4, " GMT") == 0)
        date[dl - 4] = '\0';
    buf_appendf(&b, "Date: %s +0000\r\nFrom: %s\r\nTo: ", date, from);
    for (size_t i = 0; i < n_to; i++)
        buf_appendf(&b, "%s%s", i ? ", " : "", to[i]);
    buf_appendf(&subject, "[%s] ", notify__one_line(&line, project_name));
    subject_text(&subject, type, data, rel);
    buf_append_str(&b, "\r\nSubject: ");
    header_text(&b, notify__one_line(&line, buf_cstr(&subject))); /* and encoded when not ASCII */
    buf_appendf(&b, "\r\nMessage-ID: <%s@%s>\r\n", message_id, host);
    /* Every later message about a release threads to the first one to this channel. */
    if (thread_id && strcmp(thread_id, message_id) != 0)
        buf_appendf(&b, "In-Reply-To: <%s@%s>\r\nReferences: <%s@%s>\r\n", thread_id, host,
                    thread_id, host);
    buf_append_str(&b, "MIME-Version: 1.0\r\n"
                       "Content-Type: text/plain; charset=utf-8\r\n"
                       "Content-Transfer-Encoding: 8bit\r\n\r\n");
    buf_appendf(&b, "%s\r\n\r\n", notify__one_line(&line, buf_cstr(&subject)));
    if (json_is_object(rel)) {
        buf_append_str(&b, "When: ");
        notify__local_time(&b, zone, str(rel, "starts_at"));
        buf_append_str(&b, "\r\n");
        notify__rescheduled_line(&b, data, type, zone, "\r\n");
        if (policy_message_embargoed(type)) {
            buf_append_str(&b, "Embargoed until: ");
            notify__local_time(&b, zone, str(rel, "starts_at"));
            buf_append_str(&b, ". Nothing of this may be made public before then.\r\n");
        }
        /* One notify__one_line per append: each call reuses the scratch buffer. */
        buf_appendf(&b, "Release: %s", notify__one_line(&line, str(rel, "id")));
        buf_appendf(&b, " (%s)\r\n", notify__one_line(&line, str(rel, "status")));
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(rel, "versions"), i, v)
        {
            buf_appendf(&b, "Fixed in %s", notify__one_line(&line, str(v, "branch")));
            buf_appendf(&b, " %s\r\n", notify__one_line(&line, str(v, "version")));
        }
    } else
        notify__team_detail(&b, data, "\r\n");
    notify__late_line(&b, data, "\r\n");
    size_t i;
    json_t *is;
    json_array_foreach(json_object_get(data, "issues"), i, is)
    {
        issue_text(&b, &line, is, rel);
    }
    /* Readers without the issue list (the public) get the published advisories. */
    if (!json_is_array(json_object_get(data, "issues")))
        json_array_foreach(json_object_get(rel, "advisories"), i, is)
        {
            advisory_text(&b, &line, is);
        }
    buf_close(&line);
    buf_close(&subject);
    json_decref(msg);
    return crlf_only(&b);
}
