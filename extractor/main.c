/*
 * evidenced-extractor: reads documents for evidenced and evidencectl, one
 * at a time, inside a sandbox, and holds nothing worth stealing.
 *
 * It is started by its parent with a socket on standard input, receives
 * its setup, loads the catalog, locks itself down (sandbox.h), says hello,
 * then serves requests until the socket closes. A document arrives as a
 * sealed memfd that it maps read-only; the answer is the document's record
 * or text. It never opens the document by name and never writes a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"
#include "evidence.h"
#include "sandbox.h"
#include "scan.h"
#include "sha256.h"
#include "wire.h"

#define SOCK 0
#define KEEP_HEAP (32 << 20)
#define MAX_PATH_BYTES 4096

#ifdef EV_SANITIZE
/* A checked extractor reports what AddressSanitizer finds, within its
 * sandbox: LeakSanitizer stops the world with ptrace and symbolising runs
 * a program, both forbidden (leaks are left to the in-process tests);
 * colours would ask the terminal. A signal is left to kill it, as it
 * would kill a release build, so its parent says which. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "detect_leaks=0:symbolize=0:color=never:handle_segv=0:handle_sigbus=0:handle_sigfpe=0";
}
#endif

/* Where poppler finds the CMaps of PDFs whose CJK fonts are not embedded;
 * Landlock lets the extractor read below it and nowhere else. */
static const char *const data_dirs[] = {"/usr/share/poppler", NULL};

static void send_json(uint32_t status, json_t *o)
{
    char *s = json_dumps(o, EVIDENCE_JSON_FLAGS);
    if (s)
        wire_send(SOCK, status, 0, s, strlen(s), -1, NULL);
    free(s);
    json_decref(o);
}

static void send_error(uint32_t status, ev_code code, const char *message)
{
    send_json(status, json_pack("{s:s, s:s}", "code", ev_code_name(code), "message", message));
}

/* After each page OCR read: the parent renews its clock, we our CPU budget. */
static void page_done(void *arg, unsigned page, unsigned pages)
{
    const wire_setup *ws = arg;
    char msg[64];
    int n = snprintf(msg, sizeof msg, "{\"page\":%u,\"pages\":%u}", page, pages);

    wire_send(SOCK, WIRE_PROGRESS, 0, msg, (size_t)n, -1, NULL);
    sandbox_cpu_budget((ws->time_ms + 999) / 1000);
}

/* The OCR engine, its language models loaded before the sandbox closes. */
static ev_code setup_ocr(wire_setup *ws, doc_ocr **ocr, ev_error *err)
{
    doc_ocr_options o;

    ws->ocr_languages[sizeof ws->ocr_languages - 1] = '\0';
    doc_ocr_options_default(&o);
    if (ws->ocr_languages[0])
        o.languages = ws->ocr_languages;
    if (ws->ocr_dpi) o.dpi = ws->ocr_dpi;
    if (ws->ocr_max_pages) o.max_pages = ws->ocr_max_pages;
    if (ws->ocr_max_pixels) o.max_pixels = ws->ocr_max_pixels;
    if (ws->ocr_page_time_ms) o.page_time_ms = ws->ocr_page_time_ms;
    if (doc_ocr_new(&o, ocr, err) != EV_OK)
        return err->code;
    doc_ocr_set_progress(*ocr, page_done, ws);
    return EV_OK;
}

/* Read the setup and load what the sandbox will no longer let us open. */
static ev_code setup(wire_setup *ws, catalog **cat, doc_ocr **ocr,
                     char sha[EV_SHA256_HEX_LEN + 1], ev_error *err)
{
    wire_header h;
    char path[MAX_PATH_BYTES + 1];
    size_t path_len;
    int fd;

    if (wire_recv(SOCK, &h, sizeof h, 0, NULL, err) != EV_OK)
        return err->code;
    if (h.magic != WIRE_MAGIC || h.type != WIRE_SETUP || h.len < sizeof *ws ||
        h.len > sizeof *ws + MAX_PATH_BYTES)
        return ev_fail(err, EV_EINVAL, "a setup message was expected");
    path_len = (size_t)h.len - sizeof *ws;
    if (wire_recv(SOCK, ws, sizeof *ws, 0, NULL, err) != EV_OK ||
        wire_recv(SOCK, path, path_len, 0, NULL, err) != EV_OK)
        return err->code;
    path[path_len] = '\0';
    /* poppler, NSS and libsodium initialise themselves on first use: do it
     * while they may open what they need. */
    if (doc_prepare_sandbox(err) != EV_OK)
        return err->code;
    /* Linux's idle class runs us only when nothing else wants the CPU,
     * so a page being read never slows the daemon's other documents. */
    if (ws->flags & WIRE_SETUP_BACKGROUND) {
        struct sched_param none = {0};
        if (sched_setscheduler(0, SCHED_IDLE, &none) != 0)
            ev_log(EV_LOG_WARNING, "cannot run at idle priority: %s", strerror(errno));
    }
    if ((ws->flags & WIRE_SETUP_OCR) && setup_ocr(ws, ocr, err) != EV_OK)
        return err->code;
    ev_sha256_hex("", 0, sha);
    sha[0] = '\0';
    if (ws->flags & WIRE_SETUP_NO_CATALOG)
        return EV_OK;
    if (catalog_load(path, cat, err) != EV_OK)
        return err->code;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ev_sha256_fd_hex(fd, sha, NULL) != 0)
        ev_fail(err, EV_EIO, "%s: %s", path, strerror(errno));
    if (fd >= 0)
        close(fd);
    return err->code;
}

