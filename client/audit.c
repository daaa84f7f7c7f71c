/*
 * audit.c: `evidencectl audit DIR [--categories ID,ID] [--as-of DATE]
 * [--organisation NAMES] [--json]` — the daemon's answer without the
 * daemon: walk the folder, analyse every file on all cores, evaluate, and
 * print the report. Exit 0 when every applicable requirement is met, 1
 * otherwise, so it can gate a script.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "date.h"
#include "evaluate.h"
#include "evidence.h"
#include "extractor.h"
#include "progress.h"
#include "report.h"
#include "safe.h"

#define MAX_DEPTH 64

typedef struct audit_job {
    const catalog *cat;
    const char *root;
    char **paths;           /* relative to root */
    evidence **records;
    size_t n;
    atomic_size_t next;
    bool no_sandbox;
    bool ocr;
    progress *prog;         /* NULL: none shown */
} audit_job;

/* A thread of the audit and its extractor. */
typedef struct audit_thread {
    audit_job *a;
    extractor *x;
    pthread_t thread;
} audit_thread;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collect regular files below root/rel; skip links and special files. */
static void walk(const char *root, const char *rel, int depth, char ***paths, size_t *n,
                 size_t *cap)
{
    char *abs = *rel ? ev_asprintf("%s/%s", root, rel) : ev_strdup(root);
    DIR *dir = opendir(abs);
    struct dirent *de;

    if (!dir) {
        int why = errno;
        fputs("evidencectl: ", stderr);
        safe_fputs(abs, stderr);
        fprintf(stderr, ": %s\n", strerror(why));
        free(abs);
        return;
    }
    while ((de = readdir(dir)) != NULL) {
        struct stat st;
        char *path;
        if (de->d_name[0] == '.' &&
            (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
            continue;
        if (strncmp(de->d_name, "~$", 2) == 0 || strncmp(de->d_name, ".~lock.", 7) == 0)
            continue;
        if (fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        path = *rel ? ev_asprintf("%s/%s", rel, de->d_name) : ev_strdup(de->d_name);
        if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH) {
            walk(root, path, depth + 1, paths, n, cap);
            free(path);
        } else if (S_ISREG(st.st_mode)) {
            *paths = ev_grow(*paths, cap, *n + 1, sizeof **paths);
            (*paths)[(*n)++] = path;
        } else {
            fputs("evidencectl: skipped ", stderr);
            safe_fputs(path, stderr);
            fputs(": not a regular file\n", stderr);
            free(path);
        }
    }
    closedir(dir);
    free(abs);
}

static evidence *analyze_one(extractor *x, const audit_job *a, const char *rel)
{
    char *abs = ev_asprintf("%s/%s", a->root, rel);
    ev_error err;
    evidence *e;

    ev_error_clear(&err);
    e = extractor_record_file(x, abs, rel, false, &err);
    if (!e) {
        e = evidence_new(rel);
        e->error = err.code;
        e->error_message = ev_strdup(err.message);
    }
    free(abs);
    return e;
}

static void *worker(void *arg)
{
    audit_thread *t = arg;
    audit_job *a = t->a;
    size_t i;
    while ((i = atomic_fetch_add(&a->next, 1)) < a->n) {
        a->records[i] = analyze_one(t->x, a, a->paths[i]);
        progress_step(a->prog);
    }
    return NULL;
}

/* Analyse every file on all cores, each thread with its extractor. False
 * when no extractor could start (said on stderr). */
static bool analyze_all(audit_job *a)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nthreads = cores > 1 ? (size_t)cores : 1, started = 0, made = 0;
    audit_thread *threads;
    bool ok = true;

    if (nthreads > a->n)
        nthreads = a->n ? a->n : 1;
    threads = ev_calloc(nthreads, sizeof *threads);
    for (; made < nthreads; made++) {
        threads[made].a = a;
        if (!(threads[made].x = ctl_extractor(a->cat, a->no_sandbox, a->ocr))) {
            ok = false;
            goto out;
        }
    }
    for (size_t i = 1; i < nthreads; i++)
        if (pthread_create(&threads[i].thread, NULL, worker, &threads[i]) == 0)
            started = i;
        else
            break;
    worker(&threads[0]);
    for (size_t i = 1; i <= started; i++)
        pthread_join(threads[i].thread, NULL);
out:
    for (size_t i = 0; i < made; i++)
        extractor_free(threads[i].x);
    free(threads);
    return ok;
}

void ctl_today(char out[EV_DATE_STRLEN])
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(out, EV_DATE_STRLEN, "%Y-%m-%d", &tm);
}

/* Whether root is a folder; false after saying what it is instead. */
static bool is_folder(const char *root)
{
    struct stat st;
    int found = stat(root, &st);

    if (found == 0 && S_ISDIR(st.st_mode))
        return true;
    fputs("evidencectl: ", stderr);
    safe_fputs(root, stderr);
    if (found != 0 && errno == ENOENT)
        fputs(" does not exist\n", stderr);
    else if (found != 0)
        fprintf(stderr, ": %s\n", strerror(errno));
    else
        fputs(" is not a folder\n", stderr);
    return false;
}

