/* Unit tests for policy/evaluate: every rule edge of requirements.md section 4
 * and 7, over records built in code and the real catalog. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog.h"
#include "evaluate.h"

static catalog *cat;

#define ORG "青云网安技术有限公司"
#define CLIENT "华东电力信息有限公司"

/* ---- building records ---------------------------------------------------- */

typedef struct docset {
    evidence *e[64];
    size_t n;
} docset;

/*
 * Add a record of `kind` (topic and subtype may be NULL) whose fields are
 * the JSON object text `fields`.
 */
static evidence *add(docset *ds, const char *path, const char *kind,
                     const char *topic, const char *subtype, const char *fields)
{
    evidence *e = evidence_new(path);
    json_error_t jerr;
    json_t *f = json_loads(fields, 0, &jerr);

    if (!f)
        fail_msg("bad fields JSON for %s: %s", path, jerr.text);
    assert_non_null(f);
    assert_true(ds->n < 64);
    json_decref(e->fields);
    e->fields = f;
    e->kind = ev_strdup(kind);
    e->topic = topic ? ev_strdup(topic) : NULL;
    e->subtype = subtype ? ev_strdup(subtype) : NULL;
    e->format = "docx";
    e->text_chars = 1000;       /* a document with text, unless a test says not */
    snprintf(e->sha256, sizeof e->sha256, "%064zx", ds->n + 1);
    ds->e[ds->n++] = e;
    return e;
}

static void add_check(evidence *e, const char *check)
{
    json_array_append_new(e->checks, json_string(check));
}

static void docset_free(docset *ds)
{
    for (size_t i = 0; i < ds->n; i++)
        evidence_free(ds->e[i]);
    ds->n = 0;
}

static ev_date parse_date(const char *s)
{
    ev_date d;
    assert_int_equal(ev_date_parse(s, &d, NULL), EV_OK);
    return d;
}

static const char *const org_names[] = {ORG, "Qingyun Security Technology Co., Ltd."};

/* Evaluate ds as of `as_of` with the categories (comma-separated) and names. */
static json_t *run_with(const docset *ds, const char *as_of, const char *cats,
                        bool names)
{
    const char *ids[8];
    size_t nids = 0;
    char buf[256];
    eval_params p;

    snprintf(buf, sizeof buf, "%s", cats);
    for (char *t = strtok(buf, ","); t && nids < 8; t = strtok(NULL, ","))
        ids[nids++] = t;
    p = (eval_params){cat, parse_date(as_of), ids, nids,
                      names ? org_names : NULL, names ? 2 : 0};
    return evaluate(&p, (const evidence *const *)ds->e, ds->n);
}

static json_t *run(const docset *ds, const char *as_of, const char *cats)
{
    return run_with(ds, as_of, cats, true);
}

static json_t *req(json_t *res, const char *id)
{
    size_t i;
    json_t *r;

    json_array_foreach(json_object_get(res, "requirements"), i, r)
        if (strcmp(json_string_value(json_object_get(r, "id")), id) == 0)
            return r;
    fail_msg("no requirement %s in the result", id);
    return NULL;
}

static const char *status(json_t *res, const char *id)
{
    return json_string_value(json_object_get(req(res, id), "status"));
}

static const char *cat_status(json_t *res, const char *id, const char *c)
{
    return json_string_value(
        json_object_get(json_object_get(req(res, id), "per_category"), c));
}

/* Does some reason of requirement `id` contain every one of the words? */
static bool has_reason(json_t *res, const char *id, const char *w1, const char *w2)
{
    size_t i;
    json_t *v;

    json_array_foreach(json_object_get(req(res, id), "reasons"), i, v) {
        const char *s = json_string_value(v);
        if (strstr(s, w1) && (!w2 || strstr(s, w2)))
            return true;
    }
    return false;
}

static bool has_evidence(json_t *res, const char *id, const char *path)
{
    size_t i;
    json_t *v;

    json_array_foreach(json_object_get(req(res, id), "evidence"), i, v)
        if (strcmp(json_string_value(json_object_get(v, "path")), path) == 0)
            return true;
    return false;
}

static void dump_on_failure(json_t *res, const char *id)
{
    char *s = json_dumps(req(res, id), JSON_INDENT(2) | JSON_ENSURE_ASCII);
    print_message("%s\n", s);
    free(s);
}

#define EXPECT_STATUS(res, id, want)                                     \
    do {                                                                 \
        if (strcmp(status(res, id), want) != 0)                          \
            dump_on_failure(res, id);                                    \
        assert_string_equal(status(res, id), want);                      \
    } while (0)

/* A service contract of `category` signed on `signed_on`, the org as provider. */
static evidence *contract(docset *ds, const char *path, const char *number,
                          const char *category, const char *signed_on)
{
    char f[512];
    snprintf(f, sizeof f,
             "{\"doc_number\": \"%s\", \"service_category\": \"%s\", "
             "\"signed_on\": \"%s\", \"party_a\": \"" CLIENT "\", "
             "\"party_b\": \"" ORG "\", \"project_name\": \"P-%s\"}",
             number, category, signed_on, number);
    return add(ds, path, "service-contract", NULL, NULL, f);
}

static evidence *acceptance(docset *ds, const char *path, const char *ref,
                            const char *completed_on)
{
    char f[512];
    snprintf(f, sizeof f,
             "{\"contract_ref\": \"%s\", \"completed_on\": \"%s\", "
             "\"acceptance_result\": \"pass\"}",
             ref, completed_on);
    return add(ds, path, "acceptance-report", NULL, NULL, f);
}

static evidence *procedure(docset *ds, const char *path, const char *topic,
                           const char *number, const char *version,
                           const char *effective_on)
{
    char f[512];
    int n = snprintf(f, sizeof f, "{\"effective_on\": \"%s\"", effective_on);
    if (number)
        n += snprintf(f + n, sizeof f - (size_t)n, ", \"doc_number\": \"%s\"", number);
    if (version)
        n += snprintf(f + n, sizeof f - (size_t)n, ", \"version\": \"%s\"", version);
    snprintf(f + n, sizeof f - (size_t)n, "}");
    return add(ds, path, "procedure", topic, NULL, f);
}

/* ---- setup --------------------------------------------------------------- */

static int load_catalog(void **state)
{
    ev_error err = {0};
    (void)state;
    if (catalog_load(EV_SOURCE_DIR "/policy/catalog.xml", &cat, &err) != EV_OK) {
        print_error("%s\n", err.message);
        return -1;
    }
    return 0;
}

static int free_catalog(void **state)
{
    (void)state;
    catalog_free(cat);
    return 0;
}

/* ---- the result's shape ------------------------------------------------------ */

static void test_shape(void **state)
{
    docset ds = {0};
    json_t *res, *reqs, *r;
    (void)state;

    res = run(&ds, "2026-06-15", "security-integration,risk-assessment,risk-assessment");
    assert_string_equal(json_string_value(json_object_get(res, "as_of")), "2026-06-15");
    /* catalog order, each once */
    assert_int_equal(json_array_size(json_object_get(res, "categories")), 2);
    assert_string_equal(json_string_value(json_array_get(json_object_get(res, "categories"), 0)),
                        "risk-assessment");
    reqs = json_object_get(res, "requirements");
    assert_int_equal(json_array_size(reqs), catalog_requirement_count(cat));
    for (size_t i = 0; i < json_array_size(reqs); i++) {
        const cat_requirement *cr = catalog_requirement_at(cat, i);
        r = json_array_get(reqs, i);
        assert_string_equal(json_string_value(json_object_get(r, "id")), cr->id);
        assert_string_equal(json_string_value(json_object_get(r, "clause")), cr->clause);
        assert_non_null(json_string_value(json_object_get(json_object_get(r, "title"), "zh")));
        assert_true(json_is_array(json_object_get(r, "evidence")));
        assert_true(json_is_array(json_object_get(r, "reasons")));
        assert_int_equal(json_object_get(r, "per_category") != NULL,
                         cr->per_category == CAT_PER_CATEGORY_YES);
    }
    EXPECT_STATUS(res, "legal.entity", "missing");
    EXPECT_STATUS(res, "record.projects", "missing");
    assert_string_equal(cat_status(res, "record.projects", "security-integration"), "missing");
    json_decref(res);
}

/* ---- record.duration ------------------------------------------------------------ */

static void test_duration_exactly_four_months(void **state)
{
    docset ds = {0};
    json_t *res;
    (void)state;

    contract(&ds, "contracts/a.docx", "HT-2026-001", "risk-assessment", "2026-01-31");
    res = run(&ds, "2026-05-30", "risk-assessment");
    EXPECT_STATUS(res, "record.duration", "partial");
    assert_true(has_reason(res, "record.duration", "reached on 2026-05-31", NULL));
    json_decref(res);

    res = run(&ds, "2026-05-31", "risk-assessment");
    EXPECT_STATUS(res, "record.duration", "met");
    assert_true(has_evidence(res, "record.duration", "contracts/a.docx"));
    json_decref(res);
    docset_free(&ds);
}

static void test_duration_month_end_clamp(void **state)
{
    docset ds = {0};
    json_t *res;
    (void)state;

    contract(&ds, "contracts/oct.docx", "HT-2026-031", "risk-assessment", "2026-10-31");
    res = run(&ds, "2027-02-27", "risk-assessment");
    EXPECT_STATUS(res, "record.duration", "partial");
    assert_true(has_reason(res, "record.duration", "2027-02-28", NULL));
    json_decref(res);
    res = run(&ds, "2027-02-28", "risk-assessment");
    EXPECT_STATUS(res, "record.duration", "met");
    json_decref(res);
    docset_free(&ds);
}

