/*
 * ledger.h: the signed, hash-chained evidence ledger (SQLite).
 *
 * One database, state_dir/ledger.db, in WAL mode with synchronous=FULL:
 *
 *   events     the append-only log, the evidence itself. Row n carries
 *              seq n (1, 2, 3, ... without gaps), a UTC timestamp, a type,
 *              the path (and old_path of a rename), the document's SHA-256,
 *              a JSON payload, and
 *                prev_hash = hash of row n-1 (32 zero bytes for row 1)
 *                hash      = SHA-256(prev_hash bytes || canonical event)
 *                sig       = Ed25519(hash) by the signer's key
 *              where the canonical event is the compact JSON, keys sorted,
 *              of {seq, ts, type, path, old_path, sha256, payload} (absent
 *              strings are null; payload is the object itself). Hashes and
 *              signatures are stored as lowercase hex.
 *   head       one row: the last seq and hash, signed (over a digest
 *              distinct from any event's), so that deleting the newest
 *              events is detected although every remaining row is intact.
 *   versions   one row per document version an event recorded: hash, size,
 *              format, kind, topic, language, title, fields, metadata,
 *              warnings, analysis, error of a rejected file, and the seq of
 *              its event.
 *   documents  one row per path ever seen: its current version (NULL once
 *              removed) and the stat tuple (dev, ino, size, mtime, ctime)
 *              that lets startup reconcile the folder without re-hashing.
 *   meta       the public key the ledger is signed with.
 *
 * versions and documents are derived from the events (an event's payload
 * holds every column of the version it records), so ledger_verify() can
 * recompute them from the chain and report any edit.
 *
 * Every ledger_record_*() call is one transaction (BEGIN IMMEDIATE ...
 * COMMIT), or one savepoint of a batch (below): the chain head is read, the
 * event appended, the head row and the document tables updated together, so
 * a crash at any instant leaves all of it or none of it, and the ledger
 * always opens and verifies.
 *
 * Threads: a ledger handle is used by one thread at a time. The daemon has
 * one writer handle (ledger_open) used only by its ledger thread; any other
 * thread opens its own read-only handle (ledger_open_reader), which sees the
 * last committed state without blocking the writer (WAL).
 *
 * Paths are relative to the watched folder and must be valid UTF-8 (JSON
 * cannot carry other bytes); the caller decides what to do with a name that
 * is not. SHA-256 values are 64 lowercase hex digits.
 */
#ifndef LEDGER_H
#define LEDGER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "ev.h"
#include "signer.h"

#define LEDGER_DB_FILE "ledger.db"
#define LEDGER_HEX_LEN 64   /* a SHA-256 in hex */

typedef struct ledger ledger;

typedef enum ledger_event_type {
    LEDGER_ADDED,          /* a new document at a path */
    LEDGER_MODIFIED,       /* new bytes at a path with a live version */
    LEDGER_RENAMED,        /* same bytes, new path (old_path set) */
    LEDGER_REMOVED,        /* the path no longer holds a document */
    LEDGER_REJECTED,       /* the file at a path failed to parse (error set) */
    LEDGER_UNPARSED,       /* a file recorded by hash only, not read */
    LEDGER_READ,           /* the live version's bytes read again, by OCR: a new
                              version row with the same hash and what OCR read */
    LEDGER_POLICY_CHANGED  /* catalog or configuration change; no path */
} ledger_event_type;

/* "added", "modified", "renamed", "removed", "rejected", "unparsed",
 * "policy-changed", "read": the value of events.type. */
const char *ledger_event_type_name(ledger_event_type type);

/* The inode metadata that tells whether a file may have changed. */
typedef struct ledger_stat {
    int64_t dev, ino, size, mtime_ns, ctime_ns;
} ledger_stat;

ledger_stat ledger_stat_of(const struct stat *st);
bool ledger_stat_equal(const ledger_stat *a, const ledger_stat *b);

/*
 * A document version. As input (ledger_record_version) the caller owns every
 * string; as output (callbacks) the strings live until the callback returns.
 * NULL means absent. The JSON members are text: fields, metadata and
 * analysis objects, warnings an array; they are stored in canonical form.
 * Numbers in them are best integers (amounts in cents): the text of a real
 * is whatever the JSON library prints, which a later version may print
 * differently, and the canonical text is what gets hashed.
 */
typedef struct ledger_file {
    const char *path;
    ledger_stat st;             /* of the file when it was hashed */
    const char *sha256;
    int64_t size;               /* bytes hashed */
    const char *format;         /* "docx", "odt", ... */
    const char *kind;
    const char *topic;
    const char *language;       /* "zh", "en" */
    const char *title;
    int64_t text_chars;
    const char *fields_json;
    const char *meta_json;
    const char *warnings_json;
    const char *analysis_json;  /* object: what classification and checks concluded */
    const char *error_code;     /* set exactly when the event is "rejected" */
    const char *error_message;
    int64_t seq;                /* output only: the event that recorded it */
} ledger_file;

