/*
 * parse_int.h: the modules behind doc_parse(), private to parsers/.
 *
 *   zipr_   a zip archive held in memory, read under the doc_limits
 *   xmlr_   an xmlTextReader over one zip entry or a memory buffer, with
 *           depth, DOCTYPE and size checks and captured error messages
 *   docb_   the document builder: a stack of open blocks (paragraphs, cells)
 *           whose text is appended run by run, then emitted whole
 *   stylemap_  paragraph style name -> heading level, with inheritance
 *
 * Each format reader (docx.c, odt.c) drives an xmlr_ reader node by node and
 * feeds a docb_ builder; nothing here allocates in proportion to the input
 * beyond the extracted text, which docb_ bounds.
 */
#ifndef PARSE_INT_H
#define PARSE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <libxml/xmlreader.h>
#include <zip.h>

#include "doc.h"

/* ---- zip archive ------------------------------------------------------- */

typedef struct zipr {
    zip_t *za;
    const doc_limits *lim;
    size_t inflated;            /* bytes inflated so far over all parts */
} zipr;

/*
 * Open an archive over `len` bytes at `data` (not copied: it must outlive
 * the zipr). Checks the entry count and the declared sizes against the
 * limits, and that no two entries have one name, ignoring ASCII case
 * (EV_EMALFORMED: readers differ on which one they read). Returns EV_OK,
 * EV_EMALFORMED, EV_ETOOLARGE or EV_EZIPBOMB.
 */
ev_code zipr_open(zipr *z, const void *data, size_t len, const doc_limits *lim,
                  ev_error *err);
void zipr_close(zipr *z);

/* Index of entry `name` (exact, then ignoring case), or -1. */
int64_t zipr_find(zipr *z, const char *name);

/*
 * Read a whole small entry (manifests, relationships) into *out, at most
 * `max` bytes. EV_ENOTFOUND when absent; EV_ETOOLARGE when over `max`.
 */
ev_code zipr_read_small(zipr *z, const char *name, size_t max, ev_buf *out,
                        ev_error *err);

/* ---- XML reader over a part -------------------------------------------- */

/*
 * Where a byte scan of XML stands, across the chunks libxml2 is fed: it
 * counts the attributes ('=' outside quotes) of each start tag, and of the
 * elements open around it, skipping text, comments, CDATA and processing
 * instructions. It does not check well-formedness; libxml2 does, after.
 */
typedef struct xmlr_scan {
    unsigned char state;
    unsigned char run;          /* '-', ']', '?' or '/' just seen */
    unsigned attrs;             /* of the start tag being read */
    unsigned max, max_open;     /* bounds on attrs, and on open_attrs + attrs */
    unsigned *open;             /* attributes of each open element, innermost last */
    unsigned nopen, cap;
    unsigned beyond;            /* open elements past cap (the reader refuses them) */
    unsigned open_attrs;        /* sum of open[] */
} xmlr_scan;

typedef struct xmlr {
    xmlTextReaderPtr r;
    zipr *zip;                  /* NULL when reading from memory */
    zip_file_t *zf;
    const char *part;           /* name for messages */
    const doc_limits *lim;
    uint64_t comp_size;         /* compressed size of the entry */
    uint64_t declared_size;     /* inflated size the directory states */
    size_t read;                /* inflated bytes of this part */
    ev_code fail;               /* why the input callback stopped, if it did */
    char fail_msg[160];
    ev_code xml_code;           /* what libxml2's first error means for us */
    char xml_msg[160];          /* first error libxml2 reported */
    xmlr_scan scan;             /* attribute count of the bytes read so far */
} xmlr;

/*
 * Open a streaming reader over zip entry `name`. EV_ENOTFOUND if absent,
 * EV_EENCRYPTED if the entry is encrypted, EV_EMALFORMED if unreadable.
 * Reading stops with EV_ETOOLARGE at a start tag of more than
 * lim->max_attributes attributes, or that brings those of the elements
 * open around it over 4 times as many, before libxml2 sees it.
 */
ev_code xmlr_open_entry(xmlr *x, zipr *z, const char *name, ev_error *err);

/* Open a streaming reader over a buffer (flat ODT, small parts); the
 * attribute bound is checked over the whole buffer first (EV_ETOOLARGE). */
ev_code xmlr_open_memory(xmlr *x, const char *data, size_t len,
                         const char *name, const doc_limits *lim, ev_error *err);

/*
 * Advance: like xmlTextReaderRead(), or xmlTextReaderNext() when `skip` is
 * true (the current element's subtree is passed over). Returns 1 on a node,
 * 0 at the end, or -1 after filling *err (bomb, depth, DOCTYPE, bad XML).
 */
