/*
 * status.c: where the folder stands, as of today.
 *
 * The evaluation is a pure function of the records, the declared
 * categories, the catalog and the date, so it is recomputed rather than
 * updated: after a burst of changes (debounced), when the local date
 * changes (a wall-clock timer at midnight that also fires when the clock
 * is set), and on demand for another date. Each change of a requirement's
 * status between two evaluations is recorded as a policy-changed event.
 */
#include <assert.h>
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "date.h"
#include "evaluate.h"
#include "evidenced.h"

#define EVAL_DEBOUNCE_MS 200

void status_today(char out[11])
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/*
 * An evaluation over every record takes a good part of a second at tens of
 * thousands of documents, too long for the loop that answers clients and
 * records drops. So it runs on a thread of its own, over references to the
 * (immutable) records taken and dropped on the loop; the loop keeps
 * answering with the previous result.
 */
typedef struct eval_job {
    pthread_t thread;
    const catalog *cat;
    ev_date as_of;
    char **categories, **org_names;
    size_t ncategories, norg_names;
    record **recs;
    size_t n;
    json_t *result;
    int efd;
} eval_job;

/*
 * The one way an evaluation runs, on the loop (a query for another date) or
 * on the evaluation thread. Each record is parsed and handed to the
 * evaluator alone, so only one of them is ever a jansson tree: at tens of
 * thousands of documents, all of them at once would double the daemon.
 */
static json_t *evaluate_job(eval_job *j)
{
    eval_params p = {
        .cat = j->cat,
        .as_of = j->as_of,
        .categories = (const char *const *)j->categories,
        .ncategories = j->ncategories,
        .org_names = (const char *const *)j->org_names,
        .norg_names = j->norg_names,
    };
    evaluator *ev = evaluator_new(&p);

    for (size_t i = 0; i < j->n; i++) {
        evidence *e = record_evidence(j->recs[i]);
        evaluator_add(ev, e);
        evidence_free(e);
    }
    return evaluator_finish(ev);
}

static void *eval_main(void *arg)
{
    eval_job *j = arg;
    uint64_t one = 1;

    j->result = evaluate_job(j);
    if (write(j->efd, &one, sizeof one) < 0)
        ev_log(EV_LOG_ERR, "evaluation eventfd: %s", strerror(errno));
    return NULL;
}

static char **strv_copy(char *const *v, size_t n)
{
    char **c = ev_calloc(n + 1, sizeof *c);
    for (size_t i = 0; i < n; i++)
        c[i] = ev_strdup(v[i]);
    return c;
}

typedef struct refs_ctx {
    record **v;
    size_t n, cap;
} refs_ctx;

static void take_ref(void *ctx, const char *path, void *value)
{
    refs_ctx *t = ctx;
    tracked *tr = value;
    (void)path;
    if (!tr->rec)
        return;
    t->v = ev_grow(t->v, &t->cap, t->n + 1, sizeof *t->v);
    t->v[t->n++] = record_ref(tr->rec);
}

/* A job over everything the evaluation reads, for `as_of`. */
static eval_job *eval_job_new(evd *d, ev_date as_of)
{
    eval_job *j = ev_calloc(1, sizeof *j);
    refs_ctx t = {0};

    j->as_of = as_of;
    j->cat = d->cat;
    j->categories = strv_copy(d->cfg.categories, d->cfg.ncategories);
    j->ncategories = d->cfg.ncategories;
    j->org_names = strv_copy(d->cfg.org_names, d->cfg.norg_names);
    j->norg_names = d->cfg.norg_names;
    strmap_each(&d->files, take_ref, &t);
    j->recs = t.v;
    j->n = t.n;
    j->efd = d->eval_efd;
    return j;
}

static void eval_start(evd *d)
{
    char today[11];
    ev_date as_of;
    int rc;

    assert(!d->eval_job);
    status_today(today);
    if (ev_date_parse(today, &as_of, NULL) != EV_OK)
        ev_die("the local date %s does not parse", today);
    d->dirty = false;
    d->eval_job = eval_job_new(d, as_of);
    rc = pthread_create(&d->eval_job->thread, NULL, eval_main, d->eval_job);
    if (rc != 0)
        ev_die("cannot start an evaluation thread: %s", strerror(rc));
}

static void eval_job_free(eval_job *j)
{
    for (size_t i = 0; i < j->n; i++)
        record_unref(j->recs[i]);
    free(j->recs);
    ev_strv_free(j->categories);
    ev_strv_free(j->org_names);
    json_decref(j->result);
    free(j);
}

