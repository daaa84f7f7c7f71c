/*
 * docx.c: OOXML word-processing packages (.docx, .docm, .dotx, .dotm).
 *
 * The package is walked as Word lays it out for a reader: the main part is
 * found through _rels/.rels (not assumed to be word/document.xml), its own
 * relationships name the styles, headers, footers and notes. Each part is
 * streamed once. Text is taken only from w:t (and m:t in equations), so
 * field instructions, deleted text and properties never leak into it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse_int.h"

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_W_STRICT "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define NS_MC "http://schemas.openxmlformats.org/markup-compatibility/2006"
#define NS_M "http://schemas.openxmlformats.org/officeDocument/2006/math"
#define NS_M_STRICT "http://purl.oclc.org/ooxml/officeDocument/math"

#define MAX_FIELDS 32               /* nested complex fields tracked */
#define MAX_ALTERNATES 32           /* nested mc:AlternateContent tracked */

enum act {
    ACT_NONE = 0,
    ACT_PARA,       /* a w:p that opened its own block */
    ACT_CELLPARA,   /* a w:p that continues the enclosing cell */
    ACT_PPR,
    ACT_TEXT,       /* w:t or m:t: text nodes are content */
    ACT_TABLE,
    ACT_CELL,
    ACT_ALTERNATE   /* mc:AlternateContent: one of its branches is read */
};

typedef struct docx_ctx {
    xmlr *x;
    docb *b;
    stylemap *styles;
    doc_part part;
    const xmlChar *ns_w, *ns_w_strict, *ns_mc, *ns_m, *ns_m_strict;
    unsigned char *acts;        /* per element depth: what its start did */
    bool in_text;
    bool in_ppr;
    bool root_seen;
    unsigned char fields[MAX_FIELDS];   /* 1: instruction, 2: result */
    int nfields;
    bool alt_chosen[MAX_ALTERNATES];    /* a branch of this one was read */
    int nalts;
    unsigned *warnings;
} docx_ctx;

enum { FIELD_INSTR = 1, FIELD_RESULT = 2 };

static bool in_instruction(const docx_ctx *c)
{
    for (int i = 0; i < c->nfields && i < MAX_FIELDS; i++)
        if (c->fields[i] == FIELD_INSTR)
            return true;
    return false;
}

static uint32_t attr_uint(xmlr *x, const char *ns, const char *name, uint32_t max)
{
    const char *v = xmlr_attr(x, ns, name);
    unsigned long n;
    if (!v)
        return 0;
    n = strtoul(v, NULL, 10);
    return n > max ? max : (uint32_t)n;
}

