/* progress.c: the counter behind progress.h; threads share it lock-free,
 * and whichever thread finds the line due rewrites it. */
#include "progress.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "ev.h"

/* Nothing before this, then a line at most this often. */
#define PROGRESS_FIRST_MS 500
#define PROGRESS_EVERY_MS 200

struct progress {
    const char *what;
    size_t total;
    atomic_size_t done;
    _Atomic uint64_t due_ms;        /* when the line may be written next */
    atomic_bool shown;
};

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

progress *progress_new(const char *what, size_t total, bool quiet)
{
    progress *p;

    if (quiet || !isatty(STDERR_FILENO))
        return NULL;
    p = ev_calloc(1, sizeof *p);
    p->what = what;
    p->total = total;
    atomic_init(&p->done, 0);
    atomic_init(&p->due_ms, now_ms() + PROGRESS_FIRST_MS);
    atomic_init(&p->shown, false);
    return p;
}

void progress_step(progress *p)
{
    size_t done;
    uint64_t now, due;

    if (!p)
        return;
    done = atomic_fetch_add(&p->done, 1) + 1;
    now = now_ms();
    due = atomic_load(&p->due_ms);
    /* One thread wins the line; the others carry on. */
    if (now < due || !atomic_compare_exchange_strong(&p->due_ms, &due, now + PROGRESS_EVERY_MS))
        return;
    fprintf(stderr, "\revidencectl: read %zu of %zu %s", done, p->total, p->what);
    fflush(stderr);
    atomic_store(&p->shown, true);
}

void progress_end(progress *p)
{
    if (!p)
        return;
    if (atomic_load(&p->shown))
        fputs("\r\033[K", stderr);
    free(p);
}
