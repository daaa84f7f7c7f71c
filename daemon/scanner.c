/*
 * scanner.c: what is in the folder, and getting it into the ledger.
 *
 * Three ways a file reaches a worker: a watch event (after the settle
 * interval, urgent), a reconciliation walk (at start, after a lost event,
 * on request; bulk), or a scrub (every file, bulk). Results come back here
 * and become ledger events: added, modified, rejected, unparsed; renames and
 * removals are recorded without reading the file. A file whose bytes did
 * not change (same SHA-256) produces no event.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "evidenced.h"

uint64_t scanner_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static bool under(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    return n == 0 || (strncmp(path, prefix, n) == 0 && (path[n] == '/' || path[n] == '\0'));
}

static tracked *get_or_add(evd *d, const char *path)
{
    tracked *t = strmap_get(&d->files, path);
    if (!t) {
        t = ev_calloc(1, sizeof *t);
        strmap_put(&d->files, path, t);
    }
    return t;
}

static void forget(evd *d, const char *path)
{
    tracked *t = strmap_del(&d->files, path);
    if (!t)
        return;
    if (t->due_ms)
        d->ndue--;
    record_unref(t->rec);
    free(t);
}

/* ---- files left out ------------------------------------------------------- */

/* Leave `path` out of the ledger for `why`; logged when that is news, so a
 * rescan does not repeat the warning. */
static void skip_note(evd *d, const char *path, const char *why)
{
    char *was = strmap_get(&d->skipped, path);

    ev_log(was && strcmp(was, why) == 0 ? EV_LOG_DEBUG : EV_LOG_WARNING, "skipped %s: %s",
           path, why);
    free(strmap_put(&d->skipped, path, ev_strdup(why)));
}

static void skip_clear(evd *d, const char *path)
{
    free(strmap_del(&d->skipped, path));
}

typedef struct sweep_ctx {
    const char *prefix;
    const strmap *keep;
    char **v;
    size_t n, cap;
} sweep_ctx;

static void find_stale(void *ctx, const char *path, void *value)
{
    sweep_ctx *s = ctx;
    (void)value;
    if (!under(path, s->prefix) || (s->keep && strmap_get(s->keep, path)))
        return;
    s->v = ev_grow(s->v, &s->cap, s->n + 1, sizeof *s->v);
    s->v[s->n++] = ev_strdup(path);
}

/* Forget what was left out at or below `prefix`, but the paths in `keep`
 * (NULL: none), which a walk has just found left out again. */
static void skip_clear_under(evd *d, const char *prefix, const strmap *keep)
{
    sweep_ctx s = {.prefix = prefix, .keep = keep};

    strmap_each(&d->skipped, find_stale, &s);
    for (size_t i = 0; i < s.n; i++) {
        skip_clear(d, s.v[i]);
        free(s.v[i]);
    }
    free(s.v);
}

#define WHY_NOT_UTF8 "its name is not UTF-8 (a name in a legacy encoding such as GBK); " \
                     "rename it to have it recorded"

/* The part of `path` that is not UTF-8: up to the end of its first name
 * that is not (a folder of such a name leaves out everything in it, and is
 * counted once, as the walk counts it). NULL when all of it is UTF-8. */
static char *bad_name(const char *path)
{
    for (const char *p = path;;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (!ev_utf8_valid(p, n))
            return ev_strndup(path, (size_t)(p - path) + n);
        if (!slash)
            return NULL;
        p = slash + 1;
    }
}

static const char *file_type_name(mode_t mode)
{
    return S_ISLNK(mode) ? "symbolic link" : S_ISFIFO(mode) ? "FIFO"
         : S_ISSOCK(mode) ? "socket" : S_ISDIR(mode) ? "folder" : "device node";
}

/* ---- settle and submit ------------------------------------------------- */

static void submit(evd *d, const char *path, tracked *t, bool urgent)
{
    if (t->due_ms) {
        t->due_ms = 0;
        d->ndue--;
    }
    if (t->in_flight) {
        t->again = true;
        return;
    }
    t->in_flight = true;
    t->submitted_ms = scanner_now_ms();
    t->ticket = ++d->next_ticket;
    workers_submit(d->pool, job_new(path, t->ticket, d->cat, urgent));
}

typedef struct due_scan {
    evd *d;
    uint64_t now;
    uint64_t next;
    const char **ready;
    size_t nready, cap;
} due_scan;

static void find_due(void *ctx, const char *path, void *value)
{
    due_scan *s = ctx;
    tracked *t = value;
    if (!t->due_ms)
        return;
    if (t->due_ms <= s->now) {
        s->ready = ev_grow(s->ready, &s->cap, s->nready + 1, sizeof *s->ready);
        s->ready[s->nready++] = path;
    } else if (!s->next || t->due_ms < s->next) {
        s->next = t->due_ms;
    }
}

