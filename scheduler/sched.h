/* The scheduler: relcal's state as the policy sees it, and every change to it. Each operation
 * is one store transaction holding the change, its audit row and the outbox rows the change
 * causes; every decision is made by policy/. The loop arms one timer for the next due instant
 * across all projects and reads the clock once per tick. */
#ifndef RELCAL_SCHEDULER_SCHED_H
#define RELCAL_SCHEDULER_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <uv.h>

#include "config/config.h"
#include "core/clock.h"
#include "policy/input.h"
#include "policy/rules.h"
#include "store/store.h"

/* The issues of one project as the store had them at `generation`: read views borrow them
 * (sched_view_load) while the loop runs; a write of one issue in no release patches its entry
 * (sched__changed), any other change raises the generation past it (scheduler/view.c). All
 * entries together hold at most SCHED_CACHE_ISSUES issues (an issue is about 2.6 KiB). */
#define SCHED_CACHE_ISSUES 12000
struct sched_issue_cache {
    uint64_t generation;
    struct store_issue *issues; /* NULL: not loaded */
    size_t n;
    size_t *by_release; /* indices into issues sorted by release id, then index */
    size_t borrowers;   /* read views alive on it */
};

struct sched {
    const struct config *cfg; /* borrowed; replaced on reload */
    struct store *store;      /* borrowed */
    struct core_clock *clock; /* borrowed */
    uv_loop_t *loop;
    uv_timer_t timer;
    bool timer_started;
    int64_t timer_at;    /* when the timer fires (Unix seconds) */
    uint64_t generation; /* raised on every change (feed caches key on it) */
    bool tick_failed;    /* a tick failed since the last whole one: its retry is pending */
    struct sched_issue_cache *issue_cache; /* one per project of issue_cache_cfg */
    size_t issue_cache_n;                  /* entries (that config may be freed since) */
    const struct config *issue_cache_cfg;
    /* What this process last wrote to each file of the static export (sched__export_file): an
     * open-addressing table by path, export_cap slots (a power of two), export_n used. */
    struct sched_exported {
        char *path;
        size_t len;
        uint64_t hash;
    } * exported;
    size_t export_n, export_cap;
    /* Per project of docs_memo_cfg: the hash of the public release objects its advisory
     * documents were last exported from (scheduler/advisory_docs.c). */
    struct sched_docs_memo {
        uint64_t key;
        bool valid;
    } * docs_memo;
    const struct config *docs_memo_cfg;
    bool docs_combined_stale; /* the combined Atom feed is to be written again */
    /* Called after every tick, when new outbox rows may be due (the delivery engine's kick). */
    void (*after_tick)(void *ud);
    void *after_tick_ud;
};

/* One project's effective releases at an instant: the cadence windows from 13 months back to
 * the horizon, merged with the stored rows (stored rows win for their id; a window that has not
 * told anyone anything and was not moved follows the config). Sorted by start. */
struct sched_view {
    const struct config_project *project;
    const char *public_url; /* the config's, for the links of the advisory documents */
    struct store_release *rels;
    bool *stored; /* parallel to rels: a row exists */
    size_t n;
    struct store_issue *issues; /* newest first */
    size_t n_issues;
    /* Checklist items of the project's issues by issue id, loaded on first use
     * (scheduler/checklist.c). */
    struct store_checklist_item *items;
    size_t n_items;
    bool items_loaded;
    /* Only the issue an operation touches (sched_view_load_issue), or none (a creation), and
     * no releases: the operation keeps the issue in no release, so the tick after it looks at
     * that issue only (touched_issue, sched__changed). */
    bool partial;
    int64_t touched_issue;
    /* Only the issues a whole-project tick can act on (sched__view_tick). */
    bool live;
    bool borrowed; /* issues belong to the scheduler's cache: read, never change */
    struct sched_issue_cache *entry; /* the cache entry borrowed from */
    /* A borrowed view's index (struct sched_issue_cache): a release's issues by one binary
     * search instead of a pass over the project's. NULL otherwise. */
    const size_t *by_release;
    /* A borrowed view's delivery summaries by release and message (scheduler/checklist.c):
     * nothing is written while a read view lives. */
    struct sched_delivered *delivered;
    /* A borrowed view's versions of every release (sched_release_versions_all), numbered once
     * for all the releases a read renders instead of once per release. */
    struct sched_versions *versions;
    /* Set by a tick once its release events are applied: no release message is enqueued after
     * that in the tick, so delivery summaries can be asked once (scheduler/checklist.c). */
    bool summaries_fixed;
};

/* A view to read: its issues may be borrowed from the scheduler's cache (v->borrowed) and must
 * not be changed; valid until the next write. Operations and ticks load their own
 * (sched__view_own). */
