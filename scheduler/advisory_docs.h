/* The machine-readable advisories of a project (docs/CONTRACT.md "Machine-readable
 * advisories"): the public release objects of its documented releases (policy_release_documented:
 * published, with advisories) rendered by formats/ as OSV, CSAF 2.0 and Atom. Only the public
 * release object (policy/disclosure.h's public projection) reaches the renderers. */
#ifndef RELCAL_SCHEDULER_ADVISORY_DOCS_H
#define RELCAL_SCHEDULER_ADVISORY_DOCS_H

#include <jansson.h>

#include "formats/formats.h"
#include "scheduler/sched.h"

struct sched_docs {
    struct formats_project fp;
    json_t *releases; /* public release objects of the documented releases, oldest first */
};

int sched_docs_load(struct sched *s, const struct config_project *p, int64_t now,
                    struct sched_docs *d);
void sched_docs_free(struct sched_docs *d);

/* Every OSV document of the project (the index, oldest first). */
json_t *sched_docs_osv_all(const struct sched_docs *d);
/* One OSV document by id; NULL when no published advisory has it. */
json_t *sched_docs_osv(const struct sched_docs *d, const char *osv_id);
/* The CSAF document of a release; NULL unless it is documented. */
json_t *sched_docs_csaf(const struct sched_docs *d, const char *release_id);
/* The Atom feed of one project's advisories, or (only NULL) of every project's. */
int sched_docs_atom(struct sched *s, const struct config_project *only, int64_t now, char **out,
                    size_t *len);

/* Writes every document of `only` (NULL: of every project) and the combined Atom feed into
 * `dir` (export_dir): advisories/{p}/all.json, advisories/{p}/{osv-id}.osv.json,
 * advisories/{p}/{release}.csaf.json, {p}/advisories.atom and advisories.atom, each with a .gz
 * sibling, atomically. */
int sched_docs_export(struct sched *s, const struct config_project *only, int64_t now,
                      const char *dir);

/* The links of the project object (`advisories_atom`, `osv_index`); caller frees. */
char *sched_docs_atom_url(const struct sched *s, const struct config_project *p);
char *sched_docs_osv_index_url(const struct sched *s, const struct config_project *p);

#endif
