/*
 * main.c: evidenced — start-up, signals, systemd notification, shutdown.
 *
 * Order of start: configuration, catalog (refused if invalid), state
 * directory (locked: one daemon per state directory), signing key, ledger,
 * the ledger against its last checkpoint (refused if it does not extend
 * it; see tlog.c) and a checkpoint signed, then the loop with its sources: signals, parser pool, control socket,
 * inotify watches, and a reconciliation of the folder against the ledger.
 * READY=1 is sent once the socket answers; the cold scan goes on behind it
 * with its progress in STATUS=.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "evidenced.h"
#include "sha256.h"
#include "statelock.h"

/* How often the evidence folder is looked for by its path (see
 * scanner_reattach_root()). */
#define ROOT_CHECK_MS 5000

static void usage(FILE *f)
{
    fputs("usage: evidenced [--config FILE] [--watch DIR] [--state DIR] [--socket PATH]\n"
          "                 [--categories ID,ID] [--foreground] [--log-level LEVEL]\n"
          "                 [--version]\n"
          "       evidenced --accept-rollback [--config FILE] [--state DIR]\n"
          "the configuration is read from " CONFIG_DEFAULT_PATH " unless --config names one\n",
          f);
}

static ev_code file_sha(const char *path, char out[EV_SHA256_HEX_LEN + 1], ev_error *err)
{
    doc_limits lim = {.max_file_size = 64u << 20};
    void *data;
    size_t len;
    ev_code rc = doc_read_file(path, &lim, &data, &len, err);
    if (rc == EV_OK) {
        ev_sha256_hex(data, len, out);
        free(data);
    }
    return rc;
}

/* Load and check a catalog, and that it knows the declared categories. */
static ev_code load_catalog(const config *cfg, catalog **out, char sha[EV_SHA256_HEX_LEN + 1],
                            ev_error *err)
{
    catalog *cat;
    ev_code rc = catalog_load(cfg->catalog, &cat, err);

    if (rc != EV_OK)
        return rc;
    for (size_t i = 0; i < cfg->ncategories; i++) {
        if (!catalog_category(cat, cfg->categories[i])) {
            ev_buf ids = {0};
            for (size_t k = 0; k < catalog_category_count(cat); k++)
                ev_buf_printf(&ids, "%s%s", k ? ", " : "", catalog_category_at(cat, k)->id);
            /* The message has room for the ids, not for the catalog's path too. */
            ev_fail(err, EV_EINVAL, "%s: '%s' is not a category of the catalog; the "
                    "categories are: %s", cfg->categories_at ? cfg->categories_at
                                                              : "--categories",
                    cfg->categories[i], ids.data);
            ev_buf_free(&ids);
            catalog_free(cat);
            return EV_EINVAL;
        }
    }
    rc = file_sha(cfg->catalog, sha, err);
    if (rc != EV_OK) {
        catalog_free(cat);
        return rc;
    }
    *out = cat;
    return EV_OK;
}

static ev_code apply_flags(config *c, ev_error *err);

static void free_retired(evd *d)
{
    while (d->retired && workers_pending(d->pool) == 0 && !d->eval_job) {
        retired_catalog *r = d->retired;
        d->retired = r->next;
        catalog_free(r->cat);
        free(r);
    }
}

/*
 * SIGHUP: read the configuration file again (the command-line flags still
 * override it) and the catalog. Folder, state and socket stay: the daemon
 * lives there, and moving them takes a restart. Anything invalid is
 * refused with its error logged, and the running settings stay in force.
 */
/* The folders and the socket stay as they are until a restart: say so when
 * the file asks for others, rather than seem to have taken them. */
static void keep_path(const char *key, char **fresh, const char *running)
{
    if (!*fresh || strcmp(*fresh, running) != 0)
        ev_log(EV_LOG_WARNING, "SIGHUP: paths.%s changed to %s; it takes effect at the next "
               "start, %s stays in use", key, *fresh ? *fresh : "(unset)", running);
    free(*fresh);
    *fresh = ev_strdup(running);
}

