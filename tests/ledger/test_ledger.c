/* test_ledger.c: the evidence ledger on a real SQLite file: recording,
 * queries, and verify catching every kind of tampering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "ledger.h"
#include "sha256.h"
#include "signer.h"

typedef struct fixture {
    char dir[64];
    char db[128];
    signer *s;
    ledger *l;
} fixture;

/* A version of document i, generation gen; the strings live in *buf. */
typedef struct sample {
    char path[64];
    char sha[LEDGER_HEX_LEN + 1];
    ledger_file f;
} sample;

static void make_sample(sample *smp, int i, int gen)
{
    snprintf(smp->path, sizeof smp->path, "合同/contract-%03d.docx", i);
    char *content = ev_asprintf("document %d generation %d", i, gen);
    ev_sha256_hex(content, strlen(content), smp->sha);
    free(content);
    smp->f = (ledger_file){
        .path = smp->path,
        .st = {.dev = 2049, .ino = 1000 + i, .size = 5000 + gen, .mtime_ns = 1700000000000000000 + gen,
               .ctime_ns = 1700000000000000001 + gen},
        .sha256 = smp->sha,
        .size = 5000 + gen,
        .format = "docx",
        .kind = "contract",
        .language = "zh",
        .title = "技术服务合同",
        .text_chars = 1234 + gen,
        .fields_json = "{\"party_b\": \"某某信息技术有限公司\", "
                       "\"amount\": {\"value\": 120000, \"currency\": \"CNY\"}, \"signed\": \"2025-03-01\"}",
        .meta_json = "{\"creator\": \"张三\", \"revision\": 3}",
        .warnings_json = "[]",
        .analysis_json = "{\"why\": [\"title says 合同\"], \"checks\": {\"signed\": true}}",
    };
}

static void open_ledger(fixture *fx)
{
    ev_error err = {0};
    if (!fx->s)
        assert_int_equal(signer_open(fx->dir, &fx->s, &err), EV_OK);
    if (ledger_open(fx->dir, fx->s, &fx->l, &err) != EV_OK)
        fail_msg("ledger_open: %s", err.message);
}

static void close_ledger(fixture *fx)
{
    ledger_close(fx->l);
    fx->l = NULL;
}

/*
 * A new directory for a test. On tmpfs when there is one: every commit
 * fsyncs, which on a loaded disk costs more than the rest of the suite, and
 * what the tests check (atomic commits, a killed writer) does not depend on
 * the disk.
 */
static bool make_dir(char *out, size_t size, const char *name)
{
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(out, size, "%s/%s-XXXXXX", base, name);
    return mkdtemp(out) != NULL;
}

