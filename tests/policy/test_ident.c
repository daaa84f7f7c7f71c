/* Unit tests for policy/ident: identifier keys and GB 32100 credit codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ident.h"

static void expect_key(const char *in, const char *want)
{
    char *got = ev_ident_key(in, strlen(in));
    if (strcmp(got, want) != 0)
        fail_msg("key of \"%s\" is \"%s\", want \"%s\"", in, got, want);
    free(got);
}

static void test_keys(void **state)
{
    (void)state;
    expect_key("HT-2026-018", "HT-2026-018");
    expect_key("ht-2026-018", "HT-2026-018");
    expect_key("  HT - 2026 - 018  ", "HT-2026-018");
    expect_key("ＨＴ－２０２６－０１８", "HT-2026-018");
    expect_key("No. HT-2026-018", "HT-2026-018");
    expect_key("NO:HT-2026-018", "HT-2026-018");
    expect_key("No.123", "123");
    expect_key("No 123", "123");
    expect_key("编号：QM-PR-005", "QM-PR-005");
    expect_key("合同编号：HT-2026-018", "HT-2026-018");
    expect_key("合同编号： No. HT-2026-018。", "HT-2026-018");
    expect_key("Contract No.: HT-2026-018", "HT-2026-018");
    expect_key("CONTRACT NO HT-2026-018", "HT-2026-018");
    expect_key("Doc. No. QM-PR-005", "QM-PR-005");
    expect_key("Ref. BG-P-01", "BG-P-01");
    expect_key("# 42", "42");
    expect_key("HT\xE3\x80\x80" "2026\t018", "HT2026018");
    /* official numbers: however the year is bracketed, one key */
    expect_key("嘉公管合字〔2026〕第012号", "嘉公管合字(2026)第012号");
    expect_key("嘉公管合字【2026】第012号", "嘉公管合字(2026)第012号");
    expect_key("嘉公管合字（2026）第012号", "嘉公管合字(2026)第012号");
    expect_key("嘉公管合字[2026]第012号。", "嘉公管合字(2026)第012号");
}

static void test_keys_keep_lookalikes(void **state)
{
    (void)state;
    /* words that start like a label are part of the number */
    expect_key("NOVA-2026-1", "NOVA-2026-1");
    expect_key("REFX-7", "REFX-7");
    expect_key("编号", "");
    expect_key("No.", "");
    expect_key("", "");
}

static void test_same(void **state)
{
    (void)state;
    const char *a = "合同编号：HT-2026-018", *b = "ht - 2026 - 018";
    assert_true(ev_ident_same(a, strlen(a), b, strlen(b)));
    b = "HT-2026-019";
    assert_false(ev_ident_same(a, strlen(a), b, strlen(b)));
    /* two empty keys are not "the same number" */
    assert_false(ev_ident_same("编号", strlen("编号"), "No.", 3));
    char *k = ev_ident_key("\xff" "A1", 3);
    assert_string_equal(k, "\xEF\xBF\xBD" "A1");
    free(k);
}

static void expect_credit(const char *code, ev_credit_status want, char want_check)
{
    char check = '?';
    ev_credit_status got = ev_credit_code_check(code, strlen(code), &check);
    if (got != want)
        fail_msg("\"%s\": %s, want %s", code, ev_credit_status_name(got),
                 ev_credit_status_name(want));
    assert_int_equal(check, want_check);
}

static void test_credit_codes(void **state)
{
    (void)state;
    /* a published code of a Shenzhen company */
    expect_credit("91440300708461136T", EV_CREDIT_OK, 'T');
    expect_credit("91310000MA1FL1234Q", EV_CREDIT_OK, 'Q');
    expect_credit(" 91310000MA1FL1234Q\n", EV_CREDIT_OK, 'Q');
    expect_credit("９１３１００００ＭＡ１ＦＬ１２３４Ｑ", EV_CREDIT_OK, 'Q');
    /* the spec's example has a made-up check character */
    expect_credit("91310000MA1FL1234X", EV_CREDIT_CHECK, 'Q');
    expect_credit("91440300708461136U", EV_CREDIT_CHECK, 'T');
    /* one changed digit is caught */
    expect_credit("91440300708461137T", EV_CREDIT_CHECK, 'X');
    expect_credit("91310000MA1FL1234", EV_CREDIT_LENGTH, '\0');
    expect_credit("91310000MA1FL1234QQ", EV_CREDIT_LENGTH, '\0');
    expect_credit("", EV_CREDIT_LENGTH, '\0');
    expect_credit("91310000MA1FI1234Q", EV_CREDIT_CHARSET, '\0');
    expect_credit("91310000MA1FO1234Q", EV_CREDIT_CHARSET, '\0');
    expect_credit("91310000ma1fl1234q", EV_CREDIT_CHARSET, '\0');
    expect_credit("9131 000MA1FL1234Q", EV_CREDIT_CHARSET, '\0');
    assert_int_equal(ev_credit_code_check("91440300708461136T", 18, NULL), EV_CREDIT_OK);
    assert_string_equal(ev_credit_status_name(EV_CREDIT_CHECK), "wrong check character");
}

static void test_credit_check_character_exhaustive(void **state)
{
    (void)state;
    /* For a base, exactly one of the 31 characters is accepted last. */
    const char set[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    char code[19] = "9144030070846113";
    for (int i = 0; i < 31; i++) {
        code[16] = set[i];
        int ok = 0;
        for (int k = 0; k < 31; k++) {
            code[17] = set[k];
            ok += ev_credit_code_check(code, 18, NULL) == EV_CREDIT_OK;
        }
        assert_int_equal(ok, 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_keys_keep_lookalikes),
        cmocka_unit_test(test_same),
        cmocka_unit_test(test_credit_codes),
        cmocka_unit_test(test_credit_check_character_exhaustive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