static void test_duration_earliest_and_fallbacks(void **state)
{
    docset ds = {0};
    json_t *res;
    (void)state;

    /* Signed after as-of: does not count yet. */
    contract(&ds, "contracts/future.docx", "HT-2027-001", "risk-assessment", "2027-01-05");
    res = run(&ds, "2026-12-31", "risk-assessment");
    EXPECT_STATUS(res, "record.duration", "missing");
    assert_true(has_reason(res, "record.duration", "contracts/future.docx", "does not count yet"));
    json_decref(res);

    /* No signed_on: start_on is used, with a reason. */
    add(&ds, "contracts/start.docx", "service-contract", NULL, NULL,
        "{\"doc_number\": \"HT-2026-002\", \"service_category\": \"risk-assessment\", "
        "\"start_on\": \"2026-02-01\", \"party_b\": \"" ORG "\"}");
    /* Another category does not count for risk-assessment. */
    contract(&ds, "contracts/other.docx", "HT-2025-009", "security-audit", "2025-01-01");
    res = run(&ds, "2026-12-31", "risk-assessment");
    EXPECT_STATUS(res, "record.duration", "met");
    assert_true(has_reason(res, "record.duration", "contracts/start.docx", "start date 2026-02-01"));
    assert_true(has_evidence(res, "record.duration", "contracts/start.docx"));
    assert_false(has_evidence(res, "record.duration", "contracts/other.docx"));
    json_decref(res);
    docset_free(&ds);
}

static void test_organisation_identity(void **state)
{
    docset ds = {0};
    json_t *res;
    (void)state;

    /* A purchase: the organisation is party A. */
    add(&ds, "contracts/purchase.docx", "service-contract", NULL, NULL,
        "{\"doc_number\": \"CG-01\", \"service_category\": \"risk-assessment\", "
        "\"signed_on\": \"2025-01-10\", \"party_a\": \"" ORG "\", "
        "\"party_b\": \"某供应商有限公司\"}");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "record.duration", "missing");
    assert_true(has_reason(res, "record.duration", "contracts/purchase.docx", "party A"));
    json_decref(res);

    /* Without names, party B is assumed to be the organisation, and said so. */
    res = run_with(&ds, "2026-06-30", "risk-assessment", false);
    EXPECT_STATUS(res, "record.duration", "met");
    assert_true(has_reason(res, "record.duration", "no organisation names are configured", NULL));
    json_decref(res);

    /* Names compare after NFKC, without spaces and punctuation, case folded. */
    add(&ds, "contracts/english.docx", "service-contract", NULL, NULL,
        "{\"doc_number\": \"EN-01\", \"service_category\": \"risk-assessment\", "
        "\"signed_on\": \"2025-02-10\", \"party_a\": \"Client Ltd\", "
        "\"party_b\": \"QINGYUN  SECURITY TECHNOLOGY CO LTD\"}");
    add(&ds, "contracts/fullwidth.docx", "service-contract", NULL, NULL,
        "{\"doc_number\": \"FW-01\", \"service_category\": \"security-audit\", "
        "\"signed_on\": \"2025-03-10\", \"party_a\": \"Client Ltd\", "
        "\"party_b\": \"青云网安技术（有限）公司\"}");
    {
        const char *names[] = {"青云网安技术(有限)公司",
                               "Qingyun Security Technology Co., Ltd."};
        const char *cats[] = {"risk-assessment", "security-audit"};
        eval_params p = {cat, parse_date("2026-06-30"), cats, 2, names, 2};
        res = evaluate(&p, (const evidence *const *)ds.e, ds.n);
    }
    EXPECT_STATUS(res, "record.duration", "met");
    assert_true(has_evidence(res, "record.duration", "contracts/english.docx"));
    assert_true(has_evidence(res, "record.duration", "contracts/fullwidth.docx"));
    json_decref(res);
    docset_free(&ds);
}

/* ---- record.projects ------------------------------------------------------------ */

static void test_projects_window_edge(void **state)
{
    docset ds = {0};
    json_t *res;
    (void)state;

    /* as_of - 12 months = 2025-06-15: signed that day is outside the window.
     * Accepted inside it, the pair is not "signed and completed within the
     * last year", but it is the best there is: partial (7a). */
    contract(&ds, "contracts/edge.docx", "HT-2025-615", "risk-assessment", "2025-06-15");
    acceptance(&ds, "acceptance/edge.docx", "HT-2025-615", "2025-12-01");
    res = run(&ds, "2026-06-15", "risk-assessment");
    EXPECT_STATUS(res, "record.projects", "partial");
    assert_true(has_reason(res, "record.projects", "contracts/edge.docx",
                           "completed on 2025-12-01 within the last year, but signed on "
                           "2025-06-15 before it"));
    assert_true(has_evidence(res, "record.projects", "acceptance/edge.docx"));
    json_decref(res);
    /* Accepted on the window's first excluded day too: both ends are out. */
    docset_free(&ds);
    contract(&ds, "contracts/edge.docx", "HT-2025-615", "risk-assessment", "2025-06-15");
    acceptance(&ds, "acceptance/edge.docx", "HT-2025-615", "2025-06-15");
    res = run(&ds, "2026-06-15", "risk-assessment");
    EXPECT_STATUS(res, "record.projects", "expired");
    assert_true(has_reason(res, "record.projects", "contracts/edge.docx", "outside the last 12 months"));
    assert_false(has_reason(res, "record.projects", "but signed on", NULL));
    json_decref(res);
    docset_free(&ds);

    /* One day later it is inside. */
    contract(&ds, "contracts/edge.docx", "HT-2025-616", "risk-assessment", "2025-06-16");
    acceptance(&ds, "acceptance/edge.docx", "HT-2025-616", "2025-12-01");
    res = run(&ds, "2026-06-15", "risk-assessment");
    EXPECT_STATUS(res, "record.projects", "met");
    assert_true(has_evidence(res, "record.projects", "contracts/edge.docx"));
    assert_true(has_evidence(res, "record.projects", "acceptance/edge.docx"));
    json_decref(res);

    /* Older projects are history once a newer pair exists; a number that
     * matches no contract is named. */
    contract(&ds, "contracts/old.docx", "HT-2023-001", "risk-assessment", "2023-06-16");
    acceptance(&ds, "acceptance/old.docx", "HT-2023-001", "2023-12-01");
    acceptance(&ds, "acceptance/typo.docx", "HT-2025-6160", "2026-01-01");
    res = run(&ds, "2026-06-15", "risk-assessment");
    EXPECT_STATUS(res, "record.projects", "met");
    assert_false(has_reason(res, "record.projects", "contracts/old.docx", NULL));
    assert_true(has_reason(res, "record.projects", "acceptance/typo.docx",
                           "refers to contract HT-2025-6160"));
    json_decref(res);
    docset_free(&ds);
}

static void test_projects_acceptance_after_as_of(void **state)
{
    docset ds = {0};
    json_t *res;
    (void)state;

    contract(&ds, "contracts/a.docx", "HT-2026-014", "risk-assessment", "2026-03-05");
    acceptance(&ds, "acceptance/a.docx", "HT-2026-014", "2026-07-01");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "record.projects", "partial");
    assert_true(has_reason(res, "record.projects",
                           "service contract HT-2026-014 (contracts/a.docx) signed 2026-03-05 "
                           "has no acceptance report yet",
                           "2026-07-01"));
    json_decref(res);
    /* On the acceptance day the pair is complete. */
    res = run(&ds, "2026-07-01", "risk-assessment");
    EXPECT_STATUS(res, "record.projects", "met");
    json_decref(res);
    docset_free(&ds);
}

static void test_projects_linking(void **state)
{
    docset ds = {0};
    json_t *res;
    evidence *a;
    (void)state;

    /* Numbers compare without labels, spaces or case. */
    contract(&ds, "contracts/a.docx", "ht-2026-018", "risk-assessment", "2026-02-01");
    a = acceptance(&ds, "acceptance/a.docx", "合同编号：HT - 2026 - 018", "2026-04-01");
    json_object_set_new(a->fields, "acceptance_result", json_string("conditional"));
    add_check(a, "record.projects:preliminary");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "record.projects", "met");
    assert_true(has_reason(res, "record.projects", "acceptance/a.docx", "\"conditional\", not a pass"));
    assert_true(has_reason(res, "record.projects", "acceptance/a.docx", "初验"));
    json_decref(res);
    docset_free(&ds);

    /* No contract_ref: a probable match is listed for review, status unchanged. */
    contract(&ds, "contracts/b.docx", "HT-2026-020", "risk-assessment", "2026-02-01");
    add(&ds, "acceptance/b.docx", "acceptance-report", NULL, NULL,
        "{\"project_name\": \"P-HT-2026-020\", \"party_a\": \"" CLIENT "\", "
        "\"completed_on\": \"2026-05-01\"}");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "record.projects", "partial");
    assert_true(has_reason(res, "record.projects",
                           "needs review: risk-assessment: acceptance not linked by contract number",
                           "acceptance/b.docx"));
    json_decref(res);
    docset_free(&ds);
}

