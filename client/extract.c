/*
 * extract.c: `evidencectl extract [--json] [--text] FILE...` — offline, no
 * daemon. --text prints each document's text in reading order; --json
 * prints its evidence record (one JSON object per line); both print its
 * blocks as JSON, each with its source (the file's text, OCR, a seal) and
 * OCR's confidence, so a reader can see how a scan was read. A rejected file
 * is reported and the others are still processed; the exit status is 1
 * when any file was rejected. Documents are read by a sandboxed extractor
 * process, as the daemon reads them (--no-sandbox: in this process, for
 * debugging).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "doc.h"
#include "ev.h"
#include "evidence.h"
#include "extractor.h"
#include "progress.h"
#include "safe.h"

static void print_rejection(const char *path, const ev_error *err)
{
    char *shown = safe_strdup(path), *why = safe_strdup(err->message);
    fprintf(stderr, "evidencectl: %s: %s: %s\n", shown, ev_code_name(err->code), why);
    free(shown);
    free(why);
}

/* --json --text: {path, blocks} per file, one line each. */
static bool print_blocks(extractor *x, const char *path, ev_buf *text)
{
    ev_error err;
    json_t *blocks, *o;

    ev_error_clear(&err);
    ev_buf_reset(text);
    if (extractor_text_file(x, path, true, text, &err) != EV_OK) {
        o = json_pack("{s:s, s:{s:s, s:s}}", "path", path, "error", "code",
                      ev_code_name(err.code), "message", err.message);
        ctl_print_json(o);
        json_decref(o);
        return false;
    }
    blocks = json_loadb(text->data ? text->data : "", text->len, 0, NULL);
    o = json_pack("{s:s, s:o}", "path", path, "blocks", blocks ? blocks : json_array());
    ctl_print_json(o);
    json_decref(o);
    return true;
}

static bool print_text(extractor *x, const char *path, bool banner, ev_buf *text)
{
    ev_error err;

    ev_error_clear(&err);
    ev_buf_reset(text);
    if (extractor_text_file(x, path, false, text, &err) != EV_OK) {
        print_rejection(path, &err);
        return false;
    }
    /* The banner is the client's line, so its file name is escaped; the
     * text below it is the document's own and printed as it is. */
    if (banner) {
        fputs("==> ", stdout);
        safe_fputs(path, stdout);
        fputs(" <==\n", stdout);
    }
    fwrite(text->data ? text->data : "", 1, text->len, stdout);
    return true;
}

static bool print_record(extractor *x, const char *path)
{
    ev_error err;
    evidence *e;
    json_t *o;
    bool ok;

    ev_error_clear(&err);
    e = extractor_record_file(x, path, path, true, &err);
    if (!e) {
        o = json_pack("{s:s, s:{s:s, s:s}}", "path", path, "error", "code",
                      ev_code_name(err.code), "message", err.message);
        ctl_print_json(o);
        json_decref(o);
        return false;
    }
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
        {"no-sandbox", no_argument, NULL, 'n'},
        {"no-ocr", no_argument, NULL, 'O'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool json = false, text_asked = false, no_sandbox = false, ocr = true;
    int status = CTL_OK, c;
    catalog *cat = NULL;
    extractor *x;
    progress *prog;
    ev_buf text = {0};

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = true; break;
        case 't': text_asked = true; break;
        case 'n': no_sandbox = true; break;
        case 'O': ocr = false; break;
        case 'h': return ctl_help("extract");
        default: return ctl_usage("extract");
        }
    }
    if (optind >= argc)
        return ctl_usage("extract");
    doc_init();
    if (json && !(cat = ctl_load_catalog(false)))
        return CTL_FAILED;
    if (!(x = ctl_extractor(cat, no_sandbox, ocr))) {
        catalog_free(cat);
        return CTL_FAILED;
    }
    /* Not over output on the same terminal, nor for one file. */
    prog = progress_new("files", (size_t)(argc - optind),
                        argc - optind < 2 || isatty(STDOUT_FILENO));
    for (int i = optind; i < argc; i++) {
        bool ok = json && text_asked ? print_blocks(x, argv[i], &text)
                  : json ? print_record(x, argv[i])
                         : print_text(x, argv[i], argc - optind > 1, &text);
        if (!ok)
            status = CTL_FAILED;
        progress_step(prog);
    }
    progress_end(prog);
    extractor_free(x);
    ev_buf_free(&text);
    catalog_free(cat);
    return status;
}
