/* test_hostile.c: hostile and broken inputs are refused with the right code,
 * quickly, without crashing or leaking (run under ASan/UBSan). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "fixture.h"

#define CT_MIN FX_XML_DECL \
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" \
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>" \
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>" \
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>" \
    "</Types>"
#define RELS_MIN FX_XML_DECL \
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" \
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>" \
    "</Relationships>"
#define DOC_HEAD FX_XML_DECL "<w:document" FX_W_NS "><w:body>"
#define DOC_TAIL "</w:body></w:document>"
#define HELLO_BODY "<w:p><w:r><w:t>Hello</w:t></w:r></w:p>"

static void broken(const char *why)
{
    fail_msg("doc.h broken: %s", why);
}

/* Parse and require rejection with `want`; returns the error for more checks. */
static ev_error expect_code(const void *data, size_t len, const doc_limits *lim,
                            ev_code want)
{
    doc *d = NULL;
    ev_error err;
    ev_code rc = fx_parse(data, len, lim, &d, &err);

    if (rc != want)
        print_error("want %s, got %s: %s\n", ev_code_name(want),
                    ev_code_name(rc), err.message);
    if (rc == EV_OK)
        doc_free(d);
    assert_int_equal(rc, want);
    assert_null(d);
    return err;
}

/* A DOCX whose word/document.xml is `xml` (a whole part). */
static unsigned char *docx_with_document(const char *xml, size_t *len)
{
    fx_docx s = {.document = xml};
    return fx_docx_build(&s, len);
}

static unsigned char *hello_docx(size_t *len)
{
    fx_docx s = {.body = HELLO_BODY};
    return fx_docx_build(&s, len);
}

static void test_valid_fixture_parses(void **state)
{
    size_t len;
    unsigned char *z = hello_docx(&len);
    doc *d = NULL;
    ev_error err;

    (void)state;
    assert_int_equal(fx_parse(z, len, NULL, &d, &err), EV_OK);
    assert_non_null(fx_find(d, "Hello"));
    doc_free(d);
    free(z);
}

/* word/document.xml inflating to 1 GiB of paragraphs, sizes declared truly
 * (ratio about 1000:1): refused before or while inflating, never read whole. */
static void test_zip_bomb_document(void **state)
{
    size_t blen, zlen;
    uint32_t crc;
    uint64_t usize;
    unsigned char *bomb = fx_deflate_repeat(DOC_HEAD,
        "<w:p><w:r><w:t>lol lol lol lol lol</w:t></w:r></w:p>",
        (uint64_t)1 << 30, DOC_TAIL, &blen, &crc, &usize);
    fx_raw_entry e[3] = {fx_raw_stored("[Content_Types].xml", CT_MIN),
                         fx_raw_stored("_rels/.rels", RELS_MIN)};
    unsigned char *z;

    (void)state;
    e[2] = (fx_raw_entry){.name = "word/document.xml", .data = bomb,
                          .data_len = blen, .method = 8, .crc = crc,
                          .usize = usize};
    assert_true(usize >= (uint64_t)1 << 30);
    print_message("bomb: %zu compressed bytes for %llu\n", blen,
                  (unsigned long long)usize);
    z = fx_raw_zip(e, 3, &zlen);
    expect_code(z, zlen, NULL, EV_EZIPBOMB);

    /* The same stream declared as 4 KiB: the inflater, not the directory,
     * must notice; either as a bomb or as a lie about the size. */
    free(z);
    e[2].usize = 4096;
    z = fx_raw_zip(e, 3, &zlen);
    {
        doc *d = NULL;
        ev_error err;
        ev_code rc = fx_parse(z, zlen, NULL, &d, &err);
        if (rc != EV_EZIPBOMB && rc != EV_EMALFORMED)
            fail_msg("lying bomb: %s: %s", ev_code_name(rc), err.message);
    }
    free(z);
    free(bomb);
}

/* The same for an ODT's content.xml behind a proper stored mimetype. */
static void test_zip_bomb_odt(void **state)
{
    size_t blen, zlen;
    uint32_t crc;
    uint64_t usize;
    unsigned char *bomb = fx_deflate_repeat(FX_XML_DECL
        "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""
        " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:text>",
        "<text:p>lol lol lol lol lol</text:p>", (uint64_t)1 << 30,
        "</office:text></office:body></office:document-content>",
        &blen, &crc, &usize);
    fx_raw_entry e[2] = {fx_raw_stored("mimetype", "application/vnd.oasis.opendocument.text")};
    unsigned char *z;

    (void)state;
    e[1] = (fx_raw_entry){.name = "content.xml", .data = bomb, .data_len = blen,
                          .method = 8, .crc = crc, .usize = usize};
    z = fx_raw_zip(e, 2, &zlen);
    expect_code(z, zlen, NULL, EV_EZIPBOMB);
    free(z);
    free(bomb);
}

