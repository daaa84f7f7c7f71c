/*
 * parent.c: starting extractor processes, handing them documents, and
 * telling a document that broke one from an extractor that was gone.
 *
 * Everything read from an extractor is bounded and checked: once it has
 * parsed a document it may be the document's. A reply that breaks the
 * protocol, names other bytes or comes too late costs that document a
 * rejected record and the extractor its life, never the caller's.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "extractor.h"
#include "wire.h"

#define HELLO_TIMEOUT_MS 30000u
#define MAX_HELLO (64u << 10)

struct extractor {
    extractor_config cfg;
    char *program;
    char *catalog_path;
    char *catalog_sha256;
    char languages[64];
    doc_ocr *engine;    /* in_process OCR, made on first use */
    pid_t pid;          /* 0: none running */
    int sock;           /* -1: none */
    ev_buf request;     /* the payload of the last request */
    uint64_t last_deadline_ms;  /* of the request being answered, progress or not */
    ev_buf reply;
    wire_header head;   /* of the last reply */
};

extractor *extractor_new(const extractor_config *cfg)
{
    extractor *x = ev_calloc(1, sizeof *x);

    x->cfg = *cfg;
    x->program = ev_strdup(cfg->program ? cfg->program : extractor_default_program());
    x->catalog_path = cfg->catalog_path ? ev_strdup(cfg->catalog_path) : NULL;
    x->catalog_sha256 = cfg->catalog_sha256 ? ev_strdup(cfg->catalog_sha256) : NULL;
    x->cfg.program = x->program;
    x->cfg.catalog_path = x->catalog_path;
    x->cfg.catalog_sha256 = x->catalog_sha256;
    snprintf(x->languages, sizeof x->languages, "%s",
             cfg->ocr_options.languages ? cfg->ocr_options.languages : "");
    x->cfg.ocr_options.languages = x->languages[0] ? x->languages : NULL;
    if (!x->cfg.time_ms)
        x->cfg.time_ms = EXTRACTOR_TIME_MS;
    x->sock = -1;
    return x;
}

/* How an extractor ended, for people. */
static void describe_end(int status, char *out, size_t n)
{
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        const char *name = sigabbrev_np(sig);
        snprintf(out, n, "the extractor was killed by SIG%s%s", name ? name : "?",
                 sig == SIGSYS ? " (a system call its sandbox forbids)"
                 : sig == SIGABRT ? " (it may have reached its memory limit)" : "");
    } else if (WIFEXITED(status)) {
        snprintf(out, n, "the extractor exited with status %d", WEXITSTATUS(status));
    } else {
        snprintf(out, n, "the extractor stopped");
    }
}

/* Close the socket and wait for the process: `grace_ms` for it to end by
 * itself (it is ending, or idle and sees end of file), then SIGKILL. An
 * extractor that closed its socket may still be running: it is never
 * waited for without a bound. Returns its wait status (0 if none ran). */
static int stop(extractor *x, unsigned grace_ms)
{
    int status = 0;
    pid_t r;

    if (x->sock >= 0)
        close(x->sock);
    x->sock = -1;
    if (x->pid <= 0)
        return 0;
    for (unsigned waited = 0;; waited += 5) {
        r = waitpid(x->pid, &status, WNOHANG);
        if (r != 0 || waited >= grace_ms)
            break;
        usleep(5000);
    }
    if (r == 0) {
        kill(x->pid, SIGKILL);
        while ((r = waitpid(x->pid, &status, 0)) < 0 && errno == EINTR)
            ;
    }
    x->pid = 0;
    return r == x->pid || r > 0 ? status : 0;
}

void extractor_free(extractor *x)
{
    if (!x)
        return;
    /* An idle extractor ends at end of file; one still busy is killed,
     * as nobody waits for its answer any more. */
    stop(x, 500);
    ev_buf_free(&x->request);
    ev_buf_free(&x->reply);
    free(x->program);
    free(x->catalog_path);
    free(x->catalog_sha256);
    doc_ocr_free(x->engine);
    free(x);
}

/* Read one reply (header and payload) into x->reply, by `deadline_ms`. */
#define MAX_PROGRESS 256u

