/* test_config.c: the configuration file and its errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static char *write_conf(const char *text)
{
    char *path = ev_strdup("/tmp/evidenced-conf-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void test_full_file(void **state)
{
    config c;
    ev_error err;
    char *path = write_conf(
        "; evidence server\n"
        "[paths]\nwatch = /srv/evidence\nstate = /var/lib/ev\n"
        "[policy]\ncategories = security-operations, risk-assessment\n"
        "organisation = 青云网安技术有限公司 | Qingyun NetSec Co., Ltd.\n"
        "[scan]\nsettle_ms = 250\nworkers = 3\n"
        "[limits]\nmax_file_size = 32M\nmax_text = 512KiB\nmax_attributes = 512\nmax_pages = 300\n"
        "[log]\nlevel = debug\n");
    (void)state;
    ev_error_clear(&err);
    config_defaults(&c);
    assert_int_equal(config_load(&c, path, true, &err), EV_OK);
    assert_string_equal(c.watch, "/srv/evidence");
    assert_string_equal(c.state, "/var/lib/ev");
    assert_int_equal(c.ncategories, 2);
    assert_string_equal(c.categories[1], "risk-assessment");
    assert_int_equal(c.norg_names, 2);
    assert_string_equal(c.org_names[1], "Qingyun NetSec Co., Ltd.");
    assert_int_equal(c.settle_ms, 250);
    assert_int_equal(c.workers, 3);
    assert_int_equal(c.limits.max_file_size, 32u << 20);
    assert_int_equal(c.limits.max_text, 512u << 10);
    assert_int_equal(c.limits.max_attributes, 512);
    assert_int_equal(c.limits.max_pages, 300);
    assert_int_equal(c.log_level, EV_LOG_DEBUG);
    assert_int_equal(config_check(&c, &err), EV_OK);
    config_free(&c);
    unlink(path);
    free(path);
}

/* Each bad line is reported with the file, its line number and the key. */
static void test_errors_name_the_line(void **state)
{
    static const struct { const char *text; const char *want; } cases[] = {
        {"[paths]\nwatch = /srv\n[scan]\nsettle_ms = soon\n", ":4: scan.settle_ms"},
        {"[paths]\nwatch = relative/dir\n", ":2: paths.watch must be an absolute path"},
        {"[limits]\n\nmax_file_size = 12X\n", ":3: limits.max_file_size"},
        {"[paths]\nwatsh = /srv\n", ":2: unknown key 'watsh' in section [paths]"},
        {"[log]\nlevel = loud\n", ":2: log.level"},
        {"[limits]\nmax_attributes = 100000\n", ":2: limits.max_attributes must be 1..4096"},
        {"[limits]\nmax_pages = 0\n", ":2: limits.max_pages must be 1..1000000"},
        {"[paths]\nthis line has no equals sign\n", ":2: not a 'key = value' line"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        config c;
        ev_error err;
        char *path = write_conf(cases[i].text);
        ev_error_clear(&err);
        config_defaults(&c);
        assert_int_equal(config_load(&c, path, true, &err), EV_EINVAL);
        if (!strstr(err.message, cases[i].want) || strncmp(err.message, path, strlen(path)))
            fail_msg("case %zu: got '%s', want '%s'", i, err.message, cases[i].want);
        config_free(&c);
        unlink(path);
        free(path);
    }
}

static void test_missing_file_and_watch(void **state)
{
    config c;
    ev_error err;
    (void)state;
    ev_error_clear(&err);
    config_defaults(&c);
    assert_int_equal(config_load(&c, "/nonexistent/evidenced.conf", false, &err), EV_OK);
    assert_int_equal(config_load(&c, "/nonexistent/evidenced.conf", true, &err), EV_EINVAL);
    ev_error_clear(&err);
    assert_int_equal(config_check(&c, &err), EV_EINVAL);
    assert_non_null(strstr(err.message, "paths.watch"));
    config_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_file),
        cmocka_unit_test(test_errors_name_the_line),
        cmocka_unit_test(test_missing_file_and_watch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