static void reload(evd *d)
{
    config fresh;
    catalog *cat;
    char sha[EV_SHA256_HEX_LEN + 1];
    ev_error err;

    ev_log(EV_LOG_NOTICE, "SIGHUP: reloading the configuration and the catalog");
    ev_error_clear(&err);
    config_defaults(&fresh);
    if ((d->cfg.path && config_load(&fresh, d->cfg.path, true, &err) != EV_OK) ||
        apply_flags(&fresh, &err) != EV_OK) {
        ev_log(EV_LOG_ERR, "%s; keeping the running configuration", err.message);
        config_free(&fresh);
        return;
    }
    keep_path("watch", &fresh.watch, d->cfg.watch);
    keep_path("state", &fresh.state, d->cfg.state);
    keep_path("socket", &fresh.socket, d->cfg.socket);
    if ((fresh.extractor || d->cfg.extractor) &&
        (!fresh.extractor || !d->cfg.extractor || strcmp(fresh.extractor, d->cfg.extractor) != 0))
        ev_log(EV_LOG_WARNING, "SIGHUP: paths.extractor changed; it takes effect at the next start");
    if (fresh.extract_time_ms != d->cfg.extract_time_ms ||
        fresh.extract_memory != d->cfg.extract_memory ||
        memcmp(&fresh.limits, &d->cfg.limits, sizeof fresh.limits) != 0)
        ev_log(EV_LOG_WARNING, "SIGHUP: [limits] changed; the extractors take them at the next start");
    if (load_catalog(&fresh, &cat, sha, &err) != EV_OK) {
        ev_log(EV_LOG_ERR, "%s; keeping the running configuration and catalog", err.message);
        config_free(&fresh);
        return;
    }
    config_free(&d->cfg);
    d->cfg = fresh;
    ev_log_setup("evidenced", (ev_log_level)d->cfg.log_level);
    server_set_limits(d->srv, &(server_limits){d->cfg.reply_buffer, d->cfg.request_buffer,
                                               d->cfg.idle_timeout_ms});
    if (strcmp(sha, d->catalog_sha) != 0) {
        retired_catalog *r = ev_calloc(1, sizeof *r);
        r->cat = d->cat;
        r->next = d->retired;
        d->retired = r;
        d->cat = cat;
        memcpy(d->catalog_sha, sha, sizeof sha);
        workers_set_catalog(d->pool, d->cat, d->cfg.catalog, d->catalog_sha);
        ocrq_set_catalog(d);
    } else {
        catalog_free(cat);
    }
    /* Another catalog may read the same files differently: read them
     * again. Other categories only change the evaluation. */
    if (status_record_policy(d) & POLICY_CATALOG)
        scanner_reread_all(d);
    status_mark_dirty(d);
    free_retired(d);
    ev_log(EV_LOG_NOTICE, "SIGHUP: reloaded %s and the catalog %s (%.16s)",
           d->cfg.path ? d->cfg.path : "the command line", d->cfg.catalog, d->catalog_sha);
}

static void on_signal(loop *l, int fd, unsigned events, void *arg)
{
    evd *d = arg;
    struct signalfd_siginfo si;

    (void)events;
    while (read(fd, &si, sizeof si) == sizeof si) {
        if (si.ssi_signo == SIGHUP) {
            reload(d);
        } else {
            ev_log(EV_LOG_NOTICE, "signal %u: stopping", si.ssi_signo);
            sd_notify(0, "STOPPING=1");
            d->stopping = true;
            loop_stop(l);
        }
    }
}

static void on_jobs(void *arg, job **jobs, size_t n)
{
    evd *d = arg;

    control_batch_begin(d);
    for (size_t i = 0; i < n; i++)
        scanner_on_job(d, jobs[i]);
    control_batch_end(d);
    if (workers_pending(d->pool) == 0) {
        if (d->scanning)
            ev_log(EV_LOG_INFO, "scan done: %zu files, %llu read, %zu documents, %zu left out",
                   d->files.count, (unsigned long long)d->files_parsed, scanner_documents(d),
                   d->skipped.count);
        d->scanning = false;
        free_retired(d);
        ledger_checkpoint(d->led);
        if (d->check_when_quiet) {
            d->check_when_quiet = false;
            selfcheck_start(d->check);
        }
        /* The workers' arenas hold what parsing freed; return it before the
         * evaluation that follows needs memory of its own. */
        malloc_trim(0);
        status_mark_dirty(d);
        sd_notifyf(0, "STATUS=watching %zu files", d->files.count);
    }
}

