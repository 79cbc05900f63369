/* JSON bodies of the service itself (docs/CONTRACT.md "Errors", "health"): the error envelope,
 * its usual details and the health answer. */
#ifndef RELCAL_VIEWS_SERVICE_H
#define RELCAL_VIEWS_SERVICE_H

#include <jansson.h>

/* New reference: {"error": {"code", "message", "details"}}; takes the reference of `details`
 * (NULL: {}). */
json_t *view_error_json(const char *code, const char *message, json_t *details);
/* New reference: {"field": field}, the details of a refusal that names its field. */
json_t *view_error_field(const char *field);
/* New reference: {"status": "ok"}. */
json_t *view_health_json(void);

#endif
