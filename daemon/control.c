/*
 * control.c: the operations of the control socket, one function each.
 *
 *   status      {as_of?, documents?}  evaluation, ledger head, folder, progress
 *   requirement {id, as_of?}          one requirement's result
 *   documents   {kind?}               the current documents
 *   document    {path}                one document and its history
 *   history     {since?, limit?}      ledger events, at most 10000 a reply
 *   watch       {}                    then a stream of {"event": ...} lines
 *   rescan      {}                    reconcile the folder now
 *   verify      {}                    chain, signatures, and files on disk
 *   version     {}
 */
#include <stdlib.h>
#include <string.h>

#include "evidenced.h"
#include "verify.h"

/* The most events in one history reply. */
#define HISTORY_PAGE_MAX 10000

static json_t *event_json(int64_t seq, const char *ts, const char *type, const char *path,
                          const char *old_path, const char *sha256)
{
    json_t *o = json_object();
    json_object_set_new(o, "seq", json_integer(seq));
    if (ts)
        json_object_set_new(o, "ts", json_string(ts));
    json_object_set_new(o, "type", json_string(type));
    if (path)
        json_object_set_new(o, "path", json_string(path));
    if (old_path)
        json_object_set_new(o, "old_path", json_string(old_path));
    if (sha256)
        json_object_set_new(o, "sha256", json_string(sha256));
    return o;
}

/* Events are announced as history shows them, with the ledger's time; held
 * while a batch is open, so watchers only hear of what is committed. */
static void announce(evd *d, json_t *ev)
{
    if (d->batch_depth > 0) {
        if (!d->held_events)
            d->held_events = json_array();
        json_array_append_new(d->held_events, ev);
        return;
    }
    server_broadcast(d->srv, json_pack("{s:o}", "event", ev));
}

void control_event(evd *d, int64_t seq, const char *type, const char *path,
                   const char *old_path, const char *sha256, const char *kind)
{
    json_t *ev;

    /* The journal tells what changed; a scan's thousands of first sightings
     * only at debug level. Rejections are logged with their reason. */
    if (strcmp(type, "rejected") != 0)
        ev_log(d->scanning ? EV_LOG_DEBUG : EV_LOG_INFO, "%s %s%s%s%s%s%s (seq %lld)", type,
               old_path ? old_path : "", old_path ? " -> " : "", path ? path : "",
               kind ? " (" : "", kind ? kind : "", kind ? ")" : "", (long long)seq);
    if (!d->srv)
        return;
    ev = event_json(seq, ledger_last_ts(d->led), type, path, old_path, sha256);
    if (kind)
        json_object_set_new(ev, "kind", json_string(kind));
    announce(d, ev);
}

void control_policy_event(evd *d, int64_t seq, const char *payload)
{
    json_t *ev, *p;

    if (!d->srv)
        return;
    ev = event_json(seq, ledger_last_ts(d->led), "policy-changed", NULL, NULL, NULL);
    p = json_loads(payload, 0, NULL);
    if (json_is_string(json_object_get(p, "requirement")))
        json_object_set(ev, "requirement", json_object_get(p, "requirement"));
    if (p)
        json_object_set_new(ev, "payload", p);
    announce(d, ev);
}

void control_batch_begin(evd *d)
{
    ev_error err;

    if (d->batch_depth++ > 0)
        return;
    ev_error_clear(&err);
    if (ledger_batch_begin(d->led, &err) != EV_OK) {
        ev_log(EV_LOG_ERR, "ledger: %s", err.message);
        d->stopping = true;
        loop_stop(d->l);
    }
}

void control_batch_end(evd *d)
{
    json_t *held, *ev;
    ev_error err;
    size_t i;

    if (d->batch_depth == 0 || --d->batch_depth > 0)
        return;
    ev_error_clear(&err);
    held = d->held_events;
    d->held_events = NULL;
    if (ledger_batch_commit(d->led, &err) != EV_OK) {
        ev_log(EV_LOG_ERR, "ledger: cannot commit: %s; stopping so that the next start "
               "redoes the work", err.message);
        json_decref(held);
        d->stopping = true;
        loop_stop(d->l);
        return;
    }
    json_array_foreach(held, i, ev)
        server_broadcast(d->srv, json_pack("{s:O}", "event", ev));
    json_decref(held);
}

/* The current documents of one kind (all when kind is NULL), by path. */
typedef struct docs_ctx {
    const char *kind;
    struct doc_ref {
        const char *path;
        const record *rec;
    } *v;
    size_t n, cap;
} docs_ctx;

static void add_document(void *ctx, const char *path, void *value)
{
    docs_ctx *c = ctx;
    tracked *t = value;

    if (!t->rec || (c->kind && (!t->rec->kind || strcmp(t->rec->kind, c->kind) != 0)))
        return;
    c->v = ev_grow(c->v, &c->cap, c->n + 1, sizeof *c->v);
    c->v[c->n++] = (struct doc_ref){path, t->rec};
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(((const struct doc_ref *)a)->path, ((const struct doc_ref *)b)->path);
}