/* A progress frame: the page clock starts again (OCR reads page by page,
 * time_ms is a page's). Pages must go forward, so a lying extractor
 * cannot keep a document alive by repeating itself. */
static ev_code on_progress(extractor *x, uint64_t *deadline_ms, unsigned *last_page,
                           ev_error *err)
{
    json_t *o = json_loadb(x->reply.data, x->reply.len, 0, NULL);
    json_int_t page = json_integer_value(json_object_get(o, "page"));
    json_int_t pages = json_integer_value(json_object_get(o, "pages"));
    uint64_t next;
    doc_limits def;

    json_decref(o);
    doc_limits_default(&def);
    if (!x->cfg.ocr || page <= (json_int_t)*last_page || page > pages ||
        pages > (json_int_t)(x->cfg.limits.max_pages ? x->cfg.limits.max_pages : def.max_pages))
        return ev_fail(err, EV_EMALFORMED, "the extractor's progress breaks the protocol");
    *last_page = (unsigned)page;
    /* A page's time again, but never past what the most pages OCR reads
     * may take together. */
    next = wire_now_ms() + x->cfg.time_ms;
    *deadline_ms = next < x->last_deadline_ms ? next : x->last_deadline_ms;
    if (x->cfg.progress)
        x->cfg.progress(x->cfg.progress_arg, (unsigned)page, (unsigned)pages);
    return EV_OK;
}

static ev_code read_reply(extractor *x, uint64_t deadline_ms, uint64_t max_len, ev_error *err)
{
    wire_header *h = &x->head;
    unsigned last_page = 0;

again:
    if (wire_recv(x->sock, h, sizeof *h, deadline_ms, NULL, err) != EV_OK)
        return err->code;
    if (h->magic != WIRE_MAGIC || h->type > WIRE_PROGRESS ||
        h->len > (h->type == WIRE_PROGRESS ? MAX_PROGRESS : max_len))
        return ev_fail(err, EV_EMALFORMED, "the extractor's answer breaks the protocol");
    ev_buf_reset(&x->reply);
    x->reply.data = ev_grow(x->reply.data, &x->reply.cap, (size_t)h->len + 1, 1);
    if (wire_recv(x->sock, x->reply.data, (size_t)h->len, deadline_ms, NULL, err) != EV_OK)
        return err->code;
    x->reply.len = (size_t)h->len;
    x->reply.data[x->reply.len] = '\0';
    if (h->type == WIRE_PROGRESS) {
        if (on_progress(x, &deadline_ms, &last_page, err) != EV_OK)
            return err->code;
        goto again;
    }
    return EV_OK;
}

/* A {"code", "message"} payload into *err. */
static ev_code reply_error(const extractor *x, ev_error *err)
{
    json_t *o = json_loadb(x->reply.data, x->reply.len, 0, NULL);
    const char *code = json_string_value(json_object_get(o, "code"));
    const char *message = json_string_value(json_object_get(o, "message"));
    ev_code c = EV_EMALFORMED;

    for (int i = EV_ENOTDOC; code && i < EV_CODE_COUNT; i++)
        if (strcmp(code, ev_code_name((ev_code)i)) == 0)
            c = (ev_code)i;
    ev_fail(err, c, "%s", message ? message : "the extractor gave no reason");
    json_decref(o);
    return c;
}

