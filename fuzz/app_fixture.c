/* The in-memory relcal application shared by fuzz_http and fuzz_api (see app_fixture.h). */
#include "fuzz/app_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "store/store.h"

/* Two projects: one with branches, holidays, an SLA and a distributor channel, one minimal. */
static const char *const cfg_text =
    "{\"public_url\": \"https://security.example.org\","
    " \"tokens\": ["
    "  {\"name\": \"m\", \"role\": \"manager\", \"sha256\": "
    "\"3983202afa4411cda7cafc94a18aa1f6f620cfda5e9b0ab52c0f0d53a6be4315\"},"
    "  {\"name\": \"r\", \"role\": \"reader\", \"sha256\": "
    "\"ba5005a40cf5212e4ac0190104cc127edab013294bb71279a975b27a80982d45\"},"
    "  {\"name\": \"a\", \"role\": \"admin\", \"sha256\": "
    "\"10a4c7c9fc5206d6f36dc6944a81bb6f4a3cb0e25014ae3b12e6c3e52712292a\"}],"
    " \"projects\": ["
    "  {\"id\": \"mautic\", \"name\": \"Mautic\", \"timezone\": \"Europe/Berlin\","
    "   \"branches\": [{\"name\": \"5.x\", \"version\": \"5.1.2\"},"
    "                  {\"name\": \"4.x\", \"version\": \"4.4.12\", \"eol\": \"2027-06-30\"}],"
    "   \"policy\": {\"cadence\": \"FREQ=MONTHLY;BYMONTH=2,5,8,11;BYDAY=2TU\","
    "                \"release_time\": \"14:00\", \"holidays\": [\"2027-05-11\"]},"
    "   \"channels\": [{\"name\": \"distro-hook\", \"type\": \"webhook\","
    "                   \"audience\": \"distributors\", \"url\": \"https://hooks.invalid/relcal\","
    "                   \"secret\": \"whsec_UkVQTEFDRS1NRS1SRVBMQUNFLU1F\","
    "                   \"feed_token_sha256\": "
    "\"3534b98549157aff4ceea1dbcda51841e650d33b8c8abec78dd890aa65767dd8\"}]},"
    "  {\"id\": \"myproject\", \"name\": \"My Project\", \"timezone\": \"UTC\"}]}";

struct fixture {
    struct config *cfg;
    struct store *store;
    struct core_clock clock;
    struct sched sched;
    struct app app;
    unsigned uses;
};

static struct fixture fx;

static void fixture_close(void)
{
    app_close(&fx.app);
    store_close(fx.store);
    fx.store = NULL;
}

static void fixture_open(void)
{
    char err[256];
    if (!fx.cfg && config_load_string(cfg_text, "fuzz.json", &fx.cfg, err, sizeof err) < 0) {
        fprintf(stderr, "fuzz fixture: %s\n", err);
        abort();
    }
    if (store_open(":memory:", &fx.store) < 0) {
        fprintf(stderr, "fuzz fixture: cannot open the in-memory store\n");
        abort();
    }
    clock_init_fake(&fx.clock, 1795521600000); /* 2026-11-24T12:00:00Z */
    fx.sched = (struct sched){.cfg = fx.cfg, .store = fx.store, .clock = &fx.clock};
    fx.app = (struct app){.sched = &fx.sched, .cfg = fx.cfg};
    app_tokens_load(&fx.app);
    fx.uses = 0;
}

static void drop_line(void *ctx, const char *line)
{
    (void)ctx;
    (void)line;
}

struct app *fuzz_app_next(void)
{
    if (fx.store && fx.uses >= FUZZ_APP_RECYCLE)
        fixture_close();
    if (!fx.store) {
        /* Every log line is formatted (inputs reach them) and dropped. */
        log_level_set(LOG_LEVEL_DEBUG);
        log_sink_set(drop_line, NULL);
        fixture_open();
    }
    fx.uses++;
    return &fx.app;
}

bool fuzz_app_call(struct app *a, const struct http_request *req)
{
    struct http_response resp = {.status = 500};
    buf_init(&resp.headers, HTTP_HEADERS_MAX_BYTES);
    buf_init(&resp.body, 64 * 1024 * 1024);
    app_handle(a, req, &resp);
    struct buf out;
    buf_init(&out, SIZE_MAX / 2);
    http_response_serialize(req, &resp, !resp.close, 1795521600, &out);
    buf_close(&out);
    buf_close(&resp.headers);
    buf_close(&resp.body);
    return !resp.close;
}
