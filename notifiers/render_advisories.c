/* The advisories of a published release in channel messages (docs/POLICY.md "Disclosure"):
 * Discord embeds within Discord's limits, Discourse markdown, and the "rescheduled" dates.
 * They read only the payload, whose release object carries "advisories" for audiences that may
 * see them (the scheduler asks policy/disclosure.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/xalloc.h"
#include "notifiers/render.h"
#include "notifiers/render_internal.h"

size_t notify__code_points(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* The same for a %s argument: "" instead of NULL. */
static const char *text(json_t *o, const char *key)
{
    const char *s = str(o, key);
    return s ? s : "";
}

/* "CVE-2027-12345 GHSA-xxxx-xxxx-xxxx" (either may be missing). */
static void ids(struct buf *b, json_t *a)
{
    const char *cve = str(a, "cve"), *ghsa = str(a, "ghsa");
    buf_appendf(b, "%s%s%s", cve ? cve : "", cve && ghsa ? " " : "", ghsa ? ghsa : "");
}

/* The lines of one advisory after its title, most important first, so that a cut at the end
 * shortens only the summary: identifiers, severity, versions, URL, credits, published,
 * summary. `scratch` is a work buffer. */
static void advisory_lines(struct buf *b, struct buf *scratch, json_t *a, const char *eol)
{
    if (str(a, "cve") || str(a, "ghsa")) {
        ids(b, a);
        buf_append_str(b, eol);
    }
    json_t *sev = json_object_get(a, "severity");
    if (json_is_object(sev)) {
        json_t *score = json_object_get(sev, "score");
        buf_appendf(b, "Severity: %s ", text(sev, "label"));
        if (json_is_integer(score))
            buf_appendf(b, "%lld", (long long)json_integer_value(score));
        else
            buf_appendf(b, "%.1f", json_number_value(score));
        buf_appendf(b, " (%s), %s%s", text(sev, "level"), text(sev, "vector"), eol);
    } else if (str(a, "level")) {
        buf_appendf(b, "Level: %s%s", str(a, "level"), eol);
    }
    json_t *vs = json_object_get(a, "versions");
    size_t i;
    json_t *v;
    json_array_foreach(vs, i, v)
    {
        const char *fixed = str(v, "fixed"), *affected = str(v, "affected");
        buf_appendf(b, "%s%s: affected %s, fixed in %s", i ? "; " : "",
                    notify__one_line(scratch, str(v, "branch")), affected ? affected : "(unknown)",
                    fixed ? fixed : "(no version yet)");
        if (i + 1 == json_array_size(vs))
            buf_append_str(b, eol);
    }
    if (str(a, "advisory_url"))
        buf_appendf(b, "Advisory: %s%s", str(a, "advisory_url"), eol);
    json_t *credits = json_object_get(a, "credits"), *c;
    json_array_foreach(credits, i, c)
    {
        buf_appendf(b, "%s%s", i ? ", " : "Credits: ", notify__one_line(scratch, str(c, "name")));
        if (str(c, "role"))
            buf_appendf(b, " (%s)", str(c, "role"));
        if (i + 1 == json_array_size(credits))
            buf_append_str(b, eol);
    }
    if (str(a, "published_at")) {
        buf_append_str(b, "Published: ");
        notify__utc_text(b, str(a, "published_at"));
        buf_append_str(b, eol);
    }
    if (str(a, "summary"))
        buf_appendf(b, "%s%s", str(a, "summary"), eol);
}

/* "CVE-2027-12345: title": the id first, so a cut at the end never reaches it. */
static void advisory_title(struct buf *b, struct buf *scratch, json_t *a)
{
    const char *id = str(a, "cve") ? str(a, "cve") : str(a, "ghsa");
    if (id)
        buf_appendf(b, "%s: ", id);
    buf_append_str(b, notify__one_line(scratch, str(a, "title")));
}

void notify__advisories_markdown(struct buf *b, json_t *rel)
{
    json_t *advs = json_object_get(rel, "advisories");
    if (!json_array_size(advs))
        return;
    struct buf scratch, body;
    buf_init(&scratch, 1 << 16);
    buf_init(&body, 1 << 20);
    buf_append_str(b, "\n### Advisories\n");
    size_t i;
    json_t *a;
    json_array_foreach(advs, i, a)
    {
        buf_append_str(b, "\n#### ");
        advisory_title(b, &scratch, a);
        buf_append_str(b, "\n\n");
        buf_reset(&body);
        advisory_lines(&body, &scratch, a, "\n");
        buf_append_str(b, buf_cstr(&body));
    }
    buf_close(&body);
    buf_close(&scratch);
}

