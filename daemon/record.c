/* record.c: evidence records kept as text, parsed when needed. */
#include "record.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static char *dump(json_t *o)
{
    char *s = json_dumps(o, EVIDENCE_JSON_FLAGS);
    if (!s)
        ev_die("cannot serialise an evidence record");
    return s;
}

record *record_new(const evidence *e)
{
    json_t *o = evidence_to_json(e, true);
    record *r = record_from_object(o);

    json_decref(o);
    return r;
}

record *record_from_object(const json_t *o)
{
    record *r = ev_calloc(1, sizeof *r);
    const char *sha = json_string_value(json_object_get(o, "sha256"));
    const char *kind = json_string_value(json_object_get(o, "kind"));

    if (sha && strlen(sha) == EV_SHA256_HEX_LEN)
        memcpy(r->sha256, sha, sizeof r->sha256);
    r->kind = kind ? ev_strdup(kind) : NULL;
    {
        /* Kept at hand so that the start and every recorded version can
         * tell scans apart without parsing the record again. */
        evidence *e = evidence_from_json(o);
        r->read_by_ocr = e && e->ocr;
        r->wants_ocr = e && evidence_wants_ocr(e);
        evidence_free(e);
    }
    r->json = dump((json_t *)o);
    r->refs = 1;
    return r;
}

record *record_with_path(const record *r, const char *path)
{
    json_t *o = record_object(r);
    record *n;

    json_object_set_new(o, "path", json_string(path));
    n = record_from_object(o);
    json_decref(o);
    return n;
}

record *record_ref(record *r)
{
    assert(r->refs > 0);
    r->refs++;
    return r;
}

void record_unref(record *r)
{
    if (!r)
        return;
    assert(r->refs > 0);
    if (--r->refs > 0)
        return;
    free(r->kind);
    free(r->json);
    free(r);
}

json_t *record_object(const record *r)
{
    json_t *o = json_loads(r->json, 0, NULL);
    return o ? o : json_object();
}

evidence *record_evidence(const record *r)
{
    json_t *o = json_loads(r->json, 0, NULL);
    evidence *e;

    if (!o)
        return NULL;
    json_object_del(o, "metadata");
    json_object_del(o, "warnings");
    json_object_del(o, "notes");
    json_object_del(o, "sources");
    e = evidence_from_json(o);
    json_decref(o);
    return e;
}
