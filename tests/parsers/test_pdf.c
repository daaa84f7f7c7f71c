/*
 * test_pdf.c: PDFs through doc_parse().
 *
 * Simple PDFs are written here in code (text in Helvetica, a page without
 * text, 10,000 pages, broken files); what needs other tools (LibreOffice
 * exports with CID fonts, iText-style STSong-Light, encryption, signatures)
 * comes from tests/data/pdf/ (made by its make.sh, described in its
 * README); a test whose file is not there is skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "doc.h"
#include "fixture.h"

#define DATA EV_SOURCE_DIR "/tests/data/pdf/"

static void broken(const char *why)
{
    fail_msg("doc.h promise broken: %s", why);
}

/* A PDF of `npages` pages (at most the first `ntext` with their own line of
 * text, the others sharing one content stream), offsets exact. */
static unsigned char *build_pdf(const char *const *lines, size_t ntext, size_t npages,
                                const char *info, size_t *len)
{
    ev_buf b = {0};
    /* objects 1..3, the pages, the contents, the Info; Size counts object 0 */
    size_t nobj = 4 + npages + (ntext ? ntext : 1) + 1, k;
    size_t *off = ev_calloc(nobj + 1, sizeof *off);

    ev_buf_puts(&b, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
    off[1] = b.len;
    ev_buf_puts(&b, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    off[2] = b.len;
    ev_buf_printf(&b, "2 0 obj\n<< /Type /Pages /Count %zu /Kids [", npages);
    for (size_t i = 0; i < npages; i++)
        ev_buf_printf(&b, "%zu 0 R ", 4 + i);
    ev_buf_puts(&b, "] >>\nendobj\n");
    off[3] = b.len;
    ev_buf_puts(&b, "3 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n");
    k = 4 + npages;     /* first content stream */
    for (size_t i = 0; i < npages; i++) {
        size_t content = k + (i < ntext ? i : 0);
        off[4 + i] = b.len;
        ev_buf_printf(&b, "%zu 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
                      " /Resources << /Font << /F1 3 0 R >> >> /Contents %zu 0 R >>\nendobj\n",
                      4 + i, content);
    }
    for (size_t i = 0; i < (ntext ? ntext : 1); i++) {
        char *s = ntext ? ev_asprintf("BT /F1 11 Tf 72 760 Td (%s) Tj ET", lines[i])
                        : ev_strdup("0 0 1 rg 72 600 200 100 re f");
        off[k + i] = b.len;
        ev_buf_printf(&b, "%zu 0 obj\n<< /Length %zu >>\nstream\n%s\nendstream\nendobj\n",
                      k + i, strlen(s) + 0, s);
        free(s);
    }
    size_t info_obj = nobj - 1;
    off[info_obj] = b.len;
    ev_buf_printf(&b, "%zu 0 obj\n<< %s >>\nendobj\n", info_obj, info ? info : "");
    size_t xref = b.len;
    ev_buf_printf(&b, "xref\n0 %zu\n0000000000 65535 f \n", nobj);
    for (size_t i = 1; i < nobj; i++)
        ev_buf_printf(&b, "%010zu 00000 n \n", off[i]);
    ev_buf_printf(&b, "trailer\n<< /Size %zu /Root 1 0 R /Info %zu 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                  nobj, info_obj, xref);
    free(off);
    *len = b.len;
    return (unsigned char *)ev_buf_steal(&b);
}

static void *load(const char *path, size_t *len)
{
    void *data;
    ev_error err;
    if (doc_read_file(path, NULL, &data, len, &err) != EV_OK)
        return NULL;
    return data;
}

static doc *parse_ok(const void *data, size_t len)
{
    doc *d = NULL;
    ev_error err;
    ev_code rc = fx_parse(data, len, NULL, &d, &err);
    if (rc != EV_OK)
        fail_msg("%s: %s", ev_code_name(rc), err.message);
    assert_int_equal(d->format, DOC_FORMAT_PDF);
    assert_string_equal(doc_format_name(d->format), "pdf");
    return d;
}

static ev_code parse_fail(const void *data, size_t len, const doc_limits *lim)
{
    doc *d = NULL;
    ev_error err;
    ev_code rc = fx_parse(data, len, lim, &d, &err);
    assert_null(d);
    return rc;
}

static void english_text_and_metadata(void **state)
{
    (void)state;
    static const char *const lines[] = {"Contract No.: HL-SA-2026-007", "Party A: Lakeside Data Center"};
    size_t len;
    unsigned char *pdf = build_pdf(lines, 2, 2,
        "/Title (Services Agreement) /Author (Grace Lin) /Subject (audit) /Keywords (ISMS)"
        " /Creator (Writer) /Producer (LibreOffice 7.4) /CreationDate (D:20260305100000+08'00')"
        " /ModDate (D:20260306000000Z)", &len);
    doc *d = parse_ok(pdf, len);

    assert_int_equal(d->npages, 2);
    assert_int_equal(d->nblocks, 2);
    assert_string_equal(doc_block_text(d, &d->blocks[0]), "Contract No.: HL-SA-2026-007");
    assert_int_equal(d->blocks[0].kind, DOC_BLOCK_PARAGRAPH);
    assert_int_equal(d->blocks[0].part, DOC_PART_BODY);
    assert_string_equal(doc_block_text(d, &d->blocks[1]), "Party A: Lakeside Data Center");
    assert_string_equal(d->meta.title, "Services Agreement");
    assert_string_equal(d->meta.creator, "Grace Lin");
    assert_string_equal(d->meta.subject, "audit");
    assert_string_equal(d->meta.keywords, "ISMS");
    assert_string_equal(d->meta.application, "Writer");
    assert_string_equal(d->meta.producer, "LibreOffice 7.4");
    assert_string_equal(d->meta.created, "2026-03-05T02:00:00Z");
    assert_string_equal(d->meta.modified, "2026-03-06T00:00:00Z");
    assert_int_equal(d->warnings, 0);
    assert_int_equal(d->nsignatures, 0);
    assert_string_equal(doc_language(d), "en");
    doc_free(d);
    free(pdf);
}

static void junk_before_header(void **state)
{
    (void)state;
    static const char *const lines[] = {"after junk"};
    size_t len;
    unsigned char *pdf = build_pdf(lines, 1, 1, NULL, &len);
    unsigned char *junk = ev_malloc(len + 100);
    memset(junk, 'x', 100);
    memcpy(junk + 100, pdf, len);
    doc *d = parse_ok(junk, len + 100);
    assert_non_null(fx_find(d, "after junk"));
    doc_free(d);
    free(junk);
    free(pdf);
}

static void no_text_layer(void **state)
{
    (void)state;
    size_t len;
    unsigned char *pdf = build_pdf(NULL, 0, 1, NULL, &len);
    doc *d = parse_ok(pdf, len);
    assert_int_equal(d->nblocks, 0);
    assert_int_equal(d->text_chars, 0);
    assert_true(d->warnings & DOC_WARN_NO_TEXT_LAYER);
    assert_string_equal(doc_warning_name(DOC_WARN_NO_TEXT_LAYER), "no-text-layer");
    doc_free(d);
    free(pdf);
}

static void too_many_pages(void **state)
{
    (void)state;
    static const char *const lines[] = {"page"};
    size_t len;
    unsigned char *pdf = build_pdf(lines, 1, 10000, NULL, &len);
    doc_limits lim;
    assert_int_equal(parse_fail(pdf, len, NULL), EV_ETOOLARGE);
    free(pdf);
    pdf = build_pdf(lines, 1, 3000, NULL, &len);
    doc_limits_default(&lim);
    assert_int_equal(lim.max_pages, 2000);
    lim.max_pages = 3000;
    lim.max_text = 1000;        /* 3,000 x "page" is over it */
    assert_int_equal(parse_fail(pdf, len, &lim), EV_ETOOLARGE);
    free(pdf);
}

static void broken_files(void **state)
{
    (void)state;
    static const char *const lines[] = {"text"};
    size_t len;
    unsigned char *pdf = build_pdf(lines, 1, 1, NULL, &len);
    static const char garbage[] = "%PDF-1.7\n\x01\x02 this is no PDF at all \xff\xfe";
    /* Cut before the first page object: nothing is left to read. */
    assert_int_equal(parse_fail(pdf, 40, NULL), EV_EMALFORMED);
    assert_int_equal(parse_fail(garbage, sizeof garbage - 1, NULL), EV_EMALFORMED);
    assert_int_equal(parse_fail("%PDF-", 5, NULL), EV_EMALFORMED);
    assert_int_equal(parse_fail("just text, no header", 20, NULL), EV_ENOTDOC);
    free(pdf);
}

/* ---- files from tests/data/pdf ---------------------------------------- */

static doc *parse_file(const char *name)
{
    size_t len;
    void *data = load(name, &len);
    doc *d;
    if (!data)
        return NULL;
    d = parse_ok(data, len);
    free(data);
    return d;
}

static ev_code fail_file(const char *name, bool *found)
{
    size_t len;
    void *data = load(name, &len);
    ev_code rc;
    *found = data != NULL;
    if (!data)
        return EV_OK;
    rc = parse_fail(data, len, NULL);
    free(data);
    return rc;
}

#define NEED(d) do { if (!(d)) { skip(); } } while (0)

static void chinese_libreoffice(void **state)
{
    (void)state;
    doc *d = parse_file(DATA "zh-contract-lo.pdf");
    NEED(d);
    assert_int_equal(d->npages, 1);
    assert_string_equal(doc_language(d), "zh");
    assert_non_null(fx_find(d, "技术服务合同"));
    assert_int_equal(fx_find(d, "技术服务合同")->kind, DOC_BLOCK_HEADING);
    assert_non_null(fx_find(d, "签订日期：2026年3月5日"));
    /* the label-value table comes out as rows */
    const doc_block *label = fx_find(d, "合同编号");
    assert_non_null(label);
    assert_int_equal(label->kind, DOC_BLOCK_CELL);
    const doc_block *value = fx_cell(d, label->table, label->row, 1);
    assert_non_null(value);
    assert_string_equal(doc_block_text(d, value), "HT-2026-018");
    /* a wrapped paragraph is one block */
    assert_non_null(fx_find_sub(d, "安全事件跟踪处置以及7×24小时驻场运维"));
    doc_free(d);
}

static void chinese_itext_style(void **state)
{
    (void)state;
    doc *d = parse_file(DATA "zh-itext-style.pdf");
    NEED(d);
    assert_string_equal(doc_language(d), "zh");
    assert_true(d->text_chars > 0);
    /* no spaces poppler may put between Chinese characters */
    for (size_t i = 0; i < d->nblocks; i++)
        assert_null(strstr(doc_block_text(d, &d->blocks[i]), "合 同"));
    doc_free(d);
}

static void signed_pdf(void **state)
{
    (void)state;
    doc *d = parse_file(DATA "signed.pdf");
    NEED(d);
    assert_int_equal(d->nsignatures, 1);
    assert_string_equal(d->signatures[0].status, "valid");
    assert_non_null(d->signatures[0].signer);
    assert_non_null(d->signatures[0].signed_at);
    assert_true(d->signatures[0].covers_whole);
    doc_free(d);
}

static void signed_then_modified(void **state)
{
    (void)state;
    doc *d = parse_file(DATA "signed-then-modified.pdf");
    NEED(d);
    assert_int_equal(d->nsignatures, 1);
    assert_string_equal(d->signatures[0].status, "valid");
    assert_false(d->signatures[0].covers_whole);
    doc_free(d);
}

static void signed_tampered(void **state)
{
    (void)state;
    doc *d = parse_file(DATA "signed-tampered.pdf");
    NEED(d);
    assert_int_equal(d->nsignatures, 1);
    assert_string_not_equal(d->signatures[0].status, "valid");
    doc_free(d);
}

static void passwords(void **state)
{
    (void)state;
    bool found;
    ev_code rc = fail_file(DATA "user-password.pdf", &found);
    if (!found)
        skip();
    assert_int_equal(rc, EV_EENCRYPTED);
    doc *d = parse_file(DATA "owner-only.pdf");
    NEED(d);
    assert_non_null(fx_find(d, "技术服务合同"));
    doc_free(d);
}

static void scan_and_hostile(void **state)
{
    (void)state;
    bool found;
    doc *d = parse_file(DATA "scan-no-text.pdf");
    NEED(d);
    assert_true(d->warnings & DOC_WARN_NO_TEXT_LAYER);
    doc_free(d);
    ev_code rc = fail_file(DATA "pages-10000.pdf", &found);
    if (found)
        assert_int_equal(rc, EV_ETOOLARGE);
    rc = fail_file(DATA "garbage-after-header.pdf", &found);
    if (found)
        assert_int_not_equal(rc, EV_OK);
    /* These must only come back, read or refused, without a crash. */
    static const char *const hostile[] = {"truncated.pdf", "ref-loop.pdf", "xref-lies.pdf",
                                          "deep-nesting.pdf", "flate-bomb.pdf"};
    for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
        char *path = ev_asprintf(DATA "%s", hostile[i]);
        size_t len;
        void *data = load(path, &len);
        doc *h = NULL;
        ev_error err;
        if (data && fx_parse(data, len, NULL, &h, &err) == EV_OK)
            doc_free(h);
        free(data);
        free(path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(english_text_and_metadata),
        cmocka_unit_test(junk_before_header),
        cmocka_unit_test(no_text_layer),
        cmocka_unit_test(too_many_pages),
        cmocka_unit_test(broken_files),
        cmocka_unit_test(chinese_libreoffice),
        cmocka_unit_test(chinese_itext_style),
        cmocka_unit_test(signed_pdf),
        cmocka_unit_test(signed_then_modified),
        cmocka_unit_test(signed_tampered),
        cmocka_unit_test(passwords),
        cmocka_unit_test(scan_and_hostile),
    };
    doc_init();
    fx_on_broken(broken);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
