/*
 * test_scan.c: images through doc_parse() and doc_parse_scan().
 *
 * Without an OCR engine an image is unsupported, with a message that says
 * why. With one, hostile images are refused by what their headers claim
 * before anything is decoded (a PNG of 60000x60000 pixels in 74 bytes, TIFF
 * directory chains that loop or run to thousands), and a scanned contract
 * page (tests/data/ocr/) is read: its blocks marked as OCR's with a
 * confidence, its contract number in them, and one progress call a page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "doc.h"
#include "scan.h"

#define DATA EV_SOURCE_DIR "/tests/data/ocr/"

static doc_ocr *engine;

static int load_engine(void **state)
{
    doc_ocr_options o;
    ev_error err;

    (void)state;
    doc_ocr_options_default(&o);
    ev_error_clear(&err);
    if (doc_ocr_new(&o, &engine, &err) != EV_OK) {
        fprintf(stderr, "no OCR engine: %s\n", err.message);
        return -1;
    }
    return 0;
}

static int free_engine(void **state)
{
    (void)state;
    doc_ocr_free(engine);
    return 0;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *p;
    long n;

    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    p = ev_malloc((size_t)n + 1);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return p;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void image_without_ocr_is_unsupported(void **state)
{
    size_t len;
    unsigned char *p = slurp(DATA "contract-HT-2026-018.jpg", &len);
    doc *d = NULL;
    ev_error err;
    doc_format f;

    (void)state;
    assert_true(doc_sniff_image(p, len, &f));
    assert_int_equal(f, DOC_FORMAT_JPEG);
    assert_int_equal(doc_parse(p, len, NULL, &d, &err), EV_EUNSUPPORTED);
    assert_null(d);
    assert_non_null(strstr(err.message, "OCR"));
    free(p);
}

static void claimed_size_is_refused_before_decoding(void **state)
{
    size_t len;
    unsigned char *p = slurp(DATA "claims-60000x60000.png", &len);
    doc *d = NULL;
    ev_error err;
    double t0 = now_s();

    (void)state;
    assert_true(len < 200);
    assert_int_equal(doc_parse_scan(p, len, NULL, engine, &d, &err), EV_ETOOLARGE);
    assert_null(d);
    assert_non_null(strstr(err.message, "60000x60000"));
    /* Decoding 3.6 gigapixels would take minutes and 14 GB. */
    assert_true(now_s() - t0 < 2.0);
    free(p);
}

/* A little-endian TIFF header, then `n` empty directories chained one after
 * another; the last points back at `back` (0: ends the chain). */
static unsigned char *tiff_chain(unsigned n, uint32_t back, size_t *len)
{
    size_t size = 8 + (size_t)n * 6;
    unsigned char *p = ev_calloc(1, size);

    memcpy(p, "II*\0", 4);
    p[4] = 8;
    for (unsigned i = 0; i < n; i++) {
        size_t at = 8 + (size_t)i * 6;
        uint32_t next = i + 1 < n ? (uint32_t)(at + 6) : back;
        /* count 0, then the next directory's offset */
        p[at + 2] = (unsigned char)next, p[at + 3] = (unsigned char)(next >> 8);
        p[at + 4] = (unsigned char)(next >> 16), p[at + 5] = (unsigned char)(next >> 24);
    }
    *len = size;
    return p;
}

static void tiff_directory_chains_are_bounded(void **state)
{
    size_t len;
    unsigned char *loop = tiff_chain(3, 8, &len);
    unsigned char *many;
    doc_limits lim;
    doc *d = NULL;
    ev_error err;

    (void)state;
    /* A loop back to the first directory counts 3 pages, none of which
     * is an image: malformed, not a hang. */
    assert_int_equal(doc_parse_scan(loop, len, NULL, engine, &d, &err), EV_EMALFORMED);
    free(loop);
    doc_limits_default(&lim);
    lim.max_pages = 50;
    many = tiff_chain(5000, 0, &len);
    assert_int_equal(doc_parse_scan(many, len, &lim, engine, &d, &err), EV_ETOOLARGE);
    assert_non_null(strstr(err.message, "over 50 pages"));
    free(many);
    /* Not even a first directory inside the file. */
    many = tiff_chain(0, 0, &len);
    many[4] = 0xff;
    assert_int_equal(doc_parse_scan(many, len, NULL, engine, &d, &err), EV_EMALFORMED);
    free(many);
}

static void truncated_jpeg_never_crashes(void **state)
{
    size_t len;
    unsigned char *p = slurp(DATA "contract-HT-2026-018.jpg", &len);
    doc *d = NULL;
    ev_error err;
    ev_code rc;

    (void)state;
    /* The header and a few rows: libjpeg pads the rest grey, or gives up. */
    rc = doc_parse_scan(p, 2000, NULL, engine, &d, &err);
    assert_true(rc == EV_OK || rc == EV_EMALFORMED);
    doc_free(d);
    free(p);
}

static unsigned pages_seen;

static void count_page(void *arg, unsigned page, unsigned pages)
{
    (void)arg;
    assert_int_equal(pages, 1);
    assert_int_equal(page, pages_seen + 1);
    pages_seen = page;
}

static void scanned_contract_is_read_with_confidence(void **state)
{
    size_t len;
    unsigned char *p = slurp(DATA "contract-HT-2026-018.jpg", &len);
    doc *d = NULL;
    ev_error err;
    ev_buf text = {0};

    (void)state;
    doc_ocr_set_progress(engine, count_page, NULL);
    assert_int_equal(doc_parse_scan(p, len, NULL, engine, &d, &err), EV_OK);
    doc_ocr_set_progress(engine, NULL, NULL);
    assert_int_equal(pages_seen, 1);
    assert_int_equal(d->format, DOC_FORMAT_JPEG);
    assert_int_equal(d->npages, 1);
    assert_int_equal(d->ocr_pages, 1);
    assert_true(d->ocr_confidence >= 70 && d->ocr_confidence <= 100);
    assert_true(d->nblocks > 10);
    for (size_t i = 0; i < d->nblocks; i++) {
        assert_int_equal(d->blocks[i].source, DOC_SOURCE_OCR);
        assert_true(d->blocks[i].confidence <= 100);
    }
    doc_write_text(d, &text);
    assert_non_null(strstr(text.data, "HT-2026-018"));
    /* Chinese comes out without the spaces OCR's boxes would suggest. */
    assert_non_null(strstr(text.data, "合同编号"));
    ev_buf_free(&text);
    doc_free(d);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(image_without_ocr_is_unsupported),
        cmocka_unit_test(claimed_size_is_refused_before_decoding),
        cmocka_unit_test(tiff_directory_chains_are_bounded),
        cmocka_unit_test(truncated_jpeg_never_crashes),
        cmocka_unit_test(scanned_contract_is_read_with_confidence),
    };
    return cmocka_run_group_tests(tests, load_engine, free_engine);
}
