/* test_tickbox.c: rows of options with boxes as forms write them, ticked
 * before or after the option, in Chinese and English. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "tickbox.h"

static void expect_ticked(const char *text, const char *want)
{
    char *got = tickbox_ticked(text, strlen(text));
    if (!want) {
        if (got)
            print_error("%s: got \"%s\", want no boxes\n", text, got);
        assert_null(got);
        return;
    }
    if (!got || strcmp(got, want) != 0) {
        print_error("%s: got \"%s\", want \"%s\"\n", text, got ? got : "(null)", want);
        fail();
    }
    free(got);
}

static void test_marks_before_options(void **state)
{
    (void)state;
    expect_ticked("☑同意验收 ☐整改后再验 ☐不同意验收", "同意验收");
    expect_ticked("☐同意验收 ☐整改后再验 ☑不同意验收", "不同意验收");
    expect_ticked("□不通过 ■整改后通过 □通过", "整改后通过");
    expect_ticked("[ ] Accepted [x] Accepted with conditions [ ] Rejected",
                  "Accepted with conditions");
    expect_ticked("[X] Passed [] Not accepted", "Passed");
    expect_ticked("✔ Passed    ☐ Not accepted", "Passed");
    expect_ticked("√合格 □不合格", "合格");
    /* a label before the first box is not an option */
    expect_ticked("验收结论：☐通过 ☑不通过", "不通过");
}

static void test_marks_after_options(void **state)
{
    (void)state;
    expect_ticked("合格√ 不合格", "合格");
    expect_ticked("通过□ 不通过■", "不通过");
    expect_ticked("同意验收(√) 不同意验收( )", "同意验收");
}

static void test_none_ticked_or_no_boxes(void **state)
{
    (void)state;
    /* boxes, none ticked: nothing is the answer */
    expect_ticked("☐同意验收 ☐不同意验收", "");
    /* no box at all: the text is read as it is */
    expect_ticked("同意验收", NULL);
    expect_ticked("Accepted with conditions (see attached list)", NULL);
    expect_ticked("", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_marks_before_options),
        cmocka_unit_test(test_marks_after_options),
        cmocka_unit_test(test_none_ticked_or_no_boxes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
