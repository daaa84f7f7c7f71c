/*
 * catalog.c: load catalog.xml (libxml2 + RelaxNG), check it, compile its cues
 * (PCRE2), and match cues against prepared text.
 *
 * The schema is compiled into the library (catalog_schema(), at the end of
 * this file) rather than read from beside the catalog, so a catalog that an
 * administrator copied elsewhere still validates; tests/policy/test_catalog.c
 * keeps the copy identical to policy/catalog.rng.
 */
#include "catalog.h"
#include "litset.h"
#include "strmap.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "nfkc.h"

/* A catalog is a few hundred kilobytes; anything far larger is a mistake. */
#define CATALOG_MAX_BYTES (8u << 20)

#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_error_arg;
#else
typedef xmlErrorPtr xml_error_arg;
#endif

struct catalog {
    char *path;
    cat_cueset *cuesets;
    size_t ncuesets;
    cat_category *categories;
    size_t ncategories;
    cat_topic *topics;
    size_t ntopics;
    cat_kind *kinds;
    size_t nkinds;
    cat_requirement *reqs;
    size_t nreqs;
    cat_field *fields;
    size_t nfields;
    cat_label_text *labels;     /* distinct field labels, see catalog.h */
    size_t nlabels;
    litset *label_set;
};

/* ---- text views ---------------------------------------------------------- */

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* NFKC text with white-space runs collapsed, trimmed, ASCII lower-cased.
 * Written straight into the buffer: the result is never longer than s. */
static void append_flat(ev_buf *out, const char *s)
{
    size_t n = strlen(s);
    bool pending = false;
    bool any = false;
    char *w;

    out->data = ev_grow(out->data, &out->cap, out->len + n + 1, 1);
    w = out->data + out->len;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (is_space(*p)) {
            pending = any;
            continue;
        }
        if (pending)
            *w++ = ' ';
        pending = false;
        any = true;
        *w++ = (char)(*p >= 'A' && *p <= 'Z' ? *p + ('a' - 'A') : *p);
    }
    out->len = (size_t)(w - out->data);
    out->data[out->len] = '\0';
}

void cat_view_add(cat_view *v, const char *s, size_t len)
{
    assert(v != NULL);
    char *n = ev_nfkc(s, len);
    char *f = ev_fold(s, len);
    if (v->flat.len > 0 || v->fold.len > 0) {
        ev_buf_putc(&v->flat, '\n');
        ev_buf_putc(&v->fold, '\n');
    }
    append_flat(&v->flat, n);
    ev_buf_puts(&v->fold, f);
    /* Keep both strings valid even when nothing was appended yet. */
    ev_buf_append(&v->flat, "", 0);
    ev_buf_append(&v->fold, "", 0);
    free(n);
    free(f);
}

bool cat_view_blank(const cat_view *v)
{
    for (size_t i = 0; i < v->fold.len; i++)
        if (v->fold.data[i] != '\n')
            return false;
    return true;
}

void cat_view_free(cat_view *v)
{
    if (!v)
        return;
    ev_buf_free(&v->flat);
    ev_buf_free(&v->fold);
}

/* ---- matching ------------------------------------------------------------ */

static size_t count_cue(const cat_cue *c, cat_scope scope, const cat_views *views,
                        pcre2_match_data *md, size_t need);

static const cat_view *view_for(const cat_views *views, cat_scope scope)
{
    assert(scope < CAT_SCOPE_COUNT);
    return views ? views->v[scope] : NULL;
}

static size_t count_literal(const cat_cue *c, const cat_view *v, size_t need)
{
    const ev_buf *b = c->word ? &v->flat : &v->fold;
    size_t klen = strlen(c->key);
    size_t n = 0;
    if (b->len < klen)
        return 0;
    const char *p = b->data;
    const char *end = b->data + b->len;
    while (n < need && (size_t)(end - p) >= klen) {
        const char *hit = memmem(p, (size_t)(end - p), c->key, klen);
        if (!hit)
            break;
        bool ok = true;
        if (c->word) {
            /* Whole words only where the cue itself starts or ends with one:
             * "NDA" is not in "agenda", "Contract No." ends in a dot. */
            if (is_word((unsigned char)c->key[0]) && hit > b->data &&
                is_word((unsigned char)hit[-1]))
                ok = false;
            if (is_word((unsigned char)c->key[klen - 1]) && hit + klen < end &&
                is_word((unsigned char)hit[klen]))
                ok = false;
        }
        if (ok) {
            n++;
            p = hit + klen;
        } else {
            p = hit + 1;
        }
    }
    return n;
}

static size_t count_regex(const cat_cue *c, const cat_view *v, pcre2_match_data *md,
                          size_t need)
{
    const ev_buf *b = &v->flat;
    size_t n = 0;
    size_t start = 0;
    if (!b->data)
        return 0;
    while (n < need && start <= b->len) {
        /* The views come from ev_nfkc, which yields valid UTF-8 only. */
        int rc = pcre2_match(c->re, (PCRE2_SPTR)b->data, b->len, start,
                             PCRE2_NO_UTF_CHECK, md, NULL);
        if (rc < 0)
            break;  /* no match, or a limit hit: counts as no match */
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        n++;
        if (ov[1] > ov[0]) {
            start = ov[1];
        } else {
            start = ov[1] + 1;
            while (start < b->len && ((unsigned char)b->data[start] & 0xC0) == 0x80)
                start++;
        }
    }
    return n;
}

static bool matches(const cat_cue *c, cat_scope scope, const cat_views *views,
                    pcre2_match_data *md)
{
    return count_cue(c, scope, views, md, c->min) >= c->min;
}

/* Occurrences of a cue, counting no further than `need`. */
static size_t count_cue(const cat_cue *c, cat_scope scope, const cat_views *views,
                        pcre2_match_data *md, size_t need)
{
    cat_scope eff = c->scope == CAT_SCOPE_INHERIT ? scope : c->scope;
    switch (c->type) {
    case CAT_CUE_LITERAL:
    case CAT_CUE_REGEX: {
        const cat_view *v = view_for(views, eff);
        if (!v)
            return 0;
        return c->type == CAT_CUE_LITERAL ? count_literal(c, v, need)
                                          : count_regex(c, v, md, need);
    }
    case CAT_CUE_ANY: {
        size_t sum = 0;
        for (size_t i = 0; i < c->nkids && sum < need; i++) {
            const cat_cue *k = &c->kids[i];
            size_t want = need - sum > k->min ? need - sum : k->min;
            size_t got = count_cue(k, eff, views, md, want);
            if (got >= k->min)
                sum += got;
        }
        return sum;
    }
    case CAT_CUE_REF:
        assert(c->target != NULL);
        return count_cue(c->target, eff, views, md, need);
    case CAT_CUE_ALL:
        for (size_t i = 0; i < c->nkids; i++)
            if (!matches(&c->kids[i], eff, views, md))
                return 0;
        return 1;
    case CAT_CUE_NOT:
        assert(c->nkids == 1);
        return matches(&c->kids[0], eff, views, md) ? 0 : 1;
    }
    return 0;
}

/* A description that does not depend on the text: for "no …" under <not>. */
static void describe_static(const cat_cue *c, ev_buf *why)
{
    if (c->label) {
        ev_buf_puts(why, c->label);
        return;
    }
    switch (c->type) {
    case CAT_CUE_LITERAL:
    case CAT_CUE_REGEX:
        ev_buf_puts(why, c->text);
        return;
    case CAT_CUE_REF:
        ev_buf_puts(why, c->text);
        return;
    case CAT_CUE_NOT:
        ev_buf_puts(why, "no ");
        describe_static(&c->kids[0], why);
        return;
    case CAT_CUE_ANY:
    case CAT_CUE_ALL:
        for (size_t i = 0; i < c->nkids; i++) {
            if (i > 0)
                ev_buf_puts(why, c->type == CAT_CUE_ANY ? "/" : "+");
            describe_static(&c->kids[i], why);
        }
        return;
    }
}

