/* test_read_file.c: doc_read_file() reads regular files only, never blocks
 * on a FIFO and never follows a symlink. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "doc.h"

static char dir[64];

static char *in_dir(const char *name)
{
    return ev_asprintf("%s/%s", dir, name);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/ev-readfile-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    static const char *const names[] = {"doc.docx", "empty", "fifo", "link",
                                        "subdir", "sock"};
    (void)state;
    for (size_t i = 0; i < EV_ARRAY_LEN(names); i++) {
        char *p = in_dir(names[i]);
        if (unlink(p) != 0)
            rmdir(p);
        free(p);
    }
    return rmdir(dir);
}

/* Read `path` and require `want`; on failure nothing is handed out. */
static void expect_refused(const char *path, const doc_limits *lim, ev_code want)
{
    void *data = (void *)&data;
    size_t len = 12345;
    ev_error err;
    ev_code rc;

    ev_error_clear(&err);
    rc = doc_read_file(path, lim, &data, &len, &err);
    if (rc != want)
        fail_msg("%s: want %s, got %s: %s", path, ev_code_name(want),
                 ev_code_name(rc), err.message);
    assert_int_equal(err.code, want);
    assert_true(err.message[0] != '\0');
    if (data != NULL && data != (void *)&data)
        fail_msg("%s: data handed out with an error", path);
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void test_regular_file(void **state)
{
    static const char bytes[] = "PK\x03\x04 not really a zip, but bytes";
    char *path = in_dir("doc.docx"), *empty = in_dir("empty");
    void *data = NULL;
    size_t len = 0;
    ev_error err;
    doc_limits lim;

    (void)state;
    write_file(path, bytes, sizeof(bytes));
    assert_int_equal(doc_read_file(path, NULL, &data, &len, &err), EV_OK);
    assert_int_equal(len, sizeof(bytes));
    assert_memory_equal(data, bytes, sizeof(bytes));
    free(data);

    doc_limits_default(&lim);
    lim.max_file_size = sizeof(bytes);
    data = NULL;
    assert_int_equal(doc_read_file(path, &lim, &data, &len, &err), EV_OK);
    free(data);
    lim.max_file_size = sizeof(bytes) - 1;
    expect_refused(path, &lim, EV_ETOOLARGE);

    write_file(empty, "", 0);
    data = NULL;
    len = 99;
    assert_int_equal(doc_read_file(empty, NULL, &data, &len, &err), EV_OK);
    assert_int_equal(len, 0);
    free(data);
    free(path);
    free(empty);
}

static void test_fifo_does_not_block(void **state)
{
    char *path = in_dir("fifo");

    (void)state;
    assert_int_equal(mkfifo(path, 0600), 0);
    /* No writer will ever come: a blocking open would hang here, so let
     * the alarm kill the test instead of the ctest timeout. */
    alarm(10);
    expect_refused(path, NULL, EV_EUNSUPPORTED);
    alarm(0);
    free(path);
}

static void test_symlink_not_followed(void **state)
{
    char *target = in_dir("doc.docx"), *link = in_dir("link");

    (void)state;
    write_file(target, "PK", 2);
    assert_int_equal(symlink(target, link), 0);
    expect_refused(link, NULL, EV_EUNSUPPORTED);
    free(target);
    free(link);
}

static void test_directory_device_socket(void **state)
{
    char *sub = in_dir("subdir"), *sock = in_dir("sock");
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd;

    (void)state;
    assert_int_equal(mkdir(sub, 0700), 0);
    expect_refused(sub, NULL, EV_EUNSUPPORTED);
    expect_refused("/dev/null", NULL, EV_EUNSUPPORTED);

    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_true(strlen(sock) < sizeof(sa.sun_path));
    strcpy(sa.sun_path, sock);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    expect_refused(sock, NULL, EV_EUNSUPPORTED);
    close(fd);
    free(sub);
    free(sock);
}

static void test_missing_file(void **state)
{
    char *path = in_dir("no-such-file.docx");
    void *data = NULL;
    size_t len = 0;
    ev_error err;
    ev_code rc;

    (void)state;
    ev_error_clear(&err);
    rc = doc_read_file(path, NULL, &data, &len, &err);
    assert_true(rc == EV_EIO || rc == EV_ENOTFOUND);
    assert_true(err.message[0] != '\0');
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regular_file),
        cmocka_unit_test(test_fifo_does_not_block),
        cmocka_unit_test(test_symlink_not_followed),
        cmocka_unit_test(test_directory_device_socket),
        cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
