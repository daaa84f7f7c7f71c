/* ledger.c: the evidence ledger in SQLite, hash-chained and signed. */
#include "ledger.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>

#include "merkle.h"

#define SCHEMA_VERSION 2
#define SET_SCHEMA_VERSION "PRAGMA user_version = 2"
#define BUSY_TIMEOUT_MS 5000
/* The canonical JSON text: what is hashed, stored and compared. */
#define JSON_CANON (JSON_COMPACT | JSON_SORT_KEYS)
#define HASH_BYTES SIGNER_HASH_BYTES
#define SIG_HEX_LEN (2 * SIGNER_SIG_BYTES)
/* 2026-01-31T12:34:56.789Z, with room the compiler cannot rule out */
#define TS_BUF 64

/* The event types that record a document version (a versions row). */
#define VERSION_TYPES "'added','modified','renamed','rejected','unparsed','read'"

/* The content of a version, in the order row_to_file() reads it. */
#define VERSION_COLS \
    "size, format, kind, topic, language, title, text_chars, fields, metadata, " \
    "warnings, analysis, error, error_message"
#define VERSION_COLS_V \
    "v.size, v.format, v.kind, v.topic, v.language, v.title, v.text_chars, v.fields, " \
    "v.metadata, v.warnings, v.analysis, v.error, v.error_message"
#define EVENT_COLS "seq, ts, type, path, old_path, sha256, payload, prev_hash, hash, sig"

/* Every complete subtree of the Merkle tree over the events (merkle.h):
 * (level, idx) covers events idx * 2^level + 1 ... (idx + 1) * 2^level. */
#define TREE_SQL \
    "CREATE TABLE tree(level INTEGER NOT NULL, idx INTEGER NOT NULL, hash TEXT NOT NULL," \
    "  PRIMARY KEY (level, idx)) WITHOUT ROWID;"

static const char schema_sql[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE events("
    "  seq INTEGER PRIMARY KEY, ts TEXT NOT NULL, type TEXT NOT NULL,"
    "  path TEXT, old_path TEXT, sha256 TEXT, payload TEXT NOT NULL,"
    "  prev_hash TEXT NOT NULL, hash TEXT NOT NULL, sig TEXT NOT NULL);"
    "CREATE INDEX events_path ON events(path);"
    "CREATE INDEX events_old_path ON events(old_path);"
    /* Guards against our own mistakes; tampering is what verify is for. */
    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
    "  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
    "CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
    "  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
    "CREATE TABLE head("
    "  id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL,"
    "  hash TEXT NOT NULL, sig TEXT NOT NULL);"
    "CREATE TABLE documents("
    "  id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE,"
    "  version INTEGER REFERENCES versions(id),"
    "  dev INTEGER NOT NULL, ino INTEGER NOT NULL, size INTEGER NOT NULL,"
    "  mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL);"
    "CREATE TABLE versions("
    "  id INTEGER PRIMARY KEY, document INTEGER NOT NULL REFERENCES documents(id),"
    "  seq INTEGER NOT NULL UNIQUE REFERENCES events(seq), sha256 TEXT NOT NULL,"
    "  size INTEGER NOT NULL, format TEXT, kind TEXT, topic TEXT, language TEXT,"
    "  title TEXT, text_chars INTEGER NOT NULL, fields TEXT, metadata TEXT,"
    "  warnings TEXT, analysis TEXT, error TEXT, error_message TEXT);"
    "CREATE INDEX versions_document ON versions(document);"
    TREE_SQL;

enum stmt_id {
    ST_BEGIN,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_SAVEPOINT,
    ST_RELEASE,
    ST_ROLLBACK_TO,
    ST_HEAD_GET,
    ST_HEAD_SET,
    ST_LAST_EVENT,
    ST_META_KEY,
    ST_EVENT_INSERT,
    ST_DOC_GET,
    ST_DOC_INSERT,
    ST_DOC_SET,
    ST_DOC_CLEAR,
    ST_DOC_TOUCH,
    ST_VERSION_INSERT,
    ST_VERSION_GET,
    ST_VERSION_COPY,
    ST_LOOKUP,
    ST_DOCUMENT,
    ST_DOCUMENTS,
    ST_HISTORY,
    ST_HISTORY_PATH,
    ST_EVENT_GET,
    ST_TREE_GET,
    ST_TREE_PUT,
    ST_COUNT
};

#define FILE_SELECT \
    "SELECT d.path, d.dev, d.ino, d.size, d.mtime_ns, d.ctime_ns, v.sha256, v.seq, " \
    VERSION_COLS_V " FROM documents d JOIN versions v ON v.id = d.version"

static const char *const stmt_sql[ST_COUNT] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_SAVEPOINT] = "SAVEPOINT record",
    [ST_RELEASE] = "RELEASE record",
    [ST_ROLLBACK_TO] = "ROLLBACK TO record",
    [ST_HEAD_GET] = "SELECT seq, hash, sig FROM head WHERE id = 1",
    [ST_HEAD_SET] = "REPLACE INTO head(id, seq, hash, sig) VALUES (1, ?, ?, ?)",
    [ST_LAST_EVENT] = "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1",
    [ST_META_KEY] = "SELECT value FROM meta WHERE key = 'public_key'",
    [ST_EVENT_INSERT] = "INSERT INTO events(" EVENT_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?)",
    [ST_DOC_GET] = "SELECT d.id, d.version, v.sha256 FROM documents d"
                   " LEFT JOIN versions v ON v.id = d.version WHERE d.path = ?",
    [ST_DOC_INSERT] = "INSERT INTO documents(path, version, dev, ino, size, mtime_ns, ctime_ns)"
                      " VALUES (?, NULL, ?, ?, ?, ?, ?)",
    [ST_DOC_SET] = "UPDATE documents SET version = ?, dev = ?, ino = ?, size = ?,"
                   " mtime_ns = ?, ctime_ns = ? WHERE id = ?",
    [ST_DOC_CLEAR] = "UPDATE documents SET version = NULL WHERE id = ?",
    [ST_DOC_TOUCH] = "UPDATE documents SET dev = ?, ino = ?, size = ?, mtime_ns = ?, ctime_ns = ?"
                     " WHERE path = ? AND version IS NOT NULL",
    [ST_VERSION_INSERT] = "INSERT INTO versions(document, seq, sha256, " VERSION_COLS ")"
                          " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [ST_VERSION_GET] = "SELECT " VERSION_COLS " FROM versions WHERE id = ?",
    [ST_VERSION_COPY] = "INSERT INTO versions(document, seq, sha256, " VERSION_COLS ")"
                        " SELECT ?, ?, sha256, " VERSION_COLS " FROM versions WHERE id = ?",
    [ST_LOOKUP] = "SELECT d.dev, d.ino, d.size, d.mtime_ns, d.ctime_ns, v.sha256, v.seq"
                  " FROM documents d JOIN versions v ON v.id = d.version WHERE d.path = ?",
    [ST_DOCUMENT] = FILE_SELECT " WHERE d.path = ?",
    [ST_DOCUMENTS] = FILE_SELECT " ORDER BY d.path",
    [ST_HISTORY] = "SELECT " EVENT_COLS " FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    [ST_HISTORY_PATH] = "SELECT " EVENT_COLS " FROM events WHERE seq > ?1"
                        " AND (path = ?3 OR old_path = ?3) ORDER BY seq LIMIT ?2",
    [ST_EVENT_GET] = "SELECT " EVENT_COLS " FROM events WHERE seq = ?",
    [ST_TREE_GET] = "SELECT hash FROM tree WHERE level = ? AND idx = ?",
    [ST_TREE_PUT] = "INSERT INTO tree(level, idx, hash) VALUES (?, ?, ?)",
};

struct ledger {
    sqlite3 *db;
    const signer *signer; /* NULL for a reader */
    bool batch;           /* inside ledger_batch_begin() ... commit */
    sqlite3_stmt *st[ST_COUNT];
    char last_ts[TS_BUF];   /* of the last event this handle appended */
};

static const char *const type_names[] = {
    [LEDGER_ADDED] = "added",
    [LEDGER_MODIFIED] = "modified",
    [LEDGER_RENAMED] = "renamed",
    [LEDGER_REMOVED] = "removed",
    [LEDGER_REJECTED] = "rejected",
    [LEDGER_UNPARSED] = "unparsed",
    [LEDGER_READ] = "read",
    [LEDGER_POLICY_CHANGED] = "policy-changed",
    [LEDGER_ROLLBACK_ACCEPTED] = "rollback-accepted",
};

static const char *const fault_names[] = {
    [LEDGER_FAULT_NONE] = "none",
    [LEDGER_FAULT_MALFORMED] = "malformed",
    [LEDGER_FAULT_GAP] = "gap",
    [LEDGER_FAULT_LINK] = "broken-link",
    [LEDGER_FAULT_HASH] = "hash-mismatch",
    [LEDGER_FAULT_SIGNATURE] = "bad-signature",
    [LEDGER_FAULT_TRUNCATED] = "truncated",
    [LEDGER_FAULT_HEAD] = "bad-head",
    [LEDGER_FAULT_KEY] = "wrong-key",
    [LEDGER_FAULT_TABLES] = "tables-disagree",
    [LEDGER_FAULT_TREE] = "tree-disagrees",
    [LEDGER_FAULT_ROLLBACK] = "rollback",
};

const char *ledger_event_type_name(ledger_event_type type)
{
    assert((size_t)type < EV_ARRAY_LEN(type_names));
    return type_names[type];
}

const char *ledger_fault_name(ledger_fault fault)
{
    assert((size_t)fault < EV_ARRAY_LEN(fault_names));
    return fault_names[fault];
}

ledger_stat ledger_stat_of(const struct stat *st)
{
    ledger_stat s = {
        .dev = (int64_t)st->st_dev,
        .ino = (int64_t)st->st_ino,
        .size = (int64_t)st->st_size,
        .mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec,
        .ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec,
    };
    return s;
}

bool ledger_stat_equal(const ledger_stat *a, const ledger_stat *b)
{
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns;
}

/* ---- SQLite helpers ---------------------------------------------------- */

/* Errors of the file or the storage are EV_EIO; the rest are our bugs or
 * SQLite's, EV_EINTERNAL. */
static ev_code sql_fail(sqlite3 *db, ev_error *err, const char *what)
{
    ev_code code = EV_EINTERNAL;
    switch (sqlite3_errcode(db) & 0xff) {
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_PERM:
    case SQLITE_PROTOCOL:
        code = EV_EIO;
        break;
    default:
        break;
    }
    return ev_fail(err, code, "ledger: %s: %s", what, sqlite3_errmsg(db));
}

