/*
 * sandbox.c: Landlock, seccomp and resource limits for an extractor.
 *
 * Order matters: descriptors are closed and limits set while the process
 * may still do so; Landlock comes before seccomp because its system calls
 * are not on the allow-list; the seccomp filter is the last step.
 */
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif

/* Every file-system right the running kernel's Landlock knows. */
static uint64_t landlock_fs_rights(int abi)
{
    uint64_t r = (1ULL << 13) - 1;     /* ABI 1: EXECUTE .. MAKE_SYM */
    if (abi >= 2)
        r |= LANDLOCK_ACCESS_FS_REFER;
    if (abi >= 3)
        r |= LANDLOCK_ACCESS_FS_TRUNCATE;
    if (abi >= 5)
        r |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
    return r;
}

/* Returns the ABI in force, 0 when the kernel has none (not an error: the
 * seccomp filter then refuses every open). */
static int landlock_enter(const char *const *read_beneath, ev_error *err)
{
    long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    struct landlock_ruleset_attr attr;
    int ruleset;

    if (abi < 1)
        return 0;
    memset(&attr, 0, sizeof attr);
    attr.handled_access_fs = landlock_fs_rights((int)abi);
    ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    if (ruleset < 0) {
        ev_fail(err, EV_EINTERNAL, "landlock_create_ruleset: %s", strerror(errno));
        return -1;
    }
    for (size_t i = 0; read_beneath && read_beneath[i]; i++) {
        struct landlock_path_beneath_attr rule = {
            .allowed_access = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR,
        };
        rule.parent_fd = open(read_beneath[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rule.parent_fd < 0)
            continue;       /* a data folder that is not installed is not needed */
        if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) != 0) {
            ev_fail(err, EV_EINTERNAL, "landlock_add_rule %s: %s", read_beneath[i],
                    strerror(errno));
            close(rule.parent_fd);
            close(ruleset);
            return -1;
        }
        close(rule.parent_fd);
    }
    if (syscall(SYS_landlock_restrict_self, ruleset, 0) != 0) {
        ev_fail(err, EV_EINTERNAL, "landlock_restrict_self: %s", strerror(errno));
        close(ruleset);
        return -1;
    }
    close(ruleset);
    return (int)abi;
}

/* System calls a parser needs once its libraries are loaded: memory,
 * reading the memfd, talking on its socket, time, and dying. */
static const char *const allowed_calls[] = {
    "read", "readv", "pread64", "write", "writev", "close", "lseek",
    "fstat", "newfstatat", "statx", "fcntl",
    "mmap", "munmap", "mremap", "mprotect", "madvise", "brk",
    "recvmsg", "recvfrom", "sendmsg", "sendto",
    "futex", "sched_yield", "sched_getaffinity", "set_robust_list", "rseq",
    "clock_gettime", "clock_getres", "gettimeofday", "time", "nanosleep", "clock_nanosleep",
    "getcwd", "getrandom", "getpid", "gettid", "getuid", "geteuid", "getgid", "getegid",
    "getrusage", "prlimit64", "getrlimit", "setrlimit", "uname", "sysinfo",
    "rt_sigreturn", "rt_sigprocmask", "rt_sigaction", "sigaltstack",
    "exit", "exit_group",
};

