/* libcurl multi on libuv for channel deliveries (see engine.h). Claimed rows wait in a queue in
 * memory (inflight in the database, so a crash returns them to pending) until their host has a
 * free slot. Transfers that complete during one turn of the loop are settled once at the end of
 * the turn (uv_check): their outcomes and the starts that refill their slots in one transaction,
 * so a wave of completions costs one commit, not one each. */
#include "notifiers/engine.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/json.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "notifiers/transfer.h"
#include "policy/disclosure.h"

#define MAX_ACTIVE 256  /* transfers handed to curl at once, all hosts */
#define MAX_QUEUED 1024 /* claimed rows waiting for a slot */

struct notify_engine {
    uv_loop_t *loop;
    struct store *store;
    const struct config *const *cfg;
    struct core_clock *clock;
    CURLM *multi;
    uv_timer_t curl_timer; /* curl's timeout */
    uv_timer_t poll_timer; /* looks for due rows every second */
    uv_check_t turn_end;   /* settles the turn's completions after its socket events */
    int active;
    struct transfer *transfers;
    struct queued *queue; /* claimed, not started, oldest first */
    size_t n_queue;
    struct host_count *hosts; /* transfers in flight per host */
    size_t n_hosts;
    bool stopping;
    int handles_open;
    /* While another process holds the database's write lock: no claim before claim_after
     * (ms, doubling up to a minute). Outcomes wait in memory until the end of the loop turn, or
     * longer while the database is busy. */
    uint64_t claim_after, claim_backoff;
    struct unrecorded *unrecorded;
    size_t n_unrecorded, cap_unrecorded;
};

/* An outcome not yet written (the turn has not ended, or the database was busy). */
struct unrecorded {
    struct store_outbox row; /* its strings moved here from the transfer */
    struct notify_decision d;
    char receipt[96];
    int64_t at;
};

struct queued {
    struct store_outbox row;
    char host[TRANSFER_HOST_MAX]; /* its channel's, looked up once when claimed */
};

struct host_count {
    char host[TRANSFER_HOST_MAX];
    int n;
};

struct sock_ctx {
    uv_poll_t poll;
    curl_socket_t fd;
    struct notify_engine *e;
};

static const struct config_channel *find_channel(const struct config_project *p, const char *name)
{
    for (size_t i = 0; p && i < p->n_channels; i++)
        if (strcmp(p->channels[i].name, name) == 0)
            return &p->channels[i];
    return NULL;
}

/* Frees a row's strings (the row itself lives in the queue array). */
static void drop_row(struct store_outbox *r)
{
    free(r->payload);
    free(r->last_error);
    free(r->receipt);
    r->payload = r->last_error = r->receipt = NULL;
}

static bool is_report(const char *type)
{
    return strncmp(type, "delivery.", 9) == 0 || strncmp(type, "channel.", 8) == 0;
}

/* A write to the outbox that failed: logged, since the row then stays as it was (in flight
 * until the next start, or pending) and nothing else would tell. */
static void checked(int rc, const char *op, const char *id, const char *project,
                    const char *channel)
{
    if (rc < 0)
        log_error("outbox write failed", "op=%s id=%s project=%s channel=%s error=\"%s\"", op, id,
                  project, channel, rc_strerror(rc));
}

/* Opens the transaction of a batch of outcomes; RC_EAGAIN (busy) is the caller's to handle,
 * anything else is logged (the batch then writes row by row). */
static int begin(struct notify_engine *e, const char *where)
{
    int rc = store_begin(e->store);
    if (rc < 0 && rc != RC_EAGAIN)
        log_error("outbox transaction failed", "op=begin where=%s error=\"%s\"", where,
                  rc_strerror(rc));
    return rc;
}

/* Commits a batch; on failure logs it and rolls back (the rows stay in flight until the next
 * start returns them to pending: at-least-once). */
static void commit(struct notify_engine *e, const char *where)
{
    int rc = store_commit(e->store);
    if (rc < 0) {
        log_error("outbox transaction failed", "op=commit where=%s error=\"%s\"", where,
                  rc_strerror(rc));
        store_rollback(e->store);
    }
}

