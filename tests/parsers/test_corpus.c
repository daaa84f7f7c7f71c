/* test_corpus.c: every public real-world document gives text or a clean
 * rejection, never a crash; prints one summary line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "fixture.h"

/* Files with no text at all (checked by hand: empty bodies, empty tables,
 * images, a formula object, hidden text, an empty variable); every other
 * file must give some text. */
static const char *const blank[] = {
    "blk-containing-table.docx", "doc-coreprops.docx", "doc-default.docx",
    "doc-no-coreprops.docx", "doc-word-default-blank.docx", "having-images.docx",
    "set-no-settings-part.docx", "shp-inline-shape-access.docx",
    "sty-behav-props.docx", "sty-having-no-styles-part.docx",
    "sty-having-styles-part.docx", "tbl-2x2-table.docx", "tbl-col-props.docx",
    "tbl-having-tables.docx", "tbl-on-off-props.docx",
    "odt__odt__formula.odt", "odt__odt__hiddenTextByVariable.odt",
    "odt__odt__horizontalRule.odt", "odt__odt__image.odt",
    "odt__odt__imageRelative.odt", "odt__odt__variable.odt",
};

/* Broken promises are collected so one run names every offending file. */
static const char *current;
static ev_buf problems;
static size_t nproblems;

static void problem(const char *why)
{
    ev_buf_printf(&problems, "  %s: %s\n", current, why);
    nproblems++;
}

static int is_blank(const char *name)
{
    for (size_t i = 0; i < EV_ARRAY_LEN(blank); i++)
        if (strcmp(name, blank[i]) == 0)
            return 1;
    return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_document(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return e->d_name[0] != '.' && n > 4 &&
           (strcmp(e->d_name + n - 5, ".docx") == 0 ||
            strcmp(e->d_name + n - 4, ".odt") == 0);
}

typedef struct tally {
    size_t files, ok, rejected, empty;
} tally;

static void parse_one(const char *path, const char *name, tally *t)
{
    void *data = NULL;
    size_t len = 0;
    doc *d = NULL;
    ev_error err;
    ev_code rc;

    current = name;
    ev_error_clear(&err);
    rc = doc_read_file(path, NULL, &data, &len, &err);
    if (rc != EV_OK)
        fail_msg("%s: cannot read: %s", path, err.message);
    rc = fx_parse(data, len, NULL, &d, &err);
    free(data);
    t->files++;
    if (rc != EV_OK) {
        t->rejected++;
        if (d)          /* only if it broke the contract and returned one */
            doc_free(d);
        print_message("rejected %s: %s: %s\n", name, ev_code_name(rc), err.message);
        return;
    }
    t->ok++;
    if (!d)
        return;
    if (d->text_chars == 0) {
        t->empty++;
        if (!is_blank(name))
            problem("parsed without any text");
    }
    /* Any namespace prefix names the same elements. */
    if (strcmp(name, "docx__ns0-reference.docx") == 0 && !fx_find(d, "ref"))
        problem("text under the ns0: prefix missed");
    doc_free(d);
}

static void test_public_corpus(void **state)
{
    static const char *const subdirs[] = {"pandoc", "python-docx"};
    tally t = {0};

    (void)state;
    for (size_t s = 0; s < EV_ARRAY_LEN(subdirs); s++) {
        char *dir = ev_asprintf("%s/%s", EV_CORPUS_DIR, subdirs[s]);
        struct dirent **list = NULL;
        int n = scandir(dir, &list, is_document, by_name);
        if (n < 0) {
            free(dir);
            skip();     /* the shared corpus is not checked out here */
        }
        for (int i = 0; i < n; i++) {
            char *path = ev_asprintf("%s/%s", dir, list[i]->d_name);
            parse_one(path, list[i]->d_name, &t);
            free(path);
            free(list[i]);
        }
        free(list);
        free(dir);
    }
    print_message("corpus: %zu files, %zu ok (%zu without text), %zu rejected\n",
                  t.files, t.ok, t.empty, t.rejected);
    if (nproblems)
        fail_msg("%zu problems:\n%s", nproblems, problems.data);
    ev_buf_free(&problems);
    assert_int_equal(t.files, 189);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_public_corpus),
    };
    doc_init();
    fx_on_broken(problem);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
