/*
 * bench_ledger.c: the ledger section of scripts/bench. Prints figures and
 * asserts none.
 *
 *   bench_ledger DIR [N1 N2 ...]     (default 10000 100000)
 *
 * Grows one ledger in DIR (created, and left for the caller to remove) in
 * batches of 1000 document events, and at each size N: the time of a
 * checkpoint after a batch of 100 more events (the tree's root from its
 * stored subtrees, the signed note, the state file written and fsynced:
 * what the daemon does), beside a walk of the whole ledger (ledger_verify)
 * for comparison; then at the last size the time to make and to check
 * inclusion proofs of random events and consistency proofs from random
 * older sizes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checkpoint.h"
#include "proof.h"
#include "sha256.h"
#include "statefile.h"

#define BATCH 1000
#define SMALL_BATCH 100
#define CHECKPOINT_REPS 20
#define PROOF_REPS 1000

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void die(const char *what, const ev_error *err)
{
    fprintf(stderr, "bench_ledger: %s: %s\n", what, err->message);
    exit(1);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median and 99th percentile of n samples (sorted in place): the few
 * slowest of a shared machine say more of its other users than of us. */
static void summary(double *v, size_t n, double *median, double *p99)
{
    qsort(v, n, sizeof *v, cmp_double);
    *median = v[n / 2];
    *p99 = v[n * 99 / 100];
}

/* One event: a new document version, of the size the daemon records. */
static void record(ledger *l, int64_t i)
{
    char path[64], sha[EV_SHA256_HEX_LEN + 1];
    ev_error err = {0};
    snprintf(path, sizeof path, "合同/contract-%08lld.docx", (long long)i);
    ev_sha256_hex(path, strlen(path), sha);
    ledger_file f = {
        .path = path,
        .st = {.dev = 2049, .ino = 1000 + i, .size = 50000, .mtime_ns = 1700000000000000000,
               .ctime_ns = 1700000000000000000},
        .sha256 = sha,
        .size = 50000,
        .format = "docx",
        .kind = "service-contract",
        .language = "zh",
        .title = "技术服务合同",
        .text_chars = 12345,
        .fields_json = "{\"party_b\": \"某某信息技术有限公司\", \"contract_no\": \"HT-2026-014\","
                       " \"amount\": {\"value\": 12000000, \"currency\": \"CNY\"},"
                       " \"signed\": \"2026-03-01\"}",
        .meta_json = "{\"creator\": \"张三\", \"revision\": 3}",
        .warnings_json = "[]",
        .analysis_json = "{\"why\": [\"title: 合同\"], \"checks\": []}",
    };
    if (ledger_record_version(l, LEDGER_ADDED, &f, NULL, &err) != EV_OK)
        die("record", &err);
}

static void grow(ledger *l, int64_t *have, int64_t to, int64_t batch)
{
    ev_error err = {0};
    while (*have < to) {
        if (ledger_batch_begin(l, &err) != EV_OK)
            die("batch", &err);
        for (int64_t k = 0; k < batch && *have < to; k++)
            record(l, ++*have);
        if (ledger_batch_commit(l, &err) != EV_OK)
            die("commit", &err);
    }
}

/* What the daemon does to sign a checkpoint (daemon/tlog.c). */
static double checkpoint_ms(const char *dir, const signer *s, ledger *l, double *root_ms)
{
    ev_error err = {0};
    ledger_tree_head head;
    int64_t size = 0;
    char *note = NULL;
    double t0 = now_ms();
    if (ledger_size(l, &size, &err) != EV_OK)
        die("size", &err);
    head.size = (uint64_t)size;
    if (ledger_tree_root(l, head.size, head.root, &err) != EV_OK)
        die("root", &err);
    *root_ms = now_ms() - t0;
    if (checkpoint_sign(s, &head, &note, &err) != EV_OK ||
        statefile_write(dir, CHECKPOINT_FILE, note, strlen(note), 0644, &err) != EV_OK)
        die("sign", &err);
    free(note);
    return now_ms() - t0;
}

static void bench_checkpoints(const char *dir, const signer *s, ledger *l, int64_t *have)
{
    double total[CHECKPOINT_REPS], root[CHECKPOINT_REPS], med, p99, rmed, rmp99;
    for (int r = 0; r < CHECKPOINT_REPS; r++) {
        grow(l, have, *have + SMALL_BATCH, SMALL_BATCH);
        total[r] = checkpoint_ms(dir, s, l, &root[r]);
    }
    summary(total, CHECKPOINT_REPS, &med, &p99);
    summary(root, CHECKPOINT_REPS, &rmed, &rmp99);
    printf("  checkpoint after a batch of %d events, at %lld events: median %.3f ms, "
           "p99 %.3f ms (of which the tree root: median %.3f ms)\n",
           SMALL_BATCH, (long long)*have, med, p99, rmed);
}

