/* `relcal serve`: the service. Opens the database, catches up on everything that fell due while
 * it was down, listens for the JSON API, and acts when things fall due. SIGTERM/SIGINT stop it
 * cleanly; SIGHUP reloads the config (an invalid new config is logged and the old one kept). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "cli/common.h"
#include "core/crypto.h"
#include "core/err.h"
#include "core/log.h"
#include "core/nelem.h"
#include "core/timeutil.h"
#include "notifiers/engine.h"
#include "scheduler/sched.h"
#include "server/app.h"
#include "server/http.h"
#include "store/store.h"

static int run(int argc, char **argv);

const struct cli_command cli_cmd_serve = {
    .name = "serve",
    .usage = "relcal serve [-c FILE] [--listen HOST:PORT] [--db PATH] [--now RFC3339]",
    .summary = "run the service in the foreground",
    .help = "  -c FILE            config file (default ./relcal.json, /etc/relcal/relcal.json,\n"
            "                     embedded)\n"
            "  --listen HOST:PORT address to listen on (default: the config's listen)\n"
            "  --db PATH          SQLite database (default: the config's database)\n"
            "  --now TIME         start the clock at TIME and run in real time (RELCAL_NOW)\n"
            "Logs to stderr. SIGTERM/SIGINT stop cleanly; SIGHUP reloads the config.\n",
    .run = run,
};

struct service {
    uv_loop_t loop;
    uv_signal_t sig_term, sig_int, sig_hup;
    struct http_server *http;
    struct sched sched;
    struct app app;
    struct config *cfg;
    struct notify_engine *engine;
    const char *config_path;
    bool stopping;
};

static void add_store_token(void *ud, const char *name, const char *role, const uint8_t sha[32])
{
    enum config_role r = CONFIG_ROLE_READER; /* a stored role that names none: the least */
    (void)config_role_parse(role, &r);
    app_token_add(ud, name, r, sha);
}

static int load_tokens(struct service *sv)
{
    app_tokens_load(&sv->app);
    return store_token_each(sv->sched.store, add_store_token, &sv->app);
}

/* The write API is never open without a token: on a first start with none, relcal creates an
 * admin token and stores only its hash; `token` receives it ("" when none was created) to be
 * shown once, with the URLs, when the service listens. */
static int bootstrap_token(struct service *sv, int64_t now, char token[8 + 64 + 1])
{
    size_t n;
    token[0] = '\0';
    int rc = store_token_count(sv->sched.store, &n);
    if (rc < 0 || n > 0 || sv->cfg->n_tokens > 0)
        return rc;
    uint8_t raw[32], hash[32];
    if ((rc = crypto_random(raw, sizeof raw)) < 0)
        return rc;
    char made[8 + 64 + 1] = "relcal_";
    crypto_hex_encode(raw, sizeof raw, made + 7);
    crypto_sha256(made, strlen(made), hash);
    if ((rc = store_token_add(sv->sched.store, "admin", "admin", hash, now)) < 0)
        return rc;
    memcpy(token, made, sizeof made);
    return 0;
}

/* The first start's message: the token beside the URLs it opens (docs/OPERATIONS.md). */
static void show_first_token(const struct service *sv, const char *token, const char *listen,
                             int port)
{
    const char *colon = strrchr(listen, ':');
    int hostlen = colon ? (int)(colon - listen) : 0;
    const char *host = "127.0.0.1";
    char hostbuf[256];
    if (hostlen > 0 && !(hostlen == 7 && strncmp(listen, "0.0.0.0", 7) == 0) &&
        !(hostlen == 4 && strncmp(listen, "[::]", 4) == 0)) {
        snprintf(hostbuf, sizeof hostbuf, "%.*s", hostlen, listen);
        host = hostbuf;
    }
    fprintf(stderr,
            "\nrelcal: no API token existed, so an admin token was created. It is shown only "
            "this once:\n\n    %s\n\nUse it as 'Authorization: Bearer TOKEN' (the relcal "
            "issues and releases commands read it from RELCAL_TOKEN).\n"
            "  API:   http://%s:%d/api/v1/projects\n"
            "  page:  %s/\n"
            "  feed:  %s/feeds/all.ics\n"
            "Make more with 'relcal token' (config lines) or 'relcal token --create' (stored in "
            "the database).\n\n",
            token, host, port, sv->cfg->public_url, sv->cfg->public_url);
}

