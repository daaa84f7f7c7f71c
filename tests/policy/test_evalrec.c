/* Unit tests for policy/evalrec: what the evaluator keeps of a record, and
 * that it no longer depends on the record once made. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "evalrec.h"

static evidence *record(const char *path, const char *kind, const char *fields)
{
    evidence *e = evidence_new(path);
    json_t *f = json_loads(fields, 0, NULL);

    assert_non_null(f);
    json_decref(e->fields);
    e->fields = f;
    e->kind = kind ? ev_strdup(kind) : NULL;
    e->format = "docx";
    e->text_chars = 100;    /* read, unless a test says not */
    memset(e->sha256, 'a', EV_SHA256_HEX_LEN);
    return e;
}

static void keeps_what_the_rules_read(void **state)
{
    evidence *e = record("contracts/合同-01.docx", "service-contract",
                         "{\"doc_number\": \"HT-2026-014\", \"signed_on\": \"2026-03-05\","
                         " \"service_category\": \"risk-assessment\","
                         " \"service_categories\": [\"risk-assessment\", 7, \"security-operations\"],"
                         " \"amount\": {\"value\": 120000, \"currency\": \"CNY\"},"
                         " \"blank\": \"\"}");
    evalrec *r;

    (void)state;
    e->topic = ev_strdup("projects");
    e->title = ev_strdup("技术服务合同");
    json_array_append_new(e->checks, json_string("mgmt.projects:plan"));
    json_array_append_new(e->checks, json_integer(3));
    json_array_append_new(e->why, json_string("title: 合同"));
    e->text_chars = 2400;
    r = evalrec_new(e);
    evidence_free(e);   /* nothing of the evalrec may point into it */

    assert_non_null(r);
    assert_string_equal(r->path, "contracts/合同-01.docx");
    assert_int_equal(strlen(r->sha256), EV_SHA256_HEX_LEN);
    assert_string_equal(r->kind, "service-contract");
    assert_string_equal(r->topic, "projects");
    assert_null(r->subtype);
    assert_string_equal(r->title, "技术服务合同");
    assert_string_equal(evalrec_str(r, "doc_number"), "HT-2026-014");
    assert_string_equal(evalrec_str(r, "signed_on"), "2026-03-05");
    assert_string_equal(evalrec_str(r, "blank"), "");
    assert_null(evalrec_str(r, "amount"));
    assert_null(evalrec_str(r, "service_categories"));   /* a list, not a string */
    assert_null(evalrec_str(r, "valid_until"));
    assert_true(evalrec_listed(r, "service_categories", "security-operations"));
    assert_true(evalrec_listed(r, "service_categories", NULL));
    assert_false(evalrec_listed(r, "service_categories", "penetration-testing"));
    assert_false(evalrec_listed(r, "service_category", NULL));  /* a string, not a list */
    assert_int_equal(r->nchecks, 1);
    assert_string_equal(r->checks[0], "mgmt.projects:plan");
    assert_int_equal(r->njobs, 0);
    assert_false(r->withdrawn);
    evalrec_free(r);
}

static void keeps_experience_and_withdrawn(void **state)
{
    evidence *e = record("staff/cv.odt", "resume",
                         "{\"person_name\": \"张三\", \"withdrawn\": true, \"experience\": ["
                         "{\"from\": \"2015-03-01\", \"to\": \"2020-06-30\", \"role\": \"总经理\"},"
                         "{\"from\": \"2020-07-01\", \"role\": \"技术负责人\"}, \"not an entry\"]}");
    evalrec *r;

    (void)state;
    r = evalrec_new(e);
    evidence_free(e);
    assert_non_null(r);
    assert_int_equal(r->njobs, 2);
    assert_string_equal(r->jobs[0].from, "2015-03-01");
    assert_string_equal(r->jobs[0].to, "2020-06-30");
    assert_string_equal(r->jobs[0].role, "总经理");
    assert_null(r->jobs[1].to);
    assert_string_equal(r->jobs[1].role, "技术负责人");
    assert_true(r->withdrawn);
    assert_true(evalrec_listed(r, "experience", "not an entry"));
    evalrec_free(r);

    e = record("p.docx", "procedure", "{\"withdrawn\": \"作废\"}");
    r = evalrec_new(e);
    evidence_free(e);
    assert_true(r->withdrawn);
    assert_string_equal(evalrec_str(r, "withdrawn"), "作废");
    evalrec_free(r);

    e = record("p.docx", "procedure", "{\"withdrawn\": \"\"}");
    r = evalrec_new(e);
    evidence_free(e);
    assert_false(r->withdrawn);
    evalrec_free(r);
}

/* Signatures keep signer, status and coverage; one without a status is no
 * signature the rules could judge. */
