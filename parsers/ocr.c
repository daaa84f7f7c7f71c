/*
 * ocr.c: the OCR engine behind scan.h — one page image in, its recognised
 * characters through the page layout out.
 *
 * Tesseract reads the page after red is taken out of it (seals); every
 * recognised character becomes a pdfl_glyph with its own box and
 * confidence, but the vertical extent of its text line, so that the layout
 * groups a line Tesseract found as one line even on a page scanned a
 * degree askew (1 degree over an A4 width is 43 pixels at 300 dpi, more
 * than a third of a line). Boxes are converted from pixels to points.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

#include "parse_int.h"
#include "scan.h"

#define SEAL_MIN_PIXELS 2000    /* red pixels: fewer are a pen stroke, not a seal */
#define SEAL_MAX 4              /* seals read on one page */

struct doc_ocr {
    TessBaseAPI *api;
    doc_ocr_options opt;
    char languages[64];
    char datapath[256];
    doc_ocr_progress_fn *progress;
    void *arg;
};

void doc_ocr_options_default(doc_ocr_options *o)
{
    memset(o, 0, sizeof *o);
    o->languages = "chi_sim";
    o->dpi = 300;
    o->max_pages = 100;
    o->max_pixels = 50000000;
    o->page_time_ms = 60000;
}

const char *doc_ocr_engine(void)
{
    static char name[64];
    if (!name[0])
        snprintf(name, sizeof name, "tesseract %s", TessVersion());
    return name;
}

static void quiet(const char *msg)
{
    (void)msg;
}

ev_code doc_ocr_new(const doc_ocr_options *in, doc_ocr **out, ev_error *err)
{
    doc_ocr *o = ev_calloc(1, sizeof *o);
    doc_ocr_options def;

    doc_ocr_options_default(&def);
    o->opt = *in;
    snprintf(o->languages, sizeof o->languages, "%s",
             in->languages && *in->languages ? in->languages : def.languages);
    if (in->datapath)
        snprintf(o->datapath, sizeof o->datapath, "%s", in->datapath);
    o->opt.languages = o->languages;
    o->opt.datapath = in->datapath ? o->datapath : NULL;
    if (!o->opt.dpi) o->opt.dpi = def.dpi;
    if (!o->opt.max_pages) o->opt.max_pages = def.max_pages;
    if (!o->opt.max_pixels) o->opt.max_pixels = def.max_pixels;
    if (!o->opt.page_time_ms) o->opt.page_time_ms = def.page_time_ms;
    *out = NULL;
    /* Leptonica writes its complaints about a bad image to stderr, which
     * is the daemon's journal: a hostile file must not fill it. */
    setMsgSeverity(L_SEVERITY_NONE);
    leptSetStderrHandler(quiet);
    o->api = TessBaseAPICreate();
    /* Tesseract's own debug output goes nowhere; a missing language is
     * told by the return code, and said below in our words. */
    TessBaseAPISetVariable(o->api, "debug_file", "/dev/null");
    if (TessBaseAPIInit3(o->api, o->opt.datapath, o->languages) != 0) {
        ev_fail(err, EV_EUNSUPPORTED, "OCR languages %s are not installed (Debian packages "
                "tesseract-ocr-chi-sim and tesseract-ocr-eng)", o->languages);
        doc_ocr_free(o);
        return EV_EUNSUPPORTED;
    }
    /* Init reads the models' own settings: say it again after. Tesseract
     * opens its debug file at the first message it prints, and a sandboxed
     * extractor may open no file for writing (it would print to stderr,
     * our journal, instead): make it print one now, by asking a scratch
     * engine for a language that does not exist. */
    TessBaseAPISetVariable(o->api, "debug_file", "/dev/null");
    {
        TessBaseAPI *scratch = TessBaseAPICreate();
        TessBaseAPIInit3(scratch, o->opt.datapath, "evidenced-no-such-language");
        TessBaseAPIDelete(scratch);
    }
    TessBaseAPISetPageSegMode(o->api, PSM_AUTO);
    *out = o;
    return EV_OK;
}

