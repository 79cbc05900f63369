/* Previews of writes (docs/CONTRACT.md "Preview"): the write runs in a store transaction that is
 * always rolled back (store/preview.c). Before the rollback the outbox rows it wrote are read
 * back (would_send), and every release's and issue's face for each audience is compared with
 * the face before the write (would_change). Nothing in memory changes either: sched__finish and
 * sched_kick_project only run the project's tick inside the transaction (sched__tick_preview),
 * never raising the generation, exporting, waking the delivery engine or re-arming the timer. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/json.h"
#include "scheduler/checklist.h"
#include "scheduler/internal.h"
#include "scheduler/json.h"
#include "views/view.h"

/* A face as comparable text ("null" when the audience does not see it). */
static json_t *face_text(json_t *o)
{
    char *t = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    json_decref(o);
    json_t *s = json_string(t ? t : "null");
    free(t);
    return s;
}

/* What the team sees of an issue besides its object: the checklist, the assessment record and
 * the adoption figures (the checklist routes). */
static int team_extras(struct sched *s, struct sched_view *v, const struct store_issue *is,
                       int64_t now, json_t *o)
{
    struct sched_checklist c;
    int rc = sched__checklist(s, v, is, now, &c);
    if (rc < 0)
        return rc;
    json_object_set_new(o, "checklist", sched__checklist_json(&c, is->core.id));
    sched__checklist_free(&c);
    char *text = NULL;
    if ((rc = store_assessment_get(s->store, v->project->policy.id, is->core.id, &text)) < 0)
        return rc;
    json_object_set_new(o, "assessment", text ? json_string(text) : json_null());
    free(text);
    struct store_adoption *figs = NULL;
    size_t n = 0;
    if ((rc = store_adoption_list(s->store, is->core.id, &figs, &n)) < 0)
        return rc;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{sIsfsssI}", "at", (json_int_t)figs[i].at, "share",
                                              figs[i].share, "by", figs[i].actor, "recorded_at",
                                              (json_int_t)figs[i].recorded_at));
    free(figs);
    json_object_set_new(o, "adoption", list);
    return 0;
}

/* What audience `a` sees of an issue: the fields policy/disclosure.h allows it (the team: the
 * issue object with its checklist, assessment and adoption figures); null when not listed. */
static json_t *issue_face(struct sched *s, struct sched_view *v, const struct store_issue *is,
                          enum policy_audience a, int64_t now, int *rc)
{
    const struct store_release *r =
        is->core.release_id[0] ? sched_view_release(v, is->core.release_id) : NULL;
    struct policy_issue_visibility vis = policy_disclosure_issue(a, r ? &r->core : NULL, &is->core);
    if (!vis.listed)
        return json_null();
    json_t *full = sched_issue_json(v->project, is, now, true);
    if (a == POLICY_AUDIENCE_TEAM) {
        *rc = team_extras(s, v, is, now, full);
        return full;
    }
    json_t *o = view_issue_face_json(full, &vis);
    json_decref(full);
    return o;
}

/* {"releases": {id: [public, distributors, team]}, "issues": {id: [...]}}, each face as text. */
static int faces(struct sched *s, const struct config_project *p, int64_t now, json_t **out)
{
    struct sched_view v;
    int rc = sched_view_load(s, p, now, &v);
    json_t *rels = json_object(), *issues = json_object();
    for (size_t i = 0; i < v.n && rc == 0; i++) {
        json_t *f = json_array();
        for (int a = 0; a < POLICY_AUDIENCE_COUNT; a++)
            json_array_append_new(
                f, face_text(sched_release_json(&v, &v.rels[i], (enum policy_audience)a)));
        json_object_set_new(rels, v.rels[i].core.id, f);
    }
    for (size_t i = v.n_issues; i-- > 0 && rc == 0;) { /* oldest first */
        json_t *f = json_array();
        for (int a = 0; a < POLICY_AUDIENCE_COUNT && rc == 0; a++)
            json_array_append_new(
                f, face_text(issue_face(s, &v, &v.issues[i], (enum policy_audience)a, now, &rc)));
        char key[32];
        snprintf(key, sizeof key, "%lld", (long long)v.issues[i].core.id);
        json_object_set_new(issues, key, f);
    }
    sched_view_free(&v);
    *out = json_pack("{soso}", "releases", rels, "issues", issues);
    return rc;
}

/* The entries of `after` (or of `before` alone) whose face changed, with the audiences. */
static json_t *changed(const json_t *before, const json_t *after, bool numeric_ids)
{
    json_t *list = json_array();
    for (int pass = 0; pass < 2; pass++) {
        const json_t *from = pass == 0 ? after : before, *other = pass == 0 ? before : after;
        const char *id;
        json_t *f;
        json_object_foreach((json_t *)from, id, f)
        {
            json_t *g = json_object_get(other, id);
            if (pass == 1 && g)
                continue; /* seen in the first pass */
            json_t *aud = json_array();
            for (int a = 0; a < POLICY_AUDIENCE_COUNT; a++) {
                const char *x = json_string_value(json_array_get(f, (size_t)a));
                const char *y = g ? json_string_value(json_array_get(g, (size_t)a)) : "null";
                if (strcmp(x ? x : "null", y ? y : "null") != 0)
                    json_array_append_new(
                        aud, json_string(policy_audience_name((enum policy_audience)a)));
            }
            if (json_array_size(aud) == 0) {
                json_decref(aud);
                continue;
            }
            json_t *idj = numeric_ids ? json_integer(strtoll(id, NULL, 10)) : json_string(id);
            json_array_append_new(list, json_pack("{soso}", "id", idj, "audiences", aud));
        }
    }
    return list;
}

int sched_preview_begin(struct sched *s, const struct config_project *p, struct sched_preview *pv)
{
    memset(pv, 0, sizeof *pv);
    pv->project = p;
    pv->now = clock_now(s->clock);
    int rc = store_preview_begin(s->store);
    if (rc < 0)
        return rc;
    if ((rc = faces(s, p, pv->now, &pv->before)) < 0) {
        json_decref(pv->before);
        pv->before = NULL;
        store_preview_end(s->store);
    }
    return rc;
}

int sched_preview_end(struct sched *s, struct sched_preview *pv, json_t **would_send,
                      json_t **would_change)
{
    *would_send = *would_change = NULL;
    json_t *after = NULL;
    struct store_outbox *rows = NULL;
    size_t n = 0;
    int rc = faces(s, pv->project, pv->now, &after);
    if (rc == 0)
        rc = store_preview_outbox(s->store, &rows, &n);
    store_preview_end(s->store);
    if (rc == 0) {
        *would_send = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(
                *would_send,
                json_pack("{sssssssoso}", "type", rows[i].message_type, "audience",
                          policy_audience_name(rows[i].audience), "channel", rows[i].channel,
                          "release",
                          jsonx_string_or_null(rows[i].release_id[0] ? rows[i].release_id : NULL),
                          "due_at", jsonx_time(rows[i].next_attempt_at)));
        *would_change = json_pack(
            "{soso}", "releases",
            changed(json_object_get(pv->before, "releases"), json_object_get(after, "releases"),
                    false),
            "issues",
            changed(json_object_get(pv->before, "issues"), json_object_get(after, "issues"), true));
    }
    store_outbox_free(rows, n);
    json_decref(after);
    json_decref(pv->before);
    pv->before = NULL;
    return rc;
}
