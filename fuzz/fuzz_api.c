/* libFuzzer target: the JSON API handlers driven in memory, as tests/unit/test_server.c drives
 * them (no HTTP parsing: fuzz_http covers that). An input is up to 8 requests separated by
 * "\n===\n"; each request is
 *   byte 0   the route, an index into `routes` below
 *   byte 1   bits 0-2: the token (manager, admin, reader, none, distributor feed token);
 *            bit 3: Content-Type text/plain instead of application/json;
 *            bits 4-6: days the fake clock moves forward first
 *   then     the path tail (between the route's two parts) up to the first '\n', and the body.
 * The store lives on between inputs (so issues and releases created earlier can be patched),
 * recycled every FUZZ_APP_RECYCLE inputs. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "fuzz/app_fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct route {
    const char *method;
    const char *before; /* the target is before + path tail + after */
    const char *after;
};

static const struct route routes[] = {
    {"POST", "/api/v1/projects/mautic/issues", ""},
    {"PATCH", "/api/v1/projects/mautic/issues/", ""},
    {"POST", "/api/v1/projects/mautic/releases", ""},
    {"PATCH", "/api/v1/projects/mautic/releases/", ""},
    {"POST", "/api/v1/projects/mautic/releases/", "/publish"},
    {"POST", "/api/v1/projects/mautic/deliveries/", "/retry"},
    {"GET", "/api/v1/projects/mautic/releases", ""},
    {"GET", "/api/v1/projects/mautic/releases/", ""},
    {"GET", "/api/v1/projects/mautic/releases/next", ""},
    {"GET", "/api/v1/projects/mautic/issues", ""},
    {"GET", "/api/v1/projects/mautic/issues/", ""},
    {"GET", "/api/v1/projects/mautic/audit", ""},
    {"GET", "/api/v1/projects/mautic/deliveries", ""},
    {"GET", "/api/v1/projects/", ""},
    {"GET", "/api/v1/projects", ""},
    {"GET", "/feeds/mautic/team.ics", ""},
    {"GET", "/feeds/mautic/distributors.ics", ""},
    {"GET", "/feeds/", ".ics"},
    {"GET", "/feeds/all.ics", ""},
    {"GET", "/p/", ""},
    {"GET", "/", ""},
    {"GET", "/metrics", ""},
    {"HEAD", "/api/v1/projects/myproject/releases", ""},
    {"POST", "/api/v1/projects/myproject/issues", ""},
    {"PATCH", "/api/v1/projects/myproject/issues/", ""},
    {"POST", "/api/v1/projects/myproject/releases", ""},
    {"DELETE", "/api/v1/projects/mautic/issues/", ""},
    /* the incident checklist (indices 27..31) */
    {"GET", "/api/v1/projects/mautic/issues/", "/checklist"},
    {"PATCH", "/api/v1/projects/mautic/issues/", "/checklist/reproduce"},
    {"PATCH", "/api/v1/projects/mautic/issues/", "/assessment"},
    {"GET", "/api/v1/projects/mautic/issues/", "/assessment"},
    {"GET", "/api/v1/projects/mautic/issues/", "/report.md"},
};
#define N_ROUTES (sizeof routes / sizeof routes[0])

static const char *const tokens[] = {FUZZ_TOKEN_MANAGER, FUZZ_TOKEN_ADMIN, FUZZ_TOKEN_READER, NULL,
                                     FUZZ_TOKEN_DISTRO};

#define SEPARATOR    "\n===\n"
#define TAIL_MAX     1024
#define REQUESTS_MAX 8
#define DAY_MS       (86400 * (int64_t)1000)

static void one_request(struct app *a, const uint8_t *data, size_t size)
{
    if (size < 2)
        return;
    const struct route *route = &routes[data[0] % N_ROUTES];
    const char *token = tokens[(data[1] & 7) % (sizeof tokens / sizeof tokens[0])];
    const char *ctype = (data[1] & 8) ? "text/plain" : "application/json";
    clock_fake_advance(a->sched->clock, ((data[1] >> 4) & 7) * DAY_MS);
    const char *rest = (const char *)data + 2;
    size_t left = size - 2;
    const char *nl = memchr(rest, '\n', left);
    char tail[TAIL_MAX + 1] = "";
    if (nl) {
        size_t n = (size_t)(nl - rest);
        if (n > TAIL_MAX)
            n = TAIL_MAX;
        memcpy(tail, rest, n);
        tail[n] = '\0'; /* a NUL inside ends the tail early, as in a C string target */
        left -= (size_t)(nl + 1 - rest);
        rest = nl + 1;
    }
    if (left > a->cfg->max_body_bytes)
        left = a->cfg->max_body_bytes;
    char target[HTTP_URL_MAX_BYTES];
    snprintf(target, sizeof target, "%s%s%s", route->before, tail, route->after);
    char *body = malloc(left + 1); /* http_reader hands bodies over NUL-terminated */
    memcpy(body, rest, left);
    body[left] = '\0';

    struct http_request req;
    memset(&req, 0, sizeof req);
    req.method = route->method;
    req.head = strcmp(route->method, "HEAD") == 0;
    req.target = target;
    char authz[64];
    if (token) {
        snprintf(authz, sizeof authz, "Bearer %s", token);
        req.headers[req.n_headers++] = (struct http_header){"authorization", authz};
    }
    req.headers[req.n_headers++] = (struct http_header){"content-type", ctype};
    req.body = body;
    req.body_len = left;
    fuzz_app_call(a, &req);
    free(body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct app *a = fuzz_app_next();
    const size_t sep = strlen(SEPARATOR);
    for (int i = 0; i < REQUESTS_MAX && size > 0; i++) {
        const uint8_t *end = NULL;
        for (size_t k = 0; k + sep <= size; k++) {
            if (memcmp(data + k, SEPARATOR, sep) == 0) {
                end = data + k;
                break;
            }
        }
        size_t n = end ? (size_t)(end - data) : size;
        one_request(a, data, n);
        if (!end)
            break;
        size -= n + sep;
        data += n + sep;
    }
    return 0;
}
