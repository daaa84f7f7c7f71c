/* draft.c: the draft mark of a document's title and first lines. */
#include "draft.h"

#include <string.h>

/* The first body lines looked at, and how long a marking line may be: a
 * line such as （征求意见稿） or "DRAFT v0.3 - not for release". */
#define DRAFT_LINES 6
#define DRAFT_LINE_MAX 120

void draft_find(const catalog *cat, const doc *d, evidence *e)
{
    const cat_cueset *set = catalog_cueset(cat, "draft");
    pcre2_match_data *md;
    cat_view v = {0};
    cat_views vs;
    ev_buf why = {0};
    size_t body = 0;

    if (!set)
        return;
    if (e->title)
        cat_view_add(&v, e->title, strlen(e->title));
    for (size_t i = 0; i < d->nblocks; i++) {
        const doc_block *b = &d->blocks[i];
        bool first = false;

        if (b->len == 0)
            continue;
        if (b->part == DOC_PART_BODY)
            first = body++ < DRAFT_LINES;
        if ((first || b->part == DOC_PART_HEADER || b->part == DOC_PART_FOOTER) &&
            b->len <= DRAFT_LINE_MAX)
            cat_view_add(&v, doc_block_text(d, b), b->len);
    }
    for (int i = 0; i < CAT_SCOPE_COUNT; i++)
        vs.v[i] = &v;
    md = pcre2_match_data_create(1, NULL);
    if (!md)
        ev_die("out of memory");
    if (cat_cue_match(&set->cues, CAT_SCOPE_TITLE, &vs, md, &why) && why.len) {
        json_object_set_new(e->fields, "draft", json_string(why.data));
        json_array_append_new(e->notes, json_sprintf("draft: marked \"%s\" in its title or "
                                                     "first lines: not in force",
                                                     why.data));
    }
    pcre2_match_data_free(md);
    ev_buf_free(&why);
    cat_view_free(&v);
}
