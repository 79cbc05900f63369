/* Machine-readable advisories: which releases have documents, ids, ranges and severity types
 * (see advisory_docs.h). */
#include "policy/advisory_docs.h"

#include <stdio.h>
#include <string.h>

#include "policy/releases.h"

bool policy_release_documented(const struct policy_release *r, size_t n_advisories)
{
    return r && r->status == POLICY_RELEASE_RELEASED && r->released_at != POLICY_TIME_NONE &&
           n_advisories > 0;
}

void policy_osv_default_prefix(const char *project_id, char *out, size_t len)
{
    snprintf(out, len, "x_%s", project_id);
}

static bool prefix_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

bool policy_osv_prefix_valid(const char *prefix)
{
    size_t n = prefix ? strlen(prefix) : 0;
    if (n == 0 || n >= POLICY_OSV_PREFIX_MAX || prefix[n - 1] == '-')
        return false;
    bool letter = (prefix[0] >= 'a' && prefix[0] <= 'z') || (prefix[0] >= 'A' && prefix[0] <= 'Z');
    if (!letter)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!prefix_char(prefix[i]))
            return false;
    return true;
}

bool policy_osv_id(const char *prefix, const char *release_id, size_t n, char *out, size_t len)
{
    int w = snprintf(out, len, "%s-%s-%zu", prefix, release_id, n);
    if (w < 0 || (size_t)w >= len || n == 0) {
        if (len)
            out[0] = 0;
        return false;
    }
    return true;
}

/* OSV's ecosystems (its schema's ecosystemName list). */
static const char *const ecosystems[] = {"AlmaLinux",
                                         "Alpaquita",
                                         "Alpine",
                                         "Android",
                                         "Azure Linux",
                                         "BellSoft Hardened Containers",
                                         "Bioconductor",
                                         "Bitnami",
                                         "Chainguard",
                                         "CleanStart",
                                         "ConanCenter",
                                         "CRAN",
                                         "crates.io",
                                         "Debian",
                                         "Docker Hardened Images",
                                         "Echo",
                                         "FreeBSD",
                                         "GHC",
                                         "GitHub Actions",
                                         "Go",
                                         "Hackage",
                                         "Hex",
                                         "Julia",
                                         "Kubernetes",
                                         "Linux",
                                         "Mageia",
                                         "Maven",
                                         "MinimOS",
                                         "npm",
                                         "NuGet",
                                         "opam",
                                         "openEuler",
                                         "openSUSE",
                                         "OSS-Fuzz",
                                         "Packagist",
                                         "Photon OS",
                                         "Pub",
                                         "PyPI",
                                         "Red Hat",
                                         "Rocky Linux",
                                         "Root",
                                         "RubyGems",
                                         "SUSE",
                                         "SwiftURL",
                                         "TuxCare",
                                         "Ubuntu",
                                         "VSCode",
                                         "Wolfi"};

