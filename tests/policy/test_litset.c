/* test_litset.c: one-pass literal search agrees with memmem, string by string. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "litset.h"

typedef struct found {
    size_t index[4096], start[4096];
    size_t n;
} found;

static int collect(void *ctx, size_t index, size_t start)
{
    found *f = ctx;
    if (f->n < 4096) {
        f->index[f->n] = index;
        f->start[f->n] = start;
        f->n++;
    }
    return 0;
}

static void test_chinese_and_latin(void **state)
{
    static const char *const pats[] = {"合同编号", "合同", "编号", "No.", "N", "签订日期", "日期"};
    const char *text = "合同编号：HT-2026-014 No. 3，签订日期：2026年3月5日";
    litset *s = litset_new();
    found f = {0};
    (void)state;
    for (size_t i = 0; i < sizeof pats / sizeof *pats; i++)
        assert_int_equal(litset_add(s, pats[i], strlen(pats[i])), i);
    litset_build(s);
    litset_scan(s, text, strlen(text), collect, &f);
    /* 合同编号 and 合同 at 0, 编号 at 6, N and No. at the same place, ... */
    assert_int_equal(f.n, 7);
    assert_int_equal(f.start[0], 0);
    assert_int_equal(f.index[0], 0);    /* order of addition at one start */
    assert_int_equal(f.index[1], 1);
    assert_int_equal(f.index[2], 2);
    assert_int_equal(f.start[2], 6);
    for (size_t i = 1; i < f.n; i++)
        assert_true(f.start[i] >= f.start[i - 1]);
    litset_free(s);
}

/* Random texts over a small alphabet: every occurrence memmem finds, and
 * nothing else. */
static void test_agrees_with_memmem(void **state)
{
    static const char alphabet[] = "ab\xE5\x90\x88";
    (void)state;
    srand(7);
    for (int round = 0; round < 200; round++) {
        litset *s = litset_new();
        char pats[12][6];
        size_t lens[12], npats = 1 + (size_t)rand() % 12;
        char text[300];
        size_t len = (size_t)rand() % sizeof text;
        found f = {0};
        size_t expect = 0;
        for (size_t i = 0; i < npats; i++) {
            lens[i] = (size_t)rand() % 6;
            for (size_t k = 0; k < lens[i]; k++)
                pats[i][k] = alphabet[rand() % 5];
            litset_add(s, pats[i], lens[i]);
        }
        for (size_t k = 0; k < len; k++)
            text[k] = alphabet[rand() % 5];
        litset_build(s);
        litset_scan(s, text, len, collect, &f);
        for (size_t i = 0; i < npats; i++) {
            if (lens[i] == 0)
                continue;
            for (size_t p = 0; p + lens[i] <= len; p++) {
                if (memcmp(text + p, pats[i], lens[i]) != 0)
                    continue;
                bool seen = false;
                for (size_t k = 0; k < f.n && !seen; k++)
                    seen = f.index[k] == i && f.start[k] == p;
                assert_true(seen);
                expect++;
            }
        }
        assert_int_equal(f.n, expect);
        litset_free(s);
    }
}

static int stop_at_first(void *ctx, size_t index, size_t start)
{
    (void)index, (void)start;
    ++*(int *)ctx;
    return 1;
}

static void test_stop(void **state)
{
    litset *s = litset_new();
    int calls = 0;
    (void)state;
    litset_add(s, "a", 1);
    litset_build(s);
    litset_scan(s, "aaaa", 4, stop_at_first, &calls);
    assert_int_equal(calls, 1);
    litset_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chinese_and_latin),
        cmocka_unit_test(test_agrees_with_memmem),
        cmocka_unit_test(test_stop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
