/* test_beneath.c: opening beneath a folder refuses symbolic links on the
 * way and paths that leave it, with openat2() and with the walk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "beneath.h"
#include "ev.h"

typedef int open_fn(int root_fd, const char *path, int flags);

/* A folder: sub/a.txt, copy/a.txt, link -> copy, sub/la.txt -> a.txt,
 * and outside.txt beside the folder. Returns the folder's descriptor. */
static int make_tree(char *base)
{
    char *p;
    int fd;

    assert_non_null(mkdtemp(base));
    p = ev_asprintf("%s/outside.txt", base);
    fd = open(p, O_WRONLY | O_CREAT, 0600);
    assert_true(fd >= 0);
    close(fd);
    free(p);
    p = ev_asprintf("%s/root", base);
    assert_int_equal(mkdir(p, 0700), 0);
    fd = open(p, O_RDONLY | O_DIRECTORY);
    assert_true(fd >= 0);
    free(p);
    assert_int_equal(mkdirat(fd, "sub", 0700), 0);
    assert_int_equal(mkdirat(fd, "copy", 0700), 0);
    for (int i = 0; i < 2; i++) {
        int f = openat(fd, i ? "copy/a.txt" : "sub/a.txt", O_WRONLY | O_CREAT, 0600);
        assert_true(f >= 0);
        close(f);
    }
    assert_int_equal(symlinkat("copy", fd, "link"), 0);
    assert_int_equal(symlinkat("a.txt", fd, "sub/la.txt"), 0);
    return fd;
}

static void remove_tree(const char *base)
{
    static const char *const files[] = {"root/sub/a.txt", "root/sub/la.txt", "root/copy/a.txt",
                                         "root/link", "outside.txt"};
    static const char *const dirs[] = {"root/sub", "root/copy", "root", ""};

    for (size_t i = 0; i < EV_ARRAY_LEN(files); i++) {
        char *p = ev_asprintf("%s/%s", base, files[i]);
        assert_int_equal(unlink(p), 0);
        free(p);
    }
    for (size_t i = 0; i < EV_ARRAY_LEN(dirs); i++) {
        char *p = ev_asprintf("%s/%s", base, dirs[i]);
        assert_int_equal(rmdir(p), 0);
        free(p);
    }
}

static void check(open_fn *fn)
{
    char base[] = "/tmp/evbeneath-XXXXXX";
    int root = make_tree(base);
    int fd;

    fd = fn(root, "sub/a.txt", O_RDONLY);
    assert_true(fd >= 0);
    close(fd);
    fd = fn(root, "sub//a.txt", O_RDONLY);
    assert_true(fd >= 0);
    close(fd);
    /* A folder on the way that is a symbolic link: the hole O_NOFOLLOW
     * leaves, which openat(2) alone would follow. */
    fd = openat(root, "link/a.txt", O_RDONLY | O_NOFOLLOW);
    assert_true(fd >= 0);
    close(fd);
    errno = 0;
    assert_int_equal(fn(root, "link/a.txt", O_RDONLY), -1);
    assert_int_equal(errno, ELOOP);
    errno = 0;
    assert_int_equal(fn(root, "sub/la.txt", O_RDONLY), -1);
    assert_int_equal(errno, ELOOP);
    errno = 0;
    assert_int_equal(fn(root, "../outside.txt", O_RDONLY), -1);
    assert_int_equal(errno, EXDEV);
    errno = 0;
    assert_int_equal(fn(root, "sub/../../outside.txt", O_RDONLY), -1);
    assert_int_equal(errno, EXDEV);
    errno = 0;
    assert_int_equal(fn(root, "/etc/passwd", O_RDONLY), -1);
    assert_int_equal(errno, EXDEV);
    errno = 0;
    assert_int_equal(fn(root, "sub/none.txt", O_RDONLY), -1);
    assert_int_equal(errno, ENOENT);
    close(root);
    remove_tree(base);
}

static void test_open_beneath(void **state)
{
    (void)state;
    check(ev_open_beneath);
}

static void test_walk(void **state)
{
    (void)state;
    check(ev_open_beneath_walk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_beneath),
        cmocka_unit_test(test_walk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
