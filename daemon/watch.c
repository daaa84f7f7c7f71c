/*
 * watch.c: recursive inotify. One watch per folder; the map from watch
 * descriptor to relative path is rewritten when a folder moves, so events
 * inside a moved folder name its new place.
 */
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

/* IN_ATTRIB: a chmod gives nothing else, and a file skipped as unreadable
 * must be read once it is readable. */
#define DIR_MASK (IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE | \
                  IN_DELETE_SELF | IN_MODIFY | IN_ATTRIB | IN_ONLYDIR | IN_DONT_FOLLOW | \
                  IN_EXCL_UNLINK)

struct watcher {
    loop *l;
    int fd;
    char *root;
    watch_fn *fn;
    void *arg;
    char **paths;           /* indexed by watch descriptor; NULL = free */
    size_t npaths;
    size_t count;
    bool incomplete;
    bool limit_logged;
    /* A move out of a folder waits here for its move in (same cookie). */
    uint32_t moved_cookie;
    char *moved_path;
    bool moved_dir;
};

bool watch_is_lock_file(const char *name, int64_t size)
{
    size_t n = strlen(name);
    bool named = strncmp(name, "~$", 2) == 0 ||
                 (strncmp(name, ".~lock.", 7) == 0 && n > 7 && name[n - 1] == '#');
    return named && size < WATCH_LOCK_FILE_MAX;
}

/* The size of root/dir/name, -1 when it cannot be had; asked only of the
 * names of lock files. */
static int64_t size_of(const watcher *w, const char *dir, const char *name)
{
    char *path = *dir ? ev_asprintf("%s/%s/%s", w->root, dir, name)
                      : ev_asprintf("%s/%s", w->root, name);
    struct stat st;
    int64_t size = lstat(path, &st) == 0 ? (int64_t)st.st_size : -1;

    free(path);
    return size;
}

static char *join(const char *dir, const char *name)
{
    return *dir ? ev_asprintf("%s/%s", dir, name) : ev_strdup(name);
}

int watch_depth(const char *rel)
{
    int depth = *rel ? 1 : 0;
    for (; *rel; rel++)
        depth += *rel == '/';
    return depth;
}

static void add_tree(watcher *w, const char *rel, int depth);

static void set_path(watcher *w, int wd, const char *rel)
{
    if ((size_t)wd >= w->npaths) {
        size_t old = w->npaths;
        w->paths = ev_grow(w->paths, &w->npaths, (size_t)wd + 1, sizeof *w->paths);
        memset(w->paths + old, 0, (w->npaths - old) * sizeof *w->paths);
    }
    if (!w->paths[wd])
        w->count++;
    free(w->paths[wd]);
    w->paths[wd] = ev_strdup(rel);
}

static void forget(watcher *w, int wd)
{
    if (wd < 0 || (size_t)wd >= w->npaths || !w->paths[wd])
        return;
    free(w->paths[wd]);
    w->paths[wd] = NULL;
    w->count--;
}

