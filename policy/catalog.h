/*
 * catalog.h: the requirement catalog, loaded from catalog.xml.
 *
 * Everything evidenced knows about the CCRC scheme is data: requirements and
 * their figures, service categories, document kinds with the cues that
 * recognise them, procedure topics and field labels. catalog_load() reads
 * one XML file, validates it against the RelaxNG schema compiled into this
 * library (a copy of policy/catalog.rng), then checks what a schema cannot:
 * unique ids, references that resolve, regular expressions that compile.
 * Every refusal is one message "file:line: what is wrong".
 *
 * A loaded catalog is immutable and may be read from many threads at once.
 * Cue matching (cat_cue_match) needs a pcre2_match_data of the caller's, one
 * per thread: compiled patterns are shared, match data is not.
 *
 * The structures below are read-only views for the policy modules; their
 * strings and arrays belong to the catalog and live until catalog_free().
 */
#ifndef EV_CATALOG_H
#define EV_CATALOG_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>

#include "ev.h"

typedef enum cat_lang {
    CAT_LANG_ANY,       /* no lang attribute */
    CAT_LANG_ZH,
    CAT_LANG_EN
} cat_lang;

/* Where a cue looks; CAT_SCOPE_INHERIT takes the scope of the enclosing list. */
typedef enum cat_scope {
    CAT_SCOPE_TITLE,
    CAT_SCOPE_TEXT,
    CAT_SCOPE_CELLS,
    CAT_SCOPE_COUNT,
    CAT_SCOPE_INHERIT = CAT_SCOPE_COUNT
} cat_scope;

typedef enum cat_cue_type {
    CAT_CUE_LITERAL,    /* <cue> */
    CAT_CUE_REGEX,      /* <regex> */
    CAT_CUE_ALL,        /* <all>: every child */
    CAT_CUE_ANY,        /* <any>, and every cue list (<strong>, <cueset>, ...) */
    CAT_CUE_NOT,        /* <not>: its one child does not match */
    CAT_CUE_REF         /* <ref set>: the cueset's list */
} cat_cue_type;

typedef struct cat_cue {
    cat_cue_type type;
    cat_lang lang;
    cat_scope scope;
    unsigned min;               /* occurrences needed; 1 unless min="N" */
    int line;                   /* in the catalog file */
    char *label;                /* what reports show; NULL: derived from the match */
    char *text;                 /* literal as written (NFKC) or the pattern */
    char *key;                  /* literal: the key searched for */
    bool word;                  /* literal: Latin only, matched as whole words */
    pcre2_code *re;             /* regex, compiled UTF|UCP|CASELESS|MULTILINE */
    struct cat_cue *kids;       /* ALL, ANY, NOT */
    size_t nkids;
    const struct cat_cue *target; /* REF: the cueset's list (an ANY) */
} cat_cue;

/*
 * Text prepared for matching: `flat` is NFKC with runs of white space made
 * one space, ASCII letters lower-cased, and '\n' between blocks; `fold` is
 * ev_fold() of each block (no white space at all), '\n' between blocks.
 * Literal Chinese cues are searched in `fold`, so 保 密 协 议 is 保密协议;
 * Latin cues and regexes in `flat`.
 */
typedef struct cat_view {
    ev_buf flat;
    ev_buf fold;
} cat_view;

/* Append one block of `len` bytes (any bytes: invalid UTF-8 is replaced).
 * A zero-initialised cat_view is an empty one. */
void cat_view_add(cat_view *v, const char *s, size_t len);
/* True when the view holds no character other than white space. */
bool cat_view_blank(const cat_view *v);
/* Release the text; the view is empty again and may be reused. */
void cat_view_free(cat_view *v);

/* The texts a cue may look at, indexed by cat_scope. NULL views are empty. */
typedef struct cat_views {
    const cat_view *v[CAT_SCOPE_COUNT];
} cat_views;

/*
 * Does `cue` match? `scope` is the scope the enclosing list gives it (used
 * when the cue has none of its own). `md` is the caller's match data (any
 * size; from pcre2_match_data_create(1, NULL)). When `why` is not NULL and
 * the cue matches, a short description of what matched is appended to it
 * (the label, the literal, or the matched parts joined by '+').
 * A regex that fails at match time (match limit) counts as no match.
 */
bool cat_cue_match(const cat_cue *cue, cat_scope scope, const cat_views *views,
                   pcre2_match_data *md, ev_buf *why);

typedef struct cat_category {
    char *id;
    int line;
    bool suppliers;             /* mgmt.suppliers applies at this level */
    char *name_zh, *full_zh;    /* short and full names */
    char *name_en, *full_en;
    cat_cue strong;             /* the names, as literals */
    cat_cue medium;             /* one point per direct child that matches */
    cat_cue weak;
} cat_category;

typedef struct cat_subtype {
    char *id;
    bool is_default;
    cat_cue cues;               /* tried in file order; may be empty */
} cat_subtype;

typedef struct cat_kind {
    char *id;
    int line;
    char *name_zh, *name_en;
    bool has_topics;            /* carries a procedure topic (topics="yes") */
    cat_cue strong;             /* default scope: title */
    cat_cue medium;             /* default scope: text */
    cat_cue weak;               /* default scope: text */
    cat_cue negative;           /* default scope: title */
    cat_subtype *subtypes;
    size_t nsubtypes;
} cat_kind;

typedef struct cat_topic {
    char *id;
    int line;
    cat_cue words;              /* in the title: decide alone */
    cat_cue vote;               /* <vote>: the topic's words in the body,
                                   counted per block when the title is
                                   silent; empty when the topic has none */
} cat_topic;

