/*
 * odt.c: OpenDocument text, packaged (.odt, .ott) or flat (.fodt).
 *
 * One node handler serves every part, since a flat document is the parts
 * of a package concatenated: office:meta gives the properties, the style
 * definitions say which paragraph styles are headings, the master pages
 * hold the headers and footers, and office:body the text. Text nodes inside
 * paragraphs are content; ODF's white-space collapsing applies to them.
 */
#include <stdlib.h>
#include <string.h>

#include "parse_int.h"

#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_STYLE "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_META "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
#define NS_MANIFEST "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"

#define MAX_REPEAT 1024     /* repeated cells and spaces are capped */

enum act {
    ACT_NONE = 0,
    ACT_PARA,       /* text:p / text:h that opened its own block */
    ACT_CELLPARA,   /* text:p continuing the enclosing cell */
    ACT_CELL,
    ACT_TABLE,
    ACT_NOTE_BODY,
    ACT_HEADER,     /* style:header*, style:footer* */
    ACT_META,       /* one property inside office:meta */
    ACT_STYLE,      /* style:style */
    ACT_BODY
};

typedef struct odt_ctx {
    xmlr *x;
    docb *b;
    stylemap *styles;
    const xmlChar *ns_office, *ns_text, *ns_table, *ns_style, *ns_dc, *ns_meta;
    unsigned char *acts;
    doc_part part;          /* where text:p blocks go now */
    int paras;              /* open text:p / text:h elements */
    int notes;              /* open text:note-body elements */
    bool in_body;
    char **meta_slot;
    ev_buf meta_value;
    char *style_name, *style_display, *style_parent;
    int style_level;
    bool style_is_para;
} odt_ctx;

static uint32_t attr_count(xmlr *x, const char *ns, const char *name, uint32_t max)
{
    const char *v = xmlr_attr(x, ns, name);
    unsigned long n;
    if (!v)
        return 1;
    n = strtoul(v, NULL, 10);
    if (n == 0)
        return 1;
    return n > max ? max : (uint32_t)n;
}

static char **meta_slot(doc_meta *m, const xmlChar *ns, const char *local, const odt_ctx *c)
{
    if (ns == c->ns_dc) {
        if (strcmp(local, "title") == 0) return &m->title;
        if (strcmp(local, "subject") == 0) return &m->subject;
        if (strcmp(local, "description") == 0) return &m->description;
        if (strcmp(local, "creator") == 0) return &m->last_modified_by;
        if (strcmp(local, "date") == 0) return &m->modified;
    } else if (ns == c->ns_meta) {
        if (strcmp(local, "initial-creator") == 0) return &m->creator;
        if (strcmp(local, "creation-date") == 0) return &m->created;
        if (strcmp(local, "keyword") == 0) return &m->keywords;
        if (strcmp(local, "editing-cycles") == 0) return &m->revision;
        if (strcmp(local, "generator") == 0) return &m->application;
    }
    return NULL;
}

static void open_paragraph(odt_ctx *c, bool heading)
{
    docb_frame *top = docb_top(c->b);
    docb_frame *f;

    c->paras++;
    if (c->notes == 0 && top && top->kind == DOC_BLOCK_CELL) {
        docb_cell_paragraph(c->b);
        c->acts[xmlTextReaderDepth(c->x->r)] = ACT_CELLPARA;
        return;
    }
    f = docb_open(c->b, DOC_BLOCK_PARAGRAPH, c->notes ? DOC_PART_NOTE : c->part);
    f->collapse = true;
    f->depth = docb_table_depth(c->b);
    if (heading) {
        uint32_t lvl = attr_count(c->x, NS_TEXT, "outline-level", 10);
        f->kind = DOC_BLOCK_HEADING;
        f->level = (uint16_t)(lvl > 9 ? 9 : lvl);
    } else {
        int lvl = stylemap_level(c->styles, xmlr_attr(c->x, NS_TEXT, "style-name"));
        if (lvl >= 0) {
            f->kind = DOC_BLOCK_HEADING;
            f->level = (uint16_t)lvl;
        }
    }
    c->acts[xmlTextReaderDepth(c->x->r)] = ACT_PARA;
}