/* Describe a cue known to match: what in the text made it match. */
static void describe(const cat_cue *c, cat_scope scope, const cat_views *views,
                     pcre2_match_data *md, ev_buf *why)
{
    cat_scope eff = c->scope == CAT_SCOPE_INHERIT ? scope : c->scope;
    if (c->label) {
        ev_buf_puts(why, c->label);
        return;
    }
    switch (c->type) {
    case CAT_CUE_LITERAL:
    case CAT_CUE_REGEX:
        ev_buf_puts(why, c->text);
        return;
    case CAT_CUE_REF:
        describe(c->target, eff, views, md, why);
        return;
    case CAT_CUE_ANY:
        for (size_t i = 0; i < c->nkids; i++) {
            if (matches(&c->kids[i], eff, views, md)) {
                describe(&c->kids[i], eff, views, md, why);
                return;
            }
        }
        return;
    case CAT_CUE_ALL:
        for (size_t i = 0; i < c->nkids; i++) {
            if (i > 0)
                ev_buf_putc(why, '+');
            describe(&c->kids[i], eff, views, md, why);
        }
        return;
    case CAT_CUE_NOT:
        describe_static(c, why);
        return;
    }
}

bool cat_cue_match(const cat_cue *cue, cat_scope scope, const cat_views *views,
                   pcre2_match_data *md, ev_buf *why)
{
    assert(cue != NULL && md != NULL && scope < CAT_SCOPE_COUNT);
    if (!matches(cue, scope, views, md))
        return false;
    if (why)
        describe(cue, scope, views, md, why);
    return true;
}

/* ---- loading: errors --------------------------------------------------- */

typedef struct loader {
    const char *path;
    catalog *cat;
    ev_error *err;
} loader;

static ev_code fail_line(loader *ld, long line, const char *fmt, ...) EV_PRINTF(3, 4);

static ev_code fail_line(loader *ld, long line, const char *fmt, ...)
{
    char msg[EV_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ev_fail(ld->err, EV_EINVAL, "%s:%ld: %s", ld->path, line, msg);
}

static long node_line(const xmlNode *n)
{
    return xmlGetLineNo(n);
}

/* The first error libxml2 reports, kept for the message. */
typedef struct xml_capture {
    bool set;
    long line;
    char msg[EV_ERROR_MSG_MAX];
} xml_capture;

/* RelaxNG reports a vague error without a line before the precise one with
 * it; the first error that has a line is the useful one. */
static void capture_error(xml_capture *cap, xml_error_arg e)
{
    if (!e || (cap->set && cap->line > 0))
        return;
    long line = e->line;
    if (line <= 0 && e->node)
        line = xmlGetLineNo((const xmlNode *)e->node);
    if (cap->set && line <= 0)
        return;
    cap->set = true;
    cap->line = line;
    snprintf(cap->msg, sizeof cap->msg, "%s", e->message ? e->message : "unknown error");
    size_t len = strlen(cap->msg);
    while (len > 0 && is_space((unsigned char)cap->msg[len - 1]))
        cap->msg[--len] = '\0';
}

static void on_xml_error(void *ctx, xml_error_arg e)
{
    capture_error(ctx, e);
}

/* ---- loading: tree helpers ---------------------------------------------- */

static bool is_el(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNode *next_el(xmlNode *n)
{
    while (n && n->type != XML_ELEMENT_NODE)
        n = n->next;
    return n;
}

#define FOR_EACH_EL(child, parent) \
    for (xmlNode *child = next_el((parent)->children); child; child = next_el(child->next))

static xmlNode *child_el(xmlNode *parent, const char *name)
{
    FOR_EACH_EL(c, parent)
        if (is_el(c, name))
            return c;
    return NULL;
}

static size_t count_el(xmlNode *parent, const char *name)
{
    size_t n = 0;
    FOR_EACH_EL(c, parent)
        if (!name || is_el(c, name))
            n++;
    return n;
}

/* An attribute's value, or NULL; the caller frees it with free(). */
static char *attr(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = ev_strdup((const char *)v);
    xmlFree(v);
    return s;
}

static bool attr_is(const xmlNode *n, const char *name, const char *value)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    bool eq = v && strcmp((const char *)v, value) == 0;
    xmlFree(v);
    return eq;
}

/* Element text, trimmed; the caller frees it with free(). */
static char *content(const xmlNode *n)
{
    xmlChar *v = xmlNodeGetContent(n);
    const char *s = v ? (const char *)v : "";
    while (is_space((unsigned char)*s))
        s++;
    size_t len = strlen(s);
    while (len > 0 && is_space((unsigned char)s[len - 1]))
        len--;
    char *out = ev_strndup(s, len);
    xmlFree(v);
    return out;
}

static cat_lang lang_of(const xmlNode *n)
{
    if (attr_is(n, "lang", "zh"))
        return CAT_LANG_ZH;
    if (attr_is(n, "lang", "en"))
        return CAT_LANG_EN;
    return CAT_LANG_ANY;
}

/* ---- loading: cues -------------------------------------------------------- */

static void cue_free(cat_cue *c)
{
    free(c->label);
    free(c->text);
    free(c->key);
    pcre2_code_free(c->re);
    for (size_t i = 0; i < c->nkids; i++)
        cue_free(&c->kids[i]);
    free(c->kids);
    memset(c, 0, sizeof *c);
}

static ev_code compile_regex(loader *ld, long line, const char *pattern, uint32_t opts,
                             pcre2_code **out)
{
    int code;
    PCRE2_SIZE off;
    *out = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                         PCRE2_UTF | PCRE2_UCP | opts, &code, &off, NULL);
    if (!*out) {
        PCRE2_UCHAR msg[160];
        if (pcre2_get_error_message(code, msg, sizeof msg) < 0)
            snprintf((char *)msg, sizeof msg, "error %d", code);
        return fail_line(ld, line, "bad regex \"%s\" at offset %zu: %s", pattern,
                         (size_t)off, (const char *)msg);
    }
    /* JIT is an optimisation: where it is unavailable (or refuses this
     * pattern) the interpreter gives the same answers, so a failure here is
     * not an error. */
    if (pcre2_jit_compile(*out, PCRE2_JIT_COMPLETE) != 0)
        ev_log(EV_LOG_DEBUG, "%s:%ld: regex runs without JIT", ld->path, line);
    return EV_OK;
}

static const cat_cueset *find_cueset(const catalog *cat, const char *id);
static ev_code parse_cue(loader *ld, xmlNode *n, cat_cue *c);

/* The element children of `parent` become the children of `group`; those
 * named `except` (may be NULL) are not cues of the group. */
static ev_code parse_kids_except(loader *ld, xmlNode *parent, cat_cue *group, const char *except)
{
    group->kids = ev_calloc(count_el(parent, NULL) + 1, sizeof *group->kids);
    FOR_EACH_EL(c, parent) {
        if (except && is_el(c, except))
            continue;
        ev_code rc = parse_cue(ld, c, &group->kids[group->nkids]);
        group->nkids++;  /* counted even on failure, so cue_free releases it */
        if (rc != EV_OK)
            return rc;
    }
    return EV_OK;
}

static ev_code parse_kids(loader *ld, xmlNode *parent, cat_cue *group)
{
    return parse_kids_except(ld, parent, group, NULL);
}

/* A list of cues (an ANY) from the children of `parent` but those named
 * `except`; empty if `parent` is NULL. */
static ev_code parse_list_except(loader *ld, xmlNode *parent, cat_scope scope, cat_cue *list,
                                 const char *except)
{
    memset(list, 0, sizeof *list);
    list->type = CAT_CUE_ANY;
    list->scope = scope;
    list->min = 1;
    list->line = parent ? (int)node_line(parent) : 0;
    return parent ? parse_kids_except(ld, parent, list, except) : EV_OK;
}