/* One row of the event log, as stored. Strings live until the callback
 * returns; path, old_path and sha256 may be NULL. */
typedef struct ledger_event {
    int64_t seq;
    const char *ts;
    const char *type;
    const char *path;
    const char *old_path;
    const char *sha256;
    const char *payload;        /* canonical JSON object */
    const char *prev_hash;
    const char *hash;
    const char *sig;
} ledger_event;

/* Iteration callbacks: return 0 to go on, anything else to stop early. They
 * must not call back into the same ledger handle. */
typedef int (*ledger_file_fn)(void *ctx, const ledger_file *f);
typedef int (*ledger_event_fn)(void *ctx, const ledger_event *ev);

/* ---- opening ----------------------------------------------------------- */

/*
 * Open (creating at first start) state_dir/ledger.db for writing, signing
 * with s, which must hold a secret key and must outlive the ledger. The
 * caller holds state_dir's lock (statelock.h): one writer per ledger.
 * Refuses, with EV_EINVAL and a message saying why, a database signed by
 * another key, of an unknown schema version, or whose head row does not
 * match its last event (events were deleted: appending would hide that).
 * Returns EV_EIO when SQLite cannot open or write the file.
 */
ev_code ledger_open(const char *state_dir, const signer *s, ledger **out, ev_error *err);

/*
 * Open db_path read-only for queries (never writes, never creates). In WAL
 * mode SQLite needs the -shm file beside the database or the right to create
 * it; failing that, a database with no -wal file (a copy, or one whose
 * writer has closed) is read as immutable, so a copy on read-only media
 * still opens. Returns EV_EIO if it cannot be opened, EV_EINVAL if it is not
 * a ledger.
 */
ev_code ledger_open_reader(const char *db_path, ledger **out, ev_error *err);

/* Drop an open batch, finish statements and close. NULL is accepted. */
void ledger_close(ledger *l);

/* ---- recording (writer handle only) ------------------------------------ */

/*
 * Record a new version of f->path: type is LEDGER_ADDED, LEDGER_MODIFIED,
 * LEDGER_REJECTED (f->error_code required), LEDGER_UNPARSED or LEDGER_READ
 * (which the caller records only for the bytes of the live version). The path's
 * documents row is created if needed and points to the new version; its stat
 * tuple becomes f->st. On success *seq (may be NULL) is the new event's seq.
 * Returns EV_EINVAL for a bad argument (not UTF-8, bad hash, JSON of the
 * wrong shape), EV_EIO/EV_EINTERNAL when SQLite fails (nothing is recorded).
 */
ev_code ledger_record_version(ledger *l, ledger_event_type type, const ledger_file *f,
                              int64_t *seq, ev_error *err);

/*
 * The live document at old_path is now at new_path with the same bytes;
 * st is new_path's stat tuple. A live document at new_path is replaced
 * (its hash goes in the payload as "replaced"). The new path gets a version
 * row copied from the old one, the old path none. Returns EV_ENOTFOUND if
 * old_path has no live version, EV_EINVAL if the paths are equal or bad.
 */
ev_code ledger_record_rename(ledger *l, const char *old_path, const char *new_path,
                             const ledger_stat *st, int64_t *seq, ev_error *err);

/* The document at path is gone. EV_ENOTFOUND if it has no live version. */
ev_code ledger_record_removed(ledger *l, const char *path, int64_t *seq, ev_error *err);

/* A policy-changed event with the given JSON object as payload. */
ev_code ledger_record_policy_change(ledger *l, const char *payload_json, int64_t *seq,
                                    ev_error *err);

/*
 * Update the stored stat tuple of a live document whose bytes are known
 * unchanged (same hash after a metadata-only change). Records no event: the
 * stat tuple is a cache, not evidence. EV_ENOTFOUND if path is not live.
 */
ev_code ledger_touch_stat(ledger *l, const char *path, const ledger_stat *st, ev_error *err);

/*
 * Group commit. Every ledger_record_*() call between ledger_batch_begin()
 * and ledger_batch_commit() joins one transaction, so that a cold scan pays
 * for one fsync per batch instead of one per event. A call that fails
 * inside the batch undoes only itself (a savepoint) and the batch goes on;
 * if SQLite had to roll the whole transaction back (a full disk), every
 * later call and the commit fail with EV_EIO. Until the commit returns
 * EV_OK nothing of the batch is durable, and a crash loses all of it: do
 * not report the seqs it handed out before then. ledger_batch_abort() drops
 * the batch. Batches do not nest; ledger_touch_stat() may be called inside.
 */
