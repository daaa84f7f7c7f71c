/*
 * pdf.c: a PDF to the document model, through poppler-glib.
 *
 * poppler opens the document from memory (never a file), we check the page
 * count against doc_limits before any page is read, then take each page's
 * text with its character boxes and font sizes to pdflayout.c, which makes
 * the blocks. Metadata and electronic signatures come from poppler too;
 * which bytes each signature covers comes from pdfsig.c.
 *
 * Codes: a PDF that needs a user password is EV_EENCRYPTED (one with only
 * an owner password opens with the empty user password and is read);
 * anything poppler cannot open, or a PDF without pages, is EV_EMALFORMED;
 * more pages than lim->max_pages, or more text than lim->max_text (checked
 * page by page), is EV_ETOOLARGE. A PDF without a single character of
 * text (a scan) is read, with DOC_WARN_NO_TEXT_LAYER.
 *
 * What poppler does NOT bound, and we cannot from outside: the inflated
 * size of a content or object stream (a flate bomb inflates in full when a
 * page is drawn for its text), reference loops and deep nesting of
 * objects, forms and patterns (poppler has recursion guards for some, not
 * all), and the time a hostile content stream takes. Those are bounded by
 * the extractor process: RLIMIT_AS and a CPU timeout, after which the
 * document is "crashed" or "timeout" and the daemon goes on. The cheap
 * checks are ours: the file size (doc.c), the page count before any page
 * is read, the text page by page, and at most MAX_SIGNATURES signatures.
 *
 * poppler reports syntax errors of broken PDFs through its error callback,
 * which poppler-glib routes to g_log as messages of domain "Poppler"; the
 * handler installed by pdf_init() drops them, so nothing is printed per
 * document.
 */
#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <nss.h>
#include <poppler.h>

#include <cairo.h>
#include <leptonica/allheaders.h>

#include "parse_int.h"
#include "scan.h"

#define MAX_SIGNATURES 64

/* ---- global state ----------------------------------------------------- */

static void drop_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
    (void)domain, (void)level, (void)msg, (void)data;
}

/*
 * The smallest PDF with one line of text, written with exact offsets so
 * poppler reads it without repairing anything (repairs are logged). Its
 * title is UTF-16 and it has a date and an (unverifiable) signature field,
 * so that parsing it once does all that poppler does lazily for such
 * documents: iconv's UTF-16 module, the time zone, NSS and its modules.
 */
