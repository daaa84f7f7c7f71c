/* beneath.c: openat2() beneath a folder, or a walk that does the same. */
#include "beneath.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Component by component, each opened with O_NOFOLLOW, so a symbolic link
 * anywhere on the way fails with ELOOP. */
int ev_open_beneath_walk(int root_fd, const char *path, int flags)
{
    int dir = root_fd, fd = -1;
    const char *p = path;

    if (*p == '/') {
        errno = EXDEV;
        return -1;
    }
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        char name[256];
        int next;

        if (n >= sizeof name) {
            errno = ENAMETOOLONG;
            break;
        }
        memcpy(name, p, n);
        name[n] = '\0';
        if (strcmp(name, "..") == 0) {
            errno = EXDEV;
            break;
        }
        if (!slash) {
            fd = openat(dir, name, flags | O_NOFOLLOW | O_CLOEXEC);
            break;
        }
        next = openat(dir, n ? name : ".", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0) {
            struct stat st;
            /* O_DIRECTORY answers ENOTDIR for a symbolic link; say ELOOP,
             * as openat2() does, so that callers can tell it. */
            if (errno == ENOTDIR && fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                S_ISLNK(st.st_mode))
                errno = ELOOP;
            break;
        }
        if (dir != root_fd)
            close(dir);
        dir = next;
        p = slash + 1;
    }
    if (dir != root_fd) {
        int saved = errno;
        close(dir);
        errno = saved;
    }
    return fd;
}

int ev_open_beneath(int root_fd, const char *path, int flags)
{
    struct open_how how = {
        .flags = (unsigned)flags | O_NOFOLLOW | O_CLOEXEC,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
    };
    int fd = (int)syscall(SYS_openat2, root_fd, path, &how, sizeof how);

    if (fd < 0 && (errno == ENOSYS || errno == EPERM))
        fd = ev_open_beneath_walk(root_fd, path, (int)how.flags);
    return fd;
}
