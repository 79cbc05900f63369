/* Name and text lookup for the error table in err.h. */
#include "core/err.h"

const char *rc_name(int rc)
{
    switch (rc) {
    case RC_OK:
        return "OK";
#define RC_X_NAME(name, value, text)                                                               \
    case value:                                                                                    \
        return #name;
        RC_ERROR_MAP(RC_X_NAME)
#undef RC_X_NAME
    default:
        return "UNKNOWN";
    }
}

const char *rc_strerror(int rc)
{
    switch (rc) {
    case RC_OK:
        return "success";
#define RC_X_TEXT(name, value, text)                                                               \
    case value:                                                                                    \
        return text;
        RC_ERROR_MAP(RC_X_TEXT)
#undef RC_X_TEXT
    default:
        return "unknown error";
    }
}
