/*
 * ev.h: what every module of evidenced shares.
 *
 * One allocator wrapper, one error type, one logging call. Nothing here knows
 * about documents, policy or the daemon; every library and program links it.
 *
 * Allocation: ev_malloc() and friends never return NULL. Running out of
 * memory is not a recoverable condition for this program; untrusted sizes are
 * bounded before anything is allocated for them, so an allocation failure
 * means the host is in trouble and we abort with a message.
 *
 * Errors: a function that can fail on bad input returns an ev_code (EV_OK is
 * 0) and, when the caller passed a non-NULL ev_error, fills in a message for
 * people. The code is the stable part: it is what JSON output and tests use.
 */
#ifndef EV_H
#define EV_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#if defined(__GNUC__)
#define EV_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define EV_NORETURN __attribute__((noreturn))
#else
#define EV_PRINTF(f, a)
#define EV_NORETURN
#endif

#define EV_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- errors ------------------------------------------------------------ */

typedef enum ev_code {
    EV_OK = 0,
    EV_ENOTDOC,      /* "not-a-document": neither DOCX nor ODT */
    EV_EENCRYPTED,   /* "encrypted": password-protected Office file or zip */
    EV_EZIPBOMB,     /* "zip-bomb": inflated size or ratio over the limits */
    EV_ETOOLARGE,    /* "too-large": file, entry count or text over limits */
    EV_EMALFORMED,   /* "malformed": broken zip, CRC, XML, depth, encoding */
    EV_EUNSUPPORTED, /* "unsupported": a format we know but do not read */
    EV_EIO,          /* "io": the file could not be opened or read */
    EV_EINVAL,       /* "invalid": bad argument, configuration or request */
    EV_ENOTFOUND,    /* "not-found" */
    EV_EINTERNAL,    /* "internal": a library failed in a way input cannot explain */
    EV_ECRASHED,     /* "crashed": the extractor reading it died (a signal, its memory limit) */
    EV_ETIMEOUT      /* "timeout": the extractor reading it overran its time limit */
} ev_code;
#define EV_CODE_COUNT (EV_ETIMEOUT + 1)

#define EV_ERROR_MSG_MAX 256

typedef struct ev_error {
    ev_code code;
    char message[EV_ERROR_MSG_MAX];
} ev_error;

/* The stable, lowercase name of a code ("zip-bomb"); "ok" for EV_OK. */
const char *ev_code_name(ev_code code);

/*
 * Record an error in *err (which may be NULL) and return code, so that a
 * failing path reads `return ev_fail(err, EV_EMALFORMED, "...", ...);`.
 * An error already recorded is kept: the first cause is the useful one.
 */
ev_code ev_fail(ev_error *err, ev_code code, const char *fmt, ...)
    EV_PRINTF(3, 4);

void ev_error_clear(ev_error *err);

/* ---- memory ------------------------------------------------------------ */

void *ev_malloc(size_t n);
void *ev_calloc(size_t count, size_t size);
void *ev_realloc(void *p, size_t n);
/* Grow an array to hold at least `need` elements; *cap is updated. */
void *ev_grow(void *p, size_t *cap, size_t need, size_t elem_size);
char *ev_strdup(const char *s);
char *ev_strndup(const char *s, size_t n);
char *ev_asprintf(const char *fmt, ...) EV_PRINTF(1, 2);
EV_NORETURN void ev_die(const char *fmt, ...) EV_PRINTF(1, 2);

/* ---- byte buffer ------------------------------------------------------- */

/* A growable byte string, always NUL-terminated once anything is in it. */
typedef struct ev_buf {
    char *data;
    size_t len;
    size_t cap;
} ev_buf;

void ev_buf_append(ev_buf *b, const void *p, size_t n);
void ev_buf_puts(ev_buf *b, const char *s);
void ev_buf_putc(ev_buf *b, char c);
void ev_buf_printf(ev_buf *b, const char *fmt, ...) EV_PRINTF(2, 3);
void ev_buf_reset(ev_buf *b);           /* len = 0, keeps the memory */
void ev_buf_free(ev_buf *b);            /* releases the memory */
char *ev_buf_steal(ev_buf *b);          /* caller owns the string */
/*
 * Append s[0..len) made safe to print on a terminal or in a log line: a
 * file name with a newline would forge a line, escape sequences (\033[8m
 * hides text) would rewrite it. \n \r \t \\ for those bytes; other C0
 * controls and DEL as \xNN; C1 controls (U+0080..U+009F), line and
 * paragraph separators and bidi overrides (which reorder what a terminal
 * shows) as \uXXXX; bytes that are not UTF-8 as \xNN. Other valid UTF-8
 * (Chinese) is kept as is.
 */
void ev_buf_put_escaped(ev_buf *b, const char *s, size_t len);

/* ---- files ------------------------------------------------------------ */

/* Write all of p[0..len) to fd, again after EINTR and short writes;
 * false with errno set when a write fails. */
bool ev_write_all(int fd, const void *p, size_t len);

/* ---- where we run from ------------------------------------------------- */

/*
 * For a program run from its own build tree: `rel` (e.g.
 * "extractor/evidenced-extractor") in that tree, as a static string; NULL
 * for an installed program, which uses installed paths. So a build runs
 * with what it built, never with whatever an earlier install left.
 */
const char *ev_build_path(const char *rel);

/* ---- text ------------------------------------------------------------- */

/* Whether s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool ev_utf8_valid(const char *s, size_t len);

/* Split "a, b,c" at `sep` into a NULL-terminated array of trimmed,
 * non-empty copies; *n (may be NULL) gets the count. NULL input: empty. */
char **ev_split(const char *list, char sep, size_t *n);
/* Free such an array (NULL is fine). */
void ev_strv_free(char **v);

/* ---- logging ----------------------------------------------------------- */

typedef enum ev_log_level {
    EV_LOG_ERR = 3,     /* values are syslog/journald priorities */
    EV_LOG_WARNING = 4,
    EV_LOG_NOTICE = 5,
    EV_LOG_INFO = 6,
    EV_LOG_DEBUG = 7
} ev_log_level;

/*
 * Log one line to stderr. Under systemd (JOURNAL_STREAM set) each line starts
 * with the "<N>" priority prefix journald understands; on a terminal it
 * starts with the program name. Lines above the configured level are dropped.
 */
void ev_log(ev_log_level level, const char *fmt, ...) EV_PRINTF(2, 3);
void ev_log_setup(const char *progname, ev_log_level max_level);
/* "err", "warning", "notice", "info", "debug"; -1 if unknown. */
int ev_log_level_parse(const char *name);

#endif
