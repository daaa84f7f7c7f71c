/*
 * extract.c: `evidencectl extract [--json|--text] FILE...` — offline, no
 * daemon. --text prints each document's text in reading order; --json
 * prints its evidence record (one JSON object per line). A rejected file
 * is reported and the others are still processed; the exit status is 1
 * when any file was rejected.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "doc.h"
#include "ev.h"
#include "evidence.h"
#include "safe.h"

static bool print_text(const char *path, bool banner, ev_buf *text)
{
    ev_error err;
    void *data = NULL;
    size_t len = 0;
    doc *d = NULL;

    ev_error_clear(&err);
    if (doc_read_file(path, NULL, &data, &len, &err) == EV_OK)
        doc_parse(data, len, NULL, &d, &err);
    free(data);
    if (!d) {
        char *shown = safe_strdup(path), *why = safe_strdup(err.message);
        fprintf(stderr, "evidencectl: %s: %s: %s\n", shown, ev_code_name(err.code), why);
        free(shown);
        free(why);
        return false;
    }
    /* The banner is the client's line, so its file name is escaped; the
     * text below it is the document's own and printed as it is. */
    if (banner) {
        fputs("==> ", stdout);
        safe_fputs(path, stdout);
        fputs(" <==\n", stdout);
    }
    ev_buf_reset(text);
    doc_write_text(d, text);
    fwrite(text->data ? text->data : "", 1, text->len, stdout);
    doc_free(d);
    return true;
}

static bool print_record(const catalog *cat, const char *path)
{
    ev_error err;
    void *data = NULL;
    size_t len = 0;
    evidence *e;
    json_t *o;
    bool ok;

    ev_error_clear(&err);
    if (doc_read_file(path, NULL, &data, &len, &err) != EV_OK) {
        o = json_pack("{s:s, s:{s:s, s:s}}", "path", path, "error", "code",
                      ev_code_name(err.code), "message", err.message);
        ctl_print_json(o);
        json_decref(o);
        return false;
    }
    e = evidence_analyze(cat, path, data, len, NULL, true);
    free(data);
    o = evidence_to_json(e, false);
    ctl_print_json(o);
    json_decref(o);
    ok = e->error == EV_OK;
    evidence_free(e);
    return ok;
}

int cmd_extract(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"text", no_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool json = false, text_asked = false;
    int status = CTL_OK, c;
    catalog *cat = NULL;
    ev_buf text = {0};

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = true; break;
        case 't': text_asked = true; break;
        case 'h': return ctl_help("extract");
        default: return ctl_usage("extract");
        }
    }
    if (json && text_asked) {
        fputs("evidencectl: extract: --json and --text conflict; give one\n", stderr);
        return ctl_usage("extract");
    }
    if (optind >= argc)
        return ctl_usage("extract");
    doc_init();
    if (json && !(cat = ctl_load_catalog(false)))
        return CTL_FAILED;
    for (int i = optind; i < argc; i++) {
        bool ok = json ? print_record(cat, argv[i])
                       : print_text(argv[i], argc - optind > 1, &text);
        if (!ok)
            status = CTL_FAILED;
    }
    ev_buf_free(&text);
    catalog_free(cat);
    return status;
}
