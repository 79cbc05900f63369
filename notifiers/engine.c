/* libcurl multi on libuv for webhook deliveries (see engine.h). */
#include "notifiers/engine.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "notifiers/outcome.h"
#include "notifiers/render.h"

#define MAX_INFLIGHT 64

struct notify_engine {
    uv_loop_t *loop;
    struct store *store;
    const struct config *const *cfg;
    struct core_clock *clock;
    CURLM *multi;
    uv_timer_t curl_timer; /* curl's timeout */
    uv_timer_t poll_timer; /* looks for due rows every second */
    int inflight;
    struct transfer *transfers;
    bool stopping;
    int handles_open;
};

struct sock_ctx {
    uv_poll_t poll;
    curl_socket_t fd;
    struct notify_engine *e;
};

struct transfer {
    struct transfer *prev, *next; /* the engine's list of transfers in flight */
    CURL *easy;
    struct curl_slist *headers;
    struct store_outbox row;
    char *body;
    char retry_after[64];
    bool allow_private;
    bool refused; /* the address was private, loopback or link-local */
    bool discord;
    bool email;
    bool discourse;
    struct curl_slist *rcpt;
    size_t sent;         /* bytes of body handed to curl (e-mail upload) */
    struct buf response; /* capped answer body, for receipts and Discord's retry_after */
};

static const struct config_channel *find_channel(const struct config *cfg, const char *project,
                                                 const char *name)
{
    const struct config_project *p = config_project_find(cfg, project);
    for (size_t i = 0; p && i < p->n_channels; i++)
        if (strcmp(p->channels[i].name, name) == 0)
            return &p->channels[i];
    return NULL;
}

static bool private_address(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        uint32_t a = ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr);
        return (a >> 24) == 10 || (a >> 24) == 127 || (a >> 20) == 0xAC1 /* 172.16/12 */ ||
               (a >> 16) == 0xC0A8 || (a >> 16) == 0xA9FE /* 169.254/16 */ || a == 0;
    }
    if (sa->sa_family == AF_INET6) {
        const uint8_t *b = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
        static const uint8_t loop6[16] = {[15] = 1}, any6[16] = {0};
        static const uint8_t mapped[12] = {[10] = 0xff, [11] = 0xff};
        if (!memcmp(b, loop6, 16) || !memcmp(b, any6, 16) || (b[0] & 0xfe) == 0xfc ||
            (b[0] == 0xfe && (b[1] & 0xc0) == 0x80))
            return true;
        if (!memcmp(b, mapped, 12)) {
            struct sockaddr_in v4 = {.sin_family = AF_INET};
            memcpy(&v4.sin_addr, b + 12, 4);
            return private_address((const struct sockaddr *)&v4);
        }
    }
    return false;
}

/* Refuses private, loopback and link-local addresses after name resolution. */
static curl_socket_t open_socket(void *ud, curlsocktype purpose, struct curl_sockaddr *addr)
{
    struct transfer *t = ud;
    (void)purpose;
    if (!t->allow_private && private_address(&addr->addr)) {
        t->refused = true;
        return CURL_SOCKET_BAD;
    }
    return socket(addr->family, addr->socktype, addr->protocol);
}

static size_t header_cb(char *buf, size_t size, size_t n, void *ud)
{
    struct transfer *t = ud;
    size_t len = size * n;
    if (len > 12 && strncasecmp(buf, "retry-after:", 12) == 0) {
        const char *v = buf + 12;
        while (*v == ' ')
            v++;
        size_t vl = strcspn(v, "\r\n");
        snprintf(t->retry_after, sizeof t->retry_after, "%.*s", (int)vl, v);
    }
    return len;
}

