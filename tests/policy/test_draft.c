/* test_draft.c: the draft mark of requirements.md 7a, read from DOCX files
 * built in code through the whole analysis (parse, classify, extract), with
 * the real catalog: a mark in the title, under it, in a header; and the
 * words that are no mark (试行, a body that talks about drafts). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog.h"
#include "evidence.h"
#include "fixture.h"

static catalog *cat;

#define P(text) "<w:p><w:r><w:t>" text "</w:t></w:r></w:p>"
#define HDR(text) "<w:hdr" FX_W_NS ">" P(text) "</w:hdr>"

/* The control block and sections that make a procedure of a topic. */
#define PROCEDURE_BODY                                                         \
    P("文件编号：QM-PR-005") P("版本：V2.0") P("生效日期：2026年1月1日")          \
    P("编制：王芳 审核：李强 批准：张伟") P("1 目的") P("为规范公司保密管理，特制定本程序。") \
    P("2 适用范围") P("本程序适用于公司全体员工。") P("3 职责") P("行政部负责保密管理。")

static evidence *analyze(const char *name, const char *body, const char *header)
{
    fx_docx spec = {.body = body, .header = header};
    size_t len;
    unsigned char *bytes = fx_docx_build(&spec, &len);
    evidence *e = evidence_analyze(cat, name, bytes, len, NULL, true);

    free(bytes);
    assert_int_equal(e->error, EV_OK);
    return e;
}

static const char *draft(const evidence *e)
{
    return evidence_field_str(e, "draft");
}

static void marks_in_the_first_lines(void **state)
{
    evidence *e;
    (void)state;

    /* A line of its own under the title. */
    e = analyze("保密管理程序.docx", P("保密管理程序") P("（征求意见稿）") PROCEDURE_BODY, NULL);
    assert_string_equal(e->kind, "procedure");
    assert_non_null(draft(e));
    assert_string_equal(draft(e), "征求意见稿");
    assert_true(strstr(json_string_value(json_array_get(e->notes, json_array_size(e->notes) - 1)),
                       "draft: marked \"征求意见稿\"") != NULL);
    evidence_free(e);

    /* In the title itself. */
    e = analyze("a.docx", P("保密管理程序（送审稿）") PROCEDURE_BODY, NULL);
    assert_string_equal(draft(e), "送审稿");
    evidence_free(e);

    /* In the page header, in English. */
    e = analyze("b.docx", P("Confidentiality Management Procedure")
                P("Document No.: QM-PR-005") P("Revision: B") P("1 Purpose")
                P("This procedure sets out how confidential information is protected."),
                HDR("DRAFT - for comment"));
    assert_non_null(draft(e));
    evidence_free(e);
}

static void words_that_are_no_mark(void **state)
{
    evidence *e;
    (void)state;

    /* 试行 (trial) documents are in force. */
    e = analyze("c.docx", P("保密管理程序（试行）") PROCEDURE_BODY, NULL);
    assert_null(draft(e));
    evidence_free(e);

    /* A documents procedure that explains drafts, past its first lines or
     * in a long sentence, is none. */
    e = analyze("d.docx", P("文件管理程序") P("文件编号：QM-PR-003")
                P("本程序规定文件从起草、草稿审核到发布、保存、传输、使用和废弃的各个环节的控制要求，"
                  "草稿经部门负责人审核后方可提交批准。")
                P("版本：V1.0") P("生效日期：2026年1月1日") P("1 目的") P("规范文件控制。")
                P("4.1 文件草稿由编制人保存，草稿不得对外发放。"), NULL);
    assert_null(draft(e));
    evidence_free(e);
}

static int setup(void **state)
{
    ev_error err;
    (void)state;
    doc_init();
    ev_error_clear(&err);
    return catalog_load(EV_SOURCE_DIR "/policy/catalog.xml", &cat, &err) == EV_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    catalog_free(cat);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(marks_in_the_first_lines),
        cmocka_unit_test(words_that_are_no_mark),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