static int setup(void **state)
{
    fixture *fx = ev_calloc(1, sizeof *fx);
    if (!make_dir(fx->dir, sizeof fx->dir, "ev-ledger"))
        return -1;
    snprintf(fx->db, sizeof fx->db, "%s/%s", fx->dir, LEDGER_DB_FILE);
    open_ledger(fx);
    *state = fx;
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    fixture *fx = *state;
    close_ledger(fx);
    signer_close(fx->s);
    int rc = nftw(fx->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(fx);
    return rc;
}

static int64_t add(fixture *fx, int i, int gen, ledger_event_type type)
{
    sample smp;
    int64_t seq = 0;
    ev_error err = {0};
    make_sample(&smp, i, gen);
    if (ledger_record_version(fx->l, type, &smp.f, &seq, &err) != EV_OK)
        fail_msg("record %d: %s", i, err.message);
    return seq;
}

/* A mixed history of n events: adds, modifications, renames, removals,
 * rejections and a policy change; in one batch (one fsync) when batch. */
static void record_mixed_as(fixture *fx, int n, bool batch)
{
    ev_error err = {0};
    int64_t seq = 0, head = 0;
    assert_int_equal(ledger_head(fx->l, &head, NULL, &err), EV_OK);
    if (batch)
        assert_int_equal(ledger_batch_begin(fx->l, &err), EV_OK);
    for (int i = 0; i < n; i++) {
        int64_t expect = head + i + 1;
        switch (i % 6) {
        case 0:
        case 2:
            seq = add(fx, i, 0, LEDGER_ADDED);
            break;
        case 1:
            seq = add(fx, i - 1, 1, LEDGER_MODIFIED);
            break;
        case 3: {
            sample a, b;
            make_sample(&a, i - 1, 0);
            make_sample(&b, i + 1000, 0);
            assert_int_equal(ledger_record_rename(fx->l, a.path, b.path, &b.f.st, &seq, &err), EV_OK);
            break;
        }
        case 4: {
            sample a;
            make_sample(&a, i + 1000 - 1, 0);
            assert_int_equal(ledger_record_removed(fx->l, a.path, &seq, &err), EV_OK);
            break;
        }
        default:
            if (i % 12 == 5) {
                assert_int_equal(ledger_record_policy_change(fx->l, "{\"catalog\": \"v2\"}", &seq, &err),
                                 EV_OK);
            } else {
                sample r;
                make_sample(&r, i, 0);
                r.f.error_code = "zip-bomb";
                r.f.error_message = "inflated size over the limit";
                r.f.format = NULL;
                r.f.kind = NULL;
                r.f.fields_json = NULL;
                if (ledger_record_version(fx->l, LEDGER_REJECTED, &r.f, &seq, &err) != EV_OK)
                    fail_msg("%s", err.message);
            }
        }
        assert_int_equal(seq, expect);
    }
    if (batch)
        assert_int_equal(ledger_batch_commit(fx->l, &err), EV_OK);
}

static void record_mixed(fixture *fx, int n)
{
    record_mixed_as(fx, n, true);
}

static ledger_verify_report verify_full(fixture *fx, int64_t expect_seq, const char *expect_hash,
                                        const ledger_tree_head *expect_tree)
{
    signer *pub = NULL;
    ev_error err = {0};
    ledger_verify_report r;
    char *pub_path = ev_asprintf("%s/%s", fx->dir, SIGNER_PUB_FILE);
    assert_int_equal(signer_load_public(pub_path, &pub, &err), EV_OK);
    if (ledger_verify(fx->db, pub, expect_seq, expect_hash, expect_tree, &r, &err) != EV_OK)
        fail_msg("ledger_verify: %s", err.message);
    signer_close(pub);
    free(pub_path);
    return r;
}

static ledger_verify_report verify_with(fixture *fx, int64_t expect_seq, const char *expect_hash)
{
    return verify_full(fx, expect_seq, expect_hash, NULL);
}

static ledger_verify_report verify(fixture *fx)
{
    return verify_with(fx, 0, NULL);
}

static void assert_verifies(fixture *fx)
{
    ledger_verify_report r = verify(fx);
    if (r.fault != LEDGER_FAULT_NONE)
        fail_msg("verify: %s at %lld: %s", ledger_fault_name(r.fault), (long long)r.fault_seq,
                 r.detail);
}

static void assert_fault(fixture *fx, ledger_fault fault, int64_t seq)
{
    ledger_verify_report r = verify(fx);
    if (r.fault != fault || r.fault_seq != seq)
        fail_msg("expected %s at %lld, got %s at %lld: %s", ledger_fault_name(fault),
                 (long long)seq, ledger_fault_name(r.fault), (long long)r.fault_seq, r.detail);
    assert_true(r.detail[0] != '\0');
}

/* Change the database behind the ledger's back, as someone with write
 * access to the file could. */
static void tamper(fixture *fx, const char *sql)
{
    sqlite3 *db = NULL;
    char *msg = NULL;
    close_ledger(fx);
    assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
    int rc = sqlite3_exec(db,
                          "DROP TRIGGER IF EXISTS events_no_update;"
                          "DROP TRIGGER IF EXISTS events_no_delete;",
                          NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
    assert_int_equal(sqlite3_changes(db) > 0 || strncmp(sql, "UPDATE", 6) != 0, 1);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* ---- the Merkle tree ----------------------------------------------------- */

static ledger_verify_report verify_tree(fixture *fx, const ledger_tree_head *expect)
{
    return verify_full(fx, 0, NULL, expect);
}

/* The tree's leaves are the events' canonical texts; its root and proofs
 * come from the stored subtrees and agree with a tree built leaf by leaf. */
static void test_tree_over_the_events(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 9);
    record_mixed_as(fx, 14, false);
    merkle_edge e;
    merkle_hash leaf, root, stored, proof[MERKLE_MAX_PROOF];
    size_t count;
    merkle_edge_init(&e);
    for (int64_t seq = 1; seq <= 23; seq++) {
        char *text = NULL;
        assert_int_equal(ledger_leaf(fx->l, seq, &text, NULL), EV_OK);
        assert_non_null(strstr(text, "\"seq\":"));
        merkle_leaf_hash(text, strlen(text), leaf);
        free(text);
        assert_int_equal(merkle_edge_push(&e, leaf, NULL, NULL, NULL), EV_OK);
        merkle_edge_root(&e, root);
        assert_int_equal(ledger_tree_root(fx->l, (uint64_t)seq, stored, NULL), EV_OK);
        assert_memory_equal(root, stored, MERKLE_HASH_BYTES);
    }
    char *text = NULL;
    assert_int_equal(ledger_leaf(fx->l, 7, &text, NULL), EV_OK);
    merkle_leaf_hash(text, strlen(text), leaf);
    free(text);
    assert_int_equal(ledger_prove_inclusion(fx->l, 7, 23, proof, &count, NULL), EV_OK);
    assert_true(merkle_verify_inclusion(6, 23, leaf, proof, count, root));
    merkle_hash old_root;
    assert_int_equal(ledger_tree_root(fx->l, 9, old_root, NULL), EV_OK);
    assert_int_equal(ledger_prove_consistency(fx->l, 9, 23, proof, &count, NULL), EV_OK);
    assert_true(merkle_verify_consistency(9, 23, old_root, root, proof, count));

    assert_int_equal(ledger_leaf(fx->l, 24, &text, NULL), EV_ENOTFOUND);
    assert_int_equal(ledger_prove_inclusion(fx->l, 0, 23, proof, &count, NULL), EV_EINVAL);
    assert_int_equal(ledger_prove_inclusion(fx->l, 24, 23, proof, &count, NULL), EV_EINVAL);
    assert_int_equal(ledger_tree_root(fx->l, 24, root, NULL), EV_ENOTFOUND);

    ledger_verify_report r = verify_tree(fx, NULL);
    assert_int_equal(r.fault, LEDGER_FAULT_NONE);
    assert_memory_equal(r.tree_root, stored, MERKLE_HASH_BYTES);
}

/* An earlier tree head holds while the ledger extends it, and names the
 * rollback when the ledger does not. */
static void test_expected_tree_catches_rollback(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 12);
    ledger_tree_head then = {.size = 12};
    assert_int_equal(ledger_tree_root(fx->l, 12, then.root, NULL), EV_OK);
    record_mixed(fx, 5);
    assert_int_equal(verify_tree(fx, &then).fault, LEDGER_FAULT_NONE);

    ledger_tree_head later = {.size = 30};
    memcpy(later.root, then.root, MERKLE_HASH_BYTES);
    ledger_verify_report r = verify_tree(fx, &later);
    assert_int_equal(r.fault, LEDGER_FAULT_ROLLBACK);
    assert_int_equal(r.fault_seq, 18);
    assert_non_null(strstr(r.detail, "checkpoint of 30 events"));

    ledger_tree_head other = then;
    other.root[0] ^= 1;
    r = verify_tree(fx, &other);
    assert_int_equal(r.fault, LEDGER_FAULT_ROLLBACK);
    assert_int_equal(r.fault_seq, 12);
}

static void test_edited_tree_is_caught(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 12);
    tamper(fx, "UPDATE tree SET hash = (SELECT hash FROM tree WHERE level = 0 AND idx = 0)"
               " WHERE level = 1 AND idx = 2");
    assert_fault(fx, LEDGER_FAULT_TREE, 6);
}

