/* The project key "checklist": the incident checklist template (phases of tasks with optional
 * due rules, self-completion and conditions). Absent: the default (Stalwart) template. */
#include <stdlib.h>
#include <string.h>

#include "config/internal.h"
#include "core/xalloc.h"

struct tpl_ctx {
    struct checklist_phase *phases;
    size_t n_phases;
    struct checklist_task *tasks; /* the tasks of the phase being read */
    size_t n_tasks;
    const struct checklist_template *all_so_far; /* for duplicate ids */
};

static bool valid_task_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= CHECKLIST_ID_MAX)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return false;
    return true;
}

static int get_id_title(struct cfg_ctx *c, json_t *o, const char **id, const char **title)
{
    int rc;
    if ((rc = cfg_get_string(c, o, "id", true, id)) < 0 ||
        (rc = cfg_get_string(c, o, "title", true, title)) < 0)
        return rc;
    if (!valid_task_id(*id))
        return cfg_fail(c, "id",
                        "'%s' is not a valid id (lower-case letters, digits, - and _; at most "
                        "%d characters)",
                        *id, CHECKLIST_ID_MAX - 1);
    if (strlen(*title) >= CHECKLIST_TITLE_MAX) /* empty strings are refused by cfg_get_string */
        return cfg_fail(c, "title", "longer than %d characters", CHECKLIST_TITLE_MAX - 1);
    return 0;
}

static bool id_used(const struct tpl_ctx *t, const char *id)
{
    for (size_t p = 0; p < t->n_phases; p++) {
        if (strcmp(t->phases[p].id, id) == 0)
            return true;
        for (size_t k = 0; k < t->phases[p].n_tasks; k++)
            if (strcmp(t->phases[p].tasks[k].id, id) == 0)
                return true;
    }
    for (size_t k = 0; k < t->n_tasks; k++)
        if (strcmp(t->tasks[k].id, id) == 0)
            return true;
    return false;
}

static int task_elem(struct cfg_ctx *c, json_t *o, void *ud)
{
    static const char *const keys[] = {"id", "title", "due", "auto", "when", NULL};
    struct tpl_ctx *t = ud;
    const char *id, *title, *due, *autos, *when;
    int rc;
    if (!json_is_object(o))
        return cfg_fail(c, NULL, "must be an object");
    if ((rc = cfg_check_keys(c, o, keys)) < 0 || (rc = get_id_title(c, o, &id, &title)) < 0 ||
        (rc = cfg_get_string(c, o, "due", false, &due)) < 0 ||
        (rc = cfg_get_string(c, o, "auto", false, &autos)) < 0 ||
        (rc = cfg_get_string(c, o, "when", false, &when)) < 0)
        return rc;
    if (id_used(t, id))
        return cfg_fail(c, "id", "'%s' is used twice in the checklist", id);
    struct checklist_task task = {0};
    if (due) {
        if (checklist_due_parse(due, &task.due_event, &task.due_offset) < 0)
            return cfg_fail(c, "due",
                            "'%s' is not EVENT, EVENT+Nd or EVENT-Nh with EVENT one of reported, "
                            "acknowledge_deadline, respond_deadline, resolve_deadline, cutoff, "
                            "distributor_notice, announce, release, published",
                            due);
        task.has_due = true;
    }
    if (autos && checklist_auto_parse(autos, &task.auto_done) < 0)
        return cfg_fail(c, "auto",
                        "'%s' is not one of severity_assessed, fix_ready, cve_recorded, "
                        "ghsa_recorded, distributor_notice_delivered, announcements_delivered, "
                        "release_published",
                        autos);
    if (when && checklist_when_parse(when, &task.when) < 0)
        return cfg_fail(c, "when", "must be always or cve_recommended, not '%s'", when);
    task.id = xstrdup(id);
    task.title = xstrdup(title);
    t->tasks[t->n_tasks++] = task;
    return 0;
}

static int phase_elem(struct cfg_ctx *c, json_t *o, void *ud)
{
    static const char *const keys[] = {"id", "title", "tasks", NULL};
    struct tpl_ctx *t = ud;
    const char *id, *title;
    int rc;
    if (!json_is_object(o))
        return cfg_fail(c, NULL, "must be an object");
    if ((rc = cfg_check_keys(c, o, keys)) < 0 || (rc = get_id_title(c, o, &id, &title)) < 0)
        return rc;
    if (id_used(t, id))
        return cfg_fail(c, "id", "'%s' is used twice in the checklist", id);
    struct checklist_phase *ph = &t->phases[t->n_phases];
    ph->id = xstrdup(id);
    ph->title = xstrdup(title);
    t->tasks = xcalloc(json_array_size(json_object_get(o, "tasks")) + 1, sizeof *t->tasks);
    t->n_tasks = 0;
    rc = cfg_each(c, o, "tasks", true, 200, task_elem, t);
    ph->tasks = t->tasks;
    ph->n_tasks = t->n_tasks;
    t->tasks = NULL;
    t->n_tasks = 0;
    t->n_phases++; /* counted even on error, so its strings are freed */
    return rc;     /* cfg_each refuses an empty "tasks" (required) */
}

int cfg_parse_checklist(struct cfg_ctx *c, json_t *project, struct config_project *cp)
{
    json_t *a = json_object_get(project, "checklist");
    if (!a)
        return 0;
    struct tpl_ctx t = {0};
    t.phases = xcalloc(json_array_size(a) + 1, sizeof *t.phases);
    int rc = cfg_each(c, project, "checklist", false, 50, phase_elem, &t);
    cp->checklist.phases = t.phases;
    cp->checklist.n_phases = t.n_phases;
    cp->owns_checklist = true;
    if (rc == 0 && t.n_phases == 0)
        return cfg_fail(c, "checklist", "needs at least one phase (leave it out for the default)");
    return rc;
}

void cfg_checklist_clear(struct config_project *cp)
{
    if (!cp->owns_checklist)
        return;
    for (size_t p = 0; p < cp->checklist.n_phases; p++) {
        const struct checklist_phase *ph = &cp->checklist.phases[p];
        for (size_t k = 0; k < ph->n_tasks; k++) {
            free((char *)ph->tasks[k].id);
            free((char *)ph->tasks[k].title);
        }
        free((void *)ph->tasks);
        free((char *)ph->id);
        free((char *)ph->title);
    }
    free((void *)cp->checklist.phases);
    cp->checklist.phases = NULL;
    cp->checklist.n_phases = 0;
}

const struct checklist_template *config_checklist(const struct config_project *p)
{
    return p->checklist.n_phases ? &p->checklist : checklist_default();
}
