/* test_threads.c: doc_parse() on several threads at once gives each thread
 * the same answer as a lone parse (doc.h: thread safety after doc_init). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "fixture.h"

#define THREADS 4
#define ROUNDS 25

typedef struct job {
    const unsigned char *docx, *odt, *bad;
    size_t docx_len, odt_len, bad_len;
    const char *want_docx, *want_odt;
    int failures;
} job;

static char *text_of(const void *data, size_t len)
{
    doc *d = NULL;
    ev_buf out = {0};

    if (doc_parse(data, len, NULL, &d, NULL) != EV_OK)
        return NULL;
    doc_write_text(d, &out);
    doc_free(d);
    return out.data ? ev_buf_steal(&out) : ev_strdup("");
}

/* The worker counts mismatches; cmocka's asserts belong to the main thread. */
static void *worker(void *arg)
{
    job *j = arg;
    int failures = 0;

    for (int i = 0; i < ROUNDS; i++) {
        char *a = text_of(j->docx, j->docx_len), *b = text_of(j->odt, j->odt_len);
        doc *d = NULL;
        ev_error err;
        failures += !a || strcmp(a, j->want_docx) != 0;
        failures += !b || strcmp(b, j->want_odt) != 0;
        /* Rejections race with successes: libxml2 error state is per thread. */
        failures += doc_parse(j->bad, j->bad_len, NULL, &d, &err) != EV_EMALFORMED;
        free(a);
        free(b);
    }
    __atomic_add_fetch(&j->failures, failures, __ATOMIC_SEQ_CST);
    return NULL;
}

static void test_parallel_parses_agree(void **state)
{
    fx_docx ds = {.body = "<w:p><w:r><w:t>并发解析</w:t></w:r></w:p>"
                          "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc>"
                          "<w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"};
    fx_docx bad = {.document = "<?xml version=\"1.0\"?><!DOCTYPE x []><x/>"};
    fx_odt os = {.text = "<text:h text:outline-level=\"1\">Parallel</text:h>"
                         "<text:p>odt<text:s text:c=\"2\"/>text</text:p>"};
    job j = {0};
    pthread_t t[THREADS];
    char *want_docx, *want_odt;
    unsigned char *docx, *odt, *broken;

    (void)state;
    docx = fx_docx_build(&ds, &j.docx_len);
    odt = fx_odt_build(&os, &j.odt_len);
    broken = fx_docx_build(&bad, &j.bad_len);
    j.docx = docx;
    j.odt = odt;
    j.bad = broken;
    want_docx = text_of(docx, j.docx_len);
    want_odt = text_of(odt, j.odt_len);
    assert_non_null(want_docx);
    assert_non_null(want_odt);
    assert_non_null(strstr(want_docx, "并发解析"));
    assert_non_null(strstr(want_odt, "odt  text"));
    j.want_docx = want_docx;
    j.want_odt = want_odt;

    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, worker, &j), 0);
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
    assert_int_equal(j.failures, 0);
    free(want_docx);
    free(want_odt);
    free(docx);
    free(odt);
    free(broken);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(doc_format_name(DOC_FORMAT_DOCX), "docx");
    assert_string_equal(doc_format_name(DOC_FORMAT_ODT), "odt");
    assert_string_equal(doc_format_name(DOC_FORMAT_FODT), "odt");
    assert_string_equal(doc_block_kind_name(DOC_BLOCK_CELL), "cell");
    assert_string_equal(doc_part_name(DOC_PART_NOTE), "note");
    assert_string_equal(doc_warning_name(DOC_WARN_TRACKED_CHANGES), "tracked-changes");
    assert_string_equal(doc_warning_name(DOC_WARN_MACROS), "macros-ignored");
    assert_string_equal(doc_warning_name(DOC_WARN_MISSING_PART), "missing-part");
    assert_string_equal(doc_warning_name(DOC_WARN_COMMENTS), "comments-ignored");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parallel_parses_agree),
        cmocka_unit_test(test_names),
    };
    doc_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