void doc_ocr_free(doc_ocr *o)
{
    if (!o)
        return;
    if (o->api) {
        TessBaseAPIEnd(o->api);
        TessBaseAPIDelete(o->api);
    }
    free(o);
}

void doc_ocr_set_progress(doc_ocr *o, doc_ocr_progress_fn *fn, void *arg)
{
    o->progress = fn;
    o->arg = arg;
}

void ocr_progress(doc_ocr *o, unsigned page, unsigned pages)
{
    if (o->progress)
        o->progress(o->arg, page, pages);
}

/* ---- red ---------------------------------------------------------------- */

/* Seal ink: red well above green and blue. Scanned seals fade to pink, so
 * the test is on differences, not on saturation alone. */
static bool is_red(l_int32 r, l_int32 g, l_int32 b)
{
    return r >= 110 && r - g >= 60 && r - b >= 50;
}

typedef struct red_box {
    l_int32 x1, y1, x2, y2;
    size_t count;
} red_box;

/*
 * Turn red pixels of the 32 bpp page white, and keep a mask of them (1 bpp,
 * set = red) for the seals. Returns the number of red pixels.
 */
static size_t take_out_red(PIX *pix, PIX **mask)
{
    l_int32 w = pixGetWidth(pix), h = pixGetHeight(pix);
    l_int32 wpl = pixGetWpl(pix);
    l_uint32 *data = pixGetData(pix);
    size_t count = 0;
    PIX *m = pixCreate(w, h, 1);
    l_uint32 *md = m ? pixGetData(m) : NULL;
    l_int32 mwpl = m ? pixGetWpl(m) : 0;

    for (l_int32 y = 0; y < h; y++) {
        l_uint32 *line = data + (size_t)y * (size_t)wpl;
        for (l_int32 x = 0; x < w; x++) {
            l_int32 r, g, b;
            extractRGBValues(line[x], &r, &g, &b);
            if (!is_red(r, g, b))
                continue;
            line[x] = 0xffffff00u;
            if (md)
                SET_DATA_BIT(md + (size_t)y * (size_t)mwpl, x);
            count++;
        }
    }
    *mask = m;
    return count;
}

/* ---- recognition -------------------------------------------------------- */

typedef struct glyphs {
    pdfl_glyph *g;
    size_t n, cap;
    uint64_t conf_sum;
} glyphs;

/*
 * Recognise `pix` (any depth, `dpi` its resolution) and append its
 * characters to `out`, boxes in points. false when Tesseract gave up (out
 * of time).
 */
static bool recognise(doc_ocr *o, PIX *pix, unsigned dpi, glyphs *out, int psm)
{
    ETEXT_DESC *mon = TessMonitorCreate();
    TessResultIterator *ri;
    uint32_t pline = 0;
    l_int32 lt = 0, lb = 0;
    double pt = 72.0 / dpi;
    bool ok;

    TessBaseAPISetPageSegMode(o->api, (TessPageSegMode)psm);
    TessBaseAPISetImage2(o->api, pix);
    TessBaseAPISetSourceResolution(o->api, (int)dpi);
    /* Before the parent's clock for the page runs out: a page left is better
     * than an extractor stopped. */
    TessMonitorSetDeadlineMSecs(mon, (int)(o->opt.page_time_ms / 10 * 9));
    ok = TessBaseAPIRecognize(o->api, mon) == 0;
    TessMonitorDelete(mon);
    ri = ok ? TessBaseAPIGetIterator(o->api) : NULL;
    if (ri) {
        const TessPageIterator *pi = TessResultIteratorGetPageIterator(ri);
        bool first_in_line = true;
        do {
            char *txt = TessResultIteratorGetUTF8Text(ri, RIL_SYMBOL);
            float conf = TessResultIteratorConfidence(ri, RIL_SYMBOL);
            l_int32 x1, y1, x2, y2;
            bool word = TessPageIteratorIsAtBeginningOf(pi, RIL_WORD);

            if (TessPageIteratorIsAtBeginningOf(pi, RIL_TEXTLINE)) {
                l_int32 a, c;
                TessPageIteratorBoundingBox(pi, RIL_TEXTLINE, &a, &lt, &c, &lb);
                pline++;
                first_in_line = true;
            }
            if (!txt || !g_utf8_validate(txt, -1, NULL) ||
                !TessPageIteratorBoundingBox(pi, RIL_SYMBOL, &x1, &y1, &x2, &y2)) {
                TessDeleteText(txt);
                continue;
            }
            for (const char *p = txt; *p; p = g_utf8_next_char(p)) {
                uint32_t cp = g_utf8_get_char(p);
                if (cp <= ' ' || cp == 0x3000)
                    continue;
                out->g = ev_grow(out->g, &out->cap, out->n + 1, sizeof *out->g);
                pdfl_glyph *g = &out->g[out->n];
                g->x1 = x1 * pt, g->x2 = x2 * pt;
                g->y1 = lt * pt, g->y2 = lb * pt;
                g->size = (lb - lt) * pt;
                g->cp = cp;
                g->index = (uint32_t)out->n;
                g->pline = pline;
                g->space_before = word && !first_in_line;
                g->ocr = true;
                g->conf = (uint8_t)(conf < 0 ? 0 : conf > 100 ? 100 : lroundf(conf));
                out->conf_sum += g->conf;
                out->n++;
                word = first_in_line = false;
            }
            TessDeleteText(txt);
        } while (TessResultIteratorNext(ri, RIL_SYMBOL));
        TessResultIteratorDelete(ri);
    }
    TessBaseAPIClear(o->api);
    return ok;
}