/* After the first tick: how many events it applied (its audit rows, written after the row
 * `last` was the newest), and how many of them late. */
static void log_catch_up(const struct service *sv, int64_t started, int64_t last)
{
    size_t events = 0, late = 0;
    for (size_t i = 0; i < sv->cfg->n_projects; i++) {
        struct store_audit_filter f = {
            .action = NULL, .since = started, .limit = 100000, .after_id = last};
        struct store_audit *v;
        size_t n;
        if (store_audit_query(sv->sched.store, sv->cfg->projects[i].policy.id, &f, &v, &n) < 0)
            continue;
        for (size_t k = 0; k < n; k++) {
            if (strcmp(v[k].actor, "scheduler") != 0)
                continue;
            events++;
            late += v[k].late;
        }
        store_audit_free(v, n);
    }
    log_info("catch-up done", "events=%zu late=%zu", events, late);
}

static void on_closed(uv_handle_t *h)
{
    (void)h;
}

static void http_stopped(void *ud)
{
    struct service *sv = ud;
    sv->http = NULL;
    uv_close((uv_handle_t *)&sv->sig_term, on_closed);
    uv_close((uv_handle_t *)&sv->sig_int, on_closed);
    uv_close((uv_handle_t *)&sv->sig_hup, on_closed);
}

static void on_stop(uv_signal_t *h, int signum)
{
    struct service *sv = h->data;
    if (sv->stopping)
        return;
    sv->stopping = true;
    log_info("stopping", "signal=%d", signum);
    sched_stop(&sv->sched);
    sv->sched.after_tick = NULL;
    if (sv->engine)
        notify_engine_stop(sv->engine);
    sv->engine = NULL;
    if (sv->http)
        http_server_stop(sv->http, http_stopped, sv);
}

static void kick_engine(void *engine)
{
    notify_engine_kick(engine);
}

static void on_reload(uv_signal_t *h, int signum)
{
    (void)signum;
    struct service *sv = h->data;
    struct config *fresh;
    char err[1024];
    if (config_load(sv->config_path, &fresh, err, sizeof err) < 0) {
        log_error("config reload failed; keeping the running config", "error=\"%s\"", err);
        return;
    }
    struct config *old = sv->cfg;
    sv->cfg = fresh;
    sv->sched.cfg = fresh;
    sv->app.cfg = fresh;
    load_tokens(sv);
    config_free(old);
    log_info("config reloaded", "source=\"%s\" projects=%zu", fresh->source, fresh->n_projects);
    sched_kick(&sv->sched);
}

static void warn_simulated_clock(const struct core_clock *clock, const char *now_arg)
{
    if (clock->kind == CORE_CLOCK_SYSTEM)
        return;
    char at[TIME_RFC3339_SIZE];
    time_rfc3339_format(clock_now(clock), at);
    log_warn("the clock is simulated: every decision uses this instant, not the system's",
             "now=%s source=%s", at, now_arg ? "--now" : "RELCAL_NOW");
}

/* Opens the database and makes the deliveries in flight at the last stop pending again. */
static int open_store(const char *path, struct store **store)
{
    if (store_open(path, store) < 0) {
        cli_error(&cli_cmd_serve, "cannot open the database %s", path);
        return -1;
    }
    size_t requeued;
    if (store_outbox_requeue_inflight(*store, &requeued) == 0 && requeued)
        log_info("deliveries in flight at the last stop are pending again", "count=%zu", requeued);
    return 0;
}

/* The loop with the HTTP server on addr and the signal handlers. -1 (loop closed) when it
 * cannot listen. */