/* Tells the project's team channels (other than the failing one) that a delivery is dead or a
 * channel disabled. Reports about reports are not sent, so a broken team channel cannot loop. */
static void report_to_team(struct notify_engine *e, const struct store_outbox *row,
                           const char *type, const char *error, int64_t now)
{
    const struct config_project *p = config_project_find(*e->cfg, row->project);
    if (!p || is_report(row->message_type))
        return;
    for (size_t c = 0; c < p->n_channels; c++) {
        const struct config_channel *ch = &p->channels[c];
        if (ch->audience != CONFIG_AUDIENCE_TEAM || strcmp(ch->name, row->channel) == 0)
            continue;
        json_t *msg = json_pack("{ss so s{ss s{ss ss ss si ss}}}", "type", type, "timestamp",
                                jsonx_time(now), "data", "project", row->project, "delivery", "id",
                                row->id, "channel", row->channel, "message_type", row->message_type,
                                "attempts", row->attempts + 1, "error", error);
        if (row->release_id[0])
            json_object_set_new(json_object_get(json_object_get(msg, "data"), "delivery"),
                                "release", json_string(row->release_id));
        char *payload = jsonx_dump(msg);
        checked(store_outbox_enqueue(
                    e->store, now * 1000, row->project, ch->name, type, POLICY_AUDIENCE_TEAM,
                    row->release_id[0] ? row->release_id : NULL, payload, strlen(payload), NULL),
                "enqueue", "-", row->project, ch->name);
        free(payload);
        json_decref(msg);
    }
}

static void record(struct notify_engine *e, const struct store_outbox *row,
                   const struct notify_decision *d, const char *receipt, int64_t now)
{
    if (d->verdict == NOTIFY_SENT) {
        checked(store_outbox_mark_sent(e->store, row->id, now, receipt), "mark_sent", row->id,
                row->project, row->channel);
        log_info("delivery sent", "id=%s project=%s channel=%s type=%s attempt=%d", row->id,
                 row->project, row->channel, row->message_type, row->attempts + 1);
        return;
    }
    log_warn("delivery failed",
             "id=%s project=%s channel=%s type=%s attempt=%d error=\"%s\" verdict=%s", row->id,
             row->project, row->channel, row->message_type, row->attempts + 1, d->error,
             d->verdict == NOTIFY_RETRY ? "retry" : "dead");
    if (d->verdict == NOTIFY_RETRY) {
        checked(store_outbox_mark_retry(e->store, row->id, d->next_attempt_at, d->error),
                "mark_retry", row->id, row->project, row->channel);
        return;
    }
    checked(store_outbox_mark_dead(e->store, row->id, now, d->error), "mark_dead", row->id,
            row->project, row->channel);
    report_to_team(e, row, "delivery.dead", d->error, now);
    if (d->disable_channel &&
        store_channel_disable(e->store, row->project, row->channel, now, d->error) == 0) {
        log_warn("channel disabled", "project=%s channel=%s error=\"%s\"", row->project,
                 row->channel, d->error);
        report_to_team(e, row, "channel.disabled", d->error, now);
    }
}

/* A `log` channel: one JSON line per message to its file or stdout. */
static void write_log(struct notify_engine *e, const struct config_channel *ch,
                      const struct store_outbox *row, int64_t now)
{
    FILE *f = stdout;
    if (ch->path && strcmp(ch->path, "-") != 0)
        f = fopen(ch->path, "a");
    bool ok = f && fprintf(f, "%.*s\n", (int)row->payload_len, row->payload) > 0 && fflush(f) == 0;
    if (f && f != stdout)
        fclose(f);
    if (ok)
        checked(store_outbox_mark_sent(e->store, row->id, now, "written"), "mark_sent", row->id,
                row->project, row->channel);
    else
        checked(store_outbox_mark_retry(e->store, row->id, now + 60, "cannot write the log file"),
                "mark_retry", row->id, row->project, row->channel);
    LOG_AT(ok ? LOG_LEVEL_INFO : LOG_LEVEL_WARN, ok ? "delivery sent" : "delivery failed",
           "id=%s project=%s channel=%s type=%s attempt=%d%s", row->id, row->project, row->channel,
           row->message_type, row->attempts + 1,
           ok ? "" : " error=\"cannot write the log file\" verdict=retry");
}