ev_code ledger_batch_begin(ledger *l, ev_error *err);
ev_code ledger_batch_commit(ledger *l, ev_error *err);
void ledger_batch_abort(ledger *l);

/* ---- queries (any handle) ---------------------------------------------- */

/*
 * The stored stat tuple, hash and event seq of the live document at path,
 * for the reconcile step. Any output may be NULL. EV_ENOTFOUND if path has
 * no live version (never seen, or removed).
 */
ev_code ledger_lookup(ledger *l, const char *path, ledger_stat *st,
                      char sha256[LEDGER_HEX_LEN + 1], int64_t *seq, ev_error *err);

/* Call fn with the current version of the live document at path
 * (EV_ENOTFOUND if none), or of every live document in path order. A
 * document is live from the event that records a version (rejected and
 * unparsed ones included) until it is removed or renamed away. */
ev_code ledger_document(ledger *l, const char *path, ledger_file_fn fn, void *ctx,
                        ev_error *err);
ev_code ledger_documents(ledger *l, ledger_file_fn fn, void *ctx, ev_error *err);

/*
 * Call fn for each event with seq > since_seq in seq order, at most limit
 * of them (limit <= 0: all). When path is not NULL, only the events whose
 * path or old_path is path.
 */
ev_code ledger_history(ledger *l, int64_t since_seq, int64_t limit, const char *path,
                       ledger_event_fn fn, void *ctx, ev_error *err);

/*
 * Copy what the write-ahead log holds into ledger.db, as far as no reader
 * prevents it. Called when the folder is quiet, so that a copy of ledger.db
 * alone (an auditor's, a backup's) holds the events up to then; a failure
 * is logged, not returned, since nothing recorded is at risk.
 */
void ledger_checkpoint(ledger *l);

/* The time stamp of the last event this handle appended ("" before any),
 * for announcing it as the ledger records it. */
const char *ledger_last_ts(const ledger *l);

/* The last event's seq and hash (0 and 64 zeros for an empty ledger). */
ev_code ledger_head(ledger *l, int64_t *seq, char hash[LEDGER_HEX_LEN + 1], ev_error *err);

/* ---- verification ------------------------------------------------------ */

typedef enum ledger_fault {
    LEDGER_FAULT_NONE,
    LEDGER_FAULT_MALFORMED,  /* a row with a missing or ill-formed column */
    LEDGER_FAULT_GAP,        /* a seq is missing: a row was deleted */
    LEDGER_FAULT_LINK,       /* prev_hash is not the previous row's hash */
    LEDGER_FAULT_HASH,       /* the row does not hash to its hash: edited */
    LEDGER_FAULT_SIGNATURE,  /* the signature does not verify */
    LEDGER_FAULT_TRUNCATED,  /* events after the last row were deleted */
    LEDGER_FAULT_HEAD,       /* the head row or the expected head disagrees */
    LEDGER_FAULT_KEY,        /* the ledger names another public key */
    LEDGER_FAULT_TABLES      /* versions/documents disagree with the events */
} ledger_fault;

/* "none", "malformed", "gap", "broken-link", "hash-mismatch",
 * "bad-signature", "truncated", "bad-head", "wrong-key", "tables-disagree". */
const char *ledger_fault_name(ledger_fault fault);

typedef struct ledger_verify_report {
    int64_t events;                      /* rows whose hash and signature held */
    int64_t head_seq;                    /* last good row */
    char head_hash[LEDGER_HEX_LEN + 1];
    int64_t documents;                   /* live documents, when all held */
    ledger_fault fault;                  /* the first fault found */
    int64_t fault_seq;                   /* its event, 0 if none applies */
    char detail[256];                    /* for people */
} ledger_verify_report;

/*
 * Check the ledger at db_path against the public key pub (a verify-only
 * signer is enough), opening it read-only: every event in seq order (seq
 * continuity, prev_hash linkage, hash, signature), the signed head row, and
 * the versions and documents tables against the events. When expect_hash is
 * not NULL, the event at expect_seq must exist and have that hash (a head
 * the caller saw earlier: catches a ledger cut back and re-signed by whoever
 * holds the secret key, or replaced by an older copy).
 * Stops at the first fault and describes it in *report.
 * Returns EV_OK when the check ran (report->fault says whether it passed);
 * EV_EIO or EV_EINVAL when it could not run (no such file, not a ledger).
 */
ev_code ledger_verify(const char *db_path, const signer *pub, int64_t expect_seq,
                      const char *expect_hash, ledger_verify_report *report, ev_error *err);

#endif
