/* scheduler/: operations and due events with a fake clock (no loop, no sleeping), SQLite in
 * memory, and marker strings proving that public messages carry nothing private. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/json.h"
#include "scheduler/handled.h"
#include "scheduler/sched.h"

#define T_NOW    1795521600 /* 2026-11-24T12:00:00Z */
#define T_CUTOFF 1801573200 /* 2027-02-02T13:00:00Z: cut-off, announcement, notice */
#define T_START  1802178000 /* 2027-02-09T13:00:00Z */

static const char *const cfg_text =
    "{\"allow_private_addresses\": true, \"projects\": [{\"id\": \"mautic\", \"timezone\": "
    "\"Europe/Berlin\", \"branches\": [{\"name\": \"5.x\", \"version\": \"5.1.2\"}],"
    " \"channels\": ["
    "  {\"name\": \"team\", \"type\": \"log\", \"audience\": \"team\", \"path\": \"/dev/null\"},"
    "  {\"name\": \"announce\", \"type\": \"discord\", \"audience\": \"public\","
    "   \"url\": \"https://discord.example/api/webhooks/1/x\"},"
    "  {\"name\": \"debian\", \"type\": \"webhook\", \"audience\": \"distributors\","
    "   \"url\": \"https://hooks.example/h\", \"secret\": "
    "\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}]}]}";

struct fixture {
    struct config *cfg;
    struct store *store;
    struct core_clock clock;
    struct sched s;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    char err[256];
    assert_int_equal(config_load_string(cfg_text, "t.json", &f->cfg, err, sizeof err), 0);
    assert_int_equal(store_open(":memory:", &f->store), 0);
    clock_init_fake(&f->clock, (int64_t)T_NOW * 1000);
    f->s = (struct sched){.cfg = f->cfg, .store = f->store, .clock = &f->clock};
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->store);
    config_free(f->cfg);
    free(f);
    return 0;
}

static void set_now(struct fixture *f, int64_t t)
{
    clock_init_fake(&f->clock, t * 1000);
}

static const struct sched_actor manager = {"alice", CONFIG_ROLE_MANAGER};
static const struct policy_publish no_reason = {NULL, NULL};

static int64_t make_ready_issue(struct fixture *f, const char *vector)
{
    const struct config_project *p = &f->cfg->projects[0];
    struct policy_issue_input in;
    memset(&in, 0, sizeof in);
    in.title = (struct policy_opt_text){true, "PRIVATE-TITLE-1"};
    in.description = (struct policy_opt_text){true, "PRIVATE-DESC"};
    in.cve = (struct policy_opt_text){true, "CVE-2027-99999"};
    in.has_severity = true;
    assert_int_equal(policy_severity_score(vector, &in.severity, NULL, 0), 0);
    in.has_branches = true;
    in.branches[0] = "5.x";
    in.n_branches = 1;
    struct sched_outcome why;
    int64_t id;
    assert_int_equal(sched_issue_create(&f->s, p, &in, &manager, &id, &why), 0);
    const enum policy_issue_status steps[] = {POLICY_ISSUE_ACKNOWLEDGED, POLICY_ISSUE_CONFIRMED,
                                              POLICY_ISSUE_FIX_READY};
    for (size_t k = 0; k < 3; k++) {
        struct policy_issue_input t;
        memset(&t, 0, sizeof t);
        t.has_status = true;
        t.status = steps[k];
        assert_int_equal(sched_issue_update(&f->s, p, id, &t, &manager, &why), 0);
    }
    return id;
}

static size_t count_rows(struct fixture *f, const char *channel, const char *type,
                         const char *must_not_contain, const char *must_contain)
{
    struct store_outbox *rows;
    size_t n, hits = 0;
    assert_int_equal(store_outbox_list(f->store, "mautic", NULL, &rows, &n), 0);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(rows[i].channel, channel) != 0 || strcmp(rows[i].message_type, type) != 0)
            continue;
        hits++;
        if (must_not_contain && strstr(rows[i].payload, must_not_contain)) {
            fprintf(stderr, "%s/%s leaks %s: %s\n", channel, type, must_not_contain,
                    rows[i].payload);
            fail();
        }
        if (must_contain)
            assert_non_null(strstr(rows[i].payload, must_contain));
    }
    store_outbox_free(rows, n);
    return hits;
}