/* The statement, prepared on first use and kept for the handle's life. */
static ev_code stmt(ledger *l, enum stmt_id id, sqlite3_stmt **out, ev_error *err)
{
    assert(id < ST_COUNT && stmt_sql[id]);
    if (!l->st[id] &&
        sqlite3_prepare_v3(l->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &l->st[id], NULL) !=
            SQLITE_OK)
        return sql_fail(l->db, err, "prepare");
    *out = l->st[id];
    return EV_OK;
}

/* Ready a statement for its next use. sqlite3_reset() repeats the error of
 * the last step, which the caller has already handled, so it is not news. */
static void release(sqlite3_stmt *st)
{
    if (!st)
        return;
    (void)sqlite3_reset(st);
    (void)sqlite3_clear_bindings(st);
}

/*
 * Bind parameters 1..n by a type string: 't' a string (NULL binds NULL),
 * 'i' an int64_t. Returns the first SQLite error or SQLITE_OK.
 */
static int vbind(sqlite3_stmt *st, const char *types, va_list ap)
{
    int rc = SQLITE_OK;
    for (int i = 0; types[i] && rc == SQLITE_OK; i++) {
        if (types[i] == 't') {
            const char *s = va_arg(ap, const char *);
            rc = s ? sqlite3_bind_text(st, i + 1, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i + 1);
        } else {
            assert(types[i] == 'i');
            rc = sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
        }
    }
    return rc;
}

static int bind(sqlite3_stmt *st, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    int rc = vbind(st, types, ap);
    va_end(ap);
    return rc;
}

/* Run a bound statement that returns no row, then release it. */
static ev_code step_done(ledger *l, sqlite3_stmt *st, const char *what, ev_error *err)
{
    ev_code rc = EV_OK;
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = sql_fail(l->db, err, what);
    release(st);
    return rc;
}

/* Run a statement of the table with the given bindings and no result row. */
static ev_code run(ledger *l, enum stmt_id id, const char *what, ev_error *err, const char *types,
                   ...)
{
    sqlite3_stmt *st = NULL;
    ev_code rc = stmt(l, id, &st, err);
    if (rc != EV_OK)
        return rc;
    va_list ap;
    va_start(ap, types);
    int src = vbind(st, types, ap);
    va_end(ap);
    if (src != SQLITE_OK) {
        rc = sql_fail(l->db, err, what);
        release(st);
        return rc;
    }
    return step_done(l, st, what, err);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* A column that must be text (or may be NULL when null_ok). */
static bool col_is_text(sqlite3_stmt *st, int i, bool null_ok)
{
    int t = sqlite3_column_type(st, i);
    return t == SQLITE_TEXT || (null_ok && t == SQLITE_NULL);
}

static ev_code txn_begin(ledger *l, ev_error *err)
{
    return run(l, ST_BEGIN, "begin", err, "");
}

static ev_code txn_commit(ledger *l, ev_error *err)
{
    return run(l, ST_COMMIT, "commit", err, "");
}

/* Undo an open transaction after a failure; SQLite may have rolled it back
 * already (on SQLITE_FULL, for instance). */
static void txn_abort(ledger *l)
{
    if (sqlite3_get_autocommit(l->db))
        return;
    ev_error e = {0};
    if (run(l, ST_ROLLBACK, "rollback", &e, "") != EV_OK)
        ev_log(EV_LOG_ERR, "%s", e.message);
}

/*
 * One record call is one transaction, or, inside a batch, one savepoint of
 * the batch's transaction, so that a failed call undoes only itself.
 */
static ev_code rec_begin(ledger *l, ev_error *err)
{
    if (!l->batch)
        return txn_begin(l, err);
    /* SQLite ends the whole transaction on some errors (a full disk). */
    if (sqlite3_get_autocommit(l->db))
        return ev_fail(err, EV_EIO, "ledger: the batch was rolled back by an earlier error");
    return run(l, ST_SAVEPOINT, "savepoint", err, "");
}

static ev_code rec_commit(ledger *l, ev_error *err)
{
    return l->batch ? run(l, ST_RELEASE, "release savepoint", err, "") : txn_commit(l, err);
}

static void rec_abort(ledger *l)
{
    if (!l->batch) {
        txn_abort(l);
        return;
    }
    if (sqlite3_get_autocommit(l->db))
        return;
    ev_error e = {0};
    if (run(l, ST_ROLLBACK_TO, "rollback to savepoint", &e, "") != EV_OK ||
        run(l, ST_RELEASE, "release savepoint", &e, "") != EV_OK)
        ev_log(EV_LOG_ERR, "%s", e.message);
}

/* A statement used once, at open or by verify. */
static ev_code prepare_once(sqlite3 *db, const char *sql, sqlite3_stmt **out, ev_error *err)
{
    if (sqlite3_prepare_v2(db, sql, -1, out, NULL) != SQLITE_OK)
        return sql_fail(db, err, "prepare");
    return EV_OK;
}

/* The single integer a query returns (PRAGMA user_version, count(*)). */
static ev_code query_int(sqlite3 *db, const char *sql, int64_t *out, ev_error *err)
{
    sqlite3_stmt *st = NULL;
    ev_code rc = prepare_once(db, sql, &st, err);
    if (rc != EV_OK)
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        rc = sql_fail(db, err, sql);
    sqlite3_finalize(st);
    return rc;
}

/* ---- hashing, hex, time ------------------------------------------------ */

static bool is_lower_hex(const char *s, size_t len)
{
    if (!s || strlen(s) != len)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* Exactly 2n lowercase hex digits into n bytes. */
static bool hex_decode(const char *hex, unsigned char *out, size_t n)
{
    size_t len = 0;
    return is_lower_hex(hex, 2 * n) &&
           sodium_hex2bin(out, n, hex, 2 * n, NULL, &len, NULL) == 0 && len == n;
}

static void hex_encode(const unsigned char *p, size_t n, char *out)
{
    sodium_bin2hex(out, 2 * n + 1, p, n);
}

static void utc_now(char out[TS_BUF])
{
    struct timespec ts;
    struct tm tm;
    char buf[32];
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, TS_BUF, "%s.%03dZ", buf, (int)(ts.tv_nsec / 1000000));
}

static json_t *opt_string(const char *s)
{
    return s ? json_string(s) : json_null();
}

/*
 * The canonical text of an event: compact JSON with sorted keys. NULL when
 * a string is not valid UTF-8. The caller frees the result.
 */
static char *canonical_event(int64_t seq, const char *ts, const char *type, const char *path,
                             const char *old_path, const char *sha256, json_t *payload)
{
    json_t *o = json_object();
    bool ok = json_object_set_new(o, "seq", json_integer(seq)) == 0 &&
              json_object_set_new(o, "ts", json_string(ts)) == 0 &&
              json_object_set_new(o, "type", json_string(type)) == 0 &&
              json_object_set_new(o, "path", opt_string(path)) == 0 &&
              json_object_set_new(o, "old_path", opt_string(old_path)) == 0 &&
              json_object_set_new(o, "sha256", opt_string(sha256)) == 0 &&
              json_object_set(o, "payload", payload) == 0;
    char *text = ok ? json_dumps(o, JSON_CANON) : NULL;
    json_decref(o);
    return text;
}

static void event_hash(const unsigned char prev[HASH_BYTES], const char *canon,
                       unsigned char out[HASH_BYTES])
{
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, prev, HASH_BYTES);
    crypto_hash_sha256_update(&h, (const unsigned char *)canon, strlen(canon));
    crypto_hash_sha256_final(&h, out);
}

/* What the head row's signature covers. The prefix keeps it from ever being
 * the hash of an event, whose signature could otherwise be replayed. */
static void head_digest(int64_t seq, const unsigned char hash[HASH_BYTES],
                        unsigned char out[HASH_BYTES])
{
    static const char domain[] = "evidenced ledger head v1";
    unsigned char be[8];
    for (int i = 0; i < 8; i++)
        be[i] = (unsigned char)((uint64_t)seq >> (56 - 8 * i));
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, (const unsigned char *)domain, sizeof domain);
    crypto_hash_sha256_update(&h, be, sizeof be);
    crypto_hash_sha256_update(&h, hash, HASH_BYTES);
    crypto_hash_sha256_final(&h, out);
}

/* ---- version payloads -------------------------------------------------- */

/* Parse an optional JSON member of a version; NULL text is JSON null. */
static json_t *parse_member(const char *text, json_type want)
{
    if (!text)
        return json_null();
    json_t *v = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
    if (v && json_typeof(v) != want) {
        json_decref(v);
        v = NULL;
    }
    return v;
}

/*
 * The payload of an event that records the version f: every column of the
 * versions row, so that the row can be checked against the signed event.
 * Returns NULL (with *why set) when f holds text that is not UTF-8 or JSON
 * of the wrong shape.
 */
static json_t *file_payload(const ledger_file *f, const char **why)
{
    json_t *o = json_object();
    json_t *error = json_null();
    if (f->error_code) {
        json_decref(error);
        error = json_object();
        if (json_object_set_new(error, "code", json_string(f->error_code)) != 0 ||
            json_object_set_new(error, "message", opt_string(f->error_message)) != 0) {
            *why = "error code or message is not UTF-8";
            goto fail;
        }
    }
    if (json_object_set_new(o, "error", error) != 0) {
        error = NULL;
        *why = "error is not UTF-8";
        goto fail;
    }
    error = NULL;
    if (json_object_set_new(o, "size", json_integer(f->size)) != 0 ||
        json_object_set_new(o, "text_chars", json_integer(f->text_chars)) != 0 ||
        json_object_set_new(o, "format", opt_string(f->format)) != 0 ||
        json_object_set_new(o, "kind", opt_string(f->kind)) != 0 ||
        json_object_set_new(o, "topic", opt_string(f->topic)) != 0 ||
        json_object_set_new(o, "language", opt_string(f->language)) != 0 ||
        json_object_set_new(o, "title", opt_string(f->title)) != 0) {
        *why = "a text member is not UTF-8";
        goto fail;
    }
    if (json_object_set_new(o, "fields", parse_member(f->fields_json, JSON_OBJECT)) != 0) {
        *why = "fields is not a JSON object";
        goto fail;
    }
    if (json_object_set_new(o, "metadata", parse_member(f->meta_json, JSON_OBJECT)) != 0) {
        *why = "metadata is not a JSON object";
        goto fail;
    }
    if (json_object_set_new(o, "warnings", parse_member(f->warnings_json, JSON_ARRAY)) != 0) {
        *why = "warnings is not a JSON array";
        goto fail;
    }
    if (json_object_set_new(o, "analysis", parse_member(f->analysis_json, JSON_OBJECT)) != 0) {
        *why = "analysis is not a JSON object";
        goto fail;
    }
    return o;
fail:
    json_decref(error);
    json_decref(o);
    return NULL;
}

