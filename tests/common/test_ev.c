/* test_ev.c: error codes, buffers and hashing shared by every module. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <unistd.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ev.h"
#include "sha256.h"

static void test_code_names_are_stable(void **state)
{
    (void)state;
    assert_string_equal(ev_code_name(EV_ENOTDOC), "not-a-document");
    assert_string_equal(ev_code_name(EV_EENCRYPTED), "encrypted");
    assert_string_equal(ev_code_name(EV_EZIPBOMB), "zip-bomb");
    assert_string_equal(ev_code_name(EV_ETOOLARGE), "too-large");
    assert_string_equal(ev_code_name(EV_EMALFORMED), "malformed");
    assert_string_equal(ev_code_name(EV_EUNSUPPORTED), "unsupported");
    assert_string_equal(ev_code_name((ev_code)999), "internal");
}

static void test_first_error_wins(void **state)
{
    ev_error err;
    (void)state;
    ev_error_clear(&err);
    assert_int_equal(ev_fail(&err, EV_EMALFORMED, "bad %s", "crc"), EV_EMALFORMED);
    ev_fail(&err, EV_EIO, "later");
    assert_int_equal(err.code, EV_EMALFORMED);
    assert_string_equal(err.message, "bad crc");
    assert_int_equal(ev_fail(NULL, EV_EIO, "no sink"), EV_EIO);
}

static void test_buf_grows_and_stays_terminated(void **state)
{
    ev_buf b = {0};
    (void)state;
    for (int i = 0; i < 1000; i++)
        ev_buf_printf(&b, "%d,", i);
    assert_int_equal(b.len, strlen(b.data));
    assert_memory_equal(b.data, "0,1,2,", 6);
    ev_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    ev_buf_putc(&b, 'x');
    char *s = ev_buf_steal(&b);
    assert_string_equal(s, "x");
    assert_null(b.data);
    free(s);
}

static void test_sha256_known_vector(void **state)
{
    char hex[EV_SHA256_HEX_LEN + 1];
    (void)state;
    ev_sha256_hex("abc", 3, hex);
    assert_string_equal(hex,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_log_levels_parse(void **state)
{
    (void)state;
    assert_int_equal(ev_log_level_parse("debug"), EV_LOG_DEBUG);
    assert_int_equal(ev_log_level_parse("err"), EV_LOG_ERR);
    assert_int_equal(ev_log_level_parse("loud"), -1);
}

/* A file name with a newline or an escape sequence cannot forge or hide a
 * log line: one message is one line, control characters spelled out. */
static void test_log_escapes_control_characters(void **state)
{
    char out[512] = "";
    FILE *f = tmpfile();
    int saved = dup(STDERR_FILENO);

    (void)state;
    assert_non_null(f);
    fflush(stderr);
    assert_true(dup2(fileno(f), STDERR_FILENO) >= 0);
    ev_log_setup("t", EV_LOG_INFO);
    ev_log(EV_LOG_NOTICE, "added %s", "x\n  262 removed 保密.docx\x1b[8m\t.docx\xb2\xe2");
    fflush(stderr);
    assert_true(dup2(saved, STDERR_FILENO) >= 0);
    close(saved);
    rewind(f);
    assert_non_null(fgets(out, sizeof out, f));
    assert_string_equal(out, "t: notice: added x\\n  262 removed 保密.docx\\x1b[8m\\t.docx"
                             "\\xb2\\xe2\n");
    assert_null(fgets(out, sizeof out, f));
    fclose(f);
}

static void test_escaped_text(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"合同-HT-2026.docx", "合同-HT-2026.docx"},
        {"a\nb\r\tc", "a\\nb\\r\\tc"},
        {"C:\\x", "C:\\\\x"},                     /* a backslash is no escape */
        {"\x1b[8mhidden\x7f", "\\x1b[8mhidden\\x7f"},
        {"\xc2\x85", "\\u0085"},                      /* C1 NEL */
        {"\xe2\x80\xae" "fdp.exe", "\\u202efdp.exe"},  /* right-to-left override */
        {"\xb2\xe2.docx", "\\xb2\\xe2.docx"},         /* GBK bytes */
    };
    (void)state;
    for (size_t i = 0; i < EV_ARRAY_LEN(cases); i++) {
        ev_buf b = {0};
        char *got;
        ev_buf_put_escaped(&b, cases[i].in, strlen(cases[i].in));
        got = ev_buf_steal(&b);
        assert_string_equal(got, cases[i].out);
        free(got);
    }
}

static void test_utf8_validation(void **state)
{
    (void)state;
    assert_true(ev_utf8_valid("plain", 5));
    assert_true(ev_utf8_valid("合同.docx", strlen("合同.docx")));
    assert_true(ev_utf8_valid("\xF0\x9F\x98\x8A", 4));
    assert_false(ev_utf8_valid("\xC0\xAF", 2));          /* overlong '/' */
    assert_false(ev_utf8_valid("\xED\xA0\x80", 3));      /* surrogate */
    assert_false(ev_utf8_valid("\xE5\x90", 2));          /* truncated */
    assert_false(ev_utf8_valid("a\xFF" "b", 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_code_names_are_stable),
        cmocka_unit_test(test_log_escapes_control_characters),
        cmocka_unit_test(test_escaped_text),
        cmocka_unit_test(test_first_error_wins),
        cmocka_unit_test(test_buf_grows_and_stays_terminated),
        cmocka_unit_test(test_sha256_known_vector),
        cmocka_unit_test(test_log_levels_parse),
        cmocka_unit_test(test_utf8_validation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