/* A small valid document plus a 3 GiB image that is never read: the
 * declared sizes alone condemn the archive. */
static void test_zip_bomb_extra_entry(void **state)
{
    size_t blen, zlen;
    uint32_t crc;
    uint64_t usize;
    unsigned char *bomb = fx_deflate_repeat("", "\x89PNG\r\n\x1a\n", 3ull << 30,
                                            "", &blen, &crc, &usize);
    fx_raw_entry e[4] = {fx_raw_stored("[Content_Types].xml", CT_MIN),
                         fx_raw_stored("_rels/.rels", RELS_MIN),
                         fx_raw_stored("word/document.xml",
                                       DOC_HEAD HELLO_BODY DOC_TAIL)};
    unsigned char *z;

    (void)state;
    e[3] = (fx_raw_entry){.name = "word/media/image1.png", .data = bomb,
                          .data_len = blen, .method = 8, .crc = crc,
                          .usize = usize};
    assert_true(usize > 2ull << 30 && usize < 4ull << 30);
    z = fx_raw_zip(e, 4, &zlen);
    expect_code(z, zlen, NULL, EV_EZIPBOMB);
    free(z);
    free(bomb);
}

/* Two entries of one name: readers differ on which they take (libzip the
 * first, others the last), so the file shows different text to different
 * tools. Refused, whichever part it is and whatever the format; so are
 * names equal but for case, which Word reads as one part. */
static void test_duplicate_names(void **state)
{
    fx_raw_entry e[4] = {fx_raw_stored("[Content_Types].xml", CT_MIN),
                         fx_raw_stored("_rels/.rels", RELS_MIN),
                         fx_raw_stored("word/document.xml", DOC_HEAD HELLO_BODY DOC_TAIL),
                         fx_raw_stored("word/document.xml", DOC_HEAD
                                       "<w:p><w:r><w:t>Goodbye</w:t></w:r></w:p>" DOC_TAIL)};
    fx_raw_entry odt[3] = {fx_raw_stored("mimetype", "application/vnd.oasis.opendocument.text"),
                           fx_raw_stored("content.xml", "<a/>"),
                           fx_raw_stored("content.xml", "<b/>")};
    doc *d = NULL;
    ev_error err;
    size_t zlen;
    unsigned char *z;

    (void)state;
    /* The same archive with distinct names parses: the refusals below are
     * for the names alone. */
    e[3].name = "word/other.xml";
    z = fx_raw_zip(e, 4, &zlen);
    assert_int_equal(fx_parse(z, zlen, NULL, &d, &err), EV_OK);
    assert_non_null(fx_find(d, "Hello"));
    doc_free(d);
    free(z);

    e[3].name = "word/document.xml";
    z = fx_raw_zip(e, 4, &zlen);
    err = expect_code(z, zlen, NULL, EV_EMALFORMED);
    assert_non_null(strstr(err.message, "two entries named word/document.xml"));
    free(z);

    e[3].name = "Word/Document.XML";
    z = fx_raw_zip(e, 4, &zlen);
    err = expect_code(z, zlen, NULL, EV_EMALFORMED);
    assert_non_null(strstr(err.message, "Word/Document.XML"));
    free(z);

    /* A part nobody reads is no excuse: another tool may read it. */
    e[2].name = "customXml/item1.xml";
    e[3].name = "customXml/item1.xml";
    z = fx_raw_zip(e, 4, &zlen);
    expect_code(z, zlen, NULL, EV_EMALFORMED);
    free(z);

    z = fx_raw_zip(odt, 3, &zlen);
    err = expect_code(z, zlen, NULL, EV_EMALFORMED);
    assert_non_null(strstr(err.message, "two entries named content.xml"));
    free(z);
}

/* A document whose root element carries `n` more attributes (or namespace
 * declarations), each `name` and a number, then `value`. */
static char *many_attributes(const char *name, const char *value, size_t n)
{
    ev_buf b = {0};

    ev_buf_puts(&b, FX_XML_DECL "<w:document" FX_W_NS);
    for (size_t i = 0; i < n; i++)
        ev_buf_printf(&b, "%s%zu%s", name, i, value);
    ev_buf_puts(&b, "><w:body>" HELLO_BODY "</w:body></w:document>");
    return ev_buf_steal(&b);
}

/* libxml2 compares each attribute and namespace declaration of a start
 * tag with every earlier one: 300,000 on one element took 20 s, before
 * the reader handed us the element. They are counted on the bytes before
 * libxml2 reads them, so this is refused at once. */
