/*
 * watch.h: the evidence folder as inotify sees it, recursively.
 *
 * The watcher turns raw inotify events into what the daemon acts on, with
 * paths relative to the watched root ("" is the root, "a/b.docx" a file):
 *   WATCH_WRITTEN   a file was closed after writing, or moved in: parse it
 *                   once it has been quiet for the settle interval
 *   WATCH_CHANGING  a file is being written: postpone a pending parse
 *   WATCH_CREATED   a name that is not a folder appeared (IN_CREATE): a file
 *                   about to be written (its WATCH_WRITTEN follows), or one
 *                   that will see no write: a hard link, a symbolic link, a
 *                   FIFO, a socket, a device node
 *   WATCH_ATTRIB    a file's mode, owner or link count changed (IN_ATTRIB):
 *                   a file skipped as unreadable may read now
 *   WATCH_GONE      a file was deleted
 *   WATCH_MOVED_OUT a file or folder moved to where no watch saw it arrive:
 *                   out of the tree, or into a folder not watched yet (its
 *                   WATCH_DIR_ADDED may come before or after)
 *   WATCH_RENAMED   a file or folder moved inside the tree (old_path set)
 *   WATCH_DIR_ADDED a folder appeared (created or moved in); its contents
 *                   may predate the watch, so the daemon scans it
 *   WATCH_DIR_GONE  a folder left the tree; everything below it is gone
 *   WATCH_RESCAN    events were lost (queue overflow, watch limit): the
 *                   daemon must reconcile the whole tree
 * Office and LibreOffice lock files (~$x.docx, .~lock.x.odt#) are ignored.
 */
#ifndef EV_WATCH_H
#define EV_WATCH_H

#include <stdbool.h>

#include "ev.h"
#include "loop.h"

typedef enum watch_event {
    WATCH_WRITTEN,
    WATCH_CHANGING,
    WATCH_CREATED,
    WATCH_ATTRIB,
    WATCH_GONE,
    WATCH_MOVED_OUT,
    WATCH_RENAMED,
    WATCH_DIR_ADDED,
    WATCH_DIR_GONE,
    WATCH_RESCAN
} watch_event;

/*
 * Folders nested deeper than this below the root are neither watched nor
 * read (a bound on the recursion and on the paths): the walk counts each as
 * skipped and names it in the log. Rescans would not read them either, so
 * they do not make the watcher incomplete.
 */
#define WATCH_MAX_DEPTH 64

/* How deep folder `rel` is: 0 for the root (""), 1 for "a", 2 for "a/b". */
int watch_depth(const char *rel);

/* `is_dir` tells, for WATCH_RENAMED, whether a folder moved. */
typedef void watch_fn(void *arg, watch_event ev, const char *path,
                      const char *old_path, bool is_dir);

typedef struct watcher watcher;

/* Watch `root` and every folder below it. EV_EIO when inotify is unusable. */
ev_code watch_open(loop *l, const char *root, watch_fn *fn, void *arg,
                   watcher **out, ev_error *err);
void watch_close(watcher *w);

/* Whether some folders could not be watched (the inotify watch limit): the
 * daemon then reconciles the tree periodically instead of trusting events. */
bool watch_incomplete(const watcher *w);

/* Number of folders watched. */
size_t watch_count(const watcher *w);

/* Lock files are small: a file of that name this large is a document. */
#define WATCH_LOCK_FILE_MAX 4096

/*
 * Whether a file is a transient lock file that the daemon ignores: Word's
 * owner file (~$x.docx, 162 bytes) or LibreOffice's lock (.~lock.x.odt#),
 * under WATCH_LOCK_FILE_MAX bytes. `size` < 0 when unknown (the file is
 * gone): then the name decides.
 */
bool watch_is_lock_file(const char *name, int64_t size);

#endif
