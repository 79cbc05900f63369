/* The team commands' HTTP-JSON client (libcurl, one blocking request at a time). */
#include "cli/client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "core/buf.h"
#include "core/xalloc.h"

void cli_client_init(struct cli_client *c, const struct cli_command *cmd, const char *server,
                     const char *listen)
{
    memset(c, 0, sizeof *c);
    c->cmd = cmd;
    const char *env = getenv("RELCAL_SERVER");
    const char *url = server && *server ? server : env && *env ? env : NULL;
    if (url) {
        snprintf(c->base, sizeof c->base, "%s", url);
    } else {
        /* The local service: a wildcard listen address is reached on the loopback. */
        const char *l = listen && *listen ? listen : "127.0.0.1:8080";
        const char *colon = strrchr(l, ':');
        const char *port = colon ? colon + 1 : "8080";
        int hostlen = colon ? (int)(colon - l) : (int)strlen(l);
        if (hostlen == 0 || (hostlen == 7 && strncmp(l, "0.0.0.0", 7) == 0))
            snprintf(c->base, sizeof c->base, "http://127.0.0.1:%s", port);
        else if ((hostlen == 4 && strncmp(l, "[::]", 4) == 0) ||
                 (hostlen == 2 && strncmp(l, "::", 2) == 0))
            snprintf(c->base, sizeof c->base, "http://[::1]:%s", port);
        else
            snprintf(c->base, sizeof c->base, "http://%.*s:%s", hostlen, l, port);
    }
    size_t n = strlen(c->base);
    while (n > 0 && c->base[n - 1] == '/')
        c->base[--n] = '\0';
    const char *tok = getenv("RELCAL_TOKEN");
    c->token = tok && *tok ? tok : NULL;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
    struct buf *b = user;
    size_t n = size * nmemb;
    return buf_append(b, data, n) < 0 ? 0 : n; /* past the cap: not an answer of the API */
}

int cli_client_request(const struct cli_client *c, const char *method, const char *path,
                       const json_t *body, json_t **out)
{
    *out = NULL;
    static bool curl_ready;
    if (!curl_ready) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        curl_ready = true;
    }
    CURL *h = curl_easy_init();
    if (!h) {
        cli_error(c->cmd, "cannot start an HTTP client");
        return -1;
    }
    size_t urllen = strlen(c->base) + strlen(path) + 1;
    char *url = xmalloc(urllen);
    snprintf(url, urllen, "%s%s", c->base, path);
    struct curl_slist *hdrs = curl_slist_append(NULL, "Accept: application/json");
    char auth[1024];
    if (c->token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", c->token);
        hdrs = curl_slist_append(hdrs, auth);
    }
    char *payload = NULL;
    if (body) {
        payload = json_dumps(body, JSON_COMPACT);
        hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload);
    } else if (strcmp(method, "POST") == 0) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
    }
    struct buf resp;
    buf_init(&resp, 64u * 1024 * 1024);
    char errbuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "relcal-cli");
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode rc = curl_easy_perform(h);
    long status = -1;
    if (rc != CURLE_OK) {
        cli_error(c->cmd, "cannot reach the service at %s: %s (set --server or RELCAL_SERVER)",
                  c->base, errbuf[0] ? errbuf : curl_easy_strerror(rc));
    } else {
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        if (resp.len > 0)
            *out = json_loadb(resp.data, resp.len, 0, NULL);
    }
    buf_close(&resp);
    free(payload);
    free(url);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    return (int)status;
}

static void print_detail_value(FILE *f, const json_t *v)
{
    if (json_is_string(v)) {
        fputs(json_string_value(v), f);
    } else {
        char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        fputs(s ? s : "?", f);
        free(s);
    }
}

void cli_client_print_error(const struct cli_client *c, int status, const json_t *answer)
{
    const json_t *e = json_object_get(answer, "error");
    const char *code = json_string_value(json_object_get(e, "code"));
    const char *msg = json_string_value(json_object_get(e, "message"));
    fprintf(stderr, "relcal %s: %s (HTTP %d)", c->cmd->name, code ? code : "error", status);
    if (msg)
        fprintf(stderr, ": %s", msg);
    const json_t *d = json_object_get(e, "details");
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)d, key, v)
    {
        fprintf(stderr, "; %s: ", key);
        print_detail_value(stderr, v);
    }
    if (!e && status == 401)
        fputs(": set RELCAL_TOKEN", stderr);
    fputc('\n', stderr);
}