static void test_extra_tree_node_is_caught(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 12);
    tamper(fx, "INSERT INTO tree VALUES (5, 0, (SELECT hash FROM tree WHERE level = 0 AND idx = 0))");
    assert_fault(fx, LEDGER_FAULT_TREE, 12);
}

/* A ledger of schema 1 (no tree) gets its tree when the writer opens it. */
static void test_schema_1_gains_its_tree(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 11);
    merkle_hash before, after;
    assert_int_equal(ledger_tree_root(fx->l, 11, before, NULL), EV_OK);
    tamper(fx, "DROP TABLE tree; PRAGMA user_version = 1;");
    open_ledger(fx);
    assert_int_equal(ledger_tree_root(fx->l, 11, after, NULL), EV_OK);
    assert_memory_equal(before, after, MERKLE_HASH_BYTES);
    record_mixed(fx, 4);
    assert_verifies(fx);
}

/* ---- a sound ledger ---------------------------------------------------- */

static void test_chain_of_many_events_verifies(void **state)
{
    fixture *fx = *state;
    assert_verifies(fx); /* empty */
    record_mixed_as(fx, 60, false);
    record_mixed(fx, 240);

    int64_t seq = 0;
    char hash[LEDGER_HEX_LEN + 1];
    assert_int_equal(ledger_head(fx->l, &seq, hash, NULL), EV_OK);
    assert_int_equal(seq, 300);
    ledger_verify_report r = verify(fx);
    assert_int_equal(r.fault, LEDGER_FAULT_NONE);
    assert_int_equal(r.events, 300);
    assert_int_equal(r.head_seq, 300);
    assert_string_equal(r.head_hash, hash);
    assert_true(r.documents > 0);

    /* The expected head the daemon reported earlier checks out. */
    r = verify_with(fx, seq, hash);
    assert_int_equal(r.fault, LEDGER_FAULT_NONE);

    /* Verifying while the writer is open sees the committed state. */
    add(fx, 9999, 0, LEDGER_ADDED);
    assert_verifies(fx);
}

static int count_file(void *ctx, const ledger_file *f)
{
    (void)f;
    (*(int *)ctx)++;
    return 0;
}

static void test_reopen_continues_the_chain(void **state)
{
    fixture *fx = *state;
    record_mixed_as(fx, 12, false);
    close_ledger(fx);
    signer_close(fx->s);
    fx->s = NULL;
    open_ledger(fx);
    int64_t seq = add(fx, 500, 0, LEDGER_ADDED);
    assert_int_equal(seq, 13);
    record_mixed(fx, 12);
    ledger_verify_report r = verify(fx);
    assert_int_equal(r.fault, LEDGER_FAULT_NONE);
    assert_int_equal(r.events, 25);
}

/* Copy what an auditor gets, ledger.db and ledger.pub, into a new dir. */
static void copy_for_auditor(const fixture *fx, char *copy, size_t size)
{
    assert_true(make_dir(copy, size, "ev-ledger-copy"));
    const char *names[] = {LEDGER_DB_FILE, SIGNER_PUB_FILE};
    for (size_t i = 0; i < EV_ARRAY_LEN(names); i++) {
        char *from = ev_asprintf("%s/%s", fx->dir, names[i]);
        char *to = ev_asprintf("%s/%s", copy, names[i]);
        int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_EXCL, 0644);
        assert_true(in >= 0 && out >= 0);
        char buf[8192];
        ssize_t n;
        while ((n = read(in, buf, sizeof buf)) > 0)
            assert_int_equal(write(out, buf, (size_t)n), n);
        assert_int_equal(n, 0);
        close(in);
        close(out);
        free(from);
        free(to);
    }
}

/* Verify dir's copy; 0 when it ran and passed with `events` events. */
static int verify_copy(const char *dir, int64_t events)
{
    signer *pub = NULL;
    ledger_verify_report r = {0};
    char *pub_path = ev_asprintf("%s/%s", dir, SIGNER_PUB_FILE);
    char *db = ev_asprintf("%s/%s", dir, LEDGER_DB_FILE);
    int bad = signer_load_public(pub_path, &pub, NULL) != EV_OK ||
              ledger_verify(db, pub, 0, NULL, NULL, &r, NULL) != EV_OK ||
              r.fault != LEDGER_FAULT_NONE || r.events != events;
    signer_close(pub);
    free(db);
    free(pub_path);
    return bad;
}

static void test_verify_with_only_the_public_key(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 30);
    close_ledger(fx);
    /* The last connection folds the WAL into the file: one file to copy. */
    char *wal = ev_asprintf("%s-wal", fx->db);
    assert_int_equal(access(wal, F_OK), -1);
    free(wal);

    char copy[64];
    copy_for_auditor(fx, copy, sizeof copy);
    assert_int_equal(verify_copy(copy, 30), 0);

    /* The current documents, for re-hashing the files, from the copy. */
    signer *pub = NULL;
    ev_error err = {0};
    char *pub_path = ev_asprintf("%s/%s", copy, SIGNER_PUB_FILE);
    char *db = ev_asprintf("%s/%s", copy, LEDGER_DB_FILE);
    assert_int_equal(signer_load_public(pub_path, &pub, &err), EV_OK);
    ledger *rd = NULL;
    int docs = 0;
    assert_int_equal(ledger_open_reader(db, &rd, &err), EV_OK);
    assert_int_equal(ledger_documents(rd, count_file, &docs, &err), EV_OK);
    assert_true(docs > 0);
    /* A reader cannot write, and a verify-only key cannot open a writer. */
    sample smp;
    make_sample(&smp, 1, 0);
    assert_int_equal(ledger_record_version(rd, LEDGER_ADDED, &smp.f, NULL, &err), EV_EINVAL);
    ledger *w = NULL;
    assert_int_equal(ledger_open(copy, pub, &w, &err), EV_EINVAL);
    ledger_close(rd);
    signer_close(pub);
    free(db);
    free(pub_path);
    assert_int_equal(nftw(copy, remove_entry, 8, FTW_DEPTH | FTW_PHYS), 0);
}

