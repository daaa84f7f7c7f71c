/* verify.c: `evidencectl verify --state DIR [--folder DIR]` without the
 * daemon — an auditor's check of a copy of the state directory, with only
 * the public key, and optionally of the evidence folder beside it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "safe.h"
#include "verify.h"

json_t *verify_offline(const char *state, const char *folder, int *status)
{
    int root_fd = -1;
    json_t *r;
    ev_error err;

    if (folder) {
        root_fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (root_fd < 0) {
            int why = errno;
            fputs("evidencectl: ", stderr);
            safe_fputs(folder, stderr);
            fprintf(stderr, ": %s\n", strerror(why));
            *status = CTL_USAGE;
            return NULL;
        }
    }
    ev_error_clear(&err);
    r = verify_run(state, NULL, root_fd, 0, NULL, NULL, NULL, &err);
    if (root_fd >= 0)
        close(root_fd);
    if (!r) {
        fputs("evidencectl: verify: ", stderr);
        safe_fputs(err.message, stderr);
        fputc('\n', stderr);
        *status = CTL_FAILED;
    }
    return r;
}