typedef struct cat_evidence {
    const cat_kind *kind;
    const cat_topic *topic;     /* NULL: any topic */
    const cat_subtype *subtype; /* NULL: any subtype */
    char *group;                /* NULL: no alternatives */
    bool support;               /* listed, but does not decide */
} cat_evidence;

typedef struct cat_param {
    char *name;                 /* the <rule> attribute, e.g. "window-months" */
    long value;
} cat_param;

typedef struct cat_check {
    char *id;
    cat_cue cues;
} cat_check;

typedef enum cat_per_category {
    CAT_PER_CATEGORY_NO,
    CAT_PER_CATEGORY_YES,
    CAT_PER_CATEGORY_APPLICABILITY  /* applies when a declared category has suppliers */
} cat_per_category;

typedef struct cat_requirement {
    char *id;
    char *clause;
    int line;
    cat_per_category per_category;
    char *review;               /* "always", "conditional", "content", "never" */
    char *title_zh, *title_en;
    bool zh_published;          /* ◆ published wording; false: ◇ rendering */
    cat_evidence *evidence;
    size_t nevidence;
    cat_param *params;
    size_t nparams;
    cat_check *checks;
    size_t nchecks;
} cat_requirement;

typedef enum cat_field_type {
    CAT_FIELD_STRING,
    CAT_FIELD_DATE,
    CAT_FIELD_AMOUNT,
    CAT_FIELD_NUMBER,
    CAT_FIELD_CATEGORY,
    CAT_FIELD_ENUM,
    CAT_FIELD_LIST,
    CAT_FIELD_EXPERIENCE,
    CAT_FIELD_TOPIC
} cat_field_type;

typedef struct cat_label {
    cat_lang lang;
    char *text;                 /* NFKC */
    bool signature;             /* only inside a signature block */
    const cat_kind **kinds;     /* only in these kinds; nkinds == 0: any kind */
    size_t nkinds;
} cat_label;

typedef struct cat_enum_value {
    char *value;
    cat_cue cues;
} cat_enum_value;

typedef struct cat_field {
    char *name;
    int line;
    cat_field_type type;
    cat_label *labels;
    size_t nlabels;
    char *pattern;              /* NULL: any value */
    pcre2_code *re;             /* compiled UTF|UCP, anchored as written */
    cat_enum_value *values;     /* enum fields, in the order to try them */
    size_t nvalues;
} cat_field;

typedef struct cat_cueset {
    char *id;
    cat_cue cues;
} cat_cueset;

typedef struct catalog catalog;

/*
 * Load, validate and check the catalog at `path`. On success returns EV_OK
 * and sets *out (release with catalog_free). On failure returns EV_EIO (the
 * file cannot be read) or EV_EINVAL (anything wrong with its content), sets
 * *out to NULL and records "path:line: message" in *err (may be NULL; an
 * error already recorded there is kept, as ev_fail does).
 */
ev_code catalog_load(const char *path, catalog **out, ev_error *err);

void catalog_free(catalog *cat);

/*
 * The catalog to load when none is named: $EVIDENCED_CATALOG if set and not
 * empty; else, for a program run from the build tree it was built in, the
 * source tree's policy/catalog.xml; else EV_CATALOG_DIR "/catalog.xml". The
 * string must not be freed.
 */
const char *catalog_default_path(void);

/* The RelaxNG schema compiled into the library (the text of catalog.rng). */
const char *catalog_schema(void);

/* Lookups by id; NULL when absent. */
const cat_requirement *catalog_requirement(const catalog *cat, const char *id);
const cat_category *catalog_category(const catalog *cat, const char *id);
const cat_kind *catalog_kind(const catalog *cat, const char *id);
const cat_topic *catalog_topic(const catalog *cat, const char *id);
const cat_field *catalog_field(const catalog *cat, const char *name);
const cat_cueset *catalog_cueset(const catalog *cat, const char *id);

/* Iteration in file order: index 0 .. count-1. Kinds in file order are the
 * classifier's order of tests. */
size_t catalog_requirement_count(const catalog *cat);
const cat_requirement *catalog_requirement_at(const catalog *cat, size_t i);
size_t catalog_category_count(const catalog *cat);
const cat_category *catalog_category_at(const catalog *cat, size_t i);
size_t catalog_kind_count(const catalog *cat);
const cat_kind *catalog_kind_at(const catalog *cat, size_t i);
size_t catalog_topic_count(const catalog *cat);
const cat_topic *catalog_topic_at(const catalog *cat, size_t i);
size_t catalog_field_count(const catalog *cat);
const cat_field *catalog_field_at(const catalog *cat, size_t i);

/*
 * The distinct label texts of all fields (compared ignoring ASCII case),
 * in file order, each with its ASCII lower-cased form, and a litset over
 * those lower-cased forms (string i of the set is label i), so a text is
 * searched for every label in one pass.
 */
typedef struct cat_label_text {
    const char *text;           /* as in the catalog (NFKC) */
    const char *lower;          /* ASCII lower-cased */
    size_t len;
    bool latin;                 /* ASCII only */
} cat_label_text;

struct litset;
size_t catalog_label_count(const catalog *cat);
const cat_label_text *catalog_label_at(const catalog *cat, size_t i);
const struct litset *catalog_label_set(const catalog *cat);

/* A <rule> figure of a requirement, or `fallback` when the rule omits it. */
long cat_requirement_param(const cat_requirement *req, const char *name, long fallback);
/* A <check> of a requirement by id; NULL when absent. */
const cat_check *cat_requirement_check(const cat_requirement *req, const char *id);
/* A subtype of a kind by id; NULL when absent. */
const cat_subtype *cat_kind_subtype(const cat_kind *kind, const char *id);
/* The subtype marked default="yes"; NULL when the kind has no subtypes. */
const cat_subtype *cat_kind_default_subtype(const cat_kind *kind);

#endif
