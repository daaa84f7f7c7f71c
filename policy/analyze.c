/*
 * analyze.c: evidence_analyze() — one file's bytes to its evidence record:
 * hash, parse, classify, extract. The daemon's workers and the offline
 * commands both call it, so they give the same answer for the same file.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "classify.h"
#include "draft.h"
#include "evidence.h"
#include "fields.h"
#include "ocrtext.h"
#include "scan.h"

static json_t *meta_json(const doc *d)
{
    const doc_meta *m = &d->meta;
    json_t *o = json_object();
    const struct { const char *key; const char *val; } f[] = {
        {"title", m->title}, {"subject", m->subject}, {"creator", m->creator},
        {"description", m->description}, {"keywords", m->keywords},
        {"created", m->created}, {"modified", m->modified},
        {"last_modified_by", m->last_modified_by}, {"revision", m->revision},
        {"application", m->application}, {"company", m->company},
        {"template", m->template_name}, {"producer", m->producer},
    };
    for (size_t i = 0; i < EV_ARRAY_LEN(f); i++)
        if (f[i].val)
            json_object_set_new(o, f[i].key, json_string(f[i].val));
    if (d->npages > 0)
        json_object_set_new(o, "pages", json_integer(d->npages));
    return o;
}

json_t *evidence_blocks_json(const doc *d)
{
    static const char *const sources[] = {"text", "ocr", "seal"};
    json_t *a = json_array();

    for (size_t i = 0; i < d->nblocks; i++) {
        const doc_block *b = &d->blocks[i];
        json_t *o = json_pack("{s:s, s:s}", "part", doc_part_name(b->part), "kind",
                              doc_block_kind_name(b->kind));
        if (b->kind == DOC_BLOCK_HEADING)
            json_object_set_new(o, "level", json_integer(b->level));
        if (b->kind == DOC_BLOCK_CELL) {
            json_object_set_new(o, "table", json_integer(b->table));
            json_object_set_new(o, "row", json_integer(b->row));
            json_object_set_new(o, "col", json_integer(b->col));
        }
        json_object_set_new(o, "source", json_string(sources[b->source < 3 ? b->source : 0]));
        if (b->source != DOC_SOURCE_TEXT)
            json_object_set_new(o, "confidence", json_integer(b->confidence));
        json_object_set_new(o, "text", json_stringn(doc_block_text(d, b), b->len));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *signatures_json(const doc *d)
{
    json_t *a = json_array();
    for (size_t i = 0; i < d->nsignatures; i++) {
        const doc_signature *s = &d->signatures[i];
        json_array_append_new(a, json_pack("{s:o, s:o, s:s, s:s, s:b}",
                                           "signer", str_or_null(s->signer),
                                           "signed_at", str_or_null(s->signed_at),
                                           "status", s->status,
                                           "certificate", s->certificate,
                                           "covers_whole", s->covers_whole));
    }
    return a;
}

/* Without a catalog: the metadata title, else the first heading. */
static const char *plain_title(const doc *d)
{
    for (size_t i = 0; i < d->nblocks; i++)
        if (d->blocks[i].kind == DOC_BLOCK_HEADING && d->blocks[i].part == DOC_PART_BODY)
            return doc_block_text(d, &d->blocks[i]);
    return d->meta.title;
}

static void classify_into(const struct catalog *cat, const doc *d, evidence *e)
{
    classify_result r;
    const char *slash = strrchr(e->path, '/');

    memset(&r, 0, sizeof r);
    classify_doc(cat, d, slash ? slash + 1 : e->path, &r);
    e->kind = r.kind ? ev_strdup(r.kind) : NULL;
    e->topic = r.topic ? ev_strdup(r.topic) : NULL;
    e->subtype = r.subtype ? ev_strdup(r.subtype) : NULL;
    if (r.language) {
        free(e->language);
        e->language = ev_strdup(r.language);
    }
    if (r.title) {
        free(e->title);
        e->title = ev_strdup(r.title);
    }
    for (size_t i = 0; i < r.nwhy; i++)
        json_array_append_new(e->why, json_string(r.why[i]));
    for (size_t i = 0; i < r.nreasons; i++)
        json_array_append_new(e->notes, json_string(r.reasons[i]));
    classify_result_free(&r);
}

evidence *evidence_analyze(const struct catalog *cat, const char *path,
                           const void *data, size_t len, const doc_limits *lim,
                           bool looks_like_document)
{
    char sha256[EV_SHA256_HEX_LEN + 1];

    ev_sha256_hex(data, len, sha256);
    return evidence_analyze_hashed(cat, path, data, len, sha256, lim, looks_like_document);
}

