/* A set of (action, subject) pairs (see handled.h). */
#include "scheduler/handled.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/xalloc.h"

static uint64_t key_hash(const char *action, const char *subject)
{
    uint64_t h = hash_fnv1a(HASH_FNV1A_INIT, action, strlen(action));
    h = hash_fnv1a(h, "\n", 1);
    return hash_fnv1a(h, subject, strlen(subject));
}

/* A key is the action and the subject, each with its terminating NUL. */
static bool key_is(const char *key, const char *action, const char *subject)
{
    return strcmp(key, action) == 0 && strcmp(key + strlen(key) + 1, subject) == 0;
}

static void put(char **keys, size_t cap, uint64_t h, char *key)
{
    size_t i = (size_t)(h & (cap - 1));
    while (keys[i])
        i = (i + 1) & (cap - 1);
    keys[i] = key;
}

static void grow(struct sched_handled *h)
{
    size_t cap = h->cap ? h->cap * 2 : 64;
    char **keys = xcalloc(cap, sizeof *keys);
    for (size_t i = 0; i < h->cap; i++) {
        if (!h->keys[i])
            continue;
        const char *k = h->keys[i];
        put(keys, cap, key_hash(k, k + strlen(k) + 1), h->keys[i]);
    }
    free(h->keys);
    h->keys = keys;
    h->cap = cap;
}

static bool has(const struct sched_handled *h, const char *action, const char *subject)
{
    if (!h->cap)
        return false;
    size_t i = (size_t)(key_hash(action, subject) & (h->cap - 1));
    for (; h->keys[i]; i = (i + 1) & (h->cap - 1))
        if (key_is(h->keys[i], action, subject))
            return true;
    return false;
}

int sched_handled_has(const struct sched_handled *h, const char *action, const char *subject,
                      bool *out)
{
    *out = false;
    if (h->st && !has(h, action, subject))
        return store_audit_exists(h->st, h->project, action, subject, out);
    *out = has(h, action, subject);
    return 0;
}

void sched_handled_lazy(struct sched_handled *h, struct store *st, const char *project)
{
    memset(h, 0, sizeof *h);
    h->st = st;
    h->project = project;
}

void sched_handled_add(struct sched_handled *h, const char *action, const char *subject)
{
    if (has(h, action, subject))
        return;
    if ((h->n + 1) * 2 > h->cap)
        grow(h);
    size_t na = strlen(action) + 1, ns = strlen(subject) + 1;
    char *key = xmalloc(na + ns);
    memcpy(key, action, na);
    memcpy(key + na, subject, ns);
    put(h->keys, h->cap, key_hash(action, subject), key);
    h->n++;
}

static void on_row(void *ud, const char *action, const char *subject)
{
    sched_handled_add(ud, action ? action : "", subject ? subject : "");
}

int sched_handled_load(struct sched_handled *h, struct store *st, const char *project,
                       const char *const *actions, size_t n_actions, const char *prefixes)
{
    memset(h, 0, sizeof *h);
    return store_audit_subjects(st, project, actions, n_actions, prefixes, on_row, h);
}

void sched_handled_free(struct sched_handled *h)
{
    for (size_t i = 0; i < h->cap; i++)
        free(h->keys[i]);
    free(h->keys);
    memset(h, 0, sizeof *h);
}