static size_t body_cb(char *buf, size_t size, size_t n, void *ud)
{
    struct transfer *t = ud;
    buf_append(&t->response, buf, size * n); /* past the cap the rest is dropped */
    return size * n;
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

/* Hands the e-mail message to curl's upload. */
static size_t read_cb(char *dst, size_t size, size_t n, void *ud)
{
    struct transfer *t = ud;
    size_t left = strlen(t->body) - t->sent, want = size * n;
    size_t k = left < want ? left : want;
    memcpy(dst, t->body + t->sent, k);
    t->sent += k;
    return k;
}

static void transfer_free(struct transfer *t)
{
    curl_slist_free_all(t->rcpt);
    buf_close(&t->response);
    curl_slist_free_all(t->headers);
    free(t->body);
    free(t->row.payload);
    free(t->row.last_error);
    free(t->row.receipt);
    free(t);
}

/* Drains completed transfers after every socket action (never inside curl's callbacks). */
static void drain(struct notify_engine *e)
{
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(e->multi, &left))) {
        if (m->msg != CURLMSG_DONE)
            continue;
        struct transfer *t;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&t);
        long status = 0;
        if (m->data.result == CURLE_OK)
            curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &status);
        if (t->email) {
            /* SMTP: success is 2xx; a 5xx reply is permanent (like an HTTP 4xx), anything else
             * (4xx replies, no connection) is retried. */
            long smtp = 0;
            curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &smtp);
            status = m->data.result == CURLE_OK ? 200 : smtp >= 500 ? 400 : 0;
        }
        int64_t now = clock_now(e->clock);
        double discord_retry = -1;
        char receipt[96];
        snprintf(receipt, sizeof receipt, "HTTP %ld", status);
        if (t->discourse && t->response.len) {
            json_t *j = json_loads(buf_cstr(&t->response), 0, NULL);
            const char *action = json_string_value(json_object_get(j, "action"));
            if (json_is_integer(json_object_get(j, "topic_id")))
                snprintf(receipt, sizeof receipt, "topic %lld post %lld",
                         (long long)json_integer_value(json_object_get(j, "topic_id")),
                         (long long)json_integer_value(json_object_get(j, "id")));
            else if (action && strcmp(action, "enqueued") == 0) {
                snprintf(receipt, sizeof receipt, "enqueued for review");
                status = 200; /* accepted, waiting for a moderator */
            }
            json_decref(j);
        }
        if (t->discord && t->response.len) {
            json_t *j = json_loads(buf_cstr(&t->response), 0, NULL);
            if (json_is_number(json_object_get(j, "retry_after")))
                discord_retry = json_number_value(json_object_get(j, "retry_after"));
            if (json_is_string(json_object_get(j, "id")))
                snprintf(receipt, sizeof receipt, "discord message %s",
                         json_string_value(json_object_get(j, "id")));
            json_decref(j);
        }
        struct notify_decision d;
        notify_decide((int)status, t->retry_after[0] ? t->retry_after : NULL, discord_retry,
                      t->row.attempts + 1, now, (double)(rand() % 1000) / 1000.0, &d);
        if (m->data.result != CURLE_OK)
            snprintf(d.error, sizeof d.error, "%s", curl_easy_strerror(m->data.result));
        if (t->refused) { /* a configuration problem, not a flapping receiver */
            d.verdict = NOTIFY_DEAD;
            snprintf(d.error, sizeof d.error,
                     "refused: the address is private (set allow_private_addresses)");
        }
        if (d.verdict == NOTIFY_SENT)
            store_outbox_mark_sent(e->store, t->row.id, now, receipt);
        else if (d.verdict == NOTIFY_RETRY)
            store_outbox_mark_retry(e->store, t->row.id, d.next_attempt_at, d.error);
        else
            store_outbox_mark_dead(e->store, t->row.id, now, d.error);
        if (d.verdict != NOTIFY_SENT)
            log_warn("delivery failed", "id=%s channel=%s error=\"%s\" verdict=%s", t->row.id,
                     t->row.channel, d.error, d.verdict == NOTIFY_RETRY ? "retry" : "dead");
        curl_multi_remove_handle(e->multi, m->easy_handle);
        curl_easy_cleanup(m->easy_handle);
        unlink_transfer(e, t);
        transfer_free(t);
        e->inflight--;
    }
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
    drain(e);
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