/* Fill the content members of f from VERSION_COLS starting at column c. */
static void row_to_file(sqlite3_stmt *st, int c, ledger_file *f)
{
    f->size = sqlite3_column_int64(st, c);
    f->format = col_text(st, c + 1);
    f->kind = col_text(st, c + 2);
    f->topic = col_text(st, c + 3);
    f->language = col_text(st, c + 4);
    f->title = col_text(st, c + 5);
    f->text_chars = sqlite3_column_int64(st, c + 6);
    f->fields_json = col_text(st, c + 7);
    f->meta_json = col_text(st, c + 8);
    f->warnings_json = col_text(st, c + 9);
    f->analysis_json = col_text(st, c + 10);
    f->error_code = col_text(st, c + 11);
    f->error_message = col_text(st, c + 12);
}

/* Canonical text of a payload member for the versions table; NULL for null. */
static char *member_text(json_t *payload, const char *key)
{
    json_t *v = json_object_get(payload, key);
    return json_is_null(v) ? NULL : json_dumps(v, JSON_CANON);
}

/* ---- the Merkle tree --------------------------------------------------- */

/* merkle_node_fn over the tree table. */
static ev_code tree_get(void *ctx, int level, uint64_t index, merkle_hash out, ev_error *err)
{
    ledger *l = ctx;
    sqlite3_stmt *st = NULL;
    ev_code rc = stmt(l, ST_TREE_GET, &st, err);
    if (rc != EV_OK)
        return rc;
    if (index > INT64_MAX || bind(st, "ii", (int64_t)level, (int64_t)index) != SQLITE_OK) {
        rc = sql_fail(l->db, err, "read tree");
        goto out;
    }
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW && !hex_decode(col_text(st, 0), out, MERKLE_HASH_BYTES))
        rc = ev_fail(err, EV_EINVAL, "ledger: tree node %d/%llu is not a hash; run evidencectl verify",
                     level, (unsigned long long)index);
    else if (s == SQLITE_DONE)
        rc = ev_fail(err, EV_ENOTFOUND, "ledger: the tree has no node %d/%llu; run evidencectl verify",
                     level, (unsigned long long)index);
    else if (s != SQLITE_ROW)
        rc = sql_fail(l->db, err, "read tree");
out:
    release(st);
    return rc;
}

/* merkle_store_fn into the tree table, inside the caller's transaction. */
static ev_code tree_put(void *ctx, int level, uint64_t index, const merkle_hash h, ev_error *err)
{
    char hex[LEDGER_HEX_LEN + 1];
    hex_encode(h, MERKLE_HASH_BYTES, hex);
    return run(ctx, ST_TREE_PUT, "grow tree", err, "iit", (int64_t)level, (int64_t)index, hex);
}

/* An event row of EVENT_COLS as the caller sees it. */
static void row_to_event(sqlite3_stmt *st, ledger_event *ev)
{
    ev->seq = sqlite3_column_int64(st, 0);
    ev->ts = col_text(st, 1);
    ev->type = col_text(st, 2);
    ev->path = col_text(st, 3);
    ev->old_path = col_text(st, 4);
    ev->sha256 = col_text(st, 5);
    ev->payload = col_text(st, 6);
    ev->prev_hash = col_text(st, 7);
    ev->hash = col_text(st, 8);
    ev->sig = col_text(st, 9);
}

/* The canonical text of a stored event (its Merkle leaf), or NULL when the
 * row cannot give one (a payload that is not a JSON object). */
static char *event_canonical(const ledger_event *ev)
{
    json_t *payload = json_loads(ev->payload, JSON_REJECT_DUPLICATES, NULL);
    char *canon = json_is_object(payload) ? canonical_event(ev->seq, ev->ts, ev->type, ev->path,
                                                            ev->old_path, ev->sha256, payload)
                                          : NULL;
    json_decref(payload);
    return canon;
}

/* ---- appending --------------------------------------------------------- */

/*
 * Append one event inside the caller's transaction: read the head, chain,
 * sign, insert, move the head. On success *seq is the new seq.
 */
static ev_code append_event(ledger *l, const char *type, const char *path, const char *old_path,
                            const char *sha256, json_t *payload, int64_t *seq, ev_error *err)
{
    assert(l->signer && !sqlite3_get_autocommit(l->db));
    sqlite3_stmt *st = NULL;
    char *canon = NULL, *payload_text = NULL;
    unsigned char prev[HASH_BYTES], hash[HASH_BYTES], sig[SIGNER_SIG_BYTES];
    unsigned char hd[HASH_BYTES], head_sig[SIGNER_SIG_BYTES];
    char prev_hex[LEDGER_HEX_LEN + 1], hash_hex[LEDGER_HEX_LEN + 1];
    char sig_hex[SIG_HEX_LEN + 1], head_sig_hex[SIG_HEX_LEN + 1], ts[TS_BUF];
    int64_t head_seq = 0;

    ev_code rc = stmt(l, ST_HEAD_GET, &st, err);
    if (rc != EV_OK)
        goto out;
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = sqlite3_errcode(l->db) == SQLITE_DONE
                 ? ev_fail(err, EV_EINTERNAL, "ledger: the head row is missing")
                 : sql_fail(l->db, err, "read head");
        goto out;
    }
    head_seq = sqlite3_column_int64(st, 0);
    if (!hex_decode(col_text(st, 1), prev, sizeof prev)) {
        rc = ev_fail(err, EV_EINTERNAL, "ledger: the head hash is not hex");
        goto out;
    }
    release(st);
    st = NULL;

    *seq = head_seq + 1;
    utc_now(ts);
    /* Time stamps come from the wall clock, which an admin (or NTP) may
     * set back: the chain still holds, but the order of times does not. */
    if (l->last_ts[0] && strcmp(ts, l->last_ts) < 0)
        ev_log(EV_LOG_WARNING, "the clock went back: event %lld is stamped %s, before the "
               "previous event's %s", (long long)*seq, ts, l->last_ts);
    memcpy(l->last_ts, ts, sizeof l->last_ts);
    canon = canonical_event(*seq, ts, type, path, old_path, sha256, payload);
    payload_text = json_dumps(payload, JSON_CANON);
    if (!canon || !payload_text) {
        rc = ev_fail(err, EV_EINVAL, "ledger: event text is not valid UTF-8");
        goto out;
    }
    event_hash(prev, canon, hash);
    rc = signer_sign(l->signer, hash, sig, err);
    if (rc != EV_OK)
        goto out;
    head_digest(*seq, hash, hd);
    rc = signer_sign(l->signer, hd, head_sig, err);
    if (rc != EV_OK)
        goto out;
    hex_encode(prev, sizeof prev, prev_hex);
    hex_encode(hash, sizeof hash, hash_hex);
    hex_encode(sig, sizeof sig, sig_hex);
    hex_encode(head_sig, sizeof head_sig, head_sig_hex);

    rc = run(l, ST_EVENT_INSERT, "append event", err, "ittttttttt", *seq, ts, type, path,
             old_path, sha256, payload_text, prev_hex, hash_hex, sig_hex);
    if (rc == EV_OK)
        rc = run(l, ST_HEAD_SET, "move head", err, "itt", *seq, hash_hex, head_sig_hex);
    if (rc == EV_OK) {
        merkle_hash leaf;
        merkle_leaf_hash(canon, strlen(canon), leaf);
        rc = merkle_append(tree_get, tree_put, l, (uint64_t)*seq - 1, leaf, err);
    }
out:
    release(st);
    free(payload_text);
    free(canon);
    return rc;
}

/* The documents row of path: id (0 if none), current version (0 if none)
 * and that version's hash. */
typedef struct doc_row {
    int64_t id;
    int64_t version;
    char sha256[LEDGER_HEX_LEN + 1];
} doc_row;

static ev_code doc_get(ledger *l, const char *path, doc_row *d, ev_error *err)
{
    sqlite3_stmt *st = NULL;
    memset(d, 0, sizeof *d);
    ev_code rc = stmt(l, ST_DOC_GET, &st, err);
    if (rc != EV_OK)
        return rc;
    if (bind(st, "t", path) != SQLITE_OK) {
        rc = sql_fail(l->db, err, "find document");
        goto out;
    }
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        d->id = sqlite3_column_int64(st, 0);
        d->version = sqlite3_column_int64(st, 1);
        const char *h = col_text(st, 2);
        if (h)
            snprintf(d->sha256, sizeof d->sha256, "%s", h);
    } else if (s != SQLITE_DONE) {
        rc = sql_fail(l->db, err, "find document");
    }
out:
    release(st);
    return rc;
}

/* The documents row of path, created (with no version) if needed. */
static ev_code doc_ensure(ledger *l, const char *path, const ledger_stat *s, doc_row *d,
                          ev_error *err)
{
    ev_code rc = doc_get(l, path, d, err);
    if (rc != EV_OK || d->id != 0)
        return rc;
    rc = run(l, ST_DOC_INSERT, "add document", err, "tiiiii", path, s->dev, s->ino, s->size,
             s->mtime_ns, s->ctime_ns);
    if (rc == EV_OK)
        d->id = sqlite3_last_insert_rowid(l->db);
    return rc;
}

static ev_code doc_set(ledger *l, int64_t doc, int64_t version, const ledger_stat *s, ev_error *err)
{
    return run(l, ST_DOC_SET, "update document", err, "iiiiiii", version, s->dev, s->ino, s->size,
               s->mtime_ns, s->ctime_ns, doc);
}

static ev_code check_writer(const ledger *l, ev_error *err)
{
    if (!l->signer)
        return ev_fail(err, EV_EINVAL, "ledger: opened read-only");
    return EV_OK;
}

static ev_code check_path(const char *path, const char *what, ev_error *err)
{
    if (!path || !*path)
        return ev_fail(err, EV_EINVAL, "ledger: %s is empty", what);
    /* JSON, and so the canonical event, carries only UTF-8. */
    if (!ev_utf8_valid(path, strlen(path)))
        return ev_fail(err, EV_EINVAL, "ledger: %s is not valid UTF-8", what);
    return EV_OK;
}

static bool is_version_type(ledger_event_type type)
{
    return type == LEDGER_ADDED || type == LEDGER_MODIFIED || type == LEDGER_REJECTED ||
           type == LEDGER_UNPARSED || type == LEDGER_READ;
}

/* The stored name is one of the version types (VERSION_TYPES). */
static bool is_version_type_name(const char *name)
{
    static const ledger_event_type types[] = {LEDGER_ADDED, LEDGER_MODIFIED, LEDGER_RENAMED,
                                              LEDGER_REJECTED, LEDGER_UNPARSED, LEDGER_READ};
    for (size_t i = 0; name && i < EV_ARRAY_LEN(types); i++)
        if (strcmp(name, ledger_event_type_name(types[i])) == 0)
            return true;
    return false;
}

