/*
 * doc.c: doc_parse() — tell the format from the bytes, then hand the input
 * to the reader for it (docx.c, odt.c, pdf.c). Also reading a file safely, plain text output and
 * the language guess.
 *
 * The format is decided by content, never by file name: a .doc renamed
 * .docx is still refused as legacy Word, and a .docm is read as DOCX.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "parse_int.h"
#include "scan.h"

void doc_limits_default(doc_limits *lim)
{
    lim->max_file_size = 64u << 20;
    lim->max_entries = 10000;
    lim->max_part_size = 128u << 20;
    lim->max_total_inflated = 256u << 20;
    lim->max_declared_total = (uint64_t)2 << 30;
    lim->max_ratio = 200;
    lim->max_depth = 256;
    lim->max_text = 16u << 20;
    lim->max_attributes = 256;
    lim->max_pages = 2000;
}

static void fill_defaults(doc_limits *out, const doc_limits *in)
{
    doc_limits def;
    doc_limits_default(&def);
    if (!in) {
        *out = def;
        return;
    }
    *out = *in;
#define DEF(f) if (!out->f) out->f = def.f
    DEF(max_file_size); DEF(max_entries); DEF(max_part_size);
    DEF(max_total_inflated); DEF(max_declared_total); DEF(max_ratio);
    DEF(max_depth); DEF(max_text); DEF(max_attributes); DEF(max_pages);
#undef DEF
    /* The element-depth table is sized from max_depth; libxml2 stops at
     * 256 itself without XML_PARSE_HUGE, which we never set. */
    if (out->max_depth > 4096)
        out->max_depth = 4096;
}

/* Documents must never make libxml2 fetch anything: no DTD, no entity. */
static xmlParserInputPtr refuse_external(const char *url, const char *id,
                                         xmlParserCtxtPtr ctxt)
{
    (void)url, (void)id, (void)ctxt;
    return NULL;
}

static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx, (void)msg;
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libs(void)
{
    xmlInitParser();
    xmlSetExternalEntityLoader(refuse_external);
}

void doc_init(void)
{
    pthread_once(&init_once, init_libs);
}

ev_code doc_prepare_sandbox(ev_error *err)
{
    doc_init();
    return pdf_prepare_sandbox(err);
}

void doc_meta_set(char **slot, const char *value, size_t len)
{
    if (*slot)
        return;
    while (len && (unsigned char)*value <= ' ')
        value++, len--;
    while (len && (unsigned char)value[len - 1] <= ' ')
        len--;
    if (len == 0)
        return;
    if (len > 1024) {           /* properties are short; keep whole characters */
        len = 1024;
        while (len && ((unsigned char)value[len] & 0xC0) == 0x80)
            len--;
    }
    *slot = ev_strndup(value, len);
}

/* ---- sniffing ---------------------------------------------------------- */

