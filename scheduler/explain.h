/* Gathers what policy/explain.c needs to explain one release: the cadence instance and the
 * config's date of a scheduled window, the release's audit rows (creation, moves, cancellation,
 * publication) and its issues. Read-only; the server and `relcal next --explain` render it
 * (api/explain.h, passed in: the scheduler does not depend on api/). */
#ifndef RELCAL_SCHEDULER_EXPLAIN_H
#define RELCAL_SCHEDULER_EXPLAIN_H

#include <jansson.h>

#include "policy/explain.h"
#include "scheduler/sched.h"

struct sched_explanation {
    struct policy_explain_step *steps;
    size_t n;
    /* What the steps borrow their strings from. */
    struct store_audit *audit;
    size_t n_audit;
    json_t *details; /* the parsed audit details, kept alive for their reasons */
};

/* The explanation of release r of view v as `audience` may see it at `now`. RC_ESTORE when the
 * audit log cannot be read. Free with sched_explanation_free. */
int sched_release_explain(struct sched *s, const struct sched_view *v,
                          const struct store_release *r, enum policy_audience audience, int64_t now,
                          struct sched_explanation *out);
void sched_explanation_free(struct sched_explanation *e);

/* Renders the steps as JSON (new reference): the caller's renderer, api_explain_json of
 * api/explain.h, which the scheduler does not include. */
typedef json_t *sched_explain_render_fn(const struct policy_project *p,
                                        const struct policy_explain_step *steps, size_t n);

/* The release object (scheduler/json.h) with its "explanation" rendered by `render`, as
 * `GET .../releases/{rid}?explain=1` answers; NULL when the audit log cannot be read. */
json_t *sched_release_explained_json(struct sched *s, const struct sched_view *v,
                                     const struct store_release *r, enum policy_audience audience,
                                     int64_t now, sched_explain_render_fn *render);

#endif
