/* The project key "checklist": the incident checklist template (phases of tasks with optional
 * due rules, self-completion and conditions). Absent: the default (Stalwart) template. */
#include <stdlib.h>
#include <string.h>

#include "config/internal.h"
#include "core/buf.h"
#include "core/choices.h"
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
    if ((rc = config__get_string(c, o, "id", true, id)) < 0 ||
        (rc = config__get_string(c, o, "title", true, title)) < 0)
        return rc;
    if (!valid_task_id(*id))
        return config__fail(c, "id",
                            "'%s' is not a valid id (lower-case letters, digits, - and _; at most "
                            "%d characters)",
                            *id, CHECKLIST_ID_MAX - 1);
    if (strlen(*title) >= CHECKLIST_TITLE_MAX) /* empty strings are refused by config__get_string */
        return config__fail(c, "title", "longer than %d characters", CHECKLIST_TITLE_MAX - 1);
    return 0;
}

/* A decision's choice: a short id, not "open" (which reopens a task). */
struct choices_ctx {
    struct buf *list; /* "a|b" */
    size_t n;
    const char *of; /* reason_required: the choices */
};

static int choice_elem(struct cfg_ctx *c, json_t *o, void *ud)
{
    struct choices_ctx *x = ud;
    if (!json_is_string(o))
        return config__fail(c, NULL, "must be a string");
    const char *v = json_string_value(o);
    if (!valid_task_id(v) || strlen(v) >= CHECKLIST_CHOICE_MAX)
        return config__fail(
            c, NULL,
            "'%s' is not a valid choice (lower-case letters, digits, - and _; at most "
            "%d characters)",
            v, CHECKLIST_CHOICE_MAX - 1);
    if (x->of && !choices_has(x->of, v))
        return config__fail(c, NULL, "'%s' is not one of the choices", v);
    if (!x->of && strcmp(v, "open") == 0)
        return config__fail(c, NULL, "'open' is reserved (it reopens the decision)");
    if (choices_has(buf_cstr(x->list), v))
        return config__fail(c, NULL, "'%s' is listed twice", v);
    if (x->n++)
        buf_append_str(x->list, "|");
    buf_append_str(x->list, v);
    return 0;
}

/* An array of choices (strings: config__each takes objects). */
static int choice_list(struct cfg_ctx *c, json_t *o, const char *key, struct choices_ctx *x)
{
    json_t *a = json_object_get(o, key);
    if (!a)
        return 0;
    if (!json_is_array(a) || json_array_size(a) > 8)
        return config__fail(c, key, "must be an array of at most 8 choices");
    size_t saved = config__push_key(c, key), i;
    json_t *v;
    int rc = 0;
    json_array_foreach(a, i, v)
    {
        size_t s2 = config__push_index(c, i);
        rc = choice_elem(c, v, x);
        config__pop(c, s2);
        if (rc < 0)
            break;
    }
    config__pop(c, saved);
    return rc;
}

