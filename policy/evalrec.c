/*
 * evalrec.c: an evaluator's record in one block.
 *
 * The block is laid out by one walk over the record made twice: first with
 * no memory to measure it, then into the block. Layout: the evalrec, its
 * four arrays, then the strings, so nothing but the block is allocated.
 */
#include "evalrec.h"

#include <assert.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nfkc.h"

typedef struct packer {
    char *base;     /* NULL while measuring */
    size_t used;
} packer;

/* n bytes at the next multiple of align; NULL while measuring. */
static void *take(packer *p, size_t n, size_t align)
{
    void *at;

    p->used = (p->used + align - 1) & ~(align - 1);
    at = p->base ? p->base + p->used : NULL;
    p->used += n;
    return at;
}

static const char *put(packer *p, const char *s)
{
    size_t n;
    char *at;

    if (!s)
        return NULL;
    n = strlen(s) + 1;
    at = take(p, n, 1);
    if (at)
        memcpy(at, s, n);
    return at;
}

static bool is_experience(const char *key)
{
    return strcmp(key, "experience") == 0;
}

/* A signature worth keeping: an object with a status string. */
static bool is_signature(const json_t *s)
{
    return json_is_string(json_object_get(s, "status"));
}

/* A field OCR read with a confidence under the floor (its source says). */
static bool doubtful(const evidence *e, const char *key)
{
    const json_t *c = json_object_get(json_object_get(e->sources, key), "confidence");
    return json_is_integer(c) && json_integer_value(c) < EVALREC_OCR_FLOOR;
}

static void count(const evidence *e, size_t *nf, size_t *nc, size_t *nj, size_t *ns)
{
    const char *key;
    json_t *v, *item;
    size_t i;

    json_object_foreach(e->fields, key, v) {
        if (doubtful(e, key))
            continue;
        if (json_is_string(v))
            ++*nf;
        json_array_foreach(v, i, item) {
            if (json_is_string(item))
                ++*nf;
            else if (json_is_object(item) && is_experience(key))
                ++*nj;
        }
    }
    json_array_foreach(e->checks, i, v)
        if (json_is_string(v))
            ++*nc;
    json_array_foreach(e->signatures, i, v)
        if (is_signature(v))
            ++*ns;
}

static const char *member(packer *p, const json_t *o, const char *name)
{
    return put(p, json_string_value(json_object_get(o, name)));
}

/* Lay e out through p: the evalrec when p has a base, NULL when measuring. */
static evalrec *pack(packer *p, const evidence *e, const char *path)
{
    size_t nf = 0, nc = 0, nj = 0, ns = 0, kf = 0, kc = 0, kj = 0, ks = 0, i;
    evalrec *r;
    evalrec_field *fields;
    const char **checks;
    evalrec_job *jobs;
    evalrec_sig *sigs;
    evalrec v = {0};
    const char *key;
    json_t *val, *item, *w;

    count(e, &nf, &nc, &nj, &ns);
    r = take(p, sizeof *r, alignof(evalrec));
    fields = take(p, nf * sizeof *fields, alignof(evalrec_field));
    checks = take(p, nc * sizeof *checks, alignof(const char *));
    jobs = take(p, nj * sizeof *jobs, alignof(evalrec_job));
    sigs = take(p, ns * sizeof *sigs, alignof(evalrec_sig));

    v.path = put(p, path);
    v.sha256 = put(p, e->sha256);
    v.kind = put(p, e->kind);
    v.topic = put(p, e->topic);
    v.subtype = put(p, e->subtype);
    v.title = put(p, e->title);
    json_object_foreach(e->fields, key, val) {
        if (doubtful(e, key)) {
            v.ocr_doubtful++;
            continue;
        }
        if (json_is_string(val)) {
            evalrec_field f = {put(p, key), put(p, json_string_value(val)), false};
            if (fields)
                fields[kf] = f;
            kf++;
        }
        json_array_foreach(val, i, item) {
            if (json_is_string(item)) {
                evalrec_field f = {put(p, key), put(p, json_string_value(item)), true};
                if (fields)
                    fields[kf] = f;
                kf++;
            } else if (json_is_object(item) && is_experience(key)) {
                evalrec_job j = {member(p, item, "from"), member(p, item, "to"),
                                 member(p, item, "role")};
                if (jobs)
                    jobs[kj] = j;
                kj++;
            }
        }
    }
    json_array_foreach(e->checks, i, val) {
        if (json_is_string(val)) {
            const char *s = put(p, json_string_value(val));
            if (checks)
                checks[kc] = s;
            kc++;
        }
    }
    json_array_foreach(e->signatures, i, val) {
        if (is_signature(val)) {
            evalrec_sig s = {member(p, val, "signer"), member(p, val, "status"),
                             json_is_true(json_object_get(val, "covers_whole"))};
            if (sigs)
                sigs[ks] = s;
            ks++;
        }
    }
    assert(kf == nf && kc == nc && kj == nj && ks == ns);
    w = json_object_get(e->fields, "withdrawn");
    v.withdrawn = json_is_true(w) || (json_is_string(w) && *json_string_value(w));
    v.ocr_confidence = -1;
    if (e->ocr) {
        json_int_t c = json_integer_value(json_object_get(e->ocr, "confidence"));
        v.ocr_confidence = c < 0 ? 0 : c > 100 ? 100 : (int)c;
        v.ocr_dropped = v.ocr_confidence < EVALREC_OCR_FLOOR;
    }
    v.fields = fields, v.nfields = v.ocr_dropped ? 0 : nf;
    v.checks = checks, v.nchecks = v.ocr_dropped ? 0 : nc;
    v.jobs = jobs, v.njobs = nj;
    v.sigs = sigs, v.nsigs = ns;
    if (r)
        *r = v;
    return r;
}

char *evalrec_path(const char *path)
{
    char *bad = ev_utf8_scrub(path, strlen(path));
    char *valid = bad ? ev_nfkc(path, strlen(path)) : ev_strdup(path);

    free(bad);
    return valid;
}

evalrec *evalrec_new(const evidence *e)
{
    packer p = {0};
    char *path;
    evalrec *r;

    if (!e || !e->kind || !evidence_was_read(e))
        return NULL;
    path = evalrec_path(e->path);
    pack(&p, e, path);
    p.base = ev_malloc(p.used);
    p.used = 0;
    r = pack(&p, e, path);
    assert(r == (evalrec *)(void *)p.base);
    free(path);
    return r;
}

void evalrec_free(evalrec *r)
{
    free(r);
}

const char *evalrec_str(const evalrec *r, const char *name)
{
    for (size_t i = 0; i < r->nfields; i++)
        if (!r->fields[i].listed && strcmp(r->fields[i].name, name) == 0)
            return r->fields[i].value;
    return NULL;
}

bool evalrec_listed(const evalrec *r, const char *name, const char *value)
{
    for (size_t i = 0; i < r->nfields; i++)
        if (r->fields[i].listed && strcmp(r->fields[i].name, name) == 0 &&
            (!value || strcmp(r->fields[i].value, value) == 0))
            return true;
    return false;
}