static void bench_walk(const char *dir, const signer *s, int64_t have)
{
    char *db = ev_asprintf("%s/%s", dir, LEDGER_DB_FILE);
    ledger_verify_report rep;
    ev_error err = {0};
    double t0 = now_ms();
    if (ledger_verify(db, s, 0, NULL, NULL, &rep, &err) != EV_OK || rep.fault != LEDGER_FAULT_NONE)
        die("verify", &err);
    printf("  for comparison, a walk of all %lld events (ledger_verify: chain, signatures, "
           "tree): %.0f ms\n", (long long)have, now_ms() - t0);
    free(db);
}

static void bench_proofs(const char *dir, const signer *s, ledger *l, int64_t have)
{
    static double make[PROOF_REPS], check[PROOF_REPS];
    ev_error err = {0};
    vkey k;
    checkpoint newest, older;
    char *path = ev_asprintf("%s/%s", dir, CHECKPOINT_FILE);
    double root_ms, med, p99, cmed, cp99;
    checkpoint_ms(dir, s, l, &root_ms);
    signer_vkey(s, &k);
    if (checkpoint_load(path, &k, &newest, NULL, &err) != EV_OK)
        die("checkpoint", &err);
    srand(6962);
    for (int r = 0; r < PROOF_REPS; r++) {
        int64_t seq = 1 + rand() % have;
        double t0 = now_ms();
        json_t *p = proof_inclusion(l, seq, (uint64_t)have, &err);
        double t1 = now_ms();
        if (!p || proof_check_inclusion(p, &newest, NULL, NULL, &err) != EV_OK)
            die("inclusion", &err);
        make[r] = t1 - t0;
        check[r] = now_ms() - t1;
        json_decref(p);
    }
    summary(make, PROOF_REPS, &med, &p99);
    summary(check, PROOF_REPS, &cmed, &cp99);
    printf("  inclusion proof at %lld events (%d random events): make median %.3f ms, p99 "
           "%.3f ms; check median %.3f ms, p99 %.3f ms\n",
           (long long)have, PROOF_REPS, med, p99, cmed, cp99);
    for (int r = 0; r < PROOF_REPS; r++) {
        older.head.size = 1 + (uint64_t)(rand() % (have - 1));
        if (ledger_tree_root(l, older.head.size, older.head.root, &err) != EV_OK)
            die("root", &err);
        double t0 = now_ms();
        json_t *p = proof_consistency(l, older.head.size, (uint64_t)have, &err);
        double t1 = now_ms();
        if (!p || proof_check_consistency(p, &older, &newest, &err) != EV_OK)
            die("consistency", &err);
        make[r] = t1 - t0;
        check[r] = now_ms() - t1;
        json_decref(p);
    }
    summary(make, PROOF_REPS, &med, &p99);
    summary(check, PROOF_REPS, &cmed, &cp99);
    printf("  consistency proof to %lld events (%d random older sizes): make median %.3f ms, "
           "p99 %.3f ms; check median %.3f ms, p99 %.3f ms\n",
           (long long)have, PROOF_REPS, med, p99, cmed, cp99);
    free(path);
}

int main(int argc, char **argv)
{
    static const int64_t default_sizes[] = {10000, 100000};
    ev_error err = {0};
    signer *s = NULL;
    ledger *l = NULL;
    int64_t have = 0;

    if (argc < 2) {
        fputs("usage: bench_ledger DIR [EVENTS...]\n", stderr);
        return 2;
    }
    ev_log_setup("bench_ledger", EV_LOG_WARNING);
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *dir = argv[1];
    size_t nsizes = argc > 2 ? (size_t)(argc - 2) : EV_ARRAY_LEN(default_sizes);
    if (signer_open(dir, &s, &err) != EV_OK || ledger_open(dir, s, &l, &err) != EV_OK)
        die(dir, &err);
    for (size_t i = 0; i < nsizes; i++) {
        int64_t n = argc > 2 ? atoll(argv[i + 2]) : default_sizes[i];
        if (n <= have) {
            fprintf(stderr, "bench_ledger: sizes must grow\n");
            return 2;
        }
        double t0 = now_ms();
        int64_t from = have;
        grow(l, &have, n - SMALL_BATCH * CHECKPOINT_REPS, BATCH);
        printf("ledger at %lld events: appended %lld in batches of %d, %.1f us/event "
               "(chain, two signatures, tree)\n", (long long)n, (long long)(have - from), BATCH,
               (now_ms() - t0) * 1e3 / (double)(have - from));
        bench_checkpoints(dir, s, l, &have);
        bench_walk(dir, s, have);
    }
    bench_proofs(dir, s, l, have);
    ledger_close(l);
    signer_close(s);
    return 0;
}
