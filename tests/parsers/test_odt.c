/* test_odt.c: what doc_parse() reads out of ODF text documents, packaged
 * (.odt) and flat (.fodt), from documents written as XML strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "fixture.h"

static void broken(const char *why)
{
    fail_msg("doc.h broken: %s", why);
}

static doc *parse_odt(const fx_odt *s)
{
    size_t len;
    unsigned char *z = fx_odt_build(s, &len);
    doc *d = NULL;
    ev_error err;
    ev_code rc = fx_parse(z, len, NULL, &d, &err);

    free(z);
    if (rc != EV_OK)
        fail_msg("doc_parse: %s: %s", ev_code_name(rc), err.message);
    assert_int_equal(d->format, DOC_FORMAT_ODT);
    return d;
}

static doc *parse_text(const char *text)
{
    fx_odt s = {.text = text};
    return parse_odt(&s);
}

static void test_white_space_rules(void **state)
{
    doc *d = parse_text(
        "<text:p>a<text:s text:c=\"3\"/>b  \n\t c<text:tab/>d<text:line-break/>e<text:s/>f</text:p>"
        "<text:p>x <text:span text:style-name=\"T1\"> y</text:span></text:p>"
        "<text:p><text:span>签</text:span><text:span text:style-name=\"T2\">订</text:span>"
        "<text:soft-page-break/>日期<text:bookmark text:name=\"b\"/>：<text:a xlink:href=\"#x\""
        " xmlns:xlink=\"http://www.w3.org/1999/xlink\">2024年</text:a></text:p>");

    (void)state;
    assert_non_null(fx_find(d, "a   b c\td\ne f"));
    assert_non_null(fx_find(d, "x y"));
    assert_non_null(fx_find(d, "签订日期：2024年"));
    doc_free(d);
}

static void test_heading_levels(void **state)
{
    doc *d = parse_text(
        "<text:h text:outline-level=\"1\">Chapter</text:h>"
        "<text:p>Body</text:p>"
        "<text:h text:outline-level=\"3\">Section <text:span>three</text:span></text:h>"
        "<text:list><text:list-item><text:p>Listed</text:p></text:list-item></text:list>"
        "<text:section text:name=\"s\"><text:p>In a section</text:p></text:section>");
    const doc_block *b;

    (void)state;
    b = fx_find(d, "Chapter");
    assert_non_null(b);
    assert_int_equal(b->kind, DOC_BLOCK_HEADING);
    assert_int_equal(b->level, 1);
    b = fx_find(d, "Section three");
    assert_non_null(b);
    assert_int_equal(b->kind, DOC_BLOCK_HEADING);
    assert_int_equal(b->level, 3);
    b = fx_find(d, "Body");
    assert_non_null(b);
    assert_int_equal(b->kind, DOC_BLOCK_PARAGRAPH);
    assert_non_null(fx_find(d, "Listed"));
    assert_non_null(fx_find(d, "In a section"));
    doc_free(d);
}

#define CELL(t) "<table:table-cell office:value-type=\"string\"><text:p>" t "</text:p></table:table-cell>"

static void test_tables(void **state)
{
    doc *d = parse_text(
        "<table:table table:name=\"T1\">"
        "<table:table-column table:number-columns-repeated=\"3\"/>"
        "<table:table-header-rows><table:table-row>" CELL("Hd")
        "<table:table-cell table:number-columns-repeated=\"2\"/></table:table-row>"
        "</table:table-header-rows>"
        "<table:table-row><table:table-cell table:number-columns-repeated=\"2\"/>" CELL("X")
        "</table:table-row>"
        "<table:table-row><table:table-cell table:number-columns-spanned=\"2\""
        " table:number-rows-spanned=\"2\"><text:p>Span</text:p></table:table-cell>"
        "<table:covered-table-cell/>" CELL("Y") "</table:table-row>"
        "<table:table-row><table:covered-table-cell table:number-columns-repeated=\"2\"/>"
        "<table:table-cell><text:p>Z1</text:p><text:p>Z2</text:p></table:table-cell>"
        "</table:table-row>"
        "<table:table-row table:number-rows-repeated=\"2\">"
        "<table:table-cell table:number-columns-repeated=\"3\"/></table:table-row>"
        "<table:table-row>" CELL("W")
        "<table:table-cell><table:table table:name=\"Inner\"><table:table-row>"
        CELL("In1") CELL("In2") "</table:table-row></table:table></table:table-cell>"
        "<table:table-cell/></table:table-row>"
        "</table:table>"
        "<text:p>After</text:p>");
    const struct { const char *text; uint32_t row, col; } cells[] = {
        {"Hd", 0, 0}, {"X", 1, 2}, {"Span", 2, 0}, {"Y", 2, 2},
        {"Z1\nZ2", 3, 2}, {"W", 6, 0},
    };
    const doc_block *b;

    (void)state;
    for (size_t i = 0; i < EV_ARRAY_LEN(cells); i++) {
        b = fx_cell(d, 1, cells[i].row, cells[i].col);
        if (!b)
            fail_msg("no cell at row %u col %u", cells[i].row, cells[i].col);
        assert_string_equal(doc_block_text(d, b), cells[i].text);
        assert_int_equal(b->depth, 1);
    }
    /* Covered cells have no block of their own. */
    assert_null(fx_cell(d, 1, 2, 1));
    assert_null(fx_cell(d, 1, 3, 0));
    assert_null(fx_cell(d, 1, 3, 1));
    b = fx_find(d, "In2");
    assert_non_null(b);
    assert_int_equal(b->table, 2);
    assert_int_equal(b->depth, 2);
    assert_int_equal(b->col, 1);
    b = fx_find(d, "After");
    assert_non_null(b);
    assert_int_equal(b->kind, DOC_BLOCK_PARAGRAPH);
    assert_int_equal(b->depth, 0);
    doc_free(d);
}