static const unsigned char OLE_MAGIC[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

/* Office stores a password-protected OOXML file as an OLE compound file with
 * an "EncryptedPackage" stream; the directory holds its name in UTF-16LE. */
static bool ole_has_encrypted_package(const unsigned char *p, size_t len)
{
    static const char name[] = "EncryptedPackage";
    unsigned char pat[2 * (sizeof name - 1)];
    for (size_t i = 0; i < sizeof name - 1; i++) {
        pat[2 * i] = (unsigned char)name[i];
        pat[2 * i + 1] = 0;
    }
    return memmem(p, len, pat, sizeof pat) != NULL;
}

static const unsigned char *skip_bom_space(const unsigned char *p, const unsigned char *end)
{
    if (end - p >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        p += 3;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p;
}

static ev_code read_zip(zipr *z, docb *b, ev_error *err)
{
    ev_buf mime = {0};
    ev_code rc = zipr_read_small(z, "mimetype", 256, &mime, err);

    if (rc == EV_OK) {
        const char *m = mime.data ? mime.data : "";
        if (strncmp(m, "application/vnd.oasis.opendocument.text", 39) == 0) {
            b->d->format = DOC_FORMAT_ODT;
            rc = odt_read(z, b, err);
        } else if (strncmp(m, "application/vnd.oasis.opendocument.", 35) == 0) {
            rc = ev_fail(err, EV_EUNSUPPORTED,
                         "OpenDocument of type %.60s is not a text document", m);
        } else {
            rc = ev_fail(err, EV_ENOTDOC, "zip archive of type %.60s", m);
        }
        goto done;
    }
    if (rc != EV_ENOTFOUND)
        goto done;
    ev_error_clear(err);
    if (zipr_find(z, "[Content_Types].xml") >= 0 || zipr_find(z, "_rels/.rels") >= 0) {
        if (zipr_find(z, "xl/workbook.xml") >= 0 || zipr_find(z, "ppt/presentation.xml") >= 0) {
            rc = ev_fail(err, EV_EUNSUPPORTED,
                         "Office package is a spreadsheet or presentation, not a text document");
            goto done;
        }
        b->d->format = DOC_FORMAT_DOCX;
        rc = docx_read(z, b, err);
        goto done;
    }
    if (zipr_find(z, "content.xml") >= 0) {     /* an ODF package without mimetype */
        b->d->format = DOC_FORMAT_ODT;
        rc = odt_read(z, b, err);
        goto done;
    }
    rc = ev_fail(err, EV_ENOTDOC, "zip archive holds neither a DOCX nor an ODT document");
done:
    ev_buf_free(&mime);
    return rc;
}

/* Readers accept up to 1024 bytes of anything before the PDF header. */
static const unsigned char *pdf_header(const unsigned char *p, size_t len)
{
    return memmem(p, len < 1024 + 5 ? len : 1024 + 5, "%PDF-", 5);
}

static ev_code read_pdf(const unsigned char *p, const unsigned char *end, docb *b,
                        ev_error *err)
{
    b->d->format = DOC_FORMAT_PDF;
    return pdf_read(p, (size_t)(end - p), b, err);
}

static ev_code dispatch(const unsigned char *p, size_t len, docb *b, ev_error *err)
{
    const unsigned char *end = p + len;
    const unsigned char *q;
    doc_format fmt;

    if (len == 0)
        return ev_fail(err, EV_ENOTDOC, "the file is empty");
    if (len >= 8 && memcmp(p, OLE_MAGIC, 8) == 0) {
        if (ole_has_encrypted_package(p, len))
            return ev_fail(err, EV_EENCRYPTED, "password-protected Office document");
        return ev_fail(err, EV_EUNSUPPORTED,
                       "legacy binary Office file (.doc); save it as DOCX or ODT");
    }
    if (len >= 4 && p[0] == 'P' && p[1] == 'K' &&
        ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6) || (p[2] == 7 && p[3] == 8))) {
        zipr z;
        ev_code rc = zipr_open(&z, p, len, b->lim, err);
        if (rc == EV_OK)
            rc = read_zip(&z, b, err);
        zipr_close(&z);
        return rc;
    }
    if (doc_sniff_image(p, len, &fmt)) {
        b->d->format = fmt;
        return image_read(p, len, fmt, b, err);
    }
    if (len >= 5 && memcmp(p, "{\\rtf", 5) == 0)
        return ev_fail(err, EV_EUNSUPPORTED, "RTF document; save it as DOCX or ODT");
    if (len >= 5 && memcmp(p, "%PDF-", 5) == 0)
        return read_pdf(p, end, b, err);
    q = skip_bom_space(p, end);
    if (q < end && *q == '<') {
        b->d->format = DOC_FORMAT_FODT;
        return odt_read_flat((const char *)p, len, b, err);
    }
    /* Offsets in a PDF count from its header, so poppler gets the bytes
     * from there on. */
    if ((q = pdf_header(p, len)) != NULL)
        return read_pdf(q, end, b, err);
    return ev_fail(err, EV_ENOTDOC, "neither a DOCX, an ODT nor a PDF document");
}

ev_code doc_parse(const void *data, size_t len, const doc_limits *lim, doc **out, ev_error *err)
{
    return doc_parse_scan(data, len, lim, NULL, out, err);
}

ev_code doc_parse_scan(const void *data, size_t len, const doc_limits *lim_in, doc_ocr *ocr,
                       doc **out, ev_error *err_in)
{
    doc_limits lim;
    ev_error local;
    ev_error *err = err_in ? err_in : &local;
    docb b;
    doc *d;
    ev_code rc;

    doc_init();
    fill_defaults(&lim, lim_in);
    ev_error_clear(err);
    *out = NULL;
    if (len > lim.max_file_size)
        return ev_fail(err, EV_ETOOLARGE, "the file is %zu bytes (limit %zu)",
                       len, lim.max_file_size);
    /* libxml2 reports some errors through the thread's generic handler. */
    xmlSetGenericErrorFunc(NULL, quiet);
    d = ev_calloc(1, sizeof *d);
    docb_init(&b, d, &lim, err);
    b.ocr = ocr;
    rc = dispatch(data, len, &b, err);
    if (b.ocr_chars)
        d->ocr_confidence = (unsigned)((b.ocr_conf_sum + b.ocr_chars / 2) / b.ocr_chars);
    if (rc == EV_OK)
        rc = docb_finish(&b);
    docb_free(&b);
    if (rc != EV_OK) {
        if (err->code == EV_OK)
            ev_fail(err, rc, "the document could not be read");
        doc_free(d);
        return err->code;
    }
    *out = d;
    return EV_OK;
}

void doc_free(doc *d)
{
    char **m;
    if (!d)
        return;
    m = (char **)&d->meta;
    for (size_t i = 0; i < sizeof d->meta / sizeof(char *); i++)
        free(m[i]);
    for (size_t i = 0; i < d->nsignatures; i++) {
        free(d->signatures[i].signer);
        free(d->signatures[i].signed_at);
    }
    free(d->signatures);
    free(d->text);
    free(d->blocks);
    free(d);
}

/* ---- reading a file ---------------------------------------------------- */

/* doc_read_file() for the descriptor it opened. Fills *st with the fstat()
 * the size check used; `name` is for messages. (The daemon and evidencectl
 * read through extractor/sealed.c instead, which seals what it hashes.) */