static void unlink_transfer(struct notify_engine *e, struct transfer *t)
{
    if (t->prev)
        t->prev->next = t->next;
    else if (e->transfers == t)
        e->transfers = t->next;
    if (t->next)
        t->next->prev = t->prev;
    t->prev = t->next = NULL;
}

static int *host_slot(struct notify_engine *e, const char *host)
{
    for (size_t i = 0; i < e->n_hosts; i++)
        if (strcmp(e->hosts[i].host, host) == 0)
            return &e->hosts[i].n;
    e->hosts = xrealloc(e->hosts, (e->n_hosts + 1) * sizeof *e->hosts);
    struct host_count *h = &e->hosts[e->n_hosts++];
    snprintf(h->host, sizeof h->host, "%s", host);
    h->n = 0;
    return &h->n;
}

/* The publication hold of policy/disclosure.h: a public message that carries what was
 * embargoed goes out only while its release is published (a release postponed or un-published
 * since the row was written holds it). The release is read only for a message the policy could
 * hold at all. */
static bool embargoed(struct notify_engine *e, const struct store_outbox *row)
{
    enum policy_audience a = row->audience;
    if (!row->release_id[0] || !policy_disclosure_hold(a, row->message_type, NULL))
        return false;
    struct store_release r;
    bool found = store_release_get(e->store, row->project, row->release_id, &r) == 0;
    return policy_disclosure_hold(a, row->message_type, found ? &r.core : NULL);
}

enum step { STEP_DONE, STEP_WAIT, STEP_FULL };

/* Starts, writes or settles one claimed row. STEP_WAIT keeps it queued (its host is busy or an
 * older message of its release is not out yet); STEP_FULL stops the pass. */
static enum step start_one(struct notify_engine *e, struct queued *q, int64_t now)
{
    const struct config *cfg = *e->cfg;
    struct store_outbox *row = &q->row;
    /* A busy host keeps its rows queued without looking further ("" is a log channel or a
     * channel that is gone: never capped). */
    if (q->host[0] && *host_slot(e, q->host) >= cfg->delivery_max_per_host)
        return STEP_WAIT;
    const struct config_project *p = config_project_find(cfg, row->project);
    const struct config_channel *ch = find_channel(p, row->channel);
    char error[128] = "";
    if (!ch) {
        struct notify_decision d = {.verdict = NOTIFY_DEAD};
        snprintf(d.error, sizeof d.error, "the channel is no longer configured");
        record(e, row, &d, NULL, now);
        return STEP_DONE;
    }
    if (embargoed(e, row)) {
        checked(
            store_outbox_unclaim(e->store, row->id, now + 60, "held: the release is not published"),
            "unclaim", row->id, row->project, row->channel);
        return STEP_DONE;
    }
    if (ch->type == CONFIG_CHANNEL_LOG) {
        write_log(e, ch, row, now);
        return STEP_DONE;
    }
    if (e->active >= MAX_ACTIVE)
        return STEP_FULL; /* before the lookups below: they would be thrown away */
    struct transfer_thread thread = {0};
    if (ch->type == CONFIG_CHANNEL_DISCOURSE) {
        /* One topic per release: a reply waits until the message before it is out. */
        bool older = false;
        if (store_outbox_has_older(e->store, row, &older) < 0 || older)
            return STEP_WAIT;
        char last[96];
        if (store_outbox_last_receipt(e->store, row->project, ch->name, row->release_id, last,
                                      sizeof last) == 0)
            sscanf(last, "topic %ld", &thread.topic);
    } else if (ch->type == CONFIG_CHANNEL_EMAIL && row->release_id[0]) {
        /* Mail about a release threads to the first message about it. */
        store_outbox_first_id(e->store, row->project, ch->name, row->release_id, thread.first_id);
    }
    struct store_outbox copy = *row; /* ids for the record when the set-up fails */
    copy.payload = copy.last_error = copy.receipt = NULL;
    struct transfer *t = transfer_new(cfg, p, ch, q->host, row, &thread, now, error, sizeof error);
    if (!t) {
        struct notify_decision d = {.verdict = NOTIFY_DEAD};
        snprintf(d.error, sizeof d.error, "%s", error);
        record(e, &copy, &d, NULL, now);
        return STEP_DONE;
    }
    e->active++;
    (*host_slot(e, t->host))++;
    t->next = e->transfers;
    if (e->transfers)
        e->transfers->prev = t;
    e->transfers = t;
    curl_multi_add_handle(e->multi, t->easy);
    return STEP_DONE;
}