/* Text-namespace element start: returns -1 to skip the subtree. */
static int text_start(odt_ctx *c, const char *name)
{
    if (strcmp(name, "p") == 0 || strcmp(name, "h") == 0) {
        open_paragraph(c, name[0] == 'h');
        return ACT_NONE;    /* open_paragraph recorded the act */
    }
    if (strcmp(name, "tracked-changes") == 0 || strcmp(name, "change-start") == 0 ||
        strcmp(name, "change") == 0) {
        c->b->d->warnings |= DOC_WARN_TRACKED_CHANGES;
        /* The region holds deleted text; the markers in the body are empty. */
        return strcmp(name, "tracked-changes") == 0 ? -1 : ACT_NONE;
    }
    if (c->paras == 0)
        return ACT_NONE;
    if (strcmp(name, "s") == 0) {
        static const char spaces[] = "                ";
        uint32_t n = attr_count(c->x, NS_TEXT, "c", MAX_REPEAT);
        while (n > 0) {
            uint32_t k = n > 16 ? 16 : n;
            docb_text_raw(c->b, spaces, k);
            n -= k;
        }
        return ACT_NONE;
    }
    if (strcmp(name, "tab") == 0) {
        docb_text_raw(c->b, "\t", 1);
        return ACT_NONE;
    }
    if (strcmp(name, "line-break") == 0) {
        docb_text_raw(c->b, "\n", 1);
        return ACT_NONE;
    }
    if (strcmp(name, "note-body") == 0) {
        c->notes++;
        return ACT_NOTE_BODY;
    }
    if (strcmp(name, "note-citation") == 0 || strcmp(name, "ruby-text") == 0 ||
        strcmp(name, "sequence-decls") == 0 ||
        strcmp(name, "variable-decls") == 0 || strcmp(name, "user-field-decls") == 0 ||
        strcmp(name, "table-of-content-source") == 0 ||
        strcmp(name, "alphabetical-index-source") == 0 ||
        strcmp(name, "illustration-index-source") == 0)
        return -1;
    return ACT_NONE;
}

static int table_start(odt_ctx *c, const char *name)
{
    if (strcmp(name, "table") == 0) {
        docb_table_open(c->b);
        return ACT_TABLE;
    }
    if (strcmp(name, "table-row") == 0) {
        docb_row_open(c->b, attr_count(c->x, NS_TABLE, "number-rows-repeated", MAX_REPEAT));
        return ACT_NONE;
    }
    if (strcmp(name, "table-cell") == 0) {
        docb_frame *f = docb_cell_open(c->b, c->part);
        if (!f)
            return ACT_NONE;
        f->collapse = true;
        docb_cell_span(c->b, attr_count(c->x, NS_TABLE, "number-columns-repeated", MAX_REPEAT));
        return ACT_CELL;
    }
    if (strcmp(name, "covered-table-cell") == 0) {
        docb_skip_columns(c->b, attr_count(c->x, NS_TABLE, "number-columns-repeated", MAX_REPEAT));
        return -1;
    }
    if (strcmp(name, "table-source") == 0 || strcmp(name, "table-columns") == 0 ||
        strcmp(name, "table-column") == 0)
        return -1;
    return ACT_NONE;
}

static void style_begin(odt_ctx *c)
{
    const char *family = xmlr_attr(c->x, NS_STYLE, "family");
    const char *name = xmlr_attr(c->x, NS_STYLE, "name");
    const char *display, *parent, *lvl;

    free(c->style_name), free(c->style_display), free(c->style_parent);
    c->style_name = name ? ev_strdup(name) : NULL;
    display = xmlr_attr(c->x, NS_STYLE, "display-name");
    c->style_display = display ? ev_strdup(display) : NULL;
    parent = xmlr_attr(c->x, NS_STYLE, "parent-style-name");
    c->style_parent = parent ? ev_strdup(parent) : NULL;
    lvl = xmlr_attr(c->x, NS_STYLE, "default-outline-level");
    c->style_level = -1;
    if (lvl) {
        long n = strtol(lvl, NULL, 10);
        if (n >= 1 && n <= 9)
            c->style_level = (int)n;
    }
    c->style_is_para = family && strcmp(family, "paragraph") == 0;
}

static void style_end(odt_ctx *c)
{
    if (c->style_is_para)
        stylemap_add(c->styles, c->style_name, c->style_display, c->style_parent,
                     c->style_level);
    free(c->style_name), free(c->style_display), free(c->style_parent);
    c->style_name = c->style_display = c->style_parent = NULL;
}

