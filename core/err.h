/* Error codes shared by every module: one X-macro table generates the enum, rc_name() and
 * rc_strerror(). Functions return 0 or a negative RC_E* code. Values of removed codes (-2, -4,
 * -13, -17) are not reused. */
#ifndef RELCAL_CORE_ERR_H
#define RELCAL_CORE_ERR_H

#define RC_ERROR_MAP(X)                                                                            \
    X(EINVAL, -1, "invalid argument")                                                              \
    X(EPARSE, -3, "parse error")                                                                   \
    X(ENOTFOUND, -5, "not found")                                                                  \
    X(EEXIST, -6, "already exists")                                                                \
    X(EIO, -7, "input/output error")                                                               \
    X(ESTORE, -8, "database error")                                                                \
    X(ECONFIG, -9, "configuration error")                                                          \
    X(ETOOBIG, -10, "size limit exceeded")                                                         \
    X(ETRANSITION, -11, "transition not allowed")                                                  \
    X(EPOLICY, -12, "refused by policy")                                                           \
    X(EFORBIDDEN, -14, "forbidden")                                                                \
    X(ENOMATCH, -15, "rule yields no instance")                                                    \
    X(ECRYPTO, -16, "cryptographic library error")                                                 \
    X(EAGAIN, -18, "try again later")                                                              \
    X(ECONFLICT, -19, "conflicting state")

enum rc_code {
    RC_OK = 0,
#define RC_X_ENUM(name, value, text) RC_##name = value,
    RC_ERROR_MAP(RC_X_ENUM)
#undef RC_X_ENUM
};

/* Short symbolic name ("EINVAL") of a code; "OK" for 0, "UNKNOWN" otherwise. Static storage. */
const char *rc_name(int rc);

/* Human-readable text of a code. Static storage. */
const char *rc_strerror(int rc);

#endif