static void test_attribute_limit(void **state)
{
    static const char *const names[] = {" xmlns:n", " w:a"};
    size_t len;
    unsigned char *z;
    char *xml;

    (void)state;
    for (size_t i = 0; i < EV_ARRAY_LEN(names); i++) {
        xml = many_attributes(names[i], "=\"urn:x\"", 300000);
        z = docx_with_document(xml, &len);
        ev_error why = expect_code(z, len, NULL, EV_ETOOLARGE);
        assert_non_null(strstr(why.message, "more than 256 attributes"));
        free(z);
        free(xml);
    }

    /* Each element under the bound, but nested: libxml2 looks every prefix
     * up through all the declarations in scope, 50 us an element below
     * 250 levels of 200. The open elements are bounded together. */
    {
        ev_buf nest = {0};

        ev_buf_puts(&nest, DOC_HEAD);
        for (size_t depth = 0; depth < 250; depth++) {
            ev_buf_puts(&nest, "<w:customXml");
            for (size_t i = 0; i < 200; i++)
                ev_buf_printf(&nest, " xmlns:n%zu_%zu=\"urn:x\"", depth, i);
            ev_buf_puts(&nest, ">");
        }
        for (size_t i = 0; i < 100000; i++)
            ev_buf_puts(&nest, "<w:p/>");
        for (size_t depth = 0; depth < 250; depth++)
            ev_buf_puts(&nest, "</w:customXml>");
        ev_buf_puts(&nest, DOC_TAIL);
        z = docx_with_document(nest.data, &len);
        ev_error why = expect_code(z, len, NULL, EV_ETOOLARGE);
        assert_non_null(strstr(why.message, "more than 1024 attributes and namespace "
                                            "declarations together"));
        free(z);
        ev_buf_free(&nest);
    }

    /* In a flat ODT, the whole buffer is counted before parsing. */
    {
        ev_buf text = {0};
        fx_odt odt;
        char *x;

        ev_buf_puts(&text, "<text:p");
        for (size_t i = 0; i < 300000; i++)
            ev_buf_printf(&text, " xmlns:n%zu=\"urn:x\"", i);
        ev_buf_puts(&text, ">many</text:p>");
        odt = (fx_odt){.text = text.data};
        x = fx_fodt_build(&odt, &len);
        expect_code(x, len, NULL, EV_ETOOLARGE);
        free(x);
        ev_buf_free(&text);
    }
}

/* The bound itself, and what the count leaves out: '=' and '>' inside
 * values, in comments, processing instructions, CDATA and text. */
