/* Channel renderers (see render.h). */
#include "core/nelem.h"
#include "notifiers/render.h"
#include "notifiers/render_internal.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "policy/types.h"
#include "policy/zone.h"

char *notify_truncate_utf8(const char *s, size_t max)
{
    size_t cps = 0, i = 0, cut = 0, n = strlen(s);
    for (; i < n; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (cps == max - 1)
                cut = i; /* where the ellipsis would go */
            cps++;
        }
    }
    if (cps <= max)
        return xstrdup(s);
    char *out = xmalloc(cut + 4);
    memcpy(out, s, cut);
    memcpy(out + cut, "\xe2\x80\xa6", 4); /* U+2026 and NUL */
    return out;
}

void notify__local_time(struct buf *b, const struct policy_zone *zone, const char *utc_text)
{
    int64_t t;
    if (!utc_text || time_rfc3339_parse(utc_text, &t) < 0) {
        buf_append_str(b, "(unknown time)");
        return;
    }
    char text[TIME_UTC_TEXT_SIZE];
    time_utc_text(t, text);
    if (zone) {
        char local[POLICY_LOCAL_TEXT_SIZE];
        policy_zone_local_text(zone, t, local);
        buf_appendf(b, "%s (%s)", local, text);
    } else {
        buf_append_str(b, text);
    }
}

void notify__utc_text(struct buf *b, const char *rfc3339)
{
    int64_t t;
    char text[TIME_UTC_TEXT_SIZE];
    if (rfc3339 && time_rfc3339_parse(rfc3339, &t) == 0) {
        time_utc_text(t, text);
        buf_append_str(b, text);
    } else {
        buf_append_str(b, "(unknown time)");
    }
}

/* "Fixes: 2, highest level: high\nVersions: 5.x 5.1.3" from a public release object (the counts
 * appear only once the release is announced, as the public view gives them). */
static void public_counts(struct buf *b, json_t *rel)
{
    json_t *fixes = json_object_get(rel, "fix_count");
    if (json_is_integer(fixes)) {
        buf_appendf(b, "Fixes: %lld", (long long)json_integer_value(fixes));
        const char *lvl = json_string_value(json_object_get(rel, "max_level"));
        if (lvl)
            buf_appendf(b, ", highest level: %s", lvl);
        buf_append_str(b, "\n");
    }
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(rel, "versions"), i, v)
    {
        buf_appendf(b, "%s%s %s",
                    i ? ", " : "Versions: ", json_string_value(json_object_get(v, "branch")),
                    json_string_value(json_object_get(v, "version")));
    }
}

const char *notify__headline(const char *type)
{
    static const struct {
        const char *type, *text;
    } map[] = {
        {"release.announced", "Security release announced"},
        {"release.skipped", "No security release in this window"},
        {"release.rescheduled", "Security release rescheduled"},
        {"release.cancelled", "Security release cancelled"},
        {"release.published", "Security release published"},
        {"delivery.dead", "A delivery failed for good"},
        {"channel.disabled", "A channel was disabled"},
        {"issue.sla_due_soon", "A response deadline is near"},
        {"issue.sla_breached", "A response deadline was missed"},
        {"issue.task_overdue", "Incident checklist tasks are overdue"},
        {"release.fixes_missing", "Fixes still missing at the distributor notice"},
        {"release.unfixed_removed", "Unfixed issues left the published release"},
        {"release.emptied", "An announced release was left with nothing to ship"},
    };
    for (size_t i = 0; i < NELEM(map); i++)
        if (strcmp(map[i].type, type) == 0)
            return map[i].text;
    return "Security release update";
}

/* The issues still without a fix (release.fixes_missing), and "Due 2026-12-01 14:00 UTC, sent
 * late." for a message sent after its due time (the payload's data carries late and due_at
 * then; docs/POLICY.md). */