static void test_projects_expired_and_missing(void **state)
{
    docset ds = {0};
    json_t *res;
    (void)state;

    contract(&ds, "contracts/old.docx", "HT-2024-001", "risk-assessment", "2024-03-01");
    acceptance(&ds, "acceptance/old.docx", "HT-2024-001", "2024-09-01");
    res = run(&ds, "2026-06-30", "risk-assessment,security-audit");
    EXPECT_STATUS(res, "record.projects", "missing");
    assert_string_equal(cat_status(res, "record.projects", "risk-assessment"), "expired");
    assert_string_equal(cat_status(res, "record.projects", "security-audit"), "missing");
    assert_true(has_reason(res, "record.projects", "security-audit: no service contract", NULL));
    json_decref(res);
    docset_free(&ds);
}

/* ---- per-category worst-of -------------------------------------------------------- */

static void test_per_category_worst_of(void **state)
{
    docset ds = {0};
    json_t *res;
    (void)state;

    contract(&ds, "contracts/ra.docx", "HT-1", "risk-assessment", "2025-01-01");
    contract(&ds, "contracts/sa.docx", "HT-2", "security-audit", "2026-06-01");
    contract(&ds, "contracts/er-old.docx", "HT-3", "emergency-response", "2024-01-01");
    res = run(&ds, "2026-06-30", "risk-assessment,security-audit");
    assert_string_equal(cat_status(res, "record.duration", "risk-assessment"), "met");
    assert_string_equal(cat_status(res, "record.duration", "security-audit"), "partial");
    EXPECT_STATUS(res, "record.duration", "partial");
    json_decref(res);

    res = run(&ds, "2026-06-30", "risk-assessment,emergency-response");
    /* projects: er expired (old, unaccepted), ra expired too -> expired */
    assert_string_equal(cat_status(res, "record.projects", "emergency-response"), "expired");
    EXPECT_STATUS(res, "record.projects", "expired");
    json_decref(res);

    res = run(&ds, "2026-06-30", "risk-assessment,secure-software-development");
    assert_string_equal(cat_status(res, "record.duration", "secure-software-development"), "missing");
    EXPECT_STATUS(res, "record.duration", "missing");
    json_decref(res);
    docset_free(&ds);
}

/* ---- procedures: superseded, withdrawn, not yet in force ------------------------------ */

static void test_superseded_versions(void **state)
{
    docset ds = {0};
    json_t *res;
    (void)state;

    procedure(&ds, "proc/personnel-v1.0.docx", "personnel", "QM-PR-001", "V1.0", "2025-01-01");
    procedure(&ds, "proc/personnel-v1.2.docx", "personnel", "qm-pr-001", "V1.2", "2024-06-01");
    procedure(&ds, "proc/docs-A0.docx", "documents", "QM-PR-003", "A/0", "2025-01-01");
    procedure(&ds, "proc/docs-B0.docx", "documents", "QM-PR-003", "B/0", "2025-01-01");
    /* Equal versions: the later effective_on wins. */
    procedure(&ds, "proc/contracts-old.docx", "contracts", "QM-PR-007", "V2.0", "2025-01-01");
    procedure(&ds, "proc/contracts-new.docx", "contracts", "QM-PR-007", "V2.0", "2025-09-01");
    /* Same number, other topic: not a supersession. */
    procedure(&ds, "proc/finance.docx", "finance", "QM-PR-007", "V9.0", "2025-01-01");
    res = run(&ds, "2026-06-30", "risk-assessment");

    EXPECT_STATUS(res, "mgmt.personnel", "met");
    assert_true(has_evidence(res, "mgmt.personnel", "proc/personnel-v1.2.docx"));
    assert_false(has_evidence(res, "mgmt.personnel", "proc/personnel-v1.0.docx"));
    assert_true(has_reason(res, "mgmt.personnel", "proc/personnel-v1.0.docx", "superseded by"));

    EXPECT_STATUS(res, "mgmt.documents", "met");
    assert_true(has_evidence(res, "mgmt.documents", "proc/docs-B0.docx"));
    assert_false(has_evidence(res, "mgmt.documents", "proc/docs-A0.docx"));

    assert_true(has_evidence(res, "mgmt.contracts", "proc/contracts-new.docx"));
    assert_false(has_evidence(res, "mgmt.contracts", "proc/contracts-old.docx"));
    assert_true(has_reason(res, "mgmt.contracts", "proc/contracts-old.docx", "superseded"));
    EXPECT_STATUS(res, "finance.management", "met");
    json_decref(res);
    docset_free(&ds);

    /* Same number, same version, same date: both count, and a person decides. */
    procedure(&ds, "proc/copy-1.docx", "suppliers", "QM-PR-009", "V1.0", "2025-01-01");
    procedure(&ds, "proc/copy-2.docx", "suppliers", "QM-PR-009", "V1.0", "2025-01-01");
    res = run(&ds, "2026-06-30", "security-operations");
    EXPECT_STATUS(res, "mgmt.suppliers", "met");
    assert_true(has_reason(res, "mgmt.suppliers", "needs review: suppliers procedure QM-PR-009 "
                           "(proc/copy-1.docx) and proc/copy-2.docx carry the same number", NULL));
    json_decref(res);
    docset_free(&ds);

    /* A version that does not parse: by effective date, with a reason. */
    procedure(&ds, "proc/a.docx", "personnel", "QM-PR-001", "draft", "2025-01-01");
    procedure(&ds, "proc/b.docx", "personnel", "QM-PR-001", "V1.0", "2025-03-01");
    res = run(&ds, "2026-06-30", "risk-assessment");
    assert_true(has_evidence(res, "mgmt.personnel", "proc/b.docx"));
    assert_false(has_evidence(res, "mgmt.personnel", "proc/a.docx"));
    assert_true(has_reason(res, "mgmt.personnel", "do not both parse", "effective date"));
    json_decref(res);
    docset_free(&ds);
}

static void test_withdrawn_and_future(void **state)
{
    docset ds = {0};
    json_t *res;
    evidence *e;
    (void)state;

    e = procedure(&ds, "proc/personnel.docx", "personnel", "QM-PR-001", "V1.0", "2025-01-01");
    json_object_set_new(e->fields, "withdrawn", json_true());
    e = procedure(&ds, "proc/documents.docx", "documents", NULL, NULL, "2025-01-01");
    e->title = ev_strdup("文件控制程序（作废）");
    procedure(&ds, "proc/contracts.docx", "contracts", "QM-PR-007", "V1.0", "2026-07-01");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "mgmt.personnel", "expired");
    assert_true(has_reason(res, "mgmt.personnel", "proc/personnel.docx", "withdrawn"));
    EXPECT_STATUS(res, "mgmt.documents", "expired");
    /* Not yet in force: does not count, and says when it will. */
    assert_false(has_evidence(res, "mgmt.contracts", "proc/contracts.docx"));
    assert_true(has_reason(res, "mgmt.contracts", "not yet in force", "2026-07-01"));
    EXPECT_STATUS(res, "mgmt.contracts", "missing");
    json_decref(res);

    res = run(&ds, "2026-07-01", "risk-assessment");
    assert_true(has_evidence(res, "mgmt.contracts", "proc/contracts.docx"));
    EXPECT_STATUS(res, "mgmt.contracts", "partial");
    json_decref(res);

    /* A newer version not yet in force does not supersede the current one. */
    procedure(&ds, "proc/contracts-old.docx", "contracts", "QM-PR-007", "V0.9", "2025-01-01");
    res = run(&ds, "2026-06-30", "risk-assessment");
    assert_true(has_evidence(res, "mgmt.contracts", "proc/contracts-old.docx"));
    json_decref(res);
    docset_free(&ds);
}

/* ---- mgmt.suppliers applicability --------------------------------------------------- */

static void test_suppliers_applicability(void **state)
{
    docset ds = {0};
    json_t *res;
    (void)state;

    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "mgmt.suppliers", "not-applicable");
    json_decref(res);

    res = run(&ds, "2026-06-30", "risk-assessment,security-integration");
    EXPECT_STATUS(res, "mgmt.suppliers", "missing");
    assert_true(has_reason(res, "mgmt.suppliers", "security-integration", NULL));
    json_decref(res);

    procedure(&ds, "proc/suppliers.docx", "suppliers", "QM-PR-009", "V1.0", "2025-01-01");
    res = run(&ds, "2026-06-30", "security-integration");
    EXPECT_STATUS(res, "mgmt.suppliers", "met");
    json_decref(res);
    docset_free(&ds);
}

/* ---- site.office --------------------------------------------------------------------- */

static evidence *lease(docset *ds, const char *path, const char *tenant,
                       const char *start, const char *end)
{
    char f[512];
    snprintf(f, sizeof f,
             "{\"party_a\": \"房东有限公司\", \"party_b\": \"%s\", "
             "\"signed_on\": \"2024-12-20\", \"start_on\": \"%s\", \"end_on\": \"%s\"}",
             tenant, start, end);
    return add(ds, path, "lease-contract", NULL, NULL, f);
}

