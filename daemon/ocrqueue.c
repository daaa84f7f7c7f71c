/*
 * ocrqueue.c: scans read by OCR, behind everything else.
 *
 * A file whose record wants OCR (an image, a PDF of page images) is first
 * recorded as the other workers read it, at once; then it waits here for
 * a pool of its own: at most one OCR extractor per core, each at idle
 * priority, so documents with text and the socket never wait for a page
 * being read. What OCR read is recorded as a "read" event of the same
 * version (scanner_record_reading), so it is in the ledger with the
 * version and survives restarts.
 *
 * Bytes are read once: readings are kept by SHA-256, so a copy or a
 * renamed file takes the reading of the same bytes without OCR, and the
 * same bytes at two paths are read once. A reading that failed (a crash,
 * out of time) is not tried again while the daemon runs.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "evidenced.h"

struct ocr_queue {
    workers *pool;
    strmap readings;        /* sha256 -> record read by OCR (a reference) */
    strmap queued;          /* sha256 -> the path it was queued at (owned) */
    strmap failed;          /* sha256 -> (void *)1: not tried again */
    size_t pages_total;     /* estimated pages of what was queued since idle */
    _Atomic size_t pages_read;      /* counted by the worker threads */
    uint64_t ticket;
};

static void on_page(void *arg, unsigned page, unsigned pages)
{
    ocr_queue *q = arg;
    (void)page, (void)pages;
    atomic_fetch_add(&q->pages_read, 1);
}

static void on_done(void *arg, job **jobs, size_t n);

/* Pages queued since OCR was last idle: estimated from the records, so
 * never fewer than those read. */
static size_t pages_total(const ocr_queue *q)
{
    size_t read = atomic_load(&((ocr_queue *)q)->pages_read);
    return q->pages_total > read ? q->pages_total : read;
}

void ocrq_start(evd *d)
{
    ocr_queue *q = ev_calloc(1, sizeof *q);
    extractor_config xcfg = evd_extractor_config(d);
    ev_error err;

    d->ocrq = q;
    if (!d->cfg.ocr)
        return;
    xcfg.time_ms = d->cfg.ocr_options.page_time_ms;
    xcfg.ocr = true;
    xcfg.ocr_options = d->cfg.ocr_options;
    xcfg.ocr_options.languages = d->cfg.ocr_languages;
    xcfg.background = true;
    xcfg.progress = on_page;
    xcfg.progress_arg = q;
    /* One reader per core at most: OCR is all CPU. Its extractors load
     * their language models in the background: the daemon answers at once,
     * and a scan waits for them as it would for a page being read. */
    ev_error_clear(&err);
    q->pool = workers_start(d->l, d->root_fd, 0, &xcfg, false, on_done, d, &err);
    if (!q->pool)
        ev_log(EV_LOG_ERR, "scans will not be read: %s", err.message);
}

static void unref_record(void *ctx, const char *key, void *value)
{
    (void)ctx, (void)key;
    record_unref(value);
}

static void free_value(void *ctx, const char *key, void *value)
{
    (void)ctx, (void)key;
    free(value);
}

void ocrq_stop(evd *d)
{
    ocr_queue *q = d->ocrq;
    if (!q)
        return;
    workers_stop(q->pool);
    strmap_each(&q->readings, unref_record, NULL);
    strmap_free(&q->readings);
    strmap_each(&q->queued, free_value, NULL);
    strmap_free(&q->queued);
    strmap_free(&q->failed);
    free(q);
    d->ocrq = NULL;
}

void ocrq_set_catalog(evd *d)
{
    if (d->ocrq && d->ocrq->pool)
        workers_set_catalog(d->ocrq->pool, d->cat, d->cfg.catalog, d->catalog_sha);
}

/* The whole record (record_evidence() leaves out the metadata). */
static evidence *full_evidence(const record *r)
{
    json_t *o = record_object(r);
    evidence *e = evidence_from_json(o);
    json_decref(o);
    return e;
}

/* Pages a record says its file has (metadata.pages), 1 when unknown. */
static size_t pages_of(const evidence *e)
{
    json_int_t n = json_integer_value(json_object_get(e->metadata, "pages"));
    return n > 0 ? (size_t)n : 1;
}

void ocrq_consider(evd *d, const char *path, const record *r)
{
    ocr_queue *q = d->ocrq;
    record *done;
    evidence *e;

    if (!q || !r)
        return;
    if (r->read_by_ocr) {
        /* A reading on record: the same bytes elsewhere take it. */
        if (!strmap_get(&q->readings, r->sha256))
            strmap_put(&q->readings, r->sha256, record_ref((record *)r));
        return;
    }
    if (!q->pool || !r->wants_ocr || strmap_get(&q->failed, r->sha256) ||
        strmap_get(&q->queued, r->sha256))
        return;
    done = strmap_get(&q->readings, r->sha256);
    if (!(e = full_evidence(done ? done : r)))
        return;
    if (done) {
        free(e->path);
        e->path = ev_strdup(path);
        ev_log(EV_LOG_INFO, "%s: the same bytes were read by OCR before; taking that reading",
               path);
        scanner_record_reading(d, path, e);
    } else {
        strmap_put(&q->queued, r->sha256, ev_strdup(path));
        q->pages_total += pages_of(e);
        workers_submit(q->pool, job_new(path, ++q->ticket, d->cat, false));
        ev_log(EV_LOG_INFO, "%s waits to be read by OCR (%zu documents queued)", path,
               workers_pending(q->pool));
    }
    evidence_free(e);
}

