/*
 * doc.h: the document model, and the one entry point that fills it from the
 * bytes of a DOCX, ODT, flat ODT or PDF file.
 *
 * Every document is untrusted. doc_parse() reads the zip and XML in a single
 * streaming pass per part (libzip + xmlTextReader, never a DOM of the body),
 * bounds every size by doc_limits, loads no DTD, expands no entity and opens
 * no network or file. A PDF is read by poppler (parsers/pdf.c says what it
 * bounds and what it does not); its text comes out as lines and paragraphs
 * in reading order, label-gap-value lines as table rows, plus the page
 * count and the electronic signatures. On rejection it returns one of the stable codes
 * EV_ENOTDOC, EV_EENCRYPTED, EV_EZIPBOMB, EV_ETOOLARGE, EV_EMALFORMED,
 * EV_EUNSUPPORTED, and no document.
 *
 * The model is a flat list of blocks in reading order (headers, body with
 * tables and text boxes, notes, footers). All text is UTF-8, each block's text
 * NUL-terminated inside one buffer, so a block's text is `d->text + b->off`.
 * Text split over many runs or spans comes out whole; field codes, deleted
 * revisions, comments and drawing fallbacks are left out.
 *
 * Thread safety: doc_parse() may run on many threads at once; doc_init()
 * must have been called first (it is cheap and idempotent; for PDFs it
 * creates poppler's global parameters and initialises NSS, which neither
 * poppler-glib nor poppler do in a thread-safe way on first use).
 */
#ifndef DOC_H
#define DOC_H

#include <stddef.h>
#include <stdint.h>

#include "ev.h"

typedef enum doc_format {
    DOC_FORMAT_DOCX,    /* also .docm, .dotx, .dotm */
    DOC_FORMAT_ODT,     /* also .ott */
    DOC_FORMAT_FODT,    /* flat ODT: one XML file */
    DOC_FORMAT_PDF,     /* any PDF version, up to 1024 bytes of junk before %PDF- */
    DOC_FORMAT_JPEG,    /* images: read only by OCR (doc_parse_scan) */
    DOC_FORMAT_PNG,
    DOC_FORMAT_TIFF     /* also multi-page */
} doc_format;

/* Where a block's text came from. OCR text is a reading, not the file's
 * own text: the evaluator treats what it says with the care a person gives
 * a photocopy. */
typedef enum doc_source {
    DOC_SOURCE_TEXT,    /* the file's own text */
    DOC_SOURCE_OCR,     /* recognised in a page image */
    DOC_SOURCE_SEAL     /* recognised along the arc of a red seal */
} doc_source;

typedef enum doc_block_kind {
    DOC_BLOCK_HEADING,
    DOC_BLOCK_PARAGRAPH,
    DOC_BLOCK_CELL
} doc_block_kind;

/* Where a block sits. The block list holds the headers, the body, the
 * footnotes and endnotes, then the footers, each in document order, in both
 * formats (an ODT note moves from where it is cited to after the body). */
typedef enum doc_part {
    DOC_PART_HEADER,
    DOC_PART_BODY,
    DOC_PART_NOTE,      /* footnotes and endnotes */
    DOC_PART_FOOTER
} doc_part;

typedef struct doc_block {
    doc_block_kind kind;
    doc_part part;
    uint16_t level;     /* headings: 0 = the Title style, 1..9 outline level */
    uint16_t depth;     /* table nesting: 0 outside tables, 1 in a table, ... */
    uint32_t table;     /* cells: table number in document order, from 1 */
    uint32_t row;       /* cells: row in that table, from 0 */
    uint32_t col;       /* cells: grid column, from 0 (spans and gridBefore counted) */
    size_t off;         /* text offset in doc->text */
    size_t len;         /* text length in bytes, without the NUL */
    uint8_t source;     /* a doc_source */
    uint8_t confidence; /* OCR: the engine's mean confidence over the block's
                           characters, 0..100; 100 for the file's own text */
} doc_block;

/* Document properties; every field may be NULL. Dates as the file states
 * them (DOCX, ODT); a PDF's dates are converted to "YYYY-MM-DDTHH:MM:SSZ",
 * its Author is the creator, its Creator the application. */
typedef struct doc_meta {
    char *title;
    char *subject;
    char *creator;
    char *description;
    char *keywords;
    char *created;
    char *modified;
    char *last_modified_by;
    char *revision;
    char *application;
    char *company;
    char *template_name;
    char *producer;         /* PDF: the program that wrote the PDF */
} doc_meta;

