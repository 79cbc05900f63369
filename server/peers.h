/* Open connections per client address, for the per-address connection cap: an open-addressing
 * hash table keyed by the address bytes (IPv4 or IPv6, port ignored). */
#ifndef RELCAL_SERVER_PEERS_H
#define RELCAL_SERVER_PEERS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct peer_key {
    uint8_t len; /* 4 or 16; 0 for an address of another family (never counted) */
    uint8_t b[16];
};

struct peer_slot;

struct peer_table {
    struct peer_slot *v;
    size_t cap, used;
};

/* The key of a socket address (an IPv4-mapped IPv6 address counts as its IPv4 address). */
void peer_key_from(const struct sockaddr *sa, struct peer_key *out);
/* Counts one more connection from k; returns the new count (0 for an uncounted key). */
size_t peer_table_add(struct peer_table *t, const struct peer_key *k);
/* Counts one connection fewer (the entry goes when it reaches zero). */
void peer_table_remove(struct peer_table *t, const struct peer_key *k);
/* Connections from k now. */
size_t peer_table_count(const struct peer_table *t, const struct peer_key *k);
/* Frees the table (an all-zero table is empty and valid). */
void peer_table_close(struct peer_table *t);

#endif
