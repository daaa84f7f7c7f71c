/*
 * outfile.h: writing a file the user named with -o (a report, a package)
 * so that the name cannot be turned against them.
 *
 * The bytes go to a temporary file beside the target (created with
 * O_CREAT|O_EXCL|O_NOFOLLOW, so never through a planted link), are synced,
 * and only then take the target's name: a reader never sees half a file,
 * and a failure leaves whatever was there before untouched.
 *
 * The last component of the target is never followed: a symbolic link
 * there is refused, with or without `force`, since writing "through" it
 * would write wherever the link's owner chose. Without `force` an existing
 * target of any kind is refused (renameat2 RENAME_NOREPLACE, or link(2)
 * where the file system lacks it: both fail when the name exists); with
 * `force` a regular file is replaced, anything else refused. Folders on
 * the way are the user's and are followed as usual.
 */
#ifndef CTL_OUTFILE_H
#define CTL_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "ev.h"

/*
 * Write data[0..len) to path, mode 0666 less the umask. EV_OK; EV_EINVAL
 * when the name is taken (exists without force, a link, not a regular
 * file); EV_EIO when a system call failed. The message names the path and
 * the cause.
 */
ev_code outfile_write(const char *path, const void *data, size_t len, bool force,
                      ev_error *err);

#endif
