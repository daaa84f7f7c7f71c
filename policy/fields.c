/*
 * fields.c: the field extractor; fields.h states the contract.
 *
 * One pass prepares every block (NFKC, spaces collapsed) and finds every
 * catalog label in it, plus "generic" labels (a short run of Han characters
 * or one capitalised word before a colon: 电话：, Tel:) whose only use is to
 * end the value of the label before them. Each label found is then given to
 * the first field of the kind's list that owns it, and the field's type
 * reads the value. Every reading is a candidate with a rank (body, signature
 * block, header/footer); resolving the candidates of a field picks one and
 * notes conflicts. Derived fields (signed_on fallbacks, service category,
 * experience, plan period, withdrawn) come last.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "amount.h"
#include "date.h"
#include "fields.h"
#include "litset.h"
#include "ident.h"
#include "nfkc.h"
#include "tickbox.h"
#include "version.h"

/* Trust of where a value was read; higher wins. */
enum { RANK_MARGIN = 1, RANK_SIGNATURE = 2, RANK_BODY = 3 };
/* Trust of how a value was read: after a label inside a word or sentence
 * with only the field's pattern to vouch for it; from the newest row of a
 * revision-history table (which yields to any statement of the current
 * value); in prose after a label; after a label with a colon, in the next
 * cell, or on the next line. */
enum { STRENGTH_GUARDED = 0, STRENGTH_HISTORY = 1, STRENGTH_PROSE = 2, STRENGTH_LABELLED = 3 };

/* A block longer than this is prose, not part of a signature block. */
#define SHORT_BLOCK 120
/* The most bytes of prose read after a label for a date or an amount. */
#define PROSE_MAX 240
/* The longest string value kept. */
#define VALUE_MAX 240
/* The most bytes of text read as one value before cleaning. */
#define RAW_MAX 4096
/* Labels read per field and rank: the first statements decide, and a
 * document repeating a label thousands of times costs no more. */
#define MAX_TRIES 64
/* The most bytes of scope text (service_category label values) kept. */
#define SCOPE_MAX 65536
/* Bytes of body text searched for labels from the start, and blocks at the
 * end (the signature block): a huge document is not read whole. */
#define SEARCH_HEAD (2u << 20)
#define SEARCH_TAIL 256

/* ---- which fields each kind carries (requirements.md sections 4 and 6) -- */

/* Order matters: a label shared by two fields of a kind (合同编号 is both
 * doc_number and contract_ref) goes to the one listed first. */
static const char *const contract_fields[] = {
    "doc_number", "project_name", "party_a", "party_b", "signed_on", "effective_on",
    "start_on", "end_on", "amount", "service_category", NULL};
static const char *const template_fields[] = {"doc_number", "version", "effective_on", NULL};
static const char *const acceptance_fields[] = {
    "contract_ref", "doc_number", "project_name", "party_a", "party_b", "completed_on",
    "acceptance_result", "service_category", NULL};
static const char *const nda_employee_fields[] = {
    "doc_number", "employee", "party_a", "party_b", "signed_on", "effective_on",
    "start_on", "end_on", NULL};
static const char *const nda_business_fields[] = {
    "doc_number", "party_a", "party_b", "signed_on", "effective_on", "start_on", "end_on", NULL};
static const char *const lease_fields[] = {
    "doc_number", "party_a", "party_b", "signed_on", "effective_on", "start_on", "end_on",
    "amount", "address", "area_sqm", NULL};
static const char *const procedure_fields[] = {
    "doc_number", "version", "effective_on", "approved_by", NULL};
static const char *const plan_fields[] = {
    "doc_number", "version", "effective_on", "period_start", "period_end", NULL};
static const char *const record_fields[] = {"held_on", "attendees", NULL};
static const char *const risk_fields[] = {"project_name", "issued_on", NULL};
static const char *const process_fields[] = {
    "doc_number", "version", "effective_on", "approved_by", "service_category", NULL};
static const char *const licence_fields[] = {
    "org_name", "credit_code", "legal_representative", "established_on", "end_on", "address", NULL};
static const char *const credit_fields[] = {"doc_number", "org_name", "issued_on", NULL};
static const char *const audit_fields[] = {
    "doc_number", "org_name", "issued_on", "period_start", "period_end", NULL};
static const char *const resume_fields[] = {"person_name", "person_role", "experience", NULL};
static const char *const cert_fields[] = {
    "cert_name", "cert_number", "holder", "issued_on", "valid_until", "service_category",
    "address", "area_sqm", NULL};

static const struct {
    const char *kind;
    const char *const *names;
} kind_fields[] = {
    {"service-contract", contract_fields},
    {"contract-template", template_fields},
    {"acceptance-report", acceptance_fields},
    {"confidentiality-agreement", nda_employee_fields},
    {"lease-contract", lease_fields},
    {"procedure", procedure_fields},
    {"training-plan", plan_fields},
    {"training-record", record_fields},
    {"risk-record", risk_fields},
    {"service-process", process_fields},
    {"service-standard", process_fields},
    {"business-license", licence_fields},
    {"credit-report", credit_fields},
    {"audit-report", audit_fields},
    {"resume", resume_fields},
    {"certificate", cert_fields},
};

/* Fields whose value is a person's name. */
static const char *const name_fields[] = {
    "approved_by", "employee", "person_name", "holder", "legal_representative"};
/* Fields whose value is a party to a contract. */
static const char *const party_fields[] = {"party_a", "party_b", "employee"};
/* Fields whose value is a number as written (labels in front dropped). */
static const char *const number_fields[] = {"doc_number", "contract_ref", "cert_number"};
/* Date fields that end a period, and the field that starts it. */
static const struct {
    const char *end, *start;
} date_pairs[] = {
    {"end_on", "start_on"}, {"period_end", "period_start"}, {"valid_until", NULL}};

static bool in_list(const char *const *list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], name) == 0)
            return true;
    return false;
}

#define IN_LIST(list, name) in_list((list), EV_ARRAY_LEN(list), (name))

/* ---- state ----------------------------------------------------------------- */

typedef struct fx_block {
    const doc_block *b;
    char *t;        /* NFKC; runs of spaces one space; line breaks kept; trimmed */
    char *lower;    /* t with ASCII letters lower-cased, for label search */
    size_t len;
    int rank;
    bool sig;       /* inside the signature block */
    bool searched;  /* within the label search budget */
    bool label_start; /* opens with a catalog label (a label cell, "日期：") */
    bool party_start; /* opens with a party label (甲方（盖章）：, Party A:) */
    bool history_head; /* a column title of a revision-history table */
} fx_block;


typedef struct fx_hit {
    size_t blk;
    size_t start, end;      /* the label in the block's text */
    size_t vstart;          /* where an inline value would start */
    const char *label;      /* the catalog label; NULL for a generic label */
    bool strict;            /* at a word boundary on the left */
    bool colon;             /* a colon follows (after bracketed notes) */
    bool lead;              /* starts its line, and nothing or a colon follows */
    bool line_start;        /* starts its line (after numbering), whatever follows */
    bool bracket;           /* inside a bracketed role note: X ("Party A") */
} fx_hit;

/* Where a value was read: a block and a byte span of its prepared text
 * (fx_block.t), from the label to the end of the value. */
typedef struct fx_src {
    size_t blk;             /* SIZE_MAX: not known */
    size_t start, end;
} fx_src;

typedef struct fx_cand {
    json_t *v;
    int rank;
    int strength;           /* STRENGTH_* */
    size_t label_ix;        /* position of the label in the field's list */
    size_t order;
    fx_src src;
} fx_cand;

typedef struct fx_slot {
    const cat_field *f;
    fx_cand *c;
    size_t n, cap;
    int chosen_rank;        /* rank of the value resolve() kept */
    size_t tries[RANK_BODY + 1]; /* labels read for this field, by rank */
} fx_slot;

typedef struct fx {
    const catalog *cat;
    const doc *d;
    evidence *e;
    const char *const *names;   /* the fields this kind carries; NULL: none */
    bool english;
    ev_date_opts dopts;
    fx_block *blk;
    size_t nblk;
    size_t *cell_ix;            /* cell blocks sorted by part, table, row, col */
    size_t ncells;
    fx_hit *hit;                /* sorted by block, then start */
    size_t nhit, hcap;
    fx_slot *slot;
    size_t nslot, scap;
    size_t order;
    fx_src cur;                 /* where the value being read comes from */
    size_t title_blk;           /* the block of the title; SIZE_MAX if none */
    size_t exp_blk;             /* block of the experience label; SIZE_MAX if none */
    unsigned amount_skipped;    /* EV_AMOUNT_UNIT_PRICE / _RANGE seen under a label */
    char *title;
    ev_buf scope;               /* values of the service_category labels */
    pcre2_match_data *md;
    cat_view all, title_view, cells;
} fx;

static bool kind_has(const fx *x, const char *name)
{
    if (!x->names)
        return false;
    for (const char *const *p = x->names; *p; p++)
        if (strcmp(*p, name) == 0)
            return true;
    return false;
}

static void note(fx *x, const char *fmt, ...) EV_PRINTF(2, 3);

