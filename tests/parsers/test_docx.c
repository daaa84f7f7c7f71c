/* test_docx.c: what doc_parse() reads out of WordprocessingML, part by part,
 * from documents written as XML strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "fixture.h"

#define P(text) "<w:p><w:r><w:t xml:space=\"preserve\">" text "</w:t></w:r></w:p>"
#define STYLED(style, text) \
    "<w:p><w:pPr><w:pStyle w:val=\"" style "\"/></w:pPr><w:r><w:t>" text "</w:t></w:r></w:p>"
#define TC(inner) "<w:tc>" inner "</w:tc>"

static void broken(const char *why)
{
    fail_msg("doc.h broken: %s", why);
}

static doc *parse_spec(const fx_docx *s)
{
    size_t len;
    unsigned char *z = fx_docx_build(s, &len);
    doc *d = NULL;
    ev_error err;
    ev_code rc = fx_parse(z, len, NULL, &d, &err);

    free(z);
    if (rc != EV_OK)
        fail_msg("doc_parse: %s: %s", ev_code_name(rc), err.message);
    assert_int_equal(d->format, DOC_FORMAT_DOCX);
    return d;
}

static doc *parse_body(const char *body)
{
    fx_docx s = {.body = body};
    return parse_spec(&s);
}

static size_t block_index(const doc *d, const doc_block *b)
{
    assert_non_null(b);
    return (size_t)(b - d->blocks);
}

static void test_split_runs_join(void **state)
{
    doc *d = parse_body(
        "<w:p><w:r><w:t>签订</w:t></w:r><w:proofErr w:type=\"spellStart\"/>"
        "<w:r><w:rPr><w:b/></w:rPr><w:t>日</w:t></w:r>"
        "<w:bookmarkStart w:id=\"0\" w:name=\"d\"/><w:bookmarkEnd w:id=\"0\"/>"
        "<w:r><w:t xml:space=\"preserve\">期：2024年1月1日</w:t></w:r></w:p>"
        "<w:p><w:hyperlink r:id=\"rId9\"><w:r><w:t>see </w:t></w:r></w:hyperlink>"
        "<w:smartTag w:uri=\"u\" w:element=\"e\"><w:r><w:t>also</w:t></w:r></w:smartTag>"
        "<w:sdt><w:sdtContent><w:r><w:t> this</w:t></w:r></w:sdtContent></w:sdt></w:p>");
    const doc_block *b = fx_find(d, "签订日期：2024年1月1日");

    (void)state;
    assert_non_null(b);
    assert_int_equal(b->kind, DOC_BLOCK_PARAGRAPH);
    assert_int_equal(b->part, DOC_PART_BODY);
    assert_int_equal(b->depth, 0);
    assert_int_equal(d->nblocks, 2);
    assert_string_equal(doc_block_text(d, &d->blocks[1]), "see also this");
    /* 14 characters in the first block, 13 in the second. */
    assert_int_equal(d->text_chars, 14 + 13);
    doc_free(d);
}