static void start_transfer(struct notify_engine *e, const struct config_project *p,
                           const struct config_channel *ch, struct store_outbox *row, int64_t now)
{
    struct transfer *t = xcalloc(1, sizeof *t);
    t->row = *row;
    memset(row, 0, sizeof *row); /* the transfer owns the strings now */
    t->allow_private = (*e->cfg)->allow_private_addresses;
    buf_init(&t->response, 64 * 1024);
    char hdr[256], url[2048];
    t->headers = curl_slist_append(t->headers, "Content-Type: application/json");
    if (strcmp(ch->type, "discord") == 0) {
        /* ?wait=true makes Discord answer with the message, whose id is the receipt. */
        t->discord = true;
        snprintf(url, sizeof url, "%s%swait=true", ch->url, strchr(ch->url, '?') ? "&" : "?");
        char page[1024];
        snprintf(page, sizeof page, "%s/p/%s", (*e->cfg)->public_url, p->policy.id);
        t->body = notify_render_discord(t->row.payload, p->policy.name, p->policy.timezone, page);
        if (!t->body) {
            store_outbox_mark_dead(e->store, t->row.id, now, "not a relcal message");
            transfer_free(t);
            return;
        }
    } else if (strcmp(ch->type, "discourse") == 0) {
        /* One topic per release: later messages reply to the topic of the first one. */
        t->discourse = true;
        snprintf(url, sizeof url, "%s/posts.json", ch->base_url);
        char last[96];
        long topic = 0;
        if (store_outbox_last_receipt(e->store, p->policy.id, ch->name, t->row.release_id, last,
                                      sizeof last) == 0)
            sscanf(last, "topic %ld", &topic);
        t->body = notify_render_discourse(t->row.payload, p->policy.name, p->policy.timezone,
                                          ch->category_id, topic, t->row.id);
        if (!t->body) {
            store_outbox_mark_dead(e->store, t->row.id, now, "not a release message");
            transfer_free(t);
            return;
        }
        snprintf(hdr, sizeof hdr, "Api-Key: %s", ch->api_key);
        t->headers = curl_slist_append(t->headers, hdr);
        snprintf(hdr, sizeof hdr, "Api-Username: %s", ch->api_username);
        t->headers = curl_slist_append(t->headers, hdr);
    } else if (strcmp(ch->type, "email") == 0) {
        t->email = true;
        snprintf(url, sizeof url, "%s", ch->smtp_url);
        char host[256];
        const char *at = strchr(ch->from, '@');
        snprintf(host, sizeof host, "%s", at ? at + 1 : "relcal");
        t->body = notify_render_email(t->row.payload, p->policy.name, p->policy.timezone, ch->from,
                                      ch->to, ch->n_to, t->row.id, host, now);
        if (!t->body) {
            store_outbox_mark_dead(e->store, t->row.id, now, "not a relcal message");
            transfer_free(t);
            return;
        }
        for (size_t k = 0; k < ch->n_to; k++) {
            snprintf(hdr, sizeof hdr, "<%s>", ch->to[k]);
            t->rcpt = curl_slist_append(t->rcpt, hdr);
        }
    } else {
        char sig[96];
        if (notify_webhook_signature(ch->secret, t->row.id, now, t->row.payload, t->row.payload_len,
                                     sig, sizeof sig) < 0) {
            store_outbox_mark_dead(e->store, t->row.id, now, "the channel secret is not whsec_");
            transfer_free(t);
            return;
        }
        snprintf(url, sizeof url, "%s", ch->url);
        snprintf(hdr, sizeof hdr, "webhook-id: %s", t->row.id);
        t->headers = curl_slist_append(t->headers, hdr);
        snprintf(hdr, sizeof hdr, "webhook-timestamp: %lld", (long long)now);
        t->headers = curl_slist_append(t->headers, hdr);
        snprintf(hdr, sizeof hdr, "webhook-signature: %s", sig);
        t->headers = curl_slist_append(t->headers, hdr);
    }
    t->headers = curl_slist_append(t->headers, "Expect:");
    const char *body = t->body ? t->body : t->row.payload;
    size_t body_len = t->body ? strlen(t->body) : t->row.payload_len;
    CURL *c = curl_easy_init();
    t->easy = c;
    curl_easy_setopt(c, CURLOPT_URL, url);
    if (t->email) {
        char from[320];
        snprintf(from, sizeof from, "<%s>", ch->from);
        curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
        curl_easy_setopt(c, CURLOPT_MAIL_RCPT, t->rcpt);
        curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
        curl_easy_setopt(c, CURLOPT_READDATA, t);
        curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)body_len);
        /* TLS is required (SMTPS, or STARTTLS on smtp://) unless the channel allows plain. */
        curl_easy_setopt(c, CURLOPT_USE_SSL,
                         ch->allow_insecure ? (long)CURLUSESSL_TRY : (long)CURLUSESSL_ALL);
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
        if (ch->username)
            curl_easy_setopt(c, CURLOPT_USERNAME, ch->username);
        if (ch->password)
            curl_easy_setopt(c, CURLOPT_PASSWORD, ch->password);
    } else {
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, t->headers);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)body_len);
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, ch->allow_insecure ? "http,https" : "https");
    }
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROXY, ""); /* the proxy environment is ignored */
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, t);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, t);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, body_cb);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(c, CURLOPT_PRIVATE, t);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "relcal");
    e->inflight++;
    t->next = e->transfers;
    if (e->transfers)
        e->transfers->prev = t;
    e->transfers = t;
    curl_multi_add_handle(e->multi, c);
}

