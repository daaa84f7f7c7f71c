/* Unit tests for policy/nfkc: NFKC, folding keys, hostile bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nfkc.h"

static void expect_nfkc(const char *in, size_t len, const char *want)
{
    char *got = ev_nfkc(in, len);
    assert_string_equal(got, want);
    free(got);
}

static void expect_fold(const char *in, const char *want)
{
    char *got = ev_fold(in, strlen(in));
    assert_string_equal(got, want);
    free(got);
}

static void test_fullwidth_to_ascii(void **state)
{
    (void)state;
    const char *s = "２０２６年３月５日 ＨＴ－２０２６－０１８（乙方）";
    expect_nfkc(s, strlen(s), "2026年3月5日 HT-2026-018(乙方)");
}

static void test_ideographic_space_and_compat(void **state)
{
    (void)state;
    const char *s = "甲方\xE3\x80\x80签字 ① ﬁle ㎡";
    expect_nfkc(s, strlen(s), "甲方 签字 1 file m2");
}

static void test_composes(void **state)
{
    (void)state;
    /* e + combining acute -> U+00E9 */
    expect_nfkc("Caf\x65\xCC\x81", 6, "Caf\xC3\xA9");
}

static void test_empty_and_null(void **state)
{
    (void)state;
    expect_nfkc(NULL, 0, "");
    expect_nfkc("", 0, "");
    expect_nfkc("abc", 0, "");
    char *f = ev_fold(NULL, 0);
    assert_string_equal(f, "");
    free(f);
}

static void test_length_is_respected(void **state)
{
    (void)state;
    expect_nfkc("abcdef", 3, "abc");
}

static void test_invalid_bytes_replaced(void **state)
{
    (void)state;
    /* lone continuation, truncated 3-byte sequence at the end */
    expect_nfkc("a\x80z\xE4\xB8", 5, "a\xEF\xBF\xBDz\xEF\xBF\xBD\xEF\xBF\xBD");
    /* overlong '/' and an encoded surrogate */
    expect_nfkc("\xC0\xAF", 2, "\xEF\xBF\xBD\xEF\xBF\xBD");
    expect_nfkc("\xED\xA0\x80", 3, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    /* beyond U+10FFFF */
    expect_nfkc("\xF4\x90\x80\x80!", 5, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD!");
}

static void test_nul_dropped(void **state)
{
    (void)state;
    expect_nfkc("a\0b", 3, "ab");
}

static void test_all_bytes_never_crash(void **state)
{
    (void)state;
    char buf[512];
    for (int i = 0; i < 512; i++)
        buf[i] = (char)((i * 37 + 11) & 0xFF);
    char *a = ev_nfkc(buf, sizeof buf);
    char *b = ev_fold(buf, sizeof buf);
    assert_non_null(a);
    assert_non_null(b);
    free(a);
    free(b);
}

static void test_fold_names(void **state)
{
    (void)state;
    expect_fold("Qing Yun  Tech Co., Ltd.", "qingyuntechco.,ltd.");
    expect_fold("ＱＩＮＧ　ＹＵＮ\tTech\nCo., LTD.", "qingyuntechco.,ltd.");
    expect_fold("青云 网安\xE3\x80\x80技术有限公司", "青云网安技术有限公司");
    expect_fold("HT - 2026 - 018", "ht-2026-018");
    expect_fold("Straße", "strasse");
    /* zero-width space and soft hyphen vanish */
    expect_fold("QM\xE2\x80\x8B-PR\xC2\xAD-005", "qm-pr-005");
}

static void test_fold_equal_keys(void **state)
{
    (void)state;
    char *a = ev_fold("（青云网安）技术有限公司", strlen("（青云网安）技术有限公司"));
    char *b = ev_fold("(青云网安) 技术有限公司", strlen("(青云网安) 技术有限公司"));
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void test_scrub(void **state)
{
    (void)state;
    assert_null(ev_utf8_scrub("2026年3月5日", strlen("2026年3月5日")));
    assert_null(ev_utf8_scrub(NULL, 0));
    char *c = ev_utf8_scrub("a\x80\xE4\xB8z\xC0\xAF\xE5\xB9\xB4", 10);
    assert_non_null(c);
    assert_memory_equal(c, "a\x1A\x1A\x1Az\x1A\x1A\xE5\xB9\xB4", 10);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fullwidth_to_ascii),
        cmocka_unit_test(test_ideographic_space_and_compat),
        cmocka_unit_test(test_composes),
        cmocka_unit_test(test_empty_and_null),
        cmocka_unit_test(test_length_is_respected),
        cmocka_unit_test(test_invalid_bytes_replaced),
        cmocka_unit_test(test_nul_dropped),
        cmocka_unit_test(test_all_bytes_never_crash),
        cmocka_unit_test(test_fold_names),
        cmocka_unit_test(test_fold_equal_keys),
        cmocka_unit_test(test_scrub),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
