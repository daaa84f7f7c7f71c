/*
 * classify.c: document kind, topic, subtype and language from catalog cues.
 * The order of the decision is the spec's (section 5); see classify.h.
 */
#include "classify.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "nfkc.h"

/* Bytes of block text read: kinds show in the first pages, and the cost of
 * a few hundred cues over a long text is what this bounds. */
#define CLASSIFY_MAX_TEXT (256u << 10)
/* The title is looked for among the first non-empty body blocks... */
#define TITLE_SCAN_BLOCKS 8
/* ...where up to this many short blocks are title candidates... */
#define TITLE_CANDIDATES 3
/* ...of at most this many characters. */
#define TITLE_MAX_CHARS 100
/* The body votes for a topic over the headings among this many body
 * blocks, and over the first this many non-empty ones... */
#define VOTE_SCAN_BLOCKS 400
#define VOTE_FIRST_BLOCKS 30
/* ...and a topic wins with this many votes, and this many more than the
 * next: one stray word decides nothing. */
#define VOTE_MIN 2
#define VOTE_MARGIN 2
/* Bytes of one block that vote: a heading or an opening paragraph says
 * what it is about early, and a huge block costs no more. */
#define VOTE_BLOCK_MAX 4096

typedef struct strlist {
    char **v;
    size_t n, cap;
} strlist;

/* Append s (taken over) unless an equal string is already there. */
static void strlist_add(strlist *l, char *s)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->v[i], s) == 0) {
            free(s);
            return;
        }
    }
    l->v = ev_grow(l->v, &l->cap, l->n + 1, sizeof *l->v);
    l->v[l->n++] = s;
}