static ev_code parse_list(loader *ld, xmlNode *parent, cat_scope scope, cat_cue *list)
{
    return parse_list_except(ld, parent, scope, list, NULL);
}

/* Collapse runs of white space to one space and trim, in place; returns s. */
static char *squeeze(char *s)
{
    size_t j = 0;
    bool pending = false;
    for (size_t i = 0; s[i]; i++) {
        if (is_space((unsigned char)s[i])) {
            pending = j > 0;
            continue;
        }
        if (pending)
            s[j++] = ' ';
        pending = false;
        s[j++] = s[i];
    }
    s[j] = '\0';
    return s;
}

static bool ascii_only(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

/*
 * The search key of a literal whose c->text is NFKC: Latin-only literals are
 * matched as lower-cased words in the flat view, all others in the folded
 * view (no white space), where spaced-out Chinese titles still match.
 */
static void set_literal_key(cat_cue *c)
{
    squeeze(c->text);
    c->word = ascii_only(c->text);
    if (c->word) {
        ev_buf k = {0};
        append_flat(&k, c->text);
        c->key = ev_buf_steal(&k);
    } else {
        c->key = ev_fold(c->text, strlen(c->text));
    }
}

static ev_code parse_cue(loader *ld, xmlNode *n, cat_cue *c)
{
    long line = node_line(n);
    memset(c, 0, sizeof *c);
    c->line = (int)line;
    c->lang = lang_of(n);
    c->scope = CAT_SCOPE_INHERIT;
    c->min = 1;
    c->label = attr(n, "label");

    char *in = attr(n, "in");
    if (in) {
        c->scope = strcmp(in, "title") == 0  ? CAT_SCOPE_TITLE
                   : strcmp(in, "cells") == 0 ? CAT_SCOPE_CELLS
                                              : CAT_SCOPE_TEXT;
        free(in);
    }
    char *min = attr(n, "min");
    if (min) {
        unsigned long v = strtoul(min, NULL, 10);
        free(min);
        if (v == 0 || v > 1000)
            return fail_line(ld, line, "min must be between 1 and 1000");
        c->min = (unsigned)v;
    }

    if (is_el(n, "cue") || is_el(n, "regex")) {
        char *raw = content(n);
        c->text = ev_nfkc(raw, strlen(raw));
        free(raw);
        if (is_el(n, "regex")) {
            c->type = CAT_CUE_REGEX;
            return compile_regex(ld, line, c->text, PCRE2_CASELESS | PCRE2_MULTILINE, &c->re);
        }
        c->type = CAT_CUE_LITERAL;
        set_literal_key(c);
        if (c->key[0] == '\0')
            return fail_line(ld, line, "empty <cue>");
        return EV_OK;
    }
    if (is_el(n, "ref")) {
        c->type = CAT_CUE_REF;
        c->text = attr(n, "set");
        assert(c->text != NULL);    /* the schema requires it */
        const cat_cueset *set = find_cueset(ld->cat, c->text);
        if (!set)
            return fail_line(ld, line, "unknown cueset \"%s\" (a cueset must be defined above its use)",
                             c->text);
        c->target = &set->cues;
        return EV_OK;
    }
    if (is_el(n, "not")) {
        c->type = CAT_CUE_NOT;
        c->kids = ev_calloc(1, sizeof *c->kids);
        xmlNode *k = next_el(n->children);
        assert(k != NULL);          /* the schema requires exactly one */
        c->nkids = 1;
        return parse_cue(ld, k, &c->kids[0]);
    }
    assert(is_el(n, "all") || is_el(n, "any"));
    c->type = is_el(n, "all") ? CAT_CUE_ALL : CAT_CUE_ANY;
    return parse_kids(ld, n, c);
}

/* ---- loading: sections -------------------------------------------------- */

static const cat_cueset *find_cueset(const catalog *cat, const char *id)
{
    for (size_t i = 0; i < cat->ncuesets; i++)
        if (cat->cuesets[i].id && strcmp(cat->cuesets[i].id, id) == 0)
            return &cat->cuesets[i];
    return NULL;
}

/* Fails when `id` was already used by one of the first `n` entries. */
#define CHECK_UNIQUE(ld, arr, n, field, what, id, line)                               \
    do {                                                                              \
        for (size_t i_ = 0; i_ < (n); i_++)                                           \
            if (strcmp((arr)[i_].field, (id)) == 0)                                   \
                return fail_line((ld), (line), "duplicate %s \"%s\" (first at line %d)", \
                                 (what), (id), (arr)[i_].line);                       \
    } while (0)

static ev_code parse_cuesets(loader *ld, xmlNode *sec)
{
    catalog *cat = ld->cat;
    cat->cuesets = ev_calloc(count_el(sec, "cueset") + 1, sizeof *cat->cuesets);
    FOR_EACH_EL(n, sec) {
        char *id = attr(n, "id");
        long line = node_line(n);
        if (find_cueset(cat, id)) {
            ev_code rc = fail_line(ld, line, "duplicate cueset \"%s\"", id);
            free(id);
            return rc;
        }
        cat_cueset *s = &cat->cuesets[cat->ncuesets];
        /* Parsed before it is counted, so it cannot refer to itself. */
        ev_code rc = parse_list(ld, n, CAT_SCOPE_INHERIT, &s->cues);
        s->id = id;
        cat->ncuesets++;
        if (rc != EV_OK)
            return rc;
    }
    return EV_OK;
}

static void add_name(cat_cue *strong, const char *name, long line)
{
    cat_cue *c = &strong->kids[strong->nkids++];
    memset(c, 0, sizeof *c);
    c->type = CAT_CUE_LITERAL;
    c->scope = CAT_SCOPE_INHERIT;
    c->min = 1;
    c->line = (int)line;
    c->text = ev_nfkc(name, strlen(name));
    set_literal_key(c);
}

static ev_code parse_categories(loader *ld, xmlNode *sec)
{
    catalog *cat = ld->cat;
    cat->categories = ev_calloc(count_el(sec, "category"), sizeof *cat->categories);
    FOR_EACH_EL(n, sec) {
        cat_category *c = &cat->categories[cat->ncategories];
        long line = node_line(n);
        c->line = (int)line;
        c->id = attr(n, "id");
        cat->ncategories++;
        CHECK_UNIQUE(ld, cat->categories, cat->ncategories - 1, id, "category", c->id, line);
        c->suppliers = attr_is(n, "suppliers", "yes");
        c->strong.type = CAT_CUE_ANY;
        c->strong.scope = CAT_SCOPE_INHERIT;
        c->strong.min = 1;
        c->strong.kids = ev_calloc(count_el(n, "name") + 1, sizeof *c->strong.kids);
        FOR_EACH_EL(k, n) {
            if (!is_el(k, "name"))
                continue;
            char *text = content(k);
            bool full = attr_is(k, "form", "full");
            char **slot = lang_of(k) == CAT_LANG_ZH ? (full ? &c->full_zh : &c->name_zh)
                                                    : (full ? &c->full_en : &c->name_en);
            add_name(&c->strong, text, node_line(k));
            if (*slot) {
                ev_code rc = fail_line(ld, node_line(k), "category \"%s\": second %s %s name",
                                       c->id, full ? "full" : "short",
                                       lang_of(k) == CAT_LANG_ZH ? "zh" : "en");
                free(text);
                return rc;
            }
            *slot = text;
        }
        if (!c->name_zh || !c->name_en)
            return fail_line(ld, line, "category \"%s\" needs a short name in zh and in en", c->id);
        if (!c->full_zh)
            c->full_zh = ev_strdup(c->name_zh);
        if (!c->full_en)
            c->full_en = ev_strdup(c->name_en);
        ev_code rc = parse_list(ld, child_el(n, "medium"), CAT_SCOPE_TEXT, &c->medium);
        if (rc == EV_OK)
            rc = parse_list(ld, child_el(n, "weak"), CAT_SCOPE_TEXT, &c->weak);
        if (rc != EV_OK)
            return rc;
    }
    return EV_OK;
}

static ev_code parse_topics(loader *ld, xmlNode *sec)
{
    catalog *cat = ld->cat;
    cat->topics = ev_calloc(count_el(sec, "topic"), sizeof *cat->topics);
    FOR_EACH_EL(n, sec) {
        cat_topic *t = &cat->topics[cat->ntopics];
        long line = node_line(n);
        t->line = (int)line;
        t->id = attr(n, "id");
        cat->ntopics++;
        CHECK_UNIQUE(ld, cat->topics, cat->ntopics - 1, id, "topic", t->id, line);
        ev_code rc = parse_list_except(ld, n, CAT_SCOPE_TITLE, &t->words, "vote");
        if (rc == EV_OK)
            rc = parse_list(ld, child_el(n, "vote"), CAT_SCOPE_TEXT, &t->vote);
        if (rc != EV_OK)
            return rc;
    }
    return EV_OK;
}

static ev_code parse_kind(loader *ld, xmlNode *n, cat_kind *k)
{
    static const struct {
        const char *el;
        size_t off;
        cat_scope scope;
    } lists[] = {
        {"strong", offsetof(cat_kind, strong), CAT_SCOPE_TITLE},
        {"medium", offsetof(cat_kind, medium), CAT_SCOPE_TEXT},
        {"weak", offsetof(cat_kind, weak), CAT_SCOPE_TEXT},
        {"negative", offsetof(cat_kind, negative), CAT_SCOPE_TITLE},
    };
    k->name_zh = attr(n, "zh");
    k->name_en = attr(n, "en");
    k->has_topics = attr_is(n, "topics", "yes");
    for (size_t i = 0; i < EV_ARRAY_LEN(lists); i++) {
        cat_cue *list = (cat_cue *)((char *)k + lists[i].off);
        ev_code rc = parse_list(ld, child_el(n, lists[i].el), lists[i].scope, list);
        if (rc != EV_OK)
            return rc;
    }
    k->subtypes = ev_calloc(count_el(n, "subtype") + 1, sizeof *k->subtypes);
    const cat_subtype *dflt = NULL;
    FOR_EACH_EL(s, n) {
        if (!is_el(s, "subtype"))
            continue;
        cat_subtype *st = &k->subtypes[k->nsubtypes];
        st->id = attr(s, "id");
        k->nsubtypes++;
        for (size_t i = 0; i + 1 < k->nsubtypes; i++)
            if (strcmp(k->subtypes[i].id, st->id) == 0)
                return fail_line(ld, node_line(s), "kind \"%s\": duplicate subtype \"%s\"",
                                 k->id, st->id);
        st->is_default = attr_is(s, "default", "yes");
        if (st->is_default) {
            if (dflt)
                return fail_line(ld, node_line(s), "kind \"%s\": second default subtype \"%s\"",
                                 k->id, st->id);
            dflt = st;
        }
        ev_code rc = parse_list(ld, s, CAT_SCOPE_TEXT, &st->cues);
        if (rc != EV_OK)
            return rc;
    }
    if (k->nsubtypes > 0 && !dflt)
        return fail_line(ld, k->line, "kind \"%s\" has subtypes but none is default=\"yes\"", k->id);
    return EV_OK;
}

static ev_code parse_kinds(loader *ld, xmlNode *sec)
{
    catalog *cat = ld->cat;
    cat->kinds = ev_calloc(count_el(sec, "kind"), sizeof *cat->kinds);
    FOR_EACH_EL(n, sec) {
        cat_kind *k = &cat->kinds[cat->nkinds];
        long line = node_line(n);
        k->line = (int)line;
        k->id = attr(n, "id");
        cat->nkinds++;
        CHECK_UNIQUE(ld, cat->kinds, cat->nkinds - 1, id, "kind", k->id, line);
        ev_code rc = parse_kind(ld, n, k);
        if (rc != EV_OK)
            return rc;
    }
    if (!catalog_kind(cat, "other"))
        return fail_line(ld, node_line(sec), "no kind \"other\": unclassified documents need it");
    return EV_OK;
}

static ev_code parse_evidence(loader *ld, xmlNode *n, const cat_requirement *r, cat_evidence *e)
{
    long line = node_line(n);
    char *kind = attr(n, "kind");
    char *topic = attr(n, "topic");
    char *subtype = attr(n, "subtype");
    ev_code rc = EV_OK;
    e->kind = catalog_kind(ld->cat, kind);
    if (!e->kind) {
        rc = fail_line(ld, line, "requirement \"%s\": unknown kind \"%s\"", r->id, kind);
        goto out;
    }
    if (topic) {
        e->topic = catalog_topic(ld->cat, topic);
        if (!e->topic) {
            rc = fail_line(ld, line, "requirement \"%s\": unknown topic \"%s\"", r->id, topic);
            goto out;
        }
    }
    if (subtype) {
        e->subtype = cat_kind_subtype(e->kind, subtype);
        if (!e->subtype) {
            rc = fail_line(ld, line, "requirement \"%s\": kind \"%s\" has no subtype \"%s\"",
                           r->id, kind, subtype);
            goto out;
        }
    }
    e->group = attr(n, "group");
    e->support = attr_is(n, "role", "support");
out:
    free(kind);
    free(topic);
    free(subtype);
    return rc;
}

static ev_code parse_rule(loader *ld, xmlNode *n, cat_requirement *r)
{
    size_t count = 0;
    for (xmlAttr *a = n->properties; a; a = a->next)
        count++;
    r->params = ev_calloc(count + 1, sizeof *r->params);
    for (xmlAttr *a = n->properties; a; a = a->next) {
        char *v = attr(n, (const char *)a->name);
        char *end = NULL;
        errno = 0;
        long value = strtol(v ? v : "", &end, 10);
        bool bad = !v || end == v || *end != '\0' || errno != 0;
        free(v);
        if (bad)
            return fail_line(ld, node_line(n), "requirement \"%s\": rule %s is not a number",
                             r->id, (const char *)a->name);
        r->params[r->nparams].name = ev_strdup((const char *)a->name);
        r->params[r->nparams].value = value;
        r->nparams++;
    }
    return EV_OK;
}

static ev_code parse_requirement(loader *ld, xmlNode *n, cat_requirement *r)
{
    char *per = attr(n, "per-category");
    r->per_category = strcmp(per, "yes") == 0             ? CAT_PER_CATEGORY_YES
                      : strcmp(per, "applicability") == 0 ? CAT_PER_CATEGORY_APPLICABILITY
                                                          : CAT_PER_CATEGORY_NO;
    free(per);
    r->clause = attr(n, "clause");
    r->review = attr(n, "review");
    r->evidence = ev_calloc(count_el(n, "evidence") + 1, sizeof *r->evidence);
    r->checks = ev_calloc(count_el(n, "check") + 1, sizeof *r->checks);
    FOR_EACH_EL(c, n) {
        ev_code rc = EV_OK;
        if (is_el(c, "title")) {
            if (lang_of(c) == CAT_LANG_ZH) {
                r->title_zh = content(c);
                r->zh_published = attr_is(c, "source", "published");
            } else {
                r->title_en = content(c);
            }
        } else if (is_el(c, "evidence")) {
            rc = parse_evidence(ld, c, r, &r->evidence[r->nevidence]);
            r->nevidence++;
        } else if (is_el(c, "rule")) {
            rc = parse_rule(ld, c, r);
        } else if (is_el(c, "check")) {
            cat_check *ck = &r->checks[r->nchecks];
            ck->id = attr(c, "id");
            r->nchecks++;
            if (cat_requirement_check(r, ck->id) != ck)
                return fail_line(ld, node_line(c), "requirement \"%s\": duplicate check \"%s\"",
                                 r->id, ck->id);
            rc = parse_list(ld, c, CAT_SCOPE_TEXT, &ck->cues);
        }
        if (rc != EV_OK)
            return rc;
    }
    return EV_OK;
}

static ev_code parse_requirements(loader *ld, xmlNode *sec)
{
    catalog *cat = ld->cat;
    cat->reqs = ev_calloc(count_el(sec, "requirement"), sizeof *cat->reqs);
    FOR_EACH_EL(n, sec) {
        cat_requirement *r = &cat->reqs[cat->nreqs];
        long line = node_line(n);
        r->line = (int)line;
        r->id = attr(n, "id");
        cat->nreqs++;
        CHECK_UNIQUE(ld, cat->reqs, cat->nreqs - 1, id, "requirement", r->id, line);
        ev_code rc = parse_requirement(ld, n, r);
        if (rc != EV_OK)
            return rc;
    }
    return EV_OK;
}

static cat_field_type field_type(const char *s)
{
    static const struct {
        const char *name;
        cat_field_type type;
    } types[] = {
        {"string", CAT_FIELD_STRING},     {"date", CAT_FIELD_DATE},
        {"amount", CAT_FIELD_AMOUNT},     {"number", CAT_FIELD_NUMBER},
        {"category", CAT_FIELD_CATEGORY}, {"enum", CAT_FIELD_ENUM},
        {"list", CAT_FIELD_LIST},         {"experience", CAT_FIELD_EXPERIENCE},
        {"topic", CAT_FIELD_TOPIC},
    };
    for (size_t i = 0; i < EV_ARRAY_LEN(types); i++)
        if (strcmp(types[i].name, s) == 0)
            return types[i].type;
    return CAT_FIELD_STRING;    /* unreachable: the schema lists the types */
}

static ev_code parse_label(loader *ld, xmlNode *n, const cat_field *f, cat_label *l)
{
    char *raw = content(n);
    l->text = squeeze(ev_nfkc(raw, strlen(raw)));
    free(raw);
    l->lang = lang_of(n);
    l->signature = attr_is(n, "where", "signature");
    char *kinds = attr(n, "kinds");
    if (!kinds)
        return EV_OK;
    ev_code rc = EV_OK;
    size_t cap = 0;
    char *save = NULL;
    for (char *tok = strtok_r(kinds, " \t\r\n", &save); tok; tok = strtok_r(NULL, " \t\r\n", &save)) {
        const cat_kind *k = catalog_kind(ld->cat, tok);
        if (!k) {
            rc = fail_line(ld, node_line(n), "field \"%s\": label \"%s\" names unknown kind \"%s\"",
                           f->name, l->text, tok);
            break;
        }
        l->kinds = ev_grow(l->kinds, &cap, l->nkinds + 1, sizeof *l->kinds);
        l->kinds[l->nkinds++] = k;
    }
    free(kinds);
    return rc;
}

static ev_code parse_field(loader *ld, xmlNode *n, cat_field *f)
{
    char *type = attr(n, "type");
    f->type = field_type(type);
    free(type);
    f->labels = ev_calloc(count_el(n, "label") + 1, sizeof *f->labels);
    f->values = ev_calloc(count_el(n, "enum") + 1, sizeof *f->values);
    FOR_EACH_EL(c, n) {
        ev_code rc = EV_OK;
        if (is_el(c, "label")) {
            rc = parse_label(ld, c, f, &f->labels[f->nlabels]);
            f->nlabels++;
        } else if (is_el(c, "value")) {
            char *raw = content(c);
            f->pattern = ev_nfkc(raw, strlen(raw));
            free(raw);
            rc = compile_regex(ld, node_line(c), f->pattern, 0, &f->re);
        } else if (is_el(c, "enum")) {
            cat_enum_value *v = &f->values[f->nvalues];
            v->value = attr(c, "value");
            f->nvalues++;
            for (size_t i = 0; i + 1 < f->nvalues; i++)
                if (strcmp(f->values[i].value, v->value) == 0)
                    return fail_line(ld, node_line(c), "field \"%s\": duplicate enum value \"%s\"",
                                     f->name, v->value);
            rc = parse_list(ld, c, CAT_SCOPE_TEXT, &v->cues);
        }
        if (rc != EV_OK)
            return rc;
    }
    if ((f->type == CAT_FIELD_ENUM) != (f->nvalues > 0))
        return fail_line(ld, f->line, "field \"%s\": <enum> values go with type=\"enum\" only, and it needs them",
                         f->name);
    return EV_OK;
}

static ev_code parse_fields(loader *ld, xmlNode *sec)
{
    catalog *cat = ld->cat;
    cat->fields = ev_calloc(count_el(sec, "field"), sizeof *cat->fields);
    FOR_EACH_EL(n, sec) {
        cat_field *f = &cat->fields[cat->nfields];
        long line = node_line(n);
        f->line = (int)line;
        f->name = attr(n, "name");
        cat->nfields++;
        CHECK_UNIQUE(ld, cat->fields, cat->nfields - 1, name, "field", f->name, line);
        ev_code rc = parse_field(ld, n, f);
        if (rc != EV_OK)
            return rc;
    }
    return EV_OK;
}

/* ---- loading: the file ----------------------------------------------------- */

static ev_code read_all(const char *path, char **data, size_t *len, ev_error *err)
{
    ev_code rc = EV_OK;
    ev_buf b = {0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return ev_fail(err, EV_EIO, "%s: %s", path, strerror(errno));
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > CATALOG_MAX_BYTES) {
            rc = ev_fail(err, EV_EINVAL, "%s:0: catalog larger than %u bytes", path,
                         CATALOG_MAX_BYTES);
            goto out;
        }
        ev_buf_append(&b, chunk, n);
    }
    if (ferror(f)) {
        rc = ev_fail(err, EV_EIO, "%s: read error", path);
        goto out;
    }
    ev_buf_append(&b, "", 0);
    *len = b.len;
    *data = ev_buf_steal(&b);
out:
    fclose(f);
    ev_buf_free(&b);
    return rc;
}

