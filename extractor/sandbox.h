/*
 * sandbox.h: what an extractor gives up before it reads its first
 * document. After sandbox_enter() the process
 *   - holds no descriptor but its socket, stdin/stdout on /dev/null and stderr;
 *   - cannot open a file for writing anywhere, nor for reading outside
 *     `read_beneath` (Landlock; where the kernel has no Landlock, it cannot
 *     open any file at all);
 *   - cannot make a socket, connect, execute a program, fork, ptrace, or
 *     change its privileges (seccomp; anything outside the allow-list kills
 *     it with SIGSYS, which its parent reports as `crashed`);
 *   - has PR_SET_NO_NEW_PRIVS, is not dumpable, writes no core, dies with
 *     its parent, and has an address-space limit of `memory` bytes.
 * Everything a library opens lazily (the catalog, its schema, poppler's
 * data, NSS) must have been opened before.
 */
#ifndef EV_SANDBOX_H
#define EV_SANDBOX_H

#include <stdint.h>

#include "ev.h"

typedef struct sandbox_report {
    int landlock_abi;       /* 0: the kernel has no Landlock */
    char summary[96];       /* "landlock-v7+seccomp", for the hello */
} sandbox_report;

/* Lock the process down; `keep_fd` is the socket to the parent. On failure
 * nothing may be read: the caller exits. `read_beneath` may be NULL. */
ev_code sandbox_enter(int keep_fd, uint64_t memory, const char *const *read_beneath,
                      sandbox_report *report, ev_error *err);

/* Allow the next document `seconds` of CPU time beyond what was used so
 * far; past it the kernel sends SIGXCPU, which ends the process. */
void sandbox_cpu_budget(unsigned seconds);

#endif