/* Keeps an outcome until it can be written; the row's strings move with it. */
static void keep_unrecorded(struct notify_engine *e, struct store_outbox *row,
                            const struct notify_decision *d, const char *receipt, int64_t at)
{
    if (e->n_unrecorded == e->cap_unrecorded) {
        e->cap_unrecorded = e->cap_unrecorded ? 2 * e->cap_unrecorded : 64;
        e->unrecorded = xreallocarray(e->unrecorded, e->cap_unrecorded, sizeof *e->unrecorded);
    }
    struct unrecorded *u = &e->unrecorded[e->n_unrecorded++];
    u->row = *row;
    row->payload = row->last_error = row->receipt = NULL;
    u->d = *d;
    snprintf(u->receipt, sizeof u->receipt, "%s", receipt);
    u->at = at;
}

/* Writes the kept outcomes (inside the caller's transaction). */
static void record_unrecorded(struct notify_engine *e)
{
    for (size_t i = 0; i < e->n_unrecorded; i++) {
        record(e, &e->unrecorded[i].row, &e->unrecorded[i].d, e->unrecorded[i].receipt,
               e->unrecorded[i].at);
        drop_row(&e->unrecorded[i].row);
    }
    e->n_unrecorded = 0;
}

/* Writes the kept outcomes in one transaction of their own (at stop). */
static void flush_unrecorded(struct notify_engine *e)
{
    if (!e->n_unrecorded || begin(e, "unrecorded") < 0)
        return;
    record_unrecorded(e);
    commit(e, "unrecorded");
}

/* The claim failed because the database is busy: wait longer each time, up to a minute. */
static void back_off(struct notify_engine *e, int rc)
{
    if (rc != RC_EAGAIN) {
        e->claim_backoff = 0;
        return;
    }
    e->claim_backoff = e->claim_backoff ? e->claim_backoff * 2 : 1000;
    if (e->claim_backoff > 60000)
        e->claim_backoff = 60000;
    e->claim_after = uv_now(e->loop) + e->claim_backoff;
}

static bool drain(struct notify_engine *e);
static void on_turn_end(uv_check_t *c);

/* Claims due rows (when `claim`), then in one transaction writes the kept outcomes and starts
 * what the caps allow, oldest first (a start sees the outcomes before it: a Discourse reply
 * waits for its topic's first post). */