/* Submit what is due and arm the timer for the next deadline. The walk is
 * over every tracked file, but only while something waits to settle. */
static void settle_tick(loop *l, void *arg)
{
    evd *d = arg;
    due_scan s = {.d = d, .now = scanner_now_ms()};

    (void)l;
    if (d->ndue == 0)
        return;
    strmap_each(&d->files, find_due, &s);
    for (size_t i = 0; i < s.nready; i++) {
        char *path = ev_strdup(s.ready[i]);
        tracked *t = strmap_get(&d->files, path);
        submit(d, path, t, t->urgent);
        free(path);
    }
    free(s.ready);
    if (s.next)
        loop_timer_arm(d->settle_timer, s.next - s.now, 0);
}

/* Parse `path` once it has been quiet for delay_ms. */
static void schedule_after(evd *d, const char *path, bool urgent, unsigned delay_ms)
{
    tracked *t = get_or_add(d, path);
    uint64_t now = scanner_now_ms();

    if (t->in_flight) {
        t->again = true;
        t->urgent |= urgent;
        return;
    }
    if (!t->due_ms)
        d->ndue++;
    t->due_ms = now + delay_ms + 1;
    t->urgent = urgent;
    if (delay_ms == 0) {
        submit(d, path, t, urgent);
        return;
    }
    /* A tick before the deadline finds nothing due and re-arms for it: a
     * long delay must not hold back files that settle sooner. */
    loop_timer_arm(d->settle_timer, (delay_ms < d->cfg.settle_ms ? delay_ms : d->cfg.settle_ms) + 1,
                   0);
}

/*
 * A writer that pauses longer than the settle interval between writes (a
 * log appended every few hundred milliseconds, a copy over a slow share)
 * would have its file read, hashed and recorded at every pause, and a
 * large file read while it grows read again and again. So each file has
 * its own interval: a write that comes within that interval of the file
 * being taken for quiet (handed to the workers), or a read that found it
 * changing, doubles it, up to SETTLE_MAX_MS; the first write after a quiet
 * spell of SETTLE_RESET intervals starts again from the configured one. A
 * file written without pause is read a few times at most, then once it is
 * quiet; it is never taken for gone.
 */
#define SETTLE_MIN_MS 100u
#define SETTLE_MAX_MS 10000u
#define SETTLE_RESET 4

static unsigned settle_of(const evd *d, const tracked *t)
{
    return t->settle_ms ? t->settle_ms : d->cfg.settle_ms;
}

static void back_off(evd *d, tracked *t)
{
    unsigned now = settle_of(d, t);
    unsigned max = d->cfg.settle_ms > SETTLE_MAX_MS ? d->cfg.settle_ms : SETTLE_MAX_MS;
    unsigned next = now < SETTLE_MIN_MS / 2 ? SETTLE_MIN_MS : now * 2;

    t->settle_ms = next < max ? next : max;
}

/* A write event for a known file: back off if it was taken for quiet too
 * soon (see above). */
static void note_write(evd *d, tracked *t)
{
    uint64_t now = scanner_now_ms(), before = t->written_ms;

    t->written_ms = now;
    if (before && now - before > (uint64_t)SETTLE_RESET * settle_of(d, t))
        t->settle_ms = 0;
    else if (t->submitted_ms && t->submitted_ms >= before &&
             now - t->submitted_ms < settle_of(d, t))
        back_off(d, t);
}

/* Parse `path` once it has been quiet for its settle interval. */
static void schedule(evd *d, const char *path, bool urgent)
{
    schedule_after(d, path, urgent, settle_of(d, get_or_add(d, path)));
}

/* ---- recording ---------------------------------------------------------- */

/* The ledger's view of a record: JSON members as text, owned here. */
typedef struct file_row {
    ledger_file f;
    char *fields, *meta, *warnings, *analysis;
} file_row;

