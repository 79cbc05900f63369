/* The server's reads of the state and the delivery retry: the only door from server/ to the
 * store (docs/ARCHITECTURE.md "Layers"). The records are the store's (store/store.h); the
 * scheduler hands them out and frees them, so server/ never calls store_* itself. */
#ifndef RELCAL_SCHEDULER_QUERIES_H
#define RELCAL_SCHEDULER_QUERIES_H

#include <stddef.h>
#include <stdint.h>

#include "scheduler/sched.h"

/* The schema version; negative when the database does not answer (the health check). */
int sched_db_version(struct sched *s);

/* One issue (RC_ENOTFOUND when absent); clear with sched_issue_clear. */
int sched_issue_get(struct sched *s, const struct config_project *p, int64_t id,
                    struct store_issue *out);
void sched_issue_clear(struct store_issue *is);
/* All issues of the project, newest first; free with sched_issues_free. */
int sched_issue_list(struct sched *s, const struct config_project *p, struct store_issue **out,
                     size_t *n);
void sched_issues_free(struct store_issue *v, size_t n);

/* Outbox rows of the project, optionally in one state (NULL: all); free with
 * sched_deliveries_free. */
int sched_delivery_list(struct sched *s, const struct config_project *p,
                        const enum store_outbox_state *state, struct store_outbox **out, size_t *n);
void sched_deliveries_free(struct store_outbox *v, size_t n);
int sched_delivery_state_parse(const char *name, enum store_outbox_state *out);
const char *sched_delivery_state_name(enum store_outbox_state st);
/* Calls fn for each channel of the project a receiver disabled. */
int sched_channels_disabled(struct sched *s, const struct config_project *p,
                            void (*fn)(void *ud, const char *channel, int64_t disabled_at,
                                       const char *reason),
                            void *ud);
/* Calls fn with the number of outbox rows per channel and state. */
int sched_delivery_counts(struct sched *s, const struct config_project *p,
                          void (*fn)(void *ud, const char *channel, enum store_outbox_state state,
                                     long n),
                          void *ud);

/* An admin's retry of a dead delivery, one transaction: the row is pending again, its channel
 * (if a receiver had disabled it) enabled, and an audit row "delivery.retry" (subject: the row
 * id; detail: the channel and whether it was enabled) written. RC_ENOTFOUND when no dead row
 * has this id, RC_EAGAIN when the database is busy. Kicks the delivery engine on success. */
int sched_delivery_retry(struct sched *s, const struct config_project *p, const char *id,
                         const struct sched_actor *who);

/* A page of the audit log (store_audit_query); free with sched_audit_free. */
int sched_audit_query(struct sched *s, const struct config_project *p,
                      const struct store_audit_filter *f, struct store_audit **out, size_t *n);
void sched_audit_free(struct store_audit *v, size_t n);

#endif
