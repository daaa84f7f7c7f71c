/*
 * evaluate.c: requirement rules over evidence records.
 *
 * Shape: evaluate() prepares one `ctx` (the counting records sorted by kind
 * and then path, so each kind is one run; each record with its display name,
 * number keys, person key and resume roles computed once; the organisation
 * keys; the declared categories in catalog order), then runs one rule
 * function per requirement id. A rule fills an `outcome` (status, evidence,
 * reasons); per-category rules run once per category with `outcome.cat` set,
 * so every reason names its category, and the statuses are folded
 * worst-first. Because records are visited in (kind, path) order and
 * categories in catalog order, the reasons come out in a stable order
 * without sorting them; evidence is sorted by path at the end.
 *
 * Cost: linear in the records for most rules; quadratic only within a kind
 * where pairs must be compared (contracts x acceptance reports, procedures
 * of one topic), which stays well under a second for thousands of records.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "evaluate.h"
#include "evalrec.h"
#include "strmap.h"
#include "ident.h"
#include "nfkc.h"
#include "unread.h"
#include "version.h"

/* Worst first: the order in which per-category statuses fold. */
typedef enum st {
    ST_MISSING,
    ST_EXPIRED,
    ST_PARTIAL,
    ST_MET,
    ST_NA
} st;

static const char *const st_names[] = {"missing", "expired", "partial", "met",
                                       "not-applicable"};

/* One counting record, with what every rule asks of it computed once. */
typedef struct rec {
    evalrec *e;       /* owned */
    const char *path; /* e->path */
    char *name;       /* "service contract HT-2026-014 (contracts/a.docx)" */
    char *num_key;    /* doc_number as a matching key, NULL when unset */
    char *ref_key;    /* contract_ref likewise */
    char *who_key;    /* name_key of the person: resume person_name, certificate
                       * holder, licence legal_representative, NDA employee */
    unsigned roles;   /* resumes: ROLE_* read from person_role */
    char *draft;      /* the word that marks it a draft (草稿, draft), or NULL */
} rec;

enum {
    ROLE_HEAD = 1u << 0,
    ROLE_DIRECTOR = 1u << 1,
    ROLE_LEADER = 1u << 2,
    ROLE_ENGINEER = 1u << 3
};

typedef struct ctx {
    const catalog *cat;
    ev_date as_of;
    char as_of_s[EV_DATE_STRLEN];
    rec *docs;
    size_t ndocs;
    char **orgs;      /* organisation name keys */
    size_t norgs;
    const char **cats;
    size_t ncats;
    pcre2_match_data *md;
    struct kind_run {
        const char *kind;
        size_t begin, end;   /* docs[begin..end) are of this kind */
    } *runs;
    size_t nruns;
    strmap contract_cats;   /* "<num_key>\x1f<category>" of every service contract */
    strmap project_cats;    /* "<project key>" and "<project key>\x1f<category>" of
                             * every contract and acceptance report */
    unread_set *unread;     /* the files not read: named when a kind is missing */
} ctx;

/* One requirement's result while it is built. */
typedef struct outcome {
    const ctx *c;
    const cat_requirement *req;
    json_t *evidence;
    json_t *reasons;
    json_t *seen;     /* {reason or "\x01" path: null}: what is already there */
    const char *cat;  /* the category being evaluated, NULL for whole-org rules */
    const rec **cited;  /* what this category's run (or the rule) cited */
    size_t ncited, citedcap;
} outcome;

/* ---- small helpers ------------------------------------------------------ */

/* vsnprintf into a malloc'd string. */
static char *vformat(const char *fmt, va_list ap) EV_PRINTF(1, 0);
static char *vformat(const char *fmt, va_list ap)
{
    va_list aq;
    int n;
    char *s;

    va_copy(aq, ap);
    n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    assert(n >= 0);
    s = ev_malloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

static void add_reason(outcome *o, bool review, const char *fmt, va_list ap)
    EV_PRINTF(3, 0);
static void add_reason(outcome *o, bool review, const char *fmt, va_list ap)
{
    ev_buf b = {0};
    char *msg = vformat(fmt, ap);

    ev_buf_printf(&b, "%s%s%s%s", review ? "needs review: " : "", o->cat ? o->cat : "",
                  o->cat ? ": " : "", msg);
    free(msg);
    /* Per-category rules can find the same thing twice; say it once. */
    if (!json_object_get(o->seen, b.data)) {
        json_object_set_new(o->seen, b.data, json_null());
        json_array_append_new(o->reasons, json_string(b.data));
    }
    ev_buf_free(&b);
}

/* A finding: what is missing, old, or excluded. */
static void reason(outcome *o, const char *fmt, ...) EV_PRINTF(2, 3);
static void reason(outcome *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_reason(o, false, fmt, ap);
    va_end(ap);
}

/* What a person must confirm; "needs review: " is prepended. */
static void review(outcome *o, const char *fmt, ...) EV_PRINTF(2, 3);
static void review(outcome *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_reason(o, true, fmt, ap);
    va_end(ap);
}

/* A reason (review or not) about the whole requirement, not one category. */
static void note_all(outcome *o, bool is_review, const char *fmt, ...) EV_PRINTF(3, 4);
static void note_all(outcome *o, bool is_review, const char *fmt, ...)
{
    const char *cat = o->cat;
    va_list ap;

    o->cat = NULL;
    va_start(ap, fmt);
    add_reason(o, is_review, fmt, ap);
    va_end(ap);
    o->cat = cat;
}

/* A valid signature of d that covers the whole file, other than `not`. */
static const evalrec_sig *whole_file_signature(const rec *d, const evalrec_sig *not)
{
    for (size_t i = 0; i < d->e->nsigs; i++) {
        const evalrec_sig *s = &d->e->sigs[i];
        if (s != not && s->covers_whole && strcmp(s->status, "valid") == 0)
            return s;
    }
    return NULL;
}

/*
 * What a person must look at in d's electronic signatures: one that does
 * not validate (its digest, its encoding), and a valid one that does not
 * cover the whole file, since the file was changed after it was signed (or
 * the signed range could not be read). Review reasons, not a status: the
 * text was read and counts as it stands; whether the change matters
 * (a counter-signature, a new page, a forged date) is an auditor's call,
 * as the spec has it for every "needs review". A valid whole-file
 * signature that covers the change is named, since it usually explains it.
 */
static void review_signatures(outcome *o, const rec *d)
{
    for (size_t i = 0; i < d->e->nsigs; i++) {
        const evalrec_sig *s = &d->e->sigs[i], *later;
        const char *by = s->signer ? " by " : "", *who = s->signer ? s->signer : "";

        if (strcmp(s->status, "valid") != 0) {
            note_all(o, true, "%s: its electronic signature%s%s does not validate (%s)",
                     d->path, by, who, s->status);
        } else if (!s->covers_whole) {
            later = whole_file_signature(d, s);
            note_all(o, true, "%s: its electronic signature%s%s does not cover the whole file: "
                              "it was changed after signing%s%s%s",
                     d->path, by, who, later ? " (a later signature by " : "",
                     later ? (later->signer ? later->signer : "an unnamed signer") : "",
                     later ? " covers it)" : "");
        }
    }
}

/* List d as evidence of the requirement (once per path: the first why wins). */
static void cite(outcome *o, const rec *d, const char *fmt, ...) EV_PRINTF(3, 4);
static void cite(outcome *o, const rec *d, const char *fmt, ...)
{
    char *why, *key;
    va_list ap;

    /* What stands for the requirement, for unread_notes(); support (the
     * "support: " why) does not. */
    if (strncmp(fmt, "support: ", 9) != 0) {
        o->cited = ev_grow(o->cited, &o->citedcap, o->ncited + 1, sizeof *o->cited);
        o->cited[o->ncited++] = d;
    }
    /* Paths are keyed apart from reasons by a leading \x01 no reason has. */
    key = ev_asprintf("\x01%s", d->path);
    if (json_object_get(o->seen, key)) {
        free(key);
        return;
    }
    json_object_set_new(o->seen, key, json_null());
    free(key);
    va_start(ap, fmt);
    why = vformat(fmt, ap);
    va_end(ap);
    json_array_append_new(o->evidence,
                          json_pack("{s:s, s:s, s:s, s:s}", "path", d->path,
                                    "sha256", d->e->sha256, "kind", d->e->kind,
                                    "why", why));
    free(why);
    if (d->draft)
        note_all(o, true, "%s is marked \"%s\": confirm it is the final version", d->name,
                 d->draft);
    if (d->e->ocr_dropped)
        note_all(o, true, "read from a scan with low confidence (%d%%): %s is counted by its "
                          "kind only; confirm its dates, numbers and names against the image",
                 d->e->ocr_confidence, d->name);
    else if (d->e->ocr_confidence >= 0)
        note_all(o, true, "read from a scan (OCR, confidence %d%%): confirm what %s says "
                          "against the image",
                 d->e->ocr_confidence, d->name);
    if (d->e->ocr_doubtful > 0)
        note_all(o, true, "%s: %u of its fields were read from a scan with a confidence under "
                          "%d%% and are not used; confirm them against the image",
                 d->name, d->e->ocr_doubtful, EVALREC_OCR_FLOOR);
    review_signatures(o, d);
}

/* A string field that is set and not empty. */
static const char *fstr(const rec *d, const char *name)
{
    const char *s = evalrec_str(d->e, name);
    return s && *s ? s : NULL;
}

/* A date field; false when unset or not "YYYY-MM-DD". */
static bool fdate(const rec *d, const char *name, ev_date *out)
{
    const char *s = fstr(d, name);
    return s && ev_date_parse(s, out, NULL) == EV_OK;
}

/* The English name of a kind, for sentences. */
static const char *kind_name(const ctx *c, const char *kind)
{
    const cat_kind *k = catalog_kind(c->cat, kind);
    return k && k->name_en ? k->name_en : kind;
}

static bool is_kind(const rec *d, const char *kind)
{
    return strcmp(d->e->kind, kind) == 0;
}

/* The subtype, or the kind's default subtype when the record has none. */
static bool has_subtype(const ctx *c, const rec *d, const char *want)
{
    const cat_kind *k;
    const cat_subtype *def;

    if (d->e->subtype)
        return strcmp(d->e->subtype, want) == 0;
    k = catalog_kind(c->cat, d->e->kind);
    def = k ? cat_kind_default_subtype(k) : NULL;
    return def && strcmp(def->id, want) == 0;
}

/* service_category, or one of service_categories, is `cat`. */
static bool in_category(const rec *d, const char *cat)
{
    const char *one = fstr(d, "service_category");

    return (one && strcmp(one, cat) == 0) || evalrec_listed(d->e, "service_categories", cat);
}

/* Does the record name any category at all? */
static bool names_category(const rec *d)
{
    return fstr(d, "service_category") || evalrec_listed(d->e, "service_categories", NULL);
}

static bool in_window(ev_date d, ev_date lo, ev_date hi)
{
    return ev_date_cmp(d, lo) > 0 && ev_date_cmp(d, hi) <= 0;
}

static char *fmt_date(ev_date d, char buf[EV_DATE_STRLEN])
{
    return ev_date_format(d, buf);
}

/*
 * A key for comparing names of organisations and people: NFKC, case folded,
 * without white space or punctuation, so 青云网安（上海）有限公司 equals
 * 青云网安(上海)有限公司 and "Qingyun Co., Ltd." equals "QINGYUN CO LTD".
 */
static char *name_key(const char *s)
{
    char *fold = ev_fold(s, strlen(s));
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)fold;
    ev_buf b = {0};

    ev_buf_puts(&b, "");
    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        utf8proc_category_t cat;
        assert(n > 0); /* ev_fold returns valid UTF-8 */
        cat = utf8proc_category(cp);
        if (cat < UTF8PROC_CATEGORY_PC || cat > UTF8PROC_CATEGORY_PO)
            ev_buf_append(&b, p, (size_t)n);
        p += n;
    }
    free(fold);
    return ev_buf_steal(&b);
}