/* The bounding boxes of the larger red blobs: seals, in page order. */
static size_t find_seals(PIX *mask, red_box *out, size_t max)
{
    BOXA *boxa = NULL;
    PIXA *pixa = NULL;
    size_t n = 0;
    /* Grow strokes into one blob per seal first: its ring, star and
     * letters are apart by a few pixels. */
    PIX *closed = pixCloseBrick(NULL, mask, 15, 15);

    if (!closed)
        return 0;
    boxa = pixConnComp(closed, &pixa, 8);
    for (l_int32 i = 0; boxa && i < boxaGetCount(boxa) && n < max; i++) {
        l_int32 x, y, w, h;
        boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h);
        /* Round seals are about square and at least 2 cm across. */
        if (w < 150 || h < 150 || w > 3 * h || h > 3 * w)
            continue;
        l_int32 count = 0;
        BOX *b = boxCreate(x, y, w, h);
        PIX *part = b ? pixClipRectangle(mask, b, NULL) : NULL;
        if (part)
            pixCountPixels(part, &count, NULL);
        pixDestroy(&part);
        boxDestroy(&b);
        if (count >= SEAL_MIN_PIXELS)
            out[n++] = (red_box){x, y, x + w, y + h, (size_t)count};
    }
    boxaDestroy(&boxa);
    pixaDestroy(&pixa);
    pixDestroy(&closed);
    return n;
}

/*
 * The text of a round seal runs clockwise along its upper arc, from about
 * eight o'clock to four, letters standing on the inner side. Unroll the
 * ring between 58% and 98% of the radius into a strip, outer edge on top,
 * so the letters stand upright in one line, and read it as a line.
 */
static PIX *unroll_seal(PIX *mask, const red_box *s)
{
    double cx = (s->x1 + s->x2) / 2.0, cy = (s->y1 + s->y2) / 2.0;
    double r = fmin(s->x2 - s->x1, s->y2 - s->y1) / 2.0;
    double from = -150 * M_PI / 180, to = 150 * M_PI / 180;
    double r_in = 0.58 * r, r_out = 0.98 * r;
    l_int32 w = (l_int32)lround((to - from) * 0.8 * r);
    l_int32 h = (l_int32)lround(r_out - r_in);
    l_int32 mw = pixGetWidth(mask), mh = pixGetHeight(mask);
    PIX *strip;

    if (w <= 0 || h <= 0 || (strip = pixCreate(w + 40, h + 40, 1)) == NULL)
        return NULL;
    for (l_int32 y = 0; y < h; y++) {
        double rad = r_out - y;
        for (l_int32 x = 0; x < w; x++) {
            double a = from + (to - from) * x / w;
            l_int32 sx = (l_int32)lround(cx + rad * sin(a));
            l_int32 sy = (l_int32)lround(cy - rad * cos(a));
            l_uint32 bit = 0;
            if (sx >= 0 && sy >= 0 && sx < mw && sy < mh)
                pixGetPixel(mask, sx, sy, &bit);
            if (bit)
                pixSetPixel(strip, x + 20, y + 20, 1);
        }
    }
    return strip;
}

