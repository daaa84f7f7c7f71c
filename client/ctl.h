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
#include "date.h"

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

/* Today's local date, YYYY-MM-DD: the --as-of of a command without one. */
void ctl_today(char out[EV_DATE_STRLEN]);

/* What audit.c evaluates offline: every file below root. */
typedef struct audit_request {
    const char *root;
    const catalog *cat;
    const char *categories;     /* "id,id" as --categories gives them; NULL: none */
    const char *organisation;   /* "name|name" as --organisation; NULL: none */
    const char *as_of;          /* YYYY-MM-DD */
    bool no_sandbox;
    bool no_ocr;                /* --no-ocr: scans are not read */
} audit_request;

/*
 * The evaluation of every file below r->root as the daemon would make it
 * ({as_of, categories, requirements}), with "documents" (every record, in
 * path order, as extract --json gives it) and "organisation" (the names).
 * NULL after saying why on stderr, *status then the exit status (2 for a
 * root that is not a folder, a bad date or category; 1 when no extractor
 * starts); *status is CTL_OK otherwise.
 */
json_t *audit_evaluate(const audit_request *r, int *status);

/* Ask the daemon: send req (consumed), take its reply. *reply is NULL
 * unless the daemon answered ok; errors are said on stderr. The exit
 * status: CTL_OK, CTL_FAILED (an error reply) or CTL_UNREACHABLE. */
int ctl_ask(json_t *req, json_t **reply);
/* A document's path as the daemon keys it: an absolute or ./ path made
 * relative to the watched folder. CTL_OK, or the exit status. */
int ctl_folder_relative(const char *arg, char **rel);

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
int cmd_report(int argc, char **argv);
int cmd_version(int argc, char **argv);
/* proofs.c: checkpoints and Merkle proofs; ctl_fail says "evidencectl:
 * COMMAND: MESSAGE" on stderr and returns CTL_FAILED. */
int ctl_fail(const char *command, const char *message);
int cmd_checkpoint(int argc, char **argv);
int cmd_prove(int argc, char **argv);
int cmd_verify_proof(int argc, char **argv);
/* package.c: an evidence package, written and verified */
int cmd_package(int argc, char **argv);
int cmd_verify_package(int argc, char **argv);

#endif