static int element_start(odt_ctx *c, const xmlChar *ns, const char *name, int depth,
                         bool empty)
{
    if (ns == c->ns_text)
        return text_start(c, name);
    if (ns == c->ns_table)
        return table_start(c, name);
    if (ns == c->ns_office) {
        if (strcmp(name, "annotation") == 0 || strcmp(name, "annotation-end") == 0) {
            c->b->d->warnings |= DOC_WARN_COMMENTS;
            return -1;
        }
        if (strcmp(name, "body") == 0) {
            c->in_body = true;
            c->part = DOC_PART_BODY;
            return ACT_BODY;
        }
        if (strcmp(name, "spreadsheet") == 0 || strcmp(name, "presentation") == 0 ||
            strcmp(name, "drawing") == 0 || strcmp(name, "chart") == 0) {
            if (c->in_body)
                return -2;
        }
        if (strcmp(name, "scripts") == 0 || strcmp(name, "settings") == 0 ||
            strcmp(name, "font-face-decls") == 0 || strcmp(name, "forms") == 0 ||
            strcmp(name, "event-listeners") == 0)
            return -1;
        return ACT_NONE;
    }
    if (ns == c->ns_style) {
        if (strncmp(name, "header", 6) == 0 || strncmp(name, "footer", 6) == 0) {
            if (strstr(name, "-style"))
                return -1;
            c->part = name[0] == 'h' ? DOC_PART_HEADER : DOC_PART_FOOTER;
            return ACT_HEADER;
        }
        if (strcmp(name, "style") == 0 && !empty) {
            style_begin(c);
            return ACT_STYLE;
        }
        if (strcmp(name, "style") == 0) {
            style_begin(c);
            style_end(c);
        }
        /* Formatting properties carry no text and are most of a style part. */
        return strstr(name, "-properties") ? -1 : ACT_NONE;
    }
    if (c->paras == 0 && (ns == c->ns_dc || ns == c->ns_meta) && depth >= 2 && !empty) {
        c->meta_slot = meta_slot(&c->b->d->meta, ns, name, c);
        ev_buf_reset(&c->meta_value);
        return c->meta_slot ? ACT_META : ACT_NONE;
    }
    if (c->paras > 0 && (strcmp(name, "title") == 0 || strcmp(name, "desc") == 0))
        return -1;      /* svg:title / svg:desc: alternative text of drawings */
    return ACT_NONE;
}

static void element_end(odt_ctx *c, int act)
{
    switch (act) {
    case ACT_PARA:
        c->paras--;
        docb_close(c->b);
        break;
    case ACT_CELLPARA:
        c->paras--;
        break;
    case ACT_CELL:
        docb_cell_close(c->b);
        break;
    case ACT_TABLE:
        docb_table_close(c->b);
        break;
    case ACT_NOTE_BODY:
        c->notes--;
        break;
    case ACT_HEADER:
        c->part = c->in_body ? DOC_PART_BODY : DOC_PART_HEADER;
        break;
    case ACT_META:
        if (c->meta_slot)
            doc_meta_set(c->meta_slot, c->meta_value.data ? c->meta_value.data : "",
                         c->meta_value.len);
        c->meta_slot = NULL;
        break;
    case ACT_STYLE:
        style_end(c);
        break;
    case ACT_BODY:
        c->in_body = false;
        break;
    default:
        break;
    }
}

