/*
 * selfcheck.c: the daemon verifies its own ledger, once at start and then
 * every day at midnight, on a thread of its own.
 *
 * A ledger edited behind the daemon's back (rows changed with the sqlite3
 * tool, events deleted in the middle) is what `evidencectl verify` finds;
 * but nobody may run it until the audit. So the daemon runs the same check
 * (the chain, every signature, the signed head; not the files, which it
 * watches anyway) and says in its log, at error level, when it fails. The
 * check reads through its own SQLite connection while the loop writes.
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "evidenced.h"
#include "verify.h"

struct selfcheck {
    evd *d;
    char *state;        /* the thread's own copy: a reload frees d->cfg */
    pthread_t thread;
    bool running;
    int efd;
    json_t *result;     /* written by the thread, read after the join */
    ev_error err;
};

static void *check_main(void *arg)
{
    selfcheck *s = arg;
    uint64_t one = 1;

    ev_error_clear(&s->err);
    s->result = verify_run(s->state, s->d->sig, -1, 0, NULL, NULL, NULL, &s->err);
    if (write(s->efd, &one, sizeof one) < 0)
        ev_log(EV_LOG_ERR, "self-check eventfd: %s", strerror(errno));
    return NULL;
}

static void report(const selfcheck *s)
{
    const json_t *l = json_object_get(s->result, "ledger");

    if (!s->result) {
        ev_log(EV_LOG_ERR, "self-check of the ledger could not run: %s", s->err.message);
    } else if (json_is_true(json_object_get(s->result, "verified"))) {
        ev_log(EV_LOG_INFO, "self-check: %lld ledger events verified",
               (long long)json_integer_value(json_object_get(l, "events")));
    } else {
        ev_log(EV_LOG_ERR, "self-check: the ledger does NOT verify: %s at seq %lld: %s; "
               "run evidencectl verify, and restore the state directory from a copy "
               "that verifies",
               json_string_value(json_object_get(l, "fault")),
               (long long)json_integer_value(json_object_get(l, "fault_seq")),
               json_string_value(json_object_get(l, "detail")));
    }
}

static void on_done(loop *l, int fd, unsigned events, void *arg)
{
    selfcheck *s = arg;
    uint64_t count;

    (void)l, (void)events;
    if (read(fd, &count, sizeof count) < 0 || !s->running)
        return;
    pthread_join(s->thread, NULL);
    s->running = false;
    report(s);
    json_decref(s->result);
    s->result = NULL;
}

selfcheck *selfcheck_new(evd *d)
{
    selfcheck *s = ev_calloc(1, sizeof *s);

    s->d = d;
    s->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (s->efd < 0 || loop_add_fd(d->l, s->efd, LOOP_READ, on_done, s) != 0) {
        ev_log(EV_LOG_ERR, "self-check: eventfd: %s", strerror(errno));
        if (s->efd >= 0)
            close(s->efd);
        free(s);
        return NULL;
    }
    return s;
}

void selfcheck_start(selfcheck *s)
{
    int rc;

    if (!s || s->running)
        return;
    free(s->state);
    s->state = ev_strdup(s->d->cfg.state);
    rc = pthread_create(&s->thread, NULL, check_main, s);
    if (rc != 0) {
        ev_log(EV_LOG_ERR, "self-check: cannot start a thread: %s", strerror(rc));
        return;
    }
    s->running = true;
}

void selfcheck_free(selfcheck *s)
{
    if (!s)
        return;
    if (s->running)
        pthread_join(s->thread, NULL);
    json_decref(s->result);
    loop_del_fd(s->d->l, s->efd);
    close(s->efd);
    free(s->state);
    free(s);
}