static ev_code validate(loader *ld, xmlDoc *xd)
{
    ev_code rc = EV_OK;
    xml_capture cap = {0};
    xmlRelaxNGValidCtxtPtr vc = NULL;
    xmlRelaxNGPtr rng = NULL;
    xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewMemParserCtxt(catalog_schema(), (int)strlen(catalog_schema()));
    if (!pc)
        return ev_fail(ld->err, EV_EINTERNAL, "RelaxNG: cannot create a parser");
    xmlRelaxNGSetParserStructuredErrors(pc, on_xml_error, &cap);
    rng = xmlRelaxNGParse(pc);
    if (!rng) {
        rc = ev_fail(ld->err, EV_EINTERNAL, "built-in catalog schema:%ld: %s", cap.line, cap.msg);
        goto out;
    }
    vc = xmlRelaxNGNewValidCtxt(rng);
    if (!vc) {
        rc = ev_fail(ld->err, EV_EINTERNAL, "RelaxNG: cannot create a validator");
        goto out;
    }
    xmlRelaxNGSetValidStructuredErrors(vc, on_xml_error, &cap);
    if (xmlRelaxNGValidateDoc(vc, xd) != 0)
        rc = fail_line(ld, cap.line, "does not match the catalog schema: %s",
                       cap.set ? cap.msg : "invalid");
out:
    xmlRelaxNGFreeValidCtxt(vc);
    xmlRelaxNGFree(rng);
    xmlRelaxNGFreeParserCtxt(pc);
    return rc;
}