static void test_site_office(void **state)
{
    docset ds = {0};
    json_t *res;
    (void)state;

    lease(&ds, "site/lease.docx", ORG, "2025-01-01", "2026-06-29");
    res = run(&ds, "2026-06-30", "risk-assessment");
    /* Ended yesterday. */
    EXPECT_STATUS(res, "site.office", "expired");
    assert_true(has_reason(res, "site.office", "site/lease.docx", "ended on 2026-06-29"));
    json_decref(res);

    /* A lease runs through its last day (start_on <= as-of <= end_on), as
     * certificates and licences do. */
    res = run(&ds, "2026-06-29", "risk-assessment");
    EXPECT_STATUS(res, "site.office", "met");
    assert_true(has_evidence(res, "site.office", "site/lease.docx"));
    assert_true(has_reason(res, "site.office", "needs review: renewal", "this is its last day"));
    assert_false(has_reason(res, "site.office", "ended on", NULL));
    json_decref(res);
    /* And from its first day. */
    res = run(&ds, "2025-01-01", "risk-assessment");
    EXPECT_STATUS(res, "site.office", "met");
    json_decref(res);
    res = run(&ds, "2024-12-31", "risk-assessment");
    EXPECT_STATUS(res, "site.office", "partial");
    assert_true(has_reason(res, "site.office", "site/lease.docx", "starts only on 2025-01-01"));
    json_decref(res);

    res = run(&ds, "2026-06-28", "risk-assessment");
    EXPECT_STATUS(res, "site.office", "met");
    assert_true(has_reason(res, "site.office", "needs review: renewal", ", 1 day after"));
    assert_false(has_reason(res, "site.office", "no signing date", NULL));
    assert_false(has_reason(res, "site.office", "has no text", NULL));
    json_decref(res);

    /* A renewal typed up but not signed yet counts, and is to be confirmed. */
    add(&ds, "site/renewal-draft.docx", "lease-contract", NULL, NULL,
        "{\"party_a\": \"房东有限公司\", \"party_b\": \"" ORG "\", "
        "\"start_on\": \"2026-06-30\", \"end_on\": \"2028-06-29\"}");
    res = run(&ds, "2026-07-15", "risk-assessment");
    EXPECT_STATUS(res, "site.office", "met");
    assert_true(has_reason(res, "site.office", "needs review:", "site/renewal-draft.docx"));
    assert_true(has_reason(res, "site.office", "no signing date", "not a draft"));
    json_decref(res);
    docset_free(&ds);

    /* A scanned lease not yet read (no text) is never evidence by its file
     * name alone (7a): it is named as the lease the folder may hold. */
    lease(&ds, "site/租赁合同扫描件.docx", ORG, "2026-01-01", "2027-12-31")->text_chars = 0;
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "site.office", "missing");
    assert_true(has_reason(res, "site.office",
                           "no lease contract read; site/租赁合同扫描件.docx is not read: "
                           "no text was found in it (a scan or an image)", NULL));
    assert_false(has_evidence(res, "site.office", "site/租赁合同扫描件.docx"));
    json_decref(res);
    docset_free(&ds);

    /* A short term, a future lease, a lease of someone else. */
    lease(&ds, "site/short.docx", ORG, "2026-04-01", "2026-12-31");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "site.office", "met");
    assert_true(has_reason(res, "site.office", "needs review: long-term", "site/short.docx"));
    assert_false(has_reason(res, "site.office", "renewal", NULL));
    json_decref(res);
    docset_free(&ds);

    lease(&ds, "site/next.docx", ORG, "2026-08-01", "2029-07-31");
    lease(&ds, "site/other.docx", "别的公司", "2025-01-01", "2028-12-31");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "site.office", "partial");
    assert_true(has_reason(res, "site.office", "site/other.docx", "not the organisation"));
    assert_false(has_evidence(res, "site.office", "site/other.docx"));
    json_decref(res);

    /* A property certificate of the organisation is enough. */
    add(&ds, "site/property.docx", "certificate", NULL, "property",
        "{\"holder\": \"" ORG "\"}");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "site.office", "met");
    json_decref(res);
    docset_free(&ds);
}

/* ---- electronic signatures ----------------------------------------------------------- */

/* Give e one signature, as the parser records it. */
static void sign(evidence *e, const char *signer, const char *status, bool whole)
{
    json_array_append_new(e->signatures,
                          json_pack("{s:s?, s:s, s:s, s:s, s:b}", "signer", signer,
                                    "signed_at", "2026-03-05T02:00:00Z", "status", status,
                                    "certificate", "unknown-issuer", "covers_whole", whole));
}

static size_t count_reasons(json_t *res, const char *id, const char *w)
{
    size_t i, n = 0;
    json_t *v;

    json_array_foreach(json_object_get(req(res, id), "reasons"), i, v)
        n += strstr(json_string_value(v), w) != NULL;
    return n;
}

/* A signature that does not validate, or one the file was changed after,
 * is a review reason on every requirement citing the document, once, and
 * never a status; a valid whole-file signature says nothing. */
static void test_signature_reviews(void **state)
{
    docset ds = {0};
    json_t *res;
    (void)state;

    sign(contract(&ds, "contracts/HT-2026-018.pdf", "HT-2026-018", "security-operations",
                  "2026-03-05"), "张伟", "valid", false);
    sign(acceptance(&ds, "acceptance/YS-2026-018.pdf", "HT-2026-018", "2026-09-30"),
         NULL, "digest-mismatch", true);
    sign(contract(&ds, "contracts/HT-2026-020.pdf", "HT-2026-020", "risk-assessment",
                  "2026-03-06"), "李强", "valid", true);
    res = run(&ds, "2026-10-15", "security-operations,risk-assessment");
    EXPECT_STATUS(res, "record.projects", "partial");
    assert_string_equal(cat_status(res, "record.projects", "security-operations"), "met");
    assert_true(has_reason(res, "record.projects",
                           "needs review: contracts/HT-2026-018.pdf: its electronic signature by "
                           "张伟 does not cover the whole file: it was changed after signing",
                           NULL));
    assert_true(has_reason(res, "record.projects",
                           "needs review: acceptance/YS-2026-018.pdf: its electronic signature "
                           "does not validate (digest-mismatch)", NULL));
    assert_int_equal(count_reasons(res, "record.projects", "contracts/HT-2026-018.pdf: its"), 1);
    /* record.duration cites the contract too (not the acceptance) */
    EXPECT_STATUS(res, "record.duration", "met");
    assert_true(has_reason(res, "record.duration", "contracts/HT-2026-018.pdf: its electronic",
                           "changed after signing"));
    assert_false(has_reason(res, "record.duration", "acceptance/YS-2026-018.pdf", NULL));
    assert_false(has_reason(res, "record.duration", "HT-2026-020.pdf: its electronic", NULL));
    json_decref(res);
    docset_free(&ds);

    /* counter-signed: the first signature does not cover the second's update,
     * and the reason says who signed the whole file */
    evidence *e = contract(&ds, "contracts/HT-2026-021.pdf", "HT-2026-021", "risk-assessment",
                           "2026-03-05");
    sign(e, "张伟", "valid", false);
    sign(e, "王芳", "valid", true);
    res = run(&ds, "2026-10-15", "risk-assessment");
    assert_true(has_reason(res, "record.duration", "by 张伟 does not cover the whole file",
                           "(a later signature by 王芳 covers it)"));
    assert_false(has_reason(res, "record.duration", "signature by 王芳 does", NULL));
    json_decref(res);
    docset_free(&ds);
}

/* ---- staff ------------------------------------------------------------------------------ */

static void test_staff(void **state)
{
    docset ds = {0};
    json_t *res;
    (void)state;

    /* 技术负责人 is not the head even though it contains 负责人. */
    add(&ds, "staff/li.docx", "resume", NULL, NULL,
        "{\"person_name\": \"李强\", \"person_role\": \"技术负责人\", \"experience\": []}");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "staff.head", "missing");
    EXPECT_STATUS(res, "staff.technical-director", "partial");
    EXPECT_STATUS(res, "staff.engineers", "missing");
    json_decref(res);

    /* The head by the licence's legal representative; 20 months of management. */
    add(&ds, "staff/zhang.docx", "resume", NULL, NULL,
        "{\"person_name\": \"张 伟\", \"person_role\": \"董事\", \"experience\": ["
        "{\"from\": \"2024-11-01\", \"to\": null, \"employer\": \"青云\", \"role\": \"总经理\"},"
        "{\"from\": \"2025-01-01\", \"to\": \"2025-06-30\", \"employer\": \"青云\", \"role\": \"部门经理\"},"
        "{\"from\": \"2018-01-01\", \"to\": \"2024-10-31\", \"employer\": \"x\", \"role\": \"工程师\"}]}");
    add(&ds, "legal/licence.docx", "business-license", NULL, NULL,
        "{\"org_name\": \"" ORG "\", \"legal_representative\": \"张伟\", "
        "\"credit_code\": \"91310000MA1FL1234Y\"}");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "staff.head", "met");
    assert_true(has_evidence(res, "staff.head", "staff/zhang.docx"));
    assert_true(has_reason(res, "staff.head", "20 months", "under 24"));
    EXPECT_STATUS(res, "legal.entity", "met");
    assert_true(has_reason(res, "legal.entity", "needs review: history and ownership", NULL));
    assert_true(has_reason(res, "legal.entity", "credit code", "not valid"));
    json_decref(res);
    /* Four months later the management time reaches 24. */
    res = run(&ds, "2026-10-31", "risk-assessment");
    assert_false(has_reason(res, "staff.head", "under 24", NULL));
    json_decref(res);

    /* Certificates: the director's current one makes 4.2 met; all expired -> expired. */
    add(&ds, "certs/li-cisp.docx", "certificate", NULL, "personnel",
        "{\"holder\": \"李强\", \"service_category\": \"security-audit\", "
        "\"issued_on\": \"2023-07-01\", \"valid_until\": \"2026-06-29\"}");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "staff.technical-director", "expired");
    EXPECT_STATUS(res, "staff.engineers", "expired");
    json_decref(res);
    res = run(&ds, "2026-06-29", "risk-assessment");
    EXPECT_STATUS(res, "staff.technical-director", "met");
    assert_true(has_reason(res, "staff.technical-director",
                           "needs review: risk-assessment: certificate", "security-audit, not risk-assessment"));
    EXPECT_STATUS(res, "staff.engineers", "met");
    assert_true(has_reason(res, "staff.engineers", "no current certificate names the category", NULL));
    assert_true(has_reason(res, "staff.engineers", "project leader", NULL));
    json_decref(res);
    docset_free(&ds);
}