/* One request: its path, then the document mapped from the memfd. */
static bool serve_one(const wire_setup *ws, const catalog *cat, doc_ocr *ocr, ev_buf *text)
{
    wire_header h;
    char payload[WIRE_SHA256_HEX + MAX_PATH_BYTES + 1];
    char sha256[WIRE_SHA256_HEX + 1];
    const char *path = payload + WIRE_SHA256_HEX;
    struct stat st;
    const void *data = "";
    void *map = NULL;
    ev_error err;
    int fd = -1;
    uint32_t op;

    ev_error_clear(&err);
    if (wire_recv(SOCK, &h, sizeof h, 0, &fd, &err) != EV_OK)
        return false;       /* the parent closed the socket: we are done */
    op = WIRE_OP(h.type);
    if (h.magic != WIRE_MAGIC || (op != WIRE_RECORD && op != WIRE_TEXT) ||
        h.len <= WIRE_SHA256_HEX || h.len > WIRE_SHA256_HEX + MAX_PATH_BYTES || fd < 0 ||
        wire_recv(SOCK, payload, (size_t)h.len, 0, NULL, &err) != EV_OK) {
        ev_log(EV_LOG_ERR, "a malformed request: stopping");
        if (fd >= 0)
            close(fd);
        return false;
    }
    payload[h.len] = '\0';
    memcpy(sha256, payload, WIRE_SHA256_HEX);
    sha256[WIRE_SHA256_HEX] = '\0';
    if (strspn(sha256, "0123456789abcdef") != WIRE_SHA256_HEX) {
        ev_log(EV_LOG_ERR, "a request without a hash: stopping");
        close(fd);
        return false;
    }
    if (fstat(fd, &st) != 0 || (uint64_t)st.st_size != h.size) {
        send_error(WIRE_FAILED, EV_EIO, "the document's memfd is not the size announced");
        close(fd);
        return true;
    }
    if (h.size > 0) {
        map = mmap(NULL, (size_t)h.size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            send_error(WIRE_FAILED, EV_EIO, strerror(errno));
            close(fd);
            return true;
        }
        data = map;
    }
    sandbox_cpu_budget((ws->time_ms + 999) / 1000);
    if (op == WIRE_RECORD) {
        bool named = evidence_is_document_name(path) || (ocr && evidence_is_scan_name(path));
        evidence *e = evidence_analyze_scan(cat, path, data, (size_t)h.size, sha256,
                                            &ws->limits, ocr,
                                            (h.type & WIRE_ANY_NAME) || named);
        send_json(WIRE_OK, evidence_to_json(e, true));
        evidence_free(e);
    } else {
        doc *d = NULL;
        if (doc_parse_scan(data, (size_t)h.size, &ws->limits, ocr, &d, &err) != EV_OK) {
            send_error(WIRE_REJECTED, err.code, err.message);
        } else {
            if (h.type & WIRE_BLOCKS) {
                send_json(WIRE_OK, evidence_blocks_json(d));
            } else {
                ev_buf_reset(text);
                doc_write_text(d, text);
                wire_send(SOCK, WIRE_OK, 0, text->data ? text->data : "", text->len, -1, NULL);
            }
            doc_free(d);
        }
    }
    if (map)
        munmap(map, (size_t)h.size);
    close(fd);
    return true;
}

int main(int argc, char **argv)
{
    wire_setup ws;
    catalog *cat = NULL;
    doc_ocr *ocr = NULL;
    char sha[EV_SHA256_HEX_LEN + 1];
    sandbox_report rep;
    ev_error err;
    ev_buf text = {0};
    int type = 0;
    socklen_t tl = sizeof type;

    (void)argv;
    ev_log_setup("evidenced-extractor", EV_LOG_NOTICE);
    /* One document after another on one heap: giving memory back to the
     * kernel after each and faulting it in again for the next cost the
     * daemon's scan a fifth of its speed. The address-space limit bounds
     * what is kept. */
    mallopt(M_TRIM_THRESHOLD, KEEP_HEAP);
    mallopt(M_MMAP_THRESHOLD, KEEP_HEAP);
    if (argc != 1 || getsockopt(SOCK, SOL_SOCKET, SO_TYPE, &type, &tl) != 0) {
        fprintf(stderr, "evidenced-extractor is started by evidenced and evidencectl, "
                        "with a socket on its standard input; it takes no arguments\n");
        return 2;
    }
    ev_error_clear(&err);
    if (setup(&ws, &cat, &ocr, sha, &err) != EV_OK ||
        sandbox_enter(SOCK, ws.memory, data_dirs, &rep, &err) != EV_OK) {
        send_error(WIRE_FAILED, err.code, err.message);
        doc_ocr_free(ocr);
        catalog_free(cat);
        return 1;
    }
    send_json(WIRE_OK, json_pack("{s:s, s:s, s:s}", "version", EV_VERSION, "catalog_sha256", sha,
                                 "sandbox", rep.summary));
    while (serve_one(&ws, cat, ocr, &text))
        ;
    ev_buf_free(&text);
    doc_ocr_free(ocr);
    catalog_free(cat);
    return 0;
}