int xmlr_next(xmlr *x, bool skip, ev_error *err);

/*
 * Finish a part: drains what the parser did not read so the zip CRC is
 * checked, then releases everything. Returns EV_OK or the first error.
 */
ev_code xmlr_close(xmlr *x, ev_error *err);

/*
 * Stream zip entry `name` and call fn for every node: it returns 0 to go
 * on, 1 to skip the current element's subtree, -1 to stop (after filling
 * err). EV_ENOTFOUND when the entry is absent; otherwise EV_OK or the first
 * error of the reader or of fn.
 */
typedef int xmlr_node_fn(void *ctx, xmlr *x, ev_error *err);
ev_code xmlr_walk(zipr *z, const char *name, xmlr_node_fn *fn, void *ctx, ev_error *err);

/* Value of attribute `local` in namespace `ns` (NULL: no namespace) of the
 * current element, owned by the reader, or NULL. */
const char *xmlr_attr(xmlr *x, const char *ns, const char *local);

/* ---- paragraph styles -------------------------------------------------- */

typedef struct stylemap_entry {
    char *name;
    char *parent;
    int level;                  /* -1 unknown, 0 title, 1..9 heading */
} stylemap_entry;

typedef struct stylemap {
    stylemap_entry *v;
    size_t n, cap;
    bool resolved;
} stylemap;

/* Record a style; `level` is what the style states itself (-1 if nothing). */
void stylemap_add(stylemap *m, const char *name, const char *display_name,
                  const char *parent, int level);
/* Heading level of a style through its parents: -1 when not a heading. */
int stylemap_level(stylemap *m, const char *name);
void stylemap_free(stylemap *m);

/* ---- document builder -------------------------------------------------- */

typedef struct docb_frame {
    doc_block_kind kind;
    doc_part part;
    uint16_t level;
    uint16_t depth;
    uint32_t table, row, col;
    ev_buf text;
    bool collapse;              /* ODF white-space rules apply */
    bool space_pending;         /* collapsed white space waits for a non-space */
    unsigned paragraphs;        /* paragraphs opened in this cell so far */
    uint8_t source;             /* doc_block's: the builder's, unless set */
    uint8_t confidence;
} docb_frame;

/* An open table: where the next cell goes on its grid. */
typedef struct docb_table {
    uint32_t id;
    uint32_t row;
    uint32_t col;
    uint32_t span;              /* grid columns of the open cell */
    uint32_t row_span;          /* rows the open row stands for (ODT repeats) */
    bool started;               /* a row has begun */
} docb_table;

#define DOCB_MAX_TABLES 64      /* nesting deeper than this is flattened */

typedef struct docb {
    doc *d;
    const doc_limits *lim;
    ev_buf text;                /* emitted block texts */
    size_t blocks_cap;
    docb_frame *frames;         /* open blocks, innermost last; reused */
    size_t nframes, frames_cap;
    size_t open_bytes;          /* text held in open frames */
    uint32_t tables;            /* tables numbered so far */
    docb_table open_tables[DOCB_MAX_TABLES];
    unsigned nopen_tables;      /* may exceed DOCB_MAX_TABLES: those are ignored */
    ev_code status;             /* first error: building stops */
    ev_error *err;
    uint8_t source;             /* new frames' source (DOC_SOURCE_TEXT unless OCR) */
    struct doc_ocr *ocr;        /* reads images and PDF pages without text; may be NULL */
    uint64_t ocr_chars;         /* characters recognised, and their confidence summed */
    uint64_t ocr_conf_sum;
} docb;

void docb_init(docb *b, doc *d, const doc_limits *lim, ev_error *err);

/* Open a block; returns the frame to adjust (level, cell position). */
docb_frame *docb_open(docb *b, doc_block_kind kind, doc_part part);
/* The innermost open block, or NULL. */
docb_frame *docb_top(docb *b);
/* Start a new paragraph inside the innermost open cell (a line break
 * separates it from the previous paragraph of the cell). */
void docb_cell_paragraph(docb *b);
/*
 * Tables, the same for both formats: open a table, start each row (one
 * that stands for `rows` repeated rows advances the row number by that
 * many), skip grid columns (gridBefore, covered cells), open a cell at the
 * current column, set its span once known, close it (the column advances
 * by the span). A cell opened outside any table opens nothing: NULL.
 */
void docb_table_open(docb *b);
void docb_table_close(docb *b);
void docb_row_open(docb *b, uint32_t rows);
void docb_skip_columns(docb *b, uint32_t n);
docb_frame *docb_cell_open(docb *b, doc_part part);
void docb_cell_span(docb *b, uint32_t span);
void docb_cell_close(docb *b);
/* Tables open around the current point, for a block's depth. */
uint16_t docb_table_depth(const docb *b);