static void strlist_free(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

typedef struct ctx {
    const catalog *cat;
    const doc *d;
    pcre2_match_data *md;
    cat_view text, cells, header, meta, file;
    strlist why;
    strlist reasons;
} ctx;

/* Views with `title` as the title and the document's text and cells. */
static cat_views views_with(const ctx *c, const cat_view *title)
{
    cat_views v = {{NULL}};
    v.v[CAT_SCOPE_TITLE] = title;
    v.v[CAT_SCOPE_TEXT] = &c->text;
    v.v[CAT_SCOPE_CELLS] = &c->cells;
    return v;
}

/* ---- title ---------------------------------------------------------------- */

static bool is_space(unsigned char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* The lead byte of a CJK ideograph (U+4E00-U+9FFF) in UTF-8. */
static bool han_lead(unsigned char ch)
{
    return ch >= 0xE4 && ch <= 0xE9;
}

/*
 * NFKC with white-space runs made one space and the ends trimmed; keeps
 * case. A space between two ideographs goes: titles are letter-spaced to
 * fill a line (个 人 简 历, 保 密 协 议), and Chinese puts no spaces
 * between words.
 */
static char *tidy(const char *s, size_t len)
{
    char *t = ev_nfkc(s, len);
    size_t j = 0;
    bool pending = false;
    for (size_t i = 0; t[i]; i++) {
        if (is_space((unsigned char)t[i])) {
            pending = j > 0;
            continue;
        }
        if (pending && !(j >= 3 && han_lead((unsigned char)t[j - 3]) &&
                         han_lead((unsigned char)t[i])))
            t[j++] = ' ';
        pending = false;
        t[j++] = t[i];
    }
    t[j] = '\0';
    return t;
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* A document number standing alone: ASCII letters and figures joined by
 * '-', '.', '/' or '_', with at least one figure and one letter (QMS-002,
 * ISP-07, QY-QP-12). */
static bool is_doc_id(const char *s, size_t n)
{
    bool digit = false, alpha = false, joined = false;
    if (n < 3 || n > 40)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= '0' && c <= '9')
            digit = true;
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
            alpha = true;
        else if (strchr("-./_", c) && i > 0 && i + 1 < n)
            joined = true;
        else
            return false;
    }
    return digit && alpha && joined;
}

/* "合同编号：HT-2026-018" is a label and its value, not a title; but
 * "QMS-002: Document Control" is a title after its document number. */
static bool is_label_line(const char *t)
{
    const char *colon = strchr(t, ':');
    if (!colon || colon - t > 30 || is_doc_id(t, (size_t)(colon - t)))
        return false;
    for (const char *p = colon + 1; *p; p++)
        if (!is_space((unsigned char)*p))
            return true;
    return false;
}

/* Titles do not end like sentences, or like the lead-in of a list. */
static bool ends_sentence(const char *t)
{
    size_t len = strlen(t);
    static const char *const ends[] = {"\xe3\x80\x82" /* 。 */, ";", ",", ".", ":", "!", "?"};
    for (size_t i = 0; i < EV_ARRAY_LEN(ends); i++) {
        size_t el = strlen(ends[i]);
        if (len >= el && memcmp(t + len - el, ends[i], el) == 0)
            return true;
    }
    return false;
}

/* The only cell of its table: a banner framed as a one-cell table reads as
 * a paragraph. */
static bool lone_cell(const doc *d, size_t i)
{
    const doc_block *b = &d->blocks[i];
    const doc_block *prev = i > 0 ? &d->blocks[i - 1] : NULL;
    const doc_block *next = i + 1 < d->nblocks ? &d->blocks[i + 1] : NULL;

    return b->kind == DOC_BLOCK_CELL &&
           !(prev && prev->kind == DOC_BLOCK_CELL && prev->table == b->table) &&
           !(next && next->kind == DOC_BLOCK_CELL && next->table == b->table);
}

/*
 * Candidate title blocks, best first: a Title-style heading if there is one,
 * then headings, short paragraphs and lone cells among the first body
 * blocks; other cells only when there are none (a licence transcribed as a
 * table).
 */
static size_t title_candidates(const doc *d, size_t *idx, size_t max)
{
    size_t n = 0;
    for (int pass = 0; pass < 3 && n < max; pass++) {
        if (pass == 2 && n > 0)
            break;
        size_t seen = 0;
        for (size_t i = 0; i < d->nblocks && seen < TITLE_SCAN_BLOCKS && n < max; i++) {
            const doc_block *b = &d->blocks[i];
            if (b->part != DOC_PART_BODY)
                continue;
            char *t = tidy(doc_block_text(d, b), b->len);
            bool blank = t[0] == '\0';
            /* a document number on a line of its own comes before the title */
            bool fits = !blank && utf8_chars(t) <= TITLE_MAX_CHARS && !is_label_line(t) &&
                        !ends_sentence(t) && !is_doc_id(t, strlen(t));
            free(t);
            if (blank)
                continue;
            /* A Title-style heading is looked for past a control table
             * above it (a PDF keeps in the body what DOCX puts in the page
             * header): in the first pass, cells do not count. */
            if (!(pass == 0 && b->kind == DOC_BLOCK_CELL))
                seen++;
            bool take;
            if (pass == 0)
                take = b->kind == DOC_BLOCK_HEADING && b->level == 0 && n == 0;
            else if (pass == 1)
                take = (b->kind != DOC_BLOCK_CELL || lone_cell(d, i)) && (n == 0 || idx[0] != i);
            else
                take = b->kind == DOC_BLOCK_CELL;
            if (take && fits)
                idx[n++] = i;
        }
    }
    return n;
}

/* ---- cue passes ----------------------------------------------------------- */

static char *cue_text(const ctx *c, const cat_cue *cue, cat_scope scope, const cat_views *v)
{
    ev_buf b = {0};
    if (!cat_cue_match(cue, scope, v, c->md, &b)) {
        ev_buf_free(&b);
        return NULL;
    }
    return ev_buf_steal(&b);
}

/* Is `k` excluded for this document? The negative cue that applies, or NULL. */
static char *rejection(const ctx *c, const cat_kind *k, const cat_views *v)
{
    return cue_text(c, &k->negative, CAT_SCOPE_TITLE, v);
}

/*
 * The first kind, in catalog order, with a strong cue in the title of `v`
 * and no rejection. *hit receives the strong cue. Every kind whose strong
 * cue matched but was rejected, before or after the winner, adds
 * "negative: …" to *negs, so a template shows why it is no contract.
 */
static const cat_kind *strong_pass(const ctx *c, const cat_views *v, char **hit, strlist *negs)
{
    const cat_kind *winner = NULL;
    *hit = NULL;
    for (size_t i = 0; i < catalog_kind_count(c->cat); i++) {
        const cat_kind *k = catalog_kind_at(c->cat, i);
        char *s = cue_text(c, &k->strong, CAT_SCOPE_TITLE, v);
        if (!s)
            continue;
        char *neg = rejection(c, k, v);
        if (neg)
            strlist_add(negs, ev_asprintf("negative: %s (not %s)", neg, k->id));
        if (!neg && !winner) {
            winner = k;
            *hit = s;
            s = NULL;
        }
        free(neg);
        free(s);
    }
    return winner;
}

typedef struct score {
    size_t medium;
    size_t weak;
} score;

/* Count a kind's medium and weak cues; a strong cue in the header or the
 * metadata title counts as weak. Descriptions go to *why when not NULL. */
static score score_kind(const ctx *c, const cat_kind *k, const cat_views *v, strlist *why)
{
    score s = {0, 0};
    for (size_t i = 0; i < k->medium.nkids; i++) {
        char *d = cue_text(c, &k->medium.kids[i], k->medium.scope, v);
        if (!d)
            continue;
        s.medium++;
        if (why)
            strlist_add(why, ev_asprintf("body: %s", d));
        free(d);
    }
    for (size_t i = 0; i < k->weak.nkids; i++) {
        char *d = cue_text(c, &k->weak.kids[i], k->weak.scope, v);
        if (!d)
            continue;
        s.weak++;
        if (why)
            strlist_add(why, ev_asprintf("weak: %s", d));
        free(d);
    }
    const struct {
        const cat_view *view;
        const char *name;
    } sources[] = {{&c->header, "header"}, {&c->meta, "metadata"}};
    for (size_t i = 0; i < EV_ARRAY_LEN(sources); i++) {
        if (cat_view_blank(sources[i].view))
            continue;
        cat_views hv = views_with(c, sources[i].view);
        char *d = cue_text(c, &k->strong, CAT_SCOPE_TITLE, &hv);
        if (!d)
            continue;
        s.weak++;
        if (why)
            strlist_add(why, ev_asprintf("%s: %s", sources[i].name, d));
        free(d);
    }
    return s;
}

static bool enough(score s)
{
    return s.medium >= 2 || (s.medium >= 1 && s.weak >= 2);
}

static int score_cmp(score a, score b)
{
    if (a.medium != b.medium)
        return a.medium > b.medium ? 1 : -1;
    if (a.weak != b.weak)
        return a.weak > b.weak ? 1 : -1;
    return 0;
}

/* Without a strong cue: the kind with the most medium, then weak, cues. */
static const cat_kind *body_pass(ctx *c, const cat_views *v)
{
    const cat_kind *best = NULL, *tie = NULL, *closest = NULL;
    score sbest = {0, 0}, sclosest = {0, 0};
    for (size_t i = 0; i < catalog_kind_count(c->cat); i++) {
        const cat_kind *k = catalog_kind_at(c->cat, i);
        score s = score_kind(c, k, v, NULL);
        if (s.medium == 0)
            continue;
        if (!enough(s)) {
            if (!closest || score_cmp(s, sclosest) > 0) {
                closest = k;
                sclosest = s;
            }
            continue;
        }
        char *neg = rejection(c, k, v);
        if (neg) {
            strlist_add(&c->why, ev_asprintf("negative: %s (not %s)", neg, k->id));
            free(neg);
            continue;
        }
        int cmp = best ? score_cmp(s, sbest) : 1;
        if (cmp > 0) {
            best = k;
            sbest = s;
            tie = NULL;
        } else if (cmp == 0 && !tie) {
            tie = k;
        }
    }
    if (best && !tie) {
        score_kind(c, best, v, &c->why);
        return best;
    }
    if (tie)
        strlist_add(&c->reasons,
                    ev_asprintf("tied: %s and %s (%zu medium and %zu weak cues each)", best->id,
                                tie->id, sbest.medium, sbest.weak));
    else if (closest)
        strlist_add(&c->reasons,
                    ev_asprintf("undecided: no strong cue in the title; closest %s with %zu "
                                "medium and %zu weak cues", closest->id, sclosest.medium,
                                sclosest.weak));
    else
        strlist_add(&c->reasons, ev_strdup("undecided: no strong cue in the title and too few "
                                           "body cues"));
    return NULL;
}

/* ---- topic, subtype, language ------------------------------------------- */

/* Does the block vote for topic t? */
static bool votes_for(ctx *c, const cat_topic *t, const char *s, size_t len)
{
    if (t->vote.nkids == 0)
        return false;
    cat_view one = {0};
    cat_view_add(&one, s, len);
    cat_views v = {{NULL}};
    v.v[CAT_SCOPE_TEXT] = &one;
    v.v[CAT_SCOPE_CELLS] = &one;
    bool yes = cat_cue_match(&t->vote, CAT_SCOPE_TEXT, &v, c->md, NULL);
    cat_view_free(&one);
    return yes;
}

/* Is block i one the body votes with: the page header, a heading, or one
 * of the first non-empty body blocks (*seen counts those)? */
static bool voting_block(const doc *d, size_t i, size_t *seen)
{
    const doc_block *b = &d->blocks[i];
    if (b->len == 0)
        return false;
    if (b->part == DOC_PART_HEADER)
        return true;
    if (b->part != DOC_PART_BODY)
        return false;
    return ++*seen <= VOTE_FIRST_BLOCKS || b->kind == DOC_BLOCK_HEADING;
}

/*
 * The body's vote when the title names no topic: per topic, the blocks
 * (page header, headings, the first body blocks, the title among them) where one of its
 * <vote> words appears. The winner needs VOTE_MIN votes and VOTE_MARGIN
 * more than the runner-up; the count goes to the reasons either way.
 */
static const char *vote_topic(ctx *c)
{
    size_t nt = catalog_topic_count(c->cat);
    size_t *votes = ev_calloc(nt + 1, sizeof *votes);
    size_t seen = 0;
    for (size_t i = 0; i < c->d->nblocks && i < VOTE_SCAN_BLOCKS; i++) {
        if (!voting_block(c->d, i, &seen))
            continue;
        const char *s = doc_block_text(c->d, &c->d->blocks[i]);
        size_t len = c->d->blocks[i].len < VOTE_BLOCK_MAX ? c->d->blocks[i].len : VOTE_BLOCK_MAX;
        for (size_t k = 0; k < nt; k++)
            votes[k] += votes_for(c, catalog_topic_at(c->cat, k), s, len);
    }
    size_t first = SIZE_MAX, second = SIZE_MAX;
    for (size_t k = 0; k < nt; k++) {
        if (votes[k] == 0)
            continue;
        if (first == SIZE_MAX || votes[k] > votes[first]) {
            second = first;
            first = k;
        } else if (second == SIZE_MAX || votes[k] > votes[second]) {
            second = k;
        }
    }
    const char *id = NULL;
    if (first != SIZE_MAX) {
        size_t v1 = votes[first], v2 = second == SIZE_MAX ? 0 : votes[second];
        const char *id1 = catalog_topic_at(c->cat, first)->id;
        char *tally = second == SIZE_MAX
                          ? ev_asprintf("%s %zu", id1, v1)
                          : ev_asprintf("%s %zu, %s %zu", id1, v1,
                                        catalog_topic_at(c->cat, second)->id, v2);
        if (v1 >= VOTE_MIN && v1 - v2 >= VOTE_MARGIN) {
            id = id1;
            strlist_add(&c->why, ev_asprintf("topic vote: %s", tally));
            strlist_add(&c->reasons,
                        ev_asprintf("no topic word in the title: topic %s by the body's vote "
                                    "(%s blocks; margin %zu)", id, tally, v1 - v2));
        } else {
            strlist_add(&c->reasons,
                        ev_asprintf("no topic word in the title and the body's vote is "
                                    "undecided (%s blocks; margin %zu): topic unset", tally,
                                    v1 - v2));
        }
        free(tally);
    } else {
        strlist_add(&c->reasons, ev_strdup("no topic word in the title: topic unset"));
    }
    free(votes);
    return id;
}

static const char *find_topic(ctx *c, const cat_view *const *sources, size_t nsources,
                              bool body_votes)
{
    for (size_t s = 0; s < nsources; s++) {
        if (cat_view_blank(sources[s]))
            continue;
        cat_views v = views_with(c, sources[s]);
        for (size_t i = 0; i < catalog_topic_count(c->cat); i++) {
            const cat_topic *t = catalog_topic_at(c->cat, i);
            char *d = cue_text(c, &t->words, CAT_SCOPE_TITLE, &v);
            if (!d)
                continue;
            strlist_add(&c->why, ev_asprintf("topic: %s", d));
            free(d);
            return t->id;
        }
    }
    if (body_votes)
        return vote_topic(c);
    strlist_add(&c->reasons, ev_strdup("no topic word in the title: topic unset"));
    return NULL;
}

static const char *find_subtype(const ctx *c, const cat_kind *k, const cat_views *v)
{
    for (size_t i = 0; i < k->nsubtypes; i++) {
        const cat_subtype *st = &k->subtypes[i];
        if (st->cues.nkids > 0 && cat_cue_match(&st->cues, CAT_SCOPE_TEXT, v, c->md, NULL))
            return st->id;
    }
    const cat_subtype *d = cat_kind_default_subtype(k);
    return d ? d->id : NULL;
}

/* Any CJK unified ideograph (U+4E00..U+9FFF: lead bytes E4..E9)? */
static bool has_han(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
        if (han_lead(*p))
            return true;
    return false;
}

/* ---- the document's texts ------------------------------------------------- */

static void build_views(ctx *c, const doc *d, const char *file_name)
{
    size_t used = 0;
    for (size_t i = 0; i < d->nblocks; i++) {
        const doc_block *b = &d->blocks[i];
        if (used + b->len > CLASSIFY_MAX_TEXT)
            break;
        used += b->len;
        const char *s = doc_block_text(d, b);
        cat_view_add(&c->text, s, b->len);
        if (b->kind == DOC_BLOCK_CELL)
            cat_view_add(&c->cells, s, b->len);
        if (b->part == DOC_PART_HEADER)
            cat_view_add(&c->header, s, b->len);
    }
    if (d->meta.title)
        cat_view_add(&c->meta, d->meta.title, strlen(d->meta.title));
    if (file_name) {
        const char *base = strrchr(file_name, '/');
        base = base ? base + 1 : file_name;
        char *stem = ev_strdup(base);
        char *dot = strrchr(stem, '.');
        if (dot && dot != stem)
            *dot = '\0';
        for (char *p = stem; *p; p++)
            if (*p == '_')
                *p = ' ';
        cat_view_add(&c->file, stem, strlen(stem));
        free(stem);
    }
}

/* ---- the decision -------------------------------------------------------- */

/* No text in the body: a scan pasted into a document, perhaps under a
 * header with the company name. Zero-width and blank characters are no text. */
static bool body_blank(const doc *d)
{
    for (size_t i = 0; i < d->nblocks; i++) {
        const doc_block *b = &d->blocks[i];
        if (b->part != DOC_PART_BODY || b->len == 0)
            continue;
        char *f = ev_fold(doc_block_text(d, b), b->len);
        bool empty = f[0] == '\0';
        free(f);
        if (!empty)
            return false;
    }
    return true;
}

static void set_title(cat_view *title, const doc *d, size_t block)
{
    const doc_block *b = &d->blocks[block];
    char *t = tidy(doc_block_text(d, b), b->len);
    cat_view_free(title);
    cat_view_add(title, t, strlen(t));
    free(t);
}

/* A document without text: file name first, then the metadata title. */
static const cat_kind *classify_image_only(ctx *c, const cat_view **title_src)
{
    const struct {
        const cat_view *view;
        const char *name;
    } sources[] = {{&c->file, "file"}, {&c->meta, "metadata"}};
    const cat_kind *k = NULL;
    *title_src = NULL;
    for (size_t i = 0; i < EV_ARRAY_LEN(sources) && !k; i++) {
        if (cat_view_blank(sources[i].view))
            continue;
        cat_views v = views_with(c, sources[i].view);
        char *hit = NULL;
        k = strong_pass(c, &v, &hit, &c->why);
        if (k) {
            strlist_add(&c->why, ev_asprintf("%s: %s", sources[i].name, hit));
            *title_src = sources[i].view;
        }
        free(hit);
    }
    strlist_add(&c->reasons, ev_strdup("image only: needs review"));
    return k;
}

void classify_doc(const catalog *cat, const doc *d, const char *file_name, classify_result *out)
{
    assert(cat != NULL && d != NULL && out != NULL);
    memset(out, 0, sizeof *out);
    ctx c;
    memset(&c, 0, sizeof c);
    c.cat = cat;
    c.d = d;
    c.md = pcre2_match_data_create(1, NULL);
    if (!c.md)
        ev_die("out of memory");
    build_views(&c, d, file_name);

    const cat_kind *kind = NULL;
    cat_view title = {0};
    cat_views v = views_with(&c, &title);
    const cat_view *topic_src[3] = {&title, &c.header, &c.meta};
    bool blank = body_blank(d);

    if (blank) {
        const cat_view *src = NULL;
        kind = classify_image_only(&c, &src);
        topic_src[0] = src ? src : &c.file;
        v = views_with(&c, topic_src[0]);
        v.v[CAT_SCOPE_TEXT] = topic_src[0];
        if (d->meta.title)
            out->title = tidy(d->meta.title, strlen(d->meta.title));
    } else {
        size_t idx[TITLE_CANDIDATES];
        size_t n = title_candidates(d, idx, TITLE_CANDIDATES);
        strlist negs_first = {0}, negs_later = {0};
        char *hit = NULL;
        size_t chosen = 0;
        for (size_t i = 0; i < n && !kind; i++) {
            set_title(&title, d, idx[i]);
            strlist_free(&negs_later);
            kind = strong_pass(&c, &v, &hit, i == 0 ? &negs_first : &negs_later);
            chosen = kind ? i : 0;
        }
        /* Without a strong cue anywhere the first candidate is the title,
         * and its title-scoped negatives still apply to the body pass. */
        if (n > 1 && chosen == 0)
            set_title(&title, d, idx[0]);
        strlist *negs = chosen == 0 ? &negs_first : &negs_later;
        if (n > 0)
            out->title = tidy(doc_block_text(d, &d->blocks[idx[chosen]]), d->blocks[idx[chosen]].len);
        if (kind) {
            strlist_add(&c.why, ev_asprintf("title: %s", hit));
            score_kind(&c, kind, &v, &c.why);
        }
        free(hit);
        for (size_t i = 0; i < negs->n; i++)
            strlist_add(&c.why, negs->v[i]);
        negs->n = 0;
        strlist_free(&negs_first);
        strlist_free(&negs_later);
        if (!kind)
            kind = body_pass(&c, &v);
    }

    if (!kind)
        kind = catalog_kind(cat, "other");
    assert(kind != NULL);   /* catalog_load insists on "other" */
    out->kind = kind->id;
    if (kind->has_topics)
        out->topic = find_topic(&c, topic_src, EV_ARRAY_LEN(topic_src), !blank);
    out->subtype = find_subtype(&c, kind, &v);

    out->language = doc_language(d);
    if (!out->language) {
        bool zh = has_han(d->meta.title) || (c.file.fold.data && has_han(c.file.fold.data));
        out->language = zh ? "zh" : "en";
    }

    out->why = c.why.v;
    out->nwhy = c.why.n;
    out->reasons = c.reasons.v;
    out->nreasons = c.reasons.n;
    cat_view_free(&title);
    cat_view_free(&c.text);
    cat_view_free(&c.cells);
    cat_view_free(&c.header);
    cat_view_free(&c.meta);
    cat_view_free(&c.file);
    pcre2_match_data_free(c.md);
}

void classify_result_free(classify_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nwhy; i++)
        free(r->why[i]);
    free(r->why);
    for (size_t i = 0; i < r->nreasons; i++)
        free(r->reasons[i]);
    free(r->reasons);
    free(r->title);
    memset(r, 0, sizeof *r);
}