static char *tiny_pdf(size_t *len)
{
    static const char *const objs[] = {
        "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R] /SigFlags 3 >> >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 50] /Contents 4 0 R"
        " /Resources << /Font << /F1 5 0 R >> >> /Annots [6 0 R] >>",
        "<< /Length 34 >>\nstream\nBT /F1 12 Tf 10 20 Td (warm) Tj ET\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        "<< /FT /Sig /T (s) /V 7 0 R /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R >>",
        "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached"
        " /ByteRange [0 1 3 1] /Contents <3000> /M (D:20260101000000Z) >>",
        "<< /Title <FEFF0077> /CreationDate (D:20260101000000+08'00') >>",
    };
    ev_buf b = {0};
    size_t off[EV_ARRAY_LEN(objs)];

    ev_buf_puts(&b, "%PDF-1.4\n");
    for (size_t i = 0; i < EV_ARRAY_LEN(objs); i++) {
        off[i] = b.len;
        ev_buf_printf(&b, "%zu 0 obj\n%s\nendobj\n", i + 1, objs[i]);
    }
    size_t xref = b.len;
    ev_buf_printf(&b, "xref\n0 %zu\n0000000000 65535 f \n", EV_ARRAY_LEN(objs) + 1);
    for (size_t i = 0; i < EV_ARRAY_LEN(objs); i++)
        ev_buf_printf(&b, "%010zu 00000 n \n", off[i]);
    ev_buf_printf(&b, "trailer\n<< /Size %zu /Root 1 0 R /Info 8 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                  EV_ARRAY_LEN(objs) + 1, xref);
    *len = b.len;
    return ev_buf_steal(&b);
}

static bool nss_ok;
/* poppler-glib frees its global parameters with the last open document
 * and makes them anew (reading poppler-data again) for the next one: one
 * document kept open for the life of the process keeps them. */
static PopplerDocument *keeper;
static char *keeper_pdf;
static size_t keeper_len;

static pthread_once_t pdf_once = PTHREAD_ONCE_INIT;

static void pdf_init_once(void)
{
    GBytes *bytes;

    g_log_set_handler("Poppler", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
                      drop_log, NULL);
    keeper_pdf = tiny_pdf(&keeper_len);
    bytes = g_bytes_new_static(keeper_pdf, keeper_len);
    keeper = poppler_document_new_from_bytes(bytes, NULL, NULL);
    g_bytes_unref(bytes);
    /*
     * NSS without a database of ours: poppler would otherwise open the NSS
     * database of a Firefox profile or ~/.pki/nssdb of whoever runs us.
     * Once NSS is initialised, poppler's own NSS_Init is a no-op; it still
     * loads NSS's built-in root certificates (libnssckbi.so), so
     * certificates are judged against Mozilla's list of CAs.
     */
    nss_ok = NSS_IsInitialized() || NSS_NoDB_Init(NULL) == SECSuccess;
}

void pdf_init(void)
{
    pthread_once(&pdf_once, pdf_init_once);
}

ev_code pdf_prepare_sandbox(ev_error *err)
{
    doc *d;

    pdf_init();
    d = ev_calloc(1, sizeof *d);
    doc_limits lim;
    docb b;
    ev_code rc;

    if (!nss_ok || !keeper) {
        free(d);
        return ev_fail(err, EV_EINTERNAL, "poppler or NSS could not be initialised");
    }
    doc_limits_default(&lim);
    docb_init(&b, d, &lim, err);
    rc = pdf_read((const unsigned char *)keeper_pdf, keeper_len, &b, err);
    if (rc == EV_OK)
        rc = docb_finish(&b);
    docb_free(&b);
    doc_free(d);
    return rc;
}

/* ---- metadata --------------------------------------------------------- */

static void meta_take(char **slot, gchar *value)
{
    if (value && ev_utf8_valid(value, strlen(value)))
        doc_meta_set(slot, value, strlen(value));
    g_free(value);
}

/* "YYYY-MM-DDTHH:MM:SSZ" of a time, or NULL; takes the reference. */
static char *iso_utc(GDateTime *t)
{
    GDateTime *u;
    gchar *s;
    char *out = NULL;

    if (!t)
        return NULL;
    u = g_date_time_to_utc(t);
    g_date_time_unref(t);
    if (!u)
        return NULL;
    s = g_date_time_format(u, "%Y-%m-%dT%H:%M:%SZ");
    g_date_time_unref(u);
    if (s && strlen(s) == 20)
        out = ev_strdup(s);
    g_free(s);
    return out;
}

static void read_meta(PopplerDocument *pd, doc_meta *m)
{
    meta_take(&m->title, poppler_document_get_title(pd));
    meta_take(&m->creator, poppler_document_get_author(pd));
    meta_take(&m->subject, poppler_document_get_subject(pd));
    meta_take(&m->keywords, poppler_document_get_keywords(pd));
    meta_take(&m->application, poppler_document_get_creator(pd));
    meta_take(&m->producer, poppler_document_get_producer(pd));
    m->created = iso_utc(poppler_document_get_creation_date_time(pd));
    m->modified = iso_utc(poppler_document_get_modification_date_time(pd));
}

/* ---- signatures ------------------------------------------------------- */

static const char *sig_status_name(PopplerSignatureStatus s)
{
    switch (s) {
    case POPPLER_SIGNATURE_VALID: return "valid";
    case POPPLER_SIGNATURE_INVALID: return "invalid";
    case POPPLER_SIGNATURE_DIGEST_MISMATCH: return "digest-mismatch";
    case POPPLER_SIGNATURE_DECODING_ERROR: return "decoding-error";
    case POPPLER_SIGNATURE_GENERIC_ERROR: return "generic-error";
    case POPPLER_SIGNATURE_NOT_FOUND: return "not-found";
    case POPPLER_SIGNATURE_NOT_VERIFIED: return "not-verified";
    }
    return "generic-error";
}

static const char *cert_status_name(PopplerCertificateStatus s)
{
    switch (s) {
    case POPPLER_CERTIFICATE_TRUSTED: return "trusted";
    case POPPLER_CERTIFICATE_UNTRUSTED_ISSUER: return "untrusted-issuer";
    case POPPLER_CERTIFICATE_UNKNOWN_ISSUER: return "unknown-issuer";
    case POPPLER_CERTIFICATE_REVOKED: return "revoked";
    case POPPLER_CERTIFICATE_EXPIRED: return "expired";
    case POPPLER_CERTIFICATE_GENERIC_ERROR: return "generic-error";
    case POPPLER_CERTIFICATE_NOT_VERIFIED: return "not-verified";
    }
    return "generic-error";
}

/*
 * Verify every signature field. The byte ranges found in the file are
 * matched to the fields in order: signing tools append each signature in
 * an incremental update and its field at the end of the form's /Fields,
 * so both orders are the order of signing. When the counts differ we
 * cannot tell which range is whose, and no signature is said to cover the
 * whole file.
 */
static void read_signatures(PopplerDocument *pd, const unsigned char *data, size_t len, doc *d)
{
    GList *fields = poppler_document_get_signature_fields(pd);
    pdfsig_range ranges[MAX_SIGNATURES];
    size_t nranges, nfields = 0;

    for (GList *l = fields; l && nfields < MAX_SIGNATURES; l = l->next)
        nfields++;
    if (nfields == 0)
        goto done;
    nranges = pdfsig_ranges(data, len, ranges, MAX_SIGNATURES);
    d->signatures = ev_calloc(nfields, sizeof *d->signatures);
    for (GList *l = fields; l && d->nsignatures < nfields; l = l->next) {
        doc_signature *s = &d->signatures[d->nsignatures];
        /* No OCSP and no AIA fetch: verification makes no network access. */
        PopplerSignatureInfo *info = poppler_form_field_signature_validate_sync(
            l->data, POPPLER_SIGNATURE_VALIDATION_FLAG_VALIDATE_CERTIFICATE |
                     POPPLER_SIGNATURE_VALIDATION_FLAG_WITHOUT_OCSP_REVOCATION_CHECK,
            NULL, NULL);

        s->status = "not-verified";
        s->certificate = "not-verified";
        if (info) {
            const gchar *name = poppler_signature_info_get_signer_name(info);
            GDateTime *t = poppler_signature_info_get_local_signing_time(info);
            s->status = sig_status_name(poppler_signature_info_get_signature_status(info));
            s->certificate = cert_status_name(poppler_signature_info_get_certificate_status(info));
            if (name && ev_utf8_valid(name, strlen(name)))
                doc_meta_set(&s->signer, name, strlen(name));
            s->signed_at = iso_utc(t ? g_date_time_ref(t) : NULL);
            poppler_signature_info_free(info);
        }
        s->covers_whole = nranges == nfields &&
                          pdfsig_covers_whole(&ranges[d->nsignatures], data, len);
        d->nsignatures++;
    }
done:
    g_list_free_full(fields, g_object_unref);
}

/* ---- text ------------------------------------------------------------- */

/* Font size of each character of the page text, from the attribute runs. */
static void fill_sizes(PopplerPage *page, pdfl_glyph *g, size_t n)
{
    GList *attrs = poppler_page_get_text_attributes(page);
    for (GList *l = attrs; l; l = l->next) {
        const PopplerTextAttributes *a = l->data;
        if (a->start_index < 0)
            continue;
        for (size_t i = (size_t)a->start_index; i <= (size_t)a->end_index && i < n; i++)
            g[i].size = a->font_size;
    }
    poppler_page_free_text_attributes(attrs);
}

/*
 * One page: its characters with boxes, white space and line breaks turned
 * into flags on the next character, to the layout.
 */
static void read_page(PopplerPage *page, pdfl *lay, size_t *chars, ev_error *err)
{
    char *text = poppler_page_get_text(page);
    PopplerRectangle *rects = NULL;
    guint nrects = 0;
    pdfl_glyph *g = NULL;
    size_t nchars, n = 0;
    uint32_t pline = 0;
    bool space = false;
    double width, height;

    if (!text)
        return;
    if (strlen(text) > lay->b->lim->max_text) {
        ev_fail(err, EV_ETOOLARGE, "page %u has over %zu bytes of text",
                lay->page + 1, lay->b->lim->max_text);
        lay->b->status = EV_ETOOLARGE;
        goto done;
    }
    if (!g_utf8_validate(text, -1, NULL))
        goto done;
    nchars = (size_t)g_utf8_strlen(text, -1);
    if (!poppler_page_get_text_layout(page, &rects, &nrects) || nrects != nchars)
        nrects = 0;   /* no boxes: the page is read as one line per poppler line */
    g = ev_malloc(sizeof *g * (nchars ? nchars : 1));
    for (size_t i = 0; i < nchars; i++)
        g[i].size = 0;
    {
        const char *p = text;
        for (size_t i = 0; i < nchars; i++, p = g_utf8_next_char(p)) {
            gunichar c = g_utf8_get_char(p);
            g[i].cp = c;
        }
    }
    fill_sizes(page, g, nchars);
    for (size_t i = 0; i < nchars; i++) {
        uint32_t c = g[i].cp;
        if (c == '\n') {
            pline++;
            space = false;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == 0xA0 || c == 0x3000) {
            space = true;
            continue;
        }
        if (c < 0x20 || c == 0x7F)
            continue;
        pdfl_glyph *o = &g[n++];
        double size = g[i].size;
        if (nrects) {
            o->x1 = rects[i].x1, o->y1 = rects[i].y1;
            o->x2 = rects[i].x2, o->y2 = rects[i].y2;
        } else {
            /* Without boxes: poppler's lines stacked, characters in a row. */
            o->x1 = (double)i, o->x2 = (double)i + 0.5;
            o->y1 = (double)pline * 20, o->y2 = (double)pline * 20 + 10;
        }
        o->cp = c;
        o->size = size;
        o->index = (uint32_t)i;
        o->pline = pline;
        o->space_before = space;
        o->conf = 100;
        o->ocr = false;
        space = false;
    }
    *chars += n;
    poppler_page_get_size(page, &width, &height);
    pdfl_page(lay, g, n, height);
done:
    free(g);
    g_free(rects);
    g_free(text);
}

/* ---- the document ----------------------------------------------------- */

/*
 * Render a page for OCR at the engine's resolution, or lower when that
 * would exceed its pixel limit; NULL when even 72 dpi would (the page is
 * left). *dpi gets the resolution used.
 */
static PIX *render_page(PopplerPage *page, const doc_ocr_options *opt, unsigned *dpi)
{
    double w, h, res = opt->dpi;
    cairo_surface_t *surface;
    cairo_t *cr;
    PIX *pix = NULL;
    int pw, ph;

    poppler_page_get_size(page, &w, &h);
    if (!(w > 0 && h > 0 && w < 1e6 && h < 1e6))
        return NULL;
    if (w * h / (72.0 * 72.0) * res * res > (double)opt->max_pixels)
        res = floor(sqrt((double)opt->max_pixels / (w * h / (72.0 * 72.0))));
    if (res < 72)
        return NULL;
    pw = (int)ceil(w * res / 72), ph = (int)ceil(h * res / 72);
    surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surface);
        return NULL;
    }
    cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, res / 72, res / 72);
    poppler_page_render_for_printing(page, cr);
    cairo_destroy(cr);
    cairo_surface_flush(surface);
    pix = pixCreate(pw, ph, 32);
    if (pix) {
        const unsigned char *src = cairo_image_surface_get_data(surface);
        int stride = cairo_image_surface_get_stride(surface);
        l_uint32 *dst = pixGetData(pix);
        l_int32 wpl = pixGetWpl(pix);
        /* cairo's RGB24 is 0x00RRGGBB in a native word, leptonica's
         * 0xRRGGBB00. */
        for (int y = 0; y < ph; y++) {
            const uint32_t *row = (const uint32_t *)(const void *)(src + (size_t)y * (size_t)stride);
            for (int x = 0; x < pw; x++)
                dst[(size_t)y * (size_t)wpl + (size_t)x] = row[x] << 8;
        }
    }
    cairo_surface_destroy(surface);
    *dpi = (unsigned)res;
    return pix;
}

