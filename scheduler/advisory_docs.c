/* Machine-readable advisories of a project (see advisory_docs.h). */
#include "scheduler/advisory_docs.h"
#include "scheduler/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/err.h"
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

int sched_docs_atom(struct sched *s, const struct config_project *only, int64_t now, char **out,
                    size_t *len)
{
    size_t np = only ? 1 : s->cfg->n_projects;
    struct sched_docs *ds = xcalloc(np + 1, sizeof *ds);
    size_t total = 0;
    int rc = 0;
    for (size_t i = 0; i < np && rc == 0; i++) {
        rc = sched_docs_load(s, only ? only : &s->cfg->projects[i], now, &ds[i]);
        total += json_array_size(ds[i].releases);
    }
    if (rc == 0) {
        struct formats_feed_release *fr = xcalloc(total + 1, sizeof *fr);
        size_t n = 0;
        for (size_t i = 0; i < np; i++) {
            size_t k;
            json_t *r;
            json_array_foreach(ds[i].releases, k, r) fr[n++] =
                (struct formats_feed_release){&ds[i].fp, r};
        }
        *out = formats_atom(only ? &ds[0].fp : NULL, s->cfg->public_url, fr, n, len);
        if (!*out)
            rc = RC_ETOOBIG;
        free(fr);
    }
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

static int export_project(struct sched *s, const struct config_project *p, int64_t now,
                          const char *dir)
{
    struct sched_docs d;
    int rc = sched_docs_load(s, p, now, &d);
    if (rc < 0)
        return rc;
    char *adv = xasprintf("%s/advisories", dir);
    char *pdir = xasprintf("%s/%s", adv, p->policy.id);
    char *fdir = xasprintf("%s/%s", dir, p->policy.id);
    if ((rc = make_dir(adv)) == 0 && (rc = make_dir(pdir)) == 0)
        rc = make_dir(fdir);
    json_t *all = rc == 0 ? sched_docs_osv_all(&d) : NULL;
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
        json_array_foreach(d.releases, i, r)
        {
            if (rc < 0)
                break;
            const char *rid = json_string_value(json_object_get(r, "id"));
            json_t *csaf = sched_docs_csaf(&d, rid);
            char *pth = xasprintf("%s/%s.csaf.json", pdir, rid);
            rc = csaf ? write_json(s, pth, csaf) : 0;
            free(pth);
            json_decref(csaf);
        }
    }
    json_decref(all);
    sched_docs_free(&d);
    char *atom = NULL;
    size_t len = 0;
    if (rc == 0 && (rc = sched_docs_atom(s, p, now, &atom, &len)) == 0) {
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

int sched_docs_export(struct sched *s, const struct config_project *only, int64_t now,
                      const char *dir)
{
    int rc = 0;
    for (size_t i = 0; i < s->cfg->n_projects && rc == 0; i++) {
        const struct config_project *p = &s->cfg->projects[i];
        if (!only || p == only)
            rc = export_project(s, p, now, dir);
    }
    char *atom = NULL;
    size_t len = 0;
    if (rc == 0 && (rc = sched_docs_atom(s, NULL, now, &atom, &len)) == 0) {
        char *path = xasprintf("%s/advisories.atom", dir);
        rc = sched__export_file(s, path, atom, len);
        free(path);
    }
    free(atom);
    return rc;
}
