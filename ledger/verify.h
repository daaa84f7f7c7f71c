/*
 * verify.h: what `evidencectl verify` checks, for the daemon and offline.
 *
 * The ledger: every event's hash, link and signature, the signed head, and
 * the document tables against the events (ledger_verify). The folder, when
 * one is given: each live document's file is read again and its SHA-256
 * compared with the recorded one, so a document edited or replaced behind
 * the daemon's back is named.
 */
#ifndef EV_VERIFY_H
#define EV_VERIFY_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "ev.h"
#include "ledger.h"
#include "signer.h"

/*
 * What a verify has done so far, for a thread other than the one running
 * it (status while the daemon verifies); and a way to stop it early.
 */
typedef struct verify_progress {
    _Atomic int64_t files_total;    /* -1 while the ledger itself is checked */
    _Atomic int64_t files_checked;
    _Atomic bool cancel;            /* set by another thread: stop at the next file */
} verify_progress;

/*
 * Check state_dir/ledger.db with `pub` (NULL: load state_dir/ledger.pub,
 * so a copy of the state directory without the secret key suffices) and,
 * when root_fd >= 0, the files beneath it. expect_seq/expect_hash as for
 * ledger_verify (0/NULL: none). The ledger must extend expect_tree, or when
 * that is NULL the state directory's last checkpoint (checkpoint.h) if it
 * has one; a checkpoint file whose signature does not verify stops the
 * check. Returns {verified, ledger: {events, head_seq, head_hash, fault,
 * fault_seq, detail, tree: {size, root}, checkpoint: {size, root} | null},
 * files?: {checked, changed: [{path, recorded, actual}], missing: [path]}},
 * or NULL with err set when the check could not run at all (or was
 * cancelled). `progress`,
 * when not NULL, is kept up to date as files are checked.
 */
json_t *verify_run(const char *state_dir, const signer *pub, int root_fd, int64_t expect_seq,
                   const char *expect_hash, const ledger_tree_head *expect_tree,
                   verify_progress *progress, ev_error *err);

#endif
