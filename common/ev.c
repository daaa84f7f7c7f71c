/* ev.c: errors, memory, buffers and logging shared by every module. */
#include "ev.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const code_names[] = {
    [EV_OK] = "ok",
    [EV_ENOTDOC] = "not-a-document",
    [EV_EENCRYPTED] = "encrypted",
    [EV_EZIPBOMB] = "zip-bomb",
    [EV_ETOOLARGE] = "too-large",
    [EV_EMALFORMED] = "malformed",
    [EV_EUNSUPPORTED] = "unsupported",
    [EV_EIO] = "io",
    [EV_EINVAL] = "invalid",
    [EV_ENOTFOUND] = "not-found",
    [EV_EINTERNAL] = "internal",
    [EV_ECRASHED] = "crashed",
    [EV_ETIMEOUT] = "timeout",
};

const char *ev_code_name(ev_code code)
{
    if ((size_t)code >= EV_ARRAY_LEN(code_names) || !code_names[code])
        return "internal";
    return code_names[code];
}

ev_code ev_fail(ev_error *err, ev_code code, const char *fmt, ...)
{
    if (err && err->code == EV_OK) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

void ev_error_clear(ev_error *err)
{
    err->code = EV_OK;
    err->message[0] = '\0';
}

void ev_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

void *ev_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        ev_die("out of memory allocating %zu bytes", n);
    return p;
}

void *ev_calloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        ev_die("out of memory allocating %zu x %zu bytes", count, size);
    return p;
}

void *ev_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        ev_die("out of memory reallocating to %zu bytes", n);
    return q;
}

void *ev_grow(void *p, size_t *cap, size_t need, size_t elem_size)
{
    size_t ncap = *cap ? *cap : 8;
    if (need <= *cap)
        return p;
    while (ncap < need) {
        if (ncap > ((size_t)-1) / 2 / elem_size)
            ev_die("array size overflow");
        ncap *= 2;
    }
    *cap = ncap;
    return ev_realloc(p, ncap * elem_size);
}

char *ev_strdup(const char *s)
{
    return ev_strndup(s, strlen(s));
}

