/*
 * scan.h: reading scans — images, and PDF pages without text — by OCR.
 *
 * An OCR engine (Tesseract, with the languages its options name) is made
 * once and then reads documents one after another: doc_parse_scan() is
 * doc_parse() with the engine at hand, so a JPEG, PNG or TIFF (also
 * multi-page) becomes a document, and a PDF page that has no text of its
 * own is rendered and read. Recognised characters go through the PDF page
 * layout (the same lines, rows and headings as a PDF's own text), and each
 * block says it came from OCR with the engine's mean confidence in its
 * characters (doc_block.source, .confidence).
 *
 * Red is taken out of each page image before recognition: a company seal
 * stamped over a signature or a date is normal in a Chinese folder and
 * hides the text under it. The seal's own words, the organisation's name
 * along its arc, are read separately (the arc unrolled into a line) and
 * come out as DOC_SOURCE_SEAL blocks in DOC_PART_NOTE.
 *
 * Limits, each checked before the work it bounds:
 *   - an image whose header claims more than max_pixels is refused
 *     (EV_ETOOLARGE) before it is decoded, so a 60000x60000 PNG of a few
 *     bytes costs nothing; a PDF page is rendered at `dpi`, or lower when
 *     that would exceed max_pixels (never below 72 dpi: then the page is
 *     left, with the warning "ocr-pages-left");
 *   - at most max_pages pages of a document are read; the rest are left
 *     with that warning, as is a page that takes longer than page_time_ms;
 *   - TIFF directories are counted by walking their chain ourselves, up to
 *     max_pages + 1, so a loop or a million directories costs nothing.
 * Memory is bounded by the pixel limit (a page is at most 4 bytes a pixel,
 * held at most three times) and by the caller's address-space limit.
 *
 * Thread safety: an engine is used by one thread at a time (the extractor
 * is single-threaded); several engines may run in one process.
 */
#ifndef DOC_SCAN_H
#define DOC_SCAN_H

#include <stdbool.h>
#include <stdint.h>

#include "doc.h"

typedef struct doc_ocr_options {
    const char *languages;      /* Tesseract's, e.g. "chi_sim+eng" */
    const char *datapath;       /* its tessdata folder; NULL: the installed one */
    unsigned dpi;               /* PDF pages are rendered at this */
    unsigned max_pages;         /* pages read by OCR in one document */
    uint64_t max_pixels;        /* of one page image */
    unsigned page_time_ms;      /* recognition of one page */
} doc_ocr_options;

/* 300 dpi, 100 pages, 50 million pixels (A4 at 600 dpi), 60 s a page,
 * "chi_sim+eng". 300 dpi is what Tesseract's models were trained at: a
 * 10.5 pt Chinese character (五号, the body size of Chinese forms) is
 * then 44 pixels high; at 200 dpi it is 29 and its strokes start to merge. */
void doc_ocr_options_default(doc_ocr_options *o);

typedef struct doc_ocr doc_ocr;

/* After each page recognised (or left), with the page number from 1 and
 * the pages the document has for OCR. */
typedef void doc_ocr_progress_fn(void *arg, unsigned page, unsigned pages);

/*
 * Load the engine and its language models (this opens the files below the
 * data path; nothing is opened afterwards). EV_EUNSUPPORTED with a message
 * naming the Debian package when a language is not installed.
 */
ev_code doc_ocr_new(const doc_ocr_options *o, doc_ocr **out, ev_error *err);
void doc_ocr_free(doc_ocr *o);
void doc_ocr_set_progress(doc_ocr *o, doc_ocr_progress_fn *fn, void *arg);

/* "tesseract 5.3.0", static. */
const char *doc_ocr_engine(void);
/* The options in force (defaults filled in). */
const doc_ocr_options *doc_ocr_options_get(const doc_ocr *o);

/*
 * doc_parse() with OCR: as doc_parse() for documents with text; an image
 * (JPEG, PNG, TIFF) or a PDF page without text is read by `ocr`. `ocr`
 * NULL is doc_parse(), where an image is EV_EUNSUPPORTED. The document's
 * ocr_pages and ocr_confidence say what was read.
 */
ev_code doc_parse_scan(const void *data, size_t len, const doc_limits *lim, doc_ocr *ocr,
                       doc **out, ev_error *err);

/* The image format of the bytes (by their signature), if OCR reads it. */
bool doc_sniff_image(const void *data, size_t len, doc_format *fmt);

#endif
