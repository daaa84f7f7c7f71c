/*
 * ctl.h: the commands of evidencectl and what they share. Each command
 * takes the arguments after its name and returns the process exit status:
 *   0 success; 1 a file or check failed; 2 usage error; 3 daemon unreachable.
 */
#ifndef CTL_H
#define CTL_H

#include <stdbool.h>

#include <jansson.h>

#include "catalog.h"

enum { CTL_OK = 0, CTL_FAILED = 1, CTL_USAGE = 2, CTL_UNREACHABLE = 3 };

/* Global options, set by main before a command runs. */
typedef struct ctl_options {
    const char *socket;         /* --socket, or the default path */
    const char *catalog;        /* --catalog, or NULL for the default */
} ctl_options;

extern ctl_options ctl_opts;

/* Load the catalog (--catalog, $EVIDENCED_CATALOG, or the installed one);
 * NULL when it is missing or invalid, after printing why unless quiet. */
catalog *ctl_load_catalog(bool quiet);

struct extractor;
struct doc_limits;
/* The document limits of the offline commands (the defaults). */
const struct doc_limits *ctl_limits(void);
/* An extractor for the offline commands: it loads the catalog that `cat`
 * was loaded from (NULL: parse only) and starts now, so a missing program
 * or a sandbox that cannot be entered is said once. NULL after printing
 * why. `no_sandbox`: parse in this process instead. `ocr`: read scans
 * (images, PDF pages without text) by OCR with the default options. */
struct extractor *ctl_extractor(const catalog *cat, bool no_sandbox, bool ocr);

/* Check an --as-of date; false after saying on stderr what is wrong with
 * it, in the one wording every command uses. */
bool ctl_as_of_valid(const char *text);

/* A command's --help: its synopsis and notes on stdout; returns CTL_OK. */
int ctl_help(const char *command);
/* After a usage error: the command's synopsis on stderr; returns CTL_USAGE. */
int ctl_usage(const char *command);

/* Print one JSON value as a line (UTF-8, compact, members in order). */
void ctl_print_json(const json_t *o);

/* verify.c: check a state directory (and folder) offline; NULL after
 * printing the error, with *status set. */
json_t *verify_offline(const char *state, const char *folder, int *status);

int cmd_extract(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_requirement(int argc, char **argv);
int cmd_documents(int argc, char **argv);
int cmd_document(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_rescan(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_version(int argc, char **argv);

#endif