static void test_verify_a_copy_in_a_read_only_directory(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 12);
    close_ledger(fx);
    char copy[64];
    copy_for_auditor(fx, copy, sizeof copy);
    assert_int_equal(chmod(copy, 0555), 0);

    /* Root writes anywhere: check as an unprivileged user in a child. */
    int bad;
    if (geteuid() != 0) {
        bad = verify_copy(copy, 12);
    } else {
        struct passwd *nobody = getpwnam("nobody");
        if (!nobody) {
            assert_int_equal(chmod(copy, 0755), 0);
            skip();
        }
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            if (setgroups(0, NULL) != 0 || setgid(nobody->pw_gid) != 0 || setuid(nobody->pw_uid) != 0)
                _exit(2);
            _exit(verify_copy(copy, 12));
        }
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        bad = WIFEXITED(status) ? WEXITSTATUS(status) : 3;
    }
    /* Nothing could be created beside the database. */
    char *shm = ev_asprintf("%s/%s-shm", copy, LEDGER_DB_FILE);
    assert_int_equal(access(shm, F_OK), -1);
    free(shm);
    assert_int_equal(chmod(copy, 0755), 0);
    assert_int_equal(bad, 0);
    assert_int_equal(nftw(copy, remove_entry, 8, FTW_DEPTH | FTW_PHYS), 0);
}

/* ---- tampering --------------------------------------------------------- */

static void test_edited_payload_is_named(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 20);
    /* Still canonical JSON, different meaning. */
    tamper(fx, "UPDATE events SET payload = replace(payload, '\"size\":', '\"size\":9') WHERE seq = 7");
    assert_fault(fx, LEDGER_FAULT_HASH, 7);
}

static void test_edited_payload_spacing_is_named(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 20);
    tamper(fx, "UPDATE events SET payload = replace(payload, ',', ', ') WHERE seq = 8");
    assert_fault(fx, LEDGER_FAULT_HASH, 8);
}

static void test_edited_type_is_named(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 20);
    tamper(fx, "UPDATE events SET type = 'added' WHERE seq = 2");
    assert_fault(fx, LEDGER_FAULT_HASH, 2);
}

static void test_edited_path_is_named(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 20);
    tamper(fx, "UPDATE events SET path = 'elsewhere.docx' WHERE seq = 13");
    assert_fault(fx, LEDGER_FAULT_HASH, 13);
}

static void test_edited_sha256_is_named(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 20);
    tamper(fx, "UPDATE events SET sha256 = (SELECT sha256 FROM events WHERE seq = 1) WHERE seq = 15");
    assert_fault(fx, LEDGER_FAULT_HASH, 15);
}

static void test_edited_hash_and_link(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 20);
    /* A rewritten hash no longer matches the contents. */
    tamper(fx, "UPDATE events SET hash = (SELECT hash FROM events WHERE seq = 3) WHERE seq = 4");
    assert_fault(fx, LEDGER_FAULT_HASH, 4);
}

static void test_broken_link_is_named(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 20);
    tamper(fx, "UPDATE events SET prev_hash = (SELECT prev_hash FROM events WHERE seq = 5) WHERE seq = 6");
    assert_fault(fx, LEDGER_FAULT_LINK, 6);
}

static void test_forged_signature_is_named(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 20);
    /* A genuine signature, of another event. */
    tamper(fx, "UPDATE events SET sig = (SELECT sig FROM events WHERE seq = 4) WHERE seq = 3");
    assert_fault(fx, LEDGER_FAULT_SIGNATURE, 3);
}

static void test_other_key_is_refused(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 20);
    close_ledger(fx);
    /* Verifying with some other public key names the mismatch. */
    signer *other = NULL;
    char other_dir[64];
    assert_true(make_dir(other_dir, sizeof other_dir, "ev-ledger-other"));
    assert_int_equal(signer_open(other_dir, &other, NULL), EV_OK);
    char *pub_path = ev_asprintf("%s/%s", other_dir, SIGNER_PUB_FILE);
    signer *other_pub = NULL;
    assert_int_equal(signer_load_public(pub_path, &other_pub, NULL), EV_OK);
    ledger_verify_report r;
    assert_int_equal(ledger_verify(fx->db, other_pub, 0, NULL, NULL, &r, NULL), EV_OK);
    assert_int_equal(r.fault, LEDGER_FAULT_KEY);

    /* And the meta row changed to the other key leaves every signature bad. */
    char hex[SIGNER_PK_HEX_LEN + 1];
    signer_public_hex(other, hex);
    char *sql = ev_asprintf("UPDATE meta SET value = '%s' WHERE key = 'public_key'", hex);
    tamper(fx, sql);
    assert_int_equal(ledger_verify(fx->db, other_pub, 0, NULL, NULL, &r, NULL), EV_OK);
    assert_int_equal(r.fault, LEDGER_FAULT_SIGNATURE);
    assert_int_equal(r.fault_seq, 1);
    /* The daemon's own key now disagrees with the meta row: refused. */
    ev_error err = {0};
    assert_int_equal(ledger_open(fx->dir, fx->s, &fx->l, &err), EV_EINVAL);
    assert_non_null(strstr(err.message, "signed with public key"));

    free(sql);
    free(pub_path);
    signer_close(other_pub);
    signer_close(other);
    assert_int_equal(nftw(other_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS), 0);
}