static ev_code doc_read_fd(int fd, const char *name, const doc_limits *lim_in, void **data,
                           size_t *len, struct stat *st, ev_error *err)
{
    doc_limits lim;
    char *buf = NULL;
    size_t got = 0;
    ev_code rc = EV_OK;

    fill_defaults(&lim, lim_in);
    *data = NULL;
    *len = 0;
    if (fstat(fd, st) != 0)
        return ev_fail(err, EV_EIO, "%s: %s", name, strerror(errno));
    if (!S_ISREG(st->st_mode))
        return ev_fail(err, EV_EUNSUPPORTED, "%s is not a regular file", name);
    if ((uint64_t)st->st_size > lim.max_file_size)
        return ev_fail(err, EV_ETOOLARGE, "%s is %lld bytes (limit %zu)", name,
                       (long long)st->st_size, lim.max_file_size);
    buf = ev_malloc((size_t)st->st_size + 1);
    /* The size may change under us: read what is there, never past the
     * size fstat gave, plus one byte to notice growth. */
    for (;;) {
        ssize_t n;
        if (got == (size_t)st->st_size + 1) {
            rc = ev_fail(err, EV_EIO, "%s grew while it was read", name);
            goto done;
        }
        n = read(fd, buf + got, (size_t)st->st_size + 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = ev_fail(err, EV_EIO, "%s: %s", name, strerror(errno));
            goto done;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    *data = buf;
    *len = got;
    buf = NULL;
done:
    free(buf);
    return rc;
}

int doc_open_file(const char *path, ev_error *err)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno == ELOOP)
            ev_fail(err, EV_EUNSUPPORTED, "%s is a symbolic link", path);
        else if (errno == ENXIO)    /* what open() says of a Unix socket */
            ev_fail(err, EV_EUNSUPPORTED, "%s is not a regular file", path);
        else
            ev_fail(err, EV_EIO, "%s: %s", path, strerror(errno));
    }
    return fd;
}

ev_code doc_read_file(const char *path, const doc_limits *lim, void **data,
                      size_t *len, ev_error *err)
{
    ev_error open_err;
    struct stat st;
    ev_code rc;
    int fd;

    ev_error_clear(&open_err);
    *data = NULL;
    *len = 0;
    if ((fd = doc_open_file(path, &open_err)) < 0) {
        if (err && err->code == EV_OK)
            *err = open_err;
        return open_err.code;
    }
    rc = doc_read_fd(fd, path, lim, data, len, &st, err);
    close(fd);
    return rc;
}

/* ---- plain text -------------------------------------------------------- */

static void put_cell_text(ev_buf *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        ev_buf_putc(out, s[i] == '\n' || s[i] == '\t' ? ' ' : s[i]);
}

void doc_write_text(const doc *d, ev_buf *out)
{
    const doc_block *row = NULL;    /* first cell of the row being written */
    uint32_t next = 0;              /* column after the last cell written */

    for (size_t i = 0; i < d->nblocks; i++) {
        const doc_block *b = &d->blocks[i];
        const char *s = doc_block_text(d, b);
        uint32_t tabs;

        if (row && (b->kind != DOC_BLOCK_CELL || row->table != b->table ||
                    row->row != b->row || row->part != b->part)) {
            ev_buf_putc(out, '\n');
            row = NULL;
        }
        if (b->kind != DOC_BLOCK_CELL) {
            ev_buf_append(out, s, b->len);
            ev_buf_putc(out, '\n');
            continue;
        }
        /* Empty cells have no block; tabs keep the columns lined up. */
        if (!row) {
            row = b;
            tabs = b->col;
        } else {
            tabs = (b->col > next ? b->col - next : 0) + 1;
        }
        for (uint32_t t = 0; t < tabs && t < 64; t++)
            ev_buf_putc(out, '\t');
        put_cell_text(out, s, b->len);
        next = b->col + 1;
    }
    if (row)
        ev_buf_putc(out, '\n');
}

/* ---- language ---------------------------------------------------------- */

static bool is_han(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FA1F);
}

const char *doc_language(const doc *d)
{
    size_t han = 0, words = 0;
    bool in_word = false;
    const unsigned char *p = (const unsigned char *)d->text;
    const unsigned char *end = p + d->text_len;

    while (p < end) {
        uint32_t cp = *p;
        int n = 1;
        if (cp >= 0xF0 && end - p >= 4)
            cp = (uint32_t)(p[0] & 7) << 18 | (uint32_t)(p[1] & 63) << 12 |
                 (uint32_t)(p[2] & 63) << 6 | (p[3] & 63), n = 4;
        else if (cp >= 0xE0 && end - p >= 3)
            cp = (uint32_t)(p[0] & 15) << 12 | (uint32_t)(p[1] & 63) << 6 | (p[2] & 63), n = 3;
        else if (cp >= 0xC0 && end - p >= 2)
            cp = (uint32_t)(p[0] & 31) << 6 | (p[1] & 63), n = 2;
        bool letter = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
        if (letter && !in_word)
            words++;
        in_word = letter;
        han += is_han(cp);
        p += n;
    }
    if (han == 0 && words == 0)
        return NULL;
    return han > words ? "zh" : "en";
}
