/*
 * stylemap.c: which paragraph styles are headings.
 *
 * Producers name heading styles in the user's language ("Überschrift 1",
 * "标题 1") but keep a stable built-in name or an outline level somewhere in
 * the style chain, so a style's level is what it states, else what its
 * parent states. Lookups are by binary search after one sort.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse_int.h"

#define MAX_CHAIN 16    /* parent chains longer than this are cycles or abuse */

/* Level implied by a style's built-in or display name, or -1. */
static int level_from_name(const char *name)
{
    static const char *const prefixes[] = {"heading", "heading_20_", "heading "};
    if (!name)
        return -1;
    if (strcasecmp(name, "title") == 0)
        return 0;
    for (size_t i = 0; i < EV_ARRAY_LEN(prefixes); i++) {
        size_t n = strlen(prefixes[i]);
        if (strncasecmp(name, prefixes[i], n) == 0 && name[n] >= '1' && name[n] <= '9' &&
            name[n + 1] == '\0')
            return name[n] - '0';
    }
    return -1;
}

void stylemap_add(stylemap *m, const char *name, const char *display_name,
                  const char *parent, int level)
{
    stylemap_entry *e;

    if (!name || m->n >= 65536)
        return;
    if (level < 0)
        level = level_from_name(name);
    if (level < 0)
        level = level_from_name(display_name);
    m->v = ev_grow(m->v, &m->cap, m->n + 1, sizeof *m->v);
    e = &m->v[m->n++];
    e->name = ev_strdup(name);
    e->parent = parent ? ev_strdup(parent) : NULL;
    e->level = level;
    m->resolved = false;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const stylemap_entry *)a)->name, ((const stylemap_entry *)b)->name);
}

static stylemap_entry *find(stylemap *m, const char *name)
{
    stylemap_entry key = {.name = (char *)name};
    if (m->n == 0)
        return NULL;
    return bsearch(&key, m->v, m->n, sizeof *m->v, cmp_entry);
}

int stylemap_level(stylemap *m, const char *name)
{
    if (!name)
        return -1;
    if (!m->resolved) {
        if (m->n)
            qsort(m->v, m->n, sizeof *m->v, cmp_entry);
        m->resolved = true;
    }
    for (int hops = 0; name && hops < MAX_CHAIN; hops++) {
        stylemap_entry *e = find(m, name);
        if (!e)
            return level_from_name(name);
        if (e->level >= 0)
            return e->level;
        name = e->parent;
    }
    return -1;
}

void stylemap_free(stylemap *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].name);
        free(m->v[i].parent);
    }
    free(m->v);
    memset(m, 0, sizeof *m);
}
