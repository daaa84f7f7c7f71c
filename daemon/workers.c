/* workers.c: a fixed pool of threads over two FIFO queues, results back
 * to the loop through an eventfd. Each thread owns one extractor process
 * and does the rest itself: open, read into a sealed memfd, hash, hand the
 * memfd over, check that the file stayed put. */
#include "workers.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "beneath.h"

/* A thread and its extractor. */
typedef struct worker {
    struct workers *w;
    extractor *x;
    const struct catalog *x_cat;    /* the catalog x was started for */
    pthread_t thread;
} worker;

typedef struct queue {
    job *head, *tail;
} queue;

struct workers {
    loop *l;
    int root_fd;
    int efd;
    extractor_config xcfg;          /* under mu: the catalog changes on reload */
    workers_done_fn *done;
    void *arg;
    worker *threads;
    unsigned nthreads;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    queue urgent, bulk, finished;   /* under mu */
    size_t pending;                 /* queued or running; loop thread only */
    bool stopping;
};

static void push(queue *q, job *j)
{
    j->next = NULL;
    if (q->tail)
        q->tail->next = j;
    else
        q->head = j;
    q->tail = j;
}

static job *pop(queue *q)
{
    job *j = q->head;
    if (j) {
        q->head = j->next;
        if (!q->head)
            q->tail = NULL;
        j->next = NULL;
    }
    return j;
}

job *job_new(const char *path, uint64_t ticket, const struct catalog *cat, bool urgent)
{
    job *j = ev_calloc(1, sizeof *j);
    j->path = ev_strdup(path);
    j->ticket = ticket;
    j->cat = cat;
    j->urgent = urgent;
    return j;
}

void job_free(job *j)
{
    if (!j)
        return;
    evidence_free(j->ev);
    free(j->path);
    free(j);
}

/* The extractor for a job: one started for the job's catalog. */
static extractor *extractor_for(worker *me, const job *j)
{
    workers *w = me->w;

    if (me->x && me->x_cat == j->cat)
        return me->x;
    extractor_free(me->x);
    pthread_mutex_lock(&w->mu);
    me->x = extractor_new(&w->xcfg);
    pthread_mutex_unlock(&w->mu);
    me->x_cat = j->cat;
    return me->x;
}

static void run_job(worker *me, job *j)
{
    workers *w = me->w;
    struct stat before, after, again;
    sealed_doc sd = {.fd = -1};
    bool changed;
    ev_error err;
    ev_code rc;
    int fd;

    ev_error_clear(&err);
    if (fstatat(w->root_fd, j->path, &before, AT_SYMLINK_NOFOLLOW) != 0) {
        j->outcome = errno == ENOENT || errno == ENOTDIR ? JOB_VANISHED : JOB_SKIPPED;
        snprintf(j->message, sizeof j->message, "%s", strerror(errno));
        return;
    }
    if (!S_ISREG(before.st_mode)) {
        j->outcome = JOB_SKIPPED;
        snprintf(j->message, sizeof j->message, "not a regular file (%s)",
                 S_ISLNK(before.st_mode) ? "symbolic link" : S_ISFIFO(before.st_mode) ? "FIFO"
                 : S_ISSOCK(before.st_mode) ? "socket" : S_ISDIR(before.st_mode) ? "folder"
                 : "device node");
        return;
    }
    /* Beneath the folder, never through a symbolic link, never blocking. */
    fd = ev_open_beneath(w->root_fd, j->path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        /* A lease held by a writer (Samba's, for a file being written over
         * the share) refuses a non-blocking open with EWOULDBLOCK; a lack of
         * descriptors or memory is ours. None says the file is not there. */
        bool later = errno == EWOULDBLOCK || errno == EINTR || errno == EMFILE ||
                     errno == ENFILE || errno == ENOMEM;
        j->outcome = errno == ENOENT ? JOB_VANISHED : later ? JOB_UNSTABLE : JOB_SKIPPED;
        snprintf(j->message, sizeof j->message, "%s",
                 errno == ELOOP || errno == EXDEV ? "reached through a symbolic link"
                                                  : strerror(errno));
        return;
    }
    rc = sealed_doc_read(fd, j->path, w->xcfg.limits.max_file_size, &sd, &after, &changed, &err);
    if (rc != EV_OK && rc != EV_ETOOLARGE) {
        /* It opened, so it is there: a read that failed (it changed, or
         * memory or descriptors ran short) is tried again, not taken for a
         * removal. */
        j->outcome = JOB_UNSTABLE;
        snprintf(j->message, sizeof j->message, "%s", err.message);
        goto done;
    }
    if (after.st_ino != before.st_ino || after.st_dev != before.st_dev) {
        j->outcome = JOB_UNSTABLE;
        goto done;
    }
    j->st = ledger_stat_of(&after);
    ev_error_clear(&err);
    j->ev = extractor_record(extractor_for(me, j), &sd, j->path, false, &err);
    if (!j->ev) {
        /* No extractor could be started: not the document's fault. Try
         * again later, without spinning. */
        ev_log(EV_LOG_ERR, "%s", err.message);
        snprintf(j->message, sizeof j->message, "%s", err.message);
        j->outcome = JOB_UNSTABLE;
        sleep(1);
        goto done;
    }
    /* Written to while we read: the hash would name bytes that never
     * existed together. Let the settle logic bring it back. */
    if (fstat(fd, &again) == 0 &&
        (again.st_size != after.st_size || again.st_mtim.tv_sec != after.st_mtim.tv_sec ||
         again.st_mtim.tv_nsec != after.st_mtim.tv_nsec)) {
        evidence_free(j->ev);
        j->ev = NULL;
        j->outcome = JOB_UNSTABLE;
        goto done;
    }
    j->outcome = JOB_ANALYZED;
done:
    sealed_doc_close(&sd);
    close(fd);
}