/* ---- recording --------------------------------------------------------- */

ev_code ledger_record_version(ledger *l, ledger_event_type type, const ledger_file *f,
                              int64_t *seq, ev_error *err)
{
    assert(l && f);
    json_t *payload = NULL;
    char *fields = NULL, *meta = NULL, *warnings = NULL, *analysis = NULL;
    const char *why = NULL;
    bool in_txn = false;
    int64_t new_seq = 0;
    doc_row d;

    ev_code rc = check_writer(l, err);
    if (rc == EV_OK)
        rc = check_path(f->path, "path", err);
    if (rc != EV_OK)
        return rc;
    if (!is_version_type(type))
        return ev_fail(err, EV_EINVAL, "ledger: a %s event records no version",
                       ledger_event_type_name(type));
    if ((type == LEDGER_REJECTED) != (f->error_code != NULL))
        return ev_fail(err, EV_EINVAL, "ledger: an error code goes with a rejected event, and only with it");
    if (!is_lower_hex(f->sha256, LEDGER_HEX_LEN))
        return ev_fail(err, EV_EINVAL, "ledger: %s: sha256 is not 64 lowercase hex digits", f->path);
    if (f->size < 0 || f->text_chars < 0)
        return ev_fail(err, EV_EINVAL, "ledger: %s: negative size", f->path);
    payload = file_payload(f, &why);
    if (!payload)
        return ev_fail(err, EV_EINVAL, "ledger: %s: %s", f->path, why);
    fields = member_text(payload, "fields");
    meta = member_text(payload, "metadata");
    warnings = member_text(payload, "warnings");
    analysis = member_text(payload, "analysis");

    rc = rec_begin(l, err);
    if (rc != EV_OK)
        goto out;
    in_txn = true;
    rc = doc_ensure(l, f->path, &f->st, &d, err);
    if (rc == EV_OK)
        rc = append_event(l, ledger_event_type_name(type), f->path, NULL, f->sha256, payload,
                          &new_seq, err);
    if (rc == EV_OK)
        rc = run(l, ST_VERSION_INSERT, "record version", err, "iititttttitttttt", d.id,
                 new_seq, f->sha256, f->size, f->format, f->kind, f->topic, f->language, f->title,
                 f->text_chars, fields, meta, warnings, analysis, f->error_code,
                 f->error_message);
    if (rc == EV_OK)
        rc = doc_set(l, d.id, sqlite3_last_insert_rowid(l->db), &f->st, err);
    if (rc == EV_OK)
        rc = rec_commit(l, err);
    if (rc == EV_OK && seq)
        *seq = new_seq;
out:
    if (rc != EV_OK && in_txn)
        rec_abort(l);
    free(analysis);
    free(warnings);
    free(meta);
    free(fields);
    json_decref(payload);
    return rc;
}

/* The payload of a stored version (for a rename), or NULL if the row holds
 * what could never have been stored. */
static ev_code version_payload(ledger *l, int64_t version, json_t **out, ev_error *err)
{
    sqlite3_stmt *st = NULL;
    ev_code rc = stmt(l, ST_VERSION_GET, &st, err);
    if (rc != EV_OK)
        return rc;
    *out = NULL;
    if (bind(st, "i", version) != SQLITE_OK) {
        rc = sql_fail(l->db, err, "read version");
        goto out;
    }
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = sqlite3_errcode(l->db) == SQLITE_DONE
                 ? ev_fail(err, EV_EINTERNAL, "ledger: version %lld is missing", (long long)version)
                 : sql_fail(l->db, err, "read version");
        goto out;
    }
    ledger_file f = {0};
    const char *why = NULL;
    row_to_file(st, 0, &f);
    *out = file_payload(&f, &why);
    if (!*out)
        rc = ev_fail(err, EV_EINTERNAL, "ledger: stored version %lld: %s", (long long)version, why);
out:
    release(st);
    return rc;
}

ev_code ledger_record_rename(ledger *l, const char *old_path, const char *new_path,
                             const ledger_stat *st, int64_t *seq, ev_error *err)
{
    assert(l && st);
    json_t *payload = NULL;
    bool in_txn = false;
    int64_t new_seq = 0;
    doc_row od, nd;

    ev_code rc = check_writer(l, err);
    if (rc == EV_OK)
        rc = check_path(old_path, "old path", err);
    if (rc == EV_OK)
        rc = check_path(new_path, "new path", err);
    if (rc != EV_OK)
        return rc;
    if (strcmp(old_path, new_path) == 0)
        return ev_fail(err, EV_EINVAL, "ledger: rename of %s to itself", old_path);

    rc = rec_begin(l, err);
    if (rc != EV_OK)
        goto out;
    in_txn = true;
    rc = doc_get(l, old_path, &od, err);
    if (rc == EV_OK && od.version == 0)
        rc = ev_fail(err, EV_ENOTFOUND, "ledger: %s has no live version to rename", old_path);
    if (rc == EV_OK)
        rc = version_payload(l, od.version, &payload, err);
    if (rc == EV_OK)
        rc = doc_ensure(l, new_path, st, &nd, err);
    if (rc == EV_OK && nd.version != 0 &&
        json_object_set_new(payload, "replaced", json_string(nd.sha256)) != 0)
        rc = ev_fail(err, EV_EINTERNAL, "ledger: stored hash of %s is not text", new_path);
    if (rc == EV_OK)
        rc = append_event(l, ledger_event_type_name(LEDGER_RENAMED), new_path, old_path, od.sha256,
                          payload, &new_seq, err);
    if (rc == EV_OK)
        rc = run(l, ST_VERSION_COPY, "copy version", err, "iii", nd.id, new_seq, od.version);
    if (rc == EV_OK)
        rc = doc_set(l, nd.id, sqlite3_last_insert_rowid(l->db), st, err);
    if (rc == EV_OK)
        rc = run(l, ST_DOC_CLEAR, "clear document", err, "i", od.id);
    if (rc == EV_OK)
        rc = rec_commit(l, err);
    if (rc == EV_OK && seq)
        *seq = new_seq;
out:
    if (rc != EV_OK && in_txn)
        rec_abort(l);
    json_decref(payload);
    return rc;
}

ev_code ledger_record_removed(ledger *l, const char *path, int64_t *seq, ev_error *err)
{
    assert(l);
    json_t *payload = json_object();
    bool in_txn = false;
    int64_t new_seq = 0;
    doc_row d;

    ev_code rc = check_writer(l, err);
    if (rc == EV_OK)
        rc = check_path(path, "path", err);
    if (rc != EV_OK)
        goto out;
    rc = rec_begin(l, err);
    if (rc != EV_OK)
        goto out;
    in_txn = true;
    rc = doc_get(l, path, &d, err);
    if (rc == EV_OK && d.version == 0)
        rc = ev_fail(err, EV_ENOTFOUND, "ledger: %s has no live version to remove", path);
    if (rc == EV_OK)
        rc = append_event(l, ledger_event_type_name(LEDGER_REMOVED), path, NULL, d.sha256, payload,
                          &new_seq, err);
    if (rc == EV_OK)
        rc = run(l, ST_DOC_CLEAR, "clear document", err, "i", d.id);
    if (rc == EV_OK)
        rc = rec_commit(l, err);
    if (rc == EV_OK && seq)
        *seq = new_seq;
out:
    if (rc != EV_OK && in_txn)
        rec_abort(l);
    json_decref(payload);
    return rc;
}

/* An event about no path, its payload a JSON object. */
static ev_code record_pathless(ledger *l, ledger_event_type type, const char *payload_json,
                               int64_t *seq, ev_error *err)
{
    assert(l && payload_json);
    bool in_txn = false;
    int64_t new_seq = 0;
    json_t *payload = parse_member(payload_json, JSON_OBJECT);

    ev_code rc = check_writer(l, err);
    if (rc != EV_OK)
        goto out;
    if (!payload) {
        rc = ev_fail(err, EV_EINVAL, "ledger: %s payload is not a JSON object",
                     ledger_event_type_name(type));
        goto out;
    }
    rc = rec_begin(l, err);
    if (rc != EV_OK)
        goto out;
    in_txn = true;
    rc = append_event(l, ledger_event_type_name(type), NULL, NULL, NULL, payload, &new_seq, err);
    if (rc == EV_OK)
        rc = rec_commit(l, err);
    if (rc == EV_OK && seq)
        *seq = new_seq;
out:
    if (rc != EV_OK && in_txn)
        rec_abort(l);
    json_decref(payload);
    return rc;
}

ev_code ledger_record_policy_change(ledger *l, const char *payload_json, int64_t *seq,
                                    ev_error *err)
{
    return record_pathless(l, LEDGER_POLICY_CHANGED, payload_json, seq, err);
}

ev_code ledger_record_rollback_accepted(ledger *l, const char *payload_json, int64_t *seq,
                                        ev_error *err)
{
    return record_pathless(l, LEDGER_ROLLBACK_ACCEPTED, payload_json, seq, err);
}

ev_code ledger_batch_begin(ledger *l, ev_error *err)
{
    assert(l && !l->batch);
    ev_code rc = check_writer(l, err);
    if (rc == EV_OK)
        rc = txn_begin(l, err);
    if (rc == EV_OK)
        l->batch = true;
    return rc;
}

ev_code ledger_batch_commit(ledger *l, ev_error *err)
{
    assert(l && l->batch);
    l->batch = false;
    if (sqlite3_get_autocommit(l->db))
        return ev_fail(err, EV_EIO, "ledger: the batch was rolled back by an earlier error");
    ev_code rc = txn_commit(l, err);
    if (rc != EV_OK)
        txn_abort(l);
    return rc;
}

void ledger_batch_abort(ledger *l)
{
    assert(l && l->batch);
    l->batch = false;
    txn_abort(l);
}

ev_code ledger_touch_stat(ledger *l, const char *path, const ledger_stat *st, ev_error *err)
{
    assert(l && st);
    ev_code rc = check_writer(l, err);
    if (rc == EV_OK)
        rc = check_path(path, "path", err);
    if (rc == EV_OK)
        rc = run(l, ST_DOC_TOUCH, "update stat", err, "iiiiit", st->dev, st->ino, st->size,
                 st->mtime_ns, st->ctime_ns, path);
    if (rc == EV_OK && sqlite3_changes(l->db) == 0)
        rc = ev_fail(err, EV_ENOTFOUND, "ledger: %s has no live version", path);
    return rc;
}

/* ---- queries ----------------------------------------------------------- */