static void on_heartbeat(loop *l, void *arg)
{
    evd *d = arg;
    (void)l;
    sd_notify(0, "WATCHDOG=1");
    if (workers_pending(d->pool) > 0)
        sd_notifyf(0, "STATUS=scanning: %zu files seen, %llu read, %zu queued",
                   d->files.count, (unsigned long long)d->files_parsed,
                   workers_pending(d->pool));
}

static void on_periodic(loop *l, void *arg)
{
    evd *d = arg;
    (void)l;
    ev_log(EV_LOG_INFO, "periodic scrub: re-reading every file");
    scanner_reread_all(d);
}

static void on_root_check(loop *l, void *arg)
{
    evd *d = arg;
    (void)l;
    if (scanner_reattach_root(d))
        scanner_reconcile(d, "", false);
}

static void on_rescan(loop *l, void *arg)
{
    evd *d = arg;
    (void)l;
    if (watch_incomplete(d->watch) && workers_pending(d->pool) == 0)
        scanner_reconcile(d, "", false);
}

/*
 * A ledger without its key cannot go on: a new key would sign new events
 * while every old signature names the lost one. Refuse before anything is
 * written, ledger.pub included, so that restoring the key is all it takes.
 */
static bool key_matches_ledger(const char *state)
{
    char *db = ev_asprintf("%s/%s", state, LEDGER_DB_FILE);
    char *key = ev_asprintf("%s/%s", state, SIGNER_KEY_FILE);
    struct stat st;
    bool ok = !(stat(db, &st) == 0 && st.st_size > 0 && lstat(key, &st) != 0 && errno == ENOENT);

    if (!ok)
        ev_log(EV_LOG_ERR, "%s exists but its signing key %s is missing: restore the key "
               "that signed this ledger (a new key would make every signature look "
               "forged); to begin a new ledger, move the state directory's files away",
               db, key);
    free(key);
    free(db);
    return ok;
}

/* The command-line settings, kept to be applied again over a reloaded file. */
static struct flag {
    const char *option, *section, *key;
    char *value;
} flags[16];
static size_t nflags;

static ev_code apply_flags(config *c, ev_error *err)
{
    for (size_t i = 0; i < nflags; i++) {
        ev_error e;
        ev_error_clear(&e);
        if (config_set(c, flags[i].section, flags[i].key, flags[i].value, &e) != EV_OK)
            return ev_fail(err, EV_EINVAL, "--%s: %s", flags[i].option, e.message);
    }
    return EV_OK;
}

static void free_flags(void)
{
    for (size_t i = 0; i < nflags; i++)
        free(flags[i].value);
    nflags = 0;
}

static bool accept_rollback;

static int parse_args(int argc, char **argv, config *c)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'},
        {"watch", required_argument, NULL, 'w'},
        {"state", required_argument, NULL, 's'},
        {"socket", required_argument, NULL, 'S'},
        {"categories", required_argument, NULL, 'C'},
        {"foreground", no_argument, NULL, 'f'},
        {"log-level", required_argument, NULL, 'l'},
        {"version", no_argument, NULL, 'V'},
        {"help", no_argument, NULL, 'h'},
        {"accept-rollback", no_argument, NULL, 'R'},
        {NULL, 0, NULL, 0},
    };
    const char *config_path = NULL;
    ev_error err;
    int opt;

    while ((opt = getopt_long(argc, argv, "c:w:s:S:C:fl:Vh", opts, NULL)) != -1) {
        const char *option = NULL, *section = NULL, *key = NULL;
        switch (opt) {
        case 'c': config_path = optarg; break;
        case 'w': section = "paths", key = "watch"; break;
        case 's': section = "paths", key = "state"; break;
        case 'S': section = "paths", key = "socket"; break;
        case 'C': section = "policy", key = "categories"; break;
        case 'l': section = "log", key = "level"; break;
        case 'f': break;        /* always in the foreground: systemd supervises */
        case 'R': accept_rollback = true; break;
        case 'V': puts("evidenced " EVIDENCED_VERSION); exit(0);
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); return 2;
        }
        /* An error names the option as given (--log-level), not the key. */
        for (size_t i = 0; key && opts[i].name; i++)
            if (opts[i].val == opt)
                option = opts[i].name;
        if (key && nflags < EV_ARRAY_LEN(flags)) {
            char cwd[4096];
            /* A relative path on the command line is relative to where the
             * admin stands, not to the daemon's later working directory. */
            bool relative = strcmp(section, "paths") == 0 && optarg[0] != '/' &&
                            getcwd(cwd, sizeof cwd);
            flags[nflags++] = (struct flag){option, section, key,
                relative ? ev_asprintf("%s/%s", cwd, optarg) : ev_strdup(optarg)};
        }
    }
    if (optind < argc) {
        usage(stderr);
        return 2;
    }
    ev_error_clear(&err);
    if (config_load(c, config_path ? config_path : CONFIG_DEFAULT_PATH, config_path != NULL,
                    &err) != EV_OK) {
        fprintf(stderr, "evidenced: %s\n", err.message);
        return 1;
    }
    if (apply_flags(c, &err) != EV_OK) {
        fprintf(stderr, "evidenced: %s\n", err.message);
        return 2;
    }
    if (config_check(c, &err) != EV_OK) {
        fprintf(stderr, "evidenced: %s\n", err.message);
        return 1;
    }
    return 0;
}