static void *worker_main(void *arg)
{
    worker *me = arg;
    workers *w = me->w;
    ev_error err;

    /* Started now, the first document does not wait for a catalog load. */
    if (!me->x) {
        pthread_mutex_lock(&w->mu);
        me->x = extractor_new(&w->xcfg);
        me->x_cat = w->xcfg.catalog;
        pthread_mutex_unlock(&w->mu);
        ev_error_clear(&err);
        if (extractor_start(me->x, &err) != EV_OK)
            ev_log(EV_LOG_ERR, "%s", err.message);
    }

    pthread_mutex_lock(&w->mu);
    for (;;) {
        job *j;
        while (!w->stopping && !w->urgent.head && !w->bulk.head)
            pthread_cond_wait(&w->cv, &w->mu);
        if (w->stopping)
            break;
        j = pop(&w->urgent);
        if (!j)
            j = pop(&w->bulk);
        pthread_mutex_unlock(&w->mu);
        run_job(me, j);
        pthread_mutex_lock(&w->mu);
        push(&w->finished, j);
        uint64_t one = 1;
        if (write(w->efd, &one, sizeof one) < 0 && errno != EAGAIN)
            ev_log(EV_LOG_ERR, "worker eventfd: %s", strerror(errno));
    }
    pthread_mutex_unlock(&w->mu);
    extractor_free(me->x);
    me->x = NULL;
    return NULL;
}

static void on_finished(loop *l, int fd, unsigned events, void *arg)
{
    workers *w = arg;
    uint64_t count;
    job *list;

    (void)l, (void)events;
    if (read(fd, &count, sizeof count) < 0 && errno != EAGAIN)
        ev_log(EV_LOG_ERR, "worker eventfd: %s", strerror(errno));
    pthread_mutex_lock(&w->mu);
    list = w->finished.head;
    w->finished.head = w->finished.tail = NULL;
    pthread_mutex_unlock(&w->mu);
    job **batch = NULL;
    size_t n = 0, cap = 0;
    while (list) {
        job *j = list;
        list = j->next;
        w->pending--;
        batch = ev_grow(batch, &cap, n + 1, sizeof *batch);
        batch[n++] = j;
    }
    if (n)
        w->done(w->arg, batch, n);
    free(batch);
}

workers *workers_start(loop *l, int root_fd, unsigned n, const extractor_config *xcfg,
                       bool probe, workers_done_fn *done, void *arg, ev_error *err)
{
    workers *w = ev_calloc(1, sizeof *w);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    extractor *first = NULL;

    w->l = l;
    w->root_fd = root_fd;
    w->xcfg = *xcfg;
    w->xcfg.catalog_path = xcfg->catalog_path ? ev_strdup(xcfg->catalog_path) : NULL;
    w->xcfg.catalog_sha256 = xcfg->catalog_sha256 ? ev_strdup(xcfg->catalog_sha256) : NULL;
    w->done = done;
    w->arg = arg;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (w->efd < 0 || loop_add_fd(l, w->efd, LOOP_READ, on_finished, w) != 0) {
        ev_fail(err, EV_EIO, "eventfd: %s", strerror(errno));
        goto fail;
    }
    /* A daemon that could never read a document refuses to start. The
     * extractor that shows it can becomes the first thread's. */
    if (probe) {
        first = extractor_new(&w->xcfg);
        if (extractor_start(first, err) != EV_OK) {
            extractor_free(first);
            goto fail;
        }
    }
    if (n == 0)
        n = cores > 0 ? (unsigned)cores : 1;
    w->threads = ev_calloc(n, sizeof *w->threads);
    w->threads[0].x = first;
    w->threads[0].x_cat = w->xcfg.catalog;
    for (unsigned i = 0; i < n; i++) {
        int rc;
        w->threads[i].w = w;
        rc = pthread_create(&w->threads[i].thread, NULL, worker_main, &w->threads[i]);
        if (rc != 0) {
            extractor_free(w->threads[i].x);    /* the first, if it was this one's */
            ev_fail(err, EV_EIO, "cannot start a parser thread: %s", strerror(rc));
            goto fail;
        }
        w->nthreads++;
    }
    return w;
fail:
    workers_stop(w);
    return NULL;
}

void workers_set_catalog(workers *w, const struct catalog *cat, const char *path,
                         const char *sha256)
{
    pthread_mutex_lock(&w->mu);
    w->xcfg.catalog = cat;
    free((char *)w->xcfg.catalog_path);
    free((char *)w->xcfg.catalog_sha256);
    w->xcfg.catalog_path = ev_strdup(path);
    w->xcfg.catalog_sha256 = ev_strdup(sha256);
    pthread_mutex_unlock(&w->mu);
}

void workers_stop(workers *w)
{
    job *j;

    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stopping = true;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    for (unsigned i = 0; i < w->nthreads; i++)
        pthread_join(w->threads[i].thread, NULL);
    while ((j = pop(&w->urgent)) || (j = pop(&w->bulk)) || (j = pop(&w->finished)))
        job_free(j);
    if (w->efd >= 0) {
        loop_del_fd(w->l, w->efd);
        close(w->efd);
    }
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free((char *)w->xcfg.catalog_path);
    free((char *)w->xcfg.catalog_sha256);
    free(w->threads);
    free(w);
}

void workers_submit(workers *w, job *j)
{
    pthread_mutex_lock(&w->mu);
    push(j->urgent ? &w->urgent : &w->bulk, j);
    w->pending++;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

size_t workers_pending(const workers *w)
{
    return w->pending;
}
