/* litset.c: strings bucketed by their first two bytes (one-byte strings by
 * their only byte); a scan probes one bucket per position. */
#include "litset.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ev.h"

typedef struct lit {
    char *bytes;
    size_t len;
} lit;

struct litset {
    lit *v;
    size_t n, cap;
    uint32_t *order;            /* string indices bucketed, in order of addition */
    uint32_t *two;              /* bucket of two-byte prefix k: order[two[k] .. two[k+1]) */
    uint32_t one[257];          /* the same for one-byte strings */
    uint32_t *ones;             /* indices of one-byte strings */
    bool built;
};

litset *litset_new(void)
{
    return ev_calloc(1, sizeof(litset));
}

size_t litset_add(litset *s, const char *str, size_t len)
{
    assert(!s->built);
    s->v = ev_grow(s->v, &s->cap, s->n + 1, sizeof *s->v);
    s->v[s->n].bytes = ev_strndup(str, len);
    s->v[s->n].len = len;
    return s->n++;
}

size_t litset_len(const litset *s, size_t index)
{
    assert(index < s->n);
    return s->v[index].len;
}

static unsigned key2(const char *p)
{
    return (unsigned)(unsigned char)p[0] << 8 | (unsigned char)p[1];
}

/* Counting sort into buckets: stable, so each bucket keeps the order of
 * addition. */
void litset_build(litset *s)
{
    uint32_t *count2 = ev_calloc(65537, sizeof *count2);

    assert(!s->built);
    s->order = ev_calloc(s->n + 1, sizeof *s->order);
    s->ones = ev_calloc(s->n + 1, sizeof *s->ones);
    memset(s->one, 0, sizeof s->one);
    for (size_t i = 0; i < s->n; i++) {
        if (s->v[i].len >= 2)
            count2[key2(s->v[i].bytes) + 1]++;
        else if (s->v[i].len == 1)
            s->one[(unsigned char)s->v[i].bytes[0] + 1]++;
    }
    for (size_t k = 1; k <= 65536; k++)
        count2[k] += count2[k - 1];
    for (size_t k = 1; k <= 256; k++)
        s->one[k] += s->one[k - 1];
    s->two = ev_malloc(65537 * sizeof *s->two);
    memcpy(s->two, count2, 65537 * sizeof *count2);
    {
        uint32_t fill1[256];
        memcpy(fill1, s->one, sizeof fill1);
        for (size_t i = 0; i < s->n; i++) {
            if (s->v[i].len >= 2)
                s->order[count2[key2(s->v[i].bytes)]++] = (uint32_t)i;
            else if (s->v[i].len == 1)
                s->ones[fill1[(unsigned char)s->v[i].bytes[0]]++] = (uint32_t)i;
        }
    }
    free(count2);
    s->built = true;
}

void litset_scan(const litset *s, const char *text, size_t len, litset_fn *fn, void *ctx)
{
    assert(s->built);
    for (size_t p = 0; p < len; p++) {
        unsigned char c = (unsigned char)text[p];
        for (uint32_t k = s->one[c]; k < s->one[c + 1]; k++)
            if (fn(ctx, s->ones[k], p))
                return;
        if (p + 1 >= len)
            continue;
        unsigned key = key2(text + p);
        for (uint32_t k = s->two[key]; k < s->two[key + 1]; k++) {
            const lit *l = &s->v[s->order[k]];
            if (l->len <= len - p && memcmp(text + p + 2, l->bytes + 2, l->len - 2) == 0 &&
                fn(ctx, s->order[k], p))
                return;
        }
    }
}

void litset_free(litset *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].bytes);
    free(s->v);
    free(s->order);
    free(s->two);
    free(s->ones);
    free(s);
}
