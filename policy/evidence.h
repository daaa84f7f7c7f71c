/*
 * evidence.h: what evidenced knows of one file.
 *
 * The record is filled in stages: evidence_analyze() parses and hashes the
 * bytes, the classifier sets kind/topic/subtype/language/why, the field
 * extractor sets fields/checks/notes. The evaluator reads records and never
 * the documents, so the daemon can keep records (in the ledger) instead of
 * texts, and re-evaluate at any as-of date without parsing again.
 *
 * JSON members (fields, why, checks, notes, metadata, warnings) are jansson
 * values owned by the record. Field values are normalised as the spec says:
 * dates "YYYY-MM-DD", amount {"value": number, "currency": "CNY"},
 * service_category a category id, lists as arrays.
 */
#ifndef EV_EVIDENCE_H
#define EV_EVIDENCE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "doc.h"
#include "ev.h"
#include "sha256.h"

struct catalog;

/* How records are written out: one line, members in order, and amounts
 * with 15 significant digits, so 123456.78 prints as 123456.78 and not as
 * the nearest binary double's 17 digits. */
#define EVIDENCE_JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

typedef struct evidence {
    char *path;             /* relative to the evidence folder, or as given */
    char sha256[EV_SHA256_HEX_LEN + 1];
    uint64_t size;
    ev_code error;          /* EV_OK, or why the document was rejected */
    char *error_message;
    bool unparsed;          /* not a document (an image): hashed only */
    const char *format;     /* "docx", "odt", "pdf", or NULL */
    char *kind;             /* catalog kind id; "other" when undecided */
    char *topic;            /* procedures: topic id, else NULL */
    char *subtype;          /* NULL when the kind has none */
    char *language;         /* "zh", "en", or NULL when no text */
    char *title;
    json_t *why;            /* [string]: the cues that decided the kind */
    json_t *fields;         /* {name: value} */
    json_t *sources;        /* {name: {block, start, end, text}}: where each
                               field was read (fields.h); members only for
                               fields whose place is known */
    json_t *checks;         /* [string]: catalog check ids found in the text */
    json_t *notes;          /* [string]: extraction reasons (fallbacks, conflicts) */
    json_t *metadata;       /* {title, creator, created, modified, ...} */
    uint64_t text_chars;
    json_t *warnings;       /* [string]: parser warnings */
    json_t *signatures;     /* PDF: [{signer, signed_at, status, certificate,
                               covers_whole}] as doc_signature says; empty
                               for documents without signatures */
    json_t *ocr;            /* a scan read by OCR: {engine, languages, dpi,
                               pages, confidence (0..100, weighted by
                               characters), seals: [text]}; NULL otherwise */
} evidence;

/* An empty record for `path` (copied); every JSON member is an empty value. */
evidence *evidence_new(const char *path);
void evidence_free(evidence *e);

/*
 * Parse `len` bytes of the file at `path`, hash them, classify the document
 * and extract its fields with `cat` (which may be NULL: parsing only, kind
 * and fields stay empty). Never fails: a rejected document comes back with
 * error set. `looks_like_document` false records the file as unparsed (hash
 * only), for the PDFs and images kept beside the documents.
 */
evidence *evidence_analyze(const struct catalog *cat, const char *path,
                           const void *data, size_t len, const doc_limits *lim,
                           bool looks_like_document);

/* The same for bytes whose SHA-256 (hex) the caller has computed, as the
 * extractor's parent has: the bytes are hashed once, where they are read. */
evidence *evidence_analyze_hashed(const struct catalog *cat, const char *path,
                                  const void *data, size_t len, const char *sha256,
                                  const doc_limits *lim, bool looks_like_document);

/* The same, reading scans (images, PDF pages without text) with `ocr`
 * (scan.h); NULL is evidence_analyze_hashed(). */
struct doc_ocr;
evidence *evidence_analyze_scan(const struct catalog *cat, const char *path,
                                const void *data, size_t len, const char *sha256,
                                const doc_limits *lim, struct doc_ocr *ocr,
                                bool looks_like_document);

/* Whether a file name is one evidenced parses (.docx .docm .dotx .dotm
 * .odt .ott .fodt .pdf, any case). Others (images) are hashed and recorded
 * as unparsed. */
bool evidence_is_document_name(const char *name);

/* Whether a file name is an image OCR reads (.jpg .jpeg .png .tif .tiff,
 * any case): in a folder, those are read once OCR gets to them. */
bool evidence_is_scan_name(const char *name);

/* Whether the record is of a file OCR should read and has not: an image
 * recorded unparsed, or a PDF with pages that are only images. */
bool evidence_wants_ocr(const evidence *e);

/*
 * The record as the JSON of `extract --json`: path, format, size, sha256,
 * kind, topic, language, title, fields, sources (only when a field's place
 * is known, so records of documents without fields are as before),
 * metadata, text_chars, warnings,
 * signatures (only when there are any, so records of documents without
 * signatures are as before), ocr (only for scans read by OCR), plus why,
 * checks and notes when `full`; a
 * rejected document as
 * {path, error: {code, message}}. The caller owns the result.
 */
json_t *evidence_to_json(const evidence *e, bool full);

/* Rebuild a record from evidence_to_json(e, true). NULL if `o` is not one.
 * The record holds references to o's members (fields, metadata, ...):
 * neither may be changed afterwards. */
evidence *evidence_from_json(const json_t *o);

/*
 * Why the file's text was not read, as a phrase that follows "is not read: "
 * ("rejected as encrypted: ...", "a scan waiting for OCR (or OCR is off)",
 * "a .xlsx file is only hashed", "no text was found in it (a scan or an
 * image)", "OCR found no text in it"), or NULL when it was read.
 * Not read: rejected, recorded as unparsed, or parsed without any text,
 * whatever the cause (an image, a scan awaiting OCR, OCR turned off): such
 * a record is never evidence, since only its name would say what it is
 * (requirements.md 7a). The caller frees the phrase.
 */
char *evidence_unread_why(const evidence *e);
/* The same question, without the words: false when evidence_unread_why()
 * would give a phrase. */
bool evidence_was_read(const evidence *e);

/* The blocks of a parsed document as `extract --json --text` prints them:
 * [{part, kind, level?, table?, row?, col?, source ("text", "ocr",
 * "seal"), confidence (OCR only, 0..100), text}], in reading order. */
json_t *evidence_blocks_json(const doc *d);

/* Field accessors for the evaluator: NULL/false when unset or of another type. */
const char *evidence_field_str(const evidence *e, const char *name);

#endif
