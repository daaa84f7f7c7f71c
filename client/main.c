/* main.c: evidencectl — global options, command dispatch and usage. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "ev.h"
#include "evidence.h"

#define DEFAULT_SOCKET "/run/evidenced/evidenced.sock"

ctl_options ctl_opts = {.socket = DEFAULT_SOCKET};

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"status", cmd_status},     {"requirement", cmd_requirement},
    {"documents", cmd_documents}, {"document", cmd_document},
    {"history", cmd_history},   {"watch", cmd_watch},
    {"rescan", cmd_rescan},     {"verify", cmd_verify},
    {"version", cmd_version},   {"extract", cmd_extract},
    {"audit", cmd_audit},
};

static void usage(FILE *f)
{
    fputs("usage: evidencectl [--socket PATH] [--catalog FILE] COMMAND [ARGS]\n"
          "  status [--as-of YYYY-MM-DD] [--json [--brief]]\n"
          "  requirement ID [--as-of DATE] [--json]\n"
          "  documents [--kind KIND] [--json]\n"
          "  document PATH [--json]\n"
          "  history [--since SEQ] [--limit N] [--json]\n"
          "  watch\n"
          "  rescan\n"
          "  verify [--state DIR] [--json]\n"
          "  version\n"
          "  extract [--json|--text] FILE...             (offline)\n"
          "  audit DIR [--categories ID,ID] [--as-of DATE] [--json]   (offline)\n"
          "see evidencectl(1)\n", f);
}

catalog *ctl_load_catalog(void)
{
    const char *path = ctl_opts.catalog ? ctl_opts.catalog : catalog_default_path();
    catalog *cat = NULL;
    ev_error err;

    ev_error_clear(&err);
    if (catalog_load(path, &cat, &err) != EV_OK) {
        fprintf(stderr, "evidencectl: catalog: %s\n", err.message);
        return NULL;
    }
    return cat;
}

void ctl_print_json(const json_t *o)
{
    char *s = json_dumps(o, EVIDENCE_JSON_FLAGS);
    if (s) {
        puts(s);
        free(s);
    }
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"socket", required_argument, NULL, 's'},
        {"catalog", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    ev_log_setup("evidencectl", EV_LOG_WARNING);
    if (getenv("EVIDENCED_SOCKET") && *getenv("EVIDENCED_SOCKET"))
        ctl_opts.socket = getenv("EVIDENCED_SOCKET");
    /* Options before the command only: "+" stops at the first non-option. */
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
        case 's': ctl_opts.socket = optarg; break;
        case 'c': ctl_opts.catalog = optarg; break;
        case 'h': usage(stdout); return CTL_OK;
        default: usage(stderr); return CTL_USAGE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return CTL_USAGE;
    }
    for (size_t i = 0; i < EV_ARRAY_LEN(commands); i++) {
        if (strcmp(argv[optind], commands[i].name) == 0) {
            char **args = argv + optind;
            int n = argc - optind;
            optind = 0;     /* each command parses its own options; 0 re-initialises GNU getopt */
            return commands[i].run(n, args);
        }
    }
    fprintf(stderr, "evidencectl: unknown command '%s'\n", argv[optind]);
    usage(stderr);
    return CTL_USAGE;
}