static void test_deleted_middle_row_is_a_gap(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 20);
    tamper(fx, "DELETE FROM events WHERE seq = 10");
    assert_fault(fx, LEDGER_FAULT_GAP, 10);
}

static void test_deleted_tail_is_caught_by_the_head(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 20);
    tamper(fx, "DELETE FROM events WHERE seq > 16");
    assert_fault(fx, LEDGER_FAULT_TRUNCATED, 17);
    /* The writer refuses to sign over the loss. */
    ev_error err = {0};
    assert_int_equal(ledger_open(fx->dir, fx->s, &fx->l, &err), EV_EINVAL);
    assert_non_null(strstr(err.message, "deleted"));
}

static void test_deleted_head_row_is_caught(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 20);
    tamper(fx, "DELETE FROM events WHERE seq > 16; DELETE FROM head");
    assert_fault(fx, LEDGER_FAULT_HEAD, 0);
}

static void test_old_copy_is_caught_by_the_expected_head(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 10);
    close_ledger(fx);
    char *db_old = ev_asprintf("%s/old.db", fx->dir);
    {
        sqlite3 *src = NULL, *dst = NULL;
        assert_int_equal(sqlite3_open(fx->db, &src), SQLITE_OK);
        assert_int_equal(sqlite3_open(db_old, &dst), SQLITE_OK);
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
        assert_non_null(b);
        assert_int_equal(sqlite3_backup_step(b, -1), SQLITE_DONE);
        assert_int_equal(sqlite3_backup_finish(b), SQLITE_OK);
        assert_int_equal(sqlite3_close(dst), SQLITE_OK);
        assert_int_equal(sqlite3_close(src), SQLITE_OK);
    }
    open_ledger(fx);
    record_mixed(fx, 10);
    int64_t seq = 0;
    char hash[LEDGER_HEX_LEN + 1];
    assert_int_equal(ledger_head(fx->l, &seq, hash, NULL), EV_OK);
    close_ledger(fx);

    /* The old copy is a sound ledger on its own ... */
    assert_int_equal(rename(db_old, fx->db), 0);
    char *wal = ev_asprintf("%s-wal", fx->db);
    unlink(wal);
    free(wal);
    assert_verifies(fx);
    /* ... but not the one whose head was seen at seq 20. */
    ledger_verify_report r = verify_with(fx, seq, hash);
    assert_int_equal(r.fault, LEDGER_FAULT_TRUNCATED);
    assert_int_equal(r.fault_seq, 11);
    /* An expected head that the ledger contradicts. */
    r = verify_with(fx, 5, hash);
    assert_int_equal(r.fault, LEDGER_FAULT_HEAD);
    assert_int_equal(r.fault_seq, 5);
    free(db_old);
}

static void test_edited_version_row_is_caught(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 20);
    /* seq 7 is an "added" event; its event stays intact. */
    tamper(fx, "UPDATE versions SET sha256 = (SELECT sha256 FROM versions WHERE seq = 1) WHERE seq = 7");
    assert_fault(fx, LEDGER_FAULT_TABLES, 7);
}

static void test_edited_version_fields_are_caught(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 20);
    tamper(fx, "UPDATE versions SET fields = replace(fields, '120000', '920000') WHERE seq = 9");
    assert_fault(fx, LEDGER_FAULT_TABLES, 9);
}

static void test_edited_version_analysis_is_caught(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 20);
    tamper(fx, "UPDATE versions SET analysis = '{\"why\":[]}' WHERE seq = 3");
    assert_fault(fx, LEDGER_FAULT_TABLES, 3);
}

static void test_edited_document_row_is_caught(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 20);
    /* Hiding a live document from the list that verify re-hashes. */
    tamper(fx, "UPDATE documents SET version = NULL WHERE version = (SELECT id FROM versions WHERE seq = 14)");
    assert_fault(fx, LEDGER_FAULT_TABLES, 14);
}

static void test_deleted_version_row_is_caught(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 20);
    /* Not the current version of its document (event 2 replaced it), so
     * only the events' own claim to a versions row can reveal it. */
    tamper(fx, "DELETE FROM versions WHERE seq = 1");
    assert_fault(fx, LEDGER_FAULT_TABLES, 1);
}

static void test_not_a_ledger(void **state)
{
    fixture *fx = *state;
    signer *pub = NULL;
    ledger_verify_report r;
    ev_error err = {0};
    char *pub_path = ev_asprintf("%s/%s", fx->dir, SIGNER_PUB_FILE);
    char *missing = ev_asprintf("%s/missing.db", fx->dir);
    char *junk = ev_asprintf("%s/junk.db", fx->dir);
    assert_int_equal(signer_load_public(pub_path, &pub, &err), EV_OK);
    assert_int_equal(ledger_verify(missing, pub, 0, NULL, NULL, &r, &err), EV_EIO);
    FILE *f = fopen(junk, "w");
    assert_non_null(f);
    for (int i = 0; i < 200; i++)
        fputs("this is not a database file at all. ", f);
    fclose(f);
    ev_error_clear(&err);
    assert_int_equal(ledger_verify(junk, pub, 0, NULL, NULL, &r, &err), EV_EIO);
    ev_error_clear(&err);
    assert_int_equal(ledger_verify(fx->db, pub, 3, "XYZ", NULL, &r, &err), EV_EINVAL);
    signer_close(pub);
    free(junk);
    free(missing);
    free(pub_path);
}

/* ---- crash safety ------------------------------------------------------ */