static void note(fx *x, const char *fmt, ...)
{
    char buf[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    size_t i;
    json_t *v;
    json_array_foreach(x->e->notes, i, v)
        if (strcmp(json_string_value(v), buf) == 0)
            return;
    json_array_append_new(x->e->notes, json_string(buf));
}

/* ---- UTF-8 and text helpers ------------------------------------------------ */

static bool is_hspace(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_upper(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* The code point at s[i] (which must start one) and its length in *n. */
static uint32_t cp_at(const char *s, size_t len, size_t i, size_t *n)
{
    const unsigned char *p = (const unsigned char *)s + i;
    size_t left = len - i;
    if (p[0] < 0x80 || left < 2) {
        *n = 1;
        return p[0];
    }
    if ((p[0] & 0xE0) == 0xC0) {
        *n = 2;
        return ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    }
    if ((p[0] & 0xF0) == 0xE0 && left >= 3) {
        *n = 3;
        return ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    }
    if (left >= 4) {
        *n = 4;
        return ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
               ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    }
    *n = 1;
    return p[0];
}

/* The code point that ends at s[i] (exclusive); 0 at the start. */
static uint32_t cp_before(const char *s, size_t i, size_t *start)
{
    if (i == 0) {
        *start = 0;
        return 0;
    }
    size_t j = i - 1;
    while (j > 0 && ((unsigned char)s[j] & 0xC0) == 0x80)
        j--;
    size_t n;
    *start = j;
    return cp_at(s, i, j, &n);
}

static bool is_han(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || cp == 0x3007;
}

static bool starts_ci(const char *s, size_t len, const char *w)
{
    size_t n = strlen(w);
    return n <= len && strncasecmp(s, w, n) == 0;
}

/* First occurrence of needle in h[from..len), ASCII case-insensitively. */
static size_t find_ci(const char *h, size_t len, size_t from, const char *needle, size_t nlen)
{
    if (nlen == 0 || len < nlen)
        return SIZE_MAX;
    for (size_t i = from; i + nlen <= len; i++)
        if (strncasecmp(h + i, needle, nlen) == 0)
            return i;
    return SIZE_MAX;
}

/* Is the character at s[i] a Han character with no Han neighbour? */
static bool lone_han(const char *s, size_t n, size_t i)
{
    size_t k, ps;
    if (!is_han(cp_at(s, n, i, &k)))
        return false;
    return !is_han(cp_before(s, i, &ps)) && (i + k >= n || !is_han(cp_at(s, n, i + k, &k)));
}

/*
 * Forms space out short labels to fill a cell (版　　本, 批　　准, 编　号),
 * and names too (张　伟): a space between two lone Han characters goes, so
 * 版 本 is 版本. Words of prose are never single characters between spaces.
 * Works in place on s[0..n); returns the new length.
 */
static size_t join_spaced_han(char *s, size_t n)
{
    bool *drop = ev_calloc(n + 1, sizeof *drop);
    size_t prev_han = SIZE_MAX;     /* start of the last lone Han character */
    for (size_t i = 0; i < n;) {
        size_t k;
        cp_at(s, n, i, &k);
        if (lone_han(s, n, i)) {
            if (prev_han != SIZE_MAX) {
                size_t pk;
                cp_at(s, n, prev_han, &pk);
                bool spaces = i > prev_han + pk;
                for (size_t j = prev_han + pk; j < i && spaces; j++)
                    spaces = s[j] == ' ';
                for (size_t j = prev_han + pk; j < i && spaces; j++)
                    drop[j] = true;
            }
            prev_han = i;
        } else if (s[i] != ' ') {
            prev_han = SIZE_MAX;
        }
        i += k;
    }
    size_t j = 0;
    for (size_t i = 0; i < n; i++)
        if (!drop[i])
            s[j++] = s[i];
    s[j] = '\0';
    free(drop);
    return j;
}

/* NFKC of s; runs of horizontal space one space; line breaks kept (one at a
 * time, without spaces around them); trimmed. */
static char *norm_text(const char *s, size_t len, size_t *out_len)
{
    char *n = ev_nfkc(s, len);
    size_t j = 0;
    bool space = false;
    for (size_t i = 0; n[i]; i++) {
        unsigned char c = (unsigned char)n[i];
        if (is_hspace(c)) {
            space = true;
            continue;
        }
        if (c == '\n') {
            space = false;
            if (j > 0 && n[j - 1] != '\n')
                n[j++] = '\n';
            continue;
        }
        if (space && j > 0 && n[j - 1] != '\n')
            n[j++] = ' ';
        space = false;
        n[j++] = (char)c;
    }
    while (j > 0 && n[j - 1] == '\n')
        j--;
    n[j] = '\0';
    *out_len = join_spaced_han(n, j);
    return n;
}

/* Bytes of a bracket group opening at s[i] ("(…)", "[…]", "【…】"), up to
 * `max`; 0 when s[i] opens none or it does not close in time. */
static size_t bracket_len(const char *s, size_t len, size_t i, size_t max)
{
    const char *close;
    size_t open;
    if (s[i] == '(') {
        close = ")";
        open = 1;
    } else if (s[i] == '[') {
        close = "]";
        open = 1;
    } else if (len - i >= 3 && memcmp(s + i, "【", 3) == 0) {
        close = "】";
        open = 3;
    } else {
        return 0;
    }
    size_t clen = strlen(close);
    for (size_t j = i + open; j + clen <= len && j - i <= max; j++) {
        if (s[j] == '\n')
            return 0;
        if (memcmp(s + j, close, clen) == 0)
            return j + clen - i;
    }
    return 0;
}

/* ---- blocks and labels ------------------------------------------------------ */

static void add_hit(fx *x, const fx_hit *h)
{
    x->hit = ev_grow(x->hit, &x->hcap, x->nhit + 1, sizeof *x->hit);
    x->hit[x->nhit++] = *h;
}

/* Numbering that may stand before a label at the start of a block: "1.",
 * "(二)", "一、", "第三条", "Article 2", "Section 4.1". */
static bool numbering_only(const char *s, size_t n)
{
    static const char *const han[] = {"一", "二", "三", "四", "五", "六", "七", "八",
                                      "九", "十", "第", "条", "章", "、"};
    static const char *const words[] = {"article ", "section ", "clause ", "art. "};
    size_t i = 0;
    for (size_t k = 0; k < EV_ARRAY_LEN(words); k++)
        if (starts_ci(s, n, words[k])) {
            i = strlen(words[k]);
            break;
        }
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
                return false;
            i++;
            continue;
        }
        bool ok = false;
        for (size_t k = 0; k < EV_ARRAY_LEN(han) && !ok; k++)
            if (n - i >= 3 && memcmp(s + i, han[k], 3) == 0)
                ok = true;
        if (!ok)
            return false;
        i += 3;
    }
    return true;
}

/* Read what follows a label at t[end]: bracketed notes, a colon. */
static void after_label(const fx_block *b, fx_hit *h, bool latin)
{
    assert(h->start < h->end && h->end <= b->len);
    const char *t = b->t;
    size_t p = h->end;
    for (int k = 0; k < 2; k++) {
        while (p < b->len && t[p] == ' ')
            p++;
        size_t bl = p < b->len ? bracket_len(t, b->len, p, 60) : 0;
        if (!bl)
            break;
        p += bl;
    }
    while (p < b->len && t[p] == ' ')
        p++;
    if (p < b->len && t[p] == ':') {
        h->colon = true;
        p++;
        while (p < b->len && t[p] == ' ')
            p++;
    }
    h->vstart = p;
    /* the start of its line: a soft line break starts a line too */
    size_t ls = h->start;
    while (ls > 0 && h->start - ls <= 16 && t[ls - 1] != '\n')
        ls--;
    bool at_start = (ls == 0 || t[ls - 1] == '\n') && h->start - ls <= 16 &&
                    numbering_only(t + ls, h->start - ls);
    h->line_start = at_start;
    bool ends = p >= b->len || t[p] == '\n';
    bool spaced = !latin && h->end < b->len && (t[h->end] == ' ' || t[h->end] == '(');
    h->lead = at_start && (h->colon || ends || spaced);
}

/* A label inside a bracketed role note, 'X ("Party A")', '（以下简称"甲方"）':
 * an opening bracket shortly before, nothing but quotes between it and the
 * closing bracket, and no colon after the note (委托方（甲方）： is a label
 * with a note). */
static bool in_role_note(const fx_block *b, const fx_hit *h)
{
    const char *t = b->t;
    size_t lo = h->start > 48 ? h->start - 48 : 0;
    size_t open = SIZE_MAX;
    for (size_t i = h->start; i > lo; i--) {
        if (t[i - 1] == ')' || t[i - 1] == '\n')
            break;
        if (t[i - 1] == '(') {
            open = i - 1;
            break;
        }
    }
    if (open == SIZE_MAX)
        return false;
    /* only quotes between the label and the closing bracket */
    static const char *const quotes[] = {"\"", "'", "”", "’", "」", " "};
    size_t p = h->end;
    for (bool more = true; more && p < b->len;) {
        more = false;
        for (size_t q = 0; q < EV_ARRAY_LEN(quotes) && !more; q++) {
            size_t ql = strlen(quotes[q]);
            if (b->len - p >= ql && memcmp(t + p, quotes[q], ql) == 0) {
                p += ql;
                more = true;
            }
        }
    }
    if (p >= b->len || t[p] != ')')
        return false;
    p++;
    while (p < b->len && t[p] == ' ')
        p++;
    return !(p < b->len && t[p] == ':');
}

static int hit_cmp(const void *a, const void *b)
{
    const fx_hit *x = a, *y = b;
    if (x->blk != y->blk)
        return x->blk < y->blk ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    /* the longer label first at one start */
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;
    return 0;
}

static void hit_dedupe(fx *x, size_t first)
{
    size_t keep = first;
    size_t maxend = 0;
    for (size_t i = first; i < x->nhit; i++) {
        const fx_hit *h = &x->hit[i];
        /* Sorted by start, longer first: a hit ending within an earlier one
         * is a label inside a longer one (编号 in 合同编号), or the same. */
        if (keep > first && maxend >= h->end)
            continue;
        if (h->end > maxend)
            maxend = h->end;
        x->hit[keep++] = *h;
    }
    x->nhit = keep;
}

/* Every catalog label in block bi, then the generic labels (2..10 Han
 * characters, or one capitalised word of 3+ letters, before a colon) that
 * only end the value of the label before them. */
typedef struct label_scan {
    fx *x;
    size_t bi;
} label_scan;

/* One occurrence of a catalog label in a block: a hit, unless a Latin
 * label is only part of a longer word. */
static int on_label(void *ctx, size_t li, size_t s)
{
    label_scan *ls = ctx;
    fx_block *b = &ls->x->blk[ls->bi];
    const cat_label_text *lab = catalog_label_at(ls->x->cat, li);
    size_t en = s + lab->len, ps;
    uint32_t prev;

    if (lab->latin) {
        if (is_alnum((unsigned char)lab->lower[0]) && s > 0 &&
            is_alnum((unsigned char)b->t[s - 1]))
            return 0;
        if (is_alnum((unsigned char)lab->lower[lab->len - 1]) && en < b->len &&
            is_alnum((unsigned char)b->t[en]))
            return 0;
    }
    prev = cp_before(b->t, s, &ps);
    fx_hit h = {.blk = ls->bi, .start = s, .end = en, .label = lab->text};
    h.strict = lab->latin || !(is_han(prev) || (prev < 0x80 && is_alnum((unsigned char)prev)));
    after_label(b, &h, lab->latin);
    h.bracket = in_role_note(b, &h);
    add_hit(ls->x, &h);
    return 0;
}

static void find_labels(fx *x, size_t bi)
{
    fx_block *b = &x->blk[bi];
    size_t first = x->nhit;
    label_scan ls = {x, bi};
    if (!b->searched || b->len == 0)
        return;
    litset_scan(catalog_label_set(x->cat), b->lower, b->len, on_label, &ls);
    if (x->nhit > first) {
        qsort(x->hit + first, x->nhit - first, sizeof *x->hit, hit_cmp);
        hit_dedupe(x, first);
    }
    size_t ncat = x->nhit;
    /* bytes that belong to a catalog label's syntax (its colon included) */
    bool *covered = ev_calloc(b->len + 1, sizeof *covered);
    for (size_t k = first; k < ncat; k++)
        for (size_t p = x->hit[k].start + 1; p <= x->hit[k].vstart && p <= b->len; p++)
            covered[p] = true;
    for (size_t c = 0; c < b->len; c++) {
        if (b->t[c] != ':' || covered[c])
            continue;
        size_t s = c, nhan = 0, ps;
        uint32_t cp;
        while (nhan < 10 && (cp = cp_before(b->t, s, &ps)) != 0 && is_han(cp)) {
            s = ps;
            nhan++;
        }
        if (nhan < 2) {
            s = c;
            while (s > 0 && ((b->t[s - 1] >= 'a' && b->t[s - 1] <= 'z') ||
                             is_upper((unsigned char)b->t[s - 1])))
                s--;
            if (c - s < 3 || !is_upper((unsigned char)b->t[s]) ||
                (s > 0 && b->t[s - 1] != ' ' && b->t[s - 1] != '\n'))
                continue;
        }
        size_t v = c + 1;
        while (v < b->len && b->t[v] == ' ')
            v++;
        fx_hit h = {.blk = bi, .start = s, .end = c, .vstart = v, .strict = true, .colon = true,
                    .lead = s <= 16 && numbering_only(b->t, s)};
        add_hit(x, &h);
    }
    free(covered);
    if (x->nhit > ncat)
        qsort(x->hit + first, x->nhit - first, sizeof *x->hit, hit_cmp);
    for (size_t k = first; k < x->nhit; k++)
        if (x->hit[k].label && x->hit[k].lead && !x->hit[k].bracket)
            b->label_start = true;
}

/* A hit that ends the value of the label before it. */
static bool terminates(const fx_hit *h)
{
    return !h->bracket && (h->lead || (h->colon && h->strict));
}

/* End of the inline value of hit hi: the next terminating label, looked
 * for no further than a value may run (RAW_MAX). */
static size_t value_end(const fx *x, size_t hi)
{
    assert(hi < x->nhit);
    const fx_hit *h = &x->hit[hi];
    for (size_t k = hi + 1; k < x->nhit && x->hit[k].blk == h->blk; k++) {
        if (x->hit[k].start > h->vstart + RAW_MAX)
            break;
        if (x->hit[k].start >= h->vstart && terminates(&x->hit[k]))
            return x->hit[k].start;
    }
    return x->blk[h->blk].len;
}

/* Does block bi start with a catalog label (a label cell, a "日期：" line)? */
static bool starts_with_label(const fx *x, size_t bi)
{
    return x->blk[bi].label_start;
}

static bool blank(const fx *x, size_t bi)
{
    return x->blk[bi].len == 0;
}

static int cell_key_cmp(const doc_block *a, int part, uint32_t table, uint32_t row, size_t col)
{
    if ((int)a->part != part)
        return (int)a->part < part ? -1 : 1;
    if (a->table != table)
        return a->table < table ? -1 : 1;
    if (a->row != row)
        return a->row < row ? -1 : 1;
    if (a->col != col)
        return a->col < col ? -1 : 1;
    return 0;
}

/* The first cell at or after (part, table, row, col) in the cell index. */
static size_t cell_lower(const fx *x, int part, uint32_t table, uint32_t row, size_t col)
{
    size_t lo = 0, hi = x->ncells;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cell_key_cmp(x->blk[x->cell_ix[mid]].b, part, table, row, col) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The cell at (row, col) of block bi's table; SIZE_MAX if none. col
 * SIZE_MAX: the nearest cell right of bi's in that row. */
static size_t cell_at(const fx *x, size_t bi, uint32_t row, size_t col)
{
    assert(bi < x->nblk && x->blk[bi].b->kind == DOC_BLOCK_CELL);
    const doc_block *c = x->blk[bi].b;
    size_t want = col == SIZE_MAX ? (size_t)c->col + 1 : col;
    size_t i = cell_lower(x, (int)c->part, c->table, row, want);
    if (i >= x->ncells)
        return SIZE_MAX;
    const doc_block *o = x->blk[x->cell_ix[i]].b;
    if (o->part != c->part || o->table != c->table || o->row != row)
        return SIZE_MAX;
    if (col != SIZE_MAX && o->col != col)
        return SIZE_MAX;
    return x->cell_ix[i];
}

static int cell_cmp(const void *a, const void *b, void *arg)
{
    const fx *x = arg;
    const doc_block *p = x->blk[*(const size_t *)a].b, *q = x->blk[*(const size_t *)b].b;
    int c = cell_key_cmp(p, (int)q->part, q->table, q->row, q->col);
    if (c)
        return c;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    return i < j ? -1 : i > j;
}

/* ---- field values ---------------------------------------------------------- */

/* Copy of t[s..e) without surrounding spaces and line breaks, at most
 * RAW_MAX bytes (a value is short; a whole chapter after a label is not). */
static char *span_dup(const char *t, size_t s, size_t e)
{
    if (s >= e)
        return NULL;
    while (s < e && (t[s] == ' ' || t[s] == '\n'))
        s++;
    if (e - s > RAW_MAX) {
        e = s + RAW_MAX;
        while (e > s && ((unsigned char)t[e] & 0xC0) == 0x80)
            e--;
    }
    while (e > s && (t[e - 1] == ' ' || t[e - 1] == '\n'))
        e--;
    return s < e ? ev_strndup(t + s, e - s) : NULL;
}

/*
 * The value of a labelled hit: inline after the label; else, for a cell,
 * the right neighbour or the cell below (a list takes the whole column
 * below); else the next paragraph. *src receives the block it came from.
 */
static char *explicit_value(const fx *x, size_t hi, bool list, size_t *src)
{
    const fx_hit *h = &x->hit[hi];
    const fx_block *b = &x->blk[h->blk];
    *src = h->blk;
    char *v = span_dup(b->t, h->vstart, value_end(x, hi));
    if (v)
        return v;
    if (b->b->kind == DOC_BLOCK_CELL) {
        size_t r = cell_at(x, h->blk, b->b->row, SIZE_MAX);
        if (r != SIZE_MAX && !blank(x, r) && !starts_with_label(x, r)) {
            *src = r;
            return span_dup(x->blk[r].t, 0, x->blk[r].len);
        }
        /* The value cell holds a table of its own (its text is in the
         * nested cells that follow): the first of them. */
        size_t nb = h->blk + 1;
        if (r == SIZE_MAX && nb < x->nblk && x->blk[nb].b->kind == DOC_BLOCK_CELL &&
            x->blk[nb].b->depth > b->b->depth && !blank(x, nb) && !starts_with_label(x, nb)) {
            *src = nb;
            return span_dup(x->blk[nb].t, 0, x->blk[nb].len);
        }
        if (!list) {
            size_t below = cell_at(x, h->blk, b->b->row + 1, b->b->col);
            if (below == SIZE_MAX || blank(x, below) || starts_with_label(x, below))
                return NULL;
            *src = below;
            return span_dup(x->blk[below].t, 0, x->blk[below].len);
        }
        ev_buf col = {0};
        for (uint32_t row = b->b->row + 1;; row++) {
            size_t below = cell_at(x, h->blk, row, b->b->col);
            if (below == SIZE_MAX)
                break;
            if (blank(x, below) || starts_with_label(x, below))
                continue;
            if (col.len)
                ev_buf_putc(&col, '\n');
            ev_buf_puts(&col, x->blk[below].t);
        }
        return col.len ? ev_buf_steal(&col) : NULL;
    }
    if (b->sig || (b->b->kind != DOC_BLOCK_PARAGRAPH && b->b->kind != DOC_BLOCK_HEADING))
        return NULL;
    size_t n = h->blk + 1;
    while (n < x->nblk && blank(x, n) && x->blk[n].b->part == b->b->part)
        n++;
    if (n >= x->nblk || x->blk[n].b->part != b->b->part ||
        x->blk[n].b->kind != DOC_BLOCK_PARAGRAPH || starts_with_label(x, n))
        return NULL;
    *src = n;
    return span_dup(x->blk[n].t, 0, x->blk[n].len);
}

/* Prose after a label, to the end of its sentence (dates, amounts). */
static char *prose_value(const fx *x, size_t hi, bool stop_at_comma)
{
    const fx_hit *h = &x->hit[hi];
    const fx_block *b = &x->blk[h->blk];
    /* Other labels do not end prose: "Rent for the whole term: RMB …". */
    size_t end = b->len;
    size_t e = h->end;
    while (e < end && e - h->end < PROSE_MAX) {
        const char *p = b->t + e;
        if (*p == '\n' || *p == ';' || *p == '!' || *p == '?')
            break;
        if (end - e >= 3 && memcmp(p, "。", 3) == 0)
            break;
        if (stop_at_comma && *p == ',' && !(e + 1 < end && is_digit((unsigned char)p[1])))
            break;
        size_t n;
        cp_at(b->t, b->len, e, &n);
        e += n;
    }
    return span_dup(b->t, h->end, e);
}

/* Text that may complete a 大写/小写 pair: the rest of the row after a cell,
 * or the next paragraph when it opens with no label. */
static char *complement(const fx *x, size_t src)
{
    const fx_block *b = &x->blk[src];
    if (b->b->kind == DOC_BLOCK_CELL) {
        ev_buf row = {0};
        for (size_t c = cell_at(x, src, b->b->row, SIZE_MAX); c != SIZE_MAX;
             c = cell_at(x, c, b->b->row, SIZE_MAX)) {
            ev_buf_putc(&row, ' ');
            ev_buf_puts(&row, x->blk[c].t);
        }
        return row.len ? ev_buf_steal(&row) : NULL;
    }
    size_t n = src + 1;
    if (n >= x->nblk || x->blk[n].b->part != b->b->part ||
        x->blk[n].b->kind == DOC_BLOCK_HEADING || x->blk[n].label_start)
        return NULL;
    return ev_strdup(x->blk[n].t);
}

static bool is_placeholder(fx *x, const char *s)
{
    static const char *const words[] = {"N/A", "NA", "/", "-", "—", "无", "None"};
    for (size_t i = 0; i < EV_ARRAY_LEN(words); i++)
        if (strcasecmp(s, words[i]) == 0)
            return true;
    const cat_cueset *set = catalog_cueset(x->cat, "placeholders");
    if (!set)
        return false;
    cat_view v = {0};
    cat_view_add(&v, s, strlen(s));
    cat_views vs = {.v = {[CAT_SCOPE_TEXT] = &v}};
    bool hit = cat_cue_match(&set->cues, CAT_SCOPE_TEXT, &vs, x->md, NULL);
    cat_view_free(&v);
    return hit;
}

/* Cut s at byte i (in place). */
static void cut(char *s, size_t i)
{
    s[i] = '\0';
}

/* Does s[0..n) end in a Latin word of 1..4 letters (Co, Ltd, Inc, Rd)? */
static bool short_word_before(const char *s, size_t n)
{
    size_t k = 0;
    while (k < n && ((s[n - 1 - k] >= 'a' && s[n - 1 - k] <= 'z') || is_upper((unsigned char)s[n - 1 - k])))
        k++;
    return k >= 1 && k <= 4 && (k == n || !is_alnum((unsigned char)s[n - 1 - k]));
}

/* Drop surrounding spaces, colons, quotes, closing punctuation (a dot after
 * a short Latin word is an abbreviation: "Co., Ltd.") and unmatched
 * brackets. */
static void trim_value(char *s)
{
    static const char *const tail[] = {"。", "，", "；", "、", ",", ";", ":", ".", " "};
    static const char *const quotes[] = {"\"", "'", "“", "”", "「", "」", "‘", "’"};
    size_t n = strlen(s);
    size_t a = 0;
    bool again = true;
    while (again) {
        again = false;
        while (a < n && (s[a] == ' ' || s[a] == ':' || s[a] == '\n'))
            a++;
        for (size_t q = 0; q < EV_ARRAY_LEN(quotes); q++) {
            size_t ql = strlen(quotes[q]);
            if (n - a >= ql && memcmp(s + a, quotes[q], ql) == 0) {
                a += ql;
                again = true;
            }
        }
        for (size_t k = 0; k < EV_ARRAY_LEN(tail); k++) {
            size_t tl = strlen(tail[k]);
            bool abbrev = tail[k][0] == '.' && n - a >= 2 && short_word_before(s + a, n - a - 1);
            if (!abbrev && n - a >= tl && memcmp(s + n - tl, tail[k], tl) == 0) {
                n -= tl;
                again = true;
            }
        }
        for (size_t q = 0; q < EV_ARRAY_LEN(quotes); q++) {
            size_t ql = strlen(quotes[q]);
            if (n - a >= ql && memcmp(s + n - ql, quotes[q], ql) == 0) {
                n -= ql;
                again = true;
            }
        }
        /* a bracket the value does not open or close: "HT-2026-018)" read
         * out of "（合同编号：HT-2026-018）" */
        if (n > a && (s[n - 1] == ')' || s[a] == '(')) {
            long depth = 0;
            for (size_t i = a; i < n; i++)
                depth += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
            if (depth < 0 && s[n - 1] == ')') {
                n--;
                again = true;
            } else if (depth > 0 && s[a] == '(') {
                a++;
                again = true;
            }
        }
    }
    memmove(s, s + a, n - a);
    s[n - a] = '\0';
}

/* Does text t hold the label of one of these fields? */
static bool holds_label_of(const fx *x, const char *t, size_t n, const char *const *fields, size_t nf)
{
    for (size_t i = 0; i < nf; i++) {
        const cat_field *f = catalog_field(x->cat, fields[i]);
        for (size_t li = 0; f && li < f->nlabels; li++) {
            const char *lab = f->labels[li].text;
            if (find_ci(t, n, 0, lab, strlen(lab)) != SIZE_MAX)
                return true;
        }
    }
    return false;
}

/*
 * A party's name: up to the first line break, comma or semicolon, or the
 * first bracket or word that starts an address (the labels of address and
 * legal_representative); a bracketed role note ends the name; brackets
 * that are part of a name (北京) stay. "Co., Ltd." keeps its comma.
 */
/* Is the comma at s[i] part of a company name ("Co., Ltd.")? */
static bool name_comma(const char *s, size_t n, size_t i)
{
    static const char *const suffixes[] = {"Ltd", "Limited", "Inc", "LLC", "Co", "Corp", "GmbH",
                                           "Pte", "PLC", "S.A"};
    size_t j = i + 1;
    while (j < n && s[j] == ' ')
        j++;
    for (size_t k = 0; k < EV_ARRAY_LEN(suffixes); k++) {
        size_t sl = strlen(suffixes[k]);
        if (starts_ci(s + j, n - j, suffixes[k]) &&
            (j + sl == n || !is_alnum((unsigned char)s[j + sl])))
            return true;
    }
    return false;
}

/* Bytes of list numbering at the start of s: "(1) ", "1. ", "2、", "(一)",
 * "一、". A name that starts with figures (360安全科技) has no mark after
 * them and keeps them. */
static size_t list_number_len(const char *s, size_t n)
{
    static const char *const han_digits[] = {"一", "二", "三", "四", "五",
                                             "六", "七", "八", "九", "十"};
    size_t i = 0;
    bool open = i < n && s[i] == '(';
    if (open)
        i++;
    size_t digits = i;
    while (i < n && i - digits < 6) {
        bool hd = false;
        for (size_t k = 0; k < EV_ARRAY_LEN(han_digits) && !hd; k++)
            hd = n - i >= 3 && memcmp(s + i, han_digits[k], 3) == 0;
        if (hd)
            i += 3;
        else if (is_digit((unsigned char)s[i]))
            i++;
        else
            break;
    }
    if (i == digits)
        return 0;
    if (open) {
        if (i >= n || s[i] != ')')
            return 0;
        i++;
    } else if (i < n && (s[i] == '.' || s[i] == ')')) {
        i++;
    } else if (n - i >= 3 && memcmp(s + i, "、", 3) == 0) {
        i += 3;
    } else {
        return 0;
    }
    while (i < n && s[i] == ' ')
        i++;
    return i;
}

static void party_clean(const fx *x, char *s)
{
    static const char *const stop_fields[] = {"address", "legal_representative"};
    size_t n = strlen(s);
    size_t num = list_number_len(s, n);
    if (num && num < n) {
        memmove(s, s + num, n - num + 1);
        n -= num;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n' || s[i] == ';') {
            cut(s, i);
            return;
        }
        if (s[i] == ',') {
            if (!name_comma(s, n, i)) {
                cut(s, i);
                return;
            }
            continue;
        }
        size_t bl = bracket_len(s, n, i, 80);
        if (bl) {
            const char *in = s + i;
            bool note_like = find_ci(in, bl, 0, "\"", 1) != SIZE_MAX ||
                             find_ci(in, bl, 0, "“", 3) != SIZE_MAX ||
                             find_ci(in, bl, 0, "简称", 6) != SIZE_MAX ||
                             find_ci(in, bl, 0, "以下", 6) != SIZE_MAX ||
                             find_ci(in, bl, 0, "hereinafter", 11) != SIZE_MAX ||
                             holds_label_of(x, in, bl, party_fields, EV_ARRAY_LEN(party_fields)) ||
                             holds_label_of(x, in, bl, stop_fields, EV_ARRAY_LEN(stop_fields));
            if (note_like) {
                cut(s, i);
                return;
            }
            i += bl - 1;
            continue;
        }
        for (size_t k = 0; k < EV_ARRAY_LEN(stop_fields); k++) {
            const cat_field *f = catalog_field(x->cat, stop_fields[k]);
            for (size_t li = 0; f && li < f->nlabels; li++)
                if (starts_ci(s + i, n - i, f->labels[li].text)) {
                    cut(s, i);
                    return;
                }
        }
    }
}

/* An address ends at a line or a semicolon, and where another field's
 * label follows a comma: "紫星路588号801室，建筑面积286.40平方米" (English
 * addresses have commas of their own). */
static void address_clean(const fx *x, char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n' || s[i] == ';') {
            cut(s, i);
            return;
        }
        if (s[i] != ',')
            continue;
        size_t j = i + 1;
        while (j < n && s[j] == ' ')
            j++;
        for (const char *const *p = x->names; p && *p; p++) {
            const cat_field *f = catalog_field(x->cat, *p);
            for (size_t li = 0; f && li < f->nlabels; li++)
                if (starts_ci(s + j, n - j, f->labels[li].text)) {
                    cut(s, i);
                    return;
                }
        }
    }
}