static void lifecycle_of_a_window(void **state)
{
    struct fixture *f = *state;
    const struct config_project *p = &f->cfg->projects[0];
    int64_t next = sched_tick(&f->s, T_NOW);
    assert_int_equal(next, T_CUTOFF); /* the single timer's next instant */
    int64_t id = make_ready_issue(f, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    struct sched_view v;
    assert_int_equal(sched_view_load(&f->s, p, T_NOW, &v), 0);
    assert_string_equal(sched_view_issue(&v, id)->core.release_id, "2027-02-09");
    sched_view_free(&v);

    /* Nothing public before the announcement. */
    assert_int_equal(count_rows(f, "announce", "release.announced", NULL, NULL), 0);
    /* The cut-off is inclusive: in its very second a fix may still join, so the window is judged
     * (and announced) only once that second has passed. */
    set_now(f, T_CUTOFF);
    assert_int_equal(sched_tick(&f->s, T_CUTOFF), T_CUTOFF + 1);
    assert_int_equal(sched_view_load(&f->s, p, T_CUTOFF, &v), 0);
    struct store_release *r = sched_view_release(&v, "2027-02-09");
    assert_int_equal(r->core.status, POLICY_RELEASE_PLANNED);
    sched_view_free(&v);
    set_now(f, T_CUTOFF + 1);
    sched_tick(&f->s, T_CUTOFF + 1);
    assert_int_equal(sched_view_load(&f->s, p, T_CUTOFF + 1, &v), 0);
    r = sched_view_release(&v, "2027-02-09");
    assert_int_equal(r->core.status, POLICY_RELEASE_ANNOUNCED);
    assert_int_equal(r->core.announced_at, T_CUTOFF + 1);
    assert_int_equal(r->core.distributors_notified_at, T_CUTOFF + 1);
    sched_view_free(&v);
    /* Public gets the date and counts, never the private fields; distributors get the detail. */
    assert_int_equal(count_rows(f, "announce", "release.announced", "PRIVATE", "\"fix_count\":1"),
                     1);
    assert_int_equal(count_rows(f, "announce", "release.announced", "CVE-2027-99999", NULL), 1);
    assert_int_equal(count_rows(f, "debian", "release.distributor_notice", NULL, "PRIVATE-TITLE-1"),
                     1);
    assert_int_equal(count_rows(f, "debian", "release.distributor_notice", "PRIVATE-DESC", NULL),
                     1);
    /* Ticking again at the same instant does nothing twice. */
    sched_tick(&f->s, T_CUTOFF + 1);
    assert_int_equal(count_rows(f, "announce", "release.announced", NULL, NULL), 1);

    /* Moving later than the maximum embargo after the notice is refused. */
    struct policy_release_patch mv = {.move = true, .date = T_CUTOFF + 15 * 86400};
    struct sched_outcome why;
    memset(&why, 0, sizeof why);
    assert_int_equal(sched_release_patch(&f->s, p, "2027-02-09", &mv, &manager, &why), RC_EPOLICY);
    assert_string_equal(why.refusal.code, "embargo_too_long");
    /* Release day and overdue go to the team. */
    set_now(f, T_START + 7 * 3600);
    sched_tick(&f->s, T_START + 7 * 3600);
    assert_int_equal(count_rows(f, "team", "release.due", NULL, NULL), 1);
    assert_int_equal(count_rows(f, "team", "release.overdue", NULL, NULL), 1);
    assert_int_equal(count_rows(f, "debian", "release.distributor_reminder", NULL, NULL), 1);
    /* Publication releases the issues and tells everyone. */
    assert_int_equal(sched_release_publish(&f->s, p, "2027-02-09", &no_reason, &manager, &why), 0);
    assert_int_equal(sched_view_load(&f->s, p, T_START + 7 * 3600, &v), 0);
    assert_int_equal(sched_view_issue(&v, id)->core.status, POLICY_ISSUE_RELEASED);
    assert_int_equal(sched_view_release(&v, "2027-02-09")->core.status, POLICY_RELEASE_RELEASED);
    sched_view_free(&v);
    /* The public message carries the advisory (its title, CVE, severity, fixed version), never
     * the description (docs/POLICY.md "Disclosure"). */
    assert_int_equal(count_rows(f, "announce", "release.published", "PRIVATE-DESC",
                                "\"advisories\":[{\"title\":\"PRIVATE-TITLE-1\",\"cve\":"
                                "\"CVE-2027-99999\""),
                     1);
    assert_int_equal(count_rows(f, "announce", "release.published", NULL,
                                "\"affected\":\"< 5.1.3\",\"fixed\":\"5.1.3\""),
                     1);
    assert_int_equal(sched_release_publish(&f->s, p, "2027-02-09", &no_reason, &manager, &why),
                     RC_ETRANSITION);
}

/* A fix ready in the cut-off second joins the window even when the tick of that second ran
 * first, and the announcement counts it (docs/POLICY.md, cut-off). */
static void cutoff_second_either_order(void **state)
{
    struct fixture *f = *state;
    const struct config_project *p = &f->cfg->projects[0];
    set_now(f, T_CUTOFF);
    sched_tick(&f->s, T_CUTOFF);
    int64_t id = make_ready_issue(f, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    struct sched_view v;
    assert_int_equal(sched_view_load(&f->s, p, T_CUTOFF, &v), 0);
    assert_int_equal(sched_view_issue(&v, id)->core.fix_ready_at, T_CUTOFF);
    assert_string_equal(sched_view_issue(&v, id)->core.release_id, "2027-02-09");
    sched_view_free(&v);
    set_now(f, T_CUTOFF + 1);
    sched_tick(&f->s, T_CUTOFF + 1);
    assert_int_equal(sched_view_load(&f->s, p, T_CUTOFF + 1, &v), 0);
    assert_int_equal(sched_view_release(&v, "2027-02-09")->core.status, POLICY_RELEASE_ANNOUNCED);
    sched_view_free(&v);
    assert_int_equal(count_rows(f, "announce", "release.announced", NULL, "\"fix_count\":1"), 1);
    assert_int_equal(count_rows(f, "announce", "release.skipped", NULL, NULL), 0);
}

static void refusals(void **state)
{
    struct fixture *f = *state;
    const struct config_project *p = &f->cfg->projects[0];
    struct sched_outcome why;
    memset(&why, 0, sizeof why);
    sched_tick(&f->s, T_NOW);
    int64_t id = make_ready_issue(f, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N");
    struct policy_release_create in = {.date = T_NOW + 15 * 86400, .n_issues = 1, .reason = "r"};
    in.issues[0] = id;
    assert_int_equal(sched_release_create(&f->s, p, &in, &manager, (char[32]){0}, &why),
                     RC_EPOLICY);
    assert_string_equal(why.refusal.code, "severity_below_threshold");
    in.override_reason = "board decision";
    assert_int_equal(sched_release_create(&f->s, p, &in, &manager, (char[32]){0}, &why),
                     RC_EFORBIDDEN);
    const struct sched_actor admin = {"root", CONFIG_ROLE_ADMIN};
    char rid[32];
    assert_int_equal(sched_release_create(&f->s, p, &in, &admin, rid, &why), 0);
    assert_string_equal(rid, "oos-1");
    /* An invalid transition lists the allowed moves. */
    struct policy_issue_input t;
    memset(&t, 0, sizeof t);
    t.has_status = true;
    t.status = POLICY_ISSUE_REPORTED;
    assert_int_equal(sched_issue_update(&f->s, p, id, &t, &manager, &why), RC_ETRANSITION);
    assert_int_equal(why.n_allowed, 2);
    assert_string_equal(why.allowed[0], "confirmed");
    assert_string_equal(why.allowed[1], "rejected");
    assert_int_equal(sched_issue_update(&f->s, p, 999, &t, &manager, &why), RC_ENOTFOUND);
    /* Cancelling sends the issue back to batching. */
    struct policy_release_patch cancel = {.cancel = true, .reason = "merged"};
    assert_int_equal(sched_release_patch(&f->s, p, "oos-1", &cancel, &manager, &why), 0);
    struct sched_view v;
    assert_int_equal(sched_view_load(&f->s, p, T_NOW, &v), 0);
    assert_string_equal(sched_view_issue(&v, id)->core.release_id, "2027-02-09");
    assert_int_equal(sched_view_release(&v, "oos-1")->core.status, POLICY_RELEASE_CANCELLED);
    sched_view_free(&v);
}

/* A move tells the team the previous and the new start. The extra data of that message was
 * never freed (found by fuzz/fuzz_api; the leak shows under --sanitize and --valgrind). */
static void move_tells_the_team(void **state)
{
    struct fixture *f = *state;
    const struct config_project *p = &f->cfg->projects[0];
    struct sched_outcome why;
    memset(&why, 0, sizeof why);
    struct policy_release_patch mv = {.move = true, .date = T_START + 7 * 86400};
    assert_int_equal(sched_release_patch(&f->s, p, "2027-02-09", &mv, &manager, &why), 0);
    assert_int_equal(count_rows(f, "team", "release.rescheduled", NULL,
                                "\"previous_starts_at\":\"2027-02-09T13:00:00Z\""),
                     1);
    assert_int_equal(count_rows(f, "announce", "release.rescheduled", NULL, NULL), 0);
}

/* A preview (docs/CONTRACT.md "Preview") runs the move, reads back what it would send and
 * what would change for whom, and leaves the state, the outbox and the generation as they
 * were. */
static void preview_of_a_move(void **state)
{
    struct fixture *f = *state;
    const struct config_project *p = &f->cfg->projects[0];
    int64_t id = make_ready_issue(f, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    uint64_t generation = f->s.generation;
    struct sched_preview pv;
    assert_int_equal(sched_preview_begin(&f->s, p, &pv), 0);
    struct sched_outcome why;
    memset(&why, 0, sizeof why);
    struct policy_release_patch mv = {.move = true, .date = T_START + 7 * 86400};
    assert_int_equal(sched_release_patch(&f->s, p, "2027-02-09", &mv, &manager, &why), 0);
    json_t *send, *change;
    assert_int_equal(sched_preview_end(&f->s, &pv, &send, &change), 0);
    /* Not announced yet: only the team hears of it, when it is made. */
    char *s = json_dumps(send, JSON_COMPACT);
    assert_string_equal(
        s, "[{\"type\":\"release.rescheduled\",\"audience\":\"team\",\"channel\":"
           "\"team\",\"release\":\"2027-02-09\",\"due_at\":\"2026-11-24T12:00:00Z\"}]");
    free(s);
    /* Its date is public; the issue's checklist counts from it (the team's). */
    s = json_dumps(change, JSON_COMPACT);
    char want[256];
    snprintf(want, sizeof want,
             "{\"releases\":[{\"id\":\"2027-02-09\",\"audiences\":[\"public\",\"distributors\","
             "\"team\"]}],\"issues\":[{\"id\":%lld,\"audiences\":[\"team\"]}]}",
             (long long)id);
    assert_string_equal(s, want);
    free(s);
    json_decref(send);
    json_decref(change);
    assert_int_equal(f->s.generation, generation);
    assert_int_equal(count_rows(f, "team", "release.rescheduled", NULL, NULL), 0);
    struct sched_view v;
    assert_int_equal(sched_view_load(&f->s, p, T_NOW, &v), 0);
    assert_int_equal(sched_view_release(&v, "2027-02-09")->core.starts_at, T_START);
    assert_int_equal(sched_view_release(&v, "2027-02-09")->core.sequence, 0);
    sched_view_free(&v);
    /* The real move afterwards is unaffected. */
    assert_int_equal(sched_release_patch(&f->s, p, "2027-02-09", &mv, &manager, &why), 0);
    assert_int_equal(count_rows(f, "team", "release.rescheduled", NULL, NULL), 1);
    assert_int_equal(f->s.generation, generation + 1);
}

/* The set of handled reminders: every key added is found after the table grows, keys that
 * differ only in where action ends and subject begins are different, and a lazy set asks the
 * store. */
static void handled_set(void **state)
{
    (void)state;
    struct sched_handled h;
    memset(&h, 0, sizeof h);
    char subject[32];
    for (int i = 0; i < 300; i++) {
        snprintf(subject, sizeof subject, "issue-%d:resolve", i);
        sched_handled_add(&h, i % 2 ? "issue.sla_breached" : "issue.sla_due_soon", subject);
    }
    sched_handled_add(&h, "issue.sla_due_soon", "issue-0:resolve"); /* twice: once */
    assert_int_equal(h.n, 300);
    bool done;
    for (int i = 0; i < 300; i++) {
        snprintf(subject, sizeof subject, "issue-%d:resolve", i);
        assert_int_equal(sched_handled_has(&h, i % 2 ? "issue.sla_breached" : "issue.sla_due_soon",
                                           subject, &done),
                         0);
        assert_true(done);
        assert_int_equal(sched_handled_has(&h, i % 2 ? "issue.sla_due_soon" : "issue.sla_breached",
                                           subject, &done),
                         0);
        assert_false(done);
    }
    sched_handled_add(&h, "a", "b\nc");
    assert_int_equal(sched_handled_has(&h, "a\nb", "c", &done), 0);
    assert_false(done);
    sched_handled_free(&h);

    struct store *st = NULL;
    assert_int_equal(store_open(":memory:", &st), 0);
    assert_int_equal(store_audit_append(st, "mautic", 1, "scheduler", "issue.task_overdue",
                                        "issue-1:t", NULL, NULL, false),
                     0);
    sched_handled_lazy(&h, st, "mautic");
    assert_int_equal(sched_handled_has(&h, "issue.task_overdue", "issue-1:t", &done), 0);
    assert_true(done);
    assert_int_equal(sched_handled_has(&h, "issue.task_overdue", "issue-2:t", &done), 0);
    assert_false(done);
    sched_handled_add(&h, "issue.task_overdue", "issue-2:t");
    assert_int_equal(sched_handled_has(&h, "issue.task_overdue", "issue-2:t", &done), 0);
    assert_true(done);
    sched_handled_free(&h);
    store_close(st);
}

/* The assessment PATCH's check (api_assessment_patch in the server) comes in as a callback that
 * sched_assessment_update runs inside its transaction, on the record as stored: it sees what
 * the last PATCH wrote, a refusal writes nothing (no record change, no audit row), and an
 * unknown issue is refused before the check runs. */
struct apply_probe {
    struct store *store;
    bool refuse;
    int calls;
    bool in_transaction; /* store_begin failed: a transaction was already open */
    json_t *seen;        /* a copy of the record handed to the check */
};

static int probe_apply(json_t *record, const json_t *changes, void *ctx)
{
    struct apply_probe *pr = ctx;
    pr->calls++;
    json_decref(pr->seen);
    pr->seen = json_deep_copy(record);
    pr->in_transaction = store_begin(pr->store) < 0;
    json_object_update(record, (json_t *)changes);
    return pr->refuse ? -1 : 0;
}

static size_t audit_rows(struct fixture *f, const char *action)
{
    struct store_audit *a;
    size_t n, hits = 0;
    assert_int_equal(store_audit_list(f->store, "mautic", 1000, &a, &n), 0);
    for (size_t i = 0; i < n; i++)
        hits += strcmp(a[i].action, action) == 0;
    store_audit_free(a, n);
    return hits;
}

static void assessment_checked_in_transaction(void **state)
{
    struct fixture *f = *state;
    const struct config_project *p = &f->cfg->projects[0];
    struct policy_issue_input in;
    memset(&in, 0, sizeof in);
    in.title = (struct policy_opt_text){true, "t"};
    struct sched_outcome why;
    int64_t id;
    assert_int_equal(sched_issue_create(&f->s, p, &in, &manager, &id, &why), 0);

    struct apply_probe pr = {.store = f->store};
    json_t *first = json_pack("{ss}", "confidence", "high");
    json_t *out = NULL;
    assert_int_equal(sched_assessment_update(&f->s, p, id, first, probe_apply, &pr, &manager, &out),
                     0);
    assert_int_equal(pr.calls, 1);
    assert_true(pr.in_transaction);
    assert_int_equal(json_object_size(pr.seen), 0); /* nothing stored yet */
    assert_string_equal(json_string_value(json_object_get(out, "confidence")), "high");
    json_decref(out);
    assert_int_equal(audit_rows(f, "issue.assessment"), 1);

    /* The check sees the stored record; refusing leaves it and the audit log alone. */
    pr.refuse = true;
    json_t *second = json_pack("{ss}", "confidence", "low");
    out = NULL;
    assert_int_equal(
        sched_assessment_update(&f->s, p, id, second, probe_apply, &pr, &manager, &out), RC_EINVAL);
    assert_null(out);
    assert_int_equal(pr.calls, 2);
    assert_true(pr.in_transaction);
    assert_string_equal(json_string_value(json_object_get(pr.seen, "confidence")), "high");
    assert_int_equal(sched_assessment_get(&f->s, p, id, &out), 0);
    assert_string_equal(json_string_value(json_object_get(out, "confidence")), "high");
    json_decref(out);
    assert_int_equal(audit_rows(f, "issue.assessment"), 1);

    /* An unknown issue: refused before the check. */
    pr.refuse = false;
    out = NULL;
    assert_int_equal(
        sched_assessment_update(&f->s, p, id + 100, first, probe_apply, &pr, &manager, &out),
        RC_ENOTFOUND);
    assert_int_equal(pr.calls, 2);
    json_decref(pr.seen);
    json_decref(first);
    json_decref(second);
}

/* A read view borrowed from the cache finds a release's issues through the cache's index by
 * release (one binary search, not a pass over every issue per release). */
static void borrowed_view_has_the_index(void **state)
{
    struct fixture *f = *state;
    const struct config_project *p = &f->cfg->projects[0];
    int64_t a = make_ready_issue(f, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    int64_t b = make_ready_issue(f, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N");
    uv_loop_t loop;
    assert_int_equal(uv_loop_init(&loop), 0);
    sched_start(&f->s, &loop);
    struct sched_view v;
    assert_int_equal(sched_view_load(&f->s, p, T_NOW, &v), 0);
    assert_true(v.borrowed);
    assert_non_null(v.by_release);
    const struct store_issue *is = sched_view_issue(&v, a);
    assert_non_null(is);
    assert_true(is->core.release_id[0] != '\0');
    struct policy_issue *members;
    size_t n = sched_release_issues(&v, is->core.release_id, &members);
    assert_int_equal(n, 2); /* both fixes, oldest first */
    assert_int_equal(members[0].id, a);
    assert_int_equal(members[1].id, b);
    free(members);
    sched_view_free(&v);
    sched_stop(&f->s);
    assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
    assert_int_equal(uv_loop_close(&loop), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(lifecycle_of_a_window, setup, teardown),
        cmocka_unit_test_setup_teardown(cutoff_second_either_order, setup, teardown),
        cmocka_unit_test_setup_teardown(refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(move_tells_the_team, setup, teardown),
        cmocka_unit_test_setup_teardown(preview_of_a_move, setup, teardown),
        cmocka_unit_test_setup_teardown(assessment_checked_in_transaction, setup, teardown),
        cmocka_unit_test(handled_set),
        cmocka_unit_test_setup_teardown(borrowed_view_has_the_index, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
