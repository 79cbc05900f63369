/* Machine-readable advisories of a project (see advisory_docs.h). */
#include "scheduler/advisory_docs.h"
#include "scheduler/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/err.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/xalloc.h"
#include "policy/advisory_docs.h"
#include "scheduler/json.h"

static void project_of(const struct sched *s, const struct config_project *p,
                       struct formats_project *fp)
{
    memset(fp, 0, sizeof *fp);
    fp->id = p->policy.id;
    fp->name = p->policy.name;
    fp->base_url = s->cfg->public_url;
    fp->package_name = p->package_name;
    fp->ecosystem = p->package_ecosystem;
    fp->publisher_name = p->csaf_publisher.name[0] ? p->csaf_publisher.name : p->policy.name;
    fp->publisher_namespace =
        p->csaf_publisher.namespace_url[0] ? p->csaf_publisher.namespace_url : s->cfg->public_url;
    fp->publisher_category = p->csaf_publisher.category[0] ? p->csaf_publisher.category : "vendor";
    fp->contact_details = p->csaf_publisher.contact_details;
    fp->issuing_authority = p->csaf_publisher.issuing_authority;
    fp->branches = p->policy.branches;
    fp->n_branches = p->policy.n_branches;
}

int sched_docs_load(struct sched *s, const struct config_project *p, int64_t now,
                    struct sched_docs *d)
{
    memset(d, 0, sizeof *d);
    project_of(s, p, &d->fp);
    struct sched_view v;
    int rc = sched_view_load(s, p, now, &v);
    if (rc < 0)
        return rc;
    d->releases = json_array();
    for (size_t i = 0; i < v.n; i++) {
        const struct store_release *r = &v.rels[i];
        if (r->core.status != POLICY_RELEASE_RELEASED)
            continue;
        json_t *o = sched_release_json(&v, r, POLICY_AUDIENCE_PUBLIC);
        if (policy_release_documented(&r->core, json_array_size(json_object_get(o, "advisories"))))
            json_array_append_new(d->releases, o);
        else
            json_decref(o);
    }
    sched_view_free(&v);
    return 0;
}

void sched_docs_free(struct sched_docs *d)
{
    json_decref(d->releases);
    d->releases = NULL;
}

json_t *sched_docs_osv_all(const struct sched_docs *d)
{
    json_t *all = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(d->releases, i, r)
    {
        size_t n = json_array_size(json_object_get(r, "advisories"));
        for (size_t k = 0; k < n; k++) {
            json_t *o = formats_osv(&d->fp, r, k);
            if (o)
                json_array_append_new(all, o);
        }
    }
    return all;
}

json_t *sched_docs_osv(const struct sched_docs *d, const char *osv_id)
{
    size_t i;
    json_t *r;
    json_array_foreach(d->releases, i, r)
    {
        size_t k;
        json_t *a;
        json_array_foreach(json_object_get(r, "advisories"), k, a)
        {
            const char *id = json_string_value(json_object_get(a, "osv_id"));
            if (id && strcmp(id, osv_id) == 0)
                return formats_osv(&d->fp, r, k);
        }
    }
    return NULL;
}

json_t *sched_docs_csaf(const struct sched_docs *d, const char *release_id)
{
    size_t i;
    json_t *r;
    json_array_foreach(d->releases, i, r)
    {
        const char *id = json_string_value(json_object_get(r, "id"));
        if (id && strcmp(id, release_id) == 0)
            return formats_csaf(&d->fp, r);
    }
    return NULL;
}

/* The Atom feed of loaded documents: one project's (combined false, np 1) or every project's. */
static int atom_of(const struct sched *s, const struct sched_docs *ds, size_t np, bool combined,
                   char **out, size_t *len)
{
    size_t total = 0;
    for (size_t i = 0; i < np; i++)
        total += json_array_size(ds[i].releases);
    struct formats_feed_release *fr = xcalloc(total + 1, sizeof *fr);
    size_t n = 0;
    for (size_t i = 0; i < np; i++) {
        size_t k;
        json_t *r;
        json_array_foreach(ds[i].releases, k, r) fr[n++] =
            (struct formats_feed_release){&ds[i].fp, r};
    }
    *out = formats_atom(combined ? NULL : &ds[0].fp, s->cfg->public_url, fr, n, len);
    free(fr);
    return *out ? 0 : RC_ETOOBIG;
}

int sched_docs_atom(struct sched *s, const struct config_project *only, int64_t now, char **out,
                    size_t *len)
{
    size_t np = only ? 1 : s->cfg->n_projects;
    struct sched_docs *ds = xcalloc(np + 1, sizeof *ds);
    int rc = 0;
    for (size_t i = 0; i < np && rc == 0; i++)
        rc = sched_docs_load(s, only ? only : &s->cfg->projects[i], now, &ds[i]);
    if (rc == 0)
        rc = atom_of(s, ds, np, !only, out, len);
    for (size_t i = 0; i < np; i++)
        sched_docs_free(&ds[i]);
    free(ds);
    return rc;
}

