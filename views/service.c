/* The service's own bodies (see service.h). */
#include "views/service.h"

#include "core/json.h"

json_t *view_error_json(const char *code, const char *message, json_t *details)
{
    return json_pack("{s{ssssso}}", "error", "code", code, "message", message, "details",
                     details ? details : json_object());
}

json_t *view_error_field(const char *field)
{
    return json_pack("{ss}", "field", field);
}

json_t *view_health_json(void)
{
    return json_pack("{ss}", "status", "ok");
}