ev_code ledger_lookup(ledger *l, const char *path, ledger_stat *stat_out,
                      char sha256[LEDGER_HEX_LEN + 1], int64_t *seq, ev_error *err)
{
    assert(l && path);
    sqlite3_stmt *st = NULL;
    ev_code rc = stmt(l, ST_LOOKUP, &st, err);
    if (rc != EV_OK)
        return rc;
    if (bind(st, "t", path) != SQLITE_OK) {
        rc = sql_fail(l->db, err, "look up document");
        goto out;
    }
    int s = sqlite3_step(st);
    if (s == SQLITE_DONE) {
        rc = ev_fail(err, EV_ENOTFOUND, "ledger: %s has no live version", path);
        goto out;
    }
    if (s != SQLITE_ROW) {
        rc = sql_fail(l->db, err, "look up document");
        goto out;
    }
    if (stat_out) {
        stat_out->dev = sqlite3_column_int64(st, 0);
        stat_out->ino = sqlite3_column_int64(st, 1);
        stat_out->size = sqlite3_column_int64(st, 2);
        stat_out->mtime_ns = sqlite3_column_int64(st, 3);
        stat_out->ctime_ns = sqlite3_column_int64(st, 4);
    }
    if (sha256)
        snprintf(sha256, LEDGER_HEX_LEN + 1, "%s", col_text(st, 5) ? col_text(st, 5) : "");
    if (seq)
        *seq = sqlite3_column_int64(st, 6);
out:
    release(st);
    return rc;
}

/* Run ST_DOCUMENT (path set) or ST_DOCUMENTS and call fn for each row. */
static ev_code emit_files(ledger *l, const char *path, ledger_file_fn fn, void *ctx, ev_error *err)
{
    sqlite3_stmt *st = NULL;
    ev_code rc = stmt(l, path ? ST_DOCUMENT : ST_DOCUMENTS, &st, err);
    if (rc != EV_OK)
        return rc;
    if (path && bind(st, "t", path) != SQLITE_OK) {
        rc = sql_fail(l->db, err, "read documents");
        goto out;
    }
    int s, rows = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        ledger_file f = {0};
        rows++;
        f.path = col_text(st, 0);
        f.st.dev = sqlite3_column_int64(st, 1);
        f.st.ino = sqlite3_column_int64(st, 2);
        f.st.size = sqlite3_column_int64(st, 3);
        f.st.mtime_ns = sqlite3_column_int64(st, 4);
        f.st.ctime_ns = sqlite3_column_int64(st, 5);
        f.sha256 = col_text(st, 6);
        f.seq = sqlite3_column_int64(st, 7);
        row_to_file(st, 8, &f);
        if (fn(ctx, &f) != 0) {
            s = SQLITE_DONE;
            break;
        }
    }
    if (s != SQLITE_DONE)
        rc = sql_fail(l->db, err, "read documents");
    else if (path && rows == 0)
        rc = ev_fail(err, EV_ENOTFOUND, "ledger: %s has no live version", path);
out:
    release(st);
    return rc;
}

ev_code ledger_document(ledger *l, const char *path, ledger_file_fn fn, void *ctx, ev_error *err)
{
    assert(l && path && fn);
    return emit_files(l, path, fn, ctx, err);
}

ev_code ledger_documents(ledger *l, ledger_file_fn fn, void *ctx, ev_error *err)
{
    assert(l && fn);
    return emit_files(l, NULL, fn, ctx, err);
}

ev_code ledger_history(ledger *l, int64_t since_seq, int64_t limit, const char *path,
                       ledger_event_fn fn, void *ctx, ev_error *err)
{
    assert(l && fn);
    sqlite3_stmt *st = NULL;
    ev_code rc = stmt(l, path ? ST_HISTORY_PATH : ST_HISTORY, &st, err);
    if (rc != EV_OK)
        return rc;
    /* LIMIT -1 is SQLite's "no limit". */
    int b = path ? bind(st, "iit", since_seq, limit > 0 ? limit : (int64_t)-1, path)
                 : bind(st, "ii", since_seq, limit > 0 ? limit : (int64_t)-1);
    if (b != SQLITE_OK) {
        rc = sql_fail(l->db, err, "read history");
        goto out;
    }
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        ledger_event ev;
        row_to_event(st, &ev);
        if (fn(ctx, &ev) != 0) {
            s = SQLITE_DONE;
            break;
        }
    }
    if (s != SQLITE_DONE)
        rc = sql_fail(l->db, err, "read history");
out:
    release(st);
    return rc;
}

void ledger_checkpoint(ledger *l)
{
    int rc = sqlite3_wal_checkpoint_v2(l->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        ev_log(EV_LOG_WARNING, "ledger checkpoint: %s", sqlite3_errmsg(l->db));
}

const char *ledger_last_ts(const ledger *l)
{
    return l->last_ts;
}

ev_code ledger_head(ledger *l, int64_t *seq, char hash[LEDGER_HEX_LEN + 1], ev_error *err)
{
    assert(l);
    sqlite3_stmt *st = NULL;
    ev_code rc = stmt(l, ST_HEAD_GET, &st, err);
    if (rc != EV_OK)
        return rc;
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = sqlite3_errcode(l->db) == SQLITE_DONE
                 ? ev_fail(err, EV_EINVAL, "ledger: the head row is missing")
                 : sql_fail(l->db, err, "read head");
        goto out;
    }
    if (seq)
        *seq = sqlite3_column_int64(st, 0);
    if (hash)
        snprintf(hash, LEDGER_HEX_LEN + 1, "%s", col_text(st, 1) ? col_text(st, 1) : "");
out:
    release(st);
    return rc;
}

ev_code ledger_size(ledger *l, int64_t *events, ev_error *err)
{
    assert(l && events);
    sqlite3_stmt *st = NULL;
    ev_code rc = stmt(l, ST_LAST_EVENT, &st, err);
    if (rc != EV_OK)
        return rc;
    int s = sqlite3_step(st);
    *events = s == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        rc = sql_fail(l->db, err, "read the last event");
    release(st);
    return rc;
}

ev_code ledger_tree_root(ledger *l, uint64_t size, merkle_hash root, ev_error *err)
{
    assert(l);
    return merkle_root(tree_get, l, size, root, err);
}

ev_code ledger_leaf(ledger *l, int64_t seq, char **leaf, ev_error *err)
{
    assert(l && leaf);
    sqlite3_stmt *st = NULL;
    *leaf = NULL;
    ev_code rc = stmt(l, ST_EVENT_GET, &st, err);
    if (rc != EV_OK)
        return rc;
    if (bind(st, "i", seq) != SQLITE_OK) {
        rc = sql_fail(l->db, err, "read event");
        goto out;
    }
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        ledger_event ev;
        row_to_event(st, &ev);
        *leaf = event_canonical(&ev);
        if (!*leaf)
            rc = ev_fail(err, EV_EINVAL, "ledger: event %lld is malformed; run evidencectl verify",
                         (long long)seq);
    } else if (s == SQLITE_DONE) {
        rc = ev_fail(err, EV_ENOTFOUND, "ledger: there is no event %lld", (long long)seq);
    } else {
        rc = sql_fail(l->db, err, "read event");
    }
out:
    release(st);
    return rc;
}

ev_code ledger_prove_inclusion(ledger *l, int64_t seq, uint64_t size,
                               merkle_hash hashes[MERKLE_MAX_PROOF], size_t *count, ev_error *err)
{
    assert(l);
    if (seq < 1 || (uint64_t)seq > size)
        return ev_fail(err, EV_EINVAL, "ledger: event %lld is not among the first %llu",
                       (long long)seq, (unsigned long long)size);
    return merkle_prove_inclusion(tree_get, l, (uint64_t)seq - 1, size, hashes, count, err);
}

ev_code ledger_prove_consistency(ledger *l, uint64_t old_size, uint64_t new_size,
                                 merkle_hash hashes[MERKLE_MAX_PROOF], size_t *count, ev_error *err)
{
    assert(l);
    return merkle_prove_consistency(tree_get, l, old_size, new_size, hashes, count, err);
}

/* ---- opening ----------------------------------------------------------- */

static ev_code exec_sql(sqlite3 *db, const char *sql, const char *what, ev_error *err)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return sql_fail(db, err, what);
    return EV_OK;
}

static ev_code open_db(const char *path, int flags, sqlite3 **out, ev_error *err)
{
    sqlite3 *db = NULL;
    int s = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW, NULL);
    ev_code rc = EV_OK;
    if (s != SQLITE_OK) {
        rc = ev_fail(err, EV_EIO, "ledger: %s: %s", path, db ? sqlite3_errmsg(db) : sqlite3_errstr(s));
        goto out;
    }
    sqlite3_extended_result_codes(db, 1);
    /* Defensive mode and an untrusted schema: a database handed to verify
     * may have been crafted, and nothing here needs the features they
     * turn off. */
    if (sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS) != SQLITE_OK ||
        sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL) != SQLITE_OK ||
        sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL) != SQLITE_OK) {
        rc = sql_fail(db, err, "configure");
        goto out;
    }
    *out = db;
    db = NULL;
out:
    sqlite3_close(db);
    return rc;
}

static ev_code set_wal(sqlite3 *db, ev_error *err)
{
    sqlite3_stmt *st = NULL;
    ev_code rc = prepare_once(db, "PRAGMA journal_mode = WAL", &st, err);
    if (rc != EV_OK)
        return rc;
    if (sqlite3_step(st) != SQLITE_ROW)
        rc = sql_fail(db, err, "set WAL mode");
    else if (strcmp(col_text(st, 0) ? col_text(st, 0) : "", "wal") != 0)
        rc = ev_fail(err, EV_EIO, "ledger: the database refused WAL mode (%s)", col_text(st, 0));
    sqlite3_finalize(st);
    return rc;
}