/* A person's name: a bracketed note after it (签字) and anything after a
 * comma ("Helen Zhou, General Manager") dropped; a Chinese name is its
 * first word, "张 伟" (a spaced two-character name) joined. */
static void name_clean(char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == ';' || bracket_len(s, n, i, 80)) {
            cut(s, i);
            n = i;
            break;
        }
    trim_value(s);
    n = strlen(s);
    size_t c;
    if (n == 0 || !is_han(cp_at(s, n, 0, &c)))
        return;
    /* Han: words are separated by spaces; single characters may be spaced. */
    size_t out = 0, i = 0, nchar = 0;
    bool first_single = false;
    int word = 0;
    while (i < n) {
        size_t s0 = i, wc = 0;
        bool han = true;
        while (i < n && s[i] != ' ') {
            size_t k;
            if (!is_han(cp_at(s, n, i, &k)))
                han = false;
            i += k;
            wc++;
        }
        if (word == 0) {
            first_single = wc == 1;
        } else if (!(first_single && han && wc <= 2 && nchar < 3)) {
            break;
        }
        memmove(s + out, s + s0, i - s0);
        out += i - s0;
        nchar += wc;
        word++;
        while (i < n && s[i] == ' ')
            i++;
    }
    s[out] = '\0';
}

/* Labels written in front of a number: "No.", "NO:", 编号, the field's own. */
static void number_clean(const cat_field *f, char *s)
{
    bool again = true;
    while (again) {
        again = false;
        trim_value(s);
        size_t n = strlen(s);
        size_t skip = 0;
        if (starts_ci(s, n, "no.") || starts_ci(s, n, "no:"))
            skip = 3;
        else if (starts_ci(s, n, "no ") || starts_ci(s, n, "nr."))
            skip = 3;
        else if (starts_ci(s, n, "编号"))
            skip = strlen("编号");
        for (size_t li = 0; !skip && li < f->nlabels; li++)
            if (starts_ci(s, n, f->labels[li].text))
                skip = strlen(f->labels[li].text);
        if (skip) {
            memmove(s, s + skip, n - skip + 1);
            again = true;
        }
    }
}

static bool re_full(const pcre2_code *re, const char *s, pcre2_match_data *md)
{
    size_t n = strlen(s);
    int rc = pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, md, NULL);
    if (rc < 0)
        return false;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    return ov[0] == 0 && ov[1] == n;
}

/* A string value as the field keeps it; NULL when there is none. */
static char *clean_string(fx *x, const cat_field *f, const char *raw)
{
    char *s = ev_strdup(raw);
    /* A line ends a value, and so does a separator of a header line
     * ("Doc. No. ISP-07 | Rev. B | Page 1 of 4"). */
    s[strcspn(s, "\n|")] = '\0';
    if (IN_LIST(party_fields, f->name))
        party_clean(x, s);
    if (IN_LIST(name_fields, f->name))
        name_clean(s);
    if (strcmp(f->name, "address") == 0)
        address_clean(x, s);
    if (IN_LIST(number_fields, f->name))
        number_clean(f, s);
    trim_value(s);
    size_t n = strlen(s);
    if (n && bracket_len(s, n, 0, n) == n) {
        s[0] = '\0';
        n = 0;
    }
    if (n > VALUE_MAX) {
        n = VALUE_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        s[n] = '\0';
    }
    if (n == 0 || is_placeholder(x, s)) {
        free(s);
        return NULL;
    }
    if (f->re && !re_full(f->re, s, x->md)) {
        char *sp = strchr(s, ' ');
        if (sp)
            *sp = '\0';
        trim_value(s);
        if (!re_full(f->re, s, x->md)) {
            free(s);
            return NULL;
        }
    }
    return s;
}

/* ---- candidates ------------------------------------------------------------ */

