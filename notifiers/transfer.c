/* Easy-handle set-up per channel type and the reading of outcomes (see transfer.h). */
#include "notifiers/transfer.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "core/xalloc.h"
#include "notifiers/pgp.h"
#include "notifiers/render.h"

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

void transfer_free(struct transfer *t)
{
    if (!t)
        return;
    if (t->easy)
        curl_easy_cleanup(t->easy);
    curl_slist_free_all(t->rcpt);
    buf_close(&t->response);
    curl_slist_free_all(t->headers);
    free(t->body);
    free(t->row.payload);
    free(t->row.last_error);
    free(t->row.receipt);
    free(t);
}

void transfer_host(const struct config_channel *ch, char out[TRANSFER_HOST_MAX])
{
    const char *url = ch->type == CONFIG_CHANNEL_DISCOURSE ? ch->base_url
                      : ch->type == CONFIG_CHANNEL_EMAIL   ? ch->smtp_url
                                                           : ch->url;
    out[0] = '\0';
    if (!url || ch->type == CONFIG_CHANNEL_LOG)
        return;
    const char *h = strstr(url, "://");
    h = h ? h + 3 : url;
    const char *at = h + strcspn(h, "/?#");
    const char *cred = memchr(h, '@', (size_t)(at - h)); /* user:password@host */
    if (cred)
        h = cred + 1;
    size_t n = (size_t)(at - h);
    n = n < TRANSFER_HOST_MAX - 1 ? n : TRANSFER_HOST_MAX - 1;
    for (size_t i = 0; i < n; i++)
        out[i] = (char)((h[i] >= 'A' && h[i] <= 'Z') ? h[i] + 32 : h[i]);
    out[n] = '\0';
}

/* Sets the request up per channel type; returns the URL to post to, or NULL with `error`. */
static bool set_up(struct transfer *t, const struct config *cfg, const struct config_project *p,
                   const struct config_channel *ch, const struct transfer_thread *thread,
                   int64_t now, char *url, size_t url_len, char *error, size_t error_len)
{
    char hdr[256];
    if (ch->type == CONFIG_CHANNEL_DISCORD) {
        /* ?wait=true makes Discord answer with the message, whose id is the receipt. */
        t->discord = true;
        snprintf(url, url_len, "%s%swait=true", ch->url, strchr(ch->url, '?') ? "&" : "?");
        char page[1024];
        snprintf(page, sizeof page, "%s/p/%s", cfg->public_url, p->policy.id);
        t->body = notify_render_discord(t->row.payload, p->policy.name, p->policy.zone, page);
    } else if (ch->type == CONFIG_CHANNEL_DISCOURSE) {
        /* One topic per release: later messages reply to the topic of the first one. */
        t->discourse = true;
        snprintf(url, url_len, "%s/posts.json", ch->base_url);
        t->body = notify_render_discourse(t->row.payload, p->policy.name, p->policy.zone,
                                          ch->category_id, thread->topic, t->row.id);
        snprintf(hdr, sizeof hdr, "Api-Key: %s", ch->api_key);
        t->headers = curl_slist_append(t->headers, hdr);
        snprintf(hdr, sizeof hdr, "Api-Username: %s", ch->api_username);
        t->headers = curl_slist_append(t->headers, hdr);
    } else if (ch->type == CONFIG_CHANNEL_EMAIL) {
        t->email = true;
        snprintf(url, url_len, "%s", ch->smtp_url);
        char host[256];
        const char *at = strchr(ch->from, '@');
        snprintf(host, sizeof host, "%s", at ? at + 1 : "relcal");
        t->body = notify_render_email(t->row.payload, p->policy.name, p->policy.zone, ch->from,
                                      ch->to, ch->n_to, t->row.id,
                                      thread->first_id[0] ? thread->first_id : NULL, host, now);
        if (t->body && notify_pgp_wanted(ch)) { /* PGP/MIME, or dead: never in clear */
            char *wrapped = notify_pgp_wrap(ch, t->body, error, error_len);
            free(t->body);
            t->body = wrapped;
            if (!wrapped)
                return false;
        }
        for (size_t k = 0; k < ch->n_to; k++) {
            snprintf(hdr, sizeof hdr, "<%s>", ch->to[k]);
            t->rcpt = curl_slist_append(t->rcpt, hdr);
        }
    } else {
        char sig[96];
        if (notify_webhook_signature(ch->secret, t->row.id, now, t->row.payload, t->row.payload_len,
                                     sig, sizeof sig) < 0) {
            snprintf(error, error_len, "the channel secret is not whsec_");
            return false;
        }
        snprintf(url, url_len, "%s", ch->url);
        snprintf(hdr, sizeof hdr, "webhook-id: %s", t->row.id);
        t->headers = curl_slist_append(t->headers, hdr);
        snprintf(hdr, sizeof hdr, "webhook-timestamp: %lld", (long long)now);
        t->headers = curl_slist_append(t->headers, hdr);
        snprintf(hdr, sizeof hdr, "webhook-signature: %s", sig);
        t->headers = curl_slist_append(t->headers, hdr);
        return true;
    }
    if (!t->body) {
        snprintf(error, error_len,
                 "not a message this channel type can render (or too large to render)");
        return false;
    }
    return true;
}