/* Append text to the innermost block (ignored when none is open). */
void docb_text(docb *b, const char *s, size_t len);
/* Append text that ODF white-space collapsing must leave alone (text:s,
 * text:tab, text:line-break); a pending collapsed space is written first. */
void docb_text_raw(docb *b, const char *s, size_t len);
/* Emit the innermost block when it has text, and close it. */
void docb_close(docb *b);
/* Move the finished text and blocks into the doc; headers first. */
ev_code docb_finish(docb *b);
void docb_free(docb *b);

/* ---- format readers ---------------------------------------------------- */

/* Fill `b` from an OOXML word-processing package. */
ev_code docx_read(zipr *z, docb *b, ev_error *err);
/* Fill `b` from an ODF text package. */
ev_code odt_read(zipr *z, docb *b, ev_error *err);
/* Fill `b` from a flat ODF text document (one XML file). */
ev_code odt_read_flat(const char *data, size_t len, docb *b, ev_error *err);

/* Fill `b` (and b->d's pages, metadata and signatures) from a PDF. */
ev_code pdf_read(const unsigned char *data, size_t len, docb *b, ev_error *err);
/* Create poppler's globals and initialise NSS, once, on the first PDF or
 * doc_prepare_sandbox(): a process that reads no PDF (the daemon, which
 * holds the key and parses nothing) never loads NSS. Thread-safe. */
void pdf_init(void);
/* Warm poppler up on built-in documents (doc_prepare_sandbox's PDF half). */
ev_code pdf_prepare_sandbox(ev_error *err);

/* ---- PDF page layout: glyphs to blocks (pdflayout.c) --------------------- */

/* One character of poppler's page text with its box (points, y downwards). */
typedef struct pdfl_glyph {
    double x1, y1, x2, y2;
    double size;                /* font size in points */
    uint32_t cp;                /* the character */
    uint32_t index;             /* position in poppler's text order */
    uint32_t pline;             /* poppler's line number, in text order */
    bool space_before;          /* poppler wrote white space before it */
    uint8_t conf;               /* OCR's confidence in it, 0..100; 100 for text */
    bool ocr;                   /* recognised: space_before is the engine's word break */
} pdfl_glyph;

/* The state kept from page to page: a table may go on over a page break. */
typedef struct pdfl {
    docb *b;
    bool in_table;
    bool any_heading;           /* a level-0 heading was emitted */
    unsigned page;
    struct pdfl_row *row;       /* the last table row, kept for wrapped cells */
} pdfl;

void pdfl_init(pdfl *l, docb *b);
/* Emit the blocks of one page `height` points high; `g` is reordered. */
void pdfl_page(pdfl *l, pdfl_glyph *g, size_t n, double height);
/* Emit what is pending and release the state; always call it. */
void pdfl_finish(pdfl *l);
/* Append a code point as UTF-8 (U+FFFD for what is none). */
void pdfl_put_utf8(ev_buf *out, uint32_t cp);

/* ---- OCR of page images (ocr.c, image.c; the engine is scan.h's) --------- */

struct Pix;
struct doc_ocr;

/*
 * Recognise one page image (`dpi` its resolution; any depth, not changed)
 * into the layout, its blocks marked DOC_SOURCE_OCR, and its red seals'
 * text as DOC_SOURCE_SEAL notes. false when the page was left (out of
 * time, or the image could not be converted).
 */
bool ocr_read_page(struct doc_ocr *o, pdfl *lay, struct Pix *page, unsigned dpi);
/* Tell the engine's progress callback where the document stands. */
void ocr_progress(struct doc_ocr *o, unsigned page, unsigned pages);

/* An image document (JPEG, PNG, TIFF): its pages through ocr_read_page(). */
ev_code image_read(const unsigned char *data, size_t len, doc_format fmt, docb *b,
                   ev_error *err);

/* ---- PDF signature byte ranges (pdfsig.c) -------------------------------- */

typedef struct pdfsig_range {
    uint64_t gap_start;         /* where the unsigned hex string begins */
    uint64_t end;               /* first byte after the signed bytes */
} pdfsig_range;

/* Up to `max` well-formed /ByteRange arrays, in file order. */
size_t pdfsig_ranges(const unsigned char *data, size_t len, pdfsig_range *out, size_t max);
/* Whether the range signs everything up to the end (trailing white space aside). */
bool pdfsig_covers_whole(const pdfsig_range *r, const unsigned char *data, size_t len);

/* Keep a bounded copy of a metadata value (first one wins). */
void doc_meta_set(char **slot, const char *value, size_t len);

#endif