evidence *evidence_analyze_hashed(const struct catalog *cat, const char *path,
                                  const void *data, size_t len, const char *sha256,
                                  const doc_limits *lim, bool looks_like_document)
{
    return evidence_analyze_scan(cat, path, data, len, sha256, lim, NULL, looks_like_document);
}

/*
 * The document with what OCR read repaired (ocrtext.h) for the classifier
 * and the field readers, which read it as they read a DOCX; the blocks and
 * what `extract --text` prints stay as OCR read them. *r shares all but
 * its text and blocks with d: release it with free_repaired().
 */
static const doc *repair_ocr(const doc *d, doc *r)
{
    ev_buf text = {0};

    *r = *d;
    r->blocks = ev_malloc(sizeof *r->blocks * (d->nblocks ? d->nblocks : 1));
    for (size_t i = 0; i < d->nblocks; i++) {
        const doc_block *b = &d->blocks[i];
        size_t len = b->len;
        char *fixed = b->source == DOC_SOURCE_TEXT ? NULL
                                                    : ev_ocr_repair(doc_block_text(d, b), b->len,
                                                                    &len);
        r->blocks[i] = *b;
        r->blocks[i].off = text.len;
        r->blocks[i].len = len;
        ev_buf_append(&text, fixed ? fixed : doc_block_text(d, b), len);
        ev_buf_putc(&text, '\0');
        free(fixed);
    }
    r->text = text.data;
    r->text_len = text.len;
    return r;
}

/* Each field read from OCR text says so, with its block's confidence. */
static void source_confidence(const doc *d, evidence *e)
{
    const char *name;
    json_t *src;

    json_object_foreach(e->sources, name, src) {
        json_int_t bi = json_integer_value(json_object_get(src, "block"));
        if (bi < 0 || (size_t)bi >= d->nblocks || d->blocks[bi].source == DOC_SOURCE_TEXT)
            continue;
        json_object_set_new(src, "confidence", json_integer(d->blocks[bi].confidence));
    }
}

static void free_repaired(doc *r)
{
    free(r->text);
    free(r->blocks);
}

/* What OCR read, for the record and for the evaluator's care. */
static json_t *ocr_json(const doc *d, const doc_ocr_options *opt)
{
    json_t *seals = json_array();
    for (size_t i = 0; i < d->nblocks; i++)
        if (d->blocks[i].source == DOC_SOURCE_SEAL)
            json_array_append_new(seals, json_string(doc_block_text(d, &d->blocks[i])));
    return json_pack("{s:s, s:s, s:i, s:i, s:i, s:o}", "engine", doc_ocr_engine(),
                     "languages", opt->languages, "dpi", (json_int_t)opt->dpi,
                     "pages", (json_int_t)d->ocr_pages,
                     "confidence", (json_int_t)d->ocr_confidence, "seals", seals);
}

evidence *evidence_analyze_scan(const struct catalog *cat, const char *path,
                                const void *data, size_t len, const char *sha256,
                                const doc_limits *lim, struct doc_ocr *ocr,
                                bool looks_like_document)
{
    evidence *e = evidence_new(path);
    ev_error err;
    doc *d = NULL;
    const char *lang, *title;

    assert(strlen(sha256) == EV_SHA256_HEX_LEN);
    e->size = len;
    memcpy(e->sha256, sha256, sizeof e->sha256);
    if (!looks_like_document) {
        e->unparsed = true;
        return e;
    }
    ev_error_clear(&err);
    if (doc_parse_scan(data, len, lim, ocr, &d, &err) != EV_OK) {
        e->error = err.code;
        e->error_message = ev_strdup(err.message);
        return e;
    }
    e->format = doc_format_name(d->format);
    e->text_chars = d->text_chars;
    json_decref(e->metadata);
    e->metadata = meta_json(d);
    json_decref(e->signatures);
    e->signatures = signatures_json(d);
    if (d->ocr_pages > 0)
        e->ocr = ocr_json(d, doc_ocr_options_get(ocr));
    for (unsigned bit = 1; bit < (1u << DOC_WARN_COUNT); bit <<= 1)
        if (d->warnings & bit)
            json_array_append_new(e->warnings, json_string(doc_warning_name(bit)));
    lang = doc_language(d);
    e->language = lang ? ev_strdup(lang) : NULL;
    title = plain_title(d);
    e->title = title ? ev_strdup(title) : NULL;
    if (cat) {
        doc repaired;
        const doc *read = d->ocr_pages > 0 ? repair_ocr(d, &repaired) : d;
        classify_into(cat, read, e);
        fields_extract(cat, read, e);
        draft_find(cat, read, e);
        if (read != d)
            source_confidence(d, e);
        if (read != d)
            free_repaired(&repaired);
    }
    doc_free(d);
    return e;
}
