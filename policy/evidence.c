/* evidence.c: the per-file evidence record, and its JSON form. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "evidence.h"

evidence *evidence_new(const char *path)
{
    evidence *e = ev_calloc(1, sizeof *e);
    e->path = ev_strdup(path);
    e->why = json_array();
    e->fields = json_object();
    e->checks = json_array();
    e->notes = json_array();
    e->metadata = json_object();
    e->warnings = json_array();
    e->signatures = json_array();
    e->sources = json_object();
    return e;
}

void evidence_free(evidence *e)
{
    if (!e)
        return;
    free(e->path);
    free(e->error_message);
    free(e->kind);
    free(e->topic);
    free(e->subtype);
    free(e->language);
    free(e->title);
    json_decref(e->why);
    json_decref(e->fields);
    json_decref(e->checks);
    json_decref(e->notes);
    json_decref(e->metadata);
    json_decref(e->warnings);
    json_decref(e->signatures);
    json_decref(e->sources);
    json_decref(e->ocr);
    free(e);
}

static bool has_extension(const char *name, const char *const *exts, size_t n)
{
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < n; i++)
        if (strcasecmp(dot, exts[i]) == 0)
            return true;
    return false;
}

bool evidence_is_document_name(const char *name)
{
    static const char *const exts[] = {".docx", ".docm", ".dotx", ".dotm",
                                       ".odt", ".ott", ".fodt", ".pdf"};
    return has_extension(name, exts, EV_ARRAY_LEN(exts));
}

bool evidence_is_scan_name(const char *name)
{
    static const char *const exts[] = {".jpg", ".jpeg", ".png", ".tif", ".tiff"};
    return has_extension(name, exts, EV_ARRAY_LEN(exts));
}

static bool has_warning(const evidence *e, const char *name)
{
    size_t i;
    json_t *w;
    json_array_foreach(e->warnings, i, w)
        if (json_is_string(w) && strcmp(json_string_value(w), name) == 0)
            return true;
    return false;
}

bool evidence_wants_ocr(const evidence *e)
{
    if (e->error != EV_OK || e->ocr)
        return false;
    if (e->unparsed)
        return evidence_is_scan_name(e->path);
    return has_warning(e, "no-text-layer") || has_warning(e, "scanned-pages");
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *evidence_to_json(const evidence *e, bool full)
{
    json_t *o = json_object();

    json_object_set_new(o, "path", json_string(e->path));
    if (e->error != EV_OK) {
        json_object_set_new(o, "sha256", json_string(e->sha256));
        json_object_set_new(o, "size", json_integer((json_int_t)e->size));
        json_object_set_new(o, "error", json_pack("{s:s, s:s}", "code",
                            ev_code_name(e->error), "message",
                            e->error_message ? e->error_message : ""));
        return o;
    }
    json_object_set_new(o, "format", e->unparsed ? json_string("unparsed")
                                                 : str_or_null(e->format));
    json_object_set_new(o, "size", json_integer((json_int_t)e->size));
    json_object_set_new(o, "sha256", json_string(e->sha256));
    json_object_set_new(o, "kind", str_or_null(e->kind));
    json_object_set_new(o, "topic", str_or_null(e->topic));
    if (e->subtype)
        json_object_set_new(o, "subtype", json_string(e->subtype));
    json_object_set_new(o, "language", str_or_null(e->language));
    json_object_set_new(o, "title", str_or_null(e->title));
    json_object_set(o, "fields", e->fields);
    if (json_object_size(e->sources) > 0)
        json_object_set(o, "sources", e->sources);
    json_object_set(o, "metadata", e->metadata);
    json_object_set_new(o, "text_chars", json_integer((json_int_t)e->text_chars));
    json_object_set(o, "warnings", e->warnings);
    if (json_array_size(e->signatures) > 0)
        json_object_set(o, "signatures", e->signatures);
    if (e->ocr)
        json_object_set(o, "ocr", e->ocr);
    if (full) {
        json_object_set(o, "why", e->why);
        json_object_set(o, "checks", e->checks);
        json_object_set(o, "notes", e->notes);
    }
    return o;
}

static char *dup_member(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? ev_strdup(s) : NULL;
}

/* Point *slot at member `key` when it has the wanted type. The member is
 * shared, not copied: records are read, never changed, once built. */
