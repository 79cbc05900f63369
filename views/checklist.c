/* The checklist and adoption objects (see checklist.h). */
#include "views/checklist.h"

#include "core/choices.h"
#include "core/json.h"

static const char *nonempty(const char *s)
{
    return s && s[0] ? s : NULL;
}

static json_t *task_json(const struct view_task *t)
{
    char rule[96] = "";
    if (t->task->has_due)
        checklist_due_format(t->task->due_event, t->task->due_offset, rule, sizeof rule);
    json_t *choices = json_null();
    if (t->task->kind == CHECKLIST_KIND_DECISION) {
        choices = json_array();
        const char *q = t->task->choices, *item;
        size_t len;
        while (choices_next(&q, &item, &len))
            json_array_append_new(choices, json_stringn(item, len));
    }
    json_t *tj = json_pack(
        "{sssssssososososbsbsosososo}", "id", t->task->id, "title", t->task->title, "state",
        checklist_state_name(t->state), "due_rule", jsonx_string_or_null(nonempty(rule)), "due_at",
        jsonx_time(t->due_at), "done_at", jsonx_time(t->done_at), "auto",
        jsonx_string_or_null(t->task->auto_done ? checklist_auto_name(t->task->auto_done) : NULL),
        "automatic", t->automatic, "overdue", t->overdue, "by",
        jsonx_string_or_null(nonempty(t->by)), "evidence",
        jsonx_string_or_null(nonempty(t->evidence)), "note", jsonx_string_or_null(t->note), "when",
        json_string(checklist_when_name(t->task->when)));
    json_object_set_new(tj, "group", jsonx_string_or_null(t->task->group));
    json_object_set_new(tj, "kind", json_string(checklist_kind_name(t->task->kind)));
    json_object_set_new(tj, "choices", choices);
    json_object_set_new(tj, "decision", jsonx_string_or_null(nonempty(t->decision)));
    return tj;
}

json_t *view_checklist_json(const struct view_checklist *c)
{
    json_t *phases = json_array();
    json_t *tasks = NULL;
    for (size_t i = 0; i < c->n; i++) {
        const struct view_task *t = &c->tasks[i];
        if (i == 0 || t->phase != c->tasks[i - 1].phase) {
            tasks = json_array();
            json_array_append_new(phases, json_pack("{sssssO}", "id", t->phase->id, "title",
                                                    t->phase->title, "tasks", tasks));
            json_decref(tasks);
        }
        json_array_append_new(tasks, task_json(t));
    }
    return json_pack("{sIsIsIso}", "issue", (json_int_t)c->issue_id, "open", (json_int_t)c->open,
                     "overdue", (json_int_t)c->overdue, "phases", phases);
}

json_t *view_adoption_json(int64_t issue_id, int64_t published_at, int64_t half_at,
                           const struct view_adoption_figure *figs, size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{sfsossso}", "share", figs[i].share, "at",
                                              jsonx_time(figs[i].at), "by", figs[i].by,
                                              "recorded_at", jsonx_time(figs[i].recorded_at)));
    return json_pack("{sIsosososo}", "issue", (json_int_t)issue_id, "published_at",
                     jsonx_time(published_at), "half_at", jsonx_time(half_at), "seconds_to_half",
                     half_at == POLICY_TIME_NONE ? json_null()
                                                 : json_integer(half_at - published_at),
                     "figures", list);
}