static void pump(struct notify_engine *e, bool claim)
{
    if (e->stopping)
        return;
    int64_t now = clock_now(e->clock);
    if (claim && e->n_queue < MAX_QUEUED / 2 && uv_now(e->loop) >= e->claim_after) {
        struct store_outbox *rows;
        size_t n;
        int rc = store_outbox_claim(e->store, now, MAX_QUEUED - e->n_queue, &rows, &n);
        back_off(e, rc);
        if (rc == 0) {
            if (!e->queue)
                e->queue = xcalloc(MAX_QUEUED, sizeof *e->queue);
            for (size_t k = 0; k < n; k++) {
                struct queued *q = &e->queue[e->n_queue++];
                q->row = rows[k]; /* the strings move to the queue */
                const struct config_channel *ch =
                    find_channel(config_project_find(*e->cfg, q->row.project), q->row.channel);
                q->host[0] = '\0';
                if (ch)
                    transfer_host(ch, q->host);
            }
            free(rows);
        }
    }
    if (!e->n_queue && !e->n_unrecorded)
        return;
    int began = begin(e, "start");
    if (began == RC_EAGAIN)
        return; /* outcomes and the queue wait for the database (a start may write) */
    bool tx = began == 0;
    record_unrecorded(e); /* row by row if the transaction could not begin */
    int active_before = e->active;
    size_t keep = 0, i = 0;
    for (; i < e->n_queue; i++) {
        struct queued *q = &e->queue[i];
        enum step s = start_one(e, q, now);
        if (s == STEP_FULL)
            break;
        if (s == STEP_WAIT)
            e->queue[keep++] = *q;
        else
            drop_row(&q->row);
    }
    memmove(e->queue + keep, e->queue + i, (e->n_queue - i) * sizeof *e->queue);
    e->n_queue = keep + (e->n_queue - i);
    /* The new transfers connect (or send on a kept-alive connection) before the commit's sync,
     * not at curl's next timer. */
    if (e->active > active_before) {
        int running;
        curl_multi_socket_action(e->multi, CURL_SOCKET_TIMEOUT, 0, &running);
        drain(e);
    }
    if (tx)
        commit(e, "start");
}

/* Drains completed transfers after every socket action (never inside curl's callbacks): their
 * slots are free at once, their outcomes kept for the end of the loop turn. */
static bool drain(struct notify_engine *e)
{
    CURLMsg *m;
    int left;
    bool any = false;
    while ((m = curl_multi_info_read(e->multi, &left))) {
        if (m->msg != CURLMSG_DONE)
            continue;
        struct transfer *t;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&t);
        int64_t now = clock_now(e->clock);
        struct notify_decision d;
        char receipt[96];
        transfer_outcome(t, m->data.result, now, (double)(rand() % 1000) / 1000.0, &d, receipt,
                         sizeof receipt);
        keep_unrecorded(e, &t->row, &d, receipt, now);
        (*host_slot(e, t->host))--;
        curl_multi_remove_handle(e->multi, t->easy);
        unlink_transfer(e, t);
        transfer_free(t);
        e->active--;
        any = true;
    }
    if (any && !e->stopping)
        uv_check_start(&e->turn_end, on_turn_end);
    return any;
}

/* The end of a loop turn with completions: their outcomes written and their slots refilled. */
static void settle(struct notify_engine *e)
{
    uv_check_stop(&e->turn_end);
    pump(e, e->n_queue == 0);
}

static void on_turn_end(uv_check_t *c)
{
    settle(c->data);
}

static void on_poll(uv_poll_t *p, int status, int events)
{
    struct sock_ctx *s = p->data;
    int flags = 0;
    if (status < 0)
        flags = CURL_CSELECT_ERR;
    if (events & UV_READABLE)
        flags |= CURL_CSELECT_IN;
    if (events & UV_WRITABLE)
        flags |= CURL_CSELECT_OUT;
    int running;
    curl_multi_socket_action(s->e->multi, s->fd, flags, &running);
    drain(s->e);
}

static void free_sock(uv_handle_t *h)
{
    free(h->data);
}

static int socket_cb(CURL *easy, curl_socket_t fd, int what, void *ud, void *sockp)
{
    (void)easy;
    struct notify_engine *e = ud;
    struct sock_ctx *s = sockp;
    if (what == CURL_POLL_REMOVE) {
        if (s) {
            uv_poll_stop(&s->poll);
            uv_close((uv_handle_t *)&s->poll, free_sock);
            curl_multi_assign(e->multi, fd, NULL);
        }
        return 0;
    }
    if (!s) {
        s = xcalloc(1, sizeof *s);
        s->fd = fd;
        s->e = e;
        uv_poll_init_socket(e->loop, &s->poll, fd);
        s->poll.data = s;
        curl_multi_assign(e->multi, fd, s);
    }
    int ev = (what & CURL_POLL_IN ? UV_READABLE : 0) | (what & CURL_POLL_OUT ? UV_WRITABLE : 0);
    uv_poll_start(&s->poll, ev, on_poll);
    return 0;
}

