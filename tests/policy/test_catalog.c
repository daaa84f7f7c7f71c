/* test_catalog.c: the shipped catalog loads, bad catalogs fail with file:line,
 * and cues match the way the catalog's comments promise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"

#define CATALOG EV_SOURCE_DIR "/policy/catalog.xml"
#define FIXTURES EV_SOURCE_DIR "/tests/policy/fixtures-catalog/"

static catalog *load_ok(const char *path)
{
    catalog *cat = NULL;
    ev_error err;
    ev_error_clear(&err);
    ev_code rc = catalog_load(path, &cat, &err);
    if (rc != EV_OK)
        fail_msg("%s", err.message);
    assert_non_null(cat);
    return cat;
}

static void test_shipped_catalog_loads(void **state)
{
    (void)state;
    catalog *cat = load_ok(CATALOG);

    assert_int_equal(catalog_requirement_count(cat), 18);
    assert_string_equal(catalog_requirement_at(cat, 0)->id, "legal.entity");
    assert_string_equal(catalog_requirement_at(cat, 17)->id, "tech.standards");
    assert_int_equal(catalog_category_count(cat), 8);
    assert_int_equal(catalog_kind_count(cat), 17);
    assert_int_equal(catalog_topic_count(cat), 8);

    static const char *const kinds[] = {
        "service-contract", "acceptance-report", "confidentiality-agreement", "lease-contract",
        "procedure", "training-plan", "training-record", "risk-record", "contract-template",
        "service-process", "service-standard", "business-license", "credit-report",
        "audit-report", "resume", "certificate", "other"};
    for (size_t i = 0; i < EV_ARRAY_LEN(kinds); i++)
        assert_non_null(catalog_kind(cat, kinds[i]));
    static const char *const topics[] = {"personnel", "training", "documents", "projects",
                                         "confidentiality", "suppliers", "contracts", "finance"};
    for (size_t i = 0; i < EV_ARRAY_LEN(topics); i++)
        assert_non_null(catalog_topic(cat, topics[i]));
    assert_null(catalog_kind(cat, "invoice"));
    assert_null(catalog_requirement(cat, "legal"));

    const cat_requirement *r = catalog_requirement(cat, "record.duration");
    assert_non_null(r);
    assert_string_equal(r->clause, "5.1");
    assert_int_equal(r->per_category, CAT_PER_CATEGORY_YES);
    assert_int_equal(cat_requirement_param(r, "months", 0), 4);
    assert_int_equal(cat_requirement_param(r, "window-months", -1), -1);
    assert_string_equal(r->evidence[0].kind->id, "service-contract");

    r = catalog_requirement(cat, "record.projects");
    assert_int_equal(cat_requirement_param(r, "window-months", 0), 12);
    assert_int_equal(r->nevidence, 2);
    assert_non_null(cat_requirement_check(r, "preliminary"));
    r = catalog_requirement(cat, "site.office");
    assert_int_equal(cat_requirement_param(r, "renewal-days", 0), 90);
    assert_int_equal(cat_requirement_param(r, "min-term-months", 0), 12);
    assert_string_equal(r->evidence[1].subtype->id, "property");
    assert_string_equal(r->evidence[1].group, "premises");
    assert_true(r->zh_published);
    r = catalog_requirement(cat, "legal.compliance");
    assert_int_equal(cat_requirement_param(r, "report-age-months", 0), 6);
    assert_false(r->zh_published);
    r = catalog_requirement(cat, "finance.management");
    assert_string_equal(r->evidence[0].topic->id, "finance");
    assert_true(r->evidence[1].support);
    r = catalog_requirement(cat, "mgmt.suppliers");
    assert_int_equal(r->per_category, CAT_PER_CATEGORY_APPLICABILITY);
    assert_string_equal(r->title_en, "A supplier management procedure ensuring suppliers meet "
                                      "the security requirements of the service (security "
                                      "integration, security operations and disaster recovery only).");
    r = catalog_requirement(cat, "mgmt.documents");
    assert_int_equal(r->nchecks, 6);

    assert_true(catalog_category(cat, "security-operations")->suppliers);
    assert_true(catalog_category(cat, "disaster-recovery")->suppliers);
    assert_false(catalog_category(cat, "ics-security")->suppliers);
    assert_string_equal(catalog_category(cat, "risk-assessment")->full_zh, "信息安全风险评估");

    assert_string_equal(cat_kind_default_subtype(catalog_kind(cat, "certificate"))->id, "personnel");
    assert_null(cat_kind_default_subtype(catalog_kind(cat, "resume")));

    const cat_field *f = catalog_field(cat, "credit_code");
    assert_non_null(f);
    assert_non_null(f->re);
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    assert_true(pcre2_match(f->re, (PCRE2_SPTR) "91310000MA1FL1234X", PCRE2_ZERO_TERMINATED, 0, 0,
                            md, NULL) >= 0);
    assert_true(pcre2_match(f->re, (PCRE2_SPTR) "91310000MA1FL1234", PCRE2_ZERO_TERMINATED, 0, 0,
                            md, NULL) < 0);
    pcre2_match_data_free(md);
    f = catalog_field(cat, "acceptance_result");
    assert_int_equal(f->type, CAT_FIELD_ENUM);
    assert_string_equal(f->values[0].value, "fail");
    f = catalog_field(cat, "employee");
    assert_string_equal(f->labels[0].kinds[0]->id, "confidentiality-agreement");
    assert_null(catalog_field(cat, "nonsense"));
    assert_non_null(catalog_cueset(cat, "withdrawn"));

    catalog_free(cat);
}

/* The schema compiled into the library is the file in the tree. */
static void test_embedded_schema_is_catalog_rng(void **state)
{
    (void)state;
    FILE *f = fopen(EV_SOURCE_DIR "/policy/catalog.rng", "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    assert_string_equal(catalog_schema(), buf);
}

static void test_default_path(void **state)
{
    (void)state;
    assert_int_equal(unsetenv("EVIDENCED_CATALOG"), 0);
    /* This test runs from the build tree: the source tree's catalog. */
    const char *p = catalog_default_path();
    size_t len = strlen(p);
    assert_true(len > 19);
    assert_string_equal(p + len - 19, "/policy/catalog.xml");
    assert_int_equal(access(p, R_OK), 0);
    assert_int_equal(setenv("EVIDENCED_CATALOG", "/tmp/x.xml", 1), 0);
    assert_string_equal(catalog_default_path(), "/tmp/x.xml");
    assert_int_equal(setenv("EVIDENCED_CATALOG", "", 1), 0);
    assert_string_equal(catalog_default_path(), p);
    assert_int_equal(unsetenv("EVIDENCED_CATALOG"), 0);
}

static void expect_failure(const char *name, ev_code code, int line, const char *words)
{
    char path[512];
    char prefix[600];
    snprintf(path, sizeof path, FIXTURES "%s", name);
    snprintf(prefix, sizeof prefix, "%s:%d: ", path, line);
    catalog *cat = (catalog *)1;
    ev_error err;
    ev_error_clear(&err);
    assert_int_equal(catalog_load(path, &cat, &err), code);
    assert_null(cat);
    assert_int_equal(err.code, code);
    if (strncmp(err.message, prefix, strlen(prefix)) != 0 || !strstr(err.message, words))
        fail_msg("%s: got \"%s\", want prefix \"%s\" and \"%s\"", name, err.message, prefix, words);
}

static void test_bad_catalogs_name_file_and_line(void **state)
{
    (void)state;
    catalog_free(load_ok(FIXTURES "minimal.xml"));
    expect_failure("malformed.xml", EV_EINVAL, 18, "malformed XML");
    expect_failure("schema.xml", EV_EINVAL, 25, "catalog schema");
    expect_failure("duplicate-id.xml", EV_EINVAL, 17, "duplicate kind \"other\" (first at line 16)");
    expect_failure("bad-regex.xml", EV_EINVAL, 32, "bad regex");
    expect_failure("unknown-kind.xml", EV_EINVAL, 25, "unknown kind \"procedures\"");
    expect_failure("unknown-topic.xml", EV_EINVAL, 25, "unknown topic \"finances\"");
    expect_failure("unknown-cueset.xml", EV_EINVAL, 18, "unknown cueset \"wordz\"");
    expect_failure("doctype.xml", EV_EINVAL, 2, "DOCTYPE");
    expect_failure("unknown-label-kind.xml", EV_EINVAL, 31, "unknown kind \"contract\"");
    expect_failure("empty-cue.xml", EV_EINVAL, 18, "empty <cue>");

    catalog *cat = NULL;
    ev_error err;
    ev_error_clear(&err);
    assert_int_equal(catalog_load(FIXTURES "absent.xml", &cat, &err), EV_EIO);
    assert_null(cat);
    assert_non_null(strstr(err.message, "absent.xml"));
}

/* ---- cue matching --------------------------------------------------------- */

typedef struct match_env {
    catalog *cat;
    pcre2_match_data *md;
    cat_view title, text, cells;
    cat_views views;
} match_env;

static int env_setup(void **state)
{
    catalog *cat = load_ok(CATALOG);
    match_env *e = calloc(1, sizeof *e);
    assert_non_null(e);
    e->cat = cat;
    e->md = pcre2_match_data_create(1, NULL);
    e->views.v[CAT_SCOPE_TITLE] = &e->title;
    e->views.v[CAT_SCOPE_TEXT] = &e->text;
    e->views.v[CAT_SCOPE_CELLS] = &e->cells;
    *state = e;
    return 0;
}

static int env_teardown(void **state)
{
    match_env *e = *state;
    catalog_free(e->cat);
    pcre2_match_data_free(e->md);
    cat_view_free(&e->title);
    cat_view_free(&e->text);
    cat_view_free(&e->cells);
    free(e);
    return 0;
}

static void reset(match_env *e, const char *title, const char *text)
{
    cat_view_free(&e->title);
    cat_view_free(&e->text);
    cat_view_free(&e->cells);
    memset(&e->title, 0, sizeof e->title);
    memset(&e->text, 0, sizeof e->text);
    memset(&e->cells, 0, sizeof e->cells);
    cat_view_add(&e->title, title, strlen(title));
    /* Text blocks are separated by '|' in these tests. */
    const char *p = text;
    while (*p) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        cat_view_add(&e->text, p, len);
        p += len + (bar ? 1 : 0);
    }
}