/* Whether a page without text shows an image: a scan, not a blank page. */
static bool has_image(PopplerPage *page)
{
    GList *images = poppler_page_get_image_mapping(page);
    bool any = images != NULL;
    poppler_page_free_image_mapping(images);
    return any;
}

/* A page without text but with an image: read by OCR when we can. */
static void scanned_page(PopplerPage *page, pdfl *lay, unsigned *ocr_read)
{
    docb *b = lay->b;
    const doc_ocr_options *opt;
    unsigned dpi = 0;
    PIX *pix;

    if (!b->ocr)
        return;
    opt = doc_ocr_options_get(b->ocr);
    if (*ocr_read >= opt->max_pages) {
        b->d->warnings |= DOC_WARN_OCR_PAGES_LEFT;
        return;
    }
    (*ocr_read)++;
    pix = render_page(page, opt, &dpi);
    if (!pix || !ocr_read_page(b->ocr, lay, pix, dpi))
        b->d->warnings |= DOC_WARN_OCR_PAGES_LEFT;
    pixDestroy(&pix);
}

ev_code pdf_read(const unsigned char *data, size_t len, docb *b, ev_error *err)
{
    GBytes *bytes = (pdf_init(), g_bytes_new_static(data, len));
    GError *gerr = NULL;
    PopplerDocument *pd = poppler_document_new_from_bytes(bytes, NULL, &gerr);
    ev_code rc = EV_OK;
    pdfl lay;
    size_t chars = 0;
    unsigned scanned = 0, ocr_read = 0;
    int pages;

    pdfl_init(&lay, b);
    if (!pd) {
        if (gerr && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED)
            rc = ev_fail(err, EV_EENCRYPTED, "the PDF needs a password to be opened");
        else
            rc = ev_fail(err, EV_EMALFORMED, "the PDF could not be read%s%.120s",
                         gerr ? ": " : "", gerr ? gerr->message : "");
        goto done;
    }
    pages = poppler_document_get_n_pages(pd);
    if (pages <= 0) {
        rc = ev_fail(err, EV_EMALFORMED, "the PDF has no pages");
        goto done;
    }
    if ((unsigned)pages > b->lim->max_pages) {
        rc = ev_fail(err, EV_ETOOLARGE, "the PDF has %d pages (limit %u)", pages,
                     b->lim->max_pages);
        goto done;
    }
    b->d->npages = (unsigned)pages;
    read_meta(pd, &b->d->meta);
    for (int i = 0; i < pages && b->status == EV_OK; i++) {
        PopplerPage *page = poppler_document_get_page(pd, i);
        size_t before = chars;
        if (!page)
            continue;
        read_page(page, &lay, &chars, err);
        if (chars == before && b->status == EV_OK && has_image(page)) {
            scanned++;
            scanned_page(page, &lay, &ocr_read);
        }
        g_object_unref(page);
        if (b->ocr)
            ocr_progress(b->ocr, (unsigned)i + 1, (unsigned)pages);
    }
    pdfl_finish(&lay);
    if (b->status != EV_OK) {
        rc = b->status;
        goto done;
    }
    if (chars == 0)
        b->d->warnings |= DOC_WARN_NO_TEXT_LAYER;
    else if (scanned > 0)
        b->d->warnings |= DOC_WARN_SCANNED_PAGES;
    read_signatures(pd, data, len, b->d);
done:
    pdfl_finish(&lay);
    if (pd)
        g_object_unref(pd);
    if (gerr)
        g_error_free(gerr);
    g_bytes_unref(bytes);
    return rc;
}