bool policy_osv_ecosystem_valid(const char *ecosystem)
{
    if (!ecosystem)
        return false;
    const char *colon = strchr(ecosystem, ':');
    size_t n = colon ? (size_t)(colon - ecosystem) : strlen(ecosystem);
    if (colon && !colon[1])
        return false;
    for (const unsigned char *p = (const unsigned char *)ecosystem; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return false;
    for (size_t i = 0; i < sizeof ecosystems / sizeof ecosystems[0]; i++)
        if (strlen(ecosystems[i]) == n && strncmp(ecosystems[i], ecosystem, n) == 0)
            return true;
    return false;
}

const char *policy_osv_severity_type(enum policy_scheme scheme)
{
    switch (scheme) {
    case POLICY_SCHEME_CVSS30:
    case POLICY_SCHEME_CVSS31:
        return "CVSS_V3";
    case POLICY_SCHEME_CVSS40:
        return "CVSS_V4";
    case POLICY_SCHEME_CMSS:
        break;
    }
    return NULL;
}

bool policy_cvss3_base_vector(const char *vector, char *out, size_t len)
{
    static const char *const base[] = {"AV", "AC", "PR", "UI", "S", "C", "I", "A"};
    if (len)
        out[0] = 0;
    if (!vector || (strncmp(vector, "CVSS:3.0/", 9) != 0 && strncmp(vector, "CVSS:3.1/", 9) != 0))
        return false;
    size_t k = (size_t)snprintf(out, len, "%.8s", vector);
    for (size_t m = 0; m < sizeof base / sizeof base[0]; m++) {
        const char *found = NULL;
        size_t ml = strlen(base[m]);
        for (const char *p = vector + 9; *p;) {
            if (strncmp(p, base[m], ml) == 0 && p[ml] == ':') {
                found = p + ml + 1;
                break;
            }
            const char *slash = strchr(p, '/');
            if (!slash)
                break;
            p = slash + 1;
        }
        if (!found) {
            if (len)
                out[0] = 0;
            return false;
        }
        size_t vl = strcspn(found, "/");
        int w = snprintf(out + k, len > k ? len - k : 0, "/%s:%.*s", base[m], (int)vl, found);
        if (w < 0 || k + (size_t)w >= len) {
            if (len)
                out[0] = 0;
            return false;
        }
        k += (size_t)w;
    }
    return true;
}

bool policy_cvss4_ordered_vector(const char *vector, char *out, size_t len)
{
    static const char *const order[] = {"AV",  "AC",  "AT",  "PR",  "UI",  "VC",  "VI",  "VA",
                                        "SC",  "SI",  "SA",  "E",   "CR",  "IR",  "AR",  "MAV",
                                        "MAC", "MAT", "MPR", "MUI", "MVC", "MVI", "MVA", "MSC",
                                        "MSI", "MSA", "S",   "AU",  "R",   "V",   "RE",  "U"};
    if (len)
        out[0] = 0;
    if (!vector || strncmp(vector, "CVSS:4.0/", 9) != 0)
        return false;
    /* Every metric of the vector must be a known one. */
    size_t given = 0, placed = 0;
    for (const char *p = vector + 9; *p;) {
        size_t ml = strcspn(p, ":/");
        bool known = false;
        for (size_t m = 0; m < sizeof order / sizeof order[0] && !known; m++)
            known = strlen(order[m]) == ml && strncmp(p, order[m], ml) == 0;
        if (!known || p[ml] != ':')
            return false;
        given++;
        p += strcspn(p, "/");
        if (*p)
            p++;
    }
    size_t k = (size_t)snprintf(out, len, "CVSS:4.0");
    for (size_t m = 0; m < sizeof order / sizeof order[0]; m++) {
        size_t ml = strlen(order[m]);
        for (const char *p = vector + 9; *p;) {
            if (strncmp(p, order[m], ml) == 0 && p[ml] == ':') {
                size_t vl = strcspn(p + ml + 1, "/");
                int w = snprintf(out + k, len > k ? len - k : 0, "/%s:%.*s", order[m], (int)vl,
                                 p + ml + 1);
                if (w < 0 || k + (size_t)w >= len) {
                    out[0] = 0;
                    return false;
                }
                k += (size_t)w;
                placed++;
                break;
            }
            p += strcspn(p, "/");
            if (*p)
                p++;
        }
    }
    if (placed != given) { /* a metric given twice */
        out[0] = 0;
        return false;
    }
    return true;
}

/* The start of `fixed`'s branch above `lower` (see advisory_docs.h). */
static void branch_start(const char *fixed, const char *lower, char *out, size_t len)
{
    size_t k = 0;
    bool differed = false;
    const char *f = fixed, *l = lower;
    out[0] = 0;
    while (*f) {
        size_t fl = strcspn(f, "."), ll = l ? strcspn(l, ".") : 0;
        const char *part = f;
        size_t pl = fl;
        if (differed) {
            part = "0";
            pl = 1;
        } else if (!l || fl != ll || strncmp(f, l, fl) != 0) {
            differed = true;
        }
        int w = snprintf(out + k, len - k, "%s%.*s", k ? "." : "", (int)pl, part);
        if (w < 0 || k + (size_t)w >= len)
            break;
        k += (size_t)w;
        f += fl;
        if (*f)
            f++;
        if (l) {
            l += ll;
            l = *l ? l + 1 : NULL;
        }
    }
    /* A lower version that is a prefix of the fixed one ("5.1" under "5.1.3") leaves no room
     * for a branch start below the fix: every earlier version counts. */
    if (policy_version_cmp(out, fixed) >= 0)
        snprintf(out, len, "0");
}

size_t policy_affected_ranges(const char *const *fixed, size_t n_fixed, const char *const *others,
                              size_t n_others, struct policy_version_range *out)
{
    size_t n = 0;
    for (size_t i = 0; i < n_fixed; i++) {
        if (!fixed[i] || !fixed[i][0])
            continue;
        /* Insertion in fixed-version order. */
        size_t at = n;
        while (at > 0 && policy_version_cmp(out[at - 1].fixed, fixed[i]) > 0) {
            out[at] = out[at - 1];
            at--;
        }
        snprintf(out[at].fixed, sizeof out[at].fixed, "%s", fixed[i]);
        n++;
    }
    for (size_t i = 0; i < n; i++) {
        const char *lower = NULL;
        for (size_t j = 0; j < n_fixed + n_others; j++) {
            const char *v = j < n_fixed ? fixed[j] : others[j - n_fixed];
            if (v && v[0] && policy_version_cmp(v, out[i].fixed) < 0 &&
                (!lower || policy_version_cmp(v, lower) > 0))
                lower = v;
        }
        if (!lower)
            snprintf(out[i].introduced, sizeof out[i].introduced, "0");
        else
            branch_start(out[i].fixed, lower, out[i].introduced, sizeof out[i].introduced);
    }
    return n;
}