void notify_engine_kick(struct notify_engine *e)
{
    if (e->stopping || e->inflight >= MAX_INFLIGHT)
        return;
    int64_t now = clock_now(e->clock);
    struct store_outbox *rows;
    size_t n;
    if (store_outbox_claim(e->store, now, (size_t)(MAX_INFLIGHT - e->inflight), &rows, &n) < 0)
        return;
    for (size_t i = 0; i < n; i++) {
        const struct config_project *p = config_project_find(*e->cfg, rows[i].project);
        const struct config_channel *ch = find_channel(*e->cfg, rows[i].project, rows[i].channel);
        if (p && ch &&
            (strcmp(ch->type, "webhook") == 0 || strcmp(ch->type, "discord") == 0 ||
             strcmp(ch->type, "email") == 0 || strcmp(ch->type, "discourse") == 0))
            start_transfer(e, p, ch, &rows[i], now);
        else
            store_outbox_unclaim(e->store, rows[i].id); /* not a webhook: not ours (yet) */
    }
    store_outbox_free(rows, n);
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
    curl_multi_setopt(e->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 16L);
    curl_multi_setopt(e->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)MAX_INFLIGHT);
    uv_timer_init(loop, &e->curl_timer);
    e->curl_timer.data = e;
    uv_timer_init(loop, &e->poll_timer);
    e->poll_timer.data = e;
    e->handles_open = 2;
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
    /* Abandon transfers in flight: their rows stay inflight and go back to pending on start. */
    while (e->transfers) {
        struct transfer *t = e->transfers;
        unlink_transfer(e, t);
        curl_multi_remove_handle(e->multi, t->easy);
        curl_easy_cleanup(t->easy);
        transfer_free(t);
    }
    uv_timer_stop(&e->poll_timer);
    uv_timer_stop(&e->curl_timer);
    uv_close((uv_handle_t *)&e->poll_timer, engine_closed);
    uv_close((uv_handle_t *)&e->curl_timer, engine_closed);
}
