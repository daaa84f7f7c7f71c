/*
 * pdflayout.c: the characters of a PDF page, with their boxes, to blocks.
 *
 * poppler gives the page text in its reading order, one character box per
 * character. Its order follows text flows, which is right for prose but
 * takes a table apart column by column ("项目名称, 合同编号" then the two
 * values), and the field extractor needs a label beside its value. So we
 * rebuild the page as a reader sees it: characters grouped into visual
 * lines by their vertical centre, each line read left to right, and a line
 * cut into segments where poppler started a new line of its own (a
 * different flow: another column or cell) with a gap of half an em, where
 * two Chinese characters are that far apart (no prose spaces them so; a
 * line of single characters so spaced is a letter-spaced title and stays
 * whole), or where any gap is wider than two em. A line of one segment is a paragraph or,
 * in a larger font than the page's body text, a heading; a line of several
 * segments is a table row, its segments the cells (col = segment number),
 * and consecutive rows make one table, also over a page break.
 *
 * A paragraph wrapped over several lines is joined again when the line
 * before it ran to the right edge of the page's text, the font is the
 * same and the next line is not indented past the paragraph's start; a
 * heading over two lines when the second is in the same size right under.
 *
 * Spaces: PDFs draw glyphs at positions and rarely say where words end.
 * Between Chinese characters (and between Chinese and Latin text) a space
 * is written only for a gap of 0.225 em or more, so the spacing LibreOffice
 * adds between scripts (0.2 em) is not taken for a space and a real one
 * (1 目的, 0.246 em; 第一条 服务内容, 0.34 em) is kept; between Latin
 * characters poppler's own word breaks are kept.
 *
 * Page headers and footers: the lines at the top of a page within its top
 * 7.5%, and at the bottom within its bottom 7.5%, where word processors
 * put them (text margins are 2 cm and more), go to DOC_PART_HEADER and
 * DOC_PART_FOOTER, so a company name in the header is not the title.
 *
 * A table cell wrapped over lines: a line right under a row (less than
 * half an em between them) with fewer segments than the row, each inside
 * one of the row's columns, goes on those cells.
 *
 * Known limits: text in two columns of prose comes out as rows of a
 * two-column table; a table cell wrapped over lines gives rows of its own;
 * rotated and vertical text is read by its boxes as if horizontal.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parse_int.h"

#define CELL_GAP_FLOW 0.5   /* em: a gap between two of poppler's lines */
#define CELL_GAP 2.0        /* em: any gap */
#define CJK_SPACE 0.225     /* em: a space between Chinese characters */
#define LATIN_SPACE 0.15    /* em: a space where poppler did not put one */
#define HEADING_RATIO 1.2   /* font size over the body's: a heading */
#define HEADING_MAX 80      /* characters: longer lines are not headings */
#define MARGIN_ZONE 0.075   /* of the page height: header and footer lines */
#define MAX_COLS 64         /* segments of a row past this join the last cell */

typedef struct seg {
    size_t first, count;    /* glyphs of the segment, in line order */
    double x1, x2, y1, y2;
    double size;            /* largest font size in the segment */
} seg;

/* The characters' confidence behind a block's text (OCR; 100 for text). */
typedef struct conf_acc {
    uint64_t sum;
    size_t n;
} conf_acc;

static uint8_t conf_mean(const conf_acc *a)
{
    return a->n ? (uint8_t)((a->sum + a->n / 2) / a->n) : 100;
}

typedef struct line {
    size_t first, count;    /* glyphs */
    size_t seg_first, nseg;
} line;

/* What the next line may still be joined to. */
typedef struct para {
    ev_buf text;
    conf_acc conf;
    bool open;
    bool heading;
    uint16_t level;
    double x1;              /* left edge of its first line */
    double last_x2, last_y2;
    double size;
} para;

static bool is_cjk(uint32_t cp)
{
    return (cp >= 0x2E80 && cp <= 0x9FFF) ||    /* radicals, punctuation, kana, Han */
           (cp >= 0xAC00 && cp <= 0xD7AF) ||    /* Hangul */
           (cp >= 0xF900 && cp <= 0xFAFF) ||    /* compatibility ideographs */
           (cp >= 0xFE30 && cp <= 0xFE4F) ||    /* vertical forms */
           (cp >= 0xFF00 && cp <= 0xFFEF) ||    /* full-width forms */
           (cp >= 0x20000 && cp <= 0x3FFFF);
}