/*
 * An electronic signature of a PDF, as poppler verified it with NSS and no
 * network (no OCSP, no AIA fetch), with no NSS database of ours: a
 * certificate is "trusted" only when it chains to NSS's built-in roots
 * (Mozilla's CA list); a self-made or Chinese government CA certificate
 * comes out "unknown-issuer".
 *
 * covers_whole: the signed byte range reaches the end of the file (trailing
 * white space aside). A "valid" signature that does not cover the whole
 * file signed an earlier revision: the document was changed after signing
 * (which may be innocent, a second signature, or not). false also when the
 * byte range could not be found (see pdfsig.c).
 */
typedef struct doc_signature {
    char *signer;           /* UTF-8 common name of the signer, or NULL */
    char *signed_at;        /* claimed signing time "YYYY-MM-DDTHH:MM:SSZ", or NULL */
    const char *status;     /* static: "valid", "invalid", "digest-mismatch",
                               "decoding-error", "generic-error", "not-found",
                               "not-verified" */
    const char *certificate;/* static: "trusted", "untrusted-issuer",
                               "unknown-issuer", "revoked", "expired",
                               "generic-error", "not-verified" */
    bool covers_whole;
} doc_signature;

/* Warnings: the document was read, but a reader should know this. */
enum {
    DOC_WARN_TRACKED_CHANGES = 1u << 0, /* "tracked-changes": revisions present */
    DOC_WARN_MACROS = 1u << 1,          /* "macros-ignored": VBA project present */
    DOC_WARN_MISSING_PART = 1u << 2,    /* "missing-part": a referenced header, footer or notes part is absent or unreadable */
    DOC_WARN_COMMENTS = 1u << 3,        /* "comments-ignored": review comments left out */
    DOC_WARN_NO_TEXT_LAYER = 1u << 4,   /* "no-text-layer": a PDF without text (a scan) */
    DOC_WARN_SCANNED_PAGES = 1u << 5,   /* "scanned-pages": some PDF pages have no text */
    DOC_WARN_OCR_PAGES_LEFT = 1u << 6   /* "ocr-pages-left": pages not read by OCR
                                           (over a limit, too large, out of time) */
};
#define DOC_WARN_COUNT 7

typedef struct doc {
    doc_format format;
    char *text;         /* all block texts, each followed by a NUL */
    size_t text_len;    /* bytes in text, NULs included */
    size_t text_chars;  /* Unicode characters of block text, NULs excluded */
    doc_block *blocks;
    size_t nblocks;
    doc_meta meta;
    unsigned warnings;  /* DOC_WARN_* bits */
    unsigned npages;    /* PDF, images: pages; 0 for DOCX and ODT (no fixed pages) */
    unsigned ocr_pages; /* pages read by OCR (doc_parse_scan) */
    unsigned ocr_confidence;    /* their mean confidence, weighted by characters */
    doc_signature *signatures;  /* PDF: in the order of the form's fields */
    size_t nsignatures;
} doc;

/* Bounds on what one untrusted file may cost. Zero in a field means "default". */
typedef struct doc_limits {
    size_t max_file_size;       /* bytes of the file itself */
    size_t max_entries;         /* zip entries in the archive */
    size_t max_part_size;       /* inflated bytes of one part that is read */
    size_t max_total_inflated;  /* inflated bytes read over all parts */
    uint64_t max_declared_total;/* sum of the declared sizes of all entries */
    unsigned max_ratio;         /* inflated : compressed, per part, past 1 MiB */
    unsigned max_depth;         /* XML element nesting */
    size_t max_text;            /* bytes of extracted text */
    unsigned max_attributes;    /* attributes and namespace declarations of one element */
    unsigned max_pages;         /* PDF pages, checked before any text is read */
} doc_limits;

/*
 * The defaults: 64 MiB file, 10000 entries, 128 MiB part, 256 MiB inflated,
 * 2 GiB declared, ratio 200, depth 256, 16 MiB of text, 256 attributes,
 * 2000 pages.
 *
 * Over max_attributes is EV_ETOOLARGE. libxml2 (2.9) checks each attribute
 * and namespace declaration of a start tag against all the earlier ones, so
 * one element with 300,000 of them costs minutes; the count is checked on
 * the bytes before libxml2 sees them. Word writes about 40 on a root
 * element, LibreOffice about 40, so 256 leaves room. The elements open
 * around any point may hold 4 times max_attributes together: libxml2 looks
 * each prefix up through every declaration in scope, so 250 nested
 * elements of 256 declarations each cost 50 us for every element inside.
 *
 * libxml2's own bounds (without XML_PARSE_HUGE, which is never set): a
 * text run, attribute value, comment or other token over 10,000,000 bytes
 * is EV_ETOOLARGE as well, whatever max_text says.
 */
