/*
 * extractor.h: the parent's side of the process boundary. evidenced's
 * workers and evidencectl's offline commands read documents only through
 * this: the file is read once into a sealed memfd and hashed (sealed_doc),
 * and an extractor process (evidenced-extractor, see main.c and sandbox.h)
 * parses, classifies and extracts it, and answers with the record.
 *
 * An extractor is started on first use and kept for the next documents.
 * A document that kills its extractor (a signal, the memory limit) or
 * keeps it past the time limit comes back as a rejected record with code
 * `crashed` or `timeout`, hashed like any other; the extractor is replaced
 * at the next document. Whatever an extractor answers, the record's path,
 * size and SHA-256 are the parent's own.
 *
 * One extractor serves one thread at a time; use one per thread.
 */
#ifndef EV_EXTRACTOR_H
#define EV_EXTRACTOR_H

#include <stdbool.h>
#include <stdint.h>

#include "doc.h"
#include "evidence.h"
#include "scan.h"
#include "sha256.h"

struct stat;
struct catalog;

/* A document's bytes as extractors see them. */
typedef struct sealed_doc {
    int fd;                 /* memfd sealed against any change; -1 when too large */
    uint64_t size;
    char sha256[EV_SHA256_HEX_LEN + 1];
} sealed_doc;

/*
 * Read the open regular file `fd` once into a sealed memfd and hash exactly
 * those bytes. *st gets the fstat() the read was bounded by. Returns
 * EV_OK; EV_ETOOLARGE for a file over `max_size`, hashed in full but not
 * copied (out->fd is -1, size and sha256 are set); EV_EIO when it cannot
 * be read, with *changed true when it grew or shrank while read (a copy in
 * progress: try again later). `name` is for messages.
 */
ev_code sealed_doc_read(int fd, const char *name, uint64_t max_size, sealed_doc *out,
                        struct stat *st, bool *changed, ev_error *err);
/* The same for a file named by a user: opened without following a final
 * symbolic link or blocking; EV_EUNSUPPORTED for what is not a regular
 * file, EV_EIO when it cannot be opened. */
ev_code sealed_doc_open(const char *path, uint64_t max_size, sealed_doc *out, ev_error *err);
void sealed_doc_close(sealed_doc *s);

/* After each page OCR read, on the thread that made the request. */
typedef void extractor_progress_fn(void *arg, unsigned page, unsigned pages);

typedef struct extractor_config {
    const char *program;            /* NULL: extractor_default_program() */
    const char *catalog_path;       /* loaded by the extractor; NULL: parse only */
    const char *catalog_sha256;     /* what the parent loaded (warns if it differs); may be NULL */
    const struct catalog *catalog;  /* the same, loaded (parsing in_process uses it) */
    doc_limits limits;
    unsigned time_ms;               /* one document's CPU and wall-clock time */
    uint64_t memory;                /* the extractor's address space; 0: none */
    bool in_process;                /* parse here, with no sandbox (evidencectl --no-sandbox) */
    /* Read scans (images, PDF pages without text) by OCR, with these
     * options (languages copied); then time_ms bounds each page rather
     * than the document, and images in a folder are read too. */
    bool ocr;
    doc_ocr_options ocr_options;
    bool background;                /* run at idle priority: only when the CPU has nothing else */
    extractor_progress_fn *progress;
    void *progress_arg;
} extractor_config;

typedef struct extractor extractor;

/* The defaults: 60 s a document, 1 GiB of address space. */
#define EXTRACTOR_TIME_MS 60000u
#define EXTRACTOR_MEMORY (1ull << 30)

/* Copies what cfg points to but the catalog. Starts nothing yet. */
extractor *extractor_new(const extractor_config *cfg);
/* Stops the extractor (closing its socket ends it) and reaps it. */
void extractor_free(extractor *x);

/*
 * Start the process now and wait for its hello, so a daemon can refuse to
 * start when no extractor can (the program is missing, the sandbox cannot
 * be entered). Also done by the first request.
 */
ev_code extractor_start(extractor *x, ev_error *err);

/*
 * The record of one document at `path` (relative to the folder, or as the
 * user named it). `any_name`: parse it whatever its name, else only
 * document names are parsed and other files are hashed. NULL only when no
 * extractor can be started (err says why); the document is not at fault.
 */
evidence *extractor_record(extractor *x, const sealed_doc *s, const char *path, bool any_name,
                           ev_error *err);

/* The document's text in reading order, appended to `out`; a code and
 * *err when it is rejected, crashed or timed out. `blocks`: its blocks as
 * JSON (evidence_blocks_json) instead, each with its source and OCR's
 * confidence. */
ev_code extractor_text(extractor *x, const sealed_doc *s, const char *path, bool blocks,
                       ev_buf *out, ev_error *err);

/*
 * The same for a file a user named (opened as sealed_doc_open() does);
 * `path` is the name the record carries. NULL (or a code) with err set
 * when the file cannot be opened or no extractor can be started.
 */
evidence *extractor_record_file(extractor *x, const char *file, const char *path,
                                bool any_name, ev_error *err);
ev_code extractor_text_file(extractor *x, const char *file, bool blocks, ev_buf *out,
                            ev_error *err);

/*
 * The program to start: $EVIDENCED_EXTRACTOR; else, for a program run
 * from its build tree, the extractor of that build (ev_build_path); else
 * the installed one. The result is static (per thread).
 */
const char *extractor_default_program(void);

#endif