int sched_view_load(struct sched *s, const struct config_project *p, int64_t now,
                    struct sched_view *v);
void sched_view_free(struct sched_view *v);
/* Only issue `id` (none when there is no such issue), no releases: for an operation on an
 * issue in no release that cannot put it in one; v->partial is set. */
int sched_view_load_issue(struct sched *s, const struct config_project *p, int64_t id,
                          struct sched_view *v);
/* Borrowed pointers into the view; NULL when absent. */
struct store_release *sched_view_release(struct sched_view *v, const char *id);
struct store_issue *sched_view_issue(struct sched_view *v, int64_t id);
/* A release that can be "next": not final, and not announced with nothing left to ship (an
 * admin emptied it; docs/POLICY.md "Moving and cancelling releases"). */
bool sched_view_can_be_next(const struct sched_view *v, const struct store_release *r);
/* The next release that can be (sched_view_can_be_next), preferring one that has not ended. */
struct store_release *sched_view_next(struct sched_view *v, int64_t now);

/* The versions release r of the view ships (scheduler/versions.c, docs/POLICY.md "Versions"):
 * frozen once published, else numbered in date order across the project. Returns the count. */
size_t sched_release_versions(const struct sched_view *v, const struct store_release *r,
                              struct policy_version *out, size_t cap);
/* The versions of every release of the view at once (parallel to v->rels; one pass over the
 * issues instead of one per release): for renders of many releases. Caller frees. */
struct sched_versions {
    size_t n;
    struct policy_version v[POLICY_BRANCHES_MAX];
};
struct sched_versions *sched_release_versions_all(const struct sched_view *v);

/* Issues of a release, as policy issues with branch bits of the project; caller frees. */
size_t sched_release_issues(const struct sched_view *v, const char *release_id,
                            struct policy_issue **out);

/* What went wrong, for the HTTP layer: rc is one of RC_ENOTFOUND, RC_EINVAL (422 on `field`),
 * RC_ETRANSITION (409, allowed statuses listed), RC_EPOLICY (422 with refusal.code),
 * RC_ECONFLICT (409 with refusal.code, the issues listed), RC_EFORBIDDEN (403), RC_ESTORE
 * (500). */
struct sched_outcome {
    char message[256];
    char field[64];
    struct policy_refusal refusal;
    const char *allowed[POLICY_ISSUE_STATUS_COUNT];
    size_t n_allowed;
    int64_t issue_ids[POLICY_ISSUES_MAX]; /* RC_ECONFLICT: the issues in the way */
    size_t n_issue_ids;
};

struct sched_actor {
    const char *name; /* token name */
    enum config_role role;
};

int sched_issue_create(struct sched *s, const struct config_project *p,
                       const struct policy_issue_input *in, const struct sched_actor *who,
                       int64_t *id_out, struct sched_outcome *why);
int sched_issue_update(struct sched *s, const struct config_project *p, int64_t id,
                       const struct policy_issue_input *in, const struct sched_actor *who,
                       struct sched_outcome *why);
int sched_release_create(struct sched *s, const struct config_project *p,
                         const struct policy_release_create *in, const struct sched_actor *who,
                         char id_out[POLICY_RELEASE_ID_MAX], struct sched_outcome *why);
int sched_release_patch(struct sched *s, const struct config_project *p, const char *id,
                        const struct policy_release_patch *in, const struct sched_actor *who,
                        struct sched_outcome *why);
/* Publishes: refused with RC_ECONFLICT ("unfixed_issues", listed) while an issue of the
 * release is not fix_ready, unless an admin gives in->override_reason: then those issues leave
 * the release, stay open, and the team is told (docs/POLICY.md "Publishing"). */
int sched_release_publish(struct sched *s, const struct config_project *p, const char *id,
                          const struct policy_publish *in, const struct sched_actor *who,
                          struct sched_outcome *why);

/* Applies everything due at or before now for every project, in time order, marking what
 * is applied more than a minute after its instant as late. Returns the next due instant, or
 * POLICY_TIME_NONE. */
int64_t sched_tick(struct sched *s, int64_t now);

/* Starts/stops the loop timer (sched_tick, then re-arm). */
void sched_start(struct sched *s, uv_loop_t *loop);
void sched_stop(struct sched *s);
/* Ticks every project and re-arms (the timer, a reload). */
void sched_kick(struct sched *s);
/* After a change to one project (an API write): ticks that project only and arms the timer
 * earlier if the project has something due sooner. Other projects' state did not change. */
void sched_kick_project(struct sched *s, const struct config_project *p);

/* Rewrites the static export (export_dir) with the current public feeds of every project, or of
 * `only`, and the combined feed; no-op when unset. */
