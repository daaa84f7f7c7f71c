/*
 * docb.c: builds the block list from text that arrives run by run.
 *
 * Open blocks form a stack because documents nest them: a text box inside a
 * paragraph, a table inside a cell, a note inside a paragraph. The frames
 * and their buffers are reused from block to block, so a document costs its
 * text plus a handful of buffers, however many paragraphs it has.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "parse_int.h"

void docb_init(docb *b, doc *d, const doc_limits *lim, ev_error *err)
{
    memset(b, 0, sizeof *b);
    b->d = d;
    b->lim = lim;
    b->err = err;
}

static bool over_limit(docb *b, size_t more)
{
    if (b->text.len + b->open_bytes + more <= b->lim->max_text)
        return false;
    if (b->status == EV_OK)
        b->status = ev_fail(b->err, EV_ETOOLARGE,
                            "document text is over %zu bytes", b->lim->max_text);
    return true;
}

docb_frame *docb_open(docb *b, doc_block_kind kind, doc_part part)
{
    docb_frame *f;

    ev_buf text;

    if (b->nframes == b->frames_cap) {
        size_t old = b->frames_cap;
        b->frames = ev_grow(b->frames, &b->frames_cap, b->nframes + 1, sizeof *b->frames);
        memset(b->frames + old, 0, (b->frames_cap - old) * sizeof *b->frames);
    }
    f = &b->frames[b->nframes++];
    /* A reused frame keeps its buffer's memory; everything else starts anew. */
    text = f->text;
    ev_buf_reset(&text);
    memset(f, 0, sizeof *f);
    f->text = text;
    f->kind = kind;
    f->part = part;
    f->source = b->source;
    f->confidence = 100;
    return f;
}

docb_frame *docb_top(docb *b)
{
    return b->nframes ? &b->frames[b->nframes - 1] : NULL;
}