/* Which strong cue of `kind` matches the title, described; "" if none. */
static const char *strong_hit(match_env *e, const char *kind, ev_buf *why)
{
    ev_buf_reset(why);
    ev_buf_puts(why, "");
    const cat_kind *k = catalog_kind(e->cat, kind);
    assert_non_null(k);
    cat_cue_match(&k->strong, CAT_SCOPE_TITLE, &e->views, e->md, why);
    return why->data;
}

static void test_literals_ignore_spacing_width_and_case(void **state)
{
    match_env *e = *state;
    ev_buf why = {0};
    reset(e, "保 密 协 议", "");
    assert_string_equal(strong_hit(e, "confidentiality-agreement", &why), "保密协议");
    reset(e, "ＮＯＮ－ＤＩＳＣＬＯＳＵＲＥ  Agreement", "");
    assert_string_equal(strong_hit(e, "confidentiality-agreement", &why), "non-disclosure agreement");
    /* Latin cues are whole words: NDA is not in "agenda". */
    reset(e, "Meeting agenda", "");
    assert_string_equal(strong_hit(e, "confidentiality-agreement", &why), "");
    reset(e, "Mutual NDA", "");
    assert_string_equal(strong_hit(e, "confidentiality-agreement", &why), "NDA");
    ev_buf_free(&why);
}