/* The child appends until it is killed. */
EV_NORETURN static void append_forever(const char *dir, int round)
{
    signer *s = NULL;
    ledger *l = NULL;
    if (signer_open(dir, &s, NULL) != EV_OK || ledger_open(dir, s, &l, NULL) != EV_OK)
        _exit(2);
    /* Odd rounds append in batches of 7, to be killed inside one too. */
    bool batches = round % 2 == 1;
    for (int i = 0;; i++) {
        sample smp;
        make_sample(&smp, round * 100000 + i, 0);
        if (batches && i % 7 == 0 && ledger_batch_begin(l, NULL) != EV_OK)
            _exit(5);
        if (ledger_record_version(l, LEDGER_ADDED, &smp.f, NULL, NULL) != EV_OK)
            _exit(3);
        if (i % 3 == 2 && ledger_record_removed(l, smp.path, NULL, NULL) != EV_OK)
            _exit(4);
        if (batches && i % 7 == 6 && ledger_batch_commit(l, NULL) != EV_OK)
            _exit(6);
    }
}

static void test_killed_writer_leaves_a_ledger_that_verifies(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 6);
    close_ledger(fx);
    srand((unsigned)time(NULL));
    for (int round = 1; round <= 4; round++) {
        ledger *rd = NULL;
        int64_t start = 0, now = 0;
        /* No SQLite connection may cross the fork. */
        assert_int_equal(ledger_open_reader(fx->db, &rd, NULL), EV_OK);
        assert_int_equal(ledger_head(rd, &start, NULL, NULL), EV_OK);
        ledger_close(rd);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            append_forever(fx->dir, round);
        assert_int_equal(ledger_open_reader(fx->db, &rd, NULL), EV_OK);
        /* Let it get going, then kill it at some instant. */
        for (int tries = 0; tries < 2000 && now < start + 10; tries++) {
            usleep(1000);
            assert_int_equal(ledger_head(rd, &now, NULL, NULL), EV_OK);
        }
        usleep((useconds_t)(rand() % 3000));
        assert_int_equal(kill(pid, SIGKILL), 0);
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status));
        ledger_close(rd);
        assert_true(now >= start + 10);

        assert_verifies(fx);
        /* And the next writer carries on from the last committed event. */
        open_ledger(fx);
        int64_t head = 0;
        assert_int_equal(ledger_head(fx->l, &head, NULL, NULL), EV_OK);
        assert_int_equal(add(fx, 424242 + round, 0, LEDGER_ADDED), head + 1);
        close_ledger(fx);
        assert_verifies(fx);
    }
}

static void test_batch_commits_together(void **state)
{
    fixture *fx = *state;
    ev_error err = {0};
    ledger *rd = NULL;
    int64_t seq = 0, head = -1;
    add(fx, 1, 0, LEDGER_ADDED);
    assert_int_equal(ledger_open_reader(fx->db, &rd, &err), EV_OK);

    assert_int_equal(ledger_batch_begin(fx->l, &err), EV_OK);
    for (int i = 2; i <= 40; i++)
        assert_int_equal(add(fx, i, 0, LEDGER_ADDED), i);
    /* A failing call inside the batch undoes itself only. */
    sample gone;
    make_sample(&gone, 777, 0);
    assert_int_equal(ledger_record_removed(fx->l, gone.path, &seq, &err), EV_ENOTFOUND);
    ev_error_clear(&err);
    sample bad;
    make_sample(&bad, 778, 0);
    bad.f.path = "bad\xff.docx";
    assert_int_equal(ledger_record_version(fx->l, LEDGER_ADDED, &bad.f, &seq, &err), EV_EINVAL);
    sample a;
    make_sample(&a, 3, 0);
    assert_int_equal(ledger_record_removed(fx->l, a.path, &seq, &err), EV_OK);
    assert_int_equal(seq, 41);
    /* Other connections see nothing of it before the commit. */
    assert_int_equal(ledger_head(rd, &head, NULL, &err), EV_OK);
    assert_int_equal(head, 1);
    assert_int_equal(ledger_batch_commit(fx->l, &err), EV_OK);
    assert_int_equal(ledger_head(rd, &head, NULL, &err), EV_OK);
    assert_int_equal(head, 41);
    ledger_close(rd);

    /* An aborted batch leaves no trace; so does closing with one open. */
    assert_int_equal(ledger_batch_begin(fx->l, &err), EV_OK);
    add(fx, 100, 0, LEDGER_ADDED);
    ledger_batch_abort(fx->l);
    assert_int_equal(ledger_batch_begin(fx->l, &err), EV_OK);
    add(fx, 101, 0, LEDGER_ADDED);
    close_ledger(fx);
    open_ledger(fx);
    assert_int_equal(ledger_head(fx->l, &head, NULL, &err), EV_OK);
    assert_int_equal(head, 41);
    assert_int_equal(ledger_lookup(fx->l, a.path, NULL, NULL, NULL, &err), EV_ENOTFOUND);
    ledger_verify_report r = verify(fx);
    assert_int_equal(r.fault, LEDGER_FAULT_NONE);
    assert_int_equal(r.events, 41);
    assert_int_equal(r.documents, 39);
}

/* A verifier on another thread, with its own connection, while the writer
 * appends: each pass must see one consistent state. */
typedef struct verify_loop {
    fixture *fx;
    signer *pub;
    atomic_int stop;
    atomic_int done;             /* the thread saw a fault or an error */
    atomic_llong last_seen;
    int passes;                  /* read after the join only */
    ledger_verify_report bad;
    ev_code rc;
} verify_loop;

