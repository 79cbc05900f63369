/* Connections per client address (see peers.h). Linear probing with backward-shift deletion,
 * so the table never fills with tombstones however many clients come and go. */
#include "server/peers.h"

#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/xalloc.h"

struct peer_slot {
    struct peer_key key;
    size_t count; /* 0: empty */
};

void peer_key_from(const struct sockaddr *sa, struct peer_key *out)
{
    memset(out, 0, sizeof *out);
    if (sa->sa_family == AF_INET) {
        out->len = 4;
        memcpy(out->b, &((const struct sockaddr_in *)sa)->sin_addr, 4);
    } else if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(a)) {
            out->len = 4;
            memcpy(out->b, a->s6_addr + 12, 4);
        } else {
            out->len = 16;
            memcpy(out->b, a->s6_addr, 16);
        }
    }
}

static size_t hash(const struct peer_key *k)
{
    uint64_t h = hash_fnv1a(HASH_FNV1A_INIT, k->b, k->len);
    return (size_t)(h ^ (h >> 29));
}

static bool same(const struct peer_key *a, const struct peer_key *b)
{
    return a->len == b->len && memcmp(a->b, b->b, a->len) == 0;
}

/* The slot holding k, or the empty slot where it would go. */
static size_t find(const struct peer_table *t, const struct peer_key *k)
{
    size_t mask = t->cap - 1, i = hash(k) & mask;
    while (t->v[i].count && !same(&t->v[i].key, k))
        i = (i + 1) & mask;
    return i;
}

static void grow(struct peer_table *t)
{
    struct peer_table n = {.cap = t->cap ? 2 * t->cap : 64, .used = t->used};
    n.v = xcalloc(n.cap, sizeof *n.v);
    for (size_t i = 0; i < t->cap; i++)
        if (t->v[i].count)
            n.v[find(&n, &t->v[i].key)] = t->v[i];
    free(t->v);
    *t = n;
}

size_t peer_table_add(struct peer_table *t, const struct peer_key *k)
{
    if (!k->len)
        return 0;
    if (2 * (t->used + 1) > t->cap)
        grow(t);
    size_t i = find(t, k);
    if (!t->v[i].count) {
        t->v[i].key = *k;
        t->used++;
    }
    return ++t->v[i].count;
}

size_t peer_table_count(const struct peer_table *t, const struct peer_key *k)
{
    return k->len && t->cap ? t->v[find(t, k)].count : 0;
}

void peer_table_remove(struct peer_table *t, const struct peer_key *k)
{
    if (!k->len || !t->cap)
        return;
    size_t mask = t->cap - 1, i = find(t, k);
    if (!t->v[i].count || --t->v[i].count)
        return;
    t->used--;
    /* Backward-shift: move later entries of the probe run into the hole when their home slot
     * does not lie cyclically in (hole, their slot]. */
    for (size_t j = (i + 1) & mask; t->v[j].count; j = (j + 1) & mask) {
        size_t home = hash(&t->v[j].key) & mask;
        bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (stays)
            continue;
        t->v[i] = t->v[j];
        t->v[j].count = 0;
        i = j;
    }
    t->v[i].count = 0;
}

void peer_table_close(struct peer_table *t)
{
    free(t->v);
    memset(t, 0, sizeof *t);
}