static void test_tables_spans_and_merges(void **state)
{
    doc *d = parse_body(
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
        "<w:tr>" TC(P("A"))
        "<w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr>" P("B") "</w:tc>"
        TC(P("C")) "</w:tr>"
        "<w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>" TC(P("D"))
        "<w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr>" P("E") "</w:tc>"
        TC(P("F1") P("F2")) "</w:tr>"
        "<w:tr>" TC(P("G"))
        TC(P("H")
           "<w:tbl><w:tr>" TC(P("N1")) TC(P("N2")) "</w:tr></w:tbl>")
        "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"
        TC(P("I")) "</w:tr></w:tbl>"
        P("After")
        "<w:tbl><w:tr>" TC(P("T3")) "</w:tr></w:tbl>");
    const struct { const char *text; uint32_t row, col; } cells[] = {
        {"A", 0, 0}, {"B", 0, 1}, {"C", 0, 3},
        {"D", 1, 1}, {"E", 1, 2}, {"F1\nF2", 1, 3},
        {"G", 2, 0}, {"I", 2, 3},
    };
    const doc_block *b;

    (void)state;
    for (size_t i = 0; i < EV_ARRAY_LEN(cells); i++) {
        b = fx_cell(d, 1, cells[i].row, cells[i].col);
        if (!b)
            fail_msg("no cell at row %u col %u", cells[i].row, cells[i].col);
        assert_string_equal(doc_block_text(d, b), cells[i].text);
        assert_int_equal(b->kind, DOC_BLOCK_CELL);
        assert_int_equal(b->depth, 1);
        assert_int_equal(b->part, DOC_PART_BODY);
    }
    /* The cell holding the nested table keeps its own text only. */
    b = fx_cell(d, 1, 2, 1);
    assert_non_null(b);
    assert_int_equal(strncmp(doc_block_text(d, b), "H", 1), 0);
    assert_null(strstr(doc_block_text(d, b), "N1"));
    /* The vMerge continuation below E has no block of its own. */
    assert_null(fx_cell(d, 1, 2, 2));

    b = fx_find(d, "N1");
    assert_non_null(b);
    assert_int_equal(b->table, 2);
    assert_int_equal(b->depth, 2);
    assert_int_equal(b->row, 0);
    assert_int_equal(b->col, 0);
    b = fx_find(d, "N2");
    assert_non_null(b);
    assert_int_equal(b->table, 2);
    assert_int_equal(b->col, 1);

    b = fx_find(d, "After");
    assert_non_null(b);
    assert_int_equal(b->kind, DOC_BLOCK_PARAGRAPH);
    assert_int_equal(b->depth, 0);
    b = fx_find(d, "T3");
    assert_non_null(b);
    assert_int_equal(b->table, 3);
    assert_int_equal(b->depth, 1);
    assert_true(block_index(d, fx_find(d, "After")) < block_index(d, b));
    assert_true(block_index(d, fx_find(d, "A")) < block_index(d, fx_find(d, "G")));
    doc_free(d);
}

static void test_headers_notes_footers_order(void **state)
{
    fx_docx s = {
        .body = "<w:p><w:r><w:t>Body text</w:t></w:r>"
                "<w:r><w:footnoteReference w:id=\"1\"/></w:r>"
                "<w:r><w:endnoteReference w:id=\"1\"/></w:r></w:p>",
        .header = FX_XML_DECL "<w:hdr" FX_W_NS ">" P("Header text")
                  "<w:tbl><w:tr>" TC(P("HdrCell")) "</w:tr></w:tbl></w:hdr>",
        .footer = FX_XML_DECL "<w:ftr" FX_W_NS ">" P("Footer text") "</w:ftr>",
        .footnotes = FX_XML_DECL "<w:footnotes" FX_W_NS ">"
            "<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>"
            "<w:footnote w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
            "<w:footnote w:id=\"1\"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space=\"preserve\"> Footnote text</w:t></w:r></w:p></w:footnote>"
            "</w:footnotes>",
        .endnotes = FX_XML_DECL "<w:endnotes" FX_W_NS ">"
            "<w:endnote w:id=\"1\"><w:p><w:r><w:t>Endnote text</w:t></w:r></w:p></w:endnote>"
            "</w:endnotes>",
    };
    doc *d = parse_spec(&s);
    const doc_block *hdr, *cell, *body, *fn, *en, *ftr;

    (void)state;
    hdr = fx_find(d, "Header text");
    cell = fx_find(d, "HdrCell");
    body = fx_find_sub(d, "Body text");
    fn = fx_find_sub(d, "Footnote text");
    en = fx_find_sub(d, "Endnote text");
    ftr = fx_find(d, "Footer text");
    assert_non_null(hdr);
    assert_non_null(cell);
    assert_non_null(body);
    assert_non_null(fn);
    assert_non_null(en);
    assert_non_null(ftr);
    assert_ptr_equal(hdr, &d->blocks[0]);
    assert_int_equal(hdr->part, DOC_PART_HEADER);
    assert_int_equal(cell->part, DOC_PART_HEADER);
    assert_int_equal(cell->kind, DOC_BLOCK_CELL);
    assert_int_equal(body->part, DOC_PART_BODY);
    assert_int_equal(fn->part, DOC_PART_NOTE);
    assert_int_equal(en->part, DOC_PART_NOTE);
    assert_int_equal(ftr->part, DOC_PART_FOOTER);
    assert_true(hdr < cell && cell < body && body < fn && fn < ftr && en < ftr);
    assert_int_equal(fx_count(d, "Footer text"), 1);
    assert_int_equal(fx_count(d, "Header text"), 1);
    assert_int_equal(d->warnings, 0);
    doc_free(d);
}