static fx_slot *slot_for(fx *x, const cat_field *f)
{
    for (size_t i = 0; i < x->nslot; i++)
        if (x->slot[i].f == f)
            return &x->slot[i];
    x->slot = ev_grow(x->slot, &x->scap, x->nslot + 1, sizeof *x->slot);
    fx_slot *s = &x->slot[x->nslot++];
    memset(s, 0, sizeof *s);
    s->f = f;
    return s;
}

/* Offer value v (a new reference, taken) for field `name`. */
static void offer(fx *x, const char *name, json_t *v, int rank, int strength, size_t label_ix)
{
    assert(rank >= RANK_MARGIN && rank <= RANK_BODY);
    const cat_field *f = catalog_field(x->cat, name);
    if (!f || !v || !kind_has(x, name)) {
        json_decref(v);
        return;
    }
    fx_slot *s = slot_for(x, f);
    s->c = ev_grow(s->c, &s->cap, s->n + 1, sizeof *s->c);
    s->c[s->n++] = (fx_cand){v, rank, strength, label_ix, x->order++, x->cur};
}

/* The longest text a source quotes, in bytes. */
#define SOURCE_QUOTE_MAX 240

/*
 * Record in e->sources where field `name` was read: {block, start, end,
 * text}, block the index in the document's block list, start and end a
 * byte span of the block's text as prepared for reading (NFKC, runs of
 * spaces one space), text that span (shortened to SOURCE_QUOTE_MAX bytes
 * with "..." in the middle). Unknown sources are left out.
 */
static void set_source(fx *x, const char *name, fx_src src)
{
    if (src.blk == SIZE_MAX || src.blk >= x->nblk)
        return;
    const fx_block *b = &x->blk[src.blk];
    size_t st = src.start < b->len ? src.start : 0;
    size_t en = src.end > st && src.end <= b->len ? src.end : b->len;
    ev_buf q = {0};
    if (en - st <= SOURCE_QUOTE_MAX) {
        ev_buf_append(&q, b->t + st, en - st);
    } else {
        size_t head = st + SOURCE_QUOTE_MAX / 2, tail = en - SOURCE_QUOTE_MAX / 2;
        while (head > st && ((unsigned char)b->t[head] & 0xC0) == 0x80)
            head--;
        while (tail < en && ((unsigned char)b->t[tail] & 0xC0) == 0x80)
            tail++;
        ev_buf_append(&q, b->t + st, head - st);
        ev_buf_puts(&q, " ... ");
        ev_buf_append(&q, b->t + tail, en - tail);
    }
    for (size_t i = 0; i < q.len; i++)
        if (q.data[i] == '\n')
            q.data[i] = ' ';
    char *text = ev_buf_steal(&q);
    json_object_set_new(x->e->sources, name,
                        json_pack("{s:I, s:I, s:I, s:s}", "block", (json_int_t)src.blk, "start",
                                  (json_int_t)st, "end", (json_int_t)en, "text", text));
    free(text);
}

/* The source of a value v read from block bi at or after byte `from`: the
 * span from `from` to the end of v's text there (the whole rest when v was
 * cleaned beyond recognition). */
static fx_src source_of(const fx *x, size_t bi, size_t from, const char *v)
{
    const fx_block *b = &x->blk[bi];
    fx_src src = {bi, from, b->len};
    /* The quote starts with the label's sentence ("The total Contract
     * Price ... is RMB 268,000.00"), no more than a line of it. */
    size_t lo = from > SOURCE_QUOTE_MAX / 2 ? from - SOURCE_QUOTE_MAX / 2 : 0;
    for (size_t i = from; i > lo; i--) {
        const char *p = b->t + i;
        if (p[-1] == '\n' || p[-1] == ';' || (i >= 2 && p[-1] == ' ' && p[-2] == '.') ||
            (i >= 3 && memcmp(p - 3, "。", 3) == 0)) {
            src.start = i;
            break;
        }
        if (i - 1 == 0)
            src.start = 0;
    }
    while (src.start < from && ((unsigned char)b->t[src.start] & 0xC0) == 0x80)
        src.start++;
    /* A value is read within RAW_MAX bytes of its label: look no further
     * (a block may be megabytes long, and labels many). */
    size_t window = from <= b->len ? b->len - from : 0;
    if (window > 2 * RAW_MAX)
        window = 2 * RAW_MAX;
    size_t vlen = v ? strlen(v) : 0;
    const char *at = vlen ? memmem(b->t + from, window, v, vlen) : NULL;
    if (at)
        src.end = (size_t)(at - b->t) + vlen;
    return src;
}

static const char *rank_name(int rank)
{
    return rank == RANK_BODY ? "body" : rank == RANK_SIGNATURE ? "signature block" : "header or footer";
}

/* A value as the notes show it. */
static void show(const json_t *v, char *out, size_t n)
{
    if (json_is_string(v)) {
        snprintf(out, n, "%s", json_string_value(v));
    } else if (json_is_object(v)) {
        json_t *val = json_object_get(v, "value");
        snprintf(out, n, "%.2f %s", json_number_value(val),
                 json_string_value(json_object_get(v, "currency")));
    } else if (json_is_number(v)) {
        snprintf(out, n, "%g", json_number_value(v));
    } else {
        snprintf(out, n, "(list)");
    }
}

/* Pattern-only readings, then revision-table rows, then statements. */
static int tier(const fx_cand *c)
{
    return c->strength == STRENGTH_GUARDED ? 0 : c->strength == STRENGTH_HISTORY ? 1 : 2;
}

static bool better(const fx_cand *a, const fx_cand *b)
{
    if (tier(a) != tier(b))
        return tier(a) > tier(b);
    if (a->rank != b->rank)
        return a->rank > b->rank;
    if (a->strength != b->strength)
        return a->strength > b->strength;
    if (a->label_ix != b->label_ix)
        return a->label_ix < b->label_ix;
    return a->order < b->order;
}

/*
 * Pick the value of each field: anything over a value only its pattern
 * vouches for (表单编号：… in an appendix is no document number); then the
 * body over the signature block over headers and footers, a label with a
 * colon or cell over prose (本合同总金额为…), an earlier label of the
 * catalog list over a later one, the first statement over later ones. In
 * the signature block the latest date wins (both parties' dates: the later
 * one concluded the contract). A differing value of another rank, or the
 * same label stated twice, is noted.
 */
static void resolve(fx *x)
{
    for (size_t si = 0; si < x->nslot; si++) {
        fx_slot *s = &x->slot[si];
        if (s->n == 0)
            continue;
        size_t best = 0;
        for (size_t i = 1; i < s->n; i++)
            if (better(&s->c[i], &s->c[best]))
                best = i;
        bool sig_dates = s->f->type == CAT_FIELD_DATE && s->c[best].rank == RANK_SIGNATURE;
        if (sig_dates)
            for (size_t i = 0; i < s->n; i++)
                if (s->c[i].rank == RANK_SIGNATURE &&
                    strcmp(json_string_value(s->c[i].v), json_string_value(s->c[best].v)) > 0)
                    best = i;
        const fx_cand *b = &s->c[best];
        for (size_t i = 0; i < s->n; i++) {
            const fx_cand *c = &s->c[i];
            /* a value only its pattern vouched for is no statement to note,
             * nor is an older row of a revision table */
            if (i == best || json_equal(c->v, b->v) || tier(c) < 2)
                continue;
            bool same_statement = c->rank == b->rank && c->strength == b->strength &&
                                  c->label_ix == b->label_ix && !sig_dates;
            if (c->rank == b->rank && !same_statement)
                continue;
            char bv[160], cv[160];
            show(b->v, bv, sizeof bv);
            show(c->v, cv, sizeof cv);
            note(x, "%s: conflicting values %s (%s) and %s (%s); %s kept", s->f->name, bv,
                 rank_name(b->rank), cv, rank_name(c->rank), bv);
            break;
        }
        s->chosen_rank = b->rank;
        json_object_set(x->e->fields, s->f->name, b->v);
        set_source(x, s->f->name, b->src);
    }
}

static void free_slots(fx *x)
{
    for (size_t si = 0; si < x->nslot; si++) {
        for (size_t i = 0; i < x->slot[si].n; i++)
            json_decref(x->slot[si].c[i].v);
        free(x->slot[si].c);
    }
    free(x->slot);
}

/* ---- typed readings ------------------------------------------------------- */

static json_t *date_json(const ev_date_match *m, bool end, bool month_ok, fx *x, const char *field)
{
    const char *w = ev_date_warning(m);
    if (!(m->flags & EV_DATE_SET)) {
        if (w)
            note(x, "%s: %s; left unset", field, w);
        return NULL;
    }
    ev_date d = m->date;
    if (m->flags & EV_DATE_MONTH_ONLY) {
        if (!month_ok) {
            note(x, "%s: %s; left unset", field, w);
            return NULL;
        }
        if (end)
            d = ev_date_month_end(d);
    } else if (w) {
        note(x, "%s: %s", field, w);
    }
    char buf[EV_DATE_STRLEN];
    return json_string(ev_date_format(d, buf));
}

/* Is the date at v[at] introduced as an end (至, 到, to, until)? */
static bool end_word_before(const char *v, size_t at)
{
    static const char *const words[] = {"至", "到", "止", "to ", "until ", "till "};
    size_t lo = at > 10 ? at - 10 : 0;
    for (size_t i = lo; i < at; i++)
        for (size_t k = 0; k < EV_ARRAY_LEN(words); k++)
            if (starts_ci(v + i, at - i, words[k]))
                return true;
    return false;
}

static void take_date(fx *x, const cat_field *f, size_t li, const char *v, int rank, int strength)
{
    const char *end_f = NULL, *start_f = NULL;
    bool is_end = false;
    for (size_t i = 0; i < EV_ARRAY_LEN(date_pairs); i++) {
        if (strcmp(f->name, date_pairs[i].end) == 0) {
            is_end = true;
            end_f = f->name;
            start_f = date_pairs[i].start;
        } else if (date_pairs[i].start && strcmp(f->name, date_pairs[i].start) == 0) {
            start_f = f->name;
            end_f = date_pairs[i].end;
        }
    }
    bool month_ok = strncmp(f->name, "period_", 7) == 0;
    size_t n = strlen(v);
    ev_date_range r;
    if (end_f && ev_date_find_range(v, n, &x->dopts, &r)) {
        if (start_f)
            offer(x, start_f, date_json(&r.from, false, month_ok, x, start_f), rank, strength, li);
        if (r.to.flags & EV_DATE_OPEN) {
            if (kind_has(x, end_f))
                note(x, "%s: open-ended term; left unset", end_f);
        } else {
            offer(x, end_f, date_json(&r.to, true, month_ok, x, end_f), rank, strength, li);
        }
        return;
    }
    if (!end_f && ev_date_find_range(v, n, &x->dopts, &r)) {
        offer(x, f->name, date_json(&r.from, false, month_ok, x, f->name), rank, strength, li);
        return;
    }
    ev_date_match m;
    if (!ev_date_find(v, n, &x->dopts, &m))
        return;
    const char *target = f->name;
    if (!is_end && end_f && end_word_before(v, m.start)) {
        const cat_field *ef = catalog_field(x->cat, end_f);
        for (size_t i = 0; ef && i < ef->nlabels; i++)
            if (strcasecmp(ef->labels[i].text, f->labels[li].text) == 0)
                target = end_f;
    }
    bool as_end = target == end_f;
    offer(x, target, date_json(&m, as_end, month_ok, x, target), rank, strength, li);
}

static json_t *amount_json(const ev_amount *a)
{
    json_t *o = json_object();
    if (a->cents % 100 == 0)
        json_object_set_new(o, "value", json_integer((json_int_t)(a->cents / 100)));
    else
        json_object_set_new(o, "value", json_real((double)a->cents / 100.0));
    json_object_set_new(o, "currency", json_string(a->currency));
    return o;
}

/* Where an amendment says what the amount becomes ("合同金额由人民币288,000元
 * 调整为人民币336,000元"), the text after the last such word; else v. */
static const char *amended_amount(const char *v)
{
    static const char *const to[] = {"调整为", "调整至", "变更为", "变更至", "增加至", "减少至",
                                     "adjusted to", "amended to", "changed to", "increased to",
                                     "reduced to"};
    const char *from = v;
    size_t n = strlen(v);

    for (size_t i = 0; i < EV_ARRAY_LEN(to); i++) {
        size_t len = strlen(to[i]);
        for (size_t at = find_ci(v, n, 0, to[i], len); at != SIZE_MAX;
             at = find_ci(v, n, at + 1, to[i], len))
            if (v + at + len > from)
                from = v + at + len;
    }
    return from;
}

static void take_amount(fx *x, const cat_field *f, size_t li, const char *v, size_t src, int rank,
                        int strength)
{
    ev_amount_opts o = {.english = x->english, .after_label = true};
    ev_amount_reading r;
    v = amended_amount(v);
    ev_amount_read(v, strlen(v), &o, &r);
    if (r.found && r.has_figure != r.has_words) {
        char *more = complement(x, src);
        if (more) {
            char *both = ev_asprintf("%s %s", v, more);
            ev_amount_reading r2;
            ev_amount_read(both, strlen(both), &o, &r2);
            if (r2.found && r2.has_figure && r2.has_words)
                r = r2;
            free(both);
            free(more);
        }
    }
    if (!r.found) {
        x->amount_skipped |= r.skipped;
        return;
    }
    if (r.disagree)
        note(x, "%s: %s", f->name, r.warning);
    offer(x, f->name, amount_json(&r.amount.amount), rank, strength, li);
}

static void take_number(fx *x, const cat_field *f, size_t li, const char *v, int rank, int strength)
{
    size_t n = strlen(v), i = 0;
    while (i < n && !is_digit((unsigned char)v[i]))
        i++;
    size_t s = i;
    while (i < n && (is_digit((unsigned char)v[i]) || v[i] == ',' ||
                     (v[i] == '.' && i + 1 < n && is_digit((unsigned char)v[i + 1]))))
        i++;
    if (s == i)
        return;
    char num[64];
    size_t k = 0;
    for (size_t j = s; j < i && k + 1 < sizeof num; j++)
        if (v[j] != ',')
            num[k++] = v[j];
    num[k] = '\0';
    if (f->re && !re_full(f->re, num, x->md))
        return;
    json_t *j = strchr(num, '.') ? json_real(strtod(num, NULL))
                                 : json_integer((json_int_t)strtoll(num, NULL, 10));
    offer(x, f->name, j, rank, strength, li);
}

