/* test_regressions.c: every input the fuzzer once broke the parser with
 * (tests/fuzz/regressions/) parses or is refused cleanly now. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "fixture.h"

static const char *current;

static void broken(const char *why)
{
    fail_msg("%s: doc.h broken: %s", current, why);
}

static int not_hidden(const struct dirent *e)
{
    return e->d_name[0] != '.' && strcmp(e->d_name, "README") != 0;
}

static void test_replay_regressions(void **state)
{
    char *dir = ev_asprintf("%s/tests/fuzz/regressions", EV_SOURCE_DIR);
    struct dirent **list = NULL;
    int n = scandir(dir, &list, not_hidden, alphasort);
    size_t ok = 0, rejected = 0;

    (void)state;
    assert_true(n >= 0);
    for (int i = 0; i < n; i++) {
        char *path = ev_asprintf("%s/%s", dir, list[i]->d_name);
        void *data = NULL;
        size_t len = 0;
        doc *d = NULL;
        ev_error err;

        current = list[i]->d_name;
        ev_error_clear(&err);
        if (doc_read_file(path, NULL, &data, &len, &err) != EV_OK)
            fail_msg("%s: %s", path, err.message);
        if (fx_parse(data, len, NULL, &d, &err) == EV_OK) {
            ok++;
            doc_free(d);
        } else {
            rejected++;
        }
        free(data);
        free(path);
        free(list[i]);
    }
    free(list);
    free(dir);
    print_message("regressions: %zu ok, %zu rejected\n", ok, rejected);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_regressions),
    };
    doc_init();
    fx_on_broken(broken);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