static void row_from_evidence(file_row *r, const evidence *e, const ledger_stat *st)
{
    json_t *analysis = json_pack("{s:O, s:O, s:O, s:s?}", "why", e->why, "checks",
                                 e->checks, "notes", e->notes, "subtype", e->subtype);
    /* Only when there are any, so other records hash as before. */
    if (json_array_size(e->signatures) > 0)
        json_object_set(analysis, "signatures", e->signatures);
    if (e->ocr)
        json_object_set(analysis, "ocr", e->ocr);
    if (json_object_size(e->sources) > 0)
        json_object_set(analysis, "sources", e->sources);
    memset(r, 0, sizeof *r);
    r->fields = json_dumps(e->fields, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
    r->meta = json_dumps(e->metadata, JSON_COMPACT | JSON_SORT_KEYS);
    r->warnings = json_dumps(e->warnings, JSON_COMPACT);
    r->analysis = json_dumps(analysis, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(analysis);
    r->f.path = e->path;
    r->f.st = *st;
    r->f.sha256 = e->sha256;
    r->f.size = (int64_t)e->size;
    r->f.format = e->error ? NULL : e->unparsed ? "unparsed" : e->format;
    r->f.kind = e->kind;
    r->f.topic = e->topic;
    r->f.language = e->language;
    r->f.title = e->title;
    r->f.text_chars = (int64_t)e->text_chars;
    r->f.fields_json = r->fields;
    r->f.meta_json = r->meta;
    r->f.warnings_json = r->warnings;
    r->f.analysis_json = r->analysis;
    if (e->error) {
        r->f.error_code = ev_code_name(e->error);
        r->f.error_message = e->error_message ? e->error_message : "";
    }
}

static void row_free(file_row *r)
{
    free(r->fields);
    free(r->meta);
    free(r->warnings);
    free(r->analysis);
}

/* Rebuild a record from a ledger row (the daemon restarts without parsing). */
static record *record_from_row(const ledger_file *f)
{
    json_t *o = json_object();
    json_t *analysis;
    record *r;

    json_object_set_new(o, "path", json_string(f->path));
    json_object_set_new(o, "sha256", json_string(f->sha256));
    json_object_set_new(o, "size", json_integer(f->size));
    if (f->error_code) {
        json_object_set_new(o, "error", json_pack("{s:s, s:s}", "code", f->error_code,
                            "message", f->error_message ? f->error_message : ""));
    } else {
        json_object_set_new(o, "format", f->format ? json_string(f->format) : json_null());
        if (f->kind) json_object_set_new(o, "kind", json_string(f->kind));
        if (f->topic) json_object_set_new(o, "topic", json_string(f->topic));
        if (f->language) json_object_set_new(o, "language", json_string(f->language));
        if (f->title) json_object_set_new(o, "title", json_string(f->title));
        json_object_set_new(o, "text_chars", json_integer(f->text_chars));
        if (f->fields_json)
            json_object_set_new(o, "fields", json_loads(f->fields_json, 0, NULL));
        if (f->meta_json)
            json_object_set_new(o, "metadata", json_loads(f->meta_json, 0, NULL));
        if (f->warnings_json)
            json_object_set_new(o, "warnings", json_loads(f->warnings_json, 0, NULL));
        analysis = f->analysis_json ? json_loads(f->analysis_json, 0, NULL) : NULL;
        if (json_is_object(analysis))
            json_object_update(o, analysis);
        json_decref(analysis);
    }
    r = record_from_object(o);
    json_decref(o);
    return r;
}

static void record_removed(evd *d, const char *path)
{
    ev_error err;
    int64_t seq = 0;
    tracked *t = strmap_get(&d->files, path);

    if (!t)
        return;
    if (t->rec) {
        ev_error_clear(&err);
        if (ledger_record_removed(d->led, path, &seq, &err) == EV_OK)
            control_event(d, seq, "removed", path, NULL, NULL, NULL);
        else if (err.code != EV_ENOTFOUND)
            ev_log(EV_LOG_ERR, "ledger: %s", err.message);
        status_mark_dirty(d);
    }
    if (t->in_flight) {
        /* A result still on its way must not bring the file back; the entry
         * goes when it arrives (scanner_on_job). */
        record_unref(t->rec);
        t->rec = NULL;
        t->ticket = ++d->next_ticket;
        t->again = false;
        if (t->due_ms)
            d->ndue--;
        t->due_ms = 0;
        return;
    }
    forget(d, path);
}

static void record_renamed(evd *d, const char *old_path, const char *new_path,
                           const ledger_stat *st)
{
    tracked *t = strmap_get(&d->files, old_path);
    tracked *dst;
    record *renamed;
    ev_error err;
    int64_t seq = 0;

    if (!t || !t->rec) {
        schedule(d, new_path, true);        /* nothing recorded there: a new file */
        return;
    }
    ev_error_clear(&err);
    if (ledger_record_rename(d->led, old_path, new_path, st, &seq, &err) != EV_OK) {
        ev_log(EV_LOG_ERR, "ledger: rename %s -> %s: %s", old_path, new_path, err.message);
        return;
    }
    control_event(d, seq, "renamed", new_path, old_path, t->rec->sha256, t->rec->kind);
    strmap_del(&d->files, old_path);
    dst = strmap_get(&d->files, new_path);
    if (dst) {
        if (dst->due_ms)
            d->ndue--;
        record_unref(dst->rec);
        free(dst);
    }
    renamed = record_with_path(t->rec, new_path);
    record_unref(t->rec);
    t->rec = renamed;
    t->st = *st;
    ocrq_consider(d, new_path, t->rec);
    if (t->due_ms) {
        t->due_ms = 0;
        d->ndue--;
    }
    t->in_flight = false;
    t->ticket = ++d->next_ticket;
    strmap_put(&d->files, new_path, t);
    status_mark_dirty(d);
}

/* A result from the workers: record what changed. */
/*
 * A copy over a slow share opens, appends and closes the file chunk by
 * chunk, and may pause longer than the settle interval between chunks: in
 * between, the document is truncated and does not read. While it was
 * written lately, look again a little later (1 s, 2 s, ... up to
 * UNREAD_RETRIES times) before recording a rejection.
 */
#define UNREAD_RETRIES 5
#define UNREAD_RECENT_NS (10 * 1000000000LL)

static bool still_being_written(const evidence *e, const ledger_stat *st, unsigned tries)
{
    struct timespec now;

    if (tries >= UNREAD_RETRIES || (e->error != EV_EMALFORMED && e->error != EV_ENOTDOC))
        return false;
    clock_gettime(CLOCK_REALTIME, &now);
    return (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec - st->mtime_ns < UNREAD_RECENT_NS;
}

static void apply(evd *d, job *j, tracked *t)
{
    evidence *e = j->ev;
    const char *type;
    ledger_event_type lt;
    file_row row;
    ev_error err;
    int64_t seq = 0;

    if (still_being_written(e, &j->st, t->unread)) {
        t->unread++;
        ev_log(EV_LOG_INFO, "%s does not read yet (%s) and was written lately: looking again "
               "in %u s", j->path, ev_code_name(e->error), t->unread);
        schedule_after(d, j->path, t->urgent, 1000 * t->unread);
        return;
    }
    t->unread = 0;

    if (t->rec && strcmp(t->rec->sha256, e->sha256) == 0) {
        /* Same bytes: only the stat tuple (a touch, a copy over itself). */
        if (!ledger_stat_equal(&t->st, &j->st)) {
            ev_error_clear(&err);
            if (ledger_touch_stat(d->led, j->path, &j->st, &err) != EV_OK)
                ev_log(EV_LOG_WARNING, "ledger: %s", err.message);
            t->st = j->st;
        }
        /* The analysis may differ (another catalog): keep the newest, but
         * not over what OCR read of these bytes, which is not read twice. */
        if (t->rec->read_by_ocr && !e->ocr)
            return;
        record_unref(t->rec);
        t->rec = record_new(e);
        status_mark_dirty(d);
        return;
    }
    if (e->error) {
        lt = LEDGER_REJECTED, type = "rejected";
        ev_log(EV_LOG_NOTICE, "%s rejected: %s: %s", j->path, ev_code_name(e->error),
               e->error_message ? e->error_message : "");
    } else if (e->unparsed) {
        lt = LEDGER_UNPARSED, type = "unparsed";
    } else if (t->rec) {
        lt = LEDGER_MODIFIED, type = "modified";
    } else {
        lt = LEDGER_ADDED, type = "added";
    }
    row_from_evidence(&row, e, &j->st);
    ev_error_clear(&err);
    if (ledger_record_version(d->led, lt, &row.f, &seq, &err) != EV_OK) {
        ev_log(EV_LOG_ERR, "ledger: cannot record %s: %s", j->path, err.message);
        row_free(&row);
        return;
    }
    row_free(&row);
    control_event(d, seq, type, j->path, NULL, e->sha256, e->kind);
    record_unref(t->rec);
    t->rec = record_new(e);
    t->st = j->st;
    status_mark_dirty(d);
    ocrq_consider(d, j->path, t->rec);
}

void scanner_record_reading(evd *d, const char *path, const evidence *e)
{
    tracked *t = strmap_get(&d->files, path);
    file_row row;
    ev_error err;
    int64_t seq = 0;

    /* Changed or gone since it was read: the reading is of other bytes. */
    if (!t || !t->rec || strcmp(t->rec->sha256, e->sha256) != 0)
        return;
    row_from_evidence(&row, e, &t->st);
    row.f.path = path;
    ev_error_clear(&err);
    if (ledger_record_version(d->led, LEDGER_READ, &row.f, &seq, &err) != EV_OK) {
        ev_log(EV_LOG_ERR, "ledger: cannot record the reading of %s: %s", path, err.message);
        row_free(&row);
        return;
    }
    row_free(&row);
    control_event(d, seq, "read", path, NULL, e->sha256, e->kind);
    record_unref(t->rec);
    t->rec = record_new(e);
    ocrq_consider(d, path, t->rec);
    status_mark_dirty(d);
}

void scanner_on_job(void *arg, job *j)
{
    evd *d = arg;
    tracked *t = strmap_get(&d->files, j->path);

    if (!t || d->stopping) {
        job_free(j);
        return;
    }
    t->in_flight = false;
    if (t->ticket != j->ticket) {
        /* Removed while it was read: the result is stale, and an entry with
         * nothing recorded and nothing to do must not linger. */
        if (t->again) {
            t->again = false;
            schedule(d, j->path, t->urgent);
        } else if (!t->rec && !t->due_ms) {
            forget(d, j->path);
        }
        job_free(j);
        return;
    }
    switch (j->outcome) {
    case JOB_ANALYZED:
        d->files_parsed++;
        skip_clear(d, j->path);
        apply(d, j, t);
        break;
    case JOB_VANISHED:
        skip_clear(d, j->path);
        record_removed(d, j->path);
        t = NULL;
        break;
    case JOB_SKIPPED:
        skip_note(d, j->path, j->message);
        if (t->rec)
            record_removed(d, j->path);
        else if (!t->again)
            forget(d, j->path);
        t = NULL;
        break;
    case JOB_UNSTABLE:
        /* Read while it changed, or not readable for a while: later, and
         * later each time, never recorded as gone (it is there). */
        back_off(d, t);
        ev_log(EV_LOG_DEBUG, "%s %s: looking again in %u ms", j->path,
               j->message[0] ? j->message : "changed while it was read", settle_of(d, t));
        t->again = true;
        break;
    }
    t = strmap_get(&d->files, j->path);
    if (t && t->again && !t->in_flight) {
        t->again = false;
        schedule(d, j->path, t->urgent);
    }
    job_free(j);
}

/* ---- the walk ------------------------------------------------------------ */

typedef struct found {
    char *path;
    ledger_stat st;
    bool matched;
} found;

typedef struct walk {
    found *v;
    size_t n, cap;
    strmap noted;           /* paths the walk left out */
} walk;

/* What the walk leaves out is noted for status at once. */
static void walk_skip(evd *d, walk *w, const char *path, const char *why)
{
    skip_note(d, path, why);
    strmap_put(&w->noted, path, w);
}

static void walk_dir(evd *d, walk *w, const char *rel, int depth)
{
    int fd = rel[0] ? openat(d->root_fd, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                    : dup(d->root_fd);
    DIR *dir;
    struct dirent *de;

    if (fd < 0)
        return;
    if (depth > WATCH_MAX_DEPTH) {
        char *why = ev_asprintf("folders nested deeper than %d are not read, so nothing in "
                                "it is recorded", WATCH_MAX_DEPTH);
        walk_skip(d, w, rel, why);
        free(why);
        close(fd);
        return;
    }
    lseek(fd, 0, SEEK_SET);
    dir = fdopendir(fd);
    if (!dir) {
        close(fd);
        return;
    }
    while ((de = readdir(dir)) != NULL) {
        struct stat st;
        char *path;
        const char *name = de->d_name;
        if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
            continue;
        path = rel[0] ? ev_asprintf("%s/%s", rel, name) : ev_strdup(name);
        if (!ev_utf8_valid(path, strlen(path))) {
            walk_skip(d, w, path, WHY_NOT_UTF8);
        } else if (fstatat(dirfd(dir), name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            ev_log(EV_LOG_DEBUG, "%s: %s", path, strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            walk_dir(d, w, path, depth + 1);
        } else if (S_ISREG(st.st_mode) && watch_is_lock_file(name, st.st_size)) {
            ev_log(EV_LOG_DEBUG, "%s: a lock file", path);
        } else if (S_ISREG(st.st_mode)) {
            w->v = ev_grow(w->v, &w->cap, w->n + 1, sizeof *w->v);
            w->v[w->n++] = (found){.path = path, .st = ledger_stat_of(&st)};
            path = NULL;
        } else {
            char *why = ev_asprintf("not a regular file (%s)", file_type_name(st.st_mode));
            walk_skip(d, w, path, why);
            free(why);
        }
        free(path);
    }
    closedir(dir);
}

/* Same file, moved: what stays when a file is renamed (ctime may not). */
static char *inode_key(const ledger_stat *st)
{
    return ev_asprintf("%lld:%lld:%lld:%lld", (long long)st->dev, (long long)st->ino,
                       (long long)st->size, (long long)st->mtime_ns);
}

typedef struct missing_scan {
    const char *prefix;
    strmap *seen;
    strmap *by_inode;       /* key -> path of every recorded file not seen */
    const char **gone;      /* recorded files below prefix that are gone */
    size_t ngone, cap;
} missing_scan;

/* Files recorded anywhere are rename candidates: a file moved into a new
 * folder is found by the folder's walk while its old place may lie outside
 * the walk. Only those below the prefix are known to be gone. */
static void find_missing(void *ctx, const char *path, void *value)
{
    missing_scan *m = ctx;
    tracked *t = value;
    if (!t->rec || strmap_get(m->seen, path))
        return;
    char *key = inode_key(&t->st);
    strmap_put(m->by_inode, key, (void *)path);
    free(key);
    if (!under(path, m->prefix))
        return;
    m->gone = ev_grow(m->gone, &m->cap, m->ngone + 1, sizeof *m->gone);
    m->gone[m->ngone++] = path;
}

/* Whether a recorded path outside the walk no longer holds that file. */
static bool moved_away(evd *d, const char *path, const char *prefix, const ledger_stat *was)
{
    struct stat st;
    if (under(path, prefix))
        return true;
    return fstatat(d->root_fd, path, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
           (int64_t)st.st_ino != was->ino || (int64_t)st.st_dev != was->dev;
}

/* A scan of the whole folder begins: its reads are counted afresh, unless
 * one is under way (a rescan during a scan goes on counting). */
static void scan_begin(evd *d)
{
    if (!d->scanning)
        d->files_parsed = 0;
    d->scanning = true;
}

void scanner_reconcile(evd *d, const char *prefix, bool urgent)
{
    walk w = {0};
    strmap seen = {0}, by_inode = {0}, moved = {0};
    missing_scan m = {.prefix = prefix, .seen = &seen, .by_inode = &by_inode};
    char **renamed_from;
    size_t submitted = 0, unchanged = 0, renamed = 0;

    if (!*prefix)
        scan_begin(d);
    d->scanning = true;
    control_batch_begin(d);
    walk_dir(d, &w, prefix, watch_depth(prefix));
    for (size_t i = 0; i < w.n; i++) {
        strmap_put(&seen, w.v[i].path, &w.v[i]);
        /* Left out for being unreadable: so until its worker says. */
        strmap_put(&w.noted, w.v[i].path, &w);
    }
    /* What was left out and is no longer there, or is no longer left out. */
    skip_clear_under(d, prefix, &w.noted);
    strmap_each(&d->files, find_missing, &m);

    renamed_from = ev_calloc(w.n + 1, sizeof *renamed_from);
    for (size_t i = 0; i < w.n; i++) {
        found *f = &w.v[i];
        tracked *t = strmap_get(&d->files, f->path);
        if (t && t->rec && ledger_stat_equal(&t->st, &f->st)) {
            unchanged++;
            continue;
        }
        if (!t || !t->rec) {
            char *key = inode_key(&f->st);
            const char *old = strmap_get(&by_inode, key);
            if (old && moved_away(d, old, prefix, &f->st)) {
                renamed_from[i] = ev_strdup(old);
                strmap_put(&moved, old, f);
                strmap_del(&by_inode, key);     /* one destination per file */
                free(key);
                continue;
            }
            free(key);
        }
        if (!t)
            t = get_or_add(d, f->path);
        submit(d, f->path, t, urgent);
        submitted++;
    }
    /* Removals first: a rename may target a path whose old file went away. */
    for (size_t i = 0; i < m.ngone; i++) {
        if (!strmap_get(&moved, m.gone[i])) {
            char *path = ev_strdup(m.gone[i]);
            record_removed(d, path);
            free(path);
        }
    }
    for (size_t i = 0; i < w.n; i++) {
        if (!renamed_from[i])
            continue;
        record_renamed(d, renamed_from[i], w.v[i].path, &w.v[i].st);
        free(renamed_from[i]);
        renamed++;
    }
    ev_log(EV_LOG_INFO, "reconciled %s: %zu files, %zu unchanged, %zu to read, "
           "%zu renamed, %zu removed", prefix[0] ? prefix : "the folder", w.n, unchanged,
           submitted, renamed, m.ngone - renamed);
    for (size_t i = 0; i < w.n; i++)
        free(w.v[i].path);
    free(w.v);
    free(renamed_from);
    free(m.gone);
    strmap_free(&seen);
    strmap_free(&w.noted);
    strmap_free(&by_inode);
    strmap_free(&moved);
    control_batch_end(d);
    if (workers_pending(d->pool) == 0)
        d->scanning = false;
    status_mark_dirty(d);
}

typedef struct reread_ctx {
    evd *d;
    const char **paths;
    size_t n, cap;
} reread_ctx;

static void collect(void *ctx, const char *path, void *value)
{
    reread_ctx *r = ctx;
    (void)value;
    r->paths = ev_grow(r->paths, &r->cap, r->n + 1, sizeof *r->paths);
    r->paths[r->n++] = path;
}

bool scanner_reattach_root(evd *d)
{
    struct stat held, now;
    watcher *w = NULL;
    ev_error err;
    int fd;

    if (fstat(d->root_fd, &held) == 0 && held.st_nlink > 0 && stat(d->cfg.watch, &now) == 0 &&
        now.st_dev == held.st_dev && now.st_ino == held.st_ino) {
        if (d->root_lost)       /* a mount that went away for a while */
            ev_log(EV_LOG_NOTICE, "the evidence folder %s is back", d->cfg.watch);
        d->root_lost = false;
        return false;
    }
    fd = open(d->cfg.watch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        if (!d->root_lost)
            ev_log(EV_LOG_ERR, "the evidence folder %s is gone (%s): its files are recorded "
                   "as removed; waiting for it to come back", d->cfg.watch, strerror(errno));
        d->root_lost = true;
        return false;
    }
    /* The same descriptor number: the workers and the verifier hold it. */
    if (dup2(fd, d->root_fd) < 0) {
        ev_log(EV_LOG_ERR, "evidence folder %s: %s", d->cfg.watch, strerror(errno));
        close(fd);
        return false;
    }
    close(fd);
    ev_error_clear(&err);
    if (watch_open(d->l, d->cfg.watch, scanner_on_watch, d, &w, &err) != EV_OK) {
        ev_log(EV_LOG_ERR, "%s", err.message);
    } else {
        watch_close(d->watch);
        d->watch = w;
    }
    ev_log(EV_LOG_NOTICE, "the evidence folder %s is %s: watching it again", d->cfg.watch,
           d->root_lost ? "back" : "another folder now");
    d->root_lost = false;
    return true;
}

void scanner_reread_all(evd *d)
{
    reread_ctx r = {.d = d};

    scan_begin(d);
    strmap_each(&d->files, collect, &r);
    for (size_t i = 0; i < r.n; i++) {
        char *path = ev_strdup(r.paths[i]);
        submit(d, path, strmap_get(&d->files, path), false);
        free(path);
    }
    free(r.paths);
    /* Files that appeared unnoticed are found by a walk as well. */
    scanner_reconcile(d, "", false);
}

/* ---- watch events -------------------------------------------------------- */

typedef struct prefix_ctx {
    const char *prefix;
    const char **paths;
    size_t n, cap;
} prefix_ctx;

static void collect_under(void *ctx, const char *path, void *value)
{
    prefix_ctx *p = ctx;
    (void)value;
    if (!under(path, p->prefix))
        return;
    p->paths = ev_grow(p->paths, &p->cap, p->n + 1, sizeof *p->paths);
    p->paths[p->n++] = path;
}

static char **paths_under(evd *d, const char *prefix, size_t *n)
{
    prefix_ctx p = {.prefix = prefix};
    char **copy;

    strmap_each(&d->files, collect_under, &p);
    copy = ev_calloc(p.n + 1, sizeof *copy);
    for (size_t i = 0; i < p.n; i++)
        copy[i] = ev_strdup(p.paths[i]);
    free(p.paths);
    *n = p.n;
    return copy;
}

static void rename_folder(evd *d, const char *old_dir, const char *new_dir)
{
    size_t n;
    char **paths = paths_under(d, old_dir, &n);
    size_t len = strlen(old_dir);

    control_batch_begin(d);
    for (size_t i = 0; i < n; i++) {
        char *to = ev_asprintf("%s%s", new_dir, paths[i] + len);
        struct stat st;
        if (fstatat(d->root_fd, to, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
            ledger_stat ls = ledger_stat_of(&st);
            record_renamed(d, paths[i], to, &ls);
        } else {
            record_removed(d, paths[i]);
        }
        free(to);
        free(paths[i]);
    }
    free(paths);
    /* Anything that arrived with the folder and was not known before. */
    scanner_reconcile(d, new_dir, true);
    control_batch_end(d);
}

/* Everything recorded at or below `prefix` is gone. */
static void removed_under(evd *d, const char *prefix)
{
    size_t n;
    char **paths = paths_under(d, prefix, &n);

    control_batch_begin(d);
    for (size_t i = 0; i < n; i++) {
        record_removed(d, paths[i]);
        free(paths[i]);
    }
    control_batch_end(d);
    free(paths);
}

/*
 * An event whose path or old path has a name that is not UTF-8: such names
 * are left out (and counted), so a rename from one to a UTF-8 name is an
 * arrival, and a rename to one is a removal.
 */
static void on_bad_name(evd *d, watch_event ev, const char *path, const char *old_path,
                        bool is_dir, char *bad, char *old_bad)
{
    if (old_path && old_bad)
        skip_clear_under(d, old_bad, NULL);
    else if (old_path && is_dir)
        removed_under(d, old_path);
    else if (old_path)
        record_removed(d, old_path);
    if (!bad) {
        if (is_dir)
            scanner_reconcile(d, path, true);
        else
            schedule(d, path, true);
        return;
    }
    switch (ev) {
    case WATCH_GONE:
    case WATCH_MOVED_OUT:
    case WATCH_DIR_GONE:
        skip_clear_under(d, bad, NULL);
        break;
    case WATCH_CHANGING:
    case WATCH_RESCAN:
        break;
    default:
        skip_note(d, bad, WHY_NOT_UTF8);
        break;
    }
}

/* A name appeared with no write: a hard link is read now (no IN_CLOSE_WRITE
 * will come for it); anything but a file or a folder is left out. A new
 * file of one link is being written and will be read when it is closed. */
static void on_created(evd *d, const char *path)
{
    struct stat st;

    if (fstatat(d->root_fd, path, &st, AT_SYMLINK_NOFOLLOW) != 0 || S_ISDIR(st.st_mode))
        return;
    if (S_ISREG(st.st_mode)) {
        if (st.st_nlink > 1)
            schedule(d, path, true);
    } else {
        char *why = ev_asprintf("not a regular file (%s)", file_type_name(st.st_mode));
        skip_note(d, path, why);
        free(why);
    }
}

/* A mode, owner or link count changed: a file left out as unreadable may
 * read now, and a recorded one may no longer. Other files will be read
 * when their writer closes them. */
static void on_attrib(evd *d, const char *path)
{
    tracked *t = strmap_get(&d->files, path);

    if (strmap_get(&d->skipped, path) || (t && (t->rec || t->due_ms || t->in_flight)))
        schedule(d, path, true);
}

void scanner_on_watch(void *arg, watch_event ev, const char *path, const char *old_path,
                      bool is_dir)
{
    evd *d = arg;
    tracked *t;
    size_t n;
    char **paths;
    char *bad = bad_name(path), *old_bad = old_path ? bad_name(old_path) : NULL;

    if (bad || old_bad) {
        on_bad_name(d, ev, path, old_path, is_dir, bad, old_bad);
        free(bad);
        free(old_bad);
        return;
    }
    switch (ev) {
    case WATCH_WRITTEN:
        note_write(d, get_or_add(d, path));
        schedule(d, path, true);
        break;
    case WATCH_CHANGING:
        /* Pending or being read: read it once the writes stop. */
        t = strmap_get(&d->files, path);
        if (!t)
            break;
        note_write(d, t);
        if (t->due_ms || t->in_flight)
            schedule(d, path, t->urgent);
        break;
    case WATCH_CREATED:
        on_created(d, path);
        break;
    case WATCH_ATTRIB:
        on_attrib(d, path);
        break;
    case WATCH_GONE:
        skip_clear(d, path);
        record_removed(d, path);
        break;
    case WATCH_MOVED_OUT:
        /* Gone, unless a walk of a new folder finds it by its inode before
         * the check comes back: then it was a rename. */
        skip_clear_under(d, path, NULL);
        if (!is_dir) {
            schedule(d, path, true);
            break;
        }
        paths = paths_under(d, path, &n);
        for (size_t i = 0; i < n; i++) {
            schedule(d, paths[i], true);
            free(paths[i]);
        }
        free(paths);
        break;
    case WATCH_RENAMED:
        skip_clear_under(d, old_path, NULL);
        if (is_dir) {
            rename_folder(d, old_path, path);
        } else {
            struct stat st;
            if (fstatat(d->root_fd, path, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
                !S_ISREG(st.st_mode)) {
                record_removed(d, old_path);
                on_created(d, path);
                break;
            }
            ledger_stat ls = ledger_stat_of(&st);
            record_renamed(d, old_path, path, &ls);
            /* Renamed over by an editor's save: check the bytes too. */
            schedule(d, path, true);
        }
        break;
    case WATCH_DIR_ADDED:
        scanner_reconcile(d, path, true);
        break;
    case WATCH_DIR_GONE:
        skip_clear_under(d, path, NULL);
        removed_under(d, path);
        break;
    case WATCH_RESCAN:
        scanner_reconcile(d, "", false);
        break;
    }
}

/* ---- start and stop -------------------------------------------------------- */

static int load_row(void *ctx, const ledger_file *f)
{
    evd *d = ctx;
    tracked *t = get_or_add(d, f->path);

    record_unref(t->rec);
    t->rec = record_from_row(f);
    t->st = f->st;
    ocrq_consider(d, f->path, t->rec);
    return 0;
}

ev_code scanner_load(evd *d, ev_error *err)
{
    d->settle_timer = loop_timer_new(d->l, false, settle_tick, d);
    if (!d->settle_timer)
        return ev_fail(err, EV_EIO, "timerfd: %s", strerror(errno));
    return ledger_documents(d->led, load_row, d, err);
}

static void free_tracked(void *ctx, const char *path, void *value)
{
    tracked *t = value;
    (void)ctx, (void)path;
    record_unref(t->rec);
    free(t);
}

static void count_recorded(void *ctx, const char *path, void *value)
{
    const tracked *t = value;
    (void)path;
    *(size_t *)ctx += t->rec != NULL;
}

size_t scanner_documents(const evd *d)
{
    size_t n = 0;
    strmap_each(&d->files, count_recorded, &n);
    return n;
}

static void free_value(void *ctx, const char *path, void *value)
{
    (void)ctx, (void)path;
    free(value);
}

void scanner_free(evd *d)
{
    strmap_each(&d->files, free_tracked, NULL);
    strmap_free(&d->files);
    strmap_each(&d->skipped, free_value, NULL);
    strmap_free(&d->skipped);
    loop_timer_free(d->settle_timer);
    d->settle_timer = NULL;
}
