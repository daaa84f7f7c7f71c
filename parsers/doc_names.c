/* doc_names.c: the stable names of formats, block kinds, parts and warnings. */
#include "doc.h"

const char *doc_format_name(doc_format f)
{
    switch (f) {
    case DOC_FORMAT_DOCX: return "docx";
    case DOC_FORMAT_ODT: case DOC_FORMAT_FODT: return "odt";
    case DOC_FORMAT_PDF: return "pdf";
    case DOC_FORMAT_JPEG: return "jpeg";
    case DOC_FORMAT_PNG: return "png";
    case DOC_FORMAT_TIFF: return "tiff";
    }
    return "odt";
}

const char *doc_block_kind_name(doc_block_kind k)
{
    switch (k) {
    case DOC_BLOCK_HEADING: return "heading";
    case DOC_BLOCK_PARAGRAPH: return "paragraph";
    case DOC_BLOCK_CELL: return "cell";
    }
    return "paragraph";
}

const char *doc_part_name(doc_part p)
{
    switch (p) {
    case DOC_PART_HEADER: return "header";
    case DOC_PART_BODY: return "body";
    case DOC_PART_NOTE: return "note";
    case DOC_PART_FOOTER: return "footer";
    }
    return "body";
}

const char *doc_warning_name(unsigned bit)
{
    switch (bit) {
    case DOC_WARN_TRACKED_CHANGES: return "tracked-changes";
    case DOC_WARN_MACROS: return "macros-ignored";
    case DOC_WARN_MISSING_PART: return "missing-part";
    case DOC_WARN_COMMENTS: return "comments-ignored";
    case DOC_WARN_NO_TEXT_LAYER: return "no-text-layer";
    case DOC_WARN_SCANNED_PAGES: return "scanned-pages";
    case DOC_WARN_OCR_PAGES_LEFT: return "ocr-pages-left";
    }
    return "unknown";
}