static void test_master_page_header_footer(void **state)
{
    fx_odt s = {
        .text = "<text:p>Body text</text:p>",
        .master = "<style:master-page style:name=\"Standard\" style:page-layout-name=\"pm1\">"
                  "<style:header><text:p>ODT header</text:p></style:header>"
                  "<style:footer><text:p>ODT footer</text:p></style:footer>"
                  "</style:master-page>",
    };
    doc *d = parse_odt(&s);
    const doc_block *h = fx_find(d, "ODT header"), *f = fx_find(d, "ODT footer");

    (void)state;
    assert_non_null(h);
    assert_non_null(f);
    assert_ptr_equal(h, &d->blocks[0]);
    assert_int_equal(h->part, DOC_PART_HEADER);
    assert_ptr_equal(f, &d->blocks[d->nblocks - 1]);
    assert_int_equal(f->part, DOC_PART_FOOTER);
    assert_int_equal(fx_find(d, "Body text")->part, DOC_PART_BODY);
    doc_free(d);
}

static void test_tracked_changes_and_annotations(void **state)
{
    doc *d = parse_text(
        "<text:tracked-changes><text:changed-region text:id=\"ct1\"><text:deletion>"
        "<office:change-info><dc:creator>x</dc:creator><dc:date>2024-01-01T00:00:00</dc:date>"
        "</office:change-info><text:p>Deleted words</text:p></text:deletion>"
        "</text:changed-region></text:tracked-changes>"
        "<text:p>Kept <text:change text:change-id=\"ct1\"/>text</text:p>"
        "<text:p>Visible<office:annotation><dc:creator>Reviewer</dc:creator>"
        "<dc:date>2024-01-01T00:00:00</dc:date><text:p>Comment note</text:p>"
        "</office:annotation> words</text:p>");

    (void)state;
    assert_int_equal(fx_count(d, "Deleted words"), 0);
    assert_non_null(fx_find(d, "Kept text"));
    assert_true(d->warnings & DOC_WARN_TRACKED_CHANGES);
    assert_non_null(fx_find(d, "Visible words"));
    assert_int_equal(fx_count(d, "Comment note"), 0);
    assert_int_equal(fx_count(d, "Reviewer"), 0);
    doc_free(d);
}

static void test_notes(void **state)
{
    doc *d = parse_text(
        "<text:p>Claim<text:note text:id=\"ftn1\" text:note-class=\"footnote\">"
        "<text:note-citation>1</text:note-citation><text:note-body>"
        "<text:p>ODT footnote</text:p></text:note-body></text:note> stands.</text:p>"
        "<text:p>Last body paragraph</text:p>");
    const doc_block *n = fx_find(d, "ODT footnote");

    (void)state;
    assert_non_null(n);
    assert_int_equal(n->part, DOC_PART_NOTE);
    assert_non_null(fx_find_sub(d, "Claim"));
    assert_null(strstr(doc_block_text(d, fx_find_sub(d, "Claim")), "ODT footnote"));
    assert_true(fx_find(d, "Last body paragraph") < n);
    doc_free(d);
}