/* Many clients and many folders need descriptors; take what we may. */
static void raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max > 65536 ? 65536 : rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static int run(evd *d)
{
    ev_error err;
    sigset_t mask;
    int sfd = -1;
    int status = 1;
    uint64_t watchdog_usec = 0;

    ev_error_clear(&err);
    if (load_catalog(&d->cfg, &d->cat, d->catalog_sha, &err) != EV_OK) {
        if (access(d->cfg.catalog, F_OK) != 0)
            ev_log(EV_LOG_ERR, "%s (name the catalog with paths.catalog in %s or with "
                   "EVIDENCED_CATALOG)", err.message, d->cfg.path ? d->cfg.path
                                                                  : CONFIG_DEFAULT_PATH);
        else
            ev_log(EV_LOG_ERR, "%s", err.message);
        return 1;
    }
    /* First of all that touches the state directory: see statelock.h. */
    if (statelock_take(d->cfg.state, &d->lock_fd, &err) != EV_OK) {
        ev_log(EV_LOG_ERR, "%s", err.message);
        return 1;
    }
    d->root_fd = open(d->cfg.watch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d->root_fd < 0) {
        ev_log(EV_LOG_ERR, "evidence folder %s: %s", d->cfg.watch, strerror(errno));
        return 1;
    }
    if (!key_matches_ledger(d->cfg.state))
        return 1;
    if (signer_open(d->cfg.state, &d->sig, &err) != EV_OK) {
        ev_log(EV_LOG_ERR, "%s", err.message);
        return 1;
    }
    if (!tlog_check(d->cfg.state, d->sig))
        return 1;
    if (ledger_open(d->cfg.state, d->sig, &d->led, &err) != EV_OK) {
        ev_log(EV_LOG_ERR, "%s", err.message);
        return 1;
    }
    d->l = loop_new();
    if (!d->l) {
        ev_log(EV_LOG_ERR, "epoll: %s", strerror(errno));
        return 1;
    }
    if (tlog_start(d, &err) != EV_OK) {
        ev_log(EV_LOG_ERR, "%s", err.message);
        return 1;
    }
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    signal(SIGPIPE, SIG_IGN);
    sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (sfd < 0 || loop_add_fd(d->l, sfd, LOOP_READ, on_signal, d) != 0) {
        ev_log(EV_LOG_ERR, "signalfd: %s", strerror(errno));
        goto out;
    }
    {
        extractor_config xcfg = evd_extractor_config(d);
        d->pool = workers_start(d->l, d->root_fd, d->cfg.workers, &xcfg, true, on_jobs, d,
                                &err);
        if (d->pool)
            ocrq_start(d);
    }
    if (!d->pool || scanner_load(d, &err) != EV_OK || status_start(d, &err) != EV_OK ||
        server_open(d->l, d->cfg.socket,
                    &(server_limits){d->cfg.reply_buffer, d->cfg.request_buffer,
                                     d->cfg.idle_timeout_ms},
                    control_request, d, &d->srv, &err) != EV_OK ||
        watch_open(d->l, d->cfg.watch, scanner_on_watch, d, &d->watch, &err) != EV_OK) {
        ev_log(EV_LOG_ERR, "%s", err.message);
        goto out;
    }
    ev_log(EV_LOG_INFO, "watching %s (%zu folders), %zu documents on record, socket %s",
           d->cfg.watch, watch_count(d->watch), d->files.count, d->cfg.socket);
    /* Records read with another catalog are read again. */
    if ((status_record_policy(d) & POLICY_CATALOG) && d->files.count)
        scanner_reread_all(d);
    else
        scanner_reconcile(d, "", false);
    if (sd_watchdog_enabled(0, &watchdog_usec) > 0) {
        d->watchdog_timer = loop_timer_new(d->l, false, on_heartbeat, d);
        if (d->watchdog_timer)
            loop_timer_arm(d->watchdog_timer, watchdog_usec / 2000, watchdog_usec / 2000);
    }
    if (d->cfg.scrub_hours) {
        uint64_t ms = (uint64_t)d->cfg.scrub_hours * 3600 * 1000;
        d->scrub_timer = loop_timer_new(d->l, false, on_periodic, d);
        if (d->scrub_timer)
            loop_timer_arm(d->scrub_timer, ms, ms);
    }
    /* Cheap (two stat calls), and the folder may be restored at any time. */
    d->root_timer = loop_timer_new(d->l, false, on_root_check, d);
    if (d->root_timer)
        loop_timer_arm(d->root_timer, ROOT_CHECK_MS, ROOT_CHECK_MS);
    if (watch_incomplete(d->watch)) {
        d->rescan_timer = loop_timer_new(d->l, false, on_rescan, d);
        if (d->rescan_timer)
            loop_timer_arm(d->rescan_timer, 60000, 60000);
    }
    /* The start's self-check waits for what the start has to read: it
     * would take a core from the parsers of a cold scan. */
    d->check = selfcheck_new(d);
    d->verifying = verify_op_new(d);
    if (workers_pending(d->pool) == 0)
        selfcheck_start(d->check);
    else
        d->check_when_quiet = true;
    sd_notifyf(0, "READY=1\nSTATUS=scanning %zu files", d->files.count);
    if (loop_run(d->l) != 0)
        ev_log(EV_LOG_ERR, "epoll_wait: %s", strerror(errno));
    else
        status = d->failed ? 1 : 0;
out:
    d->stopping = true;
    workers_stop(d->pool);
    d->pool = NULL;
    ocrq_stop(d);
    server_close(d->srv);
    d->srv = NULL;
    watch_close(d->watch);
    loop_timer_free(d->watchdog_timer);
    loop_timer_free(d->scrub_timer);
    loop_timer_free(d->rescan_timer);
    loop_timer_free(d->root_timer);
    verify_op_free(d->verifying);
    d->verifying = NULL;
    selfcheck_free(d->check);
    d->check = NULL;
    status_stop(d);
    scanner_free(d);
    if (sfd >= 0) {
        loop_del_fd(d->l, sfd);
        close(sfd);
    }
    return status;
}