static void test_missing_header_part_warns(void **state)
{
    fx_docx s = {.body = P("Body")};
    fx_zip *z = fx_docx_zip(&s);
    unsigned char *bytes;
    size_t len;
    doc *d = NULL;
    ev_error err;

    (void)state;
    /* A relationship to a header that is not in the archive. */
    fx_zip_add_str(z, "word/_rels/document.xml.rels", FX_XML_DECL
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rIdHeader\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header9.xml\"/>"
        "</Relationships>");
    fx_zip_add_str(z, "word/document.xml", FX_XML_DECL "<w:document" FX_W_NS "><w:body>"
        P("Body") "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/></w:sectPr>"
        "</w:body></w:document>");
    bytes = fx_zip_finish(z, &len);
    assert_int_equal(fx_parse(bytes, len, NULL, &d, &err), EV_OK);
    assert_non_null(fx_find(d, "Body"));
    assert_true(d->warnings & DOC_WARN_MISSING_PART);
    doc_free(d);
    free(bytes);
}

static void test_tracked_changes(void **state)
{
    doc *d = parse_body(
        "<w:p><w:r><w:t xml:space=\"preserve\">Keep </w:t></w:r>"
        "<w:del w:id=\"1\" w:author=\"x\" w:date=\"2024-01-01T00:00:00Z\">"
        "<w:r><w:delText xml:space=\"preserve\">Removed </w:delText></w:r></w:del>"
        "<w:ins w:id=\"2\" w:author=\"x\" w:date=\"2024-01-01T00:00:00Z\">"
        "<w:r><w:t>Added</w:t></w:r></w:ins></w:p>");

    (void)state;
    assert_non_null(fx_find(d, "Keep Added"));
    assert_int_equal(fx_count(d, "Removed"), 0);
    assert_true(d->warnings & DOC_WARN_TRACKED_CHANGES);
    doc_free(d);
}

static void test_field_codes(void **state)
{
    doc *d = parse_body(
        "<w:p><w:r><w:t xml:space=\"preserve\">Page </w:t></w:r>"
        "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
        "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
        "<w:r><w:t>7</w:t></w:r>"
        "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
        "<w:r><w:t xml:space=\"preserve\"> of </w:t></w:r>"
        "<w:fldSimple w:instr=\" NUMPAGES \"><w:r><w:t>9</w:t></w:r></w:fldSimple></w:p>"
        /* A field whose instruction holds a nested field. */
        "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
        "<w:r><w:instrText xml:space=\"preserve\"> HYPERLINK \"</w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
        "<w:r><w:instrText> REF target </w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
        "<w:r><w:t>inner</w:t></w:r>"
        "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
        "<w:r><w:instrText>\" </w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
        "<w:r><w:t>click here</w:t></w:r>"
        "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>");

    (void)state;
    assert_non_null(fx_find(d, "Page 7 of 9"));
    assert_non_null(fx_find(d, "click here"));
    assert_int_equal(fx_count(d, "PAGE"), 0);
    assert_int_equal(fx_count(d, "HYPERLINK"), 0);
    assert_int_equal(fx_count(d, "REF"), 0);
    doc_free(d);
}

