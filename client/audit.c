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

static void today(char out[EV_DATE_STRLEN])
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(out, EV_DATE_STRLEN, "%Y-%m-%d", &tm);
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
    const char *categories = NULL, *organisation = NULL;
    char as_of_text[EV_DATE_STRLEN];
    bool json = false, no_sandbox = false, all = false, ocr = true;
    char **cats = NULL, **orgs = NULL;
    size_t ncats = 0, norgs = 0, cap = 0;
    audit_job a;
    eval_params p;
    json_t *result;
    ev_error err;
    int c, status;

    today(as_of_text);
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'c': categories = optarg; break;
        case 'o': organisation = optarg; break;
        case 'j': json = true; break;
        case 'A': all = true; break;
        case 'n': no_sandbox = true; break;
        case 'O': ocr = false; break;
        case 'a':
            if (strlen(optarg) >= sizeof as_of_text) {
                ctl_as_of_valid(optarg);
                return ctl_usage("audit");
            }
            strcpy(as_of_text, optarg);
            break;
        case 'h': return ctl_help("audit");
        default: return ctl_usage("audit");
        }
    }
    if (optind != argc - 1)
        return ctl_usage("audit");
    memset(&p, 0, sizeof p);
    ev_error_clear(&err);
    if (!ctl_as_of_valid(as_of_text))
        return ctl_usage("audit");
    ev_date_parse(as_of_text, &p.as_of, NULL);
    memset(&a, 0, sizeof a);
    a.root = argv[optind];
    {
        struct stat st;
        int found = stat(a.root, &st);
        if (found != 0 || !S_ISDIR(st.st_mode)) {
            fputs("evidencectl: ", stderr);
            safe_fputs(a.root, stderr);
            if (found != 0 && errno == ENOENT)
                fputs(" does not exist\n", stderr);
            else if (found != 0)
                fprintf(stderr, ": %s\n", strerror(errno));
            else
                fputs(" is not a folder\n", stderr);
            return CTL_USAGE;
        }
    }
    doc_init();
    if (!(a.cat = ctl_load_catalog(false)))
        return CTL_FAILED;
    cats = ev_split(categories, ',', &ncats);
    for (size_t i = 0; i < ncats; i++) {
        if (!catalog_category(a.cat, cats[i])) {
            fputs("evidencectl: --categories: '", stderr);
            safe_fputs(cats[i], stderr);
            fputs("' is not a category of the catalog; the categories are:", stderr);
            for (size_t k = 0; k < catalog_category_count(a.cat); k++)
                fprintf(stderr, "%s %s", k ? "," : "", catalog_category_at(a.cat, k)->id);
            fputc('\n', stderr);
            status = CTL_USAGE;
            goto out;
        }
    }
    orgs = ev_split(organisation, '|', &norgs);
    walk(a.root, "", 0, &a.paths, &a.n, &cap);
    if (a.n)
        qsort(a.paths, a.n, sizeof *a.paths, cmp_str);
    a.records = ev_calloc(a.n + 1, sizeof *a.records);
    a.no_sandbox = no_sandbox;
    a.ocr = ocr;
    a.prog = progress_new("files", a.n, false);
    if (!analyze_all(&a)) {
        progress_end(a.prog);
        status = CTL_FAILED;
        goto free_records;
    }
    progress_end(a.prog);

    p.cat = a.cat;
    p.categories = (const char *const *)cats;
    p.ncategories = ncats;
    p.org_names = (const char *const *)orgs;
    p.norg_names = norgs;
    result = evaluate(&p, (const evidence *const *)a.records, a.n);
    if (json) {
        json_t *docs = json_array();
        for (size_t i = 0; i < a.n; i++)
            json_array_append_new(docs, evidence_to_json(a.records[i], true));
        json_object_set_new(result, "documents", docs);
        ctl_print_json(result);
    } else {
        safe_json(result);
        if (a.n == 0) {
            fputs("No files below ", stdout);
            safe_fputs(a.root, stdout);
            fputs(": every requirement that needs evidence is missing.\n\n", stdout);
        }
        report_evaluation(stdout, result, a.cat, report_colour(stdout), all);
    }
    status = report_exit_status(result);
    json_decref(result);
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
    catalog_free((catalog *)a.cat);
    return status;
}