void docb_cell_paragraph(docb *b)
{
    docb_frame *f = docb_top(b);

    if (!f || f->kind != DOC_BLOCK_CELL)
        return;
    if (f->paragraphs++ > 0 && f->text.len > 0) {
        f->space_pending = false;
        docb_text_raw(b, "\n", 1);
    }
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void docb_text(docb *b, const char *s, size_t len)
{
    docb_frame *f = docb_top(b);

    if (!f || b->status != EV_OK || len == 0)
        return;
    if (!f->collapse) {
        if (over_limit(b, len))
            return;
        ev_buf_append(&f->text, s, len);
        b->open_bytes += len;
        return;
    }
    /* ODF: a run of white space characters in the text counts as one space,
     * and none at the start of a paragraph. */
    size_t i = 0;
    while (i < len) {
        if (is_ws(s[i])) {
            f->space_pending = f->text.len > 0;
            while (i < len && is_ws(s[i]))
                i++;
            continue;
        }
        size_t start = i;
        while (i < len && !is_ws(s[i]))
            i++;
        if (over_limit(b, i - start + 1))
            return;
        if (f->space_pending) {
            ev_buf_putc(&f->text, ' ');
            b->open_bytes++;
            f->space_pending = false;
        }
        ev_buf_append(&f->text, s + start, i - start);
        b->open_bytes += i - start;
    }
}

void docb_text_raw(docb *b, const char *s, size_t len)
{
    docb_frame *f = docb_top(b);
    bool collapse;

    if (!f)
        return;
    collapse = f->collapse;
    f->collapse = false;
    if (f->space_pending)
        docb_text(b, " ", 1);
    docb_text(b, s, len);
    f->collapse = collapse;
    f->space_pending = false;
}

/* Leading and trailing white space carries no meaning for a reader of the
 * extracted text; it is layout. */
static void trim(const char **s, size_t *len)
{
    while (*len && ((unsigned char)**s <= ' '))
        (*s)++, (*len)--;
    while (*len && ((unsigned char)(*s)[*len - 1] <= ' '))
        (*len)--;
}

void docb_close(docb *b)
{
    docb_frame *f = docb_top(b);
    const char *s;
    size_t len;
    doc *d = b->d;

    assert(f != NULL);
    if (!f)
        return;
    s = f->text.data ? f->text.data : "";
    len = f->text.len;
    b->open_bytes -= f->text.len;
    trim(&s, &len);
    if (len > 0 && b->status == EV_OK) {
        doc_block *blk;
        d->blocks = ev_grow(d->blocks, &b->blocks_cap, d->nblocks + 1, sizeof *d->blocks);
        blk = &d->blocks[d->nblocks++];
        memset(blk, 0, sizeof *blk);
        blk->kind = f->kind;
        blk->part = f->part;
        blk->level = f->level;
        blk->depth = f->depth;
        blk->table = f->table;
        blk->row = f->row;
        blk->col = f->col;
        blk->off = b->text.len;
        blk->len = len;
        blk->source = f->source;
        blk->confidence = f->confidence;
        ev_buf_append(&b->text, s, len);
        ev_buf_putc(&b->text, '\0');
    }
    ev_buf_reset(&f->text);
    b->nframes--;
}

/* ---- tables ------------------------------------------------------------ */

#define MAX_GRID 4096       /* grid columns past this are clamped */
#define MAX_ROWS_STEP 1024  /* rows one repeated row may stand for */

static docb_table *innermost(docb *b)
{
    if (b->nopen_tables == 0 || b->nopen_tables > DOCB_MAX_TABLES)
        return NULL;
    return &b->open_tables[b->nopen_tables - 1];
}

uint16_t docb_table_depth(const docb *b)
{
    return (uint16_t)(b->nopen_tables > DOCB_MAX_TABLES ? DOCB_MAX_TABLES : b->nopen_tables);
}

void docb_table_open(docb *b)
{
    if (b->nopen_tables < DOCB_MAX_TABLES) {
        docb_table *t = &b->open_tables[b->nopen_tables];
        memset(t, 0, sizeof *t);
        t->id = ++b->tables;
    }
    b->nopen_tables++;
}

void docb_table_close(docb *b)
{
    if (b->nopen_tables > 0)
        b->nopen_tables--;
}

void docb_row_open(docb *b, uint32_t rows)
{
    docb_table *t = innermost(b);
    if (!t)
        return;
    if (t->started)
        t->row += t->row_span ? t->row_span : 1;
    t->started = true;
    t->col = 0;
    t->row_span = rows == 0 ? 1 : rows > MAX_ROWS_STEP ? MAX_ROWS_STEP : rows;
}

void docb_skip_columns(docb *b, uint32_t n)
{
    docb_table *t = innermost(b);
    if (t)
        t->col = n > MAX_GRID - t->col ? MAX_GRID : t->col + n;
}

docb_frame *docb_cell_open(docb *b, doc_part part)
{
    docb_table *t = innermost(b);
    docb_frame *f;

    if (!t)
        return NULL;
    if (!t->started)            /* a cell outside any row: row 0 */
        docb_row_open(b, 1);
    t->span = 1;
    f = docb_open(b, DOC_BLOCK_CELL, part);
    f->table = t->id;
    f->row = t->row;
    f->col = t->col;
    f->depth = docb_table_depth(b);
    return f;
}

void docb_cell_span(docb *b, uint32_t span)
{
    docb_table *t = innermost(b);
    if (t)
        t->span = span ? span : 1;
}

void docb_cell_close(docb *b)
{
    docb_table *t = innermost(b);
    if (!t)
        return;
    docb_close(b);
    docb_skip_columns(b, t->span);
}

/* ---- finishing ------------------------------------------------------------ */

static int part_rank(doc_part p)
{
    switch (p) {
    case DOC_PART_HEADER: return 0;
    case DOC_PART_BODY: return 1;
    case DOC_PART_NOTE: return 2;
    case DOC_PART_FOOTER: return 3;
    }
    return 1;
}

static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

ev_code docb_finish(docb *b)
{
    doc *d = b->d;
    doc_block *sorted;
    size_t k = 0;

    while (b->nframes)
        docb_close(b);
    if (b->status != EV_OK)
        return b->status;
    /* Stable: headers, body, notes, footers; each in document order. */
    sorted = ev_malloc(sizeof *sorted * (d->nblocks ? d->nblocks : 1));
    for (int rank = 0; rank < 4; rank++)
        for (size_t i = 0; i < d->nblocks; i++)
            if (part_rank(d->blocks[i].part) == rank)
                sorted[k++] = d->blocks[i];
    assert(k == d->nblocks);
    free(d->blocks);
    d->blocks = sorted;
    d->text_len = b->text.len;
    d->text = ev_buf_steal(&b->text);
    d->text_chars = utf8_chars(d->text, d->text_len) - d->nblocks;
    return EV_OK;
}

void docb_free(docb *b)
{
    for (size_t i = 0; i < b->frames_cap; i++)
        ev_buf_free(&b->frames[i].text);
    free(b->frames);
    ev_buf_free(&b->text);
    memset(b, 0, sizeof *b);
}
