/* unread.c: files not read, matched by name against a kind's cues. */
#include "unread.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "evalrec.h"

typedef struct unread_file {
    char *path;         /* valid UTF-8 */
    char *why;
    cat_view name;      /* the file name as the classifier reads it, once asked */
} unread_file;

/* One question asked of the set, and its answer. */
typedef struct asked {
    const cat_kind *kind;
    const cat_topic *topic;
    const cat_subtype *subtype;
    unread_match m;
} asked;

struct unread_set {
    const catalog *cat;
    pcre2_match_data *md;
    unread_file *files;
    size_t n, cap;
    bool sorted;        /* and the names prepared: the first question was asked */
    asked **asks;       /* a few: one per kind of evidence a requirement lacks */
    size_t nasks, askcap;
};

unread_set *unread_new(const catalog *cat)
{
    unread_set *u = ev_calloc(1, sizeof *u);

    assert(cat);
    u->cat = cat;
    u->md = pcre2_match_data_create(1, NULL);
    if (!u->md)
        ev_die("out of memory");
    return u;
}

void unread_free(unread_set *u)
{
    if (!u)
        return;
    for (size_t i = 0; i < u->n; i++) {
        free(u->files[i].path);
        free(u->files[i].why);
        cat_view_free(&u->files[i].name);
    }
    for (size_t i = 0; i < u->nasks; i++) {
        free((size_t *)u->asks[i]->m.idx);
        free(u->asks[i]);
    }
    free(u->files);
    free(u->asks);
    pcre2_match_data_free(u->md);
    free(u);
}

/* The name without folder and extension, '_' read as a space. */
static void name_view(const char *path, cat_view *v)
{
    const char *slash = strrchr(path, '/');
    char *stem = ev_strdup(slash ? slash + 1 : path);
    char *dot = strrchr(stem, '.');

    if (dot && dot != stem)
        *dot = '\0';
    for (char *p = stem; *p; p++)
        if (*p == '_')
            *p = ' ';
    cat_view_add(v, stem, strlen(stem));
    free(stem);
}

bool unread_add(unread_set *u, const evidence *e)
{
    unread_file *f;

    assert(!u->sorted);
    if (evidence_was_read(e))
        return false;
    u->files = ev_grow(u->files, &u->cap, u->n + 1, sizeof *u->files);
    f = &u->files[u->n++];
    memset(f, 0, sizeof *f);
    f->path = evalrec_path(e->path);
    f->why = evidence_unread_why(e);
    return true;
}

size_t unread_count(const unread_set *u)
{
    return u->n;
}

const char *unread_path(const unread_set *u, size_t i)
{
    assert(i < u->n);
    return u->files[i].path;
}

const char *unread_why(const unread_set *u, size_t i)
{
    assert(i < u->n);
    return u->files[i].why;
}

static int file_cmp(const void *a, const void *b)
{
    return strcmp(((const unread_file *)a)->path, ((const unread_file *)b)->path);
}

static bool cue_on_name(const unread_set *u, const cat_cue *cue, const cat_view *name)
{
    cat_views v;

    for (int i = 0; i < CAT_SCOPE_COUNT; i++)
        v.v[i] = name;
    return cat_cue_match(cue, CAT_SCOPE_TITLE, &v, u->md, NULL);
}

/* The kind's cues alone (q has no topic or subtype), or else the topic's
 * and subtype's, on a file whose name matched the kind's. */
static bool name_matches(const unread_set *u, const unread_file *f, const asked *q)
{
    const cat_subtype *s = q->subtype;

    if (!q->topic && !s)
        return cue_on_name(u, &q->kind->strong, &f->name) &&
               !cue_on_name(u, &q->kind->negative, &f->name);
    return (!q->topic || cue_on_name(u, &q->topic->words, &f->name)) &&
           (!s || s->is_default || s->cues.nkids == 0 || cue_on_name(u, &s->cues, &f->name));
}

const unread_match *unread_matching(unread_set *u, const cat_kind *kind,
                                    const cat_topic *topic, const cat_subtype *subtype)
{
    const unread_match *of_kind = NULL;
    asked *q;
    size_t *idx = NULL, cap = 0, n;

    assert(kind);
    if (!u->sorted) {
        if (u->n)
            qsort(u->files, u->n, sizeof *u->files, file_cmp);
        for (size_t i = 0; i < u->n; i++)
            name_view(u->files[i].path, &u->files[i].name);
        u->sorted = true;
    }
    for (size_t i = 0; i < u->nasks; i++)
        if (u->asks[i]->kind == kind && u->asks[i]->topic == topic &&
            u->asks[i]->subtype == subtype)
            return &u->asks[i]->m;
    /* A topic or subtype narrows the kind's answer: the eight procedure
     * topics cost one pass over the names, not eight. */
    if (topic || subtype)
        of_kind = unread_matching(u, kind, NULL, NULL);
    /* Each answer its own allocation: the ones handed out stay where they are. */
    q = ev_calloc(1, sizeof *q);
    *q = (asked){kind, topic, subtype, {NULL, 0}};
    u->asks = ev_grow(u->asks, &u->askcap, u->nasks + 1, sizeof *u->asks);
    u->asks[u->nasks++] = q;
    n = of_kind ? of_kind->n : u->n;
    for (size_t k = 0; k < n; k++) {
        size_t i = of_kind ? of_kind->idx[k] : k;
        if (name_matches(u, &u->files[i], q)) {
            idx = ev_grow(idx, &cap, q->m.n + 1, sizeof *idx);
            idx[q->m.n++] = i;
        }
    }
    q->m.idx = idx;
    return &q->m;
}