json_t *status_evaluate_at(evd *d, const char *as_of)
{
    ev_date date;
    eval_job *j;
    json_t *result;

    if (ev_date_parse(as_of, &date, NULL) != EV_OK)
        return NULL;
    j = eval_job_new(d, date);
    result = evaluate_job(j);
    eval_job_free(j);
    malloc_trim(0);
    return result;
}

static void on_eval_done(loop *l, int fd, unsigned events, void *arg)
{
    evd *d = arg;
    eval_job *j = d->eval_job;
    uint64_t count;

    (void)l, (void)events;
    if (read(fd, &count, sizeof count) < 0 || !j)
        return;
    pthread_join(j->thread, NULL);
    d->eval_job = NULL;
    json_decref(d->evaluation);
    d->evaluation = j->result;
    j->result = NULL;
    d->evaluated_ms = scanner_now_ms();
    eval_job_free(j);
    /* The evaluation parsed every record and let them go: give the pages
     * back, so the daemon's size is its records, not its last evaluation. */
    malloc_trim(0);
    /* Mid-scan statuses are half-read folders, not changes worth a ledger
     * event; the evaluation after the scan records the outcome. */
    if (workers_pending(d->pool) == 0)
        status_record_changes(d);
    if (d->dirty)
        loop_timer_arm(d->eval_timer, EVAL_DEBOUNCE_MS, 0);
}

json_t *status_current(evd *d)
{
    char today[11];

    if (!d->evaluation) {
        status_today(today);
        d->evaluation = status_evaluate_at(d, today);
        d->evaluated_ms = scanner_now_ms();
    }
    return d->evaluation;
}

void status_record_changes(evd *d)
{
    json_t *reqs = json_object_get(d->evaluation, "requirements");
    const char *as_of = json_string_value(json_object_get(d->evaluation, "as_of"));
    size_t i;
    json_t *r;

    control_batch_begin(d);
    json_array_foreach(reqs, i, r) {
        const char *id = json_string_value(json_object_get(r, "id"));
        const char *now = json_string_value(json_object_get(r, "status"));
        const char *before = json_string_value(json_object_get(d->statuses, id));
        json_t *reasons = json_object_get(r, "reasons");
        json_t *payload;
        char *text;
        int64_t seq = 0;
        ev_error err;

        if (!id || !now || (before && strcmp(before, now) == 0))
            continue;
        payload = json_pack("{s:s, s:s, s:s?, s:s, s:O}", "requirement", id, "status", now,
                            "previous", before, "as_of", as_of ? as_of : "",
                            "reasons", reasons ? reasons : json_array());
        text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(payload);
        ev_error_clear(&err);
        if (ledger_record_policy_change(d->led, text, &seq, &err) == EV_OK) {
            ev_log(EV_LOG_NOTICE, "%s: %s -> %s", id, before ? before : "(none)", now);
            /* This frees `before`, which belongs to the old value. */
            json_object_set_new(d->statuses, id, json_string(now));
            control_policy_event(d, seq, text);
        } else {
            ev_log(EV_LOG_ERR, "ledger: %s", err.message);
        }
        free(text);
    }
    control_batch_end(d);
    ledger_checkpoint(d->led);
}

/* Not while the workers are busy: an evaluation of a half-read folder
 * would take the cores and the memory the parsing needs, and the last job
 * of a scan marks the state dirty again. A running evaluation re-arms the
 * timer when it finishes. */
static void on_eval(loop *l, void *arg)
{
    evd *d = arg;
    (void)l;
    if (d->dirty && !d->eval_job && workers_pending(d->pool) == 0)
        eval_start(d);
}

/* Each change pushes the evaluation back by the debounce interval, so a
 * burst (a scan, a folder copied in) is evaluated once, after it. */
void status_mark_dirty(evd *d)
{
    d->dirty = true;
    if (!d->eval_job)
        loop_timer_arm(d->eval_timer, EVAL_DEBOUNCE_MS, 0);
}

bool status_evaluating(const evd *d)
{
    return d->dirty || d->eval_job != NULL;
}

/* Next local midnight, in epoch milliseconds. */
static uint64_t next_midnight_ms(void)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    tm.tm_hour = 0, tm.tm_min = 0, tm.tm_sec = 0;
    tm.tm_mday += 1;
    tm.tm_isdst = -1;
    return (uint64_t)mktime(&tm) * 1000 + 50;
}