static void on_curl_timer(uv_timer_t *t)
{
    struct notify_engine *e = t->data;
    int running;
    curl_multi_socket_action(e->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    if (drain(e))
        settle(e); /* the timer phase: the loop could block in poll before the check phase */
}

static int timer_cb(CURLM *multi, long ms, void *ud)
{
    (void)multi;
    struct notify_engine *e = ud;
    if (ms < 0)
        uv_timer_stop(&e->curl_timer);
    else /* 0 means "as soon as possible", but not from inside this callback */
        uv_timer_start(&e->curl_timer, on_curl_timer, ms ? (uint64_t)ms : 1, 0);
    return 0;
}

void notify_engine_kick(struct notify_engine *e)
{
    pump(e, true);
}

static void on_poll_timer(uv_timer_t *t)
{
    notify_engine_kick(t->data);
}

int notify_engine_start(uv_loop_t *loop, struct store *store, const struct config *const *cfg,
                        struct core_clock *clock, struct notify_engine **out)
{
    static bool global_init;
    if (!global_init) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        global_init = true;
    }
    struct notify_engine *e = xcalloc(1, sizeof *e);
    e->loop = loop;
    e->store = store;
    e->cfg = cfg;
    e->clock = clock;
    e->multi = curl_multi_init();
    curl_multi_setopt(e->multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
    curl_multi_setopt(e->multi, CURLMOPT_SOCKETDATA, e);
    curl_multi_setopt(e->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
    curl_multi_setopt(e->multi, CURLMOPT_TIMERDATA, e);
    curl_multi_setopt(e->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)MAX_ACTIVE);
    uv_timer_init(loop, &e->curl_timer);
    e->curl_timer.data = e;
    uv_timer_init(loop, &e->poll_timer);
    e->poll_timer.data = e;
    uv_check_init(loop, &e->turn_end);
    e->turn_end.data = e;
    e->handles_open = 3;
    uv_timer_start(&e->poll_timer, on_poll_timer, 0, 1000);
    *out = e;
    return 0;
}

static void engine_closed(uv_handle_t *h)
{
    struct notify_engine *e = h->data;
    if (--e->handles_open == 0) {
        curl_multi_cleanup(e->multi);
        free(e);
    }
}

void notify_engine_stop(struct notify_engine *e)
{
    e->stopping = true;
    /* Outcomes not written yet (the turn's, or the busy database's) are written now if it can;
     * else their rows stay inflight and return to pending at the next start (at-least-once). */
    flush_unrecorded(e);
    for (size_t i = 0; i < e->n_unrecorded; i++)
        drop_row(&e->unrecorded[i].row);
    free(e->unrecorded);
    e->unrecorded = NULL;
    e->n_unrecorded = e->cap_unrecorded = 0;
    /* Transfers in flight and queued rows return to the outbox, due as they were. */
    bool tx = begin(e, "stop") == 0;
    while (e->transfers) {
        struct transfer *t = e->transfers;
        unlink_transfer(e, t);
        curl_multi_remove_handle(e->multi, t->easy);
        checked(store_outbox_unclaim(e->store, t->row.id, t->row.next_attempt_at, NULL), "unclaim",
                t->row.id, t->row.project, t->row.channel);
        transfer_free(t);
    }
    for (size_t i = 0; i < e->n_queue; i++) {
        const struct store_outbox *row = &e->queue[i].row;
        checked(store_outbox_unclaim(e->store, row->id, row->next_attempt_at, NULL), "unclaim",
                row->id, row->project, row->channel);
        drop_row(&e->queue[i].row);
    }
    free(e->queue);
    free(e->hosts);
    e->queue = NULL;
    e->hosts = NULL;
    e->n_queue = e->n_hosts = 0;
    if (tx)
        commit(e, "stop");
    uv_timer_stop(&e->poll_timer);
    uv_timer_stop(&e->curl_timer);
    uv_check_stop(&e->turn_end);
    uv_close((uv_handle_t *)&e->poll_timer, engine_closed);
    uv_close((uv_handle_t *)&e->curl_timer, engine_closed);
    uv_close((uv_handle_t *)&e->turn_end, engine_closed);
}
