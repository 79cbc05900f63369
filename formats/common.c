/* URLs and the shared range building of the advisory documents. */
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "formats/internal.h"

const char *formats__str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

bool formats__set(const char *s)
{
    return s && s[0];
}

char *formats_osv_url(const struct formats_project *p, const char *osv_id)
{
    return xasprintf("%s/advisories/%s/%s.osv.json", p->base_url, p->id, osv_id);
}

char *formats_osv_index_url(const struct formats_project *p)
{
    return xasprintf("%s/advisories/%s/all.json", p->base_url, p->id);
}

char *formats_csaf_url(const struct formats_project *p, const char *release_id)
{
    return xasprintf("%s/advisories/%s/%s.csaf.json", p->base_url, p->id, release_id);
}

char *formats_atom_url(const char *base_url, const struct formats_project *p)
{
    return p ? xasprintf("%s/feeds/%s/advisories.atom", base_url, p->id)
             : xasprintf("%s/feeds/advisories.atom", base_url);
}

size_t formats__ranges(const struct formats_project *p, const json_t *release,
                       const json_t *versions, struct policy_version_range *out,
                       const char **branch_of)
{
    const char *fixed[POLICY_BRANCHES_MAX], *fixed_branch[POLICY_BRANCHES_MAX];
    const char *others[2 * POLICY_BRANCHES_MAX];
    size_t nf = 0, no = 0;
    size_t i;
    json_t *e;
    json_array_foreach(versions, i, e)
    {
        const char *v = formats__str(e, "fixed");
        if (formats__set(v) && nf < POLICY_BRANCHES_MAX) {
            fixed_branch[nf] = formats__str(e, "branch");
            fixed[nf++] = v;
        }
    }
    /* Every other branch: the version the release ships on it, else the config's. */
    bool named[POLICY_BRANCHES_MAX] = {false};
    json_array_foreach(json_object_get(release, "versions"), i, e)
    {
        const char *b = formats__str(e, "branch"), *v = formats__str(e, "version");
        bool mine = false;
        for (size_t k = 0; k < nf && !mine; k++)
            mine = fixed_branch[k] && b && strcmp(fixed_branch[k], b) == 0;
        if (!mine && formats__set(v) && no < 2 * POLICY_BRANCHES_MAX)
            others[no++] = v;
        for (size_t k = 0; b && k < p->n_branches; k++)
            if (strcmp(p->branches[k].name, b) == 0)
                named[k] = true;
    }
    for (size_t k = 0; k < p->n_branches; k++) {
        bool mine = false;
        for (size_t j = 0; j < nf && !mine; j++)
            mine = fixed_branch[j] && strcmp(fixed_branch[j], p->branches[k].name) == 0;
        if (!mine && !named[k] && p->branches[k].version[0] && no < 2 * POLICY_BRANCHES_MAX)
            others[no++] = p->branches[k].version;
    }
    size_t n = policy_affected_ranges(fixed, nf, others, no, out);
    for (size_t r = 0; r < n; r++) {
        branch_of[r] = NULL;
        for (size_t k = 0; k < nf; k++)
            if (strcmp(fixed[k], out[r].fixed) == 0)
                branch_of[r] = fixed_branch[k];
    }
    return n;
}