void pdfl_put_utf8(ev_buf *out, uint32_t cp)
{
    char s[4];
    size_t n;

    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        s[0] = (char)cp, n = 1;
    } else if (cp < 0x800) {
        s[0] = (char)(0xC0 | cp >> 6), s[1] = (char)(0x80 | (cp & 63)), n = 2;
    } else if (cp < 0x10000) {
        s[0] = (char)(0xE0 | cp >> 12), s[1] = (char)(0x80 | (cp >> 6 & 63));
        s[2] = (char)(0x80 | (cp & 63)), n = 3;
    } else {
        s[0] = (char)(0xF0 | cp >> 18), s[1] = (char)(0x80 | (cp >> 12 & 63));
        s[2] = (char)(0x80 | (cp >> 6 & 63)), s[3] = (char)(0x80 | (cp & 63)), n = 4;
    }
    ev_buf_append(out, s, n);
}

static double em_of(const pdfl_glyph *g)
{
    double h = g->y2 - g->y1;
    return g->size > 0 ? g->size : h > 0 ? h : 1;
}

static double yc(const pdfl_glyph *g)
{
    return (g->y1 + g->y2) / 2;
}

static int by_y(const void *pa, const void *pb)
{
    const pdfl_glyph *a = pa, *b = pb;
    double ya = yc(a), yb = yc(b);
    if (ya != yb)
        return ya < yb ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

static int by_x(const void *pa, const void *pb)
{
    const pdfl_glyph *a = pa, *b = pb;
    if (a->x1 != b->x1)
        return a->x1 < b->x1 ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Whether a reader sees a space between two neighbours of a segment. */
static bool space_between(const pdfl_glyph *a, const pdfl_glyph *b)
{
    double em = fmax(em_of(a), em_of(b));
    double gap = b->x1 - a->x2;

    if (b->index == a->index + 1 && !b->space_before)
        return false;
    /* OCR boxes hug the ink, so gaps between Chinese characters look wide;
     * the engine's word breaks say where a space is, and Chinese has none. */
    if (b->ocr)
        return b->space_before && b->pline == a->pline && !(is_cjk(a->cp) && is_cjk(b->cp));
    if (is_cjk(a->cp) || is_cjk(b->cp))
        return gap >= CJK_SPACE * em;
    if (b->index > a->index && b->space_before && b->pline == a->pline)
        return true;
    return gap >= LATIN_SPACE * em;
}

static void seg_text(const pdfl_glyph *g, const seg *s, ev_buf *out, conf_acc *conf)
{
    for (size_t i = s->first; i < s->first + s->count; i++) {
        if (i > s->first && space_between(&g[i - 1], &g[i]))
            ev_buf_putc(out, ' ');
        pdfl_put_utf8(out, g[i].cp);
        conf->sum += g[i].conf;
        conf->n++;
    }
}

/* The font size most characters of the page have, to 0.5 pt. */
static double body_size(const pdfl_glyph *g, size_t n)
{
    enum { BUCKETS = 200 };
    size_t count[BUCKETS] = {0};
    size_t best = 0;

    for (size_t i = 0; i < n; i++) {
        double s = g[i].size * 2;
        size_t k = s < 0 ? 0 : s >= BUCKETS - 1 ? BUCKETS - 1 : (size_t)lround(s);
        count[k]++;
    }
    for (size_t k = 1; k < BUCKETS; k++)
        if (count[k] > count[best])
            best = k;
    return best ? (double)best / 2 : 0;
}

/* A table row waiting for the lines of its wrapped cells. */
struct pdfl_row {
    bool open;
    size_t ncells;
    ev_buf text[MAX_COLS];
    conf_acc conf[MAX_COLS];
    double x1[MAX_COLS];    /* left edge of each cell's first line */
    uint32_t col[MAX_COLS];
    double last_y2, size;
};

/* The last character of a non-empty UTF-8 buffer. */
static uint32_t last_cp(const ev_buf *t)
{
    const unsigned char *s = (const unsigned char *)t->data;
    const unsigned char *c = s + t->len - 1;
    while (c > s && (*c & 0xC0) == 0x80)
        c--;
    if (*c < 0x80)
        return *c;
    if (*c < 0xE0)
        return (uint32_t)(*c & 31) << 6 | (c[1] & 63);
    if (*c < 0xF0)
        return (uint32_t)(*c & 15) << 12 | (uint32_t)(c[1] & 63) << 6 | (c[2] & 63);
    return 0x20000;         /* a supplementary-plane character: Han, as far as we care */
}

/* Append a wrapped line's text: a space between Latin words, none in Chinese. */
static void join_text(ev_buf *to, const pdfl_glyph *g, const seg *s, conf_acc *conf)
{
    if (to->len > 0 && !is_cjk(g[s->first].cp) && !is_cjk(last_cp(to)))
        ev_buf_putc(to, ' ');
    seg_text(g, s, to, conf);
}

static void close_table(pdfl *l)
{
    if (l->in_table)
        docb_table_close(l->b);
    l->in_table = false;
}

static void emit(pdfl *l, doc_block_kind kind, doc_part part, uint16_t level,
                 const char *s, size_t len, const conf_acc *conf)
{
    docb_frame *f;

    if (part == DOC_PART_BODY)
        close_table(l);
    f = docb_open(l->b, kind, part);
    f->level = level;
    f->confidence = conf_mean(conf);
    docb_text(l->b, s, len);
    docb_close(l->b);
}

static void para_flush(pdfl *l, para *p)
{
    if (!p->open)
        return;
    emit(l, p->heading ? DOC_BLOCK_HEADING : DOC_BLOCK_PARAGRAPH, DOC_PART_BODY, p->level,
         p->text.data ? p->text.data : "", p->text.len, &p->conf);
    ev_buf_reset(&p->text);
    p->conf = (conf_acc){0};
    p->open = false;
}

static void row_flush(pdfl *l)
{
    struct pdfl_row *r = l->row;
    uint32_t at = 0;

    if (!r || !r->open)
        return;
    if (!l->in_table) {
        docb_table_open(l->b);
        l->in_table = true;
    }
    docb_row_open(l->b, 1);
    for (size_t i = 0; i < r->ncells; i++) {
        if (r->col[i] > at) {
            docb_skip_columns(l->b, r->col[i] - at);
            at = r->col[i];
        }
        docb_frame *f = docb_cell_open(l->b, DOC_PART_BODY);
        if (f) {
            f->confidence = conf_mean(&r->conf[i]);
            docb_text(l->b, r->text[i].data ? r->text[i].data : "", r->text[i].len);
            docb_cell_close(l->b);
        }
        at++;
    }
    r->open = false;
}

/* The cell of the last row whose column holds x, or -1. */
static int column_of(const struct pdfl_row *r, double x)
{
    for (size_t j = r->ncells; j-- > 0;)
        if (x >= r->x1[j] - 2)
            return (int)j;
    return -1;
}

/* Whether the line of segments s[0..n) is the wrapped end of the open row. */
static bool row_continues(const struct pdfl_row *r, const seg *s, size_t n)
{
    int last = -1;

    if (!r || !r->open || n >= r->ncells || s[0].y1 - r->last_y2 >= 0.3 * r->size)
        return false;
    for (size_t i = 0; i < n; i++) {
        int j = column_of(r, s[i].x1);
        if (j <= last)
            return false;
        last = j;
    }
    return true;
}

static void row_add(pdfl *l, const pdfl_glyph *g, const seg *s, size_t n)
{
    struct pdfl_row *r = l->row;
    uint32_t col[MAX_COLS];
    size_t ncells = n < MAX_COLS ? n : MAX_COLS;

    if (!r)
        r = l->row = ev_calloc(1, sizeof *r);
    if (row_continues(r, s, n)) {
        for (size_t i = 0; i < n; i++) {
            int j = column_of(r, s[i].x1);
            join_text(&r->text[j], g, &s[i], &r->conf[j]);
        }
        r->last_y2 = s[0].y2;
        return;
    }
    row_flush(l);
    /* Columns as in the row above, so a row with an empty cell keeps its
     * values under their labels. */
    for (size_t i = 0; i < ncells; i++) {
        int j = l->in_table ? column_of(r, s[i].x1) : -1;
        uint32_t c = j >= 0 ? r->col[j] : (uint32_t)i;
        col[i] = i > 0 && c <= col[i - 1] ? col[i - 1] + 1 : c;
    }
    for (size_t i = 0; i < ncells; i++) {
        ev_buf_reset(&r->text[i]);
        r->conf[i] = (conf_acc){0};
        seg_text(g, &s[i], &r->text[i], &r->conf[i]);
        r->x1[i] = s[i].x1;
        r->col[i] = col[i];
    }
    for (size_t i = ncells; i < n; i++)
        join_text(&r->text[ncells - 1], g, &s[i], &r->conf[ncells - 1]);
    r->ncells = ncells;
    r->open = true;
    r->last_y2 = s[0].y2;
    r->size = s[0].size > 0 ? s[0].size : s[0].y2 - s[0].y1;
}

static uint16_t heading_level(pdfl *l, double ratio)
{
    if (!l->any_heading && l->page == 1 && ratio >= 1.6) {
        l->any_heading = true;
        return 0;
    }
    return ratio >= 1.5 ? 1 : ratio >= 1.3 ? 2 : 3;
}

/* Whether line segment `s` goes on paragraph p: the line before ran to the
 * right edge without ending a sentence, in the same font, close above. */
static bool continues(const para *p, const seg *s, double right)
{
    static const uint32_t ends[] = {0x3002, 0xFF01, 0xFF1F, 0xFF1B, 0xFF1A,
                                    '.', '!', '?', ';', ':'};
    uint32_t last;

    if (!p->open || p->text.len == 0)
        return false;
    last = last_cp(&p->text);
    for (size_t i = 0; i < EV_ARRAY_LEN(ends); i++)
        if (last == ends[i])
            return false;
    return fabs(s->size - p->size) <= 0.1 * p->size &&
           s->y1 - p->last_y2 < 0.8 * p->size && p->last_x2 >= right - 2 * p->size &&
           s->x1 <= p->x1 + 0.5 * p->size;
}

/* A title set over two lines: the next line in the same size, close under. */
static bool heading_continues(const para *p, const seg *s)
{
    return p->open && p->heading && fabs(s->size - p->size) <= 0.05 * p->size &&
           s->y1 - p->last_y2 < 0.5 * p->size;
}

/* A header or footer line: its segments as one paragraph of that part. */
static void emit_margin(pdfl *l, doc_part part, const pdfl_glyph *g, const seg *s, size_t n,
                        ev_buf *tmp)
{
    conf_acc conf = {0};

    ev_buf_reset(tmp);
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            ev_buf_putc(tmp, ' ');
        seg_text(g, &s[i], tmp, &conf);
    }
    emit(l, DOC_BLOCK_PARAGRAPH, part, 0, tmp->data, tmp->len, &conf);
}

void pdfl_init(pdfl *l, docb *b)
{
    memset(l, 0, sizeof *l);
    l->b = b;
}

void pdfl_page(pdfl *l, pdfl_glyph *g, size_t n, double height)
{
    line *lines = NULL;
    seg *segs = NULL;
    size_t nlines = 0, lines_cap = 0, nsegs = 0, segs_cap = 0, top = 0, bottom;
    double body, right = 0;
    para p;
    ev_buf tmp = {0};

    l->page++;
    memset(&p, 0, sizeof p);
    if (n == 0)
        return;
    body = body_size(g, n);
    qsort(g, n, sizeof *g, by_y);
    /* Visual lines: a glyph whose centre is near the line's first one. */
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        double tol = 0.35 * em_of(&g[i]);
        while (j < n && yc(&g[j]) - yc(&g[i]) <= fmax(tol, 0.35 * em_of(&g[j])))
            j++;
        qsort(g + i, j - i, sizeof *g, by_x);
        lines = ev_grow(lines, &lines_cap, nlines + 1, sizeof *lines);
        lines[nlines++] = (line){.first = i, .count = j - i};
        i = j;
    }
    /* Segments of each line. */
    for (size_t k = 0; k < nlines; k++) {
        line *ln = &lines[k];
        ln->seg_first = nsegs;
        for (size_t i = ln->first; i < ln->first + ln->count; i++) {
            const pdfl_glyph *a = i > ln->first ? &g[i - 1] : NULL;
            bool cut = !a;
            if (a) {
                double em = fmax(em_of(a), em_of(&g[i]));
                double gap = g[i].x1 - a->x2;
                cut = gap > CELL_GAP * em ||
                      (gap > CELL_GAP_FLOW * em &&
                       (g[i].pline != a->pline ||
                        (!g[i].ocr && is_cjk(a->cp) && is_cjk(g[i].cp))));
            }
            if (cut) {
                segs = ev_grow(segs, &segs_cap, nsegs + 1, sizeof *segs);
                segs[nsegs++] = (seg){.first = i, .x1 = g[i].x1, .x2 = g[i].x2,
                                      .y1 = g[i].y1, .y2 = g[i].y2};
            }
            seg *s = &segs[nsegs - 1];
            s->count++;
            s->x2 = fmax(s->x2, g[i].x2);
            s->y1 = fmin(s->y1, g[i].y1);
            s->y2 = fmax(s->y2, g[i].y2);
            s->size = fmax(s->size, g[i].size);
            right = fmax(right, g[i].x2);
        }
        ln->nseg = nsegs - ln->seg_first;
        /* A letter-spaced title (保 密 协 议) is one segment. */
        bool spaced = ln->nseg > 1;
        for (size_t i = ln->seg_first; i < nsegs && spaced; i++)
            spaced = segs[i].count == 1;
        if (spaced) {
            seg *f = &segs[ln->seg_first];
            for (size_t i = ln->seg_first + 1; i < nsegs; i++) {
                f->count += segs[i].count;
                f->x2 = fmax(f->x2, segs[i].x2);
                f->y1 = fmin(f->y1, segs[i].y1);
                f->y2 = fmax(f->y2, segs[i].y2);
                f->size = fmax(f->size, segs[i].size);
            }
            nsegs = ln->seg_first + 1;
            ln->nseg = 1;
        }
    }
    /* Header lines from the top, footer lines from the bottom. */
    bottom = nlines;
    if (height > 0) {
        while (top < nlines && segs[lines[top].seg_first].y2 <= MARGIN_ZONE * height)
            top++;
        while (bottom > top && segs[lines[bottom - 1].seg_first].y1 >= (1 - MARGIN_ZONE) * height)
            bottom--;
    }
    for (size_t k = 0; k < nlines && l->b->status == EV_OK; k++) {
        const line *ln = &lines[k];
        seg *s = &segs[ln->seg_first];
        if (k < top || k >= bottom) {
            emit_margin(l, k < top ? DOC_PART_HEADER : DOC_PART_FOOTER, g, s, ln->nseg, &tmp);
            continue;
        }
        if (ln->nseg > 1 || row_continues(l->row, s, ln->nseg)) {
            para_flush(l, &p);
            row_add(l, g, s, ln->nseg);
            continue;
        }
        row_flush(l);
        bool heading = body > 0 && s->size >= HEADING_RATIO * body && s->count <= HEADING_MAX;
        if (heading ? heading_continues(&p, s) : !p.heading && continues(&p, s, right)) {
            join_text(&p.text, g, s, &p.conf);
            p.last_x2 = s->x2;
            p.last_y2 = s->y2;
            continue;
        }
        para_flush(l, &p);
        seg_text(g, s, &p.text, &p.conf);
        p.open = true;
        p.heading = heading;
        p.level = heading ? heading_level(l, s->size / body) : 0;
        p.x1 = s->x1;
        p.last_x2 = s->x2;
        p.last_y2 = s->y2;
        p.size = s->size > 0 ? s->size : s->y2 - s->y1;
    }
    para_flush(l, &p);
    row_flush(l);
    ev_buf_free(&p.text);
    ev_buf_free(&tmp);
    free(lines);
    free(segs);
}

void pdfl_finish(pdfl *l)
{
    row_flush(l);
    close_table(l);
    if (l->row) {
        for (size_t i = 0; i < MAX_COLS; i++)
            ev_buf_free(&l->row->text[i]);
        free(l->row);
        l->row = NULL;
    }
}