char *sched_docs_atom_url(const struct sched *s, const struct config_project *p)
{
    struct formats_project fp;
    project_of(s, p, &fp);
    return formats_atom_url(s->cfg->public_url, &fp);
}

char *sched_docs_osv_index_url(const struct sched *s, const struct config_project *p)
{
    struct formats_project fp;
    project_of(s, p, &fp);
    return formats_osv_index_url(&fp);
}

static int write_json(struct sched *s, const char *path, const json_t *j)
{
    char *text = jsonx_dump(j);
    int rc = sched__export_file(s, path, text, strlen(text));
    free(text);
    return rc;
}

/* 0755 whatever the umask (the service's is 0027), so a web server's user can traverse it like
 * it reads the 0644 files. */
static int make_dir(const char *path)
{
    if (mkdir(path, 0755) == 0)
        return chmod(path, 0755) == 0 ? 0 : RC_EIO;
    return errno == EEXIST ? 0 : RC_EIO;
}

/* What the export last wrote for project `i` of the config (its public release objects'
 * hash): the documents are a function of those objects and the config alone, so while neither
 * changed, neither did any document. Reset when the config is replaced. */
static struct sched_docs_memo *memo_of(struct sched *s, size_t i)
{
    if (s->docs_memo_cfg != s->cfg) {
        free(s->docs_memo);
        s->docs_memo = xcalloc(s->cfg->n_projects + 1, sizeof *s->docs_memo);
        s->docs_memo_cfg = s->cfg;
        s->docs_combined_stale = true;
    }
    return &s->docs_memo[i];
}

static int write_docs(struct sched *s, const struct sched_docs *d, const char *dir)
{
    const char *id = d->fp.id;
    char *adv = xasprintf("%s/advisories", dir);
    char *pdir = xasprintf("%s/%s", adv, id);
    char *fdir = xasprintf("%s/%s", dir, id);
    int rc = make_dir(adv);
    if (rc == 0 && (rc = make_dir(pdir)) == 0)
        rc = make_dir(fdir);
    json_t *all = rc == 0 ? sched_docs_osv_all(d) : NULL;
    if (all) {
        char *path = xasprintf("%s/all.json", pdir);
        rc = write_json(s, path, all);
        free(path);
        size_t i;
        json_t *o;
        json_array_foreach(all, i, o)
        {
            if (rc < 0)
                break;
            char *pth =
                xasprintf("%s/%s.osv.json", pdir, json_string_value(json_object_get(o, "id")));
            rc = write_json(s, pth, o);
            free(pth);
        }
        json_t *r;
        json_array_foreach(d->releases, i, r)
        {
            if (rc < 0)
                break;
            const char *rid = json_string_value(json_object_get(r, "id"));
            json_t *csaf = sched_docs_csaf(d, rid);
            char *pth = xasprintf("%s/%s.csaf.json", pdir, rid);
            rc = csaf ? write_json(s, pth, csaf) : 0;
            free(pth);
            json_decref(csaf);
        }
    }
    json_decref(all);
    char *atom = NULL;
    size_t len = 0;
    if (rc == 0 && (rc = atom_of(s, d, 1, false, &atom, &len)) == 0) {
        char *path = xasprintf("%s/advisories.atom", fdir);
        rc = sched__export_file(s, path, atom, len);
        free(path);
    }
    free(atom);
    free(adv);
    free(pdir);
    free(fdir);
    return rc;
}

/* Project i's documents, when its public release objects changed since the last export. */
static int export_project(struct sched *s, size_t i, int64_t now, const char *dir)
{
    struct sched_docs d;
    int rc = sched_docs_load(s, &s->cfg->projects[i], now, &d);
    if (rc < 0)
        return rc;
    char *text = jsonx_dump(d.releases);
    uint64_t key = hash_fnv1a(HASH_FNV1A_INIT, text, strlen(text));
    free(text);
    struct sched_docs_memo *m = memo_of(s, i);
    if (!m->valid || m->key != key) {
        m->valid = false; /* until written */
        s->docs_combined_stale = true;
        if ((rc = write_docs(s, &d, dir)) == 0) {
            m->valid = true;
            m->key = key;
        }
    }
    sched_docs_free(&d);
    return rc;
}

int sched_docs_export(struct sched *s, const struct config_project *only, int64_t now,
                      const char *dir)
{
    int rc = 0;
    for (size_t i = 0; i < s->cfg->n_projects && rc == 0; i++)
        if (!only || &s->cfg->projects[i] == only)
            rc = export_project(s, i, now, dir);
    /* The combined feed, when a project's documents changed (or its last write failed). */
    char *atom = NULL;
    size_t len = 0;
    if (rc == 0 && s->docs_combined_stale &&
        (rc = sched_docs_atom(s, NULL, now, &atom, &len)) == 0) {
        char *path = xasprintf("%s/advisories.atom", dir);
        rc = sched__export_file(s, path, atom, len);
        free(path);
        s->docs_combined_stale = rc < 0;
    }
    free(atom);
    return rc;
}

void sched__docs_forget(struct sched *s)
{
    free(s->docs_memo);
    s->docs_memo = NULL;
    s->docs_memo_cfg = NULL;
}
