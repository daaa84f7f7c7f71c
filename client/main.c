/* main.c: evidencectl — global options, command dispatch and usage. */
#include <assert.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "date.h"
#include "ev.h"
#include "evidence.h"
#include "extractor.h"
#include "safe.h"

#define DEFAULT_SOCKET "/run/evidenced/evidenced.sock"

ctl_options ctl_opts = {.socket = DEFAULT_SOCKET};

static int cmd_help(int argc, char **argv);

/* Each command's synopsis and, for its --help, what its options mean. The
 * top-level usage lists the synopses, so both always agree. */
static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *synopsis;
    const char *notes;          /* for --help: what the options mean */
} commands[] = {
    {"status", cmd_status, "status [--as-of YYYY-MM-DD] [--all] [--json [--brief]]",
     "The evaluation of every requirement (for --as-of: on that day), the ledger head\n"
     "and the scan progress; --json adds every document unless --brief. Evidence\n"
     "lists longer than 11 show their first 10 unless --all.\n"},
    {"requirement", cmd_requirement, "requirement ID [--as-of YYYY-MM-DD] [--all] [--json]",
     "One requirement's evaluation, e.g. record.projects; --all: its evidence list\n"
     "whole, however long.\n"},
    {"documents", cmd_documents, "documents [--kind KIND[/TOPIC]] [--topic TOPIC] [--json]",
     "The documents in the folder; --kind: only those of that catalog kind, as\n"
     "the list shows it (procedure/finance: the procedures of that topic);\n"
     "--topic: only the procedures of that topic.\n"},
    {"document", cmd_document, "document PATH [--json]",
     "One document's fields and history. PATH is relative to the watched folder,\n"
     "or absolute (or ./...) and inside it.\n"},
    {"history", cmd_history, "history [--since SEQ] [--limit N] [--json]",
     "Ledger events, oldest first: those after seq SEQ (exclusive; default 0,\n"
     "from the first event), at most N of them (default 1000).\n"},
    {"watch", cmd_watch, "watch [--json]", "Print ledger events as they happen.\n"},
    {"rescan", cmd_rescan, "rescan", "Reconcile the folder with the ledger now.\n"},
    {"verify", cmd_verify, "verify [--state DIR [--folder DIR]] [--json]",
     "Ask the daemon to check the ledger and the files; with --state, check a copy\n"
     "of the state directory offline, and with --folder the evidence folder too.\n"},
    {"version", cmd_version, "version",
     "The versions of evidencectl, evidenced and the daemon's catalog\n"
     "(evidencectl --version: evidencectl's alone, without the daemon).\n"},
    {"help", cmd_help, "help [COMMAND]",
     "This list of commands, or what COMMAND's options mean (as COMMAND --help).\n"},
    {"extract", cmd_extract, "extract [--json|--text] [--no-sandbox] FILE...   (offline)",
     "Each document's text in reading order (--text, the default), or its record\n"
     "as one JSON line (--json). Documents are read by sandboxed extractor\n"
     "processes, as the daemon reads them; --no-sandbox reads them in this\n"
     "process, for debugging. With several files, output redirected and stderr\n"
     "a terminal, stderr shows the files read so far.\n"},
    {"audit", cmd_audit,
     "audit DIR [--categories ID,ID] [--as-of YYYY-MM-DD]\n"
     "        [--organisation 'NAME|NAME'] [--all] [--no-sandbox] [--json]   (offline)",
     "Evaluate every file below DIR as the daemon would; exit 0 only when every\n"
     "applicable requirement is met. Evidence lists longer than 11 show their\n"
     "first 10 unless --all. On a terminal, stderr shows the files read so far.\n"},
};

static void usage(FILE *f)
{
    fputs("usage: evidencectl [--socket PATH] [--catalog FILE] COMMAND [ARGS]\n"
          "       evidencectl --version\n", f);
    for (size_t i = 0; i < EV_ARRAY_LEN(commands); i++)
        fprintf(f, "  %s\n", commands[i].synopsis);
    fputs("every command takes --help; see evidencectl(1)\n", f);
}

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < EV_ARRAY_LEN(commands); i++)
        if (strcmp(name, commands[i].name) == 0)
            return &commands[i];
    return NULL;
}