static void keeps_signatures(void **state)
{
    evidence *e = record("contracts/HT-2026-018.pdf", "service-contract", "{}");
    evalrec *r;

    (void)state;
    json_decref(e->signatures);
    e->signatures = json_loads(
        "[{\"signer\": \"张伟\", \"signed_at\": \"2026-03-05T02:00:00Z\", \"status\": \"valid\","
        "  \"certificate\": \"unknown-issuer\", \"covers_whole\": false},"
        " {\"signer\": null, \"signed_at\": null, \"status\": \"digest-mismatch\","
        "  \"certificate\": \"not-verified\", \"covers_whole\": true},"
        " {\"signer\": \"李强\"}, 7]", 0, NULL);
    assert_non_null(e->signatures);
    r = evalrec_new(e);
    evidence_free(e);
    assert_int_equal(r->nsigs, 2);
    assert_string_equal(r->sigs[0].signer, "张伟");
    assert_string_equal(r->sigs[0].status, "valid");
    assert_false(r->sigs[0].covers_whole);
    assert_null(r->sigs[1].signer);
    assert_string_equal(r->sigs[1].status, "digest-mismatch");
    assert_true(r->sigs[1].covers_whole);
    evalrec_free(r);

    e = record("a.docx", "procedure", "{}");
    r = evalrec_new(e);
    evidence_free(e);
    assert_int_equal(r->nsigs, 0);
    evalrec_free(r);
}

static void non_counting_records_give_null(void **state)
{
    evidence *e = record("a.docx", NULL, "{}");
    evalrec *r;

    (void)state;
    assert_null(evalrec_new(NULL));
    assert_null(evalrec_new(e));            /* no kind */
    free(e->kind);
    e->kind = ev_strdup("lease-contract");
    e->unparsed = true;
    assert_null(evalrec_new(e));
    e->unparsed = false;
    e->error = EV_EMALFORMED;
    assert_null(evalrec_new(e));
    e->error = EV_OK;
    r = evalrec_new(e);
    assert_non_null(r);
    evalrec_free(r);
    e->text_chars = 0;                      /* a scan not yet read */
    assert_null(evalrec_new(e));
    evidence_free(e);
}

/* Why a record was not read, whatever the reason, in words for a reason. */
static void unread_phrases(void **state)
{
    evidence *e = record("scans/营业执照（副本）.jpg", NULL, "{}");
    char *why;

    (void)state;
    e->text_chars = 0;
    e->unparsed = true;
    why = evidence_unread_why(e);
    assert_string_equal(why, "a scan waiting for OCR (or OCR is off)");
    free(why);
    free(e->path);
    e->path = ev_strdup("legal/营业执照.xlsx");
    why = evidence_unread_why(e);
    assert_string_equal(why, "a .xlsx file is only hashed");
    free(why);
    free(e->path);
    e->path = ev_strdup("scans.d/LICENCE");
    why = evidence_unread_why(e);
    assert_string_equal(why, "it is not a document evidenced reads: it is only hashed");
    free(why);

    e->unparsed = false;
    e->error = EV_EENCRYPTED;
    e->error_message = ev_strdup("password-protected");
    why = evidence_unread_why(e);
    assert_string_equal(why, "rejected as encrypted: password-protected");
    free(why);

    /* Parsed, but no text: a scan in a PDF or a DOCX, OCR pending or off. */
    e->error = EV_OK;
    json_array_append_new(e->warnings, json_string("no-text-layer"));
    why = evidence_unread_why(e);
    assert_string_equal(why, "no text was found in it (a scan waiting for OCR, or OCR is "
                             "off; no-text-layer)");
    free(why);
    json_array_clear(e->warnings);
    why = evidence_unread_why(e);
    assert_string_equal(why, "no text was found in it (a scan or an image)");
    free(why);
    e->ocr = json_pack("{s:i}", "confidence", 0);
    why = evidence_unread_why(e);
    assert_string_equal(why, "OCR found no text in it");
    free(why);
    e->text_chars = 12;
    assert_null(evidence_unread_why(e));
    evidence_free(e);
}

/* The evaluation's JSON must be UTF-8 whatever the file system holds. */
static void path_is_made_valid_utf8(void **state)
{
    evidence *e = record("scans/\xb9\xa4\xd7\xf7.docx", "certificate", "{}");
    evalrec *r;

    (void)state;
    r = evalrec_new(e);
    evidence_free(e);
    assert_non_null(r);
    assert_string_equal(r->path, "scans/\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd.docx");
    evalrec_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keeps_what_the_rules_read),
        cmocka_unit_test(keeps_experience_and_withdrawn),
        cmocka_unit_test(keeps_signatures),
        cmocka_unit_test(non_counting_records_give_null),
        cmocka_unit_test(unread_phrases),
        cmocka_unit_test(path_is_made_valid_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