static bool same_name(const char *a, const char *b)
{
    char *ka, *kb;
    bool eq;

    if (!a || !b)
        return false;
    ka = name_key(a);
    kb = name_key(b);
    eq = *ka && strcmp(ka, kb) == 0;
    free(ka);
    free(kb);
    return eq;
}

/* A blank of an unfilled form (____, XXX, 【 】, N/A) rather than a name. */
static bool is_blank_name(const char *s)
{
    char *k;
    bool blank = true;

    if (!s)
        return true;
    k = name_key(s);
    if (strcmp(k, "na") != 0)
        for (const char *p = k; *p; p++)
            if (*p != 'x')
                blank = false;
    free(k);
    return blank;
}

typedef enum org_side {
    ORG_YES,          /* the party is the organisation */
    ORG_NO,           /* names are configured and the party is not one */
    ORG_ASSUMED,      /* no names configured: the convention is assumed */
    ORG_UNKNOWN       /* names configured, but the party is not stated */
} org_side;

/* Is `party` (a field value, may be NULL) the organisation? */
static org_side org_is(const ctx *c, const char *party)
{
    char *k;
    org_side side = ORG_NO;

    if (c->norgs == 0)
        return ORG_ASSUMED;
    if (!party)
        return ORG_UNKNOWN;
    k = name_key(party);
    for (size_t i = 0; i < c->norgs; i++)
        if (*k && strcmp(k, c->orgs[i]) == 0)
            side = ORG_YES;
    free(k);
    return side;
}

/*
 * Whether a contract counts as the organisation's own provision of service
 * (or its own lease): party_b must be the organisation. Reasons explain
 * every exclusion and the assumption made without configured names.
 */
static bool org_is_party_b(outcome *o, const rec *d, const char *role)
{
    const char *a = fstr(d, "party_a"), *b = fstr(d, "party_b");

    switch (org_is(o->c, b)) {
    case ORG_YES:
        return true;
    case ORG_ASSUMED:
        /* An assumption about every contract, not a finding of one category. */
        note_all(o, false, "no organisation names are configured: party B of each %s "
                           "is taken to be the organisation (the %s)",
                 is_kind(d, "lease-contract") ? "lease" : "service contract", role);
        return true;
    case ORG_UNKNOWN:
        review(o, "%s names no party B: confirm the organisation is the %s",
               d->name, role);
        return true;
    case ORG_NO:
        break;
    }
    if (org_is(o->c, a) == ORG_YES)
        reason(o, "%s does not count: the organisation is party A (%s), not the %s",
               d->name, a, role);
    else
        reason(o, "%s does not count: party B (%s) is not the organisation",
               d->name, b);
    return false;
}

/*
 * Each kind's own date: a record dated after as-of does not count yet.
 * Procedures are absent: their effective_on is handled as "not yet in
 * force" by current_procedures().
 */
static const struct {
    const char *kind, *field;
} dated_by[] = {
    {"service-contract", "signed_on"},
    {"acceptance-report", "completed_on"},
    {"lease-contract", "signed_on"},
    {"confidentiality-agreement", "signed_on"},
    {"contract-template", "effective_on"},
    {"training-plan", "effective_on"},
    {"training-record", "held_on"},
    {"service-process", "effective_on"},
    {"service-standard", "effective_on"},
    {"business-license", "issued_on"},
    {"credit-report", "issued_on"},
    {"audit-report", "issued_on"},
    {"certificate", "issued_on"},
};

/* Fields that date a record whose kind names no single date field. */
static const char *const record_dates[] = {"held_on", "issued_on", "signed_on",
                                           "completed_on", "effective_on"};

/* The date a record was made, for age checks; false when it has none. */
static bool record_date(const rec *d, ev_date *out)
{
    for (size_t i = 0; i < EV_ARRAY_LEN(dated_by); i++)
        if (is_kind(d, dated_by[i].kind))
            return fdate(d, dated_by[i].field, out);
    for (size_t i = 0; i < EV_ARRAY_LEN(record_dates); i++)
        if (fdate(d, record_dates[i], out))
            return true;
    return false;
}

/*
 * Does d count as of as-of? False (with a reason) when it is dated after
 * as-of: such evidence does not count yet.
 */
static bool counts_yet(outcome *o, const rec *d)
{
    ev_date when;
    char buf[EV_DATE_STRLEN];

    if (is_kind(d, "procedure") || !record_date(d, &when) ||
        ev_date_cmp(when, o->c->as_of) <= 0)
        return true;
    reason(o, "%s is dated %s, after the as-of date %s: it does not count yet",
           d->name, fmt_date(when, buf), o->c->as_of_s);
    return false;
}

/* The records of one kind: docs is sorted by kind first, so they are a run. */
static const rec *kind_begin(const ctx *c, const char *kind, const rec **end)
{
    for (size_t i = 0; i < c->nruns; i++)
        if (strcmp(c->runs[i].kind, kind) == 0) {
            *end = c->docs + c->runs[i].end;
            return c->docs + c->runs[i].begin;
        }
    *end = c->docs;
    return c->docs;
}