#define META \
    "<meta:generator>LibreOffice/7.4.7.2$Linux_X86_64</meta:generator>" \
    "<dc:title>ODT 标题</dc:title><dc:subject>Subject</dc:subject>" \
    "<dc:description>Desc</dc:description><meta:keyword>k1</meta:keyword>" \
    "<meta:initial-creator>王五</meta:initial-creator><dc:creator>赵六</dc:creator>" \
    "<meta:creation-date>2024-02-03T10:00:00</meta:creation-date>" \
    "<dc:date>2024-02-04T11:00:00.123</dc:date><meta:editing-cycles>3</meta:editing-cycles>"

static void check_meta(const doc *d)
{
    assert_string_equal(d->meta.title, "ODT 标题");
    assert_string_equal(d->meta.subject, "Subject");
    assert_string_equal(d->meta.description, "Desc");
    assert_string_equal(d->meta.keywords, "k1");
    /* ODF's dc:creator is whoever saved last; the author is initial-creator. */
    assert_string_equal(d->meta.creator, "王五");
    assert_string_equal(d->meta.last_modified_by, "赵六");
    assert_string_equal(d->meta.created, "2024-02-03T10:00:00");
    assert_string_equal(d->meta.modified, "2024-02-04T11:00:00.123");
    assert_string_equal(d->meta.revision, "3");
    assert_string_equal(d->meta.application, "LibreOffice/7.4.7.2$Linux_X86_64");
}

static void test_meta(void **state)
{
    fx_odt s = {.text = "<text:p>x</text:p>", .meta = META};
    doc *d = parse_odt(&s);

    (void)state;
    check_meta(d);
    assert_int_equal(fx_count(d, "王五"), 0);
    doc_free(d);
}

static void test_flat_odt(void **state)
{
    fx_odt s = {
        .text = "<text:h text:outline-level=\"2\">Flat heading</text:h>"
                "<text:p>Flat  body</text:p>",
        .master = "<style:master-page style:name=\"Standard\">"
                  "<style:footer><text:p>Flat footer</text:p></style:footer></style:master-page>",
        .meta = META,
    };
    size_t len;
    char *x = fx_fodt_build(&s, &len);
    doc *d = NULL;
    ev_error err;
    const doc_block *b;

    (void)state;
    assert_int_equal(fx_parse(x, len, NULL, &d, &err), EV_OK);
    assert_int_equal(d->format, DOC_FORMAT_FODT);
    assert_string_equal(doc_format_name(d->format), "odt");
    b = fx_find(d, "Flat heading");
    assert_non_null(b);
    assert_int_equal(b->kind, DOC_BLOCK_HEADING);
    assert_int_equal(b->level, 2);
    assert_non_null(fx_find(d, "Flat body"));
    b = fx_find(d, "Flat footer");
    assert_non_null(b);
    assert_int_equal(b->part, DOC_PART_FOOTER);
    check_meta(d);
    doc_free(d);
    free(x);
}

static void test_odt_language_and_text(void **state)
{
    doc *d = parse_text(
        "<text:h text:outline-level=\"1\">范围</text:h>"
        "<text:p>本制度适用于公司全体员工。</text:p>"
        "<table:table><table:table-row>" CELL("甲") CELL("乙") "</table:table-row></table:table>");
    ev_buf out = {0};

    (void)state;
    assert_string_equal(doc_language(d), "zh");
    doc_write_text(d, &out);
    assert_string_equal(out.data, "范围\n本制度适用于公司全体员工。\n甲\t乙\n");
    ev_buf_free(&out);
    doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_white_space_rules),
        cmocka_unit_test(test_heading_levels),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_master_page_header_footer),
        cmocka_unit_test(test_tracked_changes_and_annotations),
        cmocka_unit_test(test_notes),
        cmocka_unit_test(test_meta),
        cmocka_unit_test(test_flat_odt),
        cmocka_unit_test(test_odt_language_and_text),
    };
    doc_init();
    fx_on_broken(broken);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