/* The paths whose live version has these bytes. */
typedef struct by_hash {
    const char *sha256;
    char **paths;
    size_t n, cap;
} by_hash;

static void collect(void *ctx, const char *path, void *value)
{
    by_hash *b = ctx;
    tracked *t = value;
    if (t->rec && strcmp(t->rec->sha256, b->sha256) == 0) {
        b->paths = ev_grow(b->paths, &b->cap, b->n + 1, sizeof *b->paths);
        b->paths[b->n++] = ev_strdup(path);
    }
}

/* The hash queued at `path`, for a job that came back without a record. */
typedef struct by_path {
    const char *path;
    const char *sha256;
} by_path;

static void find_queued(void *ctx, const char *sha256, void *value)
{
    by_path *b = ctx;
    if (strcmp(value, b->path) == 0)
        b->sha256 = sha256;
}

/* Take the job's entry off the queue; its hash (the caller frees it), or NULL. */
static char *unqueue(ocr_queue *q, const char *path)
{
    by_path b = {path, NULL};
    char *sha = NULL;

    strmap_each(&q->queued, find_queued, &b);
    if (b.sha256) {
        sha = ev_strdup(b.sha256);
        free(strmap_del(&q->queued, sha));
    }
    return sha;
}

static void finish(evd *d, job *j)
{
    ocr_queue *q = d->ocrq;
    evidence *e = j->ev;
    by_hash b = {0};

    char *sha = unqueue(q, j->path);

    if (j->outcome != JOB_ANALYZED || !e) {
        /* Gone or renamed while it waited: the same bytes may be at
         * another path now (a rename), which is queued in its stead. Not
         * read for another reason (no OCR extractor could start, it kept
         * changing): not tried again; new bytes are considered anew. */
        ev_log(j->outcome == JOB_VANISHED ? EV_LOG_INFO : EV_LOG_WARNING,
               "%s was not read by OCR: %s", j->path,
               j->outcome == JOB_VANISHED ? "it is gone" : j->message[0] ? j->message
                                                                       : "it changed");
        if (j->outcome != JOB_VANISHED && sha) {
            strmap_put(&q->failed, sha, (void *)1);
            free(sha);
            return;
        }
        b.sha256 = sha;
        if (sha)
            strmap_each(&d->files, collect, &b);
        if (b.n > 0) {
            tracked *t = strmap_get(&d->files, b.paths[0]);
            ocrq_consider(d, b.paths[0], t->rec);
        }
        for (size_t i = 0; i < b.n; i++)
            free(b.paths[i]);
        free(b.paths);
        free(sha);
        return;
    }
    free(sha);
    if (e->error != EV_OK || !e->ocr) {
        strmap_put(&q->failed, e->sha256, (void *)1);
        ev_log(EV_LOG_WARNING, "%s could not be read by OCR: %s%s%s", j->path,
               e->error ? ev_code_name(e->error) : "no page was read",
               e->error_message ? ": " : "", e->error_message ? e->error_message : "");
        return;
    }
    ev_log(EV_LOG_NOTICE, "%s read by OCR: %lld pages, confidence %lld%% (reading scans: "
           "%zu of %zu pages)", j->path,
           (long long)json_integer_value(json_object_get(e->ocr, "pages")),
           (long long)json_integer_value(json_object_get(e->ocr, "confidence")),
           atomic_load(&q->pages_read), pages_total(q));
    b.sha256 = e->sha256;
    strmap_each(&d->files, collect, &b);
    for (size_t i = 0; i < b.n; i++) {
        free(e->path);
        e->path = b.paths[i];
        scanner_record_reading(d, e->path, e);
    }
    free(b.paths);
}

static void on_done(void *arg, job **jobs, size_t n)
{
    evd *d = arg;
    ocr_queue *q = d->ocrq;

    control_batch_begin(d);
    for (size_t i = 0; i < n; i++) {
        if (!d->stopping)
            finish(d, jobs[i]);
        job_free(jobs[i]);
    }
    control_batch_end(d);
    if (q->pool && workers_pending(q->pool) == 0) {
        q->pages_total = 0;
        atomic_store(&q->pages_read, 0);
    }
}

json_t *ocrq_progress(const evd *d)
{
    ocr_queue *q = d->ocrq;
    size_t read, total;

    if (!q || !q->pool || workers_pending(q->pool) == 0)
        return NULL;
    read = atomic_load(&((ocr_queue *)q)->pages_read);
    total = pages_total(q);
    return json_pack("{s:I, s:I, s:I}", "pages_read", (json_int_t)read, "pages_total",
                     (json_int_t)total, "documents", (json_int_t)workers_pending(q->pool));
}