static void on_midnight(loop *l, void *arg)
{
    evd *d = arg;
    (void)l;
    /* Fires at midnight, and also when the clock is set: either way the
     * date may have changed, and with it what has expired. */
    tzset();
    status_mark_dirty(d);
    selfcheck_start(d->check);
    loop_timer_arm(d->midnight_timer, next_midnight_ms(), 0);
}

/* The policy as the ledger records it: catalog hash and categories. */
static char *policy_json(const char *catalog_sha, const json_t *categories)
{
    json_t *o = json_pack("{s:s, s:O}", "catalog", catalog_sha, "categories", categories);
    char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    return text;
}

/* The statuses and the policy last recorded, from the policy-changed
 * events: one pass over the log at start. */
static int load_status(void *ctx, const ledger_event *ev)
{
    evd *d = ctx;
    json_t *p;
    const char *id, *status, *catalog_sha;

    if (strcmp(ev->type, "policy-changed") != 0 || !ev->payload)
        return 0;
    p = json_loads(ev->payload, 0, NULL);
    id = json_string_value(json_object_get(p, "requirement"));
    status = json_string_value(json_object_get(p, "status"));
    catalog_sha = json_string_value(json_object_get(p, "catalog"));
    if (id && status)
        json_object_set_new(d->statuses, id, json_string(status));
    if (catalog_sha && json_is_array(json_object_get(p, "categories"))) {
        free(d->policy_recorded);
        d->policy_recorded = policy_json(catalog_sha, json_object_get(p, "categories"));
    }
    json_decref(p);
    return 0;
}

unsigned status_record_policy(evd *d)
{
    json_t *cats = json_array(), *before;
    char *now;
    int64_t seq = 0;
    ev_error err;
    unsigned changed;

    for (size_t i = 0; i < d->cfg.ncategories; i++)
        json_array_append_new(cats, json_string(d->cfg.categories[i]));
    now = policy_json(d->catalog_sha, cats);
    before = d->policy_recorded ? json_loads(d->policy_recorded, 0, NULL) : NULL;
    changed = (json_equal(json_object_get(before, "categories"), cats) ? 0 : POLICY_CATEGORIES) |
              (strcmp(json_string_value(json_object_get(before, "catalog")) ?
                      json_string_value(json_object_get(before, "catalog")) : "",
                      d->catalog_sha) == 0 ? 0 : POLICY_CATALOG);
    json_decref(before);
    json_decref(cats);
    if (!changed) {
        free(now);
        return 0;
    }
    ev_error_clear(&err);
    if (ledger_record_policy_change(d->led, now, &seq, &err) == EV_OK) {
        control_policy_event(d, seq, now);
        tlog_schedule(d);
        free(d->policy_recorded);
        d->policy_recorded = now;
    } else {
        ev_log(EV_LOG_ERR, "ledger: %s", err.message);
        free(now);
    }
    return changed;
}

ev_code status_start(evd *d, ev_error *err)
{
    d->statuses = json_object();
    d->eval_timer = loop_timer_new(d->l, false, on_eval, d);
    d->midnight_timer = loop_timer_new(d->l, true, on_midnight, d);
    if (!d->eval_timer || !d->midnight_timer)
        return ev_fail(err, EV_EIO, "timerfd: %s", strerror(errno));
    d->eval_efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (d->eval_efd < 0 || loop_add_fd(d->l, d->eval_efd, LOOP_READ, on_eval_done, d) != 0)
        return ev_fail(err, EV_EIO, "eventfd: %s", strerror(errno));
    if (loop_timer_arm(d->midnight_timer, next_midnight_ms(), 0) != 0)
        return ev_fail(err, EV_EIO, "timerfd: %s", strerror(errno));
    return ledger_history(d->led, 0, 0, NULL, load_status, d, err);
}

void status_stop(evd *d)
{
    if (d->eval_job) {
        pthread_join(d->eval_job->thread, NULL);
        eval_job_free(d->eval_job);
        d->eval_job = NULL;
    }
    if (d->eval_efd >= 0) {
        loop_del_fd(d->l, d->eval_efd);
        close(d->eval_efd);
        d->eval_efd = -1;
    }
    loop_timer_free(d->eval_timer);
    loop_timer_free(d->midnight_timer);
    json_decref(d->evaluation);
    json_decref(d->statuses);
    free(d->policy_recorded);
    d->policy_recorded = NULL;
    d->eval_timer = d->midnight_timer = NULL;
    d->evaluation = d->statuses = NULL;
}