/* Sign and store the head for (seq, hash). */
static ev_code create_tables(ledger *l, ev_error *err)
{
    sqlite3_stmt *st = NULL;
    unsigned char zero[HASH_BYTES] = {0}, hd[HASH_BYTES], sig[SIGNER_SIG_BYTES];
    char zero_hex[LEDGER_HEX_LEN + 1], sig_hex[SIG_HEX_LEN + 1], pk[SIGNER_PK_HEX_LEN + 1];
    char ts[TS_BUF];

    ev_code rc = exec_sql(l->db, schema_sql, "create schema", err);
    if (rc != EV_OK)
        return rc;
    signer_public_hex(l->signer, pk);
    utc_now(ts);
    rc = prepare_once(l->db, "INSERT INTO meta(key, value) VALUES ('public_key', ?), ('created', ?)",
                      &st, err);
    if (rc != EV_OK)
        return rc;
    if (bind(st, "tt", pk, ts) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
        rc = sql_fail(l->db, err, "write meta");
    sqlite3_finalize(st);
    if (rc != EV_OK)
        return rc;

    /* The empty ledger has a signed head too, so that deleting every event
     * is as visible as deleting the last. */
    head_digest(0, zero, hd);
    rc = signer_sign(l->signer, hd, sig, err);
    if (rc != EV_OK)
        return rc;
    hex_encode(zero, sizeof zero, zero_hex);
    hex_encode(sig, sizeof sig, sig_hex);
    rc = run(l, ST_HEAD_SET, "write head", err, "itt", (int64_t)0, zero_hex, sig_hex);
    if (rc == EV_OK)
        rc = exec_sql(l->db, SET_SCHEMA_VERSION, "set schema version", err);
    return rc;
}

/*
 * Schema 1 had no Merkle tree: build it from the events, once, in the
 * caller's transaction. A row that gives no leaf stops the upgrade; the
 * ledger is then left as it was for verify to report.
 */
static ev_code add_tree(ledger *l, ev_error *err)
{
    sqlite3_stmt *st = NULL;
    merkle_edge edge;
    merkle_edge_init(&edge);
    ev_code rc = exec_sql(l->db, TREE_SQL, "add the Merkle tree", err);
    if (rc == EV_OK)
        rc = prepare_once(l->db, "SELECT " EVENT_COLS " FROM events ORDER BY seq", &st, err);
    int s = SQLITE_DONE;
    while (rc == EV_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
        ledger_event ev;
        merkle_hash leaf;
        row_to_event(st, &ev);
        char *canon = ev.seq == (int64_t)edge.size + 1 ? event_canonical(&ev) : NULL;
        if (!canon) {
            rc = ev_fail(err, EV_EINVAL, "ledger: event %lld gives no Merkle leaf; "
                         "run evidencectl verify", (long long)ev.seq);
            break;
        }
        merkle_leaf_hash(canon, strlen(canon), leaf);
        free(canon);
        rc = merkle_edge_push(&edge, leaf, tree_put, l, err);
    }
    if (rc == EV_OK && s != SQLITE_DONE)
        rc = sql_fail(l->db, err, "read events");
    sqlite3_finalize(st);
    if (rc == EV_OK)
        rc = exec_sql(l->db, SET_SCHEMA_VERSION, "set schema version", err);
    return rc;
}

static ev_code ensure_schema(ledger *l, ev_error *err)
{
    int64_t version = 0, objects = 0;
    ev_code rc = txn_begin(l, err);
    if (rc != EV_OK)
        return rc;
    rc = query_int(l->db, "PRAGMA user_version", &version, err);
    if (rc == EV_OK && version == 0) {
        rc = query_int(l->db, "SELECT count(*) FROM sqlite_master", &objects, err);
        if (rc == EV_OK && objects != 0)
            rc = ev_fail(err, EV_EINVAL, "ledger: the database has tables but is not an evidenced ledger");
        if (rc == EV_OK)
            rc = create_tables(l, err);
    } else if (rc == EV_OK && version == 1) {
        rc = add_tree(l, err);
    } else if (rc == EV_OK && version != SCHEMA_VERSION) {
        rc = ev_fail(err, EV_EINVAL, "ledger: schema version %lld; this build reads version %d",
                     (long long)version, SCHEMA_VERSION);
    }
    if (rc == EV_OK)
        rc = txn_commit(l, err);
    if (rc != EV_OK)
        txn_abort(l);
    return rc;
}

/* The ledger must be signed by the key we hold: a lost ledger.key replaced
 * by a new one would make every old signature look forged. */
static ev_code check_key(ledger *l, ev_error *err)
{
    sqlite3_stmt *st = NULL;
    char pk[SIGNER_PK_HEX_LEN + 1];
    signer_public_hex(l->signer, pk);
    ev_code rc = stmt(l, ST_META_KEY, &st, err);
    if (rc != EV_OK)
        return rc;
    if (sqlite3_step(st) != SQLITE_ROW)
        rc = sql_fail(l->db, err, "read the ledger's public key");
    else if (strcmp(col_text(st, 0) ? col_text(st, 0) : "", pk) != 0)
        rc = ev_fail(err, EV_EINVAL,
                     "ledger: signed with public key %.16s..., but %s holds the key of %.16s...; "
                     "restore the key file that belongs to this ledger",
                     col_text(st, 0) ? col_text(st, 0) : "?", SIGNER_KEY_FILE, pk);
    release(st);
    return rc;
}

/*
 * The head row must name the last event and carry a valid signature.
 * Otherwise events were deleted from the end, and appending would sign over
 * the loss: refuse, and leave the evidence as it is for verify to report.
 */
static ev_code check_head(ledger *l, ev_error *err)
{
    sqlite3_stmt *st = NULL;
    int64_t head_seq = 0, last_seq = 0;
    char head_hash[LEDGER_HEX_LEN + 1] = "", last_hash[LEDGER_HEX_LEN + 1];
    unsigned char hash[HASH_BYTES], sig[SIGNER_SIG_BYTES], hd[HASH_BYTES];
    bool sig_ok = false;

    memset(last_hash, '0', LEDGER_HEX_LEN);
    last_hash[LEDGER_HEX_LEN] = '\0';
    ev_code rc = stmt(l, ST_HEAD_GET, &st, err);
    if (rc != EV_OK)
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW) {
        head_seq = sqlite3_column_int64(st, 0);
        snprintf(head_hash, sizeof head_hash, "%s", col_text(st, 1) ? col_text(st, 1) : "");
        sig_ok = hex_decode(head_hash, hash, sizeof hash) &&
                 hex_decode(col_text(st, 2), sig, sizeof sig);
    } else if (sqlite3_errcode(l->db) != SQLITE_DONE) {
        rc = sql_fail(l->db, err, "read head");
    }
    release(st);
    if (rc != EV_OK)
        return rc;

    rc = stmt(l, ST_LAST_EVENT, &st, err);
    if (rc != EV_OK)
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW) {
        last_seq = sqlite3_column_int64(st, 0);
        snprintf(last_hash, sizeof last_hash, "%s", col_text(st, 1) ? col_text(st, 1) : "");
    } else if (sqlite3_errcode(l->db) != SQLITE_DONE) {
        rc = sql_fail(l->db, err, "read the last event");
    }
    release(st);
    if (rc != EV_OK)
        return rc;

    if (sig_ok) {
        head_digest(head_seq, hash, hd);
        sig_ok = signer_verify(l->signer, hd, sig);
    }
    if (!sig_ok)
        return ev_fail(err, EV_EINVAL, "ledger: the head row is missing or its signature is invalid; "
                                       "run evidencectl verify");
    if (head_seq != last_seq || strcmp(head_hash, last_hash) != 0)
        return ev_fail(err, EV_EINVAL,
                       "ledger: the signed head is event %lld but the last event is %lld: "
                       "events were deleted or the head was altered; run evidencectl verify",
                       (long long)head_seq, (long long)last_seq);
    return EV_OK;
}

ev_code ledger_open(const char *state_dir, const signer *s, ledger **out, ev_error *err)
{
    assert(state_dir && s && out);
    *out = NULL;
    if (!signer_can_sign(s))
        return ev_fail(err, EV_EINVAL, "ledger: the writer needs the secret key");
    if (sodium_init() < 0)
        return ev_fail(err, EV_EINTERNAL, "libsodium could not be initialised");

    char *path = ev_asprintf("%s/%s", state_dir, LEDGER_DB_FILE);
    ledger *l = ev_calloc(1, sizeof *l);
    l->signer = s;
    ev_code rc = open_db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &l->db, err);
    if (rc == EV_OK)
        rc = set_wal(l->db, err);
    if (rc == EV_OK)
        rc = exec_sql(l->db, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
                      "configure", err);
    if (rc == EV_OK)
        rc = ensure_schema(l, err);
    if (rc == EV_OK)
        rc = check_key(l, err);
    if (rc == EV_OK)
        rc = check_head(l, err);
    if (rc == EV_OK) {
        *out = l;
        l = NULL;
    }
    ledger_close(l);
    free(path);
    return rc;
}

/* "file:" URI of a path, with the characters URIs give meaning escaped. */
static char *file_uri(const char *path, const char *query)
{
    ev_buf b = {0};
    ev_buf_puts(&b, "file:");
    for (const char *p = path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#')
            ev_buf_printf(&b, "%%%02X", (unsigned char)*p);
        else
            ev_buf_putc(&b, *p);
    }
    ev_buf_printf(&b, "?%s", query);
    return ev_buf_steal(&b);
}

/*
 * Open read-only and read the schema version. A WAL database needs its -shm
 * file, which SQLite cannot create in a read-only directory (an auditor's
 * copy on read-only media). With no -wal file beside it the database file
 * holds everything and nobody is writing it (a writer would have a -wal
 * file open), so it is then read as immutable, without the -shm.
 */
static ev_code open_reader_db(const char *db_path, sqlite3 **out, int64_t *version, ev_error *err)
{
    ev_error first = {0};
    ev_code rc = open_db(db_path, SQLITE_OPEN_READONLY, out, &first);
    if (rc == EV_OK)
        rc = query_int(*out, "PRAGMA user_version", version, &first);
    if (rc == EV_OK)
        return EV_OK;

    int code = *out ? sqlite3_errcode(*out) & 0xff : SQLITE_CANTOPEN;
    char *wal = ev_asprintf("%s-wal", db_path);
    bool no_wal = access(wal, F_OK) != 0 && errno == ENOENT;
    free(wal);
    sqlite3_close(*out);
    *out = NULL;
    if (!no_wal || (code != SQLITE_READONLY && code != SQLITE_CANTOPEN) || access(db_path, R_OK) != 0)
        return ev_fail(err, rc, "%s", first.message);

    char *uri = file_uri(db_path, "immutable=1");
    rc = open_db(uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, out, err);
    if (rc == EV_OK)
        rc = query_int(*out, "PRAGMA user_version", version, err);
    free(uri);
    return rc;
}

ev_code ledger_open_reader(const char *db_path, ledger **out, ev_error *err)
{
    assert(db_path && out);
    *out = NULL;
    if (sodium_init() < 0)
        return ev_fail(err, EV_EINTERNAL, "libsodium could not be initialised");
    int64_t version = 0;
    ledger *l = ev_calloc(1, sizeof *l);
    ev_code rc = open_reader_db(db_path, &l->db, &version, err);
    if (rc == EV_OK && version != SCHEMA_VERSION)
        rc = ev_fail(err, EV_EINVAL, "ledger: %s is not an evidenced ledger of schema %d (it says %lld)",
                     db_path, SCHEMA_VERSION, (long long)version);
    if (rc == EV_OK) {
        *out = l;
        l = NULL;
    }
    ledger_close(l);
    return rc;
}

void ledger_close(ledger *l)
{
    if (!l)
        return;
    if (l->batch)
        ledger_batch_abort(l);
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(l->st[i]);
    /* Every statement is finalized, so this cannot be busy; the last
     * connection to close checkpoints the WAL into the database file. */
    if (l->db && sqlite3_close(l->db) != SQLITE_OK)
        ev_log(EV_LOG_ERR, "ledger: close: %s", sqlite3_errmsg(l->db));
    free(l);
}

