/*
 * evidenced.h: the daemon's shared state, in the manner of ntpd.h — one
 * struct that the daemon's files (main, scanner, status, control) share.
 *
 * Everything here is touched only from the loop thread. Worker threads see
 * nothing of it but the jobs handed to them.
 */
#ifndef EVIDENCED_H
#define EVIDENCED_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "catalog.h"
#include "config.h"
#include "evidence.h"
#include "ledger.h"
#include "loop.h"
#include "record.h"
#include "server.h"
#include "signer.h"
#include "strmap.h"
#include "watch.h"
#include "workers.h"

#define EVIDENCED_VERSION EV_VERSION

/* What the daemon knows of one path in the folder. */
typedef struct tracked {
    record *rec;            /* the recorded version; NULL if none */
    ledger_stat st;         /* stat tuple of the recorded version */
    uint64_t ticket;        /* of the newest job; older results are stale */
    uint64_t due_ms;        /* settle deadline on the monotonic clock; 0: none */
    bool urgent;            /* the due job goes to the urgent queue */
    bool in_flight;         /* a job is with the workers */
    bool again;             /* it changed while in flight: run once more */
    unsigned unread;        /* times it did not read while still being written */
    unsigned settle_ms;     /* its own settle interval, backed off; 0: the configured */
    uint64_t written_ms;    /* its last write event (monotonic) */
    uint64_t submitted_ms;  /* when it was last handed to the workers */
} tracked;

/* A catalog in use by queued jobs after a reload replaced it. */
typedef struct retired_catalog {
    catalog *cat;
    struct retired_catalog *next;
} retired_catalog;

typedef struct selfcheck selfcheck;
typedef struct ocr_queue ocr_queue;
typedef struct verify_op verify_op;

typedef struct evd {
    config cfg;
    loop *l;
    int lock_fd;            /* holds the state directory; see statelock.h */
    int root_fd;            /* the evidence folder; see scanner_reattach_root() */
    bool root_lost;         /* its path leads to no folder now */
    watcher *watch;
    workers *pool;
    ocr_queue *ocrq;        /* scans waiting for OCR; see ocrqueue.c */
    server *srv;
    signer *sig;
    ledger *led;
    catalog *cat;
    char catalog_sha[EV_SHA256_HEX_LEN + 1];
    retired_catalog *retired;

    strmap files;           /* path -> tracked */
    size_t ndue;            /* tracked entries with a due_ms */
    uint64_t next_ticket;
    loop_timer *settle_timer;

    /* Files and folders left out of the ledger as the folder is now (path
     * -> why, text): unreadable files, symbolic links, FIFOs, sockets,
     * device nodes, names not in UTF-8, folders nested too deep. Kept by
     * the walks and the watch events alike, so status counts them at once. */
    strmap skipped;

    /* progress of the current or last scan, for status and sd_notify: the
     * files seen are d->files.count, the documents scanner_documents() */
    bool scanning;
    uint64_t files_parsed;  /* read since the scan began */

    /* evaluation as of today, rebuilt when evidence or the date changes */
    json_t *evaluation;
    uint64_t evaluated_ms;  /* when it was computed (monotonic) */
    bool dirty;             /* evidence or date changed since it was computed */
    struct eval_job *eval_job;  /* an evaluation running on its own thread */
    int eval_efd;
    json_t *statuses;       /* {requirement id: status} last recorded */
    char *policy_recorded;  /* {"catalog","categories"} last recorded, compact JSON */
    loop_timer *eval_timer;
    loop_timer *midnight_timer;
    loop_timer *watchdog_timer;
    loop_timer *scrub_timer;
    loop_timer *rescan_timer;   /* while the watcher is incomplete */
    loop_timer *root_timer;     /* is the evidence folder still the one held? */
    selfcheck *check;           /* the ledger's own verification */
    verify_op *verifying;       /* a client's verify, on its own thread */
    bool check_when_quiet;      /* the start's check waits for its scan */
    bool stopping;
    bool failed;            /* stopping for an error: exit with status 1 */
    int batch_depth;        /* >0: ledger writes join one transaction */
    json_t *held_events;    /* events to announce once the batch commits */

    /* checkpoints (tlog.c) */
    char *checkpoint_note;          /* the last signed, as written */
    ledger_tree_head checkpoint;    /* what it signs */
    uint64_t checkpoint_ms;         /* when (monotonic) */
    loop_timer *checkpoint_timer;
    bool checkpoint_armed;
    dev_t db_dev;                   /* ledger.db as opened: a file swapped */
    ino_t db_ino;                   /* in under the daemon is not signed */
} evd;

/* main.c: the extractors' settings of the configuration in force */
extractor_config evd_extractor_config(const evd *d);

/* scanner.c: files, settle, reconciliation, recording results */
void scanner_on_watch(void *arg, watch_event ev, const char *path, const char *old_path,
                      bool is_dir);
void scanner_on_job(void *arg, job *j);
/* Reconcile folder `prefix` ("" = all) with what is recorded: unchanged
 * files by stat tuple, renames by inode, the rest re-read. */
void scanner_reconcile(evd *d, const char *prefix, bool urgent);
/*
 * The evidence folder may be removed and made again (restored from a
 * backup, a share mounted anew), leaving root_fd on a deleted folder. When
 * the configured path leads to another folder than the one held, hold that
 * one and watch it anew; true when it did (the caller then reconciles).
 * Never call it from a watcher callback: it replaces the watcher.
 */