static ev_code parse_tree(loader *ld, xmlNode *root)
{
    static const struct {
        const char *el;
        ev_code (*parse)(loader *, xmlNode *);
    } sections[] = {
        {"cuesets", parse_cuesets},   {"categories", parse_categories},
        {"topics", parse_topics},     {"kinds", parse_kinds},
        {"requirements", parse_requirements}, {"fields", parse_fields},
    };
    for (size_t i = 0; i < EV_ARRAY_LEN(sections); i++) {
        xmlNode *sec = child_el(root, sections[i].el);
        assert(sec != NULL);        /* the schema requires every section */
        ev_code rc = sections[i].parse(ld, sec);
        if (rc != EV_OK)
            return rc;
    }
    return EV_OK;
}

/* The distinct label texts, ignoring ASCII case, and their search index. */
static void index_labels(catalog *cat)
{
    strmap seen = {0};
    size_t cap = 0;

    cat->label_set = litset_new();
    for (size_t fi = 0; fi < cat->nfields; fi++) {
        const cat_field *f = &cat->fields[fi];
        for (size_t li = 0; li < f->nlabels; li++) {
            const char *t = f->labels[li].text;
            size_t len = strlen(t);
            char *lower;
            bool latin = true;
            if (len == 0)
                continue;
            lower = ev_strndup(t, len);
            for (size_t i = 0; i < len; i++) {
                if ((unsigned char)lower[i] >= 0x80)
                    latin = false;
                else if (lower[i] >= 'A' && lower[i] <= 'Z')
                    lower[i] = (char)(lower[i] + ('a' - 'A'));
            }
            if (strmap_get(&seen, lower)) {
                free(lower);
                continue;
            }
            strmap_put(&seen, lower, lower);
            cat->labels = ev_grow(cat->labels, &cap, cat->nlabels + 1, sizeof *cat->labels);
            cat->labels[cat->nlabels++] = (cat_label_text){t, lower, len, latin};
            litset_add(cat->label_set, lower, len);
        }
    }
    litset_build(cat->label_set);
    strmap_free(&seen);
}