/* ---- verification ------------------------------------------------------ */

typedef struct verifier {
    ledger *l;
    const signer *pub;
    ledger_verify_report *r;
    unsigned char prev[HASH_BYTES]; /* hash of the last good event */
    int64_t expect_seq;
    const char *expect_hash;
    const ledger_tree_head *expect_tree;
    merkle_edge edge;               /* the tree of the good events */
    int64_t tree_nodes;             /* complete subtrees it has */
} verifier;

/* Record the first fault; returns false so that checks read
 * `return fault(...)`. */
static bool fault(ledger_verify_report *r, ledger_fault f, int64_t seq, const char *fmt, ...)
    EV_PRINTF(4, 5);

static bool fault(ledger_verify_report *r, ledger_fault f, int64_t seq, const char *fmt, ...)
{
    if (r->fault == LEDGER_FAULT_NONE) {
        va_list ap;
        r->fault = f;
        r->fault_seq = seq;
        va_start(ap, fmt);
        vsnprintf(r->detail, sizeof r->detail, fmt, ap);
        va_end(ap);
    }
    return false;
}

static bool same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void root_base64(const merkle_hash root, char out[64])
{
    sodium_bin2base64(out, 64, root, MERKLE_HASH_BYTES, sodium_base64_VARIANT_ORIGINAL);
}

static bool rollback_fault(verifier *v, int64_t seq, const char *why)
{
    char b64[64];
    root_base64(v->expect_tree->root, b64);
    return fault(v->r, LEDGER_FAULT_ROLLBACK, seq,
                 "the ledger does not extend the checkpoint of %llu events (root %s): %s",
                 (unsigned long long)v->expect_tree->size, b64, why);
}

/* merkle_store_fn: each subtree the events complete must be stored as is. */
static ev_code check_node(void *ctx, int level, uint64_t index, const merkle_hash h, ev_error *err)
{
    verifier *v = ctx;
    merkle_hash stored;
    ev_error e = {0};
    (void)err;
    v->tree_nodes++;
    if (tree_get(v->l, level, index, stored, &e) == EV_OK &&
        sodium_memcmp(stored, h, MERKLE_HASH_BYTES) == 0)
        return EV_OK;
    int64_t seq = (int64_t)((index + 1) << level);
    fault(v->r, LEDGER_FAULT_TREE, seq, "the Merkle tree's node %d/%llu (up to event %lld) %s",
          level, (unsigned long long)index, (long long)seq,
          e.message[0] ? "is missing or not a hash" : "is not the hash of the events");
    return EV_EINVAL;
}

/* Add a good event's leaf to the tree, and hold it to the expected one. */
static bool grow_tree(verifier *v, const char *canon)
{
    merkle_hash leaf, root;
    merkle_leaf_hash(canon, strlen(canon), leaf);
    if (merkle_edge_push(&v->edge, leaf, check_node, v, NULL) != EV_OK)
        return false;
    if (v->expect_tree && v->edge.size == v->expect_tree->size) {
        merkle_edge_root(&v->edge, root);
        if (sodium_memcmp(root, v->expect_tree->root, MERKLE_HASH_BYTES) != 0)
            return rollback_fault(v, (int64_t)v->edge.size,
                                  "its events up to there have another root, so they were "
                                  "replaced (an older or another copy)");
    }
    return true;
}

/* Check one row of EVENT_COLS against the chain so far. */
static bool check_event(verifier *v, sqlite3_stmt *st)
{
    ledger_verify_report *r = v->r;
    unsigned char prev[HASH_BYTES], hash[HASH_BYTES], calc[HASH_BYTES], sig[SIGNER_SIG_BYTES];
    json_t *payload = NULL;
    char *payload_canon = NULL, *canon = NULL;
    bool ok = false;
    ledger_event ev;

    /* Types first: reading a column as text converts it for good. Columns
     * 3 to 5 (path, old_path, sha256) may be NULL. */
    for (int i = 1; i <= 9; i++)
        if (!col_is_text(st, i, i >= 3 && i <= 5))
            return fault(r, LEDGER_FAULT_MALFORMED, sqlite3_column_int64(st, 0),
                         "event %lld: column %d is not text",
                         (long long)sqlite3_column_int64(st, 0), i);
    row_to_event(st, &ev);
    if (ev.seq != r->head_seq + 1) {
        if (ev.seq > r->head_seq + 1)
            return fault(r, LEDGER_FAULT_GAP, r->head_seq + 1,
                         "events %lld to %lld are missing: rows were deleted",
                         (long long)r->head_seq + 1, (long long)ev.seq - 1);
        return fault(r, LEDGER_FAULT_MALFORMED, ev.seq, "event %lld is out of order",
                     (long long)ev.seq);
    }
    if (!hex_decode(ev.prev_hash, prev, sizeof prev) || !hex_decode(ev.hash, hash, sizeof hash) ||
        !hex_decode(ev.sig, sig, sizeof sig))
        return fault(r, LEDGER_FAULT_MALFORMED, ev.seq,
                     "event %lld: prev_hash, hash or sig is not lowercase hex of the right length",
                     (long long)ev.seq);
    if (memcmp(prev, v->prev, sizeof prev) != 0)
        return fault(r, LEDGER_FAULT_LINK, ev.seq,
                     "event %lld: prev_hash is not the hash of event %lld", (long long)ev.seq,
                     (long long)r->head_seq);

    payload = json_loads(ev.payload, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(payload)) {
        fault(r, LEDGER_FAULT_MALFORMED, ev.seq, "event %lld: payload is not a JSON object",
              (long long)ev.seq);
        goto out;
    }
    payload_canon = json_dumps(payload, JSON_CANON);
    if (!payload_canon || strcmp(payload_canon, ev.payload) != 0) {
        fault(r, LEDGER_FAULT_HASH, ev.seq, "event %lld: payload is not as written: row edited",
              (long long)ev.seq);
        goto out;
    }
    canon = canonical_event(ev.seq, ev.ts, ev.type, ev.path, ev.old_path, ev.sha256, payload);
    if (!canon) {
        fault(r, LEDGER_FAULT_MALFORMED, ev.seq, "event %lld: text is not valid UTF-8",
              (long long)ev.seq);
        goto out;
    }
    event_hash(prev, canon, calc);
    if (memcmp(calc, hash, sizeof hash) != 0) {
        fault(r, LEDGER_FAULT_HASH, ev.seq,
              "event %lld: its contents do not hash to its stored hash: row edited",
              (long long)ev.seq);
        goto out;
    }
    if (!signer_verify(v->pub, hash, sig)) {
        fault(r, LEDGER_FAULT_SIGNATURE, ev.seq,
              "event %lld: the signature does not verify with the public key", (long long)ev.seq);
        goto out;
    }
    if (v->expect_hash && ev.seq == v->expect_seq && strcmp(ev.hash, v->expect_hash) != 0) {
        fault(r, LEDGER_FAULT_HEAD, ev.seq,
              "event %lld has hash %.16s..., expected %.16s...: the ledger was rewritten",
              (long long)ev.seq, ev.hash, v->expect_hash);
        goto out;
    }
    if (!grow_tree(v, canon))
        goto out;
    memcpy(v->prev, hash, sizeof hash);
    r->head_seq = ev.seq;
    snprintf(r->head_hash, sizeof r->head_hash, "%s", ev.hash);
    r->events++;
    ok = true;
out:
    free(canon);
    free(payload_canon);
    json_decref(payload);
    return ok;
}

static ev_code verify_key(verifier *v, ev_error *err)
{
    sqlite3_stmt *st = NULL;
    char pk[SIGNER_PK_HEX_LEN + 1];
    signer_public_hex(v->pub, pk);
    ev_code rc = prepare_once(v->l->db, "SELECT value FROM meta WHERE key = 'public_key'", &st, err);
    if (rc != EV_OK)
        return rc;
    int s = sqlite3_step(st);
    if (s == SQLITE_DONE || (s == SQLITE_ROW && !col_is_text(st, 0, false)))
        fault(v->r, LEDGER_FAULT_MALFORMED, 0, "the ledger names no public key");
    else if (s != SQLITE_ROW)
        rc = sql_fail(v->l->db, err, "read the public key");
    else if (strcmp(col_text(st, 0), pk) != 0)
        fault(v->r, LEDGER_FAULT_KEY, 0,
              "the ledger was signed with key %.16s..., not with the given key %.16s...",
              col_text(st, 0), pk);
    sqlite3_finalize(st);
    return rc;
}

static ev_code verify_chain(verifier *v, ev_error *err)
{
    sqlite3_stmt *st = NULL;
    ev_code rc = prepare_once(v->l->db, "SELECT " EVENT_COLS " FROM events ORDER BY seq", &st, err);
    if (rc != EV_OK)
        return rc;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        if (!check_event(v, st))
            break;
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        rc = sql_fail(v->l->db, err, "read events");
    sqlite3_finalize(st);
    return rc;
}

/* The good events must reach the expected tree's size. Checked before the
 * head row: what matters most of a short ledger is that it was rolled back
 * from a checkpoint signed earlier. */
static void verify_extends(verifier *v)
{
    if (!v->expect_tree || v->expect_tree->size <= (uint64_t)v->r->head_seq)
        return;
    char why[96];
    snprintf(why, sizeof why, "it ends at event %lld (cut short, or an older copy)",
             (long long)v->r->head_seq);
    rollback_fault(v, v->r->head_seq + 1, why);
}

/* The signed head row must name the last event: it is what reveals the
 * deletion of the newest rows. */