struct transfer *transfer_new(const struct config *cfg, const struct config_project *p,
                              const struct config_channel *ch, const char *host,
                              struct store_outbox *row, const struct transfer_thread *thread,
                              int64_t now, char *error, size_t error_len)
{
    struct transfer *t = xcalloc(1, sizeof *t);
    t->row = *row;
    memset(row, 0, sizeof *row); /* the transfer owns the strings now */
    t->allow_private = cfg->allow_private_addresses;
    t->max_retry_after = cfg->delivery_max_retry_after_seconds;
    snprintf(t->host, sizeof t->host, "%s", host);
    buf_init(&t->response, 64 * 1024);
    t->headers = curl_slist_append(t->headers, "Content-Type: application/json");
    char url[2048];
    if (!set_up(t, cfg, p, ch, thread, now, url, sizeof url, error, error_len)) {
        transfer_free(t);
        return NULL;
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
    return t;
}

void transfer_outcome(struct transfer *t, CURLcode result, int64_t now, double jitter,
                      struct notify_decision *d, char *receipt, size_t receipt_len)
{
    long status = 0;
    if (result == CURLE_OK)
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    if (t->email) {
        /* SMTP: success is 2xx; a 5xx reply is permanent (like an HTTP 4xx), anything else
         * (4xx replies, no connection) is retried. */
        long smtp = 0;
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &smtp);
        status = result == CURLE_OK ? 200 : smtp >= 500 ? 400 : 0;
    }
    double discord_retry = -1;
    snprintf(receipt, receipt_len, "HTTP %ld", status);
    json_t *j = t->response.len ? json_loads(buf_cstr(&t->response), 0, NULL) : NULL;
    if (t->discourse && j) {
        const char *action = json_string_value(json_object_get(j, "action"));
        if (json_is_integer(json_object_get(j, "topic_id")))
            snprintf(receipt, receipt_len, "topic %lld post %lld",
                     (long long)json_integer_value(json_object_get(j, "topic_id")),
                     (long long)json_integer_value(json_object_get(j, "id")));
        else if (action && strcmp(action, "enqueued") == 0) {
            snprintf(receipt, receipt_len, "enqueued for review");
            status = 200; /* accepted, waiting for a moderator */
        }
    }
    if (t->discord && j) {
        discord_retry = notify_discord_retry_after(buf_cstr(&t->response), t->response.len);
        if (json_is_string(json_object_get(j, "id")))
            snprintf(receipt, receipt_len, "discord message %s",
                     json_string_value(json_object_get(j, "id")));
    }
    json_decref(j);
    notify_decide((int)status, t->retry_after[0] ? t->retry_after : NULL, discord_retry,
                  t->row.attempts + 1, now, jitter, t->max_retry_after, d);
    if (result != CURLE_OK)
        snprintf(d->error, sizeof d->error, "%s", curl_easy_strerror(result));
    if (t->refused) { /* a configuration problem, not a flapping receiver */
        d->verdict = NOTIFY_DEAD;
        d->disable_channel = false;
        snprintf(d->error, sizeof d->error,
                 "refused: the address is private (set allow_private_addresses)");
    }
}