/* An enum's value: of a row of boxes (☑同意验收 ☐不同意验收) only the
 * ticked options are read, so an unticked 不同意验收 is never the answer. */
static void take_enum(fx *x, const cat_field *f, size_t li, const char *v, int rank, int strength)
{
    cat_view view = {0};
    char *ticked = tickbox_ticked(v, strlen(v));
    if (ticked)
        v = ticked;
    cat_view_add(&view, v, strlen(v));
    cat_views vs = {.v = {[CAT_SCOPE_TEXT] = &view}};
    for (size_t i = 0; i < f->nvalues; i++) {
        if (cat_cue_match(&f->values[i].cues, CAT_SCOPE_TEXT, &vs, x->md, NULL)) {
            offer(x, f->name, json_string(f->values[i].value), rank, strength, li);
            break;
        }
    }
    cat_view_free(&view);
    free(ticked);
}

/* Split a list of names: 、 , ; / and line breaks separate them, and
 * spaces too unless the names are Latin ("Wang Fang"). */
static json_t *split_list(fx *x, const char *v)
{
    json_t *a = json_array();
    char *s = ev_strdup(v);
    size_t n = strlen(s), i = 0;
    bool latin = false;
    for (size_t k = 0; k < n && !latin; k++)
        latin = (s[k] >= 'a' && s[k] <= 'z') || is_upper((unsigned char)s[k]);
    while (i <= n) {
        size_t st = i;
        while (i < n && s[i] != ',' && s[i] != ';' && s[i] != '/' && (latin || s[i] != ' ') &&
               s[i] != '\n' &&
               !(n - i >= 3 && memcmp(s + i, "、", 3) == 0))
            i++;
        size_t en = i;
        i += (i < n && (unsigned char)s[i] >= 0x80) ? 3 : 1;
        if (en == st)
            continue;
        char *item = ev_strndup(s + st, en - st);
        trim_value(item);
        if (item[0] && strlen(item) <= VALUE_MAX && !is_placeholder(x, item))
            json_array_append_new(a, json_string(item));
        free(item);
    }
    free(s);
    if (json_array_size(a) == 0) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* ---- hits to candidates ----------------------------------------------------- */

static bool label_applies(const fx *x, const cat_label *l, bool in_sig)
{
    if (l->signature && !in_sig)
        return false;
    if (l->nkinds == 0)
        return true;
    for (size_t i = 0; i < l->nkinds; i++)
        if (x->e->kind && strcmp(l->kinds[i]->id, x->e->kind) == 0)
            return true;
    return false;
}

/* The index of f's label reading `text` that applies here; -1 if none. */
static long label_index(const fx *x, const cat_field *f, const char *text, bool in_sig)
{
    for (size_t i = 0; i < f->nlabels; i++)
        if (strcasecmp(f->labels[i].text, text) == 0 && label_applies(x, &f->labels[i], in_sig))
            return (long)i;
    return -1;
}

/* 'Huadong Power Co., Ltd. ("Party A")': the name before the note, from
 * the start of its clause (a colon, "between", "and"). */
static void take_role_note(fx *x, size_t hi, const cat_field *f, size_t li)
{
    const fx_hit *h = &x->hit[hi];
    const fx_block *b = &x->blk[h->blk];
    size_t open = h->start;
    while (open > 0 && b->t[open - 1] != '(')
        open--;
    if (open == 0)
        return;
    open--;
    /* 委托方（甲方）: the note belongs to a label, not to a name */
    size_t before = open;
    while (before > 0 && b->t[before - 1] == ' ')
        before--;
    for (size_t k = hi; k > 0 && x->hit[k - 1].blk == h->blk && x->hit[k - 1].end >= before; k--)
        if (x->hit[k - 1].label && x->hit[k - 1].end == before)
            return;
    /* the clause starts no further back than a value may run */
    size_t lo = open > RAW_MAX ? open - RAW_MAX : 0;
    size_t cs = lo;
    static const char *const marks[] = {":", ";", "\n", "between ", " and ", "与", "和", "及"};
    for (size_t i = lo; i < open; i++)
        for (size_t k = 0; k < EV_ARRAY_LEN(marks); k++)
            if (starts_ci(b->t + i, open - i, marks[k]))
                cs = i + strlen(marks[k]);
    for (size_t k = hi; k > 0 && x->hit[k - 1].blk == h->blk && x->hit[k - 1].start >= lo; k--) {
        const fx_hit *o = &x->hit[k - 1];
        if (o->label && o->vstart <= open && o->vstart > cs && terminates(o))
            cs = o->vstart;
    }
    char *raw = span_dup(b->t, cs, open);
    if (!raw)
        return;
    char *v = clean_string(x, f, raw);
    free(raw);
    if (v) {
        /* the quote runs to the end of the role note */
        size_t close = h->end;
        while (close < b->len && close - h->end < 8 && b->t[close] != ')')
            close++;
        x->cur = (fx_src){h->blk, cs, close < b->len && b->t[close] == ')' ? close + 1 : h->end};
        offer(x, f->name, json_string(v), x->blk[h->blk].rank, STRENGTH_LABELLED, li);
        x->cur.blk = SIZE_MAX;
    }
    free(v);
}

static void take_hit(fx *x, size_t hi, const cat_field *f, size_t li)
{
    assert(hi < x->nhit && li < f->nlabels && x->hit[hi].label);
    const fx_hit *h = &x->hit[hi];
    int rank = x->blk[h->blk].rank;
    bool loose = f->type == CAT_FIELD_DATE || f->type == CAT_FIELD_AMOUNT ||
                 f->type == CAT_FIELD_NUMBER || f->type == CAT_FIELD_ENUM;
    /* A heading that is only a label word ("Certificate") is a title; but a
     * section heading (验收结论, "Article 2 Term") is followed by its
     * content, where a date, an amount or an enum's cues are told apart
     * from any other text. */
    if (x->blk[h->blk].b->kind == DOC_BLOCK_HEADING && !h->colon && !loose)
        return;
    /* The cell below a revision table's column title is its oldest row:
     * revision_history() reads the newest. */
    if (x->blk[h->blk].history_head)
        return;
    /* "For the Employer: Helen Zhou" in a signature block names who signed */
    if (x->blk[h->blk].sig && IN_LIST(party_fields, f->name) && !h->lead)
        return;
    /* A value pattern guards a value without a colon ("Version 2.0") or
     * after a label inside a sentence ("本项目合同编号：HT-2026-018"). */
    bool patterned = f->type == CAT_FIELD_STRING && f->re && (h->strict || h->colon);
    bool labelled = h->lead || (h->colon && (h->strict || loose));
    size_t src = h->blk;
    char *v = NULL;
    int strength = STRENGTH_LABELLED;
    if (labelled) {
        v = explicit_value(x, hi, f->type == CAT_FIELD_LIST, &src);
    } else if (loose || patterned) {
        v = prose_value(x, hi, f->type == CAT_FIELD_AMOUNT || patterned);
        /* "Version 2.0" opening a line is a label, not a word in a sentence */
        strength = loose ? STRENGTH_PROSE : h->line_start ? STRENGTH_LABELLED : STRENGTH_GUARDED;
    }
    if (!v)
        return;
    x->cur = source_of(x, src, src == h->blk ? h->start : 0, v);
    switch (f->type) {
    case CAT_FIELD_DATE:
        take_date(x, f, li, v, rank, strength);
        break;
    case CAT_FIELD_AMOUNT:
        take_amount(x, f, li, v, src, rank, strength);
        break;
    case CAT_FIELD_NUMBER:
        take_number(x, f, li, v, rank, strength);
        break;
    case CAT_FIELD_ENUM:
        take_enum(x, f, li, v, rank, strength);
        break;
    case CAT_FIELD_LIST:
        offer(x, f->name, split_list(x, v), rank, strength, li);
        break;
    case CAT_FIELD_CATEGORY:
        if (x->scope.len)
            ev_buf_putc(&x->scope, '\n');
        ev_buf_puts(&x->scope, v);
        break;
    case CAT_FIELD_STRING: {
        char *s = clean_string(x, f, v);
        if (s)
            offer(x, f->name, json_string(s), rank, strength, li);
        free(s);
        break;
    }
    case CAT_FIELD_EXPERIENCE:
    case CAT_FIELD_TOPIC:
        break;
    }
    x->cur.blk = SIZE_MAX;
    free(v);
}

/* Has field f been read often enough at this rank? Counts the labels
 * read, whether or not they gave a value. */
static bool full(fx *x, const cat_field *f, int rank)
{
    if (f->type == CAT_FIELD_CATEGORY)
        return x->scope.len >= SCOPE_MAX;
    fx_slot *s = slot_for(x, f);
    return s->tries[rank]++ >= MAX_TRIES;
}

/* Give every catalog label found to the first field of the kind owning it.
 * service_category only collects its labels' values (the scope text) and
 * lets the label go on to the next owner (项目名称 is also project_name). */
static void read_hits(fx *x)
{
    for (size_t hi = 0; hi < x->nhit; hi++) {
        const fx_hit *h = &x->hit[hi];
        if (!h->label)
            continue;
        bool in_sig = x->blk[h->blk].sig;
        for (const char *const *p = x->names; p && *p; p++) {
            const cat_field *f = catalog_field(x->cat, *p);
            if (!f)
                continue;
            long li = label_index(x, f, h->label, in_sig);
            if (li < 0)
                continue;
            if (h->bracket) {
                if (IN_LIST(party_fields, f->name) && !full(x, f, x->blk[h->blk].rank))
                    take_role_note(x, hi, f, (size_t)li);
                break;
            }
            if (f->type == CAT_FIELD_EXPERIENCE) {
                if (x->exp_blk == SIZE_MAX)
                    x->exp_blk = h->blk;
                break;
            }
            if (!full(x, f, x->blk[h->blk].rank))
                take_hit(x, hi, f, (size_t)li);
            if (f->type != CAT_FIELD_CATEGORY)
                break;
        }
    }
}

/* ---- revision-history tables ------------------------------------------- */

/* A revision table has at least this many rows with a version. */
#define HISTORY_MIN_ROWS 2

/* Does a column title start with one of the labels of field `name` (or
 * one of the extra words)? Titles are short. */
static bool column_of(const fx *x, const fx_block *b, const char *name, const char *const *extra,
                      size_t nextra)
{
    if (b->len == 0 || b->len > 24)
        return false;
    const cat_field *f = catalog_field(x->cat, name);
    for (size_t li = 0; f && li < f->nlabels; li++)
        if (starts_ci(b->t, b->len, f->labels[li].text))
            return true;
    for (size_t k = 0; k < nextra; k++)
        if (find_ci(b->t, b->len, 0, extra[k], strlen(extra[k])) != SIZE_MAX)
            return true;
    return false;
}

/* The text of the cell at (row, col) of the table of cell block bi; NULL
 * when there is none or it is blank. *out receives its block. */
static const char *cell_text(const fx *x, size_t bi, uint32_t row, size_t col, size_t *out)
{
    size_t c = cell_at(x, bi, row, col);
    *out = c;
    return c == SIZE_MAX || blank(x, c) ? NULL : x->blk[c].t;
}

/*
 * One table whose first row is titles (the cells row0[0..n0), rows up to
 * last_row): when it has a version column and a date column and at least
 * HISTORY_MIN_ROWS rows below with a version, it is a revision history.
 * Its newest row (the latest date; without dates, the highest version;
 * the later row of equals) gives version, effective_on and approved_by
 * at STRENGTH_HISTORY, and its column titles give nothing of their own.
 */
static void history_table(fx *x, const size_t *row0, size_t n0, uint32_t last_row)
{
    static const char *const rev_words[] = {"rev", "修订版本", "版本号"};
    static const char *const date_words[] = {"日期", "时间", "date"};
    size_t vcol = SIZE_MAX, dcol = SIZE_MAX, acol = SIZE_MAX;
    for (size_t k = 0; k < n0; k++) {
        const fx_block *b = &x->blk[row0[k]];
        size_t col = b->b->col;
        if (vcol == SIZE_MAX && column_of(x, b, "version", rev_words, EV_ARRAY_LEN(rev_words)))
            vcol = col;
        else if (acol == SIZE_MAX && column_of(x, b, "approved_by", NULL, 0))
            acol = col;
        else if (dcol == SIZE_MAX && column_of(x, b, "effective_on", date_words,
                                               EV_ARRAY_LEN(date_words)))
            dcol = col;
    }
    if (vcol == SIZE_MAX || dcol == SIZE_MAX)
        return;
    size_t h0 = row0[0];
    size_t rows = 0, best_row = 0, best_v = SIZE_MAX;
    bool best_dated = false;
    ev_date best_date;
    ev_version best_ver;
    memset(&best_date, 0, sizeof best_date);
    memset(&best_ver, 0, sizeof best_ver);
    for (uint32_t row = 1; row <= last_row; row++) {
        size_t vb, db;
        const char *vt = cell_text(x, h0, row, vcol, &vb);
        ev_version ver;
        if (!vt || !ev_version_parse(vt, strlen(vt), &ver))
            continue;
        rows++;
        const char *dt = cell_text(x, h0, row, dcol, &db);
        ev_date_match m;
        bool dated = dt && ev_date_find(dt, strlen(dt), &x->dopts, &m) && (m.flags & EV_DATE_SET);
        bool newer;
        if (best_v == SIZE_MAX)
            newer = true;
        else if (dated && best_dated)
            newer = ev_date_diff_days(best_date, m.date) >= 0;
        else if (dated != best_dated)
            newer = dated;
        else
            newer = ev_version_cmp(&ver, &best_ver) >= 0;
        if (newer) {
            best_row = row;
            best_v = vb;
            best_dated = dated;
            best_ver = ver;
            if (dated)
                best_date = m.date;
        }
    }
    if (rows < HISTORY_MIN_ROWS)
        return;
    for (size_t k = 0; k < n0; k++)
        x->blk[row0[k]].history_head = true;
    const cat_field *vf = catalog_field(x->cat, "version");
    char *v = vf ? clean_string(x, vf, x->blk[best_v].t) : NULL;
    if (v) {
        x->cur = source_of(x, best_v, 0, v);
        offer(x, "version", json_string(v), RANK_BODY, STRENGTH_HISTORY, 0);
    }
    free(v);
    size_t db;
    if (best_dated && cell_text(x, h0, best_row, dcol, &db)) {
        char buf[EV_DATE_STRLEN];
        x->cur = (fx_src){db, 0, x->blk[db].len};
        offer(x, "effective_on", json_string(ev_date_format(best_date, buf)), RANK_BODY,
              STRENGTH_HISTORY, 0);
    }
    size_t ab;
    const char *at = acol != SIZE_MAX ? cell_text(x, h0, best_row, acol, &ab) : NULL;
    const cat_field *af = catalog_field(x->cat, "approved_by");
    char *a = at && af ? clean_string(x, af, at) : NULL;
    if (a) {
        x->cur = source_of(x, ab, 0, a);
        offer(x, "approved_by", json_string(a), RANK_BODY, STRENGTH_HISTORY, 0);
    }
    free(a);
    x->cur.blk = SIZE_MAX;
}

/* Every table's first row, to history_table(). */
static void revision_history(fx *x)
{
    if (!kind_has(x, "version"))
        return;
    size_t *row0 = ev_calloc(x->ncells + 1, sizeof *row0);
    for (size_t i = 0; i < x->ncells;) {
        const doc_block *first = x->blk[x->cell_ix[i]].b;
        size_t n0 = 0, j = i;
        uint32_t last_row = 0;
        for (; j < x->ncells; j++) {
            const doc_block *c = x->blk[x->cell_ix[j]].b;
            if (c->part != first->part || c->table != first->table)
                break;
            if (c->row == 0)
                row0[n0++] = x->cell_ix[j];
            last_row = c->row;
        }
        if (n0 >= 2)
            history_table(x, row0, n0, last_row);
        i = j;
    }
    free(row0);
}

/* ---- a term stated in prose --------------------------------------------- */

/* Has a label offered a value for field `name`? */
static bool offered(fx *x, const char *name)
{
    for (size_t i = 0; i < x->nslot; i++)
        if (strcmp(x->slot[i].f->name, name) == 0)
            return x->slot[i].n > 0;
    return false;
}

/*
 * A term no label introduces: "本协议自2026年1月10日起生效，为期3年",
 * "This Agreement commences on 1 April 2026 and continues for 24 months".
 * The first body paragraph that speaks of the agreement or its term and
 * states a start and a duration gives start_on and end_on (start +
 * duration - 1 day), in prose strength, with a note.
 */
static void term_from_prose(fx *x)
{
    static const char *const about[] = {"本协议", "本合同", "协议期限", "合同期限", "有效期",
                                        "服务期", "this agreement", "this contract", "term",
                                        "for a period of"};
    if (!kind_has(x, "end_on") || offered(x, "end_on"))
        return;
    for (size_t bi = 0; bi < x->nblk; bi++) {
        const fx_block *b = &x->blk[bi];
        if (b->rank != RANK_BODY || b->sig || !b->searched || b->len == 0)
            continue;
        bool speaks = false;
        for (size_t k = 0; k < EV_ARRAY_LEN(about) && !speaks; k++)
            speaks = find_ci(b->t, b->len, 0, about[k], strlen(about[k])) != SIZE_MAX;
        ev_date_range r;
        if (!speaks || !ev_date_find_range(b->t, b->len, &x->dopts, &r) || r.duration_months <= 0)
            continue;
        x->cur = (fx_src){bi, r.start, r.end};
        char from[EV_DATE_STRLEN], to[EV_DATE_STRLEN];
        ev_date_format(r.from.date, from);
        ev_date_format(r.to.date, to);
        size_t ls = catalog_field(x->cat, "start_on") ? catalog_field(x->cat, "start_on")->nlabels : 0;
        size_t le = catalog_field(x->cat, "end_on") ? catalog_field(x->cat, "end_on")->nlabels : 0;
        if (!offered(x, "start_on"))
            offer(x, "start_on", json_string(from), RANK_BODY, STRENGTH_PROSE, ls);
        offer(x, "end_on", json_string(to), RANK_BODY, STRENGTH_PROSE, le);
        x->cur.blk = SIZE_MAX;
        note(x, "end_on computed from the term: %s plus %d months less one day", from,
             r.duration_months);
        return;
    }
}

/* ---- the signature block ------------------------------------------------ */

static bool party_lead(const fx *x, size_t bi)
{
    return x->blk[bi].party_start;
}

/* What a signatory line puts before the party: "For Party A", "On behalf
 * of the Landlord". */
static bool signatory_phrase(const char *s, size_t n)
{
    static const char *const phrases[] = {"for ", "for and on behalf of ", "on behalf of ",
                                          "signed for ", "signed on behalf of "};
    for (size_t k = 0; k < EV_ARRAY_LEN(phrases); k++)
        if (n == strlen(phrases[k]) && starts_ci(s, n, phrases[k]))
            return true;
    return false;
}

/* Mark the party lines: blocks that open with a party label of this kind
 * (甲方（盖章）：, Party A:), short ones with a party label and a colon
 * ("For the Employer: Helen Zhou", 甲方验收组长（签字）：), and short
 * signatory lines ("For Party A"). */
static void mark_party_starts(fx *x)
{
    for (size_t k = 0; k < x->nhit; k++) {
        const fx_hit *h = &x->hit[k];
        const fx_block *b = &x->blk[h->blk];
        bool opens = h->start <= 16 && numbering_only(b->t, h->start);
        bool short_colon = b->len <= SHORT_BLOCK && memchr(b->t, ':', b->len) != NULL;
        bool signs = b->len <= SHORT_BLOCK && signatory_phrase(b->t, h->start);
        bool line = h->lead || signs || (short_colon && ((h->colon && h->strict) || opens));
        if (!h->label || !line || h->bracket)
            continue;
        for (size_t i = 0; i < EV_ARRAY_LEN(party_fields); i++) {
            const cat_field *f = catalog_field(x->cat, party_fields[i]);
            if (f && label_index(x, f, h->label, true) >= 0)
                x->blk[h->blk].party_start = true;
        }
    }
}

static bool has_date(const fx *x, size_t bi)
{
    ev_date_match m;
    ev_date_opts o = x->dopts;
    o.after_label = false;
    return ev_date_find(x->blk[bi].t, x->blk[bi].len, &o, &m);
}

/*
 * Terms of the agreement: a block too long for a signature block, or a
 * whole sentence that is no party line. A one-page agreement may have a
 * single short clause ("乙方对甲方的商业秘密……负有保密义务。") between its
 * parties and its signatures.
 */
static bool is_terms(const fx *x, size_t bi)
{
    const fx_block *b = &x->blk[bi];
    size_t n = b->len;

    if (b->b->part != DOC_PART_BODY || b->b->kind == DOC_BLOCK_HEADING || party_lead(x, bi))
        return false;
    if (n > SHORT_BLOCK)
        return true;
    while (n > 0 && (b->t[n - 1] == ' ' || b->t[n - 1] == '\t'))
        n--;
    return n >= 30 && ((n >= 3 && memcmp(b->t + n - 3, "\xe3\x80\x82", 3) == 0) ||
                       (b->t[n - 1] == '.' && b->t[n - 2] >= 'a' && b->t[n - 2] <= 'z'));
}

/*
 * The signature block: around the last party line of the body, the short
 * blocks before it that are part of it (party lines, dates, cells of its
 * table) and the short blocks after it (at most 12, or the rest of its
 * table). A document whose party lines are all at the top (no terms before
 * them) has none.
 */
static void find_signature(fx *x)
{
    size_t last = SIZE_MAX;
    for (size_t i = 0; i < x->nblk; i++)
        if (x->blk[i].b->part == DOC_PART_BODY && party_lead(x, i))
            last = i;
    if (last == SIZE_MAX)
        return;
    size_t s = last;
    while (s > 0) {
        size_t p = s - 1;
        const fx_block *b = &x->blk[p];
        if (b->b->part != DOC_PART_BODY || b->len > SHORT_BLOCK)
            break;
        bool same_table = b->b->kind == DOC_BLOCK_CELL && x->blk[s].b->kind == DOC_BLOCK_CELL &&
                          b->b->table == x->blk[s].b->table;
        if (!(b->len == 0 || party_lead(x, p) || same_table || has_date(x, p)))
            break;
        s = p;
    }
    bool terms_before = false;
    for (size_t i = 0; i < s && !terms_before; i++)
        terms_before = is_terms(x, i);
    if (!terms_before)
        return;
    size_t e = last;
    while (e + 1 < x->nblk && x->blk[e + 1].b->part == DOC_PART_BODY &&
           x->blk[e + 1].len <= SHORT_BLOCK) {
        const doc_block *n = x->blk[e + 1].b, *l = x->blk[last].b;
        bool same_table = n->kind == DOC_BLOCK_CELL && l->kind == DOC_BLOCK_CELL &&
                          n->table == l->table;
        if (!same_table && e + 1 - last > 12)
            break;
        e++;
    }
    for (size_t i = s; i <= e; i++) {
        x->blk[i].sig = true;
        x->blk[i].rank = RANK_SIGNATURE;
    }
}

/* The latest full date (no month-only one) of the signature block, or of
 * the whole body when sig_only is false. */
static bool latest_date(const fx *x, bool sig_only, ev_date *out, fx_src *src)
{
    bool found = false;
    for (size_t i = 0; i < x->nblk; i++) {
        if (sig_only ? !x->blk[i].sig : x->blk[i].b->part != DOC_PART_BODY)
            continue;
        ev_date_match *all;
        /* unlabelled text: 20260305 inside HT-20260305-01 is no date */
        ev_date_opts o = x->dopts;
        o.after_label = false;
        size_t n = ev_date_find_all(x->blk[i].t, x->blk[i].len, &o, &all);
        for (size_t k = 0; k < n; k++) {
            if ((all[k].flags & EV_DATE_SET) && !(all[k].flags & EV_DATE_MONTH_ONLY) &&
                (!found || ev_date_cmp(all[k].date, *out) > 0)) {
                *out = all[k].date;
                found = true;
                if (src)
                    *src = (fx_src){i, 0, all[k].end};
            }
        }
        free(all);
    }
    return found;
}

/* Set a date field read from `src` (blk SIZE_MAX: from no text, such as
 * an electronic signature, whose place an earlier reading no longer is). */
static void set_date(fx *x, const char *name, ev_date d, fx_src src)
{
    char buf[EV_DATE_STRLEN];
    json_object_set_new(x->e->fields, name, json_string(ev_date_format(d, buf)));
    json_object_del(x->e->sources, name);
    set_source(x, name, src);
}

static const fx_src no_src = {SIZE_MAX, 0, 0};

/* signed_on when no label gave it: the latest date of the signature block,
 * else effective_on, else unset; each fallback noted. */
static void signed_on_fallback(fx *x)
{
    if (!kind_has(x, "signed_on"))
        return;
    if (json_object_get(x->e->fields, "signed_on")) {
        const cat_field *f = catalog_field(x->cat, "signed_on");
        for (size_t i = 0; f && i < x->nslot; i++)
            if (x->slot[i].f == f && x->slot[i].chosen_rank == RANK_SIGNATURE)
                note(x, "signed_on taken from the signature block (its latest date)");
        return;
    }
    ev_date d;
    fx_src src;
    if (latest_date(x, true, &d, &src)) {
        set_date(x, "signed_on", d, src);
        note(x, "signed_on taken from the signature block (its latest date)");
        return;
    }
    json_t *eff = json_object_get(x->e->fields, "effective_on");
    if (eff) {
        json_object_set(x->e->fields, "signed_on", eff);
        json_t *eff_src = json_object_get(x->e->sources, "effective_on");
        if (eff_src)
            json_object_set(x->e->sources, "signed_on", eff_src);
        note(x, "signed_on not stated; effective_on used");
        return;
    }
    note(x, "signed_on not found");
}

/* ---- electronic signatures ---------------------------------------------- */

/*
 * The latest signature whose digest poppler found valid and whose time is
 * readable, with its date in China Standard Time; NULL when there is none.
 * The certificate's status does not matter here: Chinese e-seals are often
 * self-issued or from CAs outside NSS's roots, and their signing time is
 * still the file's own record of when it was signed (the certificate's
 * status becomes a note). Instants are compared as their UTC text, whose
 * fixed form sorts in time order.
 */
static const doc_signature *latest_valid_signature(const doc *d, ev_date *date)
{
    const doc_signature *best = NULL;
    ev_date day;

    for (size_t i = 0; i < d->nsignatures; i++) {
        const doc_signature *s = &d->signatures[i];
        if (strcmp(s->status, "valid") != 0 || !ev_instant_cst(s->signed_at, &day, NULL))
            continue;
        if (!best || strcmp(s->signed_at, best->signed_at) > 0) {
            best = s;
            *date = day;
        }
    }
    return best;
}

/* " of <signer>" for sentences, or "" when the certificate names no one. */
static const char *of_signer(const doc_signature *s, char *buf, size_t n)
{
    if (!s->signer)
        return "";
    snprintf(buf, n, " of %s", s->signer);
    return buf;
}

/*
 * A date field from the latest valid electronic signature, the strongest
 * source there is: the signing platform stamped it and the digest shows
 * the file is what was signed. `text` is what the text itself says (from a
 * label or the signature block; NULL when nothing), noted when it differs;
 * the signature's date is kept when `over_text`, the text's otherwise.
 * Returns whether a signature dated the field.
 */
static bool date_from_signature(fx *x, const char *name, const ev_date *text, bool over_text)
{
    const doc_signature *s;
    char who[200], b1[EV_DATE_STRLEN], b2[EV_DATE_STRLEN];
    ev_date day;

    if (!kind_has(x, name) || !(s = latest_valid_signature(x->d, &day)))
        return false;
    of_signer(s, who, sizeof who);
    if (strcmp(s->certificate, "trusted") != 0)
        note(x, "electronic signature%s: certificate %s (its digest is valid; the signer's "
                "name is the certificate's own claim)", who, s->certificate);
    if (text && ev_date_cmp(*text, day) != 0)
        note(x, "%s: the electronic signature%s says %s (China Standard Time), the text says "
                "%s; the %s kept", name, who, ev_date_format(day, b1),
             ev_date_format(*text, b2), over_text ? "signature's date" : "text's date");
    if (text && !over_text)
        return true;
    set_date(x, name, day, no_src);
    note(x, "%s from the electronic signature%s at %s: %s in China Standard Time (UTC+8)",
         name, who, s->signed_at, ev_date_format(day, b1));
    return true;
}

/* What the text says of the date of signing: a labelled signed_on, else
 * the latest date of the signature block. */
static bool text_signed_on(const fx *x, ev_date *out)
{
    const char *s = json_string_value(json_object_get(x->e->fields, "signed_on"));

    if (s)
        return ev_date_parse(s, out, NULL) == EV_OK;
    return latest_date(x, true, out, NULL);
}

/* signed_on of a contract, agreement or lease: a valid electronic
 * signature's date wins over anything the text says. */
static bool signed_on_from_signature(fx *x)
{
    ev_date text;
    bool have = kind_has(x, "signed_on") && text_signed_on(x, &text);

    return date_from_signature(x, "signed_on", have ? &text : NULL, true);
}

/* completed_on of an acceptance report: the labelled 验收日期 says when
 * acceptance took place, which the report may be signed after, so it is
 * kept (a different signing date is noted); without a label the signing
 * date is the best account of it, better than the signature block's. */
static void completed_on_from_signature(fx *x)
{
    const char *s = json_string_value(json_object_get(x->e->fields, "completed_on"));
    ev_date text;
    bool have = s && ev_date_parse(s, &text, NULL) == EV_OK;

    date_from_signature(x, "completed_on", have ? &text : NULL, false);
}

/* Dates of records and reports without a label: the latest date in the
 * body (the date a record or declaration was made is its last one). */
static void date_fallback(fx *x, const char *name)
{
    if (!kind_has(x, name) || json_object_get(x->e->fields, name))
        return;
    ev_date d;
    fx_src src;
    if (latest_date(x, false, &d, &src)) {
        set_date(x, name, d, src);
        note(x, "%s not labelled; the latest date in the text used", name);
    } else {
        note(x, "%s not found", name);
    }
}

/* Records and reports are dated even when no label says so; an acceptance
 * report by the date its signatories wrote. */
static void date_fallbacks(fx *x)
{
    if (kind_has(x, "completed_on") && !json_object_get(x->e->fields, "completed_on")) {
        ev_date d;
        fx_src src;
        if (latest_date(x, true, &d, &src)) {
            set_date(x, "completed_on", d, src);
            note(x, "completed_on not labelled; the latest date of the signature block used");
        } else {
            note(x, "completed_on not found");
        }
    }
    static const struct {
        const char *kind, *field;
    } dated[] = {{"training-record", "held_on"}, {"credit-report", "issued_on"},
                 {"risk-record", "issued_on"}, {"audit-report", "issued_on"}};
    for (size_t i = 0; i < EV_ARRAY_LEN(dated); i++)
        if (x->e->kind && strcmp(x->e->kind, dated[i].kind) == 0)
            date_fallback(x, dated[i].field);
}

/* ---- service category (requirements.md section 2) --------------------------- */

static size_t name_pos(const char *fold, const cat_category *c)
{
    const char *names[] = {c->name_zh, c->full_zh, c->name_en, c->full_en};
    size_t best = SIZE_MAX;
    if (!fold)
        return best;
    for (size_t i = 0; i < EV_ARRAY_LEN(names); i++) {
        if (!names[i])
            continue;
        char *key = ev_fold(names[i], strlen(names[i]));
        const char *p = key[0] ? strstr(fold, key) : NULL;
        if (p && (size_t)(p - fold) < best)
            best = (size_t)(p - fold);
        free(key);
    }
    return best;
}

static size_t count_kids(fx *x, const cat_cue *list, const cat_views *vs)
{
    size_t n = 0;
    for (size_t i = 0; i < list->nkids; i++)
        if (cat_cue_match(&list->kids[i], CAT_SCOPE_TEXT, vs, x->md, NULL))
            n++;
    return n;
}

typedef struct named_cat {
    const cat_category *c;
    size_t scope_pos, text_pos, index;
} named_cat;

static int named_cmp(const void *a, const void *b)
{
    const named_cat *x = a, *y = b;
    if (x->scope_pos != y->scope_pos)
        return x->scope_pos < y->scope_pos ? -1 : 1;
    if (x->text_pos != y->text_pos)
        return x->text_pos < y->text_pos ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * A category named exactly (a strong cue) wins; several named: all of them,
 * the first named in the scope text (the values of 服务内容, 服务范围 …)
 * first. Otherwise most medium cues; weak hints break ties; a tie or
 * nothing leaves it unset with a note.
 */
static void service_category(fx *x)
{
    if (!kind_has(x, "service_category"))
        return;
    size_t nc = catalog_category_count(x->cat);
    if (nc == 0)
        return;
    cat_views vs = {.v = {[CAT_SCOPE_TITLE] = &x->title_view, [CAT_SCOPE_TEXT] = &x->all,
                          [CAT_SCOPE_CELLS] = &x->cells}};
    char *scope = x->scope.len ? ev_fold(x->scope.data, x->scope.len) : NULL;
    named_cat *named = ev_calloc(nc, sizeof *named);
    size_t nn = 0;
    for (size_t i = 0; i < nc; i++) {
        const cat_category *c = catalog_category_at(x->cat, i);
        if (cat_cue_match(&c->strong, CAT_SCOPE_TEXT, &vs, x->md, NULL))
            named[nn++] = (named_cat){c, name_pos(scope, c), name_pos(x->all.fold.data, c), i};
    }
    json_t *ids = json_array();
    if (nn > 0) {
        qsort(named, nn, sizeof *named, named_cmp);
        for (size_t i = 0; i < nn; i++)
            json_array_append_new(ids, json_string(named[i].c->id));
        if (nn > 1) {
            ev_buf also = {0};
            for (size_t i = 1; i < nn; i++)
                ev_buf_printf(&also, "%s%s", i > 1 ? ", " : "", named[i].c->id);
            note(x, "service_category: %s is named first; the document also names %s",
                 named[0].c->id, also.data);
            ev_buf_free(&also);
        }
    } else {
        const cat_category *best = NULL;
        size_t bm = 0, bw = 0;
        bool tie = false;
        for (size_t i = 0; i < nc; i++) {
            const cat_category *c = catalog_category_at(x->cat, i);
            size_t m = count_kids(x, &c->medium, &vs);
            if (m == 0)
                continue;
            size_t w = count_kids(x, &c->weak, &vs);
            if (best && m == bm && w == bw) {
                tie = true;
            } else if (!best || m > bm || (m == bm && w > bw)) {
                best = c;
                bm = m;
                bw = w;
                tie = false;
            }
        }
        if (best && !tie)
            json_array_append_new(ids, json_string(best->id));
        else if (tie)
            note(x, "service_category: categories tie on their cues; left unset");
        else
            note(x, "service_category: no category named; left unset");
    }
    if (json_array_size(ids) > 0) {
        json_object_set(x->e->fields, "service_category", json_array_get(ids, 0));
        json_object_set(x->e->fields, "service_categories", ids);
    }
    json_decref(ids);
    free(named);
    free(scope);
}

/* ---- resumes ------------------------------------------------------------ */

static json_t *exp_date(const ev_date_match *m, bool end)
{
    if (!(m->flags & EV_DATE_SET))
        return json_null();
    ev_date d = (end && (m->flags & EV_DATE_MONTH_ONLY)) ? ev_date_month_end(m->date) : m->date;
    char buf[EV_DATE_STRLEN];
    return json_string(ev_date_format(d, buf));
}

/* Shorten s (may be NULL) to VALUE_MAX bytes on a character boundary. */
static void cap_value(char *s)
{
    if (!s || strlen(s) <= VALUE_MAX)
        return;
    size_t n = VALUE_MAX;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    s[n] = '\0';
}

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

/* One dated line "2019.07—至今 青云网安 技术负责人": the range at its start,
 * then the employer and the role; in a table, the next cells. */
static void exp_line(fx *x, size_t bi, const char *line, size_t n, json_t *list)
{
    ev_date_opts o = x->dopts;
    o.after_label = false;
    ev_date_range r;
    if (!ev_date_find_range(line, n, &o, &r) || r.start > 8)
        return;
    if (!(r.from.flags & EV_DATE_SET) || !(r.to.flags & (EV_DATE_SET | EV_DATE_OPEN)))
        return;
    char *rest = span_dup(line, r.end, n);
    char *employer = NULL, *role = NULL;
    if (rest) {
        trim_value(rest);
        /* "公司，职务", "Company | Role", "Company; Role"; else Chinese words
         * are separated by a space, and a Latin rest is all employer */
        size_t rn = strlen(rest), cut_at = 0;
        while (rest[cut_at] && !(strchr(";|", rest[cut_at]) ||
                                 (rest[cut_at] == ',' && !name_comma(rest, rn, cut_at))))
            cut_at++;
        size_t c;
        if (!rest[cut_at] && rest[0] && is_han(cp_at(rest, strlen(rest), 0, &c)))
            cut_at = strcspn(rest, " ");
        if (rest[cut_at]) {
            role = ev_strdup(rest + cut_at + 1);
            rest[cut_at] = '\0';
            trim_value(role);
        }
        employer = ev_strdup(rest);
        trim_value(employer);
    } else if (x->blk[bi].b->kind == DOC_BLOCK_CELL) {
        size_t c1 = cell_at(x, bi, x->blk[bi].b->row, SIZE_MAX);
        if (c1 != SIZE_MAX) {
            employer = ev_strdup(x->blk[c1].t);
            size_t c2 = cell_at(x, c1, x->blk[c1].b->row, SIZE_MAX);
            if (c2 != SIZE_MAX)
                role = ev_strdup(x->blk[c2].t);
        }
    }
    cap_value(employer);
    cap_value(role);
    json_t *entry = json_pack("{s:o, s:o, s:o, s:o}", "from", exp_date(&r.from, false), "to",
                              exp_date(&r.to, true), "employer", str_or_null(employer), "role",
                              str_or_null(role));
    json_array_append_new(list, entry);
    free(rest);
    free(employer);
    free(role);
}

/* A section title after the experience: a heading, or a short line with no
 * digit (教育背景, Education). */
static bool section_break(const fx *x, size_t bi)
{
    const fx_block *b = &x->blk[bi];
    if (b->b->kind == DOC_BLOCK_HEADING)
        return true;
    if (b->b->kind != DOC_BLOCK_PARAGRAPH || b->len == 0 || b->len > 24)
        return false;
    for (size_t i = 0; i < b->len; i++)
        if (is_digit((unsigned char)b->t[i]))
            return false;
    return true;
}

static void experience(fx *x)
{
    if (!kind_has(x, "experience"))
        return;
    json_t *list = json_array();
    size_t from = x->exp_blk == SIZE_MAX ? 0 : x->exp_blk;
    for (size_t i = from; i < x->nblk; i++) {
        const fx_block *b = &x->blk[i];
        if (b->b->part != DOC_PART_BODY)
            continue;
        if (x->exp_blk != SIZE_MAX && i > x->exp_blk && section_break(x, i))
            break;
        size_t s = 0;
        while (s < b->len) {
            const char *nl = memchr(b->t + s, '\n', b->len - s);
            size_t e = nl ? (size_t)(nl - b->t) : b->len;
            exp_line(x, i, b->t + s, e - s, list);
            s = e + 1;
        }
    }
    if (json_array_size(list) > 0) {
        json_object_set(x->e->fields, "experience", list);
        if (x->exp_blk == SIZE_MAX)
            note(x, "experience: no work-experience heading; every dated line taken");
    } else {
        note(x, "experience: no dated entries found");
    }
    json_decref(list);
}

/* ---- titles, plans, records, procedures ----------------------------------- */

/* The year t[0..n) names, as in "2026年度培训计划" or "2026 Training Plan",
 * and not as part of a date (2026年3月, 2026.03); 0 when none. With
 * fiscal, only "2026年度": prose names years for other reasons. */
static int year_named(const char *t, size_t n, bool fiscal)
{
    for (size_t i = 0; i + 4 <= n; i++) {
        if (!(is_digit((unsigned char)t[i]) && is_digit((unsigned char)t[i + 1]) &&
              is_digit((unsigned char)t[i + 2]) && is_digit((unsigned char)t[i + 3])))
            continue;
        if ((i > 0 && is_digit((unsigned char)t[i - 1])) ||
            (i + 4 < n && is_digit((unsigned char)t[i + 4])))
            continue;
        size_t j = i + 4;
        while (j < n && t[j] == ' ')
            j++;
        /* 2026年3月, 2026.03, 2026-03: a date, not a year */
        if (j < n && (t[j] == '.' || t[j] == '-' || t[j] == '/') && j + 1 < n &&
            is_digit((unsigned char)t[j + 1]))
            continue;
        /* 2026年3月 is a date; 2026年度, 2026年培训计划 name the year */
        if (n - j >= 3 && memcmp(t + j, "年", 3) == 0 && j + 3 < n && is_digit((unsigned char)t[j + 3]))
            continue;
        if (fiscal && !(n - j >= 6 && memcmp(t + j, "年度", 6) == 0))
            continue;
        int y = (t[i] - '0') * 1000 + (t[i + 1] - '0') * 100 + (t[i + 2] - '0') * 10 +
                (t[i + 3] - '0');
        if (y >= 1900 && y <= 2099)
            return y;
    }
    return 0;
}

/* A plan's period, or the financial year an audit report covers: a year
 * alone in the title gives 1 January .. 31 December; an audit report
 * without one names its year in the opinion ("2025年度的利润表"). */
static void plan_period(fx *x)
{
    if (!kind_has(x, "period_start") || json_object_get(x->e->fields, "period_start"))
        return;
    int y = x->title ? year_named(x->title, strlen(x->title), false) : 0;
    fx_src src = {x->title_blk, 0, SIZE_MAX};
    for (size_t i = 0; !y && i < x->nblk && strcmp(x->e->kind, "audit-report") == 0; i++)
        if (x->blk[i].b->part == DOC_PART_BODY && (y = year_named(x->blk[i].t, x->blk[i].len, true)))
            src = (fx_src){i, 0, SIZE_MAX};
    if (!y)
        return;
    set_date(x, "period_start", (ev_date){y, 1, 1}, src);
    set_date(x, "period_end", (ev_date){y, 12, 31}, src);
}

/* A sign-in table: the names under a 姓名 / Name column. */
static void attendees_from_names(fx *x)
{
    if (!kind_has(x, "attendees") || json_object_get(x->e->fields, "attendees"))
        return;
    const cat_field *pn = catalog_field(x->cat, "person_name");
    if (!pn)
        return;
    for (size_t i = 0; i < x->nblk; i++) {
        const fx_block *b = &x->blk[i];
        if (b->b->kind != DOC_BLOCK_CELL)
            continue;
        bool header = false;
        for (size_t li = 0; li < pn->nlabels && !header; li++)
            header = strcasecmp(b->t, pn->labels[li].text) == 0;
        if (!header)
            continue;
        json_t *a = json_array();
        for (uint32_t row = b->b->row + 1;; row++) {
            size_t c = cell_at(x, i, row, b->b->col);
            if (c == SIZE_MAX)
                break;
            if (x->blk[c].len && x->blk[c].len <= VALUE_MAX && !is_placeholder(x, x->blk[c].t))
                json_array_append_new(a, json_string(x->blk[c].t));
        }
        if (json_array_size(a) > 0)
            json_object_set(x->e->fields, "attendees", a);
        json_decref(a);
        return;
    }
}

/*
 * The control block of a procedure: headers and footers, paragraphs with a
 * control label (文件编号, 版本, 生效日期, 批准), and the tables that hold a
 * document number, or a version and an effective date, whole (a 状态 |
 * 作废 row has no label of its own). A revision history table (版本 |
 * 修订内容 | 批准) is not a control block: an old version marked 作废 there
 * does not withdraw the document.
 */
static void withdrawn(fx *x)
{
    static const char *const control[] = {"doc_number", "version", "effective_on", "approved_by"};
    if (!x->e->kind || strcmp(x->e->kind, "procedure") != 0)
        return;
    const cat_cueset *set = catalog_cueset(x->cat, "withdrawn");
    if (!set)
        return;
    unsigned *has = ev_calloc(x->nblk + 1, sizeof *has);  /* control fields, by block */
    for (size_t k = 0; k < x->nhit; k++) {
        const fx_hit *h = &x->hit[k];
        if (!h->label || !terminates(h))
            continue;
        for (size_t c = 0; c < EV_ARRAY_LEN(control); c++) {
            const cat_field *f = catalog_field(x->cat, control[c]);
            if (f && label_index(x, f, h->label, false) >= 0)
                has[h->blk] |= 1u << c;
        }
    }
    bool *take = ev_calloc(x->nblk + 1, sizeof *take);
    for (size_t i = 0; i < x->nblk; i++) {
        const doc_block *b = x->blk[i].b;
        take[i] = b->part == DOC_PART_HEADER || b->part == DOC_PART_FOOTER ||
                  (b->kind != DOC_BLOCK_CELL && has[i]);
    }
    /* the index holds each table's cells together */
    for (size_t i = 0; i < x->ncells;) {
        size_t j = i;
        unsigned fields = 0;
        const doc_block *t0 = x->blk[x->cell_ix[i]].b;
        while (j < x->ncells && x->blk[x->cell_ix[j]].b->part == t0->part &&
               x->blk[x->cell_ix[j]].b->table == t0->table)
            fields |= has[x->cell_ix[j++]];
        bool control_table = (fields & 1u) || (fields & 6u) == 6u;
        for (size_t k = i; k < j; k++)
            take[x->cell_ix[k]] |= control_table;
        i = j;
    }
    cat_view v = {0};
    if (x->title)
        cat_view_add(&v, x->title, strlen(x->title));
    for (size_t i = 0; i < x->nblk; i++)
        if (take[i])
            cat_view_add(&v, x->blk[i].t, x->blk[i].len);
    cat_views vs = {.v = {[CAT_SCOPE_TITLE] = &v, [CAT_SCOPE_TEXT] = &v}};
    ev_buf why = {0};
    if (cat_cue_match(&set->cues, CAT_SCOPE_TEXT, &vs, x->md, &why)) {
        json_object_set_new(x->e->fields, "withdrawn", json_true());
        note(x, "withdrawn: marked \"%s\" in its title or control block", why.data ? why.data : "");
    }
    ev_buf_free(&why);
    cat_view_free(&v);
    free(take);
    free(has);
}

/*
 * The title: the classifier's, found among the opening blocks of the body.
 * Without one, the first heading of the body, else the page header's first
 * short line (some documents keep their title only there), else the first
 * short paragraph of the body; never a label line (合同编号：…).
 */
static char *find_title(const fx *x)
{
    if (x->e->title && x->e->title[0]) {
        size_t n;
        return norm_text(x->e->title, strlen(x->e->title), &n);
    }
    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < x->nblk; i++) {
            const fx_block *b = &x->blk[i];
            bool para = b->b->kind == DOC_BLOCK_PARAGRAPH && b->len <= SHORT_BLOCK;
            if (b->len == 0 || starts_with_label(x, i))
                continue;
            if (pass == 1 && b->b->part == DOC_PART_HEADER && para)
                return ev_strdup(b->t);
            if (b->b->part != DOC_PART_BODY)
                continue;
            if (pass == 0 && b->b->kind == DOC_BLOCK_HEADING)
                return ev_strdup(b->t);
            if (pass == 2 && para)
                return ev_strdup(b->t);
        }
    return NULL;
}

/* The block the title was read from: the first of the opening blocks
 * whose text holds it; SIZE_MAX if none does (a metadata title). */
static size_t title_block(const fx *x)
{
    for (size_t i = 0, seen = 0; i < x->nblk && seen < 64; i++) {
        if (x->blk[i].len == 0)
            continue;
        seen++;
        if (strstr(x->blk[i].t, x->title))
            return i;
    }
    return SIZE_MAX;
}

/*
 * A title that opens with its document number, "QMS-002: Document
 * Control", "SOP-12 Incident Handling": the number, when no label gave
 * one, as a value only its pattern vouches for.
 */
static void doc_number_from_title(fx *x)
{
    if (!x->title || !kind_has(x, "doc_number") || offered(x, "doc_number"))
        return;
    const char *t = x->title;
    size_t n = strcspn(t, ": ");
    if (n == 0 || !t[n] || n > 40)
        return;
    bool digit = false, alpha = false, joined = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        digit |= is_digit(c);
        alpha |= (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
        joined |= c == '-' || c == '_' || c == '.' || c == '/';
    }
    const cat_field *f = catalog_field(x->cat, "doc_number");
    char *num = ev_strndup(t, n);
    if (digit && alpha && joined && f && f->re && re_full(f->re, num, x->md)) {
        if (x->title_blk != SIZE_MAX)
            x->cur = source_of(x, x->title_blk, 0, num);
        offer(x, "doc_number", json_string(num), RANK_BODY, STRENGTH_GUARDED, f->nlabels);
        x->cur.blk = SIZE_MAX;
    }
    free(num);
}

/* "<requirement>:<check>" for each check whose cues the text matches, of
 * the requirements whose evidence includes this kind (and topic). */
static void checks(fx *x)
{
    if (!x->e->kind)
        return;
    cat_views vs = {.v = {[CAT_SCOPE_TITLE] = &x->title_view, [CAT_SCOPE_TEXT] = &x->all,
                          [CAT_SCOPE_CELLS] = &x->cells}};
    for (size_t i = 0; i < catalog_requirement_count(x->cat); i++) {
        const cat_requirement *r = catalog_requirement_at(x->cat, i);
        bool mine = false;
        for (size_t k = 0; k < r->nevidence && !mine; k++) {
            const cat_evidence *ev = &r->evidence[k];
            mine = strcmp(ev->kind->id, x->e->kind) == 0 &&
                   (!ev->topic || (x->e->topic && strcmp(ev->topic->id, x->e->topic) == 0)) &&
                   (!ev->subtype || !x->e->subtype || strcmp(ev->subtype->id, x->e->subtype) == 0);
        }
        if (!mine)
            continue;
        for (size_t c = 0; c < r->nchecks; c++)
            if (cat_cue_match(&r->checks[c].cues, CAT_SCOPE_TEXT, &vs, x->md, NULL)) {
                char *id = ev_asprintf("%s:%s", r->id, r->checks[c].id);
                json_array_append_new(x->e->checks, json_string(id));
                free(id);
            }
    }
}

static void credit_code(fx *x)
{
    const char *cc = json_string_value(json_object_get(x->e->fields, "credit_code"));
    if (!cc)
        return;
    char want = 0;
    ev_credit_status st = ev_credit_code_check(cc, strlen(cc), &want);
    if (st == EV_CREDIT_CHECK)
        note(x, "credit_code: %s (expected %c)", ev_credit_status_name(st), want);
    else if (st != EV_CREDIT_OK)
        note(x, "credit_code: %s", ev_credit_status_name(st));
}

/* ---- entry point ---------------------------------------------------------- */

/*
 * The locale cue for 05/03/2026 in an English document: day first when its
 * other dates are written day first ("5 March 2026") and none month first
 * ("March 5, 2026"); month first in the opposite case; else unknown.
 */
static ev_date_order date_order(const fx *x)
{
    size_t day = 0, month = 0;
    ev_date_opts o = {.order = EV_ORDER_UNKNOWN};
    for (size_t i = 0; i < x->nblk; i++) {
        if (!x->blk[i].searched)
            continue;
        ev_date_match *all;
        size_t n = ev_date_find_all(x->blk[i].t, x->blk[i].len, &o, &all);
        for (size_t k = 0; k < n; k++) {
            day += all[k].order == EV_ORDER_DAY_FIRST;
            month += all[k].order == EV_ORDER_MONTH_FIRST;
        }
        free(all);
    }
    if (day && !month)
        return EV_ORDER_DAY_FIRST;
    if (month && !day)
        return EV_ORDER_MONTH_FIRST;
    return EV_ORDER_UNKNOWN;
}

static char *ascii_lower(const char *s, size_t n)
{
    char *l = ev_strndup(s, n);
    for (size_t i = 0; i < n; i++)
        if (is_upper((unsigned char)l[i]))
            l[i] = (char)(l[i] + ('a' - 'A'));
    return l;
}

/*
 * Before the label search (the catalog indexes its labels): each block's
 * lower-cased text, which blocks are searched (headers and
 * footers, the body's first SEARCH_HEAD bytes and last SEARCH_TAIL blocks),
 * and the index of table cells.
 */
static void prepare_search(fx *x)
{
    size_t nbody = 0;
    for (size_t i = 0; i < x->nblk; i++)
        nbody += x->blk[i].b->part == DOC_PART_BODY;
    size_t seen_body = 0, bytes = 0;
    x->cell_ix = ev_calloc(x->nblk + 1, sizeof *x->cell_ix);
    for (size_t i = 0; i < x->nblk; i++) {
        fx_block *b = &x->blk[i];
        b->lower = ascii_lower(b->t, b->len);
        if (b->b->kind == DOC_BLOCK_CELL)
            x->cell_ix[x->ncells++] = i;
        if (b->b->part != DOC_PART_BODY) {
            b->searched = true;
            continue;
        }
        seen_body++;
        bytes += b->len;
        b->searched = bytes <= SEARCH_HEAD || nbody - seen_body < SEARCH_TAIL;
    }
    if (x->ncells > 1)
        qsort_r(x->cell_ix, x->ncells, sizeof *x->cell_ix, cell_cmp, x);
}

static const char *const *fields_of(const evidence *e)
{
    if (!e->kind)
        return NULL;
    if (strcmp(e->kind, "confidentiality-agreement") == 0 && e->subtype &&
        strcmp(e->subtype, "business") == 0)
        return nda_business_fields;
    for (size_t i = 0; i < EV_ARRAY_LEN(kind_fields); i++)
        if (strcmp(kind_fields[i].kind, e->kind) == 0)
            return kind_fields[i].names;
    return NULL;
}

void fields_extract(const catalog *cat, const doc *d, evidence *e)
{
    assert(cat != NULL && d != NULL && e != NULL);
    fx x = {.cat = cat, .d = d, .e = e, .exp_blk = SIZE_MAX, .cur = {SIZE_MAX, 0, 0}};
    x.names = fields_of(e);
    x.english = e->language && strcmp(e->language, "en") == 0;
    x.dopts.after_label = true;
    x.md = pcre2_match_data_create(16, NULL);
    if (!x.md)
        ev_die("out of memory");

    x.nblk = d->nblocks;
    x.blk = ev_calloc(x.nblk + 1, sizeof *x.blk);
    for (size_t i = 0; i < x.nblk; i++) {
        const doc_block *b = &d->blocks[i];
        fx_block *fb = &x.blk[i];
        fb->b = b;
        fb->t = norm_text(doc_block_text(d, b), b->len, &fb->len);
        fb->rank = b->part == DOC_PART_HEADER || b->part == DOC_PART_FOOTER ? RANK_MARGIN : RANK_BODY;
        cat_view_add(&x.all, fb->t, fb->len);
        if (b->kind == DOC_BLOCK_CELL)
            cat_view_add(&x.cells, fb->t, fb->len);
    }
    prepare_search(&x);
    x.dopts.order = x.english ? date_order(&x) : EV_ORDER_DAY_FIRST;
    for (size_t i = 0; i < x.nblk; i++)
        find_labels(&x, i);
    mark_party_starts(&x);
    x.title = find_title(&x);
    x.title_blk = x.title ? title_block(&x) : SIZE_MAX;
    if (x.title) {
        cat_view_add(&x.title_view, x.title, strlen(x.title));
        json_object_set_new(e->fields, "title", json_string(x.title));
        set_source(&x, "title", (fx_src){x.title_blk, 0, SIZE_MAX});
        /* The record says one title: the field's, when the classifier saw none. */
        if (!e->title)
            e->title = ev_strdup(x.title);
    }
    if (e->topic)
        json_object_set_new(e->fields, "topic", json_string(e->topic));

    find_signature(&x);
    revision_history(&x);
    read_hits(&x);
    term_from_prose(&x);
    doc_number_from_title(&x);
    resolve(&x);

    if (!signed_on_from_signature(&x))
        signed_on_fallback(&x);
    if (kind_has(&x, "amount") && !json_object_get(e->fields, "amount"))
        note(&x, x.amount_skipped ? "amount: only unit prices or ranges stated; left unset"
                                  : "amount not found");
    service_category(&x);
    experience(&x);
    plan_period(&x);
    attendees_from_names(&x);
    if (kind_has(&x, "cert_name") && !json_object_get(e->fields, "cert_name") && x.title) {
        json_object_set_new(e->fields, "cert_name", json_string(x.title));
        set_source(&x, "cert_name", (fx_src){x.title_blk, 0, SIZE_MAX});
    }
    completed_on_from_signature(&x);
    date_fallbacks(&x);
    credit_code(&x);
    withdrawn(&x);
    checks(&x);

    free_slots(&x);
    for (size_t i = 0; i < x.nblk; i++) {
        free(x.blk[i].t);
        free(x.blk[i].lower);
    }
    free(x.cell_ix);
    free(x.blk);
    free(x.hit);
    free(x.title);
    ev_buf_free(&x.scope);
    cat_view_free(&x.all);
    cat_view_free(&x.title_view);
    cat_view_free(&x.cells);
    pcre2_match_data_free(x.md);
}