static int start_loop(struct service *sv, const char *addr)
{
    uv_loop_init(&sv->loop);
    signal(SIGPIPE, SIG_IGN);
    struct http_server_options hopts = {
        .listen = addr,
        .max_body = sv->cfg->max_body_bytes,
        .write_timeout_ms = (uint64_t)sv->cfg->http_write_timeout_seconds * 1000,
        .max_per_address = sv->cfg->http_max_connections_per_address};
    if (http_server_start(&sv->loop, &hopts, app_handle, &sv->app, &sv->http) < 0) {
        cli_error(&cli_cmd_serve, "cannot listen on %s", addr);
        uv_loop_close(&sv->loop);
        return -1;
    }
    uv_signal_init(&sv->loop, &sv->sig_term);
    uv_signal_init(&sv->loop, &sv->sig_int);
    uv_signal_init(&sv->loop, &sv->sig_hup);
    sv->sig_term.data = sv->sig_int.data = sv->sig_hup.data = sv;
    uv_signal_start(&sv->sig_term, on_stop, SIGTERM);
    uv_signal_start(&sv->sig_int, on_stop, SIGINT);
    uv_signal_start(&sv->sig_hup, on_reload, SIGHUP);
    return 0;
}

/* Catch up on everything that fell due while the service was down, arm the timer, and start
 * the delivery engine, kicked after each tick. */
static void start_work(struct service *sv, struct store *store, struct core_clock *clock)
{
    int64_t started = clock_now(clock), last = 0;
    log_info("catching up on what fell due while stopped", NULL);
    store_audit_last_id(store, &last); /* 0 on failure: every row is looked at */
    sched_start(&sv->sched, &sv->loop);
    log_catch_up(sv, started, last);
    notify_engine_start(&sv->loop, store, (const struct config *const *)&sv->cfg, clock,
                        &sv->engine);
    sv->sched.after_tick = kick_engine; /* messages a change enqueued go out at once */
    sv->sched.after_tick_ud = sv->engine;
}

static int run(int argc, char **argv)
{
    const char *cfg_path = NULL, *now_arg = NULL, *listen = NULL, *db = NULL;
    const struct cli_opt opts[] = {
        {"config", 'c', &cfg_path, NULL},
        {"now", 0, &now_arg, NULL},
        {"listen", 0, &listen, NULL},
        {"db", 0, &db, NULL},
    };
    size_t n_pos;
    if (cli_args_parse(&cli_cmd_serve, argc, argv, opts, NELEM(opts), NULL, 0, &n_pos) < 0)
        return CLI_EXIT_USAGE;
    static struct service sv; /* lives for the whole process */
    struct core_clock clock;
    int ex = cli_setup(&cli_cmd_serve, cfg_path, now_arg, &clock, &sv.cfg);
    if (ex != CLI_EXIT_OK)
        return ex;
    sv.config_path = cfg_path;
    warn_simulated_clock(&clock, now_arg);
    const char *path = db ? db : sv.cfg->database;
    struct store *store;
    if (open_store(path, &store) < 0) {
        config_free(sv.cfg);
        return CLI_EXIT_FAILURE;
    }
    sv.sched = (struct sched){.cfg = sv.cfg, .store = store, .clock = &clock};
    sv.app = (struct app){.sched = &sv.sched, .cfg = sv.cfg};
    ex = CLI_EXIT_FAILURE;
    char first_token[8 + 64 + 1];
    if (bootstrap_token(&sv, clock_now(&clock), first_token) < 0 || load_tokens(&sv) < 0)
        goto out;
    /* From here on the loop must never wait long for another process's write lock: writes
     * fail fast (503 with Retry-After, the engine and the tick back off) and reads in WAL mode
     * never wait (docs/OPERATIONS.md). */
    store_set_busy_timeout(store, 20);
    const char *addr = listen ? listen : sv.cfg->listen;
    if (start_loop(&sv, addr) < 0)
        goto out;
    start_work(&sv, store, &clock);
    log_info("listening", "addr=%s port=%d projects=%zu database=\"%s\"", addr,
             http_server_port(sv.http), sv.cfg->n_projects, path);
    if (first_token[0])
        show_first_token(&sv, first_token, addr, http_server_port(sv.http));
    uv_run(&sv.loop, UV_RUN_DEFAULT);
    uv_loop_close(&sv.loop);
    log_info("stopped", NULL);
    ex = CLI_EXIT_OK;
out:
    app_close(&sv.app);
    store_close(store);
    config_free(sv.cfg);
    return ex;
}