char *ev_strndup(const char *s, size_t n)
{
    char *d = ev_malloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

EV_PRINTF(1, 0) static char *vasprintf_or_die(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        ev_die("bad format string");
    char *s = ev_malloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *ev_asprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = vasprintf_or_die(fmt, ap);
    va_end(ap);
    return s;
}

/* ---- byte buffer ------------------------------------------------------- */

void ev_buf_append(ev_buf *b, const void *p, size_t n)
{
    b->data = ev_grow(b->data, &b->cap, b->len + n + 1, 1);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void ev_buf_puts(ev_buf *b, const char *s)
{
    ev_buf_append(b, s, strlen(s));
}

void ev_buf_putc(ev_buf *b, char c)
{
    ev_buf_append(b, &c, 1);
}

void ev_buf_printf(ev_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = vasprintf_or_die(fmt, ap);
    va_end(ap);
    ev_buf_puts(b, s);
    free(s);
}

void ev_buf_reset(ev_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void ev_buf_free(ev_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *ev_buf_steal(ev_buf *b)
{
    char *s = b->data ? b->data : ev_strdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

/* ---- text ------------------------------------------------------------- */

/* The length of the valid multi-byte UTF-8 sequence at p (before end), or
 * 0: a stray continuation byte, an overlong form, a surrogate, past U+10FFFF. */
static size_t utf8_seq_len(const unsigned char *p, const unsigned char *end)
{
    unsigned c = *p, cp;
    size_t n;

    if (c >= 0xC2 && c <= 0xDF)
        n = 1, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 2, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 3, cp = c & 0x07;
    else
        return 0;
    if ((size_t)(end - p) <= n)
        return 0;
    for (size_t i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n + 1;
}

bool ev_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;

    while (p < end) {
        size_t n = *p < 0x80 ? 1 : utf8_seq_len(p, end);
        if (!n)
            return false;
        p += n;
    }
    return true;
}

static unsigned utf8_code_point(const unsigned char *s, size_t n)
{
    static const unsigned char lead_mask[] = {0, 0x7f, 0x1f, 0x0f, 0x07};
    unsigned cp = s[0] & lead_mask[n];

    for (size_t i = 1; i < n; i++)
        cp = cp << 6 | (s[i] & 0x3f);
    return cp;
}

/* Code points that change what a terminal shows beyond their own glyph. */
static bool invisible_control(unsigned cp)
{
    return (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 ||
           (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

void ev_buf_put_escaped(ev_buf *b, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;

    while (p < end) {
        size_t n = *p < 0x80 ? 1 : utf8_seq_len(p, end);
        if (n == 0) {
            ev_buf_printf(b, "\\x%02x", *p++);
            continue;
        }
        if (n == 1) {
            switch (*p) {
            case '\n': ev_buf_puts(b, "\\n"); break;
            case '\r': ev_buf_puts(b, "\\r"); break;
            case '\t': ev_buf_puts(b, "\\t"); break;
            case '\\': ev_buf_puts(b, "\\\\"); break;
            default:
                if (*p < 0x20 || *p == 0x7f)
                    ev_buf_printf(b, "\\x%02x", *p);
                else
                    ev_buf_putc(b, (char)*p);
            }
        } else if (invisible_control(utf8_code_point(p, n))) {
            ev_buf_printf(b, "\\u%04x", utf8_code_point(p, n));
        } else {
            ev_buf_append(b, p, n);
        }
        p += n;
    }
}

char **ev_split(const char *list, char sep, size_t *n)
{
    char **v = NULL;
    size_t cap = 0, count = 0;
    const char *p = list;

    while (p && *p) {
        const char *end = strchr(p, sep);
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *s = p;
        while (len && (*s == ' ' || *s == '\t'))
            s++, len--;
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        if (len) {
            v = ev_grow(v, &cap, count + 2, sizeof *v);
            v[count++] = ev_strndup(s, len);
        }
        p = end ? end + 1 : NULL;
    }
    v = ev_grow(v, &cap, count + 1, sizeof *v);
    v[count] = NULL;
    if (n)
        *n = count;
    return v;
}

void ev_strv_free(char **v)
{
    if (!v)
        return;
    for (char **p = v; *p; p++)
        free(*p);
    free(v);
}

/* ---- logging ----------------------------------------------------------- */

static const char *log_progname = "evidenced";
static ev_log_level log_max = EV_LOG_INFO;
static int log_journal = -1;

static const char *const level_names[] = {
    [EV_LOG_ERR] = "err",     [EV_LOG_WARNING] = "warning",
    [EV_LOG_NOTICE] = "notice", [EV_LOG_INFO] = "info",
    [EV_LOG_DEBUG] = "debug",
};

void ev_log_setup(const char *progname, ev_log_level max_level)
{
    log_progname = progname;
    log_max = max_level;
    log_journal = getenv("JOURNAL_STREAM") != NULL;
}

int ev_log_level_parse(const char *name)
{
    for (size_t i = EV_LOG_ERR; i < EV_ARRAY_LEN(level_names); i++)
        if (level_names[i] && strcmp(level_names[i], name) == 0)
            return (int)i;
    return -1;
}

void ev_log(ev_log_level level, const char *fmt, ...)
{
    char raw[1024];
    ev_buf line = {0};
    va_list ap;

    if (level > log_max)
        return;
    if (log_journal < 0)
        log_journal = getenv("JOURNAL_STREAM") != NULL;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    /* Messages carry file names, which anyone who may write to the evidence
     * folder chooses: one message must stay one line, as written. */
    ev_buf_put_escaped(&line, raw, strlen(raw));
    /* One fprintf per line so concurrent threads never interleave a line. */
    if (log_journal)
        fprintf(stderr, "<%d>%s\n", (int)level, line.data ? line.data : "");
    else
        fprintf(stderr, "%s: %s: %s\n", log_progname, level_names[level],
                line.data ? line.data : "");
    ev_buf_free(&line);
}

const char *ev_build_path(const char *rel)
{
    static _Thread_local char path[PATH_MAX];
    size_t len = strlen(EV_BUILD_DIR);
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);

    if (n <= 0)
        return NULL;
    self[n] = '\0';
    if (strncmp(self, EV_BUILD_DIR, len) != 0 || self[len] != '/')
        return NULL;
    if ((size_t)snprintf(path, sizeof path, "%s/%s", EV_BUILD_DIR, rel) >= sizeof path)
        return NULL;
    return path;
}

bool ev_write_all(int fd, const void *p, size_t len)
{
    const char *at = p;

    while (len > 0) {
        ssize_t n = write(fd, at, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        at += n;
        len -= (size_t)n;
    }
    return true;
}
