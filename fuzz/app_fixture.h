/* The relcal HTTP application in memory for the fuzz targets (fuzz_http, fuzz_api): a fixed
 * config with three tokens, an in-memory store, a fake clock, the scheduler and struct app, as
 * tests/unit/test_server.c builds them. One per process; the store is thrown away and opened
 * again every FUZZ_APP_RECYCLE inputs so that what the inputs create stays bounded. */
#ifndef RELCAL_FUZZ_APP_FIXTURE_H
#define RELCAL_FUZZ_APP_FIXTURE_H

#include "server/app.h"

#define FUZZ_APP_RECYCLE 512

/* Bearer tokens of the fixture's config, by role. */
#define FUZZ_TOKEN_READER  "reader-token"
#define FUZZ_TOKEN_MANAGER "manager-token"
#define FUZZ_TOKEN_ADMIN   "admin-token"
#define FUZZ_TOKEN_DISTRO  "distro-token" /* the distributor feed of project "mautic" */

/* The application for the next input (created on first use, recycled as above). Aborts when
 * the fixture cannot be built: that is a bug in the harness, not an input. */
struct app *fuzz_app_next(void);

/* Runs one request through app_handle and serialises the answer as http.c would. False when
 * the handler asked for the connection to be closed. */
bool fuzz_app_call(struct app *a, const struct http_request *req);

#endif
