/* Private to scheduler/. */
#ifndef RELCAL_SCHEDULER_INTERNAL_H
#define RELCAL_SCHEDULER_INTERNAL_H

#include <jansson.h>

#include "policy/releases.h"
#include "scheduler/sched.h"

int sched__batch_issue(struct sched *s, struct sched_view *v, struct store_issue *is, int64_t now,
                       const char *actor);
/* RC_EFORBIDDEN on override_reason unless `who` is an admin (or there is no override). */
int sched__refuse_override(const struct sched_actor *who, const char *override,
                           struct sched_outcome *why);
int sched__fail(struct sched_outcome *why, int rc, const char *field, const char *msg);
int sched__begin(struct sched *s, const struct config_project *p, int64_t now,
                 struct sched_view *v);
int sched__finish(struct sched *s, struct sched_view *v, int rc);
int sched__put_release(struct sched *s, struct sched_view *v, struct store_release *r, int64_t now);
/* Appends an audit row; takes the reference of `detail`. */
int sched__audit(struct sched *s, const struct sched_view *v, int64_t now, const char *actor,
                 const char *action, const char *subject, json_t *detail, const char *override,
                 bool late);
/* Whether taking the issues `leaving` out of release r would leave it announced and empty
 * (policy_release_emptied): 0 when not, 1 when it would and `override` allows it (the caller
 * tells the team with sched__tell_emptied once done), or RC_ECONFLICT "would_empty_release"
 * with `why` naming the issues. */
int sched__emptying(const struct sched_view *v, const struct store_release *r,
                    const int64_t *leaving, size_t n_leaving, const char *override,
                    struct sched_outcome *why);
/* Tells the team that release r was left announced and empty by an admin's override. */
int sched__tell_emptied(struct sched *s, const struct sched_view *v, const struct store_release *r,
                        int64_t now, const char *override);
/* A preview's tick after a write (scheduler/preview.c): what the project's tick would write, in
 * the preview's transaction, and nothing else. Always 0 (a failed tick never fails the write). */
int sched__tick_preview(struct sched *s, const struct config_project *p);
/* "This project changed": the one entry point after a committed write (a rolled-back one does
 * not call it). Ticks what the change can have made due: only `issue_id` when it is > 0 (a
 * write that touched that issue alone, in no release, before or after), else the whole project
 * (sched_kick_project); then raises the generation, exports and kicks the delivery engine. */
void sched__changed(struct sched *s, const struct config_project *p, int64_t issue_id);
/* A view of the project's own (issues read from the store) that an operation may change. */
int sched__view_own(struct sched *s, const struct config_project *p, int64_t now,
                    struct sched_view *v);
/* The view a whole-project tick works on (docs/PERFORMANCE.md "Start-up"): every release, and
 * only the issues the tick can act on: those neither released nor rejected, those whose
 * checklist is active (checklist_active), and every issue of a release that still has events
 * to come (policy_due_release_idle, at the project's `epoch`) or whose versions are numbered
 * from its issues (policy_versions_from_issues). */
int sched__view_tick(struct sched *s, const struct config_project *p, int64_t now, int64_t epoch,
                     struct sched_view *v);
/* A release as the version numbering sees it, with `branches` as its issues' branch bits. */
struct policy_versioned_release sched__versioned(const struct store_release *r, uint32_t branches);
/* Forgets what the advisory documents were last exported from (sched_stop). */
void sched__docs_forget(struct sched *s);
/* The issue cache (sched_view_load): issue `id` is read again into the project's entry when it
 * was current before the write that just committed (generation `before`); else the entry is
 * left to reload. Freed by sched_stop. */
void sched__cache_patch(struct sched *s, const struct config_project *p, int64_t id,
                        uint64_t before);
void sched__cache_free(struct sched *s);
/* Writes a file of the static export and its .gz sibling atomically, unless (while the loop
 * runs) this process last wrote exactly these bytes to that path: a change the public does not
 * see rewrites nothing. The files are relcal's own; a restart writes each once. */
int sched__export_file(struct sched *s, const char *path, const char *body, size_t len);
/* Forgets what was written (sched_stop). */
void sched__export_forget(struct sched *s);
/* The issues of release_id (rejected ones included) as indices into v->issues, oldest first,
 * in *out (caller frees): one binary search on a read view's index, else one pass. */
size_t sched__release_members(const struct sched_view *v, const char *release_id, size_t **out);
int sched__detach(struct sched *s, struct sched_view *v, struct store_issue *is, int64_t now);

#endif
