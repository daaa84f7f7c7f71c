/*
 * loop.h: the daemon's one event loop — file descriptors and timers over
 * epoll, in the manner of a tiny ae.h.
 *
 * Everything the daemon reacts to arrives here: inotify, signalfd, the
 * listening socket, client connections, the worker pool's completion
 * eventfd, and timerfd timers. Callbacks run on the loop's thread, one at a
 * time, so state touched only from callbacks needs no locks.
 */
#ifndef EV_LOOP_H
#define EV_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#define LOOP_READ 1u
#define LOOP_WRITE 2u

typedef struct loop loop;

/* Called with the fd and the LOOP_READ/LOOP_WRITE bits that are ready. */
typedef void loop_fd_fn(loop *l, int fd, unsigned events, void *arg);
/* Called when a timer expires. */
typedef void loop_timer_fn(loop *l, void *arg);

typedef struct loop_timer loop_timer;

/* NULL on failure (errno set). */
loop *loop_new(void);
/* Frees the loop and its timers; registered fds are not closed. */
void loop_free(loop *l);

/* Watch fd for `events`. Re-adding an fd replaces its callback and mask.
 * Returns 0, or -1 with errno set. */
int loop_add_fd(loop *l, int fd, unsigned events, loop_fd_fn *fn, void *arg);
/* Change the mask of a watched fd. 0 or -1. */
int loop_set_events(loop *l, int fd, unsigned events);
/* Stop watching fd (call before closing it). */
void loop_del_fd(loop *l, int fd);

/*
 * A timer on CLOCK_MONOTONIC (or CLOCK_REALTIME when `wall_clock`, which
 * also reports clock jumps: such a timer fires when the clock is set).
 * loop_timer_arm sets the delay in milliseconds (0 disarms) and an
 * interval (0: one shot); for a wall-clock timer `ms` is an absolute epoch
 * time in milliseconds.
 */
loop_timer *loop_timer_new(loop *l, bool wall_clock, loop_timer_fn *fn, void *arg);
int loop_timer_arm(loop_timer *t, uint64_t ms, uint64_t interval_ms);
void loop_timer_free(loop_timer *t);

/* Run until loop_stop(). Returns 0, or -1 if epoll itself failed. */
int loop_run(loop *l);
void loop_stop(loop *l);

#endif