/* Watch folder `rel` and everything below it. */
static void add_tree(watcher *w, const char *rel, int depth)
{
    char *abs = *rel ? ev_asprintf("%s/%s", w->root, rel) : ev_strdup(w->root);
    int wd;
    DIR *dir;
    struct dirent *de;

    if (depth > WATCH_MAX_DEPTH) {
        ev_log(EV_LOG_WARNING, "%s: folders nested deeper than %d are not watched",
               abs, WATCH_MAX_DEPTH);
        goto out;
    }
    wd = inotify_add_watch(w->fd, abs, DIR_MASK);
    if (wd < 0) {
        if (errno == ENOSPC || errno == ENOMEM) {
            if (!w->limit_logged)
                ev_log(EV_LOG_WARNING,
                       "inotify watch limit reached at %s (fs.inotify.max_user_watches): "
                       "falling back to periodic reconciliation scans", abs);
            w->limit_logged = true;
            w->incomplete = true;
        } else if (errno != ENOENT && errno != ENOTDIR) {
            ev_log(EV_LOG_WARNING, "cannot watch %s: %s", abs, strerror(errno));
        }
        goto out;
    }
    set_path(w, wd, rel);
    dir = opendir(abs);
    if (!dir)
        goto out;
    while ((de = readdir(dir)) != NULL) {
        char *child;
        if (de->d_name[0] == '.' && (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
            continue;
        if (de->d_type == DT_UNKNOWN) {
            struct stat st;
            if (fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
                !S_ISDIR(st.st_mode))
                continue;
        } else if (de->d_type != DT_DIR) {
            continue;
        }
        child = join(rel, de->d_name);
        add_tree(w, child, depth + 1);
        free(child);
    }
    closedir(dir);
out:
    free(abs);
}

/* Folder `old` moved to `new`: rewrite the paths of every watch below it. */
static void rename_tree(watcher *w, const char *old, const char *new)
{
    size_t n = strlen(old);
    for (size_t i = 0; i < w->npaths; i++) {
        char *p = w->paths[i];
        if (!p || strncmp(p, old, n) != 0 || (p[n] && p[n] != '/'))
            continue;
        w->paths[i] = ev_asprintf("%s%s", new, p + n);
        free(p);
    }
}

/* Folder `rel` left the tree: stop watching it and everything below. */
static void drop_tree(watcher *w, const char *rel)
{
    size_t n = strlen(rel);
    for (size_t i = 0; i < w->npaths; i++) {
        char *p = w->paths[i];
        if (!p || strncmp(p, rel, n) != 0 || (p[n] && p[n] != '/'))
            continue;
        inotify_rm_watch(w->fd, (int)i);
        forget(w, (int)i);
    }
}

/* A move out that no move in followed: the file or folder left the tree,
 * or went into a folder whose watch did not exist yet. */
static void flush_move(watcher *w)
{
    if (!w->moved_path)
        return;
    if (w->moved_dir)
        drop_tree(w, w->moved_path);
    w->fn(w->arg, WATCH_MOVED_OUT, w->moved_path, NULL, w->moved_dir);
    free(w->moved_path);
    w->moved_path = NULL;
}

static void handle(watcher *w, const struct inotify_event *e)
{
    const char *dir;
    char *path;
    bool is_dir = (e->mask & IN_ISDIR) != 0;

    if (e->mask & IN_Q_OVERFLOW) {
        flush_move(w);
        ev_log(EV_LOG_WARNING, "inotify queue overflowed: reconciling the folder");
        w->fn(w->arg, WATCH_RESCAN, "", NULL, true);
        return;
    }
    if (e->mask & IN_IGNORED) {
        forget(w, e->wd);
        return;
    }
    if (e->wd < 0 || (size_t)e->wd >= w->npaths || !w->paths[e->wd])
        return;
    dir = w->paths[e->wd];
    if (e->mask & IN_DELETE_SELF) {
        if (!*dir) {
            ev_log(EV_LOG_ERR, "the evidence folder %s was removed", w->root);
            w->fn(w->arg, WATCH_RESCAN, "", NULL, true);
        }
        return;
    }
    if (!e->len || (watch_is_lock_file(e->name, -1) &&
                    watch_is_lock_file(e->name, size_of(w, dir, e->name))))
        return;
    path = join(dir, e->name);

    if (w->moved_path && !((e->mask & IN_MOVED_TO) && e->cookie == w->moved_cookie))
        flush_move(w);

    if (e->mask & IN_MOVED_FROM) {
        w->moved_path = path;
        w->moved_cookie = e->cookie;
        w->moved_dir = is_dir;
        return;
    }
    if (e->mask & IN_MOVED_TO) {
        if (w->moved_path) {
            if (is_dir)
                rename_tree(w, w->moved_path, path);
            w->fn(w->arg, WATCH_RENAMED, path, w->moved_path, is_dir);
            free(w->moved_path);
            w->moved_path = NULL;
        } else if (is_dir) {
            add_tree(w, path, watch_depth(path));
            w->fn(w->arg, WATCH_DIR_ADDED, path, NULL, true);
        } else {
            w->fn(w->arg, WATCH_WRITTEN, path, NULL, false);
        }
    } else if (e->mask & IN_CREATE) {
        if (is_dir) {
            add_tree(w, path, watch_depth(path));
            w->fn(w->arg, WATCH_DIR_ADDED, path, NULL, true);
        } else {
            w->fn(w->arg, WATCH_CREATED, path, NULL, false);
        }
    } else if (e->mask & IN_CLOSE_WRITE) {
        w->fn(w->arg, WATCH_WRITTEN, path, NULL, false);
    } else if (e->mask & IN_MODIFY) {
        w->fn(w->arg, WATCH_CHANGING, path, NULL, false);
    } else if (e->mask & IN_DELETE) {
        w->fn(w->arg, is_dir ? WATCH_DIR_GONE : WATCH_GONE, path, NULL, is_dir);
    } else if ((e->mask & IN_ATTRIB) && !is_dir) {
        w->fn(w->arg, WATCH_ATTRIB, path, NULL, false);
    }
    free(path);
}

static void on_readable(loop *l, int fd, unsigned events, void *arg)
{
    watcher *w = arg;
    char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));

    (void)l, (void)events;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            break;
        }
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *e = (const struct inotify_event *)p;
            handle(w, e);
            p += sizeof *e + e->len;
        }
    }
    /* The pair of a move is queued together; one left over is a move out. */
    flush_move(w);
}

static bool root_watched(const watcher *w)
{
    for (size_t i = 0; i < w->npaths; i++)
        if (w->paths[i] && !*w->paths[i])
            return true;
    return false;
}

ev_code watch_open(loop *l, const char *root, watch_fn *fn, void *arg,
                   watcher **out, ev_error *err)
{
    watcher *w = ev_calloc(1, sizeof *w);

    *out = NULL;
    w->l = l;
    w->fn = fn;
    w->arg = arg;
    w->root = ev_strdup(root);
    w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->fd < 0) {
        ev_fail(err, EV_EIO, "inotify: %s", strerror(errno));
        goto fail;
    }
    add_tree(w, "", 0);
    if (!root_watched(w)) {
        ev_fail(err, EV_EIO, "cannot watch %s", root);
        goto fail;
    }
    if (loop_add_fd(l, w->fd, LOOP_READ, on_readable, w) != 0) {
        ev_fail(err, EV_EIO, "epoll: %s", strerror(errno));
        goto fail;
    }
    *out = w;
    return EV_OK;
fail:
    watch_close(w);
    return err ? err->code : EV_EIO;
}

void watch_close(watcher *w)
{
    if (!w)
        return;
    if (w->fd >= 0) {
        loop_del_fd(w->l, w->fd);
        close(w->fd);
    }
    for (size_t i = 0; i < w->npaths; i++)
        free(w->paths[i]);
    free(w->paths);
    free(w->moved_path);
    free(w->root);
    free(w);
}

bool watch_incomplete(const watcher *w)
{
    return w->incomplete;
}

size_t watch_count(const watcher *w)
{
    return w->count;
}
