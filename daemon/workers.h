/*
 * workers.h: the parser pool. Reading, hashing, parsing, classifying and
 * extracting a file happens on worker threads; everything else (the
 * ledger, the state, the socket) stays on the loop thread.
 *
 * A job names a file relative to the evidence folder. Workers open it
 * beneath the folder without following symbolic links (openat2 with
 * RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS where the kernel has it), refuse
 * anything but a regular file before opening it, and never block on one.
 * They read it once into a sealed memfd and hash it; parsing happens in
 * the thread's extractor process (extractor.h), never in the daemon, so
 * a document can neither reach the ledger's key nor bring the daemon down.
 * Finished jobs come back on the loop thread through `done`, in batches,
 * in any order.
 *
 * Two queues: urgent jobs (a file someone just dropped) go before bulk ones
 * (a cold scan of thousands), so a drop is visible while a scan runs.
 */
#ifndef EV_WORKERS_H
#define EV_WORKERS_H

#include <stdbool.h>
#include <stdint.h>

#include "doc.h"
#include "evidence.h"
#include "extractor.h"
#include "ledger.h"
#include "loop.h"

struct catalog;

typedef enum job_outcome {
    JOB_ANALYZED,       /* ev is set (a rejected document is still analyzed) */
    JOB_VANISHED,       /* the file is gone (ENOENT) */
    JOB_SKIPPED,        /* not a regular file, or unreadable: see message */
    JOB_UNSTABLE        /* it changed while it was read: try again later */
} job_outcome;

typedef struct job {
    char *path;                     /* relative to the evidence folder */
    uint64_t ticket;                /* the caller's, to spot stale results */
    const struct catalog *cat;      /* must live until the job is done */
    bool urgent;
    /* results */
    job_outcome outcome;
    evidence *ev;
    ledger_stat st;
    char message[EV_ERROR_MSG_MAX];
    struct job *next;
} job;

typedef struct workers workers;
/* Finished jobs, all that were ready at once (so that the caller can
 * record them in one transaction); the callee owns jobs[0..n). */
typedef void workers_done_fn(void *arg, job **jobs, size_t n);

/* Start `n` threads (0: one per core) for files below `root_fd` (kept
 * open by the caller), each with an extractor as `xcfg` says (copied;
 * xcfg->catalog is the loaded catalog that catalog_path holds, jobs name
 * theirs). NULL with err set on failure, also, when `probe`, when no
 * extractor can start (checked before returning); without `probe` the
 * threads start theirs in the background, and a job whose extractor cannot
 * start comes back JOB_UNSTABLE. */
workers *workers_start(loop *l, int root_fd, unsigned n, const extractor_config *xcfg,
                       bool probe, workers_done_fn *done, void *arg, ev_error *err);
/* After a reload: extractors for jobs of another catalog than theirs are
 * started anew with this one. */
void workers_set_catalog(workers *w, const struct catalog *cat, const char *path,
                         const char *sha256);
/* Stop the threads after the running jobs; queued jobs are dropped. */
void workers_stop(workers *w);

/* Queue a job (the pool owns it until `done` hands it back). */
void workers_submit(workers *w, job *j);
/* Jobs queued or running. */
size_t workers_pending(const workers *w);

job *job_new(const char *path, uint64_t ticket, const struct catalog *cat, bool urgent);
void job_free(job *j);

#endif
