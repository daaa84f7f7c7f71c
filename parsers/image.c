/*
 * image.c: JPEG, PNG and TIFF files as documents: each page's size is
 * checked from its header before it is decoded, then the page is read by
 * OCR (ocr.c). scan.h states the limits.
 */
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>

#include "parse_int.h"
#include "scan.h"

bool doc_sniff_image(const void *data, size_t len, doc_format *fmt)
{
    const unsigned char *p = data;

    if (len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
        *fmt = DOC_FORMAT_JPEG;
    else if (len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
        *fmt = DOC_FORMAT_PNG;
    else if (len >= 4 && (memcmp(p, "II*\0", 4) == 0 || memcmp(p, "MM\0*", 4) == 0 ||
                          memcmp(p, "II+\0", 4) == 0 || memcmp(p, "MM\0+", 4) == 0))
        *fmt = DOC_FORMAT_TIFF;
    else
        return false;
    return true;
}

static uint64_t get_uint(const unsigned char *p, unsigned n, bool big)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[big ? i : n - 1 - i] << (8 * (n - 1 - i));
    return v;
}

/*
 * The number of directories (pages) of a TIFF, counted up to `max` by
 * following the chain of directory offsets: libtiff's own count would
 * follow a chain of a million directories. 0 when the header or the
 * first directory is out of bounds.
 */
static unsigned tiff_pages(const unsigned char *p, size_t len, unsigned max)
{
    bool big = p[0] == 'M';
    bool bigtiff = get_uint(p + 2, 2, big) == 43;
    unsigned osize = bigtiff ? 8 : 4, csize = bigtiff ? 8 : 2, esize = bigtiff ? 20 : 12;
    uint64_t off, prev = 0;
    unsigned n = 0;

    if (len < (bigtiff ? 16u : 8u))
        return 0;
    off = get_uint(p + (bigtiff ? 8 : 4), osize, big);
    while (off != 0 && n < max) {
        uint64_t count;
        /* Each next directory further on: a loop, or a chain going back,
         * ends the count (a well-made TIFF has neither). */
        if (off <= prev || off > len || len - off < csize)
            break;
        count = get_uint(p + off, csize, big);
        if (count > (len - off - csize) / esize || len - off - csize - count * esize < osize)
            break;
        n++;
        prev = off;
        off = get_uint(p + off + csize + count * esize, osize, big);
    }
    return n;
}

/* Width and height a page's header claims; false when it cannot be read. */
static bool page_size(const unsigned char *data, size_t len, doc_format fmt, unsigned page,
                      l_int32 *w, l_int32 *h, l_int32 *res)
{
    l_int32 format, bps, spp, cmap;

    *res = 0;
    if (fmt == DOC_FORMAT_TIFF)
        return readHeaderMemTiff(data, len, (l_int32)page, w, h, &bps, &spp, res, &cmap,
                                 &format) == 0;
    return pixReadHeaderMem(data, len, &format, w, h, &bps, &spp, &cmap) == 0;
}

ev_code image_read(const unsigned char *data, size_t len, doc_format fmt, docb *b,
                   ev_error *err)
{
    struct doc_ocr *o = b->ocr;
    const doc_ocr_options *opt;
    unsigned pages = 1, read = 0;
    pdfl lay;

    if (!o)
        return ev_fail(err, EV_EUNSUPPORTED, "a %s image: scans are read by OCR, which is "
                       "off here", doc_format_name(fmt));
    opt = doc_ocr_options_get(o);
    if (fmt == DOC_FORMAT_TIFF) {
        pages = tiff_pages(data, len, b->lim->max_pages + 1);
        if (pages == 0)
            return ev_fail(err, EV_EMALFORMED, "the TIFF's first directory is out of bounds");
        if (pages > b->lim->max_pages)
            return ev_fail(err, EV_ETOOLARGE, "the TIFF has over %u pages", b->lim->max_pages);
    }
    b->d->npages = pages;
    pdfl_init(&lay, b);
    for (unsigned i = 0; i < pages && b->status == EV_OK; i++) {
        l_int32 w, h, res;
        PIX *pix;

        if (i >= opt->max_pages) {
            b->d->warnings |= DOC_WARN_OCR_PAGES_LEFT;
            break;
        }
        if (!page_size(data, len, fmt, i, &w, &h, &res) || w <= 0 || h <= 0) {
            pdfl_finish(&lay);
            return ev_fail(err, EV_EMALFORMED, "page %u of the %s image has no readable "
                           "header", i + 1, doc_format_name(fmt));
        }
        if ((uint64_t)w * (uint64_t)h > opt->max_pixels) {
            pdfl_finish(&lay);
            return ev_fail(err, EV_ETOOLARGE, "page %u of the %s image is %dx%d pixels "
                           "(limit %llu pixels)", i + 1, doc_format_name(fmt), w, h,
                           (unsigned long long)opt->max_pixels);
        }
        pix = fmt == DOC_FORMAT_TIFF ? pixReadMemTiff(data, len, (l_int32)i)
                                     : pixReadMem(data, len);
        if (!pix || pixGetWidth(pix) != w || pixGetHeight(pix) != h) {
            pixDestroy(&pix);
            pdfl_finish(&lay);
            return ev_fail(err, EV_EMALFORMED, "page %u of the %s image could not be decoded",
                           i + 1, doc_format_name(fmt));
        }
        if (!res)
            res = pixGetXRes(pix);
        /* A resolution the file states, when plausible; phone photos and
         * stripped scans say nothing (or 72), and are read as 300 dpi. */
        res = res >= 100 && res <= 1200 ? res : 300;
        /* Finer than 400 dpi only costs time: Tesseract reads 300 best. */
        if (res > 400) {
            PIX *scaled = pixScale(pix, 300.0f / (float)res, 300.0f / (float)res);
            if (scaled) {
                pixDestroy(&pix);
                pix = scaled;
                res = 300;
            }
        }
        if (ocr_read_page(o, &lay, pix, (unsigned)res))
            read++;
        else
            b->d->warnings |= DOC_WARN_OCR_PAGES_LEFT;
        pixDestroy(&pix);
        ocr_progress(o, i + 1, pages);
    }
    pdfl_finish(&lay);
    return b->status;
}