static void test_attribute_limit_edges(void **state)
{
    doc_limits lim;
    doc *d = NULL;
    ev_error err;
    ev_code rc;
    size_t len;
    unsigned char *z;
    char *xml;

    (void)state;
    doc_limits_default(&lim);
    /* FX_W_NS makes 9 (8 declarations and mc:Ignorable): 4 more fit. */
    lim.max_attributes = 13;
    /* The open elements together: 4 times as many, 52. The root's 13 and
     * three more levels of 13 fit, a fourth does not; closed elements and
     * <empty/> ones leave the count. */
    z = docx_with_document(FX_XML_DECL "<w:document" FX_W_NS " w:a='1' w:b='2' w:c='3' w:d='4'>"
          "<w:body w:a='1' w:b='2' w:c='3' w:d='4' w:e='5' w:f='6' w:g='7' w:h='8' w:i='9'"
          " w:j='10' w:k='11' w:l='12' w:m='13'>"
          "<w:p w:a='1' w:b='2' w:c='3' w:d='4' w:e='5' w:f='6' w:g='7' w:h='8' w:i='9'"
          " w:j='10' w:k='11' w:l='12' w:m='13'/>"
          "<w:p w:a='1' w:b='2' w:c='3' w:d='4' w:e='5' w:f='6' w:g='7' w:h='8' w:i='9'"
          " w:j='10' w:k='11' w:l='12' w:m='13'></w:p>"
          "<w:p w:a='1' w:b='2' w:c='3' w:d='4' w:e='5' w:f='6' w:g='7' w:h='8' w:i='9'"
          " w:j='10' w:k='11' w:l='12' w:m='13'><w:r w:a='1' w:b='2' w:c='3' w:d='4' w:e='5'"
          " w:f='6' w:g='7' w:h='8' w:i='9' w:j='10' w:k='11' w:l='12' w:m='13'>"
          "<w:t>fits</w:t></w:r></w:p></w:body></w:document>", &len);
    rc = fx_parse(z, len, &lim, &d, &err);
    if (rc != EV_OK)
        print_error("%s: %s\n", ev_code_name(rc), err.message);
    assert_int_equal(rc, EV_OK);
    assert_non_null(fx_find(d, "fits"));
    doc_free(d);
    free(z);
    z = docx_with_document(FX_XML_DECL "<w:document" FX_W_NS " w:a='1' w:b='2' w:c='3' w:d='4'>"
          "<w:body w:a='1' w:b='2' w:c='3' w:d='4' w:e='5' w:f='6' w:g='7' w:h='8' w:i='9'"
          " w:j='10' w:k='11' w:l='12' w:m='13'>"
          "<w:p w:a='1' w:b='2' w:c='3' w:d='4' w:e='5' w:f='6' w:g='7' w:h='8' w:i='9'"
          " w:j='10' w:k='11' w:l='12' w:m='13'><w:r w:a='1' w:b='2' w:c='3' w:d='4' w:e='5'"
          " w:f='6' w:g='7' w:h='8' w:i='9' w:j='10' w:k='11' w:l='12' w:m='13'>"
          "<w:t w:a='1'>no</w:t></w:r></w:p></w:body></w:document>", &len);
    expect_code(z, len, &lim, EV_ETOOLARGE);
    free(z);

    xml = many_attributes(" w:a", "=\"a=b>c\" ", 4);
    z = docx_with_document(xml, &len);
    assert_int_equal(fx_parse(z, len, &lim, &d, &err), EV_OK);
    doc_free(d);
    free(z);
    free(xml);

    xml = many_attributes(" w:a", "='a=b'", 5);
    z = docx_with_document(xml, &len);
    expect_code(z, len, &lim, EV_ETOOLARGE);
    free(z);
    free(xml);

    /* Relationship elements have three (Id, Type, Target). */
    lim.max_attributes = 3;
    z = docx_with_document(FX_XML_DECL "<?pi a=1 b=2 c=3 d=4?><!-- a=1 b=2 c=3 d=4 -->"
          "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
          "<w:body><w:p><w:r><w:t>w=0 x=1 y=2 z=3 &gt; <![CDATA[<a b=1 c=2 d=3 e=4>]]>"
          "</w:t></w:r></w:p></w:body></w:document>", &len);
    rc = fx_parse(z, len, &lim, &d, &err);
    if (rc != EV_OK)
        print_error("%s: %s\n", ev_code_name(rc), err.message);
    assert_int_equal(rc, EV_OK);
    assert_non_null(fx_find_sub(d, "w=0 x=1 y=2 z=3 > <a b=1 c=2 d=3 e=4>"));
    doc_free(d);
    free(z);
}

/* One text run of 64 MiB: libxml2 stops at its own bound on a text node
 * (10,000,000 bytes without XML_PARSE_HUGE, which we never set). That is a
 * document too large, not a malformed one. The ratio limit is lifted so
 * that the run is not taken for a bomb first. */
static void test_huge_text_run(void **state)
{
    size_t blen, zlen;
    uint32_t crc;
    uint64_t usize;
    unsigned char *run = fx_deflate_repeat(DOC_HEAD "<w:p><w:r><w:t>", "abcdefgh", 64u << 20,
                                           "</w:t></w:r></w:p>" DOC_TAIL, &blen, &crc, &usize);
    fx_raw_entry e[3] = {fx_raw_stored("[Content_Types].xml", CT_MIN),
                         fx_raw_stored("_rels/.rels", RELS_MIN)};
    doc_limits lim;
    unsigned char *z;

    (void)state;
    e[2] = (fx_raw_entry){.name = "word/document.xml", .data = run, .data_len = blen,
                          .method = 8, .crc = crc, .usize = usize};
    z = fx_raw_zip(e, 3, &zlen);
    doc_limits_default(&lim);
    lim.max_ratio = 1u << 20;
    ev_error why = expect_code(z, zlen, &lim, EV_ETOOLARGE);
    assert_non_null(strstr(why.message, "over 10000000 bytes"));
    free(z);
    free(run);
}