void notify__rescheduled_line(struct buf *b, json_t *data, const char *type,
                              const struct policy_zone *zone, const char *eol)
{
    const char *before = str(data, "previous_starts_at");
    const char *after = str(json_object_get(data, "release"), "starts_at");
    if (!type || strcmp(type, "release.rescheduled") != 0 || !before || !after)
        return;
    buf_append_str(b, "Moved from ");
    notify__local_time(b, zone, before);
    buf_append_str(b, " to ");
    notify__local_time(b, zone, after);
    buf_append_str(b, eol);
}

/* Appends an embed {title, description, url} to `embeds`; returns the code points counted
 * towards Discord's total. */
static size_t add_embed(json_t *embeds, const char *title, const char *desc, const char *url)
{
    char *t = notify_truncate_utf8(title, DISCORD_EMBED_TITLE_MAX);
    char *d = notify_truncate_utf8(desc, DISCORD_EMBED_DESC_MAX);
    json_t *e = json_pack("{ssss}", "title", t, "description", d);
    if (url && *url)
        json_object_set_new(e, "url", json_string(url));
    json_array_append_new(embeds, e);
    size_t n = notify__code_points(t) + notify__code_points(d);
    free(t);
    free(d);
    return n;
}

/* Cuts `s` to at most `max` code points with an ellipsis; the identifiers on its first line
 * are never cut: the whole text goes (they are in the embed's title too). */
static char *cut_desc(const char *s, size_t max)
{
    if (notify__code_points(s) <= max)
        return xstrdup(s);
    size_t first = strcspn(s, "\n");
    char *line = xstrndup(s, first);
    size_t first_cp = notify__code_points(line);
    free(line);
    if (max < 2 || max <= first_cp + 1)
        return xstrdup(max ? "\xe2\x80\xa6" : "");
    return notify_truncate_utf8(s, max);
}

void notify__discord_advisories(json_t *embeds, json_t *rel, size_t used, const char *page_url)
{
    json_t *advs = json_object_get(rel, "advisories");
    size_t n = json_array_size(advs);
    if (!n)
        return;
    /* One embed per advisory while they fit in the 10 embeds (the first is the release): with
     * more, 8 of them and a last embed listing the others one a line. */
    size_t full = n <= DISCORD_EMBEDS_MAX - 1 ? n : DISCORD_EMBEDS_MAX - 2;
    size_t reserve = full < n ? 1500 : 0;
    size_t budget = DISCORD_EMBEDS_TOTAL_MAX - used - reserve;
    struct buf title, desc, scratch;
    buf_init(&title, 1 << 16);
    buf_init(&desc, 1 << 20);
    buf_init(&scratch, 1 << 16);
    for (size_t i = 0; i < full; i++) {
        json_t *a = json_array_get(advs, i);
        size_t share = budget / (full - i);
        buf_reset(&title);
        buf_reset(&desc);
        advisory_title(&title, &scratch, a);
        advisory_lines(&desc, &scratch, a, "\n");
        char *t = notify_truncate_utf8(buf_cstr(&title), DISCORD_EMBED_TITLE_MAX);
        size_t room = share > notify__code_points(t) ? share - notify__code_points(t) : 0;
        if (room > DISCORD_EMBED_DESC_MAX)
            room = DISCORD_EMBED_DESC_MAX;
        char *d = cut_desc(buf_cstr(&desc), room);
        budget -= add_embed(embeds, t, d, str(a, "advisory_url"));
        free(t);
        free(d);
    }
    if (full < n) {
        /* The others, one whole line each while they fit (an id is never cut). */
        budget += reserve;
        const char *head = "More advisories";
        size_t room = budget - notify__code_points(head);
        if (room > DISCORD_EMBED_DESC_MAX)
            room = DISCORD_EMBED_DESC_MAX;
        buf_reset(&desc);
        for (size_t i = full; i < n; i++) {
            json_t *a = json_array_get(advs, i);
            buf_reset(&title);
            advisory_title(&title, &scratch, a);
            if (str(a, "level"))
                buf_appendf(&title, " (%s)", str(a, "level"));
            char *line = notify_truncate_utf8(buf_cstr(&title), 200);
            char more[160];
            snprintf(more, sizeof more, "\xe2\x80\xa6 and %zu more%s%s", n - i,
                     page_url && *page_url ? ": " : "",
                     page_url && *page_url ? "see the page" : "");
            if (notify__code_points(buf_cstr(&desc)) + notify__code_points(line) + 1 +
                    (i + 1 < n ? notify__code_points(more) + 1 : 0) >
                room) {
                buf_appendf(&desc, "%s\n", more);
                free(line);
                break;
            }
            buf_appendf(&desc, "%s\n", line);
            free(line);
        }
        add_embed(embeds, head, buf_cstr(&desc), page_url);
    }
    buf_close(&scratch);
    buf_close(&desc);
    buf_close(&title);
}