size_t catalog_label_count(const catalog *cat)
{
    return cat->nlabels;
}

const cat_label_text *catalog_label_at(const catalog *cat, size_t i)
{
    assert(i < cat->nlabels);
    return &cat->labels[i];
}

const litset *catalog_label_set(const catalog *cat)
{
    return cat->label_set;
}

ev_code catalog_load(const char *path, catalog **out, ev_error *err)
{
    assert(path != NULL && out != NULL);
    *out = NULL;
    char *data = NULL;
    size_t len = 0;
    ev_code rc = read_all(path, &data, &len, err);
    if (rc != EV_OK)
        return rc;

    xmlDoc *xd = NULL;
    catalog *cat = ev_calloc(1, sizeof *cat);
    cat->path = ev_strdup(path);
    loader ld = {path, cat, err};
    xmlInitParser();
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        rc = ev_fail(err, EV_EINTERNAL, "libxml2: cannot create a parser");
        goto out;
    }
    /* No network, no DTD loading, no entity substitution; errors are read
     * from the context instead of being printed. */
    xd = xmlCtxtReadMemory(ctxt, data, (int)len, path, NULL,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                               XML_PARSE_BIG_LINES);
    if (!xd) {
        xml_capture cap = {0};
        capture_error(&cap, xmlCtxtGetLastError(ctxt));
        rc = fail_line(&ld, cap.line, "malformed XML: %s", cap.set ? cap.msg : "unreadable");
        goto out;
    }
    if (xd->intSubset) {
        /* libxml2 keeps no line for the DTD node; count it in the bytes. */
        const char *doctype = strstr(data, "<!DOCTYPE");
        long line = 1;
        for (const char *p = data; doctype && p < doctype; p++)
            line += *p == '\n';
        rc = fail_line(&ld, line, "a DOCTYPE is not allowed in the catalog");
        goto out;
    }
    rc = validate(&ld, xd);
    if (rc == EV_OK)
        rc = parse_tree(&ld, xmlDocGetRootElement(xd));
    if (rc == EV_OK)
        index_labels(cat);
out:
    xmlFreeDoc(xd);
    xmlFreeParserCtxt(ctxt);
    free(data);
    if (rc != EV_OK) {
        catalog_free(cat);
        return rc;
    }
    *out = cat;
    return EV_OK;
}

/* ---- freeing ------------------------------------------------------------------ */

void catalog_free(catalog *cat)
{
    if (!cat)
        return;
    for (size_t i = 0; i < cat->ncuesets; i++) {
        free(cat->cuesets[i].id);
        cue_free(&cat->cuesets[i].cues);
    }
    for (size_t i = 0; i < cat->ncategories; i++) {
        cat_category *c = &cat->categories[i];
        free(c->id);
        free(c->name_zh);
        free(c->full_zh);
        free(c->name_en);
        free(c->full_en);
        cue_free(&c->strong);
        cue_free(&c->medium);
        cue_free(&c->weak);
    }
    for (size_t i = 0; i < cat->ntopics; i++) {
        free(cat->topics[i].id);
        cue_free(&cat->topics[i].words);
        cue_free(&cat->topics[i].vote);
    }
    for (size_t i = 0; i < cat->nkinds; i++) {
        cat_kind *k = &cat->kinds[i];
        free(k->id);
        free(k->name_zh);
        free(k->name_en);
        cue_free(&k->strong);
        cue_free(&k->medium);
        cue_free(&k->weak);
        cue_free(&k->negative);
        for (size_t j = 0; j < k->nsubtypes; j++) {
            free(k->subtypes[j].id);
            cue_free(&k->subtypes[j].cues);
        }
        free(k->subtypes);
    }
    for (size_t i = 0; i < cat->nreqs; i++) {
        cat_requirement *r = &cat->reqs[i];
        free(r->id);
        free(r->clause);
        free(r->review);
        free(r->title_zh);
        free(r->title_en);
        for (size_t j = 0; j < r->nevidence; j++)
            free(r->evidence[j].group);
        free(r->evidence);
        for (size_t j = 0; j < r->nparams; j++)
            free(r->params[j].name);
        free(r->params);
        for (size_t j = 0; j < r->nchecks; j++) {
            free(r->checks[j].id);
            cue_free(&r->checks[j].cues);
        }
        free(r->checks);
    }
    for (size_t i = 0; i < cat->nfields; i++) {
        cat_field *f = &cat->fields[i];
        free(f->name);
        for (size_t j = 0; j < f->nlabels; j++) {
            free(f->labels[j].text);
            free(f->labels[j].kinds);
        }
        free(f->labels);
        free(f->pattern);
        pcre2_code_free(f->re);
        for (size_t j = 0; j < f->nvalues; j++) {
            free(f->values[j].value);
            cue_free(&f->values[j].cues);
        }
        free(f->values);
    }
    for (size_t i = 0; i < cat->nlabels; i++)
        free((char *)cat->labels[i].lower);
    free(cat->labels);
    litset_free(cat->label_set);
    free(cat->cuesets);
    free(cat->categories);
    free(cat->topics);
    free(cat->kinds);
    free(cat->reqs);
    free(cat->fields);
    free(cat->path);
    free(cat);
}

/* ---- accessors ---------------------------------------------------------------- */

const char *catalog_default_path(void)
{
    const char *env = getenv("EVIDENCED_CATALOG");

    if (env && *env)
        return env;
    /* A program run from its build tree reads the catalog being edited,
     * not whatever an earlier install left: the build runs as it is. */
    if (ev_build_path(".") && access(EV_SOURCE_CATALOG, R_OK) == 0)
        return EV_SOURCE_CATALOG;
    return EV_CATALOG_DIR "/catalog.xml";
}

#define LOOKUP(fn, type, arr, n, field)                                 \
    const type *fn(const catalog *cat, const char *id)                 \
    {                                                                   \
        assert(cat != NULL && id != NULL);                              \
        for (size_t i = 0; i < cat->n; i++)                             \
            if (cat->arr[i].field && strcmp(cat->arr[i].field, id) == 0) \
                return &cat->arr[i];                                    \
        return NULL;                                                    \
    }

LOOKUP(catalog_requirement, cat_requirement, reqs, nreqs, id)
LOOKUP(catalog_category, cat_category, categories, ncategories, id)
LOOKUP(catalog_kind, cat_kind, kinds, nkinds, id)
LOOKUP(catalog_topic, cat_topic, topics, ntopics, id)
LOOKUP(catalog_field, cat_field, fields, nfields, name)