int sched_export(struct sched *s, const struct config_project *only, int64_t now);

/* The incident checklist of an issue (scheduler/checklist.c): the JSON of the checklist route;
 * RC_ENOTFOUND for an unknown issue. */
int sched_checklist_get(struct sched *s, const struct config_project *p, int64_t id, int64_t now,
                        json_t **out);
/* Sets a task by hand (`state`: done, open, not_applicable; `decision` NULL) with an optional
 * note, or a decision to one of its choices (`decision`, `state` ignored; a note where the
 * choice needs a reason); state open (decision NULL) reopens either. RC_EINVAL (field state,
 * decision or note) when it does not fit the task; audited. */
int sched_checklist_set(struct sched *s, const struct config_project *p, int64_t id,
                        const char *task, enum checklist_state state, const char *decision,
                        const char *note, const struct sched_actor *who, struct sched_outcome *why);
/* The adoption figures of an issue's fix: {"issue", "published_at", "half_at",
 * "seconds_to_half", "figures": [{"share", "at", "by", "recorded_at"}]}. */
int sched_adoption_get(struct sched *s, const struct config_project *p, int64_t id, int64_t now,
                       json_t **out);
/* Records a figure (share 0..1 at `at`, POLICY_TIME_NONE: now); audited. RC_ECONFLICT
 * (not_published) before the issue's release is published, RC_EINVAL (field at) for an
 * instant in the future or before the publication. */
int sched_adoption_add(struct sched *s, const struct config_project *p, int64_t id, double share,
                       int64_t at, const struct sched_actor *who, struct sched_outcome *why);
/* The assessment record ({} when none yet); RC_ENOTFOUND for an unknown issue. */
int sched_assessment_get(struct sched *s, const struct config_project *p, int64_t id, json_t **out);
/* Validates a PATCH body and applies it to the stored `record` in place: 0, or < 0 when
 * refused (the callback keeps its own account of why, in `ctx`). The server passes the API's
 * field table (api/assessment.h); the scheduler never sees it. */
typedef int sched_assessment_apply_fn(json_t *record, const json_t *changes, void *ctx);
/* Applies a PATCH; audited. `apply` runs inside the operation's transaction, on the record as
 * stored there, so no concurrent write can slip between the validation and the write (the
 * loop runs one operation at a time, and the read, check and write share one transaction).
 * RC_ENOTFOUND for an unknown issue (before `apply` is called), RC_EINVAL when `apply` refused
 * (nothing written). *out gets the whole record. */
int sched_assessment_update(struct sched *s, const struct config_project *p, int64_t id,
                            const json_t *changes, sched_assessment_apply_fn *apply, void *ctx,
                            const struct sched_actor *who, json_t **out);
/* What an incident report is rendered from (the server renders it: api/report.h): the JSON
 * objects the API shows, read from one view. */
struct sched_report {
    const char *project_name; /* borrowed from the config */
    json_t *issue;            /* owned, with description */
    json_t *release;          /* owned: the issue's release as the team sees it, or NULL */
    json_t *checklist;        /* owned: GET .../checklist */
    json_t *assessment;       /* owned: GET .../assessment */
    json_t *adoption;         /* owned: GET .../adoption, or NULL */
    json_t *contacts;         /* owned: the project's emergency contacts */
};
/* Gathers the report's objects of issue `id`; free with sched_report_free (also after an
 * error). */
int sched_issue_report(struct sched *s, const struct config_project *p, int64_t id, int64_t now,
                       struct sched_report *out);
void sched_report_free(struct sched_report *r);

/* Previews (scheduler/preview.c, docs/CONTRACT.md "Preview"): between sched_preview_begin and
 * sched_preview_end every operation on the project runs as usual but inside one store
 * transaction that sched_preview_end rolls back; nothing in memory changes (no generation,
 * export, engine kick or timer), and caches must neither be filled nor read in between.
 * sched_preview_end gives the outbox rows written (`would_send`: [{"type", "audience",
 * "channel", "release", "due_at"}]) and what changed for whom (`would_change`: {"releases":
 * [{"id", "audiences"}], "issues": [...]}). begin: RC_EAGAIN when another process holds the
 * write lock. */
struct sched_preview {
    const struct config_project *project;
    int64_t now;
    json_t *before;
};
int sched_preview_begin(struct sched *s, const struct config_project *p, struct sched_preview *pv);
int sched_preview_end(struct sched *s, struct sched_preview *pv, json_t **would_send,
                      json_t **would_change);

/* Branch bits of `names` in the project's branch list. */
uint32_t sched_branch_bits(const struct policy_project *p, char (*names)[POLICY_ID_MAX], size_t n);

#endif