/* Whether text ends as the name of a company or an authority does, in its
 * last five characters: a seal read into other words is noise. */
static bool names_a_body(const char *text)
{
    static const char *const ends[] = {"公司", "局", "中心", "委员会", "院", "所", "协会",
                                       "厅", "部", "处", "厂", "银行", "学校", "大学"};
    size_t len = strlen(text), from = len > 15 ? len - 15 : 0;
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++)
        if (strstr(text + from, ends[i]))
            return true;
    return false;
}

/*
 * A seal's words are an organisation's name, all Chinese characters; what
 * else the unrolled ring gives (its star, its edge, a serial number read
 * upside down) is dropped, and a ring that gives fewer than four Chinese
 * characters, or more noise than words, was not a seal we can read.
 */
static void emit_seal(docb *b, glyphs *sg)
{
    docb_frame *f;
    ev_buf text = {0};
    uint64_t conf = 0;
    size_t han = 0;

    for (size_t i = 0; i < sg->n; i++) {
        if (sg->g[i].cp < 0x4E00 || sg->g[i].cp > 0x9FFF)
            continue;
        pdfl_put_utf8(&text, sg->g[i].cp);
        conf += sg->g[i].conf;
        han++;
    }
    if (han < 4 || han * 10 < sg->n * 6 || !names_a_body(text.data)) {
        ev_buf_free(&text);
        return;
    }
    f = docb_open(b, DOC_BLOCK_PARAGRAPH, DOC_PART_NOTE);
    f->source = DOC_SOURCE_SEAL;
    f->confidence = (uint8_t)(conf / han);
    docb_text(b, text.data ? text.data : "", text.len);
    docb_close(b);
    ev_buf_free(&text);
}

/* Read the seals of a page from its red mask. */
static void read_seals(doc_ocr *o, docb *b, PIX *mask)
{
    red_box seals[SEAL_MAX];
    size_t n = find_seals(mask, seals, SEAL_MAX);

    for (size_t i = 0; i < n && b->status == EV_OK; i++) {
        PIX *strip = unroll_seal(mask, &seals[i]);
        glyphs sg = {0};
        if (strip && recognise(o, strip, 300, &sg, PSM_SINGLE_LINE))
            emit_seal(b, &sg);
        free(sg.g);
        pixDestroy(&strip);
    }
}

const doc_ocr_options *doc_ocr_options_get(const doc_ocr *o)
{
    return &o->opt;
}

bool ocr_read_page(doc_ocr *o, pdfl *lay, PIX *page, unsigned dpi)
{
    docb *b = lay->b;
    PIX *pix = pixConvertTo32(page);
    PIX *mask = NULL;
    glyphs gl = {0};
    bool ok;

    if (!dpi)
        dpi = o->opt.dpi;
    if (!pix)
        return false;
    if (take_out_red(pix, &mask) >= SEAL_MIN_PIXELS && mask)
        read_seals(o, b, mask);
    pixDestroy(&mask);
    ok = recognise(o, pix, dpi, &gl, PSM_AUTO);
    if (ok) {
        uint8_t saved = b->source;
        b->source = DOC_SOURCE_OCR;
        pdfl_page(lay, gl.g, gl.n, pixGetHeight(pix) * 72.0 / dpi);
        b->source = saved;
        b->d->ocr_pages++;
        b->ocr_chars += gl.n;
        b->ocr_conf_sum += gl.conf_sum;
    }
    free(gl.g);
    pixDestroy(&pix);
    return ok;
}
