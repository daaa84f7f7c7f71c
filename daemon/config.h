/*
 * config.h: evidenced's configuration — /etc/evidenced/evidenced.conf (INI,
 * read with inih), then the command-line flags on top.
 *
 * The file is organised in sections; see evidenced.conf(5):
 *   [paths]   watch, state, socket, catalog, extractor
 *   [policy]  categories (comma-separated ids), organisation (names, '|'
 *             between them: Chinese, English and former names)
 *   [scan]    settle_ms, scrub_hours, workers
 *   [limits]  max_file_size, max_text, max_entries, max_pages, max_attributes,
 *             reply_buffer, request_buffer, extract_memory (sizes take K, M,
 *             G), extract_time, idle_timeout (60s, 500ms)
 *   [ocr]     ocr (on, off), languages, dpi, max_pages, max_pixels,
 *             page_time (scans.h's options; on by default)
 *   [log]     level (err, warning, notice, info, debug)
 * A wrong key or value is an error that names the file, the line and the
 * key; the daemon refuses to start (or, on SIGHUP, keeps the old one).
 */
#ifndef EV_CONFIG_H
#define EV_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "doc.h"
#include "ev.h"
#include "extractor.h"

/* Where `cmake --install` puts the configuration: /etc/evidenced for the
 * /usr prefix of a package, <prefix>/etc/evidenced otherwise. */
#ifndef EV_SYSCONF_DIR
#define EV_SYSCONF_DIR "/etc/evidenced"
#endif
#define CONFIG_DEFAULT_PATH EV_SYSCONF_DIR "/evidenced.conf"
#define CONFIG_DEFAULT_REPLY_BUFFER (32u << 20)
#define CONFIG_DEFAULT_REQUEST_BUFFER (8u << 20)
#define CONFIG_DEFAULT_IDLE_TIMEOUT_MS 60000u

typedef struct config {
    char *path;             /* the file read, or NULL when none */
    char *watch;            /* the evidence folder */
    char *state;            /* state directory: ledger, keys */
    char *socket;           /* control socket path */
    char *catalog;          /* catalog.xml */
    char *extractor;        /* the extractor program; NULL: extractor_default_program() */
    char **categories;      /* declared category ids */
    size_t ncategories;
    char *categories_at;    /* "file:line" they were read from; NULL: the command line */
    char **org_names;       /* the organisation's names */
    size_t norg_names;
    unsigned settle_ms;     /* quiet time after the last write before parsing */
    unsigned scrub_hours;   /* periodic full re-hash; 0 = never */
    unsigned workers;       /* parser threads; 0 = one per core */
    doc_limits limits;
    size_t reply_buffer;    /* clients' unread replies, all together */
    size_t request_buffer;  /* clients' requests read but not served, all together */
    unsigned idle_timeout_ms;   /* a client with nothing pending is closed after */
    unsigned extract_time_ms;   /* one document's time in its extractor */
    uint64_t extract_memory;    /* an extractor's address space */
    bool ocr;                   /* read scans by OCR */
    char ocr_languages[64];
    doc_ocr_options ocr_options;    /* .languages unset: ocr_languages says (a
                                       config is copied whole on reload) */
    int log_level;          /* ev_log_level */
} config;

/* Defaults: no watch folder (it must be set), state /var/lib/evidenced,
 * socket /run/evidenced/evidenced.sock, catalog from the installed data,
 * settle 500 ms, no scrub, workers per core, parser default limits, info. */
void config_defaults(config *c);

/*
 * Read `path` over the values already in *c. A missing file is an error
 * only when `required` (it was named with --config). Returns EV_OK or
 * EV_EINVAL with "file:line: ..." in err.
 */
ev_code config_load(config *c, const char *path, bool required, ev_error *err);

/* Set one value by its file name ("paths.watch", "policy.categories", ...),
 * as the flags do. EV_EINVAL with a message naming the key if bad. */
ev_code config_set(config *c, const char *section, const char *key,
                   const char *value, ev_error *err);

/* After loading: what must hold before the daemon starts (watch set, etc.). */
ev_code config_check(const config *c, ev_error *err);

void config_free(config *c);

#endif