static ev_code verify_head(verifier *v, ev_error *err)
{
    ledger_verify_report *r = v->r;
    sqlite3_stmt *st = NULL;
    unsigned char hash[HASH_BYTES], sig[SIGNER_SIG_BYTES], hd[HASH_BYTES];
    ev_code rc = prepare_once(v->l->db, "SELECT seq, hash, sig FROM head WHERE id = 1", &st, err);
    if (rc != EV_OK)
        return rc;
    int s = sqlite3_step(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE) {
        rc = sql_fail(v->l->db, err, "read head");
        goto out;
    }
    if (s == SQLITE_DONE) {
        fault(r, LEDGER_FAULT_HEAD, 0, "the head row is missing");
        goto out;
    }
    int64_t seq = sqlite3_column_int64(st, 0);
    const char *hash_hex = col_text(st, 1);
    if (!hex_decode(hash_hex, hash, sizeof hash) || !hex_decode(col_text(st, 2), sig, sizeof sig)) {
        fault(r, LEDGER_FAULT_HEAD, 0, "the head row is not well-formed");
        goto out;
    }
    head_digest(seq, hash, hd);
    if (!signer_verify(v->pub, hd, sig)) {
        fault(r, LEDGER_FAULT_HEAD, 0, "the head row's signature does not verify");
        goto out;
    }
    if (seq > r->head_seq) {
        fault(r, LEDGER_FAULT_TRUNCATED, r->head_seq + 1,
              "the signed head is event %lld but the last event is %lld: events were deleted",
              (long long)seq, (long long)r->head_seq);
        goto out;
    }
    if (seq < r->head_seq || strcmp(hash_hex, r->head_hash) != 0) {
        fault(r, LEDGER_FAULT_HEAD, seq + 1,
              "the signed head (event %lld) does not match the last event (%lld)",
              (long long)seq, (long long)r->head_seq);
        goto out;
    }
    if (v->expect_hash && v->expect_seq > r->head_seq)
        fault(r, LEDGER_FAULT_TRUNCATED, r->head_seq + 1,
              "event %lld was expected but the ledger ends at %lld", (long long)v->expect_seq,
              (long long)r->head_seq);
out:
    sqlite3_finalize(st);
    return rc;
}

/* Columns of the query in verify_versions(). */
enum { VV_ID, VV_SEQ, VV_SHA, VV_DOC_PATH, VV_EV_SEQ, VV_EV_TYPE, VV_EV_PATH, VV_EV_SHA,
       VV_EV_PAYLOAD, VV_CONTENT };

/* One versions row against its event, which the chain walk has verified. */
static bool check_version(ledger_verify_report *r, sqlite3_stmt *st)
{
    long long id = sqlite3_column_int64(st, VV_ID), seq = sqlite3_column_int64(st, VV_SEQ);
    const char *doc_path = col_text(st, VV_DOC_PATH), *type = col_text(st, VV_EV_TYPE);
    if (sqlite3_column_type(st, VV_EV_SEQ) == SQLITE_NULL)
        return fault(r, LEDGER_FAULT_TABLES, seq,
                     "version %lld names event %lld, which does not exist", id, seq);
    if (!is_version_type_name(type))
        return fault(r, LEDGER_FAULT_TABLES, seq, "version %lld names event %lld, a %s event", id,
                     seq, type);
    if (!same_text(doc_path, col_text(st, VV_EV_PATH)))
        return fault(r, LEDGER_FAULT_TABLES, seq,
                     "version %lld belongs to document %s but event %lld is about %s", id,
                     doc_path ? doc_path : "(none)", seq, col_text(st, VV_EV_PATH));
    if (!same_text(col_text(st, VV_SHA), col_text(st, VV_EV_SHA)))
        return fault(r, LEDGER_FAULT_TABLES, seq, "version %lld: sha256 differs from event %lld",
                     id, seq);

    /* Every member the row would put in a payload must be in the event's. */
    ledger_file f = {0};
    const char *why = NULL, *key = NULL;
    json_t *val;
    row_to_file(st, VV_CONTENT, &f);
    json_t *mine = file_payload(&f, &why);
    json_t *theirs = json_loads(col_text(st, VV_EV_PAYLOAD), 0, NULL);
    bool ok = mine != NULL;
    if (!ok)
        fault(r, LEDGER_FAULT_TABLES, seq, "version %lld: %s", id, why);
    json_object_foreach(mine, key, val) {
        if (!json_equal(val, json_object_get(theirs, key))) {
            ok = fault(r, LEDGER_FAULT_TABLES, seq, "version %lld: %s differs from event %lld",
                       id, key, seq);
            break;
        }
    }
    json_decref(theirs);
    json_decref(mine);
    return ok;
}

/* Each versions row must be what its event recorded. */
static ev_code verify_versions(verifier *v, ev_error *err)
{
    sqlite3_stmt *st = NULL;
    static const char sql[] =
        "SELECT v.id, v.seq, v.sha256, d.path, e.seq, e.type, e.path, e.sha256, e.payload, "
        VERSION_COLS_V " FROM versions v LEFT JOIN documents d ON d.id = v.document"
        " LEFT JOIN events e ON e.seq = v.seq ORDER BY v.seq";
    ev_code rc = prepare_once(v->l->db, sql, &st, err);
    if (rc != EV_OK)
        return rc;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW && check_version(v->r, st))
        ;
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        rc = sql_fail(v->l->db, err, "read versions");
    sqlite3_finalize(st);
    return rc;
}

/* Each event that records a version must have its versions row. */
static ev_code verify_versions_present(verifier *v, ev_error *err)
{
    sqlite3_stmt *st = NULL;
    static const char sql[] =
        "SELECT e.seq, e.type FROM events e WHERE e.type IN (" VERSION_TYPES ")"
        " AND NOT EXISTS (SELECT 1 FROM versions v WHERE v.seq = e.seq) ORDER BY e.seq LIMIT 1";
    ev_code rc = prepare_once(v->l->db, sql, &st, err);
    if (rc != EV_OK)
        return rc;
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        fault(v->r, LEDGER_FAULT_TABLES, sqlite3_column_int64(st, 0),
              "event %lld (%s) has no versions row", (long long)sqlite3_column_int64(st, 0),
              col_text(st, 1));
    else if (s != SQLITE_DONE)
        rc = sql_fail(v->l->db, err, "read versions");
    sqlite3_finalize(st);
    return rc;
}

/*
 * Replay the events per path: the last event touching a path says which
 * version is current (a version event) or that there is none (removed, or
 * renamed away). The documents table must say the same, and hold nothing
 * else.
 */
static ev_code verify_documents(verifier *v, ev_error *err)
{
    sqlite3_stmt *st = NULL;
    static const char sql[] =
        "WITH touch(p, seq, vseq) AS ("
        "  SELECT path, seq, CASE WHEN type = 'removed' THEN NULL ELSE seq END FROM events"
        "   WHERE type IN (" VERSION_TYPES ", 'removed')"
        "  UNION ALL SELECT old_path, seq, NULL FROM events WHERE type = 'renamed'),"
        " last(p, seq, vseq) AS (SELECT p, max(seq), vseq FROM touch GROUP BY p)"
        " SELECT last.p, last.vseq, d.id, v.seq FROM last"
        "  LEFT JOIN documents d ON d.path = last.p LEFT JOIN versions v ON v.id = d.version"
        "  WHERE d.id IS NULL OR v.seq IS NOT last.vseq OR (d.version IS NOT NULL AND v.id IS NULL)"
        " UNION ALL"
        " SELECT d.path, NULL, d.id, d.version FROM documents d"
        "  WHERE d.path NOT IN (SELECT p FROM touch WHERE p IS NOT NULL)"
        " LIMIT 1";
    ev_code rc = prepare_once(v->l->db, sql, &st, err);
    if (rc != EV_OK)
        return rc;
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        const char *path = col_text(st, 0) ? col_text(st, 0) : "(null)";
        int64_t expect = sqlite3_column_int64(st, 1), found = sqlite3_column_int64(st, 3);
        if (sqlite3_column_type(st, 2) == SQLITE_NULL)
            fault(v->r, LEDGER_FAULT_TABLES, expect, "document %s is missing from the documents table",
                  path);
        else if (sqlite3_column_type(st, 1) == SQLITE_NULL)
            fault(v->r, LEDGER_FAULT_TABLES, found,
                  "document %s should have no current version, the table gives event %lld's",
                  path, (long long)found);
        else
            fault(v->r, LEDGER_FAULT_TABLES, expect,
                  "document %s should be at the version of event %lld, the table says %lld",
                  path, (long long)expect, (long long)found);
    } else if (s != SQLITE_DONE) {
        rc = sql_fail(v->l->db, err, "read documents");
    }
    sqlite3_finalize(st);
    return rc;
}

/* Nothing in the tree table beyond the subtrees of the events. */
static ev_code verify_tree_size(verifier *v, ev_error *err)
{
    int64_t rows = 0;
    ev_code rc = query_int(v->l->db, "SELECT count(*) FROM tree", &rows, err);
    if (rc == EV_OK && rows != v->tree_nodes)
        fault(v->r, LEDGER_FAULT_TREE, v->r->head_seq,
              "the Merkle tree has %lld nodes, the events make %lld", (long long)rows,
              (long long)v->tree_nodes);
    return rc;
}

ev_code ledger_verify(const char *db_path, const signer *pub, int64_t expect_seq,
                      const char *expect_hash, const ledger_tree_head *expect_tree,
                      ledger_verify_report *report, ev_error *err)
{
    assert(db_path && pub && report);
    memset(report, 0, sizeof *report);
    memset(report->head_hash, '0', LEDGER_HEX_LEN);
    if (expect_hash && (!is_lower_hex(expect_hash, LEDGER_HEX_LEN) || expect_seq < 1))
        return ev_fail(err, EV_EINVAL, "ledger: the expected head is not a seq and a hash");

    verifier v = {.pub = pub, .r = report, .expect_seq = expect_seq, .expect_hash = expect_hash,
                  .expect_tree = expect_tree};
    merkle_edge_init(&v.edge);
    bool in_txn = false;
    ev_code rc = ledger_open_reader(db_path, &v.l, err);
    if (rc != EV_OK)
        return rc;
    /* One read transaction: a daemon appending meanwhile is not seen half-way. */
    rc = exec_sql(v.l->db, "BEGIN", "begin", err);
    in_txn = rc == EV_OK;
    if (rc == EV_OK)
        rc = verify_key(&v, err);
    if (rc == EV_OK && report->fault == LEDGER_FAULT_NONE)
        rc = verify_chain(&v, err);
    if (rc == EV_OK && report->fault == LEDGER_FAULT_NONE)
        verify_extends(&v);
    if (rc == EV_OK && report->fault == LEDGER_FAULT_NONE)
        rc = verify_head(&v, err);
    if (rc == EV_OK && report->fault == LEDGER_FAULT_NONE)
        rc = verify_tree_size(&v, err);
    if (rc == EV_OK && report->fault == LEDGER_FAULT_NONE)
        rc = verify_versions(&v, err);
    if (rc == EV_OK && report->fault == LEDGER_FAULT_NONE)
        rc = verify_versions_present(&v, err);
    if (rc == EV_OK && report->fault == LEDGER_FAULT_NONE)
        rc = verify_documents(&v, err);
    if (rc == EV_OK && report->fault == LEDGER_FAULT_NONE)
        rc = query_int(v.l->db, "SELECT count(*) FROM documents WHERE version IS NOT NULL",
                       &report->documents, err);
    merkle_edge_root(&v.edge, report->tree_root);
    if (in_txn) {
        ev_code end = exec_sql(v.l->db, "COMMIT", "end read", err);
        if (rc == EV_OK)
            rc = end;
    }
    ledger_close(v.l);
    return rc;
}
