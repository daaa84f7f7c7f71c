/* config.c: the INI file and the flags, with errors that name the line. */
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"

void config_defaults(config *c)
{
    memset(c, 0, sizeof *c);
    c->state = ev_strdup("/var/lib/evidenced");
    c->socket = ev_strdup("/run/evidenced/evidenced.sock");
    c->catalog = ev_strdup(catalog_default_path());
    c->settle_ms = 500;
    c->log_level = EV_LOG_INFO;
    doc_limits_default(&c->limits);
    c->reply_buffer = CONFIG_DEFAULT_REPLY_BUFFER;
    c->request_buffer = CONFIG_DEFAULT_REQUEST_BUFFER;
    c->idle_timeout_ms = CONFIG_DEFAULT_IDLE_TIMEOUT_MS;
    c->extract_time_ms = EXTRACTOR_TIME_MS;
    c->extract_memory = EXTRACTOR_MEMORY;
    c->ocr = true;
    doc_ocr_options_default(&c->ocr_options);
    snprintf(c->ocr_languages, sizeof c->ocr_languages, "%s", c->ocr_options.languages);
    c->ocr_options.languages = NULL;
}

static bool parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    unsigned long long v;

    errno = 0;
    if (!*s || *s == '-')
        return false;
    v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return false;
    *out = v;
    return true;
}

/* "90s", "500ms", "2m", or seconds: "60" */
static bool parse_duration_ms(const char *s, unsigned long long max_ms, unsigned long long *out)
{
    char *end;
    unsigned long long v, mul = 1000;

    errno = 0;
    if (!*s || *s == '-')
        return false;
    v = strtoull(s, &end, 10);
    if (errno || end == s)
        return false;
    if (strcmp(end, "ms") == 0)
        mul = 1;
    else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
        mul = 60000;
    else if (*end && strcmp(end, "s") != 0)
        return false;
    if (v == 0 || v > max_ms / mul)
        return false;
    *out = v * mul;
    return true;
}

/* "64M", "512K", "1G", "1048576" */
static bool parse_size(const char *s, size_t *out)
{
    char *end;
    unsigned long long v, mul = 1;

    errno = 0;
    if (!*s || *s == '-')
        return false;
    v = strtoull(s, &end, 10);
    if (errno || end == s)
        return false;
    if (*end) {
        switch (*end) {
        case 'k': case 'K': mul = 1ull << 10; break;
        case 'm': case 'M': mul = 1ull << 20; break;
        case 'g': case 'G': mul = 1ull << 30; break;
        default: return false;
        }
        if (end[1] && strcmp(end + 1, "B") != 0 && strcmp(end + 1, "iB") != 0)
            return false;
    }
    if (v == 0 || v > (unsigned long long)SIZE_MAX / mul)
        return false;
    *out = (size_t)(v * mul);
    return true;
}

static void set_str(char **slot, const char *value)
{
    free(*slot);
    *slot = ev_strdup(value);
}

