/*
 * wire.h: what evidenced (or evidencectl) and an extractor process say to
 * each other over their socketpair. Both ends are programs of the same
 * build; the hello carries the version so a stale extractor is refused.
 *
 *   parent                                  extractor
 *   setup {limits, time, memory, catalog} ->
 *                                           loads the catalog, locks down
 *                                        <- hello {version, catalog_sha256, sandbox}
 *   request {op, size, sha256, path} + memfd ->
 *                                        <- progress {page, pages} ... (OCR)
 *                                        <- reply {status, payload}
 *   ... one request at a time, for as long as the extractor lives
 *
 * Every message is a fixed header followed by `len` payload bytes on a
 * SOCK_STREAM socket; the document itself travels as a sealed memfd in
 * SCM_RIGHTS with the request's first byte. Payloads are JSON (a record,
 * the hello, an error) or text (WIRE_TEXT). The parent bounds every length
 * it reads: an extractor is untrusted once it has read a document.
 */
#ifndef EV_WIRE_H
#define EV_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "doc.h"
#include "ev.h"

#define WIRE_MAGIC 0x31585645u      /* "EVX1" */

typedef enum wire_op {
    WIRE_SETUP = 1,     /* payload: wire_setup, then the catalog path (may be empty) */
    WIRE_RECORD = 2,    /* analyse: reply is the record's JSON (evidence_to_json full) */
    WIRE_TEXT = 3       /* text in reading order: reply is the text, or an error's JSON */
} wire_op;

/* A request's type is a wire_op, with this bit set when the document is
 * to be parsed whatever its name (evidencectl extract names its files;
 * in a folder, only document names are parsed and others are hashed). */
#define WIRE_ANY_NAME (1u << 16)
/* WIRE_TEXT: the blocks as JSON (evidence_blocks_json) rather than text. */
#define WIRE_BLOCKS (1u << 17)
#define WIRE_OP(type) ((type) & 0xffffu)

typedef enum wire_status {
    WIRE_OK = 0,        /* payload: the record, the text, or the hello */
    WIRE_REJECTED = 1,  /* payload: {"code", "message"} (WIRE_TEXT of a rejected document) */
    WIRE_FAILED = 2,    /* payload: {"code", "message"}: the extractor cannot serve */
    WIRE_PROGRESS = 3   /* not a reply yet: {"page", "pages"} after each page read
                           by OCR; the reply follows */
} wire_status;

typedef struct wire_header {
    uint32_t magic;
    uint32_t type;      /* requests: a wire_op; replies: a wire_status */
    uint64_t len;       /* payload bytes that follow */
    uint64_t size;      /* requests: bytes of the memfd; replies: 0 */
} wire_header;

/* A request's payload: the document's SHA-256 as the parent computed it
 * (hex), then its path. The extractor does not hash again; the record it
 * returns must carry this hash and size, or the parent takes it for an
 * answer to another request. */
#define WIRE_SHA256_HEX 64

/* What the parent fixes for the extractor's life. */
typedef struct wire_setup {
    doc_limits limits;
    uint32_t time_ms;       /* CPU time one document (with OCR: one page) may take */
    uint32_t flags;         /* WIRE_SETUP_* */
    uint64_t memory;        /* RLIMIT_AS in bytes; 0: none */
    /* OCR (WIRE_SETUP_OCR): scan.h's doc_ocr_options */
    uint32_t ocr_dpi, ocr_max_pages, ocr_page_time_ms;
    uint64_t ocr_max_pixels;
    char ocr_languages[64]; /* NUL-terminated */
} wire_setup;

enum {
    WIRE_SETUP_NO_CATALOG = 1u << 0,    /* parse only: kind and fields stay empty */
    WIRE_SETUP_OCR = 1u << 1,           /* read scans: load the OCR engine first */
    WIRE_SETUP_BACKGROUND = 1u << 2     /* idle priority (the daemon's OCR) */
};

/* The largest payload a parent accepts: a record or text of a document
 * whose text is at most `max_text` bytes (text plus JSON escaping). */
uint64_t wire_max_reply(size_t max_text);
/* The same for the blocks of WIRE_BLOCKS, each with its members. */
uint64_t wire_max_blocks_reply(size_t max_text);

/*
 * Write a whole message: header, payload, and `fd` (or -1) in SCM_RIGHTS.
 * Restarts on EINTR; EV_EIO when the peer is gone.
 */
ev_code wire_send(int sock, uint32_t type, uint64_t size, const void *payload, size_t len,
                  int fd, ev_error *err);

/*
 * Read `len` bytes, waiting at most until `deadline_ms` on the monotonic
 * clock (0: no deadline). *fd_out, when not NULL, gets a descriptor passed
 * with these bytes (or stays -1); any other descriptor that arrives is
 * closed. EV_EIO at end of file or on error, EV_ETIMEOUT past the deadline.
 */
ev_code wire_recv(int sock, void *buf, size_t len, uint64_t deadline_ms, int *fd_out,
                  ev_error *err);

/* The monotonic clock in milliseconds. */
uint64_t wire_now_ms(void);

#endif
