/* statelock.c: the flock that keeps a state directory to one daemon. */
#include "statelock.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* The pid the holder wrote, or 0 when the file does not (yet) say: the
 * holder may be between its flock() and its write. */
static long holder_pid(int fd)
{
    char buf[32];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    char *end;
    long pid;

    if (n <= 0)
        return 0;
    buf[n] = '\0';
    errno = 0;
    pid = strtol(buf, &end, 10);
    if (errno != 0 || end == buf || (*end != '\n' && *end != '\0') || pid <= 0)
        return 0;
    return pid;
}

static ev_code write_pid(int fd, const char *path, ev_error *err)
{
    char line[32];
    int len = snprintf(line, sizeof line, "%ld\n", (long)getpid());

    if (ftruncate(fd, 0) != 0)
        return ev_fail(err, EV_EIO, "truncate %s: %s", path, strerror(errno));
    ssize_t w = pwrite(fd, line, (size_t)len, 0);
    if (w != len)
        return ev_fail(err, EV_EIO, "write %s: %s", path, w < 0 ? strerror(errno) : "short write");
    return EV_OK;
}

ev_code statelock_take(const char *state_dir, int *fd_out, ev_error *err)
{
    assert(state_dir && fd_out);
    char *path = ev_asprintf("%s/%s", state_dir, STATELOCK_FILE);
    ev_code rc = EV_OK;
    int fd = -1;

    if (mkdir(state_dir, 0700) != 0 && errno != EEXIST) {
        rc = ev_fail(err, EV_EIO, "state directory %s: %s", state_dir, strerror(errno));
        goto out;
    }
    fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        rc = ev_fail(err, EV_EIO, "state directory lock %s: %s", path, strerror(errno));
        goto out;
    }
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EINTR)
            continue;
        if (errno == EWOULDBLOCK) {
            long pid = holder_pid(fd);
            char who[48] = "another process";
            if (pid > 0)
                snprintf(who, sizeof who, "another evidenced, pid %ld", pid);
            rc = ev_fail(err, EV_EINVAL, "state directory %s is in use by %s (it holds the "
                         "lock %s): one daemon per state directory; stop that one, or give "
                         "this one another state directory", state_dir, who, path);
        } else {
            rc = ev_fail(err, EV_EIO, "flock %s: %s", path, strerror(errno));
        }
        goto out;
    }
    rc = write_pid(fd, path, err);
out:
    if (rc != EV_OK && fd >= 0) {
        close(fd);
        fd = -1;
    }
    *fd_out = fd;
    free(path);
    return rc;
}