void notify__late_line(struct buf *b, json_t *data, const char *eol)
{
    json_t *missing = json_object_get(data, "missing");
    size_t i;
    json_t *id;
    json_array_foreach(missing, i, id)
    {
        buf_appendf(b, "%s#%lld%s",
                    i ? ", " : "Fixes still missing: ", (long long)json_integer_value(id),
                    i + 1 == json_array_size(missing) ? eol : "");
    }
    const char *due = json_string_value(json_object_get(data, "due_at"));
    if (!json_is_true(json_object_get(data, "late")) || !due || strlen(due) < 16)
        return;
    buf_append_str(b, "Due ");
    notify__utc_text(b, due);
    buf_appendf(b, ", sent late.%s", eol);
}

/* A one-line field of the payload (an issue title, a CVE id) in a mail body: each run of CR and
 * LF becomes one space, so it cannot start a line of its own (a "." that would end the DATA, an
 * SMTP command for an LF-tolerant server; docs/CONTRACT.md). */
const char *notify__one_line(struct buf *scratch, const char *s)
{
    buf_reset(scratch);
    for (const char *p = s ? s : "(null)"; *p;) {
        size_t n = strcspn(p, "\r\n");
        buf_append(scratch, p, n);
        p += n;
        if (*p) {
            buf_append_str(scratch, " ");
            p += strspn(p, "\r\n");
        }
    }
    return buf_cstr(scratch);
}

/* What a message without a release says (team messages): the failed delivery or the issue and
 * its deadline. */
void notify__team_detail(struct buf *b, json_t *data, const char *eol)
{
    json_t *d = json_object_get(data, "delivery");
    if (json_is_object(d)) {
        buf_appendf(b, "Channel: %s%sMessage: %s (%s)%sAttempts: %lld%sError: %s%s",
                    json_string_value(json_object_get(d, "channel")), eol,
                    json_string_value(json_object_get(d, "message_type")),
                    json_string_value(json_object_get(d, "id")), eol,
                    (long long)json_integer_value(json_object_get(d, "attempts")), eol,
                    json_string_value(json_object_get(d, "error")), eol);
        return;
    }
    json_t *tasks = json_object_get(data, "tasks");
    if (json_is_array(tasks)) {
        buf_appendf(b, "Issue #%lld, overdue:%s",
                    (long long)json_integer_value(json_object_get(data, "issue")), eol);
        size_t i;
        json_t *t;
        json_array_foreach(tasks, i, t)
        {
            buf_appendf(b, "- %s (due %s)%s", json_string_value(json_object_get(t, "title")),
                        json_string_value(json_object_get(t, "due_at")), eol);
        }
        return;
    }
    json_t *deadlines = json_object_get(data, "deadlines");
    if (json_is_array(deadlines)) {
        /* Response deadlines: the title (the team may see it) and each deadline's
         * instant, one line each (docs/POLICY.md "Response deadlines"). */
        struct buf line;
        buf_init(&line, 1 << 16);
        buf_appendf(
            b, "Issue #%lld: %s%s", (long long)json_integer_value(json_object_get(data, "issue")),
            notify__one_line(&line, json_string_value(json_object_get(data, "title"))), eol);
        buf_close(&line);
        size_t i;
        json_t *dl;
        json_array_foreach(deadlines, i, dl)
        {
            const char *due = json_string_value(json_object_get(dl, "due"));
            const char *event = json_string_value(json_object_get(dl, "event"));
            bool missed = event && strcmp(event, "breached") == 0;
            buf_appendf(b, "- %s: %s ", json_string_value(json_object_get(dl, "sla")),
                        missed ? "missed, it was due" : "due");
            notify__utc_text(b, due);
            buf_append_str(b, eol);
        }
        return;
    }
    if (json_is_integer(json_object_get(data, "issue")))
        buf_appendf(b, "Issue #%lld, deadline: %s%s",
                    (long long)json_integer_value(json_object_get(data, "issue")),
                    json_string_value(json_object_get(data, "sla")), eol);
}