static void test_director_certificates(void **state)
{
    docset ds = {0};
    json_t *res;
    (void)state;

    add(&ds, "staff/zhao.docx", "resume", NULL, NULL,
        "{\"person_name\": \"赵敏\", \"person_role\": \"技术总监\"}");
    add(&ds, "certs/other.docx", "certificate", NULL, "personnel",
        "{\"holder\": \"王芳\", \"service_category\": \"security-audit\"}");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "staff.technical-director", "met");
    assert_true(has_reason(res, "staff.technical-director",
                           "needs review: no current certificate is held by the person", NULL));
    assert_true(has_reason(res, "staff.technical-director", "certs/other.docx",
                           "security-audit, not risk-assessment"));
    assert_true(has_reason(res, "staff.technical-director", "needs review: evaluation passed", NULL));
    json_decref(res);

    /* The director's own certificate replaces the others in the evidence. */
    add(&ds, "certs/zhao.docx", "certificate", NULL, "personnel",
        "{\"holder\": \"赵 敏\", \"service_category\": \"risk-assessment\"}");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "staff.technical-director", "met");
    assert_true(has_evidence(res, "staff.technical-director", "certs/zhao.docx"));
    assert_false(has_evidence(res, "staff.technical-director", "certs/other.docx"));
    assert_false(has_reason(res, "staff.technical-director", "not risk-assessment", NULL));
    assert_false(has_reason(res, "staff.technical-director", "is held by the person", NULL));
    json_decref(res);
    docset_free(&ds);
}

/* ---- mgmt.training, mgmt.confidentiality, mgmt.projects, mgmt.contracts ----------------- */

static void test_training(void **state)
{
    docset ds = {0};
    json_t *res;
    (void)state;

    add(&ds, "train/plan-2025.docx", "training-plan", NULL, NULL,
        "{\"period_start\": \"2025-01-01\", \"period_end\": \"2025-12-31\"}");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "mgmt.training", "partial");
    assert_true(has_reason(res, "mgmt.training", "needs review: plan for the current period", NULL));
    json_decref(res);

    add(&ds, "train/record-future.docx", "training-record", NULL, "training",
        "{\"held_on\": \"2026-07-02\"}");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "mgmt.training", "partial");
    json_decref(res);

    add(&ds, "train/record-old.docx", "training-record", NULL, "training",
        "{\"held_on\": \"2025-03-02\"}");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "mgmt.training", "met");
    assert_true(has_reason(res, "mgmt.training", "no training record dated within the last 12 months", NULL));
    json_decref(res);
    res = run(&ds, "2025-06-30", "risk-assessment");
    assert_false(has_reason(res, "mgmt.training", "plan for the current period", NULL));
    assert_false(has_reason(res, "mgmt.training", "last 12 months", NULL));
    json_decref(res);
    docset_free(&ds);

    /* Only a superseded training procedure and no record: expired. */
    procedure(&ds, "proc/training-1.docx", "training", "QM-PR-002", "V1", "2024-01-01");
    procedure(&ds, "proc/training-2.docx", "training", "QM-PR-002", "V2", "2025-01-01");
    json_object_set_new(ds.e[1]->fields, "withdrawn", json_true());
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "mgmt.training", "expired");
    json_decref(res);
    docset_free(&ds);
}

static void test_confidentiality(void **state)
{
    docset ds = {0};
    json_t *res;
    (void)state;

    add(&ds, "nda/customer.docx", "confidentiality-agreement", NULL, "business",
        "{\"party_a\": \"" CLIENT "\", \"employee\": \"" ORG "\", \"signed_on\": \"2026-01-01\"}");
    add(&ds, "nda/blank.docx", "confidentiality-agreement", NULL, "employee",
        "{\"employee\": \"XXX\", \"signed_on\": \"2026-01-01\"}");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "mgmt.confidentiality", "missing");
    assert_true(has_reason(res, "mgmt.confidentiality", "nda/customer.docx", "between organisations"));
    assert_true(has_reason(res, "mgmt.confidentiality", "nda/blank.docx", "not signed"));
    json_decref(res);

    add(&ds, "nda/wang.docx", "confidentiality-agreement", NULL, "employee",
        "{\"employee\": \"王芳\", \"signed_on\": \"2024-01-01\", \"end_on\": \"2026-01-01\"}");
    add(&ds, "staff/li.docx", "resume", NULL, NULL, "{\"person_name\": \"李强\"}");
    procedure(&ds, "proc/conf.docx", "confidentiality", "QM-PR-005", "V1.0", "2025-01-01");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "mgmt.confidentiality", "met");
    assert_true(has_evidence(res, "mgmt.confidentiality", "nda/wang.docx"));
    assert_false(has_evidence(res, "mgmt.confidentiality", "nda/customer.docx"));
    assert_true(has_reason(res, "mgmt.confidentiality", "nda/wang.docx", "ended on 2026-01-01"));
    assert_true(has_reason(res, "mgmt.confidentiality", "no confidentiality agreement found for: 李强", NULL));
    assert_true(has_reason(res, "mgmt.confidentiality", "confidentiality education", NULL));
    json_decref(res);

    /* Education within the last 12 months: listed as support, no review. */
    add(&ds, "train/conf-edu.docx", "training-record", NULL, "confidentiality-education",
        "{\"held_on\": \"2025-07-01\"}");
    res = run(&ds, "2026-06-30", "risk-assessment");
    assert_true(has_evidence(res, "mgmt.confidentiality", "train/conf-edu.docx"));
    assert_false(has_reason(res, "mgmt.confidentiality", "confidentiality education", NULL));
    json_decref(res);
    docset_free(&ds);
}

static void test_projects_and_contracts_mgmt(void **state)
{
    docset ds = {0};
    json_t *res;
    evidence *t;
    (void)state;

    procedure(&ds, "proc/projects-v1.docx", "projects", "QM-PR-004", "V1.0", "2024-01-01");
    procedure(&ds, "proc/projects-v2.docx", "projects", "QM-PR-004", "V2.0", "2024-06-01");
    /* The newest is withdrawn: nothing current, only old -> expired. */
    json_object_set_new(ds.e[1]->fields, "withdrawn", json_string("作废"));
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "mgmt.projects", "expired");
    json_decref(res);
    add(&ds, "risk/register.docx", "risk-record", NULL, NULL, "{\"held_on\": \"2026-05-01\"}");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "mgmt.projects", "partial");
    json_decref(res);

    t = add(&ds, "tmpl/contract.docx", "contract-template", NULL, NULL, "{}");
    add_check(t, "mgmt.contracts:confidentiality-clause");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "mgmt.contracts", "partial");
    assert_true(has_reason(res, "mgmt.contracts", "ip clause", "知识产权"));
    assert_false(has_reason(res, "mgmt.contracts", "does not mention confidentiality clause", NULL));
    json_decref(res);
    docset_free(&ds);
}

/* ---- tech.process / tech.standards -------------------------------------------------------- */

static void test_tech_per_category(void **state)
{
    docset ds = {0};
    json_t *res;
    (void)state;

    add(&ds, "tech/process-none.docx", "service-process", NULL, NULL, "{}");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "tech.process", "met");
    EXPECT_STATUS(res, "tech.standards", "missing");
    json_decref(res);

    res = run(&ds, "2026-06-30", "risk-assessment,security-audit");
    EXPECT_STATUS(res, "tech.process", "partial");
    json_decref(res);

    add(&ds, "tech/process-ra.docx", "service-process", NULL, NULL,
        "{\"service_category\": \"risk-assessment\"}");
    add(&ds, "tech/process-multi.docx", "service-process", NULL, NULL,
        "{\"service_categories\": [\"emergency-response\", \"security-audit\"]}");
    contract(&ds, "contracts/ra.docx", "HT-7", "risk-assessment", "2026-01-01");
    acceptance(&ds, "acceptance/ra.docx", "HT-7", "2026-03-01");
    acceptance(&ds, "acceptance/ra-2024.docx", "HT-7", "2024-03-01");
    res = run(&ds, "2026-06-30", "risk-assessment,security-audit");
    EXPECT_STATUS(res, "tech.process", "met");
    assert_true(has_evidence(res, "tech.process", "tech/process-multi.docx"));
    assert_true(has_reason(res, "tech.process",
                           "needs review: risk-assessment: whether it is followed: sample "
                           "acceptance/ra.docx", NULL));
    assert_false(has_reason(res, "tech.process", "acceptance/ra-2024.docx", NULL));
    assert_true(has_reason(res, "tech.process", "needs review: security-audit: whether it is followed",
                           "no acceptance report or risk record"));
    json_decref(res);

    /* our acceptance of a supplier's work (we are party A of its contract)
     * is no sample of our own service */
    add(&ds, "contracts/sub.docx", "service-contract", NULL, NULL,
        "{\"doc_number\": \"HT-SUB\", \"service_category\": \"risk-assessment\", "
        "\"signed_on\": \"2026-01-05\", \"party_a\": \"" ORG "\", "
        "\"party_b\": \"某分包技术有限公司\"}");
    acceptance(&ds, "acceptance/sub.docx", "HT-SUB", "2026-04-01");
    res = run(&ds, "2026-06-30", "risk-assessment,security-audit");
    assert_true(has_reason(res, "tech.process", "risk-assessment: whether it is followed",
                           "acceptance/ra.docx"));
    assert_false(has_reason(res, "tech.process", "whether it is followed", "acceptance/sub.docx"));
    json_decref(res);

    /* a risk record belongs to its project's category; one whose project
     * is unknown may be of any */
    add(&ds, "risk/p-ht-7.docx", "risk-record", NULL, NULL,
        "{\"project_name\": \"P-HT-7\", \"issued_on\": \"2026-04-01\"}");
    add(&ds, "risk/other.docx", "risk-record", NULL, NULL,
        "{\"project_name\": \"某项目\", \"issued_on\": \"2026-04-02\"}");
    res = run(&ds, "2026-06-30", "risk-assessment,security-audit");
    assert_true(has_reason(res, "tech.process", "risk-assessment: whether it is followed",
                           "risk/p-ht-7.docx"));
    assert_false(has_reason(res, "tech.process", "security-audit: whether it is followed",
                            "risk/p-ht-7.docx"));
    assert_true(has_reason(res, "tech.process", "security-audit: whether it is followed",
                           "risk/other.docx"));
    json_decref(res);
    docset_free(&ds);
}