json_t *audit_evaluate(const audit_request *r, int *status)
{
    char **cats = NULL, **orgs = NULL;
    size_t ncats = 0, norgs = 0, cap = 0;
    json_t *result = NULL, *docs, *names;
    audit_job a;
    eval_params p;

    if (!is_folder(r->root)) {
        *status = CTL_USAGE;
        return NULL;
    }
    memset(&p, 0, sizeof p);
    if (ev_date_parse(r->as_of, &p.as_of, NULL) != EV_OK) {
        ctl_as_of_valid(r->as_of);
        *status = CTL_USAGE;
        return NULL;
    }
    doc_init();
    memset(&a, 0, sizeof a);
    a.root = r->root;
    a.cat = r->cat;
    cats = ev_split(r->categories, ',', &ncats);
    for (size_t i = 0; i < ncats; i++) {
        if (!catalog_category(a.cat, cats[i])) {
            fputs("evidencectl: --categories: '", stderr);
            safe_fputs(cats[i], stderr);
            fputs("' is not a category of the catalog; the categories are:", stderr);
            for (size_t k = 0; k < catalog_category_count(a.cat); k++)
                fprintf(stderr, "%s %s", k ? "," : "", catalog_category_at(a.cat, k)->id);
            fputc('\n', stderr);
            *status = CTL_USAGE;
            goto out;
        }
    }
    orgs = ev_split(r->organisation, '|', &norgs);
    walk(a.root, "", 0, &a.paths, &a.n, &cap);
    if (a.n)
        qsort(a.paths, a.n, sizeof *a.paths, cmp_str);
    a.records = ev_calloc(a.n + 1, sizeof *a.records);
    a.no_sandbox = r->no_sandbox;
    a.ocr = !r->no_ocr;
    a.prog = progress_new("files", a.n, false);
    if (!analyze_all(&a)) {
        progress_end(a.prog);
        *status = CTL_FAILED;
        goto free_records;
    }
    progress_end(a.prog);

    p.cat = a.cat;
    p.categories = (const char *const *)cats;
    p.ncategories = ncats;
    p.org_names = (const char *const *)orgs;
    p.norg_names = norgs;
    result = evaluate(&p, (const evidence *const *)a.records, a.n);
    docs = json_array();
    for (size_t i = 0; i < a.n; i++)
        json_array_append_new(docs, evidence_to_json(a.records[i], true));
    json_object_set_new(result, "documents", docs);
    names = json_array();
    for (size_t i = 0; i < norgs; i++)
        json_array_append_new(names, json_string(orgs[i]));
    json_object_set_new(result, "organisation", names);
    *status = CTL_OK;
free_records:
    for (size_t i = 0; i < a.n; i++) {
        evidence_free(a.records[i]);
        free(a.paths[i]);
    }
    free(a.records);
    free(a.paths);
out:
    ev_strv_free(cats);
    ev_strv_free(orgs);
    return result;
}

int cmd_audit(int argc, char **argv)
{
    static const struct option opts[] = {
        {"categories", required_argument, NULL, 'c'},
        {"as-of", required_argument, NULL, 'a'},
        {"organisation", required_argument, NULL, 'o'},
        {"json", no_argument, NULL, 'j'},
        {"all", no_argument, NULL, 'A'},
        {"no-sandbox", no_argument, NULL, 'n'},
        {"no-ocr", no_argument, NULL, 'O'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char as_of_text[EV_DATE_STRLEN];
    audit_request r = {.as_of = as_of_text};
    bool json = false, all = false;
    catalog *cat;
    json_t *result;
    int c, status;

    ctl_today(as_of_text);
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'c': r.categories = optarg; break;
        case 'o': r.organisation = optarg; break;
        case 'j': json = true; break;
        case 'A': all = true; break;
        case 'n': r.no_sandbox = true; break;
        case 'a': r.as_of = optarg; break;
        case 'O': r.no_ocr = true; break;
        case 'h': return ctl_help("audit");
        default: return ctl_usage("audit");
        }
    }
    if (optind != argc - 1)
        return ctl_usage("audit");
    if (!ctl_as_of_valid(r.as_of))
        return ctl_usage("audit");
    r.root = argv[optind];
    if (!(cat = ctl_load_catalog(false)))
        return CTL_FAILED;
    r.cat = cat;
    if (!(result = audit_evaluate(&r, &status))) {
        catalog_free(cat);
        return status;
    }
    /* The organisation names are the caller's own; the audit's JSON is the
     * evaluation and its documents, as before. */
    json_object_del(result, "organisation");
    if (json) {
        ctl_print_json(result);
    } else {
        if (json_array_size(json_object_get(result, "documents")) == 0) {
            fputs("No files below ", stdout);
            safe_fputs(r.root, stdout);
            fputs(": every requirement that needs evidence is missing.\n\n", stdout);
        }
        json_object_del(result, "documents");
        safe_json(result);
        report_evaluation(stdout, result, cat, report_colour(stdout), all);
    }
    status = report_exit_status(result);
    json_decref(result);
    catalog_free(cat);
    return status;
}