json_t *cli_client_call(const struct cli_client *c, const char *method, const char *path,
                        const json_t *body)
{
    json_t *ans;
    int st = cli_client_request(c, method, path, body, &ans);
    if (st < 0)
        return NULL;
    if (st < 200 || st > 299) {
        cli_client_print_error(c, st, ans);
        json_decref(ans);
        return NULL;
    }
    if (!ans) {
        cli_error(c->cmd, "the service at %s answered %d without JSON", c->base, st);
        return NULL;
    }
    return ans;
}

const char *cli_client_project(const struct cli_client *c, const char *project, char *buf,
                               size_t len)
{
    if (project) {
        snprintf(buf, len, "%s", project);
        return buf;
    }
    json_t *list = cli_client_call(c, "GET", "/api/v1/projects", NULL);
    if (!list)
        return NULL;
    const char *only = json_array_size(list) == 1
                           ? json_string_value(json_object_get(json_array_get(list, 0), "id"))
                           : NULL;
    if (!only) {
        cli_error(c->cmd, "the service has %zu projects: name one with -p PROJECT",
                  json_array_size(list));
        json_decref(list);
        return NULL;
    }
    snprintf(buf, len, "%s", only);
    json_decref(list);
    return buf;
}

void cli_client_query_add(char *buf, size_t len, const char *key, const char *value)
{
    size_t n = strlen(buf);
    if (n + 1 >= len)
        return;
    n += (size_t)snprintf(buf + n, len - n, "%c%s=", strchr(buf, '?') ? '&' : '?', key);
    for (const unsigned char *p = (const unsigned char *)value; *p && n + 4 < len; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~:", *p))
            buf[n++] = (char)*p;
        else
            n += (size_t)snprintf(buf + n, len - n, "%%%02X", *p);
    }
    buf[n < len ? n : len - 1] = '\0';
}

void cli_client_print_json(const json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_ENCODE_ANY);
    printf("%s\n", s ? s : "null");
    free(s);
}

static void print_preview(const json_t *ans);

int cli_client_show(json_t *ans, bool json, bool list, const struct cli_view *view)
{
    if (json) {
        cli_client_print_json(ans);
    } else if (list) {
        view->header();
        size_t k;
        const json_t *v;
        json_array_foreach(ans, k, v) view->row(v);
    } else {
        view->one(ans);
        if (json_is_true(json_object_get(ans, "dry_run")))
            print_preview(ans);
    }
    json_decref(ans);
    return CLI_EXIT_OK;
}

void cli_client_dry_run_path(char *path, size_t len)
{
    cli_client_query_add(path, len, "dry_run", "1");
}

static void print_changes(const json_t *list, const char *kind)
{
    size_t k;
    const json_t *c;
    json_array_foreach(list, k, c)
    {
        const json_t *id = json_object_get(c, "id");
        if (json_is_integer(id))
            printf("  %s %lld:", kind, (long long)json_integer_value(id));
        else
            printf("  %s %s:", kind, cli_json_str(c, "id"));
        size_t j;
        const json_t *a;
        json_array_foreach(json_object_get(c, "audiences"), j, a)
            printf("%s %s", j ? "," : "", json_string_value(a));
        printf("\n");
    }
}

static void print_preview(const json_t *ans)
{
    printf("dry run: nothing was changed or sent\n");
    const json_t *send = json_object_get(ans, "would_send");
    if (json_array_size(send) == 0)
        printf("would send: nothing\n");
    else
        printf("would send:\n");
    size_t k;
    const json_t *m;
    json_array_foreach(send, k, m)
    {
        printf("  %s to %s (%s) at %s", cli_json_str(m, "type"), cli_json_str(m, "channel"),
               cli_json_str(m, "audience"), cli_json_str(m, "due_at"));
        if (json_is_string(json_object_get(m, "release")))
            printf(", release %s", cli_json_str(m, "release"));
        printf("\n");
    }
    const json_t *chg = json_object_get(ans, "would_change");
    const json_t *rels = json_object_get(chg, "releases"), *iss = json_object_get(chg, "issues");
    if (json_array_size(rels) + json_array_size(iss) == 0) {
        printf("would change: nothing\n");
        return;
    }
    printf("would change (audiences that would see it):\n");
    print_changes(rels, "release");
    print_changes(iss, "issue");
}

const char *cli_json_str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s && *s ? s : "-";
}

void cli_json_set_str(json_t *o, const char *key, const char *v)
{
    if (v)
        json_object_set_new(o, key, json_string(v));
}

void cli_print_explanation(const json_t *release, const char *indent)
{
    const json_t *steps = json_object_get(release, "explanation");
    if (!json_is_array(steps))
        return;
    printf("%swhy %s is on this date:\n", indent, cli_json_str(release, "id"));
    size_t k;
    const json_t *st;
    json_array_foreach(steps, k, st)
    {
        printf("%s  %zu. %s\n", indent, k + 1, cli_json_str(st, "text"));
    }
}
