/*
 * statelock.h: one daemon per state directory.
 *
 * Two daemons writing one ledger would interleave their events in one hash
 * chain, each signing rows the other never saw, and each reconcile the
 * folder against a ledger the other changes under it. The state directory is
 * therefore held with an flock(2) on state_dir/evidenced.lock for the whole
 * life of the daemon; a second daemon, whatever its socket or configuration,
 * is refused before it creates or opens anything else there (ledger.key
 * included).
 *
 * The lock belongs to the open file, not to the file's contents: it goes
 * with the process (kill -9 included), so a stale lock file needs no
 * cleaning. The holder writes its pid into the file after locking, only so
 * that the refusal can name it. Readers of the ledger (evidencectl verify
 * --state, the daemon's own self-check) take no lock: SQLite's WAL lets them
 * read beside the writer.
 */
#ifndef STATELOCK_H
#define STATELOCK_H

#include "ev.h"

#define STATELOCK_FILE "evidenced.lock"

/*
 * Make state_dir (0700) if it does not exist, and lock it: open or create
 * state_dir/evidenced.lock (0600, O_NOFOLLOW, O_CLOEXEC so that no child
 * inherits it), flock(LOCK_EX|LOCK_NB), then write our pid into it.
 * Returns EV_OK and *fd_out, to be kept open for as long as the directory
 * is used (closing it releases the lock); EV_EINVAL when another process
 * holds it (the message names its pid when the file gives one); EV_EIO
 * when a system call failed.
 */
ev_code statelock_take(const char *state_dir, int *fd_out, ev_error *err);

#endif
