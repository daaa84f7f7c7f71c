/* statefile.c: atomic writes and bounded reads of the state directory's
 * small files. */
#include "statefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

ev_code statefile_sync_dir(const char *dir, ev_error *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return ev_fail(err, EV_EIO, "%s: %s", dir, strerror(errno));
    ev_code rc = EV_OK;
    if (fsync(fd) != 0)
        rc = ev_fail(err, EV_EIO, "fsync %s: %s", dir, strerror(errno));
    close(fd);
    return rc;
}

ev_code statefile_write_all(int fd, const void *p, size_t n, const char *path, ev_error *err)
{
    const unsigned char *b = p;
    while (n > 0) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return ev_fail(err, EV_EIO, "write %s: %s", path, strerror(errno));
        b += w;
        n -= (size_t)w;
    }
    return EV_OK;
}

/* Whether path already holds exactly these bytes. */
static bool holds(const char *path, const void *data, size_t len)
{
    char *have = NULL;
    size_t n = 0;
    bool same = statefile_read(path, len, &have, &n, NULL) == EV_OK && n == len &&
                memcmp(have, data, len) == 0;
    free(have);
    return same;
}

ev_code statefile_write(const char *dir, const char *name, const void *data, size_t len,
                        mode_t mode, ev_error *err)
{
    char *path = ev_asprintf("%s/%s", dir, name);
    char *tmp = ev_asprintf("%s/%s.tmp", dir, name);
    ev_code rc = EV_OK;
    int fd = -1;

    if (holds(path, data, len))
        goto out;
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) {
        rc = ev_fail(err, EV_EIO, "create %s: %s", tmp, strerror(errno));
        goto out;
    }
    if (fchmod(fd, mode) != 0) {
        rc = ev_fail(err, EV_EIO, "chmod %s: %s", tmp, strerror(errno));
        goto out;
    }
    rc = statefile_write_all(fd, data, len, tmp, err);
    if (rc != EV_OK)
        goto out;
    if (fsync(fd) != 0) {
        rc = ev_fail(err, EV_EIO, "fsync %s: %s", tmp, strerror(errno));
        goto out;
    }
    if (rename(tmp, path) != 0) {
        rc = ev_fail(err, EV_EIO, "rename %s: %s", path, strerror(errno));
        goto out;
    }
    rc = statefile_sync_dir(dir, err);
out:
    if (fd >= 0)
        close(fd);
    if (rc != EV_OK)
        unlink(tmp);
    free(tmp);
    free(path);
    return rc;
}

ev_code statefile_read(const char *path, size_t max, char **out, size_t *len, ev_error *err)
{
    struct stat st;
    ev_code rc = EV_OK;
    char *buf = NULL;
    size_t have = 0;
    *out = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return ev_fail(err, errno == ENOENT ? EV_ENOTFOUND : EV_EIO, "%s: %s", path,
                       strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = ev_fail(err, EV_EIO, "%s: not a regular file", path);
        goto out;
    }
    buf = ev_malloc(max + 2);
    /* Read one byte past max to tell a file that is too long. */
    while (have <= max) {
        ssize_t n = read(fd, buf + have, max + 1 - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = ev_fail(err, EV_EIO, "read %s: %s", path, strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        have += (size_t)n;
    }
    if (have > max) {
        rc = ev_fail(err, EV_ETOOLARGE, "%s: longer than %zu bytes", path, max);
        goto out;
    }
    buf[have] = '\0';
    *out = buf;
    *len = have;
    buf = NULL;
out:
    free(buf);
    close(fd);
    return rc;
}
