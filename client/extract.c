/*
 * extract.c: `evidencectl extract [--json|--text] FILE...` — parse documents
 * offline, without the daemon, and print their text or their JSON record.
 * A rejected file is reported and the others are still processed; the exit
 * status is 1 when any file was rejected.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctl.h"
#include "doc.h"
#include "ev.h"
#include "sha256.h"

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *meta_json(const doc_meta *m)
{
    json_t *o = json_object();
    const struct { const char *key; const char *val; } f[] = {
        {"title", m->title}, {"subject", m->subject}, {"creator", m->creator},
        {"description", m->description}, {"keywords", m->keywords},
        {"created", m->created}, {"modified", m->modified},
        {"last_modified_by", m->last_modified_by}, {"revision", m->revision},
        {"application", m->application}, {"company", m->company},
        {"template", m->template_name},
    };
    for (size_t i = 0; i < EV_ARRAY_LEN(f); i++)
        if (f[i].val)
            json_object_set_new(o, f[i].key, json_string(f[i].val));
    return o;
}

/* The document's title: the metadata title if set, else the first heading. */
static const char *doc_title(const doc *d)
{
    for (size_t i = 0; i < d->nblocks; i++)
        if (d->blocks[i].kind == DOC_BLOCK_HEADING && d->blocks[i].part == DOC_PART_BODY)
            return doc_block_text(d, &d->blocks[i]);
    return d->meta.title;
}

static json_t *doc_json(const char *path, size_t size, const char *sha, const doc *d)
{
    json_t *o = json_object();
    json_t *warnings = json_array();

    json_object_set_new(o, "path", json_string(path));
    json_object_set_new(o, "format", json_string(doc_format_name(d->format)));
    json_object_set_new(o, "size", json_integer((json_int_t)size));
    json_object_set_new(o, "sha256", json_string(sha));
    json_object_set_new(o, "kind", json_null());
    json_object_set_new(o, "topic", json_null());
    json_object_set_new(o, "language", str_or_null(doc_language(d)));
    json_object_set_new(o, "title", str_or_null(doc_title(d)));
    json_object_set_new(o, "fields", json_object());
    json_object_set_new(o, "metadata", meta_json(&d->meta));
    json_object_set_new(o, "text_chars", json_integer((json_int_t)d->text_chars));
    for (unsigned bit = 1; bit < (1u << DOC_WARN_COUNT); bit <<= 1)
        if (d->warnings & bit)
            json_array_append_new(warnings, json_string(doc_warning_name(bit)));
    json_object_set_new(o, "warnings", warnings);
    return o;
}

static json_t *error_json(const char *path, const ev_error *err)
{
    return json_pack("{s:s, s:{s:s, s:s}}", "path", path, "error", "code",
                     ev_code_name(err->code), "message", err->message);
}

static void print_json(json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (s) {
        puts(s);
        free(s);
    }
    json_decref(o);
}

int cmd_extract(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"text", no_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    bool json = false;
    int status = CTL_OK, c;
    ev_buf text = {0};

    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = true; break;
        case 't': json = false; break;
        default:
            fputs("usage: evidencectl extract [--json|--text] FILE...\n", stderr);
            return CTL_USAGE;
        }
    }
    if (optind >= argc) {
        fputs("usage: evidencectl extract [--json|--text] FILE...\n", stderr);
        return CTL_USAGE;
    }
    doc_init();
    for (int i = optind; i < argc; i++) {
        const char *path = argv[i];
        ev_error err;
        void *data = NULL;
        size_t len = 0;
        doc *d = NULL;
        char sha[EV_SHA256_HEX_LEN + 1];

        ev_error_clear(&err);
        if (doc_read_file(path, NULL, &data, &len, &err) == EV_OK)
            doc_parse(data, len, NULL, &d, &err);
        if (!d) {
            status = CTL_FAILED;
            if (json)
                print_json(error_json(path, &err));
            else
                fprintf(stderr, "evidencectl: %s: %s: %s\n", path,
                        ev_code_name(err.code), err.message);
        } else if (json) {
            ev_sha256_hex(data, len, sha);
            print_json(doc_json(path, len, sha, d));
        } else {
            if (argc - optind > 1)
                printf("==> %s <==\n", path);
            ev_buf_reset(&text);
            doc_write_text(d, &text);
            fwrite(text.data ? text.data : "", 1, text.len, stdout);
        }
        doc_free(d);
        free(data);
    }
    ev_buf_free(&text);
    return status;
}
