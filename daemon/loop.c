/* loop.c: epoll, and timers as timerfds registered like any other fd. */
#include "loop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "ev.h"

typedef struct fd_slot {
    loop_fd_fn *fn;
    void *arg;
    unsigned events;
    bool used;
} fd_slot;

struct loop {
    int epfd;
    fd_slot *slots;         /* indexed by fd */
    size_t nslots;
    bool stop;
};

struct loop_timer {
    loop *l;
    int fd;
    bool wall_clock;
    loop_timer_fn *fn;
    void *arg;
};

loop *loop_new(void)
{
    loop *l = ev_calloc(1, sizeof *l);
    l->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (l->epfd < 0) {
        free(l);
        return NULL;
    }
    return l;
}

void loop_free(loop *l)
{
    if (!l)
        return;
    close(l->epfd);
    free(l->slots);
    free(l);
}

static uint32_t to_epoll(unsigned events)
{
    return (events & LOOP_READ ? EPOLLIN : 0) | (events & LOOP_WRITE ? EPOLLOUT : 0);
}

int loop_add_fd(loop *l, int fd, unsigned events, loop_fd_fn *fn, void *arg)
{
    struct epoll_event ev = {.events = to_epoll(events), .data.fd = fd};
    bool known;

    if (fd < 0) {
        errno = EBADF;
        return -1;
    }
    if ((size_t)fd >= l->nslots) {
        size_t old = l->nslots;
        l->slots = ev_grow(l->slots, &l->nslots, (size_t)fd + 1, sizeof *l->slots);
        memset(l->slots + old, 0, (l->nslots - old) * sizeof *l->slots);
    }
    known = l->slots[fd].used;
    if (epoll_ctl(l->epfd, known ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev) != 0)
        return -1;
    l->slots[fd] = (fd_slot){.fn = fn, .arg = arg, .events = events, .used = true};
    return 0;
}

int loop_set_events(loop *l, int fd, unsigned events)
{
    struct epoll_event ev = {.events = to_epoll(events), .data.fd = fd};

    if (fd < 0 || (size_t)fd >= l->nslots || !l->slots[fd].used) {
        errno = ENOENT;
        return -1;
    }
    if (l->slots[fd].events == events)
        return 0;
    if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) != 0)
        return -1;
    l->slots[fd].events = events;
    return 0;
}

void loop_del_fd(loop *l, int fd)
{
    if (fd < 0 || (size_t)fd >= l->nslots || !l->slots[fd].used)
        return;
    epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
    memset(&l->slots[fd], 0, sizeof l->slots[fd]);
}

static void on_timer(loop *l, int fd, unsigned events, void *arg)
{
    loop_timer *t = arg;
    uint64_t expirations;
    ssize_t n;

    (void)l, (void)events;
    /* ECANCELED: a wall-clock timer saw the clock set; still a reason to run. */
    n = read(fd, &expirations, sizeof expirations);
    if (n < 0 && errno == EAGAIN)
        return;
    t->fn(t->l, t->arg);
}

loop_timer *loop_timer_new(loop *l, bool wall_clock, loop_timer_fn *fn, void *arg)
{
    loop_timer *t = ev_calloc(1, sizeof *t);

    t->l = l;
    t->wall_clock = wall_clock;
    t->fn = fn;
    t->arg = arg;
    t->fd = timerfd_create(wall_clock ? CLOCK_REALTIME : CLOCK_MONOTONIC,
                           TFD_NONBLOCK | TFD_CLOEXEC);
    if (t->fd < 0 || loop_add_fd(l, t->fd, LOOP_READ, on_timer, t) != 0) {
        if (t->fd >= 0)
            close(t->fd);
        free(t);
        return NULL;
    }
    return t;
}

int loop_timer_arm(loop_timer *t, uint64_t ms, uint64_t interval_ms)
{
    struct itimerspec its = {
        .it_value = {.tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms % 1000) * 1000000},
        .it_interval = {.tv_sec = (time_t)(interval_ms / 1000),
                        .tv_nsec = (long)(interval_ms % 1000) * 1000000},
    };
    int flags = 0;

    if (t->wall_clock && ms)
        flags = TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET;
    return timerfd_settime(t->fd, flags, &its, NULL);
}

void loop_timer_free(loop_timer *t)
{
    if (!t)
        return;
    loop_del_fd(t->l, t->fd);
    close(t->fd);
    free(t);
}

int loop_run(loop *l)
{
    struct epoll_event evs[64];

    l->stop = false;
    while (!l->stop) {
        int n = epoll_wait(l->epfd, evs, (int)EV_ARRAY_LEN(evs), -1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        for (int i = 0; i < n && !l->stop; i++) {
            int fd = evs[i].data.fd;
            unsigned events = 0;
            fd_slot slot;
            if ((size_t)fd >= l->nslots || !l->slots[fd].used)
                continue;       /* removed by an earlier callback of this batch */
            slot = l->slots[fd];
            if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
                events |= LOOP_READ;
            if (evs[i].events & (EPOLLOUT | EPOLLERR))
                events |= LOOP_WRITE;
            slot.fn(l, fd, events, slot.arg);
        }
    }
    return 0;
}

void loop_stop(loop *l)
{
    l->stop = true;
}