static void take(json_t **slot, const json_t *o, const char *key, json_type type)
{
    json_t *v = json_object_get(o, key);
    if (v && json_typeof(v) == type) {
        json_decref(*slot);
        *slot = json_incref(v);
    }
}

evidence *evidence_from_json(const json_t *o)
{
    const char *path = json_string_value(json_object_get(o, "path"));
    const char *sha = json_string_value(json_object_get(o, "sha256"));
    const json_t *error = json_object_get(o, "error");
    const char *format;
    evidence *e;

    if (!path)
        return NULL;
    e = evidence_new(path);
    if (sha && strlen(sha) == EV_SHA256_HEX_LEN)
        memcpy(e->sha256, sha, EV_SHA256_HEX_LEN + 1);
    e->size = (uint64_t)json_integer_value(json_object_get(o, "size"));
    if (json_is_object(error)) {
        const char *code = json_string_value(json_object_get(error, "code"));
        e->error = EV_EMALFORMED;
        for (int c = EV_ENOTDOC; c < EV_CODE_COUNT; c++)
            if (code && strcmp(code, ev_code_name((ev_code)c)) == 0)
                e->error = (ev_code)c;
        e->error_message = dup_member(error, "message");
        return e;
    }
    format = json_string_value(json_object_get(o, "format"));
    if (format && strcmp(format, "unparsed") == 0)
        e->unparsed = true;
    else if (format && strcmp(format, "docx") == 0)
        e->format = "docx";
    else if (format && strcmp(format, "odt") == 0)
        e->format = "odt";
    else if (format)
        for (doc_format f = DOC_FORMAT_PDF; f <= DOC_FORMAT_TIFF; f++)
            if (strcmp(format, doc_format_name(f)) == 0)
                e->format = doc_format_name(f);
    e->kind = dup_member(o, "kind");
    e->topic = dup_member(o, "topic");
    e->subtype = dup_member(o, "subtype");
    e->language = dup_member(o, "language");
    e->title = dup_member(o, "title");
    e->text_chars = (uint64_t)json_integer_value(json_object_get(o, "text_chars"));
    take(&e->why, o, "why", JSON_ARRAY);
    take(&e->fields, o, "fields", JSON_OBJECT);
    take(&e->checks, o, "checks", JSON_ARRAY);
    take(&e->notes, o, "notes", JSON_ARRAY);
    take(&e->metadata, o, "metadata", JSON_OBJECT);
    take(&e->warnings, o, "warnings", JSON_ARRAY);
    take(&e->signatures, o, "signatures", JSON_ARRAY);
    take(&e->sources, o, "sources", JSON_OBJECT);
    take(&e->ocr, o, "ocr", JSON_OBJECT);
    return e;
}

const char *evidence_field_str(const evidence *e, const char *name)
{
    return json_string_value(json_object_get(e->fields, name));
}

bool evidence_was_read(const evidence *e)
{
    return e->error == EV_OK && !e->unparsed && e->text_chars > 0;
}

char *evidence_unread_why(const evidence *e)
{
    ev_buf b = {0};
    const char *dot, *sep = "; ";
    size_t i;
    json_t *w;

    if (e->error != EV_OK)
        return e->error_message && *e->error_message
                   ? ev_asprintf("rejected as %s: %s", ev_code_name(e->error), e->error_message)
                   : ev_asprintf("rejected as %s", ev_code_name(e->error));
    if (e->unparsed) {
        if (evidence_wants_ocr(e))
            return ev_strdup("a scan waiting for OCR (or OCR is off)");
        dot = strrchr(e->path, '.');
        if (dot && !strchr(dot, '/') && dot[1])
            return ev_asprintf("a %s file is only hashed", dot);
        return ev_strdup("it is not a document evidenced reads: it is only hashed");
    }
    if (evidence_was_read(e))
        return NULL;
    if (e->ocr)
        return ev_strdup("OCR found no text in it");
    ev_buf_puts(&b, evidence_wants_ocr(e) ? "no text was found in it (a scan waiting for OCR, "
                                            "or OCR is off"
                                          : "no text was found in it (a scan or an image");
    /* The parser's warnings (no-text-layer, ...) say more than we can. */
    json_array_foreach(e->warnings, i, w)
        if (json_is_string(w)) {
            ev_buf_printf(&b, "%s%s", sep, json_string_value(w));
            sep = ", ";
        }
    ev_buf_puts(&b, ")");
    return ev_buf_steal(&b);
}