static ev_code seccomp_enter(bool landlock, ev_error *err)
{
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
    int rc = 0;

    if (!ctx)
        return ev_fail(err, EV_EINTERNAL, "seccomp_init failed");
    for (size_t i = 0; i < EV_ARRAY_LEN(allowed_calls) && rc == 0; i++) {
        int nr = seccomp_syscall_resolve_name(allowed_calls[i]);
        if (nr != __NR_SCMP_ERROR)
            rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
    }
    /* abort() signals itself; no other process may be signalled. */
    if (rc == 0)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
                              SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid()));
    /* A library that tries to open a file gets EACCES and carries on;
     * with Landlock it may read what Landlock lets it (poppler's CJK
     * tables), never write. */
    if (rc == 0 && landlock) {
        /* libseccomp lets an unconditional rule win over conditional ones
         * for the same call: each way to write is refused on its own. */
        static const scmp_datum_t write_bits[] = {
            O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND, __O_TMPFILE,
        };
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1,
                              SCMP_A2(SCMP_CMP_MASKED_EQ,
                                      O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND | __O_TMPFILE,
                                      0));
        for (size_t i = 0; i < EV_ARRAY_LEN(write_bits) && rc == 0; i++)
            rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat), 1,
                                  SCMP_A2(SCMP_CMP_MASKED_EQ, write_bits[i], write_bits[i]));
    } else if (rc == 0) {
        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat), 0);
    }
    if (rc == 0)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(open), 0);
    if (rc == 0)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(readlink), 0);
    if (rc == 0)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(socket), 0);
    if (rc == 0)
        rc = seccomp_load(ctx);
    seccomp_release(ctx);
    if (rc != 0)
        return ev_fail(err, EV_EINTERNAL, "seccomp: %s", strerror(-rc));
    return EV_OK;
}

static ev_code limit(int resource, rlim_t value, const char *name, ev_error *err)
{
    struct rlimit rl = {.rlim_cur = value, .rlim_max = value};
    if (setrlimit(resource, &rl) != 0)
        return ev_fail(err, EV_EINTERNAL, "setrlimit %s: %s", name, strerror(errno));
    return EV_OK;
}

ev_code sandbox_enter(int keep_fd, uint64_t memory, const char *const *read_beneath,
                      sandbox_report *report, ev_error *err)
{
    int abi;

    memset(report, 0, sizeof *report);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() == 1)
        return ev_fail(err, EV_EINTERNAL, "the parent is gone");
    /* Everything inherited by mistake goes, but the socket and stdio,
     * however high (the unit allows 65536 descriptors). */
    if (keep_fd > 3 && close_range(3, (unsigned)keep_fd - 1, 0) != 0)
        return ev_fail(err, EV_EINTERNAL, "close_range: %s", strerror(errno));
    if (close_range(keep_fd > 2 ? (unsigned)keep_fd + 1 : 3, ~0u, 0) != 0)
        return ev_fail(err, EV_EINTERNAL, "close_range: %s", strerror(errno));
    if (prctl(PR_SET_DUMPABLE, 0) != 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return ev_fail(err, EV_EINTERNAL, "prctl: %s", strerror(errno));
    if (limit(RLIMIT_CORE, 0, "RLIMIT_CORE", err) != EV_OK ||
        limit(RLIMIT_NOFILE, 64, "RLIMIT_NOFILE", err) != EV_OK)
        return err->code;
#ifdef EV_SANITIZE
    /* AddressSanitizer reserves terabytes of shadow memory: a checked
     * build runs without the address-space limit. */
    (void)memory;
#else
    if (memory && limit(RLIMIT_AS, (rlim_t)memory, "RLIMIT_AS", err) != EV_OK)
        return err->code;
#endif
    abi = landlock_enter(read_beneath, err);
    if (abi < 0)
        return err->code;
    if (seccomp_enter(abi > 0, err) != EV_OK)
        return err->code;
    report->landlock_abi = abi;
    if (abi > 0)
        snprintf(report->summary, sizeof report->summary, "landlock-v%d+seccomp", abi);
    else
        snprintf(report->summary, sizeof report->summary, "seccomp (no landlock: no open at all)");
    return EV_OK;
}

void sandbox_cpu_budget(unsigned seconds)
{
    struct rusage ru;
    struct rlimit rl;

    /* Only the soft limit moves, so the next document can have its own
     * budget; the parent's wall-clock deadline is the bound that an
     * extractor cannot lift. */
    if (getrusage(RUSAGE_SELF, &ru) != 0 || getrlimit(RLIMIT_CPU, &rl) != 0)
        return;
    rl.rlim_cur = (rlim_t)ru.ru_utime.tv_sec + (rlim_t)ru.ru_stime.tv_sec + seconds + 1;
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max)
        rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_CPU, &rl);
}