bool scanner_reattach_root(evd *d);
/* Re-read every file (a scrub, or after a catalog change). */
void scanner_reread_all(evd *d);
/* Record what OCR read of the live version at `path` (a "read" event);
 * nothing when the path holds other bytes now. */
void scanner_record_reading(evd *d, const char *path, const evidence *e);
/* Load the live documents from the ledger into d->files. */
ev_code scanner_load(evd *d, ev_error *err);
void scanner_free(evd *d);
uint64_t scanner_now_ms(void);
/* Documents on record: the files that `documents` lists. Files waiting for
 * their first read are in d->files but not counted here. */
size_t scanner_documents(const evd *d);

/* ocrqueue.c: scans read by OCR on a pool of their own, at idle priority,
 * each set of bytes once (readings are kept by SHA-256) */
/* Never fails: without a pool (OCR off, or it cannot start: logged) scans
 * stay as recorded. */
void ocrq_start(evd *d);
void ocrq_stop(evd *d);
/* After a reload: OCR extractors restart with the new catalog. */
void ocrq_set_catalog(evd *d);
/* A record now at `path`: queue it for OCR if it wants it (or give it the
 * reading of the same bytes); remember it if it is a reading. */
void ocrq_consider(evd *d, const char *path, const record *r);
/* {pages_read, pages_total, documents} while scans wait or are read; NULL
 * when none. */
json_t *ocrq_progress(const evd *d);

/* status.c: evaluation, status changes as ledger events, the date */
void status_mark_dirty(evd *d);
/* Whether the evaluation is behind the evidence (one is due or running). */
bool status_evaluating(const evd *d);
/* The evaluation as of today; borrowed. Evaluations run on a thread of
 * their own after changes settle, so this may be one change behind while
 * one runs (progress.evaluating says so); only the very first is computed
 * on the spot. */
json_t *status_current(evd *d);
/* A fresh evaluation as of `as_of` (YYYY-MM-DD); caller owns it. NULL if
 * the date is not valid. */
json_t *status_evaluate_at(evd *d, const char *as_of);
/* Records {id: status} changes since the last evaluation as ledger events. */
void status_record_changes(evd *d);
/* Records the catalog (by hash) and the declared categories when they
 * differ from what the ledger last recorded; returns which differed. */
enum { POLICY_CATEGORIES = 1, POLICY_CATALOG = 2 };
unsigned status_record_policy(evd *d);
ev_code status_start(evd *d, ev_error *err);
void status_stop(evd *d);
/* Today's local date as YYYY-MM-DD. */
void status_today(char out[11]);

/* selfcheck.c: the daemon verifies its ledger (chain, signatures, head) on
 * a thread at start and every midnight, and logs an error when it fails.
 * selfcheck_start() does nothing while a check runs. NULL on failure. */
selfcheck *selfcheck_new(evd *d);
void selfcheck_start(selfcheck *s);
void selfcheck_free(selfcheck *s);

/* verifyop.c: the socket's verify (chain, signatures, every file read
 * again) on a thread, one at a time; the client is answered when it is
 * done and other requests are answered meanwhile. NULL on failure. */
verify_op *verify_op_new(evd *d);
bool verify_op_running(const verify_op *v);
/* Start a verify for c, which is deferred until it ends (not while one
 * runs). EV_OK, or the error that kept it from starting. */
ev_code verify_op_start(verify_op *v, client *c, ev_error *err);
/* {files_checked, files_total (-1 while the ledger is checked)} of the
 * running verify; NULL when none runs. */
json_t *verify_op_progress(const verify_op *v);
/* Stops a running verify at its next file and waits for it. */
void verify_op_free(verify_op *v);

/* tlog.c: signed checkpoints and the refusal to sign over a rollback.
 * tlog_check(), before the ledger is opened for writing: whether it extends
 * the last checkpoint (false with the reason logged: then do not start);
 * tlog_start() signs a checkpoint of the ledger as it is;
 * tlog_schedule() signs the events just committed within a second;
 * tlog_accept_rollback() is `evidenced --accept-rollback`: with the daemon
 * stopped, records in the ledger that it does not extend the last
 * checkpoint, signs a new one, and returns the exit status. */
bool tlog_check(const char *state, const signer *s);
ev_code tlog_start(evd *d, ev_error *err);
void tlog_schedule(evd *d);
void tlog_stop(evd *d);
int tlog_accept_rollback(const config *cfg);

/* control.c: ledger batches and the socket's operations */
/* Group the ledger writes that follow into one transaction (nestable);
 * watchers hear of its events only once it is durable. A failed commit
 * stops the daemon: the next start redoes the work from the ledger. */
void control_batch_begin(evd *d);
void control_batch_end(evd *d);
void control_request(void *arg, client *c, const char *op, json_t *req);
/* Tell the log and the watchers about a file event just recorded. */
void control_event(evd *d, int64_t seq, const char *type, const char *path,
                   const char *old_path, const char *sha256, const char *kind);
/* The same for a policy-changed event and its payload (JSON text). */
void control_policy_event(evd *d, int64_t seq, const char *payload);

#endif