/* ---- legal.compliance, review wording ---------------------------------------------------- */

static void test_credit_report_age(void **state)
{
    docset ds = {0};
    json_t *res;
    (void)state;

    add(&ds, "legal/credit-old.docx", "credit-report", NULL, "report",
        "{\"issued_on\": \"2025-12-29\"}");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "legal.compliance", "met");
    assert_true(has_reason(res, "legal.compliance", "needs review: credit standing", NULL));
    assert_true(has_reason(res, "legal.compliance", "needs review: the newest credit report",
                           "more than 6 months"));
    json_decref(res);
    /* Exactly 6 months old is not more than 6 months. */
    res = run(&ds, "2026-06-29", "risk-assessment");
    assert_false(has_reason(res, "legal.compliance", "more than 6 months", NULL));
    json_decref(res);
    docset_free(&ds);
}

static void test_assumptions_once(void **state)
{
    docset ds = {0};
    json_t *res;
    evidence *a;
    size_t i, n = 0;
    json_t *v;
    (void)state;

    contract(&ds, "contracts/a.docx", "HT-1", "risk-assessment", "2026-01-05");
    contract(&ds, "contracts/b.docx", "HT-2", "security-audit", "2026-01-05");
    a = acceptance(&ds, "acceptance/a.docx", "HT-1", "2026-03-01");
    a->title = ev_strdup("项目初验报告");
    res = run_with(&ds, "2026-06-30", "risk-assessment,security-audit", false);
    json_array_foreach(json_object_get(req(res, "record.projects"), "reasons"), i, v)
        if (strstr(json_string_value(v), "no organisation names are configured"))
            n++;
    assert_int_equal(n, 1);
    assert_true(has_reason(res, "record.projects",
                           "no organisation names are configured: party B of each service "
                           "contract is taken to be the organisation (the provider)",
                           NULL));
    assert_true(has_reason(res, "record.projects", "acceptance/a.docx", "preliminary"));
    json_decref(res);
    docset_free(&ds);
}

/* ---- records that never count ----------------------------------------------------------- */

static void test_rejected_and_unparsed(void **state)
{
    docset ds = {0};
    json_t *res;
    evidence *e;
    (void)state;

    e = add(&ds, "legal/broken.docx", "business-license", NULL, NULL, "{}");
    e->error = EV_EMALFORMED;
    e = add(&ds, "legal/scan.pdf", "business-license", NULL, NULL, "{}");
    e->unparsed = true;
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "legal.entity", "missing");
    json_decref(res);
    add(&ds, "legal/expired.docx", "business-license", NULL, NULL,
        "{\"org_name\": \"" ORG "\", \"end_on\": \"2026-06-29\", "
        "\"credit_code\": \"91310000MA1FL1234Y\"}");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "legal.entity", "expired");
    json_decref(res);

    /* A file name in a legacy encoding still gives valid JSON strings. */
    add(&ds, "legal/\xff\xc3.docx", "business-license", NULL, NULL,
        "{\"org_name\": \"" ORG "\"}");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "legal.entity", "met");
    assert_true(has_evidence(res, "legal.entity", "legal/\xef\xbf\xbd\xef\xbf\xbd.docx"));
    json_decref(res);
    docset_free(&ds);
}

/* ---- requirements.md 7a -------------------------------------------------------------- */

/* A file that was only hashed (an image), as the scanner records it. */
static evidence *hashed_only(docset *ds, const char *path)
{
    evidence *e = evidence_new(path);

    assert_true(ds->n < 64);
    e->unparsed = true;
    snprintf(e->sha256, sizeof e->sha256, "%064zx", ds->n + 1);
    ds->e[ds->n++] = e;
    return e;
}

static evidence *rejected(docset *ds, const char *path, ev_code code, const char *message)
{
    evidence *e = hashed_only(ds, path);

    e->unparsed = false;
    e->error = code;
    e->error_message = ev_strdup(message);
    return e;
}

static void test_7a_signed_before_accepted_inside(void **state)
{
    docset ds = {0};
    json_t *res;
    (void)state;

    /* Signed in 2024, accepted in the window: partial, with the reason. */
    contract(&ds, "contracts/long.docx", "HT-2024-009", "risk-assessment", "2024-11-20");
    acceptance(&ds, "acceptance/long.docx", "HT-2024-009", "2026-02-10");
    contract(&ds, "contracts/sa.docx", "HT-SA-1", "security-audit", "2026-01-10");
    acceptance(&ds, "acceptance/sa.docx", "HT-SA-1", "2026-03-10");
    res = run(&ds, "2026-06-30", "risk-assessment,security-audit");
    assert_string_equal(cat_status(res, "record.projects", "risk-assessment"), "partial");
    assert_string_equal(cat_status(res, "record.projects", "security-audit"), "met");
    EXPECT_STATUS(res, "record.projects", "partial");
    assert_true(has_reason(res, "record.projects",
                           "risk-assessment: service contract HT-2024-009 (contracts/long.docx) "
                           "was completed on 2026-02-10 within the last year, but signed on "
                           "2024-11-20 before it", NULL));
    assert_true(has_evidence(res, "record.projects", "contracts/long.docx"));
    assert_true(has_evidence(res, "record.projects", "acceptance/long.docx"));
    json_decref(res);

    /* A pair signed and accepted in the window makes it met; the older one
     * is then not named. */
    contract(&ds, "contracts/new.docx", "HT-2026-002", "risk-assessment", "2026-01-05");
    acceptance(&ds, "acceptance/new.docx", "HT-2026-002", "2026-05-05");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "record.projects", "met");
    assert_false(has_reason(res, "record.projects", "but signed on", NULL));
    assert_false(has_evidence(res, "record.projects", "contracts/long.docx"));
    json_decref(res);
    docset_free(&ds);
}

static void test_7a_tech_per_category(void **state)
{
    docset ds = {0};
    json_t *res;
    (void)state;

    /* A standard names risk-assessment only: met there, partial for the
     * category no standard names, and the worst of them overall. */
    add(&ds, "tech/std-ra.docx", "service-standard", NULL, NULL,
        "{\"service_category\": \"risk-assessment\"}");
    res = run(&ds, "2026-06-30", "risk-assessment,security-audit");
    assert_string_equal(cat_status(res, "tech.standards", "risk-assessment"), "met");
    assert_string_equal(cat_status(res, "tech.standards", "security-audit"), "partial");
    EXPECT_STATUS(res, "tech.standards", "partial");
    assert_true(has_reason(res, "tech.standards",
                           "security-audit: no service standard names security-audit", NULL));
    /* No process at all: missing in every category. */
    assert_string_equal(cat_status(res, "tech.process", "risk-assessment"), "missing");
    assert_string_equal(cat_status(res, "tech.process", "security-audit"), "missing");
    EXPECT_STATUS(res, "tech.process", "missing");
    json_decref(res);

    /* A process that names no category covers the one declared category. */
    add(&ds, "tech/process.docx", "service-process", NULL, NULL, "{}");
    res = run(&ds, "2026-06-30", "security-audit");
    EXPECT_STATUS(res, "tech.process", "met");
    EXPECT_STATUS(res, "tech.standards", "partial");
    json_decref(res);
    docset_free(&ds);
}