/* "kind", "choices" and "reason_required" of a task. */
static int decision(struct cfg_ctx *c, json_t *o, struct checklist_task *task)
{
    const char *kind;
    int rc;
    if ((rc = config__get_string(c, o, "kind", false, &kind)) < 0)
        return rc;
    if (kind && checklist_kind_parse(kind, &task->kind) < 0)
        return config__fail(c, "kind", "must be task or decision, not '%s'", kind);
    if (task->kind != CHECKLIST_KIND_DECISION) {
        if (json_object_get(o, "choices"))
            return config__fail(c, "choices", "only a decision (kind: decision) has choices");
        if (json_object_get(o, "reason_required"))
            return config__fail(c, "reason_required",
                                "only a decision (kind: decision) has choices");
        return 0;
    }
    if (task->auto_done)
        return config__fail(c, "auto", "a decision is set by hand, not completed by relcal");
    struct buf list, reasons;
    buf_init(&list, 4096);
    buf_init(&reasons, 4096);
    struct choices_ctx x = {.list = &list};
    if ((rc = choice_list(c, o, "choices", &x)) == 0 && x.n < 2)
        rc = config__fail(c, "choices", "a decision needs an array of 2 to 8 choices");
    struct choices_ctx r = {.list = &reasons, .of = buf_cstr(&list)};
    if (rc == 0)
        rc = choice_list(c, o, "reason_required", &r);
    if (rc == 0 && (buf_error(&list) || buf_error(&reasons)))
        rc = config__fail(c, "choices", "the choices are too long together (4095 bytes at most)");
    if (rc == 0) {
        task->choices = buf_steal(&list, NULL);
        task->reason_required = r.n ? buf_steal(&reasons, NULL) : NULL;
    }
    buf_close(&list);
    buf_close(&reasons);
    return rc;
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
    static const char *const keys[] = {
        "id", "title", "due", "auto", "when", "group", "kind", "choices", "reason_required", NULL};
    struct tpl_ctx *t = ud;
    const char *id, *title, *due, *autos, *when, *group;
    int rc;
    if (!json_is_object(o))
        return config__fail(c, NULL, "must be an object");
    if ((rc = config__check_keys(c, o, keys)) < 0 || (rc = get_id_title(c, o, &id, &title)) < 0 ||
        (rc = config__get_string(c, o, "due", false, &due)) < 0 ||
        (rc = config__get_string(c, o, "auto", false, &autos)) < 0 ||
        (rc = config__get_string(c, o, "when", false, &when)) < 0 ||
        (rc = config__get_string(c, o, "group", false, &group)) < 0)
        return rc;
    if (group && !valid_task_id(group))
        return config__fail(c, "group",
                            "'%s' is not a valid id (lower-case letters, digits, - and _; at most "
                            "%d characters)",
                            group, CHECKLIST_ID_MAX - 1);
    if (id_used(t, id))
        return config__fail(c, "id", "'%s' is used twice in the checklist", id);
    struct checklist_task task = {0};
    if (due) {
        if (checklist_due_parse(due, &task.due_event, &task.due_offset) < 0)
            return config__fail(
                c, "due",
                "'%s' is not EVENT, EVENT+Nd or EVENT-Nh with EVENT one of reported, "
                "acknowledge_deadline, respond_deadline, resolve_deadline, cutoff, "
                "distributor_notice, announce, release, published",
                due);
        task.has_due = true;
    }
    if (autos && checklist_auto_parse(autos, &task.auto_done) < 0)
        return config__fail(c, "auto",
                            "'%s' is not one of severity_assessed, fix_ready, cve_recorded, "
                            "ghsa_recorded, distributor_notice_delivered, announcements_delivered, "
                            "release_published",
                            autos);
    if (when && checklist_when_parse(when, &task.when) < 0)
        return config__fail(c, "when", "must be always or cve_recommended, not '%s'", when);
    if ((rc = decision(c, o, &task)) < 0)
        return rc;
    task.group = group ? xstrdup(group) : NULL;
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
        return config__fail(c, NULL, "must be an object");
    if ((rc = config__check_keys(c, o, keys)) < 0 || (rc = get_id_title(c, o, &id, &title)) < 0)
        return rc;
    if (id_used(t, id))
        return config__fail(c, "id", "'%s' is used twice in the checklist", id);
    struct checklist_phase *ph = &t->phases[t->n_phases];
    ph->id = xstrdup(id);
    ph->title = xstrdup(title);
    t->tasks = xcalloc(json_array_size(json_object_get(o, "tasks")) + 1, sizeof *t->tasks);
    t->n_tasks = 0;
    rc = config__each(c, o, "tasks", true, 200, task_elem, t);
    ph->tasks = t->tasks;
    ph->n_tasks = t->n_tasks;
    t->tasks = NULL;
    t->n_tasks = 0;
    t->n_phases++; /* counted even on error, so its strings are freed */
    return rc;     /* config__each refuses an empty "tasks" (required) */
}

/* An e-mail address as far as a report reader needs: local@domain, no spaces or controls. */
static bool valid_email(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || !at[1] || strchr(at + 1, '@') || !strchr(at + 1, '.'))
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p == 0x7f || strchr("<>()[]\\,;:\"", *p))
            return false;
    return true;
}