/* The records are JSON text already: they go to the reply as they are, so
 * listing ten thousand documents costs the reply's bytes and no more. */
static void write_documents(void *ctx, ev_buf *out)
{
    docs_ctx *c = ctx;

    ev_buf_putc(out, '[');
    for (size_t i = 0; i < c->n; i++) {
        if (i)
            ev_buf_putc(out, ',');
        ev_buf_puts(out, c->v[i].rec->json);
    }
    ev_buf_putc(out, ']');
}

/* Reply with body and the documents of `kind` (all when NULL). */
static void reply_with_documents(evd *d, client *cl, json_t *body, const char *kind)
{
    docs_ctx c = {.kind = kind};

    strmap_each(&d->files, add_document, &c);
    if (c.n)
        qsort(c.v, c.n, sizeof *c.v, cmp_path);
    server_reply_ok_with(cl, body, "documents", write_documents, &c);
    free(c.v);
}

static json_t *progress_json(evd *d)
{
    json_t *p = json_pack("{s:b, s:b, s:I, s:I, s:I, s:I, s:I}", "scanning",
                          d->scanning && workers_pending(d->pool) > 0, "evaluating",
                          status_evaluating(d), "files_seen",
                          (json_int_t)d->files.count, "parsed", (json_int_t)d->files_parsed,
                          "skipped", (json_int_t)d->skipped.count, "queued",
                          (json_int_t)workers_pending(d->pool), "documents",
                          (json_int_t)scanner_documents(d));
    json_t *v = verify_op_progress(d->verifying);
    json_t *ocr = ocrq_progress(d);

    /* "verifying": {files_checked, files_total} while a verify runs. */
    if (v)
        json_object_set_new(p, "verifying", v);
    /* "reading_scans": {pages_read, pages_total, documents} while OCR works. */
    if (ocr)
        json_object_set_new(p, "reading_scans", ocr);
    return p;
}

/* The evaluation for the request's as_of (today when absent); NULL after
 * replying with an error. *owned tells whether the caller must free it. */
static json_t *evaluation_for(evd *d, client *c, json_t *req, bool *owned)
{
    json_t *as_of = json_object_get(req, "as_of");
    json_t *e;

    *owned = false;
    if (!as_of || json_is_null(as_of))
        return status_current(d);
    if (!json_is_string(as_of) ||
        !(e = status_evaluate_at(d, json_string_value(as_of)))) {
        server_reply_error(c, "bad-request", "as_of must be a date YYYY-MM-DD");
        return NULL;
    }
    *owned = true;
    return e;
}

static void op_status(evd *d, client *c, json_t *req)
{
    bool owned;
    json_t *e = evaluation_for(d, c, req, &owned);
    json_t *body;
    int64_t seq = 0;
    char hash[LEDGER_HEX_LEN + 1] = "";
    ev_error err;

    if (!e)
        return;
    /* The reply shares the evaluation's members: no copy of a large tree. */
    body = json_object();
    json_object_update(body, e);
    if (owned)
        json_decref(e);
    ev_error_clear(&err);
    ledger_head(d->led, &seq, hash, &err);
    json_object_set_new(body, "ledger", json_pack("{s:I, s:s}", "seq", (json_int_t)seq,
                                                  "hash", hash));
    json_object_set_new(body, "watch", json_string(d->cfg.watch));
    json_object_set_new(body, "progress", progress_json(d));
    if (json_is_false(json_object_get(req, "documents")))
        server_reply_ok(c, body);
    else
        reply_with_documents(d, c, body, NULL);
}

static void op_requirement(evd *d, client *c, json_t *req)
{
    const char *id = json_string_value(json_object_get(req, "id"));
    bool owned;
    json_t *e, *r, *found = NULL;
    size_t i;

    if (!id) {
        server_reply_error(c, "bad-request", "requirement needs an \"id\"");
        return;
    }
    if (!(e = evaluation_for(d, c, req, &owned)))
        return;
    json_array_foreach(json_object_get(e, "requirements"), i, r)
        if (strcmp(json_string_value(json_object_get(r, "id")), id) == 0)
            found = r;
    if (found)
        server_reply_ok(c, json_pack("{s:O, s:O}", "as_of", json_object_get(e, "as_of"),
                                     "requirement", found));
    else
        server_reply_error(c, "not-found", "no requirement '%s' in the catalog", id);
    if (owned)
        json_decref(e);
}

static void op_documents(evd *d, client *c, json_t *req)
{
    reply_with_documents(d, c, NULL, json_string_value(json_object_get(req, "kind")));
}

static json_t *history_event(const ledger_event *ev)
{
    json_t *o = event_json(ev->seq, ev->ts, ev->type, ev->path, ev->old_path, ev->sha256);
    if (ev->payload)
        json_object_set_new(o, "payload", json_loads(ev->payload, 0, NULL));
    json_object_set_new(o, "hash", json_string(ev->hash));
    return o;
}

static int add_event(void *ctx, const ledger_event *ev)
{
    json_array_append_new(ctx, history_event(ev));
    return 0;
}

