/* The delivery engine: drains due outbox rows of every channel type (webhook, discord,
 * discourse, email through libcurl's multi interface driven by the libuv loop: sockets through
 * uv_poll, curl's timer through uv_timer, completions drained after every socket action, curl
 * never called from inside its own callbacks; `log` channels written directly). Outcomes follow
 * notifiers/outcome.h; rows of disabled channels stay held in the store. */
#ifndef RELCAL_NOTIFIERS_ENGINE_H
#define RELCAL_NOTIFIERS_ENGINE_H

#include <stdint.h>
#include <uv.h>

#include "config/config.h"
#include "core/clock.h"
#include "store/store.h"

struct notify_engine;

/* `cfg` is read through the pointer each time (the service swaps it on reload). */
int notify_engine_start(uv_loop_t *loop, struct store *store, const struct config *const *cfg,
                        struct core_clock *clock, struct notify_engine **out);
/* Looks for due rows now (also done every second). */
void notify_engine_kick(struct notify_engine *e);
/* Stops polling; transfers in flight are abandoned (their rows go back to pending on the next
 * start), handles are closed and the engine freed from the loop. */
void notify_engine_stop(struct notify_engine *e);

#endif