static void test_billion_laughs(void **state)
{
    static const char xml[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE w:document [\n"
        " <!ENTITY lol \"lol\">\n"
        " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
        " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
        " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
        " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
        " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
        " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
        " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
        " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
        "]>\n"
        "<w:document" FX_W_NS "><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"
        "</w:body></w:document>";
    size_t len;
    unsigned char *z = docx_with_document(xml, &len);

    (void)state;
    expect_code(z, len, NULL, EV_EMALFORMED);
    free(z);
}

#define XXE_DTD "<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"

/* The error message must not carry the file's text either. */
static void expect_xxe_refused(const unsigned char *z, size_t len)
{
    ev_error err = expect_code(z, len, NULL, EV_EMALFORMED);
    assert_null(strstr(err.message, "root:"));
    assert_null(strstr(err.message, "/bin/"));
}

static void test_xxe_in_document(void **state)
{
    size_t len;
    unsigned char *z = docx_with_document(
        "<?xml version=\"1.0\"?>\n" XXE_DTD
        "<w:document" FX_W_NS "><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>"
        "</w:body></w:document>", &len);

    (void)state;
    expect_xxe_refused(z, len);
    free(z);
}

/* A DOCTYPE is refused in every part read, not only the main one. */
static void test_doctype_in_any_part(void **state)
{
    fx_docx styles = {.body = HELLO_BODY, .styles = "<?xml version=\"1.0\"?>\n"
        XXE_DTD "<w:styles" FX_W_NS "><w:style w:type=\"paragraph\" w:styleId=\"x\">"
        "<w:name w:val=\"&xxe;\"/></w:style></w:styles>"};
    fx_docx core = {.body = HELLO_BODY, .core = "<?xml version=\"1.0\"?>\n"
        XXE_DTD "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\""
        " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>&xxe;</dc:title>"
        "</cp:coreProperties>"};
    fx_docx header = {.body = HELLO_BODY, .header = "<?xml version=\"1.0\"?>\n"
        XXE_DTD "<w:hdr" FX_W_NS "><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:hdr>"};
    fx_odt odt = {.text = "<text:p>&xxe;</text:p>"};
    const fx_docx *docx[] = {&styles, &core, &header};
    size_t len;
    unsigned char *z;
    char *x, *fodt;

    (void)state;
    for (size_t i = 0; i < EV_ARRAY_LEN(docx); i++) {
        z = fx_docx_build(docx[i], &len);
        expect_xxe_refused(z, len);
        free(z);
    }

    /* ODT content.xml: rebuild the package with a DOCTYPE in content.xml. */
    x = fx_fodt_build(&odt, &len);
    fodt = ev_asprintf("<?xml version=\"1.0\"?>\n" XXE_DTD "%s",
                       strstr(x, "<office:document"));
    expect_xxe_refused((const unsigned char *)fodt, strlen(fodt));
    {
        fx_zip *zz = fx_zip_new();
        const char *mime = "application/vnd.oasis.opendocument.text";
        char *content = ev_asprintf("<?xml version=\"1.0\"?>\n" XXE_DTD
            "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""
            " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\">"
            "<office:body><office:text><text:p>&xxe;</text:p></office:text>"
            "</office:body></office:document-content>");
        fx_zip_add(zz, "mimetype", mime, strlen(mime), 0);
        fx_zip_add_str(zz, "content.xml", content);
        z = fx_zip_finish(zz, &len);
        expect_xxe_refused(z, len);
        free(z);
        free(content);
    }
    free(fodt);
    free(x);
}

static char *nested(const char *open, const char *close, size_t depth,
                    const char *inner)
{
    ev_buf b = {0};

    ev_buf_puts(&b, DOC_HEAD);
    for (size_t i = 0; i < depth; i++)
        ev_buf_puts(&b, open);
    ev_buf_puts(&b, inner);
    for (size_t i = 0; i < depth; i++)
        ev_buf_puts(&b, close);
    ev_buf_puts(&b, DOC_TAIL);
    return ev_buf_steal(&b);
}

static void test_deep_nesting(void **state)
{
    /* 100,002 elements deep: tables in cells, the parser's own stack. */
    char *xml = nested("<w:tbl><w:tr><w:tc>", "</w:tc></w:tr></w:tbl>", 33334,
                       "<w:p><w:r><w:t>deep</w:t></w:r></w:p>");
    char *odt;
    size_t len;
    unsigned char *z = docx_with_document(xml, &len);

    (void)state;
    expect_code(z, len, NULL, EV_EMALFORMED);
    free(z);
    free(xml);

    /* Unknown elements nest just as deep. The reason is for people, who
     * cannot act on libxml2's advice to its callers. */
    xml = nested("<w:customXml>", "</w:customXml>", 100000, "");
    z = docx_with_document(xml, &len);
    ev_error why = expect_code(z, len, NULL, EV_EMALFORMED);
    assert_null(strstr(why.message, "XML_PARSE_HUGE"));
    free(z);
    free(xml);

    {
        ev_buf b = {0};
        fx_odt s;
        for (size_t i = 0; i < 100000; i++)
            ev_buf_puts(&b, "<text:span>");
        ev_buf_puts(&b, "x");
        for (size_t i = 0; i < 100000; i++)
            ev_buf_puts(&b, "</text:span>");
        odt = ev_asprintf("<text:p>%s</text:p>", b.data);
        ev_buf_free(&b);
        s = (fx_odt){.text = odt};
        z = fx_odt_build(&s, &len);
        expect_code(z, len, NULL, EV_EMALFORMED);
        free(z);
        free(odt);
    }
}

/* max_depth is honoured both ways around the limit. */
static void test_depth_limit(void **state)
{
    char *xml = nested("<w:tbl><w:tr><w:tc>", "</w:tc></w:tr></w:tbl>", 4,
                       "<w:p><w:r><w:t>four tables deep</w:t></w:r></w:p>");
    doc_limits lim;
    doc *d = NULL;
    ev_error err;
    size_t len;
    unsigned char *z = docx_with_document(xml, &len);

    (void)state;
    assert_int_equal(fx_parse(z, len, NULL, &d, &err), EV_OK);
    assert_non_null(fx_find_sub(d, "four tables deep"));
    doc_free(d);
    doc_limits_default(&lim);
    lim.max_depth = 8;
    expect_code(z, len, &lim, EV_EMALFORMED);
    free(z);
    free(xml);
}

static void test_too_many_entries(void **state)
{
    size_t n = 100000 + 3, zlen;
    fx_raw_entry *e = ev_calloc(n, sizeof(*e));
    char (*names)[32] = ev_calloc(n, sizeof(*names));
    unsigned char *z;

    (void)state;
    e[0] = fx_raw_stored("[Content_Types].xml", CT_MIN);
    e[1] = fx_raw_stored("_rels/.rels", RELS_MIN);
    e[2] = fx_raw_stored("word/document.xml", DOC_HEAD HELLO_BODY DOC_TAIL);
    for (size_t i = 3; i < n; i++) {
        snprintf(names[i], sizeof(names[i]), "word/media/e%zu", i);
        e[i] = fx_raw_stored(names[i], "");
    }
    z = fx_raw_zip(e, n, &zlen);
    expect_code(z, zlen, NULL, EV_ETOOLARGE);
    free(z);

    /* And a caller's smaller limit: 3 entries fit, 13 do not. */
    {
        doc_limits lim;
        doc *d = NULL;
        ev_error err;
        doc_limits_default(&lim);
        lim.max_entries = 12;
        z = fx_raw_zip(e, 3, &zlen);
        assert_int_equal(fx_parse(z, zlen, &lim, &d, &err), EV_OK);
        doc_free(d);
        free(z);
        z = fx_raw_zip(e, 13, &zlen);
        expect_code(z, zlen, &lim, EV_ETOOLARGE);
        free(z);
    }
    free(names);
    free(e);
}

static void test_truncated_archive(void **state)
{
    size_t len;
    unsigned char *z = hello_docx(&len);

    (void)state;
    expect_code(z, len / 2, NULL, EV_EMALFORMED);
    expect_code(z, len - 10, NULL, EV_EMALFORMED);     /* end record cut */
    free(z);
}

static void test_bad_crc(void **state)
{
    static const char body[] = DOC_HEAD HELLO_BODY DOC_TAIL;
    fx_raw_entry e[3] = {fx_raw_stored("[Content_Types].xml", CT_MIN),
                         fx_raw_stored("_rels/.rels", RELS_MIN),
                         fx_raw_stored("word/document.xml", body)};
    size_t zlen, dlen;
    unsigned char *z, *deflated;

    (void)state;
    z = fx_raw_zip(e, 3, &zlen);
    {
        doc *d = NULL;
        ev_error err;
        assert_int_equal(fx_parse(z, zlen, NULL, &d, &err), EV_OK);
        doc_free(d);
    }
    free(z);

    e[2].crc ^= 0x5A5A5A5Au;
    z = fx_raw_zip(e, 3, &zlen);
    expect_code(z, zlen, NULL, EV_EMALFORMED);
    free(z);

    deflated = fx_deflate(body, strlen(body), &dlen, &e[2].crc);
    e[2].data = deflated;
    e[2].data_len = dlen;
    e[2].method = 8;
    e[2].crc ^= 1;
    z = fx_raw_zip(e, 3, &zlen);
    expect_code(z, zlen, NULL, EV_EMALFORMED);
    free(z);
    free(deflated);
}

/* A part that holds no bytes at all is not XML (found by the fuzzer: the
 * reader over an empty buffer could not be created, an internal error). */
static void test_empty_parts(void **state)
{
    static const char *const parts[] = {"word/document.xml", "_rels/.rels"};
    fx_raw_entry e[3];
    size_t zlen;
    unsigned char *z;

    (void)state;
    e[0] = fx_raw_stored("mimetype", "application/vnd.oasis.opendocument.text");
    e[1] = fx_raw_stored("content.xml", "");
    z = fx_raw_zip(e, 2, &zlen);
    expect_code(z, zlen, NULL, EV_EMALFORMED);
    free(z);
    for (size_t i = 0; i < EV_ARRAY_LEN(parts); i++) {
        e[0] = fx_raw_stored("[Content_Types].xml", CT_MIN);
        e[1] = fx_raw_stored("_rels/.rels", RELS_MIN);
        e[2] = fx_raw_stored("word/document.xml", DOC_HEAD HELLO_BODY DOC_TAIL);
        for (size_t k = 0; k < 3; k++)
            if (strcmp(e[k].name, parts[i]) == 0)
                e[k] = fx_raw_stored(parts[i], "");
        print_message("empty %s\n", parts[i]);
        z = fx_raw_zip(e, 3, &zlen);
        expect_code(z, zlen, NULL, EV_EMALFORMED);
        free(z);
    }
}

static void test_ole_encrypted_package(void **state)
{
    const char *streams[] = {"EncryptionInfo", "EncryptedPackage",
                             ("\x06" "DataSpaces")};
    size_t len;
    unsigned char *f = fx_ole(streams, 3, &len);

    (void)state;
    expect_code(f, len, NULL, EV_EENCRYPTED);
    free(f);
}

static void test_ole_legacy_doc(void **state)
{
    const char *streams[] = {"WordDocument", "1Table",
                             ("\x05" "SummaryInformation")};
    size_t len;
    unsigned char *f = fx_ole(streams, 3, &len);

    (void)state;
    expect_code(f, len, NULL, EV_EUNSUPPORTED);
    free(f);
}

static void test_not_documents(void **state)
{
    static const char pdf[] = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";
    static const char text[] = "Just some words, not a document.\n";
    unsigned char random[4096];
    uint32_t x = 2463534242u;

    (void)state;
    for (size_t i = 0; i < sizeof(random); i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        random[i] = (unsigned char)x;
    }
    random[0] = 0x01;       /* no signature a sniffer could take for one */
    expect_code(random, 0, NULL, EV_ENOTDOC);
    expect_code(random, sizeof(random), NULL, EV_ENOTDOC);
    /* PDFs are read now: one without pages or xref is broken. */
    expect_code(pdf, sizeof(pdf) - 1, NULL, EV_EMALFORMED);
    expect_code(text, sizeof(text) - 1, NULL, EV_ENOTDOC);
    expect_code("PK", 2, NULL, EV_ENOTDOC);
}

static void test_invalid_utf8_in_text(void **state)
{
    static const char *const bad[] = {
        "bad \xff byte", "bad \xc3\x28 pair", "overlong \xc0\xaf slash",
        "surrogate \xed\xa0\x80 half", "cut \xe4\xbd",
    };

    (void)state;
    for (size_t i = 0; i < EV_ARRAY_LEN(bad); i++) {
        char *xml = ev_asprintf(DOC_HEAD "<w:p><w:r><w:t>%s</w:t></w:r></w:p>"
                                DOC_TAIL, bad[i]);
        size_t len;
        unsigned char *z = docx_with_document(xml, &len);
        print_message("case %zu\n", i);
        expect_code(z, len, NULL, EV_EMALFORMED);
        free(z);
        free(xml);
    }
}

static void test_encrypted_entry(void **state)
{
    fx_docx s = {.body = HELLO_BODY};
    fx_zip *z = fx_docx_zip(&s);
    size_t len;
    unsigned char *bytes;

    (void)state;
    fx_zip_add_encrypted(z, "word/document.xml",
                         DOC_HEAD HELLO_BODY DOC_TAIL, "secret");
    bytes = fx_zip_finish(z, &len);
    expect_code(bytes, len, NULL, EV_EENCRYPTED);
    free(bytes);
}

static void test_other_packages(void **state)
{
    fx_zip *z;
    unsigned char *bytes;
    size_t len;
    const char *ods = "application/vnd.oasis.opendocument.spreadsheet";

    (void)state;
    z = fx_zip_new();
    fx_zip_add_str(z, "[Content_Types].xml", FX_XML_DECL
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        "</Types>");
    fx_zip_add_str(z, "_rels/.rels", FX_XML_DECL
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
        "</Relationships>");
    fx_zip_add_str(z, "xl/workbook.xml", FX_XML_DECL
        "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheets/></workbook>");
    bytes = fx_zip_finish(z, &len);
    expect_code(bytes, len, NULL, EV_EUNSUPPORTED);
    free(bytes);

    z = fx_zip_new();
    fx_zip_add(z, "mimetype", ods, strlen(ods), 0);
    fx_zip_add_str(z, "content.xml", FX_XML_DECL
        "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\">"
        "<office:body><office:spreadsheet/></office:body></office:document-content>");
    bytes = fx_zip_finish(z, &len);
    expect_code(bytes, len, NULL, EV_EUNSUPPORTED);
    free(bytes);

    z = fx_zip_new();
    fx_zip_add_str(z, "hello.txt", "hello\n");
    fx_zip_add_str(z, "docs/readme.md", "# readme\n");
    bytes = fx_zip_finish(z, &len);
    expect_code(bytes, len, NULL, EV_ENOTDOC);
    free(bytes);
}

static void test_text_limit(void **state)
{
    ev_buf body = {0};
    fx_docx s;
    doc_limits lim;
    doc *d = NULL;
    ev_error err;
    size_t len;
    unsigned char *z;

    (void)state;
    for (int i = 0; i < 100; i++)
        ev_buf_puts(&body, "<w:p><w:r><w:t>0123456789</w:t></w:r></w:p>");
    s = (fx_docx){.body = body.data};
    z = fx_docx_build(&s, &len);
    doc_limits_default(&lim);
    lim.max_text = 4000;
    assert_int_equal(fx_parse(z, len, &lim, &d, &err), EV_OK);
    assert_int_equal(d->nblocks, 100);
    doc_free(d);
    lim.max_text = 500;
    expect_code(z, len, &lim, EV_ETOOLARGE);
    free(z);
    ev_buf_free(&body);
}

static void test_file_and_inflate_limits(void **state)
{
    doc_limits lim;
    doc *d = NULL;
    ev_error err;
    size_t len;
    unsigned char *z = hello_docx(&len);

    (void)state;
    doc_limits_default(&lim);
    lim.max_file_size = len;
    assert_int_equal(fx_parse(z, len, &lim, &d, &err), EV_OK);
    doc_free(d);
    lim.max_file_size = len - 1;
    expect_code(z, len, &lim, EV_ETOOLARGE);

    /* Inflated sizes past the caller's limits are bombs, however small. */
    doc_limits_default(&lim);
    lim.max_part_size = 64;
    expect_code(z, len, &lim, EV_EZIPBOMB);
    doc_limits_default(&lim);
    lim.max_total_inflated = 64;
    expect_code(z, len, &lim, EV_EZIPBOMB);
    doc_limits_default(&lim);
    lim.max_declared_total = 64;
    expect_code(z, len, &lim, EV_EZIPBOMB);
    free(z);
}

static void test_limit_defaults(void **state)
{
    doc_limits lim;

    (void)state;
    doc_limits_default(&lim);
    assert_int_equal(lim.max_file_size, 64u << 20);
    assert_int_equal(lim.max_entries, 10000);
    assert_int_equal(lim.max_part_size, 128u << 20);
    assert_int_equal(lim.max_total_inflated, 256u << 20);
    assert_true(lim.max_declared_total == 2ull << 30);
    assert_int_equal(lim.max_ratio, 200);
    assert_int_equal(lim.max_depth, 256);
    assert_int_equal(lim.max_text, 16u << 20);
    assert_int_equal(lim.max_attributes, 256);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limit_defaults),
        cmocka_unit_test(test_valid_fixture_parses),
        cmocka_unit_test(test_zip_bomb_document),
        cmocka_unit_test(test_zip_bomb_odt),
        cmocka_unit_test(test_zip_bomb_extra_entry),
        cmocka_unit_test(test_duplicate_names),
        cmocka_unit_test(test_attribute_limit),
        cmocka_unit_test(test_attribute_limit_edges),
        cmocka_unit_test(test_huge_text_run),
        cmocka_unit_test(test_billion_laughs),
        cmocka_unit_test(test_xxe_in_document),
        cmocka_unit_test(test_doctype_in_any_part),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_too_many_entries),
        cmocka_unit_test(test_truncated_archive),
        cmocka_unit_test(test_bad_crc),
        cmocka_unit_test(test_empty_parts),
        cmocka_unit_test(test_ole_encrypted_package),
        cmocka_unit_test(test_ole_legacy_doc),
        cmocka_unit_test(test_not_documents),
        cmocka_unit_test(test_invalid_utf8_in_text),
        cmocka_unit_test(test_encrypted_entry),
        cmocka_unit_test(test_other_packages),
        cmocka_unit_test(test_text_limit),
        cmocka_unit_test(test_file_and_inflate_limits),
    };
    doc_init();
    fx_on_broken(broken);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
