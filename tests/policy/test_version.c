/* Unit tests for policy/version: parsing and the order of section 4. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "version.h"

static ev_version parse(const char *s)
{
    ev_version v;
    if (!ev_version_parse(s, strlen(s), &v))
        fail_msg("\"%s\" does not parse", s);
    return v;
}

static int cmp(const char *a, const char *b)
{
    ev_version va = parse(a), vb = parse(b);
    int r = ev_version_cmp(&va, &vb);
    /* the order is antisymmetric */
    assert_int_equal(ev_version_cmp(&vb, &va), r < 0 ? 1 : r > 0 ? -1 : 0);
    return r < 0 ? -1 : r > 0;
}

static void expect_less(const char *a, const char *b)
{
    if (cmp(a, b) != -1)
        fail_msg("expected \"%s\" < \"%s\"", a, b);
}

static void expect_same(const char *a, const char *b)
{
    if (cmp(a, b) != 0)
        fail_msg("expected \"%s\" = \"%s\"", a, b);
}

static void test_spec_examples(void **state)
{
    (void)state;
    expect_less("V1.0", "V1.2");
    expect_less("V1.2", "V2.0");
    expect_less("V1.0", "V2.0");
    expect_less("A/0", "A/1");
    expect_less("A/1", "B/0");
    expect_less("Rev. 2", "Rev. 10");
    expect_less("第1版", "第2版");
    expect_less("1.0", "1.0.1");
}

static void test_elements(void **state)
{
    (void)state;
    ev_version v = parse("A/0");
    assert_int_equal(v.count, 2);
    assert_true(v.part[0].letter);
    assert_int_equal(v.part[0].value, 'A');
    assert_false(v.part[1].letter);
    assert_int_equal(v.part[1].value, 0);
    v = parse("V2.1");
    assert_int_equal(v.count, 2);
    assert_int_equal(v.part[0].value, 2);
    assert_int_equal(v.part[1].value, 1);
    v = parse("Rev. 10");
    assert_int_equal(v.count, 1);
    assert_int_equal(v.part[0].value, 10);
    v = parse("第2版");
    assert_int_equal(v.count, 1);
    assert_int_equal(v.part[0].value, 2);
}

static void test_labels_and_forms(void **state)
{
    (void)state;
    expect_same("V2.1", "2.1");
    expect_same("v2.1", "Version 2.1");
    expect_same("Ver. 2.1", "版本：V2.1");
    expect_same("版本号：2.1", "Ｖ２．１");
    expect_same("Revision 3", "Rev.3");
    expect_same("Issue 2", "第二版");
    expect_same("修订号：A/1", "a/1");
    expect_same("版次：B", "B版");
    expect_same("第十版", "10");
    expect_same("第十二版", "12");
    expect_same("1.0", "1.0.0");
    expect_same("A-1", "A/1");
    expect_same("1.0a", "1.0.A");
}

static void test_more_order(void **state)
{
    (void)state;
    expect_less("1.9", "1.10");
    expect_less("V1.9.9", "V2");
    expect_same("A", "A/0");
    expect_less("A", "A/1");
    expect_less("1", "A");
    expect_less("Z/9", "Z/10");
    expect_less("第九版", "第十版");
    expect_less("2.0", "10.0");
}

static void test_does_not_parse(void **state)
{
    (void)state;
    const char *bad[] = {"", "   ", "draft", "最新", "V", "1.0 (2026)", "版本：", "Rev",
                         "1.2.3.4.5.6.7.8.9", "12345678901", "v1.0-beta", "第版", "十十"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ev_version v = {.count = 5};
        if (ev_version_parse(bad[i], strlen(bad[i]), &v))
            fail_msg("\"%s\" parsed", bad[i]);
        assert_int_equal(v.count, 0);
    }
    ev_version v;
    assert_false(ev_version_parse(NULL, 0, &v));
    assert_false(ev_version_parse("\xff\xfe", 2, &v));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_examples),
        cmocka_unit_test(test_elements),
        cmocka_unit_test(test_labels_and_forms),
        cmocka_unit_test(test_more_order),
        cmocka_unit_test(test_does_not_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
