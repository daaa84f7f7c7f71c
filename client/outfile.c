/* outfile.c: an output file written whole, beside its name, then renamed; see outfile.h. */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safe.h"

/* Refuse a name that is taken, before any work: EV_OK when path may be
 * written (absent, or a regular file and force). */
static ev_code check_target(const char *path, const char *shown, bool force, ev_error *err)
{
    struct stat st;

    if (lstat(path, &st) != 0)
        return errno == ENOENT ? EV_OK
                               : ev_fail(err, EV_EIO, "%s: %s", shown, strerror(errno));
    if (S_ISLNK(st.st_mode))
        return ev_fail(err, EV_EINVAL, "%s is a symbolic link: it is neither followed nor "
                       "replaced; remove it or name another file", shown);
    if (!S_ISREG(st.st_mode))
        return ev_fail(err, EV_EINVAL, "%s exists and is not a regular file", shown);
    if (!force)
        return ev_fail(err, EV_EINVAL, "%s exists; --force replaces it", shown);
    return EV_OK;
}

/* Give tmp the name path without ever replacing what is there: false with
 * errno set (EEXIST when the name was taken meanwhile). */
static bool publish_new(const char *tmp, const char *path)
{
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
        return true;
    if (errno != EINVAL && errno != ENOSYS)
        return false;
    /* A file system without RENAME_NOREPLACE: link(2) fails on any
     * existing name as well, links included. */
    if (link(tmp, path) != 0)
        return false;
    unlink(tmp);
    return true;
}

ev_code outfile_write(const char *path, const void *data, size_t len, bool force,
                      ev_error *err)
{
    char *shown = safe_strdup(path);
    const char *slash = strrchr(path, '/');
    char *tmp = NULL;
    mode_t mask;
    int fd = -1;
    ev_code rc;

    if (!*path || (slash && !slash[1])) {
        rc = ev_fail(err, EV_EINVAL, "'%s' is not a file name", shown);
        goto out;
    }
    if ((rc = check_target(path, shown, force, err)) != EV_OK)
        goto out;
    /* Hidden and beside the target: the same file system, so rename works. */
    tmp = slash ? ev_asprintf("%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1)
                : ev_asprintf(".%s.XXXXXX", path);
    if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
        rc = ev_fail(err, EV_EIO, "cannot create a file beside %s: %s", shown, strerror(errno));
        free(tmp);
        tmp = NULL;
        goto out;
    }
    mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || !ev_write_all(fd, data, len) || fsync(fd) != 0) {
        rc = ev_fail(err, EV_EIO, "cannot write %s: %s", shown, strerror(errno));
        goto out;
    }
    if (close(fd) != 0) {
        fd = -1;
        rc = ev_fail(err, EV_EIO, "cannot write %s: %s", shown, strerror(errno));
        goto out;
    }
    fd = -1;
    if (force ? rename(tmp, path) != 0 : !publish_new(tmp, path)) {
        rc = errno == EEXIST ? ev_fail(err, EV_EINVAL, "%s exists; --force replaces it", shown)
                             : ev_fail(err, EV_EIO, "cannot write %s: %s", shown,
                                       strerror(errno));
        goto out;
    }
    free(tmp);
    tmp = NULL;
out:
    if (fd >= 0)
        close(fd);
    if (tmp) {
        unlink(tmp);
        free(tmp);
    }
    free(shown);
    return rc;
}
