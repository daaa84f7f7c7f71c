/*
 * strmap.h: a hash map from strings to pointers (open addressing, linear
 * probing, FNV-1a). Keys are copied; values belong to the caller.
 * Iteration order is unspecified; strmap_keys() gives them sorted.
 */
#ifndef EV_STRMAP_H
#define EV_STRMAP_H

#include <stddef.h>

typedef struct strmap_slot {
    char *key;              /* NULL: empty; STRMAP_TOMBSTONE: deleted */
    void *value;
} strmap_slot;

typedef struct strmap {
    strmap_slot *slots;
    size_t cap;             /* a power of two, or 0 */
    size_t count;           /* live keys */
    size_t used;            /* live keys and tombstones */
} strmap;

void *strmap_get(const strmap *m, const char *key);
/* Insert or replace; returns the previous value or NULL. */
void *strmap_put(strmap *m, const char *key, void *value);
/* Remove; returns the value that was there or NULL. */
void *strmap_del(strmap *m, const char *key);
/* Calls fn for every entry; fn must not change the map. */
void strmap_each(const strmap *m, void (*fn)(void *ctx, const char *key, void *value),
                 void *ctx);
/* The keys in strcmp order (pointers into the map, valid until it changes);
 * *n receives the count. Free the array with free(). */
const char **strmap_keys(const strmap *m, size_t *n);
/* Frees the keys and slots, not the values. */
void strmap_free(strmap *m);

#endif