static ev_code spawn(extractor *x, ev_error *err)
{
    /* Tesseract parallelises with OpenMP: one extractor is one thread, and
     * its sandbox lets it start no other. */
    static char *const envp[] = {"TZ=UTC0", "OMP_THREAD_LIMIT=1", NULL};
    char *const argv[] = {x->program, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none, all;
    wire_setup ws;
    ev_buf setup = {0};
    json_t *hello;
    const char *version, *sha;
    int sv[2], rc;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return ev_fail(err, EV_EIO, "socketpair: %s", strerror(errno));
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, sv[1], 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawnattr_init(&attr);
    /* The daemon blocks the signals its signalfd reads; an extractor must
     * feel SIGXCPU and die of the rest as any process would. */
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    rc = posix_spawn(&x->pid, x->program, &fa, &attr, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close(sv[1]);
    if (rc != 0) {
        close(sv[0]);
        x->pid = 0;
        return ev_fail(err, EV_EIO, "cannot start %s: %s", x->program, strerror(rc));
    }
    x->sock = sv[0];

    memset(&ws, 0, sizeof ws);
    ws.limits = x->cfg.limits;
    ws.time_ms = x->cfg.time_ms;
    ws.memory = x->cfg.memory;
    ws.flags = x->catalog_path ? 0 : WIRE_SETUP_NO_CATALOG;
    if (x->cfg.background)
        ws.flags |= WIRE_SETUP_BACKGROUND;
    if (x->cfg.ocr) {
        ws.flags |= WIRE_SETUP_OCR;
        ws.ocr_dpi = x->cfg.ocr_options.dpi;
        ws.ocr_max_pages = x->cfg.ocr_options.max_pages;
        ws.ocr_page_time_ms = x->cfg.ocr_options.page_time_ms;
        ws.ocr_max_pixels = x->cfg.ocr_options.max_pixels;
        snprintf(ws.ocr_languages, sizeof ws.ocr_languages, "%s", x->languages);
    }
    ev_buf_append(&setup, &ws, sizeof ws);
    if (x->catalog_path)
        ev_buf_puts(&setup, x->catalog_path);
    rc = wire_send(x->sock, WIRE_SETUP, 0, setup.data, setup.len, -1, err);
    ev_buf_free(&setup);
    if (rc == EV_OK)
        rc = read_reply(x, wire_now_ms() + HELLO_TIMEOUT_MS, MAX_HELLO, err);
    if (rc == EV_OK && x->head.type != WIRE_OK)
        rc = reply_error(x, err);
    if (rc != EV_OK) {
        char how[128];
        int status = stop(x, 1000);
        describe_end(status, how, sizeof how);
        ev_error why = *err;
        ev_error_clear(err);
        return ev_fail(err, EV_EINTERNAL, "%s could not start (%s): %s", x->program, how,
                       why.message);
    }
    hello = json_loadb(x->reply.data, x->reply.len, 0, NULL);
    version = json_string_value(json_object_get(hello, "version"));
    sha = json_string_value(json_object_get(hello, "catalog_sha256"));
    if (!version || strcmp(version, EV_VERSION) != 0) {
        ev_fail(err, EV_EINTERNAL, "%s is version %s, not %s", x->program,
                version ? version : "(none)", EV_VERSION);
        json_decref(hello);
        stop(x, 0);
        return EV_EINTERNAL;
    }
    if (x->catalog_sha256 && sha && *sha && strcmp(sha, x->catalog_sha256) != 0)
        ev_log(EV_LOG_WARNING, "%s changed on disk since it was loaded: documents are read "
               "with the new one until a reload", x->catalog_path);
    ev_log(EV_LOG_DEBUG, "extractor %d started (%s)", (int)x->pid,
           json_string_value(json_object_get(hello, "sandbox")));
    json_decref(hello);
    return EV_OK;
}

ev_code extractor_start(extractor *x, ev_error *err)
{
    if (x->cfg.in_process || x->pid > 0)
        return EV_OK;
    return spawn(x, err);
}

/*
 * Send one request and read its reply. EV_OK: x->head and x->reply hold
 * it. EV_ECRASHED / EV_ETIMEOUT: the document ended the extractor (err
 * says how). EV_EINTERNAL: no extractor could be had.
 */
static ev_code request(extractor *x, uint32_t type, const sealed_doc *s, const char *path,
                       ev_error *err)
{
    uint64_t deadline;
    ev_code rc;

    for (int attempt = 0;; attempt++) {
        if (x->pid <= 0 && spawn(x, err) != EV_OK)
            return EV_EINTERNAL;
        ev_buf_reset(&x->request);
        ev_buf_append(&x->request, s->sha256, WIRE_SHA256_HEX);
        ev_buf_puts(&x->request, path);
        if (wire_send(x->sock, type, s->size, x->request.data, x->request.len, s->fd,
                      err) == EV_OK)
            break;
        /* It died between two documents (killed, or the last one left it
         * broken): not this document's doing. */
        stop(x, 0);
        ev_error_clear(err);
        if (attempt == 1)
            return ev_fail(err, EV_EINTERNAL, "the extractor keeps dying before it reads");
    }
    deadline = wire_now_ms() + x->cfg.time_ms;
    x->last_deadline_ms = deadline + (uint64_t)x->cfg.time_ms * x->cfg.ocr_options.max_pages;
    rc = read_reply(x, deadline, (type & WIRE_BLOCKS) ? wire_max_blocks_reply(x->cfg.limits.max_text)
                                                      : wire_max_reply(x->cfg.limits.max_text),
                    err);
    if (rc == EV_OK && x->head.type == WIRE_FAILED) {
        ev_error why;
        ev_error_clear(&why);
        reply_error(x, &why);
        stop(x, 0);
        return ev_fail(err, EV_ECRASHED, "the extractor failed: %s", why.message);
    }
    if (rc == EV_OK)
        return EV_OK;
    {
        char how[160];
        ev_error why = *err;
        /* At end of file it is ending by itself: its status says how. */
        int status = stop(x, rc == EV_EIO ? 1000 : 0);
        ev_error_clear(err);
        if (rc == EV_ETIMEOUT || (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU))
            return ev_fail(err, EV_ETIMEOUT, "reading it took longer than %u.%03u s; the "
                           "extractor was stopped", x->cfg.time_ms / 1000, x->cfg.time_ms % 1000);
        if (rc == EV_EMALFORMED)
            return ev_fail(err, EV_ECRASHED, "%s", why.message);
        describe_end(status, how, sizeof how);
        return ev_fail(err, EV_ECRASHED, "%s while reading it", how);
    }
}

static evidence *rejected(const sealed_doc *s, const char *path, const ev_error *err)
{
    evidence *e = evidence_new(path);
    e->error = err->code;
    e->error_message = ev_strdup(err->message);
    memcpy(e->sha256, s->sha256, sizeof e->sha256);
    e->size = s->size;
    return e;
}

/* Map the memfd for parsing in this process (--no-sandbox). */
static const void *map_doc(const sealed_doc *s, ev_error *err)
{
    void *p;
    if (s->size == 0)
        return "";
    p = mmap(NULL, (size_t)s->size, PROT_READ, MAP_PRIVATE, s->fd, 0);
    if (p == MAP_FAILED) {
        ev_fail(err, EV_EIO, "mmap: %s", strerror(errno));
        return NULL;
    }
    return p;
}

static void unmap_doc(const sealed_doc *s, const void *p)
{
    if (s->size > 0)
        munmap((void *)p, (size_t)s->size);
}

/* The OCR engine of --no-sandbox, loaded on first use. */
static doc_ocr *in_process_engine(extractor *x, ev_error *err)
{
    if (!x->engine && doc_ocr_new(&x->cfg.ocr_options, &x->engine, err) == EV_OK)
        doc_ocr_set_progress(x->engine, x->cfg.progress, x->cfg.progress_arg);
    return x->engine;
}

evidence *extractor_record(extractor *x, const sealed_doc *s, const char *path, bool any_name,
                           ev_error *err)
{
    evidence *e;
    json_t *o;
    ev_code rc;

    if (s->fd < 0) {
        ev_error big;
        ev_error_clear(&big);
        ev_fail(&big, EV_ETOOLARGE, "%s is %llu bytes (limit %zu)", path,
                (unsigned long long)s->size, x->cfg.limits.max_file_size);
        return rejected(s, path, &big);
    }
    if (x->cfg.in_process) {
        const void *data = map_doc(s, err);
        doc_ocr *engine = NULL;
        bool named = evidence_is_document_name(path) ||
                     (x->cfg.ocr && evidence_is_scan_name(path));
        if (!data || (x->cfg.ocr && !(engine = in_process_engine(x, err)))) {
            if (data)
                unmap_doc(s, data);
            return NULL;
        }
        e = evidence_analyze_scan(x->cfg.catalog, path, data, (size_t)s->size, s->sha256,
                                  &x->cfg.limits, engine, any_name || named);
        unmap_doc(s, data);
        return e;
    }
    rc = request(x, WIRE_RECORD | (any_name ? WIRE_ANY_NAME : 0), s, path, err);
    if (rc == EV_EINTERNAL)
        return NULL;
    if (rc != EV_OK) {
        e = rejected(s, path, err);
        ev_error_clear(err);
        return e;
    }
    o = x->head.type == WIRE_OK ? json_loadb(x->reply.data, x->reply.len, 0, NULL) : NULL;
    e = o ? evidence_from_json(o) : NULL;
    json_decref(o);
    if (!e || strcmp(e->sha256, s->sha256) != 0 || e->size != s->size) {
        ev_error bad;
        ev_error_clear(&bad);
        ev_fail(&bad, EV_ECRASHED, "the extractor answered for other bytes than it was given");
        evidence_free(e);
        stop(x, 0);
        return rejected(s, path, &bad);
    }
    free(e->path);
    e->path = ev_strdup(path);
    return e;
}

ev_code extractor_text(extractor *x, const sealed_doc *s, const char *path, bool blocks,
                       ev_buf *out, ev_error *err)
{
    ev_code rc;

    if (s->fd < 0)
        return ev_fail(err, EV_ETOOLARGE, "%s is %llu bytes (limit %zu)", path,
                       (unsigned long long)s->size, x->cfg.limits.max_file_size);
    if (x->cfg.in_process) {
        const void *data = map_doc(s, err);
        doc_ocr *engine = NULL;
        doc *d = NULL;
        if (!data || (x->cfg.ocr && !(engine = in_process_engine(x, err)))) {
            if (data)
                unmap_doc(s, data);
            return err->code;
        }
        rc = doc_parse_scan(data, (size_t)s->size, &x->cfg.limits, engine, &d, err);
        if (rc == EV_OK && blocks) {
            json_t *a = evidence_blocks_json(d);
            char *t = json_dumps(a, EVIDENCE_JSON_FLAGS);
            ev_buf_puts(out, t ? t : "[]");
            free(t);
            json_decref(a);
        } else if (rc == EV_OK) {
            doc_write_text(d, out);
        }
        doc_free(d);
        unmap_doc(s, data);
        return rc;
    }
    rc = request(x, WIRE_TEXT | WIRE_ANY_NAME | (blocks ? WIRE_BLOCKS : 0), s, path, err);
    if (rc != EV_OK)
        return rc;
    if (x->head.type != WIRE_OK)
        return reply_error(x, err);
    ev_buf_append(out, x->reply.data, x->reply.len);
    return EV_OK;
}

/* Open a named file as a sealed_doc; a file too large to parse is still
 * hashed and handed on (the callees record it as too-large). */
static bool open_named(const extractor *x, const char *file, sealed_doc *s, ev_error *err)
{
    ev_code rc = sealed_doc_open(file, x->cfg.limits.max_file_size, s, err);

    if (rc != EV_OK && rc != EV_ETOOLARGE)
        return false;
    ev_error_clear(err);
    return true;
}

evidence *extractor_record_file(extractor *x, const char *file, const char *path,
                                bool any_name, ev_error *err)
{
    sealed_doc s;
    evidence *e;

    if (!open_named(x, file, &s, err))
        return NULL;
    e = extractor_record(x, &s, path, any_name, err);
    sealed_doc_close(&s);
    return e;
}

ev_code extractor_text_file(extractor *x, const char *file, bool blocks, ev_buf *out,
                            ev_error *err)
{
    sealed_doc s;
    ev_code rc;

    if (!open_named(x, file, &s, err))
        return err->code;
    rc = extractor_text(x, &s, file, blocks, out, err);
    sealed_doc_close(&s);
    return rc;
}

const char *extractor_default_program(void)
{
    const char *env = getenv("EVIDENCED_EXTRACTOR");
    const char *built = ev_build_path("extractor/evidenced-extractor");

    if (env && *env)
        return env;
    return built ? built : EV_EXTRACTOR_PATH;
}