int ctl_help(const char *command)
{
    const struct command *c = find_command(command);

    assert(c);
    printf("usage: evidencectl %s\n", c->synopsis);
    fputs(c->notes, stdout);
    return CTL_OK;
}

static int cmd_help(int argc, char **argv)
{
    const struct command *c;

    if (argc == 1) {
        usage(stdout);
        return CTL_OK;
    }
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return ctl_help("help");
    if (argc == 2 && (c = find_command(argv[1])) != NULL)
        return ctl_help(c->name);
    if (argc == 2) {
        fputs("evidencectl: help: unknown command '", stderr);
        safe_fputs(argv[1], stderr);
        fputs("'\n", stderr);
    }
    return ctl_usage("help");
}

int ctl_usage(const char *command)
{
    const struct command *c = find_command(command);

    assert(c);
    fprintf(stderr, "usage: evidencectl %s\n", c->synopsis);
    return CTL_USAGE;
}

static const char *ctl_catalog_path(void)
{
    return ctl_opts.catalog ? ctl_opts.catalog : catalog_default_path();
}

catalog *ctl_load_catalog(bool quiet)
{
    const char *path = ctl_catalog_path();
    catalog *cat = NULL;
    ev_error err;

    ev_error_clear(&err);
    if (catalog_load(path, &cat, &err) != EV_OK) {
        if (!quiet) {
            fputs("evidencectl: catalog: ", stderr);
            safe_fputs(err.message, stderr);
            if (access(path, F_OK) != 0)
                fputs(" (name the catalog with --catalog FILE or EVIDENCED_CATALOG)", stderr);
            fputc('\n', stderr);
        }
        return NULL;
    }
    return cat;
}

bool ctl_as_of_valid(const char *text)
{
    ev_date day;
    ev_error err;

    ev_error_clear(&err);
    if (ev_date_parse(text, &day, &err) == EV_OK)
        return true;
    fputs("evidencectl: --as-of: ", stderr);
    safe_fputs(err.message, stderr);
    fputc('\n', stderr);
    return false;
}

const doc_limits *ctl_limits(void)
{
    static doc_limits lim;
    if (!lim.max_file_size)
        doc_limits_default(&lim);
    return &lim;
}

struct extractor *ctl_extractor(const catalog *cat, bool no_sandbox, bool ocr)
{
    extractor_config cfg = {
        .catalog_path = cat ? ctl_catalog_path() : NULL,
        .catalog = cat,
        .limits = *ctl_limits(),
        .time_ms = EXTRACTOR_TIME_MS,
        .memory = EXTRACTOR_MEMORY,
        .in_process = no_sandbox,
        .ocr = ocr,
    };
    extractor *x;
    ev_error err;

    doc_ocr_options_default(&cfg.ocr_options);
    /* With OCR the time limit is a page's: the default is the engine's. */
    if (ocr)
        cfg.time_ms = cfg.ocr_options.page_time_ms;
    x = extractor_new(&cfg);
    ev_error_clear(&err);
    if (extractor_start(x, &err) != EV_OK) {
        fputs("evidencectl: ", stderr);
        safe_fputs(err.message, stderr);
        fputs("\n(with --no-sandbox, evidencectl reads documents in its own process, for debugging)\n",
              stderr);
        extractor_free(x);
        return NULL;
    }
    return x;
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
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const struct command *cmd;
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
        case 'V': printf("evidencectl %s\n", EV_VERSION); return CTL_OK;
        default: usage(stderr); return CTL_USAGE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return CTL_USAGE;
    }
    if ((cmd = find_command(argv[optind])) != NULL) {
        char **args = argv + optind;
        int n = argc - optind;
        optind = 0;     /* each command parses its own options; 0 re-initialises GNU getopt */
        return cmd->run(n, args);
    }
    fputs("evidencectl: unknown command '", stderr);
    safe_fputs(argv[optind], stderr);
    fputs("'\n", stderr);
    usage(stderr);
    return CTL_USAGE;
}