static void test_7a_drafts(void **state)
{
    docset ds = {0};
    json_t *res;
    evidence *e;
    (void)state;

    /* V2.0 is a draft for comment: V1.0 stays current, not superseded. */
    procedure(&ds, "proc/conf-v1.docx", "confidentiality", "QM-PR-005", "V1.0", "2024-01-01");
    e = procedure(&ds, "proc/conf-v2.docx", "confidentiality", "QM-PR-005", "V2.0", "2026-01-01");
    json_object_set_new(e->fields, "draft", json_string("征求意见稿"));
    res = run(&ds, "2026-06-30", "risk-assessment");
    assert_true(has_evidence(res, "mgmt.confidentiality", "proc/conf-v1.docx"));
    assert_false(has_evidence(res, "mgmt.confidentiality", "proc/conf-v2.docx"));
    assert_true(has_reason(res, "mgmt.confidentiality", "proc/conf-v2.docx",
                           "marked \"征求意见稿\": draft: not in force"));
    assert_false(has_reason(res, "mgmt.confidentiality", "superseded", NULL));
    json_decref(res);
    docset_free(&ds);

    /* A draft alone: no current procedure, and not an old one either. The
     * title says so when the record has no draft field. */
    e = procedure(&ds, "proc/docs.docx", "documents", "QM-PR-003", "V0.3", "2026-01-01");
    e->title = ev_strdup("文件管理程序（送审稿）");
    e = procedure(&ds, "proc/trial.docx", "personnel", "QM-PR-001", "V1.0", "2026-01-01");
    e->title = ev_strdup("人员管理程序（试行）");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "mgmt.documents", "missing");
    assert_true(has_reason(res, "mgmt.documents", "proc/docs.docx", "draft: not in force"));
    EXPECT_STATUS(res, "mgmt.personnel", "met");    /* 试行 is in force */
    json_decref(res);
    docset_free(&ds);

    /* Plans, processes and standards: a draft never counts. */
    e = add(&ds, "train/plan.docx", "training-plan", NULL, NULL,
            "{\"period_start\": \"2026-01-01\", \"period_end\": \"2026-12-31\"}");
    e->title = ev_strdup("2026年度培训计划（讨论稿）");
    add(&ds, "train/record.docx", "training-record", NULL, "training",
        "{\"held_on\": \"2026-05-01\"}");
    e = add(&ds, "tech/process.docx", "service-process", NULL, NULL,
            "{\"service_category\": \"risk-assessment\"}");
    e->title = ev_strdup("Risk Assessment Service Process - DRAFT");
    e = add(&ds, "tech/standard.docx", "service-standard", NULL, NULL,
            "{\"service_category\": \"risk-assessment\", \"draft\": \"not for release\"}");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "mgmt.training", "partial");
    assert_true(has_reason(res, "mgmt.training", "train/plan.docx", "draft: not in force"));
    EXPECT_STATUS(res, "tech.process", "missing");
    assert_true(has_reason(res, "tech.process", "tech/process.docx", "marked \"draft\""));
    EXPECT_STATUS(res, "tech.standards", "missing");
    assert_true(has_reason(res, "tech.standards", "tech/standard.docx", "not for release"));
    json_decref(res);
    docset_free(&ds);

    /* Other kinds still count; a person confirms the final version. */
    e = lease(&ds, "site/lease.docx", ORG, "2026-01-01", "2028-12-31");
    json_object_set_new(e->fields, "draft", json_string("草稿"));
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "site.office", "met");
    assert_true(has_reason(res, "site.office", "needs review: lease contract (site/lease.docx)",
                           "marked \"草稿\": confirm it is the final version"));
    json_decref(res);
    docset_free(&ds);
}

static void test_7a_head_roles(void **state)
{
    static const struct {
        const char *role;
        bool head;
    } roles[] = {
        {"技术负责人", false},     {"项目负责人", false},       {"质量负责人", false},
        {"部门负责人", false},     {"副总经理", false},         {"总经理助理", false},
        {"负责人", true},          {"董事长", true},            {"总经理（法定代表人）", true},
        {"执行董事兼总经理", true}, {"General Manager", true},   {"CEO & Founder", true},
        {"Deputy General Manager", false},
    };
    (void)state;

    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        docset ds = {0};
        json_t *res;
        char f[256];

        snprintf(f, sizeof f, "{\"person_name\": \"周建国\", \"person_role\": \"%s\"}",
                 roles[i].role);
        add(&ds, "staff/cv.docx", "resume", NULL, NULL, f);
        res = run(&ds, "2026-06-30", "risk-assessment");
        if (strcmp(status(res, "staff.head"), roles[i].head ? "met" : "missing") != 0)
            fail_msg("%s: staff.head is %s", roles[i].role, status(res, "staff.head"));
        json_decref(res);
        docset_free(&ds);
    }
}

static void test_7a_registers(void **state)
{
    docset ds = {0};
    json_t *res;
    evidence *e;
    (void)state;

    /* A register read as an agreement, with a name and a date from its
     * first row, is not one; a register classified as other is support. */
    e = add(&ds, "nda/register.docx", "confidentiality-agreement", NULL, "employee",
            "{\"employee\": \"王芳\", \"signed_on\": \"2026-01-05\"}");
    e->title = ev_strdup("员工保密协议签订登记表");
    e = add(&ds, "nda/list.docx", "other", NULL, NULL, "{}");
    e->title = ev_strdup("Confidentiality Agreement Register 2026");
    e = add(&ds, "misc/minutes.docx", "other", NULL, NULL, "{}");
    e->title = ev_strdup("会议纪要");
    procedure(&ds, "proc/conf.docx", "confidentiality", "QM-PR-005", "V1.0", "2025-01-01");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "mgmt.confidentiality", "partial");
    assert_true(has_reason(res, "mgmt.confidentiality", "nda/register.docx",
                           "a register of agreements, not an agreement"));
    assert_true(has_reason(res, "mgmt.confidentiality",
                           "no signed staff confidentiality agreement found", NULL));
    assert_true(has_evidence(res, "mgmt.confidentiality", "nda/register.docx"));
    assert_true(has_evidence(res, "mgmt.confidentiality", "nda/list.docx"));
    assert_false(has_evidence(res, "mgmt.confidentiality", "misc/minutes.docx"));
    json_decref(res);

    /* A signed agreement makes it met; the registers stay support. */
    add(&ds, "nda/wang.docx", "confidentiality-agreement", NULL, "employee",
        "{\"employee\": \"王芳\", \"signed_on\": \"2026-01-05\"}");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "mgmt.confidentiality", "met");
    assert_true(has_evidence(res, "mgmt.confidentiality", "nda/register.docx"));
    json_decref(res);
    docset_free(&ds);
}

static void test_7a_unread_files(void **state)
{
    docset ds = {0};
    json_t *res;
    evidence *e;
    (void)state;

    hashed_only(&ds, "legal/营业执照（副本）.jpg");
    hashed_only(&ds, "photos/team_building.jpg");
    rejected(&ds, "nda/员工保密协议-张伟.docx", EV_EENCRYPTED, "the document is password-protected");
    rejected(&ds, "proc/保密管理制度.docx", EV_EMALFORMED, "broken zip");
    e = add(&ds, "contracts/技术服务合同模板.docx", "contract-template", NULL, NULL, "{}");
    e->text_chars = 0;      /* a scan pasted into a DOCX */
    res = run(&ds, "2026-06-30", "risk-assessment,security-audit");

    EXPECT_STATUS(res, "legal.entity", "missing");
    assert_true(has_reason(res, "legal.entity",
                           "no business license read; legal/营业执照（副本）.jpg is not read: "
                           "a scan waiting for OCR (or OCR is off)", NULL));
    assert_false(has_evidence(res, "legal.entity", "legal/营业执照（副本）.jpg"));
    EXPECT_STATUS(res, "mgmt.confidentiality", "missing");
    assert_true(has_reason(res, "mgmt.confidentiality",
                           "no confidentiality procedure read; proc/保密管理制度.docx is not "
                           "read: rejected as malformed: broken zip", NULL));
    assert_true(has_reason(res, "mgmt.confidentiality",
                           "no confidentiality agreement read; nda/员工保密协议-张伟.docx is not "
                           "read: rejected as encrypted: the document is password-protected",
                           NULL));
    /* Names match the kind's cues, its topic and not its negative cues. */
    assert_false(has_reason(res, "mgmt.documents", "is not read", NULL));
    assert_false(has_reason(res, "record.projects", "技术服务合同模板", NULL));
    assert_true(has_reason(res, "mgmt.contracts", "no contract template read; "
                           "contracts/技术服务合同模板.docx is not read: no text was found", NULL));
    assert_false(has_evidence(res, "mgmt.contracts", "contracts/技术服务合同模板.docx"));
    for (size_t i = 0; i < json_array_size(json_object_get(res, "requirements")); i++) {
        json_t *r = json_array_get(json_object_get(res, "requirements"), i);
        assert_false(has_reason(res, json_string_value(json_object_get(r, "id")),
                                "team_building", NULL));
    }
    json_decref(res);

    /* A licence read, but ended: the scan may be the new one. */
    add(&ds, "legal/old-licence.docx", "business-license", NULL, NULL,
        "{\"org_name\": \"" ORG "\", \"end_on\": \"2026-01-31\"}");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "legal.entity", "expired");
    assert_true(has_reason(res, "legal.entity", "no business license that counts; "
                           "legal/营业执照（副本）.jpg is not read", NULL));
    json_decref(res);
    /* A current one read: the scan is not named any more. */
    add(&ds, "legal/licence.docx", "business-license", NULL, NULL,
        "{\"org_name\": \"" ORG "\"}");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "legal.entity", "met");
    assert_false(has_reason(res, "legal.entity", "is not read", NULL));
    json_decref(res);
    docset_free(&ds);
}