void doc_limits_default(doc_limits *lim);

/* Prepare libxml2 for use from several threads; call once before threads.
 * Opens no file. poppler and NSS are prepared on the first PDF (safely
 * from any thread) or by doc_prepare_sandbox(), so a process that parses
 * no PDF never loads them. */
void doc_init(void);

/*
 * Do now everything doc_parse() would otherwise do lazily by opening files,
 * so that parsing can go on in a sandbox that opens no file afterwards:
 * doc_init() (poppler's global parameters, kept for the life of the
 * process, which read poppler-data's nameToUnicode tables and list its
 * cMap, cidToUnicode and unicodeMap directories; NSS without a database),
 * then one built-in document parsed from memory with a UTF-16 title, a
 * date and a signature field, which loads iconv's UTF-16 module, the time
 * zone (/etc/localtime), NSS's modules (libsoftokn3, libfreeblpriv3,
 * libnssckbi) and makes poppler look once for a Firefox profile.
 *
 * What poppler may still open afterwards, found with strace -f on signed,
 * modified-after-signing, encrypted, scanned, CJK (LibreOffice, CID fonts
 * with ToUnicode; WPS-style) and iText-style (STSong-Light with the
 * predefined UniGB-UCS2-H CMap) PDFs:
 *   - /usr/share/poppler/cMap/<collection>/<cmap> and
 *     /usr/share/poppler/cidToUnicode/<collection> (poppler-data), read
 *     when a PDF uses a predefined CJK CMap with a non-embedded font; poppler
 *     keeps only a few in its caches, so they cannot all be preloaded. The
 *     sandbox must allow reading beneath /usr/share/poppler (Landlock); if
 *     it does not, such text comes out empty or as boxes, never a crash.
 * Nothing else: no font files (text extraction needs no glyphs), no NSS
 * database, no network. Returns EV_OK, or EV_EINTERNAL if NSS or the warm-up
 * failed (with a message).
 */
ev_code doc_prepare_sandbox(ev_error *err);

/*
 * Parse `len` bytes of a document. `lim` may be NULL for the defaults.
 * On success returns EV_OK and sets *out (free with doc_free). On failure
 * returns a code, sets *out to NULL and fills *err (which may be NULL).
 * Never reads past data+len, never writes to it.
 */
ev_code doc_parse(const void *data, size_t len, const doc_limits *lim,
                  doc **out, ev_error *err);

/*
 * Open a file a user named, for reading: without following a final
 * symbolic link and without blocking (a FIFO). -1 with err set (codes as
 * below) when it cannot be opened.
 */
int doc_open_file(const char *path, ev_error *err);

/*
 * Read a file for parsing: opens `path` with O_NOFOLLOW and O_NONBLOCK,
 * refuses anything but a regular file (EV_EUNSUPPORTED for FIFOs, sockets,
 * devices and symlinks) and files over lim->max_file_size (EV_ETOOLARGE).
 * The same bytes are then hashed and parsed, so the hash always names what
 * was parsed. *data is freed with free().
 */
ev_code doc_read_file(const char *path, const doc_limits *lim, void **data,
                      size_t *len, ev_error *err);

void doc_free(doc *d);

static inline const char *doc_block_text(const doc *d, const doc_block *b)
{
    return d->text + b->off;
}

const char *doc_format_name(doc_format f);       /* "docx", "odt" (also flat), "pdf" */
const char *doc_block_kind_name(doc_block_kind k);
const char *doc_part_name(doc_part p);
/* Name of the warning bit `bit` (one of DOC_WARN_*), e.g. "tracked-changes". */
const char *doc_warning_name(unsigned bit);

/*
 * Append the text of the whole document to `out` in reading order, as a
 * plain-text converter prints it: one line per heading or paragraph; one
 * line per table row with its cells separated by tabs (line breaks inside a
 * cell written as spaces); nested tables' rows on their own lines.
 */
void doc_write_text(const doc *d, ev_buf *out);

/* "zh" when Han characters outnumber Latin words, "en" when there are Latin
 * words and no more Han characters, NULL when the text has neither (a
 * scan: the classifier then guesses from the file name). */
const char *doc_language(const doc *d);

#endif