ev_code config_set(config *c, const char *section, const char *key,
                   const char *value, ev_error *err)
{
    unsigned long long n;
    size_t sz;

#define IS(s, k) (strcmp(section, s) == 0 && strcmp(key, k) == 0)
    char **path_slot = IS("paths", "watch") ? &c->watch
                     : IS("paths", "state") ? &c->state
                     : IS("paths", "socket") ? &c->socket
                     : IS("paths", "catalog") ? &c->catalog
                     : IS("paths", "extractor") ? &c->extractor : NULL;
    if (path_slot) {
        if (value[0] != '/')
            return ev_fail(err, EV_EINVAL, "%s.%s must be an absolute path, not '%s'",
                           section, key, value);
        set_str(path_slot, value);
    } else if (IS("policy", "categories")) {
        ev_strv_free(c->categories);
        c->categories = ev_split(value, ',', &c->ncategories);
        free(c->categories_at);     /* config_load says where, if it was there */
        c->categories_at = NULL;
    } else if (IS("policy", "organisation")) {
        ev_strv_free(c->org_names);
        c->org_names = ev_split(value, '|', &c->norg_names);
    } else if (IS("scan", "settle_ms")) {
        if (!parse_uint(value, 600000, &n))
            return ev_fail(err, EV_EINVAL, "scan.settle_ms must be 0..600000, not '%s'", value);
        c->settle_ms = (unsigned)n;
    } else if (IS("scan", "scrub_hours")) {
        if (!parse_uint(value, 24 * 366, &n))
            return ev_fail(err, EV_EINVAL, "scan.scrub_hours must be 0..8784, not '%s'", value);
        c->scrub_hours = (unsigned)n;
    } else if (IS("scan", "workers")) {
        if (!parse_uint(value, 64, &n))
            return ev_fail(err, EV_EINVAL, "scan.workers must be 0..64, not '%s'", value);
        c->workers = (unsigned)n;
    } else if (IS("limits", "max_file_size") || IS("limits", "max_text")) {
        if (!parse_size(value, &sz))
            return ev_fail(err, EV_EINVAL, "%s.%s must be a size such as 64M, not '%s'",
                           section, key, value);
        if (key[4] == 'f')
            c->limits.max_file_size = sz;
        else
            c->limits.max_text = sz;
    } else if (IS("limits", "reply_buffer")) {
        if (!parse_size(value, &sz) || sz < (1u << 20))
            return ev_fail(err, EV_EINVAL, "limits.reply_buffer must be a size of at least "
                           "1M, such as 64M, not '%s'", value);
        c->reply_buffer = sz;
    } else if (IS("limits", "request_buffer")) {
        /* Room for a request of the largest size (1M) and more. */
        if (!parse_size(value, &sz) || sz < (2u << 20))
            return ev_fail(err, EV_EINVAL, "limits.request_buffer must be a size of at least "
                           "2M, such as 8M, not '%s'", value);
        c->request_buffer = sz;
    } else if (IS("limits", "idle_timeout")) {
        if (!parse_duration_ms(value, 86400000, &n) || n < 1000)
            return ev_fail(err, EV_EINVAL, "limits.idle_timeout must be a time of 1 s to 1 day, "
                           "such as 60s or 5m, not '%s'", value);
        c->idle_timeout_ms = (unsigned)n;
    } else if (IS("limits", "extract_time")) {
        if (!parse_duration_ms(value, 3600000, &n))
            return ev_fail(err, EV_EINVAL, "limits.extract_time must be a time of at most 1 hour, "
                           "such as 60s or 500ms, not '%s'", value);
        c->extract_time_ms = (unsigned)n;
    } else if (IS("limits", "extract_memory")) {
        if (!parse_size(value, &sz) || sz < (64u << 20))
            return ev_fail(err, EV_EINVAL, "limits.extract_memory must be a size of at least "
                           "64M, such as 1G, not '%s'", value);
        c->extract_memory = sz;
    } else if (IS("limits", "max_entries")) {
        if (!parse_uint(value, 1000000, &n) || n == 0)
            return ev_fail(err, EV_EINVAL, "limits.max_entries must be 1..1000000, not '%s'",
                           value);
        c->limits.max_entries = (size_t)n;
    } else if (IS("limits", "max_pages")) {
        if (!parse_uint(value, 1000000, &n) || n == 0)
            return ev_fail(err, EV_EINVAL, "limits.max_pages must be 1..1000000, not '%s'", value);
        c->limits.max_pages = (unsigned)n;
    } else if (IS("limits", "max_attributes")) {
        /* libxml2's cost is quadratic in them: 4096 is still cheap. */
        if (!parse_uint(value, 4096, &n) || n == 0)
            return ev_fail(err, EV_EINVAL, "limits.max_attributes must be 1..4096, not '%s'",
                           value);
        c->limits.max_attributes = (unsigned)n;
    } else if (IS("ocr", "ocr")) {
        if (strcmp(value, "on") != 0 && strcmp(value, "off") != 0)
            return ev_fail(err, EV_EINVAL, "ocr.ocr must be on or off, not '%s'", value);
        c->ocr = value[1] == 'n';
    } else if (IS("ocr", "languages")) {
        /* Tesseract's names: letters, digits and '_', joined by '+'. */
        if (!*value || strlen(value) >= sizeof c->ocr_languages ||
            strspn(value, "abcdefghijklmnopqrstuvwxyz0123456789_+") != strlen(value))
            return ev_fail(err, EV_EINVAL, "ocr.languages must be Tesseract language names "
                           "joined by '+', such as chi_sim+eng, not '%s'", value);
        snprintf(c->ocr_languages, sizeof c->ocr_languages, "%s", value);
    } else if (IS("ocr", "dpi")) {
        if (!parse_uint(value, 600, &n) || n < 100)
            return ev_fail(err, EV_EINVAL, "ocr.dpi must be 100..600, not '%s'", value);
        c->ocr_options.dpi = (unsigned)n;
    } else if (IS("ocr", "max_pages")) {
        if (!parse_uint(value, 100000, &n) || n == 0)
            return ev_fail(err, EV_EINVAL, "ocr.max_pages must be 1..100000, not '%s'", value);
        c->ocr_options.max_pages = (unsigned)n;
    } else if (IS("ocr", "max_pixels")) {
        if (!parse_uint(value, 1000000000, &n) || n < 1000000)
            return ev_fail(err, EV_EINVAL, "ocr.max_pixels must be 1000000..1000000000, "
                           "not '%s'", value);
        c->ocr_options.max_pixels = n;
    } else if (IS("ocr", "page_time")) {
        if (!parse_duration_ms(value, 3600000, &n) || n < 1000)
            return ev_fail(err, EV_EINVAL, "ocr.page_time must be a time of 1 s to 1 hour, "
                           "such as 60s, not '%s'", value);
        c->ocr_options.page_time_ms = (unsigned)n;
    } else if (IS("log", "level")) {
        int lvl = ev_log_level_parse(value);
        if (lvl < 0)
            return ev_fail(err, EV_EINVAL,
                           "log.level must be err, warning, notice, info or debug, not '%s'",
                           value);
        c->log_level = lvl;
    } else {
        return ev_fail(err, EV_EINVAL, "unknown key '%s' in section [%s]", key, section);
    }
#undef IS
    return EV_OK;
}