const cat_cueset *catalog_cueset(const catalog *cat, const char *id)
{
    assert(cat != NULL && id != NULL);
    return find_cueset(cat, id);
}

#define AT(count_fn, at_fn, type, arr, n)                   \
    size_t count_fn(const catalog *cat)                     \
    {                                                       \
        return cat->n;                                      \
    }                                                       \
    const type *at_fn(const catalog *cat, size_t i)         \
    {                                                       \
        assert(i < cat->n);                                 \
        return &cat->arr[i];                                \
    }

AT(catalog_requirement_count, catalog_requirement_at, cat_requirement, reqs, nreqs)
AT(catalog_category_count, catalog_category_at, cat_category, categories, ncategories)
AT(catalog_kind_count, catalog_kind_at, cat_kind, kinds, nkinds)
AT(catalog_topic_count, catalog_topic_at, cat_topic, topics, ntopics)
AT(catalog_field_count, catalog_field_at, cat_field, fields, nfields)

long cat_requirement_param(const cat_requirement *req, const char *name, long fallback)
{
    for (size_t i = 0; i < req->nparams; i++)
        if (strcmp(req->params[i].name, name) == 0)
            return req->params[i].value;
    return fallback;
}

const cat_check *cat_requirement_check(const cat_requirement *req, const char *id)
{
    for (size_t i = 0; i < req->nchecks; i++)
        if (req->checks[i].id && strcmp(req->checks[i].id, id) == 0)
            return &req->checks[i];
    return NULL;
}

const cat_subtype *cat_kind_subtype(const cat_kind *kind, const char *id)
{
    for (size_t i = 0; i < kind->nsubtypes; i++)
        if (kind->subtypes[i].id && strcmp(kind->subtypes[i].id, id) == 0)
            return &kind->subtypes[i];
    return NULL;
}

const cat_subtype *cat_kind_default_subtype(const cat_kind *kind)
{
    for (size_t i = 0; i < kind->nsubtypes; i++)
        if (kind->subtypes[i].is_default)
            return &kind->subtypes[i];
    return NULL;
}

/* ---- the schema: policy/catalog.rng, verbatim ------------------------------ */