static void *verify_thread(void *arg)
{
    verify_loop *vl = arg;
    while (!atomic_load(&vl->stop)) {
        ledger_verify_report r;
        vl->rc = ledger_verify(vl->fx->db, vl->pub, 0, NULL, NULL, &r, NULL);
        vl->passes++;
        if (vl->rc != EV_OK || r.fault != LEDGER_FAULT_NONE) {
            vl->bad = r;
            atomic_store(&vl->done, 1);
            break;
        }
        atomic_store(&vl->last_seen, r.head_seq);
    }
    return NULL;
}

static void test_verify_while_writing(void **state)
{
    fixture *fx = *state;
    verify_loop vl = {.fx = fx};
    char *pub_path = ev_asprintf("%s/%s", fx->dir, SIGNER_PUB_FILE);
    assert_int_equal(signer_load_public(pub_path, &vl.pub, NULL), EV_OK);
    record_mixed_as(fx, 6, false);

    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, verify_thread, &vl), 0);
    for (int i = 0; i < 4; i++)
        record_mixed_as(fx, 30, i % 2 == 0);
    /* Let the verifier see the final state at least once. */
    while (!atomic_load(&vl.done) && atomic_load(&vl.last_seen) < 126)
        usleep(1000);
    atomic_store(&vl.stop, 1);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(vl.rc, EV_OK);
    if (vl.bad.fault != LEDGER_FAULT_NONE)
        fail_msg("verify during writes: %s at %lld: %s", ledger_fault_name(vl.bad.fault),
                 (long long)vl.bad.fault_seq, vl.bad.detail);
    assert_true(vl.passes >= 2);
    signer_close(vl.pub);
    free(pub_path);
}

/* ---- queries and arguments --------------------------------------------- */

static int keep_file(void *ctx, const ledger_file *f)
{
    ev_buf *b = ctx;
    ev_buf_printf(b, "%s|%s|%s|%s|%lld;", f->path, f->kind ? f->kind : "-",
                  f->fields_json ? f->fields_json : "-", f->error_code ? f->error_code : "-",
                  (long long)f->seq);
    return 0;
}

static int keep_event(void *ctx, const ledger_event *ev)
{
    ev_buf *b = ctx;
    ev_buf_printf(b, "%lld %s %s;", (long long)ev->seq, ev->type, ev->path ? ev->path : "-");
    return 0;
}

static int stop_at_first(void *ctx, const ledger_event *ev)
{
    /* UTC, milliseconds: 2026-01-31T12:34:56.789Z */
    assert_int_equal(strlen(ev->ts), 24);
    assert_int_equal(ev->ts[10], 'T');
    assert_int_equal(ev->ts[23], 'Z');
    assert_int_equal(strlen(ev->hash), LEDGER_HEX_LEN);
    assert_int_equal(strlen(ev->sig), 128);
    assert_string_equal(ev->prev_hash, "0000000000000000000000000000000000000000000000000000000000000000");
    *(int64_t *)ctx = ev->seq;
    return 1;
}

static void test_lookup_touch_rename_remove(void **state)
{
    fixture *fx = *state;
    ev_error err = {0};
    sample a, b;
    ledger_stat st;
    char sha[LEDGER_HEX_LEN + 1];
    int64_t seq = 0, head = 0;

    make_sample(&a, 1, 0);
    make_sample(&b, 2, 0);
    assert_int_equal(ledger_lookup(fx->l, a.path, &st, sha, &seq, &err), EV_ENOTFOUND);
    assert_int_equal(add(fx, 1, 0, LEDGER_ADDED), 1);
    assert_int_equal(ledger_lookup(fx->l, a.path, &st, sha, &seq, &err), EV_OK);
    assert_true(ledger_stat_equal(&st, &a.f.st));
    assert_string_equal(sha, a.sha);
    assert_int_equal(seq, 1);

    /* A metadata-only change updates the cache and records nothing. */
    ledger_stat touched = a.f.st;
    touched.ctime_ns += 5;
    assert_int_equal(ledger_touch_stat(fx->l, a.path, &touched, &err), EV_OK);
    assert_int_equal(ledger_lookup(fx->l, a.path, &st, NULL, NULL, &err), EV_OK);
    assert_true(ledger_stat_equal(&st, &touched));
    assert_int_equal(ledger_head(fx->l, &head, NULL, &err), EV_OK);
    assert_int_equal(head, 1);
    ev_error_clear(&err);
    assert_int_equal(ledger_touch_stat(fx->l, b.path, &touched, &err), EV_ENOTFOUND);

    /* Rename over a live document: the old path is gone, the new one holds
     * the renamed bytes, and the replaced hash is in the payload. */
    assert_int_equal(add(fx, 2, 0, LEDGER_ADDED), 2);
    assert_int_equal(ledger_record_rename(fx->l, a.path, b.path, &b.f.st, &seq, &err), EV_OK);
    assert_int_equal(seq, 3);
    ev_error_clear(&err);
    assert_int_equal(ledger_lookup(fx->l, a.path, NULL, NULL, NULL, &err), EV_ENOTFOUND);
    assert_int_equal(ledger_lookup(fx->l, b.path, NULL, sha, &seq, &err), EV_OK);
    assert_string_equal(sha, a.sha);
    assert_int_equal(seq, 3);

    ev_buf out = {0};
    assert_int_equal(ledger_history(fx->l, 2, 1, NULL, keep_event, &out, &err), EV_OK);
    assert_string_equal(out.data, "3 renamed 合同/contract-002.docx;");
    ev_buf_reset(&out);
    assert_int_equal(ledger_history(fx->l, 0, 0, a.path, keep_event, &out, &err), EV_OK);
    assert_string_equal(out.data, "1 added 合同/contract-001.docx;3 renamed 合同/contract-002.docx;");

    /* Removal, then the same path again. */
    assert_int_equal(ledger_record_removed(fx->l, b.path, &seq, &err), EV_OK);
    assert_int_equal(seq, 4);
    ev_error_clear(&err);
    assert_int_equal(ledger_record_removed(fx->l, b.path, &seq, &err), EV_ENOTFOUND);
    ev_error_clear(&err);
    assert_int_equal(ledger_record_rename(fx->l, b.path, a.path, &a.f.st, &seq, &err), EV_ENOTFOUND);
    assert_int_equal(add(fx, 2, 5, LEDGER_ADDED), 5);

    /* The current documents, with canonical JSON. */
    ev_buf_reset(&out);
    assert_int_equal(ledger_documents(fx->l, keep_file, &out, &err), EV_OK);
    assert_string_equal(out.data,
                        "合同/contract-002.docx|contract|{\"amount\":{\"currency\":\"CNY\",\"value\":120000},"
                        "\"party_b\":\"某某信息技术有限公司\",\"signed\":\"2025-03-01\"}|-|5;");
    ev_buf_reset(&out);
    assert_int_equal(ledger_document(fx->l, b.path, keep_file, &out, &err), EV_OK);
    assert_non_null(strstr(out.data, "|5;"));
    ev_error_clear(&err);
    assert_int_equal(ledger_document(fx->l, a.path, keep_file, &out, &err), EV_ENOTFOUND);

    int64_t first = 0;
    assert_int_equal(ledger_history(fx->l, 0, 0, NULL, stop_at_first, &first, &err), EV_OK);
    assert_int_equal(first, 1);
    ev_buf_free(&out);
    assert_verifies(fx);
}

