/* The project keys of the machine-readable advisories (docs/CONTRACT.md "Machine-readable
 * advisories"): osv_id_prefix, package_name, package_ecosystem and csaf_publisher. */
#include <stdio.h>
#include <string.h>

#include "config/internal.h"
#include "core/nelem.h"
#include "policy/advisory_docs.h"

/* Printable UTF-8 text without control characters, 1..cap-1 bytes. */
static int text_key(struct cfg_ctx *c, json_t *o, const char *key, char *out, size_t cap)
{
    const char *v;
    int rc = config__get_string(c, o, key, false, &v);
    if (rc < 0 || !v)
        return rc;
    if (!v[0] || strlen(v) >= cap)
        return config__fail(c, key, "must be 1 to %zu bytes", cap - 1);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return config__fail(c, key, "must not contain control characters");
    snprintf(out, cap, "%s", v);
    return 0;
}

static const char *const publisher_categories[] = {"coordinator", "discoverer", "other",
                                                   "translator",  "user",       "vendor"};

static int parse_publisher(struct cfg_ctx *c, json_t *o, struct config_project *cp)
{
    static const char *const keys[] = {
        "name", "namespace", "category", "contact_details", "issuing_authority", NULL};
    json_t *pub = json_object_get(o, "csaf_publisher");
    if (!pub)
        return 0;
    size_t saved = config__push_key(c, "csaf_publisher");
    int rc;
    if (!json_is_object(pub)) {
        rc = config__fail(c, NULL, "must be an object");
    } else if ((rc = config__check_keys(c, pub, keys)) == 0 &&
               (rc = text_key(c, pub, "name", cp->csaf_publisher.name,
                              sizeof cp->csaf_publisher.name)) == 0 &&
               (rc = text_key(c, pub, "namespace", cp->csaf_publisher.namespace_url,
                              sizeof cp->csaf_publisher.namespace_url)) == 0 &&
               (rc = text_key(c, pub, "category", cp->csaf_publisher.category,
                              sizeof cp->csaf_publisher.category)) == 0 &&
               (rc = text_key(c, pub, "contact_details", cp->csaf_publisher.contact_details,
                              sizeof cp->csaf_publisher.contact_details)) == 0 &&
               (rc = text_key(c, pub, "issuing_authority", cp->csaf_publisher.issuing_authority,
                              sizeof cp->csaf_publisher.issuing_authority)) == 0) {
        if (cp->csaf_publisher.namespace_url[0] &&
            !config__valid_url(cp->csaf_publisher.namespace_url, true))
            rc = config__fail(c, "namespace", "must be an http:// or https:// URL");
        bool known = !cp->csaf_publisher.category[0];
        for (size_t i = 0; !known && i < NELEM(publisher_categories); i++)
            known = strcmp(cp->csaf_publisher.category, publisher_categories[i]) == 0;
        if (rc == 0 && !known)
            rc = config__fail(c, "category",
                              "'%s' is not a CSAF publisher category (coordinator, discoverer, "
                              "other, translator, user, vendor)",
                              cp->csaf_publisher.category);
    }
    config__pop(c, saved);
    return rc;
}

int config__parse_advisory_docs(struct cfg_ctx *c, json_t *o, struct config_project *cp)
{
    int rc;
    if ((rc = text_key(c, o, "osv_id_prefix", cp->osv_id_prefix, sizeof cp->osv_id_prefix)) < 0)
        return rc;
    if (cp->osv_id_prefix[0] && !policy_osv_prefix_valid(cp->osv_id_prefix))
        return config__fail(c, "osv_id_prefix",
                            "'%s' is not a valid OSV id prefix (ASCII letters, digits, _ . and -, "
                            "starting with a letter, not ending in -)",
                            cp->osv_id_prefix);
    if (!cp->osv_id_prefix[0])
        policy_osv_default_prefix(cp->policy.id, cp->osv_id_prefix, sizeof cp->osv_id_prefix);
    if ((rc = text_key(c, o, "package_name", cp->package_name, sizeof cp->package_name)) < 0 ||
        (rc = text_key(c, o, "package_ecosystem", cp->package_ecosystem,
                       sizeof cp->package_ecosystem)) < 0)
        return rc;
    if (cp->package_ecosystem[0] && !policy_osv_ecosystem_valid(cp->package_ecosystem))
        return config__fail(c, "package_ecosystem",
                            "'%s' is not an OSV ecosystem (e.g. Packagist, PyPI, npm, Debian:12)",
                            cp->package_ecosystem);
    if (cp->package_name[0] && !cp->package_ecosystem[0])
        return config__fail(c, "package_ecosystem", "required with package_name");
    return parse_publisher(c, o, cp);
}