typedef struct load_ctx {
    config *c;
    const char *path;
    FILE *f;
    int line;               /* of the line inih handles now */
    ev_error first;         /* what the first bad key was; inih gives its line */
} load_ctx;

/* fgets, counting lines: inih does not tell its handler the line, and
 * checks made after loading (the categories against the catalog) name it. */
static char *read_line(char *buf, int size, void *stream)
{
    load_ctx *lc = stream;
    char *s = fgets(buf, size, lc->f);

    if (s && (!*s || s[strlen(s) - 1] == '\n' || feof(lc->f)))
        lc->line++;
    return s;
}

static int on_ini(void *user, const char *section, const char *name, const char *value)
{
    load_ctx *lc = user;

    if (lc->first.code != EV_OK)
        return 1;
    if (config_set(lc->c, section, name, value, &lc->first) != EV_OK)
        return 0;
    if (strcmp(section, "policy") == 0 && strcmp(name, "categories") == 0)
        lc->c->categories_at = ev_asprintf("%s:%d", lc->path, lc->line);
    return 1;
}

ev_code config_load(config *c, const char *path, bool required, ev_error *err)
{
    load_ctx lc = {.c = c, .path = path};
    FILE *f = fopen(path, "re");
    int rc;

    lc.f = f;
    if (!f) {
        if (!required && errno == ENOENT)
            return EV_OK;
        return ev_fail(err, EV_EINVAL, "%s: %s", path, strerror(errno));
    }
    ev_error_clear(&lc.first);
    /* inih returns the line of the first error, ours or its own. */
    rc = ini_parse_stream(read_line, &lc, on_ini, &lc);
    fclose(f);
    if (rc > 0)
        return ev_fail(err, EV_EINVAL, "%s:%d: %s", path, rc,
                       lc.first.code ? lc.first.message
                                     : "not a 'key = value' line or a [section]");
    if (rc != 0)
        return ev_fail(err, EV_EINVAL, "%s: cannot be read", path);
    set_str(&c->path, path);
    return EV_OK;
}

ev_code config_check(const config *c, ev_error *err)
{
    if (!c->watch)
        return ev_fail(err, EV_EINVAL,
                       "no evidence folder: set paths.watch in %s or use --watch",
                       c->path ? c->path : CONFIG_DEFAULT_PATH);
    return EV_OK;
}

void config_free(config *c)
{
    free(c->path);
    free(c->watch);
    free(c->state);
    free(c->socket);
    free(c->catalog);
    free(c->extractor);
    ev_strv_free(c->categories);
    free(c->categories_at);
    ev_strv_free(c->org_names);
    memset(c, 0, sizeof *c);
}