/* Digits with +, spaces, -, ., / and parentheses; at least 3 digits. */
static bool valid_phone(const char *s)
{
    size_t digits = 0;
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (!strchr("+ -./()", *p))
            return false;
    }
    return digits >= 3;
}

static int contact_text(struct cfg_ctx *c, json_t *o, const char *key, bool required,
                        const char **out)
{
    int rc = config__get_string(c, o, key, required, out);
    if (rc < 0 || !*out)
        return rc;
    if (strlen(*out) > 200)
        return config__fail(c, key, "longer than 200 characters");
    for (const unsigned char *p = (const unsigned char *)*out; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return config__fail(c, key, "must be one line without control characters");
    return 0;
}

static int contact_elem(struct cfg_ctx *c, json_t *o, void *ud)
{
    static const char *const keys[] = {"name", "role", "email", "phone", NULL};
    struct config_project *cp = ud;
    const char *name, *role, *email, *phone;
    int rc;
    if (!json_is_object(o))
        return config__fail(c, NULL, "must be an object");
    if ((rc = config__check_keys(c, o, keys)) < 0 ||
        (rc = contact_text(c, o, "name", true, &name)) < 0 ||
        (rc = contact_text(c, o, "role", false, &role)) < 0 ||
        (rc = contact_text(c, o, "email", false, &email)) < 0 ||
        (rc = contact_text(c, o, "phone", false, &phone)) < 0)
        return rc;
    if (!email && !phone)
        return config__fail(c, NULL, "needs an email or a phone (how to reach '%s')", name);
    if (email && !valid_email(email))
        return config__fail(c, "email", "'%s' is not an e-mail address", email);
    if (phone && !valid_phone(phone))
        return config__fail(c, "phone", "'%s' is not a phone number (digits, +, spaces, - . / ( ))",
                            phone);
    struct config_contact *k = &cp->contacts[cp->n_contacts++];
    k->name = xstrdup(name);
    k->role = role ? xstrdup(role) : NULL;
    k->email = email ? xstrdup(email) : NULL;
    k->phone = phone ? xstrdup(phone) : NULL;
    return 0;
}

int config__parse_checklist(struct cfg_ctx *c, json_t *project, struct config_project *cp)
{
    json_t *ec = json_object_get(project, "emergency_contacts");
    if (ec) {
        cp->contacts = xcalloc(json_array_size(ec) + 1, sizeof *cp->contacts);
        int rc = config__each(c, project, "emergency_contacts", false, 20, contact_elem, cp);
        if (rc < 0)
            return rc;
    }
    json_t *a = json_object_get(project, "checklist");
    if (!a)
        return 0;
    struct tpl_ctx t = {0};
    t.phases = xcalloc(json_array_size(a) + 1, sizeof *t.phases);
    int rc = config__each(c, project, "checklist", false, 50, phase_elem, &t);
    cp->checklist.phases = t.phases;
    cp->checklist.n_phases = t.n_phases;
    cp->owns_checklist = true;
    if (rc == 0 && t.n_phases == 0)
        return config__fail(c, "checklist",
                            "needs at least one phase (leave it out for the default)");
    return rc;
}

void config__checklist_clear(struct config_project *cp)
{
    for (size_t i = 0; i < cp->n_contacts; i++) {
        free(cp->contacts[i].name);
        free(cp->contacts[i].role);
        free(cp->contacts[i].email);
        free(cp->contacts[i].phone);
    }
    free(cp->contacts);
    cp->contacts = NULL;
    cp->n_contacts = 0;
    if (!cp->owns_checklist)
        return;
    for (size_t p = 0; p < cp->checklist.n_phases; p++) {
        const struct checklist_phase *ph = &cp->checklist.phases[p];
        for (size_t k = 0; k < ph->n_tasks; k++) {
            free((char *)ph->tasks[k].id);
            free((char *)ph->tasks[k].title);
            free((char *)ph->tasks[k].group);
            free((char *)ph->tasks[k].choices);
            free((char *)ph->tasks[k].reason_required);
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