/* Stream one part (or a whole flat document) through the handler. */
static ev_code read_part(xmlr *x, odt_ctx *c, bool flat, ev_error *err)
{
    int ret;
    bool skip = false;
    ev_code rc = EV_OK;
    bool root = true;

    c->x = x;
    c->ns_office = xmlTextReaderConstString(x->r, BAD_CAST NS_OFFICE);
    c->ns_text = xmlTextReaderConstString(x->r, BAD_CAST NS_TEXT);
    c->ns_table = xmlTextReaderConstString(x->r, BAD_CAST NS_TABLE);
    c->ns_style = xmlTextReaderConstString(x->r, BAD_CAST NS_STYLE);
    c->ns_dc = xmlTextReaderConstString(x->r, BAD_CAST NS_DC);
    c->ns_meta = xmlTextReaderConstString(x->r, BAD_CAST NS_META);
    c->acts = ev_calloc(x->lim->max_depth + 2, 1);
    c->paras = 0;
    c->notes = 0;
    c->in_body = false;

    while ((ret = xmlr_next(x, skip, err)) == 1 && c->b->status == EV_OK) {
        int type = xmlTextReaderNodeType(x->r);
        int depth = xmlTextReaderDepth(x->r);
        skip = false;
        if (type == XML_READER_TYPE_ELEMENT) {
            const xmlChar *ns = xmlTextReaderConstNamespaceUri(x->r);
            const char *name = (const char *)xmlTextReaderConstLocalName(x->r);
            bool empty = xmlTextReaderIsEmptyElement(x->r);
            int act;
            if (root) {
                root = false;
                if (ns != c->ns_office || strncmp(name, "document", 8) != 0) {
                    rc = ev_fail(err, flat ? EV_ENOTDOC : EV_EMALFORMED,
                                 "%s: root element <%s> is not an OpenDocument root",
                                 x->part, name);
                    break;
                }
                if (flat) {
                    const char *mime = xmlr_attr(x, NS_OFFICE, "mimetype");
                    if (mime && strncmp(mime, "application/vnd.oasis.opendocument.text", 39) != 0) {
                        rc = ev_fail(err, EV_EUNSUPPORTED,
                                     "flat OpenDocument of type %s is not a text document", mime);
                        break;
                    }
                }
            }
            c->acts[depth] = ACT_NONE;
            act = element_start(c, ns, name, depth, empty);
            if (act == -2) {
                rc = ev_fail(err, EV_EUNSUPPORTED,
                             "%s holds an OpenDocument %s, not a text document", x->part, name);
                break;
            }
            if (act < 0) {
                skip = !empty;
                continue;
            }
            if (act != ACT_NONE)
                c->acts[depth] = (unsigned char)act;
            if (empty) {
                element_end(c, c->acts[depth]);
                c->acts[depth] = ACT_NONE;
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            element_end(c, c->acts[depth]);
            c->acts[depth] = ACT_NONE;
        } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                   type == XML_READER_TYPE_WHITESPACE ||
                   type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
            const char *v = (const char *)xmlTextReaderConstValue(x->r);
            if (!v)
                continue;
            if (c->paras > 0)
                docb_text(c->b, v, strlen(v));
            else if (c->meta_slot && c->meta_value.len < 4096)
                ev_buf_puts(&c->meta_value, v);
        }
    }
    if (ret < 0)
        rc = err->code ? err->code : EV_EMALFORMED;
    if (rc == EV_OK && c->b->status != EV_OK)
        rc = c->b->status;
    while (docb_top(c->b))
        docb_close(c->b);
    free(c->acts);
    c->acts = NULL;
    return rc;
}

static void ctx_free(odt_ctx *c)
{
    free(c->style_name), free(c->style_display), free(c->style_parent);
    ev_buf_free(&c->meta_value);
}

/* The manifest says whether parts are encrypted (a password-protected file). */
static ev_code check_manifest(zipr *z, ev_error *err)
{
    ev_buf m = {0};
    ev_code rc = zipr_read_small(z, "META-INF/manifest.xml", 4u << 20, &m, err);

    if (rc == EV_ENOTFOUND)
        rc = EV_OK;
    else if (rc == EV_OK && m.data && strstr(m.data, "encryption-data"))
        rc = ev_fail(err, EV_EENCRYPTED, "the document is password-protected");
    ev_buf_free(&m);
    return rc;
}

static ev_code read_entry(zipr *z, const char *name, odt_ctx *c, bool required,
                          ev_error *err)
{
    xmlr x;
    ev_code rc = xmlr_open_entry(&x, z, name, err);

    if (rc == EV_ENOTFOUND) {
        if (required)
            return ev_fail(err, EV_EMALFORMED, "the package has no %s", name);
        return EV_OK;
    }
    if (rc == EV_OK)
        rc = read_part(&x, c, false, err);
    ev_code crc = xmlr_close(&x, err);
    return rc != EV_OK ? rc : crc;
}

ev_code odt_read(zipr *z, docb *b, ev_error *err)
{
    stylemap styles = {0};
    odt_ctx c;
    ev_code rc;

    memset(&c, 0, sizeof c);
    c.b = b;
    c.styles = &styles;
    c.part = DOC_PART_HEADER;
    rc = check_manifest(z, err);
    if (rc == EV_OK)
        rc = read_entry(z, "meta.xml", &c, false, err);
    if (rc == EV_OK)
        rc = read_entry(z, "styles.xml", &c, false, err);
    if (rc == EV_OK)
        rc = read_entry(z, "content.xml", &c, true, err);
    ctx_free(&c);
    stylemap_free(&styles);
    return rc;
}

ev_code odt_read_flat(const char *data, size_t len, docb *b, ev_error *err)
{
    stylemap styles = {0};
    odt_ctx c;
    xmlr x;
    ev_code rc;

    memset(&c, 0, sizeof c);
    c.b = b;
    c.styles = &styles;
    c.part = DOC_PART_HEADER;
    rc = xmlr_open_memory(&x, data, len, "flat document", b->lim, err);
    if (rc == EV_OK)
        rc = read_part(&x, &c, true, err);
    ev_code crc = xmlr_close(&x, err);
    if (rc == EV_OK)
        rc = crc;
    ctx_free(&c);
    stylemap_free(&styles);
    return rc;
}
