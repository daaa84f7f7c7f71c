/*
 * fixture.h: documents built in code for the parser tests and the fuzzer.
 *
 * The tests describe a document as XML strings; these helpers wrap them in
 * the package a producer would write (DOCX, ODT, flat ODT) and return the
 * bytes. A second family writes zip archives byte by byte, for the archives
 * no well-behaved library would produce: lying sizes, bad CRCs, encryption
 * flags, huge entry counts, streamed bombs.
 *
 * Every builder returns memory from ev_malloc (free it with free()), aborts
 * on a library failure (a fixture that cannot be built is a broken test, not
 * a parser finding) and never returns NULL.
 */
#ifndef FIXTURE_H
#define FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "doc.h"

/* ---- zip archives through libzip -------------------------------------- */

typedef struct fx_zip fx_zip;

/* An empty archive in memory. */
fx_zip *fx_zip_new(void);
/* Add an entry; `deflate` 0 stores it. The bytes are copied. */
void fx_zip_add(fx_zip *z, const char *name, const void *data, size_t len,
                int deflate);
void fx_zip_add_str(fx_zip *z, const char *name, const char *text);
/* Add an entry encrypted with traditional PKWARE encryption. */
void fx_zip_add_encrypted(fx_zip *z, const char *name, const char *text,
                          const char *password);
/* Close the archive, free `z` and return its bytes in *len. */
unsigned char *fx_zip_finish(fx_zip *z, size_t *len);

/* ---- zip archives by hand --------------------------------------------- */

/* One entry of a hand-written archive; sizes and CRC are taken as given. */
typedef struct fx_raw_entry {
    const char *name;
    const unsigned char *data;  /* exactly what is stored after the header */
    size_t data_len;
    uint16_t method;            /* 0 stored, 8 deflated */
    uint16_t flags;             /* general purpose bits (bit 0: encrypted) */
    uint32_t crc;
    uint64_t usize;             /* declared uncompressed size (< 4 GiB) */
} fx_raw_entry;

/* A stored entry holding `text` (not copied), with its CRC. */
fx_raw_entry fx_raw_stored(const char *name, const char *text);

/* Write a zip with these entries, local headers then central directory. */
unsigned char *fx_raw_zip(const fx_raw_entry *e, size_t n, size_t *len);

/* The raw deflate bytes and CRC of `data`, for fx_raw_entry values. */
unsigned char *fx_deflate(const void *data, size_t len, size_t *out_len,
                          uint32_t *crc);

/*
 * A raw deflate stream that inflates to `prefix`, then copies of `unit` up to
 * at least `min_size` bytes, then `suffix`, built without ever holding the
 * inflated bytes: one 1 MiB block, full-flushed so it stands alone, is
 * compressed once and repeated. *crc and *usize describe the inflated bytes.
 */
unsigned char *fx_deflate_repeat(const char *prefix, const char *unit,
                                 uint64_t min_size, const char *suffix,
                                 size_t *out_len, uint32_t *crc,
                                 uint64_t *usize);

/* A compound file (OLE2, as Office writes encrypted and legacy files) with
 * one root storage holding streams of these names. */
unsigned char *fx_ole(const char *const *streams, size_t n, size_t *len);

/* ---- documents -------------------------------------------------------- */

/* The parts of a DOCX; NULL leaves a part out. `body` is the content of
 * w:body (the builder adds the section properties that reference the header
 * and footer). Other parts are whole XML documents; use the FX_W_* helpers. */
typedef struct fx_docx {
    const char *body;
    const char *styles;
    const char *header;
    const char *footer;
    const char *footnotes;
    const char *endnotes;
    const char *core;       /* docProps/core.xml */
    const char *app;        /* docProps/app.xml */
    const char *document;   /* the whole word/document.xml, instead of body */
} fx_docx;

unsigned char *fx_docx_build(const fx_docx *spec, size_t *len);
/* The same parts added to an archive the caller may extend and finish. */
fx_zip *fx_docx_zip(const fx_docx *spec);

/* The parts of an ODT: `text` is the content of office:text; `master` the
 * content of office:master-styles in styles.xml; `meta` of office:meta. */
typedef struct fx_odt {
    const char *text;
    const char *master;
    const char *meta;
} fx_odt;

unsigned char *fx_odt_build(const fx_odt *spec, size_t *len);
/* A flat ODT (one office:document XML file) from the same parts. */
char *fx_fodt_build(const fx_odt *spec, size_t *len);

/* The namespace declarations a WordprocessingML root element needs. */
#define FX_W_NS \
    " xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"" \
    " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"" \
    " xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"" \
    " xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"" \
    " xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"" \
    " xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\"" \
    " xmlns:v=\"urn:schemas-microsoft-com:vml\"" \
    " mc:Ignorable=\"w14\"" \
    " xmlns:w14=\"http://schemas.microsoft.com/office/word/2010/wordml\""

#define FX_XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

/* ---- running the parser ----------------------------------------------- */

/*
 * doc_parse() with a check of everything doc.h promises about the result:
 * on success a consistent model, on failure one of the six rejection codes,
 * no document and a message. A broken promise goes to the handler set with
 * fx_on_broken() (a cmocka test fails), by default a message and abort() (a
 * finding of the fuzzer). When EV_FIXTURE_DUMP_DIR is set, inputs up to 256 KiB are
 * also written there, named by content, as seeds for the fuzzer.
 */
ev_code fx_parse(const void *data, size_t len, const doc_limits *lim,
                 doc **out, ev_error *err);

/* Route broken promises to `fn` (which may longjmp, as cmocka's fail does). */
void fx_on_broken(void (*fn)(const char *why));

/* NULL if `d` keeps doc.h's promises, else what is wrong. */
const char *fx_check_doc(const doc *d);
/* NULL if a failed parse kept its promises, else what is wrong. */
const char *fx_check_failure(ev_code rc, const doc *d, const ev_error *err);

/* Number of non-overlapping occurrences of `needle` in the whole text. */
size_t fx_count(const doc *d, const char *needle);
/* The first block whose text equals `text`, or NULL. */
const doc_block *fx_find(const doc *d, const char *text);
/* The first block whose text contains `text`, or NULL. */
const doc_block *fx_find_sub(const doc *d, const char *text);
/* The cell block at (table, row, col) of a part, or NULL. */
const doc_block *fx_cell(const doc *d, uint32_t table, uint32_t row,
                         uint32_t col);

#endif
