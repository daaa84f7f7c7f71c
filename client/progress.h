/*
 * progress.h: "read 120 of 2000 files" on stderr while a long offline
 * command works, for a person watching a terminal. Nothing at all when
 * stderr is not a terminal (a script, a log), and nothing for work that
 * ends within the first half second, so short runs print as before. The
 * line is rewritten in place and cleared at the end, leaving stderr as it
 * would be without it.
 */
#ifndef CTL_PROGRESS_H
#define CTL_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct progress progress;

/* A counter of `total` items of `what` ("files"); NULL (which every call
 * below accepts) when stderr is not a terminal or `quiet`. */
progress *progress_new(const char *what, size_t total, bool quiet);
/* One more item done; from any thread. */
void progress_step(progress *p);
/* Clear the line and free. */
void progress_end(progress *p);

#endif
