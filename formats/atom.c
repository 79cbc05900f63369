/* Atom feeds of published advisories (RFC 4287, docs/CONTRACT.md "Machine-readable
 * advisories"): one entry per advisory, newest first. Entry ids are tag URIs (RFC 4151) from the
 * public URL's host, the advisory's publication day and its OSV id, so they never change;
 * `updated` is the advisory's publication instant (advisories do not change once published),
 * and the feed's `updated` the newest entry's (1970-01-01T00:00:00Z when there is none), so an
 * unchanged feed is byte-identical. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/markup.h"
#include "core/xalloc.h"
#include "formats/internal.h"

#define ATOM_MAX (64u << 20)

static void elem(struct buf *b, const char *name, const char *text)
{
    buf_appendf(b, "<%s>", name);
    markup_escape(b, text);
    buf_appendf(b, "</%s>\n", name);
}

/* The host of a URL, without port or credentials ("security.example.org"). */
static char *host_of(const char *url)
{
    const char *h = strstr(url, "://");
    h = h ? h + 3 : url;
    size_t n = strcspn(h, "/:?#");
    return xasprintf("%.*s", (int)n, h);
}

struct entry {
    const struct formats_project *p;
    const json_t *release, *a;
    const char *published;
};

static int newest_first(const void *x, const void *y)
{
    const struct entry *a = x, *b = y;
    int c = strcmp(b->published, a->published);
    if (c == 0)
        c = strcmp(formats__str(a->a, "osv_id"), formats__str(b->a, "osv_id"));
    return c;
}

static void entry(struct buf *b, const char *host, const struct entry *e)
{
    const json_t *a = e->a;
    const char *osv_id = formats__str(a, "osv_id"), *cve = formats__str(a, "cve"),
               *title = formats__str(a, "title"), *url = formats__str(a, "advisory_url");
    char day[11];
    snprintf(day, sizeof day, "%.10s", e->published);
    buf_append_str(b, "<entry>\n");
    char *id = xasprintf("tag:%s,%s:relcal/%s/%s", host, day, e->p->id, osv_id);
    elem(b, "id", id);
    free(id);
    char *t = xasprintf("%s: %s%s%s", e->p->name, formats__set(cve) ? cve : "",
                        formats__set(cve) ? " " : "", formats__set(title) ? title : osv_id);
    elem(b, "title", t);
    free(t);
    elem(b, "published", e->published);
    elem(b, "updated", e->published);
    char *osv = formats_osv_url(e->p, osv_id);
    char *page = xasprintf("%s/p/%s", e->p->base_url, e->p->id);
    buf_append_str(b, "<link rel=\"alternate\" type=\"text/html\" href=\"");
    markup_escape(b, formats__set(url) ? url : page);
    free(page);
    buf_append_str(b, "\"/>\n<link rel=\"related\" type=\"application/json\" href=\"");
    markup_escape(b, osv);
    buf_append_str(b, "\"/>\n");
    free(osv);
    const json_t *sev = json_object_get(a, "severity");
    const char *level = formats__str(a, "level");
    if (formats__set(level)) {
        buf_append_str(b, "<category term=\"");
        markup_escape(b, level);
        buf_append_str(b, "\"/>\n");
    }
    struct buf s;
    buf_init(&s, 1u << 20);
    if (formats__set(formats__str(sev, "vector")))
        buf_appendf(&s, "Severity: %s %s (%s)\n",
                    formats__str(sev, "label") ? formats__str(sev, "label") : "",
                    formats__str(sev, "vector"), level ? level : "");
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(a, "versions"), i, v)
    {
        if (formats__set(formats__str(v, "fixed")))
            buf_appendf(&s, "%s: affected %s, fixed in %s\n", formats__str(v, "branch"),
                        formats__str(v, "affected"), formats__str(v, "fixed"));
    }
    if (formats__set(formats__str(a, "summary")))
        buf_appendf(&s, "%s\n", formats__str(a, "summary"));
    buf_append_str(b, "<summary type=\"text\">");
    markup_escape(b, buf_cstr(&s));
    buf_append_str(b, "</summary>\n</entry>\n");
    buf_close(&s);
}

char *formats_atom(const struct formats_project *p, const char *base_url,
                   const struct formats_feed_release *rels, size_t n, size_t *len)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += json_array_size(json_object_get(rels[i].release, "advisories"));
    struct entry *es = xcalloc(total + 1, sizeof *es);
    size_t ne = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k;
        json_t *a;
        json_array_foreach(json_object_get(rels[i].release, "advisories"), k, a)
        {
            const char *pub = formats__str(a, "published_at");
            if (!formats__set(pub) || !formats__set(formats__str(a, "osv_id")))
                continue;
            es[ne++] = (struct entry){rels[i].project, rels[i].release, a, pub};
        }
    }
    qsort(es, ne, sizeof *es, newest_first);
    char *host = host_of(base_url);
    char *self = formats_atom_url(base_url, p);
    struct buf b;
    buf_init(&b, ATOM_MAX);
    buf_append_str(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                       "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    char *fid = p ? xasprintf("tag:%s,2020:relcal/%s/advisories", host, p->id)
                  : xasprintf("tag:%s,2020:relcal/advisories", host);
    elem(&b, "id", fid);
    free(fid);
    char *title =
        p ? xasprintf("%s security advisories", p->name) : xasprintf("Security advisories");
    elem(&b, "title", title);
    free(title);
    elem(&b, "updated", ne ? es[0].published : "1970-01-01T00:00:00Z");
    buf_append_str(&b, "<link rel=\"self\" type=\"application/atom+xml\" href=\"");
    markup_escape(&b, self);
    buf_append_str(&b, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
    char *page = p ? xasprintf("%s/p/%s", base_url, p->id) : xasprintf("%s/", base_url);
    markup_escape(&b, page);
    buf_append_str(&b, "\"/>\n<author>");
    elem(&b, "name",
         p ? (formats__set(p->publisher_name) ? p->publisher_name : p->name) : "relcal");
    buf_append_str(&b, "</author>\n<generator>relcal</generator>\n");
    for (size_t i = 0; i < ne; i++)
        entry(&b, host, &es[i]);
    buf_append_str(&b, "</feed>\n");
    free(page);
    free(self);
    free(host);
    free(es);
    return buf_steal(&b, len);
}