/* The events of a history page as JSON text, one at a time: a page is
 * never a tree of thousands of events. */
typedef struct events_text {
    ev_buf text;
    int64_t count;
} events_text;

static int append_event(void *ctx, const ledger_event *ev)
{
    events_text *t = ctx;
    json_t *o = history_event(ev);

    ev_buf_putc(&t->text, t->count++ ? ',' : '[');
    server_append_json(&t->text, o);
    json_decref(o);
    return 0;
}

static void write_events(void *ctx, ev_buf *out)
{
    events_text *t = ctx;
    if (t->count)
        ev_buf_append(out, t->text.data, t->text.len);
    ev_buf_puts(out, t->count ? "]" : "[]");
}

static void op_document(evd *d, client *c, json_t *req)
{
    const char *path = json_string_value(json_object_get(req, "path"));
    tracked *t = path ? strmap_get(&d->files, path) : NULL;
    json_t *history = json_array();
    ev_error err;

    if (!path) {
        json_decref(history);
        server_reply_error(c, "bad-request", "document needs a \"path\"");
        return;
    }
    ev_error_clear(&err);
    if (ledger_history(d->led, 0, 0, path, add_event, history, &err) != EV_OK) {
        json_decref(history);
        server_reply_error(c, "internal", "%s", err.message);
        return;
    }
    if ((!t || !t->rec) && json_array_size(history) == 0) {
        json_decref(history);
        server_reply_error(c, "not-found", "no document at '%s'", path);
        return;
    }
    server_reply_ok(c, json_pack("{s:o, s:o}", "document",
                                 t && t->rec ? record_object(t->rec) : json_null(),
                                 "history", history));
}

static void op_history(evd *d, client *c, json_t *req)
{
    json_int_t since = json_integer_value(json_object_get(req, "since"));
    json_int_t limit = json_integer_value(json_object_get(req, "limit"));
    json_int_t page = limit <= 0 ? 1000 : limit > HISTORY_PAGE_MAX ? HISTORY_PAGE_MAX : limit;
    events_text t = {0};
    ev_error err;

    ev_error_clear(&err);
    if (ledger_history(d->led, since, page, NULL, append_event, &t, &err) != EV_OK) {
        ev_buf_free(&t.text);
        server_reply_error(c, "internal", "%s", err.message);
        return;
    }
    /* "truncated": the page was cut to HISTORY_PAGE_MAX; ask again from
     * the last seq for more. */
    server_reply_ok_with(c, json_pack("{s:b}", "truncated", page < limit && t.count == page),
                         "events", write_events, &t);
    ev_buf_free(&t.text);
}

/* Answered from the verify thread when it is done (see verifyop.c). */
static void op_verify(evd *d, client *c, json_t *req)
{
    json_t *p;
    ev_error err;

    (void)req;
    if (!d->verifying) {
        server_reply_error(c, "internal", "verify is not available");
        return;
    }
    if ((p = verify_op_progress(d->verifying))) {
        server_reply_error(c, "busy", "a verify is running (%lld of %lld files read); "
                           "ask again when it is done",
                           (long long)json_integer_value(json_object_get(p, "files_checked")),
                           (long long)json_integer_value(json_object_get(p, "files_total")));
        json_decref(p);
        return;
    }
    ev_error_clear(&err);
    if (verify_op_start(d->verifying, c, &err) != EV_OK)
        server_reply_error(c, "internal", "%s", err.message);
}

static void op_rescan(evd *d, client *c, json_t *req)
{
    (void)req;
    scanner_reattach_root(d);
    scanner_reconcile(d, "", true);
    server_reply_ok(c, json_pack("{s:I}", "queued", (json_int_t)workers_pending(d->pool)));
}

static void op_version(evd *d, client *c, json_t *req)
{
    (void)req;
    server_reply_ok(c, json_pack("{s:s, s:s}", "version", EVIDENCED_VERSION, "catalog",
                                 d->catalog_sha));
}

static void op_watch(evd *d, client *c, json_t *req)
{
    (void)d, (void)req;
    server_subscribe(c);
    server_reply_ok(c, json_pack("{s:b}", "watching", 1));
}

void control_request(void *arg, client *c, const char *op, json_t *req)
{
    static const struct {
        const char *name;
        void (*fn)(evd *d, client *c, json_t *req);
    } ops[] = {
        {"status", op_status},   {"requirement", op_requirement},
        {"documents", op_documents}, {"document", op_document},
        {"history", op_history}, {"watch", op_watch},
        {"rescan", op_rescan},   {"verify", op_verify},
        {"version", op_version},
    };
    evd *d = arg;

    for (size_t i = 0; i < EV_ARRAY_LEN(ops); i++) {
        if (strcmp(op, ops[i].name) == 0) {
            ev_log(EV_LOG_DEBUG, "pid %d uid %u: %s", (int)client_pid(c),
                   (unsigned)client_uid(c), op);
            ops[i].fn(d, c, req);
            return;
        }
    }
    server_reply_error(c, "unknown-op", "unknown op '%.64s'", op);
}