static void test_bad_arguments_are_refused(void **state)
{
    fixture *fx = *state;
    ev_error err = {0};
    sample smp;
    make_sample(&smp, 1, 0);

    sample bad = smp;
    bad.f.sha256 = "ABCDEF";
    assert_int_equal(ledger_record_version(fx->l, LEDGER_ADDED, &bad.f, NULL, &err), EV_EINVAL);
    bad = smp;
    bad.f.path = "bad\xff\xfe.docx";
    ev_error_clear(&err);
    assert_int_equal(ledger_record_version(fx->l, LEDGER_ADDED, &bad.f, NULL, &err), EV_EINVAL);
    assert_non_null(strstr(err.message, "UTF-8"));
    bad = smp;
    bad.f.fields_json = "[1, 2]";
    ev_error_clear(&err);
    assert_int_equal(ledger_record_version(fx->l, LEDGER_ADDED, &bad.f, NULL, &err), EV_EINVAL);
    bad = smp;
    bad.f.meta_json = "{\"a\": 1, \"a\": 2}";
    ev_error_clear(&err);
    assert_int_equal(ledger_record_version(fx->l, LEDGER_ADDED, &bad.f, NULL, &err), EV_EINVAL);
    ev_error_clear(&err);
    assert_int_equal(ledger_record_version(fx->l, LEDGER_REJECTED, &smp.f, NULL, &err), EV_EINVAL);
    ev_error_clear(&err);
    assert_int_equal(ledger_record_version(fx->l, LEDGER_REMOVED, &smp.f, NULL, &err), EV_EINVAL);
    ev_error_clear(&err);
    assert_int_equal(ledger_record_policy_change(fx->l, "[]", NULL, &err), EV_EINVAL);
    ev_error_clear(&err);
    assert_int_equal(ledger_record_rename(fx->l, smp.path, smp.path, &smp.f.st, NULL, &err), EV_EINVAL);

    /* Nothing was recorded by any of them. */
    int64_t head = -1;
    assert_int_equal(ledger_head(fx->l, &head, NULL, &err), EV_OK);
    assert_int_equal(head, 0);
    assert_verifies(fx);
}

static void test_new_key_for_old_ledger_is_refused(void **state)
{
    fixture *fx = *state;
    record_mixed(fx, 3);
    close_ledger(fx);
    signer_close(fx->s);
    fx->s = NULL;
    char *key = ev_asprintf("%s/%s", fx->dir, SIGNER_KEY_FILE);
    assert_int_equal(unlink(key), 0);
    free(key);
    ev_error err = {0};
    assert_int_equal(signer_open(fx->dir, &fx->s, &err), EV_OK);
    assert_int_equal(ledger_open(fx->dir, fx->s, &fx->l, &err), EV_EINVAL);
    assert_non_null(strstr(err.message, SIGNER_KEY_FILE));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_chain_of_many_events_verifies),
        T(test_reopen_continues_the_chain),
        T(test_verify_with_only_the_public_key),
        T(test_verify_a_copy_in_a_read_only_directory),
        T(test_edited_payload_is_named),
        T(test_edited_payload_spacing_is_named),
        T(test_edited_type_is_named),
        T(test_edited_path_is_named),
        T(test_edited_sha256_is_named),
        T(test_edited_hash_and_link),
        T(test_broken_link_is_named),
        T(test_forged_signature_is_named),
        T(test_other_key_is_refused),
        T(test_deleted_middle_row_is_a_gap),
        T(test_deleted_tail_is_caught_by_the_head),
        T(test_deleted_head_row_is_caught),
        T(test_old_copy_is_caught_by_the_expected_head),
        T(test_edited_version_row_is_caught),
        T(test_edited_version_fields_are_caught),
        T(test_edited_version_analysis_is_caught),
        T(test_edited_document_row_is_caught),
        T(test_deleted_version_row_is_caught),
        T(test_not_a_ledger),
        T(test_killed_writer_leaves_a_ledger_that_verifies),
        T(test_batch_commits_together),
        T(test_verify_while_writing),
        T(test_lookup_touch_rename_remove),
        T(test_tree_over_the_events),
        T(test_expected_tree_catches_rollback),
        T(test_edited_tree_is_caught),
        T(test_extra_tree_node_is_caught),
        T(test_schema_1_gains_its_tree),
        T(test_bad_arguments_are_refused),
        T(test_new_key_for_old_ledger_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