static void put_utf8(docb *b, unsigned long cp)
{
    char out[4];
    size_t n;
    if (cp < 0x20 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return;
    if (cp < 0x80) {
        out[0] = (char)cp, n = 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6), out[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12), out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
    } else {
        out[0] = (char)(0xF0 | cp >> 18), out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), out[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    docb_text(b, out, n);
}

/* w:sym names a glyph of a symbol font; fonts map their glyphs to U+F0xx. */
static void put_symbol(docx_ctx *c, const char *ns)
{
    const char *v = xmlr_attr(c->x, ns, "char");
    unsigned long cp;
    if (!v)
        return;
    cp = strtoul(v, NULL, 16);
    if (cp >= 0xF000 && cp <= 0xF0FF)
        cp -= 0xF000;
    put_utf8(c->b, cp);
}

static void field_char(docx_ctx *c, const char *ns)
{
    const char *type = xmlr_attr(c->x, ns, "fldCharType");
    if (!type)
        return;
    if (strcmp(type, "begin") == 0) {
        if (c->nfields < MAX_FIELDS)
            c->fields[c->nfields] = FIELD_INSTR;
        c->nfields++;
    } else if (strcmp(type, "separate") == 0) {
        if (c->nfields > 0 && c->nfields <= MAX_FIELDS)
            c->fields[c->nfields - 1] = FIELD_RESULT;
    } else if (strcmp(type, "end") == 0) {
        if (c->nfields > 0)
            c->nfields--;
    }
}

/* A paragraph style or outline level inside the pPr of a paragraph that
 * opened its own block (depth is the pStyle's: pPr above, w:p above that)
 * makes it a heading; cell paragraphs stay cell text. */
static void set_heading(docx_ctx *c, int depth, int level)
{
    docb_frame *top = docb_top(c->b);
    if (level >= 0 && top && depth >= 2 && c->acts[depth - 2] == ACT_PARA) {
        top->kind = DOC_BLOCK_HEADING;
        top->level = (uint16_t)level;
    }
}

/* Elements that stand for a character of text. */
static const struct { const char *name; const char *text; } emitted[] = {
    {"tab", "\t"}, {"ptab", "\t"}, {"br", "\n"}, {"cr", "\n"}, {"noBreakHyphen", "-"},
};

/* Subtrees that hold no text of the document: field instructions, deleted
 * text, phonetic guides, and properties (most of a part's bytes). */
static const char *const skipped[] = {
    "instrText", "delText", "delInstrText", "rt", "sectPr", "sdtPr", "sdtEndPr",
    "tblPr", "tblGrid", "tblPrEx",
};

/* Element start in the w namespace; returns what the end must undo, or -1
 * to skip the subtree. */
static int w_start(docx_ctx *c, const char *ns, const char *name, int depth)
{
    docb_frame *top;

    if (c->in_ppr) {
        if (strcmp(name, "pStyle") == 0) {
            set_heading(c, depth, stylemap_level(c->styles, xmlr_attr(c->x, ns, "val")));
            return ACT_NONE;
        }
        if (strcmp(name, "outlineLvl") == 0) {
            uint32_t lvl = attr_uint(c->x, ns, "val", 9);
            set_heading(c, depth, lvl < 9 ? (int)lvl + 1 : -1);
            return ACT_NONE;
        }
        if (strstr(name, "Change"))
            *c->warnings |= DOC_WARN_TRACKED_CHANGES;
        return -1;      /* numbering, tabs stops, run properties, changes */
    }

    /* Runs and their text are most of a document: test them first. */
    if (strcmp(name, "r") == 0)
        return ACT_NONE;
    if (strcmp(name, "t") == 0) {
        c->in_text = true;
        return ACT_TEXT;
    }
    if (strcmp(name, "rPr") == 0)
        return -1;
    for (size_t i = 0; i < EV_ARRAY_LEN(emitted); i++) {
        if (strcmp(name, emitted[i].name) == 0) {
            docb_text(c->b, emitted[i].text, 1);
            return ACT_NONE;
        }
    }
    for (size_t i = 0; i < EV_ARRAY_LEN(skipped); i++)
        if (strcmp(name, skipped[i]) == 0)
            return -1;
    if (strcmp(name, "p") == 0) {
        top = docb_top(c->b);
        if (top && top->kind == DOC_BLOCK_CELL) {
            docb_cell_paragraph(c->b);
            return ACT_CELLPARA;
        }
        docb_open(c->b, DOC_BLOCK_PARAGRAPH, c->part)->depth = docb_table_depth(c->b);
        return ACT_PARA;
    }
    if (strcmp(name, "pPr") == 0) {
        c->in_ppr = true;
        return ACT_PPR;
    }
    if (strcmp(name, "sym") == 0) {
        put_symbol(c, ns);
        return ACT_NONE;
    }
    if (strcmp(name, "fldChar") == 0) {
        field_char(c, ns);
        return ACT_NONE;
    }
    if (strcmp(name, "tbl") == 0) {
        docb_table_open(c->b);
        return ACT_TABLE;
    }
    if (strcmp(name, "tr") == 0) {
        docb_row_open(c->b, 1);
        return ACT_NONE;
    }
    if (strcmp(name, "tc") == 0)
        return docb_cell_open(c->b, c->part) ? ACT_CELL : ACT_NONE;
    if (strcmp(name, "gridBefore") == 0) {
        docb_skip_columns(c->b, attr_uint(c->x, ns, "val", 4096));
        return ACT_NONE;
    }
    if (strcmp(name, "gridSpan") == 0) {
        docb_cell_span(c->b, attr_uint(c->x, ns, "val", 4096));
        return ACT_NONE;
    }
    /* A comment anchored in the text (its words are in the comments part,
     * which is not read); an empty comments part, as some converters
     * write, is no comment. */
    if (strcmp(name, "commentReference") == 0 || strcmp(name, "commentRangeStart") == 0) {
        *c->warnings |= DOC_WARN_COMMENTS;
        return ACT_NONE;
    }
    /* Revisions: inserted and moved-to text stays, deleted and moved-from
     * text goes; either way the reader is told. */
    if (strcmp(name, "ins") == 0 || strcmp(name, "moveTo") == 0) {
        *c->warnings |= DOC_WARN_TRACKED_CHANGES;
        return ACT_NONE;
    }
    if (strcmp(name, "del") == 0 || strcmp(name, "moveFrom") == 0) {
        *c->warnings |= DOC_WARN_TRACKED_CHANGES;
        return -1;
    }
    if (strcmp(name, "footnote") == 0 || strcmp(name, "endnote") == 0) {
        const char *type = xmlr_attr(c->x, ns, "type");
        if (type && strcmp(type, "normal") != 0)
            return -1;      /* separators are layout, not notes */
        return ACT_NONE;
    }
    if (strstr(name, "PrChange")) {
        *c->warnings |= DOC_WARN_TRACKED_CHANGES;
        return -1;
    }
    return ACT_NONE;
}

/*
 * Markup compatibility: an mc:AlternateContent offers the same content in
 * several encodings. Read the first mc:Choice whose required extensions we
 * read (text boxes as wps, equations as m); otherwise the mc:Fallback. Never
 * both, or text boxes would come out twice.
 */
static bool requires_known(const char *req)
{
    static const char *const known[] = {"wps", "wpg", "wpc", "wpi", "wp14", "w14",
                                        "w15", "m", "a14", "v"};
    char buf[256];
    char *tok, *save = NULL;

    if (!req || strlen(req) >= sizeof buf)
        return false;
    strcpy(buf, req);
    for (tok = strtok_r(buf, " \t\r\n", &save); tok; tok = strtok_r(NULL, " \t\r\n", &save)) {
        bool ok = false;
        for (size_t i = 0; i < EV_ARRAY_LEN(known) && !ok; i++)
            ok = strcmp(tok, known[i]) == 0;
        if (!ok)
            return false;
    }
    return true;
}

static int mc_start(docx_ctx *c, const char *name)
{
    bool *chosen = c->nalts > 0 && c->nalts <= MAX_ALTERNATES ? &c->alt_chosen[c->nalts - 1]
                                                               : NULL;
    if (strcmp(name, "AlternateContent") == 0) {
        if (c->nalts < MAX_ALTERNATES)
            c->alt_chosen[c->nalts] = false;
        c->nalts++;
        return ACT_ALTERNATE;
    }
    if (strcmp(name, "Choice") == 0) {
        if (!chosen || *chosen || !requires_known(xmlr_attr(c->x, NULL, "Requires")))
            return -1;
        *chosen = true;
        return ACT_NONE;
    }
    if (strcmp(name, "Fallback") == 0)
        return chosen && *chosen ? -1 : ACT_NONE;
    return ACT_NONE;
}

static void end_element(docx_ctx *c, int act)
{
    switch (act) {
    case ACT_ALTERNATE:
        if (c->nalts > 0)
            c->nalts--;
        break;
    case ACT_PARA:
        docb_close(c->b);
        break;
    case ACT_PPR:
        c->in_ppr = false;
        break;
    case ACT_TEXT:
        c->in_text = false;
        break;
    case ACT_TABLE:
        docb_table_close(c->b);
        break;
    case ACT_CELL:
        docb_cell_close(c->b);
        break;
    default:
        break;
    }
}

/* Stream one story part (body, header, footer, notes) into the builder. */
static ev_code read_story(zipr *z, const char *name, doc_part part, bool main_part,
                          stylemap *styles, docb *b, ev_error *err)
{
    xmlr x;
    docx_ctx c;
    ev_code rc;
    int ret;

    rc = xmlr_open_entry(&x, z, name, err);
    if (rc == EV_ENOTFOUND) {
        b->d->warnings |= DOC_WARN_MISSING_PART;
        return EV_OK;
    }
    if (rc != EV_OK)
        goto done;
    memset(&c, 0, sizeof c);
    c.x = &x;
    c.b = b;
    c.styles = styles;
    c.part = part;
    c.warnings = &b->d->warnings;
    c.acts = ev_calloc(z->lim->max_depth + 2, 1);
    c.ns_w = xmlTextReaderConstString(x.r, BAD_CAST NS_W);
    c.ns_w_strict = xmlTextReaderConstString(x.r, BAD_CAST NS_W_STRICT);
    c.ns_mc = xmlTextReaderConstString(x.r, BAD_CAST NS_MC);
    c.ns_m = xmlTextReaderConstString(x.r, BAD_CAST NS_M);
    c.ns_m_strict = xmlTextReaderConstString(x.r, BAD_CAST NS_M_STRICT);

    bool skip = false;
    while ((ret = xmlr_next(&x, skip, err)) == 1 && b->status == EV_OK) {
        int type = xmlTextReaderNodeType(x.r);
        int depth = xmlTextReaderDepth(x.r);
        skip = false;
        if (type == XML_READER_TYPE_ELEMENT) {
            const xmlChar *ns = xmlTextReaderConstNamespaceUri(x.r);
            const char *local = (const char *)xmlTextReaderConstLocalName(x.r);
            int act = ACT_NONE;
            if (!c.root_seen) {
                c.root_seen = true;
                if (main_part && !(ns == c.ns_w || ns == c.ns_w_strict) ) {
                    rc = ev_fail(err, EV_EUNSUPPORTED,
                                 "%s is not a word-processing document (root <%s>)",
                                 name, local);
                    goto done_ctx;
                }
                if (main_part && strcmp(local, "document") != 0) {
                    rc = ev_fail(err, EV_EUNSUPPORTED,
                                 "%s is not a word-processing document (root <%s>)",
                                 name, local);
                    goto done_ctx;
                }
            }
            if (ns == c.ns_w || ns == c.ns_w_strict)
                act = w_start(&c, (const char *)ns, local, depth);
            else if (ns == c.ns_mc)
                act = mc_start(&c, local);
            else if ((ns == c.ns_m || ns == c.ns_m_strict) && strcmp(local, "t") == 0)
                act = (c.in_text = true, ACT_TEXT);
            if (act < 0) {
                skip = !xmlTextReaderIsEmptyElement(x.r);
                continue;
            }
            if (xmlTextReaderIsEmptyElement(x.r))
                end_element(&c, act);
            else
                c.acts[depth] = (unsigned char)act;
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            end_element(&c, c.acts[depth]);
            c.acts[depth] = ACT_NONE;
        } else if (c.in_text && (type == XML_READER_TYPE_TEXT ||
                                 type == XML_READER_TYPE_CDATA ||
                                 type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                                 type == XML_READER_TYPE_WHITESPACE)) {
            if (!in_instruction(&c)) {
                const char *v = (const char *)xmlTextReaderConstValue(x.r);
                if (v)
                    docb_text(b, v, strlen(v));
            }
        }
    }
    if (ret < 0)
        rc = EV_EMALFORMED;     /* err already holds the precise code */
    if (b->status != EV_OK)
        rc = b->status;
    /* Blocks left open by a part that ended early are closed, not lost. */
    while (docb_top(b))
        docb_close(b);
done_ctx:
    free(c.acts);
done:
    {
        ev_code crc = xmlr_close(&x, err);
        if (rc == EV_OK)
            rc = crc;
    }
    if (rc != EV_OK && err && err->code != EV_OK)
        rc = err->code;
    return rc;
}

/* ---- styles ------------------------------------------------------------ */

/* A style definition being read: what styles.xml says of one w:style. */
typedef struct style_reader {
    stylemap *m;
    char *id, *display, *parent;
    int level;
    int depth;              /* of the open w:style, -1 outside one */
    bool paragraph;
} style_reader;

static void set_owned(char **slot, const char *v)
{
    free(*slot);
    *slot = v ? ev_strdup(v) : NULL;
}

static int on_style_node(void *ctx, xmlr *x, ev_error *err)
{
    style_reader *s = ctx;
    int type = xmlTextReaderNodeType(x->r);
    int depth = xmlTextReaderDepth(x->r);
    const char *local = (const char *)xmlTextReaderConstLocalName(x->r);
    const char *ns = (const char *)xmlTextReaderConstNamespaceUri(x->r);

    (void)err;
    if (type == XML_READER_TYPE_END_ELEMENT && depth == s->depth) {
        if (s->paragraph)
            stylemap_add(s->m, s->id, s->display, s->parent, s->level);
        set_owned(&s->id, NULL), set_owned(&s->display, NULL), set_owned(&s->parent, NULL);
        s->depth = -1;
        return 0;
    }
    if (type != XML_READER_TYPE_ELEMENT)
        return 0;
    if (strcmp(local, "style") == 0 && !xmlTextReaderIsEmptyElement(x->r)) {
        const char *t = xmlr_attr(x, ns, "type");
        s->paragraph = !t || strcmp(t, "paragraph") == 0;
        set_owned(&s->id, xmlr_attr(x, ns, "styleId"));
        s->level = -1;
        s->depth = depth;
    } else if (s->depth >= 0 && strcmp(local, "name") == 0) {
        set_owned(&s->display, xmlr_attr(x, ns, "val"));
    } else if (s->depth >= 0 && strcmp(local, "basedOn") == 0) {
        set_owned(&s->parent, xmlr_attr(x, ns, "val"));
    } else if (s->depth >= 0 && strcmp(local, "outlineLvl") == 0) {
        uint32_t lvl = attr_uint(x, ns, "val", 9);
        s->level = lvl < 9 ? (int)lvl + 1 : -1;
    } else if (strcmp(local, "rPr") == 0 || strcmp(local, "latentStyles") == 0 ||
               strcmp(local, "docDefaults") == 0 || strcmp(local, "tblPr") == 0) {
        return 1;
    }
    return 0;
}

static ev_code read_styles(zipr *z, const char *name, stylemap *m, ev_error *err)
{
    style_reader s = {.m = m, .depth = -1};
    ev_code rc = xmlr_walk(z, name, on_style_node, &s, err);

    free(s.id), free(s.display), free(s.parent);
    return rc == EV_ENOTFOUND ? EV_OK : rc;
}

/* ---- relationships ----------------------------------------------------- */

typedef struct rel_target {
    char *path;
    doc_part part;
    int order;      /* 0 header, 1 footnotes, 2 endnotes, 3 footer */
} rel_target;

typedef struct rels {
    rel_target *v;
    size_t n, cap;
    char *styles;
    bool macros;
} rels;

/* Resolve a relationship target against the folder of its source part. */
static char *resolve_target(const char *base_dir, const char *target)
{
    ev_buf path = {0};
    const char *segs[64];
    size_t lens[64], nseg = 0;
    const char *srcs[2] = {target[0] == '/' ? "" : base_dir, target};

    for (int k = 0; k < 2; k++) {
        const char *p = srcs[k];
        while (*p) {
            const char *slash = strchr(p, '/');
            size_t n = slash ? (size_t)(slash - p) : strlen(p);
            if (n == 2 && p[0] == '.' && p[1] == '.') {
                if (nseg)
                    nseg--;
            } else if (n > 0 && !(n == 1 && p[0] == '.') && nseg < 64) {
                segs[nseg] = p;
                lens[nseg++] = n;
            }
            p += n;
            if (*p == '/')
                p++;
        }
    }
    for (size_t i = 0; i < nseg; i++) {
        if (i)
            ev_buf_putc(&path, '/');
        ev_buf_append(&path, segs[i], lens[i]);
    }
    return ev_buf_steal(&path);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Read a relationships part; calls back for each internal relationship. */
typedef void (*rel_fn)(void *ctx, const char *type, const char *target);

typedef struct rel_reader {
    rel_fn fn;
    void *ctx;
} rel_reader;

static int on_rel_node(void *ctx, xmlr *x, ev_error *err)
{
    rel_reader *r = ctx;
    const char *mode, *type, *target;
    char *type_copy;

    (void)err;
    if (xmlTextReaderNodeType(x->r) != XML_READER_TYPE_ELEMENT ||
        strcmp((const char *)xmlTextReaderConstLocalName(x->r), "Relationship") != 0)
        return 0;
    mode = xmlr_attr(x, NULL, "TargetMode");
    if (mode && strcasecmp(mode, "External") == 0)
        return 0;
    /* Attribute values live until the reader moves: keep one while
     * reading the other. */
    type = xmlr_attr(x, NULL, "Type");
    type_copy = type ? ev_strdup(type) : NULL;
    target = xmlr_attr(x, NULL, "Target");
    if (type_copy && target)
        r->fn(r->ctx, type_copy, target);
    free(type_copy);
    return 0;
}

static ev_code read_rels(zipr *z, const char *rels_name, rel_fn fn, void *ctx,
                         ev_error *err)
{
    rel_reader r = {fn, ctx};
    return xmlr_walk(z, rels_name, on_rel_node, &r, err);
}

typedef struct main_ctx {
    char *main;
} main_ctx;

static void on_package_rel(void *ctx, const char *type, const char *target)
{
    main_ctx *m = ctx;
    if (!m->main && ends_with(type, "/officeDocument"))
        m->main = resolve_target("", target);
}

typedef struct part_rels_ctx {
    rels *r;
    const char *dir;
} part_rels_ctx;

static void on_part_rel(void *ctx, const char *type, const char *target)
{
    part_rels_ctx *p = ctx;
    rels *r = p->r;
    int order;
    doc_part part;

    if (ends_with(type, "/header"))
        order = 0, part = DOC_PART_HEADER;
    else if (ends_with(type, "/footnotes"))
        order = 1, part = DOC_PART_NOTE;
    else if (ends_with(type, "/endnotes"))
        order = 2, part = DOC_PART_NOTE;
    else if (ends_with(type, "/footer"))
        order = 3, part = DOC_PART_FOOTER;
    else {
        if (ends_with(type, "/styles") && !r->styles)
            r->styles = resolve_target(p->dir, target);
        else if (ends_with(type, "/vbaProject"))
            r->macros = true;
        return;
    }
    if (r->n >= 256)
        return;     /* more headers than any document has: ignore the rest */
    r->v = ev_grow(r->v, &r->cap, r->n + 1, sizeof *r->v);
    r->v[r->n].path = resolve_target(p->dir, target);
    r->v[r->n].part = part;
    r->v[r->n].order = order;
    r->n++;
}

/* Order: headers, notes, footers; within each, by part name in natural
 * order (header2 before header10), which is the order Word numbers them. */
static int natural_cmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
            unsigned long x = strtoul(a, (char **)&a, 10);
            unsigned long y = strtoul(b, (char **)&b, 10);
            if (x != y)
                return x < y ? -1 : 1;
            continue;
        }
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        a++, b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

static int cmp_target(const void *pa, const void *pb)
{
    const rel_target *a = pa, *b = pb;
    if (a->order != b->order)
        return a->order - b->order;
    return natural_cmp(a->path, b->path);
}

/* ---- core and app properties ------------------------------------------- */

static char **meta_slot(doc_meta *m, const char *local)
{
    static const struct { const char *name; size_t off; } map[] = {
        {"title", offsetof(doc_meta, title)},
        {"subject", offsetof(doc_meta, subject)},
        {"creator", offsetof(doc_meta, creator)},
        {"description", offsetof(doc_meta, description)},
        {"keywords", offsetof(doc_meta, keywords)},
        {"created", offsetof(doc_meta, created)},
        {"modified", offsetof(doc_meta, modified)},
        {"lastModifiedBy", offsetof(doc_meta, last_modified_by)},
        {"revision", offsetof(doc_meta, revision)},
        {"Application", offsetof(doc_meta, application)},
        {"Company", offsetof(doc_meta, company)},
        {"Template", offsetof(doc_meta, template_name)},
    };
    for (size_t i = 0; i < EV_ARRAY_LEN(map); i++)
        if (strcmp(map[i].name, local) == 0)
            return (char **)((char *)m + map[i].off);
    return NULL;
}

/* Properties parts are flat: each property is a child of the root. */
typedef struct prop_reader {
    doc_meta *m;
    char **slot;            /* the property being read, or NULL */
    ev_buf value;
} prop_reader;

static int on_prop_node(void *ctx, xmlr *x, ev_error *err)
{
    prop_reader *p = ctx;
    int type = xmlTextReaderNodeType(x->r);
    int depth = xmlTextReaderDepth(x->r);

    (void)err;
    if (type == XML_READER_TYPE_ELEMENT && depth == 1) {
        p->slot = xmlTextReaderIsEmptyElement(x->r)
                      ? NULL
                      : meta_slot(p->m, (const char *)xmlTextReaderConstLocalName(x->r));
        ev_buf_reset(&p->value);
    } else if (type == XML_READER_TYPE_END_ELEMENT && depth == 1) {
        if (p->slot)
            doc_meta_set(p->slot, p->value.data ? p->value.data : "", p->value.len);
        p->slot = NULL;
    } else if (p->slot && (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA)) {
        const char *v = (const char *)xmlTextReaderConstValue(x->r);
        if (v && p->value.len < 4096)
            ev_buf_puts(&p->value, v);
    }
    return 0;
}

static ev_code read_properties(zipr *z, const char *name, doc_meta *m, ev_error *err)
{
    prop_reader p = {.m = m};
    ev_code rc = xmlr_walk(z, name, on_prop_node, &p, err);

    ev_buf_free(&p.value);
    return rc == EV_ENOTFOUND ? EV_OK : rc;
}

/* ---- the package ------------------------------------------------------- */

ev_code docx_read(zipr *z, docb *b, ev_error *err)
{
    main_ctx mc = {0};
    rels r = {0};
    stylemap styles = {0};
    char *dir = NULL, *rels_name = NULL;
    const char *slash;
    ev_code rc;

    rc = read_rels(z, "_rels/.rels", on_package_rel, &mc, err);
    if (rc != EV_OK && rc != EV_ENOTFOUND)
        goto done;
    if (!mc.main)
        mc.main = ev_strdup("word/document.xml");
    if (zipr_find(z, mc.main) < 0) {
        rc = ev_fail(err, EV_ENOTDOC, "the package has no main document part (%s)", mc.main);
        goto done;
    }
    slash = strrchr(mc.main, '/');
    dir = slash ? ev_strndup(mc.main, (size_t)(slash - mc.main)) : ev_strdup("");
    rels_name = ev_asprintf("%s%s_rels/%s.rels", dir, *dir ? "/" : "",
                            slash ? slash + 1 : mc.main);
    part_rels_ctx pc = {&r, dir};
    rc = read_rels(z, rels_name, on_part_rel, &pc, err);
    if (rc != EV_OK && rc != EV_ENOTFOUND)
        goto done;
    if (r.macros || zipr_find(z, "word/vbaProject.bin") >= 0)
        b->d->warnings |= DOC_WARN_MACROS;
    if (r.n)
        qsort(r.v, r.n, sizeof *r.v, cmp_target);

    rc = read_properties(z, "docProps/core.xml", &b->d->meta, err);
    if (rc == EV_OK)
        rc = read_properties(z, "docProps/app.xml", &b->d->meta, err);
    if (rc == EV_OK && r.styles)
        rc = read_styles(z, r.styles, &styles, err);
    for (size_t i = 0; rc == EV_OK && i < r.n && r.v[i].order == 0; i++)
        rc = read_story(z, r.v[i].path, r.v[i].part, false, &styles, b, err);
    if (rc == EV_OK)
        rc = read_story(z, mc.main, DOC_PART_BODY, true, &styles, b, err);
    for (size_t i = 0; rc == EV_OK && i < r.n; i++)
        if (r.v[i].order > 0)
            rc = read_story(z, r.v[i].path, r.v[i].part, false, &styles, b, err);
done:
    for (size_t i = 0; i < r.n; i++)
        free(r.v[i].path);
    free(r.v);
    free(r.styles);
    stylemap_free(&styles);
    free(mc.main);
    free(dir);
    free(rels_name);
    return rc;
}