char *notify_render_discord(const char *payload, const char *project_name,
                            const struct policy_zone *zone, const char *page_url)
{
    json_t *msg = json_loads(payload, 0, NULL);
    const char *type = json_string_value(json_object_get(msg, "type"));
    json_t *data = json_object_get(msg, "data");
    json_t *rel = json_object_get(data, "release");
    if (!type || !json_is_object(data)) {
        json_decref(msg);
        return NULL;
    }
    struct buf desc;
    buf_init(&desc, 1 << 20);
    if (json_is_object(rel)) {
        buf_append_str(&desc, "When: ");
        notify__local_time(&desc, zone, json_string_value(json_object_get(rel, "starts_at")));
        enum policy_release_kind kind = POLICY_RELEASE_SCHEDULED;
        (void)policy_release_kind_parse(json_string_value(json_object_get(rel, "kind")), &kind);
        buf_appendf(&desc, "\nKind: %s\nStatus: %s\n",
                    kind == POLICY_RELEASE_OUT_OF_SEQUENCE ? "out of sequence" : "scheduled",
                    json_string_value(json_object_get(rel, "status")));
        public_counts(&desc, rel);
        buf_append_str(&desc, "\n");
        notify__rescheduled_line(&desc, data, type, zone, "\n");
    } else {
        notify__team_detail(&desc, data, "\n");
    }
    notify__late_line(&desc, data, "\n");
    char title[512];
    snprintf(title, sizeof title, "%s: %s", project_name, notify__headline(type));
    char *content = notify_truncate_utf8(title, DISCORD_CONTENT_MAX);
    char *etitle = notify_truncate_utf8(title, DISCORD_EMBED_TITLE_MAX);
    /* With advisories the release's own embed keeps to 1000 code points (it is a few lines). */
    bool advisories = json_array_size(json_object_get(rel, "advisories")) > 0;
    char *edesc = notify_truncate_utf8(buf_cstr(&desc), advisories ? 1000 : DISCORD_EMBED_DESC_MAX);
    json_t *body = json_pack("{ss s[{ssssss}] s{s[]}}", "content", content, "embeds", "title",
                             etitle, "description", edesc, "url", page_url ? page_url : "",
                             "allowed_mentions", "parse");
    if (advisories)
        notify__discord_advisories(json_object_get(body, "embeds"), rel,
                                   notify__code_points(etitle) + notify__code_points(edesc),
                                   page_url);
    char *out = jsonx_dump(body);
    json_decref(body);
    free(content);
    free(etitle);
    free(edesc);
    buf_close(&desc);
    json_decref(msg);
    return out;
}

char *notify_render_discourse(const char *payload, const char *project_name,
                              const struct policy_zone *zone, long category, long topic_id,
                              const char *external_id)
{
    json_t *msg = json_loads(payload, 0, NULL);
    const char *type = json_string_value(json_object_get(msg, "type"));
    json_t *rel = json_object_get(json_object_get(msg, "data"), "release");
    if (!type || !json_is_object(rel)) {
        json_decref(msg);
        return NULL;
    }
    const char *id = json_string_value(json_object_get(rel, "id"));
    struct buf raw;
    buf_init(&raw, 1 << 20);
    buf_appendf(&raw, "**%s** — %s\n\nWhen: ", notify__headline(type), project_name);
    notify__local_time(&raw, zone, json_string_value(json_object_get(rel, "starts_at")));
    buf_append_str(&raw, "\n");
    notify__rescheduled_line(&raw, json_object_get(msg, "data"), type, zone, "\n");
    notify__late_line(&raw, json_object_get(msg, "data"), "\n");
    public_counts(&raw, rel);
    buf_append_str(&raw, "\n");
    notify__advisories_markdown(&raw, rel);
    json_t *body = json_pack("{ssss}", "raw", buf_cstr(&raw), "external_id", external_id);
    if (topic_id > 0) {
        json_object_set_new(body, "topic_id", json_integer(topic_id));
    } else {
        struct buf title;
        buf_init(&title, 4096);
        buf_appendf(&title, "%s security release %s (", project_name, id ? id : "");
        notify__local_time(&title, zone, json_string_value(json_object_get(rel, "starts_at")));
        buf_append_str(&title, ")");
        char *t = notify_truncate_utf8(buf_cstr(&title), 250);
        json_object_set_new(body, "title", json_string(t));
        json_object_set_new(body, "category", json_integer(category));
        free(t);
        buf_close(&title);
    }
    char *out = jsonx_dump(body);
    json_decref(body);
    buf_close(&raw);
    json_decref(msg);
    return out;
}
