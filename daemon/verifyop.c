/*
 * verifyop.c: the socket's verify, on a thread of its own.
 *
 * A verify reads every recorded file again: on a large folder that takes
 * minutes, which on the loop kept every other client waiting and let the
 * systemd watchdog kill the daemon. So it runs here, like the self-check:
 * over its own read-only SQLite connection (WAL lets it read while the
 * loop writes), a descriptor of its own on the evidence folder (a folder
 * restored meanwhile replaces the loop's) and a copy of the state path (a
 * reload frees the configuration). The asking client is deferred
 * (server_defer) and answered when the thread is done; if it has gone, the
 * result is only logged. One verify at a time: files are read from disk,
 * and two at once would each take twice as long.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "evidenced.h"
#include "verify.h"

struct verify_op {
    evd *d;
    int efd;
    bool running;
    pthread_t thread;
    uint64_t ticket;        /* the deferred client's */
    char *state;
    int root_fd;
    int64_t expect_seq;
    char expect_hash[LEDGER_HEX_LEN + 1];
    ledger_tree_head expect_tree;   /* the last checkpoint this process signed */
    verify_progress progress;
    json_t *result;         /* written by the thread, read after the join */
    ev_error err;
};

static void *verify_main(void *arg)
{
    verify_op *v = arg;
    uint64_t one = 1;

    ev_error_clear(&v->err);
    v->result = verify_run(v->state, v->d->sig, v->root_fd, v->expect_seq,
                           v->expect_seq ? v->expect_hash : NULL, &v->expect_tree,
                           &v->progress, &v->err);
    if (write(v->efd, &one, sizeof one) < 0)
        ev_log(EV_LOG_ERR, "verify eventfd: %s", strerror(errno));
    return NULL;
}

/* Join the thread and let go of what it used; the result stays. */
static void finish(verify_op *v)
{
    pthread_join(v->thread, NULL);
    v->running = false;
    if (v->root_fd >= 0)
        close(v->root_fd);
    v->root_fd = -1;
    free(v->state);
    v->state = NULL;
}

static void on_done(loop *l, int fd, unsigned events, void *arg)
{
    verify_op *v = arg;
    uint64_t count;
    client *c;

    (void)l, (void)events;
    if (read(fd, &count, sizeof count) < 0 || !v->running)
        return;
    finish(v);
    if (v->result)
        ev_log(EV_LOG_INFO, "verify: %s, %lld files checked",
               json_is_true(json_object_get(v->result, "verified")) ? "verified"
                                                                    : "NOT verified",
               (long long)json_integer_value(
                   json_object_get(json_object_get(v->result, "files"), "checked")));
    c = server_resume(v->d->srv, v->ticket);
    if (!c)
        ev_log(EV_LOG_INFO, "verify: the client that asked has gone");
    else if (v->result)
        server_reply_ok(c, json_incref(v->result));
    else
        server_reply_error(c, "internal", "%s", v->err.message);
    json_decref(v->result);
    v->result = NULL;
}

verify_op *verify_op_new(evd *d)
{
    verify_op *v = ev_calloc(1, sizeof *v);

    v->d = d;
    v->root_fd = -1;
    v->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (v->efd < 0 || loop_add_fd(d->l, v->efd, LOOP_READ, on_done, v) != 0) {
        ev_log(EV_LOG_ERR, "verify: eventfd: %s", strerror(errno));
        if (v->efd >= 0)
            close(v->efd);
        free(v);
        return NULL;
    }
    return v;
}

bool verify_op_running(const verify_op *v)
{
    return v && v->running;
}

ev_code verify_op_start(verify_op *v, client *c, ev_error *err)
{
    ev_code code;
    int rc;

    assert(!v->running);
    /* The head this process wrote is the expected one: a ledger cut back or
     * swapped for an older copy behind our back is caught too. */
    v->expect_seq = 0;
    if ((code = ledger_head(v->d->led, &v->expect_seq, v->expect_hash, err)) != EV_OK)
        return code;
    v->expect_tree = v->d->checkpoint;
    v->root_fd = fcntl(v->d->root_fd, F_DUPFD_CLOEXEC, 0);
    if (v->root_fd < 0)
        return ev_fail(err, EV_EIO, "the evidence folder: %s", strerror(errno));
    v->state = ev_strdup(v->d->cfg.state);
    atomic_store(&v->progress.files_total, -1);
    atomic_store(&v->progress.files_checked, 0);
    atomic_store(&v->progress.cancel, false);
    rc = pthread_create(&v->thread, NULL, verify_main, v);
    if (rc != 0) {
        close(v->root_fd);
        v->root_fd = -1;
        free(v->state);
        v->state = NULL;
        return ev_fail(err, EV_EIO, "cannot start a thread: %s", strerror(rc));
    }
    v->running = true;
    v->ticket = server_defer(c);
    return EV_OK;
}

json_t *verify_op_progress(const verify_op *v)
{
    int64_t total;

    if (!verify_op_running(v))
        return NULL;
    total = atomic_load(&((verify_op *)v)->progress.files_total);
    return json_pack("{s:I, s:I}", "files_checked",
                     (json_int_t)atomic_load(&((verify_op *)v)->progress.files_checked),
                     "files_total", (json_int_t)total);
}

void verify_op_free(verify_op *v)
{
    if (!v)
        return;
    if (v->running) {
        atomic_store(&v->progress.cancel, true);
        finish(v);
    }
    json_decref(v->result);
    loop_del_fd(v->d->l, v->efd);
    close(v->efd);
    free(v);
}