static void test_groups_regex_and_counts(void **state)
{
    match_env *e = *state;
    ev_buf why = {0};
    /* <all> of 合同/协议 and a service word (服务 but not 服务器). */
    reset(e, "网络安全运维协议书", "");
    assert_string_equal(strong_hit(e, "service-contract", &why), "协议+安全");
    reset(e, "服务器采购合同", "");
    assert_string_equal(strong_hit(e, "service-contract", &why), "");
    reset(e, "Contract for Penetration Testing Services", "");
    assert_string_equal(strong_hit(e, "service-contract", &why), "Contract for … Services");

    /* min="3" on the placeholder set: two blanks are not a template. */
    const cat_kind *tpl = catalog_kind(e->cat, "contract-template");
    const cat_cue *blanks = &tpl->medium.kids[0];
    reset(e, "", "项目名称：____|金额：____");
    assert_false(cat_cue_match(blanks, CAT_SCOPE_TEXT, &e->views, e->md, NULL));
    reset(e, "", "项目名称：____|金额：____|日期：  年  月  日");
    assert_true(cat_cue_match(blanks, CAT_SCOPE_TEXT, &e->views, e->md, NULL));

    /* A regex anchored at a block start: the 目的 section heading. */
    const cat_kind *proc = catalog_kind(e->cat, "procedure");
    const cat_cue *sections = &proc->medium.kids[1];
    assert_string_equal(sections->label, "目的");
    reset(e, "", "1 目的|为规范……");
    ev_buf_reset(&why);
    assert_true(cat_cue_match(sections, CAT_SCOPE_TEXT, &e->views, e->md, &why));
    assert_string_equal(why.data, "目的");
    reset(e, "", "本合同的目的是……");
    assert_false(cat_cue_match(sections, CAT_SCOPE_TEXT, &e->views, e->md, NULL));

    /* <not>: goods without a service scope. */
    const cat_kind *sc = catalog_kind(e->cat, "service-contract");
    reset(e, "办公设备采购合同", "甲方|乙方|设备清单");
    ev_buf_reset(&why);
    assert_true(cat_cue_match(&sc->negative, CAT_SCOPE_TITLE, &e->views, e->md, &why));
    assert_string_equal(why.data, "采购设备，无服务范围");
    reset(e, "安全设备采购及部署合同", "服务内容：部署实施");
    assert_false(cat_cue_match(&sc->negative, CAT_SCOPE_TITLE, &e->views, e->md, NULL));
    ev_buf_free(&why);
}

static void test_blank_view(void **state)
{
    (void)state;
    cat_view v = {0};
    cat_view_add(&v, " \t", 2);
    cat_view_add(&v, "\xe3\x80\x80", 3);     /* U+3000 ideographic space */
    assert_true(cat_view_blank(&v));
    cat_view_add(&v, "x", 1);
    assert_false(cat_view_blank(&v));
    cat_view_free(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_catalog_loads),
        cmocka_unit_test(test_embedded_schema_is_catalog_rng),
        cmocka_unit_test(test_default_path),
        cmocka_unit_test(test_bad_catalogs_name_file_and_line),
        cmocka_unit_test_setup_teardown(test_literals_ignore_spacing_width_and_case, env_setup,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(test_groups_regex_and_counts, env_setup, env_teardown),
        cmocka_unit_test(test_blank_view),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