extractor_config evd_extractor_config(const evd *d)
{
    return (extractor_config){
        .program = d->cfg.extractor,
        .catalog_path = d->cfg.catalog,
        .catalog_sha256 = d->catalog_sha,
        .catalog = d->cat,
        .limits = d->cfg.limits,
        .time_ms = d->cfg.extract_time_ms,
        .memory = d->cfg.extract_memory,
    };
}

int main(int argc, char **argv)
{
    evd d;
    int rc;

    memset(&d, 0, sizeof d);
    d.root_fd = -1;
    d.eval_efd = -1;
    d.lock_fd = -1;
    config_defaults(&d.cfg);
    ev_log_setup("evidenced", EV_LOG_INFO);
    rc = parse_args(argc, argv, &d.cfg);
    if (rc != 0) {
        config_free(&d.cfg);
        free_flags();
        return rc;
    }
    ev_log_setup("evidenced", (ev_log_level)d.cfg.log_level);
    if (accept_rollback) {
        rc = tlog_accept_rollback(&d.cfg);
        config_free(&d.cfg);
        free_flags();
        return rc;
    }
    raise_fd_limit();
    doc_init();
    rc = run(&d);
    tlog_stop(&d);
    ledger_close(d.led);
    signer_close(d.sig);
    loop_free(d.l);
    while (d.retired) {
        retired_catalog *r = d.retired;
        d.retired = r->next;
        catalog_free(r->cat);
        free(r);
    }
    catalog_free(d.cat);
    if (d.root_fd >= 0)
        close(d.root_fd);
    if (d.lock_fd >= 0)
        close(d.lock_fd);
    config_free(&d.cfg);
    free_flags();
    return rc;
}