static void test_alternate_content_once(void **state)
{
    doc *d = parse_body(
        "<w:p><w:r><w:t xml:space=\"preserve\">Before </w:t></w:r><w:r>"
        "<mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor>"
        "<a:graphic><a:graphicData uri=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\">"
        "<wps:wsp><wps:txbx><w:txbxContent>" P("Boxed choice text") "</w:txbxContent>"
        "</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>" P("Boxed fallback text")
        "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
        "<w:p><w:r><w:pict><v:shape><v:textbox><w:txbxContent>" P("VML only box")
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>");

    (void)state;
    assert_int_equal(fx_count(d, "Boxed choice text"), 1);
    assert_int_equal(fx_count(d, "Boxed fallback text"), 0);
    assert_int_equal(fx_count(d, "VML only box"), 1);
    assert_int_equal(fx_count(d, "Before"), 1);
    doc_free(d);
}

static void test_symbols_stay_valid_text(void **state)
{
    doc *d = parse_body(
        "<w:p><w:r><w:t>A</w:t><w:sym w:font=\"Wingdings\" w:char=\"F0FC\"/><w:t>B</w:t></w:r></w:p>"
        /* Values no font maps to a character: NUL, a surrogate, past
         * U+10FFFF, not hex. The text around them must stay whole. */
        "<w:p><w:r><w:t>C</w:t><w:sym w:font=\"Symbol\" w:char=\"F000\"/><w:t>D</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>E</w:t><w:sym w:font=\"Symbol\" w:char=\"D800\"/><w:t>F</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>G</w:t><w:sym w:font=\"Symbol\" w:char=\"110000\"/><w:t>H</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>I</w:t><w:sym w:font=\"Symbol\" w:char=\"zz\"/><w:t>J</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>K</w:t><w:sym w:font=\"Symbol\" w:char=\"FFFFFFFFFFFFFFFFFFFF\"/><w:t>L</w:t></w:r></w:p>");
    const char *pairs[] = {"AB", "CD", "EF", "GH", "IJ", "KL"};

    (void)state;
    /* fx_parse has checked every block is NUL-free, valid UTF-8. */
    assert_int_equal(d->nblocks, EV_ARRAY_LEN(pairs));
    for (size_t i = 0; i < EV_ARRAY_LEN(pairs); i++) {
        const char *t = doc_block_text(d, &d->blocks[i]);
        size_t n = d->blocks[i].len;
        assert_true(n >= 2);
        assert_int_equal(t[0], pairs[i][0]);
        assert_int_equal(t[n - 1], pairs[i][1]);
    }
    doc_free(d);
}

static void test_tabs_and_breaks(void **state)
{
    doc *d = parse_body(
        "<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:cr/>"
        "<w:t>d</w:t><w:noBreakHyphen/><w:t>e</w:t></w:r></w:p>"
        /* Tab stops in paragraph properties are not tabs in the text. */
        "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>"
        "<w:r><w:t>f</w:t></w:r></w:p>");

    (void)state;
    assert_non_null(fx_find(d, "a\tb\nc\nd-e"));
    assert_non_null(fx_find(d, "f"));
    doc_free(d);
}

#define STYLE(id, name, extra) \
    "<w:style w:type=\"paragraph\" w:styleId=\"" id "\"><w:name w:val=\"" name "\"/>" extra "</w:style>"

static void test_heading_levels_from_styles(void **state)
{
    fx_docx s = {
        .styles = FX_XML_DECL "<w:styles" FX_W_NS ">"
            "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>"
            STYLE("Heading1", "heading 1", "<w:basedOn w:val=\"Normal\"/><w:pPr><w:outlineLvl w:val=\"0\"/></w:pPr>")
            STYLE("berschrift2", "heading 2", "<w:basedOn w:val=\"Normal\"/>")
            STYLE("MyOutline", "Custom Outline", "<w:pPr><w:outlineLvl w:val=\"2\"/></w:pPr>")
            STYLE("Derived", "Derived Outline", "<w:basedOn w:val=\"MyOutline\"/>")
            STYLE("BodyLevel", "Body Level", "<w:pPr><w:outlineLvl w:val=\"9\"/></w:pPr>")
            STYLE("Title", "Title", "<w:basedOn w:val=\"Normal\"/>")
            "<w:style w:type=\"character\" w:styleId=\"Heading1Char\"><w:name w:val=\"Heading 1 Char\"/></w:style>"
            "</w:styles>",
        .body = STYLED("Title", "The title")
                STYLED("Heading1", "One")
                STYLED("berschrift2", "Two")
                STYLED("MyOutline", "Three")
                STYLED("Derived", "Three again")
                STYLED("BodyLevel", "Body level")
                STYLED("Normal", "Plain")
                P("No style"),
    };
    doc *d = parse_spec(&s);
    const struct { const char *text; int level; } want[] = {
        {"The title", 0}, {"One", 1}, {"Two", 2}, {"Three", 3},
        {"Three again", 3}, {"Body level", -1}, {"Plain", -1}, {"No style", -1},
    };

    (void)state;
    for (size_t i = 0; i < EV_ARRAY_LEN(want); i++) {
        const doc_block *b = fx_find(d, want[i].text);
        if (!b)
            fail_msg("no block \"%s\"", want[i].text);
        if (want[i].level < 0) {
            assert_int_equal(b->kind, DOC_BLOCK_PARAGRAPH);
        } else {
            if (b->kind != DOC_BLOCK_HEADING)
                fail_msg("\"%s\" is not a heading", want[i].text);
            assert_int_equal(b->level, want[i].level);
        }
    }
    doc_free(d);
}

/* Paragraphs name styles the package does not define (no styles part):
 * they stay paragraphs with their text (found by the fuzzer: the style
 * lookup searched an empty table through a NULL pointer). */
static void test_styles_missing(void **state)
{
    doc *d = parse_body(STYLED("Heading1", "Orphan style") STYLED("X", "Other"));

    (void)state;
    assert_non_null(fx_find(d, "Orphan style"));
    assert_non_null(fx_find(d, "Other"));
    doc_free(d);
}

static void test_metadata(void **state)
{
    fx_docx s = {
        .body = P("x"),
        .core = FX_XML_DECL
            "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\""
            " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\""
            " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
            "<dc:title>信息安全管理制度</dc:title><dc:subject>ISMS</dc:subject>"
            "<dc:creator>张三</dc:creator><cp:keywords>CCRC, 三级</cp:keywords>"
            "<dc:description>Policy set</dc:description><cp:lastModifiedBy>李四</cp:lastModifiedBy>"
            "<cp:revision>7</cp:revision>"
            "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2024-03-01T08:00:00Z</dcterms:created>"
            "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">2024-05-02T09:30:00Z</dcterms:modified>"
            "</cp:coreProperties>",
        .app = FX_XML_DECL
            "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
            "<Template>Normal.dotm</Template><Application>Microsoft Office Word</Application>"
            "<Company>示例科技有限公司</Company></Properties>",
    };
    doc *d = parse_spec(&s);

    (void)state;
    assert_string_equal(d->meta.title, "信息安全管理制度");
    assert_string_equal(d->meta.subject, "ISMS");
    assert_string_equal(d->meta.creator, "张三");
    assert_string_equal(d->meta.keywords, "CCRC, 三级");
    assert_string_equal(d->meta.description, "Policy set");
    assert_string_equal(d->meta.last_modified_by, "李四");
    assert_string_equal(d->meta.revision, "7");
    assert_string_equal(d->meta.created, "2024-03-01T08:00:00Z");
    assert_string_equal(d->meta.modified, "2024-05-02T09:30:00Z");
    assert_string_equal(d->meta.template_name, "Normal.dotm");
    assert_string_equal(d->meta.application, "Microsoft Office Word");
    assert_string_equal(d->meta.company, "示例科技有限公司");
    assert_null(fx_find_sub(d, "信息安全管理制度"));  /* metadata is not body text */
    doc_free(d);

    s.core = NULL;
    s.app = NULL;
    d = parse_spec(&s);
    assert_null(d->meta.title);
    assert_null(d->meta.creator);
    assert_null(d->meta.company);
    doc_free(d);
}

/* The officeDocument relationship names the main part; its own
 * relationships (here: a header) are read next to it. */
static void test_main_part_from_package_rels(void **state)
{
    fx_zip *z = fx_zip_new();
    unsigned char *bytes;
    size_t len;
    doc *d = NULL;
    ev_error err;
    const doc_block *b;

    (void)state;
    fx_zip_add_str(z, "[Content_Types].xml", FX_XML_DECL
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        "<Override PartName=\"/content/main.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
        "</Types>");
    fx_zip_add_str(z, "_rels/.rels", FX_XML_DECL
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"/content/main.xml\"/>"
        "</Relationships>");
    fx_zip_add_str(z, "content/_rels/main.xml.rels", FX_XML_DECL
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rIdH\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"parts/head.xml\"/>"
        "</Relationships>");
    fx_zip_add_str(z, "content/parts/head.xml", FX_XML_DECL "<w:hdr" FX_W_NS ">"
        P("Relative header") "</w:hdr>");
    fx_zip_add_str(z, "content/main.xml", FX_XML_DECL "<w:document" FX_W_NS "><w:body>"
        P("Main part text") "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdH\"/></w:sectPr>"
        "</w:body></w:document>");
    bytes = fx_zip_finish(z, &len);
    assert_int_equal(fx_parse(bytes, len, NULL, &d, &err), EV_OK);
    assert_non_null(fx_find(d, "Main part text"));
    b = fx_find(d, "Relative header");
    assert_non_null(b);
    assert_int_equal(b->part, DOC_PART_HEADER);
    doc_free(d);
    free(bytes);
}

static void test_comments_and_macros_warn(void **state)
{
    fx_docx s = {.body =
        "<w:p><w:commentRangeStart w:id=\"0\"/><w:r><w:t>Reviewed</w:t></w:r>"
        "<w:commentRangeEnd w:id=\"0\"/><w:r><w:commentReference w:id=\"0\"/></w:r></w:p>"};
    fx_zip *z = fx_docx_zip(&s);
    unsigned char *bytes;
    size_t len;
    doc *d = NULL;
    ev_error err;

    (void)state;
    fx_zip_add_str(z, "word/comments.xml", FX_XML_DECL "<w:comments" FX_W_NS ">"
        "<w:comment w:id=\"0\" w:author=\"r\"><w:p><w:r><w:t>Reviewer remark</w:t></w:r></w:p></w:comment>"
        "</w:comments>");
    fx_zip_add_str(z, "word/_rels/document.xml.rels", FX_XML_DECL
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rIdC\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments\" Target=\"comments.xml\"/>"
        "<Relationship Id=\"rIdV\" Type=\"http://schemas.microsoft.com/office/2006/relationships/vbaProject\" Target=\"vbaProject.bin\"/>"
        "</Relationships>");
    fx_zip_add(z, "word/vbaProject.bin", "\xd0\xcf\x11\xe0", 4, 1);
    bytes = fx_zip_finish(z, &len);
    assert_int_equal(fx_parse(bytes, len, NULL, &d, &err), EV_OK);
    assert_non_null(fx_find(d, "Reviewed"));
    assert_int_equal(fx_count(d, "Reviewer remark"), 0);
    assert_true(d->warnings & DOC_WARN_COMMENTS);
    assert_true(d->warnings & DOC_WARN_MACROS);
    doc_free(d);
    free(bytes);
}

/* Some converters (pandoc) always write a comments part, empty: no comment
 * is anchored in the text, so nothing was left out. */
static void test_empty_comments_part_is_no_comment(void **state)
{
    fx_docx s = {.body = "<w:p><w:r><w:t>Plain</w:t></w:r></w:p>"};
    fx_zip *z = fx_docx_zip(&s);
    unsigned char *bytes;
    size_t len;
    doc *d = NULL;
    ev_error err;

    (void)state;
    fx_zip_add_str(z, "word/comments.xml", FX_XML_DECL "<w:comments" FX_W_NS "/>");
    fx_zip_add_str(z, "word/_rels/document.xml.rels", FX_XML_DECL
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rIdC\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments\" Target=\"comments.xml\"/>"
        "</Relationships>");
    bytes = fx_zip_finish(z, &len);
    assert_int_equal(fx_parse(bytes, len, NULL, &d, &err), EV_OK);
    assert_false(d->warnings & DOC_WARN_COMMENTS);
    doc_free(d);
    free(bytes);
}

static void test_write_text(void **state)
{
    fx_docx s = {
        .styles = FX_XML_DECL "<w:styles" FX_W_NS ">"
            STYLE("Heading1", "heading 1", "") "</w:styles>",
        .body = STYLED("Heading1", "Scope") P("Para")
                "<w:tbl><w:tr>" TC(P("A")) TC(P("B")) "</w:tr>"
                "<w:tr>" TC(P("c1") P("c2")) TC(P("D")) "</w:tr></w:tbl>"
                P("After"),
    };
    doc *d = parse_spec(&s);
    ev_buf out = {0};

    (void)state;
    ev_buf_puts(&out, "prefix|");
    doc_write_text(d, &out);
    assert_string_equal(out.data, "prefix|Scope\nPara\nA\tB\nc1 c2\tD\nAfter\n");
    ev_buf_free(&out);
    doc_free(d);
}

static const char *language_of(const char *body)
{
    doc *d = parse_body(body);
    const char *lang = doc_language(d);

    doc_free(d);
    return lang;
}

static void test_language(void **state)
{
    const char *lang;

    (void)state;
    assert_string_equal(language_of(P("信息安全服务资质认证管理制度")), "zh");
    assert_string_equal(language_of(P("Information security policy")), "en");
    /* Ten Han characters outweigh one Latin word. */
    assert_string_equal(language_of(P("ISO 27001 信息安全管理体系认证")), "zh");
    /* Two Han characters do not outweigh six words. */
    assert_string_equal(language_of(P("This policy applies to all staff 员工")), "en");
    /* Nothing to weigh: doc.h says NULL, and the classifier decides. */
    lang = language_of(P("2024-01-01 12345"));
    assert_null(lang);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_runs_join),
        cmocka_unit_test(test_tables_spans_and_merges),
        cmocka_unit_test(test_headers_notes_footers_order),
        cmocka_unit_test(test_missing_header_part_warns),
        cmocka_unit_test(test_tracked_changes),
        cmocka_unit_test(test_field_codes),
        cmocka_unit_test(test_alternate_content_once),
        cmocka_unit_test(test_symbols_stay_valid_text),
        cmocka_unit_test(test_tabs_and_breaks),
        cmocka_unit_test(test_heading_levels_from_styles),
        cmocka_unit_test(test_styles_missing),
        cmocka_unit_test(test_metadata),
        cmocka_unit_test(test_main_part_from_package_rels),
        cmocka_unit_test(test_comments_and_macros_warn),
        cmocka_unit_test(test_empty_comments_part_is_no_comment),
        cmocka_unit_test(test_write_text),
        cmocka_unit_test(test_language),
    };
    doc_init();
    fx_on_broken(broken);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