/* Iterate the counting records of one kind, in path order. */
#define FOR_KIND(c, d, kindid)                                                  \
    for (const rec *d##_end, *d = kind_begin((c), (kindid), &d##_end); d < d##_end; d++)

/* ---- role and content checks --------------------------------------------- */

/* Does a cue list match a short text (a role, a title)? What matched is
 * appended to `why` when it is not NULL. */
static bool cue_text_why(const ctx *c, const cat_cue *cues, const char *text, ev_buf *why)
{
    cat_view view = {0};
    cat_views views;
    bool hit;

    cat_view_add(&view, text, strlen(text));
    for (int i = 0; i < CAT_SCOPE_COUNT; i++)
        views.v[i] = &view;
    hit = cat_cue_match(cues, CAT_SCOPE_TEXT, &views, c->md, why);
    cat_view_free(&view);
    return hit;
}

static bool check_cue_text(const ctx *c, const cat_cue *cues, const char *text)
{
    return cue_text_why(c, cues, text, NULL);
}

/* Does text match the requirement's <check id>? False when either is absent. */
static bool check_matches(const ctx *c, const char *req_id, const char *check_id,
                          const char *text)
{
    const cat_requirement *req = catalog_requirement(c->cat, req_id);
    const cat_check *chk = req ? cat_requirement_check(req, check_id) : NULL;

    return chk && text && check_cue_text(c, &chk->cues, text);
}

/*
 * Is `post` (its name_key: `key`) the whole of a role the cue names? A
 * literal must be the whole post: 总经理 is, 副总经理 and 总经理助理 are not,
 * and 负责人 is while 技术负责人 is not. A regex says itself how much of the
 * post it needs.
 */
static bool whole_role(const ctx *c, const cat_cue *cue, const char *post, const char *key)
{
    char *want;
    bool eq;

    switch (cue->type) {
    case CAT_CUE_ANY:
        for (size_t i = 0; i < cue->nkids; i++)
            if (whole_role(c, &cue->kids[i], post, key))
                return true;
        return false;
    case CAT_CUE_REF:
        return whole_role(c, cue->target, post, key);
    case CAT_CUE_LITERAL:
        want = name_key(cue->text);
        eq = *key && strcmp(key, want) == 0;
        free(want);
        return eq;
    default:
        return check_cue_text(c, cue, post);
    }
}

/*
 * Does one post of a role (roles joined by 兼, /, 、, ",", ";", "and", "&",
 * or in brackets) match `check_id`? With `whole`, a post must be the whole
 * of one of the check's roles (whole_role): the head is named by a whole
 * role, so 技术负责人 and 项目负责人 do not name the head although they
 * contain 负责人, while 总经理兼技术负责人 and 总经理(法定代表人) do
 * (requirements.md 7a).
 */
static bool role_has(const ctx *c, const char *role, const char *req_id,
                     const char *check_id, bool whole)
{
    static const char *const seps[] = {"兼", "/", "、", ",", ";", "，", "；",
                                       " and ", "&", "(", ")", "（", "）"};
    char *copy;
    char *p;
    bool found = false;

    if (!role)
        return false;
    copy = ev_strdup(role);
    p = copy;
    while (p) {
        char *next = NULL;
        size_t seplen = 0;
        for (size_t i = 0; i < EV_ARRAY_LEN(seps); i++) {
            char *q = strstr(p, seps[i]);
            if (q && (!next || q < next)) {
                next = q;
                seplen = strlen(seps[i]);
            }
        }
        if (next)
            *next = '\0';
        if (!whole) {
            found = found || check_matches(c, req_id, check_id, p);
        } else {
            const cat_requirement *req = catalog_requirement(c->cat, req_id);
            const cat_check *chk = req ? cat_requirement_check(req, check_id) : NULL;
            char *key = name_key(p);
            found = found || (chk && whole_role(c, &chk->cues, p, key));
            free(key);
        }
        p = next ? next + seplen : NULL;
    }
    free(copy);
    return found;
}

/* Did the extractor find the requirement's check in the record's text? */
static bool doc_has_check(const rec *d, const char *req_id, const char *check_id)
{
    size_t rl = strlen(req_id);

    for (size_t i = 0; i < d->e->nchecks; i++) {
        const char *s = d->e->checks[i];
        if (strncmp(s, req_id, rl) == 0 && s[rl] == ':' && strcmp(s + rl + 1, check_id) == 0)
            return true;
    }
    return false;
}

/* "编制 / 产生 / prepare": the words of a check, for a reason. */
static void check_words(const cat_check *chk, ev_buf *b)
{
    for (size_t i = 0; i < chk->cues.nkids; i++) {
        const cat_cue *k = &chk->cues.kids[i];
        if (i)
            ev_buf_puts(b, " / ");
        ev_buf_puts(b, k->label ? k->label : k->text);
    }
}

/* A review reason for each of the requirement's content checks d lacks. */
static void content_checks(outcome *o, const rec *d)
{
    for (size_t i = 0; i < o->req->nchecks; i++) {
        const cat_check *chk = &o->req->checks[i];
        ev_buf words = {0};
        char *what;

        if (doc_has_check(d, o->req->id, chk->id))
            continue;
        check_words(chk, &words);
        what = ev_strdup(chk->id);
        for (char *p = what; *p; p++)
            if (*p == '-')
                *p = ' ';
        review(o, "%s does not mention %s (%s)", d->name, what, words.data);
        free(what);
        ev_buf_free(&words);
    }
}

/* ---- current procedures --------------------------------------------------- */

/*
 * Marked 作废 / 废止 / 停用 / obsolete / withdrawn: in the control block (the
 * extractor's `withdrawn` field) or in the title (the catalog's cueset).
 */
static bool is_withdrawn(const ctx *c, const rec *d)
{
    const cat_cueset *set = catalog_cueset(c->cat, "withdrawn");

    if (d->e->withdrawn)
        return true;
    return set && d->e->title && check_cue_text(c, &set->cues, d->e->title);
}

/*
 * The word that marks d a draft (草稿, 征求意见稿, draft, for comment): the
 * extractor's `draft` field, read from the title and the first lines, or
 * else the title against the catalog's `draft` cueset, for records made
 * before the field was. NULL when d is no draft; 试行 (trial) is none.
 */
static char *draft_mark(const ctx *c, const rec *d)
{
    const cat_cueset *set = catalog_cueset(c->cat, "draft");
    const char *field = fstr(d, "draft");
    ev_buf why = {0};

    if (field)
        return ev_strdup(field);
    if (set && d->e->title && cue_text_why(c, &set->cues, d->e->title, &why) && why.len)
        return ev_buf_steal(&why);
    ev_buf_free(&why);
    return NULL;
}

/* A draft is not in force and never counts as a current procedure, plan,
 * process or standard (requirements.md 7a): false, with the reason. */
static bool in_force(outcome *o, const rec *d)
{
    if (!d->draft)
        return true;
    reason(o, "%s is marked \"%s\": draft: not in force", d->name, d->draft);
    return false;
}

/*
 * Is `newer` a later edition of `older` (same number key)? A higher
 * version, or, when the versions are equal, absent or do not parse, a later
 * effective_on. Notes an unparseable version in the reasons.
 */
static bool supersedes(outcome *o, const rec *newer, const rec *older)
{
    const char *vn = fstr(newer, "version"), *vo = fstr(older, "version");
    ev_date en, eo;

    if (vn && vo) {
        ev_version a, b;
        if (ev_version_parse(vn, strlen(vn), &a) && ev_version_parse(vo, strlen(vo), &b)) {
            int cmp = ev_version_cmp(&a, &b);
            if (cmp != 0)
                return cmp > 0;
        } else {
            reason(o, "the versions of %s (%s) and %s (%s) do not both parse: "
                      "they are compared by effective date",
                   older->name, vo, newer->name, vn);
        }
    }
    return fdate(newer, "effective_on", &en) && fdate(older, "effective_on", &eo) &&
           ev_date_cmp(en, eo) > 0;
}

typedef struct procset {
    const rec **cur;   /* current: in force, newest, not withdrawn */
    size_t ncur;
    size_t nold;       /* superseded or withdrawn */
} procset;

static void procset_free(procset *ps)
{
    free(ps->cur);
    ps->cur = NULL;
    ps->ncur = ps->nold = 0;
}

/*
 * The current procedures of `topic` as of as-of (requirements.md, "Current
 * procedure"), with reasons for every procedure that does not count.
 */
static procset current_procedures(outcome *o, const char *topic)
{
    const ctx *c = o->c;
    procset ps = {ev_calloc(c->ndocs + 1, sizeof *ps.cur), 0, 0};
    size_t nameless = 0;
    char buf[EV_DATE_STRLEN];

    FOR_KIND(c, d, "procedure") {
        ev_date eff;
        const rec *by = NULL;

        if (!d->e->topic || strcmp(d->e->topic, topic) != 0 || !in_force(o, d))
            continue;
        if (fdate(d, "effective_on", &eff) && ev_date_cmp(eff, c->as_of) > 0) {
            reason(o, "%s is not yet in force: it takes effect on %s", d->name,
                   fmt_date(eff, buf));
            continue;
        }
        if (is_withdrawn(c, d)) {
            reason(o, "%s is marked withdrawn: it does not count", d->name);
            ps.nold++;
            continue;
        }
        if (d->num_key) {
            FOR_KIND(c, n, "procedure") {
                ev_date neff;
                if (n == d || !n->num_key || strcmp(n->num_key, d->num_key) != 0 ||
                    !n->e->topic || strcmp(n->e->topic, topic) != 0 || n->draft)
                    continue;
                if (fdate(n, "effective_on", &neff) && ev_date_cmp(neff, c->as_of) > 0)
                    continue;
                if (supersedes(o, n, d) && (!by || supersedes(o, n, by)))
                    by = n;
            }
        }
        if (by) {
            const char *v = fstr(by, "version");
            reason(o, "%s is superseded by %s%s%s: only the newest counts", d->name,
                   by->name, v ? " version " : "", v ? v : "");
            ps.nold++;
            continue;
        }
        ps.cur[ps.ncur++] = d;
        if (!d->num_key)
            nameless++;
    }
    if (nameless > 1)
        review(o, "%zu current %s procedures have no document number: confirm "
                  "which one is in use",
               nameless, topic);
    /* Same number, and neither is newer: two copies of one edition. */
    for (size_t i = 0; i < ps.ncur; i++)
        for (size_t j = i + 1; j < ps.ncur; j++)
            if (ps.cur[i]->num_key && ps.cur[j]->num_key &&
                strcmp(ps.cur[i]->num_key, ps.cur[j]->num_key) == 0)
                review(o, "%s and %s carry the same number and neither is newer: "
                          "confirm which one is in use",
                       ps.cur[i]->name, ps.cur[j]->path);
    return ps;
}

/* Cite the current procedures; the why names number, version and date. */
static void cite_procedures(outcome *o, const procset *ps)
{
    for (size_t i = 0; i < ps->ncur; i++) {
        const rec *d = ps->cur[i];
        const char *v = fstr(d, "version"), *eff = fstr(d, "effective_on");
        cite(o, d, "current %s procedure%s%s%s%s", d->e->topic, v ? ", version " : "",
             v ? v : "", eff ? ", effective " : "", eff ? eff : "");
    }
}

/*
 * Status of a requirement made of two components, each present, absent or
 * (procedures) present only in superseded form: both present is met, one
 * present is partial, only old procedures is expired, nothing is missing.
 */
static st two_sides(bool a, bool b, bool old)
{
    if (a && b)
        return ST_MET;
    if (a || b)
        return ST_PARTIAL;
    return old ? ST_EXPIRED : ST_MISSING;
}

/* A single current-procedure requirement: met / expired / missing. */
static st procedure_only(outcome *o, const char *topic)
{
    procset ps = current_procedures(o, topic);
    st s = ps.ncur ? ST_MET : ps.nold ? ST_EXPIRED : ST_MISSING;

    cite_procedures(o, &ps);
    if (s == ST_EXPIRED)
        reason(o, "no current %s procedure: only superseded or withdrawn ones", topic);
    else if (s == ST_MISSING)
        reason(o, "no %s procedure found", topic);
    procset_free(&ps);
    return s;
}

/* List the records of a kind and subtype dated by as-of as support. */
static void cite_support(outcome *o, const char *kind, const char *subtype,
                         const char *why)
{
    const ctx *c = o->c;

    FOR_KIND(c, d, kind)
        if (has_subtype(c, d, subtype) && counts_yet(o, d))
            cite(o, d, "support: %s", why);
}

/*
 * The newest record of a kind (optionally of a subtype) dated on or before
 * as-of; a review reason when none is younger than `months`.
 */
static void age_review(outcome *o, const char *kind, const char *subtype, long months,
                       const char *what)
{
    const ctx *c = o->c;
    ev_date lo = ev_date_add_months(c->as_of, -(int)months), newest = {0, 0, 0};
    const rec *best = NULL;
    char buf[EV_DATE_STRLEN];

    FOR_KIND(c, d, kind) {
        ev_date when;
        if (subtype && !has_subtype(c, d, subtype))
            continue;
        if (record_date(d, &when) && ev_date_cmp(when, c->as_of) <= 0 &&
            (!best || ev_date_cmp(when, newest) > 0)) {
            best = d;
            newest = when;
        }
    }
    if (!best)
        review(o, "no %s dated within the last %ld months", what, months);
    else if (!in_window(newest, lo, c->as_of))
        review(o, "no %s dated within the last %ld months: the newest, %s, is "
                  "dated %s",
               what, months, best->name, fmt_date(newest, buf));
}

/* ---- 1 legal -------------------------------------------------------------- */

static st rule_legal_entity(outcome *o)
{
    const ctx *c = o->c;
    size_t found = 0, current = 0;
    char buf[EV_DATE_STRLEN];

    FOR_KIND(c, d, "business-license") {
        ev_date end;
        const char *code = fstr(d, "credit_code"), *org = fstr(d, "org_name");
        ev_credit_status cs;

        if (!counts_yet(o, d))
            continue;
        found++;
        if (fdate(d, "end_on", &end) && ev_date_cmp(end, c->as_of) < 0) {
            reason(o, "%s expired on %s", d->name, fmt_date(end, buf));
            continue;
        }
        current++;
        cite(o, d, "business licence%s%s", org ? " of " : "", org ? org : "");
        if (!code)
            reason(o, "%s states no unified social credit code", d->name);
        else if ((cs = ev_credit_code_check(code, strlen(code), NULL)) != EV_CREDIT_OK)
            reason(o, "%s: the unified social credit code %s is not valid (%s)",
                   d->name, code, ev_credit_status_name(cs));
        if (org && c->norgs && org_is(c, org) != ORG_YES)
            reason(o, "%s is issued to %s, which is not among the configured "
                      "organisation names",
                   d->name, org);
    }
    if (!found) {
        reason(o, "no business licence found");
        return ST_MISSING;
    }
    review(o, "history and ownership");
    return current ? ST_MET : ST_EXPIRED;
}

static st rule_legal_compliance(outcome *o)
{
    const ctx *c = o->c;
    long months = cat_requirement_param(o->req, "report-age-months", 6);
    const rec *newest = NULL;
    ev_date newest_on = {0, 0, 0};
    char buf[EV_DATE_STRLEN];

    FOR_KIND(c, d, "credit-report") {
        ev_date on;
        if (!counts_yet(o, d))
            continue;
        cite(o, d, "credit report or declaration");
        if (!fdate(d, "issued_on", &on))
            reason(o, "%s states no issue date", d->name);
        else if (!newest || ev_date_cmp(on, newest_on) > 0) {
            newest = d;
            newest_on = on;
        }
    }
    if (json_array_size(o->evidence) == 0) {
        reason(o, "no credit report or declaration of no violations found");
        return ST_MISSING;
    }
    review(o, "credit standing");
    if (newest &&
        ev_date_cmp(newest_on, ev_date_add_months(c->as_of, -(int)months)) < 0)
        review(o, "the newest credit report (%s) was issued on %s, more than %ld "
                  "months before the as-of date: obtain a recent extract",
               newest->path, fmt_date(newest_on, buf), months);
    return ST_MET;
}

/* ---- 2 finance ------------------------------------------------------------ */

static st rule_finance(outcome *o)
{
    const ctx *c = o->c;
    procset ps = current_procedures(o, "finance");
    bool audit = false;
    st s;

    cite_procedures(o, &ps);
    FOR_KIND(c, d, "audit-report") {
        if (!counts_yet(o, d))
            continue;
        audit = true;
        cite(o, d, "support: audit report");
    }
    if (ps.ncur)
        s = ST_MET;
    else if (ps.nold)
        s = ST_EXPIRED;
    else
        s = audit ? ST_PARTIAL : ST_MISSING;
    if (!ps.ncur)
        reason(o, "no current finance procedure (财务管理制度)%s",
               audit ? ": an audit report alone is support, not the procedure" : "");
    if (s != ST_MISSING)
        review(o, "normal operation");
    procset_free(&ps);
    return s;
}

/* ---- 3 site --------------------------------------------------------------- */

static st rule_site(outcome *o)
{
    const ctx *c = o->c;
    long renew = cat_requirement_param(o->req, "renewal-days", 90);
    long min_term = cat_requirement_param(o->req, "min-term-months", 12);
    bool current = false, future = false, ended = false, owned = false;
    char b1[EV_DATE_STRLEN], b2[EV_DATE_STRLEN];

    FOR_KIND(c, d, "lease-contract") {
        ev_date start, end;
        bool has_start = fdate(d, "start_on", &start), has_end = fdate(d, "end_on", &end);

        if (!counts_yet(o, d) || !org_is_party_b(o, d, "tenant"))
            continue;
        /* A lease runs through its last day, as certificates and licences do. */
        if (has_end && ev_date_cmp(end, c->as_of) < 0) {
            ended = true;
            continue;
        }
        if (has_start && ev_date_cmp(start, c->as_of) > 0) {
            future = true;
            cite(o, d, "lease starting %s", fmt_date(start, b1));
            reason(o, "%s starts only on %s", d->name, b1);
            continue;
        }
        current = true;
        cite(o, d, "current lease%s%s", has_end ? " until " : " without an end date",
             has_end ? fmt_date(end, b1) : "");
        /* A renewal still being negotiated is typed up before it is signed:
         * its signature lines are blank, and no date gives it a signing. */
        if (!fstr(d, "signed_on"))
            review(o, "%s has no signing date: confirm it is signed, not a draft", d->name);
        if (has_end) {
            long left = ev_date_diff_days(c->as_of, end);
            bool renewed = false;
            /* A following lease that starts by the next day covers the end. */
            FOR_KIND(c, n, "lease-contract") {
                ev_date ns, ne, made;
                if (n != d && fdate(n, "start_on", &ns) &&
                    (!record_date(n, &made) || ev_date_cmp(made, c->as_of) <= 0) &&
                    ev_date_cmp(ns, ev_date_add_days(end, 1)) <= 0 &&
                    (!fdate(n, "end_on", &ne) || ev_date_cmp(ne, end) > 0) &&
                    org_is(c, fstr(n, "party_b")) != ORG_NO)
                    renewed = true;
            }
            if (left == 0 && !renewed)
                review(o, "renewal: %s ends on %s, the as-of date: this is its last day",
                       d->name, b1);
            else if (left <= renew && !renewed)
                review(o, "renewal: %s ends on %s, %ld day%s after the as-of date",
                       d->name, b1, left, left == 1 ? "" : "s");
            if (has_start && ev_date_cmp(ev_date_add_days(end, 1),
                                         ev_date_add_months(start, (int)min_term)) < 0)
                review(o, "long-term: %s runs from %s to %s, under %ld months",
                       d->name, fmt_date(start, b2), b1, min_term);
        }
    }
    FOR_KIND(c, d, "certificate") {
        const char *holder;
        if (!has_subtype(c, d, "property") || !counts_yet(o, d))
            continue;
        holder = fstr(d, "holder") ? fstr(d, "holder") : fstr(d, "org_name");
        switch (org_is(c, holder)) {
        case ORG_YES:
            break;
        case ORG_ASSUMED:
            reason(o, "no organisation names are configured: %s is taken to name "
                      "the organisation",
                   d->name);
            break;
        case ORG_UNKNOWN:
            review(o, "%s names no holder: confirm it names the organisation", d->name);
            break;
        case ORG_NO:
            reason(o, "%s does not count: it names %s, not the organisation",
                   d->name, holder);
            continue;
        }
        owned = true;
        cite(o, d, "property certificate of the premises");
    }
    if (current || owned)
        return ST_MET;
    if (future)
        return ST_PARTIAL;
    if (ended) {
        /* Old leases are history once a current one exists; named only now. */
        FOR_KIND(c, d, "lease-contract") {
            ev_date end;
            if (fdate(d, "end_on", &end) && ev_date_cmp(end, c->as_of) < 0 &&
                org_is(c, fstr(d, "party_b")) != ORG_NO)
                reason(o, "%s ended on %s", d->name, fmt_date(end, b1));
        }
        reason(o, "no current lease: every lease has ended");
        return ST_EXPIRED;
    }
    reason(o, "no lease contract or property certificate for the office found");
    return ST_MISSING;
}

/* ---- 4 staff -------------------------------------------------------------- */

/* The roles a resume's person_role names (computed once per record). */
static unsigned resume_roles(const ctx *c, const rec *d)
{
    const char *role = fstr(d, "person_role");
    unsigned roles = 0;

    if (role_has(c, role, "staff.head", "head-role", true))
        roles |= ROLE_HEAD;
    if (role_has(c, role, "staff.technical-director", "director-role", false))
        roles |= ROLE_DIRECTOR;
    if (role_has(c, role, "staff.engineers", "leader-role", false))
        roles |= ROLE_LEADER;
    if (role_has(c, role, "staff.engineers", "engineer-role", false))
        roles |= ROLE_ENGINEER;
    return roles;
}

static bool same_person(const rec *a, const rec *b)
{
    return a->who_key && b->who_key && strcmp(a->who_key, b->who_key) == 0;
}

/* The business licences' legal representative names the head too. */
static bool is_head(const ctx *c, const rec *d)
{
    if (d->roles & ROLE_HEAD)
        return true;
    FOR_KIND(c, l, "business-license")
        if (same_person(d, l))
            return true;
    return false;
}

/* One dated interval of experience, clipped to as-of. */
typedef struct span {
    ev_date from, to;
} span;

static int span_cmp(const void *a, const void *b)
{
    return ev_date_cmp(((const span *)a)->from, ((const span *)b)->from);
}

/* Whole months from a to the day after b: a + n months <= b + 1 day. */
static long whole_months(ev_date a, ev_date b)
{
    ev_date stop = ev_date_add_days(b, 1);
    long n = (stop.y - a.y) * 12L + (stop.m - a.m);

    while (n > 0 && ev_date_cmp(ev_date_add_months(a, (int)n), stop) > 0)
        n--;
    return n < 0 ? 0 : n;
}

/*
 * Months of management roles in a resume's experience as of as-of, with
 * overlapping entries counted once. *dated is false when no management entry
 * carries a usable start date.
 */
static long management_months(const ctx *c, const rec *d, bool *dated)
{
    span *spans = ev_calloc(d->e->njobs + 1, sizeof *spans);
    size_t n = 0, i;
    long months = 0;

    for (i = 0; i < d->e->njobs; i++) {
        const char *from = d->e->jobs[i].from, *to = d->e->jobs[i].to;
        const char *role = d->e->jobs[i].role;
        span s;

        if (!check_matches(c, "staff.head", "management-role", role) || !from ||
            ev_date_parse(from, &s.from, NULL) != EV_OK)
            continue;
        if (!to || ev_date_parse(to, &s.to, NULL) != EV_OK ||
            ev_date_cmp(s.to, c->as_of) > 0)
            s.to = c->as_of;
        if (ev_date_cmp(s.from, s.to) > 0)
            continue;
        spans[n++] = s;
    }
    *dated = n > 0;
    qsort(spans, n, sizeof *spans, span_cmp);
    for (i = 0; i < n;) {
        span run = spans[i++];
        while (i < n && ev_date_cmp(spans[i].from, ev_date_add_days(run.to, 1)) <= 0) {
            if (ev_date_cmp(spans[i].to, run.to) > 0)
                run.to = spans[i].to;
            i++;
        }
        months += whole_months(run.from, run.to);
    }
    free(spans);
    return months;
}

static st rule_staff_head(outcome *o)
{
    const ctx *c = o->c;
    long need = cat_requirement_param(o->req, "management-months", 24);
    size_t resumes = 0, heads = 0;

    FOR_KIND(c, d, "resume") {
        const char *name = fstr(d, "person_name");
        bool dated;
        long months;

        resumes++;
        if (!is_head(c, d))
            continue;
        heads++;
        cite(o, d, "resume of the head of the organisation%s%s", name ? ", " : "",
             name ? name : "");
        months = management_months(c, d, &dated);
        if (!dated)
            review(o, "%s lists no dated management role: the %ld months of IT "
                      "management experience cannot be counted",
                   d->name, need);
        else if (months < need)
            review(o, "%s shows %ld months of management roles as of %s, under %ld",
                   d->name, months, c->as_of_s, need);
    }
    if (!heads) {
        if (resumes)
            reason(o, "none of the %zu resumes is of the head of the organisation "
                      "(no head role such as 总经理 or 法定代表人, and no name equal to "
                      "the business licence's legal representative)",
                   resumes);
        else
            reason(o, "no resume of the head of the organisation found");
        return ST_MISSING;
    }
    review(o, "IT management experience of the head");
    return ST_MET;
}

/* Personnel certificate state as of as-of. */
static bool cert_current(const ctx *c, const rec *d)
{
    ev_date until;
    return !fdate(d, "valid_until", &until) || ev_date_cmp(until, c->as_of) >= 0;
}

/* Name the expired personnel certificates (when no current one is left). */
static void expired_certs(outcome *o)
{
    const ctx *c = o->c;
    char buf[EV_DATE_STRLEN];

    FOR_KIND(c, d, "certificate") {
        ev_date until;
        if (has_subtype(c, d, "personnel") && fdate(d, "valid_until", &until) &&
            ev_date_cmp(until, c->as_of) < 0)
            note_all(o, false, "%s expired on %s", d->name, fmt_date(until, buf));
    }
    note_all(o, false, "every personnel certificate has expired");
}

/* Reasons about a certificate's category for the category being evaluated. */
static void cert_category(outcome *o, const rec *d)
{
    const char *cat = fstr(d, "service_category");

    if (!names_category(d))
        review(o, "%s names no service category", d->name);
    else if (!in_category(d, o->cat))
        review(o, "%s is for %s, not %s", d->name, cat ? cat : "another category",
               o->cat);
}

/* "no resume identifies a project leader (项目负责人 / 项目经理 / project manager)" */
static void role_missing(outcome *o, bool is_review, const char *check_id,
                         const char *who)
{
    const cat_check *chk = cat_requirement_check(o->req, check_id);
    ev_buf words = {0};

    if (chk)
        check_words(chk, &words);
    note_all(o, is_review, "no resume identifies %s%s%s%s", who, words.len ? " (" : "",
             words.len ? words.data : "", words.len ? ")" : "");
    ev_buf_free(&words);
}

/*
 * 4.2: a director's resume and a current personnel certificate. The
 * certificates that speak for the director are the ones the person on the
 * resume holds; when there are none, every current one is listed instead.
 */
static st rule_staff_director(outcome *o)
{
    const ctx *c = o->c;
    bool valid = false, old = false, held = false, named = false;
    const rec **dirs = ev_calloc(c->ndocs + 1, sizeof *dirs);
    const rec **certs = ev_calloc(c->ndocs + 1, sizeof *certs);
    size_t ndirs = 0, ncerts = 0;

    FOR_KIND(c, d, "resume") {
        if (!(d->roles & ROLE_DIRECTOR))
            continue;
        dirs[ndirs++] = d;
        cite(o, d, "resume of the technical director");
    }
    FOR_KIND(c, d, "certificate") {
        bool theirs = false;

        if (!has_subtype(c, d, "personnel") || !counts_yet(o, d))
            continue;
        if (!cert_current(c, d)) {
            old = true;
            continue;
        }
        for (size_t i = 0; i < ndirs && !theirs; i++)
            theirs = same_person(dirs[i], d);
        if (theirs && !held)
            ncerts = 0; /* the director's own certificates replace the others */
        if (theirs || !held)
            certs[ncerts++] = d;
        held = held || theirs;
        valid = true;
    }
    for (size_t i = 0; i < ncerts; i++) {
        cite(o, certs[i], "%s", held ? "certificate of the technical director"
                                     : "personnel certificate");
        named = named || in_category(certs[i], o->cat);
    }
    if (!named)
        for (size_t i = 0; i < ncerts; i++)
            cert_category(o, certs[i]);
    if (valid && !held && ndirs)
        note_all(o, true, "no current certificate is held by the person on the "
                          "technical director's resume");
    if (!ndirs)
        role_missing(o, false, "director-role", "the technical director");
    if (!valid && old)
        expired_certs(o);
    else if (!valid)
        reason(o, "no current personnel certificate found");
    if (ndirs || valid || old)
        note_all(o, true, "evaluation passed");
    free(dirs);
    free(certs);
    if (ndirs && valid)
        return ST_MET;
    if (old && !valid)
        return ST_EXPIRED;
    if (ndirs || valid)
        return ST_PARTIAL;
    return ST_MISSING;
}

static st rule_staff_engineers(outcome *o)
{
    const ctx *c = o->c;
    bool valid = false, old = false, named = false, leader = false, engineer = false;

    FOR_KIND(c, d, "certificate") {
        if (!has_subtype(c, d, "personnel") || !counts_yet(o, d))
            continue;
        if (!cert_current(c, d)) {
            old = true;
            continue;
        }
        valid = true;
        cite(o, d, "current personnel certificate%s%s",
             fstr(d, "holder") ? " of " : "", fstr(d, "holder") ? fstr(d, "holder") : "");
        if (in_category(d, o->cat))
            named = true;
    }
    FOR_KIND(c, d, "resume") {
        bool l = d->roles & ROLE_LEADER, e = d->roles & ROLE_ENGINEER;
        leader = leader || l;
        engineer = engineer || e;
        if (l || e)
            cite(o, d, "support: resume of a project %s", l ? "leader" : "engineer");
    }
    if (!valid && !old) {
        reason(o, "no personnel certificate found");
        return ST_MISSING;
    }
    if (!valid) {
        expired_certs(o);
        return ST_EXPIRED;
    }
    note_all(o, true, "examination passed");
    if (!named)
        review(o, "no current certificate names the category %s", o->cat);
    if (!leader)
        role_missing(o, true, "leader-role", "a project leader");
    if (!engineer)
        role_missing(o, true, "engineer-role", "an engineer");
    return ST_MET;
}

/* ---- 5 track record ------------------------------------------------------- */

/*
 * The date a service contract counts from: signed_on, or start_on when
 * signed_on is absent (with a reason). False when it has neither.
 */
static bool contract_date(outcome *o, const rec *d, ev_date *out_d)
{
    char buf[EV_DATE_STRLEN];

    if (fdate(d, "signed_on", out_d))
        return true;
    if (fdate(d, "start_on", out_d)) {
        reason(o, "%s states no signing date: its start date %s is used", d->name,
               fmt_date(*out_d, buf));
        return true;
    }
    reason(o, "%s states no signing or start date: it cannot count", d->name);
    return false;
}

/*
 * Is d a service contract of the category, with the organisation as
 * provider, dated on or before as-of? *when receives its date.
 */
static bool provider_contract(outcome *o, const rec *d, ev_date *when)
{
    char buf[EV_DATE_STRLEN];

    if (!is_kind(d, "service-contract") || !in_category(d, o->cat) ||
        !org_is_party_b(o, d, "provider") || !contract_date(o, d, when))
        return false;
    if (ev_date_cmp(*when, o->c->as_of) > 0) {
        reason(o, "%s is dated %s, after the as-of date %s: it does not count yet",
               d->name, fmt_date(*when, buf), o->c->as_of_s);
        return false;
    }
    return true;
}

static st rule_duration(outcome *o)
{
    const ctx *c = o->c;
    long months = cat_requirement_param(o->req, "months", 4);
    const rec *first = NULL;
    ev_date d0 = {0, 0, 0}, ready;
    char b1[EV_DATE_STRLEN], b2[EV_DATE_STRLEN];

    FOR_KIND(c, d, "service-contract") {
        ev_date when;
        if (provider_contract(o, d, &when) && (!first || ev_date_cmp(when, d0) < 0)) {
            first = d;
            d0 = when;
        }
    }
    if (!first) {
        reason(o, "no service contract in %s with the organisation as provider",
               o->cat);
        return ST_MISSING;
    }
    ready = ev_date_add_months(d0, (int)months);
    fmt_date(d0, b1);
    fmt_date(ready, b2);
    cite(o, first, "earliest service contract in %s, from %s", o->cat, b1);
    if (ev_date_cmp(ready, c->as_of) <= 0) {
        reason(o, "in service since %s by %s: %ld months reached on %s", b1,
               first->name, months, b2);
        return ST_MET;
    }
    reason(o, "the earliest service contract, %s, is from %s: %ld months of service "
              "are reached on %s",
           first->name, b1, months, b2);
    return ST_PARTIAL;
}

/* Is acceptance report a linked to contract k by contract number? */
static bool linked(const rec *a, const rec *k)
{
    return a->ref_key && k->num_key && strcmp(a->ref_key, k->num_key) == 0;
}

/* Reasons about the content of an acceptance that is used. */
static void acceptance_notes(outcome *o, const rec *a, const rec *k)
{
    const char *res = fstr(a, "acceptance_result");

    if (res && strcmp(res, "pass") != 0)
        reason(o, "%s for %s records the result \"%s\", not a pass", a->name, k->name,
               res);
    if (doc_has_check(a, "record.projects", "preliminary") ||
        check_matches(o->c, "record.projects", "preliminary", a->e->title))
        reason(o, "%s is a preliminary acceptance (初验) only: a final acceptance "
                  "is expected",
               a->name);
}

/* Acceptance reports with no contract number that look like k's: listed only. */
static void probable_matches(outcome *o, const rec *k)
{
    const ctx *c = o->c;

    FOR_KIND(c, a, "acceptance-report") {
        if (fstr(a, "contract_ref") ||
            !same_name(fstr(a, "project_name"), fstr(k, "project_name")) ||
            !same_name(fstr(a, "party_a"), fstr(k, "party_a")))
            continue;
        review(o, "acceptance not linked by contract number: %s has the project "
                  "name and client of %s",
               a->name, k->name);
    }
}

/* Acceptance reports whose contract number matches no service contract. */
static void unmatched_refs(outcome *o)
{
    const ctx *c = o->c;
    const char *cat = o->cat;

    o->cat = NULL; /* a finding about the folder, whatever the category */
    FOR_KIND(c, a, "acceptance-report") {
        bool found = false;
        if (!a->ref_key)
            continue;
        FOR_KIND(c, k, "service-contract")
            found = found || linked(a, k);
        if (!found)
            reason(o, "%s refers to contract %s, which is not among the service "
                      "contracts: check the number",
                   a->name, fstr(a, "contract_ref"));
    }
    o->cat = cat;
}

static st rule_projects(outcome *o)
{
    const ctx *c = o->c;
    long months = cat_requirement_param(o->req, "window-months", 12);
    long need = cat_requirement_param(o->req, "min-projects", 1);
    ev_date lo = ev_date_add_months(c->as_of, -(int)months);
    bool any = false, open = false, old_pair = false;
    long pairs = 0;
    json_t *history = json_array(); /* old projects: named only when nothing is newer */
    /* Signed before the window, accepted in it: [contract, acceptance, ...]. */
    const rec **straddle = ev_calloc(2 * c->ndocs + 2, sizeof *straddle);
    size_t nstraddle = 0;
    char b1[EV_DATE_STRLEN], b2[EV_DATE_STRLEN], blo[EV_DATE_STRLEN], window[32];
    st s;

    fmt_date(lo, blo);
    if (months == 12)
        snprintf(window, sizeof window, "year");
    else
        snprintf(window, sizeof window, "%ld months", months);
    unmatched_refs(o);
    FOR_KIND(c, k, "service-contract") {
        ev_date signed_on;
        const rec *got = NULL, *late = NULL;
        ev_date got_on = {0, 0, 0}, late_on = {0, 0, 0};
        bool k_in;

        if (!provider_contract(o, k, &signed_on))
            continue;
        any = true;
        k_in = in_window(signed_on, lo, c->as_of);
        fmt_date(signed_on, b1);
        FOR_KIND(c, a, "acceptance-report") {
            ev_date done;
            if (!linked(a, k))
                continue;
            if (!fdate(a, "completed_on", &done)) {
                reason(o, "%s for %s states no acceptance date", a->name, k->name);
                continue;
            }
            if (ev_date_cmp(done, c->as_of) > 0) {
                late = a;
                late_on = done;
            } else if (!got || ev_date_cmp(done, got_on) > 0) {
                got = a;
                got_on = done;
            }
        }
        if (k_in && got && in_window(got_on, lo, c->as_of)) {
            pairs++;
            cite(o, k, "service contract in %s signed %s", o->cat, b1);
            cite(o, got, "acceptance of %s on %s",
                 fstr(k, "doc_number") ? fstr(k, "doc_number") : k->path,
                 fmt_date(got_on, b2));
            reason(o, "%s signed %s was accepted on %s by %s", k->name, b1, b2, got->name);
            acceptance_notes(o, got, k);
            continue;
        }
        if (k_in) {
            open = true;
            cite(o, k, "service contract in %s signed %s, not yet accepted", o->cat, b1);
            if (late)
                reason(o, "%s signed %s has no acceptance report yet: %s is dated "
                          "%s, after the as-of date",
                       k->name, b1, late->name, fmt_date(late_on, b2));
            else
                reason(o, "%s signed %s has no acceptance report yet", k->name, b1);
            probable_matches(o, k);
            continue;
        }
        if (got && in_window(got_on, lo, c->as_of)) {
            straddle[nstraddle++] = k;
            straddle[nstraddle++] = got;
            continue;
        }
        old_pair = old_pair || got;
        json_array_append_new(
            history,
            got ? json_sprintf("%s signed %s and accepted %s by %s falls outside the last "
                               "%ld months (after %s)",
                               k->name, b1, fmt_date(got_on, b2), got->name, months, blo)
                : json_sprintf("%s signed %s is older than the last %ld months and has "
                               "no acceptance report",
                               k->name, b1, months));
    }
    /* Not "signed and completed within the last year" (requirements.md 7a),
     * but the nearest thing to it: named, and partial when it is the best. */
    for (size_t i = 0; pairs < need && i < nstraddle; i += 2) {
        const rec *k = straddle[i], *a = straddle[i + 1];
        ev_date signed_on, done;
        contract_date(o, k, &signed_on);
        fdate(a, "completed_on", &done);
        cite(o, k, "service contract in %s signed %s, before the last %s", o->cat,
             fmt_date(signed_on, b1), window);
        cite(o, a, "acceptance of %s on %s",
             fstr(k, "doc_number") ? fstr(k, "doc_number") : k->path, fmt_date(done, b2));
        reason(o, "%s was completed on %s within the last %s, but signed on %s before it "
                  "(the window starts after %s)",
               k->name, b2, window, b1, blo);
    }
    if (pairs >= need) {
        s = ST_MET;
    } else if (pairs) {
        reason(o, "%ld project(s) in %s signed and accepted after %s; %ld are required",
               pairs, o->cat, blo, need);
        s = ST_PARTIAL;
    } else if (open || nstraddle) {
        s = ST_PARTIAL;
    } else if (any) {
        size_t i;
        json_t *v;
        json_array_foreach(history, i, v)
            reason(o, "%s", json_string_value(v));
        reason(o, "no project in %s signed and accepted after %s: %s", o->cat, blo,
               old_pair ? "the signed-and-accepted projects are older"
                        : "the contracts are older and were never accepted");
        s = ST_EXPIRED;
    } else {
        reason(o, "no service contract in %s with the organisation as provider", o->cat);
        s = ST_MISSING;
    }
    json_decref(history);
    free(straddle);
    return s;
}

/* ---- 6 management --------------------------------------------------------- */

static st rule_mgmt_personnel(outcome *o)
{
    procset ps = current_procedures(o, "personnel");
    st s = ps.ncur ? ST_MET : ps.nold ? ST_EXPIRED : ST_MISSING;

    cite_procedures(o, &ps);
    for (size_t i = 0; i < ps.ncur; i++)
        content_checks(o, ps.cur[i]);
    if (s == ST_EXPIRED)
        reason(o, "no current personnel procedure: only superseded or withdrawn ones");
    else if (s == ST_MISSING)
        reason(o, "no personnel procedure found");
    cite_support(o, "training-record", "assessment", "evaluation record");
    if (s != ST_MISSING)
        age_review(o, "training-record", "assessment",
                   cat_requirement_param(o->req, "record-age-months", 12),
                   "evaluation record (training record of type assessment)");
    procset_free(&ps);
    return s;
}

static st rule_mgmt_training(outcome *o)
{
    const ctx *c = o->c;
    long months = cat_requirement_param(o->req, "record-age-months", 12);
    procset ps = current_procedures(o, "training");
    bool plan = ps.ncur > 0, record = false, covers = false;
    st s;

    cite_procedures(o, &ps);
    FOR_KIND(c, d, "training-plan") {
        ev_date ps_on, pe_on;
        if (!counts_yet(o, d) || !in_force(o, d))
            continue;
        plan = true;
        cite(o, d, "training plan");
        if (fdate(d, "period_start", &ps_on) && fdate(d, "period_end", &pe_on) &&
            ev_date_cmp(ps_on, c->as_of) <= 0 && ev_date_cmp(c->as_of, pe_on) <= 0)
            covers = true;
    }
    FOR_KIND(c, d, "training-record") {
        ev_date held;
        if (!fdate(d, "held_on", &held)) {
            reason(o, "%s states no training date: it does not count", d->name);
            continue;
        }
        if (!counts_yet(o, d))
            continue;
        record = true;
        cite(o, d, "training record of %s", fstr(d, "held_on"));
    }
    if (!plan)
        reason(o, "no training plan or current training procedure found");
    if (!record)
        reason(o, "no training record dated on or before %s found", c->as_of_s);
    if (plan && !covers)
        review(o, "plan for the current period: no training plan's period covers %s",
               c->as_of_s);
    if (record)
        age_review(o, "training-record", NULL, months, "training record");
    s = two_sides(plan, record, ps.nold > 0);
    procset_free(&ps);
    return s;
}

static st rule_mgmt_documents(outcome *o)
{
    procset ps = current_procedures(o, "documents");
    st s = ps.ncur ? ST_MET : ps.nold ? ST_EXPIRED : ST_MISSING;

    cite_procedures(o, &ps);
    for (size_t i = 0; i < ps.ncur; i++)
        content_checks(o, ps.cur[i]);
    if (s == ST_EXPIRED)
        reason(o, "no current documents procedure: only superseded or withdrawn ones");
    else if (s == ST_MISSING)
        reason(o, "no documents procedure found");
    procset_free(&ps);
    return s;
}

static st rule_mgmt_projects(outcome *o)
{
    const ctx *c = o->c;
    procset ps = current_procedures(o, "projects");
    bool risk = false;
    size_t nold = ps.nold;

    cite_procedures(o, &ps);
    FOR_KIND(c, d, "risk-record") {
        if (!counts_yet(o, d))
            continue;
        risk = true;
        cite(o, d, "project risk record");
    }
    if (!ps.ncur)
        reason(o, "no current project management procedure%s",
               nold ? ": only superseded or withdrawn ones" : "");
    if (!risk)
        reason(o, "no project risk management record found");
    else
        age_review(o, "risk-record", NULL,
                   cat_requirement_param(o->req, "record-age-months", 12),
                   "project risk record");
    {
        bool cur = ps.ncur > 0;
        procset_free(&ps);
        return two_sides(cur, risk, nold > 0);
    }
}

/* The name a record shows for its person. */
static const char *person_of(const rec *d)
{
    return is_kind(d, "resume") ? fstr(d, "person_name") : fstr(d, "holder");
}

static int person_cmp(const void *a, const void *b)
{
    const rec *x = *(const rec *const *)a, *y = *(const rec *const *)b;
    int r = strcmp(person_of(x), person_of(y));
    return r ? r : strcmp(x->who_key, y->who_key);
}

/*
 * A review reason naming the people on resumes and personnel certificates
 * that no counted agreement binds (bound[0..nbound)), each once, sorted.
 */
static void unbound_people(outcome *o, const rec *const *bound, size_t nbound)
{
    const ctx *c = o->c;
    const rec **people = ev_calloc(c->ndocs + 1, sizeof *people);
    size_t n = 0;
    ev_buf list = {0};

    for (const rec *d = c->docs; d < c->docs + c->ndocs; d++) {
        bool seen = false;
        if (!d->who_key || !(is_kind(d, "resume") ||
                             (is_kind(d, "certificate") && has_subtype(c, d, "personnel"))))
            continue;
        for (size_t i = 0; i < nbound && !seen; i++)
            seen = same_person(bound[i], d);
        for (size_t i = 0; i < n && !seen; i++)
            seen = same_person(people[i], d);
        if (!seen)
            people[n++] = d;
    }
    qsort(people, n, sizeof *people, person_cmp);
    for (size_t i = 0; i < n; i++)
        ev_buf_printf(&list, "%s%s", i ? ", " : "", person_of(people[i]));
    if (n)
        review(o, "no confidentiality agreement found for: %s", list.data);
    ev_buf_free(&list);
    free(people);
}

/*
 * Is d a register of confidentiality agreements (保密协议签订登记表, 台账,
 * "register of signed NDAs"): a title with a word of the catalog's
 * `register` cueset and a strong cue of the agreement kind? Such a list is
 * not an agreement, whatever kind the classifier gave it (7a).
 */
static const char *const register_kinds[] = {"confidentiality-agreement", "other"};

static bool agreement_register(const ctx *c, const rec *d)
{
    const cat_cueset *set = catalog_cueset(c->cat, "register");
    const cat_kind *k = catalog_kind(c->cat, "confidentiality-agreement");

    return set && k && d->e->title && check_cue_text(c, &set->cues, d->e->title) &&
           check_cue_text(c, &k->strong, d->e->title);
}

static st rule_mgmt_confidentiality(outcome *o)
{
    const ctx *c = o->c;
    long months = cat_requirement_param(o->req, "record-age-months", 12);
    procset ps = current_procedures(o, "confidentiality");
    const rec **bound = ev_calloc(c->ndocs + 1, sizeof *bound);
    size_t nbound = 0, nold = ps.nold;
    bool cur = ps.ncur > 0;
    char buf[EV_DATE_STRLEN];

    cite_procedures(o, &ps);
    procset_free(&ps);
    FOR_KIND(c, d, "confidentiality-agreement") {
        const char *who = fstr(d, "employee");
        ev_date when;
        bool staff = d->e->subtype ? strcmp(d->e->subtype, "employee") == 0 : !!who;

        if (!counts_yet(o, d))
            continue;
        if (agreement_register(c, d)) {
            reason(o, "%s is a register of agreements, not an agreement: it does not "
                      "count as a signed one",
                   d->name);
            continue;
        }
        if (!staff) {
            reason(o, "%s is an agreement between organisations: it does not count "
                      "as a staff agreement",
                   d->name);
            continue;
        }
        if (!fdate(d, "signed_on", &when) || is_blank_name(who)) {
            reason(o, "%s is not signed (no signing date or no employee named): it "
                      "does not count",
                   d->name);
            continue;
        }
        bound[nbound++] = d;
        cite(o, d, "staff confidentiality agreement of %s", who);
        if (fdate(d, "end_on", &when) && ev_date_cmp(when, c->as_of) < 0)
            review(o, "%s with %s ended on %s", d->name, who, fmt_date(when, buf));
    }
    cite_support(o, "training-record", "confidentiality-education",
                 "confidentiality education record");
    for (size_t i = 0; i < EV_ARRAY_LEN(register_kinds); i++)
        FOR_KIND(c, d, register_kinds[i])
            if (agreement_register(c, d) && counts_yet(o, d))
                cite(o, d, "support: register of confidentiality agreements");
    unbound_people(o, bound, nbound);
    if (!cur)
        reason(o, "no current confidentiality procedure%s",
               nold ? ": only superseded or withdrawn ones" : "");
    if (!nbound)
        reason(o, "no signed staff confidentiality agreement found");
    age_review(o, "training-record", "confidentiality-education", months,
               "confidentiality education record");
    free(bound);
    return two_sides(cur, nbound > 0, nold > 0);
}

static st rule_mgmt_suppliers(outcome *o)
{
    const ctx *c = o->c;
    ev_buf cats = {0};
    size_t applies = 0;

    for (size_t i = 0; i < c->ncats; i++) {
        const cat_category *k = catalog_category(c->cat, c->cats[i]);
        if (k && k->suppliers) {
            if (applies++)
                ev_buf_puts(&cats, ", ");
            ev_buf_puts(&cats, k->id);
        }
    }
    if (!applies) {
        reason(o, "none of the declared categories requires supplier management at "
                  "this level");
        ev_buf_free(&cats);
        return ST_NA;
    }
    reason(o, "applies because %s %s declared", cats.data, applies > 1 ? "are" : "is");
    ev_buf_free(&cats);
    return procedure_only(o, "suppliers");
}

static st rule_mgmt_contracts(outcome *o)
{
    const ctx *c = o->c;
    procset ps = current_procedures(o, "contracts");
    bool cur = ps.ncur > 0, tmpl = false;
    size_t nold = ps.nold;

    cite_procedures(o, &ps);
    procset_free(&ps);
    FOR_KIND(c, d, "contract-template") {
        if (!counts_yet(o, d))
            continue;
        tmpl = true;
        cite(o, d, "unified contract template");
        content_checks(o, d);
    }
    if (!cur)
        reason(o, "no current contract management procedure%s",
               nold ? ": only superseded or withdrawn ones" : "");
    if (!tmpl)
        reason(o, "no contract template found");
    if (cur || tmpl)
        review(o, "projects carried out as contracted");
    return two_sides(cur, tmpl, nold > 0);
}

/* ---- 7 technique ------------------------------------------------------------ */

/* Paths a trail reason names before it only counts the rest. */
#define TRAIL_MAX 10

/* The service contract numbered `num_key` in category `cat`, or NULL. An
 * index, not a scan: every acceptance report asks, at every evaluation. */
static const rec *contract_in_category(const ctx *c, const char *num_key, const char *cat)
{
    char *key;
    const rec *found;

    if (!num_key)
        return NULL;
    key = ev_asprintf("%s\x1f%s", num_key, cat);
    found = strmap_get(&c->contract_cats, key);
    free(key);
    return found;
}

/* Index d's categories under "<prefix>\x1f<category>", and d under the
 * prefix alone when it names one. */
static void index_categories(strmap *m, const char *prefix, const rec *d)
{
    for (size_t i = 0; i < d->e->nfields; i++) {
        const evalrec_field *f = &d->e->fields[i];
        char *key;
        if (strcmp(f->name, f->listed ? "service_categories" : "service_category") != 0 ||
            !*f->value)
            continue;
        key = ev_asprintf("%s\x1f%s", prefix, f->value);
        strmap_put(m, key, (void *)d);
        free(key);
        strmap_put(m, prefix, (void *)d);
    }
}

static void index_contract_categories(ctx *c)
{
    static const char *const kinds[] = {"service-contract", "acceptance-report"};

    FOR_KIND(c, k, "service-contract")
        if (k->num_key)
            index_categories(&c->contract_cats, k->num_key, k);
    for (size_t i = 0; i < EV_ARRAY_LEN(kinds); i++)
        FOR_KIND(c, k, kinds[i]) {
            const char *project = fstr(k, "project_name");
            char *key = project ? name_key(project) : NULL;
            if (key && *key)
                index_categories(&c->project_cats, key, k);
            free(key);
        }
}

/*
 * Is risk record d about a project of category `cat`? Its own category
 * says so; else the contracts and acceptance reports of its project do.
 * A record whose project is unknown, or known without a category, may be
 * of any.
 */
static bool risk_in_category(const ctx *c, const rec *d, const char *cat)
{
    const char *project = fstr(d, "project_name");
    char *key, *in_cat;
    bool ours;

    if (names_category(d))
        return in_category(d, cat);
    key = project ? name_key(project) : NULL;
    if (!key || !strmap_get(&c->project_cats, key)) {
        free(key);
        return true;
    }
    in_cat = ev_asprintf("%s\x1f%s", key, cat);
    ours = strmap_get(&c->project_cats, in_cat) != NULL;
    free(in_cat);
    free(key);
    return ours;
}

/* The audit trail of a category: acceptances and risk records of the window. */
static void trail(outcome *o, long months)
{
    const ctx *c = o->c;
    ev_date lo = ev_date_add_months(c->as_of, -(int)months);
    ev_buf b = {0};
    size_t n = 0;

    for (const rec *d = c->docs; d < c->docs + c->ndocs; d++) {
        ev_date when;
        bool ours = false;
        if (is_kind(d, "acceptance-report")) {
            const rec *k = contract_in_category(c, d->ref_key, o->cat);
            /* Our acceptance of a supplier's work (we are party A of its
             * contract) is no trail of our own service. */
            ours = (in_category(d, o->cat) || k) && org_is(c, fstr(d, "party_b")) != ORG_NO &&
                   !(k && org_is(c, fstr(k, "party_b")) == ORG_NO);
        } else if (is_kind(d, "risk-record")) {
            ours = risk_in_category(c, d, o->cat);
        }
        if (!ours || !record_date(d, &when) || !in_window(when, lo, c->as_of))
            continue;
        if (n++ < TRAIL_MAX)
            ev_buf_printf(&b, "%s%s", b.len ? ", " : "", d->path);
    }
    if (n > TRAIL_MAX)
        ev_buf_printf(&b, " and %zu more", n - TRAIL_MAX);
    if (b.len)
        review(o, "whether it is followed: sample %s", b.data);
    else
        review(o, "whether it is followed: no acceptance report or risk record of "
                  "the last %ld months to sample",
               months);
    ev_buf_free(&b);
}

static st rule_tech(outcome *o, const char *kind)
{
    const ctx *c = o->c;
    bool any = false, covered = false;

    FOR_KIND(c, d, kind) {
        if (!counts_yet(o, d) || !in_force(o, d))
            continue;
        any = true;
        if (in_category(d, o->cat) || (!names_category(d) && c->ncats == 1)) {
            covered = true;
            cite(o, d, "%s for %s", kind_name(c, kind), o->cat);
        }
    }
    if (!any) {
        reason(o, "no %s found", kind_name(c, kind));
        return ST_MISSING;
    }
    trail(o, cat_requirement_param(o->req, "record-age-months", 12));
    if (!covered) {
        reason(o, "no %s names %s", kind_name(c, kind), o->cat);
        return ST_PARTIAL;
    }
    return ST_MET;
}

static st rule_tech_process(outcome *o)
{
    return rule_tech(o, "service-process");
}

static st rule_tech_standards(outcome *o)
{
    return rule_tech(o, "service-standard");
}

/* ---- files not read ------------------------------------------------------------ */

/* Files named per missing kind before the rest are only counted. */
#define UNREAD_NAMED 5

/* Is d of the catalog evidence entry's kind, topic and subtype? */
static bool fits_entry(const ctx *c, const rec *d, const cat_evidence *ev)
{
    return is_kind(d, ev->kind->id) &&
           (!ev->topic || (d->e->topic && strcmp(d->e->topic, ev->topic->id) == 0)) &&
           (!ev->subtype || has_subtype(c, d, ev->subtype->id));
}

/* Did the rule cite some record of entry ev, or of an alternative to it? */
static bool entry_cited(const outcome *o, const cat_evidence *ev)
{
    for (size_t j = 0; j < o->req->nevidence; j++) {
        const cat_evidence *alt = &o->req->evidence[j];
        if (alt->support || (alt != ev && !(ev->group && alt->group &&
                                            strcmp(ev->group, alt->group) == 0)))
            continue;
        for (size_t i = 0; i < o->ncited; i++)
            if (fits_entry(o->c, o->cited[i], alt))
                return true;
    }
    return false;
}

/*
 * "no business license read; 营业执照（副本）.jpg is not read: a scan
 * waiting for OCR (or OCR is off)": the files not read whose names match
 * entry ev's kind.
 */
static void name_unread(outcome *o, const cat_evidence *ev)
{
    const ctx *c = o->c;
    const unread_match *m = unread_matching(c->unread, ev->kind, ev->topic, ev->subtype);
    const char *kname = ev->kind->name_en ? ev->kind->name_en : ev->kind->id;
    bool some = false;
    ev_buf b = {0};

    if (!m->n)
        return;
    FOR_KIND(c, d, ev->kind->id)
        some = some || fits_entry(c, d, ev);
    if (ev->topic)
        ev_buf_printf(&b, "no %s %s", ev->topic->id, kname);
    else if (ev->subtype)
        ev_buf_printf(&b, "no %s %s", ev->subtype->id, kname);
    else
        ev_buf_printf(&b, "no %s", kname);
    ev_buf_puts(&b, some ? " that counts" : " read");
    for (size_t i = 0; i < m->n && i < UNREAD_NAMED; i++)
        ev_buf_printf(&b, "; %s is not read: %s", unread_path(c->unread, m->idx[i]),
                      unread_why(c->unread, m->idx[i]));
    if (m->n > UNREAD_NAMED)
        ev_buf_printf(&b, "; %zu more files whose names suggest one are not read",
                      m->n - UNREAD_NAMED);
    /* About files of the folder, whatever the category: said once. */
    note_all(o, false, "%s", b.data);
    ev_buf_free(&b);
}

/*
 * When a requirement (or one category of it) is not met, name the files
 * not read that may be the kinds of evidence it lacks (requirements.md
 * 7a): never evidence by their names alone, but what a person should look
 * at first.
 */
static void unread_notes(outcome *o, st s)
{
    if (s == ST_MET || s == ST_NA || unread_count(o->c->unread) == 0)
        return;
    for (size_t i = 0; i < o->req->nevidence; i++) {
        const cat_evidence *ev = &o->req->evidence[i];
        if (!ev->support && !entry_cited(o, ev))
            name_unread(o, ev);
    }
}

/* ---- driver ---------------------------------------------------------------- */

static const struct {
    const char *id;
    st (*fn)(outcome *o);
} rules[] = {
    {"legal.entity", rule_legal_entity},
    {"legal.compliance", rule_legal_compliance},
    {"finance.management", rule_finance},
    {"site.office", rule_site},
    {"staff.head", rule_staff_head},
    {"staff.technical-director", rule_staff_director},
    {"staff.engineers", rule_staff_engineers},
    {"record.duration", rule_duration},
    {"record.projects", rule_projects},
    {"mgmt.personnel", rule_mgmt_personnel},
    {"mgmt.training", rule_mgmt_training},
    {"mgmt.documents", rule_mgmt_documents},
    {"mgmt.projects", rule_mgmt_projects},
    {"mgmt.confidentiality", rule_mgmt_confidentiality},
    {"mgmt.suppliers", rule_mgmt_suppliers},
    {"mgmt.contracts", rule_mgmt_contracts},
    {"tech.process", rule_tech_process},
    {"tech.standards", rule_tech_standards},
};

static int evidence_cmp(const void *a, const void *b)
{
    const json_t *x = *(const json_t *const *)a, *y = *(const json_t *const *)b;
    return strcmp(json_string_value(json_object_get(x, "path")),
                  json_string_value(json_object_get(y, "path")));
}

/* The evidence array sorted by path (a new array). */
static json_t *sorted_evidence(json_t *arr)
{
    size_t n = json_array_size(arr);
    json_t **items = ev_calloc(n + 1, sizeof *items);
    json_t *sorted = json_array();

    for (size_t i = 0; i < n; i++)
        items[i] = json_array_get(arr, i);
    qsort(items, n, sizeof *items, evidence_cmp);
    for (size_t i = 0; i < n; i++)
        json_array_append(sorted, items[i]);
    free(items);
    return sorted;
}

static json_t *run_requirement(const ctx *c, const cat_requirement *req)
{
    outcome o = {c, req, json_array(), json_array(), json_object(), NULL, NULL, 0, 0};
    st (*fn)(outcome *) = NULL;
    json_t *res, *per = NULL;
    st s;

    for (size_t i = 0; i < EV_ARRAY_LEN(rules); i++)
        if (strcmp(rules[i].id, req->id) == 0)
            fn = rules[i].fn;
    if (!fn) {
        /* A catalog requirement this build has no rule for: say so, never guess. */
        reason(&o, "this version of evidenced has no rule for %s", req->id);
        s = ST_MISSING;
    } else if (req->per_category == CAT_PER_CATEGORY_YES) {
        per = json_object();
        s = ST_MET;
        if (c->ncats == 0) {
            reason(&o, "no service category is declared");
            s = ST_MISSING;
        }
        for (size_t i = 0; i < c->ncats; i++) {
            st one;
            o.cat = c->cats[i];
            o.ncited = 0;
            one = fn(&o);
            unread_notes(&o, one);
            json_object_set_new(per, c->cats[i], json_string(st_names[one]));
            if (one < s)
                s = one;
        }
        o.cat = NULL;
    } else {
        s = fn(&o);
        unread_notes(&o, s);
    }
    res = json_pack("{s:s, s:s, s:{s:s, s:s}, s:s, s:o, s:o}", "id", req->id,
                    "clause", req->clause, "title", "zh", req->title_zh ? req->title_zh : "",
                    "en", req->title_en ? req->title_en : "", "status", st_names[s],
                    "evidence", sorted_evidence(o.evidence), "reasons", o.reasons);
    assert(res);
    if (per)
        json_object_set_new(res, "per_category", per);
    json_decref(o.evidence);
    json_decref(o.seen);
    free(o.cited);
    return res;
}

/* The matching key of a document or contract number; NULL when unset or
 * only a label. */
static char *num_key(const char *num)
{
    char *k;

    if (!num || !*num)
        return NULL;
    k = ev_ident_key(num, strlen(num));
    if (!*k) {
        free(k);
        return NULL;
    }
    return k;
}

/* The name key of the person a record is about; NULL when none or blank. */
static char *person_key(const evalrec *e)
{
    static const struct {
        const char *kind, *field;
    } who[] = {
        {"resume", "person_name"},
        {"certificate", "holder"},
        {"business-license", "legal_representative"},
        {"confidentiality-agreement", "employee"},
    };
    for (size_t i = 0; i < EV_ARRAY_LEN(who); i++) {
        const char *s;
        if (strcmp(e->kind, who[i].kind) != 0)
            continue;
        s = evalrec_str(e, who[i].field);
        return s && !is_blank_name(s) ? name_key(s) : NULL;
    }
    return NULL;
}

/* By kind, then path (then hash): each kind is one run, in path order. */
static int doc_cmp(const void *a, const void *b)
{
    const rec *x = a, *y = b;
    int r = strcmp(x->e->kind, y->e->kind);
    if (!r)
        r = strcmp(x->e->path, y->e->path);
    return r ? r : strcmp(x->e->sha256, y->e->sha256);
}

/* Display name: "<kind> [<number>] (<path>)"; procedures name their topic. */
static char *doc_name(const catalog *cat, const evalrec *e)
{
    const cat_kind *k = catalog_kind(cat, e->kind);
    const char *num = evalrec_str(e, "doc_number");
    ev_buf b = {0};

    if (strcmp(e->kind, "procedure") == 0 && e->topic)
        ev_buf_printf(&b, "%s procedure", e->topic);
    else
        ev_buf_puts(&b, k && k->name_en ? k->name_en : e->kind);
    if (num && *num)
        ev_buf_printf(&b, " %s", num);
    ev_buf_printf(&b, " (%s)", e->path);
    return ev_buf_steal(&b);
}

/* Declared categories in catalog order, each once; unknown ids after, sorted. */
static void order_categories(ctx *c, const eval_params *p)
{
    c->cats = ev_calloc(p->ncategories + 1, sizeof *c->cats);
    for (size_t i = 0; i < catalog_category_count(p->cat); i++) {
        const char *id = catalog_category_at(p->cat, i)->id;
        for (size_t j = 0; j < p->ncategories; j++)
            if (p->categories[j] && strcmp(p->categories[j], id) == 0) {
                c->cats[c->ncats++] = id;
                break;
            }
    }
    for (size_t j = 0; j < p->ncategories; j++) {
        const char *id = p->categories[j];
        size_t at;
        bool seen = false;
        if (!id || catalog_category(p->cat, id))
            continue;
        for (size_t i = 0; i < c->ncats; i++)
            seen = seen || strcmp(c->cats[i], id) == 0;
        if (seen)
            continue;
        for (at = c->ncats; at > 0 && catalog_category(p->cat, c->cats[at - 1]) == NULL &&
                            strcmp(c->cats[at - 1], id) > 0;
             at--)
            c->cats[at] = c->cats[at - 1];
        c->cats[at] = id;
        c->ncats++;
    }
}

struct evaluator {
    eval_params p;
    rec *docs;
    size_t ndocs, cap;
    unread_set *unread;
};

evaluator *evaluator_new(const eval_params *p)
{
    evaluator *ev = ev_calloc(1, sizeof *ev);

    assert(p && p->cat);
    assert(ev_date_valid(p->as_of.y, p->as_of.m, p->as_of.d));
    ev->p = *p;
    ev->unread = unread_new(p->cat);
    return ev;
}

void evaluator_add(evaluator *ev, const evidence *e)
{
    evalrec *r = evalrec_new(e);
    rec *d;

    if (!r) {
        if (e)
            unread_add(ev->unread, e);
        return;
    }
    ev->docs = ev_grow(ev->docs, &ev->cap, ev->ndocs + 1, sizeof *ev->docs);
    d = &ev->docs[ev->ndocs++];
    *d = (rec){
        .e = r,
        .path = r->path,
        .name = doc_name(ev->p.cat, r),
        .num_key = num_key(evalrec_str(r, "doc_number")),
        .ref_key = num_key(evalrec_str(r, "contract_ref")),
        .who_key = person_key(r),
    };
}

json_t *evaluator_finish(evaluator *ev)
{
    const eval_params *p = &ev->p;
    ctx c = {0};
    json_t *result, *reqs, *cats;

    c.cat = p->cat;
    c.as_of = p->as_of;
    ev_date_format(p->as_of, c.as_of_s);
    c.md = pcre2_match_data_create(1, NULL);
    if (!c.md)
        ev_die("out of memory");

    c.docs = ev->docs;
    c.ndocs = ev->ndocs;
    if (c.ndocs)
        qsort(c.docs, c.ndocs, sizeof *c.docs, doc_cmp);
    c.runs = ev_calloc(c.ndocs + 1, sizeof *c.runs);
    for (size_t i = 0; i < c.ndocs; i++) {
        if (c.nruns == 0 || strcmp(c.runs[c.nruns - 1].kind, c.docs[i].e->kind) != 0)
            c.runs[c.nruns++] = (struct kind_run){c.docs[i].e->kind, i, i};
        c.runs[c.nruns - 1].end = i + 1;
    }
    for (size_t i = 0; i < c.ndocs; i++) {
        if (is_kind(&c.docs[i], "resume"))
            c.docs[i].roles = resume_roles(&c, &c.docs[i]);
        c.docs[i].draft = draft_mark(&c, &c.docs[i]);
    }
    index_contract_categories(&c);
    c.unread = ev->unread;

    c.orgs = ev_calloc(p->norg_names + 1, sizeof *c.orgs);
    for (size_t i = 0; i < p->norg_names; i++) {
        char *k;
        if (!p->org_names[i])
            continue;
        k = name_key(p->org_names[i]);
        if (*k)
            c.orgs[c.norgs++] = k;
        else
            free(k);
    }
    order_categories(&c, p);

    reqs = json_array();
    for (size_t i = 0; i < catalog_requirement_count(p->cat); i++)
        json_array_append_new(reqs, run_requirement(&c, catalog_requirement_at(p->cat, i)));
    cats = json_array();
    for (size_t i = 0; i < c.ncats; i++)
        json_array_append_new(cats, json_string(c.cats[i]));
    result = json_pack("{s:s, s:o, s:o}", "as_of", c.as_of_s, "categories", cats,
                       "requirements", reqs);
    assert(result);

    for (size_t i = 0; i < c.ndocs; i++) {
        evalrec_free(c.docs[i].e);
        free(c.docs[i].name);
        free(c.docs[i].num_key);
        free(c.docs[i].ref_key);
        free(c.docs[i].who_key);
        free(c.docs[i].draft);
    }
    free(c.docs);
    free(c.runs);
    strmap_free(&c.contract_cats);
    strmap_free(&c.project_cats);
    for (size_t i = 0; i < c.norgs; i++)
        free(c.orgs[i]);
    free(c.orgs);
    free(c.cats);
    unread_free(c.unread);
    pcre2_match_data_free(c.md);
    free(ev);
    return result;
}

json_t *evaluate(const eval_params *p, const evidence *const *docs, size_t ndocs)
{
    evaluator *ev = evaluator_new(p);

    for (size_t i = 0; i < ndocs; i++)
        evaluator_add(ev, docs[i]);
    return evaluator_finish(ev);
}