static void test_7a_unread_alternatives_and_many(void **state)
{
    docset ds = {0};
    json_t *res;
    char path[64];
    (void)state;

    /* record.projects lacks its acceptance report in two categories: the
     * scans are named once, five of them, and the rest counted. */
    contract(&ds, "contracts/ra.docx", "HT-1", "risk-assessment", "2026-01-05");
    contract(&ds, "contracts/sa.docx", "HT-2", "security-audit", "2026-01-05");
    for (int i = 1; i <= 7; i++) {
        snprintf(path, sizeof path, "scans/验收报告-%d.pdf", i);
        hashed_only(&ds, path);
    }
    hashed_only(&ds, "scans/不动产权证书.png");
    res = run(&ds, "2026-06-30", "risk-assessment,security-audit");
    EXPECT_STATUS(res, "record.projects", "partial");
    assert_int_equal(count_reasons(res, "record.projects", "no acceptance report read"), 1);
    assert_true(has_reason(res, "record.projects", "scans/验收报告-5.pdf is not read",
                           "2 more files whose names suggest one are not read"));
    assert_false(has_reason(res, "record.projects", "验收报告-6", NULL));
    assert_false(has_reason(res, "record.projects", "no service contract read", NULL));
    /* site.office: a lease or a property certificate, either will do. */
    EXPECT_STATUS(res, "site.office", "missing");
    assert_true(has_reason(res, "site.office", "no property certificate read; "
                           "scans/不动产权证书.png is not read", NULL));
    json_decref(res);

    lease(&ds, "site/lease.docx", ORG, "2026-01-01", "2028-12-31");
    res = run(&ds, "2026-06-30", "risk-assessment");
    EXPECT_STATUS(res, "site.office", "met");
    assert_false(has_reason(res, "site.office", "is not read", NULL));
    json_decref(res);
    docset_free(&ds);
}

/* ---- the sample folders ---------------------------------------------------------------- */

/*
 * Each evidence-samples folder states, in expected.json, the records its
 * documents must give (kind, topic, subtype, key fields, withdrawn) and the
 * statuses the evaluator must return for them. Records are built from that
 * description, so this checks the rules alone, on realistic folders, with
 * and without configured organisation names.
 */
static void check_sample(const char *folder)
{
    char path[512];
    json_error_t jerr;
    json_t *exp, *docs, *v, *res;
    docset ds = {0};
    const char *name, *ids[8], *names[4];
    size_t nids = 0, nnames = 0, i;
    evidence *all[64];
    size_t n = 0;

    snprintf(path, sizeof path, EV_SOURCE_DIR "/evidence-samples/%s/expected.json", folder);
    exp = json_load_file(path, 0, &jerr);
    if (!exp)
        fail_msg("%s: %s", path, jerr.text);
    docs = json_object_get(exp, "documents");
    json_object_foreach(docs, name, v) {
        const char *topic = json_string_value(json_object_get(v, "topic"));
        const char *subtype = json_string_value(json_object_get(v, "subtype"));
        evidence *e;
        char *fields = json_dumps(json_object_get(v, "fields"), 0);
        assert_true(n < 64);
        e = add(&ds, name, json_string_value(json_object_get(v, "kind")), topic, subtype,
                fields);
        free(fields);
        if (json_is_true(json_object_get(v, "withdrawn")))
            json_object_set_new(e->fields, "withdrawn", json_true());
        all[n++] = e;
    }
    json_array_foreach(json_object_get(exp, "categories"), i, v)
        ids[nids++] = json_string_value(v);
    json_array_foreach(json_object_get(json_object_get(exp, "organisation"), "names"), i, v)
        names[nnames++] = json_string_value(v);
    for (int with_names = 0; with_names < 2; with_names++) {
        eval_params p = {cat, parse_date(json_string_value(json_object_get(exp, "as_of"))),
                         ids, nids, with_names ? names : NULL, with_names ? nnames : 0};
        const char *id;
        json_t *want;

        res = evaluate(&p, (const evidence *const *)all, n);
        json_object_foreach(json_object_get(exp, "requirements"), id, want) {
            const char *st = json_string_value(json_object_get(want, "status"));
            json_t *per = json_object_get(want, "per_category");
            if (strcmp(status(res, id), st) != 0) {
                print_message("%s (names %d): %s\n", folder, with_names, id);
                dump_on_failure(res, id);
            }
            assert_string_equal(status(res, id), st);
            if (per && !json_equal(per, json_object_get(req(res, id), "per_category"))) {
                print_message("%s: %s per category\n", folder, id);
                dump_on_failure(res, id);
                fail();
            }
        }
        json_decref(res);
    }
    json_decref(exp);
    docset_free(&ds);
}

static void test_sample_folders(void **state)
{
    (void)state;
    check_sample("complete");
    check_sample("gaps");
    check_sample("english");
    check_sample("scan");
}

/* ---- determinism --------------------------------------------------------------------------- */

static void build_folder(docset *ds)
{
    contract(ds, "contracts/a.docx", "HT-2026-014", "risk-assessment", "2026-03-05");
    contract(ds, "contracts/b.docx", "HT-2025-003", "security-integration", "2025-09-01");
    acceptance(ds, "acceptance/b.docx", "HT-2025-003", "2026-01-20");
    contract(ds, "contracts/c.docx", "HT-2024-010", "risk-assessment", "2024-10-01");
    acceptance(ds, "acceptance/c.docx", "HT-2024-010", "2025-02-01");
    procedure(ds, "proc/p1.docx", "personnel", "QM-1", "V1.0", "2025-01-01");
    procedure(ds, "proc/p2.docx", "personnel", "QM-1", "V1.1", "2025-05-01");
    procedure(ds, "proc/t1.docx", "training", NULL, NULL, "2025-01-01");
    procedure(ds, "proc/t2.docx", "training", NULL, NULL, "2025-02-01");
    lease(ds, "site/lease.docx", ORG, "2025-01-01", "2026-08-31");
    add(ds, "staff/a.docx", "resume", NULL, NULL,
        "{\"person_name\": \"王芳\", \"person_role\": \"项目经理、安全工程师\"}");
    add(ds, "staff/b.docx", "resume", NULL, NULL,
        "{\"person_name\": \"赵敏\", \"person_role\": \"总经理兼技术负责人\"}");
    add(ds, "certs/a.docx", "certificate", NULL, "personnel",
        "{\"holder\": \"赵敏\", \"service_category\": \"risk-assessment\"}");
    add(ds, "train/r.docx", "training-record", NULL, "confidentiality-education",
        "{\"held_on\": \"2026-02-01\"}");
    add(ds, "nda/x.docx", "confidentiality-agreement", NULL, "employee",
        "{\"employee\": \"王芳\", \"signed_on\": \"2025-01-01\"}");
}

static void test_determinism(void **state)
{
    docset ds = {0};
    json_t *res;
    char *first, *again;
    unsigned seed = 12345;
    (void)state;

    build_folder(&ds);
    res = run(&ds, "2026-06-30", "security-integration,risk-assessment");
    first = json_dumps(res, JSON_COMPACT);
    EXPECT_STATUS(res, "staff.head", "met");
    EXPECT_STATUS(res, "staff.technical-director", "met");
    assert_true(has_reason(res, "mgmt.training", "needs review: 2 current training procedures", NULL));
    json_decref(res);
    for (int round = 0; round < 20; round++) {
        for (size_t i = ds.n - 1; i > 0; i--) {
            size_t j;
            evidence *tmp;
            seed = seed * 1103515245u + 12345u;
            j = (seed >> 8) % (i + 1);
            tmp = ds.e[i];
            ds.e[i] = ds.e[j];
            ds.e[j] = tmp;
        }
        res = run(&ds, "2026-06-30", round % 2 ? "risk-assessment,security-integration"
                                                : "security-integration,risk-assessment");
        again = json_dumps(res, JSON_COMPACT);
        assert_string_equal(first, again);
        free(again);
        json_decref(res);
    }
    /* Evidence is sorted by path. */
    res = run(&ds, "2026-06-30", "security-integration,risk-assessment");
    {
        size_t i;
        json_t *r;
        json_array_foreach(json_object_get(res, "requirements"), i, r) {
            json_t *ev = json_object_get(r, "evidence");
            for (size_t k = 1; k < json_array_size(ev); k++)
                assert_true(strcmp(json_string_value(json_object_get(json_array_get(ev, k - 1), "path")),
                                   json_string_value(json_object_get(json_array_get(ev, k), "path"))) < 0);
        }
    }
    json_decref(res);
    free(first);
    docset_free(&ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shape),
        cmocka_unit_test(test_duration_exactly_four_months),
        cmocka_unit_test(test_duration_month_end_clamp),
        cmocka_unit_test(test_duration_earliest_and_fallbacks),
        cmocka_unit_test(test_organisation_identity),
        cmocka_unit_test(test_projects_window_edge),
        cmocka_unit_test(test_projects_acceptance_after_as_of),
        cmocka_unit_test(test_projects_linking),
        cmocka_unit_test(test_projects_expired_and_missing),
        cmocka_unit_test(test_per_category_worst_of),
        cmocka_unit_test(test_superseded_versions),
        cmocka_unit_test(test_withdrawn_and_future),
        cmocka_unit_test(test_suppliers_applicability),
        cmocka_unit_test(test_site_office),
        cmocka_unit_test(test_signature_reviews),
        cmocka_unit_test(test_staff),
        cmocka_unit_test(test_director_certificates),
        cmocka_unit_test(test_training),
        cmocka_unit_test(test_confidentiality),
        cmocka_unit_test(test_projects_and_contracts_mgmt),
        cmocka_unit_test(test_tech_per_category),
        cmocka_unit_test(test_credit_report_age),
        cmocka_unit_test(test_assumptions_once),
        cmocka_unit_test(test_rejected_and_unparsed),
        cmocka_unit_test(test_7a_signed_before_accepted_inside),
        cmocka_unit_test(test_7a_tech_per_category),
        cmocka_unit_test(test_7a_drafts),
        cmocka_unit_test(test_7a_head_roles),
        cmocka_unit_test(test_7a_registers),
        cmocka_unit_test(test_7a_unread_files),
        cmocka_unit_test(test_7a_unread_alternatives_and_many),
        cmocka_unit_test(test_sample_folders),
        cmocka_unit_test(test_determinism),
    };
    return cmocka_run_group_tests(tests, load_catalog, free_catalog);
}
