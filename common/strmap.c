/* strmap.c: open addressing with tombstones, rehashed at 70% use. */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ev.h"

static char tombstone;
#define STRMAP_TOMBSTONE (&tombstone)

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ull;
    return h;
}

static strmap_slot *find(const strmap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    for (size_t i = hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        strmap_slot *s = &m->slots[i];
        if (!s->key)
            return NULL;
        if (s->key != STRMAP_TOMBSTONE && strcmp(s->key, key) == 0)
            return s;
    }
}

void *strmap_get(const strmap *m, const char *key)
{
    strmap_slot *s = find(m, key);
    return s ? s->value : NULL;
}

static void rehash(strmap *m, size_t cap)
{
    strmap_slot *old = m->slots;
    size_t oldcap = m->cap;

    m->slots = ev_calloc(cap, sizeof *m->slots);
    m->cap = cap;
    m->used = m->count;
    for (size_t i = 0; i < oldcap; i++) {
        if (!old[i].key || old[i].key == STRMAP_TOMBSTONE)
            continue;
        size_t j = hash(old[i].key) & (cap - 1);
        while (m->slots[j].key)
            j = (j + 1) & (cap - 1);
        m->slots[j] = old[i];
    }
    free(old);
}

void *strmap_put(strmap *m, const char *key, void *value)
{
    strmap_slot *s = find(m, key);
    void *prev;

    if (s) {
        prev = s->value;
        s->value = value;
        return prev;
    }
    if ((m->used + 1) * 10 >= m->cap * 7)
        rehash(m, m->cap ? (m->count * 2 >= m->cap ? m->cap * 2 : m->cap) : 16);
    for (size_t i = hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        s = &m->slots[i];
        if (!s->key || s->key == STRMAP_TOMBSTONE) {
            if (!s->key)
                m->used++;
            s->key = ev_strdup(key);
            s->value = value;
            m->count++;
            return NULL;
        }
    }
}

void *strmap_del(strmap *m, const char *key)
{
    strmap_slot *s = find(m, key);
    void *prev;

    if (!s)
        return NULL;
    prev = s->value;
    free(s->key);
    s->key = STRMAP_TOMBSTONE;
    s->value = NULL;
    m->count--;
    return prev;
}

void strmap_each(const strmap *m, void (*fn)(void *ctx, const char *key, void *value),
                 void *ctx)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key && m->slots[i].key != STRMAP_TOMBSTONE)
            fn(ctx, m->slots[i].key, m->slots[i].value);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char **strmap_keys(const strmap *m, size_t *n)
{
    const char **keys = ev_malloc(sizeof *keys * (m->count ? m->count : 1));
    size_t k = 0;

    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key && m->slots[i].key != STRMAP_TOMBSTONE)
            keys[k++] = m->slots[i].key;
    qsort(keys, k, sizeof *keys, cmp_str);
    *n = k;
    return keys;
}

void strmap_free(strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key && m->slots[i].key != STRMAP_TOMBSTONE)
            free(m->slots[i].key);
    free(m->slots);
    memset(m, 0, sizeof *m);
}