const char *catalog_schema(void)
{
    static const char text[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!--\n"
    "  catalog.rng: the shape of the evidenced catalog (catalog.xml).\n"
    "\n"
    "  This schema says which elements and attributes exist and what their values\n"
    "  look like. What it cannot say (unique ids, references that resolve,\n"
    "  patterns that compile) is checked by catalog_load() after validation.\n"
    "  The library validates against a copy of this file compiled into it\n"
    "  (policy/catalog.c, catalog_schema), so an installed catalog validates\n"
    "  without the source tree; a test keeps the two identical.\n"
    "-->\n"
    "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\"\n"
    "         datatypeLibrary=\"http://www.w3.org/2001/XMLSchema-datatypes\">\n"
    "\n"
    "  <start>\n"
    "    <element name=\"catalog\">\n"
    "      <attribute name=\"version\"><value>1</value></attribute>\n"
    "      <attribute name=\"scheme\"><ref name=\"text\"/></attribute>\n"
    "      <attribute name=\"level\"><choice><value>1</value><value>2</value><value>3</value></choice></attribute>\n"
    "      <element name=\"cuesets\">\n"
    "        <zeroOrMore>\n"
    "          <element name=\"cueset\">\n"
    "            <ref name=\"id\"/>\n"
    "            <oneOrMore><ref name=\"cue\"/></oneOrMore>\n"
    "          </element>\n"
    "        </zeroOrMore>\n"
    "      </element>\n"
    "      <element name=\"categories\">\n"
    "        <oneOrMore><ref name=\"category\"/></oneOrMore>\n"
    "      </element>\n"
    "      <element name=\"topics\">\n"
    "        <oneOrMore>\n"
    "          <element name=\"topic\">\n"
    "            <ref name=\"id\"/>\n"
    "            <oneOrMore><ref name=\"cue\"/></oneOrMore>\n"
    "            <optional><element name=\"vote\"><oneOrMore><ref name=\"cue\"/></oneOrMore></element></optional>\n"
    "          </element>\n"
    "        </oneOrMore>\n"
    "      </element>\n"
    "      <element name=\"kinds\">\n"
    "        <oneOrMore><ref name=\"kind\"/></oneOrMore>\n"
    "      </element>\n"
    "      <element name=\"requirements\">\n"
    "        <oneOrMore><ref name=\"requirement\"/></oneOrMore>\n"
    "      </element>\n"
    "      <element name=\"fields\">\n"
    "        <oneOrMore><ref name=\"field\"/></oneOrMore>\n"
    "      </element>\n"
    "    </element>\n"
    "  </start>\n"
    "\n"
    "  <!-- Ids: lower case words joined by '-' or '.' (record.projects). -->\n"
    "  <define name=\"id\">\n"
    "    <attribute name=\"id\">\n"
    "      <data type=\"token\"><param name=\"pattern\">[a-z][a-z0-9]*([.\\-][a-z0-9]+)*</param></data>\n"
    "    </attribute>\n"
    "  </define>\n"
    "\n"
    "  <define name=\"text\">\n"
    "    <data type=\"string\"><param name=\"minLength\">1</param></data>\n"
    "  </define>\n"
    "\n"
    "  <define name=\"lang\">\n"
    "    <attribute name=\"lang\"><choice><value>zh</value><value>en</value></choice></attribute>\n"
    "  </define>\n"
    "\n"
    "  <define name=\"yesno\">\n"
    "    <choice><value>yes</value><value>no</value></choice>\n"
    "  </define>\n"
    "\n"
    "  <define name=\"kind-list\">\n"
    "    <list><oneOrMore><data type=\"token\"/></oneOrMore></list>\n"
    "  </define>\n"
    "\n"
    "  <!-- ==== cues ==== -->\n"
    "  <define name=\"cue-common\">\n"
    "    <optional><ref name=\"lang\"/></optional>\n"
    "    <optional>\n"
    "      <attribute name=\"in\">\n"
    "        <choice><value>title</value><value>text</value><value>cells</value></choice>\n"
    "      </attribute>\n"
    "    </optional>\n"
    "  </define>\n"
    "\n"
    "  <define name=\"min\">\n"
    "    <optional><attribute name=\"min\"><data type=\"positiveInteger\"/></attribute></optional>\n"
    "  </define>\n"
    "\n"
    "  <define name=\"label\">\n"
    "    <optional><attribute name=\"label\"><ref name=\"text\"/></attribute></optional>\n"
    "  </define>\n"
    "\n"
    "  <define name=\"cue\">\n"
    "    <choice>\n"
    "      <element name=\"cue\">\n"
    "        <ref name=\"cue-common\"/>\n"
    "        <ref name=\"min\"/>\n"
    "        <ref name=\"text\"/>\n"
    "      </element>\n"
    "      <element name=\"regex\">\n"
    "        <ref name=\"cue-common\"/>\n"
    "        <ref name=\"min\"/>\n"
    "        <ref name=\"label\"/>\n"
    "        <ref name=\"text\"/>\n"
    "      </element>\n"
    "      <element name=\"all\">\n"
    "        <ref name=\"cue-common\"/>\n"
    "        <ref name=\"label\"/>\n"
    "        <oneOrMore><ref name=\"cue\"/></oneOrMore>\n"
    "      </element>\n"
    "      <element name=\"any\">\n"
    "        <ref name=\"cue-common\"/>\n"
    "        <ref name=\"min\"/>\n"
    "        <ref name=\"label\"/>\n"
    "        <oneOrMore><ref name=\"cue\"/></oneOrMore>\n"
    "      </element>\n"
    "      <element name=\"not\">\n"
    "        <ref name=\"cue-common\"/>\n"
    "        <ref name=\"label\"/>\n"
    "        <ref name=\"cue\"/>\n"
    "      </element>\n"
    "      <element name=\"ref\">\n"
    "        <ref name=\"cue-common\"/>\n"
    "        <ref name=\"min\"/>\n"
    "        <attribute name=\"set\"><data type=\"token\"/></attribute>\n"
    "        <empty/>\n"
    "      </element>\n"
    "    </choice>\n"
    "  </define>\n"
    "\n"
    "  <!-- ==== categories ==== -->\n"
    "  <define name=\"category\">\n"
    "    <element name=\"category\">\n"
    "      <ref name=\"id\"/>\n"
    "      <attribute name=\"suppliers\"><ref name=\"yesno\"/></attribute>\n"
    "      <oneOrMore>\n"
    "        <element name=\"name\">\n"
    "          <ref name=\"lang\"/>\n"
    "          <optional>\n"
    "            <attribute name=\"form\"><choice><value>short</value><value>full</value></choice></attribute>\n"
    "          </optional>\n"
    "          <ref name=\"text\"/>\n"
    "        </element>\n"
    "      </oneOrMore>\n"
    "      <optional><element name=\"medium\"><oneOrMore><ref name=\"cue\"/></oneOrMore></element></optional>\n"
    "      <optional><element name=\"weak\"><oneOrMore><ref name=\"cue\"/></oneOrMore></element></optional>\n"
    "    </element>\n"
    "  </define>\n"
    "\n"
    "  <!-- ==== kinds ==== -->\n"
    "  <define name=\"kind\">\n"
    "    <element name=\"kind\">\n"
    "      <ref name=\"id\"/>\n"
    "      <attribute name=\"zh\"><ref name=\"text\"/></attribute>\n"
    "      <attribute name=\"en\"><ref name=\"text\"/></attribute>\n"
    "      <optional><attribute name=\"topics\"><ref name=\"yesno\"/></attribute></optional>\n"
    "      <optional><element name=\"strong\"><oneOrMore><ref name=\"cue\"/></oneOrMore></element></optional>\n"
    "      <optional><element name=\"medium\"><oneOrMore><ref name=\"cue\"/></oneOrMore></element></optional>\n"
    "      <optional><element name=\"weak\"><oneOrMore><ref name=\"cue\"/></oneOrMore></element></optional>\n"
    "      <optional><element name=\"negative\"><oneOrMore><ref name=\"cue\"/></oneOrMore></element></optional>\n"
    "      <zeroOrMore>\n"
    "        <element name=\"subtype\">\n"
    "          <ref name=\"id\"/>\n"
    "          <optional><attribute name=\"default\"><ref name=\"yesno\"/></attribute></optional>\n"
    "          <zeroOrMore><ref name=\"cue\"/></zeroOrMore>\n"
    "        </element>\n"
    "      </zeroOrMore>\n"
    "    </element>\n"
    "  </define>\n"
    "\n"
    "  <!-- ==== requirements ==== -->\n"
    "  <define name=\"requirement\">\n"
    "    <element name=\"requirement\">\n"
    "      <ref name=\"id\"/>\n"
    "      <attribute name=\"clause\">\n"
    "        <data type=\"token\"><param name=\"pattern\">[0-9]+(\\.[0-9a-z]+)*</param></data>\n"
    "      </attribute>\n"
    "      <attribute name=\"per-category\">\n"
    "        <choice><value>yes</value><value>no</value><value>applicability</value></choice>\n"
    "      </attribute>\n"
    "      <attribute name=\"review\">\n"
    "        <choice><value>always</value><value>conditional</value><value>content</value><value>never</value></choice>\n"
    "      </attribute>\n"
    "      <element name=\"title\">\n"
    "        <attribute name=\"lang\"><value>zh</value></attribute>\n"
    "        <attribute name=\"source\"><choice><value>published</value><value>rendering</value></choice></attribute>\n"
    "        <ref name=\"text\"/>\n"
    "      </element>\n"
    "      <element name=\"title\">\n"
    "        <attribute name=\"lang\"><value>en</value></attribute>\n"
    "        <ref name=\"text\"/>\n"
    "      </element>\n"
    "      <oneOrMore>\n"
    "        <element name=\"evidence\">\n"
    "          <attribute name=\"kind\"><data type=\"token\"/></attribute>\n"
    "          <optional><attribute name=\"topic\"><data type=\"token\"/></attribute></optional>\n"
    "          <optional><attribute name=\"subtype\"><data type=\"token\"/></attribute></optional>\n"
    "          <optional><attribute name=\"group\"><data type=\"token\"/></attribute></optional>\n"
    "          <optional>\n"
    "            <attribute name=\"role\"><choice><value>required</value><value>support</value></choice></attribute>\n"
    "          </optional>\n"
    "          <empty/>\n"
    "        </element>\n"
    "      </oneOrMore>\n"
    "      <optional>\n"
    "        <element name=\"rule\">\n"
    "          <optional><attribute name=\"months\"><data type=\"positiveInteger\"/></attribute></optional>\n"
    "          <optional><attribute name=\"window-months\"><data type=\"positiveInteger\"/></attribute></optional>\n"
    "          <optional><attribute name=\"min-projects\"><data type=\"positiveInteger\"/></attribute></optional>\n"
    "          <optional><attribute name=\"renewal-days\"><data type=\"positiveInteger\"/></attribute></optional>\n"
    "          <optional><attribute name=\"min-term-months\"><data type=\"positiveInteger\"/></attribute></optional>\n"
    "          <optional><attribute name=\"report-age-months\"><data type=\"positiveInteger\"/></attribute></optional>\n"
    "          <optional><attribute name=\"record-age-months\"><data type=\"positiveInteger\"/></attribute></optional>\n"
    "          <optional><attribute name=\"management-months\"><data type=\"positiveInteger\"/></attribute></optional>\n"
    "          <empty/>\n"
    "        </element>\n"
    "      </optional>\n"
    "      <zeroOrMore>\n"
    "        <element name=\"check\">\n"
    "          <ref name=\"id\"/>\n"
    "          <oneOrMore><ref name=\"cue\"/></oneOrMore>\n"
    "        </element>\n"
    "      </zeroOrMore>\n"
    "    </element>\n"
    "  </define>\n"
    "\n"
    "  <!-- ==== fields ==== -->\n"
    "  <define name=\"field\">\n"
    "    <element name=\"field\">\n"
    "      <attribute name=\"name\">\n"
    "        <data type=\"token\"><param name=\"pattern\">[a-z][a-z0-9_]*</param></data>\n"
    "      </attribute>\n"
    "      <attribute name=\"type\">\n"
    "        <choice>\n"
    "          <value>string</value><value>date</value><value>amount</value><value>number</value>\n"
    "          <value>category</value><value>enum</value><value>list</value><value>experience</value>\n"
    "          <value>topic</value>\n"
    "        </choice>\n"
    "      </attribute>\n"
    "      <zeroOrMore>\n"
    "        <element name=\"label\">\n"
    "          <ref name=\"lang\"/>\n"
    "          <optional><attribute name=\"kinds\"><ref name=\"kind-list\"/></attribute></optional>\n"
    "          <optional><attribute name=\"where\"><value>signature</value></attribute></optional>\n"
    "          <ref name=\"text\"/>\n"
    "        </element>\n"
    "      </zeroOrMore>\n"
    "      <optional><element name=\"value\"><ref name=\"text\"/></element></optional>\n"
    "      <zeroOrMore>\n"
    "        <element name=\"enum\">\n"
    "          <attribute name=\"value\"><data type=\"token\"/></attribute>\n"
    "          <oneOrMore><ref name=\"cue\"/></oneOrMore>\n"
    "        </element>\n"
    "      </zeroOrMore>\n"
    "    </element>\n"
    "  </define>\n"
    "</grammar>\n";
    return text;
}
