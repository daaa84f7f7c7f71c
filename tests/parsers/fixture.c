/* fixture.c: DOCX/ODT bytes built from XML strings, hostile archives built
 * byte by byte, and a checked wrapper around doc_parse(). */
#include "fixture.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>
#include <zlib.h>

#include "sha256.h"

static EV_NORETURN void fx_fatal(const char *what, const char *detail)
{
    fprintf(stderr, "fixture: %s: %s\n", what, detail ? detail : "");
    abort();
}

/* ---- zip archives through libzip -------------------------------------- */

struct fx_zip {
    zip_source_t *src;
    zip_t *za;
};

fx_zip *fx_zip_new(void)
{
    zip_error_t ze;
    fx_zip *z = ev_calloc(1, sizeof(*z));

    zip_error_init(&ze);
    z->src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!z->src)
        fx_fatal("zip_source_buffer_create", zip_error_strerror(&ze));
    /* The source must outlive zip_close() so the bytes can be read back. */
    zip_source_keep(z->src);
    z->za = zip_open_from_source(z->src, ZIP_TRUNCATE, &ze);
    if (!z->za)
        fx_fatal("zip_open_from_source", zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return z;
}

static zip_int64_t fx_zip_add_entry(fx_zip *z, const char *name,
                                    const void *data, size_t len)
{
    /* libzip frees the copy with free() once the archive is written. */
    void *copy = ev_malloc(len ? len : 1);
    zip_source_t *s;
    zip_int64_t idx;

    memcpy(copy, data, len);
    s = zip_source_buffer(z->za, copy, len, 1);
    if (!s)
        fx_fatal("zip_source_buffer", zip_strerror(z->za));
    idx = zip_file_add(z->za, name, s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (idx < 0) {
        zip_source_free(s);
        fx_fatal("zip_file_add", zip_strerror(z->za));
    }
    return idx;
}

void fx_zip_add(fx_zip *z, const char *name, const void *data, size_t len,
                int deflate)
{
    zip_int64_t idx = fx_zip_add_entry(z, name, data, len);

    if (zip_set_file_compression(z->za, (zip_uint64_t)idx,
                                 deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0) < 0)
        fx_fatal("zip_set_file_compression", zip_strerror(z->za));
}

void fx_zip_add_str(fx_zip *z, const char *name, const char *text)
{
    fx_zip_add(z, name, text, strlen(text), 1);
}

void fx_zip_add_encrypted(fx_zip *z, const char *name, const char *text,
                          const char *password)
{
    zip_int64_t idx = fx_zip_add_entry(z, name, text, strlen(text));

    if (zip_file_set_encryption(z->za, (zip_uint64_t)idx, ZIP_EM_TRAD_PKWARE,
                                password) < 0)
        fx_fatal("zip_file_set_encryption", zip_strerror(z->za));
}

unsigned char *fx_zip_finish(fx_zip *z, size_t *len)
{
    zip_stat_t st;
    unsigned char *out;

    if (zip_close(z->za) < 0)
        fx_fatal("zip_close", zip_strerror(z->za));
    if (zip_source_stat(z->src, &st) < 0 || !(st.valid & ZIP_STAT_SIZE))
        fx_fatal("zip_source_stat", NULL);
    if (zip_source_open(z->src) < 0)
        fx_fatal("zip_source_open", NULL);
    out = ev_malloc(st.size ? st.size : 1);
    if (zip_source_read(z->src, out, st.size) != (zip_int64_t)st.size)
        fx_fatal("zip_source_read", NULL);
    zip_source_close(z->src);
    zip_source_free(z->src);
    free(z);
    *len = st.size;
    return out;
}

/* ---- zip archives by hand --------------------------------------------- */

static void put16(ev_buf *b, uint16_t v)
{
    unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    ev_buf_append(b, x, 2);
}

static void put32(ev_buf *b, uint32_t v)
{
    put16(b, (uint16_t)v);
    put16(b, (uint16_t)(v >> 16));
}

static void put64(ev_buf *b, uint64_t v)
{
    put32(b, (uint32_t)v);
    put32(b, (uint32_t)(v >> 32));
}

fx_raw_entry fx_raw_stored(const char *name, const char *text)
{
    fx_raw_entry e = {0};

    e.name = name;
    e.data = (const unsigned char *)text;
    e.data_len = strlen(text);
    e.usize = e.data_len;
    e.crc = (uint32_t)crc32(0, e.data, (uInt)e.data_len);
    return e;
}

/* 1980-01-01 00:00, the earliest date a zip can state. */
#define FX_DOS_DATE 0x0021u

unsigned char *fx_raw_zip(const fx_raw_entry *e, size_t n, size_t *len)
{
    ev_buf b = {0};
    uint64_t *offsets = ev_calloc(n ? n : 1, sizeof(*offsets));
    uint64_t cd_start, cd_size;
    int zip64 = n > 0xFFFE;

    for (size_t i = 0; i < n; i++) {
        uint16_t nlen = (uint16_t)strlen(e[i].name);
        assert(e[i].usize <= UINT32_MAX && e[i].data_len <= UINT32_MAX);
        offsets[i] = b.len;
        put32(&b, 0x04034b50);
        put16(&b, 20);
        put16(&b, e[i].flags);
        put16(&b, e[i].method);
        put16(&b, 0);
        put16(&b, FX_DOS_DATE);
        put32(&b, e[i].crc);
        put32(&b, (uint32_t)e[i].data_len);
        put32(&b, (uint32_t)e[i].usize);
        put16(&b, nlen);
        put16(&b, 0);
        ev_buf_append(&b, e[i].name, nlen);
        if (e[i].data_len)
            ev_buf_append(&b, e[i].data, e[i].data_len);
    }
    cd_start = b.len;
    for (size_t i = 0; i < n; i++) {
        uint16_t nlen = (uint16_t)strlen(e[i].name);
        put32(&b, 0x02014b50);
        put16(&b, 20);
        put16(&b, 20);
        put16(&b, e[i].flags);
        put16(&b, e[i].method);
        put16(&b, 0);
        put16(&b, FX_DOS_DATE);
        put32(&b, e[i].crc);
        put32(&b, (uint32_t)e[i].data_len);
        put32(&b, (uint32_t)e[i].usize);
        put16(&b, nlen);
        put16(&b, 0);       /* extra */
        put16(&b, 0);       /* comment */
        put16(&b, 0);       /* disk */
        put16(&b, 0);       /* internal attributes */
        put32(&b, 0);       /* external attributes */
        assert(offsets[i] <= UINT32_MAX);
        put32(&b, (uint32_t)offsets[i]);
        ev_buf_append(&b, e[i].name, nlen);
    }
    cd_size = b.len - cd_start;
    if (zip64) {
        /* More entries than the classic end record can count. */
        uint64_t rec = b.len;
        put32(&b, 0x06064b50);
        put64(&b, 44);
        put16(&b, 45);
        put16(&b, 45);
        put32(&b, 0);
        put32(&b, 0);
        put64(&b, n);
        put64(&b, n);
        put64(&b, cd_size);
        put64(&b, cd_start);
        put32(&b, 0x07064b50);
        put32(&b, 0);
        put64(&b, rec);
        put32(&b, 1);
    }
    put32(&b, 0x06054b50);
    put16(&b, 0);
    put16(&b, 0);
    put16(&b, zip64 ? 0xFFFF : (uint16_t)n);
    put16(&b, zip64 ? 0xFFFF : (uint16_t)n);
    put32(&b, (uint32_t)cd_size);
    put32(&b, (uint32_t)cd_start);
    put16(&b, 0);
    free(offsets);
    *len = b.len;
    return (unsigned char *)ev_buf_steal(&b);
}

/* Deflate `len` bytes as one segment of a raw stream: `flush` Z_FULL_FLUSH
 * leaves it open and independent of what precedes it, Z_FINISH ends it. */
static void deflate_segment(ev_buf *out, const void *data, size_t len, int flush)
{
    z_stream zs;
    unsigned char chunk[65536];
    int rc;

    memset(&zs, 0, sizeof(zs));
    if (deflateInit2(&zs, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        fx_fatal("deflateInit2", NULL);
    zs.next_in = (Bytef *)(uintptr_t)data;
    assert(len <= UINT32_MAX);
    zs.avail_in = (uInt)len;
    do {
        zs.next_out = chunk;
        zs.avail_out = sizeof(chunk);
        rc = deflate(&zs, flush);
        if (rc == Z_STREAM_ERROR)
            fx_fatal("deflate", NULL);
        ev_buf_append(out, chunk, sizeof(chunk) - zs.avail_out);
    } while (zs.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
    deflateEnd(&zs);
}

unsigned char *fx_deflate(const void *data, size_t len, size_t *out_len,
                          uint32_t *crc)
{
    ev_buf b = {0};

    deflate_segment(&b, data, len, Z_FINISH);
    *crc = (uint32_t)crc32(0, data, (uInt)len);
    *out_len = b.len;
    return (unsigned char *)ev_buf_steal(&b);
}

#define FX_BLOCK_BYTES (1u << 20)

unsigned char *fx_deflate_repeat(const char *prefix, const char *unit,
                                 uint64_t min_size, const char *suffix,
                                 size_t *out_len, uint32_t *crc,
                                 uint64_t *usize)
{
    size_t ulen = strlen(unit), plen = strlen(prefix), slen = strlen(suffix);
    size_t per_block = (FX_BLOCK_BYTES + ulen - 1) / ulen;
    size_t blen = per_block * ulen;
    uint64_t blocks = (min_size + blen - 1) / blen;
    char *block = ev_malloc(blen);
    ev_buf seg = {0}, out = {0};
    uLong c, cblock;

    assert(ulen > 0);
    for (size_t i = 0; i < per_block; i++)
        memcpy(block + i * ulen, unit, ulen);
    deflate_segment(&out, prefix, plen, Z_FULL_FLUSH);
    deflate_segment(&seg, block, blen, Z_FULL_FLUSH);
    for (uint64_t i = 0; i < blocks; i++)
        ev_buf_append(&out, seg.data, seg.len);
    deflate_segment(&out, suffix, slen, Z_FINISH);

    c = crc32(0, (const Bytef *)prefix, (uInt)plen);
    cblock = crc32(0, (const Bytef *)block, (uInt)blen);
    for (uint64_t i = 0; i < blocks; i++)
        c = crc32_combine(c, cblock, (z_off_t)blen);
    c = crc32_combine(c, crc32(0, (const Bytef *)suffix, (uInt)slen),
                      (z_off_t)slen);

    *crc = (uint32_t)c;
    *usize = plen + blocks * blen + slen;
    *out_len = out.len;
    free(block);
    ev_buf_free(&seg);
    return (unsigned char *)ev_buf_steal(&out);
}

/* ---- compound files --------------------------------------------------- */

#define OLE_SECTOR 512u
#define OLE_FREE 0xFFFFFFFFu
#define OLE_END 0xFFFFFFFEu
#define OLE_FATSECT 0xFFFFFFFDu

static void le32_at(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static void le16_at(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

/* Directory order: shorter names first, then by upper-cased code unit. */
static int ole_name_cmp(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    size_t lx = strlen(x), ly = strlen(y);

    if (lx != ly)
        return lx < ly ? -1 : 1;
    for (size_t i = 0; i < lx; i++) {
        int cx = x[i] >= 'a' && x[i] <= 'z' ? x[i] - 32 : x[i];
        int cy = y[i] >= 'a' && y[i] <= 'z' ? y[i] - 32 : y[i];
        if (cx != cy)
            return cx - cy;
    }
    return 0;
}

static void ole_dir_entry(unsigned char *e, const char *name, uint8_t type,
                          uint32_t right, uint32_t child)
{
    size_t n = strlen(name);

    assert(n < 32);
    for (size_t i = 0; i < n; i++)
        le16_at(e + 2 * i, (uint16_t)(unsigned char)name[i]);
    le16_at(e + 64, (uint16_t)(2 * (n + 1)));
    e[66] = type;
    e[67] = 1;                  /* black */
    le32_at(e + 68, OLE_FREE);  /* left sibling: none */
    le32_at(e + 72, right);
    le32_at(e + 76, child);
    le32_at(e + 116, OLE_END);  /* empty stream: no sector */
}

unsigned char *fx_ole(const char *const *streams, size_t n, size_t *len)
{
    static const unsigned char magic[8] = {0xD0, 0xCF, 0x11, 0xE0,
                                           0xA1, 0xB1, 0x1A, 0xE1};
    unsigned char *f = ev_calloc(3, OLE_SECTOR);
    unsigned char *hdr = f, *fat = f + OLE_SECTOR, *dir = f + 2 * OLE_SECTOR;
    const char *sorted[3];

    assert(n <= EV_ARRAY_LEN(sorted));
    memcpy(sorted, streams, n * sizeof(*sorted));
    qsort(sorted, n, sizeof(*sorted), ole_name_cmp);

    memcpy(hdr, magic, sizeof(magic));
    le16_at(hdr + 24, 0x003E);          /* minor version */
    le16_at(hdr + 26, 0x0003);          /* major version 3: 512-byte sectors */
    le16_at(hdr + 28, 0xFFFE);          /* little-endian */
    le16_at(hdr + 30, 9);               /* sector shift */
    le16_at(hdr + 32, 6);               /* mini sector shift */
    le32_at(hdr + 44, 1);               /* FAT sectors */
    le32_at(hdr + 48, 1);               /* first directory sector */
    le32_at(hdr + 56, 4096);            /* mini stream cutoff */
    le32_at(hdr + 60, OLE_END);         /* no mini FAT */
    le32_at(hdr + 68, OLE_END);         /* no DIFAT sectors */
    le32_at(hdr + 76, 0);               /* DIFAT[0]: the FAT is sector 0 */
    for (size_t i = 1; i < 109; i++)
        le32_at(hdr + 76 + 4 * i, OLE_FREE);

    le32_at(fat, OLE_FATSECT);
    le32_at(fat + 4, OLE_END);
    for (size_t i = 2; i < OLE_SECTOR / 4; i++)
        le32_at(fat + 4 * i, OLE_FREE);

    /* Root first; its streams hang off it as a right-leaning chain, which
     * is a valid (if unbalanced) ordered tree. */
    ole_dir_entry(dir, "Root Entry", 5, OLE_FREE, n ? 1 : OLE_FREE);
    for (size_t i = 0; i < n; i++)
        ole_dir_entry(dir + 128 * (i + 1), sorted[i], 2,
                      i + 1 < n ? (uint32_t)(i + 2) : OLE_FREE, OLE_FREE);
    for (size_t i = n + 1; i < 4; i++) {
        le32_at(dir + 128 * i + 68, OLE_FREE);
        le32_at(dir + 128 * i + 72, OLE_FREE);
        le32_at(dir + 128 * i + 76, OLE_FREE);
    }
    *len = 3 * OLE_SECTOR;
    return f;
}

/* ---- documents -------------------------------------------------------- */

#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define CT_WML "application/vnd.openxmlformats-officedocument.wordprocessingml."

typedef struct docx_part {
    const char *text;
    const char *id;
    const char *file;
    const char *rel;
    const char *type;
} docx_part;

fx_zip *fx_docx_zip(const fx_docx *s)
{
    const docx_part parts[] = {
        {s->styles, "rIdStyles", "styles.xml", "styles", "styles+xml"},
        {s->header, "rIdHeader", "header1.xml", "header", "header+xml"},
        {s->footer, "rIdFooter", "footer1.xml", "footer", "footer+xml"},
        {s->footnotes, "rIdFootnotes", "footnotes.xml", "footnotes", "footnotes+xml"},
        {s->endnotes, "rIdEndnotes", "endnotes.xml", "endnotes", "endnotes+xml"},
    };
    fx_zip *z = fx_zip_new();
    ev_buf ct = {0}, rels = {0}, wrels = {0}, main = {0};

    ev_buf_puts(&ct, FX_XML_DECL
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        "<Override PartName=\"/word/document.xml\" ContentType=\"" CT_WML "document.main+xml\"/>");
    ev_buf_puts(&rels, FX_XML_DECL
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"" REL_NS "officeDocument\" Target=\"word/document.xml\"/>");
    ev_buf_puts(&wrels, FX_XML_DECL
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
    for (size_t i = 0; i < EV_ARRAY_LEN(parts); i++) {
        char name[64];
        if (!parts[i].text)
            continue;
        snprintf(name, sizeof(name), "word/%s", parts[i].file);
        fx_zip_add_str(z, name, parts[i].text);
        ev_buf_printf(&ct, "<Override PartName=\"/%s\" ContentType=\"" CT_WML "%s\"/>",
                      name, parts[i].type);
        ev_buf_printf(&wrels, "<Relationship Id=\"%s\" Type=\"" REL_NS "%s\" Target=\"%s\"/>",
                      parts[i].id, parts[i].rel, parts[i].file);
    }
    if (s->core) {
        fx_zip_add_str(z, "docProps/core.xml", s->core);
        ev_buf_puts(&ct, "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>");
        ev_buf_puts(&rels, "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>");
    }
    if (s->app) {
        fx_zip_add_str(z, "docProps/app.xml", s->app);
        ev_buf_puts(&ct, "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>");
        ev_buf_puts(&rels, "<Relationship Id=\"rId3\" Type=\"" REL_NS "extended-properties\" Target=\"docProps/app.xml\"/>");
    }
    ev_buf_puts(&ct, "</Types>");
    ev_buf_puts(&rels, "</Relationships>");
    ev_buf_puts(&wrels, "</Relationships>");

    if (s->document) {
        ev_buf_puts(&main, s->document);
    } else {
        ev_buf_puts(&main, FX_XML_DECL "<w:document" FX_W_NS "><w:body>");
        ev_buf_puts(&main, s->body ? s->body : "");
        ev_buf_puts(&main, "<w:sectPr>");
        if (s->header)
            ev_buf_puts(&main, "<w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>");
        if (s->footer)
            ev_buf_puts(&main, "<w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>");
        ev_buf_puts(&main, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr></w:body></w:document>");
    }
    fx_zip_add_str(z, "[Content_Types].xml", ct.data);
    fx_zip_add_str(z, "_rels/.rels", rels.data);
    fx_zip_add_str(z, "word/_rels/document.xml.rels", wrels.data);
    fx_zip_add_str(z, "word/document.xml", main.data);
    ev_buf_free(&ct);
    ev_buf_free(&rels);
    ev_buf_free(&wrels);
    ev_buf_free(&main);
    return z;
}

unsigned char *fx_docx_build(const fx_docx *spec, size_t *len)
{
    return fx_zip_finish(fx_docx_zip(spec), len);
}

#define ODF_NS \
    " xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\"" \
    " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"" \
    " xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\"" \
    " xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\"" \
    " xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\"" \
    " xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\"" \
    " xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\"" \
    " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"" \
    " xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\"" \
    " office:version=\"1.3\""

#define ODT_MIME "application/vnd.oasis.opendocument.text"

unsigned char *fx_odt_build(const fx_odt *s, size_t *len)
{
    fx_zip *z = fx_zip_new();
    char *content, *styles, *meta;

    /* ODF wants the mimetype first and stored, so `file` can sniff it. */
    fx_zip_add(z, "mimetype", ODT_MIME, strlen(ODT_MIME), 0);
    fx_zip_add_str(z, "META-INF/manifest.xml", FX_XML_DECL
        "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">"
        "<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"" ODT_MIME "\"/>"
        "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>"
        "<manifest:file-entry manifest:full-path=\"styles.xml\" manifest:media-type=\"text/xml\"/>"
        "<manifest:file-entry manifest:full-path=\"meta.xml\" manifest:media-type=\"text/xml\"/>"
        "</manifest:manifest>");
    content = ev_asprintf(FX_XML_DECL "<office:document-content" ODF_NS ">"
                          "<office:body><office:text>%s</office:text></office:body>"
                          "</office:document-content>", s->text ? s->text : "");
    styles = ev_asprintf(FX_XML_DECL "<office:document-styles" ODF_NS ">"
                         "<office:master-styles>%s</office:master-styles>"
                         "</office:document-styles>", s->master ? s->master : "");
    meta = ev_asprintf(FX_XML_DECL "<office:document-meta" ODF_NS ">"
                       "<office:meta>%s</office:meta></office:document-meta>",
                       s->meta ? s->meta : "");
    fx_zip_add_str(z, "content.xml", content);
    fx_zip_add_str(z, "styles.xml", styles);
    fx_zip_add_str(z, "meta.xml", meta);
    free(content);
    free(styles);
    free(meta);
    return fx_zip_finish(z, len);
}

char *fx_fodt_build(const fx_odt *s, size_t *len)
{
    char *x = ev_asprintf(FX_XML_DECL "<office:document" ODF_NS
                          " office:mimetype=\"" ODT_MIME "\">"
                          "<office:meta>%s</office:meta>"
                          "<office:master-styles>%s</office:master-styles>"
                          "<office:body><office:text>%s</office:text></office:body>"
                          "</office:document>",
                          s->meta ? s->meta : "", s->master ? s->master : "",
                          s->text ? s->text : "");
    *len = strlen(x);
    return x;
}

/* ---- checked parsing -------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0 if invalid:
 * no overlong forms, no surrogates, nothing past U+10FFFF. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    uint32_t cp;
    size_t len;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        len = 2, cp = s[0] & 0x1F;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        len = 3, cp = s[0] & 0x0F;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        len = 4, cp = s[0] & 0x07;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    return len;
}

/* Characters in s[0..n), or SIZE_MAX if it is not valid UTF-8. */
static size_t utf8_chars(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t chars = 0;

    for (size_t i = 0; i < n; chars++) {
        size_t k = utf8_seq(p + i, n - i);
        if (k == 0)
            return SIZE_MAX;
        i += k;
    }
    return chars;
}

const char *fx_check_doc(const doc *d)
{
    size_t bytes = 0, chars = 0;
    const char *meta[] = {
        d->meta.title, d->meta.subject, d->meta.creator, d->meta.description,
        d->meta.keywords, d->meta.created, d->meta.modified,
        d->meta.last_modified_by, d->meta.revision, d->meta.application,
        d->meta.company, d->meta.template_name, d->meta.producer,
    };
    const char *lang;
    ev_buf out = {0};
    const char *bad = NULL;

    if (d->format > DOC_FORMAT_PDF)
        return "format out of range";
    if ((d->format == DOC_FORMAT_PDF) != (d->npages > 0))
        return "pages counted for a document that is not a PDF, or none for a PDF";
    if (d->nsignatures > 0 && !d->signatures)
        return "signatures without storage";
    for (size_t i = 0; i < d->nsignatures; i++) {
        const doc_signature *sg = &d->signatures[i];
        if (!sg->status || !sg->certificate)
            return "signature without status";
        if (sg->signer && utf8_chars(sg->signer, strlen(sg->signer)) == SIZE_MAX)
            return "signer is not valid UTF-8";
        if (sg->signed_at && strlen(sg->signed_at) != 20)
            return "signing time is not YYYY-MM-DDTHH:MM:SSZ";
    }
    if (d->nblocks > 0 && (!d->blocks || !d->text))
        return "blocks without storage";
    if (d->warnings >> DOC_WARN_COUNT)
        return "unknown warning bit";
    for (size_t i = 0; i < d->nblocks; i++) {
        const doc_block *b = &d->blocks[i];
        size_t c;
        if (b->kind > DOC_BLOCK_CELL || b->part > DOC_PART_FOOTER)
            return "block kind or part out of range";
        if (i > 0 && b->part < d->blocks[i - 1].part)
            return "blocks not ordered by part";
        if (b->off > d->text_len || b->len >= d->text_len - b->off)
            return "block text outside the buffer";
        if (d->text[b->off + b->len] != '\0' || strlen(d->text + b->off) != b->len)
            return "block text not NUL-terminated at its length";
        c = utf8_chars(d->text + b->off, b->len);
        if (c == SIZE_MAX)
            return "block text is not valid UTF-8";
        if (b->kind == DOC_BLOCK_HEADING && b->level > 9)
            return "heading level over 9";
        if (b->kind == DOC_BLOCK_CELL && (b->depth == 0 || b->table == 0))
            return "cell outside a table";
        bytes += b->len + 1;
        chars += c;
    }
    if (bytes != d->text_len)
        return "text_len is not the sum of the block texts and their NULs";
    if (chars != d->text_chars)
        return "text_chars does not count the block characters";
    for (size_t i = 0; i < EV_ARRAY_LEN(meta); i++)
        if (meta[i] && utf8_chars(meta[i], strlen(meta[i])) == SIZE_MAX)
            return "metadata is not valid UTF-8";
    /* NULL is tolerated here so one known gap (a document with no letters;
     * test_docx holds doc.h's "else en" to account) does not stop fuzzing. */
    lang = doc_language(d);
    if (lang && strcmp(lang, "zh") != 0 && strcmp(lang, "en") != 0)
        return "doc_language is neither zh nor en";
    doc_write_text(d, &out);
    if (out.len && utf8_chars(out.data, out.len) == SIZE_MAX)
        bad = "doc_write_text wrote invalid UTF-8";
    ev_buf_free(&out);
    return bad;
}

const char *fx_check_failure(ev_code rc, const doc *d, const ev_error *err)
{
    if (rc != EV_ENOTDOC && rc != EV_EENCRYPTED && rc != EV_EZIPBOMB &&
        rc != EV_ETOOLARGE && rc != EV_EMALFORMED && rc != EV_EUNSUPPORTED)
        return "not one of the six rejection codes";
    if (d)
        return "a document returned with an error";
    if (err->code != rc)
        return "err->code differs from the return code";
    if (memchr(err->message, '\0', sizeof(err->message)) == NULL ||
        err->message[0] == '\0')
        return "no error message";
    return NULL;
}

static void dump_seed(const void *data, size_t len)
{
    const char *dir = getenv("EV_FIXTURE_DUMP_DIR");
    char hex[EV_SHA256_HEX_LEN + 1];
    char *path;
    FILE *f;

    if (!dir || len > 256 * 1024)
        return;
    ev_sha256_hex(data, len, hex);
    path = ev_asprintf("%s/fixture-%.16s", dir, hex);
    f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
        fx_fatal("cannot write seed", path);
    free(path);
}

static void broken_abort(const char *why)
{
    fprintf(stderr, "fixture: doc_parse broke doc.h: %s\n", why);
    abort();
}

static void (*broken_handler)(const char *why) = broken_abort;

void fx_on_broken(void (*fn)(const char *why))
{
    broken_handler = fn ? fn : broken_abort;
}

ev_code fx_parse(const void *data, size_t len, const doc_limits *lim,
                 doc **out, ev_error *err)
{
    static doc sentinel;
    static char why[EV_ERROR_MSG_MAX + 128];
    ev_code rc;
    const char *bad;

    dump_seed(data, len);
    ev_error_clear(err);
    *out = &sentinel;       /* doc_parse must overwrite it either way */
    rc = doc_parse(data, len, lim, out, err);
    if (rc == EV_OK) {
        if (*out == &sentinel)
            *out = NULL;
        bad = *out ? fx_check_doc(*out) : "no document";
        if (bad)
            broken_handler(bad);
        err->code = EV_OK;
    } else if ((bad = fx_check_failure(rc, *out, err)) != NULL) {
        snprintf(why, sizeof(why), "returned %s (%s): %s", ev_code_name(rc),
                 err->message, bad);
        broken_handler(why);
    }
    return rc;
}

size_t fx_count(const doc *d, const char *needle)
{
    size_t n = 0, nl = strlen(needle);

    assert(nl > 0);
    for (size_t i = 0; i < d->nblocks; i++)
        for (const char *p = doc_block_text(d, &d->blocks[i]);
             (p = strstr(p, needle)) != NULL; p += nl)
            n++;
    return n;
}

const doc_block *fx_find(const doc *d, const char *text)
{
    for (size_t i = 0; i < d->nblocks; i++)
        if (strcmp(doc_block_text(d, &d->blocks[i]), text) == 0)
            return &d->blocks[i];
    return NULL;
}

const doc_block *fx_find_sub(const doc *d, const char *text)
{
    for (size_t i = 0; i < d->nblocks; i++)
        if (strstr(doc_block_text(d, &d->blocks[i]), text))
            return &d->blocks[i];
    return NULL;
}

const doc_block *fx_cell(const doc *d, uint32_t table, uint32_t row,
                         uint32_t col)
{
    for (size_t i = 0; i < d->nblocks; i++) {
        const doc_block *b = &d->blocks[i];
        if (b->kind == DOC_BLOCK_CELL && b->table == table && b->row == row &&
            b->col == col)
            return b;
    }
    return NULL;
}
