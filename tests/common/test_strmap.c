/* test_strmap.c: the string hash map under inserts, deletes and rehashes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"

static void test_put_get_del_many(void **state)
{
    strmap m = {0};
    char key[32];
    (void)state;
    for (intptr_t i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "dir/%ld.docx", (long)i);
        assert_null(strmap_put(&m, key, (void *)(i + 1)));
    }
    assert_int_equal(m.count, 5000);
    for (intptr_t i = 0; i < 5000; i += 2) {
        snprintf(key, sizeof key, "dir/%ld.docx", (long)i);
        assert_ptr_equal(strmap_del(&m, key), (void *)(i + 1));
    }
    for (intptr_t i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "dir/%ld.docx", (long)i);
        assert_ptr_equal(strmap_get(&m, key), i % 2 ? (void *)(i + 1) : NULL);
    }
    /* Reinserting over tombstones must not lose or duplicate keys. */
    for (intptr_t i = 0; i < 5000; i += 2) {
        snprintf(key, sizeof key, "dir/%ld.docx", (long)i);
        assert_null(strmap_put(&m, key, (void *)(i + 1)));
    }
    assert_int_equal(m.count, 5000);
    assert_ptr_equal(strmap_put(&m, "dir/7.docx", (void *)99), (void *)8);
    strmap_free(&m);
}

static void test_keys_sorted(void **state)
{
    strmap m = {0};
    size_t n;
    const char **keys;
    (void)state;
    strmap_put(&m, "b", NULL);
    strmap_put(&m, "a/c", NULL);
    strmap_put(&m, "a", NULL);
    keys = strmap_keys(&m, &n);
    assert_int_equal(n, 3);
    assert_string_equal(keys[0], "a");
    assert_string_equal(keys[1], "a/c");
    assert_string_equal(keys[2], "b");
    free(keys);
    strmap_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_get_del_many),
        cmocka_unit_test(test_keys_sorted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
