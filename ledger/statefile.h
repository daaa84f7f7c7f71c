/*
 * statefile.h: small files of the state directory, written so that a crash
 * leaves the old content or the new, never a mix, and read with a bound.
 *
 * Written: a temporary file beside it (O_NOFOLLOW), the bytes, fsync,
 * rename over the name, fsync of the directory. A file that already holds
 * exactly the bytes is left alone, so that a start on a full disk does not
 * fail for want of rewriting what is there.
 */
#ifndef STATEFILE_H
#define STATEFILE_H

#include <stddef.h>
#include <sys/types.h>

#include "ev.h"

/* Write dir/name with the given bytes and mode (set explicitly: a service's
 * umask may be stricter). EV_EIO with the failing call named. */
ev_code statefile_write(const char *dir, const char *name, const void *data, size_t len,
                        mode_t mode, ev_error *err);

/*
 * Read a whole regular file of at most max bytes (not following a symbolic
 * link) into *out, NUL-terminated, the caller freeing it; *len its size.
 * EV_ENOTFOUND when it does not exist, EV_ETOOLARGE when longer than max,
 * EV_EIO otherwise.
 */
ev_code statefile_read(const char *path, size_t max, char **out, size_t *len, ev_error *err);

/* The pieces, for a file written another way (the signing key, linked
 * into place so that two writers cannot both create it). */
ev_code statefile_write_all(int fd, const void *p, size_t n, const char *path, ev_error *err);
/* fsync a directory, making a rename or link in it durable. */
ev_code statefile_sync_dir(const char *dir, ev_error *err);

#endif
